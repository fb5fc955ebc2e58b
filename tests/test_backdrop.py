"""The dashboard under a modal screen (tui/screens/backdrop.py): dimmed under the dialogs and the
palette exactly as textual dims it, and a plain margin round the reading screens; the help made
ready by the first load, before anyone asks for it."""

from __future__ import annotations

from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen

import negotrack.tui.loading as loading
from negotrack.tui.app import NegotrackApp
from negotrack.tui.screens.backdrop import Backdrop, Palette
from negotrack.tui.screens.help import HelpScreen
from negotrack.tui.screens.zoom import ZoomScreen

from support import DATA, Nudge, until


def dashboard() -> NegotrackApp:
    return NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)


async def opened(pilot) -> NegotrackApp:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None)
    await pilot.pause()
    return app


def counting_backdrops(monkeypatch) -> list[int]:
    drawn = [0]
    draw = Backdrop.__rich_console__

    def counted(self, console, options):  # noqa: ANN001, ANN202
        drawn[0] += 1
        return draw(self, console, options)

    monkeypatch.setattr(Backdrop, "__rich_console__", counted)
    return drawn


async def test_the_backdrop_draws_the_segments_textual_draws():
    async with dashboard().run_test(size=(120, 40)) as pilot:
        app = await opened(pilot)
        base, console = app.screen, app.console
        options = console.options.update_dimensions(120, 40)
        # the modal's tint, a transparent one (textual only drops links and meta) and a light one
        for color in (Color(0, 0, 0, 0.6), Color(10, 20, 30, 0.0), Color(250, 250, 250, 0.3)):
            ours = list(console.render(Backdrop(base, color), options))
            textuals = list(console.render(BackgroundScreen(base, color), options))
            assert len(ours) > 200 and ours == textuals
        # and twice in a row, from the memo of each style's tint
        assert list(console.render(Backdrop(base, color), options)) == textuals


async def test_the_palette_and_the_dialogs_dim_the_dashboard_through_the_backdrop(monkeypatch):
    drawn = counting_backdrops(monkeypatch)
    async with dashboard().run_test(size=(120, 40)) as pilot:
        app = await opened(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, Palette))
        await pilot.pause()
        assert drawn[0] > 0 and app.screen.styles.background.a < 1
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.screen_stack[0])
        drawn[0] = 0
        await pilot.press("z")
        await until(pilot, lambda: isinstance(app.screen, ZoomScreen))
        await pilot.pause()
        assert drawn[0] > 0


async def test_the_help_has_a_plain_margin_and_is_ready_before_the_first_question_mark(monkeypatch):
    drawn = counting_backdrops(monkeypatch)
    async with dashboard().run_test(size=(120, 40)) as pilot:
        app = await opened(pilot)
        # the first load started it: composed, its widgets mounted, not shown
        await until(pilot, lambda: app.is_screen_installed("help") and app.get_screen("help").is_running)
        ready = app.get_screen("help")
        assert app.screen is app.screen_stack[0]
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert app.screen is ready
        # no dimmed dashboard under a box of 90 %: the theme's background, opaque
        assert app.screen.styles.background.a == 1 and drawn[0] == 0


async def test_the_help_is_composed_ahead_only_when_nothing_waits(monkeypatch):
    import negotrack.tui.app as app_module

    monkeypatch.setattr(app_module, "HELP_DELAY", 600)  # this test calls it itself
    async with dashboard().run_test(size=(120, 40)) as pilot:
        app = await opened(pilot)
        await until(pilot, lambda: app._help_tried)
        await pilot.press("z")  # a screen covers the dashboard: given up, no timer left
        await until(pilot, lambda: isinstance(app.screen, ZoomScreen))
        retries: list[float] = []
        set_timer = app.set_timer
        monkeypatch.setattr(app, "set_timer", lambda delay, *a, **k: retries.append(delay) or set_timer(delay, *a, **k))
        app.prepare_help_when_idle()
        assert not app.is_screen_installed("help") and retries == []
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.screen_stack[0])
        app.focused.post_message(Nudge())  # a key on its way: put off, a few times at most
        app.prepare_help_when_idle(tries=1)
        assert not app.is_screen_installed("help") and retries == []
        app.focused.post_message(Nudge())
        app.prepare_help_when_idle(tries=2)
        assert not app.is_screen_installed("help") and len(retries) == 1
        await pilot.pause()
        shown, app.analysis = app.analysis, None  # as while the file is read (no await meanwhile)
        app.prepare_help_when_idle(tries=2)  # a small file: its catalog comes first
        assert not app.is_screen_installed("help") and len(retries) == 2
        monkeypatch.setattr(loading, "HELP_DURING_LOAD_BYTES", 0)  # a big file: not waited for
        app.prepare_help_when_idle()
        app.analysis = shown
        assert app.is_screen_installed("help")
        await until(pilot, lambda: app.get_screen("help").is_running)
        assert app.screen is app.screen_stack[0]  # composed, not shown
