"""A bounded property test over the loader and the analysis (issue 11): for every generated
catalog, valid or not, well-formed YAML or mangled, the loader either reports problems, each at
a line and column, or gives a catalog that analyses and exports, and whose exports and history
document read back to what was written. Never an exception. About ten seconds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from negotrack.store import parse_catalog
from negotrack.store.analysis import analyze
from negotrack.store.changes import apply_changes, catalog_doc, doc_changes
from negotrack.store.export import COLUMNS, export_doc, to_csv, to_html, to_json, to_markdown
from negotrack.store.history import catalog_to_hash, doc_to_hash

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.mutate import mutate  # noqa: E402

IDS = st.sampled_from(["a", "b", "c", "side-a", "x_1"])
BAD_IDS = st.sampled_from(["bad id", "", "Ü", "a/b", "a.b"])
DAYS = st.lists(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)), max_size=4)
BAD_DATES = st.sampled_from(["2024-02-30", "2023-02-29", "2024-13-01", "2024-1-1", 20240101, "yesterday", None])
TEXT = st.one_of(st.text(min_size=1, max_size=12).filter(str.strip),
                 st.sampled_from(["[/]", "\x1b[31m", "a\u2028b", "null", "3", "Ü ש ع"]))
SCALE = ["none", "some", "all"]
BAD_VALUES = st.one_of(
    st.sampled_from(["unknown stance", "", None, True, [2, 1], [1], [1, 2, 3], {"stance": "all", "bogus": 1}]),
    st.integers(min_value=-10**30, max_value=10**30), st.floats(), TEXT,
)


def _value(draw, kind: str):
    if kind == "scale":
        stance = draw(st.sampled_from(SCALE))
        if draw(st.booleans()):
            return stance
        return draw(st.fixed_dictionaries({"stance": st.just(stance)}, optional={
            "status": st.sampled_from(["demand", "offer", "accepted"]), "note": TEXT, "quote": TEXT,
            "withdrawn": st.just(True)}))
    if kind == "number":
        low = draw(st.one_of(st.integers(-1000, 10**12), st.floats(-1e6, 1e12, allow_nan=False)))
        high = draw(st.one_of(st.just(low), st.integers(int(max(low, -1000)) + 1, 10**12 + 1)))
        return low if low == high else [low, high]
    return draw(TEXT)


@st.composite
def catalogs(draw) -> dict:
    """A valid catalog as a dict (ids, dates in order, values that suit their demand)."""
    parties = draw(st.dictionaries(IDS, st.fixed_dictionaries(
        {"name": TEXT}, optional={"role": st.sampled_from(["party", "mediator", "observer"])}), min_size=1, max_size=3))
    kinds = draw(st.dictionaries(IDS, st.sampled_from(["scale", "number", "text"]), min_size=1, max_size=3))
    demands = {d: {"title": draw(TEXT), **({"scale": SCALE} if k == "scale" else {"unit": "days"} if k == "number" else {})}
               for d, k in kinds.items()}
    sources = draw(st.dictionaries(IDS, st.fixed_dictionaries({"outlet": TEXT}), max_size=2))
    rounds = []
    for n, day in enumerate(sorted(draw(DAYS))):
        positions = {}
        for party in draw(st.lists(st.sampled_from(list(parties)), unique=True)):
            chosen = draw(st.lists(st.sampled_from(list(demands)), unique=True, min_size=1))
            positions[party] = {d: _value(draw, kinds[d]) for d in chosen}
        entry = {"id": f"r{n}", "date": day.isoformat()}
        if sources and draw(st.booleans()):
            entry["sources"] = [draw(st.sampled_from(list(sources)))]
        if positions:
            entry["positions"] = positions
        rounds.append(entry)
    spec = {"format": 1, "title": draw(TEXT), "parties": parties, "demands": demands, "rounds": rounds}
    if sources:
        spec["sources"] = sources
    return spec


@st.composite
def broken(draw) -> dict:
    """A valid catalog with one thing wrong: a bad id, date or value, or a section gone."""
    spec = draw(catalogs())
    what = draw(st.sampled_from(["id", "date", "value", "drop", "format"]))
    if what == "id":
        party = next(iter(spec["parties"]))
        spec["parties"][draw(BAD_IDS)] = spec["parties"].pop(party)
    elif what == "date" and spec["rounds"]:
        draw(st.sampled_from(spec["rounds"]))["date"] = draw(BAD_DATES)
    elif what == "value":
        spec["rounds"].append({"id": "late", "date": "2027-01-01",
                               "positions": {next(iter(spec["parties"])): {next(iter(spec["demands"])): draw(BAD_VALUES)}}})
    elif what == "drop":
        del spec[draw(st.sampled_from(["title", "parties", "demands", "rounds"]))]
    else:
        spec["format"] = draw(st.sampled_from([2, "1", None, 1.5]))
    return spec


def _check_catalog(catalog) -> None:
    analysis = analyze(catalog)
    doc = export_doc(catalog, analysis)
    assert json.loads(to_json(catalog, analysis)) == json.loads(json.dumps(doc, allow_nan=False))
    rows = list(csv.reader(io.StringIO(to_csv(catalog, analysis, bom=False))))
    cells = len(catalog.rounds) * len(catalog.parties) * len(catalog.demands)
    assert rows[0] == list(COLUMNS) and len(rows) == 1 + cells and all(len(r) == len(COLUMNS) for r in rows)
    assert isinstance(to_markdown(catalog, analysis), str) and to_html(catalog, analysis).lstrip().lower().startswith("<!doctype html")
    meaning = catalog_doc(catalog)
    stored = json.loads(json.dumps(meaning, allow_nan=False))  # as a history blob holds it
    assert apply_changes(stored, []) == meaning and doc_changes(stored, meaning) == []
    assert doc_to_hash(meaning) == catalog_to_hash(catalog)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=st.one_of(catalogs(), broken()), mangle=st.integers(min_value=0, max_value=2**32), how=st.sampled_from(["yaml", "flow", "mangled"]))
def test_every_catalog_either_has_located_problems_or_exports_and_round_trips(spec, mangle, how):
    if how == "flow":
        text = yaml.safe_dump(spec, default_flow_style=True, allow_unicode=True, width=60)
    else:
        text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    data = text.encode("utf-8")
    if how == "mangled":
        data = mutate(data, random.Random(mangle))[0]
    catalog, problems = parse_catalog(data, "p.yaml")
    if catalog is None:
        assert problems and any(p.severity == "error" for p in problems)
    for problem in problems:
        assert problem.file == "p.yaml" and problem.line >= 1 and problem.column >= 1, problem
    event("valid" if catalog is not None else "problems")
    if catalog is not None:
        _check_catalog(catalog)
