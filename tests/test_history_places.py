"""One history per catalog whatever `--db`/NEGOTRACK_DB says (a folder, or a file made for one
catalog), moved catalogs adopting their history only when asked, and `history --all`."""

from __future__ import annotations

import json
import os

import pytest

from negotrack.store import load_catalog
from negotrack.store.history import History, HistoryError, ViewState
from negotrack.tui.cli import main


def run(capsys, *argv):
    capsys.readouterr()
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def make(path, title="My negotiation", ratio="3"):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert main(["init", str(path)]) == 0
    text = path.read_text(encoding="utf-8").replace("title: My negotiation", f"title: {title}")
    path.write_text(text.replace("ratio: 3\n", f"ratio: {ratio}\n", 1), encoding="utf-8")
    return path


def versions(capsys, catalog):
    status, out, err = run(capsys, "history", catalog, "--format", "json")
    assert status == 0, err
    return [row["summary"] for row in json.loads(out)]


@pytest.fixture
def two(tmp_path, capsys):
    first, second = make(tmp_path / "a" / "positions.yaml"), make(tmp_path / "b" / "talks.yaml", "Other talks", "5")
    return first, second


@pytest.mark.parametrize("setting", ["histories", "histories/", "existing-folder.json"])
def test_two_catalogs_under_one_negotrack_db_folder_keep_separate_histories(tmp_path, capsys, monkeypatch, two, setting):
    if setting.endswith(".json"):
        (tmp_path / setting).mkdir()  # an existing folder is a folder, whatever its name
    monkeypatch.setenv("NEGOTRACK_DB", str(tmp_path / setting))
    first, second = two
    assert run(capsys, "record", first)[0] == 0
    status, out, err = run(capsys, "record", second)
    assert (status, err) == (0, "") and out.startswith("recorded snapshot 1 (") and "first snapshot" in out
    first.write_text(first.read_text().replace("ratio: 3\n", "ratio: 4\n", 1))
    assert run(capsys, "record", first)[1].startswith("recorded snapshot 2 (")
    assert versions(capsys, first)[1] == "1 position changed"
    assert len(versions(capsys, second)) == 1
    folder = tmp_path / setting.rstrip("/")
    assert len([n for n in os.listdir(folder) if n.endswith(".json")]) == 2


def test_a_database_file_serves_its_own_catalog_and_others_get_one_beside_it(tmp_path, capsys, monkeypatch, two):
    db = tmp_path / "shared.json"
    monkeypatch.setenv("NEGOTRACK_DB", str(db))
    first, second = two
    assert run(capsys, "record", first)[2] == ""
    status, out, err = run(capsys, "record", second)
    assert status == 0 and out.startswith("recorded snapshot 1 (")
    assert err.count("warning") == 1 and f"holds the history of {first}" in err and "beside it" in err
    assert run(capsys, "record", second)[2] == ""  # told once
    assert run(capsys, "history", second)[2] == ""
    assert json.loads(db.read_text())["meta"]["1"]["catalog"] == str(first)
    assert len(versions(capsys, first)) == 1 and len(versions(capsys, second)) == 1
    assert "Other talks" not in db.read_text()


def test_an_existing_single_file_database_keeps_being_read(tmp_path, capsys, two):
    first, _ = two
    db = tmp_path / "old-style.json"
    history, _ = History.open(str(first), str(db))
    with history:
        assert history.record(load_catalog(first)[0]).id == 1
        history.save_view_state(ViewState(round_id="round-1", seen_hash=history.latest().hash))
    status, out, err = run(capsys, "history", first, "--db", db, "--format", "json")
    assert (status, err) == (0, "") and len(json.loads(out)) == 1


def test_a_database_that_became_another_catalogs_is_never_written(tmp_path, two):
    first, second = two
    db = str(tmp_path / "new.json")
    one, _ = History.open(str(first), db)
    other, _ = History.open(str(second), db)  # both before either claimed the new file
    with one, other:
        assert one.record(load_catalog(first)[0]).id == 1
        with pytest.raises(HistoryError, match="now holds the history of"):
            other.record(load_catalog(second)[0])
        with pytest.raises(HistoryError):
            other.save_view_state(ViewState())
    again, _ = History.open(str(second), db)
    with again:
        assert again.db_path != db and again.persistent  # next time: a database of its own


def test_a_database_whose_meta_names_another_catalog_is_left_alone(tmp_path, two):
    first, second = two
    history, _ = History.open(str(first), str(tmp_path / "h"))
    with history:
        history.record(load_catalog(first)[0])
    name = history.db_path
    before = open(name, "rb").read()
    # Only a copy or a rename by hand can put another catalog's database at this name.
    target = History.open(str(second), str(tmp_path / "h"))[0].db_path
    os.replace(name, target)
    reopened, warnings = History.open(str(second), str(tmp_path / "h"))
    assert not reopened.persistent and "never mixed" in warnings[0]
    with reopened:
        reopened.record(load_catalog(second)[0])
    assert open(target, "rb").read() == before


