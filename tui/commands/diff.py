"""`negotrack diff OLD NEW`: what changed in meaning between two catalogs.

Exit 0 when they mean the same (formatting, comments, short vs long form do not count),
1 when they differ, 2 on error (a missing file, or either file invalid: its problems are
printed as `validate` prints them, on stderr). The comparison itself is store/changes.py,
the same one the history store uses; this module only finds line numbers and prints.

OLD and NEW are paths, `-` (standard input) or git's `REV:PATH`; `--git REV1 [REV2] FILE`
compares committed versions. Given the seven (or, for a rename, nine) arguments git passes an
external diff driver, it works as one (docs/git.md): it names the real path, shows an invalid
version as a line diff, and exits 0 so that git goes on to the next file.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from negotrack.store import Catalog, Value
from negotrack.store.changes import Change, catalog_doc, doc_changes, split_key
from negotrack.store.gitrev import GitError, Tracked
from negotrack.store.text import clean

from ..inputs import STDIN, Input, InputError, print_problems, read_input

#: catalog document section -> the word a reader uses
LABELS = {"parties": "party", "demands": "demand", "sources": "source", "rounds": "round", "positions": "position"}
SIGNS = {"added": "+", "removed": "-", "changed": "~"}
STYLES = {"added": "green", "removed": "red", "changed": "yellow"}
#: git passes an external diff driver: path old-file old-hex old-mode new-file new-hex new-mode,
#: and for a rename also the new path and a description of the rename
GIT_DRIVER_ARGS = (7, 9)
NO_FILE = "/dev/null"  # what git passes for the missing side of an added or deleted file


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE",
        help="OLD NEW: each a path, - for standard input, or REV:PATH (a file as committed in git); "
        "with --git: REV1 [REV2] FILE",
    )
    parser.add_argument("--git", action="store_true",
                        help="compare FILE as committed in REV1 with REV2 (default: FILE as it is on disk)")
    parser.add_argument("--label", action="append", metavar="NAME", default=[],
                        help="the name to show instead of a file's (once: both sides; twice: OLD, then NEW)")
    parser.add_argument("--no-claims", action="store_true",
                        help="leave out claims (one side's account of another side's stance)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="auto: colour on a terminal, none with NO_COLOR or TERM=dumb, forced by FORCE_COLOR",
    )


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the comparison: its name in the output, and its catalog (None: no file)."""

    name: str
    catalog: Catalog | None


def line_index(catalog: Catalog | None) -> dict[tuple[str, str], int]:
    """(section, key) -> the line where that entry starts, for every entry of `catalog`."""
    index: dict[tuple[str, str], int] = {}
    if catalog is None:
        return index
    index.update({("parties", p.id): p.line for p in catalog.parties})
    index.update({("demands", d.id): d.line for d in catalog.demands})
    index.update({("sources", s.id): s.line for s in catalog.sources})
    for rnd in catalog.rounds:
        index[("rounds", rnd.id)] = rnd.line
        for (party, demand), position in rnd.positions.items():
            index[("positions", f"{rnd.id}/{party}/{demand}")] = position.line
    return index


def meaning(catalog: Catalog | None, *, claims: bool = True) -> dict[str, Any]:
    """The document compared: `catalog_doc`, without the claims when `claims` is False."""
    if catalog is None:
        return {}
    doc = catalog_doc(catalog)
    if not claims:
        kept = {f"{r.id}/{party}/{demand}" for r in catalog.rounds
                for (party, demand), p in r.positions.items() if not p.claim}
        doc["positions"] = {key: value for key, value in doc["positions"].items() if key in kept}
    return doc


def show_value(key: str, value: Any) -> str:
    """A field's value as diff and textconv print it: ranges as ranges, lists of ids joined."""
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
        return [f"{k}: {show_value(k, new[k])}" for k in keys]
    if change.kind == "removed":
        return [f"{k}: {show_value(k, old[k])}" for k in keys]
    return [f"{k}: {show_value(k, old.get(k))} → {show_value(k, new.get(k))}" for k in keys if old.get(k) != new.get(k)]


def console(choice: str, file: Any = None):
    """A Rich console for the diff: colour by `--color`, and in `auto` by the environment.

    Rich decides `auto` the usual way: a terminal gets colour, TERM=dumb gets none, FORCE_COLOR
    forces it into a pipe. NO_COLOR (set, not empty) turns off every escape code, not only the
    colours Rich would drop (its dim location text too). Lines are never wrapped.
    """
    from rich.console import Console

    options: dict[str, Any] = {"file": file or sys.stdout, "highlight": False, "markup": False,
                               "emoji": False, "soft_wrap": True}
    if choice == "always":
        options.update(force_terminal=True, no_color=False, color_system="standard")
    elif choice == "never" or os.environ.get("NO_COLOR"):
        options.update(color_system=None, no_color=True)
    return Console(**options)


