"""Codebook files (YAML, CSV, Markdown, Word) to and from trees of `Code`; pure, no project or database."""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ppss_qual.errors import EncodingProblem, InputError, InvalidOperation, UnsupportedFormat
from ppss_qual.exports.word import new_document, repeat_header_row, table_style
from ppss_qual.files import write_bytes
from ppss_qual.model import Code

READ_SUFFIXES = (".yaml", ".yml", ".csv", ".qdc")
WRITE_SUFFIXES = (".yaml", ".yml", ".csv", ".md", ".docx", ".qdc")

# The fields of a code in a YAML codebook, in the order they are written.
CODE_FIELDS = (
    "name",
    "name_en",
    "definition",
    "use_when",
    "not_when",
    "example",
    "colour",
    "keywords",
    "codes",
)
META_FIELDS = ("name", "language", "version", "description")
CSV_COLUMNS = ("path", "name_en", "definition", "use_when", "not_when", "example", "colour", "keywords")
# Plain text fields of a file (YAML key or CSV column) and the `Code` attribute each one fills.
TEXT_ATTRIBUTES = {
    "definition": "definition",
    "use_when": "inclusion",
    "not_when": "exclusion",
    "example": "example",
}

COLOUR_NAMES: dict[str, str] = {
    "black": "#000000", "white": "#FFFFFF", "grey": "#808080", "gray": "#808080", "silver": "#C0C0C0",
    "red": "#FF0000", "crimson": "#DC143C", "maroon": "#800000", "tomato": "#FF6347", "coral": "#FF7F50",
    "salmon": "#FA8072", "orange": "#FFA500", "gold": "#FFD700", "yellow": "#FFFF00", "khaki": "#F0E68C",
    "olive": "#808000", "lime": "#00FF00", "green": "#008000", "teal": "#008080", "turquoise": "#40E0D0",
    "cyan": "#00FFFF", "aqua": "#00FFFF", "skyblue": "#87CEEB", "blue": "#0000FF", "navy": "#000080",
    "indigo": "#4B0082", "purple": "#800080", "violet": "#EE82EE", "orchid": "#DA70D6",
    "magenta": "#FF00FF", "fuchsia": "#FF00FF", "pink": "#FFC0CB", "brown": "#A52A2A",
}  # fmt: skip

MAX_DEPTH = 12
_HEX_COLOUR = re.compile(r"#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
_YAML_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:")
_NULL_TAG = "tag:yaml.org,2002:null"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_YAML_HEADER = (
    "# ppss_qual codebook. Each code: name (Swedish), name_en, definition, use_when, not_when, example,\n"
    '# colour ("#RRGGBB"), keywords (a list of lemmas) and codes (its sub-codes).\n'
)


# ---------------------------------------------------------------------------------------------- public API


def read_codebook(path: Path | str) -> tuple[list[Code], list[str]]:
    """The roots of the code tree in a `.yaml`, `.yml` or `.csv` codebook, and the warnings met."""
    path = Path(path)
    parser = _PARSERS.get(path.suffix.lower())
    if parser is None:
        raise UnsupportedFormat(
            str(path),
            f"cannot read a codebook from a '{path.suffix}' file; use one of {', '.join(READ_SUFFIXES)}",
        )
    return parser(_decode(_read_bytes(path), str(path)), str(path))


def write_codebook(codes: list[Code], path: Path | str, *, title: str = "Codebook") -> None:
    """Write the code tree as `.yaml`/`.yml`, `.csv`, `.md` or `.docx`, replacing the file in one step."""
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise UnsupportedFormat(
            str(path),
            f"cannot write a codebook as a '{path.suffix}' file; use one of {', '.join(WRITE_SUFFIXES)}",
        )
    write_bytes(path, writer(codes, title))


def parse_yaml_codebook(text: str, path: str) -> tuple[list[Code], list[str]]:
    """The code tree in YAML text; `path` names the file in messages; errors name the line and field."""
    text = _clean_text(text)
    reader = _YamlReader(path, text)
    roots = reader.document(_compose(text, path))
    _check_unique(roots, path, reader.warnings, name_field="name", line_of=reader.line_of)
    return roots, reader.warnings


def parse_csv_codebook(text: str, path: str) -> tuple[list[Code], list[str]]:
    """The code tree in CSV text (one row per code, a `path` column); errors name the line and column."""
    text = _clean_text(text)
    warnings: list[str] = []
    rows = _csv_rows(text, path)
    if not rows:
        raise InputError(path, "the codebook is empty; the first row names the columns", line=1, field="path")
    header_line, header = rows[0]
    columns = _csv_columns(header, header_line, path, warnings)
    records = [_csv_record(cells, line, columns, path, warnings) for line, cells in rows[1:]]
    roots = _csv_tree(records, path)
    _check_unique(roots, path, warnings, name_field="path")
    return roots, warnings


def dump_yaml_codebook(codes: list[Code], *, meta: Mapping[str, str] | None = None) -> str:
    """The code tree as YAML: block style, fields in a fixed order, empty fields left out, åäö kept."""
    _check_path_names(codes)
    document: dict[str, Any] = {}
    if meta:
        document["codebook"] = {key: str(value) for key, value in meta.items() if value not in (None, "")}
    document["codes"] = [_code_mapping(code) for code in codes]
    body = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=88
    )
    return _YAML_HEADER + _space_themes(body)


