"""The event reader (store/events.py) builds exactly the reference builder's catalog, or declines.

`parse_catalog` reads a file with the event reader first and, when it declines, with the
node-based reference builder, which reports every problem. So the proof needed is: whenever the
event reader returns a catalog, the reference returns the same catalog (compared field by field
through `repr`, which shows every type and the order of every mapping, and each round's text
digest) and no problem; and the catalogs people write are taken by the event reader (or the
speed-up is lost). Checked on every catalog under tests/data, the bundled one, generated ones,
and a few thousand mutations of the valid ones.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

from negotrack.store import catalog as catalog_module  # noqa: E402
from negotrack.store import events  # noqa: E402
from negotrack.store.catalog import _marks_index_characters, _parse_reference, parse_catalog  # noqa: E402
from negotrack.store.pauses import paused_gc  # noqa: E402
from negotrack.store.yamlread import decode  # noqa: E402

DATA = ROOT / "tests" / "data"
FILES = sorted(DATA.rglob("*.yaml")) + [ROOT / "positions.yaml"]
#: valid files the event reader declines on purpose: they hold explicit tags (`!!int 7`)
TAGGED = {"every_optional_feature.yaml", "yaml_directive_and_document_markers.yaml"}
#: mutations checked in the suite (about 3 s); `python tests/test_events.py N` checks N more
MUTATIONS = 2500


def both(text: str, file: str = "t.yaml"):  # noqa: ANN201
    """(event catalog or None, reference catalog or None, reference problems), asserting that
    they agree: a catalog from the event reader is the reference's, and the reference saw no problem."""
    with paused_gc():
        fast = events.read_valid(text, file, digests=_marks_index_characters())
        reference, problems = _parse_reference(text, file)
    if fast is not None:
        assert problems == [], problems[:3]
        assert reference is not None
        assert repr(fast) == repr(reference)
        assert [r.text_digest for r in fast.rounds] == [r.text_digest for r in reference.rounds]
    return fast, reference, problems


def _text(path: Path) -> str | None:
    text, _ = decode(path.read_bytes(), str(path))
    return text


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalog_in_the_repository_reads_the_same(path: Path) -> None:
    text = _text(path)
    if text is None:
        return  # not UTF-8: refused before either reader runs
    fast, reference, problems = both(text, str(path))
    if reference is not None and path.name not in TAGGED:
        assert fast is not None, "a plainly valid catalog must take the fast path"
    # what parse_catalog answers is the reference's answer, problems and all
    catalog, answered = parse_catalog(path.read_bytes(), str(path))
    assert answered == problems
    assert repr(catalog) == repr(reference)


@pytest.mark.parametrize("size", ["S", "M", "3x4x6", "12x9x5"])
def test_generated_catalogs_read_the_same(size: str) -> None:
    fast, reference, _ = both(generate(size), f"{size}.yaml")
    assert fast is not None and reference is not None


def test_the_top_keys_are_the_catalogs() -> None:
    assert events.TOP_KEYS == frozenset(catalog_module.TOP_KEYS)
    assert events.FORMAT_VERSION == catalog_module.FORMAT_VERSION


# -- corners of the format, each read by both ------------------------------------------------------

EDGE_BASE = """\
format: 1
title: Talks
description: Two sides and a broker.
parties:
  north: {name: North}
  south:
    name: South
    aliases: [the south, Southerners]
  broker: {name: The broker, role: mediator}
demands:
  access: {title: Access, scale: [closed, shared, open], keywords: [harbour, port]}
  prisoners: {title: Prisoners, unit: prisoners}
  guarantees: {title: Guarantees}
sources:
  wire: {outlet: Wire, date: 2024-01-04}
  north-radio: {outlet: North Radio, according_to: north}
rounds:
  - id: r1
    date: 2024-01-05
    sources: [north-radio]
    positions:
      north:
        access: open
        prisoners: [10, 20]
        guarantees: in writing
      south:
        access: {stance: closed, status: demand, source: wire, note: firm}
        prisoners: {value: 5, disputed: [{value: 7, source: north-radio}]}
"""

