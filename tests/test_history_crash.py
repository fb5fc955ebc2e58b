"""kill -9 during the real `negotrack record`: a few kills of `tools/crash.py`'s run, so that
the tool keeps working and a regression in crash safety fails the suite (the long run, 150
kills on a 1.2 MB catalog, is `python -m tools.crash`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import crash  # noqa: E402


def test_a_few_kills_during_record_lose_nothing(tmp_path):
    report = crash.run(str(tmp_path), kills=6, size="S", seed=11)
    assert report.ok, report.problems
    assert report.kills == 6 and report.snapshots >= 1


def test_the_check_notices_a_lost_snapshot(tmp_path):
    """The checker itself fails when a reported snapshot is missing (so the test above can fail)."""
    report = crash.Report()
    catalog, db = str(tmp_path / "positions.yaml"), str(tmp_path / "history.json")
    crash._check(catalog, db, {1: "abcdef0"}, report, step=1)
    assert not report.ok and "is lost" in report.problems[0]
