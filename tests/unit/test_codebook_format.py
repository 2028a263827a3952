"""Tests of the codebook file formats: YAML, CSV, Markdown and Word, and the PPSS starting codebook."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from ppss_qual.codebook import (
    dump_csv_codebook,
    dump_markdown_codebook,
    dump_yaml_codebook,
    parse_colour,
    parse_csv_codebook,
    parse_yaml_codebook,
    read_codebook,
    walk_codes,
    write_codebook,
)
from ppss_qual.errors import EncodingProblem, InputError, InvalidOperation, UnsupportedFormat
from ppss_qual.model import Code

ROOT = Path(__file__).resolve().parents[2]
PPSS = ROOT / "codebooks" / "ppss.yaml"
DATA = ROOT / "tests" / "data" / "codebooks"


def without_lines(codes: list[Code]) -> list[Code]:
    """The tree with `line` cleared, to compare what two files mean rather than where they said it."""
    return [dataclasses.replace(code, line=None, children=without_lines(code.children)) for code in codes]


def assert_names_place(err: InputError, path: Path | str, line: int, field: str) -> None:
    assert (err.path, err.line, err.field) == (str(path), line, field)
    assert str(err).startswith(f"{path}:{line}: {field}: ")


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_codebook(path)
    return caught.value


# ------------------------------------------------------------------------------- the PPSS codebook


@pytest.fixture(scope="module")
def ppss() -> list[Code]:
    codes, warnings = read_codebook(PPSS)
    assert warnings == []
    return codes


def test_ppss_has_six_to_eight_themes_and_28_to_34_codes(ppss: list[Code]) -> None:
    codes = [code for theme in ppss for _, code in walk_codes(theme.children)]
    assert 6 <= len(ppss) <= 8
    assert 28 <= len(codes) <= 34
    assert all(theme.children for theme in ppss)


def test_every_ppss_code_is_complete(ppss: list[Code]) -> None:
    for _, code in walk_codes(ppss):
        assert code.name and code.name_en and code.definition, code.name
        assert code.inclusion and code.exclusion and code.example, code.name
        assert re.fullmatch(r"#[0-9A-F]{6}", code.colour or ""), code.name
        assert 2 <= len(code.keywords) <= 6, code.name
        assert all(word == word.lower() for word in code.keywords), code.name
        assert 1 <= code.definition.count(".") <= 3, code.name


def test_ppss_names_are_unique_in_both_languages(ppss: list[Code]) -> None:
    codes = [code for _, code in walk_codes(ppss)]
    assert len({code.name.casefold() for code in codes}) == len(codes)
    assert len({(code.name_en or "").casefold() for code in codes}) == len(codes)


def test_ppss_holds_the_required_themes_and_codes(ppss: list[Code]) -> None:
    by_name = {code.name: (segments, code) for segments, code in walk_codes(ppss)}
    assert by_name["Att bli lyssnad på"][0] == ("Barnets röst", "Att bli lyssnad på")
    assert by_name["Att bli lyssnad på"][1].name_en == "Being listened to"
    assert by_name["Kontinuitet"][1].name_en == "Continuity"
    themes = {theme.name for theme in ppss}
    assert {"Samverkan", "Kontinuitet", "Barnets röst", "Skolan", "Hälsa", "Tvärgående"} <= themes
    required = ("Personalomsättning", "Sekretess och informationsdelning", "Frånvaro", "Hinder", "Förslag")
    assert all(name in by_name for name in required)


def test_ppss_codes_are_shades_of_their_theme(ppss: list[Code]) -> None:
    for theme in ppss:
        colours = {theme.colour} | {code.colour for code in theme.children}
        assert len(colours) == len(theme.children) + 1, theme.name


# ------------------------------------------------------------------------------------------ YAML


def test_small_yaml_reads_every_field() -> None:
    codes, warnings = read_codebook(DATA / "small.yaml")
    assert warnings == []
    voice, school = codes
    assert (voice.name, voice.name_en, voice.colour, voice.line) == (
        "Barnets röst",
        "The child's voice",
        "#008080",
        8,
    )
    heard = voice.children[0]
    assert heard.definition == "Att vuxna lyssnar på barnet.\nOch tar det på allvar."
    assert heard.inclusion == "Barnet berättar om samtal där det blev hört."
    assert heard.exclusion == "Beslut där barnet påverkar; koda då Delaktighet."
    assert heard.example == "Hon lyssnade på riktigt."
    assert (heard.colour, heard.keywords, heard.line) == ("#EE88AA", ["lyssna", "höra"], 13)
    assert heard.children[0].colour == "#C0392B"
    assert school.keywords == ["skola", "lärare"] and school.children == []


def test_yaml_round_trip_keeps_every_field_and_the_tree(ppss: list[Code]) -> None:
    small, _ = read_codebook(DATA / "small.yaml")
    for codes in (ppss, small):
        again, warnings = parse_yaml_codebook(dump_yaml_codebook(codes), "again.yaml")
        assert warnings == []
        assert without_lines(again) == without_lines(codes)


def test_yaml_dump_is_block_style_in_a_fixed_order_with_empty_fields_left_out() -> None:
    code = Code("Tillit", "Trust", definition="Förtroende.", colour="#AABBCC", keywords=["lita"])
    text = dump_yaml_codebook(
        [Code("Barnets röst", children=[code])], meta={"name": "Test", "language": "sv"}
    )
    assert "Barnets röst" in text and "\\u" not in text
    assert "[" not in text and "{" not in text
    assert text.index("codebook:") < text.index("codes:")
    keys = re.findall(r"^\s*-?\s*(\w+):", text.split("codes:", 1)[1], flags=re.M)
    assert keys == ["name", "codes", "name", "name_en", "definition", "colour", "keywords"]
    assert 'colour: "#AABBCC"' in text


def test_yaml_dump_keeps_text_with_line_breaks_as_a_block() -> None:
    code = Code("Tillit", definition="Rad ett.\nRad två.")
    text = dump_yaml_codebook([code])
    assert "definition: |-\n" in text
    assert parse_yaml_codebook(text, "x.yaml")[0][0].definition == "Rad ett.\nRad två."


def test_unknown_field_warns_and_reading_goes_on() -> None:
    path = DATA / "unknown_field.yaml"
    codes, warnings = read_codebook(path)
    assert [code.name for _, code in walk_codes(codes)] == ["Skolan", "Frånvaro"]
    assert codes[0].colour is None
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}:4: color: unknown field")
    assert "did you mean 'colour'" in warnings[0]


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("bad_syntax.yaml", 4, "use_when", "not valid YAML"),
        ("no_name.yaml", 4, "name", "no name"),
        ("duplicate_name.yaml", 8, "name", "line 4 and line 8"),
        ("duplicate_name_en.yaml", 5, "name_en", "line 3 and line 5"),
        ("bad_colour.yaml", 5, "colour", "'#12345' is not a colour"),
        ("keywords_not_list.yaml", 5, "keywords", "must be a list"),
    ],
)
def test_yaml_errors_name_the_file_line_and_field(name: str, line: int, field: str, words: str) -> None:
    err = error_of(DATA / name)
    assert_names_place(err, DATA / name, line, field)
    assert words in str(err)


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ('codes:\n  - name: A\n    definition: "open\n    colour: red\n', 3, "definition", "quoted scalar"),
        ("codes:\n  - name: A\n\tname_en: B\n", 3, "name_en", "not valid YAML"),
        ("codes:\n  - name: A\n    colour: #FF0000\n", 3, "colour", "in quotes"),
        ("codes:\n  - name: A\n    colour: rgb(1,2,3)\n", 3, "colour", "not a colour"),
        ("codes:\n  - name: A\n    colour: '#GGHHII'\n", 3, "colour", "not a colour"),
        ("codes:\n  - name: A\n    name: B\n", 3, "name", "given twice, on line 2 and line 3"),
        ("codes:\n  - name: A/B\n", 2, "name", "'/'"),
        ("codes:\n  - name: ''\n", 2, "name", "no name"),
        ("codes:\n  - name: A\n    definition: [a, b]\n", 3, "definition", "must be text, not a list"),
        ("codes:\n  - name: A\n    codes: B\n", 3, "codes", "must be a list of codes"),
        ("codes:\n  - name: A\n    keywords: {a: b}\n", 3, "keywords", "must be a list"),
        ("codes:\n  - name: A\n  - [B]\n", 3, "codes", "must be a mapping"),
        ("codes:\n  - &a {name: A}\n  - *a\n", 2, "codes", "alias"),
        ("codebook: Kodbok\ncodes: []\n", 1, "codebook", "must be a mapping"),
        ("codebook:\n  name: K\n", 1, "codes", "no 'codes:'"),
        ("", 1, "codes", "empty"),
    ],
)
def test_yaml_error_cases(text: str, line: int, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml_codebook(text, "kodbok.yaml")
    assert_names_place(caught.value, "kodbok.yaml", line, field)
    assert words in str(caught.value)


def test_a_swedish_name_that_is_another_codes_english_name_only_warns() -> None:
    text = "codes:\n  - name: Hinder\n  - name: Obstacle\n    name_en: hinder\n"
    codes, warnings = parse_yaml_codebook(text, "k.yaml")
    assert len(codes) == 2
    assert warnings == ["k.yaml:2: name: 'Hinder' is also the English name of the code on line 3"]


def test_a_code_may_have_the_same_name_in_both_languages() -> None:
    codes, warnings = parse_yaml_codebook("codes:\n  - name: Feedback\n    name_en: Feedback\n", "k.yaml")
    assert codes[0].name_en == "Feedback" and warnings == []


def test_a_bare_list_and_bare_names_are_read_as_codes() -> None:
    codes, _ = parse_yaml_codebook("- name: Skolan\n  codes:\n    - Frånvaro\n    - Betyg\n", "k.yaml")
    assert [code.name for _, code in walk_codes(codes)] == ["Skolan", "Frånvaro", "Betyg"]
    assert codes[0].children[1].line == 4


def test_decomposed_characters_are_composed() -> None:
    codes, _ = parse_yaml_codebook("codes:\n  - name: Ha\u0308lsa\n", "k.yaml")
    assert codes[0].name == "Hälsa"


# ------------------------------------------------------------------------------------------- CSV


def test_small_csv_reads_every_field_whatever_the_row_order() -> None:
    codes, warnings = read_codebook(DATA / "small.csv")
    assert warnings == []
    assert [code.name for code in codes] == ["Barnets röst", "Skolan"]
    voice = codes[0]
    assert (voice.line, voice.definition, voice.colour) == (
        3,
        "Barnets egna erfarenheter;\nåsikter.",
        "#008080",
    )
    heard = voice.children[0]
    assert (heard.name, heard.name_en, heard.line) == ("Att bli lyssnad på", "Being listened to", 2)
    assert (heard.inclusion, heard.exclusion) == ("Barnet berättar.", "")
    assert heard.example == 'Hon sa: "jag hör dig".'
    assert (heard.colour, heard.keywords) == ("#EE88AA", ["lyssna", "höra"])
    assert codes[1].line == 5 and codes[1].keywords == ["skola"]


def test_windows_1252_csv_reads_swedish_letters_right() -> None:
    codes, warnings = read_codebook(DATA / "cp1252.csv")
    assert warnings == []
    parents = codes[0]
    assert parents.name == "Föräldrar och vårdnadshavare"
    home = parents.children[0]
    assert (home.name, home.definition) == ("Hemmet som arena", "Stöd i hemmet, på morgonen")
    assert home.keywords == ["hem", "hembesök"]


def test_csv_round_trip_keeps_every_field_and_the_tree(ppss: list[Code]) -> None:
    small, _ = read_codebook(DATA / "small.yaml")
    for codes in (ppss, small):
        again, warnings = parse_csv_codebook(dump_csv_codebook(codes), "again.csv")
        assert warnings == []
        assert without_lines(again) == without_lines(codes)


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("orphan.csv", 4, "path", "parent 'Hälsa' has no row"),
        ("cycle.csv", 4, "path", "own ancestor"),
        ("bad_colour.csv", 3, "colour", "'blåaktig' is not a colour"),
    ],
)
def test_csv_errors_name_the_file_line_and_column(name: str, line: int, field: str, words: str) -> None:
    err = error_of(DATA / name)
    assert_names_place(err, DATA / name, line, field)
    assert words in str(err)


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("name,name_en\nSkolan,School\n", 1, "path", "no 'path' column"),
        ("path,name_en\nSkolan,School\nSkolan//Frånvaro,Absence\n", 3, "path", "empty part"),
        ("path,name_en\nSkolan,School\n,Absence\n", 3, "path", "empty path"),
        ("path\nSkolan\nHälsa\nskolan\n", 4, "path", "given twice, on line 2 and line 4"),
        ("path\nSkolan\nHälsa\nHälsa/Skolan\n", 4, "path", "used twice, on line 2 and line 4"),
        ("path,name_en\nSkolan,School\nHälsa,school\n", 3, "name_en", "used twice"),
        ('path,definition\nSkolan,"a\nb"\nHälsa,x\nHälsa/Skolan,y\n', 5, "path", "line 2 and line 5"),
        ("path,path\nSkolan,Skolan\n", 1, "path", "given twice"),
        ("", 1, "path", "empty"),
    ],
)
def test_csv_error_cases(text: str, line: int, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_csv_codebook(text, "kodbok.csv")
    assert_names_place(caught.value, "kodbok.csv", line, field)
    assert words in str(caught.value)


def test_csv_unknown_column_and_extra_cells_warn_and_reading_goes_on() -> None:
    codes, warnings = parse_csv_codebook("path,colour,färg\nSkolan,red,blå,extra\n", "k.csv")
    assert codes[0].colour == "#FF0000"
    assert warnings[0].startswith("k.csv:1: färg: unknown column")
    assert warnings[1].startswith("k.csv:2: more cells")


def test_csv_sniffs_comma_semicolon_and_tab() -> None:
    for delimiter in (",", ";", "\t"):
        text = delimiter.join(["path", "name_en", "keywords"]) + "\nSkolan" + delimiter + "School" + delimiter
        codes, _ = parse_csv_codebook(text + '"skola; lärare"\n', "k.csv")
        assert (codes[0].name_en, codes[0].keywords) == ("School", ["skola", "lärare"])


# ------------------------------------------------------------------------------- files and colours


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".csv"])
def test_files_written_read_back(tmp_path: Path, ppss: list[Code], suffix: str) -> None:
    path = tmp_path / f"kodbok{suffix}"
    write_codebook(ppss, path)
    codes, warnings = read_codebook(path)
    assert warnings == [] and without_lines(codes) == without_lines(ppss)


def test_written_csv_has_a_bom_for_excel(tmp_path: Path, ppss: list[Code]) -> None:
    write_codebook(ppss, tmp_path / "k.csv")
    assert (tmp_path / "k.csv").read_bytes().startswith(b"\xef\xbb\xbfpath,")


def test_unsupported_extensions(tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text("codes")
    with pytest.raises(UnsupportedFormat, match="k.txt"):
        read_codebook(tmp_path / "k.txt")
    with pytest.raises(UnsupportedFormat, match=r"\.txt"):
        write_codebook([Code("A")], tmp_path / "k.txt")


def test_missing_file_and_bad_bytes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_codebook(tmp_path / "saknas.yaml")
    (tmp_path / "binär.csv").write_bytes(b"path\x00\x01")
    with pytest.raises(InputError, match="not a text file"):
        read_codebook(tmp_path / "binär.csv")
    (tmp_path / "trasig.csv").write_bytes(b"path\nSkolan\n\x81\n")
    with pytest.raises(EncodingProblem) as caught:
        read_codebook(tmp_path / "trasig.csv")
    assert caught.value.line == 3


def test_a_name_with_a_slash_is_not_written() -> None:
    with pytest.raises(InvalidOperation):
        dump_csv_codebook([Code("Föräldrar/Vårdnadshavare")])


@pytest.mark.parametrize(
    ("value", "colour"),
    [("#abc", "#AABBCC"), ("#c0392b", "#C0392B"), (" Teal ", "#008080"), ("grey", "#808080")],
)
def test_colours_are_normalised(value: str, colour: str) -> None:
    assert parse_colour(value) == colour


@pytest.mark.parametrize("value", ["#abcd", "abc123", "rgb(0,0,0)", "blåaktig", "", "#GGG"])
def test_what_is_not_a_colour_is_rejected(value: str) -> None:
    with pytest.raises(ValueError, match="not a colour"):
        parse_colour(value)


# ---------------------------------------------------------------------------------- Markdown and Word


def test_markdown_has_a_heading_per_theme_and_code_and_the_fields(ppss: list[Code]) -> None:
    text = dump_markdown_codebook(ppss, title="PPSS")
    assert text.startswith("# PPSS\n")
    for theme in ppss:
        assert f"\n## {theme.name}\n" in text
        for code in theme.children:
            assert f"\n### {code.name}\n" in text
    total = len(list(walk_codes(ppss)))
    for label in (
        "**Definition:**",
        "**When to use:**",
        "**When not to use:**",
        "**Example:**",
        "**Keywords:**",
    ):
        assert text.count(label) == total
    assert "\n*Being listened to*\n" in text
    assert "| Barnets röst/Att bli lyssnad på | Att bli lyssnad på | Being listened to |" in text


def test_markdown_file_of_a_sub_code(tmp_path: Path) -> None:
    codes, _ = read_codebook(DATA / "small.yaml")
    write_codebook(codes, tmp_path / "k.md")
    text = (tmp_path / "k.md").read_text(encoding="utf-8")
    assert "\n#### Att inte bli trodd\n" in text
    assert "> Hon lyssnade på riktigt." in text


def test_docx_has_heading_styles_and_a_table_of_all_codes(tmp_path: Path, ppss: list[Code]) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "kodbok.docx"
    write_codebook(ppss, path, title="PPSS kodbok")
    document = docx.Document(str(path))
    headings: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        headings.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert headings["Title"] == ["PPSS kodbok"]
    assert headings["Heading 1"] == [theme.name for theme in ppss]
    assert headings["Heading 2"] == [code.name for theme in ppss for code in theme.children]
    total = len(list(walk_codes(ppss)))
    assert len(headings["Quote"]) == total
    assert "Table 1. All codes" in headings["Caption"]
    (table,) = document.tables
    assert table.style.name in ("Light Grid Accent 1", "Table Grid")
    assert [cell.text for cell in table.rows[0].cells] == [
        "Path",
        "Swedish name",
        "English name",
        "Definition",
    ]
    assert len(table.rows) == 1 + total
    row = next(row for row in table.rows if row.cells[1].text == "Att bli lyssnad på")
    assert [cell.text for cell in row.cells[:3]] == [
        "Barnets röst/Att bli lyssnad på",
        "Att bli lyssnad på",
        "Being listened to",
    ]
