"""What every export shares: labels, numbers, safe links and the "what changed" sentences.

Everything here returns plain, unescaped text; each format escapes it its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from ..analysis import SHIFT_MEANINGS, TREND_GLYPHS, Analysis, Gap, Shift
from ..model import Catalog, Demand, Party, Position, Round, Value


#: Marks a position that outlets reported differently (as on the dashboard).
DISPUTED_GLYPH = "‡"


def plain_number(n: int | float) -> str:
    """A number as a spreadsheet or a reader expects it: no thousands separator, no `.0`."""
    if isinstance(n, float):
        if n.is_integer():
            return str(int(n))
        return repr(round(n, 6))
    return str(n)


def position_text(demand: Demand, position: Position | None) -> str:
    """The stance, or the value with its unit; `withdrawn` for a dropped demand."""
    if position is None:
        return ""
    shown = position.shown()
    if position.value is not None and demand.unit and not position.withdrawn:
        shown = f"{shown} {demand.unit}"
    return shown


def party_label(party: Party) -> str:
    return party.name if party.is_side else f"{party.name} ({party.role})"


def gap_text(demand: Demand, gap: Gap) -> str:
    """The gap as a reader sees it: `0.33 ↘ (apart)`, `0 (agreed), zone 3–5`, `one-sided` or ``."""
    agreement = gap.agreement.value if gap.agreement is not None else ""
    if gap.distance is None:
        return agreement
    text = _gap_value(demand, gap)
    if gap.trend is not None:
        text += f" {TREND_GLYPHS[gap.trend]}"
    if agreement:
        text += f" ({agreement})"
    if gap.zone is not None and gap.zone.is_range:
        text += f", zone {gap.zone}"
    return text


_UNSAFE_URL_CHARS = re.compile(r"[\t\n\r]")
_EDGE = "".join(chr(c) for c in range(0x21))


def safe_url(url: str | None) -> str | None:
    """`url` as a link target if it is http(s), else None (`javascript:`, `data:`, relative...).

    Browsers drop surrounding control characters and spaces and any tab or newline inside a
    URL before reading its scheme, so the check runs on that normalized form, and that form,
    percent-encoded where needed, is what gets linked.
    """
    if not url:
        return None
    normal = _UNSAFE_URL_CHARS.sub("", url.strip(_EDGE))
    if not re.match(r"https?://[^/\\]", normal, re.IGNORECASE):
        return None
    return quote(normal, safe="/:?#[]@!$&'()*+,;=%~-._")


# -- what changed -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence about a round, with the sources that back it (ids, in order)."""

    text: str
    sources: tuple[str, ...] = ()
    shift: Shift | None = None


def _status(position: Position) -> str:
    return f" ({position.status})" if position.status else ""


def _extra(position: Position) -> str:
    extra = ""
    if position.note:
        extra += f" {position.note.strip()}"
    if position.quote:
        extra += f" “{position.quote.strip()}”"
    return extra


def position_sentence(party: Party, demand: Demand, shift: Shift, position: Position, previous: Position | None) -> str:
    now = position_text(demand, position)
    was = position_text(demand, previous)
    who, what = party.name, demand.title
    if shift is Shift.NEW:
        text = f"{who} stated a position on {what}: {now}{_status(position)}."
    elif shift is Shift.TOWARD:
        text = f"{who} moved toward the other side on {what}: from {was} to {now}{_status(position)}."
    elif shift is Shift.AWAY:
        text = f"{who} moved away from the other side on {what}: from {was} to {now}{_status(position)}."
    elif shift is Shift.MOVED:
        text = f"{who} changed its position on {what}: from {was} to {now}{_status(position)}."
    elif shift is Shift.REWORDED:
        text = f"{who} restated its position on {what} in other words (still {now})."
    elif shift is Shift.WITHDRAWN:
        text = f"{who} dropped its demand on {what}" + (f" (was {was})." if was else ".")
    else:
        text = f"{who} kept its position on {what}: {now}."
    return text + _extra(position)


def _gap_value(demand: Demand, gap: Gap) -> str:
    shown = gap.shown(demand)
    return f"{shown} {demand.unit}" if demand.kind == "number" and demand.unit else shown


def round_sentences(catalog: Catalog, analysis: Analysis, index: int) -> list[Sentence]:
    """What changed in round `index` since the round before: positions, then gaps."""
    rnd = catalog.rounds[index]
    out: list[Sentence] = []
    for demand in catalog.demands:
        for party in catalog.parties:
            cell = analysis.cell(rnd.id, party.id, demand.id)
            if cell.shift is None or not cell.shift.changed or cell.position is None:
                continue
            text = position_sentence(party, demand, cell.shift, cell.position, cell.previous)
            out.append(Sentence(text, cell.position.sources, cell.shift))
    if index == 0:
        return out
    before = catalog.rounds[index - 1]
    for demand in catalog.demands:
        gap, old = analysis.gap(rnd.id, demand.id), analysis.gap(before.id, demand.id)
        if gap.distance is not None and old.distance is not None and gap.trend is not None:
            if gap.trend.value == "closing":
                verb = "narrowed" if gap.distance else "closed"
            elif gap.trend.value == "widening":
                verb = "widened"
            else:
                continue
            out.append(Sentence(f"The gap on {demand.title} {verb}: from {_gap_value(demand, old)} to {_gap_value(demand, gap)}."))
        elif gap.distance is not None and old.distance is None and gap.agreement is not None:
            out.append(Sentence(f"Both sides now have a position on {demand.title}: the gap is {_gap_value(demand, gap)}."))
    return out


def round_heading(rnd: Round) -> str:
    """`r2 — Second talks (2024-01-19, Geneva)`: the id, the title if any, the date and venue."""
    where = ", ".join(x for x in (rnd.date.isoformat(), rnd.venue) if x)
    title = f" — {rnd.title}" if rnd.title else ""
    return f"{rnd.id}{title} ({where})"


def value_pair(value: Value | None) -> tuple[int | float | None, int | float | None]:
    return (None, None) if value is None else (value.low, value.high)


def cited_sources(catalog: Catalog) -> list[str]:
    """Source ids in the order a reader first meets them: rounds, positions, then the rest."""
    seen: dict[str, None] = {}
    for rnd in catalog.rounds:
        for sid in rnd.sources:
            seen.setdefault(sid)
        for position in rnd.positions.values():
            for sid in position.sources:
                seen.setdefault(sid)
            for report in position.disputed:
                for sid in report.sources:
                    seen.setdefault(sid)
    for source in catalog.sources:
        seen.setdefault(source.id)
    return list(seen)
