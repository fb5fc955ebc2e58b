"""Help, generated from the bindings that are active, so it can never fall out of date.

The help scrolls as soon as it opens (its scroll has the focus): arrows, j/k, Home/End, g/G,
PageUp/PageDown. Home and End are also the App's priority keys for the first and last round;
the App must refuse those actions while a screen is on top of the dashboard, or they would
change the round behind this one instead of scrolling it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from negotrack.store.analysis import CLAIM_GLYPH, SHIFT_GLYPHS, SHIFT_MEANINGS, TREND_GLYPHS

from ..present import SHIFT_STYLES
from .backdrop import Modal
from .reading import CLAIM_STYLE, STATUS_MARK, ReadingScroll


def _key(binding: Binding, app) -> str:  # noqa: ANN001 - the App, for its key display
    return binding.key_display or app.get_key_display(binding)


def key_table(app, sources: Iterable[Iterable[BindingType]], shown_only: bool = False) -> Table:  # noqa: ANN001
    """A row per key of `sources` (first description wins for a key), in the order given."""
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    seen: set[str] = set()
    for source in sources:
        for binding in source:
            if not isinstance(binding, Binding) or (shown_only and not binding.show):
                continue
            labels = []
            for key in binding.key.split(","):
                one = Binding(key, binding.action, binding.description,
                              key_display=binding.key_display if key == binding.key else None)
                label = _key(one, app)
                if label not in seen:
                    seen.add(label)
                    labels.append(label)
            if labels:  # the tooltip is the long form of a description shortened for the footer
                table.add_row(" ".join(labels), binding.tooltip or binding.description)
    return table


def _title(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def help_renderables(app) -> Group:  # noqa: ANN001 - the NegotrackApp
    """The help's text: the keys of every screen, from their bindings, and the glyphs."""
    from ..widgets.matrix import Matrix
    from .compare import CompareDialog, CompareScreen
    from .round_account import RoundAccountScreen
    from .timeline import TimelineScreen

    dashboard = key_table(app, (app.BINDINGS, Matrix.BINDINGS))
    dashboard.add_row("click", "Select a cell")
    dashboard.add_row("ctrl+p", "Command palette: every action, and go to round…")
    glyphs = Table(box=None, show_header=False, padding=(0, 2))
    for shift, glyph in SHIFT_GLYPHS.items():
        glyphs.add_row(Text(glyph, style=SHIFT_STYLES[shift] or "bold"), shift.value, SHIFT_MEANINGS[shift])
    glyphs.add_row(Text("‡", style="yellow"), "disputed", "another outlet reported this position differently")
    glyphs.add_row(Text(CLAIM_GLYPH, style=CLAIM_STYLE), "claim",
                   "one side's account of another's stance (per …); lowercase in the timeline chart")
    glyphs.add_row(Text("★", style="bold magenta"), "new to you", "changed in the file since your last visit")
    glyphs.add_row(Text(STATUS_MARK), "announced / inferred",
                   "a round no report confirms: announced, or dated or placed by the catalog")
    for trend, glyph in TREND_GLYPHS.items():
        glyphs.add_row(glyph, f"gap {trend}", "")
    glyphs.add_row("◇", "zone", "the sides' numeric ranges overlap: a zone of possible agreement")
    return Group(
        Text("negotrack keys", style="bold underline"),
        dashboard,
        _title("Choosing two rounds (the compare dialog)"),
        key_table(app, (CompareDialog.BINDINGS,)),
        Text("Enter in the first list, then in the second, compares them.", style="dim"),
        _title("Two rounds side by side"),
        key_table(app, (CompareScreen.BINDINGS,)),
        _title("A round's account"),
        key_table(app, (RoundAccountScreen.BINDINGS,)),
        _title("Timeline"),
        key_table(app, (TimelineScreen.BINDINGS,)),
        _title("Reading keys (this help, compare, a round's account, timeline, errors)"),
        key_table(app, (ReadingScroll.BINDINGS,)),
        Text("Home and End scroll a screen that is open; on the dashboard they go to the "
             "first and last round.", style="dim"),
        _title("Glyphs (never colour alone)"),
        glyphs,
        Text("\nEsc closes this help.", style="dim"),
    )


def render_lines(console: Console, renderables: Group, width: int) -> list[Strip]:
    options = console.options.update_width(max(width, 1))
    return [Strip(line) for line in console.render_lines(renderables, options, pad=False)]


def help_text_width(screen_width: int) -> int:
    """The width the help's text gets on a screen this wide: #help-box is 90 % of it, less its
    border (2), padding (4) and scrollbar gutter (2) (tests/test_screens_help.py checks it)."""
    return screen_width * 9 // 10 - 8


def prerender_help(app, pause: Callable[[], None] = lambda: None) -> None:  # noqa: ANN001 - the NegotrackApp
    """Render the help's text ahead of time, for the screen's present width, off the UI thread
    (the first load's worker): on the first `?` that was 10 ms of the UI thread's 50-90 (160x50).
    `pause()` comes between the steps (the reading thread's step aside for a busy UI thread)."""
    pause()
    renderables = help_renderables(app)  # imports the screens whose keys it lists
    pause()
    width = help_text_width(app.size.width)
    app.help_ready = (renderables, (width, render_lines(app.console, renderables, width)))


class Prerendered(Widget):
    """Rich renderables rendered once per width into lines, then drawn line by line.

    The help is a dozen Rich tables. In Statics, Textual laid out and rendered each table again
    on every layout pass of every opening (about 90 ms to open the help); here they are rendered
    once for the width they are shown at, and again only if that width changes."""

    DEFAULT_CSS = "Prerendered { height: auto; }"

    def __init__(self, renderables: Group, ready: tuple[int, list[Strip]] | None = None,
                 id: str | None = None) -> None:  # noqa: A002
        """`ready`: (width, lines) rendered ahead of time, used if the widget gets that width."""
        super().__init__(id=id)
        self._renderables = renderables
        self._width, self._lines = ready or (-1, [])

    def lines(self, width: int) -> list[Strip]:
        if width != self._width:
            self._lines = render_lines(self.app.console, self._renderables, width)
            self._width = width
        return self._lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self.lines(width)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        return lines[y].apply_style(self.rich_style).extend_cell_length(width, self.rich_style)


class HelpScreen(Modal[None]):
    """The keys, from the bindings. The App installs one and shows it again on every `?`: its
    tables are built and laid out once per session (and per width), not on every opening."""

    AUTO_FOCUS = "#help-box"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        ready = getattr(self.app, "help_ready", None)
        renderables, lines = ready if ready is not None else (help_renderables(self.app), None)
        with ReadingScroll(id="help-box"):
            yield Prerendered(renderables, lines, id="help-text")

    def on_screen_resume(self) -> None:
        """Each opening starts at the top, as a new help would."""
        self.query_one("#help-box", ReadingScroll).scroll_home(animate=False, immediate=True)
