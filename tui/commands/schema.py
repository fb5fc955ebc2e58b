"""`negotrack schema`: print the JSON Schema of the catalog format, for editors."""

from __future__ import annotations

import argparse
import sys

from negotrack.store.schema import schema_text
from negotrack.store.shipped import schema_path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print the JSON Schema (draft 2020-12) of the catalog format. negotrack installs it too "
        "(`negotrack schema --path` prints where); `negotrack init` points new catalogs at it with "
        "a first line `# yaml-language-server: $schema=...`, which editors with the YAML language "
        "server read. The schema checks shape only; `negotrack validate` remains the authority."
    )
    parser.add_argument("--path", action="store_true", help="print where the installed schema file is (with --export: the export's), not the schema")
    parser.add_argument("--export", action="store_true", help="print the JSON Schema of `negotrack export --format json` instead")


def run(args: argparse.Namespace) -> int:
    if args.path:
        path = schema_path(export=args.export)
        if not path.is_file():
            print(f"negotrack: the schema is not installed at {path}; reinstall negotrack, "
                  "or save it with: negotrack schema > negotrack.schema.json", file=sys.stderr)
            return 2
        print(path)
        return 0
    if args.export:
        from negotrack.store.export.exportschema import export_schema_text

        sys.stdout.buffer.write(export_schema_text().encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    sys.stdout.buffer.write(schema_text().encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0
