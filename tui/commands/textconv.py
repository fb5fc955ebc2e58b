"""`negotrack textconv FILE`: the catalog's meaning as text, one fact per line, for git.

With `diff.negotrack.textconv` set (docs/git.md), `git diff` and `git log -p` compare this text
instead of the YAML, so reformatting, comments and short vs long forms vanish and each changed
line names its party, demand or position. Every line carries its own key, so a hunk is readable
without its context. Always exits 0 on a readable file (git aborts on anything else): a version
that is not a valid catalog is printed as it is, under its problems.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from negotrack.store.changes import catalog_doc
from negotrack.store.text import clean

from ..inputs import InputError, read_input
from .diff import LABELS, show_value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the catalog (git passes a temporary copy); - for standard input")


def fact_lines(doc: dict[str, Any]) -> Iterator[str]:
    """`catalog_doc(...)` as lines `WHAT KEY  FIELD: VALUE`, in the file's order."""
    for key, value in doc.get("meta", {}).items():
        yield f"{key}: {show_value(key, value)}"
    for name, order in doc.get("order", {}).items():
        yield f"order of {name}: {show_value('', order)}"
    for section, label in LABELS.items():
        for key, entry in doc.get(section, {}).items():
            fields = entry if isinstance(entry, dict) else {"": entry}
            if not fields:
                yield f"{label} {key}"
            for field, value in fields.items():
                yield f"{label} {key}  {field}: {show_value(field, value)}"


def run(args: argparse.Namespace) -> int:
    try:
        source = read_input(args.file)
    except InputError as exc:
        print(f"negotrack: {exc}", file=sys.stderr)
        return 2
    catalog, problems = source.parse()
    out = []
    if catalog is None:
        out.append(f"# not a valid catalog ({len(problems)} problem{'s' if len(problems) != 1 else ''}); the file as it is:")
        out += [f"# {clean(str(p), newlines=False)}" for p in problems]
        out += source.data.decode("utf-8", "replace").splitlines()
    else:
        out += fact_lines(catalog_doc(catalog))
    sys.stdout.write("".join(f"{clean(line, newlines=False)}\n" for line in out))
    return 0
