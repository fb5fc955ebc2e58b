"""The detail pane's history lists the rounds around the shown one, and says what it leaves out."""

from __future__ import annotations

import sys

from negotrack.store.analysis import analyze
from negotrack.store.catalog import parse_catalog
from negotrack.tui.widgets.panels import HISTORY_REACH, detail_lines

from support import DATA

sys.path.insert(0, str(DATA.parent.parent))
from bench.generate import generate  # noqa: E402


def history_part(lines) -> list[str]:  # noqa: ANN001 - rich Texts
    plain = [line.plain for line in lines]
    return plain[plain.index("History across rounds") + 1:]


def test_a_long_catalogs_history_is_the_rounds_around_the_shown_one():
    catalog, problems = parse_catalog(generate("M"), "m.yaml")  # 100 rounds
    assert catalog is not None and not problems
    analysis = analyze(catalog)
    party, demand = catalog.parties[0].id, catalog.demands[0].id
    rounds = [r.id for r in catalog.rounds]

    middle = history_part(detail_lines(analysis, rounds[50], demand, party))
    assert middle[0] == f"… {50 - HISTORY_REACH} earlier rounds (t: the timeline shows every round)"
    assert middle[-1] == f"… {100 - 51 - HISTORY_REACH} later rounds"
    shown = middle[1:-1]
    assert len(shown) == 2 * HISTORY_REACH + 1
    assert [row.split()[1] for row in shown] == rounds[50 - HISTORY_REACH:51 + HISTORY_REACH]

    first = history_part(detail_lines(analysis, rounds[0], demand, party))
    assert not first[0].startswith("…") and first[-1] == f"… {100 - 1 - HISTORY_REACH} later rounds"
    last = history_part(detail_lines(analysis, rounds[-1], demand, party))
    assert last[0].startswith(f"… {99 - HISTORY_REACH} earlier") and not last[-1].startswith("…")


def test_a_short_catalogs_history_is_whole():
    catalog, problems = parse_catalog((DATA / "dash.yaml").read_text(encoding="utf-8"), "dash.yaml")
    analysis = analyze(catalog)
    history = history_part(detail_lines(analysis, "r2", "truce", "beta"))
    assert [row.split()[1] for row in history] == ["r1", "r2", "r3"]
