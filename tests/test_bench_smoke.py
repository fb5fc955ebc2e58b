"""The benchmark harness runs and reports (issue 7); its timing targets are not asserted here,
because test machines are noisy. See BENCHMARKS.md for the numbers."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import SIZES, generate, main as generate_main  # noqa: E402

from negotrack.store.analysis import analyze  # noqa: E402
from negotrack.store.catalog import parse_catalog  # noqa: E402


def test_generated_catalogs_are_valid_and_deterministic():
    for size in ("S", "M"):
        text = generate(size)
        assert text == generate(size), "the same size and seed must give the same text"
        catalog, problems = parse_catalog(text, f"<{size}>")
        assert problems == []
        rounds, demands, parties = SIZES[size]
        assert (len(catalog.rounds), len(catalog.demands), len(catalog.parties)) == (rounds, demands, parties)
        # nearly every cell is stated; a few are left out so that positions are carried over
        assert 0.9 * rounds * demands * parties < catalog.position_count <= rounds * demands * parties
        analysis = analyze(catalog)
        shifts = {c.shift for c in analysis._cells.values()}
        assert {"new", "same", "toward", "away", "withdrawn", "carried"} <= {s.value for s in shifts if s}
    assert generate("S", seed=1) != generate("S")


def test_the_xl_shape_has_ten_parties_and_validates():
    assert SIZES["XL"] == (1000, 60, 10)
    catalog, problems = parse_catalog(generate("4x6x10"))
    assert problems == []
    assert len(catalog.parties) == 10
    assert {p.role for p in catalog.parties} == {"party", "mediator", "observer"}
    assert any(len(p.name) > 60 for p in catalog.parties)  # a long name
    assert any(any("\u0400" <= ch <= "\u04ff" or "\u3040" <= ch <= "\u30ff" for ch in p.name) for p in catalog.parties)
    # the first six parties are the ones S, M and L always had: their text did not change
    assert generate("3x2x6") == generate("3x2x6") and "epsilon" not in generate("3x2x6")


def test_generated_catalog_has_the_promised_mix():
    text = generate("S")
    catalog, _ = parse_catalog(text)
    kinds = {d.kind for d in catalog.demands}
    assert kinds == {"scale", "number", "text"}
    positions = [p for r in catalog.rounds for p in r.positions.values()]
    assert any(p.short for p in positions) and any(not p.short for p in positions)
    assert any(p.value is not None and p.value.is_range for p in positions)
    assert any(p.quote for p in positions) and any(p.note for p in positions) and any(p.disputed for p in positions)
    assert any(p.status for p in positions)
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)  # Arabic
    assert any("\u0590" <= ch <= "\u05ff" for ch in text)  # Hebrew
    assert "é" in text
    # the common path: nothing that sends the reader to its token-level anchor/tag scan
    assert not set("&*!#") & set(text.split("\n", 1)[1])


def test_generate_writes_a_file(tmp_path):
    out = tmp_path / "s.yaml"
    assert generate_main(["S", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == generate("S")


def test_benchmark_runs_at_size_s_and_writes_its_json(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # --all: also the metrics that have no target at S, so that every measurement runs once
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--size", "S", "--json", str(out), "--repeat", "1", "--all"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode in (0, 1), proc.stderr  # 1 only means a target was missed
    assert out.exists(), proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["size"] == "S"
    assert isinstance(report["metrics"], list) and report["metrics"]
    names = set()
    for metric in report["metrics"]:
        assert {"name", "value", "baseline", "ratio", "target", "ok"} <= set(metric)
        for key in ("value", "baseline", "ratio", "target"):
            assert isinstance(metric[key], (int, float)) and not isinstance(metric[key], bool), (metric["name"], key)
            assert math.isfinite(metric[key]), (metric["name"], key)
        assert isinstance(metric["ok"], bool)
        assert metric["ok"] == (metric["ratio"] <= metric["target"])
        names.add(metric["name"])
    measured_or_skipped = names | {s["name"] for s in report.get("skipped", [])}
    for expected in ("load_validate_analyze", "peak_memory_load_analyze", "cold_start", "round_switch_median",
                     "round_switch_p95", "reload_after_save", "idle_cpu", "loading_key_max",
                     "loading_palette_key_max", "loading_filled"):
        assert expected in measured_or_skipped
    assert "history_record" in measured_or_skipped
    # the printed table has a row per metric
    for name in names:
        assert name in proc.stdout
    # exit status: 0 exactly when every metric that applies at S is within its target
    applicable = [m for m in report["metrics"] if m.get("applies", True)]
    assert proc.returncode == (0 if all(m["ok"] for m in applicable) else 1)


@pytest.mark.parametrize("argv", [["--size", "XXL"], ["--size", "2x2x11"], []])
def test_runner_refuses_a_bad_size(argv):
    proc = subprocess.run([sys.executable, "-m", "bench.run", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
