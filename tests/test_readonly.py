"""negotrack never writes the user's catalog: every command of the command line, and the
dashboard with its keys and its history, leave the catalog's bytes and modification time as
they were (and put nothing next to it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from negotrack.tui.cli import COMMANDS, main

from support import DATA, until

PAST = 1_500_000_000  # 2017: a save by negotrack would move the time to now


@pytest.fixture
def catalog(tmp_path):
    folder = tmp_path / "catalogs"
    folder.mkdir()
    path = folder / "positions.yaml"
    shutil.copyfile(DATA / "export" / "basic.yaml", path)
    os.utime(path, (PAST, PAST))
    return path


def fingerprint(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def command_lines(catalog: Path, work: Path) -> dict[str, list[list[str]]]:
    db, changed, article = work / "db", work / "changed.yaml", work / "report.txt"
    shutil.copyfile(DATA / "export" / "basic_changed.yaml", changed)
    article.write_text("North demanded open access to the harbour, the report says.\n", encoding="utf-8")
    cat = str(catalog)
    return {
        "validate": [["validate", cat], ["validate", cat, "--format", "json"]],
        "init": [["init", cat], ["init", str(work / "new.yaml")]],
        "record": [["record", cat, "--db", str(db)], ["record", cat, "--db", str(db)]],
        "history": [["history", cat, "--db", str(db)], ["history", cat, "--db", str(db), "--cell", "r1/north/access"],
                    ["history", "--all", "--db", str(db)], ["history", cat, "--db", str(db), "--adopt", str(work / "gone.yaml")]],
        "export": [["export", cat, "--format", f, "-o", str(work / f"out.{f}")] for f in ("md", "csv", "json", "html")]
        + [["export", cat]],
        "diff": [["diff", cat, str(changed)], ["diff", str(changed), cat], ["diff", cat, cat]],
        "schema": [["schema"]],
        "draft": [["draft", str(article), "--catalog", cat], ["draft", str(article), "--into", cat, "--round", "r1"]],
        "docs": [["docs"]],
        "textconv": [["textconv", cat]],
        "completion": [["completion", "bash"]],
    }


def test_no_command_writes_the_catalog(tmp_path, catalog, capsys):
    work = tmp_path / "work"
    work.mkdir()
    before = fingerprint(catalog.parent)
    lines = command_lines(catalog, work)
    for name in COMMANDS:  # a command added later is run too, on the catalog, whatever it says
        for argv in lines.get(name, [[name, str(catalog)], [name, "--help"]]):
            try:
                status = main(argv)
            except SystemExit as exc:  # --help
                status = exc.code
            assert status in (0, 1, 2), (argv, capsys.readouterr())
            assert fingerprint(catalog.parent) == before, argv
    assert "negotrack: unexpected error" not in capsys.readouterr().err


async def test_the_dashboard_never_writes_the_catalog(tmp_path, catalog):
    from negotrack.tui.app import NegotrackApp

    before = fingerprint(catalog.parent)
    app = NegotrackApp(str(catalog), db_path=str(tmp_path / "db"), history=True, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.analysis is not None and app.history_ready)
        for key in ("right_square_bracket", "left_square_bracket", "n", "N", "c", "c", "t", "escape", "d", "d",
                    "b", "b", "s", "escape", "w", "escape", "question_mark", "escape", "end", "home"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("q")
    assert fingerprint(catalog.parent) == before
    assert os.listdir(tmp_path / "db")  # the history was kept, elsewhere
