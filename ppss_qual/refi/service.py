"""REFI-QDA exchange for a project (`project.refi`): .qdpx export and import, .qdc codebooks, file checks."""

from __future__ import annotations

import os
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppss_qual.errors import InputError, InvalidOperation
from ppss_qual.refi.offsets import CODEPOINTS, UNITS

if TYPE_CHECKING:
    from ppss_qual.codebook.operations import CodebookImport
    from ppss_qual.project import Project
    from ppss_qual.refi.importing import ImportReport

ORIGIN = "ppss_qual"
# Deflate level for the archive: 6 (zlib's default) costs twice the time of 1 for a few percent less.
COMPRESS_LEVEL = 1


@dataclass(slots=True)
class ExportReport:
    """What a .qdpx export wrote (it was validated before it was moved into place)."""

    path: str
    offsets: str
    real_names: bool
    transcripts: int = 0
    codes: int = 0
    codings: int = 0
    selections: int = 0
    memos: int = 0
    cases: int = 0
    users: int = 0
    bytes: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def _origin() -> str:
    try:
        from importlib.metadata import version

        return f"{ORIGIN} {version('ppss-qual')}"
    except Exception:  # noqa: BLE001 - a missing distribution only changes the label
        return ORIGIN


class PendingFile:
    """A file written beside its final path and moved into place only by `commit` (else `discard`)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:
            raise InputError(str(path), f"cannot write here: {exc.strerror or exc}") from None
        os.close(handle)
        self.temporary = Path(name)

    def write(self, fill: Any) -> int:
        """Call fill(stream) on the temporary file and make it durable; returns its size."""
        with open(self.temporary, "w+b") as stream:
            fill(stream)
            stream.flush()
            os.fsync(stream.fileno())
            return stream.tell()

    def commit(self) -> None:
        os.chmod(self.temporary, 0o666 & ~_umask())
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


def write_atomically(path: Path, fill: Any) -> int:
    """fill(stream) on a temporary file beside `path`, then moved into place; returns the size."""
    pending = PendingFile(path)
    try:
        size = pending.write(fill)
        pending.commit()
    except BaseException:
        pending.discard()
        raise
    return size


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Refi:
    """REFI-QDA exchange for one project."""

    def __init__(self, project: Project):
        self.project = project

    # -- .qdpx ------------------------------------------------------------------------------------
    def export_qdpx(self, path: Path, *, offsets: str = CODEPOINTS, real_names: bool = True) -> ExportReport:
        """Write the project as a .qdpx: built in memory, validated (schema, unique GUIDs, references),
        written to a temporary file and moved into place; an invalid export is never written.

        `real_names=False` passes every text through the project's export step for names
        (ppss_qual.exports.names), shifting offsets consistently.
        """
        from ppss_qual.refi.validate import PROJECT_XSD, problems
        from ppss_qual.refi.writer import RealNames, build, source_member
        from ppss_qual.refi.xmlsafe import parse_xml
        from ppss_qual.store.changes import now
        from ppss_qual.store.refi import export_rows

        if offsets not in UNITS:
            raise InvalidOperation(f"unknown offset unit {offsets!r}; use {' or '.join(UNITS)}")
        path = Path(path)
        started = time.perf_counter()
        names = RealNames() if real_names else self.project.name_step(real_names=False)
        with self.project.store.read() as conn:
            rows = export_rows(conn)
        store_path = self.project.store.path
        built = build(
            rows,
            unit=offsets,
            project_name=store_path.stem if store_path else "ppss_qual project",
            acting_coder=self.project.coder,
            created=now(),
            origin=_origin(),
            names=names,
        )

        def fill(stream: Any) -> None:
            with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
                archive.writestr("project.qde", built.qde)
                for name, data in built.sources:
                    archive.writestr(name, data)

        # The archive is compressed (zlib lets other threads run) while the XML is checked; it is moved
        # into place only when the check finds nothing.
        pending = PendingFile(path)
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                writing = pool.submit(pending.write, fill)
                found = problems(parse_xml(built.qde, f"{path.name}:project.qde"), PROJECT_XSD)
                members = {name for name, _ in built.sources}
                found += [
                    f"{guid}: no source text"
                    for _tid, guid, *_ in rows.transcripts
                    if source_member(guid) not in members
                ]
                size = writing.result()
            if found:
                raise InvalidOperation(
                    f"{path}: the export would not be valid REFI-QDA, so nothing was written: "
                    + "; ".join(found[:5])
                )
            pending.commit()
        except BaseException:
            pending.discard()
            raise
        return ExportReport(
            path=str(path),
            offsets=offsets,
            real_names=real_names,
            transcripts=built.transcripts,
            codes=built.codes,
            codings=built.codings,
            selections=built.selections,
            memos=built.memos,
            cases=built.cases,
            users=built.users,
            bytes=size,
            seconds=round(time.perf_counter() - started, 3),
            warnings=built.warnings,
        )

    def import_qdpx(
        self,
        path: Path,
        *,
        offsets: str | None = None,
        workers: int | None = None,
        progress: Any = None,
    ) -> ImportReport:
        """Import a .qdpx into this project (new or not) in one undoable transaction; see refi.importing."""
        from ppss_qual.refi.importing import import_qdpx

        return import_qdpx(self.project, Path(path), offsets=offsets, workers=workers, progress=progress)

    # -- .qdc -------------------------------------------------------------------------------------
    def export_qdc(self, path: Path) -> int:
        """Write the codebook as a validated .qdc; returns the number of codes."""
        from ppss_qual.codebook import walk_codes
        from ppss_qual.refi.codebook import qdc_bytes

        path = Path(path)
        tree = self.project.codebook.model_tree()
        data = qdc_bytes(tree, path.stem, origin=_origin())
        write_atomically(path, lambda stream: stream.write(data))
        return sum(1 for _ in walk_codes(tree))

    def import_qdc(self, path: Path, update: bool = False) -> CodebookImport:
        """Import a .qdc codebook as `codes import` does: new codes added, changed ones only with update.

        Goes through Codebook.import_file once codebook.format reads .qdc; until then through the same
        path by way of an equivalent YAML codebook in a private temporary folder.
        """
        from ppss_qual.codebook import READ_SUFFIXES, dump_yaml_codebook
        from ppss_qual.refi.codebook import read_qdc

        path = Path(path)
        if ".qdc" in READ_SUFFIXES:
            return self.project.codebook.import_file(path, update=update)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
        tree, warnings = read_qdc(data, str(path))
        with tempfile.TemporaryDirectory(prefix="ppss-qdc-") as folder:
            stand_in = Path(folder) / f"{path.stem}.qdc.yaml"
            stand_in.write_text(dump_yaml_codebook(tree), encoding="utf-8")
            report = self.project.codebook.import_file(stand_in, update=update)
        report.warnings[:0] = warnings
        return report

    # -- checking files ---------------------------------------------------------------------------
    def check(self, path: Path) -> dict[str, Any]:
        """Check a .qdpx or .qdc against the schema and our GUID checks, and say what its offsets are."""
        return check_file(Path(path))


def check_file(path: Path) -> dict[str, Any]:
    """A file's validity (schema, unique GUIDs, references) and, for a project, its offset unit."""
    from ppss_qual.refi.container import Container
    from ppss_qual.refi.importing import ImportReport, detect_unit, read_archive
    from ppss_qual.refi.validate import CODEBOOK_XSD, PROJECT_XSD, problems
    from ppss_qual.refi.xmlsafe import parse_xml

    result: dict[str, Any] = {"path": str(path)}
    if path.suffix.lower() == ".qdc":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
        root = parse_xml(data, str(path))
        result["kind"] = "codebook"
        result["origin"] = root.get("origin")
        result["problems"] = problems(root, CODEBOOK_XSD)
    else:
        with Container(path) as box:
            member = box.project_member()
            root = parse_xml(box.read(member), f"{path}:{member.filename}")
            result["kind"] = "project"
            result["origin"] = root.get("origin")
            result["problems"] = problems(root, PROJECT_XSD)
            del root
            report = ImportReport(path=str(path))
            refi, sources, _ = read_archive(box, str(path), report)
        detect_unit(refi, sources, None, report)
        result |= {
            "sources": len(refi.sources),
            "text_sources": len(sources),
            "selections": sum(len(s.refi.selections) for s in sources),
            "offsets": report.unit,
            "offsets_reason": report.unit_reason,
            "not_importable": report.not_imported,
        }
    result["valid"] = not result["problems"]
    return result
