"""A round's whole account: summary in full, status, sources, and what changed in sentences."""

from __future__ import annotations

import pytest

from negotrack.store.text import one_line
from negotrack.tui.screens.round_account import RoundAccountScreen

from screens_support import Host, analysis_of, content_lines, screen_lines


def account(app) -> list[str]:  # noqa: ANN001
    return content_lines(app.screen.query_one("#account-body"))


def flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_summary_is_shown_whole_with_title_date_venue_and_sources(size):
    analysis = analysis_of()
    summary = one_line(analysis.catalog.rounds[0].summary)
    assert len(summary) > 200  # longer than any header line
    async with Host(RoundAccountScreen(analysis, "cairo")).run_test(size=size) as pilot:
        lines = account(pilot.app)
        assert all(len(line) <= size[0] for line in lines)
        text = flat(lines)
        assert summary in text
        assert "Round 1 of 4" in text and "2024-01-10" in text and "Cairo" in text
        assert "Talks open in Cairo" in text
        assert "reported: a report says these talks took place" in text
        # its source: outlet, date, title and url
        assert "A wire service, 2024-01-10 — “Talks open in Cairo”" in text
        url = analysis.catalog.source("wire").url
        assert len(url) > 120 and url in "".join(line.strip() for line in lines)  # broken, never cut
        assert "…" not in text


async def test_what_changed_is_said_in_the_exports_sentences_with_claims_as_whose_account():
    analysis = analysis_of()
    async with Host(RoundAccountScreen(analysis, "paris")).run_test(size=(120, 36)) as pilot:
        text = flat(account(pilot.app))
        assert ("حماس (Hamas) (a senior official) moved toward the other side on Ceasefire: "
                "from permanent ceasefire to phased, then permanent.") in text
        # a claim is said as one side's account, never as the other's statement
        assert "According to حماس (Hamas), ישראל (Israel) moved toward the other side" in text
        assert "The gap on Ceasefire narrowed: from 0.67 to 0.33." in text
        assert "account of: حماس (Hamas)" in text  # the source's own account
        assert "https://example.org/mayadeen/2024-02-25" in text


@pytest.mark.parametrize(("round_id", "said"), [
    ("doha", "◌ announced: a report says these talks will take place; none yet says they did"),
    ("later", "◌ inferred: this catalog's own dating or placing of talks the reports speak of"),
])
async def test_rounds_no_report_confirms_are_marked_and_explained(round_id, said):
    analysis = analysis_of()
    async with Host(RoundAccountScreen(analysis, round_id)).run_test(size=(100, 30)) as pilot:
        assert said in flat(account(pilot.app))


async def test_a_round_where_nothing_changed_says_so():
    analysis = analysis_of()
    async with Host(RoundAccountScreen(analysis, "later")).run_test(size=(100, 30)) as pilot:
        text = flat(account(pilot.app))
        assert "Nothing changed since Doha." in text
        assert "No source named for this round." in text


async def test_it_scrolls_at_once_brackets_read_the_next_round_and_escape_gives_back_the_round():
    analysis = analysis_of()
    async with Host(RoundAccountScreen(analysis, "cairo")).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        scroll = app.screen.query_one("#account-scroll")
        assert scroll.has_focus and scroll.max_scroll_y > 0
        await pilot.press("j")
        assert scroll.scroll_y == 1
        await pilot.press("right_square_bracket")
        assert "Round 2 of 4" in flat(account(app)) and scroll.scroll_y == 0
        assert "[ Prev round" in screen_lines(app)[-1]
        await pilot.press("left_square_bracket", "left_square_bracket")  # the second is past the first
        assert "Round 1 of 4" in flat(account(app))
        await pilot.press("right_square_bracket", "escape")
        assert app.results == ["paris"]
