"""The matrix read back line by line at 80×24, 120×36 and 200×50, on the bundled catalog and on
one in Arabic, Hebrew and Persian: titles and ordinary stances are not cut while there is room,
no two rows read the same, markers come first, every line is the widget's width, and a changed
cell says what it moved from (issue "The matrix tells the story")."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from negotrack.store.analysis import SHIFT_GLYPHS, Shift
from negotrack.tui.app import NegotrackApp
from negotrack.tui.widgets.matrix import DEMAND_KEY, FIXED, GAP_KEY, OTHERS_KEY, PAD, Matrix
from negotrack.tui.widgets.layout import share_widths

from support import DATA, until

BUNDLED = Path(__file__).parent.parent / "positions.yaml"
CATALOGS = [BUNDLED, DATA / "rtl.yaml"]
SIZES = [(80, 24), (120, 36), (200, 50)]
ORDINARY = 60


async def opened(path: Path, pilot, detail: bool | None = None) -> tuple[NegotrackApp, Matrix]:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None)
    if detail is not None and app.query_one("#detail").display != detail:
        await pilot.press("d")
    await pilot.pause()
    return app, app.query_one(Matrix)


def every_round(app: NegotrackApp):
    for index in range(len(app.catalog.rounds)):
        app.state = app.state.at_round(app.catalog, index)
        app.refresh_view()
        yield app.catalog.rounds[index].id


def spare(matrix: Matrix) -> int:
    """Screen columns the matrix leaves unused."""
    used = sum(c.width + 2 * PAD for c in matrix._layout.columns)
    return matrix.scrollable_content_region.width - used


def body(matrix: Matrix, demand: str, column: str) -> str:
    """A cell's text without its markers and was-line, its wrapped lines joined again."""
    text = matrix.get_cell(demand, column).plain
    lines = [line for line in text.split("\n") if not line.strip().startswith(("was:", "taken up again"))]
    first = lines[0].split(" ", 1)[1] if " " in lines[0] else lines[0]
    return " ".join([first] + [line.strip() for line in lines[1:]])


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_read_back_at_every_size(path, size):
    app = NegotrackApp(str(path), history=False, watch=False)
    async with app.run_test(size=size) as pilot:
        app, matrix = await opened(path, pilot)
        sides = [p.id for p in app.catalog.parties if p.is_side]
        for rid in every_round(app):
            await pilot.pause()
            keys = matrix.column_keys
            # the sides always show, after the fixed demand and gap columns
            assert keys[:FIXED + len(sides)] == [DEMAND_KEY, GAP_KEY, *sides], rid
            # every line exactly the width, the header's included
            width = matrix.scrollable_content_region.width
            for y in range(matrix.scrollable_content_region.height):
                assert matrix.render_line(y).cell_length == width, (rid, y)
            rows = {}
            for demand in app.catalog.demands:
                title = matrix.get_cell(demand.id, DEMAND_KEY).plain.replace("\n", " ")
                if spare(matrix) > 0:
                    assert title == demand.title, (rid, title)  # not cut while there is room
                rows[demand.id] = " | ".join(matrix.get_cell(demand.id, k).plain for k in keys)
                for party in app.catalog.parties:
                    if party.id not in keys:
                        continue
                    cell = app.shown_analysis.cell(rid, party.id, demand.id)
                    text = matrix.get_cell(demand.id, party.id).plain
                    if cell.shift is not None:  # markers first: the glyph leads (after ★)
                        assert text.lstrip("★").startswith(SHIFT_GLYPHS[cell.shift]), (rid, text)
                        markers = text.split(" ", 1)[0]
                        assert ("‡" in markers) == bool(cell.position.disputed), (rid, text)
                        assert ("»" in markers) == cell.position.claim, (rid, text)
            assert len(set(rows.values())) == len(rows), rid  # no two rows read the same


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
@pytest.mark.parametrize("size, detail", [((120, 36), False), ((160, 40), True)])
async def test_an_ordinary_stance_is_never_cut(path, size, detail):
    app = NegotrackApp(str(path), history=False, watch=False)
    async with app.run_test(size=size) as pilot:
        app, matrix = await opened(path, pilot, detail=detail)
        assert app.query_one("#detail").display == detail
        checked = 0
        for rid in every_round(app):
            await pilot.pause()
            for demand in app.catalog.demands:
                for party in app.catalog.parties:
                    if party.id not in matrix.column_keys:
                        continue
                    position = app.shown_analysis.cell(rid, party.id, demand.id).position
                    if position is None or len(position.shown()) > ORDINARY:
                        continue
                    assert body(matrix, demand.id, party.id) == position.shown(), (rid, party.id, demand.id)
                    checked += 1
        assert checked > 10


