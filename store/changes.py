"""What a catalog means, as a plain document, and the changes between two such documents.

`catalog_doc` drops everything that is only formatting (lines, comments, short vs long
form), so two files that mean the same give equal documents. `doc_changes` lists what
differs; `apply_changes` replays a list of changes, which lets the history store keep
deltas and rebuild any version. Both are JSON-safe: only dicts, lists, str, numbers, None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Catalog, Position, Report, Round, Value

#: sections of a catalog document whose entries are compared one by one
SECTIONS = ("parties", "demands", "sources", "rounds", "positions")
META_KEYS = ("format", "title", "description")
#: order lists: a change of column, row or round order is a change of meaning
ORDERS = ("parties", "demands", "rounds")


def position_key(round_id: str, party_id: str, demand_id: str) -> str:
    """Ids never contain `/`, so the key splits back unambiguously."""
    return f"{round_id}/{party_id}/{demand_id}"


def split_key(key: str) -> tuple[str, str, str]:
    round_id, party_id, demand_id = key.split("/")
    return round_id, party_id, demand_id


def _value(value: Value | None) -> list[int | float] | None:
    return None if value is None else [value.low, value.high]


def _compact(doc: dict[str, Any]) -> dict[str, Any]:
    # identity and truth tests only: `v not in (None, [], False)` compared every value by
    # equality and was most of the cost of a 48,000-position document
    return {k: v for k, v in doc.items() if v is not None and v is not False and (v or type(v) is not list)}


def _report_doc(report: Report) -> dict[str, Any]:
    return _compact({"stance": report.stance, "value": _value(report.value),
                     "sources": list(report.sources), "note": report.note,
                     "according_to": report.according_to, "speaker": report.speaker})


def position_doc(position: Position) -> dict[str, Any]:
    """A position as a compact JSON-safe dict (absent keys mean None / empty / false)."""
    return _compact({
        "stance": position.stance,
        "value": _value(position.value),
        "withdrawn": position.withdrawn,
        "status": position.status,
        "note": position.note,
        "quote": position.quote,
        "sources": list(position.sources),
        "disputed": [_report_doc(r) for r in position.disputed],
        # the account in force (its own or its sources'): a source that changes whose
        # account it is changes the meaning of every position that cites it
        "according_to": position.according_to,
        "speaker": position.speaker,
    })


def catalog_head(catalog: Catalog) -> dict[str, Any]:
    """`catalog_doc` without its `positions`: the meta data, order lists and definitions."""
    return {
        "meta": _compact({"format": catalog.format, "title": catalog.title, "description": catalog.description}),
        "order": {
            "parties": [p.id for p in catalog.parties],
            "demands": [d.id for d in catalog.demands],
            "rounds": [r.id for r in catalog.rounds],
        },
        "parties": {p.id: _compact({"name": p.name, "role": p.role, "note": p.note, "aliases": list(p.aliases)})
                    for p in catalog.parties},
        "demands": {
            d.id: _compact({
                "title": d.title, "note": d.note, "keywords": list(d.keywords),
                "scale": list(d.scale) if d.scale is not None else None, "unit": d.unit,
            })
            for d in catalog.demands
        },
        "sources": {
            s.id: _compact({"outlet": s.outlet, "date": s.date.isoformat() if s.date else None,
                            "title": s.title, "url": s.url, "note": s.note,
                            "according_to": s.according_to, "archive": s.archive})
            for s in catalog.sources
        },
        "rounds": {
            # `reported` is the default and is left out, so 1.0 histories read the same
            r.id: _compact({"date": r.date.isoformat(), "venue": r.venue, "title": r.title,
                            "summary": r.summary, "sources": list(r.sources),
                            "status": None if r.status == "reported" else r.status})
            for r in catalog.rounds
        },
    }


def round_positions_doc(round_: Round) -> dict[str, Any]:
    """The `positions` entries of one round, keyed `round/party/demand`, in file order."""
    rid = round_.id
    return {position_key(rid, party, demand): position_doc(p) for (party, demand), p in round_.positions.items()}


def catalog_doc(catalog: Catalog) -> dict[str, Any]:
    """The meaning of a catalog as a JSON-safe document, free of formatting and line numbers.

    This is the reference: the history store builds the same document round by round, reusing
    the rounds whose text did not change, and its tests hold it to equal this one.
    """
    doc = catalog_head(catalog)
    positions: dict[str, Any] = {}
    for r in catalog.rounds:
        positions.update(round_positions_doc(r))
    doc["positions"] = positions
    return doc


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: `section` is meta, order or one of SECTIONS; `kind` added, removed or changed."""

    section: str
    key: str
    kind: str
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "key": self.key, "kind": self.kind, "old": self.old, "new": self.new}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> "Change":
        return cls(doc["section"], doc["key"], doc["kind"], doc.get("old"), doc.get("new"))


