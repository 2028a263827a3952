"""Codebook files: read and write code trees as YAML, CSV, Markdown and Word (loaded on first use)."""

from __future__ import annotations

from typing import Any

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


def __getattr__(name: str) -> Any:
    # The formats pull in PyYAML and regexes that commands listing transcripts never need.
    if name in __all__:
        from ppss_qual.codebook import format as _format

        return getattr(_format, name)
    raise AttributeError(name)
