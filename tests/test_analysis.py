"""The analysis layer (store/analysis.py): effective positions, shifts, gaps, agreement, trends,
comparisons and look-ups, checked against FORMAT.md's "Meaning" section with small inline
catalogs and exact values, plus a consistency sweep over the real catalog positions.yaml."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from negotrack.store import Catalog, Value, load_catalog, parse_catalog
from negotrack.store.analysis import (
    CLOSE_SHARE,
    Agreement,
    Analysis,
    Shift,
    Trend,
    analyze,
    measure,
)

REAL_CATALOG = Path(__file__).parent.parent / "positions.yaml"

#: Three sides, a mediator and an observer (file order a, b, c, m, o); a five-stance scale, a
#: numeric demand and a free-text one (file order cf, n, t).
HEADER = textwrap.dedent(
    """\
    title: Analysis tests
    parties:
      a:
        name: Side A
      b:
        name: Side B
      c:
        name: Side C
      m:
        name: Mediator
        role: mediator
      o:
        name: Observer
        role: observer
    demands:
      cf:
        title: Ceasefire
        scale: [s0, s1, s2, s3, s4]
      n:
        title: Prisoners
        unit: prisoners
      t:
        title: Guarantees
    """
)


def catalog_of(rounds: str) -> Catalog:
    """HEADER plus `rounds` (a dedented `rounds:` block); the catalog must have no problem."""
    catalog, problems = parse_catalog(HEADER + textwrap.dedent(rounds))
    assert problems == [], "\n".join(map(str, problems))
    assert catalog is not None
    return catalog


def analyse(rounds: str) -> Analysis:
    return analyze(catalog_of(rounds))


def reported(analysis: Analysis, round_id: str, party: str, demand: str):
    """The Position object the file reports for (party, demand) in `round_id`."""
    rnd = analysis.catalog.rounds[analysis.catalog.round_index(round_id)]
    return rnd.positions[(party, demand)]


def shift(analysis: Analysis, round_id: str, party: str, demand: str = "cf") -> Shift | None:
    return analysis.cell(round_id, party, demand).shift


# -- effective positions -------------------------------------------------------------------


THREE_ROUNDS = """\
rounds:
  - id: r1
    date: 2024-01-01
    positions:
      a: {cf: s1}
  - id: r2
    date: 2024-01-02
  - id: r3
    date: 2024-01-03
    positions:
      b: {cf: s3}
"""


def test_reported_cell_holds_the_rounds_position():
    an = analyse(THREE_ROUNDS)
    cell = an.cell("r1", "a", "cf")
    assert cell.position is reported(an, "r1", "a", "cf")
    assert (cell.round, cell.party, cell.demand) == ("r1", "a", "cf")
    assert cell.position.stance == "s1"
    assert cell.previous is None
    assert cell.shift is Shift.NEW
    assert cell.stated and not cell.carried


def test_carried_cell_reuses_the_last_reported_position_object():
    an = analyse(THREE_ROUNDS)
    first = reported(an, "r1", "a", "cf")
    for rid in ("r2", "r3"):  # an empty round and a round where only b speaks
        cell = an.cell(rid, "a", "cf")
        assert cell.shift is Shift.CARRIED
        assert cell.carried and cell.stated
        assert cell.position is first
        assert cell.previous is first


def test_not_yet_stated_cell_is_empty():
    an = analyse(THREE_ROUNDS)
    for rid in ("r1", "r2"):
        cell = an.cell(rid, "b", "cf")
        assert cell.position is None and cell.previous is None and cell.shift is None
        assert not cell.stated and not cell.carried
    assert an.cell("r3", "b", "cf").shift is Shift.NEW
    # nobody ever states the other demands
    assert all(an.cell(r, p, d).shift is None for r in ("r1", "r2", "r3") for p in "abcmo" for d in ("n", "t"))


def test_previous_is_the_last_reported_position_not_the_last_round():
    an = analyse(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              a: {cf: s1}
          - id: r2
            date: 2024-01-02
          - id: r3
            date: 2024-01-03
            positions:
              a: {cf: s2}
        """
    )
    cell = an.cell("r3", "a", "cf")
    assert cell.position is reported(an, "r3", "a", "cf")
    assert cell.previous is reported(an, "r1", "a", "cf")
    assert cell.shift is Shift.MOVED  # nobody else to measure against