def dump_csv_codebook(codes: list[Code]) -> str:
    """The code tree as CSV: a header row, then one row per code in tree order."""
    _check_path_names(codes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for segments, code in walk_codes(codes):
        row = ["/".join(segments), code.name_en or ""]
        row += [getattr(code, attribute) for attribute in TEXT_ATTRIBUTES.values()]
        writer.writerow(row + [code.colour or "", "; ".join(code.keywords)])
    return out.getvalue()


def dump_markdown_codebook(codes: list[Code], *, title: str = "Codebook") -> str:
    """The code tree as Markdown to read: a heading per theme and code, its fields, a table of all."""
    parts = [f"# {title}", "", _summary(codes), ""]
    for segments, code in walk_codes(codes):
        parts += _markdown_code(code, len(segments))
    parts += _markdown_table(codes)
    return "\n".join(parts).rstrip() + "\n"


def parse_colour(value: str) -> str:
    """`#RGB`, `#RRGGBB` or a CSS colour name as upper-case `#RRGGBB`; ValueError for anything else."""
    text = value.strip()
    if text.lower() in COLOUR_NAMES:
        return COLOUR_NAMES[text.lower()]
    match = _HEX_COLOUR.fullmatch(text)
    if match is None:
        raise ValueError(f'{value!r} is not a colour; write "#RRGGBB", "#RGB" or a name such as teal or navy')
    digits = match.group(1).upper()
    return "#" + (digits if len(digits) == 6 else "".join(digit * 2 for digit in digits))


def walk_codes(
    codes: Iterable[Code], parents: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Code]]:
    """Every code of the tree, depth first, with its path of names (the code's own name last)."""
    for code in codes:
        segments = (*parents, code.name)
        yield segments, code
        yield from walk_codes(code.children, segments)


# -------------------------------------------------------------------------------------- shared helpers


def _where(path: str, line: int | None, field: str | None, message: str) -> str:
    """A warning laid out like an InputError: file:line: field: message."""
    place = path if line is None else f"{path}:{line}"
    return f"{place}: {message}" if field is None else f"{place}: {field}: {message}"


