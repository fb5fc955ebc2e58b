"""`archive:` and `validate --quotes`: quotes proved against the archived reports."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from bench.draft import KEY
from negotrack.store import load_catalog, parse_catalog
from negotrack.store.article import read_article
from negotrack.store.quotes import Archive, check_quotes, normalized
from negotrack.tui.cli import main

REPORT = (
    "Talks resumed on Monday.\n"
    "The Front said it wants \"a lasting ceasefire\" and the complete\n"
    "withdrawal of troops, its spokesman told reporters.\n"
    "Northland’s envoy said the offer stands.\n"
)

CATALOG = textwrap.dedent(
    """\
    title: Talks
    parties:
      north:
        name: Northland
      south:
        name: Southern Front
    demands:
      ceasefire:
        title: Ceasefire
    sources:
      wire:
        outlet: Wire
        archive: report.txt
      other:
        outlet: Other wire
    rounds:
      - id: r1
        date: 2030-01-01
        positions:
          south:
            ceasefire:
              stance: lasting
              quote: {quote}
              source: wire
          north:
            ceasefire:
              stance: offer stands
              quote: "this sentence is in no archive"
              source: other
    """
)


def _catalog(tmp_path: Path, quote: str, report: str = REPORT):
    (tmp_path / "report.txt").write_text(report, encoding="utf-8")
    path = tmp_path / "talks.yaml"
    path.write_text(CATALOG.format(quote=quote), encoding="utf-8")
    catalog, problems = load_catalog(path)
    assert catalog is not None, problems
    return catalog


@pytest.mark.parametrize("quote", [
    '"the complete\\nwithdrawal of troops"',  # the line break as in the archive
    '"the complete withdrawal of troops"',  # a space for the line break
    "'it wants “a lasting ceasefire” and the complete'",  # typographic quotes for straight ones
    "\"Northland's envoy said\"",  # a straight apostrophe for a typographic one
    '"  Talks resumed on Monday.  "',  # whitespace around
])
def test_whitespace_and_typographic_quotes_may_differ(tmp_path, quote):
    assert check_quotes(_catalog(tmp_path, quote)) == []


def test_a_changed_quote_is_a_warning_at_its_line_with_the_closest_passage(tmp_path):
    catalog = _catalog(tmp_path, '"the full withdrawal of troops, its spokesman told"')
    problems = check_quotes(catalog)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.severity == "warning"
    text = (tmp_path / "talks.yaml").read_text().split("\n")
    assert text[problem.line - 1].strip().startswith("quote:")
    assert problem.column == text[problem.line - 1].index("quote") + 1
    assert "`wire`" in problem.message
    match = re.search(r'did you mean "(.*)" \(archive line (\d+)\)', problem.message)
    assert match, problem.message
    assert "complete withdrawal of troops, its spokesman told" in match.group(1)
    assert match.group(2) == "2"  # the passage starts on the archive's second line


def test_a_quote_citing_no_archived_source_is_not_checked(tmp_path):
    catalog = _catalog(tmp_path, '"Talks resumed"')
    assert check_quotes(catalog) == []  # north's quote cites `other`, which has no archive


def test_a_missing_archive_is_one_warning_at_its_source(tmp_path):
    catalog = _catalog(tmp_path, '"Talks resumed"')
    (tmp_path / "report.txt").unlink()
    problems = check_quotes(catalog)
    assert [(p.line, p.severity) for p in problems] == [(catalog.source("wire").line, "warning")]
    assert "cannot be read" in problems[0].message and "report.txt does not exist" in problems[0].message


def test_the_answer_key_s_quotes_are_all_in_their_archives():
    catalog, problems = load_catalog(KEY)
    assert catalog is not None, problems
    assert catalog.position_count >= 30
    assert check_quotes(catalog) == []


def test_normalized_maps_back_to_the_original_offsets():
    text = "a  “b”\n\tc"
    flat, where = normalized(text)
    assert flat == 'a "b" c'
    assert [text[i] for i in where if not text[i].isspace()] == ["a", "“", "b", "”", "c"]


def test_context_gives_the_sentences_around_a_quote():
    archive = Archive(read_article(KEY.parent / "harbour-2.eml"))
    before, holding, after = archive.context("The Alliance says it will sign nothing")
    assert holding == "The Alliance says it will sign nothing that does not end\nthe war."
    assert before.startswith("The government still wants a phased arrangement")
    assert after == "Elections were also raised for the first time."
    assert archive.context("words that are nowhere") is None


# -- through the command line ----------------------------------------------------------------

def test_validate_quotes_fails_on_a_quote_that_is_not_in_its_archive(tmp_path, capsys):
    _catalog(tmp_path, '"the full withdrawal of troops"')
    path = str(tmp_path / "talks.yaml")
    assert main(["validate", path]) == 0  # without --quotes nothing is read but the catalog
    capsys.readouterr()
    assert main(["validate", "--quotes", path]) == 1
    out, _ = capsys.readouterr()
    assert re.search(r"talks\.yaml:\d+:\d+: warning: the quote of `south` on `ceasefire` in round `r1`", out)
    assert "1 quote warning" in out
    assert main(["validate", "--quotes", "--format", "json", path]) == 1
    doc = json.loads(capsys.readouterr()[0])
    assert [p["severity"] for p in doc] == ["warning"]


def test_validate_quotes_passes_on_the_answer_key(tmp_path, capsys):
    folder = tmp_path / "key"
    shutil.copytree(KEY.parent, folder)
    assert main(["validate", "--quotes", str(folder / "catalog.yaml")]) == 0
    assert ": ok:" in capsys.readouterr()[0]


def test_archive_text_in_a_message_cannot_drive_the_terminal(tmp_path, capsys):
    _catalog(tmp_path, '"the full withdrawal"', report="The \x1b[2J withdrawal of all troops was demanded.\n")
    assert main(["validate", "--quotes", str(tmp_path / "talks.yaml")]) == 1
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "␛" in out


def test_parse_catalog_accepts_archive_on_a_source():
    catalog, problems = parse_catalog(CATALOG.format(quote='"x"'), "t.yaml")
    assert catalog is not None, problems
    assert catalog.source("wire").archive == "report.txt"
