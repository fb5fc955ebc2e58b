"""Every rule of the catalog format (FORMAT.md, version 1), each with a valid and an invalid case.

Catalogs are built inline from BASE, a minimal valid catalog whose line numbers are listed
beside it, so every expected LINE:COLUMN can be read off the text of the test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from negotrack.store import Catalog, Problem, Value, load_catalog, parse_catalog

FILE = "t.yaml"

BASE = textwrap.dedent(
    """\
    title: Talks
    parties:
      hamas:
        name: Hamas
      israel:
        name: Israel
      mediators:
        name: Qatar, Egypt and the United States
        role: mediator
    demands:
      ceasefire:
        title: Ceasefire
        scale: [no ceasefire, temporary truce, permanent ceasefire]
      ratio:
        title: Prisoners released per captive
        unit: prisoners per captive
      guarantees:
        title: Written guarantees
    sources:
      almayadeen-2024-02-25:
        outlet: Al Mayadeen English
        date: 2024-02-25
      reuters-2024-02-26:
        outlet: Reuters
    rounds:
      - id: paris-2024-02
        date: 2024-02-23
    """
)
# Line numbers of BASE:
#  1 title             10 demands            19 sources
#  2 parties           11   ceasefire        20   almayadeen-2024-02-25
#  3   hamas           12     title          21     outlet
#  4     name          13     scale          22     date
#  5   israel          14   ratio            23   reuters-2024-02-26
#  6     name          15     title          24     outlet
#  7   mediators       16     unit           25 rounds
#  8     name          17   guarantees       26   - id: paris-2024-02
#  9     role          18     title          27     date: 2024-02-23
# with_positions(): 28 is `    positions:`, the body starts at line 29 (party keys at
# column 7, demand keys at column 9; a value after `ceasefire: ` is at column 20, after
# `ratio: ` at 16, after `guarantees: ` at 21).
# with_rounds(): the appended rounds start at line 28 (`- id:` value at column 9, `date:`
# value at column 11).

SCALE = "no ceasefire, temporary truce, permanent ceasefire"


def parse(text: str | bytes) -> tuple[Catalog | None, list[Problem]]:
    return parse_catalog(text, FILE)


def edit(old: str, new: str, base: str = BASE) -> str:
    assert base.count(old) == 1, f"{old!r} must occur once"
    return base.replace(old, new)


def with_positions(body: str, base: str = BASE) -> str:
    return base + "    positions:\n" + textwrap.indent(textwrap.dedent(body), " " * 6)


def with_rounds(body: str, base: str = BASE) -> str:
    return base + textwrap.indent(textwrap.dedent(body), "  ")


def valid(text: str | bytes) -> Catalog:
    catalog, problems = parse(text)
    assert problems == [], "\n".join(map(str, problems))
    assert catalog is not None
    return catalog


def problem(text: str | bytes, line: int, column: int, fragment: str, *, alone: bool = True) -> Problem:
    """The problem at LINE:COLUMN whose message contains FRAGMENT (the only one, if alone)."""
    catalog, problems = parse(text)
    assert catalog is None, "a catalog with an error is not built"
    shown = "\n".join(map(str, problems))
    if alone:
        assert len(problems) == 1, shown
    hits = [p for p in problems if (p.line, p.column) == (line, column) and fragment in p.message]
    assert hits, f"expected {line}:{column} {fragment!r}; got:\n{shown}"
    assert hits[0].file == FILE and hits[0].severity == "error"
    return hits[0]


def _no_core_dump() -> None:
    """In the child: a crash should fail fast, not spend seconds writing a core file."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_isolated(code: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run python code in a child process: a crash of the C parser fails the test, not pytest."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, preexec_fn=_no_core_dump)
    return proc, time.monotonic() - start


# ----------------------------------------------------------------------------- the model


def test_base_catalog_is_valid_and_summarised() -> None:
    catalog = valid(BASE)
    assert catalog.title == "Talks"
    assert catalog.path == FILE
    assert catalog.format == 1
    assert catalog.summary() == "3 parties, 3 demands, 1 round, 0 positions"


def test_summary_counts_positions() -> None:
    catalog = valid(with_positions("""\
        hamas:
          ceasefire: permanent ceasefire
          ratio: [3, 13]
        israel:
          ceasefire: temporary truce
        """))
    assert catalog.position_count == 3
    assert catalog.summary() == "3 parties, 3 demands, 1 round, 3 positions"


def test_file_order_of_parties_demands_sources_and_rounds_is_kept() -> None:
    catalog = valid(textwrap.dedent("""\
        title: Order
        parties:
          zeta: {name: Z}
          alpha: {name: A}
          mid: {name: M}
        demands:
          z-last: {title: Z}
          a-first: {title: A}
        sources:
          s9: {outlet: Nine}
          s1: {outlet: One}
        rounds:
          - {id: r-b, date: 2024-01-01}
          - {id: r-a, date: 2024-01-02}
        """))
    assert [p.id for p in catalog.parties] == ["zeta", "alpha", "mid"]
    assert [d.id for d in catalog.demands] == ["z-last", "a-first"]
    assert [s.id for s in catalog.sources] == ["s9", "s1"]
    assert [r.id for r in catalog.rounds] == ["r-b", "r-a"]


def test_model_values_and_their_positions_in_the_file() -> None:
    catalog = valid(BASE)
    hamas, israel, mediators = catalog.parties
    assert (hamas.role, hamas.is_side, (hamas.line, hamas.column)) == ("party", True, (3, 3))
    assert (mediators.role, mediators.is_side, mediators.name) == ("mediator", False, "Qatar, Egypt and the United States")
    ceasefire, ratio, guarantees = catalog.demands
    assert (ceasefire.kind, ceasefire.scale) == ("scale", tuple(SCALE.split(", ")))
    assert (ratio.kind, ratio.unit) == ("number", "prisoners per captive")
    assert guarantees.kind == "text"
    assert (ratio.line, ratio.column) == (14, 3)
    assert catalog.source("almayadeen-2024-02-25").date == dt.date(2024, 2, 25)
    assert catalog.source("reuters-2024-02-26").date is None
    (rnd,) = catalog.rounds
    assert (rnd.id, rnd.date, rnd.line, rnd.column) == ("paris-2024-02", dt.date(2024, 2, 23), 26, 5)


