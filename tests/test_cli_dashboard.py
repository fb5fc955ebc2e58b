"""`negotrack [FILE]`: the launch errors a user can meet before any screen opens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from negotrack.tui.app import NegotrackApp
from negotrack.tui.cli import main

from support import DATA, until

EXE = Path(sys.executable).parent / "negotrack"


def test_no_file_here_explains_and_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "no positions.yaml here" in err and "negotrack init positions.yaml" in err
    assert len(err.strip().splitlines()) == 1


def test_missing_file_and_folder_exit_2_without_traceback(tmp_path, capsys):
    assert main([str(tmp_path / "nope.yaml")]) == 2
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "is a folder" in err and "Traceback" not in err


def test_console_script_in_a_terminalless_subprocess(tmp_path):
    result = subprocess.run([str(EXE), str(tmp_path / "missing.yaml")], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    version = subprocess.run([str(EXE), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("negotrack ")


@pytest.mark.parametrize("name", ["read_catalog", "analyze"])
async def test_a_failing_worker_becomes_a_notification_and_the_app_keeps_running(monkeypatch, name):
    def broken(_):
        raise RuntimeError(f"{name} exploded")

    monkeypatch.setattr(f"negotrack.tui.loading.{name}", broken)
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test() as pilot:
        await until(pilot, lambda: any(f"{name} exploded" in str(n.message) for n in app._notifications))
        await pilot.press("right_square_bracket", "t", "question_mark", "escape")
        assert app.is_running
        if name == "read_catalog":
            assert app.analysis is None


def test_an_unexpected_error_ends_in_one_sentence_and_a_crash_log(tmp_path):
    """Run the real app headless with a bug planted in it: no traceback, a log with one."""
    script = (
        "import sys\n"
        "from negotrack.tui.app import NegotrackApp\n"
        "def bug(self):\n"
        "    raise RuntimeError('planted bug')\n"
        "NegotrackApp.refresh_view = bug\n"
        f"app = NegotrackApp({str(DATA / 'dash.yaml')!r}, history=False, watch=False)\n"
        "app.run(headless=True)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL, timeout=60)
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown
    assert "negotrack stopped on an unexpected error: RuntimeError: planted bug" in shown
    log = tmp_path / "state" / "negotrack" / "crash.log"
    assert "Traceback" in log.read_text() and "planted bug" in log.read_text()
