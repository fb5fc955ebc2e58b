"""A `record` that read the file before another process recorded a newer version must not land
its older version after it (issue 11): under the database lock it reads the file again and
records what is on disk now, or nothing. Reproduced as reported: two processes, a held lock."""

from __future__ import annotations

import subprocess
import sys

import pytest

from negotrack.store import load_catalog
from negotrack.store.history import History, OnDisk, catalog_to_hash
from negotrack.tui.cli import main

# `negotrack record FILE --db DB` in a process of its own that says when it starts waiting
# for the database lock: by then it has read the file (record reads it before opening the
# history), which is the moment the reported race needs.
RECORDER = r'''
import sys
from negotrack.store import storage
from negotrack.tui.cli import main

enter = storage.FileLock.__enter__

def announced(self):
    if not getattr(announced, "done", False):
        announced.done = True
        print("waiting", flush=True)
    return enter(self)

storage.FileLock.__enter__ = announced
status = main(["record", sys.argv[1], "--db", sys.argv[2]])
print(f"exit {status}", flush=True)
'''


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "positions.yaml"
    assert main(["init", str(path)]) == 0
    return path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _held_race(tmp_path, catalog, while_held):
    """Start a recorder of the file as it is now, let it read the file and queue for the held
    lock, run `while_held(history)` meanwhile, release; return its output and the history."""
    db = str(tmp_path / "history.json")
    history, warnings = History.open(str(catalog), db)
    assert warnings == []
    history.record(load_catalog(catalog)[0])  # snapshot 1: the version both processes start from
    edit(catalog, "ratio: 3\n", "ratio: 4\n")  # version 1 of the race, which the recorder reads
    with history._lock:  # the lock a record must take (re-entrant within this object)
        proc = subprocess.Popen([sys.executable, "-c", RECORDER, str(catalog), db],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "waiting"
            while_held(history)
        except BaseException:
            proc.kill()
            raise
    out, err = proc.communicate(timeout=60)
    return out, err, history


def test_a_record_that_waited_for_the_lock_records_what_is_on_disk_now(tmp_path, catalog):
    def newer_version_recorded_meanwhile(history):
        edit(catalog, "ratio: 4\n", "ratio: 5\n")
        assert history.record(load_catalog(catalog)[0]).id == 2

    out, err, history = _held_race(tmp_path, catalog, newer_version_recorded_meanwhile)
    assert out.splitlines()[-1] == "exit 0", err
    assert out.startswith("no change since snapshot 2") and "the file changed while waiting" in out
    with history:
        snapshots = history.snapshots()
    assert [s.id for s in snapshots] == [1, 2]
    assert snapshots[-1].hash == catalog_to_hash(load_catalog(catalog)[0])


def test_a_record_whose_file_broke_while_it_waited_records_nothing(tmp_path, catalog):
    def newer_version_then_a_broken_save(history):
        edit(catalog, "ratio: 4\n", "ratio: 5\n")
        newer = load_catalog(catalog)[0]
        assert history.record(newer).id == 2
        edit(catalog, "ratio: 5\n", "ratio: [5, 1]\n")  # low above high: an error

    out, err, history = _held_race(tmp_path, catalog, newer_version_then_a_broken_save)
    assert out.splitlines()[-1] == "exit 1"
    assert "error" in err and "now has errors; nothing recorded" in err
    with history:
        assert [s.id for s in history.snapshots()] == [1, 2]


def test_the_dashboard_drops_a_version_the_file_no_longer_holds(tmp_path, catalog):
    history, _ = History.open(str(catalog), str(tmp_path / "history.json"))
    with history:
        old = load_catalog(catalog)[0]
        on_disk = OnDisk(str(catalog), catalog.read_bytes(), old, reparse=False)
        edit(catalog, "ratio: 3\n", "ratio: 4\n")  # saved again before the record got the lock
        assert history.record(old, current=on_disk) is None and history.snapshots() == []
        assert "changed while its history was busy" in on_disk.dropped
        same = OnDisk(str(catalog), catalog.read_bytes(), load_catalog(catalog)[0], reparse=False)
        assert history.record(same.catalog, current=same).id == 1 and same.dropped is None