def test_problem_prints_as_file_line_column_severity_message() -> None:
    p = problem(edit("rounds:", "round:"), 25, 1, "unknown key `round`", alone=False)
    assert str(p) == f"{FILE}:25:1: error: {p.message}"
    assert p.as_dict() == {"file": FILE, "line": 25, "column": 1, "message": p.message, "severity": "error"}


# ---------------------------------------------------------------------------------- keys


def test_unknown_top_level_key_gets_a_did_you_mean_hint() -> None:
    _, problems = parse(edit("rounds:", "round:"))
    assert [(p.line, p.column) for p in problems] == [(1, 1), (25, 1)]
    assert "missing the required key `rounds`" in problems[0].message
    assert "unknown key `round` in the catalog; did you mean `rounds`?" in problems[1].message


def test_unknown_top_level_key_without_a_close_match_lists_the_allowed_keys() -> None:
    p = problem(edit("title: Talks\n", "title: Talks\nzzz: 1\n"), 2, 1, "unknown key `zzz` in the catalog")
    assert "did you mean" not in p.message
    assert "(allowed: format, title, description, parties, demands, sources, rounds)" in p.message


def test_all_top_level_keys_are_allowed() -> None:
    valid(edit("title: Talks\n", "format: 1\ntitle: Talks\ndescription: The talks.\n"))


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "fragment"),
    [
        ("    name: Hamas\n", "    nmae: Hamas\n    name: Hamas\n", 4, 5, "unknown key `nmae` in party `hamas`; did you mean `name`?"),
        ("    unit: prisoners per captive\n", "    units: prisoners per captive\n", 16, 5, "unknown key `units` in demand `ratio`; did you mean `unit`?"),
        ("    outlet: Reuters\n", "    outlet: Reuters\n    outlte: Reuters\n", 25, 5, "unknown key `outlte` in source `reuters-2024-02-26`; did you mean `outlet`?"),
        ("    date: 2024-02-23\n", "    date: 2024-02-23\n    venu: Paris\n", 28, 5, "unknown key `venu` in a round; did you mean `venue`?"),
    ],
)
def test_unknown_keys_below_the_top_level(old: str, new: str, line: int, column: int, fragment: str) -> None:
    problem(edit(old, new), line, column, fragment)


def test_unknown_key_in_a_long_form_position_and_in_a_disputed_report() -> None:
    text = with_positions("""\
        hamas:
          ratio:
            valeu: 3
            value: 3
            disputed:
              - value: 5
                sourec: reuters-2024-02-26
        """)
    _, problems = parse(text)
    assert [(p.line, p.column) for p in problems] == [(31, 11), (35, 15)]
    assert "unknown key `valeu` in the position of `hamas` on `ratio` in round `paris-2024-02`; did you mean `value`?" in problems[0].message
    assert "unknown key `sourec` in a disputed report" in problems[1].message and "did you mean `source`?" in problems[1].message


def test_duplicate_top_level_key_names_both_lines() -> None:
    p = problem(edit("title: Talks\n", "title: Talks\ntitle: Talks again\n"), 2, 1, "duplicate key `title` in the catalog")
    assert "also at line 1" in p.message


def test_duplicate_party_id_names_both_lines() -> None:
    text = edit("  israel:\n", "  hamas:\n    name: Hamas again\n  israel:\n")
    p = problem(text, 5, 3, "duplicate key `hamas` in `parties`")
    assert "also at line 3" in p.message


def test_duplicate_demand_in_one_party_s_positions_names_both_lines() -> None:
    text = with_positions("""\
        hamas:
          ceasefire: temporary truce
          ratio: 3
          ceasefire: permanent ceasefire
        """)
    p = problem(text, 32, 9, "duplicate key `ceasefire` in the positions of `hamas` in round `paris-2024-02`")
    assert "also at line 30" in p.message


def test_duplicate_key_inside_a_position() -> None:
    text = with_positions("""\
        hamas:
          ratio:
            value: 3
            value: 4
        """)
    p = problem(text, 32, 11, "duplicate key `value`")
    assert "also at line 31" in p.message


# ----------------------------------------------------------------------------------- ids


def test_ids_may_use_letters_digits_dash_and_underscore() -> None:
    text = BASE.replace("hamas", "Hamas_2-b").replace("paris-2024-02", "Paris_2024-02")
    catalog = valid(text)
    assert catalog.parties[0].id == "Hamas_2-b"


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "fragment"),
    [
        ("  hamas:\n", '  "hamas movement":\n', 3, 3, "id `hamas movement` may only contain letters, digits, `-` and `_`"),
        ("  ratio:\n", "  ratio.v2:\n", 14, 3, "id `ratio.v2` may only contain"),
        ("  reuters-2024-02-26:\n", "  reuters/2024:\n", 23, 3, "id `reuters/2024` may only contain"),
        ("  - id: paris-2024-02\n", "  - id: paris 2024\n", 26, 9, "round id `paris 2024` may only contain"),
        ("  - id: paris-2024-02\n", "  - id: [paris]\n", 26, 9, "round id must be text, not a list"),
    ],
)
def test_ids_with_bad_characters(old: str, new: str, line: int, column: int, fragment: str) -> None:
    problem(edit(old, new), line, column, fragment, alone=False)


# ----------------------------------------------------------------------------- references


def test_defined_references_are_valid() -> None:
    valid(with_positions("""\
        hamas:
          ratio: {value: 3, source: reuters-2024-02-26}
        mediators:
          ceasefire: {stance: temporary truce, sources: [almayadeen-2024-02-25, reuters-2024-02-26]}
        """))


