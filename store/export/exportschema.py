"""A JSON Schema (draft 2020-12) of the JSON export, for the tools that read it.

`negotrack schema --export` prints it; schema/export.schema.json is a copy (a test keeps the
two equal, and validates every export of every test catalog against it). Every object lists
all its keys as required and allows no other, as the export writes every key every time; the
vocabularies (shifts, roles, statuses, agreement, trend) come from the code that produces them.
"""

from __future__ import annotations

import json
from typing import Any

from ..analysis import Agreement, Shift, Trend
from ..model import ROLES, ROUND_STATUSES, STATUSES
from .jsondoc import EXPORT_FORMAT, EXPORT_VERSION

ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}
DATE = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
TEXT = {"type": ["string", "null"]}
LINE = {"type": "integer", "minimum": 1}
IDS = {"type": "array", "items": ID}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _nullable(name: str) -> dict[str, Any]:
    return {"anyOf": [_ref(name), {"type": "null"}]}


def _object(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these keys, all required (the export always writes them all)."""
    return {
        "description": description,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _enum(values: list[str], nullable: bool = False) -> dict[str, Any]:
    return {"enum": [*values, None] if nullable else list(values)}


def build_export_schema() -> dict[str, Any]:
    """The schema of `negotrack export --format json` as a JSON-safe dict."""
    shifts = [s.value for s in Shift]
    defs: dict[str, Any] = {
        "value": _object("A number or a range: a single number has low == high.", {
            "low": {"type": "number"}, "high": {"type": "number"},
        }),
        "report": _object("Another outlet's report of the same position (a disputed report).", {
            "stance": TEXT,
            "value": _nullable("value"),
            "sources": IDS,
            "note": TEXT,
            "according_to": {"anyOf": [ID, {"type": "null"}], "description": "whose account the report is (a party id)"},
            "speaker": TEXT,
            "claim": {"type": "boolean", "description": "one side's account of another side's stance"},
            "line": LINE,
        }),
        "previous": _object("The position the shift is measured against.", {
            "round": ID,
            "stance": TEXT,
            "value": _nullable("value"),
            "withdrawn": {"type": "boolean"},
        }),
        "cell": _object("One party's position in force on one demand in one round.", {
            "party": ID,
            "demand": ID,
            "shift": _enum(shifts, nullable=True),
            "carried": {"type": "boolean"},
            "reported_in": {"anyOf": [ID, {"type": "null"}]},
            "stance": TEXT,
            "scale_index": {"type": ["integer", "null"], "minimum": 0},
            "value": _nullable("value"),
            "withdrawn": {"type": "boolean"},
            "status": _enum(list(STATUSES), nullable=True),
            "note": TEXT,
            "quote": TEXT,
            "sources": IDS,
            "according_to": {"anyOf": [ID, {"type": "null"}], "description": "whose account the position is (a party id)"},
            "speaker": TEXT,
            "claim": {"type": "boolean", "description": "one side's account of another side's stance"},
            "resumed": {"type": "boolean", "description": "taken up again after a withdrawal"},
            "restated": {"type": "boolean", "description": "same stance or value, said again in a new report"},
            "disputed": {"type": "array", "items": _ref("report")},
            "line": {"anyOf": [LINE, {"type": "null"}]},
            "previous": _nullable("previous"),
        }),
        "gap": _object("How far apart the sides are on one demand in one round.", {
            "demand": ID,
            "distance": {"type": ["number", "null"], "minimum": 0,
                         "description": "in stance steps for a scale, in the unit for a number"},
            "normalized": {"type": ["number", "null"], "minimum": 0,
                           "description": "distance / (scale length - 1) for a scale; the distance itself for a number"},
            "relative": {"type": ["number", "null"], "minimum": 0,
                         "description": "the share the class and trend follow: normalized for a scale; for a "
                                        "number, the distance over the larger magnitude of the two nearest ends"},
            "agreement": _enum([a.value for a in Agreement], nullable=True),
            "trend": _enum([t.value for t in Trend], nullable=True),
            "zone": _nullable("value"),
            "stated": {"type": "integer", "minimum": 0},
        }),
        "round": _object("One round, with every party × demand cell and every demand's gap.", {
            "id": ID,
            "date": DATE,
            "status": _enum(list(ROUND_STATUSES)),
            "venue": TEXT,
            "title": TEXT,
            "summary": TEXT,
            "sources": IDS,
            "line": LINE,
            "cells": {"type": "array", "items": _ref("cell")},
            "gaps": {"type": "array", "items": _ref("gap")},
        }),
    }
    top = _object("negotrack's JSON export of a catalog and its analysis (docs/export.md).", {
        "format": {"const": EXPORT_FORMAT},
        "version": {"const": EXPORT_VERSION},
        "catalog": _object("The catalog file.", {
            "file": {"type": "string"}, "title": {"type": "string"}, "description": TEXT,
            "format": {"type": "integer"},
        }),
        "claims": {"type": "boolean", "description": "false when the export was made with --no-claims"},
        "shift_glyphs": {
            "type": "object",
            "properties": {s: {"type": "string"} for s in shifts},
            "required": shifts,
            "additionalProperties": False,
        },
        "claim_glyph": {"type": "string"},
        "parties": {"type": "array", "items": _object("A party, in file order.", {
            "id": ID, "name": {"type": "string"}, "role": _enum(list(ROLES)), "note": TEXT, "line": LINE,
        })},
        "demands": {"type": "array", "items": _object("A demand, in file order.", {
            "id": ID, "title": {"type": "string"}, "kind": _enum(["scale", "number", "text"]),
            "scale": {"type": ["array", "null"], "items": {"type": "string"}, "minItems": 2},
            "unit": TEXT, "note": TEXT, "keywords": {"type": "array", "items": {"type": "string"}},
            "line": LINE,
        })},
        "sources": {"type": "array", "items": _object("A source, in file order.", {
            "id": ID, "outlet": {"type": "string"}, "date": {"anyOf": [DATE, {"type": "null"}]},
            "title": TEXT, "url": TEXT, "note": TEXT,
            "according_to": {"anyOf": [ID, {"type": "null"}]}, "line": LINE,
        })},
        "rounds": {"type": "array", "items": _ref("round")},
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "negotrack export",
        **top,
        "$defs": defs,
    }


def export_schema_text() -> str:
    """The schema as `negotrack schema --export` prints it and schema/export.schema.json holds it."""
    return json.dumps(build_export_schema(), ensure_ascii=False, indent=2) + "\n"
