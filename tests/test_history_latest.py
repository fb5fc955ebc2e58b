"""The cache of the latest version (`store/history_latest.py`, issue 13): a new process records
its first version without rebuilding the last one, and a cache that is missing, stale,
damaged, another catalog's or made by other code is never trusted: the slow path then gives
exactly what it gives without any cache."""

from __future__ import annotations

import json
import os
import shutil

import pytest
import yaml

from negotrack.store import history_latest, history_rounds, history_versions, parse_catalog
from negotrack.store.changes import catalog_doc, doc_changes
from negotrack.store.history import History, doc_to_hash

ROUNDS = 8


def spec(values: dict[str, int] | None = None, title: str = "Talks") -> dict:
    values = values or {}
    return {
        "format": 1,
        "title": title,
        "parties": {"a": {"name": "Side A"}, "b": {"name": "Side B"}},
        "demands": {"ratio": {"title": "Ratio", "unit": "per captive"}, "text": {"title": "Guarantees"}},
        "sources": {"s1": {"outlet": "Wire"}},
        "rounds": [
            {"id": f"r{i}", "date": f"2024-{i:02d}-01",
             "positions": {"a": {"ratio": values.get(f"r{i}", i), "text": f"said {i}"}, "b": {"ratio": [i, i + 2]}}}
            for i in range(1, ROUNDS + 1)
        ],
    }


def load(s: dict, name: str = "talks.yaml"):
    catalog, problems = parse_catalog(yaml.safe_dump(s, sort_keys=False, allow_unicode=True), name)
    assert catalog is not None, [str(p) for p in problems]
    return catalog


class Paths:
    def __init__(self, folder) -> None:
        self.catalog = str(folder / "talks.yaml")
        self.db = str(folder / "hist" / "db.json")
        self.cache = self.db + ".latest"

    def open(self) -> History:
        history, warnings = History.open(self.catalog, self.db)
        assert warnings == [] and history.persistent
        return history

    def header(self) -> dict:
        with open(os.path.join(self.cache, "latest.json"), "rb") as fh:
            return json.loads(fh.read().partition(b"\n")[2])

    def digest_of(self, round_id: str) -> str:
        return next(d for rid, _, d in self.header()["rounds"] if rid == round_id)

    def rows(self) -> dict:
        with open(self.db, encoding="utf-8") as fh:
            return json.load(fh)["snapshots"]


@pytest.fixture
def paths(tmp_path):
    return Paths(tmp_path)


@pytest.fixture
def slow(monkeypatch):
    """Counts the times a version is rebuilt from blobs and deltas (the slow path)."""
    calls = []
    original = history_versions.Versions.doc_at

    def doc_at(self, rows, index):
        calls.append(index)
        return original(self, rows, index)

    monkeypatch.setattr(history_versions.Versions, "doc_at", doc_at)
    return calls


@pytest.fixture
def made(monkeypatch):
    """Counts the rounds whose positions are made from the catalog."""
    calls = []
    original = history_rounds.round_positions_doc

    def round_positions_doc(round_):
        calls.append(round_.id)
        return original(round_)

    monkeypatch.setattr(history_rounds, "round_positions_doc", round_positions_doc)
    return calls


def two_versions(paths: Paths) -> tuple[dict, dict]:
    """Record two versions in one process and close it; returns the specs."""
    one, two = spec(), spec({"r3": 30})
    with paths.open() as history:
        history.record(load(one))
        history.record(load(two))
    return one, two


def check_third(paths: Paths, before: dict, value: int = 60, slow: list | None = None) -> bool:
    """Record a one-position edit of `before` (r6's ratio for side a set to `value`) in a new
    process; everything stored is what the from-scratch documents say. Returns whether the
    record rebuilt the last version from blobs and deltas (counted in `slow`)."""
    after = spec({**{r["id"]: r["positions"]["a"]["ratio"] for r in before["rounds"]}, "r6": value})
    with paths.open() as history:
        catalog = load(after)
        count = len(slow) if slow is not None else 0
        info = history.record(catalog)
        rebuilt = slow is not None and len(slow) > count
        assert info is not None and info.summary == "1 position changed"
        doc = catalog_doc(catalog)
        assert info.hash == doc_to_hash(doc)
        assert paths.rows()[str(info.id)]["delta"] == [c.as_dict() for c in doc_changes(catalog_doc(load(before)), doc)]
        assert history.version(info.id) == doc
    with paths.open() as history:
        assert history.version(info.id) == doc
    return rebuilt


def test_the_first_record_of_a_new_process_reads_only_the_round_that_changed(paths, slow, made):
    _, two = two_versions(paths)
    assert paths.header()["id"] == 2
    slow.clear(), made.clear()
    with paths.open() as history:
        info = history.record(load(spec({"r3": 30, "r6": 60})))
        assert info is not None and info.summary == "1 position changed"
        assert slow == [] and made == ["r6"]
        assert paths.header()["id"] == info.id
    assert not check_third(paths, spec({"r3": 30, "r6": 60}), 61, slow)  # and the next new process too


