"""Whose account it is, in every export (issue 14, format 1.1): claims and speakers, round
status, demands taken up again, restatements, changed free text, the relative numeric gap,
and `export --no-claims`."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from negotrack.store import load_catalog
from negotrack.store.analysis import analyze
from negotrack.store.export import to_csv, to_html, to_json, to_markdown

ACCOUNTS = Path(__file__).parent / "data" / "export" / "accounts.yaml"


def load(claims: bool = True):
    catalog, problems = load_catalog(ACCOUNTS)
    assert catalog is not None and not problems, problems
    return catalog, analyze(catalog, claims=claims)


def json_doc(claims: bool = True) -> dict:
    return json.loads(to_json(*load(claims)))


def csv_rows(claims: bool = True) -> dict[tuple[str, str, str], dict[str, str]]:
    text = to_csv(*load(claims))
    rows = csv.DictReader(io.StringIO(text[1:], newline=""))
    return {(r["round_id"], r["party"], r["demand"]): r for r in rows}


def cell(doc: dict, rnd: str, party: str, demand: str) -> dict:
    found = next(r for r in doc["rounds"] if r["id"] == rnd)
    return next(c for c in found["cells"] if (c["party"], c["demand"]) == (party, demand))


def gap(doc: dict, rnd: str, demand: str) -> dict:
    found = next(r for r in doc["rounds"] if r["id"] == rnd)
    return next(g for g in found["gaps"] if g["demand"] == demand)


# -- JSON and CSV: the keys and columns --------------------------------------------------


def test_json_says_whose_account_each_position_and_report_is() -> None:
    doc = json_doc()
    assert doc["claims"] is True and doc["claim_glyph"] == "»"
    claim = cell(doc, "r1", "south", "access")
    assert (claim["according_to"], claim["speaker"], claim["claim"]) == ("north", "a northern official", True)
    own = cell(doc, "r1", "north", "access")
    assert (own["according_to"], own["speaker"], own["claim"]) == ("north", "the foreign minister", False)
    told_by_source = cell(doc, "r2", "south", "prisoners")
    assert (told_by_source["according_to"], told_by_source["claim"]) == ("south", False)
    (report,) = told_by_source["disputed"]
    assert (report["according_to"], report["speaker"], report["claim"]) == ("north", "a northern official", True)
    unsaid = cell(doc, "r1", "north", "prisoners")
    assert (unsaid["according_to"], unsaid["speaker"], unsaid["claim"]) == (None, None, False)
    assert [s["according_to"] for s in doc["sources"]] == ["north", "south", None]


def test_json_rounds_have_their_status_and_cells_their_history() -> None:
    doc = json_doc()
    assert [r["status"] for r in doc["rounds"]] == ["reported", "inferred", "announced", "reported"]
    resumed = cell(doc, "r4", "north", "guarantees")
    assert (resumed["shift"], resumed["resumed"], resumed["previous"]["round"]) == ("same", True, "r1")
    restated = cell(doc, "r4", "north", "access")
    assert (restated["shift"], restated["restated"], restated["resumed"]) == ("same", True, False)
    assert cell(doc, "r4", "south", "guarantees")["shift"] == "changed"
    assert "reworded" not in json.dumps(doc)


def test_json_numeric_gap_carries_the_relative_share_its_class_and_trend_follow() -> None:
    doc = json_doc()
    before, after = gap(doc, "r1", "prisoners"), gap(doc, "r2", "prisoners")
    assert (before["distance"], before["relative"], before["agreement"]) == (1500, 0.25, "close")
    assert after["distance"] == 45500 and after["relative"] == pytest.approx(0.91)
    assert (after["agreement"], after["trend"]) == ("apart", "widening")
    assert gap(doc, "r2", "access")["relative"] == gap(doc, "r2", "access")["normalized"]


def test_csv_has_the_account_status_and_relative_gap_columns() -> None:
    rows = csv_rows()
    claim = rows[("r1", "south", "access")]
    assert (claim["according_to"], claim["speaker"], claim["claim"]) == ("north", "a northern official", "true")
    assert rows[("r1", "north", "access")]["claim"] == "false"
    assert rows[("r2", "south", "prisoners")]["disputed"] == "20,000 [north-radio] (according to north, speaker: a northern official, claim)"
    assert {r["round_status"] for k, r in rows.items() if k[0] == "r3"} == {"announced"}
    assert rows[("r2", "north", "prisoners")]["round_status"] == "inferred"
    assert (rows[("r4", "north", "guarantees")]["resumed"], rows[("r4", "north", "access")]["restated"]) == ("true", "true")
    assert rows[("r2", "north", "prisoners")]["gap_relative"] == "0.91"
    assert {r["claims_counted"] for r in rows.values()} == {"true"}


# -- Markdown and HTML: the words ---------------------------------------------------------


@pytest.mark.parametrize("build", [to_markdown, to_html], ids=["md", "html"])
def test_a_claim_is_told_as_the_other_side_account_never_as_a_statement(build) -> None:
    text = unescape(re.sub(r"<[^>]+>", "", build(*load())))
    assert "According to North (a northern official), South's position on Harbour access is closed." in text
    assert "South stated a position on Harbour access" not in text
    assert "claim: per North" in text
    # the move away from a claimed position says the starting point was a claim
    assert "South moved toward the other side on Harbour access: from closed (claim: per North) to limited to daylight hours." in text
    assert "North (the foreign minister) stated a position on Harbour access: open." in text
    assert "South on Prisoners released: also reported as 20,000 prisoners, according to North (a northern official)." in text


@pytest.mark.parametrize("build", [to_markdown, to_html], ids=["md", "html"])
def test_taken_up_again_restated_and_changed_are_said_as_such(build) -> None:
    text = unescape(re.sub(r"<[^>]+>", "", build(*load())))
    r4 = text[text.index("r4 (2024-03-01)"):]
    assert "North took up its position on Written guarantees again, as before its withdrawal: in writing." in r4
    assert "North stated a position on Written guarantees" not in r4
    assert "first position" not in r4
    assert "North restated its position on Harbour access in a new report: still open." in r4
    assert "South changed its position on Written guarantees: from verbal only to verbal only, with a deadline." in r4
    # the other side's account of an unchanged stance is not the party restating it
    assert "According to North, South's position on Harbour access is still limited to daylight hours (restated in a new report)." in r4
    assert "South restated" not in r4
    assert "in other words" not in text and "reworded" not in text


def test_markdown_marks_rounds_no_report_confirms() -> None:
    text = to_markdown(*load())
    assert "## r2 (2024-02-01) \\[inferred\\]" in text
    assert "## r3 (2024-02-03) \\[announced\\]" in text
    assert "*Announced: a report says these talks will take place; none says they did.*" in text
    assert "(1 announced, 1 inferred)" in text
    assert "\\= in writing (taken up again)" in text


def test_html_marks_rounds_no_report_confirms_wherever_rounds_are_listed() -> None:
    html = to_html(*load())
    status = re.compile(r'<span class="round-status" title="[^"]*">(announced|inferred)</span>')
    nav = re.search(r"<nav>.*?</nav>", html, re.S).group()
    assert status.findall(nav) == ["inferred", "announced"]
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert [status.search(h).group(1) for h in headings if status.search(h)] == ["inferred", "announced"]
    # the table under every chart, and the chart's own axis
    assert len(status.findall(html)) == 2 + 2 + 2 * len(load()[0].demands)
    # on the axis: the date label says so (where there is room for it) and the tick is dashed
    assert "2024-02-01 inferred</text>" in html
    assert html.count('stroke-dasharray="2 2"') == 2 * sum(d.kind != "text" for d in load()[0].demands)


def test_numeric_gap_that_triples_is_never_close_and_closing() -> None:
    text = to_markdown(*load())
    assert "| 1,500 prisoners (relative 0.25, close) |" in text
    assert "| 45,500 prisoners ↗ (relative 0.91, apart) |" in text
    assert "The gap on Prisoners released widened: from 1,500 prisoners (relative 0.25) to 45,500 prisoners (relative 0.91)." in text


# -- without claims --------------------------------------------------------------------------


def test_without_claims_the_analysis_leaves_them_out_and_every_export_says_so() -> None:
    doc = json_doc(claims=False)
    assert doc["claims"] is False
    assert cell(doc, "r1", "south", "access")["stance"] is None
    assert gap(doc, "r1", "access")["agreement"] == "one-sided"
    assert cell(doc, "r2", "south", "access")["shift"] == "new"
    assert not any(c["claim"] for r in doc["rounds"] for c in r["cells"])
    assert {r["claims_counted"] for r in csv_rows(claims=False).values()} == {"false"}
    for build in (to_markdown, to_html):
        text = unescape(re.sub(r"<[^>]+>", "", build(*load(claims=False))))
        assert "Claims left out (2 positions): a position that is one side's account of another side's stance takes no part" in text
        assert "According to North (a northern official), South's position" not in text
        assert "also reported as 20,000 prisoners" not in text
        assert "South stated a position on Harbour access: limited to daylight hours." in text


def test_export_command_takes_no_claims(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "negotrack.tui.cli", "export", str(ACCOUNTS), "--no-claims", "-o", str(out)],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text("utf-8"))["claims"] is False
    shown = subprocess.run([sys.executable, "-m", "negotrack.tui.cli", "export", str(ACCOUNTS)], capture_output=True, timeout=60)
    assert b"claim: per North" in shown.stdout and b"Claims left out" not in shown.stdout


@pytest.mark.parametrize("build", [to_markdown, to_html], ids=["md", "html"])
def test_a_gap_sentence_says_which_of_its_positions_are_claims(build) -> None:
    text = unescape(re.sub(r"<[^>]+>", "", build(*load())))
    # r1's gap was measured from South's position as North told it; r2's from South's own
    assert "The gap on Harbour access narrowed: from 1.00 to 0.67 (before, South's position was a claim, per North)." in text
    # a gap with no claim in it says nothing of claims
    assert "The gap on Prisoners released widened: from 1,500 prisoners (relative 0.25) to 45,500 prisoners (relative 0.91)." in text
    without = unescape(re.sub(r"<[^>]+>", "", build(*load(claims=False))))
    assert "position was a claim" not in without and "position is a claim" not in without


def test_the_bundled_catalog_says_the_march_gap_on_return_rests_on_a_claim() -> None:
    catalog, problems = load_catalog(Path(__file__).parent.parent / "positions.yaml")
    assert catalog is not None, problems
    text = to_markdown(catalog, analyze(catalog))
    assert re.search(r"Both sides now have a position on Return of the displaced: the gap is [0-9.]+ "
                     r"\(Israel's position is a claim, per Hamas\)\.", text)
