"""The suite passes whatever the user's shell says about colour and terminals.

tests/conftest.py pins what the tests need; this runs a small part of the suite (a snapshot, the
CLI's problem lines, the diff's plain output) in a child pytest started from a shell that says
everything a user's or a CI system's shell may say.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = {
    "NO_COLOR": "1",
    "FORCE_COLOR": "1",
    "TERM": "dumb",
    "COLORTERM": "truecolor",
    "COLUMNS": "40",
    "LINES": "10",
    "CI": "true",
    "TTY_COMPATIBLE": "0",
    "TEXTUAL_ANIMATIONS": "none",
    "TEXTUAL_THEME": "nord",
    "TEXTUAL_DIM_FACTOR": "10",
    "TEXTUAL_COLOR_SYSTEM": "standard",
    "TEXTUAL_FPS": "5",
}

SAMPLE = [
    "tests/test_snapshots.py::test_main_screen[size0]",
    "tests/test_cli_validate.py::test_file_with_problems_exits_1_and_prints_each_problem",
    "tests/test_diff.py::test_changes_are_listed_with_lines_on_both_sides",
]


def pytest_in(root: Path, extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "TEXTUAL_"))}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, *SAMPLE],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_sample_of_the_suite_passes_in_a_hostile_shell(tmp_path: Path) -> None:
    """Run on a copy of the tests whose snapshot is first retaken in a plain shell, so this
    checks the environment alone: a snapshot left stale by a change to the screen fails in
    test_snapshots.py, and the repository's snapshots are never rewritten."""
    root = tmp_path / "root"
    shutil.copytree(ROOT / "tests", root / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root)
    plain = pytest_in(root, {}, "--snapshot-update")
    assert plain.returncode == 0, plain.stdout[-3000:] + plain.stderr[-2000:]
    hostile = pytest_in(root, HOSTILE)
    assert hostile.returncode == 0, hostile.stdout[-3000:] + hostile.stderr[-2000:]
    assert f"{len(SAMPLE)} passed" in hostile.stdout
