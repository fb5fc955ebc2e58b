"""The history store: delta encoding of every kind of change, rebuilding every version,
what changed since a hash, each cell's edit history, view state, the default location."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys

import pytest
import yaml

from negotrack.store import parse_catalog
from negotrack.store.changes import Change, catalog_doc
from negotrack.store.history import (
    History, ViewState, catalog_to_hash, changes_to_summary, default_db_path, doc_to_hash,
)


def base_spec() -> dict:
    return {
        "format": 1,
        "title": "Talks",
        "description": "As reported.",
        "parties": {"a": {"name": "Side A"}, "b": {"name": "Side B"}, "m": {"name": "Mediator", "role": "mediator"}},
        "demands": {
            "truce": {"title": "Truce", "scale": ["none", "temporary", "permanent"]},
            "ratio": {"title": "Ratio", "unit": "per captive"},
            "text": {"title": "Guarantees"},
        },
        "sources": {"s1": {"outlet": "Wire", "date": "2024-01-01"}, "s2": {"outlet": "Paper"}},
        "rounds": [
            {"id": "r1", "date": "2024-01-01", "venue": "Doha", "sources": ["s1"],
             "positions": {"a": {"truce": "permanent", "ratio": 3}, "b": {"truce": "temporary", "ratio": [1, 2]}}},
            {"id": "r2", "date": "2024-02-01", "sources": ["s2"],
             "positions": {"a": {"ratio": 4}, "b": {"text": "in writing"}}},
        ],
    }


def build(spec: dict):
    catalog, problems = parse_catalog(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "talks.yaml")
    assert catalog is not None, [str(p) for p in problems]
    return catalog


def round_of(spec: dict, round_id: str) -> dict:
    return next(r for r in spec["rounds"] if r["id"] == round_id)


@pytest.fixture
def open_history(tmp_path):
    opened: list[History] = []

    def _open(checkpoint_every: int = 500) -> History:
        history, warnings = History.open(str(tmp_path / "talks.yaml"), str(tmp_path / "db.json"), checkpoint_every=checkpoint_every)
        assert warnings == []
        opened.append(history)
        return history

    yield _open
    for history in opened:
        history.close()


# Each edit: a change to the spec, the (section, kind) pairs it must produce, the summary.
def _set(path_fn, value):
    def edit(spec):
        target, key = path_fn(spec)
        target[key] = value
    return edit


def _del(path_fn):
    def edit(spec):
        target, key = path_fn(spec)
        del target[key]
    return edit


def _add_round(spec):
    spec["rounds"].append({"id": "r3", "date": "2024-03-01", "positions": {"a": {"ratio": 5}, "m": {"text": "hopeful"}}})


def _swap_parties(spec):
    spec["parties"] = dict(reversed(list(spec["parties"].items())))


def _swap_same_day_rounds(spec):
    round_of(spec, "r2")["date"] = "2024-01-01"
    spec["rounds"].reverse()


EDITS = [
    ("position changed", _set(lambda s: (round_of(s, "r1")["positions"]["a"], "ratio"), 6),
     {("positions", "changed")}, "1 position changed"),
    ("position added", _set(lambda s: (round_of(s, "r2")["positions"]["a"], "truce"), "none"),
     {("positions", "added")}, "1 position added"),
    ("position removed", _del(lambda s: (round_of(s, "r1")["positions"]["b"], "ratio")),
     {("positions", "removed")}, "1 position removed"),
    ("long form status and note", _set(lambda s: (round_of(s, "r1")["positions"]["a"], "truce"),
                                       {"stance": "permanent", "status": "red line", "note": "firm", "sources": ["s2"]}),
     {("positions", "changed")}, "1 position changed"),
    ("round metadata", _set(lambda s: (round_of(s, "r1"), "venue"), "Cairo"),
     {("rounds", "changed")}, "1 round changed"),
    ("round added", _add_round,
     {("rounds", "added"), ("positions", "added"), ("order", "changed")}, "2 positions added, 1 round added"),
    ("round removed", lambda s: s["rounds"].pop(),
     {("rounds", "removed"), ("positions", "removed"), ("order", "changed")}, "2 positions removed, 1 round removed"),
    ("party added", _set(lambda s: (s["parties"], "c"), {"name": "Side C"}),
     {("parties", "added"), ("order", "changed")}, "1 party added"),
    ("party changed", _set(lambda s: (s["parties"]["c"], "role"), "observer"),
     {("parties", "changed")}, "1 party changed"),
    ("party removed", _del(lambda s: (s["parties"], "c")),
     {("parties", "removed"), ("order", "changed")}, "1 party removed"),
    ("demand added", _set(lambda s: (s["demands"], "land"), {"title": "Land", "keywords": ["border"]}),
     {("demands", "added"), ("order", "changed")}, "1 demand added"),
    ("demand changed", _set(lambda s: (s["demands"]["ratio"], "unit"), "per hostage"),
     {("demands", "changed")}, "1 demand changed"),
    ("demand removed", _del(lambda s: (s["demands"], "land")),
     {("demands", "removed"), ("order", "changed")}, "1 demand removed"),
    ("source added", _set(lambda s: (s["sources"], "s3"), {"outlet": "Radio", "url": "https://example.org/x"}),
     {("sources", "added")}, "1 source added"),
    ("source changed", _set(lambda s: (s["sources"]["s3"], "title"), "Evening news"),
     {("sources", "changed")}, "1 source changed"),
    ("source removed", _del(lambda s: (s["sources"], "s3")),
     {("sources", "removed")}, "1 source removed"),
    ("party order", _swap_parties, {("order", "changed")}, "party order changed"),
    ("round order", _swap_same_day_rounds, {("order", "changed"), ("rounds", "changed")}, "1 round changed, round order changed"),
    ("title", _set(lambda s: (s, "title"), "Talks 2"), {("meta", "changed")}, "title changed"),
    ("description removed", _del(lambda s: (s, "description")), {("meta", "removed")}, "description removed"),
    ("unicode and several", lambda s: (round_of(s, "r1")["positions"]["a"].update(ratio=7, text="écrit ✓"),
                                       round_of(s, "r1").update(title="Runde")),
     {("positions", "changed"), ("positions", "added"), ("rounds", "changed")},
     "1 position changed, 1 position added, 1 round changed"),
]


def test_every_kind_of_change_is_recorded_as_its_delta_and_every_version_rebuilds(open_history):
    history = open_history(checkpoint_every=3)
    spec = base_spec()
    catalogs = [build(spec)]
    first = history.record(catalogs[0])
    assert first is not None and first.id == 1
    assert first.summary == "first snapshot: 3 parties, 3 demands, 2 rounds, 6 positions"
    for name, edit, kinds, summary in EDITS:
        before = catalogs[-1]
        spec = copy.deepcopy(spec)
        edit(spec)
        catalogs.append(build(spec))
        info = history.record(catalogs[-1])
        assert info is not None, name
        assert info.summary == summary, name
        assert info.hash == catalog_to_hash(catalogs[-1]), name
        # The delta that was stored, replayed onto the previous version, gives this one.
        changes = history.changes_since(catalog_to_hash(before), catalogs[-1])
        assert {(c.section, c.kind) for c in changes} == kinds, name
    infos = history.snapshots()
    assert [s.id for s in infos] == list(range(1, len(EDITS) + 2))
    for info, catalog in zip(infos, catalogs):
        assert history.version(info.id) == catalog_doc(catalog)
    # A fresh store has no cache: every version comes from the files, across checkpoints.
    fresh = open_history(checkpoint_every=3)
    for info, catalog in zip(fresh.snapshots(), catalogs):
        assert fresh.version(info.id) == catalog_doc(catalog), info
        assert doc_to_hash(fresh.version(info.id)) == info.hash
    with open(history.db_path, encoding="utf-8") as fh:
        rows = json.load(fh)["snapshots"]
    checkpoints = [int(k) for k, row in rows.items() if row.get("full")]
    assert checkpoints[0] == 1 and len(checkpoints) >= len(EDITS) // 3, checkpoints


def test_version_keeps_the_order_of_parties_demands_and_rounds(open_history):
    history = open_history()
    spec = base_spec()
    history.record(build(spec))
    _swap_parties(spec)
    catalog = build(spec)
    info = history.record(catalog)
    doc = open_history().version(info.id)
    for section in ("parties", "demands", "rounds"):
        assert list(doc[section]) == list(catalog_doc(catalog)[section])


def _random_edit(spec: dict, rng: random.Random, step: int) -> None:
    parties, demands = list(spec["parties"]), list(spec["demands"])
    choice = rng.randrange(6)
    if choice == 0 or len(spec["rounds"]) < 2:
        last = spec["rounds"][-1]["date"]
        month = int(last[5:7]) % 12 + 1
        spec["rounds"].append({"id": f"x{step}", "date": f"{int(last[:4]) + (month == 1)}-{month:02d}-01",
                               "positions": {rng.choice(parties): {"ratio": step}}})
    elif choice == 1:
        removed = spec["rounds"].pop(rng.randrange(len(spec["rounds"])))
        assert removed
    elif choice == 2:
        spec["parties"][f"p{step}"] = {"name": f"Party {step}"}
    elif choice == 3:
        spec["demands"][rng.choice(demands)]["note"] = f"note {step}"
    else:
        for _ in range(rng.randrange(1, 6)):
            rnd = rng.choice(spec["rounds"])
            party = rng.choice([p for p in parties if p != "m"])
            cell = rnd.setdefault("positions", {}).setdefault(party, {})
            demand = rng.choice(["ratio", "text"])
            if demand in cell and rng.random() < 0.3:
                del cell[demand]
            else:
                cell[demand] = step if demand == "ratio" else f"said {step}"
    for rnd in spec["rounds"]:
        rnd["positions"] = {p: cells for p, cells in rnd.get("positions", {}).items() if cells}


def test_random_edit_sequences_rebuild_exactly_with_any_checkpoint_interval(open_history, tmp_path):
    rng = random.Random(5)
    for every in (1, 2, 7):
        db = tmp_path / f"db{every}.json"
        history, _ = History.open(str(tmp_path / "talks.yaml"), str(db), checkpoint_every=every)
        spec = base_spec()
        docs = []
        for step in range(25):
            catalog = build(spec)
            if history.record(catalog) is not None:
                docs.append(catalog_doc(catalog))
            _random_edit(spec, rng, step)
        history.close()
        reopened, warnings = History.open(str(tmp_path / "talks.yaml"), str(db), checkpoint_every=every)
        assert warnings == []
        assert [reopened.version(s.id) for s in reopened.snapshots()] == docs
        reopened.close()


def test_recording_the_same_meaning_twice_records_nothing(open_history):
    history = open_history()
    spec = base_spec()
    info = history.record(build(spec))
    assert history.record(build(spec)) is None
    # Reformatted: other key order inside entries, flow style, comments, short vs long form.
    reformatted = copy.deepcopy(spec)
    reformatted["parties"]["m"] = {"role": "mediator", "name": "Mediator"}
    round_of(reformatted, "r1")["positions"]["a"]["ratio"] = {"value": 3}
    text = "# a comment\n" + yaml.safe_dump(reformatted, sort_keys=False, default_flow_style=True, width=60)
    catalog, problems = parse_catalog(text, "talks.yaml")
    assert catalog is not None, problems
    assert history.record(catalog) is None
    assert [s.id for s in history.snapshots()] == [info.id]


def test_reverting_to_an_earlier_version_is_a_new_snapshot(open_history):
    history = open_history()
    spec = base_spec()
    first = history.record(build(spec))
    changed = copy.deepcopy(spec)
    round_of(changed, "r1")["positions"]["a"]["ratio"] = 9
    history.record(build(changed))
    back = history.record(build(spec))
    assert back is not None and back.id == 3 and back.hash == first.hash
    assert back.summary == "1 position changed"


def test_changes_since(open_history):
    history = open_history()
    spec = base_spec()
    v1 = build(spec)
    assert history.changes_since(None, v1) == []
    history.record(v1)
    seen = history.content_hash(v1)
    assert history.changes_since(seen, v1) == []
    assert history.changes_since("0" * 64, v1) == []
    spec = copy.deepcopy(spec)
    round_of(spec, "r1")["positions"]["a"]["ratio"] = 10
    history.record(build(spec))
    spec = copy.deepcopy(spec)
    round_of(spec, "r2")["positions"]["b"]["text"] = "verbal only"
    v3 = build(spec)  # not recorded yet: changes are against the catalog as loaded
    changes = history.changes_since(seen, v3)
    assert sorted((c.key, c.kind) for c in changes) == [("r1/a/ratio", "changed"), ("r2/b/text", "changed")]
    ratio = next(c for c in changes if c.key == "r1/a/ratio")
    assert (ratio.old["value"], ratio.new["value"]) == ([3, 3], [10, 10])
    # From a fresh store too (the seen version is rebuilt from disk).
    assert open_history().changes_since(seen, v3) == changes


def test_cell_history_across_three_edits(open_history):
    history = open_history()
    spec = base_spec()
    history.record(build(spec))                              # 1: r1/a/ratio = 3
    round_of(spec, "r1")["positions"]["a"]["ratio"] = 4
    history.record(build(spec))                              # 2: 3 -> 4
    round_of(spec, "r2")["positions"]["b"]["text"] = "other"
    history.record(build(spec))                              # 3: another cell only
    del round_of(spec, "r1")["positions"]["a"]["ratio"]
    history.record(build(spec))                              # 4: removed
    infos = history.snapshots()
    versions = history.cell_history("r1", "a", "ratio")
    assert [(v.hash, (v.position or {}).get("value")) for v in versions] == [
        (infos[0].hash, [3, 3]), (infos[1].hash, [4, 4]), (infos[3].hash, None)]
    assert versions[-1].position is None
    assert [v.taken_at for v in versions] == [infos[i].taken_at for i in (0, 1, 3)]
    assert history.cell_history("r9", "a", "ratio") == []
    # Another cell only changed in snapshot 3; a fresh store gives the same answers.
    fresh = open_history()
    assert [v.hash for v in fresh.cell_history("r2", "b", "text")] == [infos[0].hash, infos[2].hash]
    assert fresh.cell_history("r1", "a", "ratio") == versions
    # It keeps up with snapshots recorded after it was first asked.
    round_of(spec, "r1")["positions"]["a"]["ratio"] = 8
    latest = fresh.record(build(spec))
    assert [v.hash for v in fresh.cell_history("r1", "a", "ratio")][-1] == latest.hash


def test_view_state_is_saved_and_restored(open_history):
    history = open_history()
    assert history.view_state() is None
    state = ViewState("r2", "b", "text", "a" * 64, "2026-11-23T19:00:00Z")
    history.save_view_state(state)
    assert history.view_state() == state
    history.save_view_state(ViewState("r1", None, None, None, None))
    assert open_history().view_state() == ViewState("r1", None, None, None, None)
    # Saving the view state never touches the snapshots.
    history.record(build(base_spec()))
    history.save_view_state(state)
    assert len(open_history().snapshots()) == 1


def test_summary_counts_only_meaningful_changes():
    changes = [
        Change("positions", "r1/a/d", "changed", {}, {"stance": "x"}),
        Change("positions", "r1/b/d", "changed", {}, {"stance": "y"}),
        Change("positions", "r1/c/d", "changed", {}, {"stance": "z"}),
        Change("rounds", "r2", "added", None, {"date": "2024-01-02"}),
        Change("order", "rounds", "changed", ["r1"], ["r1", "r2"]),  # follows from the addition
    ]
    assert changes_to_summary(changes) == (4, "3 positions changed, 1 round added")
    reorder = [Change("order", "parties", "changed", ["a", "b"], ["b", "a", "c"]), Change("parties", "c", "added", None, {})]
    assert changes_to_summary(reorder) == (2, "1 party added, party order changed")
    assert changes_to_summary([]) == (0, "no change")


def test_default_db_path(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    path = default_db_path("positions.yaml")
    assert os.path.dirname(path) == str(tmp_path / "xdg" / "negotrack")
    name = os.path.basename(path)
    assert name.endswith(".json") and "positions-yaml-" in name
    assert default_db_path(str(tmp_path / "positions.yaml")) == path  # relative and absolute agree
    assert default_db_path(str(tmp_path / "other" / "positions.yaml")) != path
    monkeypatch.setenv("NEGOTRACK_DB", str(tmp_path / "mine.json"))
    assert default_db_path("positions.yaml") == str(tmp_path / "mine.json")


def test_open_without_db_path_uses_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    history, warnings = History.open(str(tmp_path / "talks.yaml"))
    with history:
        history.record(build(base_spec()))
    assert warnings == []
    assert history.db_path.startswith(str(tmp_path / "xdg" / "negotrack") + os.sep)
    assert os.path.isfile(history.db_path)


def test_the_store_never_imports_textual():
    code = ("import sys, negotrack.store.history, negotrack.store.storage;"
            "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_checkpoint_is_taken_once_the_deltas_outweigh_the_full_document(open_history, monkeypatch):
    import negotrack.store.history as history_module

    monkeypatch.setattr(history_module, "MIN_CHECKPOINT_BYTES", 0)
    history = open_history(checkpoint_every=1000)
    spec = base_spec()
    catalogs = []
    for step in range(12):
        round_of(spec, "r1")["positions"]["a"]["text"] = f"a long statement number {step} " * 8
        catalogs.append(build(spec))
        history.record(catalogs[-1])
    with open(history.db_path, encoding="utf-8") as fh:
        rows = json.load(fh)["snapshots"]
    full = [int(k) for k, row in sorted(rows.items(), key=lambda kv: int(kv[0])) if row.get("full")]
    assert len(full) >= 2 and full[0] == 1
    # Between two full copies the deltas add up to at least the size of the earlier one.
    since = sum(rows[str(i)]["delta_bytes"] for i in range(full[0] + 1, full[1] + 1))
    assert since >= rows[str(full[0])]["full_bytes"]
    assert since - rows[str(full[1])]["delta_bytes"] < rows[str(full[0])]["full_bytes"]
    fresh = open_history(checkpoint_every=1000)
    assert [fresh.version(s.id) for s in fresh.snapshots()] == [catalog_doc(c) for c in catalogs]


def test_one_history_shared_by_threads_keeps_everything(open_history):
    import threading

    history = open_history()
    catalogs = []
    for step in range(15):
        spec = base_spec()
        round_of(spec, "r1")["positions"]["a"]["ratio"] = 100 + step
        catalogs.append(build(spec))
    errors: list[BaseException] = []

    def guarded(fn):
        def run():
            try:
                fn()
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
        return run

    def recorder():
        for catalog in catalogs:
            history.record(catalog)

    def viewer():
        for step in range(40):
            history.save_view_state(ViewState(round_id=f"r{step}"))
            history.snapshots()
            history.cell_history("r1", "a", "ratio")

    threads = [threading.Thread(target=guarded(fn)) for fn in (recorder, viewer, viewer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [s.hash for s in history.snapshots()] == [catalog_to_hash(c) for c in catalogs]
    assert history.view_state().round_id == "r39"
    assert len(history.cell_history("r1", "a", "ratio")) == 15


# -- recording round by round: unchanged rounds are reused, never served stale ----------------

from negotrack.store.changes import doc_changes  # noqa: E402


def render(spec: dict, styles: dict[str, str] | None = None) -> str:
    """The spec as YAML text, each round written on its own: `block` (default), `flow` (one
    line), `comment` (block with a comment inside) or `wide` (block, indented further)."""
    head = {k: v for k, v in spec.items() if k != "rounds"}
    text = yaml.safe_dump(head, sort_keys=False, allow_unicode=True) + "rounds:\n"
    for rnd in spec["rounds"]:
        style = (styles or {}).get(rnd["id"], "block")
        if style == "flow":
            text += "- " + yaml.safe_dump(rnd, sort_keys=False, allow_unicode=True, default_flow_style=True, width=10**6).strip() + "\n"
            continue
        body = yaml.safe_dump(rnd, sort_keys=False, allow_unicode=True, indent=4 if style == "wide" else 2)
        pad = "    " if style == "wide" else "  "
        lines = body.rstrip("\n").split("\n")
        if style == "comment":
            lines.insert(1, "# said off the record")
        text += ("-   " if style == "wide" else "- ") + lines[0] + "\n" + "".join(pad + line + "\n" for line in lines[1:])
    return text


def load(text: str):
    catalog, problems = parse_catalog(text, "talks.yaml")
    assert catalog is not None, [str(p) for p in problems]
    return catalog


def stored_delta(history: History, snapshot_id: int) -> list[dict]:
    with open(history.db_path, encoding="utf-8") as fh:
        return json.load(fh)["snapshots"][str(snapshot_id)]["delta"]


def check_against_scratch(history: History, catalog) -> None:
    """The store's document and hash of `catalog` are those computed from scratch."""
    doc = catalog_doc(catalog)
    assert history._version_of(catalog).doc == doc
    assert history.content_hash(catalog) == catalog_to_hash(catalog) == doc_to_hash(doc)


