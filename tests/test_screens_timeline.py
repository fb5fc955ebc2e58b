"""The timeline: a chart as wide as the window, rounds named on its axis, round ticks, marks
for claims and unconfirmed rounds, and every position whole."""

from __future__ import annotations

import math
import re

import pytest

from negotrack.tui.screens.timeline import TimelineScreen, chart, nice_step, ticks

from screens_support import Host, analysis_of, content_lines, whole

WITHDRAWAL = "complete withdrawal from every part of the Gaza Strip, at once"


def is_nice(step: float) -> bool:
    """1, 2 or 5 times a power of ten."""
    power = 10 ** math.floor(math.log10(step))
    return any(math.isclose(step, m * power) for m in (1, 2, 5, 10))


@pytest.mark.parametrize(("low", "high", "integer"), [
    (100, 5357, True), (3, 13, True), (1, 1, True), (0, 3, True), (4500, 50000, True),
    (0.2, 0.93, False), (-40, 75, True),
])
def test_ticks_are_round_numbers_around_the_data(low, high, integer):
    marks = ticks(low, high, 5, integer)
    step = marks[1] - marks[0]
    assert marks[0] <= low and marks[-1] >= high
    assert is_nice(step) and all(math.isclose(b - a, step) for a, b in zip(marks, marks[1:]))
    assert all(math.isclose(m / step, round(m / step)) for m in marks)
    assert 2 <= len(marks) <= 11
    if integer:
        assert step >= 1 and all(float(m).is_integer() for m in marks)


def test_whole_numbers_never_get_a_tick_between_two_units():
    assert nice_step(3, 5, integer=True) == 1


def chart_lines(app) -> list[str]:  # noqa: ANN001
    return content_lines(app.screen.query_one("#timeline-graph"))


def axis_parts(lines: list[str]) -> tuple[list[str], str, str]:
    """The tick labels, the line of round names and the line of dates under the axis."""
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    labels = [m.group(1) for line in lines[:axis] if (m := re.match(r"\s*(\S[^┤]*?) ┤", line))]
    return labels, lines[axis + 1], lines[axis + 2]


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_the_chart_uses_the_width_names_the_rounds_and_ticks_on_round_numbers(width):
    analysis = analysis_of()
    async with Host(TimelineScreen(analysis, "prisoners", "paris")).run_test(size=(width, 40)) as pilot:
        lines = chart_lines(pilot.app)
        assert all(len(line) <= width for line in lines)
        axis = next(line for line in lines if "└" in line)
        assert len(axis.rstrip()) >= width * 0.8  # the chart spans the window, not 21 columns
        labels, names, dates = axis_parts(lines)
        values = [int(label.replace(",", "")) for label in labels]  # whole numbers, in the unit
        assert values == sorted(values, reverse=True)
        step = values[0] - values[1]
        assert is_nice(step) and all(v % step == 0 for v in values)
        assert values[-1] <= 100 and values[0] >= 5357  # from the lowest to the highest position
        for name in ("Cairo", "Paris", "Doha"):
            assert name in names
        assert "◌" in names  # Doha is announced, `later` inferred
        assert names.index("Cairo") < names.index("Paris") < names.index("Doha")
        assert "01-10" in dates and "02-25" in dates


async def test_claims_are_lowercase_and_unconfirmed_rounds_dotted_in_the_chart():
    analysis = analysis_of()
    lines = [line for line in chart(analysis, "prisoners", "paris", 120).plain.split("\n")]
    plot = lines[: next(i for i, line in enumerate(lines) if "└" in line)]
    # Israel (B) in Cairo, then its Paris position as Hamas tells it (b), carried after
    assert any("B" in line for line in plot) and any("b" in line for line in plot)
    assert any("┊" in line for line in plot)
    key = "\n".join(lines)
    assert "A حماس (Hamas)" in key and "B ישראל (Israel)" in key
    assert "lowercase: a claim" in key and "announced or inferred" in key


async def test_a_scale_demand_has_its_stances_on_the_axis_and_text_has_no_chart():
    analysis = analysis_of()
    scale = chart(analysis, "ceasefire", "paris", 100).plain
    assert "permanent ceasefire ┤" in scale and "temporary truce ┤" in scale
    assert "no chart" in chart(analysis, "withdrawal", "paris", 100).plain


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 50)])
async def test_every_position_is_whole_and_claims_and_statuses_are_marked_in_the_table(size):
    analysis = analysis_of()
    async with Host(TimelineScreen(analysis, "withdrawal", "paris")).run_test(size=size) as pilot:
        rows = content_lines(pilot.app.screen.query_one("#timeline-rows"))
        assert all(len(line) <= size[0] for line in rows)
        assert whole(WITHDRAWAL, rows)
        assert whole("no withdrawal while captives are held", rows)
        text = "\n".join(rows)
        assert "announced" in text and "inferred" in text and "▶ 2024-02-25" in text
    async with Host(TimelineScreen(analysis, "prisoners", "paris")).run_test(size=size) as pilot:
        text = "\n".join(content_lines(pilot.app.screen.query_one("#timeline-rows")))
        assert "» per حماس (Hamas)" in text


async def test_it_scrolls_at_once_and_escape_closes():
    analysis = analysis_of()
    async with Host(TimelineScreen(analysis, "prisoners", "paris")).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        scroll = app.screen.query_one("#timeline-scroll")
        assert scroll.has_focus and scroll.max_scroll_y > 0
        await pilot.press("j", "end")
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("escape")
        assert not isinstance(app.screen, TimelineScreen)


def many_rounds(count: int, venues: tuple[str, ...]) -> str:
    rounds = "".join(
        f"  - id: r{i}\n    date: 2024-{1 + (i - 1) // 28:02d}-{1 + (i - 1) % 28:02d}\n"
        f"    venue: {venues[i % len(venues)]}\n"
        f"    positions:\n      a: {{n: {i}}}\n      b: {{n: {200 - i}}}\n"
        for i in range(1, count + 1))
    return ("title: Many rounds\nparties:\n  a:\n    name: 北京代表团\n  b:\n    name: Genève\n"
            "demands:\n  n:\n    title: Number\n    unit: things\nrounds:\n" + rounds)


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("venues", [("Geneva", "Doha", "Cairo"), ("北京", "Genève", "القاهرة")])
def test_with_many_rounds_each_label_stands_under_its_tick_and_nothing_overflows(width, venues):
    from rich.cells import cell_len

    from negotrack.store import parse_catalog
    from negotrack.store.analysis import analyze

    catalog, problems = parse_catalog(many_rounds(120, venues), "many.yaml")
    assert not problems
    lines = chart(analyze(catalog), "n", "r100", width).plain.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    assert "rounds" in "\n".join(lines) and "of 120 shown" in "\n".join(lines)
    ticks_at = [x for x, char in enumerate(lines[axis]) if char == "┬"]
    assert len(ticks_at) >= 3
    if venues[0] == "Geneva":  # one cell per character: columns are string indexes
        names, dates = lines[axis + 1], lines[axis + 2]
        for x in ticks_at:
            assert names[x] != " " and dates[x] != " ", x  # a name and a date over each other
        assert "2024-04-16" in dates  # the current round (r100) is always labelled