#: (what is replaced in EDGE_BASE, by what): valid and invalid corners the two readers must agree on
EDGES = [
    ("", ""),
    ("format: 1", "format: 1.0"), ("format: 1", "format: +1"), ("format: 1", "format: '1'"), ("format: 1", "format: ~"),
    ("title: Talks", "title: ''"), ("title: Talks", "title: ~"), ("title: Talks", "title: [a]"),
    ("description: Two sides and a broker.", "description: ~"), ("description: Two sides and a broker.", "description: |\n  a\n  b"),
    ("{name: North}", "{name: ''}"), ("{name: North}", "{name: North, role: ~}"), ("{name: North}", "{name: North, role: ''}"),
    ("[the south, Southerners]", "[the south, '', ~, x]"), ("[the south, Southerners]", "~"), ("[the south, Southerners]", "x"),
    ("keywords: [harbour, port]", "keywords: [harbour, '']"), ("[closed, shared, open]", "[closed, '', open]"),
    ("{title: Prisoners, unit: prisoners}", "{title: Prisoners, unit: prisoners, scale: ~}"),
    ("{title: Prisoners, unit: prisoners}", "{title: Prisoners, unit: ~}"),
    ("{title: Guarantees}", "{title: ''}"), ("{title: Guarantees}", "{title: Guarantees, note: ~}"),
    ("date: 2024-01-04}", "date: '2024-01-04'}"), ("date: 2024-01-04}", "date: ~}"), ("date: 2024-01-04}", "date: 2024-02-30}"),
    ("according_to: north}", "according_to: south}"), ("according_to: north}", "according_to: broker}"),
    ("according_to: north}", "according_to: ~}"), ("according_to: north}", "according_to: nobody}"),
    ("sources:\n  wire", "sources: ~\nx-sources:\n  wire"),
    ("    sources: [north-radio]", "    sources: north-radio"), ("    sources: [north-radio]", "    sources: ~"),
    ("    sources: [north-radio]", "    sources: [wire, north-radio]"), ("    sources: [north-radio]", "    sources: []"),
    ("    sources: [north-radio]\n", "    status: inferred\n    venue: ~\n    summary: ''\n"),
    ("access: open", "access: 'open'"), ("access: open", "access: ~"), ("access: open", "access: ''"),
    ("guarantees: in writing", "guarantees: ''"), ("guarantees: in writing", "guarantees: '~'"),
    ("guarantees: in writing", "guarantees: \"null\""), ("guarantees: in writing", "guarantees: 42"),
    ("guarantees: in writing", "guarantees: yes"), ("guarantees: in writing", "guarantees: [a, b]"),
    ("prisoners: [10, 20]", "prisoners: [10, 10.0]"), ("prisoners: [10, 20]", "prisoners: [-0, 0.0]"),
    ("prisoners: [10, 20]", "prisoners: 1e3"), ("prisoners: [10, 20]", "prisoners: .5"), ("prisoners: [10, 20]", "prisoners: 5."),
    ("prisoners: [10, 20]", "prisoners: 1_000"), ("prisoners: [10, 20]", "prisoners: '5'"), ("prisoners: [10, 20]", "prisoners: [20, 10]"),
    ("prisoners: [10, 20]", "prisoners: " + "9" * 301), ("prisoners: [10, 20]", "prisoners: " + "9" * 300),
    ("prisoners: [10, 20]", "prisoners: {withdrawn: true}"), ("prisoners: [10, 20]", "prisoners: {withdrawn: false}"),
    ("prisoners: [10, 20]", "prisoners: {withdrawn: true, value: ~}"), ("prisoners: [10, 20]", "prisoners: {withdrawn: True, value: 3}"),
    ("prisoners: [10, 20]", "prisoners: {withdrawn: false, value: 3}"), ("prisoners: [10, 20]", "prisoners: {withdrawn: 'true'}"),
    ("prisoners: [10, 20]", "prisoners: {value: 3, sources: ~}"), ("prisoners: [10, 20]", "prisoners: {value: 3, sources: wire}"),
    ("prisoners: [10, 20]", "prisoners: {value: 3, source: [wire, north-radio]}"),
    ("prisoners: [10, 20]", "prisoners: {value: 3, source: ~}"), ("prisoners: [10, 20]", "prisoners: {value: 3, stance: x}"),
    ("prisoners: [10, 20]", "prisoners: {value: 3, according_to: south, speaker: ~}"),
    ("prisoners: [10, 20]", "prisoners: {value: 3, according_to: north, speaker: a minister}"),
    ("prisoners: [10, 20]", "prisoners: {value: 3, disputed: ~}"), ("prisoners: [10, 20]", "prisoners: {value: 3, disputed: []}"),
    ("{value: 7, source: north-radio}", "{value: 7, sources: ~, according_to: broker}"),
    ("{value: 7, source: north-radio}", "{value: 7, note: ~, speaker: someone}"), ("{value: 7, source: north-radio}", "{}"),
    ("note: firm}", "note: ~}"), ("note: firm}", "note: '', quote: \"\\u00e9\"}"), ("status: demand", "status: ~"),
    ("status: demand", "status: red line"), ("status: demand", "status: Demand"),
    ("      north:\n        access", "      'north':\n        \"access\""), ("      north:\n", "      north: {}\n      broker: {}\n"),
    ("    positions:\n", "    positions: ~\n    x:\n"), ("rounds:\n", "rounds: []\nx:\n"),
    ("date: 2024-01-05", "date: 2024-01-05\n  - id: r0\n    date: 2024-01-04"),
    ("date: 2024-01-05", "date: 2024-01-05\n  - id: r0\n    date: 2024-01-05"),
    ("format: 1\n", "%YAML 1.1\n---\nformat: 1\n"), ("format: 1\n", "---\nformat: 1\n"),
]


