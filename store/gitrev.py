"""A catalog's versions in git, read with the `git` command; nothing is ever written.

`git cat-file blob REV:PATH` reads a version exactly as committed (no textconv, so a
`diff=negotrack` attribute cannot feed negotrack its own summary back). Every failure is a
`GitError` whose message says what to do; nothing here raises anything else.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: `REV:PATH`, git's own syntax for a file in a commit (`HEAD~2:positions.yaml`)
REV_SEPARATOR = ":"


class GitError(Exception):
    """git is missing, the file is outside a repository, or a revision does not exist."""


@dataclass(frozen=True, slots=True)
class Commit:
    hash: str
    date: str  # the author date, ISO 8601
    subject: str


def _git(args: list[str], cwd: str | os.PathLike[str]) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[0].removeprefix("fatal: ") if message else f"git {args[0]} failed")
    return proc.stdout


@dataclass(frozen=True, slots=True)
class Tracked:
    """A catalog path inside a repository: `top` the work tree, `path` relative to it (with /)."""

    top: str
    path: str

    @classmethod
    def of(cls, file: str | os.PathLike[str]) -> "Tracked":
        """Where `file` (which need not exist any more) sits in its repository."""
        absolute = Path(os.path.abspath(file))
        folder = absolute.parent
        if not folder.is_dir():
            raise GitError(f"{folder} does not exist")
        top = _git(["rev-parse", "--show-toplevel"], folder).decode("utf-8", "surrogateescape").strip()
        # realpath on both sides: a symlinked checkout (or /tmp on macOS) must not look outside
        relative = os.path.relpath(os.path.realpath(absolute), os.path.realpath(top))
        if relative.startswith(os.pardir):
            raise GitError(f"{file} is outside the repository at {top}")
        return cls(top, Path(relative).as_posix())

    def commits(self) -> list[Commit]:
        """The commits that changed this path, oldest first (renames are not followed)."""
        out = _git(["log", "--format=%H%x00%aI%x00%s%x00", "--", self.path], self.top)
        fields = out.decode("utf-8", "replace").split("\0")
        commits = [Commit(h.strip(), d, s) for h, d, s in zip(fields[0::3], fields[1::3], fields[2::3])]
        return commits[::-1]

    def read(self, rev: str) -> bytes:
        """The file as committed in `rev` (a commit, tag, branch or any git revision)."""
        return read_blob(rev, self.path, self.top)


def read_blob(rev: str, path: str, cwd: str | os.PathLike[str]) -> bytes:
    """`git cat-file blob REV:PATH` run in `cwd`; PATH is git's (from the top, or ./relative)."""
    if rev.startswith("-"):
        raise GitError(f"{rev} is not a revision")
    try:
        return _git(["cat-file", "blob", f"{rev}{REV_SEPARATOR}{path}"], cwd)
    except GitError as exc:
        raise GitError(f"cannot read {path} at {rev}: {exc}") from None


def split_rev_path(arg: str) -> tuple[str, str] | None:
    """`("HEAD~1", "positions.yaml")` for `HEAD~1:positions.yaml`; None when `arg` is not of that form.

    The caller checks first that no file of that name exists (a path may contain a colon).
    """
    rev, sep, path = arg.partition(REV_SEPARATOR)
    if not sep or not rev or not path:
        return None
    return rev, path
