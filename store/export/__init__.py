"""Reports of a catalog for sharing and for other tools: CSV, JSON, Markdown and HTML.

Each builder is a pure function `(catalog, analysis) -> str`: no file is read or written
here (the `export` command does that), and nothing here imports textual.
"""

from __future__ import annotations

from typing import Callable

from ..analysis import SHIFT_GLYPHS, TREND_GLYPHS, Analysis, analyze
from ..model import Catalog
from .csvfile import COLUMNS, to_csv
from .htmlpage import to_html
from .jsondoc import EXPORT_FORMAT, EXPORT_VERSION, export_doc, to_json
from .markdown import to_markdown

#: format name -> builder; the order is the one `negotrack export --help` shows.
BUILDERS: dict[str, Callable[[Catalog, Analysis], str]] = {
    "md": to_markdown,
    "csv": to_csv,
    "json": to_json,
    "html": to_html,
}


def export(catalog: Catalog, fmt: str, analysis: Analysis | None = None, *, claims: bool = True) -> str:
    """`catalog` as text in `fmt` (one of BUILDERS); analyses it (with or without claims)
    unless given `analysis`."""
    return BUILDERS[fmt](catalog, analysis if analysis is not None else analyze(catalog, claims=claims))


__all__ = [
    "BUILDERS", "COLUMNS", "EXPORT_FORMAT", "EXPORT_VERSION", "SHIFT_GLYPHS", "TREND_GLYPHS",
    "export", "export_doc", "to_csv", "to_html", "to_json", "to_markdown",
]
