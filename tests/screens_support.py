"""Helpers for the tests of the reading screens (compare, round account, timeline, help).

The screens take an Analysis and ids, so most tests open them in a bare App that only loads a
catalog and carries negotrack's stylesheet: what they check is the screen, whatever the
dashboard around it is doing. Lines are read back as a terminal would show them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.screen import Screen

import negotrack.tui
from negotrack.store.analysis import Analysis, analyze
from negotrack.store.catalog import load_catalog

from support import DATA

ACCOUNTS = DATA / "screens" / "accounts.yaml"


def analysis_of(path: Path = ACCOUNTS) -> Analysis:
    catalog, problems = load_catalog(str(path))
    assert catalog is not None, problems
    return analyze(catalog)


class Host(App[None]):
    """An App that shows one screen over an empty one, with negotrack's stylesheet; what the
    screen is dismissed with is kept in `results`."""

    CSS_PATH = str(Path(negotrack.tui.__file__).parent / "negotrack.tcss")

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self._first = screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self._first, self.results.append)


def screen_lines(app: App) -> list[str]:
    """The lines of the screen on top, as the terminal shows them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def rendered(renderable, width: int) -> list[str]:  # noqa: ANN001 - any rich renderable
    """`renderable` as rich lays it out at `width` (every line, not only those on screen)."""
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False,
                      force_terminal=False, soft_wrap=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().rstrip("\n").split("\n")


def content_lines(widget) -> list[str]:  # noqa: ANN001 - a Static
    """Every line of a Static's content at the width it has on screen."""
    return rendered(widget.content, widget.content_region.width)


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def whole(stance: str, lines: list[str]) -> bool:
    """True when every word of `stance` shows, in order, and nothing was cut with `…`."""
    flat = " ".join(lines)
    at = 0
    for word in words(stance):
        at = flat.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return "…" not in flat
