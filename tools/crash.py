"""Kill `negotrack record` at random moments and check that the history survives each kill.

    python -m tools.crash [--kills 150] [--size M] [--seed 0] [--keep DIR]

Each round edits the catalog (its title, so every record has a version to write), starts the
real `negotrack record FILE --db DB` in a process of its own, and SIGKILLs it at a random
moment of its run (uniform over the last two thirds of the time an unkilled record took, where it reads, records and writes). After every kill the
database must open without a warning, hold every snapshot a record reported as done (id and
hash), and rebuild every version to its hash; no temporary file may survive the next open.
The default catalog (`bench.generate` size M) is about 1.2 MB, as in issue 11's run. Exit 0
when nothing was lost, 1 otherwise. `tests/test_history_crash.py` runs a few kills of this.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from bench.generate import generate
from negotrack.store.history import History, doc_to_hash
from negotrack.store.history_places import peek

_RECORDED = re.compile(r"recorded snapshot (\d+) \(([0-9a-f]{7})\)")


@dataclass
class Report:
    kills: int = 0  # processes that were still running when killed
    finished: int = 0  # records that finished before their kill
    snapshots: int = 0  # snapshots in the history at the end
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        verdict = "nothing lost, every version rebuilds" if self.ok else f"{len(self.problems)} problems"
        return (f"{self.kills} kills during record, {self.finished} records finished first, "
                f"{self.snapshots} snapshots in the end: {verdict}")


def _record(catalog: str, db: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "negotrack.tui.cli", "record", catalog, "--db", db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check(catalog: str, db: str, done: dict[int, str], report: Report, step: int,
           seen: dict[int, Any] | None = None) -> None:
    """Open the history and check it after a kill. Versions are rebuilt once each: `seen`
    keeps the rows already checked, which must come back unchanged (blobs are immutable and
    checked against their names when read), so a run of 150 kills does not rebuild 150² times."""
    seen = {} if seen is None else seen
    history, warnings = History.open(catalog, db)
    with history:
        if warnings:
            report.problems.append(f"kill {step}: the database opened with warnings: {warnings}")
        snapshots = {s.id: s for s in history.snapshots()}
        for snapshot_id, short in done.items():
            if snapshot_id not in snapshots or not snapshots[snapshot_id].hash.startswith(short):
                report.problems.append(f"kill {step}: snapshot {snapshot_id} ({short}), reported as recorded, is lost")
        rows = (peek(db) or {}).get("snapshots", {})
        for info in snapshots.values():
            row = rows.get(str(info.id))
            if info.id in seen:
                if row != seen[info.id]:
                    report.problems.append(f"kill {step}: snapshot {info.id}, checked before, has changed")
                continue
            try:
                if doc_to_hash(history.version(info.id)) != info.hash:
                    report.problems.append(f"kill {step}: snapshot {info.id} rebuilds to another hash")
            except Exception as exc:  # noqa: BLE001 - any failure to rebuild is what this looks for
                report.problems.append(f"kill {step}: snapshot {info.id} cannot be rebuilt: {exc}")
            seen[info.id] = row
        report.snapshots = len(snapshots)
    leftovers = [n for n in os.listdir(os.path.dirname(db)) if n.endswith(".tmp")]
    if leftovers:
        report.problems.append(f"kill {step}: temporary files survived the open: {leftovers}")


def run(folder: str, kills: int, size: str = "M", seed: int = 0, deadline: float | None = None) -> Report:
    """Kill `kills` records of a `size` catalog in `folder` (see the module docstring)."""
    rng = random.Random(seed)
    catalog, db = os.path.join(folder, "positions.yaml"), os.path.join(folder, "history.json")
    text = generate(size, seed=seed)
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    report, done, seen = Report(), {}, {}

    def write_version(n: int) -> None:
        with open(catalog, "w", encoding="utf-8") as fh:
            fh.write(text.replace(title, f"{title} (version {n})", 1))

    write_version(0)
    started = time.monotonic()
    out, err = _record(catalog, db).communicate()
    span = time.monotonic() - started  # how long one unkilled record takes here
    found = _RECORDED.search(out)
    if found is None:
        report.problems.append(f"the first record failed: {out}{err}")
        return report
    done[int(found.group(1))] = found.group(2)
    step = 0
    while report.kills < kills and (deadline is None or time.monotonic() < deadline):
        step += 1
        write_version(step)
        proc = _record(catalog, db)
        time.sleep(rng.uniform(0.3 * span, 1.05 * span))  # start-up is the first third: skip most of it
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            report.kills += 1
        out, _ = proc.communicate()
        found = _RECORDED.search(out) if proc.returncode == 0 else None
        if found is not None:
            report.finished += 1
            done[int(found.group(1))] = found.group(2)
        _check(catalog, db, done, report, step, seen)
    _check(catalog, db, done, report, step)  # and once more rebuilding every version
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SIGKILL `negotrack record` at random moments; check nothing is lost.")
    parser.add_argument("--kills", type=int, default=150, help="how many records to kill (default 150)")
    parser.add_argument("--size", default="M", help="bench.generate size of the catalog (default M, about 1.2 MB)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and leave the catalog and database there")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        report = run(args.keep, args.kills, args.size, args.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="negotrack-crash-") as folder:
            report = run(folder, args.kills, args.size, args.seed)
    print(f"{report} ({time.monotonic() - started:.0f} s)")
    for problem in report.problems:
        print(f"  {problem}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
