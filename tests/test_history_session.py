"""The dashboard's side of the history (tui/session.py): a version the file no longer holds is
not recorded, and a moved catalog is told how to keep its history, never given it silently."""

from __future__ import annotations

import os

from negotrack.store import load_catalog
from negotrack.tui.cli import main
from negotrack.tui.session import Session


def test_a_version_the_file_no_longer_holds_is_not_recorded(tmp_path):
    path = tmp_path / "positions.yaml"
    assert main(["init", str(path)]) == 0
    data = path.read_bytes()
    read_before_the_save = load_catalog(path)[0]
    path.write_text(path.read_text().replace("ratio: 3\n", "ratio: 4\n", 1))
    session = Session(str(path), str(tmp_path / "db"))
    try:
        session.loaded(read_before_the_save, first=True, data=data)
        assert session.history.snapshots() == []  # the reload that follows the save records it
        session.loaded(load_catalog(path)[0], first=False)
        assert [s.hash for s in session.history.snapshots()] == [session.history.content_hash(load_catalog(path)[0])]
    finally:
        session.close()


def test_a_moved_catalog_is_offered_its_history(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    assert main(["init", str(old)]) == 0
    assert main(["record", str(old), "--db", str(tmp_path / "db")]) == 0
    os.rename(old, new)
    session = Session(str(new), str(tmp_path / "db"))
    try:
        opening, warnings = session.loaded(load_catalog(new)[0], first=True)
        assert any(f"--adopt {old}" in w for w in warnings)
        assert len(session.history.snapshots()) == 1 and opening.view is None  # a history of its own so far
    finally:
        session.close()