async def test_a_changed_cell_says_what_it_moved_from():
    app = NegotrackApp(str(DATA / "rtl.yaml"), history=False, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        app, matrix = await opened(DATA / "rtl.yaml", pilot)
        assert app.current_round_id() == "r2"
        def was(demand: str, party: str) -> str:
            text = matrix.get_cell(demand, party).plain
            return " ".join(line.strip() for line in text.split("was:", 1)[1].split("\n"))

        assert matrix.get_cell("ceasefire", "hamas").plain.startswith(SHIFT_GLYPHS[Shift.TOWARD] + " هدنة")
        assert was("ceasefire", "hamas") == "وقف دائم"
        assert was("prisoners", "israel") == "1,500"
        assert "was:" not in matrix.get_cell("aid", "hamas").plain  # carried cells stay quiet


async def test_mediators_fold_into_one_column_when_the_window_is_narrow():
    app = NegotrackApp(str(BUNDLED), history=False, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app, matrix = await opened(BUNDLED, pilot)
        assert matrix.column_keys[-1] == OTHERS_KEY
        everyone = " ".join(matrix.get_cell(d.id, OTHERS_KEY).plain for d in app.catalog.demands)
        assert "Draft deal" in everyone  # who said it leads each folded position
        matrix.focus()
        matrix.select("ceasefire", None)
        for _ in range(4):
            await pilot.press("l")
        assert matrix.selected() == ("ceasefire", None)  # the fold has no party of its own


def test_share_widths_gives_way_widest_first_and_keeps_the_sides():
    naturals, minimums = [30, 10, 40, 20, 30], [12, 10, 10, 10, 10]
    assert share_widths(200, naturals, minimums, [True] * 5) == naturals  # everything fits
    widths = share_widths(110, naturals, minimums, [True] * 5)
    assert sum(w + 2 for w in widths) <= 110 and widths[3] == 20 and widths[2] == widths[4]
    # the sides whole cannot leave the others their minimum, but all fit at their minimums:
    # every column gives way, the widest first (no column cut while another has room to spare)
    widths = share_widths(80, naturals, minimums, [True, True, True, True, False])
    assert sum(w + 2 for w in widths) <= 80 and widths[4] >= minimums[4] and widths[2] <= widths[4]
    # the non-sides cannot fit even at their minimum: the sides share the screen, the rest scrolls
    widths = share_widths(60, naturals, minimums, [True, True, True, True, False])
    assert sum(w + 2 for w in widths[:4]) <= 60 and widths[4] == 30
    assert all(w >= m for w, m in zip(widths, minimums))


async def test_widen_and_narrow_a_column_remembered_and_written_once_after_the_presses(monkeypatch):
    from negotrack.tui import actions, prefs

    writes: list[dict] = []
    real = prefs._write
    monkeypatch.setattr(prefs, "_write", lambda data: (writes.append(data), real(data)))
    # a delay no run of presses reaches, however slow the machine: nothing is written while
    # the presses go on, and quitting writes the last widths once
    monkeypatch.setattr(actions, "WIDTHS_SAVE_DELAY", 60.0)
    path = DATA / "dash.yaml"
    app = NegotrackApp(str(path), history=False, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        app, matrix = await opened(path, pilot)
        matrix.focus()
        matrix.select("truce", "beta")
        before = matrix.column_width("beta")
        await pilot.press("plus", "plus")
        assert matrix.column_width("beta") == before + 8
        await pilot.press(*["plus"] * 4, "minus")
        assert matrix.column_width("beta") == before + 20 and writes == []
    assert len(writes) == 1 and prefs.load_widths(str(path)) == (("beta", before + 20),)
    # and once the presses stop, the timer writes them without waiting for the app to close
    monkeypatch.setattr(actions, "WIDTHS_SAVE_DELAY", 0.05)
    again = NegotrackApp(str(path), history=False, watch=False)
    async with again.run_test(size=(120, 36)) as pilot:
        again, matrix = await opened(path, pilot)
        assert matrix.column_width("beta") == before + 20  # remembered for this catalog
        matrix.focus()
        matrix.select("truce", "beta")
        await pilot.press("minus")
        await until(pilot, lambda: len(writes) == 2)
        assert prefs.load_widths(str(path)) == (("beta", before + 16),)


async def test_zoom_shows_the_whole_position_and_claims_can_be_hidden():
    from negotrack.tui.screens.zoom import ZoomScreen

    app = NegotrackApp(str(BUNDLED), history=False, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        app, matrix = await opened(BUNDLED, pilot)
        matrix.focus()
        matrix.select("ceasefire", "israel")
        await pilot.press("z")
        assert isinstance(app.screen, ZoomScreen)
        text = "\n".join(line.plain for line in app.screen.lines)
        assert "claim: per Hamas" in text and "Quote:" in text
        await pilot.press("escape", "a")
        await until(pilot, lambda: app.shown_analysis is not app.analysis)
        await pilot.pause()
        assert "claims hidden" in str(app.query_one("#round-header").content.renderables[1])
        assert "»" not in matrix.get_cell("ceasefire", "israel").plain
        await pilot.press("a")
        assert "»" in matrix.get_cell("ceasefire", "israel").plain


@pytest.mark.parametrize("detail", [False, True])
async def test_at_200_columns_every_column_is_in_sight(detail):
    """No column is left to scroll to while the screen has room: at 200×50 the bundled
    catalog's columns all fit, the detail pane open or not."""
    app = NegotrackApp(str(BUNDLED), history=False, watch=False)
    async with app.run_test(size=(200, 50)) as pilot:
        app, matrix = await opened(BUNDLED, pilot, detail=detail)
        for rid in every_round(app):
            await pilot.pause()
            assert matrix.virtual_size.width <= matrix.scrollable_content_region.width, rid


async def test_the_loading_worker_measures_the_columns_and_the_widths_are_every_rounds_widest(monkeypatch):
    """Measuring every position's text for the columns' widths is done once per catalog, by the
    worker that read it (at 600,000 positions it held the UI thread for ~0.6 s)."""
    import threading

    from negotrack.tui import loading
    from negotrack.tui.widgets import layout
    from negotrack.tui.widgets.layout import party_naturals

    measured: list[tuple[object, bool]] = []
    real = loading.widest_positions

    def measure(catalog):
        measured.append((catalog, threading.current_thread() is threading.main_thread()))
        return real(catalog)

    monkeypatch.setattr(loading, "widest_positions", measure)
    path = DATA / "rtl.yaml"
    app = NegotrackApp(str(path), history=False, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        app, matrix = await opened(path, pilot)
        catalog = app.catalog
        # measured by the worker, off the UI thread, before the catalog reached the screen, which
        # then only looks the widths up
        assert measured == [(catalog, False)] and layout.widest_positions.last() is catalog
        expected = {p.id: max((cell_len(pos.shown()) for r in catalog.rounds for (pid, _), pos in r.positions.items()
                               if pid == p.id), default=0) for p in catalog.parties}
        assert party_naturals(catalog.demands, catalog.parties, app.analysis) == expected
        some = catalog.demands[:1]
        assert party_naturals(some, catalog.parties, app.analysis) == {
            p.id: max((cell_len(r.positions[(p.id, some[0].id)].shown()) for r in catalog.rounds
                       if (p.id, some[0].id) in r.positions), default=0) for p in catalog.parties}
