"""Pilot tests of the dashboard: every key, reloads, errors, hostile text, the editor."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from textual.widgets import Input

from negotrack.tui.app import NegotrackApp
from negotrack.tui.editor import editor_command
from negotrack.tui.screens.errors import ErrorScreen
from negotrack.tui.screens.help import HelpScreen
from negotrack.tui.screens.timeline import TimelineScreen
from negotrack.tui.widgets.matrix import GAP_KEY, Matrix
from negotrack.tui.widgets.panels import Banner, DetailPane, RoundHeader

from support import DATA, fake_editor, shown, until

DASH = DATA / "dash.yaml"


def app_for(path: Path, watch: bool = False) -> NegotrackApp:
    return NegotrackApp(str(path), history=False, watch=watch)


async def started(pilot) -> NegotrackApp:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None or isinstance(app.screen, ErrorScreen))
    await pilot.pause()
    return app


def cell(app: NegotrackApp, demand: str, party: str) -> str:
    return app.query_one(Matrix).get_cell(demand, party).plain


def header(app: NegotrackApp) -> str:
    return shown(app.query_one(RoundHeader))


async def test_opens_on_the_last_round_with_shift_glyphs():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        assert app.current_round_id() == "r3"
        assert "Round 3 of 3" in header(app)
        assert cell(app, "truce", "alpha").startswith("= permanent")  # restated unchanged
        assert cell(app, "ratio", "alpha").startswith("← 5–13")  # further from beta's 3
        assert cell(app, "guarantees", "beta").startswith("✕ withdrawn")
        assert cell(app, "truce", "mediator").startswith("+ temporary")
        assert cell(app, "truce", "beta").startswith("·‡ temporary")  # carried, not empty; markers first
        assert "apart" in app.query_one(Matrix).get_cell("truce", GAP_KEY).plain


async def test_round_keys_and_their_ends():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("left_square_bracket")
        assert app.current_round_id() == "r2"
        await pilot.press("less_than_sign")
        assert app.current_round_id() == "r1"
        await pilot.press("left_square_bracket")  # already first: stays, no error
        assert app.current_round_id() == "r1"
        assert "Round 1 of 3" in header(app)
        await pilot.press("greater_than_sign", "right_square_bracket", "right_square_bracket")
        assert app.current_round_id() == "r3"
        assert "Cairo" in header(app)


async def test_home_and_end_mean_rounds_even_when_the_table_has_focus():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        matrix = app.query_one(Matrix)
        matrix.focus()
        await pilot.press("down", "home")
        assert app.current_round_id() == "r1"
        assert matrix.cursor_coordinate.row == 1  # the table did not jump to its top
        await pilot.press("end")
        assert app.current_round_id() == "r3"


async def test_home_and_end_move_the_caret_in_the_filter_not_the_round():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("slash", *"rati", "home", "x", "end", "o")
        assert app.query_one("#filter", Input).value == "xratio"
        assert app.current_round_id() == "r3"  # the round did not move


async def test_cell_movement_with_vim_keys_and_selection_kept_across_rounds():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("l", "l", "j")
        assert app.query_one(Matrix).selected() == ("ratio", "alpha")
        await pilot.press("l", "k", "h")
        assert app.query_one(Matrix).selected() == ("truce", "alpha")
        await pilot.press("l", "left_square_bracket")
        assert app.query_one(Matrix).selected() == ("truce", "beta")
        assert app.selection.round_id == "r2"


async def test_next_and_previous_change_cross_rounds():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("home", "n")
        assert (app.current_round_id(), *app.query_one(Matrix).selected()) == ("r1", "truce", "alpha")
        await pilot.press("n", "n", "n", "n")
        # r1 has alpha truce, beta truce, alpha ratio, beta ratio, alpha guarantees
        assert (app.current_round_id(), *app.query_one(Matrix).selected()) == ("r1", "guarantees", "alpha")
        await pilot.press("n")
        assert (app.current_round_id(), *app.query_one(Matrix).selected()) == ("r2", "truce", "beta")
        await pilot.press("N")
        assert (app.current_round_id(), *app.query_one(Matrix).selected()) == ("r1", "guarantees", "alpha")
        await pilot.press("end", "n", "n", "n", "n", "n", "n", "n", "n")  # past the last change, held down
        said = [str(n.message) for n in app._notifications if "No more changes" in str(n.message)]
        assert said == ["No more changes after this cell."]  # one toast, not one per press


async def test_changed_only_hides_unchanged_demands():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("left_square_bracket", "c")
        matrix = app.query_one(Matrix)
        assert matrix.row_count == 2  # truce and ratio moved in r2; guarantees only carried
        assert "changed only" in header(app)  # the mode is on screen while it is on
        await pilot.press("c")
        assert matrix.row_count == 3
        assert "changed only" not in header(app)


async def test_filter_by_demand_and_by_party_then_escape_clears():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        matrix = app.query_one(Matrix)
        await pilot.press("slash", *"captive")
        assert matrix.row_count == 1
        await pilot.press("escape")
        assert matrix.row_count == 3
        await pilot.press("slash", *"beta", "enter")
        assert matrix.column_keys == ["__demand__", GAP_KEY, "beta"]
        assert matrix.has_focus


async def test_filter_finds_words_in_notes_quotes_and_sources_and_says_when_nothing_matches():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        matrix = app.query_one(Matrix)
        await pilot.press("slash", *"still reports")  # a disputed report's note, on the truce
        assert [matrix.get_cell(d, "__demand__").plain for d in ("truce",)] == ["Truce"]
        assert matrix.row_count == 1
        await pilot.press("escape", "slash", *"wire two")  # a source's outlet: the positions citing it
        assert matrix.row_count == 2  # truce and ratio in r2 cite Wire Two
        await pilot.press("escape", "slash", *"zzzz")
        assert matrix.row_count == 0
        assert any("Nothing matches “zzzz”" in str(n.message) for n in app._notifications)
        assert "filter: zzzz" in header(app)


async def test_baseline_compares_against_the_pinned_round():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("home", "b", "end")
        assert app.baseline == "r1"
        assert "vs baseline  r1" in header(app)
        # beta: pause (r1) -> temporary (r2, carried to r3): toward alpha's permanent, and it says from what
        assert cell(app, "truce", "beta").startswith("→‡ temporary\n")
        assert "was: pause" in cell(app, "truce", "beta")
        await pilot.press("b")
        assert app.baseline is None
        assert cell(app, "truce", "beta") == "·‡ temporary"


async def test_compare_two_rounds_from_the_dialog():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        app.set_comparison("r1", "r2")
        await pilot.pause()
        assert (app.baseline, app.current_round_id()) == ("r1", "r2")
        await pilot.press("x")
        assert type(app.screen).__name__ == "CompareDialog"
        await pilot.press("enter", "enter")  # the offered rounds: the baseline and the current one
        await pilot.pause()
        assert type(app.screen).__name__ == "CompareScreen"
        assert (app.screen.first.id, app.screen.second.id) == ("r1", "r2")
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_detail_pane_shows_quote_disputed_sources_and_history():
    async with app_for(DASH).run_test(size=(140, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("left_square_bracket")
        app.query_one(Matrix).select("truce", "beta")
        await pilot.pause()
        body = shown(app.query_one(DetailPane).query_one("#detail-body"))
        assert "a temporary truce" in body
        assert "Disputed report" in body and "Wire One still reports a pause." in body
        assert "Wire Two" in body
        assert "History across rounds" in body and "r3" in body
        await pilot.press("d")
        assert not app.query_one(DetailPane).display


async def test_timeline_sources_and_help_screens():
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("escape", "s")
        assert type(app.screen).__name__ == "SourcesScreen"
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_command_palette_offers_actions_and_go_to_round():
    from textual.command import CommandList, CommandPalette

    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        # each action once; rounds, demands and parties are the palette's "go to" provider's
        assert "Timeline" in titles and "Draft from an article…" in titles
        assert titles.count("Next round") == 1 and titles.count("Previous round") == 1
        assert not [t for t in titles if t.startswith("Go to ")]

        async def choose(query: str) -> str:
            """Type `query` in the palette; the first entry it lists, chosen with Enter."""
            await pilot.press("ctrl+p", *["space" if c == " " else c for c in query])
            gathering = CommandPalette._GATHER_COMMANDS_GROUP
            await until(pilot, lambda: isinstance(app.screen, CommandPalette)
                        and app.screen.query_one("CommandInput").value == query
                        and not any(w.group == gathering and not w.is_finished for w in app.screen.workers))
            await pilot.pause()
            first = app.screen.query_one(CommandList).get_option_at_index(0).hit.text
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, CommandPalette))
            await pilot.pause()
            return first

        # a round found by its venue and title
        assert await choose("doha talks") == "Go to round: 2024-01-10 Doha Talks open"
        assert app.current_round_id() == "r1"
        assert await choose("guarantees") == "Go to demand: Guarantees"
        assert await choose("beta") == "Go to party: Beta"
        assert app.query_one(Matrix).selected() == ("guarantees", "beta")


async def test_error_screen_then_dashboard_once_the_file_is_fixed(tmp_path):
    path = tmp_path / "positions.yaml"
    path.write_text(DASH.read_text().replace("venue: Paris", "venue: Paris\n    round: 2"))
    async with app_for(path, watch=True).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "unknown key `round`" in shown(app.screen.query_one("#errors-body"))
        shutil.copy(DASH, path)
        await until(pilot, lambda: app.analysis is not None and not isinstance(app.screen, ErrorScreen))
        assert app.current_round_id() == "r3"


async def test_reload_after_a_rename_save_keeps_round_and_cell(tmp_path):
    path = tmp_path / "positions.yaml"
    shutil.copy(DASH, path)
    async with app_for(path, watch=True).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("left_square_bracket")
        app.query_one(Matrix).select("ratio", "beta")
        await pilot.pause()
        temp = tmp_path / ".positions.yaml.swp"
        temp.write_text(DASH.read_text().replace("        ratio: 3\n", "        ratio: 4\n"))
        os.replace(temp, path)  # how editors save
        await until(pilot, lambda: cell(app, "ratio", "beta").startswith("→ 4"))
        assert app.current_round_id() == "r2"
        assert app.query_one(Matrix).selected() == ("ratio", "beta")


async def test_a_broken_save_keeps_the_last_good_catalog_with_a_banner(tmp_path):
    path = tmp_path / "positions.yaml"
    shutil.copy(DASH, path)
    async with app_for(path, watch=True).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        good = app.analysis
        path.write_text(DASH.read_text().replace("stance: temporary", "stance: temporray"))
        banner = app.query_one(Banner)
        await until(pilot, lambda: banner.display)
        assert app.analysis is good
        assert "2 errors" in shown(banner) and "temporray" in shown(banner)
        first = app.problems[0]
        assert f"positions.yaml:{first.line}:{first.column}: {first.message}" in shown(banner)  # as validate says it
        await pilot.press("E")
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("escape")
        shutil.copy(DASH, path)
        await until(pilot, lambda: not banner.display)
        assert app.analysis is not good


async def test_hostile_text_is_shown_as_typed_and_never_as_control_codes():
    async with app_for(DATA / "hostile.yaml").run_test(size=(160, 50)) as pilot:
        app = await started(pilot)
        assert app.analysis is not None
        svgs = [app.export_screenshot()]
        app.query_one(Matrix).select("truce", "hamas")
        await pilot.pause()
        svgs.append(app.export_screenshot())
        app.query_one(Matrix).select("guarantees", "israel")
        await pilot.pause()
        svgs.append(app.export_screenshot())
        for key in ("t", "s", "question_mark"):
            await pilot.press(key)
            svgs.append(app.export_screenshot())
            await pilot.press("escape")
        screen = "\n".join(svgs)
        assert "\x1b" not in screen and "\x07" not in screen and "\u202e" not in screen
        # brackets as typed (the SVG escapes nothing in them) and ESC made visible
        for literal in ("[/]", "[b]permanent[/b]", "[none]", "[i]Venue[/i]", "␛"):
            assert literal.replace(" ", "&#160;") in screen or literal in screen, literal


async def test_editor_opens_at_the_selected_line_then_reloads(tmp_path, monkeypatch):
    path = tmp_path / "positions.yaml"
    shutil.copy(DASH, path)
    editor, log = fake_editor(tmp_path)
    monkeypatch.setenv("EDITOR", f"{editor} --wait")
    async with app_for(path).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await pilot.press("left_square_bracket")
        app.query_one(Matrix).select("truce", "beta")
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: log.exists())
    # the `truce:` key of beta in r2 is the line just above its only `stance: temporary`
    line = DASH.read_text().splitlines().index("          stance: temporary")
    assert log.read_text() == f"--wait +{line} {path}"


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+7", "/f.yaml"]),
        ("nano", ["nano", "+7", "/f.yaml"]),
        ("code --wait", ["code", "--wait", "-g", "/f.yaml:7"]),
        ("'/opt/my editor/ed' -x", ["/opt/my editor/ed", "-x", "/f.yaml"]),
    ],
)
def test_editor_command_per_editor(monkeypatch, editor, expected):
    monkeypatch.setenv("VISUAL", editor)
    assert editor_command("/f.yaml", 7) == expected


def test_no_editor_set_gives_none(monkeypatch):
    assert editor_command("/f.yaml", 7) is None


async def test_a_catalog_without_rounds_says_so_and_every_key_is_harmless():
    async with app_for(DATA / "no_rounds.yaml").run_test(size=(100, 30)) as pilot:
        app = await started(pilot)
        assert "no rounds yet" in header(app)
        for key in ("right_square_bracket", "home", "end", "n", "c", "t", "b", "x", "d", "slash", "escape"):
            await pilot.press(key)
        assert app.current_round_id() is None and app.is_running


async def test_an_unbalanced_editor_variable_is_explained_not_raised(monkeypatch):
    monkeypatch.setenv("EDITOR", "vim 'unclosed")
    with pytest.raises(ValueError):
        editor_command("/f.yaml", 7)
    async with app_for(DASH).run_test() as pilot:
        app = await started(pilot)
        await pilot.press("e")
        assert any("cannot be read" in str(n.message) for n in app._notifications)
        assert app.is_running


async def test_a_load_that_finishes_after_quitting_changes_nothing():
    """The file is read in a thread: quitting before it is done must not end in a traceback."""
    app = app_for(DASH)
    async with app.run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        catalog, analysis = app.catalog, app.analysis
    assert not app.screen_stack
    app.on_negotrack_app_loaded(NegotrackApp.Loaded(catalog, analysis, [], []))
    app.on_negotrack_app_remembered(NegotrackApp.Remembered(None, ()))
    assert app.history_ready


async def test_the_first_frame_says_the_file_is_being_read(monkeypatch):
    import threading

    import negotrack.tui.loading as app_module

    release = threading.Event()
    real_read = app_module.read_catalog

    def slow_read(path):  # noqa: ANN001, ANN202 - stands in for a big file
        release.wait(10)
        return real_read(path)

    monkeypatch.setattr(app_module, "read_catalog", slow_read)
    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert header(pilot.app).startswith("Reading dash.yaml")
        release.set()
        app = await started(pilot)
        assert "Round 3 of 3" in header(app)


async def test_quotes_not_in_their_archived_report_are_listed_and_the_detail_shows_a_quote_in_context(tmp_path):
    path = tmp_path / "positions.yaml"
    text = DASH.read_text()
    text = text.replace("    url: https://example.org/talks-open\n",
                        "    url: https://example.org/talks-open\n    archive: wire-1.txt\n")
    text = text.replace("  wire-2:\n    outlet: Wire Two\n", "  wire-2:\n    outlet: Wire Two\n    archive: wire-2.txt\n")
    text = text.replace("          status: proposal\n", "          status: proposal\n          quote: a temporary pause\n          source: wire-2\n")
    path.write_text(text)
    (tmp_path / "wire-1.txt").write_text("Talks open in Doha.\n")
    (tmp_path / "wire-2.txt").write_text("Paris, 1 February. Beta now offers a temporary truce. Alpha holds out.\n")
    async with app_for(path).run_test(size=(140, 40)) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: app.warnings)
        assert [w.severity for w in app.warnings] == ["warning"]  # the mediator's r3 quote is not in wire-2
        await pilot.press("left_square_bracket")
        app.query_one(Matrix).select("truce", "beta")
        await pilot.pause()
        body = shown(app.query_one(DetailPane).query_one("#detail-body"))
        assert "In the archived report: Paris, 1 February. Beta now offers a temporary truce. Alpha holds out." in body
        await pilot.press("E")
        assert isinstance(app.screen, ErrorScreen)
        listed = shown(app.screen.query_one("#errors-body"))
        assert "warning:" in listed and "is not in the archived text of `wire-2`" in listed


async def test_the_chosen_theme_is_remembered():
    async with app_for(DASH).run_test(size=(100, 30)) as pilot:
        app = await started(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
    again = app_for(DASH)
    async with again.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert again.theme == "nord"


async def test_worker_messages_that_arrive_while_the_dashboard_is_taken_down_are_ignored():
    """Seen in the cold-start bench, which quits at the first frame: the whole analysis arrived
    after the matrix had gone, and showing it raised NoMatches."""
    from negotrack.store.analysis import analyze

    async with app_for(DASH).run_test(size=(120, 40)) as pilot:
        app = await started(pilot)
        await until(pilot, lambda: app.analysis.complete)
        for widget in (Matrix, DetailPane, Banner, RoundHeader):
            await app.query_one(widget).remove()
        whole = analyze(app.analysis.catalog)
        app.on_negotrack_app_analysed(NegotrackApp.Analysed(whole, []))
        app.on_negotrack_app_loaded(NegotrackApp.Loaded(whole.catalog, whole, [], []))
        app._show_cell_history((app.state.round_id, app.state.party_id, app.state.demand_id), [])
        await pilot.pause()
        assert app.is_running and app.analysis is whole