# -- shifts --------------------------------------------------------------------------------


def two_rounds(first: str, second: str) -> Analysis:
    """Round r1 with `first` and r2 with `second` as the bodies of their `positions:`."""
    body = "rounds:\n  - id: r1\n    date: 2024-01-01\n    positions:\n"
    body += textwrap.indent(textwrap.dedent(first), " " * 6)
    body += "  - id: r2\n    date: 2024-01-02\n    positions:\n"
    body += textwrap.indent(textwrap.dedent(second), " " * 6)
    return analyse(body)


def test_same_when_stance_note_and_quote_unchanged():
    an = two_rounds(
        "a: {cf: {stance: s2, note: Firm., quote: We hold.}}\n",
        "a: {cf: {stance: s2, note: Firm., quote: We hold.}}\n",
    )
    assert shift(an, "r2", "a") is Shift.SAME
    assert an.cell("r2", "a", "cf").position is reported(an, "r2", "a", "cf")


def test_same_between_short_and_long_form():
    an = two_rounds("a: {cf: s2, n: [3, 5], t: in writing}\n", "a: {cf: {stance: s2}, n: {value: [3, 5]}, t: {stance: in writing}}\n")
    assert [shift(an, "r2", "a", d) for d in ("cf", "n", "t")] == [Shift.SAME] * 3


@pytest.mark.parametrize(
    "before, after",
    [
        ("{stance: s2, note: Firm.}", "{stance: s2, note: Softer.}"),
        ("{stance: s2}", "{stance: s2, note: Added a note.}"),
        ("{stance: s2, quote: We hold.}", "{stance: s2, quote: We still hold.}"),
        ("{stance: s2, note: Same., quote: We hold.}", "{stance: s2, note: Same.}"),
    ],
)
def test_same_and_restated_when_only_note_or_quote_changed(before, after):
    # FORMAT.md 1.1: `reworded` is gone; the position did not move, it was said again
    an = two_rounds(f"a: {{cf: {before}}}\nb: {{cf: s4}}\n", f"a: {{cf: {after}}}\n")
    assert shift(an, "r2", "a") is Shift.SAME
    assert an.cell("r2", "a", "cf").restated


def test_a_restatement_in_the_same_words_is_not_restated():
    an = two_rounds("a: {cf: {stance: s2, note: Firm.}}\nb: {cf: s4}\n", "a: {cf: {stance: s2, note: Firm.}}\n")
    assert shift(an, "r2", "a") is Shift.SAME and not an.cell("r2", "a", "cf").restated
    assert not an.cell("r2", "b", "cf").restated  # carried, not said again


def test_toward_and_away_on_a_scale():
    an = two_rounds("a: {cf: s1, n: 5}\nb: {cf: s4, n: 50}\n", "a: {cf: s3, n: 2}\n")
    assert shift(an, "r2", "a", "cf") is Shift.TOWARD  # 3 -> 1
    assert shift(an, "r2", "a", "n") is Shift.AWAY  # 45 -> 48
    an = two_rounds("a: {cf: s2}\nb: {cf: s4}\n", "a: {cf: s0}\n")
    assert shift(an, "r2", "a") is Shift.AWAY  # 2 -> 4


def test_other_sides_position_in_this_round_is_the_reference():
    # b moves in the same round as a: a's move is measured against b's new position.
    an = two_rounds("a: {cf: s2}\nb: {cf: s4}\n", "a: {cf: s1}\nb: {cf: s0}\n")
    assert shift(an, "r2", "a") is Shift.TOWARD  # |2-0| = 2 -> |1-0| = 1
    assert shift(an, "r2", "b") is Shift.TOWARD  # |4-2| = 2 -> |0-1| = 1


