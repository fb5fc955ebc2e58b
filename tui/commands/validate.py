"""`negotrack validate FILE...`: print every problem; exit 0 valid, 1 problems, 2 unreadable.

FILE may be `-` (standard input) or git's `REV:PATH`. With `--format json` an unreadable file
is an error object in the list too, never left out.
"""

from __future__ import annotations

import argparse
import json
import sys

from negotrack.store import Problem
from negotrack.store.text import clean

from ..inputs import STDIN, InputError, read_input


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
    for index, file in enumerate(args.files):
        try:
            source = read_input(file, stdin_taken=STDIN in args.files[:index])
        except InputError as exc:
            status = 2
            if args.format == "json":  # `[]` would read as "no problems" to a script
                found.append(Problem(clean(file), 1, 1, str(exc)).as_dict())
            print(f"negotrack: {exc}; pass the path of a catalog such as positions.yaml, or - for standard input",
                  file=sys.stderr)
            continue
        file = source.name
        catalog, problems = source.parse()
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
