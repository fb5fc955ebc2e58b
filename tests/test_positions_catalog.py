"""The real catalog, positions.yaml: it loads cleanly, and every quote in it is copied verbatim
from the press report its position cites (the reports live in ../shared/seeds)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotrack.store import Catalog, load_catalog

CATALOG = Path(__file__).parent.parent / "positions.yaml"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: A seed's heading: ` date YYYY-MM-DD <title>` on its first line, or, in a report copied from a
#: web page or a mailing list, the title somewhere in its first lines.
DATE_LINE = re.compile(r"\s*date (\d{4}-\d{2}-\d{2}) (.+)")
HEAD_LINES = 8

ROUNDS = [
    ("qatar-us-2023-11-15", "2023-11-15"),
    ("paris-2024-01-28", "2024-01-28"),
    ("cairo-2024-02-13", "2024-02-13"),
    ("doha-medicines-2024-02-20", "2024-02-20"),
    ("paris-2024-02-23", "2024-02-23"),
    ("doha-2024-02-26", "2024-02-26"),
    ("cairo-2024-03-03", "2024-03-03"),
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


def test_rounds_are_the_reported_ones_in_date_order(catalog: Catalog) -> None:
    assert [(r.id, r.date.isoformat()) for r in catalog.rounds] == ROUNDS
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
