"""How well `negotrack draft` reads reports: recall, precision and speed (issue 12).

    python -m bench.draft [--seeds DIR] [--catalog positions.yaml]

1. The answer key: tests/data/articles/catalog.yaml holds, round by round, the positions a
   careful reader records from each report beside it (written for negotrack, not copies of
   published text). For each round, `draft` reads the report named by the round's source
   (`archive:`) and its proposals are compared with the round's positions:
   recall = key positions (party, demand) among the proposals / key positions;
   precision = proposals that are key positions / proposals; of the pairs found, how many
   have the key's stance or value, and (for the key's accounts by another party) its `according_to`;
   verbatim = proposals whose quote is an exact substring of the article text (must be 1.0).
2. Speed: the four reports joined and repeated to 5,000 words and more, best of 5 runs of
   the whole path (read the article, cut it into sentences, propose), the catalog's cues
   built once outside the timing as the command does before reading.
3. The real-world case (a measurement, not a target; nothing is tuned to it): each report
   in ../shared/seeds against the bundled positions.yaml, whose sources do not name their
   seed files: the proposals whose (party, demand) the catalog has in some round that cites
   a source of the same outlet and date, and the ones it lacks.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from negotrack.store import load_catalog
from negotrack.store.article import parse_article, read_article
from negotrack.store.draft import Drafter

ROOT = Path(__file__).resolve().parent.parent
KEY = ROOT / "tests" / "data" / "articles" / "catalog.yaml"


@dataclass
class Score:
    key: int = 0
    proposed: int = 0
    found: int = 0  # key positions among the proposals
    correct: int = 0  # proposals that are key positions
    same_reading: int = 0  # found with the key's stance or value
    accounts: int = 0  # found key positions that say whose account they are
    accounts_right: int = 0  # ... and the proposal names the same party
    verbatim: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong_reading: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.key if self.key else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 0.0

    @property
    def verbatim_rate(self) -> float:
        return self.verbatim / self.proposed if self.proposed else 1.0


def held_out(catalog, rnd) -> bool:  # noqa: ANN001
    """A round whose report was written after the heuristics were settled (its source's note
    says "held out"): its score was measured once, not tuned to."""
    source = catalog.source(rnd.sources[0])
    return bool(source and source.note and source.note.startswith("held out"))


def evaluate(key_path: str | os.PathLike[str] = KEY, which: str = "all") -> Score:
    """Score `draft` on the rounds of the answer key (`which`: "all", "tuned" or "held out")
    against the report each round's source archives."""
    catalog, problems = load_catalog(key_path)
    if catalog is None:
        raise SystemExit("the answer key does not load:\n" + "\n".join(map(str, problems)))
    drafter = Drafter(catalog)
    folder = Path(key_path).parent
    score = Score()
    for rnd in catalog.rounds:
        if which != "all" and held_out(catalog, rnd) != (which == "held out"):
            continue
        source = catalog.source(rnd.sources[0])
        article = read_article(folder / source.archive)
        result = drafter.draft(article.text)
        proposals = {p.key: p for p in result.proposals}
        score.key += len(rnd.positions)
        score.proposed += len(proposals)
        for p in proposals.values():
            score.verbatim += p.quote in article.text and article.text[p.start:p.end] == p.quote
            if p.key in rnd.positions:
                score.correct += 1
            else:
                score.extra.append(f"{rnd.id}: {p.party}/{p.demand} = {p.shown()} (line {p.line})")
        for key, position in rnd.positions.items():
            p = proposals.get(key)
            if p is not None and position.according_to and position.according_to != key[0]:
                score.accounts += 1
                score.accounts_right += p.according_to == position.according_to
            if p is None:
                score.missed.append(f"{rnd.id}: {key[0]}/{key[1]} = {position.shown()}")
                continue
            score.found += 1
            if (p.stance, p.value) == (position.stance, position.value) or (
                    catalog.demand(key[1]).kind == "text"):
                score.same_reading += 1
            else:
                score.wrong_reading.append(f"{rnd.id}: {key[0]}/{key[1]} = {p.shown()}, key {position.shown()}")
    return score


