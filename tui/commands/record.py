"""`negotrack record FILE`: remember the catalog's current version in its history database.

For a git hook or a cron job: one line out, exit 0 when recorded or unchanged, 1 when the
catalog has errors (nothing is recorded), 2 when the file or the database cannot be used.
"""

from __future__ import annotations

import argparse
import os
import sys

from negotrack.store import parse_catalog
from negotrack.store.history import History, HistoryError, Known, OnDisk
from negotrack.store.problems import Problem
from negotrack.store.text import clean


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the catalog to record")
    parser.add_argument("--db", metavar="PATH", help="history database (default: per catalog in your data folder; env NEGOTRACK_DB)")


def check_file(file: str) -> str | None:
    """Why `file` cannot be used as a catalog path, or None."""
    if not os.path.exists(file):
        return f"{clean(file)} does not exist; pass the path of a catalog such as positions.yaml"
    if os.path.isdir(file):
        return f"{clean(file)} is a folder; pass the path of a catalog file"
    return None


def warn(messages: list[str]) -> None:
    for message in messages:
        print(f"negotrack: warning: {clean(message)}", file=sys.stderr)


def read(file: str) -> tuple[bytes | None, list[Problem]]:
    """The catalog's bytes, or the problem reading them (as `load_catalog` reports it)."""
    try:
        with open(file, "rb") as fh:
            return fh.read(), []
    except OSError as exc:
        return None, [Problem(file, 1, 1, f"cannot read the file: {exc.strerror or exc}")]


def adoption_hint(file: str, moved: list[Known]) -> list[str]:
    """Say, once per run, that this new catalog looks like a known one that was moved."""
    return [f"{file} has no history yet, but {k.catalog} (no longer there) had this very version: "
            f"to keep its history, run: negotrack history {file} --adopt {k.catalog}" for k in moved]


def run(args: argparse.Namespace) -> int:
    reason = check_file(args.file)
    if reason is not None:
        print(f"negotrack: {reason}", file=sys.stderr)
        return 2
    data, problems = read(args.file)
    catalog = None
    if data is not None:
        catalog, problems = parse_catalog(data, args.file)
    for problem in problems:
        print(clean(str(problem)), file=sys.stderr)
    if catalog is None or data is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"{clean(args.file)}: {errors} error{'s' if errors != 1 else ''}; nothing recorded", file=sys.stderr)
        return 1
    history, warnings = History.open(args.file, args.db)
    warn(warnings)
    # Under the database lock the file is read again, so that a version read before another
    # process recorded a newer one is never recorded after it (what is on disk now is).
    on_disk = OnDisk(args.file, data, catalog)
    try:
        with history:
            warn(adoption_hint(args.file, history.moved_from(catalog)))
            info = history.record(catalog, current=on_disk)
            latest = history.latest() if info is None else None
            warn(history.take_warnings())
    except HistoryError as exc:
        print(f"negotrack: cannot record: {clean(str(exc))}", file=sys.stderr)
        return 2
    if on_disk.dropped is not None:
        for problem in on_disk.problems:
            print(clean(str(problem)), file=sys.stderr)
        print(f"negotrack: {clean(on_disk.dropped)}", file=sys.stderr)
        return 1 if on_disk.problems else 2
    note = " (the file changed while waiting for the history; this is its newer version)" if on_disk.reread else ""
    if info is not None:
        print(clean(f"recorded snapshot {info.id} ({info.hash[:7]}): {info.summary}{note}"))
    elif latest is not None:
        print(f"no change since snapshot {latest.id} ({latest.hash[:7]}){note}")
    return 0