def test_unknown_party_in_positions_with_hint() -> None:
    text = with_positions("""\
        hamass:
          ceasefire: permanent ceasefire
        """)
    problem(text, 29, 7, "unknown party `hamass`; did you mean `hamas`?; define it under `parties:`")


def test_unknown_party_without_a_close_match_has_no_hint() -> None:
    text = with_positions("""\
        egypt:
          ceasefire: permanent ceasefire
        """)
    p = problem(text, 29, 7, "unknown party `egypt`")
    assert "did you mean" not in p.message


def test_unknown_demand_in_positions_with_hint() -> None:
    text = with_positions("""\
        hamas:
          ceasfire: permanent ceasefire
        """)
    problem(text, 30, 9, "unknown demand `ceasfire`; did you mean `ceasefire`?; define it under `demands:`")


def test_unknown_source_in_round_sources_with_hint() -> None:
    text = BASE + "    sources: [reuters-2024-02-62]\n"
    problem(text, 28, 15, "unknown source `reuters-2024-02-62`; did you mean `reuters-2024-02-26`?; define it under `sources:`")


def test_unknown_source_in_position_source_with_hint() -> None:
    text = with_positions("""\
        hamas:
          ratio: {value: 3, source: reuter-2024-02-26}
        """)
    problem(text, 30, 35, "unknown source `reuter-2024-02-26`; did you mean `reuters-2024-02-26`?")


def test_unknown_source_in_position_sources_with_hint() -> None:
    text = with_positions("""\
        hamas:
          ratio:
            value: 3
            sources: [reuters-2024-02-26, almayaden-2024-02-25]
        """)
    problem(text, 32, 41, "unknown source `almayaden-2024-02-25`; did you mean `almayadeen-2024-02-25`?")


def test_unknown_source_in_disputed_with_hint() -> None:
    text = with_positions("""\
        hamas:
          ratio:
            value: 3
            disputed:
              - value: 5
                source: almayadeen-2024-02-52
        """)
    problem(text, 34, 23, "unknown source `almayadeen-2024-02-52`; did you mean `almayadeen-2024-02-25`?")


# ---------------------------------------------------------------------------------- scales


def test_stance_on_the_scale_is_valid() -> None:
    catalog = valid(with_positions("""\
        hamas:
          ceasefire: permanent ceasefire
        """))
    assert catalog.rounds[0].positions[("hamas", "ceasefire")].stance == "permanent ceasefire"


def test_stance_off_the_scale_lists_the_scale_and_hints() -> None:
    text = with_positions("""\
        hamas:
          ceasefire: permanent truce
        """)
    p = problem(text, 30, 20, "stance `permanent truce` is not on the scale of `ceasefire`")
    assert f": {SCALE}" in p.message
    assert "did you mean `permanent ceasefire`?" in p.message


def test_stance_off_the_scale_in_long_form_and_in_disputed() -> None:
    text = with_positions("""\
        hamas:
          ceasefire:
            stance: truce
            disputed:
              - stance: pause
        """)
    _, problems = parse(text)
    assert [(p.line, p.column) for p in problems] == [(31, 19), (33, 23)]
    assert all("is not on the scale of `ceasefire`" in p.message for p in problems)


def test_scale_of_two_stances_is_valid() -> None:
    catalog = valid(edit(f"scale: [{SCALE}]", "scale: [truce, ceasefire]"))
    assert catalog.demand("ceasefire").scale == ("truce", "ceasefire")


@pytest.mark.parametrize("scale", ["[permanent ceasefire]", "[]"])
def test_scale_with_fewer_than_two_stances(scale: str) -> None:
    problem(edit(f"[{SCALE}]", scale), 13, 12, "the scale of `ceasefire` needs at least two stances, low to high")


def test_scale_with_duplicate_stances() -> None:
    text = edit(f"[{SCALE}]", "[no ceasefire, truce, truce, permanent ceasefire]")
    problem(text, 13, 34, "stance `truce` appears twice on the scale of `ceasefire`; stances must be distinct")


def test_scale_that_is_not_a_list() -> None:
    problem(edit(f"[{SCALE}]", "no ceasefire or truce"), 13, 12, "`scale` of demand `ceasefire` must be a list, not a scalar")


def test_scale_and_unit_together() -> None:
    text = edit(f"    scale: [{SCALE}]\n", f"    scale: [{SCALE}]\n    unit: days\n")
    problem(text, 14, 5, "demand `ceasefire` has both `scale` and `unit`; a demand is ordinal or numeric, not both")


def test_keywords_must_be_a_list_of_words() -> None:
    valid(edit("    title: Ceasefire\n", "    title: Ceasefire\n    keywords: [truce, hudna]\n"))
    problem(edit("    title: Ceasefire\n", "    title: Ceasefire\n    keywords: truce\n"), 13, 15, "`keywords` must be a list")


# --------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("written", "value"),
    [("3", Value(3, 3)), ("-2", Value(-2, -2)), ("1.5", Value(1.5, 1.5)), ("1e3", Value(1000.0, 1000.0)),
     ("[3, 13]", Value(3, 13)), ("[2, 2]", Value(2, 2)), ("[0.5, 1]", Value(0.5, 1)), ("!!int 7", Value(7, 7))],
)
def test_numeric_values(written: str, value: Value) -> None:
    catalog = valid(with_positions(f"""\
        hamas:
          ratio: {written}
        """))
    assert catalog.rounds[0].positions[("hamas", "ratio")].value == value


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ('"1,500"', "`1,500` is not a number for `hamas` on `ratio` in round `paris-2024-02`; write it without separators: 1500"),
        ("1,500", "write it without separators: 1500"),
        ("1:3", "`1:3` is not a number for"),
        ('"5"', "`5` is not a number for `hamas` on `ratio` in round `paris-2024-02`; remove the quotes"),
        ("'5'", "remove the quotes"),
        ("about three", "`about three` is not a number"),
        (".inf", "`.inf` is not a number"),
        ("-.inf", "`-.inf` is not a number"),
        (".nan", "`.nan` is not a number"),
        ("1e400", "`1e400` is not a number"),
        ("0x1F", "`0x1F` is not a number"),
        ("1_000", "`1_000` is not a number"),
        ("true", "`true` is not a number"),
        ("{value: three}", "`three` is not a number"),
    ],
)
def test_values_that_are_not_numbers(written: str, fragment: str) -> None:
    text = with_positions(f"""\
        hamas:
          ratio: {written}
        """)
    column = 24 if written.startswith("{") else 16
    problem(text, 30, column, fragment)


