"""Code operations: add, rename, edit, move, merge, delete, find, import and export; each one undoable event."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.errors import InputError, InvalidOperation
from ppss_qual.model import Code
from ppss_qual.store import codes as code_store
from ppss_qual.store.changes import Recorder

if TYPE_CHECKING:
    from ppss_qual.project import Project

EDITABLE = ("name_en", "definition", "use_when", "not_when", "example", "colour", "keywords")
NEAR_NAME_SCORE = 88  # a new name this close to an existing one is probably a typo of it


@dataclass(slots=True)
class CodebookImport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Codebook:
    """The project's code tree and the operations on it."""

    def __init__(self, project: Project):
        self.project = project

    @property
    def _store(self) -> Any:
        return self.project.store

    # -- reading ----------------------------------------------------------------------------------
    def codes(self) -> dict[int, code_store.CodeRow]:
        return code_store.all_codes(self.project.conn)

    def resolve(self, ref: str) -> code_store.CodeRow:
        return code_store.resolve(self.project.conn, ref)

    def tree(self) -> list[dict[str, Any]]:
        """Every code in tree order with its own count and the count including its sub-codes."""
        with self._store.read() as conn:
            codes = code_store.all_codes(conn)
            counts = code_store.counts(conn)
        out = []
        for c in codes.values():
            total = counts.get(c.id, 0) + sum(counts.get(d, 0) for d in code_store.descendants(codes, c.id))
            out.append(
                {
                    "id": c.id,
                    "name": c.name,
                    "name_en": c.name_en,
                    "path": c.path,
                    "parent": codes[c.parent_id].name if c.parent_id in codes else None,
                    "parent_id": c.parent_id,
                    "depth": c.depth,
                    "count": counts.get(c.id, 0),
                    "total": total,
                    "colour": c.colour,
                    "definition": c.definition,
                    "use_when": c.use_when,
                    "not_when": c.not_when,
                    "example": c.example,
                    "keywords": c.keywords,
                }
            )
        return out

    def find(self, text: str, limit: int = 10) -> list[dict[str, Any]]:
        """Codes by a fragment or a misspelling, in Swedish or English, best first."""
        from rapidfuzz import fuzz, process, utils

        rows = self.tree()
        choices: dict[int, str] = {}
        for i, r in enumerate(rows):
            choices[2 * i] = r["name"]
            if r["name_en"]:
                choices[2 * i + 1] = r["name_en"]
        best: dict[int, float] = {}
        for _choice, score, key in process.extract(
            text, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=None, score_cutoff=55
        ):
            i = key // 2
            best[i] = max(best.get(i, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], rows[kv[0]]["path"]))[:limit]
        return [{**rows[i], "score": round(score, 1)} for i, score in ranked]

    def near_names(self, name: str, *, except_id: int | None = None) -> list[str]:
        """Existing names (Swedish or English) so close to `name` that it may be a typo of one of them."""
        from rapidfuzz import fuzz, process, utils

        names = [
            n
            for c in self.codes().values()
            if c.id != except_id
            for n in (c.name, c.name_en)
            if n and n.casefold() != name.casefold()
        ]
        hits = process.extract(
            name, names, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=NEAR_NAME_SCORE
        )
        return [h[0] for h in hits]

    # -- changing ---------------------------------------------------------------------------------
    def add(self, name: str, *, parent: str | None = None, **fields: Any) -> tuple[int, list[str]]:
        """Add a code (at the top level without a parent); warns when the name is close to another."""
        name = _clean_name(name, "name")
        warnings = [f"{name!r} is close to the existing code {n!r}" for n in self.near_names(name)]
        with self._store.write() as conn:
            parent_id = code_store.resolve(conn, parent).id if parent else None
            self._check_names(conn, name, fields.get("name_en"))
            rec = Recorder(conn)
            cid = code_store.insert_code(
                rec,
                {"name": name, **fields},
                self.project.coder,
                parent_id,
                code_store.next_position(conn, parent_id),
            )
            rec.log(self.project.coder, "code.add", f"added code {name}")
        return cid, warnings

    def rename(self, ref: str, *, name: str | None = None, name_en: str | None = None) -> list[str]:
        if name is None and name_en is None:
            raise InvalidOperation("give a new Swedish name, a new English name, or both")
        warnings: list[str] = []
        with self._store.write() as conn:
            code = code_store.resolve(conn, ref)
            values: dict[str, Any] = {}
            if name is not None:
                values["name"] = _clean_name(name, "name")
            if name_en is not None:
                values["name_en"] = _clean_name(name_en, "name_en") if name_en.strip() else None
            self._check_names(conn, values.get("name"), values.get("name_en"), except_id=code.id)
            for n in filter(None, (values.get("name"), values.get("name_en"))):
                warnings += [
                    f"{n!r} is close to the existing code {x!r}"
                    for x in self.near_names(n, except_id=code.id)
                ]
            rec = Recorder(conn)
            rec.update("codes", code.id, **code_store.column_values(values))
            rec.log(
                self.project.coder,
                "code.rename",
                f"renamed code {code.name} to {values.get('name', code.name)}",
            )
        return warnings

    def edit(self, ref: str, **fields: Any) -> None:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise InvalidOperation(
                f"cannot edit {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}"
            )
        with self._store.write() as conn:
            code = code_store.resolve(conn, ref)
            if "colour" in fields and fields["colour"]:
                fields["colour"] = normalise_colour(fields["colour"])
            if fields.get("name_en"):
                self._check_names(conn, None, fields["name_en"], except_id=code.id)
            rec = Recorder(conn)
            rec.update("codes", code.id, **code_store.column_values(fields))
            rec.log(self.project.coder, "code.edit", f"edited code {code.name}: {', '.join(fields)}")

    def move(self, ref: str, parent: str | None) -> None:
        """Give a code a new parent (None: the top level); refused when it would be its own ancestor."""
        with self._store.write() as conn:
            codes = code_store.all_codes(conn)
            code = code_store.resolve(conn, ref, codes)
            new_parent = code_store.resolve(conn, parent, codes).id if parent else None
            if new_parent is not None and (
                new_parent == code.id or new_parent in code_store.descendants(codes, code.id)
            ):
                raise InvalidOperation(
                    f"cannot move {code.name!r} under {parent!r}: a code cannot be inside itself"
                )
            rec = Recorder(conn)
            rec.update(
                "codes", code.id, parent_id=new_parent, position=code_store.next_position(conn, new_parent)
            )
            where = codes[new_parent].path if new_parent else "the top level"
            rec.log(self.project.coder, "code.move", f"moved code {code.name} to {where}")

    def merge(self, source: str, target: str) -> int:
        """FROM's codings, sub-codes and memos go to INTO, and FROM is gone; returns codings moved."""
        from ppss_qual.coding.operations import place_coding

        with self._store.write() as conn:
            codes = code_store.all_codes(conn)
            src = code_store.resolve(conn, source, codes)
            dst = code_store.resolve(conn, target, codes)
            if src.id == dst.id:
                raise InvalidOperation("a code cannot be merged into itself")
            if dst.id in code_store.descendants(codes, src.id):
                raise InvalidOperation(f"cannot merge {src.name!r} into its own sub-code {dst.name!r}")
            rec = Recorder(conn)
            moved = 0
            rows = conn.execute(
                f"SELECT {code_store.CODING_COLS} FROM codings WHERE code_id = ? ORDER BY id", (src.id,)
            ).fetchall()
            for cid, tid, _code, coder, start, end, _text, _at, _guid in rows:
                rec.delete("codings", cid)
                text = conn.execute("SELECT text FROM transcripts WHERE id = ?", (tid,)).fetchone()[0]
                place_coding(conn, rec, tid, text, dst.id, coder, start, end)
                moved += 1
            for child in src.children:
                rec.update("codes", child, parent_id=dst.id)
            for (memo_id,) in conn.execute(
                "SELECT id FROM memos WHERE target_kind = 'code' AND target_id = ?", (src.id,)
            ).fetchall():
                rec.update("memos", memo_id, target_id=dst.id)
            rec.delete("codes", src.id)
            rec.log(
                self.project.coder, "code.merge", f"merged code {src.name} into {dst.name} ({moved} codings)"
            )
        return moved

    def delete(self, ref: str, *, force: bool = False) -> int:
        """Delete a code; refused while it or its sub-codes have codings, unless forced (undo restores all)."""
        with self._store.write() as conn:
            codes = code_store.all_codes(conn)
            code = code_store.resolve(conn, ref, codes)
            doomed = [code.id, *code_store.descendants(codes, code.id)]
            marks = ",".join("?" * len(doomed))
            n = conn.execute(f"SELECT count(*) FROM codings WHERE code_id IN ({marks})", doomed).fetchone()[0]
            if (n or len(doomed) > 1) and not force:
                what = f"{n} codings" if n else ""
                if len(doomed) > 1:
                    what += (" and " if what else "") + f"{len(doomed) - 1} sub-codes"
                raise InvalidOperation(
                    f"code {code.name!r} has {what}; use --force to delete them too (undo restores)"
                )
            rec = Recorder(conn)
            for (cid,) in conn.execute(
                f"SELECT id FROM codings WHERE code_id IN ({marks})", doomed
            ).fetchall():
                rec.delete("codings", cid)
            for (mid,) in conn.execute(
                f"SELECT id FROM memos WHERE target_kind = 'code' AND target_id IN ({marks})", doomed
            ).fetchall():
                rec.delete("memos", mid)
            for cid in reversed(doomed):  # children before parents
                rec.delete("codes", cid)
            rec.log(self.project.coder, "code.delete", f"deleted code {code.name} ({n} codings)")
        return int(n)

    def import_file(self, path: Path, *, update: bool = False) -> CodebookImport:
        """Add a codebook file's new codes; report changed and missing ones; change them only with update."""
        from ppss_qual.codebook import read_codebook

        tree, warnings = read_codebook(path)
        report = CodebookImport(warnings=list(warnings))
        with self._store.write() as conn:
            rec = Recorder(conn)
            self._import_level(conn, rec, tree, None, update, report, str(path))
            seen = {c.name.casefold() for c in _walk(tree)} | {
                c.name_en.casefold() for c in _walk(tree) if c.name_en
            }
            report.missing = [
                c.path for c in code_store.all_codes(conn).values() if c.name.casefold() not in seen
            ]
            if rec.ops:
                rec.log(
                    self.project.coder,
                    "codes.import",
                    f"codebook {path.name}: {len(report.added)} added, {len(report.updated)} updated",
                )
        return report

    def _import_level(
        self,
        conn: Any,
        rec: Recorder,
        nodes: list[Code],
        parent_id: int | None,
        update: bool,
        report: CodebookImport,
        source: str,
    ) -> None:
        for node in nodes:
            existing = _match_existing(conn, node)
            values = {f: getattr(node, f) for f in ("definition", "example", "colour", "keywords")}
            values |= {"name_en": node.name_en, "use_when": node.inclusion, "not_when": node.exclusion}
            if existing is None:
                try:
                    self._check_names(conn, node.name, node.name_en)
                except InvalidOperation as exc:
                    raise InputError(source, str(exc), line=node.line, field="name") from None
                cid = code_store.insert_code(
                    rec,
                    {"name": node.name, **values},
                    self.project.coder,
                    parent_id,
                    code_store.next_position(conn, parent_id),
                )
                report.added.append(node.name)
            else:
                cid = existing.id
                # A field the file leaves out is no opinion: importing never erases by omission.
                diff = {k: v for k, v in values.items() if v and _differs(getattr(existing, k), v)}
                if node.name != existing.name:
                    diff["name"] = node.name
                if existing.parent_id != parent_id:
                    diff["parent_id"] = parent_id
                if diff and update:
                    cols = code_store.column_values({k: v for k, v in diff.items() if k != "parent_id"})
                    if "parent_id" in diff:
                        cols["parent_id"] = parent_id
                    rec.update("codes", cid, **cols)
                    report.updated.append(node.name)
                elif diff:
                    report.changed.append(f"{node.name}: {', '.join(sorted(diff))}")
                else:
                    report.unchanged.append(node.name)
            self._import_level(conn, rec, node.children, cid, update, report, source)

    def export(self, path: Path) -> int:
        from ppss_qual.codebook import write_codebook

        tree = self.model_tree()
        write_codebook(tree, path)
        return sum(1 for _ in _walk(tree))

    def model_tree(self) -> list[Code]:
        """The project's codes as model objects (roots with children)."""
        codes = self.codes()
        made: dict[int, Code] = {}
        roots: list[Code] = []
        for c in codes.values():
            node = Code(
                name=c.name,
                name_en=c.name_en,
                definition=c.definition,
                inclusion=c.use_when,
                exclusion=c.not_when,
                example=c.example,
                colour=c.colour,
                keywords=list(c.keywords),
                id=c.id,
                parent_id=c.parent_id,
                guid=c.guid,
            )
            made[c.id] = node
            (made[c.parent_id].children if c.parent_id in made else roots).append(node)
        return roots

    @staticmethod
    def _check_names(conn: Any, name: str | None, name_en: str | None, except_id: int | None = None) -> None:
        if name and code_store.name_taken(conn, name, english=False, except_id=except_id):
            raise InvalidOperation(f"a code named {name!r} exists already (Swedish names are unique)")
        if name_en and code_store.name_taken(conn, name_en, english=True, except_id=except_id):
            raise InvalidOperation(f"a code with the English name {name_en!r} exists already")


def _walk(nodes: list[Code]) -> Any:
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _match_existing(conn: Any, node: Code) -> code_store.CodeRow | None:
    codes = code_store.all_codes(conn)
    for c in codes.values():
        if c.name.casefold() == node.name.casefold():
            return c
    if node.name_en:
        for c in codes.values():
            if c.name_en and c.name_en.casefold() == node.name_en.casefold():
                return c
    return None


def _differs(old: Any, new: Any) -> bool:
    return (old or None) != (new or None)


def _clean_name(name: str, field: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidOperation(f"a code needs a {field}")
    if "/" in cleaned:
        raise InvalidOperation(f"{field} {cleaned!r}: '/' separates a code path and cannot be part of a name")
    return cleaned


def normalise_colour(value: str) -> str:
    from ppss_qual.codebook.format import parse_colour

    return parse_colour(value)
