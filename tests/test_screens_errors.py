"""The error screen offers its own keys only: no round keys in its footer, none run behind it."""

from __future__ import annotations


from negotrack.tui.app import NegotrackApp
from negotrack.tui.screens.errors import ErrorScreen

from screens_support import Host, content_lines, screen_lines
from support import DATA, fake_editor, until

BROKEN = DATA / "snap" / "broken.yaml"


async def error_screen(pilot) -> NegotrackApp:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ErrorScreen))
    await pilot.pause()
    return app


async def test_the_footer_offers_only_the_error_screens_keys_and_t_opens_nothing():
    async with NegotrackApp(str(BROKEN), history=False, watch=False).run_test(size=(100, 30)) as pilot:
        app = await error_screen(pilot)
        actions = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert actions <= {"app.edit", "app.quit"}  # no Back: there is no dashboard to go back to
        footer = screen_lines(app)[-1]
        assert "Quit" in footer
        for word in ("round", "Timeline", "Compare", "Next", "Filter", "Back"):
            assert word not in footer
        for key in ("t", "x", "right_square_bracket", "home", "c", "escape"):
            await pilot.press(key)
        assert isinstance(app.screen, ErrorScreen) and app.is_running


async def test_e_opens_the_editor_from_the_error_screen_at_the_first_error(tmp_path, monkeypatch):
    """The screen's `e` runs the App's `edit`, which the App allows over this screen."""
    import shutil

    path = tmp_path / "broken.yaml"
    shutil.copy(BROKEN, path)
    editor, log = fake_editor(tmp_path)
    monkeypatch.setenv("EDITOR", str(editor))
    async with NegotrackApp(str(path), history=False, watch=False).run_test(size=(100, 30)) as pilot:
        app = await error_screen(pilot)
        assert "Edit the file" in screen_lines(app)[-1]
        await pilot.press("e")
        await until(pilot, lambda: log.exists())
        assert log.read_text() == f"+{app.problems[0].line} {path}"


async def test_each_error_reads_file_line_col_whole_and_the_list_scrolls():
    from negotrack.store.problems import Problem

    problems = [Problem(str(BROKEN), n, 5, f"problem number {n}: " + "a long message " * 8) for n in range(1, 30)]
    async with Host(ErrorScreen(str(BROKEN), problems, dismissable=True)).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        lines = content_lines(app.screen.query_one("#errors-body"))
        assert lines[0].startswith("broken.yaml:1:5  problem number 1:")
        assert "…" not in "".join(lines) and all(len(line) <= 80 for line in lines)
        scroll = app.screen.query_one("#errors-list")
        assert scroll.has_focus
        await pilot.press("j", "j")
        assert scroll.scroll_y == 2
        assert "Back" in screen_lines(app)[-1]
        await pilot.press("escape")
        assert app.results == [None]