def test_a_round_digest_covers_exactly_the_rounds_text():
    import dataclasses

    spec = base_spec()
    spec["title"] = "Négociations ✓ 😀"  # characters before the rounds: marks must count characters
    one = load(render(spec))
    round_of(spec, "r2")["positions"]["a"]["ratio"] = 5
    two = load(render(spec))
    three = load(render(spec, {"r1": "comment"}))
    assert all(r.text_digest for r in one.rounds)
    assert one.rounds[0].text_digest == two.rounds[0].text_digest
    assert one.rounds[1].text_digest != two.rounds[1].text_digest
    assert three.rounds[0].text_digest != two.rounds[0].text_digest
    assert dataclasses.replace(one.rounds[0], text_digest="other") == one.rounds[0]  # not compared


def test_a_reformatted_round_records_nothing(open_history):
    history = open_history()
    spec = base_spec()
    first = history.record(load(render(spec)))
    for styles in ({"r1": "flow"}, {"r2": "comment"}, {"r1": "wide", "r2": "flow"}, {}):
        catalog = load(render(spec, styles))
        check_against_scratch(history, catalog)
        assert history.record(catalog) is None, styles
    assert [s.id for s in history.snapshots()] == [first.id]


def test_a_one_position_edit_records_exactly_that_change(open_history):
    history = open_history()
    spec = base_spec()
    for i in range(3, 9):
        spec["rounds"].append({"id": f"r{i}", "date": f"2024-{i:02d}-01",
                               "positions": {"a": {"ratio": i}, "b": {"ratio": [i, i + 1], "text": f"said {i}"}}})
    history.record(load(render(spec)))
    round_of(spec, "r5")["positions"]["b"]["ratio"] = [1, 9]
    info = history.record(load(render(spec)))
    assert info is not None and info.summary == "1 position changed"
    assert stored_delta(history, info.id) == [{"section": "positions", "key": "r5/b/ratio", "kind": "changed",
                                               "old": {"value": [5, 6]}, "new": {"value": [1, 9]}}]


