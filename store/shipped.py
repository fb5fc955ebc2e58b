"""Files negotrack installs beside its code: the catalog schema and the documentation pages.

pyproject ships the repository's schema/ and docs/ folders as the data packages
negotrack.schema and negotrack.docs, so an installed negotrack/ holds store/, schema/ and docs/
side by side, exactly as a source checkout (and an editable install) does. One copy of each
file, found the same way in both.
"""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = "negotrack.schema.json"


EXPORT_SCHEMA_FILE = "export.schema.json"


def schema_path(*, export: bool = False) -> Path:
    """The installed JSON Schema of the catalog format (the file editors are pointed at), or
    with `export` the one of `negotrack export --format json`."""
    return _ROOT / "schema" / (EXPORT_SCHEMA_FILE if export else SCHEMA_FILE)


def doc_topics() -> dict[str, Path]:
    """Topic name -> installed documentation page (`format` -> docs/format.md), sorted."""
    return {page.stem: page for page in sorted((_ROOT / "docs").glob("*.md"))}
