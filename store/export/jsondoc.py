"""The JSON export: the catalog and its analysis as one nested document (docs/export.md).

Keys keep the explicit order written here (not sorted) so that `format` and `version` come
first and each object reads from identity to detail. Every object always has all its keys:
absent values are `null`, `[]` or `false`, so consumers never test for a missing key.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from ..analysis import CLAIM_GLYPH, SHIFT_GLYPHS, Analysis, Cell, Gap
from ..model import Catalog, Demand, Position, Report, Value

EXPORT_FORMAT = "negotrack-export"
#: 2: shifts without `reworded`, with `changed`; whose account (`according_to`, `speaker`,
#: `claim`); round `status`; the numeric gap's `relative` share, which the trend follows.
EXPORT_VERSION = 2


def _value(value: Value | None) -> dict[str, int | float] | None:
    return None if value is None else {"low": value.low, "high": value.high}


def _report(report: Report) -> dict[str, Any]:
    return {
        "stance": report.stance,
        "value": _value(report.value),
        "sources": list(report.sources),
        "note": report.note,
        "according_to": report.according_to,
        "speaker": report.speaker,
        "claim": report.claim,
        "line": report.line,
    }


def _scale_index(demand: Demand, position: Position | None) -> int | None:
    if position is None or demand.scale is None or position.stance is None:
        return None
    return demand.scale.index(position.stance)


def cell_doc(demand: Demand, cell: Cell) -> dict[str, Any]:
    """One party's position in force on one demand in one round."""
    position, previous = cell.position, cell.previous
    return {
        "party": cell.party,
        "demand": cell.demand,
        "shift": cell.shift.value if cell.shift is not None else None,
        "carried": cell.carried,
        "reported_in": position.round if position is not None else None,
        "stance": position.stance if position is not None else None,
        "scale_index": _scale_index(demand, position),
        "value": _value(position.value) if position is not None else None,
        "withdrawn": position.withdrawn if position is not None else False,
        "status": position.status if position is not None else None,
        "note": position.note if position is not None else None,
        "quote": position.quote if position is not None else None,
        "sources": list(position.sources) if position is not None else [],
        "according_to": position.according_to if position is not None else None,
        "speaker": position.speaker if position is not None else None,
        "claim": position.claim if position is not None else False,
        "resumed": cell.resumed,
        "restated": cell.restated,
        "disputed": [_report(r) for r in position.disputed] if position is not None else [],
        "line": position.line if position is not None else None,
        "previous": None if previous is None else {
            "round": previous.round,
            "stance": previous.stance,
            "value": _value(previous.value),
            "withdrawn": previous.withdrawn,
        },
    }


def gap_doc(gap: Gap) -> dict[str, Any]:
    return {
        "demand": gap.demand,
        "distance": gap.distance,
        "normalized": gap.normalized,
        "relative": gap.relative,
        "agreement": gap.agreement.value if gap.agreement is not None else None,
        "trend": gap.trend.value if gap.trend is not None else None,
        "zone": _value(gap.zone),
        "stated": gap.stated,
    }


def export_doc(catalog: Catalog, analysis: Analysis) -> dict[str, Any]:
    """The whole record as a JSON-safe document (dicts, lists, str, numbers, bool, None)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "catalog": {
            "file": os.path.basename(catalog.path),
            "title": catalog.title,
            "description": catalog.description,
            "format": catalog.format,
        },
        "claims": analysis.claims,
        "shift_glyphs": {shift.value: glyph for shift, glyph in SHIFT_GLYPHS.items()},
        "claim_glyph": CLAIM_GLYPH,
        "parties": [
            {"id": p.id, "name": p.name, "role": p.role, "note": p.note, "line": p.line}
            for p in catalog.parties
        ],
        "demands": [
            {
                "id": d.id, "title": d.title, "kind": d.kind,
                "scale": list(d.scale) if d.scale is not None else None,
                "unit": d.unit, "note": d.note, "keywords": list(d.keywords), "line": d.line,
            }
            for d in catalog.demands
        ],
        "sources": [
            {
                "id": s.id, "outlet": s.outlet, "date": s.date.isoformat() if s.date else None,
                "title": s.title, "url": s.url, "note": s.note, "according_to": s.according_to,
                "line": s.line,
            }
            for s in catalog.sources
        ],
        "rounds": [
            {
                "id": r.id,
                "date": r.date.isoformat(),
                "status": r.status,
                "venue": r.venue,
                "title": r.title,
                "summary": r.summary,
                "sources": list(r.sources),
                "line": r.line,
                "cells": [
                    cell_doc(d, analysis.cell(r.id, p.id, d.id))
                    for p in catalog.parties
                    for d in catalog.demands
                ],
                "gaps": [gap_doc(analysis.gap(r.id, d.id)) for d in catalog.demands],
            }
            for r in catalog.rounds
        ],
    }


# JSON escapes C0 controls itself; these it leaves raw, and a terminal may act on them
# (C1 controls such as CSI) or display text out of order (bidi overrides).
_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(doc: Any) -> str:
    """`doc` as indented UTF-8 JSON text, ending with a newline.

    Characters a terminal could act on are written as `\\uXXXX` escapes: the same string
    to any JSON reader, inert on a screen. (They can only occur inside strings.)
    """
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    return _RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def to_json(catalog: Catalog, analysis: Analysis) -> str:
    """The export document as JSON text (see `json_text`)."""
    return json_text(export_doc(catalog, analysis))
