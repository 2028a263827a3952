"""Codebook files: read and write code trees as YAML, CSV, Markdown and Word."""

from ppss_qual.codebook.format import (
    COLOUR_NAMES,
    READ_SUFFIXES,
    WRITE_SUFFIXES,
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

__all__ = [
    "COLOUR_NAMES",
    "READ_SUFFIXES",
    "WRITE_SUFFIXES",
    "dump_csv_codebook",
    "dump_markdown_codebook",
    "dump_yaml_codebook",
    "parse_colour",
    "parse_csv_codebook",
    "parse_yaml_codebook",
    "read_codebook",
    "walk_codes",
    "write_codebook",
]
