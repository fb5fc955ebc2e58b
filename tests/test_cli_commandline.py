"""The command line around the commands: standard input, a misspelt command, shell completion,
and diff without claims."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from negotrack.tui import cli
from negotrack.tui.cli import COMMANDS, main

DATA = Path(__file__).parent / "data" / "export"
BASIC, CHANGED = DATA / "basic.yaml", DATA / "basic_changed.yaml"


def negotrack(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "negotrack.tui.cli", *args], input=stdin,
                          capture_output=True, timeout=60, cwd=cwd)


# ----------------------------------------------------------------------- standard input


def test_diff_and_export_read_a_dash_from_standard_input() -> None:
    diff = negotrack("diff", "-", str(CHANGED), stdin=BASIC.read_bytes())
    assert diff.returncode == 1, diff.stderr
    assert b"~ position r2/north/access  <stdin>:" in diff.stdout
    exported = negotrack("export", "-", "--format", "json", stdin=BASIC.read_bytes())
    assert exported.returncode == 0, exported.stderr
    from_stdin = json.loads(exported.stdout)
    from_file = json.loads(negotrack("export", str(BASIC), "--format", "json").stdout)
    assert (from_stdin["catalog"].pop("file"), from_file["catalog"].pop("file")) == ("<stdin>", BASIC.name)
    assert from_stdin == from_file


def test_standard_input_cannot_be_both_sides() -> None:
    result = negotrack("diff", "-", "-", stdin=BASIC.read_bytes())
    assert result.returncode == 2 and b"only once" in result.stderr


# ------------------------------------------------------------------ a misspelt command


def test_a_misspelt_command_is_suggested(capsys) -> None:
    assert main(["valdiate", "x.yaml"]) == 2
    assert "did you mean: negotrack validate x.yaml" in capsys.readouterr().err


def test_an_existing_file_is_never_taken_for_a_misspelt_command(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "valdiate").write_text("title: x\n")
    assert cli._misspelt_command(["valdiate"]) is None
    assert cli._misspelt_command(["talks.yaml"]) is None  # nothing close: the dashboard says it is missing
    assert cli._misspelt_command(["exprot", "a.yaml"]) == "export"


# ---------------------------------------------------------------------- shell completion


@pytest.fixture(scope="module")
def scripts() -> dict[str, str]:
    pytest.importorskip("shtab")
    out = {}
    for shell in ("bash", "zsh", "fish"):
        result = negotrack("completion", shell)
        assert result.returncode == 0, result.stderr
        out[shell] = result.stdout.decode()
    return out


def test_every_command_is_in_every_script(scripts: dict[str, str]) -> None:
    for shell, script in scripts.items():
        missing = [name for name in COMMANDS if name not in script]
        assert not missing, f"{shell} does not complete {missing}"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_and_files(scripts: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "negotrack.bash"
    script.write_text(scripts["bash"])

    def complete(*words: str) -> list[str]:
        shell = (f"source {script}; COMP_WORDS=(negotrack {' '.join(words)}); "
                 f"COMP_CWORD={len(words)}; _shtab_negotrack; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        return subprocess.run(["bash", "-c", shell], capture_output=True, text=True, cwd=DATA, timeout=30).stdout.split()

    assert complete("val") == ["validate"]
    assert "--format" in complete("diff", "--fo")
    assert complete("completion", "''") == ["bash", "zsh", "fish"]
    assert "format" in complete("docs", "''") and "basic.yaml" not in complete("docs", "''")
    assert sorted(complete("validate", "basic_c")) == ["basic_changed.yaml"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_commands_options_and_files(scripts: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "negotrack.fish"
    script.write_text(scripts["fish"])

    def complete(line: str) -> list[str]:
        result = subprocess.run(["fish", "--no-config", "-c", f"source {script}; complete -C {line!r}"],
                                capture_output=True, text=True, cwd=DATA, timeout=30)
        return [row.split("\t")[0] for row in result.stdout.splitlines()]

    assert complete("negotrack val") == ["validate"]
    assert "--format" in complete("negotrack diff --fo")
    assert complete("negotrack validate basic_c") == ["basic_changed.yaml"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_loads_the_completion_function(scripts: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "_negotrack").write_text(scripts["zsh"])
    shell = (f"fpath=({tmp_path} $fpath); autoload -Uz compinit; compinit -u -D; "
             "print -r -- ${_comps[negotrack]}")
    result = subprocess.run(["zsh", "-f", "-c", shell], capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "_negotrack", result.stderr
    assert subprocess.run(["zsh", "-n", str(tmp_path / "_negotrack")]).returncode == 0


@pytest.mark.parametrize("argv", [["completion", "bash"], ["valdiate", "x.yaml"], ["textconv", str(BASIC)]])
def test_these_commands_do_not_load_textual(argv: list[str]) -> None:
    code = f"import sys; from negotrack.tui.cli import main; main({argv!r}); print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


# --------------------------------------------------------------------------- no claims


CLAIM = """\
  - id: r5
    date: 2024-02-20
    positions:
      north:
        access:
          stance: closed
          according_to: south
          speaker: a southern official
"""


def test_diff_without_claims_leaves_a_claim_out(tmp_path: Path) -> None:
    with_claim = tmp_path / "claim.yaml"
    with_claim.write_text(BASIC.read_text() + CLAIM)
    from negotrack.store import load_catalog

    catalog, problems = load_catalog(with_claim)
    assert catalog is not None, problems
    assert catalog.rounds[-1].positions[("north", "access")].claim
    plain = BASIC.read_text() + CLAIM.split("    positions:")[0]  # the same round, without the claim
    without = tmp_path / "plain.yaml"
    without.write_text(plain)

    shown = negotrack("diff", str(without), str(with_claim))
    assert shown.returncode == 1 and b"+ position r5/north/access" in shown.stdout
    hidden = negotrack("diff", "--no-claims", str(without), str(with_claim))
    assert hidden.returncode == 0, hidden.stdout


# ---------------------------------------------------------------------------- textconv


def test_textconv_is_the_same_for_the_same_meaning_and_names_each_fact() -> None:
    plain = negotrack("textconv", str(BASIC))
    assert plain.returncode == 0
    assert plain.stdout == negotrack("textconv", str(DATA / "basic_reformatted.yaml")).stdout
    lines = plain.stdout.decode().splitlines()
    assert 'position r2/north/access  stance: "shared"' in lines
    assert all(line.split()[0] in {"format:", "title:", "description:", "order", "party", "demand",
                                   "source", "round", "position"} for line in lines)


def test_textconv_shows_an_invalid_version_as_it_is_and_exits_0(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BASIC.read_text().replace("\nrounds:", "\nround:"))
    result = negotrack("textconv", str(broken))
    assert result.returncode == 0  # git stops the whole diff on anything else
    out = result.stdout.decode()
    assert out.startswith("# not a valid catalog (2 problems)")
    assert "error: unknown key `round`" in out and "\nround:\n" in out
