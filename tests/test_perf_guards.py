"""The shortcuts taken for speed (issue 7) keep the validator's guarantees."""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate  # noqa: E402

from negotrack.store import pauses, yamlread  # noqa: E402
from negotrack.store.catalog import parse_catalog  # noqa: E402

DEEP = "nesting deeper than 64 levels"


def test_ordinary_catalogs_skip_the_exact_depth_pass():
    text = generate("M")
    assert text.count("[") > 1000  # ranges and source lists: each on a flat line
    assert yamlread._flow_openers(text, 64) == 1
    assert not yamlread._may_nest_deeply(text)


def test_flat_lines_inside_a_quoted_scalar_do_not_hide_real_depth():
    text = 'title: "opens here\n  [a] [b]\n  ]]]]]]]]\n  closes here"\nparties: ' + "[\n" * 70 + "x" + "]" * 70 + "\n"
    assert yamlread._may_nest_deeply(text)
    _, problems = parse_catalog(text, "deep.yaml")
    assert [p.message for p in problems if DEEP in p.message]


def test_nested_pairs_on_one_line_are_counted():
    text = "title: t\nparties: " + "[" * 70 + "]" * 70 + "\n"
    assert yamlread._flow_openers(text, 64) > 64
    _, problems = parse_catalog(text, "deep.yaml")
    assert [p.message for p in problems if DEEP in p.message]


def test_lines_with_quotes_or_comments_are_never_flat():
    for line in ('a: ["]"]', "a: [']']", "a: [b] # ]", "a: [b]\r[c"):
        assert not yamlread._FLAT_LINE.fullmatch(line), line
    for line in ("sources: [a, b]", "ratio: [3, 13]", "m: {a: 1}", "x: [a] [b]"):
        assert yamlread._FLAT_LINE.fullmatch(line), line


def test_many_flat_lines_plus_deep_indentation_is_still_checked():
    text = "k: [a]\n" * 500 + "".join(" " * i + "k:\n" for i in range(70))
    assert yamlread._may_nest_deeply(text)