def test_carried_position_of_the_other_side_counts():
    an = analyse(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              b: {cf: s0}
          - id: r2
            date: 2024-01-02
            positions:
              a: {cf: s4}
          - id: r3
            date: 2024-01-03
            positions:
              a: {cf: s3}
        """
    )
    assert shift(an, "r2", "b") is Shift.CARRIED
    assert shift(an, "r3", "a") is Shift.TOWARD  # b's carried s0: 4 -> 3


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("s3", "s4", Shift.AWAY),  # 3+2=5 -> 4+3=7
        ("s4", "s2", Shift.TOWARD),  # 4+3=7 -> 2+1=3
        ("s2", "s3", Shift.AWAY),  # 2+1=3 -> 3+2=5
        ("s1", "s0", Shift.MOVED),  # 1+0=1 -> 0+1=1: equal sums
    ],
)
def test_shift_uses_the_sum_of_distances_to_all_other_sides(old, new, expected):
    an = two_rounds(f"a: {{cf: {old}}}\nb: {{cf: s0}}\nc: {{cf: s1}}\n", f"a: {{cf: {new}}}\n")
    assert shift(an, "r2", "a") is expected


def test_equal_sums_between_two_others_is_moved():
    an = two_rounds("a: {cf: s2}\nb: {cf: s0}\nc: {cf: s4}\n", "a: {cf: s3}\n")
    assert shift(an, "r2", "a") is Shift.MOVED  # 2+2 -> 3+1


@pytest.mark.parametrize(
    "old, new, other, expected",
    [
        ("[10, 20]", "[15, 30]", "[40, 50]", Shift.TOWARD),  # nearest ends: 20 -> 10
        ("[10, 20]", "[30, 45]", "[40, 50]", Shift.TOWARD),  # 20 -> overlap 0
        ("[30, 45]", "[42, 60]", "[40, 50]", Shift.MOVED),  # overlap before and after: 0 = 0
        ("[30, 45]", "[10, 35]", "[40, 50]", Shift.AWAY),  # 0 -> 5
        ("60", "55", "[40, 50]", Shift.TOWARD),  # 10 -> 5
        ("55", "[51, 70]", "[40, 50]", Shift.TOWARD),  # 5 -> 1: nearest end of the range
        ("45", "50", "[40, 50]", Shift.MOVED),  # inside the range both times
    ],
)
def test_toward_and_away_on_numbers_and_ranges(old, new, other, expected):
    an = two_rounds(f"a: {{n: {old}}}\nb: {{n: {other}}}\n", f"a: {{n: {new}}}\n")
    assert shift(an, "r2", "a", "n") is expected


def test_moved_when_no_other_side_has_a_position():
    an = two_rounds("a: {cf: s0, n: 5}\n", "a: {cf: s3, n: 9}\n")
    assert shift(an, "r2", "a", "cf") is Shift.MOVED
    assert shift(an, "r2", "a", "n") is Shift.MOVED


def test_mediators_and_observers_are_no_reference_for_a_side():
    an = two_rounds("a: {cf: s0}\nm: {cf: s4}\no: {cf: s4}\n", "a: {cf: s3}\n")
    assert shift(an, "r2", "a") is Shift.MOVED


def test_free_text_change_is_changed_even_with_other_sides():
    an = two_rounds("a: {t: verbal}\nb: {t: in writing}\n", "a: {t: in writing}\n")
    assert shift(an, "r2", "a", "t") is Shift.CHANGED


def test_withdrawn_then_withdrawn_again_then_restated():
    an = analyse(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              a: {cf: s1}
              b: {cf: s3}
          - id: r2
            date: 2024-01-02
            positions:
              a: {cf: {withdrawn: true}}
          - id: r3
            date: 2024-01-03
            positions:
              a: {cf: {withdrawn: true, note: Still dropped.}}
          - id: r4
            date: 2024-01-04
          - id: r5
            date: 2024-01-05
            positions:
              a: {cf: s1}
        """
    )
    # FORMAT.md 1.1: taken up again, compared with the position before the withdrawal
    assert [c.shift for c in an.history("a", "cf")] == [
        Shift.NEW, Shift.WITHDRAWN, Shift.SAME, Shift.CARRIED, Shift.SAME,
    ]
    assert [c.resumed for c in an.history("a", "cf")] == [False, False, False, False, True]
    assert an.cell("r5", "a", "cf").previous is reported(an, "r1", "a", "cf")
    carried = an.cell("r4", "a", "cf")
    assert carried.position is reported(an, "r3", "a", "cf") and carried.position.withdrawn


