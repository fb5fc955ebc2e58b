"""`python -m tools.fuzz` runs, counts, and really reports (and minimises) what it is meant to
find; the long run (10,000 cases) is for developers, see tools/fuzz.py."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import random  # noqa: E402

from tools import fuzz  # noqa: E402
from tools.mutate import MUTATIONS, mutate  # noqa: E402

GOOD = (ROOT / "tests" / "data" / "export" / "basic.yaml").read_bytes()


def test_a_short_run_prints_counts_and_finds_nothing(tmp_path, capsys):
    status = fuzz.main(["--count", "24", "--seed", "3", "--jobs", "2", "--dashboard", "1", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "negotrack fuzz: 24 cases (seed 3)" in out and "failures: 0" in out and "dashboard: 1 opened" in out
    assert not (tmp_path / "out").exists()


def test_cases_are_rebuilt_exactly_from_seed_and_index():
    sources = fuzz.Sources(fuzz.source_files())
    assert sources.case(5, 17) == sources.case(5, 17)
    assert sources.case(5, 17) != sources.case(6, 17)
    for name, mutation in MUTATIONS.items():  # none of them fails on an edge case
        for data in (b"", b"\n", GOOD):
            assert isinstance(mutation(data, random.Random(name)), bytes)
    data, names = mutate(GOOD, random.Random(1))
    assert isinstance(data, bytes) and 1 <= len(names) <= 3 and set(names) <= set(MUTATIONS)


def test_an_exception_is_reported_with_its_traceback_and_minimised(tmp_path, monkeypatch):
    import negotrack.tui.commands.export as export

    def broken(args):
        if b"surely" in Path(args.file).read_bytes():
            raise ZeroDivisionError("planted")
        return 0

    monkeypatch.setattr(export, "run", broken)
    data = GOOD.replace(b"title: ", b"title: surely ", 1)
    found = fuzz.check(data, str(tmp_path), None)["failures"]
    assert found and found[0]["kind"] == "exception" and "ZeroDivisionError: planted" in found[0]["trace"]
    small = fuzz.minimise(data, str(tmp_path), None, found[0]["key"], budget=20)
    assert b"surely" in small and len(small) < len(data) // 4


def test_an_exit_1_without_a_location_is_a_failure(tmp_path, monkeypatch):
    import negotrack.tui.commands.validate as validate

    def unlocated(args):
        print("something: error: somewhere")
        return 1

    monkeypatch.setattr(validate, "run", unlocated)
    found = fuzz.check(GOOD, str(tmp_path), None)["failures"]
    assert [f["kind"] for f in found] == ["no location"]


def test_a_timeout_kills_the_worker_and_counts(tmp_path, capsys, monkeypatch):
    import time

    monkeypatch.setattr(fuzz, "check", lambda *a: time.sleep(60))
    status = fuzz.main(["--count", "1", "--jobs", "1", "--timeout", "1", "--dashboard", "0", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 1 and "1 timeout or crash" in out
    assert any(p.suffix == ".yaml" for p in tmp_path.iterdir())


def test_the_memory_cap_stops_a_runaway_case(tmp_path, capsys, monkeypatch):
    def greedy(*args):
        hoard = bytearray(3 * 1024**3)  # over the cap: refused at once, never touched
        return {"status": len(hoard) and 0, "exports": 0, "diffs": 0, "failures": []}

    monkeypatch.setattr(fuzz, "check", greedy)
    status = fuzz.main(["--count", "1", "--jobs", "1", "--memory-mb", "2048", "--dashboard", "0", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 1 and "1 timeout or crash" in out
    assert "the worker died" in next(tmp_path.glob("*.txt")).read_text()
