"""The matrix widget itself: what it draws, scrolling with fixed columns, mouse, cursor."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from negotrack.tui.app import NegotrackApp
from negotrack.tui.widgets.matrix import DEMAND_KEY, GAP_KEY, Matrix
from negotrack.tui.widgets.panels import DetailPane

from support import DATA, Nudge, until

PARTIES = ["alpha", "beta", "gamma", "delta", "epsilon"]
NAMES = {"alpha": "Alpha", "beta": "Beta", "gamma": "غزة Gamma", "delta": "דלתא Delta", "epsilon": "全角 Epsilon"}


def wide_catalog(path: Path, demands: int = 30) -> Path:
    """Five parties (names in Arabic, Hebrew and wide CJK), `demands` scale demands, two rounds."""
    lines = ["format: 1", "title: Wide talks", "parties:"]
    for pid in PARTIES:
        lines += [f"  {pid}:", f"    name: {NAMES[pid]}"]
    lines.append("demands:")
    for d in range(demands):
        lines += [f"  d{d}:", f"    title: Demand {d}", "    scale: [none, some, all]"]
    lines.append("rounds:")
    for r, (date, stance) in enumerate([("2024-01-01", "none"), ("2024-02-01", "some")]):
        lines += [f"  - id: r{r + 1}", f"    date: {date}", "    positions:"]
        for p, pid in enumerate(PARTIES):
            lines.append(f"      {pid}:")
            for d in range(demands):
                lines.append(f"        d{d}: {stance if (p + d) % 2 else 'all'}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def opened(pilot) -> tuple[NegotrackApp, Matrix]:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None)
    await pilot.pause()
    return app, app.query_one(Matrix)


def drawn(matrix: Matrix) -> list[str]:
    """The matrix's lines as the screen gets them."""
    return [matrix.render_line(y).text for y in range(matrix.scrollable_content_region.height)]


