"""`negotrack init FILE`: write a small, commented starter catalog; never overwrite."""

from __future__ import annotations

import argparse
import os
import sys
from importlib.resources import files

from negotrack.store.text import clean


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="where to write the new catalog")


def run(args: argparse.Namespace) -> int:
    starter = files("negotrack.store").joinpath("starter.yaml").read_bytes()
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
    return 0
