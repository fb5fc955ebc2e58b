"""The real catalog, positions.yaml: it loads cleanly, every quote in it is copied verbatim from
the press report its position cites (the reports live in ../shared/seeds), every position says
whose account it is, one side's account of the other is always a claim, and the one move the
reports describe (the exchange ratio, from 1:3 to 3-13 at the Paris meeting of February 2024)
is the only move the analysis shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotrack.store import Catalog, load_catalog
from negotrack.store.analysis import analyze
from negotrack.store.model import Value

CATALOG = Path(__file__).parent.parent / "positions.yaml"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: A seed's heading: ` date YYYY-MM-DD <title>` on its first line, or, in a report copied from a
#: web page or a mailing list, the title somewhere in its first lines.
DATE_LINE = re.compile(r"\s*date (\d{4}-\d{2}-\d{2}) (.+)")
HEAD_LINES = 8

#: (id, date, status): rounds whose date or placing is the catalog's own are `inferred`, the
#: Doha talks that one report says "would take place" are `announced`.
ROUNDS = [
    ("qatar-us-2023-11-15", "2023-11-15", "reported"),
    ("exchange-2023-11", "2023-11-30", "inferred"),
    ("paris-2024-01-28", "2024-01-28", "reported"),
    ("cairo-2024-02-13", "2024-02-13", "inferred"),
    ("doha-medicines-2024-02-20", "2024-02-20", "inferred"),
    ("paris-2024-02-23", "2024-02-23", "inferred"),
    ("doha-2024-02-26", "2024-02-26", "announced"),
    ("cairo-2024-03-03", "2024-03-03", "reported"),
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog, problems = load_catalog(CATALOG)
    assert not problems, "\n".join(map(str, problems))
    assert catalog is not None
    return catalog


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"the press reports are not at {SEEDS} (../shared/seeds beside the repository)")
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


def seed_of_source(catalog: Catalog, seeds: dict[str, str]) -> dict[str, str]:
    """Source id -> seed file name, one report per source and one source per report.

    A titled source is the seed whose heading holds its title (with a ` date` first line, the
    title and date must be exactly that line's); an untitled source is the one seed left over.
    """
    mapping: dict[str, str] = {}
    for source in catalog.sources:
        if source.title is None:
            continue
        found = [name for name, text in seeds.items() if source.title in "\n".join(text.splitlines()[:HEAD_LINES])]
        assert len(found) == 1, f"source `{source.id}`: its title is in the heading of {found or 'no report'}"
        first = DATE_LINE.fullmatch(seeds[found[0]].splitlines()[0])
        if first is not None:
            assert (first[2], first[1]) == (source.title, str(source.date)), f"source `{source.id}` vs {found[0]}"
        mapping[source.id] = found[0]
    untitled = [s.id for s in catalog.sources if s.title is None]
    left = sorted(set(seeds) - set(mapping.values()))
    assert len(untitled) == len(left) <= 1, f"cannot pair untitled sources {untitled} with reports {left}"
    mapping.update(zip(untitled, left))
    assert sorted(mapping.values()) == sorted(seeds), "each report is exactly one source"
    return mapping


def test_catalog_loads_without_problems(catalog: Catalog) -> None:
    assert catalog.rounds and catalog.position_count > 0


def test_every_quote_is_verbatim_from_a_report_its_position_cites(catalog: Catalog, seeds: dict[str, str]) -> None:
    seed_of = seed_of_source(catalog, seeds)
    quotes, wrong = 0, []
    for round_ in catalog.rounds:
        for (party, demand), position in round_.positions.items():
            if position.quote is None:
                continue
            quotes += 1
            where = f"{round_.id}: {party} on {demand} (line {position.line})"
            holders = {name for name, text in seeds.items() if position.quote in text}
            cited = {seed_of[source] for source in position.sources}
            if not holders:
                wrong.append(f"{where}: not verbatim in any report: {position.quote!r}")
            elif not holders & cited:
                wrong.append(f"{where}: quote is in {sorted(holders)}, but the position cites {sorted(cited)}")
    assert quotes > 0
    assert not wrong, "\n".join(wrong)


def test_israel_and_hamas_are_the_sides_and_come_first(catalog: Catalog) -> None:
    roles = {party.id: party.role for party in catalog.parties}
    assert [party.id for party in catalog.parties][:2] == ["israel", "hamas"]
    assert roles["israel"] == roles["hamas"] == "party"
    assert {pid: roles.get(pid) for pid in ("qatar", "egypt", "united-states")} == dict.fromkeys(
        ("qatar", "egypt", "united-states"), "mediator"
    )


def test_rounds_are_the_reported_ones_in_date_order_with_their_status(catalog: Catalog) -> None:
    assert [(r.id, r.date.isoformat(), r.status) for r in catalog.rounds] == ROUNDS
    dates = [r.date for r in catalog.rounds]
    assert dates == sorted(dates)


def test_every_position_names_a_source(catalog: Catalog) -> None:
    unsourced = [
        f"{round_.id}: {party} on {demand} (line {position.line})"
        for round_ in catalog.rounds
        for (party, demand), position in round_.positions.items()
        if not position.sources
    ]
    assert not unsourced, "\n".join(unsourced)


def positions(catalog: Catalog):
    for round_ in catalog.rounds:
        for (party, demand), position in round_.positions.items():
            yield round_, party, demand, position


def sides(catalog: Catalog) -> set[str]:
    return {party.id for party in catalog.parties if party.is_side}


def test_every_position_says_whose_account_it_is(catalog: Catalog) -> None:
    parties = {party.id for party in catalog.parties}
    missing = []
    for round_, party, demand, position in positions(catalog):
        where = f"{round_.id}: {party} on {demand} (line {position.line})"
        if position.according_to not in parties:
            missing.append(f"{where}: no account (according_to on it or on a source it cites)")
        for report in position.disputed:
            if report.according_to not in parties:
                missing.append(f"{where}: a disputed report (line {report.line}) has no account")
    assert not missing, "\n".join(missing)


def test_no_side_rests_on_the_other_sides_account_without_being_a_claim(catalog: Catalog) -> None:
    """A position of Israel or Hamas whose sources are all the other side's (Al Mayadeen's
    Resistance sources, for Israel) is either that side's claim, or overrides the account with a
    party that is not the adversary (a mediator's, the press's, or its own statement quoted by
    that outlet, with the `speaker` named), never shown as the party's own word by default."""
    the_sides = sides(catalog)
    wrong = []
    for round_, party, demand, position in positions(catalog):
        if party not in the_sides:
            continue
        where = f"{round_.id}: {party} on {demand} (line {position.line})"
        accounts = [catalog.source(s).according_to for s in position.sources]
        adversary = the_sides - {party}
        if accounts and all(account in adversary for account in accounts):
            if not position.claim and position.according_to in adversary | {None}:
                wrong.append(f"{where}: rests only on {accounts} and is not a claim")
            elif position.according_to == party and position.speaker is None:
                wrong.append(f"{where}: rests only on {accounts} but calls itself {party}'s own word, naming no speaker")
        if position.according_to in adversary and not position.claim:
            wrong.append(f"{where}: {position.according_to}'s account, not marked as a claim")
    assert not wrong, "\n".join(wrong)


