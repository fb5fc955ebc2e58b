"""The dashboard's footer keeps its keys while a screen covers it, and follows its bindings."""

from __future__ import annotations

from negotrack.tui.app import NegotrackApp
from negotrack.tui.screens.help import HelpScreen
from negotrack.tui.widgets.footer import SteadyFooter

from support import DATA, until


def keys(app: NegotrackApp) -> list:
    """The footer's key widgets, as objects: the same ones when it was not composed again."""
    return list(app.screen_stack[0].query_one(SteadyFooter).query("FooterKey"))


async def opened(pilot) -> NegotrackApp:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None)
    await pilot.pause()
    return app


async def test_opening_and_closing_the_help_and_the_palette_keeps_the_footers_keys():
    async with NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False).run_test(size=(120, 30)) as pilot:
        app = await opened(pilot)
        before = keys(app)
        assert [k.key for k in before][:2] == ["right_square_bracket", "left_square_bracket"]
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert keys(app) == before  # covered: not rebuilt with the refused keys
        await pilot.press("escape")
        await pilot.pause()
        assert keys(app) == before  # the same widgets: nothing was composed again
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert keys(app) == before


async def test_the_footer_follows_the_focus_and_catches_up_when_uncovered():
    async with NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False).run_test(size=(120, 30)) as pilot:
        app = await opened(pilot)
        dashboard = [k.key for k in keys(app)]
        await pilot.press("slash")  # the filter has the focus: the round keys are not the footer's
        await pilot.pause()
        assert [k.key for k in keys(app)] != dashboard
        await pilot.press("escape")
        await pilot.pause()
        assert [k.key for k in keys(app)] == dashboard
        before = keys(app)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        app.screen_stack[0].query_one(SteadyFooter)._shown = None  # as if its keys changed meanwhile
        await pilot.press("escape")
        await pilot.pause()
        after = keys(app)
        assert [k.key for k in after] == dashboard and after != before  # composed again on uncovering