def test_taken_up_again_at_another_stance_is_a_move_not_a_first_position():
    an = analyse(
        """\
        rounds:
          - {id: r1, date: 2024-01-01, positions: {a: {cf: s1}, b: {cf: s4}}}
          - {id: r2, date: 2024-01-02, positions: {a: {cf: {withdrawn: true}}}}
          - {id: r3, date: 2024-01-03, positions: {a: {cf: s3}}}
        """
    )
    cell = an.cell("r3", "a", "cf")
    assert cell.shift is Shift.TOWARD and cell.resumed
    assert cell.previous is reported(an, "r1", "a", "cf")


def test_a_first_withdrawal_then_a_stance_is_new():
    an = analyse(
        """\
        rounds:
          - {id: r1, date: 2024-01-01, positions: {a: {cf: {withdrawn: true}}}}
          - {id: r2, date: 2024-01-02, positions: {a: {cf: s3}}}
        """
    )
    # nothing before the withdrawal to compare with: new, though taken up again
    assert shift(an, "r2", "a") is Shift.NEW and an.cell("r2", "a", "cf").resumed


def test_withdrawn_first_position_is_withdrawn():
    an = two_rounds("b: {cf: s3}\n", "a: {cf: {withdrawn: true}}\n")
    assert shift(an, "r2", "a") is Shift.WITHDRAWN


def test_withdrawn_other_side_is_no_reference():
    an = two_rounds("a: {cf: s0}\nb: {cf: s4}\n", "a: {cf: s2}\nb: {cf: {withdrawn: true}}\n")
    assert shift(an, "r2", "a") is Shift.MOVED


def test_mediator_shift_is_measured_against_the_sides():
    an = two_rounds(
        "a: {cf: s4}\nb: {cf: s3}\nm: {cf: s0}\no: {cf: s0}\n",
        "m: {cf: s2}\no: {cf: s1}\n",
    )
    assert shift(an, "r2", "m") is Shift.TOWARD  # 4+3=7 -> 2+1=3; the observer does not count
    assert shift(an, "r2", "o") is Shift.TOWARD  # 7 -> 5; the mediator does not count
    an = two_rounds("a: {cf: s2}\nm: {cf: s2}\n", "m: {cf: s0}\n")
    assert shift(an, "r2", "m") is Shift.AWAY  # 0 -> 2
    an = two_rounds("m: {cf: s2}\no: {cf: s0}\n", "m: {cf: s0}\n")
    assert shift(an, "r2", "m") is Shift.MOVED  # no side stated


def test_disputed_reports_are_ignored_in_shifts():
    own = "{stance: s1, disputed: [{stance: s4, note: Another outlet.}]}"
    an = two_rounds("a: {cf: s1}\n", f"a: {{cf: {own}}}\n")
    assert shift(an, "r2", "a") is Shift.SAME
    # b's disputed s0 is not b's position: a moving from s2 to s3 is toward b's s4.
    other = "{stance: s4, disputed: [{stance: s0}]}"
    an = two_rounds(f"a: {{cf: s2}}\nb: {{cf: {other}}}\n", "a: {cf: s3}\n")
    assert shift(an, "r2", "a") is Shift.TOWARD


def test_changed_property_of_shifts():
    assert {s for s in Shift if not s.changed} == {Shift.SAME, Shift.CARRIED}


def test_measure():
    an = two_rounds("a: {cf: s3, n: [2, 7], t: words}\n", "a: {cf: {withdrawn: true}}\n")
    cf, n, t = (an.catalog.demand(d) for d in ("cf", "n", "t"))
    assert measure(cf, reported(an, "r1", "a", "cf")) == Value(3, 3)
    assert measure(n, reported(an, "r1", "a", "n")) == Value(2, 7)
    assert measure(t, reported(an, "r1", "a", "t")) is None
    assert measure(cf, reported(an, "r2", "a", "cf")) is None
    assert measure(cf, None) is None


# -- gaps ----------------------------------------------------------------------------------


def one_round(positions: str) -> Analysis:
    body = "rounds:\n  - id: r1\n    date: 2024-01-01\n    positions:\n"
    return analyse(body + textwrap.indent(textwrap.dedent(positions), " " * 6))


