"""A JSON Schema (draft 2020-12) of the catalog format, for editors (docs/export.md).

Built from the same key lists as the validator, so the two cannot drift apart on which keys
exist. The schema checks shape only: that ids exist, stances are on their demand's scale,
values are numbers for numeric demands and rounds are in order are `negotrack validate`'s
job. It is written to never reject a file that `validate` accepts: where validate reads any
scalar as text (a title of `1967`), the schema accepts numbers and booleans too, and
wherever validate treats an empty value as absent, the schema allows null.
"""

from __future__ import annotations

import json
from typing import Any

from .catalog import DEMAND_KEYS, DISPUTED_KEYS, PARTY_KEYS, POSITION_KEYS, ROUND_KEYS, SOURCE_KEYS, TOP_KEYS
from .model import ROLES, ROUND_STATUSES, STATUSES

ID_PATTERN = "^[A-Za-z0-9_-]+$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

NULL: dict[str, Any] = {"type": "null"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _optional(name: str) -> dict[str, Any]:
    return {"anyOf": [_ref(name), NULL]}


def _object(keys: tuple[str, ...], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A mapping that allows exactly `keys`, in that order (a test checks both lists agree)."""
    missing = set(keys) ^ set(properties)
    if missing:
        raise ValueError(f"schema and validator disagree on keys: {sorted(missing)}")
    return {"type": "object", **extra, "properties": {k: properties[k] for k in keys}, "additionalProperties": False}


def _entries(description: str, item: str) -> dict[str, Any]:
    """`id: {...}` definitions: at least one, ids of letters, digits, `-` and `_`."""
    return {
        "description": description,
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": ID_PATTERN},
        "additionalProperties": _ref(item),
    }


def _reading(value_or_stance: str) -> dict[str, Any]:
    """A long form (position or disputed report) needs a non-empty stance or value."""
    return {"required": [value_or_stance], "properties": {value_or_stance: {"not": NULL}}}


def _demand() -> dict[str, Any]:
    """A demand is ordinal (`scale`) or numeric (`unit`), never both.

    Each kind is its own closed alternative, so an editor completes `unit` only on a demand
    that has no `scale` yet (and the reverse). The other kind's key may still be written empty,
    as validate reads an empty value as absent; as a pattern property it is never offered.
    """
    common = {
        "title": _ref("text"),
        "note": _optional("text"),
        "keywords": {
            "description": "Words that signal this demand in an article.",
            "type": ["array", "null"],
            "items": {"anyOf": [_ref("text"), NULL]},
        },
    }
    kinds = {
        "scale": {
            "description": "An ordinal demand: two or more distinct stances, low to high.",
            "anyOf": [{"type": "array", "minItems": 2, "items": _ref("text")}, NULL],
        },
        "unit": {
            "description": "A numeric demand: positions are numbers or [low, high] ranges in this unit.",
            "anyOf": [_ref("text"), NULL],
        },
    }
    alternatives = []
    for key, other in (("scale", "unit"), ("unit", "scale")):
        keys = tuple(k for k in DEMAND_KEYS if k != other)
        alternative = _object(keys, {**common, key: kinds[key]}, required=["title"])
        # errorMessage: the YAML language server's own keyword for the message it shows
        alternative["patternProperties"] = {f"^{other}$": {**NULL, "errorMessage": "A demand has a scale or a unit, not both."}}
        alternatives.append(alternative)
    return {
        "description": "A demand: a row of the matrix; ordinal (scale), numeric (unit) or free text (neither).",
        "anyOf": alternatives,
    }


def _defs() -> dict[str, Any]:
    sources = {
        "description": "Source ids: one id or a list of ids.",
        "anyOf": [_ref("id"), {"type": "array", "items": _ref("id")}],
    }
    return {
        "text": {
            "description": "Free text. A plain number or true/false is read as the text it is written as.",
            "type": ["string", "number", "boolean"],
        },
        "id": {
            "description": "Letters, digits, `-` and `_`. A plain number is read as the id it is written as.",
            "anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer"}, {"type": "boolean"}],
        },
        "date": {"description": "An ISO date, YYYY-MM-DD.", "type": "string", "pattern": DATE_PATTERN},
        "sources": sources,
        "value": {
            "description": "A number, or a range [low, high] with low <= high.",
            "anyOf": [
                {"type": "number"},
                {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "minItems": 2, "maxItems": 2},
            ],
        },
        "party": _object(PARTY_KEYS, {
            "name": _ref("text"),
            "role": {
                "description": "Only parties with role `party` count for the gap between the sides.",
                "enum": [*ROLES, None],
                "default": "party",
            },
            "note": _optional("text"),
            "aliases": {
                "description": "Other names the reports use for this party (negotrack draft looks for them).",
                "type": ["array", "null"],
                "items": _ref("text"),
            },
        }, description="A party: a column of the matrix.", required=["name"]),
        "demand": _demand(),
        "source": _object(SOURCE_KEYS, {
            "outlet": _ref("text"),
            "date": _optional("date"),
            "title": _optional("text"),
            "url": _optional("text"),
            "note": {"description": "Who is speaking, e.g. sources close to one side.", "anyOf": [_ref("text"), NULL]},
            "according_to": {"description": "Whose account this outlet's reports mostly are (a party id): "
                             "the default account of the positions that cite it.", **_ref("id")},
            "archive": {"description": "A local copy of the report, relative to the catalog's folder.", "anyOf": [_ref("text"), NULL]},
        }, description="Where a position was reported.", required=["outlet"]),
        "stance-or-value": {
            "description": "Short form: a stance on the scale, free text, a number or a [low, high] range.",
            "anyOf": [_ref("text"), _ref("value")],
        },
        "disputed": {
            **_object(DISPUTED_KEYS, {
                "stance": _optional("text"),
                "value": _optional("value"),
                "source": sources,
                "sources": _optional("sources"),
                "according_to": {"description": "Whose account this is (a party id); another side's account is a claim.", **_ref("id")},
                "speaker": {"description": "Who spoke, e.g. a senior official.", "anyOf": [_ref("text"), NULL]},
                "note": _optional("text"),
            }, description="Another outlet's account of the same position."),
            "anyOf": [_reading("stance"), _reading("value")],
            "allOf": [{"not": {"required": ["stance", "value"]}}, {"not": {"required": ["source", "sources"]}}],
        },
        "long-position": {
            **_object(POSITION_KEYS, {
                "stance": {"description": "For a demand with a scale or a free-text demand.", "anyOf": [_ref("text"), NULL]},
                "value": {"description": "For a numeric demand.", "anyOf": [_ref("value"), NULL]},
                "withdrawn": {"description": "The party dropped this demand.", "type": "boolean"},
                "status": {"enum": [*STATUSES, None]},
                "note": _optional("text"),
                "quote": _optional("text"),
                "source": sources,
                "sources": _optional("sources"),
                "according_to": {"description": "Whose account this is (a party id); another side's account is a claim.", **_ref("id")},
                "speaker": {"description": "Who spoke, e.g. a senior official.", "anyOf": [_ref("text"), NULL]},
                "disputed": {
                    "description": "Other reports of the same position, when outlets disagree.",
                    "type": ["array", "null"],
                    "items": _ref("disputed"),
                },
            }, description="Long form: the stance or value with its status, note, quote and sources."),
            "anyOf": [_reading("stance"), _reading("value"), {"required": ["withdrawn"], "properties": {"withdrawn": {"const": True}}}],
            "allOf": [{"not": {"required": ["stance", "value"]}}, {"not": {"required": ["source", "sources"]}}],
        },
        "position": {"anyOf": [_ref("stance-or-value"), _ref("long-position")]},
        "round": _object(ROUND_KEYS, {
            "id": _ref("id"),
            "date": {"description": "A round spanning days uses its first day; rounds are in chronological order.", **_ref("date")},
            "status": {
                "description": "reported (default): a report says it took place; announced: a report says it will; "
                               "inferred: the catalog's own dating or placing of talks the reports speak of.",
                "enum": [*ROUND_STATUSES, None],
                "default": "reported",
            },
            "venue": _optional("text"),
            "title": _optional("text"),
            "summary": _optional("text"),
            "sources": {"description": "Default sources of this round's positions.", "anyOf": [_ref("sources"), NULL]},
            "positions": {
                "description": "Party id -> demand id -> position. A party or demand left out has nothing new this round.",
                "type": ["object", "null"],
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {
                    "type": "object",
                    "propertyNames": {"pattern": ID_PATTERN},
                    "additionalProperties": _ref("position"),
                },
            },
        }, description="One round of talks.", required=["id", "date"]),
    }


def build_schema() -> dict[str, Any]:
    """The catalog format as a JSON Schema document (plain dicts and lists)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "negotrack catalog",
        "description": (
            "Negotiation positions round by round (format 1). Checks the shape of the file; "
            "`negotrack validate` also checks that ids exist, stances are on their scale and rounds are in order."
        ),
        **_object(TOP_KEYS, {
            "format": {"description": "The format version; only 1 exists.", "const": 1},
            "title": _ref("text"),
            "description": _optional("text"),
            "parties": _entries("Party id -> party; file order is column order.", "party"),
            "demands": _entries("Demand id -> demand; file order is row order.", "demand"),
            "sources": {"anyOf": [_entries("Source id -> source.", "source"), NULL]},
            "rounds": {"description": "Rounds in chronological order.", "type": "array", "items": _ref("round")},
        }, required=["title", "parties", "demands", "rounds"]),
        "$defs": _defs(),
    }


def schema_text() -> str:
    """The schema as `negotrack schema` prints it and schema/negotrack.schema.json holds it."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"
