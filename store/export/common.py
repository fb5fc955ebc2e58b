"""What every export shares: labels, numbers, safe links and the "what changed" sentences.

Everything here returns plain, unescaped text, or sentence parts (`Part`: a piece of text and
whether it comes from the catalog); each format escapes them its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from ..analysis import TREND_GLYPHS, Analysis, Cell, Gap, Shift
from ..model import Catalog, Demand, Party, Position, Report, Round, Source, Value


#: One piece of a sentence: its text, and whether it comes from the catalog. Each format
#: escapes both kinds; catalog pieces are also isolated for bidirectional text (a party name
#: in Arabic must not pull the date after it into right-to-left order).
Part = tuple[str, bool]

#: Marks a position that outlets reported differently (as on the dashboard).
DISPUTED_GLYPH = "‡"


#: letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ... and their
#: presentation forms)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
#: FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: the plain-text `<bdi>`.
FSI, PDI = "\u2068", "\u2069"

#: Characters that must not reach a reader as they are (as in store/text.py): C0 controls
#: but tab and newline, DEL, C1 controls, bidi overrides and isolates.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()


def control_name(char: str) -> str:
    """`ESC` for U+001B, `DEL`, else `U+202E`: a name any font can show."""
    code = ord(char)
    if code < 0x20:
        return _C0_NAMES[code]
    return "DEL" if code == 0x7F else f"U+{code:04X}"


def spell_controls(text: str) -> str:
    """`text` with each control character written as its name in brackets: `[ESC]`."""
    return CONTROLS.sub(lambda m: f"[{control_name(m.group())}]", text)


def right_to_left(text: str) -> bool:
    """True when `text` holds a letter of a right-to-left script."""
    return bool(_RTL.search(text))


def isolate(text: str) -> str:
    """`text` between FSI and PDI when it holds right-to-left script, else as it is.

    Only for text whose own controls are already neutralized, so that the pair stays balanced.
    """
    return f"{FSI}{text}{PDI}" if _RTL.search(text) else text


def plain_number(n: int | float) -> str:
    """A number as a spreadsheet or a reader expects it: no thousands separator, no `.0`."""
    if isinstance(n, float):
        if n.is_integer():
            return str(int(n))
        return repr(round(n, 6))
    return str(n)


def position_parts(demand: Demand, position: Position | None) -> list[Part]:
    """The stance (catalog text), or the value (ours) with its unit (catalog text);
    `withdrawn` for a dropped demand. Apart, so that a unit in Arabic cannot turn `10–20`
    into `20–10` around it."""
    if position is None:
        return []
    if position.withdrawn:
        return [("withdrawn", False)]
    if position.value is not None:
        parts: list[Part] = [(str(position.value), False)]
        if demand.unit:
            parts += [(" ", False), (demand.unit, True)]
        return parts
    return [(position.stance or "", True)]


def position_text(demand: Demand, position: Position | None) -> str:
    """The stance, or the value with its unit; `withdrawn` for a dropped demand."""
    return plain(position_parts(demand, position))


def party_label(party: Party) -> list[Part]:
    """The party's name, with its role when it is not a side: `The broker (mediator)`."""
    return [(party.name, True)] if party.is_side else [(party.name, True), (f" ({party.role})", False)]


def gap_parts(demand: Demand, gap: Gap) -> list[Part]:
    """The gap as a reader sees it: `0.33 ↘ (apart)`, `45,500 prisoners ↗ (relative 0.91, apart)`,
    `0 (agreed), zone 3–5`, `one-sided` or nothing. A numeric gap shows its relative share too,
    because the class and the trend follow it (FORMAT.md 1.1), not the gap in the unit."""
    agreement = gap.agreement.value if gap.agreement is not None else ""
    if gap.distance is None:
        return [(agreement, False)] if agreement else []
    parts = _gap_value(demand, gap, relative=False)
    text = ""
    if gap.trend is not None:
        text += f" {TREND_GLYPHS[gap.trend]}"
    notes = [f"relative {relative_text(gap)}"] if demand.kind == "number" and gap.distance and gap.relative is not None else []
    notes += [agreement] if agreement else []
    if notes:
        text += f" ({', '.join(notes)})"
    if gap.zone is not None and gap.zone.is_range:
        text += f", zone {gap.zone}"
    return parts + ([(text, False)] if text else [])


def gap_text(demand: Demand, gap: Gap) -> str:
    """`gap_parts` as one plain string."""
    return plain(gap_parts(demand, gap))


