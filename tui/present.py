"""Catalog values as rich Text: the only place where catalog strings meet the screen.

Everything here returns `rich.text.Text` built from cleaned strings, so `[brackets]` show as
typed and control characters are shown, never sent to the terminal.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from negotrack.store.analysis import SHIFT_GLYPHS, TREND_GLYPHS, Agreement, Cell, Gap, Shift
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


def cell_pieces(demand: Demand, cell: Cell, shift: Shift | None, width: int) -> Pieces:
    """A matrix cell: shift glyph, then the position shortened to `width`, then ‡ if disputed
    (`Text.assemble(*pieces)` makes it Text).

    The glyph's style (the shift's) runs under the whole cell; the body adds dim when carried
    over, strike when withdrawn."""
    if cell.position is None:
        return (("—", "dim"),)
    glyph = SHIFT_GLYPHS.get(shift, " ") if shift is not None else " "
    body = one_line(position_text(demand, cell.position, unit=False), max(width - 2, 4))
    style = SHIFT_STYLES.get(shift, "") if shift is not None else ""
    extra = "dim" if shift is Shift.CARRIED else ("strike" if cell.position.withdrawn else "")
    pieces = [(f"{glyph} ", style), (body, f"{style} {extra}".strip())]
    if cell.position.disputed:
        pieces.append((" ‡", f"{style} yellow".strip()))
    return tuple(pieces)


def gap_pieces(demand: Demand, gap: Gap) -> Pieces:
    """Gap column: the gap, its trend glyph, the agreement class and a zone marker."""
    if gap.agreement is None and gap.distance is None:
        return (("—" if gap.stated == 0 else "text", "dim"),)
    pieces: list[tuple[str, str]] = []
    if gap.distance is not None:
        shown = gap.shown(demand)
        if gap.trend is not None:
            shown += f" {TREND_GLYPHS[gap.trend]}"
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
    for shift, glyph in SHIFT_GLYPHS.items():
        text.append(glyph, style=SHIFT_STYLES[shift] or "bold")
        text.append(f"{shift.value}{sep}" if compact else f" {shift.value}{sep}")
    text.append("‡", style="yellow")
    text.append(f"disputed{sep}" if compact else f" disputed{sep}")
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