def test_claims_are_marked_and_their_notes_say_whose_account(catalog: Catalog) -> None:
    """Every claim (one side's account of another party's stance) has a note that opens
    "According to ...", and so does every position whose account is not its own party's,
    unless a `speaker` names who spoke."""
    the_sides = sides(catalog)
    claims, wrong = 0, []
    for round_, party, demand, position in positions(catalog):
        where = f"{round_.id}: {party} on {demand} (line {position.line})"
        expected = position.according_to in the_sides and position.according_to != party
        if position.claim != expected:
            wrong.append(f"{where}: claim is {position.claim}, account {position.according_to}")
        note = position.note or ""
        if position.claim:
            claims += 1
            if not note.startswith("According to"):
                wrong.append(f"{where}: a claim whose note does not open \"According to\": {note[:40]!r}")
        elif position.according_to != party and position.speaker is None and not note.startswith("According to"):
            wrong.append(f"{where}: {position.according_to}'s account, with no speaker and no \"According to\"")
    assert claims > 0
    assert not wrong, "\n".join(wrong)


def test_the_analysis_shows_the_ratio_moving_from_3_to_3_13(catalog: Catalog) -> None:
    analysis = analyze(catalog)
    moves = [
        (round_.id, party.id)
        for round_ in catalog.rounds
        for party in catalog.parties
        if (cell := analysis.cell(round_.id, party.id, "exchange-ratio")).shift is not None
        and cell.shift.value not in ("new", "same", "carried", "withdrawn")
        and cell.previous is not None and cell.previous.value == Value(3, 3)
        and cell.position is not None and cell.position.value == Value(3, 13)
    ]
    assert moves == [("paris-2024-02-23", "draft")]
    # the 1:3 stands in the round before that meeting, and says that no report dates it
    before = analysis.cell("paris-2024-02-23", "draft", "exchange-ratio").previous
    assert before is not None and catalog.round_index(before.round) < catalog.round_index("paris-2024-02-23")
    assert "No report says when" in (before.note or "")


def test_no_side_has_a_ratio_that_no_report_gives(catalog: Catalog) -> None:
    """The reports give the ratio on the table, never Israel's or Hamas's own: no side holds a
    ratio (a carried one would make the two sides look agreed). Each ratio position quotes its
    figures, or restates the value before it; none carries a status no text supports."""
    analysis = analyze(catalog)
    the_sides = sides(catalog)
    for round_ in catalog.rounds:
        for side in the_sides:
            assert analysis.cell(round_.id, side, "exchange-ratio").position is None, (round_.id, side)
    seen = 0
    for round_, party, demand, position in positions(catalog):
        if demand != "exchange-ratio":
            continue
        seen += 1
        assert position.status is None, (round_.id, party)
        cell = analysis.cell(round_.id, party, demand)
        figures = {position.value.low, position.value.high}
        if cell.shift.value == "same":
            assert cell.previous is not None and cell.previous.value == position.value
        else:
            for figure in figures:
                assert re.search(rf"\b{figure:g}\b", position.quote or ""), (round_.id, party, figure)
    assert seen >= 2


@pytest.mark.parametrize("claims", [True, False])
def test_no_side_moves_where_no_report_says_it_moved(catalog: Catalog, claims: bool) -> None:
    """No report says that Israel or Hamas changed a demand: the sides' positions are new, the
    same, or carried, and so no gap between them closes or widens (the March phasing of Hamas's
    ceasefire is the same demand in more detail, not a move)."""
    analysis = analyze(catalog, claims=claims)
    moved = [
        f"{round_.id}: {side} on {demand.id}: {cell.shift.value}"
        for round_ in catalog.rounds
        for side in sorted(sides(catalog))
        for demand in catalog.demands
        if (cell := analysis.cell(round_.id, side, demand.id)).shift is not None
        and cell.shift.value not in ("new", "same", "carried")
    ]
    assert not moved, "\n".join(moved)
    trends = [
        f"{round_.id}: {demand.id} {gap.trend}"
        for round_ in catalog.rounds
        for demand in catalog.demands
        if (gap := analysis.gap(round_.id, demand.id)).trend is not None and gap.trend.value != "steady"
    ]
    assert not trends, "\n".join(trends)