def test_scale_gap_is_normalized():
    gap = one_round("a: {cf: s1}\nb: {cf: s4}\nc: {cf: s2}\n").gap("r1", "cf")
    assert (gap.round, gap.demand) == ("r1", "cf")
    assert gap.distance == 3
    assert gap.normalized == pytest.approx(0.75)
    assert gap.agreement is Agreement.APART
    assert gap.stated == 3
    assert gap.zone is None and gap.trend is None


def test_numeric_gap_is_in_the_unit():
    gap = one_round("a: {n: 3}\nb: {n: [10, 13]}\n").gap("r1", "n")
    assert gap.distance == 7 and gap.normalized == 7
    assert gap.agreement is Agreement.APART  # 7 / 13 > CLOSE_SHARE
    assert gap.zone is None and gap.stated == 2


def test_one_sided_and_unstated_gaps():
    an = one_round("a: {cf: s1, t: text}\nm: {n: 4}\no: {n: 9}\n")
    for did in ("cf", "t"):
        gap = an.gap("r1", did)
        assert (gap.distance, gap.normalized, gap.agreement, gap.trend, gap.zone, gap.stated) == (
            None, None, Agreement.ONE_SIDED, None, None, 1,
        )
    gap = an.gap("r1", "n")  # only a mediator and an observer stated it
    assert (gap.distance, gap.normalized, gap.agreement, gap.trend, gap.zone, gap.stated) == (
        None, None, None, None, None, 0,
    )


def test_mediators_and_observers_never_count_in_gaps():
    an = one_round("a: {cf: s2, n: 10}\nb: {cf: s2, n: 10}\nm: {cf: s0, n: 99}\no: {cf: s4, n: 0}\n")
    for did in ("cf", "n"):
        gap = an.gap("r1", did)
        assert gap.distance == 0 and gap.agreement is Agreement.AGREED and gap.stated == 2


def test_withdrawn_positions_take_no_part_in_the_gap():
    an = analyse(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              a: {cf: s0}
              b: {cf: s4}
              c: {cf: s3}
          - id: r2
            date: 2024-01-02
            positions:
              a: {cf: {withdrawn: true, stance: s0}}
          - id: r3
            date: 2024-01-03
            positions:
              c: {cf: {withdrawn: true}}
        """
    )
    assert an.gap("r1", "cf").distance == 4
    gap = an.gap("r2", "cf")
    assert (gap.distance, gap.normalized, gap.agreement, gap.stated) == (1, 0.25, Agreement.CLOSE, 2)
    assert gap.trend is Trend.CLOSING
    gap = an.gap("r3", "cf")  # a's withdrawal is carried; only b remains
    assert (gap.distance, gap.agreement, gap.stated, gap.trend) == (None, Agreement.ONE_SIDED, 1, None)


def test_carried_positions_count_in_the_gap():
    an = analyse(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              a: {cf: s0, n: 4}
          - id: r2
            date: 2024-01-02
            positions:
              b: {cf: s4, n: 6}
        """
    )
    assert an.gap("r2", "cf").normalized == 1.0
    assert an.gap("r2", "n").distance == 2 and an.gap("r2", "n").stated == 2


@pytest.mark.parametrize(
    "a, b, agreement",
    [
        ("same words", "same words", Agreement.AGREED),
        ("in writing", "verbal", None),
        ("in writing", "In writing", None),
    ],
)
def test_free_text_gap(a, b, agreement):
    gap = one_round(f"a: {{t: {a}}}\nb: {{t: {b}}}\n").gap("r1", "t")
    assert gap.distance is None and gap.normalized is None and gap.zone is None
    assert gap.agreement is agreement
    assert gap.stated == 2 and gap.trend is None


@pytest.mark.parametrize(
    "a, b, c, zone",
    [
        ("[10, 20]", "[15, 30]", "[18, 40]", Value(18, 20)),
        ("[10, 20]", "[20, 30]", "20", Value(20, 20)),
        ("5", "5", "[1, 9]", Value(5, 5)),
    ],
)
def test_zone_of_possible_agreement_is_the_intersection(a, b, c, zone):
    gap = one_round(f"a: {{n: {a}}}\nb: {{n: {b}}}\nc: {{n: {c}}}\n").gap("r1", "n")
    assert gap.distance == 0 and gap.normalized == 0
    assert gap.agreement is Agreement.AGREED
    assert gap.zone == zone