def _diff_maps(section: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = [Change(section, k, "removed", old=v) for k, v in old.items() if k not in new]
    for key, value in new.items():
        if key not in old:
            changes.append(Change(section, key, "added", new=value))
        elif old[key] != value:
            changes.append(Change(section, key, "changed", old[key], value))
    return changes


def doc_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference between two catalog documents; empty when they mean the same."""
    changes = _diff_maps("meta", old.get("meta", {}), new.get("meta", {}))
    for name in ORDERS:
        before, after = old.get("order", {}).get(name, []), new.get("order", {}).get(name, [])
        if before != after:
            changes.append(Change("order", name, "changed", before, after))
    for section in SECTIONS:
        changes += _diff_maps(section, old.get(section, {}), new.get(section, {}))
    return changes


def doc_changes_by_round(old: dict[str, Any], new: dict[str, Any],
                         old_rounds: dict[str, dict[str, Any]], new_rounds: dict[str, dict[str, Any]]) -> list[Change]:
    """`doc_changes(old, new)`, looking only at the positions of rounds that changed.

    `old_rounds` and `new_rounds` split each document's `positions` by round (round id -> the
    entries whose key starts with that id, in document order; together exactly `positions`).
    A key starts with its round's id, so a position can only be added, changed or removed
    within its own round: a round whose entries are the very same dict on both sides is
    skipped unread. When each document's `positions` lists its rounds' entries round after
    round (as `catalog_doc` and the history store build them), the result equals
    `doc_changes(old, new)`, order included.
    """
    changes = _diff_maps("meta", old.get("meta", {}), new.get("meta", {}))
    for name in ORDERS:
        before, after = old.get("order", {}).get(name, []), new.get("order", {}).get(name, [])
        if before != after:
            changes.append(Change("order", name, "changed", before, after))
    for section in SECTIONS:
        if section != "positions":
            changes += _diff_maps(section, old.get(section, {}), new.get(section, {}))
    empty: dict[str, Any] = {}
    for rid, part in old_rounds.items():
        other = new_rounds.get(rid, empty)
        if other is not part:
            changes += [Change("positions", k, "removed", old=v) for k, v in part.items() if k not in other]
    for rid, part in new_rounds.items():
        other = old_rounds.get(rid, empty)
        if other is part:
            continue
        for key, value in part.items():
            if key not in other:
                changes.append(Change("positions", key, "added", new=value))
            elif other[key] != value:
                changes.append(Change("positions", key, "changed", other[key], value))
    return changes


def apply_changes(doc: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
    """`doc` with `changes` replayed (a new document; `doc` is not modified)."""
    out = {key: (dict(value) if isinstance(value, dict) else value) for key, value in doc.items()}
    for section in ("meta", "order", *SECTIONS):
        out.setdefault(section, {})
    for change in changes:
        target = out[change.section]
        if change.kind == "removed":
            target.pop(change.key, None)
        else:
            target[change.key] = change.new
    # Entries that were replaced keep their place only by key; restore the file order.
    order = out["order"]
    for name in ORDERS:
        if name in order:
            out[name] = {k: out[name][k] for k in order[name] if k in out[name]}
    return out
