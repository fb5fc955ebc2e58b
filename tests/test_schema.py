"""The JSON Schema for editors: the checked-in copy, what it accepts, and that it never
rejects a file `negotrack validate` accepts (validate may reject more; the schema is a guide)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from negotrack.store import load_catalog, parse_catalog
from negotrack.store import catalog as catalog_module
from negotrack.store.schema import build_schema, schema_text
from negotrack.store.yamlread import as_bool, as_number, compose, decode, is_null

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
BASIC = DATA / "export" / "basic.yaml"
VALIDATOR = jsonschema.Draft202012Validator(build_schema())


def editor_view(text: str) -> Any:
    """The document as an editor's YAML 1.2 core-schema reader sees it (dates stay strings),
    or the marker `UNREADABLE` when it is not YAML a catalog may hold."""
    composed = compose(text, "<test>")
    if composed.root is None:
        return UNREADABLE

    def convert(node):
        if isinstance(node, MappingNode):
            return {k.value if isinstance(k, ScalarNode) else str(k): convert(v) for k, v in node.value}
        if isinstance(node, SequenceNode):
            return [convert(item) for item in node.value]
        if is_null(node):
            return None
        flag = as_bool(node)
        if flag is not None:
            return flag
        try:
            number = as_number(node)
        except ValueError:  # an integer of thousands of digits: still a number to an editor
            return float(node.value)
        return number if number is not None else node.value

    return convert(composed.root)


UNREADABLE = object()


def schema_accepts(text: str) -> bool:
    document = editor_view(text)
    return document is not UNREADABLE and VALIDATOR.is_valid(document)


def validate_accepts(text: str) -> bool:
    try:
        catalog, problems = parse_catalog(text, "<test>")
    except Exception:  # noqa: BLE001 - a crash is not an acceptance (see the report on `{}`)
        return False
    return catalog is not None and not problems


# -- the schema document ----------------------------------------------------------------


def test_checked_in_schema_equals_the_printed_one() -> None:
    checked_in = (ROOT / "schema" / "negotrack.schema.json").read_text(encoding="utf-8")
    assert checked_in == schema_text(), "run: negotrack schema > schema/negotrack.schema.json"
    printed = subprocess.run([sys.executable, "-m", "negotrack.tui.cli", "schema"], capture_output=True, timeout=60)
    assert printed.returncode == 0
    assert printed.stdout.decode("utf-8") == checked_in


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = build_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"]
    # An $id is where editors resolve the schema's own references: a made-up address sends
    # them to the network (ENOTFOUND). Without one they resolve against the file itself.
    assert "$id" not in schema
    assert schema["additionalProperties"] is False


def test_schema_keys_are_the_validator_keys() -> None:
    schema = build_schema()
    defs = schema["$defs"]
    assert list(schema["properties"]) == list(catalog_module.TOP_KEYS)
    assert list(defs["party"]["properties"]) == list(catalog_module.PARTY_KEYS)
    ordinal, numeric = defs["demand"]["anyOf"]
    assert list(ordinal["properties"]) == [k for k in catalog_module.DEMAND_KEYS if k != "unit"]
    assert list(numeric["properties"]) == [k for k in catalog_module.DEMAND_KEYS if k != "scale"]
    assert list(defs["source"]["properties"]) == list(catalog_module.SOURCE_KEYS)
    assert list(defs["round"]["properties"]) == list(catalog_module.ROUND_KEYS)
    assert list(defs["long-position"]["properties"]) == list(catalog_module.POSITION_KEYS)
    assert list(defs["disputed"]["properties"]) == list(catalog_module.DISPUTED_KEYS)
    for name in ("party", "source", "round", "long-position", "disputed"):
        assert defs[name]["additionalProperties"] is False
    assert ordinal["additionalProperties"] is False and numeric["additionalProperties"] is False


# -- good files -------------------------------------------------------------------------

GOOD = sorted((DATA / "good").glob("*.yaml")) + [
    p for p in sorted((DATA / "export").glob("*.yaml"))
] + [ROOT / "store" / "starter.yaml"]


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_schema_accepts_the_good_catalogs(path: Path) -> None:
    text, _ = decode(path.read_bytes(), str(path))
    assert validate_accepts(text)
    errors = list(VALIDATOR.iter_errors(editor_view(text)))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_schema_accepts_the_real_catalog() -> None:
    path = ROOT / "positions.yaml"
    if not path.exists():
        pytest.skip("positions.yaml is not there yet")
    catalog, _ = load_catalog(path)
    if catalog is None:
        pytest.skip("positions.yaml is not valid yet")
    text = path.read_text(encoding="utf-8")
    assert schema_accepts(text)
    assert text.startswith("# yaml-language-server: $schema=")


# -- typos and the one-way promise ------------------------------------------------------

BASE = BASIC.read_text(encoding="utf-8")

#: (name, old, new): one edit of basic.yaml each. Some leave it valid, most break it.
MUTATIONS = [
    ("top-level typo", "\nrounds:\n", "\nround:\n"),
    ("unknown top-level key", "format: 1\n", "format: 1\nauthor: me\n"),
    ("bad role", "role: mediator", "role: mediater"),
    ("role null", "role: mediator", "role:"),
    ("role quoted", "role: mediator", 'role: "observer"'),
    ("unknown party key", "    name: North\n", "    name: North\n    colour: red\n"),
    ("party name missing", "    name: North\n", "    note: x\n"),
    ("party name number", "    name: North\n", "    name: 1967\n"),
    ("party name null", "    name: North\n", "    name:\n"),
    ("party is text", "  north:\n    name: North\n", "  north: North\n"),
    ("party id with space", "  north:\n", "  'no rth':\n"),
    ("numeric party id", "  north:", "  '7':"),
    ("format 2", "format: 1", "format: 2"),
    ("format float", "format: 1", "format: 1.0"),
    ("format quoted", "format: 1", 'format: "1"'),
    ("title number", "title: Harbour talks", "title: 1967"),
    ("title boolean", "title: Harbour talks", "title: true"),
    ("title missing", "title: Harbour talks\n", ""),
    ("title null", "title: Harbour talks", "title: ~"),
    ("title list", "title: Harbour talks", "title: [a, b]"),
    ("description null", "description: Who wants what for the harbour, round by round.", "description:"),
    ("scale single", "scale: [closed, limited, shared, open]", "scale: [closed]"),
    ("scale empty", "scale: [closed, limited, shared, open]", "scale: []"),
    ("scale null", "scale: [closed, limited, shared, open]", "scale:"),
    ("scale numbers", "scale: [closed, limited, shared, open]", "scale: [0, 1, 2, 3]"),
    ("scale duplicate", "scale: [closed, limited, shared, open]", "scale: [closed, closed, shared, open]"),
    ("scale null item", "scale: [closed, limited, shared, open]", "scale: [closed, ~, shared, open]"),
    ("scale and unit", "    scale: [closed, limited, shared, open]\n", "    scale: [closed, limited, shared, open]\n    unit: km\n"),
    ("scale and null unit", "    scale: [closed, limited, shared, open]\n", "    scale: [closed, limited, shared, open]\n    unit:\n"),
    ("unit null", "unit: prisoners per captive", "unit:"),
    ("keywords null item", "keywords: [guarantee, written]", "keywords: [guarantee, ~]"),
    ("keywords text", "keywords: [guarantee, written]", "keywords: guarantee"),
    ("demand title missing", "    title: Written guarantees\n", "    note: x\n"),
    ("sources empty", "sources:\n  daily-1:", "sources: {}\nxsources:\n  daily-1:"),
    ("source date typo", "date: 2024-01-02", "date: 2024-1-2"),
    ("source date null", "date: 2024-01-02", "date:"),
    ("source date impossible", "date: 2024-01-02", "date: 2024-02-30"),
    ("source outlet missing", "    outlet: Wire Service\n", ""),
    ("source url number", "url: https://example.org/daily-1", "url: 12"),
    ("round id missing", "  - id: r4\n", "  - venue: x\n"),
    ("round id number", "  - id: r4\n", "  - id: 4\n"),
    ("round id float", "  - id: r4\n", "  - id: 4.5\n"),
    ("round id boolean", "  - id: r4\n", "  - id: true\n"),
    ("round id null", "  - id: r4\n", "  - id: ~\n"),
    ("round date missing", "    date: 2024-02-10\n", ""),
    ("round date text", "    date: 2024-02-10\n", "    date: February\n"),
    ("rounds out of order", "    date: 2024-02-10\n", "    date: 2023-02-10\n"),
    ("rounds empty", "rounds:\n", "rounds: []\nxrounds:\n"),
    ("rounds mapping", "rounds:\n  - id: r1", "rounds:\n  r0: 1\nxrounds:\n  - id: r1"),
    ("round sources one id", "    sources: [daily-1]\n", "    sources: daily-1\n"),
    ("round sources null", "    sources: [daily-1]\n", "    sources:\n"),
    ("round sources null item", "    sources: [daily-1]\n", "    sources: [daily-1, ~]\n"),
    ("round unknown key", "    venue: Geneva\n    title: Talks open\n", "    venue: Geneva\n    tilte: Talks open\n"),
    ("positions null", "    title: Nothing reported\n", "    title: Nothing reported\n    positions:\n"),
    ("positions list", "    title: Nothing reported\n", "    title: Nothing reported\n    positions: []\n"),
    ("party positions null", "      broker:\n        access: limited\n", "      broker:\n"),
    ("unknown party in positions", "      broker:\n        access: limited\n", "      nobody:\n        access: limited\n"),
    ("stance off scale", "        access: open\n", "        access: wide open\n"),
    ("stance null", "        access: open\n", "        access:\n"),
    ("stance list", "        guarantees: in writing\n", "        guarantees: [in, writing]\n"),
    ("text stance number", "        guarantees: in writing\n", "        guarantees: 5\n"),
    ("text stance boolean", "        guarantees: in writing\n", "        guarantees: false\n"),
    ("range three", "ratio: [3, 10]", "ratio: [3, 10, 12]"),
    ("range one", "ratio: [3, 10]", "ratio: [3]"),
    ("range inverted", "ratio: [3, 10]", "ratio: [10, 3]"),
    ("range text", "ratio: [3, 10]", "ratio: [3, ten]"),
    ("value text", "        ratio: 1\n", "        ratio: one\n"),
    ("value float", "        ratio: 1\n", "        ratio: 1.5\n"),
    ("value quoted", "        ratio: 1\n", '        ratio: "1"\n'),
    ("value negative", "        ratio: 1\n", "        ratio: -1\n"),
    ("long form typo", "          status: red line\n", "          staus: red line\n"),
    ("bad status", "          status: red line\n", "          status: redline\n"),
    ("status null", "          status: red line\n", "          status:\n"),
    ("stance and value", "          stance: closed\n", "          stance: closed\n          value: 1\n"),
    ("long form without stance", "          stance: closed\n", ""),
    ("long form null stance", "          stance: closed\n", "          stance:\n"),
    ("withdrawn text", "          withdrawn: true\n", "          withdrawn: yes\n"),
    ("withdrawn false", "          withdrawn: true\n", "          withdrawn: false\n"),
    ("withdrawn with stance", "          withdrawn: true\n", "          withdrawn: true\n          stance: limited\n"),
    ("withdrawn null stance", "          withdrawn: true\n", "          withdrawn: true\n          stance:\n"),
    ("source and sources", "              source: daily-1\n", "              source: daily-1\n              sources: [wire-2]\n"),
    ("source null", "              source: daily-1\n", "              source:\n"),
    ("source list", "              source: daily-1\n", "              source: [daily-1, wire-2]\n"),
    ("unknown source", "              source: daily-1\n", "              source: daily-9\n"),
    ("disputed without stance", "            - stance: none at all\n", "            - note: none at all\n"),
    ("disputed mapping", "          disputed:\n            - stance: none at all\n              source: daily-1\n", "          disputed:\n            stance: none at all\n"),
    ("disputed null", "          disputed:\n            - stance: none at all\n              source: daily-1\n", "          disputed:\n"),
    ("disputed typo", "            - stance: none at all\n", "            - stance: none at all\n              nte: x\n"),
    ("position note number", "          note: No access at all.\n", "          note: 42\n"),
    ("position quote null", "          note: No access at all.\n", "          quote:\n"),
    ("anchor", "        access: open\n", "        access: &a open\n"),
    ("tag", "        access: open\n", "        access: !!python/none open\n"),
    ("syntax error", "        access: open\n", "        access: [open\n"),
    ("root is a list", "format: 1\n", "- format: 1\n"),
]


@pytest.mark.parametrize(("name", "old", "new"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_every_file_the_schema_rejects_validate_rejects_too(name: str, old: str, new: str) -> None:
    assert old in BASE, f"mutation {name!r} no longer applies to basic.yaml"
    text = BASE.replace(old, new, 1)
    if not schema_accepts(text):
        assert not validate_accepts(text), f"the schema rejects {name!r}, which validate accepts"


CORPUS = sorted((DATA / "bad").glob("*.yaml")) + sorted((DATA / "good").glob("*.yaml"))


def verdict(path: Path) -> str:
    """`schema accepts`, `both reject` or `VIOLATION` (the schema rejects what validate accepts)."""
    text, _ = decode(path.read_bytes(), str(path))
    if text is None or schema_accepts(text):
        return "schema accepts"
    return "VIOLATION" if validate_accepts(text) else "both reject"


# Reading some of the bad corpus crashes the YAML reader itself (a known bug that
# test_bad_corpus.py tracks), so the corpus is read in a child process that reports one
# file per line; when it dies, the file it was reading counts as rejected, and the rest
# are read by a new child.
WORKER = """
import sys
from pathlib import Path
from test_schema import verdict
for name in sys.argv[1:]:
    print(Path(name).name, verdict(Path(name)), sep="\\t", flush=True)