def test_the_collector_is_paused_only_while_reading():
    import negotrack.store.catalog as catalog_module

    assert gc.isenabled()
    seen = []
    originals = {name: getattr(catalog_module, name) for name in ("read_valid", "compose")}

    def spy(name):  # noqa: ANN001, ANN202
        def reader(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            seen.append((name, gc.isenabled()))
            return originals[name](*args, **kwargs)
        return reader

    for name in originals:
        setattr(catalog_module, name, spy(name))
    try:
        catalog, problems = parse_catalog(generate("S"), "s.yaml")  # read from events
        broken, errors = parse_catalog(generate("S").replace("format: 1", "format: 2"), "s.yaml")  # and composed
    finally:
        for name, original in originals.items():
            setattr(catalog_module, name, original)
    assert seen == [("read_valid", False), ("read_valid", False), ("compose", False)]
    assert catalog is not None and not problems
    assert broken is None and errors
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        parse_catalog(generate("S"), "s.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_concurrent_readers_resume_the_collector_once_all_are_done():
    inside = threading.Barrier(2)
    release = threading.Event()

    def reader() -> None:
        with pauses.paused_gc():
            inside.wait()
            release.wait()

    first = threading.Thread(target=reader)
    first.start()
    with pauses.paused_gc():
        inside.wait()
        assert not gc.isenabled()
        release.set()
        first.join()
        assert not gc.isenabled()  # this reader is still reading
    assert gc.isenabled()


def test_the_short_form_fast_path_agrees_with_the_full_reading():
    import itertools

    from yaml import Mark
    from yaml.nodes import ScalarNode as Scalar, SequenceNode as Sequence

    from negotrack.store.catalog import _Builder, _quick_reading
    from negotrack.store.model import Demand

    tags = [yamlread.PLAIN, yamlread.STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:null", "!custom"]
    texts = ["", "~", "null", "NULL", "no", "yes", "true", "low", "high", "free text", "5", "-3", "2.5",
             "1e400", "9" * 400, "3:13", "1,000", ".5", "+7", "nan"]
    mark = Mark("f.yaml", 0, 0, 0, None, None)
    ScalarNode = lambda tag, value: Scalar(tag, value, mark, mark)  # noqa: E731
    SequenceNode = lambda tag, value: Sequence(tag, value, mark, mark)  # noqa: E731
    demands = [Demand("s", "S", scale=("no", "low", "high")), Demand("n", "N", unit="days"), Demand("t", "T")]
    scalars = [ScalarNode(tag, text) for tag, text in itertools.product(tags, texts)]
    nodes = scalars + [
        SequenceNode(yamlread.SEQ, [a, b]) for a, b in itertools.product(scalars[:40], scalars[:40])
    ] + [SequenceNode(yamlread.SEQ, scalars[:1]), SequenceNode(yamlread.SEQ, scalars[:3]),
         SequenceNode("!custom", scalars[10:12])]
    taken = 0
    for demand, node in itertools.product(demands, nodes):
        quick = _quick_reading(node, demand)
        builder = _Builder("f.yaml")
        report = builder.reading(node, demand, "somewhere")
        if quick is None:
            continue
        taken += 1
        assert not builder.problems, (demand.id, node)
        assert report is not None and (report.stance, report.value) == quick, (demand.id, node)
    assert taken > 50


def test_one_round_analysed_first_is_that_round_of_the_full_analysis():
    from negotrack.store.analysis import analyze, analyze_round

    root = Path(__file__).resolve().parent.parent
    texts = [generate("S"), generate("12x9x5", seed=3)] + [
        (root / name).read_text(encoding="utf-8")
        for name in ("positions.yaml", "tests/data/export/accounts.yaml", "tests/data/good/every_optional_feature.yaml")
    ]
    checked = 0
    for text in texts:
        catalog, problems = parse_catalog(text)
        assert catalog is not None, problems[:3]
        for claims in (True, False):
            full = analyze(catalog, claims=claims)
            for index, rnd in enumerate(catalog.rounds):
                first = analyze_round(catalog, index, claims=claims)
                for party in catalog.parties:
                    for demand in catalog.demands:
                        key = (rnd.id, party.id, demand.id)
                        assert first._cells[key] == full._cells[key], key
                        checked += 1
                for demand in catalog.demands:
                    assert first._gaps[(rnd.id, demand.id)] == full._gaps[(rnd.id, demand.id)]
                # only this round's gaps: the one before would lack its own trend
                assert {r for r, _ in first._gaps} == {rnd.id}
                assert not first.complete
            # anything else computes every round, the same as the full analysis
            first = analyze_round(catalog, len(catalog.rounds) - 1, claims=claims)
            assert first.history(catalog.parties[0].id, catalog.demands[0].id) == full.history(
                catalog.parties[0].id, catalog.demands[0].id)
            assert first.complete and first._cells == full._cells and first._gaps == full._gaps
    assert checked > 3_000


async def test_the_first_load_shows_the_shown_round_then_the_whole_analysis(tmp_path):
    """The dashboard's first frame with data comes from the shown round's analysis alone; the
    whole one follows, and the rounds either side and the detail pane wait for it."""
    from negotrack.tui.app import NegotrackApp
    from negotrack.tui.widgets.matrix import Matrix
    from negotrack.tui.widgets.panels import DetailPane

    path = tmp_path / "s.yaml"
    path.write_text(generate("S"), encoding="utf-8")
    seen = []

    def hook(message) -> None:  # noqa: ANN001
        if isinstance(message, (NegotrackApp.Loaded, NegotrackApp.Analysed)):
            seen.append((type(message).__name__, message.analysis.complete))

    app = NegotrackApp(str(path), history=False, watch=False)
    async with app.run_test(size=(140, 45), message_hook=hook) as pilot:
        for _ in range(500):
            if app.analysis is not None and app.analysis.complete:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert seen == [("Loaded", False), ("Analysed", True)]
        assert app.query_one(Matrix).row_count == 10
        detail = str(app.query_one(DetailPane).query_one("Static").content)
        assert detail.strip() and "Nothing selected" not in detail
        await pilot.press("left_square_bracket")  # the round before: from the whole analysis
        await pilot.pause()
        assert app.round_index == 18


def _gen2_due(threshold: int) -> None:
    """Make the automatic full collection half-way due: each generation-1 collection counts
    toward it."""
    for _ in range(threshold // 2 + 1):
        gc.collect(1)


def test_collect_if_due_collects_only_when_the_full_collection_is_half_way_due(monkeypatch):
    threshold = gc.get_threshold()
    monkeypatch.setattr(gc, "get_threshold", lambda: (threshold[0], threshold[1], 100))
    gc.collect()
    assert gc.get_count()[2] == 0
    assert not pauses.collect_if_due()
    _gen2_due(100)
    with pauses.paused_gc():
        assert not pauses.collect_if_due()  # never while a reader holds the collector
    assert gc.get_count()[2] > 50
    assert pauses.collect_if_due()
    assert gc.get_count()[2] == 0


async def test_the_dashboard_collects_once_a_round_is_shown_and_the_user_reads():
    from negotrack.tui.app import NegotrackApp

    from support import DATA, until

    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 1000)  # no automatic full collection meanwhile
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.analysis is not None and app.analysis.complete)
            await pilot.pause(0.5)  # after the heap's tidying (FREEZE_DELAY), which collects too
            _gen2_due(1000)
            assert gc.get_count()[2] > 500
            await pilot.press("left_square_bracket")
            await until(pilot, lambda: app._prefetch_timer is None)  # the rounds either side are drawn
            assert gc.get_count()[2] < 500
    finally:
        gc.set_threshold(*before)
