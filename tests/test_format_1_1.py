"""Format 1.1 (FORMAT.md "Additions of 1.1"): whose account a position is, claims left out of
shifts and gaps, the relative gap of numeric demands, and rounds no report confirms. Each rule
with a valid and an invalid example, and the regressions the fact-check of positions.yaml found."""

from __future__ import annotations

import textwrap

import pytest

from negotrack.store import parse_catalog
from negotrack.store.analysis import Agreement, Shift, Trend, analyze, relative_gap
from negotrack.store.model import Value

HEAD = textwrap.dedent(
    """\
    title: Accounts
    parties:
      hamas:
        name: Hamas
      israel:
        name: Israel
      qatar:
        name: Qatar
        role: mediator
    demands:
      cf:
        title: Ceasefire
        scale: [none, pause, truce, permanent]
      n:
        title: Prisoners
        unit: prisoners
    sources:
      resistance:
        outlet: Al Mayadeen
        according_to: hamas
      wire:
        outlet: A wire service
    """
)


def load(rounds: str, head: str = HEAD):
    catalog, problems = parse_catalog(head + textwrap.dedent(rounds), "c.yaml")
    return catalog, problems


def only_problem(rounds: str, head: str = HEAD):
    catalog, problems = load(rounds, head)
    assert catalog is None and len(problems) == 1, problems
    return problems[0]


def valid(rounds: str, head: str = HEAD):
    catalog, problems = load(rounds, head)
    assert problems == [], "\n".join(map(str, problems))
    return catalog


# -- the loader ---------------------------------------------------------------------------


def test_a_sources_account_is_the_default_of_the_positions_that_cite_it():
    catalog = valid(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            sources: [resistance]
            positions:
              israel: {cf: truce}
              hamas: {cf: permanent}
              qatar: {cf: {stance: truce, source: wire}}
        """
    )
    positions = catalog.rounds[0].positions
    israel, hamas, qatar = positions[("israel", "cf")], positions[("hamas", "cf")], positions[("qatar", "cf")]
    assert (israel.according_to, israel.claim) == ("hamas", True)  # Hamas's account of Israel
    assert (hamas.according_to, hamas.claim) == ("hamas", False)  # its own account
    assert (qatar.according_to, qatar.claim) == (None, False)  # its own source names nobody


def test_a_positions_own_account_and_speaker_override_the_sources():
    catalog = valid(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              israel:
                cf: {stance: truce, source: resistance, according_to: israel, speaker: an Israeli official}
              hamas:
                cf: {stance: permanent, source: wire, according_to: qatar}
        """
    )
    israel = catalog.rounds[0].positions[("israel", "cf")]
    hamas = catalog.rounds[0].positions[("hamas", "cf")]
    assert (israel.according_to, israel.speaker, israel.claim) == ("israel", "an Israeli official", False)
    # a mediator's account of a side is not one side's account of the other
    assert (hamas.according_to, hamas.claim) == ("qatar", False)


