"""Quotes proved against the archived reports (`archive:` on a source; `validate --quotes`).

A position's `quote` that cites a source with an `archive` (a local copy of the report, its
path relative to the catalog's folder) must occur in that archive's text verbatim. The only
differences allowed are whitespace (a line break for a space, two spaces for one, around the
ends) and typographic quotes (“ ” „ « » for ", ‘ ’ ‚ for '). A quote found in none of the
archives it cites is a warning at the quote's line that shows the closest passage of the
archive and its line. An archive that cannot be read is one warning at its source.

Pure: reads the archives (read-only), never raises for a bad file, never imports textual.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from .article import Article, ArticleError, read_article, sentences
from .model import Catalog, Position
from .problems import Problem

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'"})
_SPACE = re.compile(r"\s+")


def normalized(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as one space and typographic quotes as ASCII, and for each
    character of the result the offset in `text` it comes from."""
    out: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            where.append(i - 1)
            pending_space = False
        out.append(ch.translate(_QUOTES))
        where.append(i)
    return "".join(out), where


@dataclass(frozen=True, slots=True)
class Passage:
    """Where a quote is (or comes closest) in an archive: offsets in the article text."""

    start: int
    end: int
    line: int
    text: str
    exact: bool


class Archive:
    """One archived report, normalised once for any number of look-ups."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.flat, self.where = normalized(article.text)
        self._words: list[tuple[str, int, int]] | None = None

    def find(self, quote: str) -> Passage | None:
        """The quote's place in the archive when it occurs there (whitespace and typographic
        quotes aside), else None."""
        needle, _ = normalized(quote)
        if not needle:
            return None
        at = self.flat.find(needle)
        if at < 0:
            return None
        return self._passage(at, at + len(needle), exact=True)

    def _passage(self, a: int, b: int, exact: bool) -> Passage:
        start, end = self.where[a], self.where[b - 1] + 1
        return Passage(start, end, self.article.line_of(start), self.article.text[start:end], exact)

    def closest(self, quote: str) -> Passage | None:
        """The passage of about the quote's length most like it (by shared words, then by
        characters), or None for an empty archive or quote."""
        needle, _ = normalized(quote)
        qwords = needle.lower().split()
        if not qwords:
            return None
        if self._words is None:
            self._words = [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"\S+", self.flat)]
        words = self._words
        if not words:
            return None
        n = min(len(qwords), len(words))
        want = Counter(qwords)
        have: Counter[str] = Counter(w for w, _, _ in words[:n])
        overlap = sum(min(c, want[w]) for w, c in have.items())
        scores = [(overlap, 0)]
        for i in range(1, len(words) - n + 1):
            out_word, in_word = words[i - 1][0], words[i + n - 1][0]
            if want[out_word] and have[out_word] <= want[out_word]:
                overlap -= 1
            have[out_word] -= 1
            have[in_word] += 1
            if want[in_word] and have[in_word] <= want[in_word]:
                overlap += 1
            scores.append((overlap, i))
        best = None
        for _, i in sorted(scores, key=lambda s: (-s[0], s[1]))[:5]:
            for lo in range(max(0, i - 2), min(len(words) - 1, i + 2) + 1):
                for hi in range(max(lo + 1, lo + n - 2), min(len(words), lo + n + 2) + 1):
                    a, b = words[lo][1], words[hi - 1][2]
                    ratio = difflib.SequenceMatcher(None, needle, self.flat[a:b], autojunk=False).ratio()
                    if best is None or ratio > best[0]:
                        best = (ratio, a, b)
        assert best is not None
        return self._passage(best[1], best[2], exact=False)

    def context(self, quote: str) -> tuple[str, str, str] | None:
        """(the sentence before, the sentences holding the quote, the sentence after), from the
        archive, for a detail view; None when the quote is not in it."""
        found = self.find(quote)
        if found is None:
            return None
        sents = sentences(self.article.text)
        inside = [k for k, s in enumerate(sents) if s.end > found.start and s.start < found.end]
        if not inside:
            return ("", found.text, "")
        first, last = inside[0], inside[-1]
        before = sents[first - 1].text if first > 0 else ""
        after = sents[last + 1].text if last + 1 < len(sents) else ""
        return before, self.article.text[sents[first].start:sents[last].end], after


def archive_path(catalog: Catalog, archive: str) -> str:
    """An `archive:` value as a path: relative to the catalog's folder unless absolute."""
    return os.path.join(os.path.dirname(os.path.abspath(catalog.path)), os.path.expanduser(archive))