def test_ratio_written_with_a_colon_gets_a_hint() -> None:
    text = with_positions("""\
        hamas:
          ratio: 1:3
        """)
    problem(text, 30, 16, "`1:3` is not a number for `hamas` on `ratio` in round `paris-2024-02`; write a ratio as one number per captive")


def test_inverted_range() -> None:
    text = with_positions("""\
        hamas:
          ratio: [13, 3]
        """)
    problem(text, 30, 16, "inverted range [13, 3] for `hamas` on `ratio` in round `paris-2024-02`; write it low to high: [3, 13]")


@pytest.mark.parametrize(("written", "count"), [("[3]", 1), ("[3, 5, 13]", 3), ("[]", 0)])
def test_range_must_have_two_items(written: str, count: int) -> None:
    text = with_positions(f"""\
        hamas:
          ratio: {written}
        """)
    problem(text, 30, 16, f"a range for `hamas` on `ratio` in round `paris-2024-02` has two numbers, [low, high]; this one has {count}")


def test_range_with_a_word_in_it() -> None:
    text = with_positions("""\
        hamas:
          ratio: [3, many]
        """)
    problem(text, 30, 20, "`many` is not a number")


# ------------------------------------------------------------------------- rounds and dates


def test_rounds_out_of_date_order() -> None:
    text = with_rounds("""\
        - id: cairo-2024-02
          date: 2024-02-13
        """)
    problem(text, 29, 11, "round `cairo-2024-02` is dated 2024-02-13, before the round above it (`paris-2024-02`, 2024-02-23); list rounds in chronological order")


def test_rounds_on_the_same_date_are_allowed() -> None:
    catalog = valid(with_rounds("""\
        - id: paris-2024-02-b
          date: 2024-02-23
        - id: cairo-2024-03
          date: 2024-03-03
        """))
    assert [r.date.isoformat() for r in catalog.rounds] == ["2024-02-23", "2024-02-23", "2024-03-03"]


def test_duplicate_round_ids() -> None:
    text = with_rounds("""\
        - id: paris-2024-02
          date: 2024-03-01
        """)
    problem(text, 28, 9, "duplicate round id `paris-2024-02`: also at line 26; give each round its own id")


def test_round_without_positions_is_valid() -> None:
    catalog = valid(BASE + "    venue: Paris\n    positions:\n")
    assert dict(catalog.rounds[0].positions) == {}
    assert catalog.rounds[0].venue == "Paris"


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("2024-13-01", "date of round `paris-2024-02` `2024-13-01` is not a real date"),
        ("2024-02-30", "`2024-02-30` is not a real date"),
        ("2024-2-5", "date of round `paris-2024-02` `2024-2-5` is not an ISO date; write it as YYYY-MM-DD"),
        ("yesterday", "`yesterday` is not an ISO date"),
        ("2024-02-23T10:00:00", "is not an ISO date"),
        ("20240223", "`20240223` is not an ISO date"),
        ("23/02/2024", "is not an ISO date"),
    ],
)
def test_bad_round_dates(written: str, fragment: str) -> None:
    problem(edit("date: 2024-02-23", f"date: {written}"), 27, 11, fragment)


def test_bad_source_date() -> None:
    problem(edit("date: 2024-02-25", "date: 2024-2-25"), 22, 11, "date of source `almayadeen-2024-02-25` `2024-2-25` is not an ISO date")


# --------------------------------------------------------------------------- required keys


@pytest.mark.parametrize("key", ["title", "parties", "demands", "rounds"])
def test_missing_required_top_level_key(key: str) -> None:
    sections = {"title": ("title: Talks\n", ""), "parties": (BASE[BASE.index("parties:") : BASE.index("demands:")], ""),
                "demands": (BASE[BASE.index("demands:") : BASE.index("sources:")], ""),
                "rounds": (BASE[BASE.index("rounds:") :], "")}
    text = edit(*sections[key])
    problem(text, 1, 1, f"the catalog is missing the required key `{key}`")


def test_required_top_level_key_left_empty_counts_as_missing() -> None:
    problem(edit("title: Talks\n", "title:\n"), 1, 1, "the catalog is missing the required key `title`")


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "fragment"),
    [
        ("    name: Hamas\n", "    role: party\n", 4, 5, "party `hamas` is missing the required key `name`"),
        ("    title: Ceasefire\n", "    note: no title\n", 12, 5, "demand `ceasefire` is missing the required key `title`"),
        ("    outlet: Reuters\n", "    title: Talks resume\n", 24, 5, "source `reuters-2024-02-26` is missing the required key `outlet`"),
        ("  - id: paris-2024-02\n    date", "  - date", 26, 5, "a round is missing the required key `id`"),
        ("    date: 2024-02-23\n", "    venue: Paris\n", 26, 5, "a round is missing the required key `date`"),
    ],
)
def test_missing_required_keys_below_the_top_level(old: str, new: str, line: int, column: int, fragment: str) -> None:
    problem(edit(old, new), line, column, fragment)


