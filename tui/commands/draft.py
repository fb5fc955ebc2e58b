"""`negotrack draft ARTICLE`: propose positions from a report, as YAML (or JSON) to review.

The finding is store/draft.py; this module reads the files, renders the proposals and prints
them. It never writes anything: the catalog is only ever edited by the user. Exit 0 when the
article was read (whether or not anything was found), 2 when the article or the catalog cannot
be read, or a round or source named on the command line does not exist.

Every quote is printed as a YAML double-quoted scalar whose value is exactly the article's
characters (line breaks as `\\n`, control characters escaped), so pasting it loses nothing
and nothing in it can act on the terminal.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from negotrack.store import Catalog, load_catalog
from negotrack.store.article import ArticleError, read_article
from negotrack.store.draft import Draft, Drafter, Proposal
from negotrack.store.problems import did_you_mean
from negotrack.store.text import clean

EXIT_OK, EXIT_ERROR = 0, 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE", help="the report: a .txt, .html or .eml file")
    parser.add_argument("--catalog", metavar="FILE", help="the catalog whose parties and demands to look for (default: ./positions.yaml, or the --into file)")
    parser.add_argument("--round", metavar="ID", help="leave out what this round already says, and mark where it differs")
    parser.add_argument("--source", metavar="ID", help="the catalog's source for this report (default: the source whose `archive` is ARTICLE)")
    parser.add_argument("--into", metavar="FILE", help="print the round given by --round of this catalog with the proposals merged in (the file is not changed)")
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml", help="output format (default: yaml)")


# -- YAML text ------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e", "\0": "\\0"}
_NEEDS_ESCAPE = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_PLAIN = re.compile(r"[A-Za-z][\w ,.'()/-]*[\w).]\Z|[A-Za-z]\Z")
_RESERVED = frozenset("true false null yes no on off y n ~".split())


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back as exactly `text`."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def scalar(text: str) -> str:
    """`text` plain when YAML reads it back unchanged as a string, else double-quoted."""
    if _PLAIN.match(text) and ": " not in text and " #" not in text and text.lower() not in _RESERVED:
        return text
    return quoted(text)


def comment(text: str) -> str:
    """One line of comment text: control characters made visible, no line break."""
    return " ".join(clean(text, newlines=False).split())


def _number(n: int | float) -> str:
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)


class Renderer:
    """Proposals as YAML lines, at the indentation the catalog uses under `positions:`."""

    def __init__(self, catalog: Catalog, source: str | None, round_sources: tuple[str, ...] = ()) -> None:
        self.catalog = catalog
        self.source = source
        self.round_sources = round_sources
        src = catalog.source(source) if source else None
        self.default_account = getattr(src, "according_to", None) if src else None

    def position(self, p: Proposal, indent: int, step: int = 2, why: bool = True) -> list[str]:
        """The lines of `demand: {...}` for one proposal, starting at `indent` spaces."""
        pad, inner = " " * indent, " " * (indent + step)
        guess = set(p.guesses)
        lines = [f"{pad}{p.demand}:  # article line {p.line} · confidence {p.confidence:.2f} ({p.level})"]

        def field(key: str, value: str, note: str = "") -> None:
            lines.append(f"{inner}{key}: {value}" + (f"  # {comment(note)}" if note else ""))

        if p.value is not None:
            value = _number(p.value.low) if not p.value.is_range else f"[{_number(p.value.low)}, {_number(p.value.high)}]"
            field("value", value, "guess" if "value" in guess else "")
        elif p.stance is not None:
            field("stance", scalar(p.stance), "guess: say it in your own words" if self.catalog.demand(p.demand).kind == "text" else ("guess" if "stance" in guess else ""))
        if p.status:
            field("status", scalar(p.status), "guess")
        if p.qualifier:
            field("note", quoted(f"{p.qualifier} {p.shown()}"), "the article gives a bound or an estimate")
        field("quote", quoted(p.quote))
        if self.source and self.round_sources != (self.source,):
            field("source", self.source)
        if p.according_to and p.according_to != self.default_account:
            field("according_to", p.according_to, f"guess, from {p.speaker!r}" if p.speaker else "guess")
        if p.speaker:
            field("speaker", quoted(p.speaker), "guess")
        if why and p.reasons:
            lines.append(f"{inner}# why: {comment('; '.join(p.reasons))}")
        if "party" in guess:
            lines.append(f"{inner}# whose position: a guess (no party is the subject of a verb of demanding or offering)")
        return lines

    def alternatives(self, others: tuple[Proposal, ...], indent: int) -> list[str]:
        if not others:
            return []
        listed = ", ".join(f"line {o.line} ({o.shown()})" for o in others[:6])
        return [" " * indent + f"# also in the article: {comment(listed)}"]


def party_indent(text: str, catalog: Catalog) -> tuple[int, int]:
    """(indentation of party keys under `positions:`, indentation step) as the catalog writes
    them; (6, 2) when it has no position to copy from."""
    lines = text.split("\n")
    for rnd in catalog.rounds:
        for position in rnd.positions.values():
            demand_indent = position.column - 1
            for n in range(position.line - 2, max(position.line - 60, -1), -1):
                line = lines[n] if 0 <= n < len(lines) else ""
                stripped = line.lstrip()
                if stripped and not stripped.startswith("#"):
                    indent = len(line) - len(stripped)
                    if indent < demand_indent:
                        return indent, demand_indent - indent
            break
    return 6, 2


def fragment(draft: Draft, renderer: Renderer, indent: int, step: int, header: list[str]) -> str:
    """The proposals grouped by party, in YAML ready to paste under a round's `positions:`."""
    out = [f"# {comment(h)}" if h else "#" for h in header]
    parties = [p.id for p in renderer.catalog.parties]
    by_party: dict[str, list[Proposal]] = {}
    for p in draft.proposals:
        by_party.setdefault(p.party, []).append(p)
    for party in sorted(by_party, key=parties.index):
        out.append(" " * indent + f"{party}:")
        for p in by_party[party]:
            out.extend(renderer.position(p, indent + step, step))
            out.extend(renderer.alternatives(draft.alternatives.get(p.key, ()), indent + 2 * step))
    return "\n".join(out) + "\n"


