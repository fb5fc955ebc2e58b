"""A deterministic, seeded, valid synthetic catalog for the benchmarks.

    python bench/generate.py S|M|L|XL|ROUNDSxDEMANDSxPARTIES [-o OUT] [--seed N]

or, from Python, `bench.generate.generate(size, seed=0) -> str`.

Sizes (rounds x demands x parties): S = 20 x 10 x 3, M = 100 x 25 x 4, L = 200 x 40 x 6
(about 48,000 positions), XL = 1,000 x 60 x 10 (about 590,000 positions; issue 13's "keys
answered while it loads"). Sizes with at most 6 parties use only the first 6 of PARTIES, so
their text did not change when XL's four were added. Every party states nearly every demand in every round (about 3 %
of cells are left out after the first round, so carried-over positions occur), with a mix
of short forms (a stance, a number, a `[low, high]` range) and long forms (status, note,
quote, sources, disputed reports, now and then `withdrawn: true`); scale, numeric and
free-text demands; plain, single-quoted, double-quoted and folded scalars; and non-ASCII
text (Arabic, Hebrew, accented Latin).

The text never contains `&`, `*`, `!` or `#`: the reader scans a file token by token for
anchors, aliases and tags only when it may hold one, and these benchmarks measure the common
path (see BENCHMARKS.md). Positions move from round to round (restated, reworded, moved a
step, withdrawn, restated later), so every kind of shift appears in the analysis.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Callable

SIZES: dict[str, tuple[int, int, int]] = {
    "S": (20, 10, 3),
    "M": (100, 25, 4),
    "L": (200, 40, 6),
    "XL": (1000, 60, 10),
}

#: (id, name, role) in column order; the first n are used
PARTIES = [
    ("alpha", "Alpha Front — جبهة ألفا", "party"),
    ("beta", "Beta Council (מועצת בטא)", "party"),
    ("mediators", "Qatar, Egypt and the United States", "mediator"),
    ("gamma", "Gamma Coalition, Région du Sud", "party"),
    ("delta", "Délégation Delta", "party"),
    ("observers", "Observateurs de l’ONU", "observer"),
    # XL's four (appended: the first six keep S, M and L byte for byte)
    ("epsilon", "Epsilon Popular Committee for the Return of the Displaced to the Northern Governorates", "party"),
    ("zeta", "Комитет Зета — Ζήτα", "party"),
    ("guarantors", "الضامنون الإقليميون (Regional Guarantors — Jordan, Türkiye and the Gulf Cooperation Council)", "mediator"),
    ("eta", "エータ代表団 Eta", "observer"),
]

SCALES = [
    ["no ceasefire", "humanitarian pause", "temporary truce", "phased, then permanent", "permanent ceasefire"],
    ["no withdrawal", "partial withdrawal", "withdrawal on clear maps", "complete withdrawal"],
    ["refused", "under study", "accepted in principle", "accepted"],
    ["none", "limited", "gradual", "full"],
    ["verbal", "in writing", "guaranteed by mediators", "UN Security Council resolution"],
    ["لا", "جزئي", "كامل"],
    ["לא", "חלקי", "מלא"],
    ["aucune", "partielle", "complète", "définitive"],
    ["no", "maybe", "yes"],  # YAML 1.1 booleans: the catalog reads them as the words they are
    ["gradual and limited", "by stages", "all at once, in the first stage"],
]

UNITS = ["prisoners per captive", "trucks per day", "days", "km", "captives", "per cent of the strip", "million USD"]

TOPICS = [
    "ceasefire", "withdrawal", "return of the displaced", "aid trucks", "prisoner ratio", "guarantees",
    "reconstruction", "crossings", "fuel", "hospitals", "buffer zone", "monitoring", "timetable",
    "security arrangements", "governance", "Rafah crossing", "Netzarim corridor", "sea port",
    "وقف إطلاق النار", "الأسرى", "הפסקת אש", "חטופים", "reconstruction du port", "garanties écrites",
]

WORDS = (
    "the a of in on for with after before first second third stage week days permanent temporary "
    "partial full written verbal international regional ceasefire truce hostages prisoners "
    "withdrawal corridor aid trucks guarantees phase mediators border crossing reconstruction "
    "displaced return security monitoring timetable exchange release convoy fuel hospitals "
    "negotiators delegation proposal framework sources officials said would accept reject insist "
    "demand offer draft text clause annex map areas north south Gaza Cairo Doha Paris Washington "
    "close to the talks according to a senior official "
    "négociation médiateurs accord garanties cessez-le-feu trêve Genève Zürich café naïve "
    "هدنة وقف إطلاق النار الأسرى انسحاب الوسطاء ضمانات المساعدات غزة القاهرة الدوحة "
    "הפסקת אש חטופים נסיגה ערבויות מתווכים ירושלים משא ומתן"
).split()

OUTLETS = [
    "Al Jazeera English", "Haaretz", "Le Monde", "Al Mayadeen English", "The Times of Israel",
    "Asharq Al-Awsat", "الشرق الأوسط", "ידיעות אחרונות", "Reuters", "Agence France-Presse",
    "Süddeutsche Zeitung", "El País",
]

VENUES = ["Paris", "Cairo", "Doha", "Genève", "القاهرة", "الدوحة", "ירושלים", "Kraków", "Washington", "Zürich"]


def parse_size(size: str) -> tuple[int, int, int]:
    """`S`, `M`, `L`, `XL` or `ROUNDSxDEMANDSxPARTIES` (parties at most len(PARTIES), 10)."""
    if size.upper() in SIZES:
        return SIZES[size.upper()]
    try:
        rounds, demands, parties = (int(x) for x in size.lower().split("x"))
    except ValueError:
        raise ValueError(f"size {size!r} is not S, M, L, XL or ROUNDSxDEMANDSxPARTIES") from None
    if not (1 <= parties <= len(PARTIES) and rounds >= 1 and demands >= 1):
        raise ValueError(f"size {size!r}: need rounds >= 1, demands >= 1 and 1..{len(PARTIES)} parties")
    return rounds, demands, parties


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.out = self.lines.append

    def sentence(self, low: int, high: int) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def phrase(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def scalar(self, indent: str, key: str, text: str) -> None:
        """`key: text` in one of the styles a person would use for it."""
        style = self.rng.random()
        if len(text) > 90 and style < 0.5:
            self.out(f"{indent}{key}: >-")
            line = ""
            for word in text.split(" "):
                if line and len(line) + 1 + len(word) > 88:
                    self.out(f"{indent}  {line}")
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            self.out(f"{indent}  {line}")
        elif style < 0.7:
            self.out(f"{indent}{key}: {text}")
        elif style < 0.85:
            self.out(f"{indent}{key}: '{text}'")
        else:
            self.out(f'{indent}{key}: "{text}"')


def generate(size: str, seed: int = 0) -> str:
    """The catalog text for `size` (see the module docstring); the same for the same arguments."""
    n_rounds, n_demands, n_parties = parse_size(size)
    rng = random.Random(f"negotrack-bench:{n_rounds}x{n_demands}x{n_parties}:{seed}")
    w = _Writer(rng)
    out = w.out
    out("# A synthetic negotrack catalog for the benchmarks: python bench/generate.py "
        f"{size} --seed {seed}")
    out("format: 1")
    out(f"title: Synthetic talks, {n_rounds} rounds × {n_demands} demands × {n_parties} parties — محادثات")
    w.scalar("", "description", w.sentence(20, 40))
    out("")

    parties = PARTIES[:n_parties]
    out("parties:")
    for pid, name, role in parties:
        out(f"  {pid}:")
        out(f"    name: {name}")
        if role != "party":
            out(f"    role: {role}")
        if rng.random() < 0.5:
            w.scalar("    ", "note", w.sentence(8, 30))
    out("")

    # demands: 4 in 9 scale, 3 in 9 numeric, 2 in 9 free text, in a fixed pattern so that even
    # the smallest size has every kind
    kinds = ("scale", "number", "text", "scale", "number", "scale", "number", "scale", "text")
    demands: list[tuple[str, str, object]] = []  # (id, kind, scale | unit | phrases)
    out("demands:")
    for i in range(n_demands):
        topic = TOPICS[i % len(TOPICS)]
        did = f"d{i + 1:02d}-" + "".join(c if c.isascii() and c.isalnum() else "-" for c in topic).strip("-")
        did = did if did[-1] != "-" else did + "x"
        kind = kinds[i % len(kinds)]
        out(f"  {did}:")
        out(f"    title: {topic[0].upper() + topic[1:]} ({i + 1})")
        if rng.random() < 0.6:
            w.scalar("    ", "note", w.sentence(10, 40))
        if rng.random() < 0.5:
            out("    keywords: [" + ", ".join(rng.sample(WORDS[:60], 4)) + "]")
        if kind == "scale":
            scale = SCALES[i % len(SCALES)]
            out("    scale:")
            for stance in scale:
                out(f"      - {stance}")
            demands.append((did, "scale", scale))
        elif kind == "number":
            unit = rng.choice(UNITS)
            out(f"    unit: {unit}")
            demands.append((did, "number", unit))
        else:
            phrases = sorted({w.phrase(2, 7) for _ in range(6)})
            demands.append((did, "text", phrases))
    out("")

    n_sources = max(5, n_rounds)
    start = dt.date(2020, 1, 6)
    source_ids = [f"src-{i + 1:04d}" for i in range(n_sources)]
    out("sources:")
    for i, sid in enumerate(source_ids):
        out(f"  {sid}:")
        out(f"    outlet: {rng.choice(OUTLETS)}")
        out(f"    date: {(start + dt.timedelta(days=3 * i + rng.randint(0, 2))).isoformat()}")
        if rng.random() < 0.8:
            w.scalar("    ", "title", w.sentence(5, 14))
        if rng.random() < 0.6:
            out(f"    url: https://news.example.org/{2020 + i // 120}/{sid}")
        if rng.random() < 0.3:
            w.scalar("    ", "note", w.sentence(4, 12))
    out("")

    # state[(party, demand)]: scale index, (low, high), phrase index, or None (nothing said / withdrawn)
    state: dict[tuple[str, str], object] = {}

    def number(unit_low: int) -> int | float:
        return round(rng.uniform(unit_low, unit_low * 20), 1) if rng.random() < 0.15 else rng.randint(unit_low, unit_low * 20)

    def fmt(value: object) -> str:
        low, high = value  # type: ignore[misc]
        return f"{low}" if low == high else f"[{low}, {high}]"

    def next_reading(kind: str, spec: object, old: object) -> object:
        if kind == "scale":
            n = len(spec)  # type: ignore[arg-type]
            if old is None:
                return rng.randrange(n)
            return max(0, min(n - 1, old + rng.choice((-1, 0, 0, 1))))  # type: ignore[operator]
        if kind == "number":
            if old is None or rng.random() < 0.4:
                a, b = number(3), number(3)
                low, high = min(a, b), max(a, b)
                return (low, low) if rng.random() < 0.6 else (low, high)
            return old
        if old is None or rng.random() < 0.3:
            return rng.randrange(len(spec))  # type: ignore[arg-type]
        return old

    def reading_text(kind: str, spec: object, reading: object) -> str:
        if kind == "scale":
            return spec[reading]  # type: ignore[index]
        if kind == "number":
            return fmt(reading)
        return spec[reading]  # type: ignore[index]

    out("rounds:")
    day = start
    for r in range(n_rounds):
        rid = f"r{r + 1:04d}"
        day += dt.timedelta(days=rng.randint(0, 5))
        out(f"  - id: {rid}")
        out(f"    date: {day.isoformat()}")
        if rng.random() < 0.8:
            out(f"    venue: {rng.choice(VENUES)}")
        if rng.random() < 0.7:
            w.scalar("    ", "title", w.sentence(3, 10))
        if rng.random() < 0.4:
            w.scalar("    ", "summary", w.sentence(15, 45))
        round_sources = rng.sample(source_ids, rng.randint(1, 2)) if rng.random() < 0.7 else []
        if round_sources:
            out("    sources: [" + ", ".join(round_sources) + "]")
        out("    positions:")
        for pid, _, _ in parties:
            out(f"      {pid}:")
            for did, kind, spec in demands:
                key = (pid, did)
                old = state.get(key)
                if r > 0 and rng.random() < 0.03:
                    continue  # nothing reported: carried over
                if old is not None and rng.random() < 0.01:
                    out(f"        {did}:")
                    out("          withdrawn: true")
                    if rng.random() < 0.5:
                        w.scalar("          ", "note", w.sentence(4, 12))
                    state[key] = None
                    continue
                reading = next_reading(kind, spec, old)
                state[key] = reading
                shown = reading_text(kind, spec, reading)
                if rng.random() < 0.7:
                    out(f"        {did}: {shown}")
                    continue
                out(f"        {did}:")
                out(f"          {'value' if kind == 'number' else 'stance'}: {shown}")
                if rng.random() < 0.5:
                    out(f"          status: {rng.choice(('demand', 'offer', 'accepted', 'rejected', 'red line', 'proposal'))}")
                if rng.random() < 0.6:
                    w.scalar("          ", "note", w.sentence(6, 40))
                if rng.random() < 0.35:
                    out(f'          quote: "{w.sentence(8, 30)}"')
                src = rng.random()
                if src < 0.3:
                    out(f"          source: {rng.choice(source_ids)}")
                elif src < 0.45:
                    out("          sources: [" + ", ".join(rng.sample(source_ids, 2)) + "]")
                if rng.random() < 0.06:
                    out("          disputed:")
                    for _ in range(rng.randint(1, 2)):
                        other = next_reading(kind, spec, reading)
                        out(f"            - {'value' if kind == 'number' else 'stance'}: {reading_text(kind, spec, other)}")
                        out(f"              source: {rng.choice(source_ids)}")
                        if rng.random() < 0.5:
                            w.scalar("              ", "note", w.sentence(4, 16))
    out("")
    return "\n".join(w.lines)


def main(argv: list[str] | None = None, write: Callable[[str], object] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic negotrack catalog for the benchmarks.")
    parser.add_argument("size", help="S, M, L, XL or ROUNDSxDEMANDSxPARTIES")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        text = generate(args.size, seed=args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        (write or sys.stdout.write)(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
