"""Where a command reads a catalog: a file, `-` (standard input) or `REV:PATH` (a file in git).

The commands that open no dashboard (validate, export, diff) share this, so each kind of input
reads and fails the same way everywhere. Textual is not imported here.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from negotrack.store import Catalog, Problem, parse_catalog
from negotrack.store.gitrev import GitError, read_blob, split_rev_path
from negotrack.store.text import clean

STDIN = "-"
STDIN_NAME = "<stdin>"


class InputError(Exception):
    """The input cannot be read; the message names it and says why, ready to print."""


@dataclass(frozen=True, slots=True)
class Input:
    name: str  # what messages call it: the path, <stdin>, or REV:PATH
    data: bytes
    path: str | None = None  # the file on disk, when it is one

    def parse(self) -> tuple[Catalog | None, list[Problem]]:
        return parse_catalog(self.data, self.name)


def read_input(arg: str, *, stdin_taken: bool = False) -> Input:
    """Read `arg`: `-` is standard input, an existing path a file, `REV:PATH` a committed file."""
    if arg == STDIN:
        if stdin_taken:
            raise InputError("standard input (-) can be read only once")
        return Input(STDIN_NAME, sys.stdin.buffer.read())
    if os.path.isdir(arg):
        raise InputError(f"{clean(arg)} is a folder")
    if os.path.exists(arg):
        try:
            with open(arg, "rb") as fh:
                return Input(arg, fh.read(), arg)
        except PermissionError:
            raise InputError(f"{clean(arg)} cannot be read (permission denied)") from None
        except OSError as exc:
            raise InputError(f"{clean(arg)} cannot be read ({exc.strerror or exc})") from None
    rev_path = split_rev_path(arg)
    if rev_path is not None:
        try:
            return Input(arg, read_blob(*rev_path, os.getcwd()))
        except GitError as exc:
            raise InputError(f"{clean(arg)} is no file here, and git says: {clean(str(exc))}") from None
    raise InputError(f"{clean(arg)} does not exist")


def print_problems(problems: list[Problem], name: str, what_next: str) -> None:
    """Every problem as `validate` prints it, then `NAME: N errors; WHAT_NEXT`, all on stderr."""
    for problem in problems:
        print(clean(str(problem)), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{clean(name)}: {errors} error{'s' if errors != 1 else ''}; {what_next}", file=sys.stderr)