@pytest.mark.parametrize("old,new", EDGES, ids=[f"{i}" for i in range(len(EDGES))])
def test_corners_of_the_format_read_the_same(old: str, new: str) -> None:
    assert EDGE_BASE.count(old) >= 1
    text = EDGE_BASE.replace(old, new, 1)
    if text.endswith("x:\n"):
        text = text[: -len("x:\n")]
    fast, reference, _ = both(text)
    assert (fast is not None) == (reference is not None), "no corner here needs the reference to read it"


def test_the_edge_base_is_taken() -> None:
    fast, _, _ = both(EDGE_BASE)
    assert fast is not None
    assert fast.rounds[0].positions[("north", "access")].claim is False  # north's own radio


# -- mutations -------------------------------------------------------------------------------------

#: values a hand-written catalog gets wrong (or right in an unusual way)
VALUES = [
    "~", "", "''", '""', "null", "[]", "{}", "[1, 2]", "[2, 1]", "[1]", "[1, 2, 3]", "[a, b]", "[[1, 2]]",
    "{stance: open}", "{value: 3}", "{withdrawn: true}", "{withdrawn: yes}", "x", "yes", "no", "true", "True",
    "1", "1.5", "-3", "+7", ".5", "1e400", "0x10", "1_000", "1,000", "3:13", "'5'", '"5"', "!!str 5", "!!int 5",
    "! x", "&a x", "*a", "!custom x", "2024-02-30", "2024-1-1", "2024-01-05", "2023-12-31", "1999-01-01",
    "open", "closed", "shared", "limited to daylight hours", "in writing", "no ceasefire", "permanent ceasefire",
    "mediator", "observer", "party", "reported", "announced", "inferred", "demand", "offer", "red line",
    "north", "south", "broker", "hamas", "israel", "wire", "north-radio", "a1", "b-2", "unknown-id", "bad id",
    "[wire, north-radio]", "[a1]", "[wire, wire]", "[a, '']", "[a, ~, b]", "[x, '', y]", "|\n  block text", ">-\n  folded", "'quoted: text'",
    "- item", "x # comment", "'it''s'", '"tab\\there"', "[1, ~]", "[~, 2]", "{a: 1, a: 2}",
]
KEYS = [
    "format", "title", "description", "parties", "demands", "sources", "rounds", "name", "role", "note",
    "aliases", "keywords", "scale", "unit", "outlet", "date", "url", "according_to", "archive", "id",
    "status", "venue", "summary", "positions", "stance", "value", "withdrawn", "quote", "source", "speaker",
    "disputed", "titel", "Stance", "north", "south", "access", "prisoners", "guarantees", "ceasefire", "ratio",
    "hamas", "? complex", "'quoted'", "- ",
]


