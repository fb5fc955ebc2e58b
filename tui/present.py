"""Catalog values as rich Text: the only place where catalog strings meet the screen.

Everything here returns `rich.text.Text` built from cleaned strings, so `[brackets]` show as
typed and control characters are shown, never sent to the terminal.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len, chop_cells
from rich.style import Style
from rich.text import Text

from negotrack.store.analysis import CLAIM_GLYPH, SHIFT_GLYPHS, TREND_GLYPHS, Agreement, Cell, Gap, Shift, Trend
from negotrack.store.model import Demand, Position, Value
from negotrack.store.text import clean, one_line

#: Styles name meaning, not colour; the glyph carries the meaning too.
SHIFT_STYLES: dict[Shift, str] = {
    Shift.NEW: "bold",
    Shift.SAME: "",
    Shift.CHANGED: "bold yellow",
    Shift.TOWARD: "bold green",
    Shift.AWAY: "bold red",
    Shift.MOVED: "bold yellow",
    Shift.WITHDRAWN: "strike",
    Shift.CARRIED: "dim",
}

AGREEMENT_STYLES = {
    Agreement.AGREED: "bold green",
    Agreement.CLOSE: "green",
    Agreement.APART: "red",
    Agreement.ONE_SIDED: "dim",
}


def plain(text: str | None, width: int | None = None) -> Text:
    """Catalog text as inert Text on one line (optionally shortened)."""
    return Text(one_line(text or "", width))


def block(text: str | None, style: str = "") -> Text:
    """Catalog text as inert Text, keeping its line breaks."""
    return Text(clean(text or ""), style=style)


def position_text(demand: Demand, position: Position | None, unit: bool = True) -> str:
    if position is None:
        return ""
    shown = position.shown()
    if unit and position.value is not None and demand.unit:
        shown = f"{shown} {demand.unit}"
    return shown


#: A cell as (text, style) pieces: what the matrix draws without building a Text per cell.
Pieces = tuple[tuple[str, "str | Style"], ...]


class CellContent(NamedTuple):
    """What a matrix cell says, before it is wrapped to a width.

    `markers` come first and are never cut (fresh ★, the shift glyph, disputed ‡, claim »);
    `body` is the position; `was` what it moved from, shown dimmed under it.
    """

    markers: Pieces
    body: str
    style: str
    was: str | None = None

    @property
    def marker_width(self) -> int:
        return sum(len(text) for text, _ in self.markers)

    def natural_width(self) -> int:
        """Cells on one line, without wrapping (the was-line included)."""
        width = cell_len(self.body)
        if self.was is not None:
            width = max(width, cell_len(self.was))
        return self.marker_width + width

    def plain(self) -> str:
        text = "".join(t for t, _ in self.markers) + self.body
        return text if self.was is None else f"{text}\n{self.was}"


EMPTY_CELL = CellContent((), "—", "dim")


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """`text` on at most `max_lines` lines of at most `width` cells, broken between words
    (a word longer than a line, or a run of CJK with no spaces, is broken between characters);
    the last line ends in `…` when something was left out."""
    width = max(width, 1)
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while cell_len(word) > width:
            head, *_ = chop_cells(word, width)
            lines.append(head)
            word = word[len(head):]
        line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and cell_len(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines



def cell_content(demand: Demand, cell: Cell, shift: Shift | None, before: Position | None = None,
                 fresh: bool = False) -> CellContent:
    """A matrix cell: its markers, the position, and what it moved from.

    `before` is the position the shift is measured from (the previous report, or the
    baseline's); the cell says "was: …" under a position that changed from one. The glyph's
    style (the shift's) runs under the whole cell; the body adds dim when carried over,
    strike when withdrawn."""
    position = cell.position
    if position is None:
        return EMPTY_CELL
    style = SHIFT_STYLES.get(shift, "") if shift is not None else ""
    markers: list[tuple[str, str]] = []
    if fresh:
        markers.append(("★", "bold magenta"))
    markers.append((SHIFT_GLYPHS.get(shift, " ") if shift is not None else " ", style))
    if position.disputed:
        markers.append(("‡", f"{style} yellow".strip()))
    if position.claim:
        markers.append((CLAIM_GLYPH, f"{style} cyan".strip()))
    markers.append((" ", ""))
    extra = "dim" if shift is Shift.CARRIED else ("strike" if position.withdrawn else "")
    body = one_line(position_text(demand, position, unit=False))
    was = None
    if shift is not None and shift.changed and before is not None and before is not position:
        was = "was: " + one_line(position_text(demand, before, unit=False))
    elif shift is Shift.SAME and cell.resumed:
        was = "taken up again"
    return CellContent(tuple(markers), body, f"{style} {extra}".strip(), was)


def gap_pieces(demand: Demand, gap: Gap, trend: Trend | None | bool = False) -> Pieces:
    """Gap column: the gap, its trend glyph, the agreement class and a zone marker; `trend`
    replaces the gap's own (against the round before) when a baseline is pinned."""
    if gap.agreement is None and gap.distance is None:
        return (("—" if gap.stated == 0 else "text", "dim"),)
    pieces: list[tuple[str, str]] = []
    if trend is False:
        trend = gap.trend
    if gap.distance is not None:
        shown = gap.shown(demand)
        if trend is not None:
            shown += f" {TREND_GLYPHS[trend]}"
        pieces.append((shown + " ", ""))
    if gap.agreement is not None:
        pieces.append((gap.agreement.value, AGREEMENT_STYLES[gap.agreement]))
    if gap.zone is not None and gap.zone.is_range:
        pieces.append((f" ◇{gap.zone}", "green"))
    return tuple(pieces)


def legend(compact: bool = False) -> Text:
    """Every glyph with its meaning; `compact` fits one 80-column line."""
    sep = " " if compact else "  "
    text = Text()
    names: dict[str, list[Shift]] = {}
    for shift, glyph in SHIFT_GLYPHS.items():
        names.setdefault(glyph, []).append(shift)
    for glyph, shifts in names.items():  # moved and changed share ↕
        name = "/".join(s.value for s in shifts)
        text.append(glyph, style=SHIFT_STYLES[shifts[0]] or "bold")
        text.append(f"{name}{sep}" if compact else f" {name}{sep}")
    text.append("‡", style="yellow")
    text.append(f"disputed{sep}" if compact else f" disputed{sep}")
    text.append(CLAIM_GLYPH, style="cyan")
    text.append(f"claim{sep}" if compact else f" claim: another side's account{sep}")
    text.append("★", style="bold magenta")
    text.append(f"new to you{sep}" if compact else f" changed since your last visit{sep}")
    for trend, glyph in TREND_GLYPHS.items():
        text.append(f"{glyph}{trend}{sep}" if compact else f"{glyph} {trend}{sep}", style="dim")
    return text


def stored_position_text(position: dict | None) -> str:
    """A position as the history stores it (a position_doc dict), in one short phrase."""
    if position is None:
        return "—"
    if position.get("withdrawn"):
        return "withdrawn"
    if "value" in position:
        return str(Value(*position["value"]))
    return position.get("stance", "")


def edit_history_lines(versions: list) -> list[Text]:
    """The versions of one position in the file's history (not its history across rounds)."""
    if not versions:
        return []
    lines = [Text("Edit history (versions of the file)", style="bold underline")]
    for version in versions:
        position = version.position
        row = Text(f"{version.taken_at}  ", style="dim")
        row.append(one_line("removed" if position is None else stored_position_text(position), 40))
        if position and position.get("note"):
            row.append("  ")
            row.append(one_line(position["note"], 40), style="italic dim")
        lines.append(row)
    return lines
