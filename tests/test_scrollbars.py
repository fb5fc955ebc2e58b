"""The matrix's scrollbars keep the lines they drew only while textual would draw the same."""

from __future__ import annotations

import sys

from textual.geometry import Region
from textual.scrollbar import ScrollBar

from negotrack.tui.app import NegotrackApp
from negotrack.tui.widgets.matrix import Matrix
from negotrack.tui.widgets.scrollbars import SteadyScrollBar

from support import DATA, until

sys.path.insert(0, str(DATA.parent.parent))
from bench.generate import generate  # noqa: E402


def drawn_fresh(bar: ScrollBar) -> list:
    """What textual's ScrollBar draws now, from scratch."""
    bar._styles_cache.clear()
    return ScrollBar.render_lines(bar, Region(0, 0, *bar.size))


async def test_the_scrollbars_draw_what_textual_draws_round_after_round(tmp_path):
    catalog = tmp_path / "s.yaml"
    catalog.write_text(generate("S"), encoding="utf-8")
    app = NegotrackApp(str(catalog), history=False, watch=False)
    async with app.run_test(size=(100, 20)) as pilot:
        await until(pilot, lambda: app.analysis is not None and app.analysis.complete)
        await pilot.pause()
        matrix = app.query_one(Matrix)
        bars = [matrix.vertical_scrollbar, matrix.horizontal_scrollbar]
        assert all(isinstance(bar, SteadyScrollBar) and bar.display for bar in bars)
        looks: list[list] = [[], []]
        kept = 0
        for _ in range(12):
            await pilot.press("left_square_bracket")
            await pilot.pause()
            for bar, seen in zip(bars, looks):
                look = bar._look()
                before = bar._drawn
                shown = bar.render_lines(Region(0, 0, *bar.size))
                kept += before is not None and before[0] == look
                seen.append(look)
                assert shown == drawn_fresh(bar)
        assert kept  # some switches left a thumb where it was: its lines were kept
        assert len(set(looks[0])) > 1  # and in some the vertical thumb moved: drawn again


async def test_a_theme_change_draws_the_scrollbars_again():
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(size=(60, 12)) as pilot:
        await until(pilot, lambda: app.analysis is not None)
        await pilot.pause()
        bar = app.query_one(Matrix).vertical_scrollbar
        assert bar.display
        crop = Region(0, 0, *bar.size)
        dark = bar.render_lines(crop)
        app.theme = "textual-light"
        await pilot.pause()
        light = bar.render_lines(crop)
        assert light != dark
        assert light == drawn_fresh(bar)
