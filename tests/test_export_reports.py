"""Reports that fit the tools people read them with (issue 16): Markdown through a real
CommonMark renderer, HTML on paper and on a phone, right-to-left text, and the JSON export
checked against its published schema."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from negotrack.store import load_catalog
from negotrack.store.analysis import CLAIM_GLYPH, SHIFT_GLYPHS, TREND_GLYPHS, analyze
from negotrack.store.export import to_html, to_json, to_markdown
from negotrack.store.export.common import FSI, PDI
from negotrack.store.export.exportschema import build_export_schema, export_schema_text
from negotrack.store.export.htmlpage import CSS, attr
from negotrack.store.export.svg import MIN_STEP, WIDTH, round_xs
from negotrack.store.model import Round

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
EXPORT = DATA / "export"


def _valid(path: Path) -> bool:
    catalog, problems = load_catalog(path)
    return catalog is not None and not [p for p in problems if p.severity == "error"]


#: every valid catalog the tests have, wherever it is under tests/data (the bad corpus and a
#: catalog kept broken on purpose do not load)
CATALOGS = [p for p in sorted(DATA.rglob("*.yaml")) if "bad" not in p.relative_to(DATA).parts and _valid(p)]


def load(path: Path, claims: bool = True):
    catalog, problems = load_catalog(path)
    assert catalog is not None and not [p for p in problems if p.severity == "error"], problems
    return catalog, analyze(catalog, claims=claims)


def renderer() -> MarkdownIt:
    # CommonMark as GitHub, markdown-it and pandoc read it, with GFM tables
    return MarkdownIt("commonmark").enable("table")


# -- Markdown, read by a real renderer ----------------------------------------------------


def _list_depths(tokens) -> list[int]:
    depth, depths = 0, []
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            depths.append(depth)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
    return depths


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(DATA).as_posix())
def test_markdown_has_no_nested_list_and_every_table_row_has_its_cells(path: Path) -> None:
    catalog, analysis = load(path)
    tokens = renderer().parse(to_markdown(catalog, analysis))
    assert max(_list_depths(tokens), default=1) == 1, "a glyph was read as a list marker"
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == len(catalog.rounds) * (len(catalog.demands) + 1)
    columns = len(catalog.parties) + 2
    cells_per_row, count = [], 0
    for token in tokens:
        if token.type in ("td_open", "th_open"):
            count += 1
        elif token.type == "tr_close":
            cells_per_row.append(count)
            count = 0
    assert set(cells_per_row) <= {columns}


def test_markdown_legend_renders_every_glyph_as_one_flat_list() -> None:
    catalog, analysis = load(EXPORT / "basic.yaml")
    html = renderer().render(to_markdown(catalog, analysis))
    legend = html.split("<h2>Legend</h2>", 1)[1].split("<h2>", 1)[0]
    assert legend.count("<ul>") == 1
    for shift, glyph in SHIFT_GLYPHS.items():
        assert f"<li><code>{glyph}</code> <strong>{shift.value}</strong>:" in legend
    for trend, glyph in TREND_GLYPHS.items():
        assert f"<li><code>{glyph}</code> gap <strong>{trend}</strong></li>" in legend
    assert f"<code>{CLAIM_GLYPH}</code> <strong>claim</strong>" in legend
    # the one-line legend under every table, emphasis around code, glyphs intact
    line = "<p><em>" + ", ".join(f"<code>{g}</code> {s.value}" for s, g in SHIFT_GLYPHS.items())
    assert html.count(line) == len(catalog.rounds)


def test_markdown_table_glyphs_survive_rendering() -> None:
    catalog, analysis = load(EXPORT / "basic.yaml")
    html = renderer().render(to_markdown(catalog, analysis))
    assert "<td>+ open</td>" in html and "<td>+ closed (red line)</td>" in html
    assert "<td>= 3–10 prisoners per captive</td>" in html


def test_markdown_of_hostile_text_renders_inert() -> None:
    catalog, analysis = load(EXPORT / "hostile.yaml")
    html = renderer().render(to_markdown(catalog, analysis))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert 'href="javascript' not in html.lower() and 'href="https://evil' not in html
    assert not re.search(r"<h\d>not a heading", html)


# -- full stops ------------------------------------------------------------------------------


DOUBLE_STOP = re.compile(r"(?<!\.)\.\s*\.(?!\.)|\.”\.")


@pytest.mark.parametrize("path", [EXPORT / "accounts.yaml", EXPORT / "basic.yaml", ROOT / "positions.yaml"], ids=lambda p: p.name)
def test_no_sentence_ends_with_two_full_stops(path: Path) -> None:
    if not path.exists():
        pytest.skip("no positions.yaml")
    catalog, analysis = load(path)
    for text in (to_markdown(catalog, analysis), to_html(catalog, analysis)):
        assert not DOUBLE_STOP.search(text), DOUBLE_STOP.search(text).group()


def test_catalog_text_ending_with_a_full_stop_gets_no_second_one() -> None:
    catalog, analysis = load(EXPORT / "accounts.yaml")
    text = to_markdown(catalog, analysis)
    assert "[^wire]: Wire, 2024-01-04, “Talks resume.” An agency report, with no side named." in text
    assert "from verbal only to verbal only, with a deadline." in text
    assert "still open. Said again.[^north-radio]" in text


# -- HTML: the page as parsed --------------------------------------------------------------


class _Page(HTMLParser):
    """Text outside <svg> and <head>, with for each piece whether it is isolated (<bdi> or
    dir=auto on an enclosing element); SVG texts and titles separately."""

    VOID = {"meta", "br", "img", "hr", "input", "link", "line", "circle", "rect", "polygon", "polyline"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.visible: list[tuple[str, bool]] = []
        self.svg_texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "head" in tags or "style" in tags:
            return
        if "svg" in tags:
            self.svg_texts.append(data)
            return
        isolated = any(t == "bdi" or a.get("dir") == "auto" for t, a in self.stack)
        self.visible.append((data, isolated))

    @property
    def text(self) -> str:
        return "".join(d for d, _ in self.visible)


def page(path: Path, claims: bool = True) -> tuple[str, _Page]:
    html = to_html(*load(path, claims))
    parsed = _Page()
    parsed.feed(html)
    parsed.close()
    return html, parsed


def _media_print() -> str:
    start = CSS.index("@media print {")
    depth, i = 0, start
    while True:
        if CSS[i] == "{":
            depth += 1
        elif CSS[i] == "}":
            depth -= 1
            if depth == 0:
                return CSS[start:i + 1]
        i += 1


def _rule(css: str, selector: str) -> str:
    match = re.search(r"(?:^|[}\s])" + re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, f"no rule for {selector}"
    return match.group(1)


def test_print_css_unboxes_tables_and_charts_and_keeps_headings_with_what_follows() -> None:
    printed = _media_print()
    assert "overflow: visible" in _rule(printed, ".wide, .chart-box")
    assert "display: table-header-group" in _rule(printed, "thead")
    assert "break-inside: avoid" in _rule(printed, "tr, figure")
    assert "break-after: avoid" in _rule(printed, "h2, h3, figcaption")
    assert "min-width: 0" in _rule(printed, ".chart")
    assert "font-size" in _rule(printed, "table")
    # on screen the boxes scroll; nothing else in the page may scroll on paper
    assert "overflow-x: auto" in _rule(CSS, ".wide") and "overflow-x: auto" in _rule(CSS, ".chart-box")
    assert len(re.findall(r"overflow(-[xy])?:", CSS)) == 3


def test_every_chart_sits_in_one_figure_with_its_heading() -> None:
    html, _ = page(EXPORT / "basic.yaml")
    figures = re.findall(r"<figure[^>]*>(.*?)</figure>", html, re.S)
    charts = [f for f in figures if '<svg class="chart"' in f]
    assert len(charts) == 2
    for figure in charts:
        assert figure.lstrip().startswith("<figcaption>")
        assert figure.index("<figcaption>") < figure.index('<div class="chart-box">') < figure.index('<svg class="chart"')


def test_chart_type_stays_readable_on_a_phone() -> None:
    """On a 390 px screen the chart scrolls inside its box instead of shrinking its type."""
    chart = _rule(CSS, ".chart")
    min_width = float(re.search(r"min-width: ([\d.]+)rem", chart).group(1)) * 16
    font = float(re.search(r"font: ([\d.]+)px", chart).group(1))
    assert min_width > 390
    assert font * min_width / WIDTH >= 10, "chart text under 10 px at the smallest width"


def test_every_shortened_chart_label_is_written_out_on_the_page() -> None:
    html, parsed = page(EXPORT / "accounts.yaml")
    cut = re.findall(r"<title>([^<]*)</title>([^<]*…)</text>", html)
    assert cut, "the test catalog should have a label too long for the axis"
    visible = parsed.text
    for full, short in cut:
        assert short.rstrip("…") in full
        assert full in visible, full


def test_rounds_sit_on_the_x_axis_by_date() -> None:
    dates = [dt.date(2023, 11, 15), dt.date(2024, 1, 28), dt.date(2024, 2, 13), dt.date(2024, 2, 13), dt.date(2024, 2, 16), dt.date(2024, 3, 3)]
    rounds = [Round(f"r{i}", d) for i, d in enumerate(dates)]
    xs = round_xs(rounds)
    assert xs == sorted(xs)
    assert all(b - a >= MIN_STEP - 1e-9 for a, b in zip(xs, xs[1:])), "rounds on one date drawn on top of each other"
    span = xs[-1] - xs[0]
    # Nov 15 -> Jan 28 is 74 of the 109 days: about two thirds of the axis, not one fifth
    assert (xs[1] - xs[0]) / span == pytest.approx(74 / 109, abs=0.03)
    assert xs[5] - xs[4] > xs[4] - xs[3]


def test_overlapping_series_are_told_apart_by_shape_and_a_note() -> None:
    html, parsed = page(EXPORT / "basic.yaml")
    chart = re.search(r'<figure id="demand-access">.*?</figure>', html, re.S).group()
    # South (second party) and the broker (third) both hold "limited" in r2
    assert "<rect" in chart and "<polygon" in chart and "<circle" in chart
    assert "Same position, drawn side by side: <bdi>South</bdi> and <bdi>The broker</bdi> in 1 round (<bdi>r2</bdi>)." in chart


# -- bidirectional text and control characters ----------------------------------------------


RTL = re.compile("[\u0590-\u08ff]")


def test_right_to_left_catalog_text_is_isolated_everywhere_in_the_html() -> None:
    html, parsed = page(EXPORT / "rtl.yaml")
    pieces = [(d, iso) for d, iso in parsed.visible if RTL.search(d)]
    assert len(pieces) > 5
    assert all(iso for _, iso in pieces), [d for d, iso in pieces if not iso]
    # the outlet ending in Persian is followed by its date, in order
    assert "<b><bdi>Tehran Times خبرگزاری</bdi></b>, 2014-07-08" in html
    # a range stays outside the unit's isolate: inside it, 10–20 would read 20–10
    assert '<span class="text">10–20 <bdi>أسرى</bdi></span>' in html
    assert '<td class="gap">7 <bdi>أسرى</bdi> (relative 0.70, apart)</td>' in html
    for text in parsed.svg_texts:
        if RTL.search(text):
            assert FSI in text and PDI in text, text


def test_right_to_left_catalog_text_is_isolated_in_markdown() -> None:
    catalog, analysis = load(EXPORT / "rtl.yaml")
    text = to_markdown(catalog, analysis)
    assert f"[^tehran]: {FSI}Tehran Times خبرگزاری{PDI}, 2014-07-08, “Talks ␛\\[1m resume”." in text
    assert f"## r1 (2014-07-08, {FSI}الدوحة{PDI})" in text
    assert f"| \\+ 10–20 {FSI}أسرى{PDI} | 7 {FSI}أسرى{PDI} (relative 0.70, apart) |" in text
    # isolates are always paired, and only around right-to-left text
    assert text.count(FSI) == text.count(PDI)
    assert FSI not in to_markdown(*load(EXPORT / "basic.yaml"))


def test_html_shows_control_characters_by_a_name_every_font_has() -> None:
    html, parsed = page(EXPORT / "rtl.yaml")
    assert "\x1b" not in html and "\u241b" not in html
    assert '<bdi>Talks <span class="ctl" title="control character U+001B">ESC</span>[1m resume</bdi>' in html
    # an attribute value cannot hold markup: the name goes in brackets
    assert attr("Talks \x1b[1m") == "Talks [ESC][1m" and attr("\u202e<") == "[U+202E]&lt;"


# -- the JSON export and its schema -------------------------------------------------------


def validator() -> jsonschema.Draft202012Validator:
    schema = build_export_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_catalogs_cover_every_kind_of_export_test_data() -> None:
    names = {p.relative_to(DATA).as_posix() for p in CATALOGS}
    assert {"export/accounts.yaml", "export/rtl.yaml", "export/hostile.yaml", "good/unicode_text.yaml"} <= names
    assert len(names) >= 15


def test_schema_command_prints_the_checked_in_copy() -> None:
    result = subprocess.run([sys.executable, "-m", "negotrack.tui.cli", "schema", "--export"], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == export_schema_text() == (ROOT / "schema" / "export.schema.json").read_text("utf-8")


@pytest.mark.parametrize("claims", [True, False], ids=["claims", "no-claims"])
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_export_validates_against_the_schema(path: Path, claims: bool) -> None:
    doc = json.loads(to_json(*load(path, claims)))
    errors = sorted(validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_real_catalog_validates_against_the_schema() -> None:
    path = ROOT / "positions.yaml"
    catalog, problems = load_catalog(path)
    if catalog is None:
        pytest.skip("positions.yaml does not load")
    validator().validate(json.loads(to_json(catalog, analyze(catalog))))


def test_the_schema_rejects_a_missing_an_unknown_or_a_mistyped_key() -> None:
    doc = json.loads(to_json(*load(EXPORT / "accounts.yaml")))
    check = validator()
    cell = doc["rounds"][0]["cells"][0]
    for broken in (
        lambda c: c.pop("claim"),
        lambda c: c.update(surprise=1),
        lambda c: c.update(shift="reworded"),
        lambda c: c.update(according_to="not an id"),
    ):
        changed = json.loads(json.dumps(cell))
        broken(changed)
        doc["rounds"][0]["cells"][0] = changed
        assert not check.is_valid(doc)
    doc["rounds"][0]["cells"][0] = cell
    doc["rounds"][1]["status"] = "rumoured"
    assert not check.is_valid(doc)


def test_docs_say_what_normalized_means_and_how_libreoffice_reads_the_csv() -> None:
    docs = (ROOT / "docs" / "export.md").read_text("utf-8")
    assert "--infilter=CSV:44,34,76" in docs
    assert re.search(r"`normalized`[^\n]*numeric", docs)
    assert "negotrack schema --export" in docs


def test_a_chart_of_one_huge_value_ends():
    """Found by tools.fuzz: every value the same number above 2**53 made the tick loop endless
    (adding the step no longer moved the float)."""
    from negotrack.store.export.svg import _nice_ticks

    ticks = _nice_ticks(1e19, 1e19)
    assert len(ticks) <= 8 and ticks[0] < 1e19 < ticks[-1]
    assert _nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert _nice_ticks(3, 13)[0] <= 3 and _nice_ticks(3, 13)[-1] >= 13
