"""`negotrack export`: the four formats against the analysis, and hostile catalog text."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from negotrack.store import load_catalog
from negotrack.store.analysis import CLAIM_GLYPH, SHIFT_GLYPHS, SHIFT_MEANINGS, Shift, analyze
from negotrack.store.export import COLUMNS, export, export_doc, to_csv, to_html, to_json, to_markdown
from negotrack.store.export.common import safe_url

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "export"
BASIC = DATA / "basic.yaml"
HOSTILE = DATA / "hostile.yaml"


def load(path: Path):
    catalog, problems = load_catalog(path)
    assert not problems, problems
    return catalog, analyze(catalog)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "negotrack.tui.cli", *args], capture_output=True, cwd=cwd, timeout=60)


# -- json -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [BASIC, HOSTILE], ids=lambda p: p.name)
def test_json_round_trip_matches_the_analysis_cell_by_cell(path: Path) -> None:
    catalog, analysis = load(path)
    doc = json.loads(to_json(catalog, analysis))
    assert list(doc)[:2] == ["format", "version"]
    assert (doc["format"], doc["version"]) == ("negotrack-export", 2)
    assert [p["id"] for p in doc["parties"]] == [p.id for p in catalog.parties]
    assert [d["id"] for d in doc["demands"]] == [d.id for d in catalog.demands]
    assert [r["id"] for r in doc["rounds"]] == [r.id for r in catalog.rounds]
    for rnd_doc, rnd in zip(doc["rounds"], catalog.rounds):
        cells = rnd_doc["cells"]
        assert len(cells) == len(catalog.parties) * len(catalog.demands)
        expected_order = [(p.id, d.id) for p in catalog.parties for d in catalog.demands]
        assert [(c["party"], c["demand"]) for c in cells] == expected_order
        for c in cells:
            cell = analysis.cell(rnd.id, c["party"], c["demand"])
            position = cell.position
            assert c["shift"] == (cell.shift.value if cell.shift else None)
            assert c["carried"] is cell.carried
            if position is None:
                assert c["stance"] is c["value"] is c["line"] is c["reported_in"] is None
                continue
            assert c["stance"] == position.stance
            assert c["value"] == ({"low": position.value.low, "high": position.value.high} if position.value else None)
            assert c["withdrawn"] is position.withdrawn
            assert (c["status"], c["note"], c["quote"]) == (position.status, position.note, position.quote)
            assert c["sources"] == list(position.sources)
            assert c["line"] == position.line
            assert c["reported_in"] == position.round
            assert len(c["disputed"]) == len(position.disputed)
            assert (c["previous"] or {}).get("round") == (cell.previous.round if cell.previous else None)
        for g in rnd_doc["gaps"]:
            gap = analysis.gap(rnd.id, g["demand"])
            assert (g["distance"], g["normalized"], g["stated"]) == (gap.distance, gap.normalized, gap.stated)
            assert g["agreement"] == (gap.agreement.value if gap.agreement else None)
            assert g["trend"] == (gap.trend.value if gap.trend else None)


def test_json_is_stable_and_every_object_has_all_its_keys() -> None:
    catalog, analysis = load(BASIC)
    assert to_json(catalog, analysis) == to_json(*load(BASIC))
    doc = export_doc(catalog, analysis)
    key_sets = {tuple(c) for r in doc["rounds"] for c in r["cells"]}
    assert len(key_sets) == 1
    assert doc["shift_glyphs"] == {s.value: g for s, g in SHIFT_GLYPHS.items()}


def test_json_escapes_what_a_terminal_would_act_on() -> None:
    text = to_json(*load(HOSTILE))
    assert "\x1b" not in text and "\\u001b[31mred" in text
    assert json.loads(text)["rounds"][3]["cells"][0]["stance"] == "\x1b[31mred"


# -- csv --------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_csv_has_a_row_per_round_party_demand_in_file_order() -> None:
    catalog, analysis = load(BASIC)
    text = to_csv(catalog, analysis)
    rows = read_csv(text)
    header = text[1:].split("\r\n", 1)[0].split(",")
    assert header == list(COLUMNS)
    required = "round_id round_date party party_role demand kind stance value_low value_high unit shift status carried gap sources line"
    assert set(required.split()) <= set(header)
    assert len(rows) == len(catalog.rounds) * len(catalog.parties) * len(catalog.demands) == 36
    assert [(r["round_id"], r["party"], r["demand"]) for r in rows] == [
        (x.id, p.id, d.id) for x in catalog.rounds for p in catalog.parties for d in catalog.demands
    ]
    by_key = {(r["round_id"], r["party"], r["demand"]): r for r in rows}
    carried = by_key[("r2", "north", "guarantees")]
    assert (carried["shift"], carried["carried"], carried["stance"], carried["reported_in"]) == ("carried", "true", "in writing", "r1")
    assert carried["line"] == str(catalog.rounds[0].positions[("north", "guarantees")].line)
    unstated = by_key[("r1", "south", "guarantees")]
    assert (unstated["shift"], unstated["stance"], unstated["line"]) == ("", "", "")
    ranged = by_key[("r1", "north", "ratio")]
    assert (ranged["value_low"], ranged["value_high"], ranged["unit"], ranged["kind"]) == ("3", "10", "prisoners per captive", "number")
    assert by_key[("r2", "north", "access")]["gap"] == "0.333333"
    assert by_key[("r1", "north", "access")]["sources"] == "daily-1"


def test_csv_byte_order_mark_can_be_left_out() -> None:
    catalog, analysis = load(BASIC)
    assert to_csv(catalog, analysis).startswith("\ufeffround_id,")
    assert to_csv(catalog, analysis, bom=False).startswith("round_id,")


@pytest.mark.parametrize(
    ("round_id", "party", "column", "expected"),
    [
        ("r1", "a", "stance", "'=cmd|' /C calc'!A0"),
        ("r1", "b", "stance", "'+1"),
        ("r2", "a", "stance", "'-2"),          # -2 written as text: neutralized
        ("r2", "b", "stance", "'@x"),
        ("r3", "a", "stance", "'\ttab"),
        ("r3", "b", "stance", "'␍cr"),          # the CR itself also made visible
        ("r4", "a", "stance", "␛[31mred"),      # no escape sequence reaches a terminal
        ("r1", "a", "value_low", "-2"),        # -2 as a number stays a number
        ("r1", "b", "value_low", "-5"),
        ("r1", "b", "value_high", "-2"),
        ("r1", "b", "party_name", "'=HYPERLINK(\"https://evil.example\",\"x\")"),
    ],
)
def test_csv_neutralizes_formulas_but_keeps_numbers(round_id: str, party: str, column: str, expected: str) -> None:
    rows = read_csv(to_csv(*load(HOSTILE)))
    demand = "n" if column.startswith("value") else "t"
    row = next(r for r in rows if (r["round_id"], r["party"], r["demand"]) == (round_id, party, demand))
    assert row[column] == expected


def test_csv_neutralizes_every_text_cell_and_no_number_cell() -> None:
    rows = read_csv(to_csv(*load(HOSTILE)))
    numeric = {"value_low", "value_high", "gap", "line"}
    for row in rows:
        for column, value in row.items():
            if column in numeric:
                assert value == "" or re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value), (column, value)
            else:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)


# -- markdown ---------------------------------------------------------------------------


def test_markdown_report_has_tables_legend_changes_and_footnotes() -> None:
    catalog, analysis = load(BASIC)
    text = to_markdown(catalog, analysis)
    for rnd in catalog.rounds:
        assert re.search(rf"^## {rnd.id}\b", text, re.M)
    assert text.count("| Demand | North | South | The broker (mediator) | Gap |") == len(catalog.rounds)
    assert "| Harbour access | → shared | → limited | · *limited* | 0.33 ↘ (apart) |" in text
    assert "North moved toward the other side on Harbour access: from open to shared." in text
    assert "The gap on Harbour access narrowed: from 1.00 to 0.33." in text
    assert "The broker dropped its demand on Harbour access (was limited)." in text
    for glyph in SHIFT_GLYPHS.values():
        assert f"- `{glyph}` **" in text
    refs = set(re.findall(r"\[\^([\w-]+)\](?!:)", text))
    defined = set(re.findall(r"^\[\^([\w-]+)\]:", text, re.M))
    assert refs == defined == {"daily-1", "wire-2"}
    assert "[^daily-1]: The Daily, 2024-01-02, “Talks open in Geneva”. <https://example.org/daily-1>" in text


def test_markdown_escapes_pipes_and_markup() -> None:
    catalog, analysis = load(HOSTILE)
    text = to_markdown(catalog, analysis)
    columns = len(catalog.parties) + 2
    table_rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert table_rows
    for line in table_rows:
        assert len(re.findall(r"(?<!\\)\|", line)) == columns + 1, line
    assert "\\| a \\| b \\|" in text
    assert "<script>" not in text and "\\<script\\>" in text
    assert "[link](" not in text and "\\[link\\](" in text
    assert "\x1b" not in text and "␛" in text
    assert not re.search(r"^#+ not a heading", text, re.M)


# -- html -------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


@pytest.mark.parametrize("path", [BASIC, HOSTILE, DATA / "accounts.yaml", DATA / "rtl.yaml"], ids=lambda p: p.name)
def test_html_is_self_contained_and_links_only_to_web_sources(path: Path) -> None:
    catalog, analysis = load(path)
    text = to_html(catalog, analysis)
    page = parse(text)
    allowed = {safe_url(s.url) for s in catalog.sources} - {None}
    assert "script" not in page.tags
    assert not [a for a in page.attrs if a[1] == "src"]
    assert not [a for a in page.attrs if a[1].startswith("on")]
    for tag, name, value in page.attrs:
        if name in ("href", "xlink:href", "action", "formaction", "srcset", "poster", "data"):
            assert tag == "a" and name == "href", (tag, name, value)
            assert value.startswith("#") or value in allowed, value
    assert "url(" not in page.style and "@import" not in page.style
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    charts = [v for t, n, v in page.attrs if t == "svg" and n == "class" and v == "chart"]
    assert len(charts) == sum(d.kind != "text" for d in catalog.demands)


def test_html_escapes_hostile_text_and_drops_unsafe_links() -> None:
    catalog, analysis = load(HOSTILE)
    text = to_html(catalog, analysis)
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text and "<svg onload" not in text
    assert "javascript:" not in text.lower().replace("\t", "")
    assert "data:text/html" not in text and "//evil.example/x" not in text
    # the stand-in is a name any font can draw, not the control picture ␛
    assert "\x1b" not in text and '<span class="ctl" title="control character U+001B">ESC</span>' in text
    page = parse(text)
    hrefs = [v for t, n, v in page.attrs if n == "href" and not v.startswith("#")]
    assert hrefs == ["https://example.org/a?b=1&c=%3C2%3E%22onmouseover=alert(5)"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/x", "https://example.org/x"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" \tjavascript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("data:text/html,x", None),
        ("//example.org", None),
        ("/relative", None),
        ("https:/\\evil", None),
        ("https://example.org/a b\"<>", "https://example.org/a%20b%22%3C%3E"),
        (None, None),
    ],
)
def test_safe_url_only_lets_web_links_through(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


# -- the command ------------------------------------------------------------------------


def test_export_command_writes_each_format(tmp_path: Path) -> None:
    for fmt, marker in (("md", b"# Harbour talks"), ("csv", b"\xef\xbb\xbfround_id"), ("json", b'{\n  "format"'), ("html", b"<!DOCTYPE html>")):
        result = cli("export", str(BASIC), "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(marker)
    out = tmp_path / "report.html"
    result = cli("export", str(BASIC), "-o", str(out))
    assert result.returncode == 0 and out.read_bytes().startswith(b"<!DOCTYPE html>")
    assert cli("export", str(BASIC), "--format", "csv", "--no-bom").stdout.startswith(b"round_id,")


def test_export_refuses_to_write_over_the_catalog(tmp_path: Path) -> None:
    catalog = tmp_path / "positions.yaml"
    catalog.write_bytes(BASIC.read_bytes())
    (tmp_path / "link.yaml").symlink_to(catalog)
    for out in ("positions.yaml", "./positions.yaml", str(catalog), "link.yaml", "sub/../positions.yaml"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = cli("export", "positions.yaml", "--format", "md", "-o", out, cwd=tmp_path)
        assert result.returncode == 2, out
        assert b"refusing" in result.stderr
    assert catalog.read_bytes() == BASIC.read_bytes()


def test_export_of_an_invalid_or_missing_catalog(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nparties: {a: {name: A, role: mediater}}\ndemands: {d: {title: D}}\nrounds: []\n")
    out = tmp_path / "out.md"
    result = cli("export", str(bad), "-o", str(out))
    assert result.returncode == 1
    assert re.search(rf"{re.escape(str(bad))}:2:\d+: error: role `mediater`", result.stderr.decode())
    assert result.stdout == b"" and not out.exists()
    missing = cli("export", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and b"does not exist" in missing.stderr


def test_export_of_the_real_catalog() -> None:
    path = ROOT / "positions.yaml"
    if not path.exists():
        pytest.skip("positions.yaml is not there yet")
    catalog, problems = load_catalog(path)
    if catalog is None:
        pytest.skip("positions.yaml is not valid yet")
    analysis = analyze(catalog)
    for fmt in ("md", "csv", "json", "html"):
        assert export(catalog, fmt, analysis)
    rows = read_csv(to_csv(catalog, analysis))
    assert len(rows) == len(catalog.rounds) * len(catalog.parties) * len(catalog.demands)
    page = parse(to_html(catalog, analysis))
    assert "script" not in page.tags


def test_store_never_imports_textual() -> None:
    code = ("import sys, negotrack.store.export, negotrack.store.export.exportschema, negotrack.store.schema; "
            "print('textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_every_legend_is_the_analysis_own_glyphs_and_meanings() -> None:
    """The exports print SHIFT_GLYPHS / SHIFT_MEANINGS, never a copy that could drift."""
    catalog, analysis = load(BASIC)
    markdown, page = to_markdown(catalog, analysis), to_html(catalog, analysis)
    for shift, glyph in SHIFT_GLYPHS.items():
        assert f"- `{glyph}` **{shift.value}**: {SHIFT_MEANINGS[shift]}" in markdown
        assert f'<span class="glyph">{glyph}</span> {shift.value}: {SHIFT_MEANINGS[shift]}' in page
    assert f"`{CLAIM_GLYPH}` **claim**" in markdown and f'<span class="glyph">{CLAIM_GLYPH}</span> claim' in page
    assert set(SHIFT_GLYPHS) == set(Shift) == set(SHIFT_MEANINGS)
