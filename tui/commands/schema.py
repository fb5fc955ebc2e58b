"""`negotrack schema`: print the JSON Schema of the catalog format, for editors."""

from __future__ import annotations

import argparse
import sys

from negotrack.store.schema import schema_text


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print the JSON Schema (draft 2020-12) of the catalog format. Save it, or use the copy "
        "in schema/negotrack.schema.json, and point your editor at it with a first line such as "
        "`# yaml-language-server: $schema=schema/negotrack.schema.json`. "
        "The schema checks shape only; `negotrack validate` remains the authority."
    )


def run(args: argparse.Namespace) -> int:  # noqa: ARG001 - the command takes no options
    sys.stdout.buffer.write(schema_text().encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0
