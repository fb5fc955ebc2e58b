"""`negotrack record FILE`: remember the catalog's current version in its history database.

For a git hook or a cron job: one line out, exit 0 when recorded or unchanged, 1 when the
catalog has errors (nothing is recorded), 2 when the file or the database cannot be used.
"""

from __future__ import annotations

import argparse
import os
import sys

from negotrack.store import load_catalog
from negotrack.store.history import History, HistoryError
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


def run(args: argparse.Namespace) -> int:
    reason = check_file(args.file)
    if reason is not None:
        print(f"negotrack: {reason}", file=sys.stderr)
        return 2
    catalog, problems = load_catalog(args.file)
    for problem in problems:
        print(clean(str(problem)), file=sys.stderr)
    if catalog is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"{clean(args.file)}: {errors} error{'s' if errors != 1 else ''}; nothing recorded", file=sys.stderr)
        return 1
    history, warnings = History.open(args.file, args.db)
    warn(warnings)
    try:
        with history:
            info = history.record(catalog)
            latest = history.latest() if info is None else None
            warn(history.take_warnings())
    except HistoryError as exc:
        print(f"negotrack: cannot record: {clean(str(exc))}", file=sys.stderr)
        return 2
    if info is not None:
        print(clean(f"recorded snapshot {info.id} ({info.hash[:7]}): {info.summary}"))
    elif latest is not None:
        print(f"no change since snapshot {latest.id} ({latest.hash[:7]})")
    return 0
