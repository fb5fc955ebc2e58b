"""`negotrack draft`: sentences, matching, numbers, the answer key, and the command's output.

The answer key is tests/data/articles/catalog.yaml: four reports written for these tests and,
round by round, the positions a reader records from them (see bench/draft.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.draft import KEY, evaluate
from negotrack.store import load_catalog, parse_catalog
from negotrack.store.article import ArticleError, parse_article, read_article, sentences
from negotrack.store.draft import Drafter, draft, stem
from negotrack.tui.cli import main

ARTICLES = KEY.parent
REPORTS = sorted(p for p in ARTICLES.iterdir() if p.name.startswith("harbour-"))

SMALL = textwrap.dedent(
    """\
    title: Talks
    parties:
      north:
        name: Northland
        aliases: [the government]
      south:
        name: Southern Front
        aliases: [the Front]
      broker:
        name: Brokeria
        role: mediator
    demands:
      ceasefire:
        title: Ceasefire
        keywords: [ceasefire, truce]
        scale: [temporary truce, permanent ceasefire]
      ratio:
        title: Prisoners per captive
        keywords: [ratio, in exchange for]
        unit: prisoners per captive
      total:
        title: Prisoners released
        keywords: [prisoners, release]
        unit: prisoners
    sources:
      wire:
        outlet: Wire
    rounds:
      - id: r1
        date: 2030-01-01
        sources: [wire]
        positions:
          north:
            ceasefire: temporary truce
      - id: r2
        date: 2030-02-01
    """
)


@pytest.fixture(scope="module")
def small():
    catalog, problems = parse_catalog(SMALL, "small.yaml")
    assert catalog is not None, problems
    return catalog


# -- sentences ---------------------------------------------------------------------------------

@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name)
def test_every_sentence_is_an_exact_slice_of_the_text(report):
    article = read_article(report)
    found = sentences(article.text)
    assert found
    for s in found:
        assert article.text[s.start:s.end] == s.text
        assert s.text == s.text.strip()


def test_sentences_do_not_end_at_abbreviations_or_initials():
    text = "Talks with the U.S. envoy resumed. Mr. Hale said William J. Burns would come. Then they left."
    assert [s.text for s in sentences(text)] == [
        "Talks with the U.S. envoy resumed.",
        "Mr. Hale said William J. Burns would come.",
        "Then they left.",
    ]


def test_hard_wrapped_text_keeps_its_line_breaks_inside_a_sentence():
    text = ("The mediators met the delegation of the government in the capital on\n"
            "Sunday, and talks went on late. The Front asked for more time to answer\n"
            "the offer.\n\nA second paragraph starts here and it is also a long line\n"
            "that wraps onto the next one.\n\nShort line one\nshort line two\nand three\nand four\n")
    texts = [s.text for s in sentences(text)]
    assert "The Front asked for more time to answer\nthe offer." in texts
    assert texts[0].startswith("The mediators met") and "\nSunday" in texts[0]


def test_html_and_mail_are_read_as_their_visible_text():
    html = read_article(ARTICLES / "harbour-3.html")
    assert html.kind == "html"
    assert "analytics" not in html.text and "<p>" not in html.text  # script and tags are gone
    assert "Velmora’s defence minister" in html.text  # entities decoded
    mail = read_article(ARTICLES / "harbour-2.eml")
    assert mail.kind == "email"
    assert "“The ratio is no longer the obstacle,” a Norlandic mediator told Coastwatch." in mail.text  # quoted-printable decoded
    assert "Content-Transfer-Encoding" not in mail.text


@pytest.mark.parametrize("data, why", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_a_binary_file_is_refused_with_a_reason(data, why):
    with pytest.raises(ArticleError, match=why):
        parse_article(data, "photo.txt")


def test_windows_1252_text_is_read():
    assert parse_article("The Front’s offer".encode("cp1252"), "a.txt").text == "The Front’s offer"


# -- matching ------------------------------------------------------------------------------------

def test_stems_meet_across_word_forms():
    assert stem("withdrawal") == stem("withdraw") == stem("withdrawing")
    assert stem("released") == stem("release") == stem("releasing")
    assert stem("agreed") == stem("agree") == stem("agrees")
    assert stem("prisoners") != stem("prisons")


def _only(result, party, demand):
    found = [p for p in result.proposals if p.key == (party, demand)]
    assert len(found) == 1, result.proposals
    return found[0]


def test_numbers_ranges_and_bounds(small):
    text = (
        "Northland offered to release 1,500 prisoners for all the captives.\n"
        "The Front is asking for more than 6,000 prisoners, its spokesman said.\n"
        "Brokeria proposed a ratio of 3 to 13 prisoners in exchange for 1 captive, up from 1 captive to 3 prisoners.\n"
    )
    result = draft(small, text)
    offer = _only(result, "north", "total")
    assert (offer.value.low, offer.value.high, offer.status) == (1500, 1500, "offer")
    ask = _only(result, "south", "total")
    assert (ask.value.low, ask.qualifier) == (6000, "more than")
    ratio = _only(result, "broker", "ratio")
    assert (ratio.value.low, ratio.value.high, ratio.status) == (3, 13, "proposal")
    # the numbers of the ratio are not counts of prisoners
    assert ("broker", "total") not in {p.key for p in result.proposals}


def test_party_stance_and_the_claim_of_a_speaker(small):
    text = ("Sources in the Southern Front told reporters that the government is offering a temporary truce.\n"
            "The Front insists on a permanent ceasefire, while Northland wants a truce of 30 days.\n")
    result = draft(small, text)
    claim = [p for p in result.proposals if p.line == 1]
    assert [(p.party, p.stance, p.according_to) for p in claim] == [("north", "temporary truce", "south")]
    assert claim[0].speaker == "Sources in the Southern Front"
    by_key = {p.key: p for p in result.proposals if p.line == 2}
    assert by_key[("south", "ceasefire")].stance == "permanent ceasefire"
    assert by_key[("south", "ceasefire")].status == "demand"


def test_a_sentence_that_matches_nothing_is_not_shown(small):
    result = draft(small, "The weather in the capital was mild. Markets opened late.\n")
    assert result.proposals == ()


def test_the_answer_key_recall_precision_and_verbatim_quotes():
    score = evaluate(KEY)
    assert score.key >= 30
    assert score.verbatim_rate == 1.0
    assert score.recall >= 0.9, score.missed
    assert score.precision >= 0.8, score.extra
    assert score.accounts >= 3 and score.accounts_right == score.accounts


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name)
def test_every_proposed_quote_is_the_article_s_own_characters(report):
    catalog, _ = load_catalog(KEY)
    article = read_article(report)
    result = Drafter(catalog).draft(article.text)
    assert result.proposals
    for p in (*result.proposals, *(o for alts in result.alternatives.values() for o in alts)):
        assert article.text[p.start:p.end] == p.quote
        assert 0 < p.confidence <= 1


# -- the command ---------------------------------------------------------------------------------

HOSTILE = ("Northland offered a temporary truce \x1b[31mnow\x1b[0m with \"quotes\", a back\\slash,\ta tab"
           " and \u202emirrored\u202c text.\n")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    catalog = tmp_path / "small.yaml"
    catalog.write_text(SMALL, encoding="utf-8")
    article = tmp_path / "report.txt"
    article.write_text(
        "The Front insists on a permanent ceasefire.\n"
        "Northland is offering to release 800 prisoners, a senior Northland official said.\n" + HOSTILE,
        encoding="utf-8",
    )
    return {"catalog": catalog, "article": article}


def test_the_fragment_pastes_into_a_round_and_keeps_every_quote_verbatim(capsys, files):
    before = files["catalog"].read_bytes()
    status, out, err = _run(capsys, "draft", str(files["article"]), "--catalog", str(files["catalog"]))
    assert status == 0, err
    assert "\x1b" not in out and "\u202e" not in out  # escaped inside the YAML string
    pasted = SMALL + "    positions:\n" + out
    catalog, problems = parse_catalog(pasted, "pasted.yaml")
    assert catalog is not None, problems
    round2 = catalog.rounds[1].positions
    article = files["article"].read_text(encoding="utf-8")
    assert round2[("south", "ceasefire")].stance == "permanent ceasefire"
    assert round2[("north", "total")].value.low == 800
    assert round2[("north", "total")].according_to == "north"
    quotes = [p.quote for p in round2.values()]
    assert any("\x1b[31m" in q for q in quotes)
    assert all(q in article for q in quotes)
    assert files["catalog"].read_bytes() == before  # never writes the catalog


def test_into_prints_the_round_with_the_proposals_merged(capsys, files):
    status, out, err = _run(capsys, "draft", str(files["article"]), "--into", str(files["catalog"]), "--round", "r1")
    assert status == 0, err
    assert out.startswith("  - id: r1\n")
    assert "        # draft: the article (line 3) confirms ceasefire: temporary truce" in out  # not added twice
    # the merged round replaces the old one and the catalog still loads, old and new positions together
    lines = SMALL.split("\n")
    start = lines.index("  - id: r1")
    end = lines.index("  - id: r2")
    merged = "\n".join(lines[:start]) + "\n" + out + "\n".join(lines[end:])
    catalog, problems = parse_catalog(merged, "merged.yaml")
    assert catalog is not None, problems
    positions = catalog.rounds[0].positions
    assert positions[("north", "ceasefire")].short  # the round's own line, unchanged
    assert positions[("south", "ceasefire")].stance == "permanent ceasefire"
    assert positions[("north", "total")].value.low == 800


def test_into_a_round_with_no_positions_adds_them_party_by_party(capsys, files):
    status, out, err = _run(capsys, "draft", str(files["article"]), "--into", str(files["catalog"]), "--round", "r2")
    assert status == 0, err
    assert "    positions:  # draft\n" in out
    lines = SMALL.split("\n")
    merged = "\n".join(lines[:lines.index("  - id: r2")]) + "\n" + out
    catalog, problems = parse_catalog(merged, "merged.yaml")
    assert catalog is not None, problems
    positions = catalog.rounds[1].positions
    assert {("south", "ceasefire"), ("north", "total"), ("north", "ceasefire")} <= set(positions)
    # each party's lines stay together: the comments of one are not pushed under the next
    south_at = out.index("      south:")
    assert "keyword `release`" in out[:south_at] and "keyword `release`" not in out[south_at:]


def test_round_leaves_out_what_the_round_already_says(capsys, files):
    status, out, _ = _run(capsys, "draft", str(files["article"]), "--catalog", str(files["catalog"]), "--round", "r1")
    assert status == 0
    assert "# Already in round r1 (left out): north/ceasefire" in out
    assert "\n        ceasefire:  # article line 3" not in out


def test_json_lists_each_proposal_with_its_yaml(capsys, files):
    status, out, _ = _run(capsys, "draft", str(files["article"]), "--catalog", str(files["catalog"]), "--format", "json")
    assert status == 0
    assert "\x1b" not in out and "\u202e" not in out
    doc = json.loads(out)
    article = files["article"].read_text(encoding="utf-8")
    assert {(p["party"], p["demand"]) for p in doc["proposals"]} >= {("south", "ceasefire"), ("north", "total")}
    for p in doc["proposals"]:
        assert article[p["start"]:p["end"]] == p["quote"]


@pytest.mark.parametrize("argv, message", [
    (["draft", "{tmp}/missing.txt", "--catalog", "{catalog}"], "missing.txt does not exist"),
    (["draft", "{tmp}", "--catalog", "{catalog}"], "is not a regular file"),
    (["draft", "{article}", "--catalog", "{tmp}/none.yaml"], "does not exist"),
    (["draft", "{article}", "--catalog", "{catalog}", "--round", "r3"], "no round `r3`"),
    (["draft", "{article}", "--catalog", "{catalog}", "--source", "wir"], "did you mean `wire`"),
    (["draft", "{article}", "--into", "{catalog}"], "--into needs --round"),
    (["draft", "{binary}", "--catalog", "{catalog}"], "binary"),
])
def test_unreadable_input_exits_2_with_one_clear_line(capsys, files, tmp_path, argv, message):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    values = {"tmp": str(tmp_path), "catalog": str(files["catalog"]), "article": str(files["article"]), "binary": str(binary)}
    status, out, err = _run(capsys, *(a.format(**values) for a in argv))
    assert status == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_a_catalog_with_errors_is_reported_and_exits_2(capsys, files):
    files["catalog"].write_text(SMALL.replace("title: Talks", "titel: Talks"), encoding="utf-8")
    status, _, err = _run(capsys, "draft", str(files["article"]), "--catalog", str(files["catalog"]))
    assert status == 2
    assert "unknown key `titel`" in err and "has errors" in err


def test_store_draft_modules_never_import_textual():
    code = ("import sys; import negotrack.store.draft, negotrack.store.article, negotrack.store.quotes; "
            "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
