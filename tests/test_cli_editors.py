"""Editors and a pip-installed user: the schema and the docs are installed files, and
`negotrack init` points new catalogs at them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from negotrack.store.schema import schema_text
from negotrack.store.shipped import schema_path
from negotrack.tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
MODELINE = "# yaml-language-server: $schema="


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def uri_path(uri: str) -> Path:
    parsed = urlparse(uri)
    assert parsed.scheme == "file", uri
    return Path(unquote(parsed.path))


def test_schema_path_names_the_installed_schema(capsys) -> None:
    status, out, _ = run(capsys, "schema", "--path")
    assert status == 0
    path = Path(out.strip())
    assert path.is_absolute() and path == schema_path()
    assert path.read_text(encoding="utf-8") == schema_text()
    status, out, _ = run(capsys, "schema", "--path", "--export")
    assert status == 0
    assert Path(out.strip()).read_text(encoding="utf-8") == run(capsys, "schema", "--export")[1]


def test_init_points_the_new_catalog_at_the_installed_schema_and_docs(tmp_path: Path, capsys) -> None:
    catalog = tmp_path / "positions.yaml"
    status, out, _ = run(capsys, "init", catalog)
    assert status == 0
    assert "negotrack docs format" in out
    first, *rest = catalog.read_text(encoding="utf-8").splitlines()
    assert first.startswith(MODELINE)
    schema = uri_path(first.removeprefix(MODELINE))
    assert schema == schema_path() and json.loads(schema.read_text(encoding="utf-8"))["title"]
    assert any("negotrack docs format" in line for line in rest[:5])
    assert not any("docs/format.md" in line for line in rest), "a pip-installed user has no docs/ folder"


def test_docs_prints_the_format_page(capsys) -> None:
    status, out, _ = run(capsys, "docs", "format")
    assert status == 0
    assert out == (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def test_docs_lists_the_pages_and_rejects_an_unknown_one(capsys) -> None:
    status, out, _ = run(capsys, "docs")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
    with pytest.raises(SystemExit) as exc:
        main(["docs", "nonsense"])
    assert exc.value.code == 2
    assert "format" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["docs", "format"], ["schema", "--path"], ["init", "{tmp}/new.yaml"]])
def test_these_commands_do_not_load_textual(argv: list[str], tmp_path: Path) -> None:
    args = [a.format(tmp=tmp_path) for a in argv]
    code = f"import sys; from negotrack.tui.cli import main; main({args!r}); print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_an_installed_negotrack_has_its_schema_and_docs(tmp_path: Path) -> None:
    """Build the package as pip would (setuptools' build_py from pyproject) and use the result."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    for folder in ("store", "tui", "schema", "docs"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    lib = tmp_path / "lib"
    build = (
        "import warnings; warnings.simplefilter('ignore')\n"
        "from setuptools.dist import Distribution\n"
        "from setuptools.config.pyprojecttoml import apply_configuration\n"
        "dist = apply_configuration(Distribution({'script_name': 'setup.py'}), 'pyproject.toml')\n"
        f"dist.get_command_obj('build_py').build_lib = {str(lib)!r}\n"
        "dist.run_command('build_py')\n"
    )
    subprocess.run([sys.executable, "-c", build], cwd=source, capture_output=True, check=True, timeout=120)
    # the built tree comes first on the path, ahead of the editable install of this checkout
    env = {**os.environ, "PYTHONPATH": str(lib)}

    def negotrack(*argv: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "negotrack.tui.cli", *argv], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    installed = Path(negotrack("schema", "--path").strip())
    assert installed.is_relative_to(lib) and installed.read_text(encoding="utf-8") == schema_text()
    assert negotrack("docs", "format") == (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    negotrack("init", "new.yaml")
    first = (tmp_path / "new.yaml").read_text(encoding="utf-8").partition("\n")[0]
    assert uri_path(first.removeprefix(MODELINE)) == installed
