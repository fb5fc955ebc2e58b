"""`negotrack history`: the recorded versions of a catalog, one cell's edit history, every
catalog the history folder knows (`--all`), or taking over a moved catalog's history (`--adopt`).

The listings work from the database alone, so they also work while FILE is invalid; FILE's
absolute path only finds its database. Exit 0, 1 when FILE has errors (`--adopt` reads it),
or 2 when FILE is missing, the database unusable or adopting is refused.
"""

from __future__ import annotations

import argparse
import json
import sys

from negotrack.store import parse_catalog
from negotrack.store.changes import split_key
from negotrack.store.history import History, HistoryError, catalog_to_hash
from negotrack.store.history_places import AdoptError, Known, adopt, known_catalogs, locate
from negotrack.store.text import clean

from .record import check_file, read, warn


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?", help="the catalog whose history to show")
    parser.add_argument("--db", metavar="PATH", help="history folder or database (default: your data folder; env NEGOTRACK_DB)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--cell", metavar="ROUND/PARTY/DEMAND", help="show the edit history of one position instead")
    what.add_argument("--all", action="store_true", help="list every catalog the history folder knows, without FILE")
    what.add_argument("--adopt", metavar="OLD_PATH", help="give FILE the history of OLD_PATH, the catalog FILE was before a move or rename")
    what.add_argument("--git", action="store_true", help="list FILE's versions in its git commits instead (docs/git.md)")


def fail(message: str, status: int = 2) -> int:
    print(f"negotrack: {clean(message)}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    if args.all:
        if args.file is not None:
            return fail("--all lists every catalog of the history folder; leave FILE out")
        return run_all(args)
    if args.file is None:
        return fail("pass the catalog whose history to show (negotrack history FILE), or --all")
    if args.git:  # the commits, not the database: tui/commands/gitlog.py
        from .gitlog import run as run_git

        return run_git(args)
    reason = check_file(args.file)
    if reason is not None:
        return fail(reason)
    if args.adopt is not None:
        return run_adopt(args)
    return run_versions(args)


def _position_text(position: dict[str, object] | None) -> str:
    if position is None:
        return "(no position)"
    return json.dumps(position, ensure_ascii=False, separators=(", ", ": "))


def run_versions(args: argparse.Namespace) -> int:
    """The snapshots of FILE, or the edit history of one of its cells (`--cell`)."""
    cell = None
    if args.cell is not None:
        try:
            cell = split_key(args.cell)
        except ValueError:
            return fail(f"--cell takes ROUND/PARTY/DEMAND, not {args.cell}")
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
        return fail(f"cannot read the history: {exc}")
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


def _known_line(known: Known) -> str:
    catalog = known.catalog or "(catalog unknown)"
    if known.unreadable:
        catalog = f"(unreadable database {known.db_path})"
    elif known.catalog is not None and not known.present:
        catalog += "  (gone; if it was moved: negotrack history NEW_PATH --adopt " + known.catalog + ")"
    return f"{known.versions:>8}  {known.last_snapshot or '-':<20}  {known.last_visit or '-':<20}  {catalog}"


def run_all(args: argparse.Namespace) -> int:
    """Every catalog whose history is in the folder `--db`/NEGOTRACK_DB/the default names."""
    place = locate(".", args.db)
    found = known_catalogs(place)
    if args.format == "json":
        print(json.dumps([k.as_dict() for k in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(clean(f"no histories in {place.folder} yet"))
        return 0
    print(clean(f"histories in {place.folder}:"))
    print(f"{'versions':>8}  {'last recorded':<20}  {'last visit':<20}  catalog")
    for known in found:
        print(clean(_known_line(known)))
    return 0


def run_adopt(args: argparse.Namespace) -> int:
    """FILE takes over the history of OLD_PATH (moved or renamed to FILE); refused unless FILE
    holds the last version recorded there and nothing is at OLD_PATH any more."""
    data, problems = read(args.file)
    catalog = None
    if data is not None:
        catalog, problems = parse_catalog(data, args.file)
    if catalog is None:
        for problem in problems:
            print(clean(str(problem)), file=sys.stderr)
        return fail(f"{args.file} has errors; fix them first: adopting compares its content with the last recorded version", 1)
    try:
        known = adopt(locate(args.file, args.db), args.file, args.adopt, catalog_to_hash(catalog))
    except AdoptError as exc:
        return fail(f"cannot adopt: {exc}")
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return fail(f"cannot adopt: {exc.strerror or exc}{where}; no history is lost: `negotrack history --all` shows where it is")
    versions = f"{known.versions} version{'s' if known.versions != 1 else ''}"
    print(clean(f"{args.file} now has the history of {args.adopt}: {versions}, in {known.db_path}"))
    return 0
