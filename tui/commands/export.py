"""`negotrack export FILE [--format md|csv|json|html] [-o OUT] [--no-claims]`: a report of the whole record.

Exit 0 written, 1 the catalog has problems (printed as `validate` prints them, on stderr so
that they never end up inside the export), 2 unreadable file, or OUT would be the catalog.
"""

from __future__ import annotations

import argparse
import os
import sys

from negotrack.store.text import clean

from ..inputs import InputError, read_input

FORMATS = ("md", "csv", "json", "html")
#: what `-o report.html` means when no --format is given
EXTENSIONS = {".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json", ".html": "html", ".htm": "html"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the catalog to export")
    parser.add_argument(
        "--format", "-f", choices=FORMATS, default=None,
        help="md (report), csv (spreadsheet), json (other tools) or html (one self-contained page); "
        "default: from OUT's extension, else md",
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout (never over FILE)")
    parser.add_argument("--no-bom", action="store_true", help="csv: leave out the UTF-8 byte-order mark that spreadsheets need")
    parser.add_argument(
        "--no-claims", action="store_true",
        help="leave out claims (one side's account of another side's stance): they then take no part "
        "in shifts or gaps, and the export says so",
    )


def _fail(message: str) -> int:
    print(f"negotrack: {clean(message)}", file=sys.stderr)
    return 2


def same_file(a: str, b: str) -> bool:
    """True when `b` is, or would be written through to, the file `a` (links included)."""
    try:
        if os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        return EXTENSIONS.get(os.path.splitext(args.output)[1].lower(), "md")
    return "md"


def run(args: argparse.Namespace) -> int:
    out = args.output
    try:
        source = read_input(args.file)  # a path, - (standard input) or REV:PATH
    except InputError as exc:
        return _fail(f"{exc}; pass the path of a catalog such as positions.yaml, or - for standard input")
    file = source.name
    if out is not None:
        if source.path is not None and same_file(source.path, out):
            return _fail(f"refusing to write the export over the catalog itself ({out} is {file}); choose another -o")
        if os.path.isdir(out):
            return _fail(f"{out} is a folder; give -o the name of the file to write")
    catalog, problems = source.parse()
    if catalog is None or problems:
        for problem in problems:
            print(clean(str(problem)), file=sys.stderr)
        errors = sum(p.severity == "error" for p in problems)
        print(f"{clean(file)}: {errors} error{'s' if errors != 1 else ''}; nothing exported", file=sys.stderr)
        return 1
    from negotrack.store.analysis import analyze
    from negotrack.store.export import to_csv, to_html, to_json, to_markdown

    fmt = _format(args)
    analysis = analyze(catalog, claims=not args.no_claims)
    if fmt == "csv":
        text = to_csv(catalog, analysis, bom=not args.no_bom)
    else:
        text = {"md": to_markdown, "json": to_json, "html": to_html}[fmt](catalog, analysis)
    data = text.encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        with open(out, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"wrote {clean(out)} ({fmt}, {len(data):,} bytes)", file=sys.stderr)
    return 0
