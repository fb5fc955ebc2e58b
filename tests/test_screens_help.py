"""Help scrolls at once with the reading keys, and Home/End behind it never change the round."""

from __future__ import annotations

from negotrack.tui.app import NegotrackApp
from negotrack.tui.screens.help import HelpScreen, Prerendered, help_text_width

from screens_support import screen_lines
from support import DATA, until


async def opened(pilot) -> NegotrackApp:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None)
    await pilot.pause()
    return app


def help_lines(app: NegotrackApp) -> list[str]:
    """The help's text as drawn at its width on screen, every line, scrolled or not."""
    text = app.screen.query_one("#help-text", Prerendered)
    return [strip.text for strip in text.lines(text.size.width)]


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
        text = "\n".join(help_lines(app))
        for said in ("Two rounds side by side", "Changed only", "Pin as baseline", "A round's account",
                     "Prev round", "Timeline", "Reading keys", "Scroll down", "claim", "announced / inferred"):
            assert said in text, said
        assert all(len(line) == 100 for line in screen_lines(app))


async def test_the_help_is_built_once_and_opens_again_at_the_top():
    async with dashboard().run_test(size=(80, 24)) as pilot:
        app = await opened(pilot)
        await pilot.press("question_mark")
        first = app.screen
        text = first.query_one("#help-text", Prerendered)
        drawn = text.lines(text.size.width)
        await pilot.press("G", "escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is first  # the same screen, its lines not rendered again
        assert text.lines(text.size.width) is drawn
        assert app.screen.query_one("#help-box").scroll_y == 0


async def test_the_help_is_rendered_again_for_a_new_width():
    async with dashboard().run_test(size=(120, 30)) as pilot:
        app = await opened(pilot)
        await pilot.press("question_mark")
        wide = help_lines(app)
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        narrow = help_lines(app)
        assert len(narrow) > len(wide)  # the long descriptions wrap at 80
        width = app.screen.query_one("#help-text").size.width
        assert all(len(line.rstrip()) <= width for line in narrow)
        assert all(len(line) == 80 for line in screen_lines(app))
        text = "\n".join(narrow)
        assert "Two rounds side by side" in text and "Esc closes this help." in text


async def test_the_first_load_renders_the_help_ahead_and_the_help_uses_it():
    async with dashboard().run_test(size=(133, 30)) as pilot:
        app = await opened(pilot)
        assert app.help_ready is not None
        width, lines = app.help_ready[1]
        assert width == help_text_width(133)
        await pilot.press("question_mark")
        text = app.screen.query_one("#help-text", Prerendered)
        assert text.size.width == width
        assert text.lines(width) is lines  # drawn from what the worker rendered


async def test_the_helps_width_is_foreseen_at_every_terminal_width():
    for columns in (60, 80, 99, 160, 201):
        async with dashboard().run_test(size=(columns, 24)) as pilot:
            app = await opened(pilot)
            await pilot.press("question_mark")
            assert app.screen.query_one("#help-text").size.width == help_text_width(columns), columns


async def test_a_failure_to_render_the_help_ahead_neither_stops_the_load_nor_the_help(monkeypatch):
    import negotrack.tui.screens.help as help_module

    tries: list[int] = []

    def broken(app, pause=None) -> None:  # noqa: ANN001
        tries.append(1)
        raise RuntimeError("no head start")

    monkeypatch.setattr(help_module, "prerender_help", broken)
    async with dashboard().run_test(size=(100, 30)) as pilot:
        app = await opened(pilot)  # the catalog is shown all the same
        assert app.help_ready is None
        first = app.analysis
        app.reload()  # a save: the head start is not tried again
        await until(pilot, lambda: app.analysis is not first and app.analysis.complete)
        assert tries == [1]
        await pilot.press("question_mark")
        assert "Two rounds side by side" in "\n".join(help_lines(app))