"""


@pytest.fixture(scope="module")
def corpus_verdicts() -> dict[str, str]:
    verdicts: dict[str, str] = {}
    remaining = list(CORPUS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    while remaining:
        child = subprocess.run([sys.executable, "-c", WORKER, *map(str, remaining)],
                               capture_output=True, text=True, timeout=120, env=env)
        for line in child.stdout.splitlines():
            name, _, result = line.partition("\t")
            verdicts[name] = result
        remaining = [p for p in remaining if p.name not in verdicts]
        if remaining and child.returncode != 0:
            verdicts[remaining.pop(0).name] = f"reader crashed ({child.returncode}): validate cannot accept it"
        elif remaining:
            raise AssertionError(f"the corpus reader stopped early: {child.stderr[-2000:]}")
    return verdicts


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_the_corpus_keeps_the_one_way_promise(path: Path, corpus_verdicts: dict[str, str]) -> None:
    assert corpus_verdicts[path.name] != "VIOLATION", f"the schema rejects {path.name}, which validate accepts"


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [m for m in MUTATIONS if m[0] in {
        "top-level typo", "unknown top-level key", "bad role", "unknown party key", "party name missing",
        "format 2", "scale single", "scale and unit", "source date typo", "round unknown key",
        "long form typo", "bad status", "stance and value", "withdrawn text", "source and sources",
        "range three", "disputed typo", "party id with space", "long form without stance",
    }],
    ids=lambda v: v if isinstance(v, str) and "\n" not in v and len(v) < 40 else "",
)
def test_schema_catches_typos_an_editor_should_flag(name: str, old: str, new: str) -> None:
    assert not schema_accepts(BASE.replace(old, new, 1)), name


# -- what an editor completes -------------------------------------------------------------


def offered_keys(demand: dict[str, Any]) -> set[str]:
    """The keys a language server completes on `demand`: the properties of the alternatives
    that `demand` matches (yaml-language-server merges the matching branches of an anyOf)."""
    schema = build_schema()
    resolver = {"$defs": schema["$defs"]}
    offered: set[str] = set()
    for alternative in schema["$defs"]["demand"]["anyOf"]:
        if jsonschema.Draft202012Validator({**alternative, **resolver}).is_valid(demand):
            offered |= set(alternative["properties"])
    return offered - set(demand)


@pytest.mark.parametrize(
    ("demand", "offered", "not_offered"),
    [
        ({"title": "Ceasefire"}, {"scale", "unit", "note", "keywords"}, set()),
        ({"title": "Ceasefire", "scale": ["none", "truce"]}, {"note", "keywords"}, {"unit"}),
        ({"title": "Ratio", "unit": "prisoners"}, {"note", "keywords"}, {"scale"}),
    ],
    ids=["neither", "scale", "unit"],
)
def test_a_demand_is_offered_scale_or_unit_not_both(demand, offered, not_offered) -> None:
    keys = offered_keys(demand)
    assert offered <= keys
    assert not (not_offered & keys)


def test_an_empty_unit_beside_a_scale_is_still_accepted_as_validate_does() -> None:
    text = BASE.replace("    scale: [closed, limited, shared, open]\n", "    scale: [closed, limited, shared, open]\n    unit:\n")
    assert text != BASE
    assert validate_accepts(text) and schema_accepts(text)
