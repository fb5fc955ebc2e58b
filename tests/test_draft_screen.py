"""The "Draft from an article" screen, pushed on a tiny App of its own (the dashboard wires it
in with one command; see tui/screens/draft.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support import shown, until
from textual.app import App

from negotrack.store import load_catalog, parse_catalog
from negotrack.tui.screens.draft import DraftScreen, drafts_path

CATALOG = textwrap.dedent(
    """\
    title: Talks
    parties:
      north:
        name: Northland
      south:
        name: Southern Front
        aliases: [the Front]
    demands:
      ceasefire:
        title: Ceasefire
        keywords: [ceasefire, truce]
        scale: [temporary truce, permanent ceasefire]
      total:
        title: Prisoners released
        keywords: [prisoners]
        unit: prisoners
    rounds:
      - id: r1
        date: 2030-01-01
        positions:
          north:
            ceasefire: temporary truce
    """
)
ARTICLE = (
    "The Front insists on a permanent ceasefire.\n"
    "Northland is offering to release 800 prisoners \x1b[2Jnow.\n"
)


class Host(App[None]):
    def __init__(self, screen: DraftScreen) -> None:
        super().__init__()
        self.draft_screen = screen
        self.accepted: list[DraftScreen.Accepted] = []

    def on_mount(self) -> None:
        self.push_screen(self.draft_screen)

    def on_draft_screen_accepted(self, message: DraftScreen.Accepted) -> None:
        self.accepted.append(message)


@pytest.fixture
def files(tmp_path: Path):
    catalog_path = tmp_path / "talks.yaml"
    catalog_path.write_text(CATALOG, encoding="utf-8")
    article = tmp_path / "report.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    catalog, problems = load_catalog(catalog_path)
    assert catalog is not None, problems
    return catalog, catalog_path, article


async def test_review_and_accept_copies_and_keeps_the_yaml_beside_the_catalog(files):
    catalog, catalog_path, article = files
    before = catalog_path.read_bytes()
    screen = DraftScreen(catalog, str(article))
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: screen.draft is not None)
        assert len(screen.draft.proposals) == 2
        body = shown(screen.query_one("#draft-proposal"))
        assert body.startswith("1 / 2  Southern Front on Ceasefire")
        assert "The Front insists on a permanent ceasefire." in body
        await pilot.press("right")
        assert screen.index == 1
        body = shown(screen.query_one("#draft-proposal"))
        assert body.startswith("2 / 2  Northland on Prisoners released")
        assert "\x1b" not in body and "␛[2Jnow" in body  # article text is shown, never obeyed
        await pilot.press("right")  # stays on the last
        assert screen.index == 1
        await pilot.press("a")
        await until(pilot, lambda: app.accepted)
        copied = app.clipboard
        assert copied == app.accepted[0].yaml
        assert copied.startswith("north:\n  total:")
        assert "\x1b" not in copied  # the ESC of the article is escaped in the YAML string
        assert "✓ accepted" in shown(screen.query_one("#draft-proposal"))
        await pilot.press("a")  # accepting again copies again but keeps it once
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: screen not in app.screen_stack)
    drafts = Path(drafts_path(str(catalog_path)))
    assert drafts.name == "talks.drafts.yaml"
    kept = drafts.read_text(encoding="utf-8")
    assert kept.count(copied) == 1 and len(app.accepted) == 1
    # what was kept pastes under a round and reads back with the article's exact characters
    pasted = CATALOG + "  - id: r2\n    date: 2030-02-01\n    positions:\n" + textwrap.indent(copied, "      ")
    loaded, problems = parse_catalog(pasted, "pasted.yaml")
    assert loaded is not None, problems
    position = loaded.rounds[1].positions[("north", "total")]
    assert position.value.low == 800
    assert position.quote == "Northland is offering to release 800 prisoners \x1b[2Jnow."
    assert catalog_path.read_bytes() == before  # the catalog is never written


async def test_a_path_typed_in_that_cannot_be_read_is_reported(files, tmp_path):
    catalog, _, _ = files
    screen = DraftScreen(catalog)
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.click("#draft-path")
        for ch in str(tmp_path / "missing.txt"):
            await pilot.press(ch if ch != "/" else "slash")
        await pilot.press("enter")
        await until(pilot, lambda: "does not exist" in shown(screen.query_one("#draft-status")))
        assert screen.draft is None
        await pilot.press("a")  # nothing to accept: no error, nothing written
        assert not app.accepted
