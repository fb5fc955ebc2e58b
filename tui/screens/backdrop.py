"""The dimmed dashboard behind a dialog or the command palette, tinted once per style instead of
once per piece of text.

A modal screen with a translucent background (textual's ModalScreen and CommandPalette: 60 % of
the theme's background) draws the screen under it through textual's `BackgroundScreen`, which
converts and blends two colours for every segment of that screen, on every render of the
modal: 6-7 ms for a 160x50 dashboard (about 740 segments), once or twice per opening. The
dashboard has a few dozen distinct styles, so `Backdrop` works out each style's tint once
(`tinted`) and looks it up after: the same segments, in 3-4 ms. (The help and the other
reading screens of 90 % sit on a plain margin instead: tui/negotrack.tcss.)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.command import CommandPalette
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, ScreenResultType

_NULL = Style()


@lru_cache(maxsize=4096)
def tinted(style: Style | None, color: Color) -> Style:
    """`style` under `color`, as textual's BackgroundScreen.process_segments tints it: its
    links and meta dropped, its colours blended with `color` (none blended if `color` is fully
    transparent)."""
    style = _NULL if style is None else style.clear_meta_and_links()
    if color.a == 0:
        return style
    return style + Style.from_color(
        (Color.from_rich_color(style.color) + color).rich_color if style.color is not None else None,
        (Color.from_rich_color(style.bgcolor) + color).rich_color if style.bgcolor is not None else None,
    )


def tint(segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
    for segment in segments:
        text, style, control = segment
        yield segment if control else Segment(text, tinted(style, color), control)


class Backdrop(BackgroundScreen):
    """textual's BackgroundScreen, tinting through `tinted`'s memo."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return tint(console.render(self.screen._compositor, options), self.color)


class DimmedBackdrop:
    """For a modal Screen class: textual decides whether the screen under it shows through (a
    translucent background) and `Backdrop` draws it."""

    def render(self):  # noqa: ANN201 - what Screen.render returns
        rendered = super().render()  # type: ignore[misc]
        if type(rendered) is BackgroundScreen:
            return Backdrop(rendered.screen, rendered.color)
        return rendered


class Modal(DimmedBackdrop, ModalScreen[ScreenResultType]):
    """textual's ModalScreen over a `Backdrop`: the base of the dashboard's modal screens."""


class Palette(DimmedBackdrop, CommandPalette):
    """textual's command palette over a `Backdrop` (NegotrackApp.action_command_palette)."""
