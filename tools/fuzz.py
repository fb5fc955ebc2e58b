"""Mutated catalogs through every command and the dashboard; counts, and each failure minimised.

    python -m tools.fuzz [--count 10000] [--seed 0] [--case N] [--jobs N] [--timeout 30] [--memory-mb 2048]
                         [--dashboard 100] [--out DIR]

Case i of seed S is a mutation (tools/mutate.py) of one of the bundled and test catalogs,
rebuilt from (S, i) alone. Each case goes through `negotrack validate` and, when it validates,
`export` in md, csv, json and html and `diff` against its original, by calls of the CLI's
`main` inside worker processes (one per core, each with its own data folders, a memory cap
from `resource.setrlimit` and a timeout per case enforced by the parent, which kills and
replaces a worker that overruns). A failure is an exception (`negotrack: unexpected error`,
or anything escaping `main`), an exit status outside 0/1/2, an exit 1 from validate without
a `FILE:LINE:COL` location on every error, an export or diff of a valid catalog that fails,
or the catalog's bytes changing. Each is minimised (lines, then bytes) and written to the
`--out` folder with its command and traceback, once per distinct failure (the other cases
failing the same way are listed in its report; `--case N` runs one again). A sample of the cases (`--dashboard`) is also
opened in the dashboard headless (`tools/fuzz_dash.py`).

Exit 0 when there is no failure, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import re
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from tools.mutate import mutate

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("md", "csv", "json", "html")


def source_files() -> list[Path]:
    """The bundled catalogs and every catalog of the test data."""
    found = [ROOT / "positions.yaml", ROOT / "store" / "starter.yaml", *sorted((ROOT / "tests" / "data").rglob("*.yaml"))]
    return [p for p in found if p.is_file()]


class Sources:
    def __init__(self, paths: list[Path]) -> None:
        from negotrack.store import load_catalog

        self.paths = paths
        self.data = [p.read_bytes() for p in paths]
        self.valid = [load_catalog(p)[0] is not None for p in paths]

    def case(self, seed: int, index: int) -> tuple[bytes, int, list[str]]:
        """The bytes of case `index`, the source it came from and the mutations applied."""
        rng = random.Random(f"{seed}:{index}")
        # Four picks in five are valid catalogs, whose mutants reach export and diff; the rest
        # are the hostile-input corpus (tests/data/bad), which outnumbers them.
        valid = max(1, sum(self.valid))
        weights = [0.8 / valid if ok else 0.2 / max(1, len(self.valid) - valid) for ok in self.valid]
        source = rng.choices(range(len(self.paths)), weights=weights)[0]
        data, names = mutate(self.data[source], rng)
        return data, source, names


# -- one case, in a worker -----------------------------------------------------------------------


def _raw(argv: list[str]) -> int:
    """The CLI's dispatch without its last line of defence, to get the traceback it hides."""
    from negotrack.tui.cli import COMMANDS

    module_name, help_ = COMMANDS[argv[0]]
    module = importlib.import_module(f"negotrack.tui.commands.{module_name}")
    parser = argparse.ArgumentParser(prog=f"negotrack {argv[0]}", description=help_)
    module.configure(parser)
    return module.run(parser.parse_args(argv[1:]))


def call(argv: list[str]) -> dict[str, Any]:
    """Run `negotrack ARGV` in this process; its status, output and any traceback."""
    from negotrack.tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    trace = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 2
        except Exception:  # noqa: BLE001 - main must never let one through: that is the finding
            status, trace = -1, traceback.format_exc()
    result = {"argv": argv, "status": status, "out": out.getvalue(), "err": err.getvalue(), "trace": trace}
    if trace is None and "negotrack: unexpected error" in result["err"]:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                _raw(argv)
            except Exception:  # noqa: BLE001 - the hidden exception, for the report
                result["trace"] = traceback.format_exc()
    return result


def _failure(kind: str, result: dict[str, Any], detail: str) -> dict[str, Any]:
    trace = result.get("trace") or ""
    # The exception's type names the failure (its message may hold positions that change as
    # the case shrinks): the last unindented line of the traceback that is not its header.
    heads = [line for line in trace.splitlines() if line[:1].strip() and not line.startswith(("Traceback", "During", "The above"))]
    last = heads[-1] if heads else ""
    return {"kind": kind, "command": result["argv"][0], "argv": result["argv"], "status": result["status"],
            "detail": detail, "trace": trace, "err": result["err"][-4000:], "key": (kind, result["argv"][0], last.split(":")[0])}


