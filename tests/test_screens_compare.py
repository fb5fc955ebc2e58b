"""Two rounds side by side: the dialog that picks them and the screen that compares them."""

from __future__ import annotations

import pytest

from negotrack.tui.screens.compare import CompareDialog, CompareScreen, RoundsChoice

from screens_support import Host, analysis_of, content_lines, screen_lines, whole

WITHDRAWAL = "complete withdrawal from every part of the Gaza Strip, at once"


def body(app) -> list[str]:  # noqa: ANN001
    return content_lines(app.screen.query_one("#compare-body"))


def head(app) -> str:  # noqa: ANN001
    return "\n".join(content_lines(app.screen.query_one("#compare-head")))


def row(lines: list[str], *needles: str) -> str:
    """The one line holding every needle."""
    found = [line for line in lines if all(n in line for n in needles)]
    assert len(found) == 1, (needles, found)
    return found[0]


async def test_both_rounds_each_partys_position_in_each_and_the_shift_between():
    analysis = analysis_of()
    async with Host(CompareScreen(analysis, "cairo", "paris")).run_test(size=(120, 36)) as pilot:
        app = pilot.app
        assert isinstance(app.screen, CompareScreen)
        assert "2024-01-10 Cairo" in head(app) and "2024-02-25 Paris" in head(app)
        lines = body(app)
        headers = [line for line in lines if "Cairo, 2024-01-10" in line and "Paris, 2024-02-25" in line]
        assert len(headers) == 4  # each demand's block names the two rounds, with their dates
        hamas = row(lines, "حماس (Hamas)", "permanent ceasefire")
        assert hamas.index("permanent ceasefire") < hamas.index("→ phased, then permanent")
        assert "toward" in hamas
        assert "100 prisoners" in row(lines, "ישראל (Israel)", "→ 400 prisoners")
        assert "+ phased, then permanent" in row(lines, "Qatar", "(mediator)")
        # the claim is marked, with whose account it is
        assert any("» per حماس (Hamas)" in line for line in lines)
        # the gap in each round and how it changed between them
        assert any("0.67 apart → 0.33 apart" in line and "↘ closing" in line for line in lines)
        assert any("5,257 prisoners apart → 2,600 prisoners apart" in line for line in lines)
        assert "4 positions changed on 2 of 4 demands" in head(app)


async def test_c_keeps_only_what_changed_and_says_so():
    analysis = analysis_of()
    async with Host(CompareScreen(analysis, "cairo", "paris")).run_test(size=(120, 36)) as pilot:
        app = pilot.app
        text = "\n".join(body(app))
        assert "Israeli withdrawal" in text and "Guarantees" in text
        assert "changed only" not in head(app)
        await pilot.press("c")
        text = "\n".join(body(app))
        assert "Ceasefire" in text and "Prisoners for all captives" in text
        assert "Israeli withdrawal" not in text and "Guarantees" not in text
        assert "temporary truce" not in text  # Israel's carried ceasefire row is gone too
        assert "changed only (c)" in head(app)
        await pilot.press("c")
        assert "Guarantees" in "\n".join(body(app))
        assert "changed only" not in head(app)


async def test_nothing_changed_is_said_not_left_blank():
    analysis = analysis_of()
    async with Host(CompareScreen(analysis, "doha", "later")).run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert "Nothing changed between these two rounds." in "\n".join(body(pilot.app))


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 50)])
async def test_readable_at_every_size_stances_whole_and_no_line_wider(size):
    analysis = analysis_of()
    async with Host(CompareScreen(analysis, "cairo", "paris")).run_test(size=size) as pilot:
        app = pilot.app
        lines = body(app)
        assert all(len(line) <= size[0] for line in lines)
        assert whole(WITHDRAWAL, lines)
        assert whole("phased, then permanent", lines)
        shown = screen_lines(app)
        assert len(shown) == size[1] and all(len(line) == size[0] for line in shown)
        assert "Close" in shown[-1] and "Changed only" in shown[-1]  # its own footer


async def test_the_body_scrolls_with_reading_keys_and_escape_closes():
    analysis = analysis_of()
    async with Host(CompareScreen(analysis, "cairo", "paris")).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        scroll = app.screen.query_one("#compare-scroll")
        assert scroll.has_focus and scroll.max_scroll_y > 0
        await pilot.press("j", "j")
        assert scroll.scroll_y == 2
        await pilot.press("G")
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_the_dialog_defaults_to_the_previous_and_current_round_and_compares_on_enter():
    analysis = analysis_of()
    dialog = CompareDialog(analysis.catalog, None, "doha")
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        assert pilot.app.results == [RoundsChoice("paris", "doha", pin=False)]


async def test_the_dialog_pins_a_baseline_on_b_and_puts_the_earlier_round_first():
    analysis = analysis_of()
    dialog = CompareDialog(analysis.catalog, "cairo", "paris")
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        # the first list starts on the pinned baseline; move it after the second
        await pilot.press("down", "down", "b")
        assert pilot.app.results == [RoundsChoice("paris", "doha", pin=True)]


async def test_the_dialog_refuses_one_round_twice():
    analysis = analysis_of()
    dialog = CompareDialog(analysis.catalog, None, "paris")
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter", "enter")  # cairo -> paris, then paris again
        assert pilot.app.results == [] and pilot.app.screen is dialog
        await pilot.press("escape")
        assert pilot.app.results == [None]