def speed(key_path: str | os.PathLike[str] = KEY, words: int = 5000, runs: int = 5) -> tuple[int, float, float]:
    """(words, seconds of the first run, best seconds) to read and draft an article of at
    least `words` words."""
    catalog, _ = load_catalog(key_path)
    assert catalog is not None
    folder = Path(key_path).parent
    texts = [read_article(folder / s.archive).text for s in catalog.sources if s.archive]
    body = "\n\n".join(texts)
    text = body
    while len(text.split()) < words:
        text += "\n\n" + body
    data = text.encode("utf-8")
    from negotrack.store import draft as draft_module

    draft_module._STEMS.clear()  # the first run starts with no word stemmed
    drafter = Drafter(catalog)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        drafter.draft(parse_article(data, "long.txt").text)
        times.append(time.perf_counter() - start)
    return len(text.split()), times[0], min(times)


def seeds(folder: str, catalog_path: str) -> list[tuple[str, int, int, list[str], list[str]]]:
    """For each seed report: (file, words, pairs the catalog quotes from it, proposals the
    catalog has, proposals it lacks).

    The catalog "has" a proposal when it records the same (party, demand) with a quote taken
    from this report (found in its text, whitespace aside); the entry says whether the stance
    or value is the catalog's too."""
    catalog, problems = load_catalog(catalog_path)
    if catalog is None:
        raise SystemExit(f"{catalog_path} does not load: {problems[0] if problems else ''}")
    drafter = Drafter(catalog)
    out = []
    for name in sorted(os.listdir(folder)):
        article = read_article(os.path.join(folder, name))
        flat = " ".join(article.text.split())
        held: dict[tuple[str, str], list[str]] = {}
        for rnd in catalog.rounds:
            for key, pos in rnd.positions.items():
                if pos.quote and " ".join(pos.quote.split()) in flat:
                    held.setdefault(key, []).append(pos.shown())
        result = drafter.draft(article.text)
        has, lacks = [], []
        for p in result.proposals:
            if p.key in held:
                same = "same reading" if p.shown() in held[p.key] else f"catalog: {' / '.join(held[p.key])}"
                has.append(f"{p.party}/{p.demand} = {p.shown()} ({same})")
            else:
                lacks.append(f"{p.party}/{p.demand} = {p.shown()} (line {p.line})")
        out.append((name, article.word_count, len(held), has, lacks))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.draft", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"), help="folder of real reports")
    parser.add_argument("--catalog", default=str(ROOT / "positions.yaml"), help="catalog for the seeds")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)

    for which in ("tuned", "held out", "all"):
        score = evaluate(which=which)
        print(f"answer key, {which} reports: {score.key} positions; {score.proposed} proposed")
        print(f"  recall     {score.recall:.2f}  ({score.found}/{score.key})")
        print(f"  precision  {score.precision:.2f}  ({score.correct}/{score.proposed})")
        print(f"  stance or value as the key, of those found  {score.same_reading}/{score.found}")
        print(f"  whose account (according_to) as the key, of those found  {score.accounts_right}/{score.accounts}")
        print(f"  verbatim quotes  {score.verbatim_rate:.2f}  ({score.verbatim}/{score.proposed})")
        if args.verbose and which != "all":
            for title, items in (("missed", score.missed), ("extra", score.extra), ("other reading", score.wrong_reading)):
                for item in items:
                    print(f"    {title}: {item}")
    for words in (5000, 20000):
        n, first, best = speed(words=words)
        print(f"speed: {n:,} words read and drafted in {first * 1000:.0f} ms (first run), {best * 1000:.0f} ms (best of 5)")
    if os.path.isdir(args.seeds):
        print(f"seeds ({args.seeds}) against {args.catalog}:")
        rows = seeds(args.seeds, args.catalog)
        total_held = sum(r[2] for r in rows)
        total_has = sum(len(r[3]) for r in rows)
        same = sum(item.endswith("(same reading)") for r in rows for item in r[3])
        total_lacks = sum(len(r[4]) for r in rows)
        print(f"  all {len(rows)} reports: the catalog quotes {total_held} (party, demand) pairs from them; draft proposes "
              f"{total_has + total_lacks}: {total_has} the catalog has ({same} with its stance or value), {total_lacks} it lacks")
        for name, words, held, has, lacks in rows:
            print(f"  {name}: {words} words; the catalog holds {held} (party, demand) pairs quoted from it; "
                  f"{len(has) + len(lacks)} proposed: {len(has)} the catalog has, {len(lacks)} it lacks")
            if args.verbose:
                for item in has:
                    print(f"      has:   {item}")
                for item in lacks:
                    print(f"      lacks: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