def test_a_disputed_report_has_an_account_of_its_own():
    catalog = valid(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              israel:
                n:
                  value: 100
                  according_to: israel
                  disputed:
                    - {value: 50, source: resistance, speaker: a Hamas official}
        """
    )
    report = catalog.rounds[0].positions[("israel", "n")].disputed[0]
    assert (report.according_to, report.speaker, report.claim) == ("hamas", "a Hamas official", True)


@pytest.mark.parametrize(
    "where, text, line, column, message",
    [
        ("position", "israel: {cf: {stance: truce, according_to: hamass}}", 27, 50,
         "unknown party `hamass`; did you mean `hamas`?; define it under `parties:`"),
        ("disputed", "israel: {n: {value: 1, disputed: [{value: 2, according_to: israell}]}}", 27, 66,
         "unknown party `israell`; did you mean `israel`?"),
        ("speaker", "israel: {cf: {stance: truce, speaker: [a, b]}}", 27, 45, "must be text, not a list"),
        ("key", "israel: {cf: {stance: truce, acording_to: hamas}}", 27, 36,
         "unknown key `acording_to` in the position of `israel` on `cf` in round `r1`; did you mean `according_to`?"),
    ],
)
def test_account_errors_point_at_the_line_and_say_how_to_fix(where, text, line, column, message):
    problem = only_problem(
        f"""\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              {text}
        """
    )
    assert (problem.line, problem.column) == (line, column), problem
    assert message in problem.message, problem


def test_a_sources_unknown_account_is_an_error_with_a_hint():
    head = HEAD.replace("according_to: hamas", "according_to: hammas")
    problem = only_problem("rounds: []\n", head)
    assert (problem.line, problem.column) == (20, 19)
    assert "unknown party `hammas`; did you mean `hamas`?" in problem.message


@pytest.mark.parametrize("status", ["reported", "announced", "inferred"])
def test_round_status(status):
    catalog = valid(f"rounds:\n  - {{id: r1, date: 2024-01-01, status: {status}}}\n  - {{id: r2, date: 2024-01-02}}\n")
    assert [r.status for r in catalog.rounds] == [status, "reported"]


def test_an_unknown_round_status_is_an_error_with_a_hint():
    problem = only_problem("rounds:\n  - {id: r1, date: 2024-01-01, status: anounced}\n")
    assert (problem.line, problem.column) == (24, 40)
    assert problem.message == (
        "status `anounced` of round `r1` is not one of: reported, announced, inferred; did you mean `announced`?"
    )


# -- claims in the analysis ---------------------------------------------------------------

CLAIMED = """\
rounds:
  - id: r1
    date: 2024-01-01
    positions:
      hamas: {cf: permanent}
      israel: {cf: {stance: truce, according_to: israel}}
  - id: r2
    date: 2024-01-02
    positions:
      israel: {cf: {stance: none, source: resistance, note: "According to Hamas, Israel offers nothing."}}
"""


def test_a_claim_counts_marked_when_claims_are_shown():
    an = analyze(valid(CLAIMED))
    cell = an.cell("r2", "israel", "cf")
    assert cell.position.claim and cell.shift is Shift.AWAY and cell.claims
    gap = an.gap("r2", "cf")
    assert gap.normalized == 1.0 and gap.trend is Trend.WIDENING and gap.claims


def test_a_claim_left_out_takes_no_part_in_shifts_or_gaps():
    an = analyze(valid(CLAIMED), claims=False)
    cell = an.cell("r2", "israel", "cf")
    # Israel's own last position stands, carried; the gap is what it was
    assert cell.shift is Shift.CARRIED and not cell.position.claim and not cell.claims
    gap = an.gap("r2", "cf")
    assert gap.normalized == pytest.approx(1 / 3) and gap.trend is Trend.STEADY and not gap.claims


# -- numeric gaps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, distance, relative",
    [
        ([Value(4500, 4500), Value(50000, 50000)], 45500, 0.91),
        ([Value(100, 100), Value(110, 110)], 10, 0.09),
        ([Value(1, 10), Value(5, 20)], 0, 0.0),
        ([Value(1500, 4500), Value(50000, 190000)], 45500, 0.91),
    ],
)
def test_relative_gap_examples_of_format_md(values, distance, relative):
    got = relative_gap(values)
    assert got[0] == distance and round(got[1], 2) == relative


NUMBERS = """\
rounds:
  - id: r1
    date: 2024-01-01
    positions:
      hamas: {n: [1500, 4500]}
      israel: {n: [10000, 15000]}
  - id: r2
    date: 2024-01-02
    positions:
      israel: {n: [50000, 190000]}
"""


def test_a_numeric_gap_that_triples_is_apart_and_widening_never_close():
    an = analyze(valid(NUMBERS))
    before, after = an.gap("r1", "n"), an.gap("r2", "n")
    assert (before.distance, after.distance) == (5500, 45500)
    assert before.relative == pytest.approx(5500 / 10000) and after.relative == pytest.approx(45500 / 50000)
    assert after.agreement is Agreement.APART and after.trend is Trend.WIDENING
    assert after.normalized == after.distance  # still shown in the unit


def test_trend_against_a_pinned_baseline():
    an = analyze(valid(NUMBERS + "  - {id: r3, date: 2024-01-03, positions: {israel: {n: [12000, 15000]}}}\n"))
    assert an.gap("r3", "n").trend is Trend.CLOSING  # against r2
    assert an.trend_since("r1", "r3", "n") is Trend.WIDENING  # 5500/10000 -> 7500/12000
    assert an.trend_since("r3", "r3", "n") is Trend.STEADY


def test_the_summary_counts_rounds_no_report_confirms():
    catalog = valid(
        "rounds:\n  - {id: r1, date: 2024-01-01, status: inferred}\n"
        "  - {id: r2, date: 2024-01-02}\n  - {id: r3, date: 2024-01-03, status: announced}\n"
    )
    assert catalog.summary() == "3 parties, 2 demands, 3 rounds (1 announced, 1 inferred), 0 positions"
    assert "(" not in valid("rounds:\n  - {id: r1, date: 2024-01-01}\n").summary()
