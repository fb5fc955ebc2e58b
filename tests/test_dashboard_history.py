"""Pilot tests of what the dashboard remembers between runs (the TinyDB history)."""

from __future__ import annotations

import shutil

from negotrack.tui.app import NegotrackApp
from negotrack.tui.screens.whats_new import WhatsNewScreen
from negotrack.tui.widgets.matrix import Matrix
from negotrack.tui.widgets.panels import DetailPane

from support import DATA, shown, until

DASH = DATA / "dash.yaml"


def app_for(path, db) -> NegotrackApp:
    return NegotrackApp(str(path), db_path=str(db), history=True, watch=False)


async def run_once(path, db, *, select=None, check=None) -> None:
    """One session of the dashboard: optionally move somewhere, optionally check, then quit."""
    app = app_for(path, db)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: app.analysis is not None)
        await until(pilot, lambda: app.history_ready)  # the history has recorded this version
        await pilot.pause()
        if select is not None:
            round_id, demand_id, party_id = select
            app._go_to_round(app.catalog.round_index(round_id))
            app.query_one(Matrix).select(demand_id, party_id)
            await pilot.pause()
        if check is not None:
            await check(app, pilot)


async def test_reopens_where_the_user_left_off(tmp_path):
    path, db = tmp_path / "positions.yaml", tmp_path / "history.json"
    shutil.copy(DASH, path)
    await run_once(path, db, select=("r1", "ratio", "beta"))

    async def check(app, pilot):
        await until(pilot, lambda: app.current_round_id() == "r1")
        assert app.query_one(Matrix).selected() == ("ratio", "beta")

    await run_once(path, db, check=check)


async def test_whats_new_after_an_edit_between_two_runs_and_jump(tmp_path):
    path, db = tmp_path / "positions.yaml", tmp_path / "history.json"
    shutil.copy(DASH, path)
    await run_once(path, db)
    path.write_text(DASH.read_text().replace("        ratio: 3\n", "        ratio: 4\n"))

    async def check(app, pilot):
        await until(pilot, lambda: app.fresh == {("r2", "beta", "ratio")})
        app._go_to_round(1)
        await pilot.pause()
        assert app.query_one(Matrix).get_cell("ratio", "beta").plain.startswith("★")
        await pilot.press("w")
        assert isinstance(app.screen, WhatsNewScreen)
        table = app.screen.query_one("#whats-new-table")
        assert table.row_count == 1
        assert [c.plain for c in table.get_row_at(0)] == ["r2", "beta", "ratio", "3", "4"]
        await pilot.press("enter")
        await until(pilot, lambda: app.query_one(Matrix).selected() == ("ratio", "beta"))
        assert app.current_round_id() == "r2" and not isinstance(app.screen, WhatsNewScreen)

    await run_once(path, db, check=check)

    async def nothing_new(app, pilot):
        assert app.fresh == frozenset()

    await run_once(path, db, check=nothing_new)


async def test_detail_pane_shows_the_cells_edit_history(tmp_path):
    path, db = tmp_path / "positions.yaml", tmp_path / "history.json"
    shutil.copy(DASH, path)
    await run_once(path, db)
    path.write_text(DASH.read_text().replace("        ratio: 3\n", "        ratio: 4\n"))
    await run_once(path, db)

    async def check(app, pilot):
        body = app.query_one(DetailPane).query_one("#detail-body")
        await until(pilot, lambda: "Edit history" in shown(body))
        lines = shown(body).split("Edit history (versions of the file)")[1].strip().splitlines()
        assert [line.split()[-1] for line in lines] == ["3", "4"]

    await run_once(path, db, select=("r2", "ratio", "beta"), check=check)


async def test_no_history_flag_writes_nothing(tmp_path):
    path, db = tmp_path / "positions.yaml", tmp_path / "history.json"
    shutil.copy(DASH, path)
    app = NegotrackApp(str(path), db_path=str(db), history=False, watch=False)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.analysis is not None)
        await pilot.press("w")
    assert not db.exists()


async def test_reopened_on_a_column_off_to_the_side_the_cursor_is_in_sight_and_the_pane_describes_it(tmp_path):
    """After a restart the matrix scrolls to the remembered column, and the detail pane shows
    that cell, not the one the cursor started on."""
    from test_matrix import wide_catalog

    path, db = wide_catalog(tmp_path / "wide.yaml"), tmp_path / "history.json"
    await run_once(path, db, select=("r1", "d3", "epsilon"))
    app = app_for(path, db)
    async with app.run_test(size=(60, 30)) as pilot:
        await until(pilot, lambda: app.history_ready and app.current_round_id() == "r1")
        await pilot.press("d")  # a narrow window hides the pane until asked
        await pilot.pause()
        matrix = app.query_one(Matrix)
        assert matrix.selected() == ("d3", "epsilon")
        assert matrix.scroll_x > 0
        header = " ".join(matrix.render_line(y).text for y in range(matrix._layout.header_height))
        assert "Epsilon" in header  # the column is in sight
        assert "全角 Epsilon" in shown(app.query_one(DetailPane).query_one("#detail-body"))