def mutate(text: str, rng: random.Random) -> str:
    """One or two line-level edits of the kinds people make by hand."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 2)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        line = lines[i]
        indent = line[: len(line) - len(line.lstrip(" "))]
        op = rng.randrange(15)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, line)
        elif op == 2 and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], line
        elif op == 3:
            lines[i] = (indent + "  " if rng.random() < 0.5 else indent[:-2]) + line.lstrip(" ")
        elif op in (4, 5, 6) and ":" in line:
            key, _, _ = line.partition(":")
            lines[i] = f"{key}: {rng.choice(VALUES)}"
        elif op == 7 and ":" in line:
            _, _, rest = line.partition(":")
            dash = "- " if line.lstrip(" ").startswith("- ") else ""
            lines[i] = f"{indent}{dash}{rng.choice(KEYS)}:{rest}"
        elif op == 8:
            lines.insert(i, f"{indent}{rng.choice(KEYS)}: {rng.choice(VALUES)}")
        elif op == 9:
            lines.insert(i, rng.choice(["---", "...", "# a comment", "", "%YAML 1.1", "  ", "\t", "x"]))
        elif op == 10:
            # move a block (a line and the lines indented under it) elsewhere, such as rounds
            # above the definitions or a round's positions above its id
            end = i + 1
            while end < len(lines) and (lines[end].startswith(indent + " ") or not lines[end].strip()):
                end += 1
            block = lines[i:end]
            del lines[i:end]
            j = rng.randrange(len(lines) + 1)
            lines[j:j] = block
        elif op == 11 and line.strip():
            cut = rng.randrange(len(line))
            lines[i] = line[:cut] + rng.choice(["", "'", '"', "[", "]", "{", "}", ",", ": ", "#", "é", "\u200b"]) + line[cut:]
        elif op in (12, 13) and ":" in line:
            # the value of another line: often still valid, and a different catalog
            other = rng.choice([x for x in lines if ":" in x])
            lines[i] = line.partition(":")[0] + ":" + other.partition(":")[2]
        elif op == 14 and ": " in line:
            key, _, value = line.partition(": ")
            quote = rng.choice(["'", '"', ""])
            lines[i] = f"{key}: {quote}{value.strip(chr(39) + chr(34))}{quote}"
    return "\n".join(lines)


def _seeds() -> list[str]:
    seeds = []
    for path in FILES:
        text = _text(path)
        if text is None or len(text) > 50_000:
            continue
        with paused_gc():
            if _parse_reference(text, str(path))[0] is not None:
                seeds.append(text)
    seeds.append(generate("3x4x6"))
    return seeds


def check_mutations(count: int, seed: int) -> tuple[int, int]:
    """Check `count` mutations; return how many the event reader took and how many were valid."""
    rng = random.Random(seed)
    seeds = _seeds()
    taken = valid = 0
    for _ in range(count):
        fast, reference, _ = both(mutate(rng.choice(seeds), rng))
        taken += fast is not None
        valid += reference is not None
    return taken, valid


def test_mutated_catalogs_read_the_same() -> None:
    taken, valid = check_mutations(MUTATIONS, seed=13)
    # both outcomes are exercised: many mutations stay valid (and are read from events), most do not
    assert taken > MUTATIONS // 10, (taken, valid)
    assert valid - taken < taken, (taken, valid)
    assert valid < MUTATIONS // 2, (taken, valid)


if __name__ == "__main__":  # a longer run: python tests/test_events.py COUNT [SEED]
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print("taken, valid:", check_mutations(count, seed), "of", count)
