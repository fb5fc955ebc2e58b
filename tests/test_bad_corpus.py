"""The hostile corpus: every file in tests/data/bad/ is refused with a precise, one-line problem.

Each bad file is wrong in one way. Its first line is `# expect: LINE:COL substring`: the
validator must report a problem at exactly LINE:COL whose message contains the substring.
Files that cannot carry a comment (empty, binary, other encodings) have their expectation in
NO_COMMENT below. Every file in tests/data/good/ must validate.

Files that push the YAML parser to its limits (nesting 100,000 deep...) run the same entry
point in a child process, so a crash of the C parser fails the test instead of killing pytest.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from negotrack.tui.cli import main

DATA = Path(__file__).parent / "data"
BAD = sorted((DATA / "bad").glob("*.yaml"))
GOOD = sorted((DATA / "good").glob("*.yaml"))

EXPECT = re.compile(rb"^# expect: (\d+):(\d+) (.+?)\r?$")
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: error: ")

#: files whose first line cannot be a comment without changing what they test
NO_COMMENT: dict[str, tuple[int, int, str]] = {
    "empty.yaml": (1, 1, "the file is empty"),
    "utf16_with_bom.yaml": (1, 1, "the file is not UTF-8 (byte 0xff at offset 0)"),
    "utf16be_with_bom.yaml": (1, 1, "the file is not UTF-8 (byte 0xfe at offset 0)"),
    "binary_png_header.yaml": (1, 1, "the file is not UTF-8 (byte 0x89 at offset 0)"),
}

#: files that could crash the process (deep recursion in libyaml): run in a child process
SUBPROCESS = {
    "nesting_brackets_100000.yaml",
    "nesting_dashes_100000.yaml",
    "nesting_brackets_after_quoted_closers.yaml",
}



def expectation(path: Path) -> tuple[int, int, str]:
    if path.name in NO_COMMENT:
        return NO_COMMENT[path.name]
    first = path.read_bytes().split(b"\n", 1)[0]
    match = EXPECT.match(first)
    assert match, f"{path.name}: the first line must be `# expect: LINE:COL substring`"
    return int(match[1]), int(match[2]), match[3].decode("utf-8")


def _param(path: Path):
    return pytest.param(path, id=path.name)


def _no_core_dump() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    if path.name in SUBPROCESS:
        code = "import sys; from negotrack.tui.cli import main; sys.exit(main(sys.argv[1:]))"
        proc = subprocess.run(
            [sys.executable, "-c", code, "validate", str(path)],
            capture_output=True, text=True, timeout=30, preexec_fn=_no_core_dump,
        )
        return proc.returncode, proc.stdout, proc.stderr
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return status, out, err


def test_corpus_is_big_enough() -> None:
    assert len(BAD) >= 40
    assert GOOD, "tests/data/good/ holds the valid counterparts"
    assert not (set(NO_COMMENT) | SUBPROCESS) - {p.name for p in BAD}


@pytest.mark.parametrize("path", [_param(p) for p in BAD])
def test_bad_file_is_refused_precisely(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line, column, substring = expectation(path)
    status, out, err = _validate(path, capsys)

    assert "Traceback" not in out + err
    assert "unexpected error" not in err
    assert status == 1, f"exit {status}\nstdout: {out[:2000]}\nstderr: {err[:2000]}"
    lines = out.splitlines()
    assert lines, "a refused file prints at least one problem"
    for printed in lines:
        assert PROBLEM_LINE.match(printed), f"not a FILE:LINE:COL: error: line: {printed[:300]!r}"
        assert printed.startswith(f"{path}:"), f"a line that names another file: {printed[:300]!r}"
        assert "\x1b" not in printed
    prefix = f"{path}:{line}:{column}: error: "
    hits = [p for p in lines if p.startswith(prefix) and substring in p]
    assert hits, f"no problem at {line}:{column} containing {substring!r}; got:\n" + "\n".join(p[:300] for p in lines)
    assert re.search(r": \d+ errors?$", err.strip()), err


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in GOOD])
def test_good_file_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert out.strip().startswith(f"{path}: ok: ")
    assert err == ""


def test_deep_brackets_with_a_nul_are_a_located_problem_not_a_crash():
    """Found by tools.fuzz: the depth check's fallback reader refused the NUL in its
    constructor, outside the check's error handling."""
    from negotrack.store import parse_catalog

    catalog, problems = parse_catalog(b"[" * 1200 + b"]" * 1200 + b"\na\x00b", "r.yaml")
    assert catalog is None and problems
    assert all(p.line >= 1 and p.column >= 1 for p in problems)
