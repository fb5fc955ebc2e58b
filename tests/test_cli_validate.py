"""`negotrack validate` and `negotrack init` through the real entry point.

Exit status: 0 every file valid, 1 some file has problems, 2 a file is missing or unreadable
(or a usage error). Problems go to stdout as FILE:LINE:COL: error: message; the per-file
error count goes to stderr.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from negotrack.tui.cli import main

VALID = textwrap.dedent(
    """\
    title: Talks
    parties:
      hamas:
        name: Hamas
      israel:
        name: Israel
    demands:
      ceasefire:
        title: Ceasefire
        scale: [no ceasefire, temporary truce, permanent ceasefire]
      ratio:
        title: Prisoners per captive
        unit: prisoners per captive
    rounds:
      - id: paris-2024-02
        date: 2024-02-23
        positions:
          hamas:
            ceasefire: permanent ceasefire
            ratio: [3, 13]
          israel:
            ceasefire: temporary truce
    """
)
# two problems: line 2 (unknown key with a hint), line 23 (stance off the scale)
INVALID = VALID.replace("title: Talks\n", "title: Talks\ntitel: Talks\n").replace("ceasefire: temporary truce", "ceasefire: truce")

PROBLEM_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): error: (?P<message>.+)$")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.yaml"
    bad = tmp_path / "bad.yaml"
    good.write_text(VALID, encoding="utf-8")
    bad.write_text(INVALID, encoding="utf-8")
    return {"good": good, "bad": bad, "missing": tmp_path / "missing.yaml", "folder": tmp_path}


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


# ------------------------------------------------------------------------- exit codes


def test_valid_file_exits_0_with_a_one_line_summary(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", files["good"])
    assert status == 0
    assert out == f"{files['good']}: ok: 2 parties, 2 demands, 1 round, 3 positions\n"
    assert err == ""


def test_file_with_problems_exits_1_and_prints_each_problem(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", files["bad"])
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 2
    parsed = [PROBLEM_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m["file"], m["line"], m["column"]) for m in parsed] == [(str(files["bad"]), "2", "1"), (str(files["bad"]), "23", "20")]
    assert "did you mean `title`?" in parsed[0]["message"]
    assert "stance `truce` is not on the scale of `ceasefire`" in parsed[1]["message"]
    assert err == f"{files['bad']}: 2 errors\n"
    assert "Traceback" not in out + err


def test_missing_file_exits_2(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", files["missing"])
    assert status == 2
    assert out == ""
    assert f"{files['missing']} does not exist" in err


def test_folder_exits_2(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", files["folder"])
    assert status == 2
    assert f"{files['folder']} is a folder" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_exits_2(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    files["good"].chmod(0)
    try:
        status, _, err = run(capsys, "validate", files["good"])
    finally:
        files["good"].chmod(0o644)
    assert status == 2
    assert "cannot be read" in err


def test_several_files_one_bad_exits_1_and_checks_them_all(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", files["bad"], files["good"])
    assert status == 1
    assert f"{files['good']}: ok: " in out
    assert out.count(f"{files['bad']}:") == 2
    assert f"{files['bad']}: 2 errors" in err


def test_several_files_one_missing_exits_2_and_still_checks_the_others(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", files["good"], files["missing"], files["bad"])
    assert status == 2
    assert f"{files['good']}: ok: " in out
    assert f"{files['bad']}:2:1: error: " in out
    assert "does not exist" in err


def test_all_valid_files_exit_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    other = files["good"].with_name("other.yaml")
    other.write_text(VALID)
    status, out, _ = run(capsys, "validate", files["good"], other)
    assert status == 0
    assert len(out.splitlines()) == 2


def test_no_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    assert "usage: negotrack validate" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "xml", str(files["good"])])
    assert exc.value.code == 2


# -------------------------------------------------------------------------------- json


def test_json_is_a_list_of_problem_objects(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "--format", "json", files["bad"], files["good"])
    assert status == 1
    problems = json.loads(out)
    assert isinstance(problems, list) and len(problems) == 2
    for p in problems:
        assert set(p) == {"file", "line", "column", "severity", "message"}
        assert isinstance(p["line"], int) and isinstance(p["column"], int)
        assert p["severity"] == "error" and p["file"] == str(files["bad"])
    assert [(p["line"], p["column"]) for p in problems] == [(2, 1), (23, 20)]
    assert "did you mean `title`?" in problems[0]["message"]


def test_json_for_a_valid_file_is_an_empty_list(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", files["good"], "--format", "json")
    assert status == 0
    assert json.loads(out) == []


def test_json_with_a_missing_file_exits_2(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "--format", "json", files["missing"], files["bad"])
    assert status == 2
    missing, *problems = json.loads(out)
    assert len(problems) == 2
    assert missing["severity"] == "error" and missing["file"] == str(files["missing"])
    assert "does not exist" in missing["message"]
    assert set(missing) == {"file", "line", "column", "severity", "message"}


def test_json_with_only_a_missing_file_is_not_an_empty_list(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "--format", "json", files["folder"])
    assert status == 2
    [problem] = json.loads(out)
    assert problem["severity"] == "error" and "is a folder" in problem["message"]


def test_standard_input_is_read_for_a_dash(files: dict[str, Path]) -> None:
    for name, status in (("good", 0), ("bad", 1)):
        proc = subprocess.run([sys.executable, "-m", "negotrack.tui.cli", "validate", "-"],
                              input=files[name].read_bytes(), capture_output=True, timeout=60)
        assert proc.returncode == status, proc.stderr
    assert proc.stdout.decode().splitlines()[0].startswith("<stdin>:2:1: error: ")
    twice = subprocess.run([sys.executable, "-m", "negotrack.tui.cli", "validate", "-", "-"],
                           input=b"", capture_output=True, timeout=60)
    assert twice.returncode == 2 and b"only once" in twice.stderr


# ----------------------------------------------------------------- control characters


ESC_KEY = VALID.replace("title: Talks\n", 'title: Talks\n"\\e[2J\\e]0;owned\\a": 1\n')


def test_control_characters_in_messages_are_neutralized(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "esc.yaml"
    path.write_text(ESC_KEY)
    status, out, err = run(capsys, "validate", path)
    assert status == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "unknown key `␛[2J␛]0;owned␇`" in out


def test_control_characters_are_neutralized_in_json_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "esc.yaml"
    path.write_text(ESC_KEY)
    status, out, _ = run(capsys, "validate", "--format", "json", path)
    assert status == 1
    assert "\x1b" not in out and "\\u001b" not in out
    assert "␛[2J" in json.loads(out)[0]["message"]


def test_control_characters_in_a_file_name_are_neutralized(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil\x1b[2J.yaml"
    path.write_text(VALID)
    status, out, err = run(capsys, "validate", path)
    assert status == 0
    assert "\x1b" not in out + err
    assert "evil␛[2J.yaml: ok: " in out


def test_a_newline_in_a_key_cannot_forge_problem_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "forge.yaml"
    path.write_text(VALID.replace("title: Talks\n", 'title: Talks\n"x\\nother.yaml:1:1: error: forged\\ny": 1\n'))
    status, out, _ = run(capsys, "validate", path)
    assert status == 1
    assert out.splitlines() and all(line.startswith(f"{path}:") for line in out.splitlines())


# -------------------------------------------------------------------------------- init


def test_init_writes_a_catalog_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "positions.yaml"
    status, out, _ = run(capsys, "init", path)
    assert status == 0
    assert f"wrote {path}" in out
    status, out, err = run(capsys, "validate", path)
    assert status == 0, out + err
    assert out.startswith(f"{path}: ok: ")


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "positions.yaml"
    path.write_text("mine: do not touch\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    status, out, err = run(capsys, "init", path)
    assert status == 2
    assert "already exists" in err
    assert path.read_text() == "mine: do not touch\n"
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_init_into_a_missing_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "init", tmp_path / "no" / "such" / "positions.yaml")
    assert status == 2
    assert "cannot write" in err


# ------------------------------------------------------------------- version and help


@pytest.mark.parametrize(("argv", "expected"), [
    (["--version"], "negotrack "),
    (["--help"], "usage: negotrack"),
    (["validate", "--help"], "usage: negotrack validate"),
    (["init", "--help"], "usage: negotrack init"),
])
def test_version_and_help_exit_0(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code in (0, None)
    assert capsys.readouterr().out.startswith(expected)


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "validate" in out and "init" in out


# ----------------------------------------------------------------- the console script


SCRIPT = Path(sys.executable).parent / "negotrack"


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed next to this python")
def test_installed_console_script_validates(files: dict[str, Path]) -> None:
    proc = subprocess.run([str(SCRIPT), "validate", str(files["good"]), str(files["bad"])],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"{files['good']}: ok: 2 parties, 2 demands, 1 round, 3 positions"
    assert [line.split(": error: ")[0] for line in lines[1:]] == [f"{files['bad']}:2:1", f"{files['bad']}:23:20"]
    assert proc.stderr == f"{files['bad']}: 2 errors\n"

    proc = subprocess.run([str(SCRIPT), "validate", "--format", "json", str(files["good"])],
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, [])

    proc = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("negotrack ")