async def test_every_line_is_exactly_as_wide_as_the_widget_with_wide_and_rtl_names(tmp_path):
    app = NegotrackApp(str(wide_catalog(tmp_path / "w.yaml")), history=False, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        _, matrix = await opened(pilot)
        width = matrix.scrollable_content_region.width
        for y in range(matrix.scrollable_content_region.height):
            assert matrix.render_line(y).cell_length == width
        header = drawn(matrix)[0]
        assert header.lstrip().startswith("Demand") and "Gap" in header


async def test_demand_and_gap_stay_in_place_while_the_parties_scroll_sideways(tmp_path):
    app = NegotrackApp(str(wide_catalog(tmp_path / "w.yaml")), history=False, watch=False)
    async with app.run_test(size=(60, 24)) as pilot:
        _, matrix = await opened(pilot)
        assert "Epsilon" not in drawn(matrix)[0]  # five sides do not fit in 60 columns
        matrix.focus()
        for _ in range(len(PARTIES) + 1):  # from the demand column, past the gap
            await pilot.press("l")
        await pilot.pause()
        assert matrix.selected() == ("d0", "epsilon")
        assert matrix.scroll_x > 0
        lines = drawn(matrix)
        header = matrix._layout.header_height
        assert "Epsilon" in " ".join(lines[:header])  # a long name takes a second header line
        assert lines[0].lstrip().startswith("Demand")  # fixed columns did not scroll away
        assert lines[header].lstrip().startswith("Demand 0")


async def test_the_cursor_row_is_kept_in_view_and_the_header_stays_on_top(tmp_path):
    app = NegotrackApp(str(wide_catalog(tmp_path / "w.yaml")), history=False, watch=False)
    async with app.run_test(size=(100, 24)) as pilot:
        _, matrix = await opened(pilot)
        matrix.focus()
        for _ in range(29):
            await pilot.press("j")
        await pilot.pause()
        assert matrix.selected()[0] == "d29"
        assert matrix.scroll_y > 0
        lines = drawn(matrix)
        assert lines[0].lstrip().startswith("Demand")
        assert any(line.lstrip().startswith("Demand 29") for line in lines[1:])
        await pilot.press("pageup")
        assert matrix.cursor_coordinate.row < 29


async def test_a_click_selects_the_cell_under_the_mouse():
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        _, matrix = await opened(pilot)
        column = matrix.column_keys.index("beta")
        x = sum(c.width + 2 for c in matrix._layout.columns[:column]) + 2
        y = 1 + matrix._layout.tops[2] + matrix._layout.heights[2] - 1  # the last line of the third row
        assert await pilot.click(Matrix, offset=(x, y))  # line 0 is the header
        await pilot.pause()
        assert matrix.selected() == ("guarantees", "beta")
        assert await pilot.click(Matrix, offset=(2, 1))
        await pilot.pause()
        assert matrix.selected() == ("truce", None)
        assert matrix.column_keys[:2] == [DEMAND_KEY, GAP_KEY]


async def test_the_detail_pane_grows_and_shrinks_with_what_it_shows():
    """The pane skips layout passes when its height is unchanged: it must still resize when not."""
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(size=(140, 40)) as pilot:
        app, matrix = await opened(pilot)
        body = app.query_one(DetailPane).query_one("#detail-body")

        def fits() -> bool:
            return body.size.height == body.get_content_height(body.size, app.size, body.size.width)

        heights = set()
        for demand, party in [("truce", None), ("truce", "beta"), ("guarantees", None),
                              ("ratio", "alpha"), ("ratio", "beta"), ("truce", None)]:
            matrix.select(demand, party)
            if party is None:
                matrix.cursor_coordinate = matrix.cursor_coordinate._replace(column=0)
            await until(pilot, lambda: app.selection.demand_id == demand and app.selection.party_id == party)
            await pilot.pause()
            assert fits(), (demand, party, body.size.height)
            heights.add(body.size.height)
        assert len(heights) > 2  # the walk did change the pane's height


async def test_a_round_prepared_ahead_shows_exactly_what_a_fresh_build_shows():
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app, matrix = await opened(pilot)
        assert app.current_round_id() == "r3"
        await until(pilot, lambda: any(key[1] == "r2" for key in matrix._prepared))
        key = next(key for key in matrix._prepared if key[1] == "r2")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.current_round_id() == "r2"
        assert matrix._shown_key == key and key not in matrix._prepared  # the prepared one was used
        prepared = drawn(matrix)
        matrix._prepared.clear()
        matrix._shown_key = None
        matrix.show(app.matrix_view(app.round_index))  # built from scratch
        await pilot.pause()
        assert drawn(matrix) == prepared
        assert "→‡ temporary\n   was: pause" in matrix.get_cell("truce", "beta").plain


async def test_a_pinned_baseline_is_part_of_what_was_prepared():
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app, matrix = await opened(pilot)

        async def press(key: str) -> None:
            await pilot.press(key)
            await until(pilot, lambda: app._prefetch_timer is None)  # the rounds either side are prepared
            await pilot.pause()

        await press("left_square_bracket")  # r2: r3 is prepared without a baseline
        assert any(key[1] == "r3" and key[2] is None for key in matrix._prepared)
        await press("left_square_bracket")  # r1
        await press("b")  # pin r1
        await press("right_square_bracket")  # r2
        await press("right_square_bracket")  # r3, now measured from r1
        assert app.current_round_id() == "r3" and app.baseline == "r1"
        # beta said nothing new in r3 (carried), but from r1 its truce moved pause -> temporary
        assert matrix.get_cell("truce", "beta").plain == "→‡ temporary\n   was: pause"
        fresh = matrix._layout_of(app.matrix_view(app.round_index))
        assert matrix._layout.rows == fresh.rows


async def test_resizing_restacks_the_panes_and_reshares_the_columns():
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(size=(140, 30)) as pilot:
        app, matrix = await opened(pilot)
        detail = app.query_one(DetailPane)
        wide = matrix.column_width("beta")
        assert not app.screen.has_class("-narrow")
        assert detail.region.x > matrix.region.x  # beside the matrix
        await pilot.resize_terminal(95, 24)
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        assert not detail.display  # a narrow window gives the matrix the room, until `d`
        await pilot.press("d")
        await pilot.pause()
        assert detail.display and detail.region.y > matrix.region.y  # under it
        await pilot.resize_terminal(200, 40)
        await pilot.pause()
        assert not app.screen.has_class("-narrow")
        assert matrix.column_width("beta") >= wide  # the parties kept (or got) their room
        assert all(matrix.render_line(y).cell_length == matrix.scrollable_content_region.width
                   for y in range(matrix.scrollable_content_region.height))


def many_rounds(path: Path, rounds: int = 120) -> Path:
    lines = ["format: 1", "title: Long talks", "parties:", "  a:", "    name: A", "  b:", "    name: B",
             "demands:", "  d:", "    title: D", "    scale: [no, yes]", "rounds:"]
    for r in range(rounds):
        lines += [f"  - id: r{r}", f"    date: {date(2020, 1, 1) + timedelta(days=r)}",
                  "    positions:", "      a:", f"        d: {'yes' if r % 2 else 'no'}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_the_strip_of_rounds_is_windowed_around_the_current_round(tmp_path):
    from negotrack.tui.widgets.panels import RoundHeader

    app = NegotrackApp(str(many_rounds(tmp_path / "long.yaml")), history=False, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app, _ = await opened(pilot)
        header = app.query_one(RoundHeader)

        def strip() -> str:
            return str(header.content.renderables[1])

        width = header.content_region.width
        at_end = strip()
        assert len(at_end) <= width and at_end.startswith("…") and "●" in at_end
        assert at_end.split("  ")[0].endswith("●")  # the last round is the last dot
        await pilot.press("home")
        at_start = strip()
        assert at_start.startswith("●") and at_start.split("  ")[0].endswith("…")
        for _ in range(60):
            await pilot.press("right_square_bracket")
        middle = strip().split("  ")[0]
        assert middle.startswith("…") and middle.endswith("…") and middle.count("●") == 1
        assert len(strip()) <= width


def tall_and_short_catalog(path: Path) -> Path:
    """Two parties, eight free-text demands: round r1's stances are one word, r2's wrap to
    several lines each, so r2's rows need more lines than the screen has and r1's do not."""
    lines = ["format: 1", "title: Tall and short", "parties:",
             "  alpha:", "    name: Alpha", "  beta:", "    name: Beta", "demands:"]
    for d in range(8):
        lines += [f"  d{d}:", f"    title: Demand {d}"]
    lines.append("rounds:")
    long = " ".join(["every word of a long stance that wraps"] * 6)
    for rid, day, stance in (("r1", "2024-01-01", "yes"), ("r2", "2024-02-01", long)):
        lines += [f"  - id: {rid}", f"    date: {day}", "    positions:"]
        for pid in ("alpha", "beta"):
            lines.append(f"      {pid}:")
            lines += [f"        d{d}: {stance} {d}" for d in range(8)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_a_round_taller_or_shorter_than_the_screen_gets_its_scroll_range_and_scrollbar(tmp_path):
    """A round switch updates the scroll range without a layout pass of the whole screen
    (Matrix._set_virtual_size); the scrollbar must still come and go with it."""
    app = NegotrackApp(str(tall_and_short_catalog(tmp_path / "t.yaml")), history=False, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app, matrix = await opened(pilot)
        assert app.current_round_id() == "r2"

        def state() -> tuple[bool, int, int]:
            layout = matrix._layout
            return (matrix.show_vertical_scrollbar, layout.line_count + layout.header_height,
                    matrix.scrollable_content_region.height)

        tall, lines, height = state()
        assert tall and lines > height and matrix.max_scroll_y == lines - height
        await pilot.press("left_square_bracket")
        await pilot.pause()
        short, lines, height = state()
        assert app.current_round_id() == "r1"
        assert not short and lines <= height and matrix.max_scroll_y == 0
        # the columns use the width the scrollbar gave back, and every line fills it
        assert matrix.scrollable_content_region.width == matrix.size.width
        assert all(matrix.render_line(y).cell_length == matrix.size.width for y in range(height))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        tall, lines, height = state()
        assert tall and matrix.max_scroll_y == lines - height
        assert matrix.scrollable_content_region.width < matrix.size.width
        for _ in range(7):  # down to the last demand: its row is scrolled into view, whole
            await pilot.press("down")
        await pilot.pause()
        assert matrix.scroll_y == matrix.max_scroll_y
        shown = drawn(matrix)
        assert shown[-4].lstrip().startswith("Demand 7") and shown[-1].split() == ["was:", "yes", "7"] * 2


async def test_the_prefetch_gives_way_to_a_waiting_key_and_draws_one_round_per_turn():
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app, matrix = await opened(pilot)
        await pilot.press("left_square_bracket")  # r2: r1 and r3 are either side
        await until(pilot, lambda: app._prefetch_timer is None)
        matrix._prepared.clear()

        def prepared() -> set[str]:
            return {key[1] for key in matrix._prepared}

        # a key waits, in the app's queue or bubbling up from the focused matrix to the App
        # (every other queue empty between two hops): the prefetch goes after it
        assert app.focused is matrix
        for pump in (app, matrix, matrix.parent):
            pump.post_message(Nudge())
            app._prefetch()
            assert app._prefetch_timer is not None and not prepared(), pump
            app._prefetch_timer.stop()
            await pilot.pause()  # the nudge goes its way
        assert not any(p.message_queue_size for p in (app, matrix, matrix.parent))
        app._prefetch()  # one round per turn: the one before first
        assert prepared() == {"r1"} and app._prefetch_timer is not None
        app._prefetch_timer.stop()
        app._prefetch(1)
        assert prepared() == {"r1", "r3"} and app._prefetch_timer is not None
        app._prefetch_timer.stop()
        app._prefetch(2)  # then the heap, and nothing left to do
        assert app._prefetch_timer is None


def test_the_prefetch_timer_firing_as_the_app_quits_finds_nothing_waiting():
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    assert not app.screen_stack  # as after the last screen is gone
    assert app._input_waiting() is False
    app._prefetch()  # nothing to draw into, nothing raised
