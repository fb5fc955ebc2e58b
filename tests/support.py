"""Helpers for the pilot tests (imported by test modules; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.message import Message

DATA = Path(__file__).parent / "data"


class Nudge(Message):
    """A message that waits in a queue, as a key on its way does."""


async def until(pilot, predicate, timeout: float = 10.0) -> None:
    """Let the app run until `predicate()` holds; fail with a clear message after `timeout`."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await pilot.pause(0.02)
        await asyncio.sleep(0)


def shown(widget) -> str:
    """The plain text a Static was last given (a Text, a str, or a Group of Texts)."""
    content = widget.content
    parts = getattr(content, "renderables", [content])
    return "\n".join(getattr(part, "plain", str(part)) for part in parts)


def fake_editor(folder: Path) -> tuple[Path, Path]:
    """An executable named like vim (so it is given +LINE) that writes its arguments to a log:
    (the editor, the log it writes)."""
    import stat
    import sys

    log = folder / "editor.log"
    editor = folder / "vim"
    editor.write_text(f"#!{sys.executable}\nimport sys\nopen({str(log)!r}, 'w').write(' '.join(sys.argv[1:]))\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    return editor, log