def quote_line(text_lines: list[str], position: Position) -> tuple[int, int]:
    """The 1-based (line, column) of a position's `quote:` key in the catalog text, or the
    position's own when the quote cannot be found there (a short form has none)."""
    own = getattr(position, "quote_line", None)
    if own:
        return own, getattr(position, "quote_column", 1) or 1
    start = position.line - 1
    if not 0 <= start < len(text_lines):
        return position.line, position.column
    base = position.column - 1
    for n in range(start + 1, min(len(text_lines), start + 200)):
        line = text_lines[n]
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent <= base:
            break
        if stripped.startswith(("quote:", '"quote":', "'quote':")):
            return n + 1, indent + 1
    return position.line, position.column


def _nearest(quote: str, archives: list[Archive]) -> Passage | None:
    """The closest passage to `quote` among all `archives`."""
    needle = normalized(quote)[0]
    best: tuple[float, Passage] | None = None
    for archive in archives:
        near = archive.closest(quote)
        if near is None:
            continue
        ratio = difflib.SequenceMatcher(None, needle, normalized(near.text)[0], autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, near)
    return best[1] if best else None


def _shown(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def check_quotes(
    catalog: Catalog,
    catalog_text: str | None = None,
    reader: Callable[[str], Article] = read_article,
) -> list[Problem]:
    """Warnings for every quote that cites an archived source and is in none of the archives it
    cites, and for every archive that cannot be read. `catalog_text` (the catalog file's text)
    places each warning on the quote's own line; it is read from `catalog.path` when None."""
    if catalog_text is None:
        try:
            with open(catalog.path, encoding="utf-8", errors="replace") as fh:
                catalog_text = fh.read()
        except OSError:
            catalog_text = ""
    lines = catalog_text.split("\n")
    file = catalog.path
    problems: list[Problem] = []
    archives: dict[str, Archive | None] = {}

    def archive_of(source_id: str) -> Archive | None:
        if source_id in archives:
            return archives[source_id]
        source = catalog.source(source_id)
        archive = getattr(source, "archive", None) if source else None
        loaded = None
        if source is not None and archive:
            try:
                loaded = Archive(reader(archive_path(catalog, archive)))
            except ArticleError as exc:
                problems.append(Problem(file, source.line, source.column,
                                        f"the archive of source `{source_id}` cannot be read ({exc}); its quotes are not checked",
                                        "warning"))
        archives[source_id] = loaded
        return loaded

    for rnd in catalog.rounds:
        for position in rnd.positions.values():
            if not position.quote:
                continue
            cited = [s for s in position.sources if getattr(catalog.source(s), "archive", None)]
            if not cited:
                continue
            readable = [(s, a) for s in cited if (a := archive_of(s)) is not None]
            if not readable or any(a.find(position.quote) is not None for _, a in readable):
                continue
            near = _nearest(position.quote, [a for _, a in readable])
            hint = f"; did you mean \"{_shown(near.text)}\" (archive line {near.line})?" if near else ""
            names = ", ".join(f"`{s}`" for s, _ in readable)
            line, column = quote_line(lines, position)
            problems.append(Problem(
                file, line, column,
                f"the quote of `{position.party}` on `{position.demand}` in round `{rnd.id}` is not in the archived text of {names}"
                f" (only whitespace and typographic quotes may differ){hint}",
                "warning",
            ))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems
