"""`negotrack validate FILE...`: print every problem; exit 0 valid, 1 problems, 2 unreadable."""

from __future__ import annotations

import argparse
import json
import os
import sys

from negotrack.store import load_catalog
from negotrack.store.text import clean


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="catalog files to check")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--quotes", action="store_true",
        help="also check that every quote citing a source with `archive:` is in that archived text (warnings; exit 1)",
    )


def run(args: argparse.Namespace) -> int:
    status = 0
    found: list[dict[str, object]] = []
    for file in args.files:
        if not os.path.isfile(file):
            reason = "is a folder" if os.path.isdir(file) else "does not exist"
            print(f"negotrack: {clean(file)} {reason}; pass the path of a catalog such as positions.yaml", file=sys.stderr)
            status = 2
            continue
        if not os.access(file, os.R_OK):
            print(f"negotrack: {clean(file)} cannot be read (permission denied)", file=sys.stderr)
            status = 2
            continue
        catalog, problems = load_catalog(file)
        if args.quotes and catalog is not None:
            from negotrack.store.quotes import check_quotes

            problems = problems + check_quotes(catalog)
        if problems:
            status = max(status, 1)
        if args.format == "json":
            found.extend({**p.as_dict(), "message": clean(p.message), "file": clean(p.file)} for p in problems)
            continue
        for problem in problems:
            print(clean(str(problem), newlines=False))
        if catalog is not None and problems:
            print(f"{clean(file)}: {len(problems)} quote warning{'s' if len(problems) != 1 else ''}: {catalog.summary()}")
        elif catalog is not None:
            print(f"{clean(file)}: ok: {catalog.summary()}")
        else:
            errors = sum(p.severity == "error" for p in problems)
            print(f"{clean(file)}: {errors} error{'s' if errors != 1 else ''}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(found, ensure_ascii=False, indent=2))
    return status