def _suggestion(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word.lower(), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _unknown_field(path: str, line: int, field: str, known: Iterable[str]) -> str:
    return _where(path, line, field, f"unknown field, ignored{_suggestion(field, known)}")


def _clean_text(text: str) -> str:
    """Drop a BOM, make line endings LF and compose characters (NFC), so that names compare as seen."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as err:
        raise InputError(str(path), f"cannot read the file: {err.strerror or err}") from None


def _decode(data: bytes, path: str) -> str:
    """A BOM decides; else UTF-8; else Windows-1252; else an EncodingProblem naming the line."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding, path)
    if b"\x00" in data:
        raise InputError(path, "not a text file (it holds NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_as(data, "cp1252", path)


def _decode_as(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise EncodingProblem(
            path,
            f"byte 0x{data[err.start]:02X} is neither UTF-8 nor Windows-1252; save the file as UTF-8",
            line=line,
        ) from None


def _check_unique(
    roots: list[Code],
    path: str,
    warnings: list[str],
    *,
    name_field: str,
    line_of: Callable[[Code, str], int | None] | None = None,
) -> None:
    """Swedish names and English names are each unique, ignoring case; an error names both lines.

    `line_of(code, attribute)` is the line where the code gives that name; by default the code's line.
    """
    where = line_of or (lambda code, attribute: code.line)
    seen: dict[str, dict[str, Code]] = {"name": {}, "name_en": {}}
    for _, code in walk_codes(roots):
        for attribute, field in (("name", name_field), ("name_en", "name_en")):
            value = getattr(code, attribute)
            first = seen[attribute].setdefault(value.casefold(), code) if value else code
            if first is not code:
                lines = (where(first, attribute), where(code, attribute))
                message = (
                    f"{value!r} is used twice, on line {lines[0]} and line {lines[1]}; names must be unique"
                )
                raise InputError(path, message + " (ignoring case)", line=lines[1], field=field)
    _warn_crossed_names(seen, path, warnings)


def _warn_crossed_names(seen: dict[str, dict[str, Code]], path: str, warnings: list[str]) -> None:
    """A Swedish name that is another code's English name is allowed but ambiguous to a reader."""
    for key, code in seen["name"].items():
        other = seen["name_en"].get(key)
        if other is not None and other is not code:
            message = f"{code.name!r} is also the English name of the code on line {other.line}"
            warnings.append(_where(path, code.line, "name", message))


def _summary(codes: list[Code]) -> str:
    total = sum(1 for _ in walk_codes(codes)) - len(codes)
    return f"{len(codes)} themes, {total} codes."


def _labelled_fields(code: Code) -> list[tuple[str, str]]:
    """The prose fields of a code that are filled in, with the labels a reader sees."""
    fields = (
        ("Definition", code.definition),
        ("When to use", code.inclusion),
        ("When not to use", code.exclusion),
    )
    return [(label, value) for label, value in fields if value]


# ------------------------------------------------------------------------------------------- YAML, read


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    return "a list" if isinstance(node, SequenceNode) else "text"


def _compose(text: str, path: str) -> Node | None:
    """The YAML node tree (with line marks), or an InputError naming the parser's line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, text, path) from None
    except yaml.YAMLError as err:
        raise InputError(path, f"not valid YAML: {err}", line=1) from None
    except RecursionError:
        raise InputError(path, "not valid YAML: nested too deeply", line=1) from None


def _syntax_error(err: yaml.MarkedYAMLError, text: str, path: str) -> InputError:
    """Where a YAML syntax error is: an unclosed quote is reported where it opens, else where it is found."""
    lines = text.split("\n")
    mark = err.problem_mark or err.context_mark
    if err.context_mark is not None and (err.context or "").startswith("while scanning"):
        mark = err.context_mark
    line = min(mark.line + 1, len(lines)) if mark is not None else 1
    detail = err.problem or "malformed"
    if err.context and err.context_mark is not None:
        detail += f" ({err.context} on line {err.context_mark.line + 1})"
    return InputError(path, f"not valid YAML: {detail}", line=line, field=_field_near(lines, line))


def _field_near(lines: list[str], line: int) -> str | None:
    """The YAML key on the given line or the nearest one above it."""
    for text in reversed(lines[:line]):
        match = _YAML_KEY.match(text)
        if match:
            return match.group(1)
    return None


class _YamlReader:
    """Walks a composed YAML codebook into codes, collecting warnings on the way."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.warnings: list[str] = []
        self.seen: set[int] = set()
        self.field_lines: dict[tuple[int, str], int] = {}

    def line_of(self, code: Code, attribute: str) -> int | None:
        """The line where the code gives the field (its `name_en:` line, say); else the code's own line."""
        return self.field_lines.get((id(code), attribute), code.line)

    def error(self, node: Node, field: str | None, message: str) -> InputError:
        return InputError(self.path, message, line=_line(node), field=field)

    def document(self, root: Node | None) -> list[Code]:
        if root is None or _is_null(root):
            raise InputError(
                self.path, "the codebook is empty; expected 'codebook:' and 'codes:'", line=1, field="codes"
            )
        if isinstance(root, SequenceNode):
            return self.code_list(root, root, depth=0)
        if not isinstance(root, MappingNode):
            raise self.error(root, "codes", "expected a mapping with 'codebook:' and 'codes:', not text")
        fields = self.fields(root, ("codebook", "codes"))
        if "codebook" in fields:
            self.meta(*fields["codebook"])
        if "codes" not in fields:
            raise self.error(root, "codes", "no 'codes:' list of themes")
        return self.code_list(*fields["codes"], depth=0)

    def fields(self, node: MappingNode, known: Iterable[str]) -> dict[str, tuple[Node, Node]]:
        """The known keys of a mapping; a key given twice is an error, an unknown key a warning."""
        known = tuple(known)
        found: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                raise self.error(key, None, "a field name must be a plain word")
            if key.value in found:
                first = _line(found[key.value][0])
                raise self.error(key, key.value, f"given twice, on line {first} and line {_line(key)}")
            if key.value in known:
                found[key.value] = (key, value)
            else:
                self.warnings.append(_unknown_field(self.path, _line(key), key.value, known))
        return found

    def meta(self, key: Node, value: Node) -> None:
        """Check the `codebook:` block (name, language, version, description); its values are not kept."""
        if _is_null(value):
            return
        if not isinstance(value, MappingNode):
            raise self.error(
                key,
                "codebook",
                f"must be a mapping of name, language, version, description, not {_kind(value)}",
            )
        for field, (meta_key, meta_value) in self.fields(value, META_FIELDS).items():
            self.text(meta_key, meta_value, field)

    def code_list(self, key: Node, value: Node, depth: int) -> list[Code]:
        if _is_null(value):
            return []
        if depth > MAX_DEPTH:
            raise self.error(key, "codes", f"codes are nested deeper than {MAX_DEPTH} levels")
        if not isinstance(value, SequenceNode):
            raise self.error(
                key, "codes", f"must be a list of codes (each starting with '- name:'), not {_kind(value)}"
            )
        return [self.code(item, depth) for item in value.value]

    def code(self, node: Node, depth: int) -> Code:
        if id(node) in self.seen:
            raise self.error(
                node, "codes", "a code is repeated through a YAML alias (*); write each code once"
            )
        self.seen.add(id(node))
        if isinstance(node, ScalarNode) and not _is_null(node):
            return Code(name=self.name(node, node), line=_line(node))
        if not isinstance(node, MappingNode):
            raise self.error(node, "codes", f"each code must be a mapping with 'name:', not {_kind(node)}")
        fields = self.fields(node, CODE_FIELDS)
        if "name" not in fields:
            raise self.error(node, "name", "this code has no name")
        code = Code(name=self.name(*fields["name"]), line=_line(node))
        self.fill(code, fields, depth)
        return code

    def fill(self, code: Code, fields: dict[str, tuple[Node, Node]], depth: int) -> None:
        """Set a code's fields other than its name from the mapping's fields."""
        if "name_en" in fields:
            code.name_en = self.text(*fields["name_en"], "name_en") or None
            self.field_lines[(id(code), "name_en")] = _line(fields["name_en"][0])
        for field, attribute in TEXT_ATTRIBUTES.items():
            if field in fields:
                setattr(code, attribute, self.text(*fields[field], field))
        if "colour" in fields:
            code.colour = self.colour(*fields["colour"])
        if "keywords" in fields:
            code.keywords = self.keywords(*fields["keywords"])
        if "codes" in fields:
            code.children = self.code_list(*fields["codes"], depth=depth + 1)

    def text(self, key: Node, value: Node, field: str) -> str:
        if isinstance(value, ScalarNode):
            return "" if _is_null(value) else value.value.strip()
        raise self.error(key, field, f"must be text, not {_kind(value)}")

    def name(self, key: Node, value: Node) -> str:
        name = self.text(key, value, "name")
        if not name:
            raise self.error(key, "name", "this code has no name")
        if "/" in name:
            raise self.error(key, "name", f"{name!r} holds '/', which separates the names in a path")
        return name

    def colour(self, key: Node, value: Node) -> str | None:
        text = self.text(key, value, "colour")
        if not text:
            if re.search(r":\s+#", self.lines[key.start_mark.line]):
                raise self.error(
                    key,
                    "colour",
                    'put the colour in quotes, as in colour: "#4A90D9" '
                    "(an unquoted # starts a comment in YAML)",
                )
            return None
        try:
            return parse_colour(text)
        except ValueError as err:
            raise self.error(key, "colour", str(err)) from None

    def keywords(self, key: Node, value: Node) -> list[str]:
        if _is_null(value):
            return []
        if not isinstance(value, SequenceNode):
            raise self.error(
                key,
                "keywords",
                f"must be a list of words (one per line, each after '- '), not {_kind(value)}",
            )
        words = [self.text(key, item, "keywords") for item in value.value]
        return [word for word in words if word]


# ------------------------------------------------------------------------------------------ YAML, write


class _Dumper(yaml.SafeDumper):
    """Block style with lists indented under their key; text with line breaks as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Text with line breaks as a literal block; a colour in double quotes, as a person would write it."""
    style = "|" if "\n" in text else '"' if text.startswith("#") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _code_mapping(code: Code) -> dict[str, Any]:
    """A code as a mapping in the fixed field order, without empty fields."""
    values: dict[str, Any] = {"name": code.name, "name_en": code.name_en}
    values |= {field: getattr(code, attribute) for field, attribute in TEXT_ATTRIBUTES.items()}
    values |= {"colour": code.colour, "keywords": list(code.keywords)}
    values["codes"] = [_code_mapping(child) for child in code.children]
    return {field: values[field] for field in CODE_FIELDS if values[field]}


def _space_themes(body: str) -> str:
    """A blank line before each theme (a list item at the top level of `codes:`) for easier reading."""
    lines = body.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("  - ") and index > 0 and lines[index - 1] != "codes:":
            out.append("")
        out.append(line)
    return "\n".join(out)


# -------------------------------------------------------------------------------------------------- CSV


@dataclass(slots=True)
class _CsvRecord:
    line: int
    segments: tuple[str, ...]
    code: Code


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the first non-empty line (the header) holds most of."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in ",;\t"}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_rows(text: str, path: str) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the file, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(path, f"not valid CSV: {err}", line=start) from None
    return rows


def _csv_columns(header: list[str], line: int, path: str, warnings: list[str]) -> list[str | None]:
    """The known column at each position of the header (None where unknown, with a warning)."""
    columns: list[str | None] = []
    for cell in header:
        name = cell.strip().lower()
        if name in columns:
            raise InputError(path, "this column is given twice", line=line, field=name)
        if name and name not in CSV_COLUMNS:
            warnings.append(
                _where(path, line, name, f"unknown column, ignored{_suggestion(name, CSV_COLUMNS)}")
            )
        columns.append(name if name in CSV_COLUMNS else None)
    if "path" not in columns:
        raise InputError(
            path,
            f"no 'path' column; the first row names the columns: {', '.join(CSV_COLUMNS)}",
            line=line,
            field="path",
        )
    return columns


def _csv_record(
    cells: list[str], line: int, columns: list[str | None], path: str, warnings: list[str]
) -> _CsvRecord:
    """One row as a code (without children yet) and its path."""
    values = {column: cell.strip() for column, cell in zip(columns, cells, strict=False) if column}
    if any(cell.strip() for cell in cells[len(columns) :]):
        warnings.append(
            _where(path, line, None, f"more cells than the {len(columns)} columns; the rest is ignored")
        )
    segments = _csv_path(values.get("path", ""), line, path)
    code = Code(name=segments[-1], name_en=values.get("name_en") or None, line=line)
    for column, attribute in TEXT_ATTRIBUTES.items():
        setattr(code, attribute, values.get(column, ""))
    code.colour = _csv_colour(values.get("colour", ""), line, path)
    code.keywords = [word.strip() for word in re.split(r"[;,]", values.get("keywords", "")) if word.strip()]
    return _CsvRecord(line, segments, code)


def _csv_path(cell: str, line: int, path: str) -> tuple[str, ...]:
    """The names along a `Theme/Code` path: no empty part, no name twice (no code is its own ancestor)."""
    if not cell:
        raise InputError(
            path, "empty path; every row names its code, as in Theme/Code", line=line, field="path"
        )
    segments = tuple(segment.strip() for segment in cell.split("/"))
    if not all(segments):
        raise InputError(path, f"the path {cell!r} has an empty part", line=line, field="path")
    folded = [segment.casefold() for segment in segments]
    for index, segment in enumerate(folded):
        if segment in folded[:index]:
            raise InputError(
                path,
                f"{segments[index]!r} appears twice in the path {cell!r}: a code cannot be its own ancestor",
                line=line,
                field="path",
            )
    return segments


def _csv_colour(cell: str, line: int, path: str) -> str | None:
    if not cell:
        return None
    try:
        return parse_colour(cell)
    except ValueError as err:
        raise InputError(path, str(err), line=line, field="colour") from None


def _csv_tree(records: list[_CsvRecord], path: str) -> list[Code]:
    """Hang each code under its parent's row, wherever that row is in the file; siblings keep file order."""
    by_path: dict[tuple[str, ...], _CsvRecord] = {}
    for record in records:
        key = tuple(segment.casefold() for segment in record.segments)
        first = by_path.setdefault(key, record)
        if first is not record:
            raise InputError(
                path,
                f"the path {'/'.join(record.segments)!r} is given twice, on line {first.line} "
                f"and line {record.line}",
                line=record.line,
                field="path",
            )
    roots: list[Code] = []
    for key, record in by_path.items():
        parent = by_path.get(key[:-1]) if len(key) > 1 else None
        if len(key) > 1 and parent is None:
            raise InputError(
                path,
                f"the parent {'/'.join(record.segments[:-1])!r} has no row of its own; add one for it",
                line=record.line,
                field="path",
            )
        (parent.code.children if parent else roots).append(record.code)
    return roots


def _check_path_names(codes: list[Code]) -> None:
    """A name holding '/' cannot be written as a path."""
    for _, code in walk_codes(codes):
        if "/" in code.name:
            raise InvalidOperation(
                f"the code name {code.name!r} holds '/', which separates the names in a path"
            )


# --------------------------------------------------------------------------------------------- Markdown


def _markdown_code(code: Code, depth: int) -> list[str]:
    """A heading (## for a theme, ### for a code, ...), the English name, the fields, example and keywords."""
    parts = [f"{'#' * min(depth + 1, 6)} {code.name}", ""]
    if code.name_en:
        parts += [f"*{code.name_en}*", ""]
    for label, value in _labelled_fields(code):
        parts += [f"**{label}:** {value}", ""]
    if code.example:
        parts += ["**Example:**", ""] + [f"> {line}".rstrip() for line in code.example.split("\n")] + [""]
    if code.keywords:
        parts += [f"**Keywords:** {', '.join(code.keywords)}", ""]
    return parts


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _markdown_table(codes: list[Code]) -> list[str]:
    parts = ["## All codes", "", "| Path | Swedish name | English name | Definition |", "|---|---|---|---|"]
    for segments, code in walk_codes(codes):
        cells = ("/".join(segments), code.name, code.name_en or "", code.definition)
        parts.append("| " + " | ".join(_markdown_cell(cell) for cell in cells) + " |")
    return parts


# ------------------------------------------------------------------------------------------------- Word


def _docx_document(codes: list[Code], title: str) -> Any:
    """A Word document: Title, Heading 1 per theme, Heading 2 per code, the fields, a table of all codes."""
    document = new_document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_paragraph(_summary(codes))
    for segments, code in walk_codes(codes):
        _docx_code(document, code, len(segments))
    _docx_table(document, codes)
    return document


def _docx_code(document: Any, code: Code, depth: int) -> None:
    document.add_heading(code.name, level=min(depth, 9))
    if code.name_en:
        document.add_paragraph().add_run(code.name_en).italic = True
    for label, value in _labelled_fields(code):
        _docx_labelled(document, label, value)
    if code.example:
        _docx_labelled(document, "Example", "")
        document.add_paragraph(code.example, style="Quote")
    if code.keywords:
        _docx_labelled(document, "Keywords", ", ".join(code.keywords))


def _docx_labelled(document: Any, label: str, value: str) -> None:
    """A paragraph with a bold label and its text."""
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}:").bold = True
    if value:
        paragraph.add_run(f" {value}")


def _docx_table(document: Any, codes: list[Code]) -> None:
    """A page with a captioned table of every code: path, Swedish name, English name, definition."""
    document.add_page_break()
    document.add_paragraph("Table 1. All codes", style="Caption")
    table = document.add_table(rows=1, cols=4)
    table.style = table_style(document)
    for cell, text in zip(
        table.rows[0].cells, ("Path", "Swedish name", "English name", "Definition"), strict=True
    ):
        cell.paragraphs[0].add_run(text).bold = True
    repeat_header_row(table.rows[0])
    for segments, code in walk_codes(codes):
        texts = ("/".join(segments), code.name, code.name_en or "", code.definition)
        for cell, text in zip(table.add_row().cells, texts, strict=True):
            cell.text = text


def _docx_bytes(codes: list[Code], title: str) -> bytes:
    out = io.BytesIO()
    _docx_document(codes, title).save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------ dispatching


def _qdc_parse(text: str, path: str) -> tuple[list[Code], list[str]]:
    from ppss_qual.refi.codebook import parse_qdc_codebook  # lxml loads only for .qdc

    return parse_qdc_codebook(text, path)


def _qdc_bytes(codes: list[Code], title: str) -> bytes:
    from ppss_qual.refi.codebook import qdc_bytes  # validated against Codebook.xsd before it is returned

    return qdc_bytes(codes, title)


_PARSERS: dict[str, Callable[[str, str], tuple[list[Code], list[str]]]] = {
    ".yaml": parse_yaml_codebook,
    ".yml": parse_yaml_codebook,
    ".csv": parse_csv_codebook,
    ".qdc": _qdc_parse,
}


def _yaml_bytes(codes: list[Code], title: str) -> bytes:
    return dump_yaml_codebook(codes).encode("utf-8")


def _csv_bytes(codes: list[Code], title: str) -> bytes:
    """UTF-8 with a BOM, so that Excel shows åäö right."""
    return dump_csv_codebook(codes).encode("utf-8-sig")


def _markdown_bytes(codes: list[Code], title: str) -> bytes:
    return dump_markdown_codebook(codes, title=title).encode("utf-8")


_WRITERS: dict[str, Callable[[list[Code], str], bytes]] = {
    ".yaml": _yaml_bytes,
    ".yml": _yaml_bytes,
    ".csv": _csv_bytes,
    ".md": _markdown_bytes,
    ".docx": _docx_bytes,
    ".qdc": _qdc_bytes,
}