@pytest.mark.parametrize(("demand", "wanted"), [("ceasefire", "stance"), ("ratio", "value"), ("guarantees", "stance")])
def test_long_form_position_needs_stance_or_value(demand: str, wanted: str) -> None:
    text = with_positions(f"""\
        hamas:
          {demand}:
            status: offer
        """)
    problem(text, 31, 11, f"`hamas` on `{demand}` in round `paris-2024-02` needs `{wanted}` (or `withdrawn: true`)")


# -------------------------------------------------------------------------- position forms


def test_withdrawn_true_without_a_stance_is_valid() -> None:
    catalog = valid(with_positions("""\
        hamas:
          ceasefire: {withdrawn: true}
          ratio:
            withdrawn: true
            note: dropped the demand
        """))
    positions = catalog.rounds[0].positions
    assert positions[("hamas", "ceasefire")].withdrawn is True
    assert positions[("hamas", "ceasefire")].stance is None
    assert positions[("hamas", "ratio")].value is None
    assert positions[("hamas", "ratio")].shown() == "withdrawn"


@pytest.mark.parametrize("flag", ["yes", "on", "1", '"true"', "[true]"])
def test_withdrawn_must_be_the_boolean_true_or_false(flag: str) -> None:
    text = with_positions(f"""\
        hamas:
          ceasefire:
            stance: temporary truce
            withdrawn: {flag}
        """)
    problem(text, 32, 22, "`withdrawn` must be `true` or `false`")


def test_withdrawn_false_still_needs_a_stance() -> None:
    text = with_positions("""\
        hamas:
          ceasefire:
            withdrawn: false
        """)
    problem(text, 31, 11, "needs `stance` (or `withdrawn: true`)")


def test_stance_on_a_numeric_demand() -> None:
    text = with_positions("""\
        hamas:
          ratio:
            stance: three
        """)
    problem(text, 31, 11, "demand `ratio` is numeric (unit: prisoners per captive): `hamas` on `ratio` in round `paris-2024-02` takes `value`, not `stance`")


def test_value_on_a_scale_demand() -> None:
    text = with_positions("""\
        hamas:
          ceasefire:
            value: 3
        """)
    problem(text, 31, 11, "demand `ceasefire` is ordinal (it has a scale): `hamas` on `ceasefire` in round `paris-2024-02` takes `stance`, not `value`")


def test_value_on_a_free_text_demand() -> None:
    text = with_positions("""\
        hamas:
          guarantees:
            value: 3
        """)
    problem(text, 31, 11, "demand `guarantees` is free text")


def test_source_and_sources_both_given() -> None:
    text = with_positions("""\
        hamas:
          ratio:
            value: 3
            source: reuters-2024-02-26
            sources: [reuters-2024-02-26]
        """)
    problem(text, 33, 11, "has both `source` and `sources`; keep one")


@pytest.mark.parametrize("status", ["demand", "offer", "accepted", "rejected", "red line", "proposal"])
def test_every_status_is_valid(status: str) -> None:
    catalog = valid(with_positions(f"""\
        hamas:
          ratio: {{value: 3, status: {status}}}
        """))
    assert catalog.rounds[0].positions[("hamas", "ratio")].status == status


@pytest.mark.parametrize(("status", "hint"), [("offered", "offer"), ("redline", "red line"), ("Rejected", "rejected")])
def test_bad_status_with_hint(status: str, hint: str) -> None:
    text = with_positions(f"""\
        hamas:
          ratio:
            value: 3
            status: {status}
        """)
    p = problem(text, 32, 19, f"status `{status}` is not one of: demand, offer, accepted, rejected, red line, proposal")
    assert f"did you mean `{hint}`?" in p.message


@pytest.mark.parametrize("role", ["party", "mediator", "observer"])
def test_every_role_is_valid(role: str) -> None:
    catalog = valid(edit("    role: mediator\n", f"    role: {role}\n"))
    assert catalog.party("mediators").role == role


def test_bad_role_with_hint() -> None:
    p = problem(edit("role: mediator", "role: mediatr"), 9, 11, "role `mediatr` of party `mediators` is not one of: party, mediator, observer")
    assert "did you mean `mediator`?" in p.message


# ---------------------------------------------------------------------------------- format


def test_format_1_is_accepted() -> None:
    assert valid("format: 1\n" + BASE).format == 1


@pytest.mark.parametrize("version", ["2", "0", "one", "[1]"])
def test_other_formats_are_refused(version: str) -> None:
    problem(f"format: {version}\n" + BASE, 1, 9, "is not supported; write `format: 1`")


# ----------------------------------------------------------------------------- YAML safety


def test_anchor_and_alias_are_both_reported_with_their_lines() -> None:
    text = edit("    name: Hamas\n  israel:\n    name: Israel\n", "    name: &n Hamas\n  israel:\n    name: *n\n")
    _, problems = parse(text)
    assert [(p.line, p.column) for p in problems] == [(4, 11), (6, 11)]
    assert "YAML anchor `n` is not allowed in a catalog" in problems[0].message
    assert "YAML alias `n` is not allowed in a catalog" in problems[1].message


def test_merge_key_with_alias_is_refused() -> None:
    text = edit("  hamas:\n    name: Hamas\n  israel:\n    name: Israel\n", "  hamas: &p\n    name: Hamas\n  israel:\n    <<: *p\n")
    _, problems = parse(text)
    assert [(p.line, p.column) for p in problems] == [(3, 10), (6, 9)]


