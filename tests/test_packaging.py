"""The installed distribution holds every package of the source tree, and store/ stays screen-free."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_source_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    # schema/ and docs/ are shipped as data-only packages: no code, no __init__.py
    data = {name for name, folder in config["package-dir"].items() if not (ROOT / folder / "__init__.py").exists()}
    listed = set(config["packages"]) - data
    found = set()
    for top in ("store", "tui"):
        for init in (ROOT / top).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT).parts
            found.add(".".join(("negotrack", *parts)))
    assert found == listed, f"pyproject lists {sorted(listed)} but the tree has {sorted(found)}"


def test_store_never_imports_textual():
    # every module of the store, found rather than listed, so a new one is checked too
    code = (
        "import importlib, pkgutil, sys, negotrack.store as s\n"
        "names = [m.name for m in pkgutil.walk_packages(s.__path__, 'negotrack.store.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names), 'textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, imported = out.stdout.split()
    assert int(count) > 20 and imported == "False"


def test_validate_does_not_load_textual():
    code = (
        "import sys; from negotrack.tui.cli import main; "
        f"main(['validate', {str(ROOT / 'positions.yaml')!r}]); print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_the_dashboard_module_leaves_the_reader_and_the_history_for_later():
    """The first frame is drawn before anything is read: importing the app does not import
    PyYAML, the event reader or the history (TinyDB); the worker imports them after the frame."""
    later = ("yaml", "negotrack.store.catalog", "negotrack.store.events", "negotrack.store.yamlread",
             "negotrack.store.history", "tinydb")
    code = f"import sys, negotrack.tui.app; print([m for m in {later!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # and `from negotrack.store import load_catalog` still works, importing the reader then
    code = "from negotrack.store import load_catalog, parse_catalog; import sys; print('yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
