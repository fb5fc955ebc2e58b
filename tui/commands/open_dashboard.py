"""`negotrack [FILE]`: open the dashboard; a missing or unreadable file exits 2 with a hint."""

from __future__ import annotations

import argparse
import os
import sys

from negotrack.store.text import clean

DEFAULT_FILE = "positions.yaml"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="history database (default: per catalog in your data folder; env NEGOTRACK_DB)")
    parser.add_argument("--no-history", action="store_true", help="do not remember versions or where you left off")


def run(args: argparse.Namespace) -> int:
    file = args.file or DEFAULT_FILE
    if not os.path.exists(file):
        if args.file is None:
            print(
                f"negotrack: no {DEFAULT_FILE} here; pass a catalog (negotrack FILE) "
                f"or start one with: negotrack init {DEFAULT_FILE}",
                file=sys.stderr,
            )
        else:
            print(f"negotrack: {clean(file)} does not exist; check the path, or create it with: negotrack init {clean(file)}", file=sys.stderr)
        return 2
    if os.path.isdir(file) or not os.access(file, os.R_OK):
        reason = "is a folder" if os.path.isdir(file) else "cannot be read (permission denied)"
        print(f"negotrack: {clean(file)} {reason}; pass the path of a catalog file", file=sys.stderr)
        return 2
    from negotrack.tui.app import NegotrackApp

    app = NegotrackApp(os.path.abspath(file), db_path=args.db, history=not args.no_history)
    app.run()
    return app.return_code or 0