@pytest.mark.parametrize(
    ("tag", "shown"),
    [
        ("!!python/object/apply:os.system", "!!python/object/apply:os.system"),
        ("!!python/object/new:os.system", "!!python/object/new:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/module:os", "!!python/module:os"),
        ("!<tag:yaml.org,2002:python/object/apply:os.system>", "!!python/object/apply:os.system"),
        ("!secret", "!secret"),
        ("!!binary", "!!binary"),
        ("!!timestamp", "!!timestamp"),
    ],
)
def test_object_building_and_custom_tags_are_refused_and_nothing_runs(tag: str, shown: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = edit("title: Talks", f'title: {tag} ["touch {marker}"]')
    problem(text, 1, 8, f"tag `{shown}` is not allowed: a catalog holds only text, numbers, lists and mappings")
    assert not marker.exists()


def test_set_and_omap_tags_on_collections_are_refused() -> None:
    problem(edit("parties:\n", "parties: !!omap\n"), 2, 10, "tag `!!omap` is not allowed")


def test_harmless_standard_tags_are_accepted() -> None:
    catalog = valid(with_positions("""\
        hamas:
          ratio: !!int 3
          guarantees: !!str 5
        """, base=edit("title: Talks", "title: !!str Talks")))
    assert catalog.title == "Talks"
    assert catalog.rounds[0].positions[("hamas", "guarantees")].stance == "5"


@pytest.mark.parametrize("data", [b"", "", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes | str) -> None:
    problem(data, 1, 1, "the file is empty; start from `negotrack init FILE`")


@pytest.mark.parametrize("text", ["\n\n   \n", "# just a comment\n\n  # another\n", "---\n", "--- ~\n", "null\n", "  \n\n"])
def test_whitespace_comment_or_null_only_file_is_empty(text: str) -> None:
    problem(text, 1, 1, "the file is empty")


@pytest.mark.parametrize(("text", "kind"), [("- title: Talks\n- rounds: []\n", "a list"), ("Talks\n", "a scalar"), ("42\n", "a scalar")])
def test_top_level_must_be_a_mapping(text: str, kind: str) -> None:
    problem(text, 1, 1, f"the top level must be a mapping (title:, parties:, demands:, rounds:), not {kind}")


def test_non_utf8_byte_is_reported_at_its_line_and_column() -> None:
    data = edit("    name: Hamas\n", "    name: Ham\xe9s\n").encode("latin-1")
    p = problem(data, 4, 14, "the file is not UTF-8 (byte 0xe9 at offset")
    assert "save it as UTF-8" in p.message


def test_utf16_file_is_not_utf8() -> None:
    problem(BASE.encode("utf-16"), 1, 1, "the file is not UTF-8 (byte 0xff at offset 0)")


def test_utf8_bom_is_accepted() -> None:
    catalog = valid(b"\xef\xbb\xbf" + BASE.encode())
    assert catalog.title == "Talks"


def test_crlf_line_endings_are_accepted_and_lines_still_count() -> None:
    valid(BASE.replace("\n", "\r\n"))
    problem(edit("role: mediator", "role: mediatr").replace("\n", "\r\n"), 9, 11, "role `mediatr`")


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "fragment"),
    [
        ("    name: Hamas\n", "\tname: Hamas\n", 4, 1, "YAML syntax: while scanning for the next token, found character that cannot start any token"),
        ("title: Talks", 'title: "Talks', 28, 1, "found unexpected end of stream (the construct began at line 1, column 8)"),
        (f"[{SCALE}]", f"[{SCALE}", 14, 8, "while parsing a flow sequence"),
        ("title: Talks", "title: Talks: in Paris", 1, 13, "mapping values are not allowed in this context"),
        ("title: Talks", 'title: "Talks \\q"', 1, 15, "found unknown escape character"),
        ("title: Talks\n", "title: Talks\n  venue: Paris\n", 2, 8, "mapping values are not allowed in this context"),
    ],
)
def test_yaml_syntax_errors_use_the_parser_s_mark(old: str, new: str, line: int, column: int, fragment: str) -> None:
    p = problem(edit(old, new), line, column, fragment)
    assert p.message.startswith("YAML syntax: ")


def test_a_second_document_is_a_syntax_problem() -> None:
    problem(BASE + "---\ntitle: Second\n", 28, 1, "YAML syntax: expected a single document in the stream, but found another document")


def test_yaml_2_directive_is_refused() -> None:
    problem("%YAML 2.0\n---\n" + BASE, 1, 1, "YAML syntax: found incompatible YAML document")


def test_a_key_that_is_a_list_or_a_mapping() -> None:
    _, problems = parse(BASE + "[a, b]: 1\n{c: d}: 2\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (28, 1, "a key in the catalog must be a plain word, not a list"),
        (29, 1, "a key in the catalog must be a plain word, not a mapping"),
    ]


_DEPTH_CHILD = """\
import json, sys
from negotrack.store import parse_catalog
catalog, problems = parse_catalog({text}, "deep.yaml")
print(json.dumps([[p.line, p.column, p.message] for p in problems]))
"""


@pytest.mark.parametrize(
    ("expr", "line", "column"),
    [('"[" * 100000 + "]" * 100000', 1, 65), ('"- " * 100000 + "x"', 1, 129), ('"{a: " * 100000 + "1" + "}" * 100000', 1, 257),
     ('"".join(" " * i + "k:\\n" for i in range(3000))', 65, 65)],
    ids=["brackets", "dashes", "braces", "indentation"],
)
def test_nesting_100000_deep_is_refused_without_crashing(expr: str, line: int, column: int) -> None:
    proc, _ = run_isolated(_DEPTH_CHILD.format(text=expr))
    assert proc.returncode == 0, f"the child crashed ({proc.returncode}): {proc.stderr[-2000:]}"
    problems = json.loads(proc.stdout)
    assert problems == [[line, column, "nesting deeper than 64 levels; a catalog needs about 9, so look for runaway brackets or indentation here"]]


def test_nesting_64_deep_is_still_read() -> None:
    problem("[" * 63 + "]" * 63, 1, 1, "the top level must be a mapping")


def test_nesting_check_is_not_fooled_by_brackets_inside_quotes() -> None:
    expr = '"title: \\"" + "]" * 100000 + "\\"\\nparties: " + "[" * 100000 + "]" * 100000'
    proc, _ = run_isolated(_DEPTH_CHILD.format(text=expr))
    assert proc.returncode == 0, f"the child crashed ({proc.returncode})"
    assert [2, 73] in [p[:2] for p in json.loads(proc.stdout)]


