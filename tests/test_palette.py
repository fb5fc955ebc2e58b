"""Pilot tests of the command palette's "go to" entries (tui/palette.py): a few rounds, demands and
parties with nothing typed, the best few matches to a query, catalog text shown as plain text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.command import CommandList, CommandPalette

from negotrack.tui.app import NegotrackApp
from negotrack.tui.palette import MAX_HITS, ROUNDS_AROUND, around
from negotrack.tui.widgets.matrix import Matrix

from support import until

#: the round far from the last one (the app opens on the last), with a venue and a title no other has
FAR = 17
START = dt.date(2020, 1, 1)


def rounds_catalog(path: Path, rounds: int = 300, titles: dict[int, str] | None = None,
                   demand_title: str = "Truce") -> Path:
    """`rounds` rounds two days apart from 2020-01-01 (ids r001, r002, ...), venues Cairo and
    Paris, but round FAR in Reykjavik; three demands and three parties."""
    titles = titles or {}
    lines = ["format: 1", "title: Many rounds", "parties:",
             "  alpha:", "    name: Alpha", "  beta:", "    name: Beta", "  mediator:", "    name: Mediator",
             "    role: mediator", "demands:",
             "  truce:", f"    title: {_quoted(demand_title)}", "    scale: [none, pause, permanent]",
             "  border:", "    title: Border crossings", "  aid:", "    title: Aid trucks", "rounds:"]
    for i in range(rounds):
        venue = "Reykjavik" if i == FAR else ("Cairo", "Paris")[i % 2]
        title = titles.get(i, "Glacier summit" if i == FAR else f"Session {i + 1}")
        lines += [f"  - id: r{i + 1:03}", f"    date: {START + dt.timedelta(days=2 * i)}", f"    venue: {venue}",
                  f"    title: {_quoted(title)}", "    positions:", "      alpha:",
                  f"        truce: {('none', 'pause', 'permanent')[i % 3]}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def app_for(path: Path) -> NegotrackApp:
    return NegotrackApp(str(path), history=False, watch=False)


async def started(pilot) -> NegotrackApp:
    app = pilot.app
    await until(pilot, lambda: app.analysis is not None)
    await pilot.pause()
    return app


def _settled(app: NegotrackApp, typed: str) -> bool:
    """The palette is open, shows what was typed, and has finished gathering hits for it."""
    screen = app.screen
    if not isinstance(screen, CommandPalette) or screen.query_one("CommandInput").value != typed:
        return False
    gathering = CommandPalette._GATHER_COMMANDS_GROUP
    return not any(w.group == gathering and not w.is_finished for w in screen.workers)


async def palette(pilot, typed: str = "") -> list:
    """Open the palette if it is not open, type `typed` in it, and return its entries once listed."""
    app = pilot.app
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")
    for char in typed:
        await pilot.press("space" if char == " " else char)
    await until(pilot, lambda: _settled(app, typed))
    await pilot.pause()
    return list(app.screen.query_one(CommandList).options)


def texts(options: list, kind: str = "") -> list[str]:
    """The plain text of the entries (the hit's, what selecting it types), those of a kind."""
    return [o.hit.text for o in options if o.hit.text.startswith(f"Go to {kind}")] if kind else \
        [o.hit.text for o in options]


def round_label(i: int, title: str | None = None) -> str:
    venue = "Reykjavik" if i == FAR else ("Cairo", "Paris")[i % 2]
    title = title or ("Glacier summit" if i == FAR else f"Session {i + 1}")
    return f"Go to round: {START + dt.timedelta(days=2 * i)} {venue} {title}"


def test_around_is_the_current_one_a_few_either_side_and_the_ends():
    assert around(0, 0, 5) == []
    assert around(3, 2, 5) == [0, 1, 2]
    assert around(300, 299, 5) == [0, *range(294, 300)]
    assert around(300, 150, 5) == [0, *range(145, 156), 299]
    assert around(300, 999, 2) == [0, 297, 298, 299]  # clamped


async def test_discovery_lists_a_few_rounds_around_the_shown_one(tmp_path):
    async with app_for(rounds_catalog(tmp_path / "c.yaml")).run_test(size=(140, 45)) as pilot:
        app = await started(pilot)
        assert app.current_round_id() == "r300"
        rounds = texts(await palette(pilot), "round")
        assert rounds == [round_label(i) for i in [0, *range(300 - ROUNDS_AROUND - 1, 300)]]  # date order
        await pilot.press("escape")
        app._go_to_round(150)
        await pilot.pause()
        options = await palette(pilot)
        rounds = texts(options, "round")
        assert rounds == [round_label(i) for i in [0, *range(150 - ROUNDS_AROUND, 150 + ROUNDS_AROUND + 1), 299]]
        shown = [o.prompt.plain for o in options if "(shown)" in o.prompt.plain]
        assert len(shown) == 1 and shown[0].startswith(round_label(150)) and "round 151 of 300: r151" in shown[0]
        # the actions are all still listed, and first: the "go to" entries follow them
        assert {"Next round", "Previous round", "Timeline", "Draft from an article…"} <= set(texts(options))
        kinds = [t.startswith("Go to ") for t in texts(options)]
        assert kinds == sorted(kinds) and not kinds[0] and kinds[-1]
        # whatever order the providers deliver them in: Textual sorts the list by score
        actions = [o.hit.score for o in options if not o.hit.text.startswith("Go to ")]
        go_to = [o.hit.score for o in options if o.hit.text.startswith("Go to ")]
        assert max(go_to) < min(actions)


async def test_typing_a_venue_date_or_id_finds_a_far_round_and_enter_goes_there(tmp_path):
    far = round_label(FAR)
    async with app_for(rounds_catalog(tmp_path / "c.yaml")).run_test(size=(140, 45)) as pilot:
        app = await started(pilot)
        assert far not in texts(await palette(pilot))  # not listed until asked for
        assert texts(await palette(pilot, "reykjavik"))[0] == far
        await pilot.press("enter")
        await until(pilot, lambda: app.current_round_id() == "r018")
        assert not isinstance(app.screen, CommandPalette)
        app._go_to_round(299)
        await pilot.pause()
        date = str(START + dt.timedelta(days=2 * 200))
        assert texts(await palette(pilot, date))[0] == round_label(200)
        await pilot.press("escape")
        options = await palette(pilot, "r123")  # by its id, shown in the help line
        assert options[0].hit.text == round_label(122)
        assert options[0].prompt.plain.endswith("round 123 of 300: r123")
        await pilot.press("enter")
        await until(pilot, lambda: app.current_round_id() == "r123")


async def test_a_query_matching_every_round_lists_only_the_best_few(tmp_path):
    async with app_for(rounds_catalog(tmp_path / "c.yaml")).run_test(size=(140, 45)) as pilot:
        app = await started(pilot)
        # every round's date has "20", and every round's entry says "round"
        for query in ("20", "round"):
            options = await palette(pilot, query)
            assert len(texts(options, "round")) == MAX_HITS
            assert len([t for t in texts(options) if t.startswith("Go to ")]) == MAX_HITS
            await pilot.press("escape")
        # the query put in at once, so matched against every round: the rounds of March 2020
        # first, in date order, then the best of the rounds it matches loosely
        await pilot.press("ctrl+p")
        await until(pilot, lambda: _settled(app, ""))
        app.screen.query_one("CommandInput").value = "2020-03"
        await until(pilot, lambda: _settled(app, "2020-03"))
        await pilot.pause()
        at_once = texts(list(app.screen.query_one(CommandList).options), "round")
        assert at_once[:16] == [round_label(i) for i in range(30, 46)]  # 2020-03-01 .. 2020-03-31
        assert len(at_once) == MAX_HITS
        await pilot.press("escape")
        # typed a letter at a time, each query matched against what the shorter one found: the same
        assert texts(await palette(pilot, "2020-03"), "round") == at_once
        # a backspace goes back to what the shorter query found
        await pilot.press("backspace", "backspace")
        await until(pilot, lambda: _settled(app, "2020-"))
        await pilot.pause()
        assert len(texts(list(app.screen.query_one(CommandList).options), "round")) == MAX_HITS
        # and a query that does not extend the last one is matched against every round again
        await pilot.press(*["backspace"] * 5, *"reykjavik")
        await until(pilot, lambda: _settled(app, "reykjavik"))
        await pilot.pause()
        assert texts(list(app.screen.query_one(CommandList).options))[0] == round_label(FAR)


async def test_markup_in_catalog_text_is_shown_literally(tmp_path):
    path = rounds_catalog(tmp_path / "c.yaml", rounds=20, titles={19: "[bold]x[/bold]", 3: "[red]y"},
                          demand_title="[i]Truce[/i]")
    async with app_for(path).run_test(size=(140, 45)) as pilot:
        await started(pilot)
        options = await palette(pilot)  # opens on round 20, "[bold]x[/bold]"
        prompts = [o.prompt.plain for o in options]
        assert any(p.startswith(round_label(19, "[bold]x[/bold]")) for p in prompts)
        assert any(p.startswith("Go to demand: [i]Truce[/i]") for p in prompts)
        assert round_label(19, "[bold]x[/bold]") in texts(options)
        options = await palette(pilot, "bold")
        assert options[0].hit.text == round_label(19, "[bold]x[/bold]")
        assert options[0].prompt.plain.startswith(round_label(19, "[bold]x[/bold]"))
        await pilot.press("escape")
        options = await palette(pilot, "[red]")
        assert options[0].prompt.plain.startswith(round_label(3, "[red]y"))


async def test_demands_and_parties_are_still_reachable(tmp_path):
    async with app_for(rounds_catalog(tmp_path / "c.yaml")).run_test(size=(140, 45)) as pilot:
        app = await started(pilot)
        options = await palette(pilot)
        assert texts(options, "demand") == ["Go to demand: Truce", "Go to demand: Border crossings", "Go to demand: Aid trucks"]
        assert texts(options, "party") == ["Go to party: Alpha", "Go to party: Beta", "Go to party: Mediator"]
        assert texts(await palette(pilot, "aid trucks"))[0] == "Go to demand: Aid trucks"
        await pilot.press("enter")
        await until(pilot, lambda: app.query_one(Matrix).selected()[0] == "aid")
        assert texts(await palette(pilot, "mediator"))[0] == "Go to party: Mediator"
        await pilot.press("enter")
        await until(pilot, lambda: app.query_one(Matrix).selected() == ("aid", "mediator"))
        # by id too
        options = await palette(pilot, "border")
        assert options[0].hit.text == "Go to demand: Border crossings"
        assert options[0].prompt.plain.endswith("row of `border`")
