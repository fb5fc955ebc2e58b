"""git and negotrack, in a repository made in a temporary folder (docs/git.md)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from negotrack.store import load_catalog
from negotrack.store.changes import catalog_doc, doc_changes
from negotrack.store.history_rows import changes_to_summary, doc_to_first_summary

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DATA = Path(__file__).parent / "data" / "export"
BASIC, CHANGED = DATA / "basic.yaml", DATA / "basic_changed.yaml"
NEGOTRACK = f"{shlex.quote(sys.executable)} -m negotrack.tui.cli"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                          cwd=repo, capture_output=True, text=True, encoding="utf-8", timeout=60, check=check)


def negotrack(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "negotrack.tui.cli", *args],
                          cwd=repo, capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A repository whose positions.yaml was committed twice: basic.yaml, then basic_changed.yaml."""
    # the user's own git settings (an external diff, a pager) must not reach the tests
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_PAGER", "cat")
    monkeypatch.delenv("GIT_EXTERNAL_DIFF", raising=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(BASIC, repo / "positions.yaml")
    git(repo, "add", "positions.yaml")
    git(repo, "commit", "-q", "-m", "first report")
    shutil.copy(CHANGED, repo / "positions.yaml")
    git(repo, "commit", "-q", "-am", "second report")
    return repo


def use_driver(repo: Path, **settings: str) -> None:
    (repo / ".gitattributes").write_text("positions.yaml diff=negotrack\n")
    for key, value in settings.items():
        git(repo, "config", f"diff.negotrack.{key}", value)


# -------------------------------------------------------------------- history --git


def test_history_lists_the_commits_with_the_history_summaries(repo: Path) -> None:
    result = negotrack(repo, "history", "--git", "positions.yaml")
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    old, new = catalog_doc(load_catalog(BASIC)[0]), catalog_doc(load_catalog(CHANGED)[0])
    assert doc_to_first_summary(old) in first and "(first report)" in first
    assert changes_to_summary(doc_changes(old, new))[1] in second and "(second report)" in second
    assert "negotrack diff --git" in result.stderr

    rows = json.loads(negotrack(repo, "history", "--git", "--format", "json", "positions.yaml").stdout)
    assert [r["subject"] for r in rows] == ["first report", "second report"]
    assert rows[1]["changes"] == changes_to_summary(doc_changes(old, new))[0]
    assert rows[0]["hash"] == git(repo, "rev-parse", "HEAD~1").stdout.strip()


def test_history_names_an_invalid_version_and_works_from_a_subfolder(repo: Path) -> None:
    (repo / "positions.yaml").write_text(BASIC.read_text().replace("\nrounds:", "\nround:"))
    git(repo, "commit", "-q", "-am", "broken")
    sub = repo / "sub"
    sub.mkdir()
    result = negotrack(sub, "history", "--git", "../positions.yaml")
    assert result.returncode == 0, result.stderr
    assert "not a valid catalog (2 errors)  (broken)" in result.stdout.splitlines()[-1]


def test_history_outside_a_repository_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(BASIC, lone / "positions.yaml")
    result = negotrack(lone, "history", "--git", "positions.yaml")
    assert result.returncode == 2
    assert "git repository" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------- diff of revisions


def test_diff_of_two_revisions_by_either_spelling(repo: Path) -> None:
    by_flag = negotrack(repo, "diff", "--git", "HEAD~1", "HEAD", "positions.yaml")
    assert by_flag.returncode == 1, by_flag.stderr
    assert "~ position r2/north/access  HEAD~1:positions.yaml:" in by_flag.stdout
    assert 'stance: "shared" → "limited"' in by_flag.stdout
    by_spec = negotrack(repo, "diff", "HEAD~1:positions.yaml", "HEAD:positions.yaml")
    assert by_spec.returncode == 1
    assert by_spec.stdout == by_flag.stdout


def test_diff_of_a_revision_against_the_file_on_disk(repo: Path) -> None:
    assert negotrack(repo, "diff", "--git", "HEAD", "positions.yaml").returncode == 0
    (repo / "positions.yaml").write_text(CHANGED.read_text().replace("Lausanne", "Bern"))
    result = negotrack(repo, "diff", "--git", "HEAD", "positions.yaml")
    assert result.returncode == 1
    assert 'venue: "Lausanne" → "Bern"' in result.stdout


def test_an_unknown_revision_is_a_clear_error(repo: Path) -> None:
    for args in (["--git", "nope", "HEAD", "positions.yaml"], ["nope:positions.yaml", "positions.yaml"]):
        result = negotrack(repo, "diff", *args)
        assert result.returncode == 2
        assert "nope" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------ git runs negotrack


def test_git_diff_uses_negotrack_as_its_external_driver(repo: Path) -> None:
    use_driver(repo, command=f"{NEGOTRACK} diff")
    (repo / "positions.yaml").write_text("# a comment\n" + CHANGED.read_text().replace("Lausanne", "Bern"))
    result = git(repo, "diff", check=False)
    assert result.returncode == 0, result.stderr
    assert "external diff died" not in result.stderr
    assert "--- positions.yaml" in result.stdout  # the real path, not git's temporary file
    assert 'venue: "Lausanne" → "Bern"' in result.stdout
    assert "a comment" not in result.stdout


def test_the_driver_shows_an_invalid_version_line_by_line_and_lets_git_go_on(repo: Path) -> None:
    use_driver(repo, command=f"{NEGOTRACK} diff")
    (repo / "positions.yaml").write_text(CHANGED.read_text().replace("\nrounds:", "\nround:"))
    (repo / "other.yaml").write_text("x: 1\n")
    git(repo, "add", "other.yaml")
    result = git(repo, "diff", "HEAD", check=False)
    assert result.returncode == 0 and "external diff died" not in result.stderr
    assert "positions.yaml: this version is not a valid catalog" in result.stdout
    assert "-rounds:" in result.stdout and "+round:" in result.stdout
    assert "+x: 1" in result.stdout  # git went on to the next file


def test_the_driver_takes_the_seven_arguments_and_exits_0_on_a_difference(repo: Path) -> None:
    result = negotrack(repo, "diff", "positions.yaml", str(BASIC), "1" * 40, "100644", str(CHANGED), "2" * 40, "100644")
    assert result.returncode == 0, result.stderr
    assert "--- positions.yaml" in result.stdout and str(BASIC) not in result.stdout
    added = negotrack(repo, "diff", "positions.yaml", "/dev/null", ".", ".", str(CHANGED), "2" * 40, "100644")
    assert added.returncode == 0 and "+ party watcher" in added.stdout


def test_git_difftool_runs_negotrack_with_the_real_path(repo: Path) -> None:
    (repo / "positions.yaml").write_text(CHANGED.read_text().replace("Lausanne", "Bern"))
    result = git(repo, "difftool", "-y", "-x", f'{NEGOTRACK} diff --label "$MERGED"', check=False)
    assert result.returncode == 0, result.stderr
    assert "--- positions.yaml" in result.stdout
    assert 'venue: "Lausanne" → "Bern"' in result.stdout


def test_textconv_makes_git_log_show_meaning_level_changes(repo: Path) -> None:
    use_driver(repo, textconv=f"{NEGOTRACK} textconv")
    result = git(repo, "log", "-p", "-1", check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert '-position r2/north/access  stance: "shared"' in lines
    assert '+position r2/north/access  stance: "limited"' in lines
    assert not any(line.startswith(("+  ", "-  ")) for line in lines), "raw YAML lines leaked into the diff"


# ------------------------------------------------------------------------ pre-commit


def test_the_pre_commit_hook_file_declares_negotrack_validate() -> None:
    from negotrack.store.yamlread import compose

    root = Path(__file__).resolve().parents[1]
    composed = compose((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"), ".pre-commit-hooks.yaml")
    assert composed.root is not None, composed.problems
    hooks = [{key.value: value for key, value in item.value} for item in composed.root.value]
    hook = next(h for h in hooks if h["id"].value == "negotrack-validate")
    assert hook["language"].value == "python"  # pre-commit installs the repository itself
    entry = shlex.split(hook["entry"].value)
    assert entry[:2] == ["negotrack", "validate"]
    import re

    files = re.compile(hook["files"].value)
    assert files.search("positions.yaml") and files.search("talks/positions.yaml") and not files.search("notes.yaml")
    assert hook.get("pass_filenames") is None or hook["pass_filenames"].value == "true"
    # the entry, run as pre-commit runs it (the staged file names appended), fails a bad catalog
    bad = negotrack(root, *entry[1:], str(root / "tests" / "data" / "bad" / "bad_role.yaml"))
    good = negotrack(root, *entry[1:], str(BASIC))
    assert (bad.returncode, good.returncode) == (1, 0)