def _judge(result: dict[str, Any], path: str) -> list[dict[str, Any]]:
    """What is wrong with one command's run (whatever the command)."""
    failures = []
    if result["trace"] is not None or "negotrack: unexpected error" in result["err"]:
        failures.append(_failure("exception", result, "an exception reached the command line"))
    elif result["status"] not in (0, 1, 2):
        failures.append(_failure("exit status", result, f"exit status {result['status']}"))
    if result["argv"][0] == "validate" and result["status"] == 1:
        located = re.compile(re.escape(path) + r":([1-9][0-9]*):([1-9][0-9]*): error: ")
        errors = [line for line in result["out"].splitlines() if ": error: " in line]
        if not errors or not all(located.match(line) for line in errors):
            failures.append(_failure("no location", result, "exit 1 without FILE:LINE:COL on every error"))
    return failures


def check(data: bytes, folder: str, original: str | None) -> dict[str, Any]:
    """Every command on one case; `original` (a valid catalog) is what `diff` compares with."""
    path = os.path.join(folder, "case.yaml")
    with open(path, "wb") as fh:
        fh.write(data)
    runs = [call(["validate", path])]
    failures = _judge(runs[0], path)
    valid = runs[0]["status"] == 0
    if valid:
        for fmt in FORMATS:
            target = os.path.join(folder, f"export.{fmt}")
            result = call(["export", path, "--format", fmt, "-o", target])
            runs.append(result)
            failures += _judge(result, path)
            if result["status"] != 0:
                failures.append(_failure("export", result, f"export --format {fmt} of a valid catalog exited {result['status']}"))
                continue
            try:
                with open(target, encoding="utf-8-sig", newline="") as fh:
                    text = fh.read()
                if fmt == "json":
                    json.loads(text)
                elif fmt == "csv":
                    list(csv.reader(io.StringIO(text)))
                if not text:
                    raise ValueError("empty")
            except (OSError, ValueError, csv.Error) as exc:
                failures.append(_failure("export", result, f"the {fmt} export cannot be read back: {exc}"))
        if original is not None:
            result = call(["diff", original, path])
            runs.append(result)
            failures += _judge(result, path)
            if result["status"] not in (0, 1):
                failures.append(_failure("diff", result, f"diff of two valid catalogs exited {result['status']}"))
    with open(path, "rb") as fh:
        if fh.read() != data:
            failures.append(_failure("catalog written", runs[-1], "the catalog's bytes changed"))
    return {"status": runs[0]["status"], "exports": len(FORMATS) if valid else 0,
            "diffs": 1 if valid and original is not None else 0, "failures": failures}