def test_the_cache_does_not_grow_with_one_position_edits(paths):
    _, two = two_versions(paths)
    before = sorted(os.listdir(paths.cache))
    assert len(before) == ROUNDS + 2  # a file per round, the head, the header
    for value in (61, 62, 63):
        with paths.open() as history:
            history.record(load(spec({"r3": 30, "r6": value})))
        assert len(os.listdir(paths.cache)) == len(before)
    assert paths.digest_of("r6") + ".json" not in before


def test_without_any_cache_the_slow_path_gives_the_same(paths, slow):
    _, two = two_versions(paths)
    shutil.rmtree(paths.cache)
    assert check_third(paths, two, slow=slow)  # rebuilt the last version
    assert paths.header()["id"] == 3  # and the cache is back


def _flip(path: str) -> None:
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x01
    open(path, "wb").write(bytes(data))


def _truncate(path: str) -> None:
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) // 2])


def _header(paths: Paths) -> str:
    return os.path.join(paths.cache, "latest.json")


def _round_file(paths: Paths, round_id: str = "r6") -> str:
    return os.path.join(paths.cache, paths.digest_of(round_id) + ".json")


def _head_file(paths: Paths) -> str:
    return os.path.join(paths.cache, paths.header()["head"] + ".json")


def _rewrite_header(paths: Paths, **fields) -> None:
    body = paths.header()
    body.update(fields)
    data = json.dumps(body).encode()
    import hashlib

    with open(_header(paths), "wb") as fh:
        fh.write(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)


