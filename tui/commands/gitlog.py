"""`negotrack history --git FILE`: the versions of a catalog in its git commits.

Listed like the database's snapshots, oldest first, each with the same change summary
(store/history_rows.py) against the version before it; any two can be compared with
`negotrack diff --git REV1 REV2 FILE`. Reads the repository with the `git` command only.
Exit 0, or 2 when git is missing or FILE is not in a repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from negotrack.store import parse_catalog
from negotrack.store.changes import catalog_doc, doc_changes
from negotrack.store.gitrev import GitError, Tracked
from negotrack.store.history_rows import changes_to_summary, doc_to_first_summary
from negotrack.store.text import clean


def versions(tracked: Tracked) -> list[dict[str, Any]]:
    """One row per commit that changed the file: hash, date, subject, changes, summary."""
    rows = []
    previous: dict[str, Any] | None = None
    for commit in tracked.commits():
        row: dict[str, Any] = {"hash": commit.hash, "date": commit.date, "subject": commit.subject}
        try:
            data = tracked.read(commit.hash)
        except GitError:  # the commit deleted the file
            rows.append({**row, "changes": None, "summary": "file deleted"})
            continue
        catalog, problems = parse_catalog(data, f"{commit.hash[:7]}:{tracked.path}")
        if catalog is None:
            errors = sum(p.severity == "error" for p in problems)
            rows.append({**row, "changes": None, "summary": f"not a valid catalog ({errors} error{'s' if errors != 1 else ''})"})
            continue
        doc = catalog_doc(catalog)
        count, summary = changes_to_summary(doc_changes(previous or {}, doc))
        if previous is None:  # as the history database words its first snapshot
            summary = doc_to_first_summary(doc)
        rows.append({**row, "changes": count, "summary": summary})
        previous = doc
    return rows


def run(args: argparse.Namespace) -> int:
    try:
        tracked = Tracked.of(args.file)
        rows = versions(tracked)
    except GitError as exc:
        print(f"negotrack: {clean(str(exc))}; history --git reads the commits of a file in a git repository", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(clean(f"no commit has {tracked.path} yet; commit it, then: negotrack history --git {args.file}"))
        return 0
    for row in rows:
        print(clean(f"{row['hash'][:7]}  {row['date'][:10]}  {row['summary']}  ({row['subject']})", newlines=False))
    if len(rows) > 1:
        first, last = rows[0]["hash"][:7], rows[-1]["hash"][:7]
        print(clean(f"compare two: negotrack diff --git {first} {last} {args.file}"), file=sys.stderr)
    return 0