HAND = """\
title: Talks
parties:
  a: {name: A}
  b: {name: B}
demands:
  ratio: {title: Ratio, unit: per captive}
  text: {title: Guarantees}
sources:
  s1: {outlet: Wire}
  s2: {outlet: Paper}
rounds:
  - id: r1
    date: 2024-01-01
    sources: [s1]
    positions:
      a: {ratio: 3, text: 7}
  - id: r2
    date: 2024-01-01
    positions:
      b: {ratio: [1, 2], text: in writing}
"""


def test_the_cache_never_serves_a_stale_round(open_history):
    history = open_history()
    steps = [
        ("start", lambda t: t),
        ("round edited", lambda t: t.replace("ratio: 3,", "ratio: 4,")),
        ("rounds moved", lambda t: t[:t.index("  - id: r1")] + t[t.index("  - id: r2"):] + t[t.index("  - id: r1"):t.index("  - id: r2")]),
        ("round renamed", lambda t: t.replace("id: r1", "id: r9")),
        ("renamed back", lambda t: t.replace("id: r9", "id: r1")),
        # The same round text means something else once `text` is a number: 7 becomes [7, 7].
        ("demand made numeric", lambda t: t.replace("text: {title: Guarantees}", "text: {title: Guarantees, unit: u}").replace("text: in writing", "text: 8")),
        ("demand made text again", lambda t: t.replace("text: {title: Guarantees, unit: u}", "text: {title: Guarantees}")),
        ("source defined otherwise", lambda t: t.replace("s1: {outlet: Wire}", "s1: {outlet: Wire, title: Scoop}")),
        ("round sources changed", lambda t: t.replace("sources: [s1]", "sources: [s2]")),
        ("round removed", lambda t: t[:t.index("  - id: r2")] + t[t.index("  - id: r1"):] if t.index("  - id: r2") < t.index("  - id: r1") else t[:t.index("  - id: r2")]),
    ]
    text, previous = HAND, None
    for name, edit in steps:
        text = edit(text)
        catalog = load(text)
        check_against_scratch(history, catalog)
        info = history.record(catalog)
        doc = catalog_doc(catalog)
        if previous is not None:
            assert info is not None, name
            assert stored_delta(history, info.id) == [c.as_dict() for c in doc_changes(previous, doc)], name
        previous = doc
    by_name = dict(zip([n for n, _ in steps], history.snapshots()))
    numeric = open_history().version(by_name["demand made numeric"].id)
    assert numeric["positions"]["r1/a/text"] == {"value": [7, 7], "sources": ["s1"]}
    assert open_history().version(by_name["demand made text again"].id)["positions"]["r1/a/text"]["stance"] == "7"