def relative_text(gap: Gap) -> str:
    """`0.91`: the share the class and trend of a gap are judged by, or `` when there is none."""
    return "" if gap.relative is None else f"{gap.relative:.2f}"


# -- whose account ----------------------------------------------------------------------


def teller(catalog: Catalog, party: Party, account: Position | Report) -> Party | None:
    """The party whose account `account` is, when that is not `party` itself (else None)."""
    told = account.according_to
    if told is None or told == party.id:
        return None
    return next((p for p in catalog.parties if p.id == told), None)


def claim_parts(catalog: Catalog, account: Position | Report) -> list[Part]:
    """`claim: per Hamas` for one side's account of another's stance, else nothing."""
    if not account.claim:
        return []
    told = next((p for p in catalog.parties if p.id == account.according_to), None)
    return [("claim: per ", False), (told.name, True)] if told is not None else [("claim", False)]


def claim_label(catalog: Catalog, account: Position | Report) -> str:
    return plain(claim_parts(catalog, account))


def account_parts(catalog: Catalog, party: Party, account: Position | Report) -> list[Part]:
    """`according to Hamas (a senior official)`, `a senior official` or nothing: who gave the account."""
    told = teller(catalog, party, account)
    speaker = (account.speaker or "").strip()
    if told is None:
        return [(speaker, True)] if speaker else []
    parts: list[Part] = [("according to ", False), (told.name, True)]
    return parts + ([(" (", False), (speaker, True), (")", False)] if speaker else [])


def claims_left_out(catalog: Catalog) -> int:
    """How many positions are claims (what an analysis without claims leaves out)."""
    return sum(p.claim for rnd in catalog.rounds for p in rnd.positions.values())


def claims_note(catalog: Catalog, analysis: Analysis) -> str:
    """The sentence an export without claims opens with, or `` when claims were counted."""
    if analysis.claims:
        return ""
    n = claims_left_out(catalog)
    return (f"Claims left out ({n} position{'s' if n != 1 else ''}): a position that is one side's "
            "account of another side's stance takes no part in this report's shifts or gaps, "
            "and the party's last position that is not a claim stands")


#: What the legends say about the gap, in every export.
GAP_NOTE = ("The gap is the largest distance between the sides (role “party”): a share of the "
            "scale (0 to 1) for a demand with stances; for a numeric demand, in its unit, with the "
            "relative gap beside it (the distance over the larger of the two nearest ends), which "
            "decides the class (close at 0.25 or under) and the trend")

ROUND_STATUS_MEANINGS = {
    "announced": "announced: a report says these talks will take place; none says they did",
    "inferred": "inferred: the date or placing of these talks is the catalog's reading of the reports",
}


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


# -- sentences ------------------------------------------------------------------------

_FIELD = re.compile(r"\{(\w+)\}")
#: a sentence already ends here: . ! ? or … , possibly inside closing quotes or brackets
_ENDED = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def compose(template: str, **values: str | list[Part]) -> list[Part]:
    """`template` with each `{name}` filled from `values`, as parts: a string value is catalog
    text, a list of parts goes in as it is."""
    parts: list[Part] = []
    at = 0
    for match in _FIELD.finditer(template):
        if match.start() > at:
            parts.append((template[at:match.start()], False))
        value = values[match.group(1)]
        if isinstance(value, list):
            parts += value
        elif value:
            parts.append((value, True))
        at = match.end()
    if at < len(template):
        parts.append((template[at:], False))
    return parts


def plain(parts: list[Part] | tuple[Part, ...]) -> str:
    return "".join(text for text, _ in parts)


def ended(text: str) -> bool:
    """True when `text` already ends a sentence, so that no second full stop is added."""
    return bool(_ENDED.search(text))


def full_stop(parts: list[Part]) -> list[Part]:
    """`parts` ending with a full stop, unless the last piece already ends a sentence."""
    if parts and not ended(plain(parts).rstrip()):
        parts = [*parts, (".", False)]
    return parts


