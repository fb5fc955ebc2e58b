"""The first reading of the catalog starts as the app is made (tui/loading.py, start_reading),
so the file is read while Textual starts; the first reload takes what it read."""

from __future__ import annotations

import shutil

import negotrack.tui.loading as loading
from negotrack.tui.app import NegotrackApp
from negotrack.tui.widgets.matrix import Matrix

from support import DATA, until


def counting_reader(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = loading.read_catalog

    def read(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(loading, "read_catalog", read)
    return calls


async def test_the_file_is_read_once_for_the_first_frame(monkeypatch, tmp_path):
    calls = counting_reader(monkeypatch)
    path = shutil.copyfile(DATA / "dash.yaml", tmp_path / "dash.yaml")
    app = NegotrackApp(str(path), history=False, watch=False)
    app._early_read.result(timeout=10)  # read before the app even runs
    assert len(calls) == 1
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.analysis is not None)
        await pilot.pause()
        assert app.current_round_id() == "r3"
        assert "permanent" in app.query_one(Matrix).get_cell("truce", "alpha").plain
    assert len(calls) == 1  # the first reload took what was read early


async def test_a_save_between_making_the_app_and_its_first_frame_is_what_shows(monkeypatch, tmp_path):
    calls = counting_reader(monkeypatch)
    path = shutil.copyfile(DATA / "dash.yaml", tmp_path / "dash.yaml")
    app = NegotrackApp(str(path), history=False, watch=False)
    app._early_read.result(timeout=10)
    # saved before the watcher could see it: the early reading is stale and read again
    text = path.read_text(encoding="utf-8")
    assert "        truce: permanent\n" in text
    path.write_text(text.replace("        truce: permanent\n", "        truce: pause\n", 1), encoding="utf-8")
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.analysis is not None)
        await pilot.pause()
        assert len(calls) == 2
        shown = app.analysis.catalog
        assert shown.rounds[0].positions[("alpha", "truce")].stance == "pause"


async def test_a_failure_of_the_early_reading_is_a_notification_not_a_traceback(monkeypatch):
    def broken(path):
        raise RuntimeError("the disk said no")

    monkeypatch.setattr(loading, "read_catalog", broken)
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test() as pilot:
        await until(pilot, lambda: any("the disk said no" in str(n.message) for n in app._notifications))
        await pilot.press("question_mark", "escape")
        assert app.is_running and app.analysis is None