def test_no_zone_when_one_pair_does_not_overlap():
    gap = one_round("a: {n: [10, 20]}\nb: {n: [15, 30]}\nc: {n: [25, 40]}\n").gap("r1", "n")
    assert gap.distance == 5 and gap.zone is None  # a-c: 25 - 20


def test_scale_agreement_classes_around_close_share():
    assert CLOSE_SHARE == 0.25
    for other, distance, agreement in [
        ("s2", 0, Agreement.AGREED),
        ("s3", 1, Agreement.CLOSE),  # 1/4 == CLOSE_SHARE: close
        ("s4", 2, Agreement.APART),
    ]:
        gap = one_round(f"a: {{cf: s2}}\nb: {{cf: {other}}}\n").gap("r1", "cf")
        assert (gap.distance, gap.normalized, gap.agreement) == (distance, distance / 4, agreement)


@pytest.mark.parametrize(
    "a, b, distance, agreement",
    [
        ("100", "80", 20, Agreement.CLOSE),  # 20/100
        ("100", "75", 25, Agreement.CLOSE),  # exactly CLOSE_SHARE of the larger magnitude
        ("100", "74", 26, Agreement.APART),
        ("[70, 100]", "[110, 120]", 10, Agreement.CLOSE),  # 10/120
        ("0", "0", 0, Agreement.AGREED),
    ],
)
def test_numeric_agreement_classes(a, b, distance, agreement):
    gap = one_round(f"a: {{n: {a}}}\nb: {{n: {b}}}\n").gap("r1", "n")
    assert gap.distance == distance and gap.normalized == distance
    assert gap.agreement is agreement