def source_parts(source: Source) -> list[Part]:
    """A source as one sentence: outlet, date and title (values flagged as catalog text)."""
    parts: list[Part] = [(source.outlet, True)]
    if source.date:
        parts.append((f", {source.date.isoformat()}", False))
    if source.title:
        parts += [(", “", False), (source.title, True), ("”", False)]
    return full_stop(parts)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence about a round, with the sources that back it (ids, in order)."""

    parts: tuple[Part, ...]
    sources: tuple[str, ...] = ()
    shift: Shift | None = None

    @property
    def text(self) -> str:
        return plain(self.parts)


def _extra(position: Position) -> list[Part]:
    """The note as a sentence of its own, then the quote."""
    extra: list[Part] = []
    if position.note and position.note.strip():
        extra += [(" ", False), *full_stop([(position.note.strip(), True)])]
    if position.quote and position.quote.strip():
        extra += [(" “", False), (position.quote.strip(), True), ("”", False)]
    return extra


def position_sentence(catalog: Catalog, party: Party, demand: Demand, cell: Cell) -> list[Part]:
    """What a party's shift on a demand says (a cell with a position and a shift), as sentence
    parts, with its note and quote.

    A claim (or any account that is not the party's own) opens with "According to Hamas",
    never "Israel stated"; a speaker is named; a demand taken up again after a withdrawal is
    said to be, never "a first position"; a restatement is "restated in a new report".
    """
    position, previous, shift = cell.position, cell.previous, cell.shift
    told = teller(catalog, party, position)
    speaker = (position.speaker or "").strip()
    values = {
        "who": party.name, "what": demand.title, "status": position.status or "",
        "now": position_parts(demand, position), "was": position_parts(demand, previous),
        "teller": told.name if told is not None else "", "speaker": speaker,
    }
    if previous is not None and previous.claim:
        # the position moved from is itself another side's account: say so
        values["was"] = [*values["was"], (" (", False), *claim_parts(catalog, previous), (")", False)]
    lead = ""
    if told is not None:
        lead = "According to {teller}" + (" ({speaker})" if speaker else "") + ", "
    who = "{who}" + (" ({speaker})" if speaker and told is None else "")
    status = " ({status})" if position.status else ""
    if cell.resumed:
        if shift is Shift.SAME:
            body = f"{who} took up its position on {{what}} again, as before its withdrawal: {{now}}"
        elif shift is Shift.TOWARD:
            body = f"{who} took up {{what}} again, closer to the other side than before its withdrawal: from {{was}} to {{now}}"
        elif shift is Shift.AWAY:
            body = f"{who} took up {{what}} again, further from the other side than before its withdrawal: from {{was}} to {{now}}"
        elif shift in (Shift.MOVED, Shift.CHANGED):
            body = f"{who} took up {{what}} again, with another position than before its withdrawal: from {{was}} to {{now}}"
        else:
            body = f"{who} took up {{what}} again: {{now}}"
        body += status
    elif shift is Shift.NEW:
        body = (f"{who}'s position on {{what}} is {{now}}" if told is not None
                else f"{who} stated a position on {{what}}: {{now}}") + status
    elif shift is Shift.TOWARD:
        body = f"{who} moved toward the other side on {{what}}: from {{was}} to {{now}}" + status
    elif shift is Shift.AWAY:
        body = f"{who} moved away from the other side on {{what}}: from {{was}} to {{now}}" + status
    elif shift in (Shift.MOVED, Shift.CHANGED):
        body = f"{who} changed its position on {{what}}: from {{was}} to {{now}}" + status
    elif shift is Shift.WITHDRAWN:
        body = f"{who} dropped its demand on {{what}}" + (" (was {was})" if values["was"] else "")
    elif told is not None:
        # another's account of an unchanged stance: not a statement of the party's own
        body = f"{who}'s position on {{what}} is still {{now}}" + (" (restated in a new report)" if cell.restated else "")
    elif cell.restated:
        body = f"{who} restated its position on {{what}} in a new report: still {{now}}"
    else:
        body = f"{who} kept its position on {{what}}: {{now}}"
    return full_stop(compose(lead + body, **values)) + _extra(position)


def _says(cell: Cell) -> bool:
    """Whether a round's account of what happened mentions this cell."""
    return cell.position is not None and cell.shift is not None and (cell.shift.changed or cell.resumed or cell.restated)


def _gap_value(demand: Demand, gap: Gap, relative: bool = True) -> list[Part]:
    parts: list[Part] = [(gap.shown(demand), False)]
    if demand.kind != "number":
        return parts
    if demand.unit:
        parts += [(" ", False), (demand.unit, True)]
    if relative and gap.distance and gap.relative is not None:
        parts.append((f" (relative {relative_text(gap)})", False))
    return parts


def _claimed(catalog: Catalog, analysis: Analysis, round_id: str, demand: Demand) -> list[tuple[Party, Party | None]]:
    """(side, whose account) of each side's position in a gap that is another side's account."""
    found = []
    for party in catalog.parties:
        position = analysis.cell(round_id, party.id, demand.id).position if party.is_side else None
        if position is not None and position.claim and not position.withdrawn:
            found.append((party, next((p for p in catalog.parties if p.id == position.according_to), None)))
    return found


def _resting_on_claims(catalog: Catalog, analysis: Analysis, demand: Demand, round_id: str,
                       before_id: str | None = None) -> list[Part]:
    """` (Israel's position is a claim, per Hamas)`: a gap sentence says which of the positions
    it is measured from are another side's account, in this round and, for a change of the gap,
    in the round before (`before_id`). Nothing when there are none or claims are left out."""
    if not analysis.claims:
        return []
    clauses: list[list[Part]] = []
    for rid, verb, lead in ((round_id, "is", ""), (before_id, "was", "before, ")):
        for party, told in _claimed(catalog, analysis, rid, demand) if rid else ():
            clause: list[Part] = [(lead, False)] if lead else []
            clause += [(party.name, True), (f"'s position {verb} a claim", False)]
            clauses.append(clause + ([(", per ", False), (told.name, True)] if told is not None else []))
    if not clauses:
        return []
    parts: list[Part] = [(" (", False)]
    for i, clause in enumerate(clauses):
        parts += ([("; ", False)] if i else []) + clause
    return parts + [(")", False)]


def round_sentences(catalog: Catalog, analysis: Analysis, index: int) -> list[Sentence]:
    """What changed in round `index` since the round before: positions, then gaps."""
    rnd = catalog.rounds[index]
    out: list[Sentence] = []
    for demand in catalog.demands:
        for party in catalog.parties:
            cell = analysis.cell(rnd.id, party.id, demand.id)
            if cell.carried or not _says(cell):
                continue
            parts = position_sentence(catalog, party, demand, cell)
            out.append(Sentence(tuple(parts), cell.position.sources, cell.shift))
    if index == 0:
        return out
    before = catalog.rounds[index - 1]
    for demand in catalog.demands:
        gap, old = analysis.gap(rnd.id, demand.id), analysis.gap(before.id, demand.id)
        values = {"what": demand.title, "old": _gap_value(demand, old), "new": _gap_value(demand, gap)}
        if gap.distance is not None and old.distance is not None and gap.trend is not None:
            if gap.trend.value == "closing":
                verb = "narrowed" if gap.distance else "closed"
            elif gap.trend.value == "widening":
                verb = "widened"
            else:
                continue
            parts = compose(f"The gap on {{what}} {verb}: from {{old}} to {{new}}", **values)
            parts += _resting_on_claims(catalog, analysis, demand, rnd.id, before.id)
        elif gap.distance is not None and old.distance is None and gap.agreement is not None:
            parts = compose("Both sides now have a position on {what}: the gap is {new}", **values)
            parts += _resting_on_claims(catalog, analysis, demand, rnd.id)
        else:
            continue
        out.append(Sentence(tuple(full_stop(parts))))
    return out


def disputed_sentence(catalog: Catalog, party: Party, demand: Demand, report: Report) -> list[Part]:
    """`South on Access: also reported as none at all, according to North (a note).`"""
    account = account_parts(catalog, party, report)
    note = report.note.strip() if report.note else ""
    template = ("{who} on {what}: also reported as {stance}" + (", {account}" if account else "")
                + (" ({note})" if note else ""))
    stance: list[Part] = [(report.stance or "", True)]
    if report.value is not None:
        stance = [(str(report.value), False)] + ([(" ", False), (demand.unit, True)] if demand.unit else [])
    return full_stop(compose(template, who=party.name, what=demand.title, stance=stance, account=account, note=note))


def round_heading(rnd: Round) -> list[Part]:
    """`r2 — Second talks (2024-01-19, Geneva)`: the id, the title if any, the date and venue;
    `[announced]` or `[inferred]` after a round that no report confirms."""
    parts: list[Part] = [(rnd.id, True)]
    if rnd.title:
        parts += [(" — ", False), (rnd.title, True)]
    parts.append((f" ({rnd.date.isoformat()}", False))
    if rnd.venue:
        parts += [(", ", False), (rnd.venue, True)]
    parts.append((")", False))
    if rnd.status != "reported":
        parts.append((f" [{rnd.status}]", False))
    return parts


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
