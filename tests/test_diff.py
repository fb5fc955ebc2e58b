"""`negotrack diff OLD NEW`: exit codes, line numbers on both sides, json, colour rules."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from negotrack.store import load_catalog
from negotrack.store.changes import doc_changes
from negotrack.tui.commands import diff

DATA = Path(__file__).parent / "data" / "export"
BASIC, REFORMATTED, CHANGED = DATA / "basic.yaml", DATA / "basic_reformatted.yaml", DATA / "basic_changed.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negotrack.tui.cli", "diff", *args],
        capture_output=True, text=True, encoding="utf-8", timeout=60, env=env,
    )


def position_line(path: Path, round_id: str, party: str, demand: str) -> int:
    catalog, _ = load_catalog(path)
    rnd = next(r for r in catalog.rounds if r.id == round_id)
    return rnd.positions[(party, demand)].line


def test_identical_files_mean_the_same() -> None:
    result = run(str(BASIC), str(BASIC))
    assert result.returncode == 0, result.stderr
    assert "mean the same" in result.stdout


def test_reformatting_comments_and_short_forms_do_not_count() -> None:
    assert BASIC.read_text() != REFORMATTED.read_text()
    result = run(str(BASIC), str(REFORMATTED))
    assert result.returncode == 0, result.stdout
    assert run(str(REFORMATTED), str(BASIC), "--format", "json").returncode == 0


def test_changes_are_listed_with_lines_on_both_sides() -> None:
    result = run(str(BASIC), str(CHANGED))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    old_line = position_line(BASIC, "r2", "north", "access")
    new_line = position_line(CHANGED, "r2", "north", "access")
    assert f"~ position r2/north/access  {BASIC}:{old_line} → {CHANGED}:{new_line}" in out
    assert 'stance: "shared" → "limited"' in out
    assert f"+ position r3/north/guarantees  {CHANGED}:{position_line(CHANGED, 'r3', 'north', 'guarantees')}" in out
    assert f"- position r3/south/ratio  {BASIC}:{position_line(BASIC, 'r3', 'south', 'ratio')}" in out
    assert "+ party watcher" in out and "+ source post-3" in out
    assert 'venue: "Geneva" → "Lausanne"' in out
    # Adding a party changes the column order only by the addition: not listed twice.
    assert "order of parties" not in out
    assert "\x1b[" not in out  # piped: no colour


def test_json_output() -> None:
    result = run(str(BASIC), str(CHANGED), "--format", "json")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["same"] is False and doc["old"] == str(BASIC) and doc["new"] == str(CHANGED)
    by_key = {(c["section"], c["key"]): c for c in doc["changes"]}
    moved = by_key[("positions", "r2/north/access")]
    assert moved["kind"] == "changed"
    assert (moved["round"], moved["party"], moved["demand"]) == ("r2", "north", "access")
    assert moved["old"]["stance"] == "shared" and moved["new"]["stance"] == "limited"
    assert moved["old_line"] == position_line(BASIC, "r2", "north", "access")
    assert moved["new_line"] == position_line(CHANGED, "r2", "north", "access")
    removed = by_key[("positions", "r3/south/ratio")]
    assert removed["kind"] == "removed" and removed["new_line"] is None and removed["old"]["value"] == [4, 4]
    assert doc["counts"] == {k: sum(c["kind"] == k for c in doc["changes"]) for k in ("added", "removed", "changed")}
    same = json.loads(run(str(BASIC), str(BASIC), "--format", "json").stdout)
    assert same["same"] is True and same["changes"] == []


def test_an_invalid_or_missing_file_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASIC.read_text().replace("round:", "round:").replace("\nrounds:", "\nround:"))
    result = run(str(BASIC), str(bad))
    assert result.returncode == 2
    assert f"{bad}:" in result.stderr and "error: unknown key `round`" in result.stderr
    missing = run(str(tmp_path / "nope.yaml"), str(BASIC))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_catalog_text_is_cleaned_and_colour_is_optional(tmp_path: Path) -> None:
    escaped = tmp_path / "escaped.yaml"
    escaped.write_text(BASIC.read_text().replace("title: Talks open\n", 'title: "Talks \\e[2J open"\n', 1))
    plain = run(str(BASIC), str(escaped), "--color", "never")
    assert plain.returncode == 1 and "\x1b" not in plain.stdout
    assert '"Talks open" → "Talks \\u001b[2J open"' in plain.stdout  # quoted as JSON: visible, inert
    coloured = run(str(BASIC), str(escaped), "--color", "always")
    assert "\x1b[33m~\x1b[0m" in coloured.stdout
    assert "\x1b[2J" not in coloured.stdout


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "env", "choice", "expected"),
    [
        (True, {}, "auto", True),
        (True, {"NO_COLOR": "1"}, "auto", False),
        (True, {"NO_COLOR": ""}, "auto", True),  # no-color.org: an empty NO_COLOR does not count
        (True, {"TERM": "dumb"}, "auto", False),
        (False, {}, "auto", False),
        (False, {"FORCE_COLOR": "1"}, "auto", True),
        (False, {"FORCE_COLOR": "1", "TERM": "dumb"}, "auto", False),
        (False, {"NO_COLOR": "1"}, "always", True),
        (True, {}, "never", False),
    ],
)
def test_colour_follows_the_terminal_and_the_environment(monkeypatch, tty, env, choice, expected) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    old, _ = load_catalog(BASIC)
    new, _ = load_catalog(CHANGED)
    stream = Stream(tty)
    changes = diff.meaningful(doc_changes(diff.meaning(old), diff.meaning(new)))
    diff.render_text(changes, diff.Side("old.yaml", old), diff.Side("new.yaml", new), diff.console(choice, stream))
    out = stream.getvalue()
    assert "position r2/north/access" in out
    assert ("\x1b[" in out) is expected


def test_a_reordering_is_a_change(tmp_path: Path) -> None:
    text = BASIC.read_text()
    north = "  north:\n    name: North\n"
    swapped = tmp_path / "swapped.yaml"
    swapped.write_text(text.replace(north, "").replace("  broker:\n", north + "  broker:\n", 1))
    result = run(str(BASIC), str(swapped))
    assert result.returncode == 1
    assert "order of parties: north, south, broker → south, north, broker" in result.stdout
