"""Small display preferences that outlive a session: column widths per catalog, the theme.

Kept in one JSON file in the user's state folder (never beside the catalog, which negotrack
never writes). A missing or unreadable file means defaults; a failed write is not an error
the user can act on, so it is dropped silently after one attempt.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any


def prefs_path() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("negotrack")) / "prefs.json"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(prefs_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, Any]) -> None:
    path = prefs_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


def _key(catalog_path: str) -> str:
    return hashlib.sha1(os.path.abspath(catalog_path).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def load_widths(catalog_path: str) -> tuple[tuple[str, int], ...]:
    """The column widths the user chose for this catalog, as (column key, width) pairs."""
    stored = _read().get("widths", {}).get(_key(catalog_path), {})
    if not isinstance(stored, dict):
        return ()
    return tuple((k, v) for k, v in stored.items() if isinstance(k, str) and type(v) is int and 0 < v < 1000)


def save_widths(catalog_path: str, widths: tuple[tuple[str, int], ...]) -> None:
    data = _read()
    table = data.get("widths") if isinstance(data.get("widths"), dict) else {}
    table[_key(catalog_path)] = dict(widths)
    data["widths"] = table
    _write(data)


def load_theme() -> str | None:
    theme = _read().get("theme")
    return theme if isinstance(theme, str) else None


def save_theme(theme: str) -> None:
    data = _read()
    data["theme"] = theme
    _write(data)
