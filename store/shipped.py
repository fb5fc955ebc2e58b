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


def schema_path() -> Path:
    """The installed JSON Schema of the catalog format (the file editors are pointed at)."""
    return _ROOT / "schema" / SCHEMA_FILE


def doc_topics() -> dict[str, Path]:
    """Topic name -> installed documentation page (`format` -> docs/format.md), sorted."""
    return {page.stem: page for page in sorted((_ROOT / "docs").glob("*.md"))}
