"""`negotrack diff OLD NEW`: what changed in meaning between two catalog files.

Exit 0 when they mean the same (formatting, comments, short vs long form do not count),
1 when they differ, 2 on error (a missing file, or either file invalid: its problems are
printed as `validate` prints them, on stderr). The comparison itself is store/changes.py,
the same one the history store uses; this module only finds line numbers and prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from negotrack.store import Catalog, Value, load_catalog
from negotrack.store.changes import Change, catalog_doc, doc_changes, split_key
from negotrack.store.text import clean

#: catalog document section -> the word a reader uses
LABELS = {"parties": "party", "demands": "demand", "sources": "source", "rounds": "round", "positions": "position"}
SIGNS = {"added": "+", "removed": "-", "changed": "~"}
COLOURS = {"added": "32", "removed": "31", "changed": "33"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the earlier catalog")
    parser.add_argument("new", metavar="NEW", help="the later catalog")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="auto: colour only when stdout is a terminal and NO_COLOR is not set",
    )


def line_index(catalog: Catalog) -> dict[tuple[str, str], int]:
    """(section, key) -> the line where that entry starts, for every entry of `catalog`."""
    index: dict[tuple[str, str], int] = {}
    index.update({("parties", p.id): p.line for p in catalog.parties})
    index.update({("demands", d.id): d.line for d in catalog.demands})
    index.update({("sources", s.id): s.line for s in catalog.sources})
    for rnd in catalog.rounds:
        index[("rounds", rnd.id)] = rnd.line
        for (party, demand), position in rnd.positions.items():
            index[("positions", f"{rnd.id}/{party}/{demand}")] = position.line
    return index


def _load(file: str) -> Catalog | None:
    if not os.path.isfile(file):
        reason = "is a folder" if os.path.isdir(file) else "does not exist"
        print(f"negotrack: {clean(file)} {reason}; pass the paths of two catalogs", file=sys.stderr)
        return None
    catalog, problems = load_catalog(file)
    for problem in problems:
        print(clean(str(problem)), file=sys.stderr)
    if catalog is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"{clean(file)}: {errors} error{'s' if errors != 1 else ''}; cannot compare", file=sys.stderr)
    return catalog


def _fmt(key: str, value: Any) -> str:
    if value is None:
        return "(none)"
    if key == "value" and isinstance(value, list) and len(value) == 2:
        return str(Value(value[0], value[1]))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value) if value else "(none)"
    return json.dumps(value, ensure_ascii=False)


def _details(change: Change) -> list[str]:
    old = change.old if isinstance(change.old, dict) else {}
    new = change.new if isinstance(change.new, dict) else {}
    keys = list(old) + [k for k in new if k not in old]
    if change.kind == "added":
        return [f"{k}: {_fmt(k, new[k])}" for k in keys]
    if change.kind == "removed":
        return [f"{k}: {_fmt(k, old[k])}" for k in keys]
    return [f"{k}: {_fmt(k, old.get(k))} → {_fmt(k, new.get(k))}" for k in keys if old.get(k) != new.get(k)]


class _Printer:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    def line(self, text: str = "") -> None:
        print(text)


def render_text(changes: list[Change], old_file: str, new_file: str, lines: tuple[dict, dict], colour: bool) -> None:
    """Print `changes` for a person: one heading line per change, then the fields that differ."""
    out = _Printer(colour)
    old_lines, new_lines = lines
    old_name, new_name = clean(old_file), clean(new_file)
    if not changes:
        out.line(f"{old_name} and {new_name} mean the same (formatting and comments aside)")
        return
    out.line(out.paint(f"--- {old_name}", "31") + "\n" + out.paint(f"+++ {new_name}", "32"))
    for change in changes:
        sign = out.paint(SIGNS[change.kind], COLOURS[change.kind])
        if change.section == "meta":
            value = f"{_fmt(change.key, change.old)} → {_fmt(change.key, change.new)}" if change.kind == "changed" else _fmt(change.key, change.new if change.kind == "added" else change.old)
            out.line(f"{sign} {clean(change.key)}: {clean(value)}")
            continue
        if change.section == "order":
            out.line(f"{sign} order of {clean(change.key)}: {clean(_fmt('', change.old))} → {clean(_fmt('', change.new))}")
            continue
        where = []
        if change.kind != "added" and (change.section, change.key) in old_lines:
            where.append(f"{old_name}:{old_lines[(change.section, change.key)]}")
        if change.kind != "removed" and (change.section, change.key) in new_lines:
            where.append(f"{new_name}:{new_lines[(change.section, change.key)]}")
        location = out.paint(" → ".join(where), "2") if where else ""
        out.line(f"{sign} {LABELS.get(change.section, change.section)} {clean(change.key)}  {location}".rstrip())
        for detail in _details(change):
            out.line(f"    {clean(detail)}")
    counts = {kind: sum(c.kind == kind for c in changes) for kind in SIGNS}
    out.line(f"{len(changes)} change{'s' if len(changes) != 1 else ''}: "
             + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


def diff_doc(changes: list[Change], old_file: str, new_file: str, lines: tuple[dict, dict]) -> dict[str, Any]:
    """The --format json document (docs/export.md)."""
    old_lines, new_lines = lines
    items = []
    for change in changes:
        item: dict[str, Any] = {
            "section": change.section,
            "key": change.key,
            "kind": change.kind,
            "old": change.old,
            "new": change.new,
            "old_line": old_lines.get((change.section, change.key)) if change.kind != "added" else None,
            "new_line": new_lines.get((change.section, change.key)) if change.kind != "removed" else None,
        }
        if change.section == "positions":
            item["round"], item["party"], item["demand"] = split_key(change.key)
        items.append(item)
    return {
        "old": old_file,
        "new": new_file,
        "same": not changes,
        "counts": {kind: sum(c.kind == kind for c in changes) for kind in SIGNS},
        "changes": items,
    }


def meaningful(changes: list[Change]) -> list[Change]:
    """`changes` without the order changes that only restate an addition or a removal.

    Adding a party changes the order list too; that is news only when parties present in
    both files changed places.
    """
    out = []
    for change in changes:
        if change.section == "order":
            both = set(change.old) & set(change.new)
            if [k for k in change.old if k in both] == [k for k in change.new if k in both]:
                continue
        out.append(change)
    return out


def use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    # https://no-color.org: set and not empty means no colour
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run(args: argparse.Namespace) -> int:
    old, new = _load(args.old), _load(args.new)
    if old is None or new is None:
        return 2
    changes = meaningful(doc_changes(catalog_doc(old), catalog_doc(new)))
    lines = (line_index(old), line_index(new))
    if args.format == "json":
        from negotrack.store.export.jsondoc import json_text

        sys.stdout.write(json_text(diff_doc(changes, args.old, args.new, lines)))
    else:
        render_text(changes, args.old, args.new, lines, use_colour(args.color))
    return 1 if changes else 0