def test_nesting_check_is_not_fooled_by_interleaved_quoted_brackets() -> None:
    expr = '"title: " + "[\\"]\\", " * 100000 + "x" + "]" * 100000'
    proc, _ = run_isolated(_DEPTH_CHILD.format(text=expr))
    assert proc.returncode == 0, f"the child crashed ({proc.returncode})"
    assert any("nesting deeper than 64 levels" in p[2] for p in json.loads(proc.stdout))


_BOMB_CHILD = """\
import json, resource, time
from negotrack.store import parse_catalog
lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for i in range(1, 10):
    name, prev = chr(97 + i), chr(96 + i)
    lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
start = time.monotonic()
catalog, problems = parse_catalog("\\n".join(lines) + "\\n", "bomb.yaml")
print(json.dumps({"seconds": time.monotonic() - start, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "catalog": catalog is not None, "problems": [[p.line, p.column, p.message] for p in problems]}))
"""


def test_alias_bomb_is_refused_quickly_without_memory_blow_up() -> None:
    proc, elapsed = run_isolated(_BOMB_CHILD, timeout=30)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert elapsed < 10 and result["seconds"] < 2
    assert result["maxrss_kb"] < 300 * 1024, "the aliases were expanded"
    assert result["catalog"] is False
    problems = result["problems"]
    assert problems[0] == [1, 4, "YAML anchor `a` is not allowed in a catalog; write the value out in full (anchors could hide an alias bomb)"]
    assert [2, 4] in [p[:2] for p in problems] and [2, 8] in [p[:2] for p in problems]
    assert sum("YAML alias" in p[2] for p in problems) == 81
    assert sum("YAML anchor" in p[2] for p in problems) == 10


# --------------------------------------------------------------- YAML 1.2 scalars and words


def test_yaml11_boolean_words_stay_strings() -> None:
    text = with_positions("""\
        hamas:
          ceasefire: no
          guarantees: on
        israel:
          ceasefire: yes
          guarantees: off
        """, base=edit(f"[{SCALE}]", "[no, yes]").replace("name: Israel", "name: no"))
    catalog = valid(text)
    positions = catalog.rounds[0].positions
    assert catalog.demand("ceasefire").scale == ("no", "yes")
    assert positions[("hamas", "ceasefire")].stance == "no"
    assert positions[("israel", "ceasefire")].stance == "yes"
    assert positions[("hamas", "guarantees")].stance == "on"
    assert positions[("israel", "guarantees")].stance == "off"
    assert catalog.party("israel").name == "no"


def test_scale_of_off_and_on_works() -> None:
    text = with_positions("""\
        hamas:
          ceasefire: off
        """, base=edit(f"[{SCALE}]", "[off, on]"))
    assert valid(text).rounds[0].positions[("hamas", "ceasefire")].stance == "off"


def test_true_and_false_are_booleans_only_where_a_boolean_is_expected() -> None:
    text = with_positions("""\
        hamas:
          ceasefire: true
          guarantees: false
          ratio: {value: 3, withdrawn: false}
        israel:
          ratio: {withdrawn: true}
        """, base=edit(f"[{SCALE}]", "[false, true]").replace("title: Talks", "title: true"))
    catalog = valid(text)
    positions = catalog.rounds[0].positions
    assert catalog.title == "true"
    assert positions[("hamas", "ceasefire")].stance == "true"
    assert positions[("hamas", "guarantees")].stance == "false"
    assert positions[("hamas", "ratio")].withdrawn is False
    assert positions[("israel", "ratio")].withdrawn is True


@pytest.mark.parametrize("written", ["5", "1.50", "0x1F", "1:3", "1e400", ".nan", "2024-02-23", "~5"])
def test_free_text_short_form_keeps_numbers_as_written(written: str) -> None:
    catalog = valid(with_positions(f"""\
        hamas:
          guarantees: {written}
        """))
    position = catalog.rounds[0].positions[("hamas", "guarantees")]
    assert position.stance == written
    assert position.value is None


def test_a_number_as_title_or_name_stays_text() -> None:
    catalog = valid(edit("title: Talks", "title: 2024").replace("name: Hamas", "name: 007"))
    assert catalog.title == "2024"
    assert catalog.party("hamas").name == "007"


# ------------------------------------------------------------------ all problems at once


def test_all_problems_are_reported_at_once_sorted_by_line() -> None:
    text = BASE
    text = edit("title: Talks\n", "title: Talks\ndescriptoin: five errors\n", text)         # line 2
    text = edit("role: mediator", "role: mediatr", text)                                  # line 10
    text = edit(f"[{SCALE}]", "[truce, truce]", text)                                     # line 14
    text = edit("date: 2024-02-25", "date: 2024-2-25", text)                               # line 23
    text = with_positions("""\
        hamas:
          ratio: "1,500"
        """, base=text)  # the position is at line 31 (after the 1 inserted line)
    _, problems = parse(text)
    assert [(p.line, p.column) for p in problems] == [(2, 1), (10, 11), (14, 20), (23, 11), (31, 16)]
    assert [p.message.split(" ")[0] for p in problems] == ["unknown", "role", "stance", "date", "`1,500`"]


def test_problems_from_different_sections_are_sorted_even_when_found_out_of_order() -> None:
    # unknown references are checked after everything else has been read
    text = with_positions("""\
        hamass:
          ceasefire: pause
        """, base=edit("role: mediator", "role: mediatr"))
    _, problems = parse(text)
    assert [(p.line, p.column) for p in problems] == [(9, 11), (29, 7), (30, 20)]


# ----------------------------------------------------------------------- the loader reads