def test_trends_against_the_previous_round():
    an = analyse(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              a: {cf: s0, n: 10}
              b: {cf: s4, n: 20}
          - id: r2
            date: 2024-01-02
            positions:
              a: {cf: s2, n: 5}
          - id: r3
            date: 2024-01-03
          - id: r4
            date: 2024-01-04
            positions:
              b: {cf: s2, n: 5}
          - id: r5
            date: 2024-01-05
            positions:
              b: {cf: s1, n: 7}
        """
    )
    assert [an.gap(r, "cf").trend for r in ("r1", "r2", "r3", "r4", "r5")] == [
        None, Trend.CLOSING, Trend.STEADY, Trend.CLOSING, Trend.WIDENING,
    ]
    assert [an.gap(r, "n").distance for r in ("r1", "r2", "r3", "r4", "r5")] == [10, 15, 15, 0, 2]
    assert [an.gap(r, "n").trend for r in ("r1", "r2", "r3", "r4", "r5")] == [
        None, Trend.WIDENING, Trend.STEADY, Trend.CLOSING, Trend.WIDENING,
    ]


def test_no_trend_after_a_round_without_a_gap():
    an = analyse(
        """\
        rounds:
          - id: r1
            date: 2024-01-01
            positions:
              a: {cf: s0}
          - id: r2
            date: 2024-01-02
            positions:
              b: {cf: s4}
          - id: r3
            date: 2024-01-03
            positions:
              b: {cf: s3}
        """
    )
    assert an.gap("r1", "cf").agreement is Agreement.ONE_SIDED
    assert an.gap("r2", "cf").trend is None
    assert an.gap("r3", "cf").trend is Trend.CLOSING


# -- compare -------------------------------------------------------------------------------


COMPARE = """\
rounds:
  - id: r1
    date: 2024-01-01
    positions:
      a: {cf: s1, n: 10}
      b: {cf: s4}
      m: {cf: s2}
  - id: r2
    date: 2024-01-02
    positions:
      a: {cf: s4, n: 12}
      c: {cf: s3}
  - id: r3
    date: 2024-01-03
    positions:
      a: {cf: s1, n: [11, 30]}
      b: {cf: s4}
      m: {cf: s3}
  - id: r4
    date: 2024-01-04
"""


def test_compare_measures_from_the_baseline_as_if_nothing_was_said_between():
    an = analyse(COMPARE)
    # a went s1 -> s4 -> s1: its own shift in r3 is away, but against r1 nothing changed.
    assert shift(an, "r3", "a") is Shift.AWAY
    result = an.compare("r1", "r3")
    assert result[("a", "cf")] is Shift.SAME
    assert result[("b", "cf")] is Shift.SAME  # restated identically in r3: a new object
    assert result[("c", "cf")] is Shift.NEW  # nothing in force in r1
    assert result[("m", "cf")] is Shift.TOWARD  # s2 -> s3 against a s1, b s4, c s3: 1+2+1 -> 2+1+0
    assert result[("a", "n")] is Shift.MOVED  # no other side on n
    assert result[("b", "n")] is None and result[("o", "cf")] is None
    assert set(result) == {(p, d) for p in "abcmo" for d in ("cf", "n", "t")}


def test_compare_carried_and_later_moves():
    an = analyse(COMPARE)
    result = an.compare("r3", "r4")  # nothing reported in r4
    assert {k: v for k, v in result.items() if v is not None} == {
        (p, d): Shift.CARRIED for p, d in [("a", "cf"), ("a", "n"), ("b", "cf"), ("c", "cf"), ("m", "cf")]
    }
    result = an.compare("r2", "r4")
    assert result[("c", "cf")] is Shift.CARRIED  # stated in r2, carried unchanged to r4
    assert result[("a", "cf")] is Shift.AWAY  # s4 -> s1 against b s4, c s3: 0+1 -> 3+2
    assert result[("b", "cf")] is Shift.SAME  # r1's object vs r3's identical restatement
    assert result[("m", "cf")] is Shift.TOWARD  # r1's s2 (carried in r2) -> r3's s3: 4 -> 3
    assert result[("a", "n")] is Shift.MOVED
    # from the round just before, compare agrees with the cells' own shifts
    result = an.compare("r1", "r2")
    assert result[("a", "cf")] is Shift.TOWARD  # s1 -> s4 against b s4, c s3: 3+2 -> 0+1
    for (party, demand), value in result.items():
        assert value is an.cell("r2", party, demand).shift



def test_compare_a_round_with_itself():
    an = analyse(COMPARE)
    assert {k: v for k, v in an.compare("r3", "r3").items() if v is not None} == {
        ("a", "cf"): Shift.SAME, ("a", "n"): Shift.SAME, ("b", "cf"): Shift.SAME,
        ("c", "cf"): Shift.CARRIED, ("m", "cf"): Shift.SAME,
    }


def test_gap_shown():
    an = one_round("a: {cf: s1, n: 1500, t: x}\nb: {cf: s4, n: [3000, 4000], t: y}\n")
    cf, n, t = (an.catalog.demand(d) for d in ("cf", "n", "t"))
    assert an.gap("r1", "cf").shown(cf) == "0.75"
    assert an.gap("r1", "n").shown(n) == "1,500"
    assert an.gap("r1", "t").shown(t) == ""


# -- look-ups ------------------------------------------------------------------------------


ORDERING = """rounds:
  - id: r1
    date: 2024-01-01
    positions:
      c: {t: words, cf: s1}
      m: {cf: s2}
      a: {n: 3, cf: s0}
  - id: r2
    date: 2024-01-02
    positions:
      b: {cf: s4}
      a: {cf: s0, n: 4}
  - id: r3
    date: 2024-01-03
  - id: r4
    date: 2024-01-04
    positions:
      o: {t: other words}
      c: {t: {stance: words, note: Now with a note.}}
      a: {cf: {withdrawn: true}}
"""


def test_changed_cells_order_and_contents():
    an = analyse(ORDERING)
    cells = an.changed_cells()
    assert [(c.round, c.demand, c.party, c.shift) for c in cells] == [
        ("r1", "cf", "a", Shift.NEW),
        ("r1", "cf", "c", Shift.NEW),
        ("r1", "cf", "m", Shift.NEW),
        ("r1", "n", "a", Shift.NEW),
        ("r1", "t", "c", Shift.NEW),
        # r2: a's cf is the same (left out); b is new; a's n moved with nobody to measure against
        ("r2", "cf", "b", Shift.NEW),
        ("r2", "n", "a", Shift.MOVED),
        # r3: nothing reported, nothing changed
        ("r4", "cf", "a", Shift.WITHDRAWN),
        # c's t only gained a note: the same position, left out
        ("r4", "t", "o", Shift.NEW),
    ]
    for c in cells:
        assert c is an.cell(c.round, c.party, c.demand)
        assert c.position is reported(an, c.round, c.party, c.demand)
    everything = [an.cell(r.id, p.id, d.id) for r in an.catalog.rounds for d in an.catalog.demands for p in an.catalog.parties]
    assert cells == [c for c in everything if c.shift is not None and c.shift.changed]


def test_history_has_one_cell_per_round_oldest_first():
    an = analyse(ORDERING)
    for party in "abcmo":
        for demand in ("cf", "n", "t"):
            history = an.history(party, demand)
            assert len(history) == len(an.catalog.rounds) == 4
            assert [c.round for c in history] == ["r1", "r2", "r3", "r4"]
            assert all(c.party == party and c.demand == demand for c in history)
    assert [c.shift for c in an.history("a", "cf")] == [Shift.NEW, Shift.SAME, Shift.CARRIED, Shift.WITHDRAWN]
    assert [c.shift for c in an.history("b", "n")] == [None] * 4
    assert an.sides == ("a", "b", "c")


# -- the real catalog ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Analysis:
    catalog, problems = load_catalog(REAL_CATALOG)
    assert problems == [], "\n".join(map(str, problems))
    assert catalog is not None
    return analyze(catalog)


def test_real_catalog_cells_are_consistent(real: Analysis):
    catalog = real.catalog
    assert catalog.rounds and catalog.parties and catalog.demands
    for party in catalog.parties:
        for demand in catalog.demands:
            last = None  # the last position reported so far
            for index, (rnd, cell) in enumerate(zip(catalog.rounds, real.history(party.id, demand.id))):
                assert (cell.round, cell.party, cell.demand) == (rnd.id, party.id, demand.id)
                assert (cell.shift is None) == (cell.position is None)
                assert cell.previous is last
                here = rnd.positions.get((party.id, demand.id))
                if here is not None:
                    assert cell.position is here and cell.shift is not Shift.CARRIED
                    assert (cell.shift is Shift.NEW) <= (last is None or last.withdrawn)
                    last = here
                elif cell.shift is Shift.CARRIED:
                    assert cell.position is last and last is not None
                    assert catalog.round_index(cell.position.round) < index
                else:
                    assert cell.position is None and last is None


def test_real_catalog_gaps_are_consistent(real: Analysis):
    catalog = real.catalog
    for demand in catalog.demands:
        before = None
        for rnd in catalog.rounds:
            gap = real.gap(rnd.id, demand.id)
            in_force = [real.cell(rnd.id, s, demand.id).position for s in real.sides]
            stated = [p for p in in_force if p is not None and not p.withdrawn]
            assert gap.stated == len(stated)
            if len(stated) < 2 or demand.kind == "text":
                assert gap.distance is None and gap.normalized is None and gap.trend is None
            else:
                assert gap.distance is not None and gap.distance >= 0
                if demand.kind == "scale":
                    assert gap.normalized == pytest.approx(gap.distance / (len(demand.scale) - 1))
                    assert 0 <= gap.normalized <= 1
                else:
                    assert gap.normalized == gap.distance
                assert (gap.agreement is Agreement.AGREED) == (gap.distance == 0)
                if before is None or before.normalized is None:
                    assert gap.trend is None
                else:
                    assert gap.trend is not None
            before = gap


def test_real_catalog_changed_cells_and_compare(real: Analysis):
    catalog = real.catalog
    cells = real.changed_cells()
    assert cells, "the real catalog reports positions"
    assert all(c.shift not in (None, Shift.SAME, Shift.CARRIED) for c in cells)
    first, last = catalog.rounds[0].id, catalog.rounds[-1].id
    result = real.compare(first, last)
    for party in catalog.parties:
        for demand in catalog.demands:
            value = result[(party.id, demand.id)]
            assert (value is None) == (real.cell(last, party.id, demand.id).position is None)
