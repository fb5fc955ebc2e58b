"""The CSV export: one row per round × party × demand, ready for a spreadsheet.

Choices (docs/export.md): UTF-8 with a byte-order mark, so that Excel reads non-ASCII text
correctly; CRLF line ends (RFC 4180); every text cell that a spreadsheet could take for a
formula gets a leading `'` (OWASP's advice), while the numeric columns stay numbers.
"""

from __future__ import annotations

import csv
import io

from ..analysis import Analysis
from ..model import Catalog, Report
from ..text import clean
from .common import plain_number, value_pair

BOM = "\ufeff"

COLUMNS = (
    "round_id", "round_date", "party", "party_name", "party_role", "demand", "demand_title",
    "kind", "stance", "value_low", "value_high", "unit", "withdrawn", "shift", "status",
    "carried", "reported_in", "gap", "agreement", "note", "quote", "disputed", "sources", "line",
    # added with format 1.1, after the columns of 1.0 so that no column moves
    "round_status", "according_to", "speaker", "claim", "resumed", "restated", "gap_relative",
    "claims_counted",
)

#: Characters that make a spreadsheet read a cell as a formula (or, for tab and CR, that
#: some spreadsheets strip before doing so).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str | None) -> str:
    """A text cell: neutralized against formula injection, control characters made visible."""
    if not text:
        return ""
    if text.startswith(FORMULA_START):
        text = "'" + text
    return clean(text)


def number_cell(n: int | float | None) -> str:
    """A numeric cell: written as the number it is, negative or not; never neutralized."""
    return "" if n is None else plain_number(n)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _report(report: Report) -> str:
    """`none at all [daily-1] (according to south, speaker: a senior official, claim)`."""
    text = report.shown() + (f" [{', '.join(report.sources)}]" if report.sources else "")
    account = [f"according to {report.according_to}"] if report.according_to else []
    account += [f"speaker: {report.speaker}"] if report.speaker else []
    account += ["claim"] if report.claim else []
    return text + (f" ({', '.join(account)})" if account else "")


def rows(catalog: Catalog, analysis: Analysis) -> list[list[str]]:
    """The table under the header, in file order: rounds, then parties, then demands."""
    out = []
    for rnd in catalog.rounds:
        for party in catalog.parties:
            for demand in catalog.demands:
                cell = analysis.cell(rnd.id, party.id, demand.id)
                gap = analysis.gap(rnd.id, demand.id)
                position = cell.position
                low, high = value_pair(position.value if position else None)
                disputed = "; ".join(_report(r) for r in (position.disputed if position else ()))
                out.append([
                    text_cell(rnd.id),
                    text_cell(rnd.date.isoformat()),
                    text_cell(party.id),
                    text_cell(party.name),
                    text_cell(party.role),
                    text_cell(demand.id),
                    text_cell(demand.title),
                    text_cell(demand.kind),
                    text_cell(position.stance if position else None),
                    number_cell(low),
                    number_cell(high),
                    text_cell(demand.unit),
                    _flag(bool(position and position.withdrawn)),
                    text_cell(cell.shift.value if cell.shift else None),
                    text_cell(position.status if position else None),
                    _flag(cell.carried),
                    text_cell(position.round if position else None),
                    number_cell(gap.normalized),
                    text_cell(gap.agreement.value if gap.agreement else None),
                    text_cell(position.note if position else None),
                    text_cell(position.quote if position else None),
                    text_cell(disputed),
                    text_cell(" ".join(position.sources) if position else None),
                    number_cell(position.line if position else None),
                    text_cell(rnd.status),
                    text_cell(position.according_to if position else None),
                    text_cell(position.speaker if position else None),
                    _flag(bool(position and position.claim)),
                    _flag(cell.resumed),
                    _flag(cell.restated),
                    number_cell(gap.relative),
                    _flag(analysis.claims),
                ])
    return out


def to_csv(catalog: Catalog, analysis: Analysis, bom: bool = True) -> str:
    """The CSV text, header first; starts with a byte-order mark unless `bom` is False."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(catalog, analysis))
    return (BOM if bom else "") + buffer.getvalue()
