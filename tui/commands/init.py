"""`negotrack init FILE`: write a small, commented starter catalog; never overwrite.

Its first line points editors with the YAML language server at the schema negotrack installs,
so a new catalog gets completion and checks without any set-up.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib.resources import files

from negotrack.store.shipped import schema_path
from negotrack.store.text import clean


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="where to write the new catalog")


def modeline() -> bytes:
    """`# yaml-language-server: $schema=file:///...` naming the installed schema."""
    return f"# yaml-language-server: $schema={schema_path().as_uri()}\n".encode("utf-8")


def run(args: argparse.Namespace) -> int:
    starter = modeline() + files("negotrack.store").joinpath("starter.yaml").read_bytes()
    try:
        # "x" mode: the check and the creation are one step, so nothing is ever overwritten.
        with open(args.file, "xb") as fh:
            fh.write(starter)
    except FileExistsError:
        print(f"negotrack: {clean(args.file)} already exists; choose another name (init never overwrites)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"negotrack: cannot write {clean(args.file)}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {clean(args.file)}; open it with: negotrack {clean(os.fspath(args.file))}")
    print("the format: negotrack docs format; editors with the YAML language server complete it from its first line")
    return 0
