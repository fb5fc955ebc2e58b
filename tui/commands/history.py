"""`negotrack history FILE`: the recorded versions of a catalog, or one cell's edit history.

Works from the database alone, so it also works while FILE is invalid; FILE's absolute path
only finds the default database. Exit 0, or 2 when FILE is missing or the database unusable.
"""

from __future__ import annotations

import argparse
import json
import sys

from negotrack.store.changes import split_key
from negotrack.store.history import History, HistoryError
from negotrack.store.text import clean

from .record import check_file, warn


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the catalog whose history to show")
    parser.add_argument("--db", metavar="PATH", help="history database (default: per catalog in your data folder; env NEGOTRACK_DB)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--cell", metavar="ROUND/PARTY/DEMAND", help="show the edit history of one position instead")


def _position_text(position: dict[str, object] | None) -> str:
    if position is None:
        return "(no position)"
    return json.dumps(position, ensure_ascii=False, separators=(", ", ": "))


def run(args: argparse.Namespace) -> int:
    reason = check_file(args.file)
    if reason is not None:
        print(f"negotrack: {reason}", file=sys.stderr)
        return 2
    cell = None
    if args.cell is not None:
        try:
            cell = split_key(args.cell)
        except ValueError:
            print(f"negotrack: --cell takes ROUND/PARTY/DEMAND, not {clean(args.cell)}", file=sys.stderr)
            return 2
    history, warnings = History.open(args.file, args.db)
    warn(warnings)
    try:
        with history:
            if cell is not None:
                versions = history.cell_history(*cell)
                rows = [{"taken_at": v.taken_at, "hash": v.hash, "position": v.position} for v in versions]
            else:
                rows = [s.as_dict() for s in history.snapshots()]
            warn(history.take_warnings())
    except HistoryError as exc:
        print(f"negotrack: cannot read the history: {clean(str(exc))}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        what = f"no edits of {args.cell} recorded" if cell else "no snapshots yet"
        print(clean(f"{what} for {args.file}; take one with: negotrack record {args.file}"))
        return 0
    for row in rows:
        if cell is not None:
            print(clean(f"{row['taken_at']}  {row['hash'][:7]}  {_position_text(row['position'])}"))
        else:
            print(clean(f"{row['id']:>4}  {row['taken_at']}  {row['hash'][:7]}  {row['summary']}"))
    return 0