def test_history_all_lists_every_catalog_with_versions_and_last_visit(tmp_path, capsys, monkeypatch, two):
    monkeypatch.setenv("NEGOTRACK_DB", str(tmp_path / "h"))
    first, second = two
    run(capsys, "record", first)
    run(capsys, "record", second)
    second.write_text(second.read_text().replace("ratio: 5\n", "ratio: 6\n", 1))
    run(capsys, "record", second)
    history, _ = History.open(str(first))
    with history:
        history.save_view_state(ViewState(seen_hash=history.content_hash(load_catalog(first)[0]), seen_at="2026-12-01T10:00:00Z"))
    status, out, _ = run(capsys, "history", "--all", "--format", "json")
    rows = {row["catalog"]: row for row in json.loads(out)}
    assert status == 0 and set(rows) == {str(first), str(second)}
    assert (rows[str(first)]["versions"], rows[str(first)]["last_visit"]) == (1, "2026-12-01T10:00:00Z")
    assert (rows[str(second)]["versions"], rows[str(second)]["last_visit"]) == (2, None)
    second.unlink()
    status, out, _ = run(capsys, "history", "--all")
    lines = out.splitlines()
    assert status == 0 and lines[0] == f"histories in {tmp_path / 'h'}:" and len(lines) == 4
    assert any(str(first) in line and line.split()[0] == "1" and "2026-12-01T10:00:00Z" in line for line in lines)
    assert any(str(second) in line and "gone" in line and "--adopt" in line for line in lines)
    assert run(capsys, "history", first, "--all")[0] == 2


def test_a_moved_catalog_is_offered_its_history_and_adopts_it_only_when_asked(tmp_path, capsys, monkeypatch, two):
    monkeypatch.setenv("NEGOTRACK_DB", str(tmp_path / "h"))
    first, _ = two
    run(capsys, "record", first)
    first.write_text(first.read_text().replace("ratio: 3\n", "ratio: 4\n", 1))
    run(capsys, "record", first)
    moved = tmp_path / "b" / "renamed.yaml"
    os.rename(first, moved)
    status, out, err = run(capsys, "record", moved)
    assert status == 0 and out.startswith("recorded snapshot 1 (")  # never silently adopted
    assert f"negotrack history {moved} --adopt {first}" in err
    status, out, err = run(capsys, "history", moved, "--adopt", first)
    assert (status, err) == (0, "") and "now has the history of" in out and "2 versions" in out
    assert versions(capsys, moved)[1] == "1 position changed"
    assert run(capsys, "record", moved)[1].startswith("no change since snapshot 2")
    status, out, _ = run(capsys, "history", "--all", "--format", "json")
    assert [row["catalog"] for row in json.loads(out)] == [str(moved)]
    status, _, err = run(capsys, "history", moved, "--adopt", first)
    assert status == 2 and "no history of" in err


def test_adopting_is_refused_when_it_could_lose_or_mix_anything(tmp_path, capsys, monkeypatch, two):
    monkeypatch.setenv("NEGOTRACK_DB", str(tmp_path / "h"))
    first, second = two
    run(capsys, "record", first)
    run(capsys, "record", second)
    status, _, err = run(capsys, "history", second, "--adopt", first)
    assert status == 2 and "still there" in err
    copy = tmp_path / "b" / "copy.yaml"
    copy.write_bytes(first.read_bytes())
    first.unlink()
    copy.write_text(copy.read_text().replace("ratio: 3\n", "ratio: 9\n", 1))
    status, _, err = run(capsys, "history", copy, "--adopt", first)
    assert status == 2 and "not the last version recorded" in err and f"negotrack record {first}" in err
    status, _, err = run(capsys, "history", second, "--adopt", first)  # has a history of its own
    assert status == 2
    status, _, err = run(capsys, "history", copy, "--adopt", tmp_path / "never.yaml")
    assert status == 2 and "history --all" in err
    assert len(versions(capsys, second)) == 1


def test_adopting_with_a_database_file_relabels_it_in_place(tmp_path, capsys, monkeypatch, two):
    db = tmp_path / "one.json"
    monkeypatch.setenv("NEGOTRACK_DB", str(db))
    first, _ = two
    run(capsys, "record", first)
    moved = tmp_path / "moved.yaml"
    os.rename(first, moved)
    status, out, err = run(capsys, "history", moved, "--adopt", first)
    assert status == 0 and str(db) in out
    assert json.loads(db.read_text())["meta"]["1"]["catalog"] == str(moved)
    status, out, err = run(capsys, "record", moved)
    assert (status, err) == (0, "") and out.startswith("no change since snapshot 1")
