"""The matrix's scrollbars: textual's own, drawn again only when what they show changes."""

from __future__ import annotations

from collections.abc import Hashable

from rich.color import Color
from rich.segment import Segments
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip


class SteadyScrollBar(ScrollBar):
    """textual's ScrollBar, which keeps the lines it drew while they would come out the same.

    A round switch sets the matrix's scroll range (rounds differ in how many lines their rows
    take), and textual then draws both scrollbars again: 2.9 ms of a 16 ms switch at L
    (160x50), though in three switches of four the thumb covers the same eighths of a cell as
    before. The lines are keyed by the bar's segments, as textual's `ScrollBarRender` makes
    them from the same arguments, and by everything else textual's styles cache reads to draw
    them (size, colours, opacity, line filters, ANSI theme, and the app's CSS generation, which
    a theme change moves on). Any other renderer than textual's is drawn every time.
    """

    _drawn: tuple[Hashable, Region, list[Strip]] | None = None

    def _look(self) -> Hashable | None:
        bar = self.render()
        if type(bar) is not ScrollBarRender or not isinstance(bar.style, Hashable):
            return None
        width, height = self.size
        size, thickness = (height, width) if self.vertical else (width, height)
        style = self.app.console.get_style(bar.style)
        segments = bar.render_bar(
            size=size, window_size=bar.window_size, virtual_size=bar.virtual_size, position=bar.position,
            vertical=bar.vertical, thickness=thickness,
            back_color=style.bgcolor or Color.parse("#555555"), bar_color=style.color or Color.parse("bright_magenta"),
        )
        if not isinstance(segments, Segments):
            return None
        app = self.app
        return (tuple(segments.segments), segments.new_lines, self.size, self.background_colors, self.opacity,
                tuple(map(id, self.get_line_filters())), id(app.ansi_theme), app.native_ansi_color,
                getattr(app, "_css_update_count", None))

    def render_lines(self, crop: Region) -> list[Strip]:
        look = self._look()
        drawn = self._drawn
        if look is not None and drawn is not None and drawn[0] == look and drawn[1] == crop:
            return list(drawn[2])
        lines = super().render_lines(crop)
        self._drawn = (look, crop, list(lines)) if look is not None else None
        return lines


class SteadyScrollBars:
    """For a widget class, before textual's Widget in its bases: its scrollbars are
    SteadyScrollBars. textual's own properties, with the class they create changed."""

    def _steady_bar(self, vertical: bool) -> ScrollBar:
        attribute = "_vertical_scrollbar" if vertical else "_horizontal_scrollbar"
        bar = getattr(self, attribute)
        if bar is None:
            bar = SteadyScrollBar(vertical=vertical, name="vertical" if vertical else "horizontal",
                                  thickness=self.scrollbar_size_vertical if vertical else self.scrollbar_size_horizontal)
            setattr(self, attribute, bar)
            bar.display = False
            self.app._start_widget(self, bar)
        return bar

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return self._steady_bar(True)

    @property
    def horizontal_scrollbar(self) -> ScrollBar:
        return self._steady_bar(False)
