"""Crash safety of the history database: atomic writes, kill -9 at random moments, two
writers at once, corrupt files moved aside (never deleted), damaged blobs survived."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from negotrack.store.history import History, HistoryError, catalog_to_hash, doc_to_hash
from negotrack.store.storage import FileLock, SafeJSONStorage, atomic_write

# A writer process: records catalog versions `tag-0`, `tag-1`, ... into DB, printing
# "<id> <hash>" after each record() returned. Its catalog builder is shared with the tests.
WRITER = r'''
import sys
from negotrack.store import parse_catalog
from negotrack.store.history import History, ViewState


def make(tag, i):
    rounds = []
    for r in range(1 + i % 3):
        cells = "\n".join(f"        d{d}: {tag * 100000 + i * 10 + r + d}" for d in range(4))
        rounds.append(f"  - id: r{r}\n    date: 2024-01-{r + 1:02d}\n    positions:\n      a:\n{cells}\n      b:\n        d0: {i % 2}")
    demands = "\n".join(f"  d{d}:\n    title: D{d}\n    unit: u" for d in range(4))
    text = (f"format: 1\ntitle: Writer {tag}\nparties:\n  a:\n    name: A\n  b:\n    name: B\n"
            f"demands:\n{demands}\nrounds:\n" + "\n".join(rounds) + "\n")
    catalog, problems = parse_catalog(text, "w.yaml")
    assert catalog is not None, problems
    return catalog


if __name__ == "__main__":
    db, tag, start, count, wait = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "wait"
    history, warnings = History.open("w.yaml", db, checkpoint_every=4)
    versions = range(start, start + count)
    # Built beforehand when two writers race, so their records overlap as much as possible.
    catalogs = [make(tag, i) for i in versions] if wait else (make(tag, i) for i in versions)
    print("ready " + ";".join(warnings), flush=True)
    if wait:
        sys.stdin.readline()
    for n, catalog in enumerate(catalogs):
        info = history.record(catalog)
        if info is not None:
            print(f"{info.id} {info.hash}", flush=True)
        history.save_view_state(ViewState(round_id=f"r{n % 3}", seen_hash=info.hash if info else None))
    print("done", flush=True)
'''


@pytest.fixture
def writer(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    namespace: dict = {}
    exec(compile(WRITER, str(script), "exec"), namespace)
    return script, namespace["make"]


def _spawn(script, db, tag, start, count, wait=False):
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), str(tag), str(start), str(count), "wait" if wait else "go"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()
    assert line.startswith("ready"), (line, proc.stderr.read() if proc.poll() is not None else "")
    assert line.strip() == "ready", f"writer saw warnings: {line}"
    return proc


def _completed(lines: list[str]) -> list[tuple[int, str]]:
    return [(int(a), b) for a, b in (line.split() for line in lines if line.strip() and line.strip() != "done")]


def _check_every_version(db) -> list:
    history, warnings = History.open("w.yaml", str(db), checkpoint_every=4)
    assert warnings == []
    with history:
        infos = history.snapshots()
        for info in infos:
            assert doc_to_hash(history.version(info.id)) == info.hash, info
        assert history.take_warnings() == []
        return infos


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "db.json"
    target.write_bytes(b"old")
    atomic_write(str(target), b'{"new":1}')
    assert target.read_bytes() == b'{"new":1}'
    assert os.listdir(tmp_path) == ["db.json"]


def test_the_database_file_is_compact_json_and_holds_no_full_document(tmp_path, writer):
    _, make = writer
    history, _ = History.open("w.yaml", str(tmp_path / "db.json"))
    with history:
        history.record(make(1, 0))
        history.record(make(1, 1))
    text = (tmp_path / "db.json").read_text(encoding="utf-8")
    tables = json.loads(text)
    assert text == json.dumps(tables, ensure_ascii=False, separators=(",", ":"))
    assert set(tables) == {"meta", "snapshots"}
    first, second = tables["snapshots"]["1"], tables["snapshots"]["2"]
    assert first["delta"] is None
    full = json.loads((tmp_path / "db.json.blobs" / first["full"]).read_bytes())
    assert doc_to_hash(full) == first["hash"] == catalog_to_hash(make(1, 0))
    assert isinstance(second["delta"], list) and "positions" not in second


def test_a_second_storage_sees_what_another_wrote(tmp_path):
    one, two = SafeJSONStorage(str(tmp_path / "db.json")), SafeJSONStorage(str(tmp_path / "db.json"))
    assert one.read() is None
    one.write({"t": {"1": {"x": 1}}})
    assert two.read() == {"t": {"1": {"x": 1}}}
    two.write({"t": {"1": {"x": 2}}})
    assert one.read() == {"t": {"1": {"x": 2}}}


def test_sigkill_at_random_moments_loses_no_completed_snapshot(tmp_path, writer):
    script, make = writer
    db = tmp_path / "db.json"
    rng = random.Random(7)
    completed: dict[int, str] = {}
    start = 0
    deadline = time.monotonic() + 8  # a few seconds; `python -m tools.crash` is the long run
    iterations = 0
    while iterations < 8 and time.monotonic() < deadline:
        proc = _spawn(script, db, tag=1, start=start, count=10_000)
        time.sleep(rng.uniform(0.02, 0.2))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        reported = _completed(out.splitlines())
        completed.update(reported)
        infos = _check_every_version(db)  # opens without a warning, every version rebuilds
        by_id = {s.id: s.hash for s in infos}
        for snapshot_id, digest in completed.items():
            assert by_id.get(snapshot_id) == digest, (iterations, snapshot_id)
        assert [name for name in os.listdir(tmp_path) if name.endswith(".tmp")] == []
        start += 1000
        iterations += 1
    assert iterations >= 5
    assert len(completed) >= iterations  # the writer really got to record between the kills


def test_two_processes_recording_at_once_lose_nothing(tmp_path, writer):
    script, make = writer
    db = tmp_path / "db.json"
    procs = [_spawn(script, db, tag=tag, start=0, count=25, wait=True) for tag in (1, 2)]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reported = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        reported += _completed(out.splitlines())
    expected = {catalog_to_hash(make(tag, i)) for tag in (1, 2) for i in range(25)}
    infos = _check_every_version(db)
    assert len(reported) == 50 and len({i for i, _ in reported}) == 50
    assert {s.id: s.hash for s in infos} == dict(reported)
    assert {s.hash for s in infos} == expected


def test_the_lock_keeps_another_process_out(tmp_path):
    lock_path = tmp_path / "db.json.lock"
    probe = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
             "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n    sys.exit(3)\n")
    with FileLock(str(lock_path)):
        assert subprocess.run([sys.executable, "-c", probe, str(lock_path)]).returncode == 3
    assert subprocess.run([sys.executable, "-c", probe, str(lock_path)]).returncode == 0


@pytest.mark.parametrize("content", [
    b"\x00\xff\xfe garbage \x1b[31m",
    b'{"snapshots":{"1":{"taken_at":"2026-01-01T00:00:00Z","hash":"ab',  # truncated
    b"[1, 2, 3]",
    b'{"snapshots": []}',
    b'{"snapshots": {"1": {"hash": 3}}}',
], ids=["garbage", "truncated", "list", "table-not-object", "row-wrong-shape"])
def test_a_corrupt_database_is_moved_aside_and_a_fresh_one_works(tmp_path, writer, content):
    _, make = writer
    db = tmp_path / "db.json"
    db.write_bytes(content)
    history, warnings = History.open("w.yaml", str(db))
    assert len(warnings) == 1 and "moved aside to" in warnings[0]
    moved = [name for name in os.listdir(tmp_path) if name.startswith("db.json.corrupt-")]
    assert len(moved) == 1 and moved[0] in warnings[0]
    assert (tmp_path / moved[0]).read_bytes() == content
    with history:
        assert history.snapshots() == []
        assert history.record(make(1, 0)).id == 1
    again, warnings = History.open("w.yaml", str(db))
    assert warnings == [] and len(again.snapshots()) == 1
    again.close()


def test_a_truncated_real_database_is_moved_aside(tmp_path, writer):
    _, make = writer
    db = tmp_path / "db.json"
    history, _ = History.open("w.yaml", str(db))
    with history:
        for i in range(3):
            history.record(make(1, i))
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    _, warnings = History.open("w.yaml", str(db))
    assert "moved aside" in warnings[0]
    # A second corruption in the same second gets its own name; nothing is overwritten.
    db.write_bytes(b"nope")
    _, warnings = History.open("w.yaml", str(db))
    moved = sorted(name for name in os.listdir(tmp_path) if ".corrupt-" in name)
    assert len(moved) == 2 and {(tmp_path / m).read_bytes() for m in moved} == {data[: len(data) // 2], b"nope"}


def test_an_unreadable_path_is_moved_aside(tmp_path):
    folder = tmp_path / "histories"
    history, _ = History.open("w.yaml", str(folder))  # a folder of databases
    history.close()
    db = history.db_path
    assert os.path.dirname(db) == str(folder)
    os.mkdir(db)  # reading the catalog's database fails with an OSError
    with open(os.path.join(db, "keep.txt"), "w") as fh:
        fh.write("mine")
    history, warnings = History.open("w.yaml", str(folder))
    assert "moved aside" in warnings[0]
    moved = next(p for p in folder.iterdir() if ".corrupt-" in p.name)
    assert (moved / "keep.txt").read_text() == "mine"
    history.close()


def test_a_folder_named_like_a_database_is_a_folder_and_left_alone(tmp_path):
    db = tmp_path / "db.json"
    db.mkdir()
    (db / "keep.txt").write_text("mine")
    history, warnings = History.open("w.yaml", str(db))
    assert warnings == [] and os.path.dirname(history.db_path) == str(db)
    history.close()
    assert (db / "keep.txt").read_text() == "mine"


def test_a_database_that_cannot_be_created_falls_back_to_memory(tmp_path, writer):
    _, make = writer
    (tmp_path / "file").write_text("not a folder")
    history, warnings = History.open("w.yaml", str(tmp_path / "file" / "db.json"))
    assert len(warnings) == 1 and "memory only" in warnings[0]
    assert not history.persistent
    with history:
        assert history.record(make(1, 0)).id == 1
        assert history.record(make(1, 1)).id == 2
        assert doc_to_hash(history.version(1)) == catalog_to_hash(make(1, 0))


def test_the_catalog_itself_is_never_used_as_the_database(tmp_path, writer):
    _, make = writer
    catalog = tmp_path / "positions.yaml"
    catalog.write_bytes(b"format: 1\ntitle: mine\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(catalog)
    for db in (catalog, link):
        history, warnings = History.open(str(catalog), str(db))
        assert "catalog itself" in warnings[0] and not history.persistent
        with history:
            history.record(make(1, 0))
    assert catalog.read_bytes() == b"format: 1\ntitle: mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "positions.yaml", "writer.py"]


def test_a_database_from_a_newer_version_is_left_alone(tmp_path, writer):
    _, make = writer
    db = tmp_path / "db.json"
    data = b'{"meta":{"1":{"schema":99}},"snapshots":{}}'
    db.write_bytes(data)
    history, warnings = History.open("w.yaml", str(db))
    assert "newer negotrack" in warnings[0]
    with history:
        history.record(make(1, 0))
    assert db.read_bytes() == data


def test_stale_temporary_files_are_cleaned_up_and_nothing_else(tmp_path, writer):
    _, make = writer
    db = tmp_path / "db.json"
    history, _ = History.open("w.yaml", str(db), checkpoint_every=1)
    with history:
        history.record(make(1, 0))
    blob = next((tmp_path / "db.json.blobs").iterdir())
    stale = [tmp_path / ".db.json.abc123.tmp", tmp_path / "db.json.blobs" / f".{blob.name}.xyz.tmp"]
    for path in stale:
        path.write_bytes(b"half a wri")
    (tmp_path / "notes.tmp").write_text("the user's")
    History.open("w.yaml", str(db))[0].close()
    assert not any(path.exists() for path in stale)
    assert (tmp_path / "notes.tmp").read_text() == "the user's" and blob.exists()


def test_damaged_blobs_are_detected_and_worked_around(tmp_path, writer):
    _, make = writer
    db = tmp_path / "db.json"
    history, _ = History.open("w.yaml", str(db), checkpoint_every=2)
    with history:
        for i in range(5):
            history.record(make(1, i))
    rows = json.loads(db.read_text())["snapshots"]
    blobs = tmp_path / "db.json.blobs"
    # Damage the newest checkpoint: versions after it are rebuilt from the older one plus deltas.
    newest = max((int(k) for k, row in rows.items() if row.get("full") and int(k) > 1))
    (blobs / rows[str(newest)]["full"]).write_bytes(b'{"meta":{}}')
    fresh, _ = History.open("w.yaml", str(db), checkpoint_every=2)
    with fresh:
        assert doc_to_hash(fresh.version(5)) == catalog_to_hash(make(1, 4))
    # Without any full document, a version cannot be rebuilt: an error, not a wrong answer;
    # recording still works and starts a new full chain; the dashboard is told why.
    for blob in blobs.iterdir():
        blob.unlink()
    fresh, warnings = History.open("w.yaml", str(db), checkpoint_every=2)
    assert warnings == []
    with fresh:
        with pytest.raises(HistoryError):
            fresh.version(3)
        assert fresh.changes_since(rows["1"]["hash"], make(1, 9)) == []
        info = fresh.record(make(1, 9))
        assert info.id == 6 and "could not be read" in info.summary
        assert doc_to_hash(fresh.version(6)) == catalog_to_hash(make(1, 9))
        assert any("cannot be rebuilt" in w for w in fresh.take_warnings())
        assert fresh.record(make(1, 10)).summary != ""
        assert doc_to_hash(fresh.version(7)) == catalog_to_hash(make(1, 10))


def test_a_database_replaced_by_garbage_while_open_is_recovered(tmp_path, writer):
    _, make = writer
    db = tmp_path / "db.json"
    history, _ = History.open("w.yaml", str(db))
    with history:
        history.record(make(1, 0))
        db.write_bytes(b"\x00" * 100)
        info = history.record(make(1, 1))
        assert info.id == 1  # a fresh database
        assert any("moved aside" in w for w in history.take_warnings())
    assert any(p.read_bytes() == b"\x00" * 100 for p in tmp_path.iterdir() if ".corrupt-" in p.name)


def test_two_stores_taking_turns_record_deltas_against_what_is_really_last(tmp_path, writer):
    """Each store keeps its rounds and the split of the last snapshot it recorded; when the
    other store recorded in between, the delta is still against the real last version."""
    from negotrack.store.changes import catalog_doc, doc_changes

    _, make = writer
    db = str(tmp_path / "db.json")
    one, _ = History.open("w.yaml", db)
    two, _ = History.open("w.yaml", db)
    with one, two:
        order = [(one, make(1, 0)), (two, make(1, 1)), (one, make(1, 2)), (one, make(2, 2)),
                 (two, make(1, 2)), (one, make(2, 3)), (two, make(2, 3)), (one, make(1, 0))]
        previous = None
        for store, catalog in order:
            info = store.record(catalog)
            doc = catalog_doc(catalog)
            if info is None:
                assert doc_to_hash(doc) == store.latest().hash
            else:
                assert info.hash == catalog_to_hash(catalog)
                if previous is not None:
                    with open(db, encoding="utf-8") as fh:
                        delta = json.load(fh)["snapshots"][str(info.id)]["delta"]
                    assert delta == [c.as_dict() for c in doc_changes(previous, doc)]
            previous = doc
    assert [info.hash for info in _check_every_version(db)] == [
        catalog_to_hash(make(*v)) for v in ((1, 0), (1, 1), (1, 2), (2, 2), (1, 2), (2, 3), (1, 0))]