def render_text(changes: list[Change], old: Side, new: Side, out) -> None:
    """Print `changes` for a person: one heading line per change, then the fields that differ."""
    from rich.text import Text

    old_lines, new_lines = line_index(old.catalog), line_index(new.catalog)
    old_name, new_name = clean(old.name), clean(new.name)
    if not changes:
        out.print(Text(f"{old_name} and {new_name} mean the same (formatting and comments aside)"))
        return
    out.print(Text(f"--- {old_name}", "red"))
    out.print(Text(f"+++ {new_name}", "green"))
    for change in changes:
        line = Text.assemble((SIGNS[change.kind], STYLES[change.kind]), " ")
        if change.section == "meta":
            if change.kind == "changed":
                value = f"{show_value(change.key, change.old)} → {show_value(change.key, change.new)}"
            else:
                value = show_value(change.key, change.new if change.kind == "added" else change.old)
            out.print(line.append(clean(f"{change.key}: {value}")))
            continue
        if change.section == "order":
            out.print(line.append(clean(f"order of {change.key}: {show_value('', change.old)} → {show_value('', change.new)}")))
            continue
        where = []
        if change.kind != "added" and (change.section, change.key) in old_lines:
            where.append(f"{old_name}:{old_lines[(change.section, change.key)]}")
        if change.kind != "removed" and (change.section, change.key) in new_lines:
            where.append(f"{new_name}:{new_lines[(change.section, change.key)]}")
        line.append(f"{LABELS.get(change.section, change.section)} {clean(change.key)}")
        if where:
            line.append("  ").append(" → ".join(where), "dim")
        out.print(line)
        for detail in _details(change):
            out.print(Text(f"    {clean(detail)}"))
    counts = {kind: sum(c.kind == kind for c in changes) for kind in SIGNS}
    out.print(Text(f"{len(changes)} change{'s' if len(changes) != 1 else ''}: "
                   + ", ".join(f"{n} {kind}" for kind, n in counts.items())))


def diff_doc(changes: list[Change], old: Side, new: Side) -> dict[str, Any]:
    """The --format json document (docs/export.md)."""
    old_lines, new_lines = line_index(old.catalog), line_index(new.catalog)
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
        "old": old.name,
        "new": new.name,
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


def compare(old: Side, new: Side, args: argparse.Namespace) -> int:
    """Print the changes from `old` to `new`; 0 when they mean the same, 1 when not."""
    claims = not args.no_claims
    changes = meaningful(doc_changes(meaning(old.catalog, claims=claims), meaning(new.catalog, claims=claims)))
    if args.format == "json":
        from negotrack.store.export.jsondoc import json_text

        sys.stdout.write(json_text(diff_doc(changes, old, new)))
    else:
        render_text(changes, old, new, console(args.color))
    return 1 if changes else 0


def _labels(args: argparse.Namespace, old: str, new: str) -> tuple[str, str]:
    labels = args.label
    if len(labels) > 2:
        raise InputError("--label is given at most twice (OLD, then NEW)")
    if not labels:
        return old, new
    return labels[0], labels[-1]


def _git_inputs(args: argparse.Namespace) -> tuple[Input, Input]:
    """`--git REV1 REV2 FILE` or `--git REV FILE` (REV against the file on disk)."""
    if len(args.files) not in (2, 3):
        raise InputError("--git takes REV1 REV2 FILE, or REV FILE to compare with the file on disk")
    *revs, file = args.files
    try:
        tracked = Tracked.of(file)
        versions = [Input(f"{rev}:{tracked.path}", tracked.read(rev)) for rev in revs]
    except GitError as exc:
        raise InputError(clean(str(exc))) from None
    if len(versions) == 1:
        versions.append(read_input(file))
    return versions[0], versions[1]


def _load(source: Input, name: str) -> Side | None:
    catalog, problems = source.parse()
    if catalog is None:
        print_problems(problems, source.name, "cannot compare")
        return None
    return Side(name, catalog)


def run_git_driver(args: argparse.Namespace) -> int:
    """As git's external diff driver: always exit 0 unless the arguments are wrong.

    git stops the whole `git diff` with "external diff died" on any other status, so a
    difference, and even an invalid version, is shown and the status stays 0.
    """
    files = args.files
    path = files[7] if len(files) == 9 and files[7] != files[0] else files[0]
    old_name, new_name = _labels(args, files[0], path)
    sides = []
    for file, name in ((files[1], old_name), (files[4], new_name)):
        if file == NO_FILE:
            sides.append((Side(f"{name} (no file)", None), b""))
            continue
        source = read_input(file)
        catalog, problems = source.parse()
        sides.append((Side(name, catalog), source.data))
        if catalog is None:
            print(f"{clean(name)}: this version is not a valid catalog:")
            for problem in problems:
                print(f"  {clean(str(problem)).replace(clean(source.name), clean(name), 1)}")
    (old, old_data), (new, new_data) = sides
    if (old.catalog is None and old_data) or (new.catalog is None and new_data):
        # an invalid version has no meaning to compare: show what changed line by line
        lines = difflib.unified_diff(
            old_data.decode("utf-8", "replace").splitlines(keepends=True),
            new_data.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=f"a/{old_name}", tofile=f"b/{new_name}",
        )
        sys.stdout.write(clean("".join(lines)))
        return 0
    compare(old, new, args)
    return 0


def run(args: argparse.Namespace) -> int:
    files = args.files
    try:
        if not args.git and len(files) in GIT_DRIVER_ARGS:
            return run_git_driver(args)
        if args.git:
            old_input, new_input = _git_inputs(args)
        elif len(files) == 2:
            old_input = read_input(files[0])
            new_input = read_input(files[1], stdin_taken=files[0] == STDIN)
        else:
            raise InputError(f"{len(files)} files given")
        old_name, new_name = _labels(args, old_input.name, new_input.name)
    except InputError as exc:
        print(f"negotrack: {exc}; pass two catalogs: OLD NEW (paths, - or REV:PATH), or --git REV1 REV2 FILE",
              file=sys.stderr)
        return 2
    old, new = _load(old_input, old_name), _load(new_input, new_name)
    if old is None or new is None:
        return 2
    return compare(old, new, args)