def minimise(data: bytes, folder: str, original: str | None, key: tuple, budget: float = 30.0, tries: int = 1000) -> bytes:
    """The smallest variant of `data` found (delta debugging over lines, then bytes) that still
    fails the same way (`key`: kind, command, exception type), within the budget."""
    deadline = time.monotonic() + budget
    spent = 0

    def fails(candidate: bytes) -> bool:
        nonlocal spent
        spent += 1
        return any(f["key"] == key for f in check(candidate, folder, original)["failures"])

    def ddmin(units: list[bytes], joiner: bytes) -> list[bytes]:
        n = 2
        while len(units) >= 2 and spent < tries and time.monotonic() < deadline:
            size = -(-len(units) // n)
            for start in range(0, len(units), size):
                candidate = units[:start] + units[start + size:]
                if fails(joiner.join(candidate)):
                    units, n = candidate, max(n - 1, 2)
                    break
            else:
                if n >= len(units):
                    break
                n = min(len(units), n * 2)
        return units

    lines = ddmin(data.split(b"\n"), b"\n")
    return b"".join(ddmin([bytes([b]) for b in b"\n".join(lines)], b""))


# -- the worker processes ---------------------------------------------------------------------------


def _worker(conn: multiprocessing.connection.Connection, sources: Sources, seed: int, memory_mb: int) -> None:
    folder = tempfile.mkdtemp(prefix="negotrack-fuzz-")
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = os.path.join(folder, name.lower())
    os.environ.pop("NEGOTRACK_DB", None)
    if memory_mb:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        kind, index = task
        data, source, _ = sources.case(seed, index)
        original = str(sources.paths[source]) if sources.valid[source] else None
        if kind == "case":
            conn.send(check(data, folder, original))
        elif kind == "minimise":
            key = next((f["key"] for f in check(data, folder, original)["failures"]), None)
            conn.send(minimise(data, folder, original, key) if key is not None else data)
        else:
            from tools.fuzz_dash import drive

            path = os.path.join(folder, "dash.yaml")
            with open(path, "wb") as fh:
                fh.write(data)
            conn.send(drive(path))


class Pool:
    """Worker processes the parent can kill one at a time when a case overruns its timeout."""

    def __init__(self, jobs: int, sources: Sources, seed: int, memory_mb: int) -> None:
        self.args = (sources, seed, memory_mb)
        self.context = multiprocessing.get_context("fork")  # workers share the parsed sources
        self.workers = [self._spawn() for _ in range(jobs)]

    def _spawn(self) -> dict[str, Any]:
        parent, child = self.context.Pipe()
        proc = self.context.Process(target=_worker, args=(child, *self.args), daemon=True)
        proc.start()
        child.close()
        return {"proc": proc, "conn": parent, "task": None, "since": 0.0}

    def run(self, tasks: list[tuple[str, int]], timeout: float, on_result, on_lost) -> None:
        """Run every task; `on_result(task, value)` or `on_lost(task, why)` for each."""
        queue = list(reversed(tasks))
        while queue or any(w["task"] for w in self.workers):
            for worker in self.workers:
                if worker["task"] is None and queue:
                    worker["task"], worker["since"] = queue.pop(), time.monotonic()
                    worker["conn"].send(worker["task"])
            busy = [w for w in self.workers if w["task"] is not None]
            ready = multiprocessing.connection.wait([w["conn"] for w in busy], timeout=0.2)
            for worker in busy:
                task = worker["task"]
                if worker["conn"] in ready:
                    try:
                        value = worker["conn"].recv()
                    except (EOFError, OSError):
                        self._replace(worker)
                        on_lost(task, f"the worker died (exit {worker['proc'].exitcode})")
                        continue
                    worker["task"] = None
                    on_result(task, value)
                elif time.monotonic() - worker["since"] > timeout:
                    self._replace(worker)
                    on_lost(task, f"no answer within {timeout:.0f} s")

    def _replace(self, worker: dict[str, Any]) -> None:
        worker["proc"].kill()
        worker["proc"].join()
        worker.update(self._spawn())

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker["conn"].send(None)
            worker["proc"].join(timeout=5)
            if worker["proc"].is_alive():
                worker["proc"].kill()


# -- the run ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz", description="Fuzz negotrack with mutated catalogs.")
    parser.add_argument("--count", type=int, default=10_000, help="how many mutated catalogs (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--case", type=int, metavar="N", help="run case N of the seed only (to reproduce a failure)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per case before its worker is killed")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space cap per worker (0: none)")
    parser.add_argument("--dashboard", type=int, default=100, help="how many cases to open in the dashboard too")
    # bench/out/ is git-ignored: failures found in a clone never end up in a commit by accident
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "fuzz-failures"),
                        help="folder for the minimised failures (default: bench/out/fuzz-failures)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    sources = Sources(source_files())
    counts: Counter[str] = Counter()
    failures: dict[int, list[dict[str, Any]]] = {}
    dash: Counter[str] = Counter()
    dash_problems: list[str] = []

    def on_result(task: tuple[str, int], value: Any) -> None:
        kind, index = task
        if kind == "case":
            counts[{0: "valid", 1: "problems", 2: "unreadable"}.get(value["status"], "other")] += 1
            counts["exports"] += value["exports"]
            counts["diffs"] += value["diffs"]
            if value["failures"]:
                failures[index] = value["failures"]
        elif kind == "minimise":
            _write(args.out, sources, args.seed, index, failures[index], value, same[failures[index][0]["key"]][1:])
        else:
            dash.update(value["counts"])
            dash_problems.extend(f"case {index}: {p}" for p in value["problems"])

    def on_lost(task: tuple[str, int], why: str) -> None:
        kind, index = task
        if kind == "case":
            failures[index] = [{"kind": "timeout or crash", "command": "validate/export/diff", "argv": [], "status": None,
                                "detail": why, "trace": "", "err": "", "key": ("lost",)}]
            _write(args.out, sources, args.seed, index, failures[index], sources.case(args.seed, index)[0])
        elif kind == "minimise":
            _write(args.out, sources, args.seed, index, failures[index], sources.case(args.seed, index)[0],
                   same[failures[index][0]["key"]][1:])
        else:
            dash["exceptions"] += 1
            dash_problems.append(f"case {index}: the dashboard run was lost: {why}")

    indices = [args.case] if args.case is not None else list(range(args.count))
    #: failure key -> the cases that fail that way; one of each is minimised and written
    same: dict[tuple, list[int]] = {}
    jobs = max(1, min(args.jobs, len(indices)))
    pool = Pool(jobs, sources, args.seed, args.memory_mb)
    try:
        pool.run([("case", i) for i in indices], args.timeout, on_result, on_lost)
        for index in sorted(failures):
            same.setdefault(failures[index][0]["key"], []).append(index)
        minimising = [("minimise", cases[0]) for key, cases in same.items() if key != ("lost",)]
        pool.run(minimising, args.timeout + 60, on_result, on_lost)
        step = max(1, len(indices) // max(1, args.dashboard)) if args.dashboard else 0
        sample = [("dash", i) for i in indices[::step]][: args.dashboard] if step else []
        pool.run(sample, args.timeout, on_result, on_lost)
    finally:
        pool.close()
    elapsed = time.monotonic() - started
    kinds = Counter(f["kind"] for found in failures.values() for f in found[:1])
    print(f"negotrack fuzz: {len(indices)} cases (seed {args.seed}) from {len(sources.paths)} catalogs, "
          f"{jobs} workers, {elapsed:.0f} s")
    print(f"  validate: {counts['valid']} valid, {counts['problems']} with problems, {counts['unreadable']} unreadable"
          + (f", {counts['other']} other" if counts["other"] else ""))
    print(f"  export: {counts['exports']} runs ({', '.join(FORMATS)}); diff: {counts['diffs']} runs")
    print(f"  dashboard: {dash['opened']} opened, {dash['exceptions']} exceptions, {dash['never shown']} screens never shown")
    distinct = sum(len(cases) if key == ("lost",) else 1 for key, cases in same.items())
    print(f"  failures: {len(failures)}" + (f" ({', '.join(f'{n} {k}' for k, n in kinds.items())}; {distinct} distinct), "
                                           f"written to {args.out}/" if failures else ""))
    for problem in dash_problems:
        print(f"    {problem}")
    return 1 if failures or dash["exceptions"] or dash["never shown"] else 0


def _write(out: str, sources: Sources, seed: int, index: int, found: list[dict[str, Any]], data: bytes,
           also: list[int] = ()) -> None:
    """The minimised case and a report of how it fails (`also`: other cases failing the same way)."""
    os.makedirs(out, exist_ok=True)
    first = found[0]
    stem = os.path.join(out, f"{index:06d}-{re.sub(r'[^a-z]+', '-', first['kind'])}")
    with open(stem + ".yaml", "wb") as fh:
        fh.write(data)
    original, source, names = sources.case(seed, index)
    lines = [f"case {index} of seed {seed}: {', '.join(names)} of {sources.paths[source].relative_to(ROOT)} "
             f"({len(original)} bytes, minimised to {len(data)})", f"reproduce: python -m tools.fuzz --seed {seed} --case {index}", ""]
    if also:
        lines[-1:-1] = [f"the same failure in {len(also)} more cases: {', '.join(map(str, also[:50]))}"]
    for failure in found:
        lines += [f"{failure['kind']}: {failure['detail']}", f"  negotrack {' '.join(failure['argv'])}  -> exit {failure['status']}",
                  failure["trace"] or failure["err"], ""]
    with open(stem + ".txt", "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
