"""Help scrolls at once with the reading keys, and Home/End behind it never change the round."""

from __future__ import annotations

from negotrack.tui.app import NegotrackApp
from negotrack.tui.screens.help import HelpScreen

from screens_support import content_lines, screen_lines
from support import DATA, until


async def opened(pilot) -> NegotrackApp:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None)
    await pilot.pause()
    return app


def dashboard() -> NegotrackApp:
    return NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)


async def test_help_scrolls_with_j_k_and_pages_without_tab():
    async with dashboard().run_test(size=(80, 24)) as pilot:
        app = await opened(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help-box")
        assert box.has_focus and box.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        assert box.scroll_y == 3
        await pilot.press("k")
        assert box.scroll_y == 2
        await pilot.press("pagedown")
        assert box.scroll_y > 3
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        assert box.scroll_y == 0


async def test_home_and_end_scroll_the_help_and_leave_the_round_alone():
    async with dashboard().run_test(size=(80, 24)) as pilot:
        app = await opened(pilot)
        await pilot.press("left_square_bracket")  # r2: both Home and End would move it
        await until(pilot, lambda: app.current_round_id() == "r2")
        await pilot.press("question_mark")
        box = app.screen.query_one("#help-box")
        await pilot.press("end")
        assert app.current_round_id() == "r2"
        assert isinstance(app.screen, HelpScreen)
        assert box.scroll_y == box.max_scroll_y > 0
        await pilot.press("home")
        assert app.current_round_id() == "r2"
        assert box.scroll_y == 0
        await pilot.press("escape")
        assert app.current_round_id() == "r2" and not isinstance(app.screen, HelpScreen)


async def test_help_lists_the_keys_of_every_reading_screen_and_the_marks():
    async with dashboard().run_test(size=(100, 40)) as pilot:
        app = await opened(pilot)
        await pilot.press("question_mark")
        text = "\n".join(line for static in app.screen.query("#help-box Static") for line in content_lines(static))
        for said in ("Two rounds side by side", "Changed only", "Pin as baseline", "A round's account",
                     "Prev round", "Timeline", "Reading keys", "Scroll down", "claim", "announced / inferred"):
            assert said in text, said
        assert all(len(line) == 100 for line in screen_lines(app))