DAMAGE = {
    "header missing": lambda p: os.unlink(_header(p)),
    "header flipped": lambda p: _flip(_header(p)),
    "header truncated": lambda p: _truncate(_header(p)),
    "header empty": lambda p: open(_header(p), "wb").close(),
    "header of another snapshot with that id": lambda p: _rewrite_header(p, hash="0" * 64),
    "header of another format": lambda p: _rewrite_header(p, format=99),
    "header of other code": lambda p: _rewrite_header(p, code="0" * 64),
    "header with another round's digest": lambda p: _rewrite_header(
        p, rounds=[[rid, text, p.digest_of("r3") if rid == "r2" else d] for rid, text, d in p.header()["rounds"]]),
    "header names a round twice": lambda p: _rewrite_header(p, rounds=p.header()["rounds"] + p.header()["rounds"][:1]),
    "round of the edit missing": lambda p: os.unlink(_round_file(p)),
    "round of the edit flipped": lambda p: _flip(_round_file(p)),
    "round of the edit truncated": lambda p: _truncate(_round_file(p)),
    "round of the edit another round's": lambda p: shutil.copy(_round_file(p, "r2"), _round_file(p)),
    "head missing": lambda p: os.unlink(_head_file(p)),
    "head flipped": lambda p: _flip(_head_file(p)),
    "every round missing": lambda p: [os.unlink(os.path.join(p.cache, n)) for n in os.listdir(p.cache) if n != "latest.json"],
    "folder replaced by a file": lambda p: (shutil.rmtree(p.cache), open(p.cache, "w").close()),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_falls_back_to_the_slow_path_and_gives_the_same(paths, damage, slow):
    _, two = two_versions(paths)
    DAMAGE[damage](paths)
    assert check_third(paths, two, slow=slow)


@pytest.mark.parametrize("damage", ["round of the edit flipped", "head missing", "header flipped"])
def test_the_cache_is_whole_again_after_a_fallback(paths, damage, slow, made):
    _, two = two_versions(paths)
    DAMAGE[damage](paths)
    assert check_third(paths, two, slow=slow)
    slow.clear(), made.clear()
    with paths.open() as history:
        info = history.record(load(spec({"r3": 30, "r6": 60, "r7": 70})))
        assert info is not None and info.summary == "1 position changed"
    assert slow == [] and made == ["r7"]


def test_a_cache_of_an_older_version_is_not_trusted(paths, slow, made):
    one = spec()
    with paths.open() as history:
        history.record(load(one))
    old = paths.cache + ".old"
    shutil.copytree(paths.cache, old)
    two = spec({"r3": 30})
    with paths.open() as history:
        history.record(load(two))
    shutil.rmtree(paths.cache)
    os.rename(old, paths.cache)  # snapshot 1's cache, snapshot 2 in the database
    made.clear()
    assert check_third(paths, two, slow=slow)
    assert len(made) >= ROUNDS  # not even its rounds were taken


def test_a_cache_left_by_a_crash_before_it_was_written_is_stale_and_ignored(paths, monkeypatch, slow):
    one = spec()
    with paths.open() as history:
        history.record(load(one))
    two = spec({"r3": 30})
    with monkeypatch.context() as patched:
        patched.setattr(history_latest.LatestCache, "write", lambda self, i, v: (_ for _ in ()).throw(OSError("killed")))
        with paths.open() as history:
            assert history.record(load(two)) is not None  # a cache that cannot be written is no error
    assert paths.header()["id"] == 1
    assert check_third(paths, two, slow=slow)


def test_a_cache_of_another_catalog_is_not_trusted(tmp_path, slow, made):
    mine, other = Paths(tmp_path), Paths(tmp_path / "elsewhere")
    two = spec({"r3": 30})
    with mine.open() as history:
        history.record(load(spec()))
        history.record(load(two))
    with other.open() as history:  # the other catalog: the same content, then that very edit
        history.record(load(spec(), other.catalog))
        history.record(load(two, other.catalog))
    shutil.rmtree(mine.cache)
    shutil.copytree(other.cache, mine.cache)
    assert mine.header()["id"] == 2 and mine.header()["catalog"] == os.path.abspath(other.catalog)
    made.clear()
    assert check_third(mine, two, slow=slow)
    assert len(made) >= ROUNDS


def test_a_cache_made_by_other_code_is_not_trusted(paths, monkeypatch, slow, made):
    _, two = two_versions(paths)
    monkeypatch.setattr(history_latest, "_code", "another negotrack")
    made.clear()
    assert check_third(paths, two, slow=slow)
    assert len(made) >= ROUNDS


def test_changes_since_the_last_version_reads_only_what_changed(paths, slow):
    _, two = two_versions(paths)
    third = spec({"r3": 30, "r6": 60})
    slow.clear()
    with paths.open() as history:
        last = history.latest()
        changes = history.changes_since(last.hash, load(third))
        assert changes == doc_changes(catalog_doc(load(two)), catalog_doc(load(third)))
        assert slow == []
        assert history.changes_since(history.snapshots()[0].hash, load(third)) == doc_changes(
            catalog_doc(load(spec())), catalog_doc(load(third)))
    DAMAGE["round of the edit flipped"](paths)
    with paths.open() as history:  # without the lock a damaged file is only passed by
        assert history.changes_since(history.latest().hash, load(third)) == changes
    assert os.path.exists(_round_file(paths))


def test_edits_of_definitions_rounds_and_order_match_the_slow_path(tmp_path):
    """Each edit recorded first thing in a new process, with the cache and without: the same rows."""
    edits = [
        lambda s: s,
        lambda s: s["rounds"][2]["positions"]["a"].update(ratio=99),
        lambda s: s.update(title="Other talks"),
        lambda s: s["rounds"].append({"id": "r99", "date": "2024-12-01", "positions": {"a": {"ratio": 1}}}),
        lambda s: s["rounds"].pop(0),
        lambda s: s["demands"]["text"].update(unit="u") or [r["positions"]["a"].update(text=5) for r in s["rounds"]],
        lambda s: s["parties"].update(c={"name": "Side C"}),
        lambda s: s["rounds"][1]["positions"].pop("b"),
        lambda s: s.update(parties=dict(reversed(list(s["parties"].items())))),
        lambda s: None,  # the same meaning: nothing recorded
    ]
    rows = []
    for cached in (True, False):
        paths = Paths(tmp_path / ("cached" if cached else "plain"))
        s = spec()
        for edit in edits:
            if not cached and os.path.exists(paths.cache):
                shutil.rmtree(paths.cache)
            edit(s)
            with paths.open() as history:
                history.record(load(s, paths.catalog))
        with paths.open() as history:
            for info in history.snapshots():
                assert doc_to_hash(history.version(info.id)) == info.hash
        rows.append([{k: v for k, v in row.items() if k != "taken_at"} for row in paths.rows().values()])
    assert rows[0] == rows[1] and len(rows[0]) == len(edits) - 1


def test_adopting_into_another_database_removes_the_old_cache(tmp_path, capsys, monkeypatch):
    from negotrack.tui.cli import main

    monkeypatch.setenv("NEGOTRACK_DB", str(tmp_path / "h"))
    first = tmp_path / "a" / "positions.yaml"
    first.parent.mkdir()
    assert main(["init", str(first)]) == 0
    assert main(["record", str(first)]) == 0
    caches = [n for n in os.listdir(tmp_path / "h") if n.endswith(".latest")]
    assert len(caches) == 1
    moved = tmp_path / "a" / "moved.yaml"
    os.rename(first, moved)
    assert main(["history", str(moved), "--adopt", str(first)]) == 0
    capsys.readouterr()
    assert caches[0] not in os.listdir(tmp_path / "h")
    assert main(["record", str(moved)]) == 0
    assert capsys.readouterr().out.startswith("no change since snapshot 1")


def test_with_its_blobs_lost_the_history_starts_a_new_full_chain_despite_the_cache(paths):
    """A delta on a version that cannot be rebuilt could not be rebuilt either: as without a
    cache, the record is a full snapshot and the loss is told."""
    _, two = two_versions(paths)
    for blob in os.listdir(paths.db + ".blobs"):
        os.unlink(os.path.join(paths.db + ".blobs", blob))
    with paths.open() as history:
        catalog = load(spec({"r3": 30, "r6": 60}))
        info = history.record(catalog)
        assert info is not None and "could not be read" in info.summary
        assert any("cannot be rebuilt" in w for w in history.take_warnings())
    with paths.open() as history:
        assert history.version(info.id) == catalog_doc(catalog)
        assert history.changes_since(history.snapshots()[1].hash, catalog) == []  # 2 cannot be rebuilt
