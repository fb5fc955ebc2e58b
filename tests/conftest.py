"""Shared fixtures: every test runs with its own data folders, never the user's, and with the same
terminal settings whatever the shell that started pytest says (NO_COLOR, TERM=dumb, ...).
"""

from __future__ import annotations

import os
import sys

import pytest

#: Variables of the user's shell that change what Rich and Textual draw or how wide they think
#: the terminal is. Textual pops NO_COLOR when an App starts and turns the screen monochrome;
#: TERM=dumb and COLORTERM change Rich's colour system; FORCE_COLOR, TTY_* and CI change whether
#: Rich thinks it writes to a terminal; COLUMNS and LINES change its width and argparse's wrapping.
TERMINAL_VARIABLES = (
    "NO_COLOR", "FORCE_COLOR", "COLORTERM", "COLUMNS", "LINES", "CI",
    "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES",
)
#: The terminal the snapshots were taken in.
TERM = "xterm-256color"


def textual_variables() -> list[str]:
    """TEXTUAL_* settings from the environment (the snapshot plugin's own folder excepted)."""
    return [name for name in os.environ if name.startswith("TEXTUAL_") and name != "TEXTUAL_SNAPSHOT_TEMPDIR"]


# Textual reads some settings once, when it is first imported (TEXTUAL_THEME becomes the App's
# default theme, TEXTUAL_DIM_FACTOR the dim colour, TEXTUAL_FPS the refresh period), so a fixture
# is too late for them. The snapshot plugin is loaded here rather than by its entry point
# (pyproject's addopts says `-p no:textual-snapshot`) so that this runs before textual is imported.
for _name in textual_variables():
    del os.environ[_name]

if "pytest_textual_snapshot" not in sys.modules:  # already loaded when addopts was overridden
    pytest_plugins = ["pytest_textual_snapshot"]


@pytest.fixture(autouse=True)
def _pinned_terminal(monkeypatch):
    """The terminal settings the snapshots and the CLI's expected output were made with.

    A test that is about one of these (NO_COLOR, TERM=dumb, FORCE_COLOR) sets it itself.
    """
    for name in (*TERMINAL_VARIABLES, *textual_variables()):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", TERM)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """History databases, crash logs and state go to a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("NEGOTRACK_DB", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
