"""Opening the user's editor at a line of the catalog ($VISUAL, then $EDITOR)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from textual.app import App, SuspendNotSupported

from negotrack.store.text import one_line

#: editors that take `+LINE FILE`
PLUS_LINE = {"vi", "vim", "nvim", "gvim", "nano", "emacs", "emacsclient", "micro", "kak", "hx", "helix", "joe", "ne", "mg", "pico"}
#: editors that take `-g FILE:LINE`
GOTO_FLAG = {"code", "code-insiders", "codium", "cursor", "subl", "zed"}


def editor_command(path: str, line: int) -> list[str] | None:
    """The editor from $VISUAL or $EDITOR, opened at `line` where the editor supports it.

    None when neither is set; ValueError when the variable cannot be split like a shell would.
    """
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not raw:
        return None
    words = shlex.split(raw)
    if not words:
        return None
    name = Path(words[0]).name
    if name in GOTO_FLAG:
        return [*words, "-g", f"{path}:{line}"]
    if name in PLUS_LINE:
        return [*words, f"+{line}", path]
    return [*words, path]


def open_editor(app: App, path: str, line: int) -> str | None:
    """Run the editor with the app suspended; an explanation for the user if it could not run."""
    try:
        command = editor_command(path, line)
    except ValueError as exc:
        return f"$VISUAL/$EDITOR cannot be read ({exc}); fix its quotes"
    if command is None:
        return "Set $VISUAL or $EDITOR to edit the catalog from here."
    try:
        try:
            with app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:  # headless (tests, textual-web): run it detached from us
            subprocess.run(command, check=False, stdin=subprocess.DEVNULL, capture_output=True)
    except OSError as exc:
        return f"Could not run the editor {one_line(command[0], 80)}: {one_line(str(exc.strerror or exc), 120)}"
    return None
