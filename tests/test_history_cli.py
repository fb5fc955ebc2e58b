"""`negotrack record` and `negotrack history`, through the real entry point."""

from __future__ import annotations

import json
import os

import pytest

from negotrack.tui.cli import main


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "positions.yaml"
    assert main(["init", str(path)]) == 0
    return path


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "history.json")


def run(capsys, *argv):
    capsys.readouterr()
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_record_then_no_change_then_a_change(capsys, catalog, db):
    status, out, err = run(capsys, "record", catalog, "--db", db)
    assert (status, err) == (0, "")
    assert out.startswith("recorded snapshot 1 (") and "first snapshot: 3 parties, 3 demands, 1 round, 4 positions" in out
    status, out, _ = run(capsys, "record", catalog, "--db", db)
    assert status == 0 and out.startswith("no change since snapshot 1 (")
    edit(catalog, "ratio: 3\n", "ratio: 4\n")
    status, out, _ = run(capsys, "record", catalog, "--db", db)
    assert status == 0 and out.startswith("recorded snapshot 2 (") and out.rstrip().endswith("): 1 position changed")
    assert len(out.strip().splitlines()) == 1


def test_reformatting_records_nothing(capsys, catalog, db):
    run(capsys, "record", catalog, "--db", db)
    edit(catalog, "ratio: 3\n", "ratio:   3   # same value, other spacing\n")
    edit(catalog, "title: My negotiation", "title: 'My negotiation'")
    status, out, _ = run(capsys, "record", catalog, "--db", db)
    assert status == 0 and out.startswith("no change since snapshot 1")


def test_record_an_invalid_catalog_records_nothing(capsys, catalog, db):
    run(capsys, "record", catalog, "--db", db)
    edit(catalog, "ratio: 3\n", "ratio: [5, 1]\n")  # low above high
    status, out, err = run(capsys, "record", catalog, "--db", db)
    assert status == 1 and out == ""
    assert "error" in err and "nothing recorded" in err
    status, out, _ = run(capsys, "history", catalog, "--db", db, "--format", "json")
    assert status == 0 and len(json.loads(out)) == 1  # history still works on an invalid file


def test_missing_file(capsys, tmp_path, db):
    for command in ("record", "history"):
        status, out, err = run(capsys, command, tmp_path / "nope.yaml", "--db", db)
        assert status == 2 and out == "" and "does not exist" in err
    assert not os.path.exists(db)


def test_history_text_and_json(capsys, catalog, db):
    status, out, _ = run(capsys, "history", catalog, "--db", db)
    assert status == 0 and out.startswith("no snapshots yet for")
    run(capsys, "record", catalog, "--db", db)
    edit(catalog, "ratio: 3\n", "ratio: 5\n")
    edit(catalog, "    venue: Somewhere\n", "    venue: Elsewhere\n")
    run(capsys, "record", catalog, "--db", db)
    status, out, _ = run(capsys, "history", catalog, "--db", db, "--format", "json")
    snapshots = json.loads(out)
    assert status == 0 and [s["id"] for s in snapshots] == [1, 2]
    for snapshot in snapshots:
        assert {"taken_at", "hash", "changes", "summary"} <= set(snapshot)
        assert isinstance(snapshot["changes"], int) and len(snapshot["hash"]) == 64
        assert snapshot["taken_at"].endswith("Z")
    assert (snapshots[1]["changes"], snapshots[1]["summary"]) == (2, "1 position changed, 1 round changed")
    status, out, _ = run(capsys, "history", catalog, "--db", db)
    lines = out.strip().splitlines()
    assert status == 0 and len(lines) == 2
    assert lines[1].split()[:3] == ["2", snapshots[1]["taken_at"], snapshots[1]["hash"][:7]]
    assert lines[1].endswith("1 position changed, 1 round changed")


def test_history_of_one_cell(capsys, catalog, db):
    run(capsys, "record", catalog, "--db", db)
    for value in ("4", "5"):
        edit(catalog, f"ratio: {int(value) - 1}\n", f"ratio: {value}\n")
        run(capsys, "record", catalog, "--db", db)
    status, out, _ = run(capsys, "history", catalog, "--db", db, "--cell", "round-1/side-b/ratio", "--format", "json")
    assert status == 0 and [v["position"]["value"] for v in json.loads(out)] == [[3, 3], [4, 4], [5, 5]]
    status, out, _ = run(capsys, "history", catalog, "--db", db, "--cell", "round-1/side-a/ratio")
    assert status == 0 and len(out.strip().splitlines()) == 1  # never edited since the first snapshot
    status, _, err = run(capsys, "history", catalog, "--db", db, "--cell", "round-1")
    assert status == 2 and "ROUND/PARTY/DEMAND" in err


def test_env_and_flag_choose_the_database(capsys, catalog, tmp_path, monkeypatch):
    env_db = tmp_path / "env.json"
    monkeypatch.setenv("NEGOTRACK_DB", str(env_db))
    run(capsys, "record", catalog)
    assert env_db.is_file()
    flag_db = tmp_path / "flag.json"
    status, out, _ = run(capsys, "record", catalog, "--db", flag_db)
    assert status == 0 and out.startswith("recorded snapshot 1") and flag_db.is_file()
    status, out, _ = run(capsys, "history", catalog, "--format", "json")
    assert len(json.loads(out)) == 1


def test_default_database_is_in_the_data_folder(capsys, catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    status, _, _ = run(capsys, "record", catalog)
    assert status == 0
    names = os.listdir(tmp_path / "xdg" / "negotrack")
    assert any(name.endswith(".json") and "positions-yaml" in name for name in names)


def test_a_corrupt_database_is_a_warning_not_a_failure(capsys, catalog, db):
    with open(db, "wb") as fh:
        fh.write(b"{ not json")
    status, out, err = run(capsys, "record", catalog, "--db", db)
    assert status == 0 and out.startswith("recorded snapshot 1")
    assert err.startswith("negotrack: warning: history database was unreadable") and "moved aside to" in err
    status, _, err = run(capsys, "history", catalog, "--db", db)
    assert status == 0 and err == ""


def test_recording_never_changes_what_validate_says(capsys, catalog, db):
    edit(catalog, "    sources: [example-report]\n", "")  # positions without sources: warnings, still valid
    before = run(capsys, "validate", catalog)
    run(capsys, "record", catalog, "--db", db)
    edit(catalog, "ratio: 3\n", "ratio: 4\n")
    middle = run(capsys, "validate", catalog)
    run(capsys, "record", catalog, "--db", db)
    assert run(capsys, "validate", catalog) == middle
    edit(catalog, "ratio: 4\n", "ratio: 3\n")
    assert run(capsys, "validate", catalog) == before
    assert run(capsys, "validate", catalog, "--format", "json")[0] == before[0]


def test_control_characters_in_names_are_made_visible(capsys, tmp_path, db):
    path = tmp_path / "a\x1b[31mb.yaml"
    assert main(["init", str(path)]) == 0
    status, out, _ = run(capsys, "history", path, "--db", db)
    assert status == 0 and "\x1b" not in out and "␛" in out