def test_the_loader_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "positions.yaml"
    data = with_positions("""\
        hamas:
          ratio: "1,500"
        """).encode()
    path.write_bytes(data)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    for _ in range(2):
        catalog, problems = load_catalog(path)
        assert catalog is None and len(problems) == 1
        assert problems[0].file == str(path)
    after = path.stat()
    assert path.read_bytes() == data
    assert (after.st_mtime_ns, after.st_size, after.st_mode) == (before.st_mtime_ns, before.st_size, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["positions.yaml"]


def test_the_loader_reads_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "positions.yaml"
    path.write_text(BASE)
    path.chmod(0o444)
    catalog, problems = load_catalog(path)
    assert problems == [] and catalog is not None


@pytest.mark.parametrize("name", ["missing.yaml", "."])
def test_unreadable_path_is_one_problem_not_an_exception(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    catalog, problems = load_catalog(path)
    assert catalog is None
    assert [(p.line, p.column) for p in problems] == [(1, 1)]
    assert problems[0].message.startswith("cannot read the file: ")


# ------------------------------------------------------------------ sources and positions


def test_round_positions_inherit_the_round_sources() -> None:
    base = BASE + "    sources: [almayadeen-2024-02-25]\n"
    catalog = valid(with_positions("""\
        hamas:
          ceasefire: permanent ceasefire
          ratio: {value: 3, note: no source of its own}
          guarantees: {stance: in writing, source: reuters-2024-02-26}
        israel:
          ceasefire:
            stance: temporary truce
            sources: [reuters-2024-02-26, almayadeen-2024-02-25]
        """, base=base))
    (rnd,) = catalog.rounds
    assert rnd.sources == ("almayadeen-2024-02-25",)
    assert rnd.positions[("hamas", "ceasefire")].sources == ("almayadeen-2024-02-25",)
    assert rnd.positions[("hamas", "ratio")].sources == ("almayadeen-2024-02-25",)
    assert rnd.positions[("hamas", "guarantees")].sources == ("reuters-2024-02-26",)
    assert rnd.positions[("israel", "ceasefire")].sources == ("reuters-2024-02-26", "almayadeen-2024-02-25")


def test_positions_without_any_source_have_none() -> None:
    catalog = valid(with_positions("""\
        hamas:
          ratio: 3
        """))
    assert catalog.rounds[0].positions[("hamas", "ratio")].sources == ()


def test_disputed_reports_are_parsed() -> None:
    catalog = valid(with_positions("""\
        israel:
          ratio:
            value: [3, 5]
            source: reuters-2024-02-26
            disputed:
              - value: 10
                source: almayadeen-2024-02-25
                note: a Hamas official speaking
              - value: [7, 8]
                sources: [almayadeen-2024-02-25, reuters-2024-02-26]
        """))
    position = catalog.rounds[0].positions[("israel", "ratio")]
    assert position.value == Value(3, 5)
    first, second = position.disputed
    assert (first.value, first.sources, first.note, first.line, first.column) == (
        Value(10, 10), ("almayadeen-2024-02-25",), "a Hamas official speaking", 34, 15)
    assert (second.value, second.sources, second.line) == (Value(7, 8), ("almayadeen-2024-02-25", "reuters-2024-02-26"), 37)


def test_disputed_must_be_a_list() -> None:
    text = with_positions("""\
        israel:
          ratio:
            value: 3
            disputed: {value: 5}
        """)
    problem(text, 32, 21, "`disputed` of `israel` on `ratio` in round `paris-2024-02` must be a list, not a mapping")


def test_position_line_numbers_point_at_the_demand_key() -> None:
    catalog = valid(with_positions("""\
        hamas:
          ceasefire: permanent ceasefire
          ratio:
            value: 3
        israel:

          guarantees:
            stance: in writing
        """))
    positions = catalog.rounds[0].positions
    assert (positions[("hamas", "ceasefire")].line, positions[("hamas", "ceasefire")].column) == (30, 9)
    assert positions[("hamas", "ceasefire")].short is True
    assert (positions[("hamas", "ratio")].line, positions[("hamas", "ratio")].column) == (31, 9)
    assert positions[("hamas", "ratio")].short is False
    assert (positions[("israel", "guarantees")].line, positions[("israel", "guarantees")].column) == (35, 9)
    assert list(positions) == [("hamas", "ceasefire"), ("hamas", "ratio"), ("israel", "guarantees")]


# ------------------------------------------------------------------------ validator bugs


def test_empty_long_form_position_is_a_problem_not_a_crash() -> None:
    text = with_positions("""\
        hamas:
          ceasefire: {}
        """)
    problem(text, 30, 20, "`hamas` on `ceasefire` in round `paris-2024-02` needs `stance`")


def test_empty_disputed_report_is_a_problem_not_a_crash() -> None:
    text = with_positions("""\
        hamas:
          ratio:
            value: 3
            disputed: [{}]
        """)
    problem(text, 32, 22, "a disputed report of `hamas` on `ratio` in round `paris-2024-02` needs `value`")


def test_huge_integer_is_a_problem_not_a_crash() -> None:
    text = with_positions(f"""\
        hamas:
          ratio: {"9" * 5000}
        """)
    problem(text, 30, 16, "is not a number")


def test_integer_beyond_float_range_is_refused_like_1e400() -> None:
    text = with_positions(f"""\
        hamas:
          ratio: 1{"0" * 400}
        """)
    problem(text, 30, 16, "is not a number")


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x07", "\x7f", "\u009b"], ids=["ESC", "NUL", "BEL", "DEL", "CSI"])
def test_control_character_is_reported_where_it_is(char: str) -> None:
    p = problem(edit("name: Israel", f"name: Isr{char}ael"), 6, 14, "unacceptable character")
    assert p.message.startswith("YAML syntax: ")


def test_one_mistake_gives_one_problem() -> None:
    text = with_positions("""\
        hamas:
          guarantees: [in, writing]
        """)
    problem(text, 30, 21, "the stance of `hamas` on `guarantees` in round `paris-2024-02` must be text, not a list")
