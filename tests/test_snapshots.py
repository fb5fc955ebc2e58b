"""Snapshot tests of what users see (pytest-textual-snapshot); review new SVGs as images."""

from __future__ import annotations

import pytest

from negotrack.tui.app import NegotrackApp
from negotrack.tui.screens.errors import ErrorScreen
from negotrack.tui.widgets.matrix import Matrix

from support import DATA, until

DASH = DATA / "dash.yaml"


def app_for(path) -> NegotrackApp:
    return NegotrackApp(str(path), history=False, watch=False)


def after_load(*then):
    """A run_before hook: wait for the catalog, then select and press what the test needs."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await until(pilot, lambda: app.analysis is not None or isinstance(app.screen, ErrorScreen))
        for step in then:
            if isinstance(step, tuple):
                app.query_one(Matrix).select(*step)
            else:
                await pilot.press(step)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen(snap_compare, size):
    assert snap_compare(app_for(DASH), terminal_size=size, run_before=after_load())


def test_detail_pane(snap_compare):
    assert snap_compare(app_for(DASH), terminal_size=(140, 40),
                        run_before=after_load("left_square_bracket", ("truce", "beta")))


def test_timeline(snap_compare):
    assert snap_compare(app_for(DASH), terminal_size=(120, 40), run_before=after_load(("ratio", "alpha"), "t"))


def test_error_screen(snap_compare):
    assert snap_compare(app_for(DATA / "snap" / "broken.yaml"), terminal_size=(100, 30), run_before=after_load())


def test_help_screen(snap_compare):
    assert snap_compare(app_for(DASH), terminal_size=(100, 40), run_before=after_load("question_mark"))


def test_right_to_left_catalog_at_80_columns(snap_compare):
    """Arabic, Hebrew and Persian names and stances, wrapped; mediators folded into one column."""
    assert snap_compare(app_for(DATA / "rtl.yaml"), terminal_size=(80, 24), run_before=after_load())


def test_compare_two_rounds(snap_compare):
    assert snap_compare(app_for(DASH), terminal_size=(120, 36),
                        run_before=after_load("x", "enter", "enter"))


def test_round_account(snap_compare):
    assert snap_compare(app_for(DASH), terminal_size=(100, 30), run_before=after_load("left_square_bracket", "r"))


def test_zoom_on_a_disputed_position(snap_compare):
    assert snap_compare(app_for(DASH), terminal_size=(100, 30),
                        run_before=after_load("left_square_bracket", ("truce", "beta"), "z"))