def test_round_by_round_equals_from_scratch_on_random_edit_sequences(open_history, tmp_path):
    rng = random.Random(11)
    history = open_history(checkpoint_every=4)
    spec = base_spec()
    docs, previous = [], None
    for step in range(60):
        styles = {r["id"]: rng.choice(("block", "block", "block", "flow", "comment", "wide")) for r in spec["rounds"]}
        catalog = load(render(spec, styles))
        check_against_scratch(history, catalog)
        info = history.record(catalog)
        doc = catalog_doc(catalog)
        if info is not None:
            assert info.hash == doc_to_hash(doc)
            if previous is not None:
                # The stored delta is exactly the from-scratch diff, order included.
                assert stored_delta(history, info.id) == [c.as_dict() for c in doc_changes(previous, doc)]
            docs.append(doc)
        else:
            assert previous == doc
        previous = doc
        spec = copy.deepcopy(spec)
        if rng.random() < 0.2:  # a reformat only
            continue
        if rng.random() < 0.15:
            spec["rounds"].reverse() if all(r["date"] == spec["rounds"][0]["date"] for r in spec["rounds"]) else None
        _random_edit(spec, rng, step)
    fresh = open_history(checkpoint_every=4)
    infos = fresh.snapshots()
    assert [fresh.version(s.id) for s in infos] == docs
    assert [doc_to_hash(fresh.version(s.id)) for s in infos] == [s.hash for s in infos]


def test_catalogs_built_by_hand_hash_as_loaded_ones(open_history):
    import dataclasses

    history = open_history()
    catalog = build(base_spec())
    bare = dataclasses.replace(catalog, rounds=tuple(dataclasses.replace(r, text_digest="") for r in catalog.rounds))
    assert history.content_hash(bare) == history.content_hash(catalog) == catalog_to_hash(catalog)
    history.record(catalog)
    assert history.record(bare) is None
    # Two rounds with one id cannot be loaded, but a hand-made catalog still hashes its document.
    twice = dataclasses.replace(catalog, rounds=catalog.rounds + catalog.rounds[:1])
    assert history.content_hash(twice) == catalog_to_hash(twice)