# -- merging into a round ---------------------------------------------------------------------

def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _meaningful(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _block_end(lines: list[str], start: int, indent: int, stop: int) -> int:
    """The index after the last meaningful line of the block opened at `start` (deeper than
    `indent`), not past `stop`."""
    end = start + 1
    for n in range(start + 1, stop):
        if not lines[n].strip():
            continue
        if _indent(lines[n]) <= indent:
            if _meaningful(lines[n]):
                break
            continue  # a comment at the block's own level may belong to what follows
        end = n + 1  # content, or a comment indented inside the block
    return end


def merged_round(text: str, catalog: Catalog, round_id: str, draft: Draft, renderer: Renderer, step: int) -> str:
    """The text of round `round_id` as it would read with the new proposals added: its own
    lines unchanged, each new position inserted under its party (marked `# draft`), and a
    comment where the round already has a position for the same party and demand."""
    lines = text.split("\n")
    index = catalog.round_index(round_id)
    rnd = catalog.rounds[index]
    first = rnd.line - 1
    item_indent = _indent(lines[first])
    stop = _block_end(lines, first, item_indent, len(lines))
    if index + 1 < len(catalog.rounds):
        stop = min(stop, catalog.rounds[index + 1].line - 1)
    block = lines[first:stop]
    key_indent = _indent(block[0]) + 2 if block[0].lstrip().startswith("- ") else _indent(block[0])
    positions_at = next((n for n, line in enumerate(block) if line.strip() == "positions:" and _indent(line) == key_indent), None)
    if positions_at is None:
        block.append(" " * key_indent + "positions:  # draft")
        positions_at = len(block) - 1
    party_at_indent = key_indent + step
    by_party: dict[str, list[Proposal]] = {}
    for p in draft.proposals:
        by_party.setdefault(p.party, []).append(p)
    parties = [p.id for p in catalog.parties]
    for party in sorted(by_party, key=parties.index):
        new: list[str] = []
        for p in by_party[party]:
            held = rnd.positions.get(p.key)
            if held is not None:
                same = (held.stance, held.value) == (p.stance, p.value)
                new.append(" " * (party_at_indent + step) + f"# draft: the article (line {p.line}) "
                           + (f"confirms {p.demand}: {comment(p.shown())}" if same else
                              f"reads {p.demand} as {comment(p.shown())}; this round has {comment(held.shown())}"))
                continue
            body = renderer.position(p, party_at_indent + step, step)
            body[0] = body[0].replace("  # article line", "  # draft: article line", 1)
            new.extend(body)
        positions_end = _block_end(block, positions_at, key_indent, len(block))
        party_line = next((n for n in range(positions_at + 1, positions_end)
                           if _indent(block[n]) == party_at_indent and block[n].strip().split("#")[0].strip() == f"{party}:"), None)
        if party_line is None:
            block[positions_end:positions_end] = [" " * party_at_indent + f"{party}:  # draft"] + new
        else:
            end = _block_end(block, party_line, party_at_indent, positions_end)
            block[end:end] = new
    while block and not block[-1].strip():
        block.pop()
    # the round's own lines are printed as they are, but nothing in them may act on a terminal
    return "\n".join(clean(line, newlines=False) for line in block) + "\n"


# -- the command --------------------------------------------------------------------------------

def _error(message: str) -> int:
    print(f"negotrack: {clean(message, newlines=False)}", file=sys.stderr)
    return EXIT_ERROR


def _source_for(catalog: Catalog, article_path: str) -> str | None:
    """The source whose `archive` is the article file, if one is."""
    folder = os.path.dirname(os.path.abspath(catalog.path))
    for source in catalog.sources:
        archive = getattr(source, "archive", None)
        if not archive:
            continue
        path = os.path.join(folder, archive)
        try:
            if os.path.samefile(path, article_path):
                return source.id
        except OSError:
            continue
    return None


def proposal_doc(p: Proposal, draft: Draft, renderer: Renderer) -> dict[str, Any]:
    """One proposal as a JSON object (every key always present)."""
    return {
        "party": p.party,
        "demand": p.demand,
        "stance": p.stance,
        "value": None if p.value is None else {"low": p.value.low, "high": p.value.high},
        "qualifier": p.qualifier,
        "status": p.status,
        "quote": p.quote,
        "line": p.line,
        "start": p.start,
        "end": p.end,
        "confidence": p.confidence,
        "level": p.level,
        "speaker": p.speaker,
        "according_to": p.according_to,
        "reasons": list(p.reasons),
        "guesses": list(p.guesses),
        "alternatives": [{"line": o.line, "shown": o.shown(), "confidence": o.confidence, "quote": o.quote}
                         for o in draft.alternatives.get(p.key, ())],
        "yaml": "\n".join(renderer.position(p, 0, 2, why=False)) + "\n",
    }


def run(args: argparse.Namespace) -> int:
    if args.into and not args.round:
        return _error("--into needs --round ID: the round to show with the proposals merged in")
    catalog_path = args.catalog or args.into or "positions.yaml"
    if args.into and args.catalog and os.path.abspath(args.into) != os.path.abspath(args.catalog):
        return _error("--into names the catalog to merge into; leave out --catalog or give the same file")
    try:
        article = read_article(args.article)
    except ArticleError as exc:
        return _error(str(exc))
    if not os.path.isfile(catalog_path):
        reason = "is a folder" if os.path.isdir(catalog_path) else "does not exist"
        return _error(f"the catalog {catalog_path} {reason}; pass one with --catalog FILE")
    catalog, problems = load_catalog(catalog_path)
    if catalog is None:
        for problem in problems:
            print(clean(str(problem), newlines=False), file=sys.stderr)
        return _error(f"{catalog_path} has errors; fix them (negotrack validate {catalog_path}) before drafting against it")
    rnd = None
    if args.round:
        rnd = next((r for r in catalog.rounds if r.id == args.round), None)
        if rnd is None:
            return _error(f"no round `{args.round}` in {catalog_path}{did_you_mean(args.round, [r.id for r in catalog.rounds])}")
    source = args.source
    if source is not None and catalog.source(source) is None:
        return _error(f"no source `{source}` in {catalog_path}{did_you_mean(source, [s.id for s in catalog.sources])}")
    if source is None:
        source = _source_for(catalog, args.article)

    result = Drafter(catalog).draft(article.text)
    renderer = Renderer(catalog, source, rnd.sources if rnd else ())
    if args.format == "json":
        from negotrack.store.export.jsondoc import json_text

        doc = {
            "article": args.article,
            "catalog": catalog_path,
            "round": args.round,
            "source": source,
            "sentences": result.sentence_count,
            "words": result.word_count,
            "proposals": [
                {**proposal_doc(p, result, renderer),
                 "in_round": None if rnd is None or p.key not in rnd.positions else rnd.positions[p.key].shown()}
                for p in result.proposals
            ],
        }
        sys.stdout.write(json_text(doc))
        return EXIT_OK

    with open(catalog_path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    indent, step = party_indent(text, catalog)
    if args.into:
        sys.stdout.write(merged_round(text, catalog, args.round, result, renderer, step))
        return EXIT_OK
    header = [
        f"negotrack draft of {args.article} ({result.word_count:,} words, {result.sentence_count} sentences) against {catalog_path}",
        f"{len(result.proposals)} position{'s' if len(result.proposals) != 1 else ''} proposed; every quote is the article's text, character for character.",
        "Paste under `positions:` of a round, after review: `# guess` marks what you must check.",
    ]
    if source is None:
        header.append("No source given (--source ID) and none archives this article: add `source:` to each position.")
    shown = result
    if rnd is not None:
        same = [p for p in result.proposals if p.key in rnd.positions
                and (rnd.positions[p.key].stance, rnd.positions[p.key].value) == (p.stance, p.value)]
        if same:
            header.append(f"Already in round {rnd.id} (left out): " + ", ".join(f"{p.party}/{p.demand}" for p in same))
        shown = Draft(tuple(p for p in result.proposals if p not in same), result.alternatives,
                      result.sentence_count, result.word_count)
        for p in shown.proposals:
            if p.key in rnd.positions:
                header.append(f"Round {rnd.id} has {p.party}/{p.demand} = {rnd.positions[p.key].shown()}; the article reads {p.shown()} (line {p.line})")
    if not shown.proposals:
        header.append("No sentence of the article bears on a demand of the catalog for a party it names.")
    sys.stdout.write(fragment(shown, renderer, indent, step, header))
    return EXIT_OK
