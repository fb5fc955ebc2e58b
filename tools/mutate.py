"""Mutations of catalog files for `tools.fuzz`: each takes the bytes and a seeded Random and
returns new bytes, so a case is rebuilt exactly from (seed, index) and never shipped around.

Structural edits (lines deleted, duplicated, swapped, re-indented, bytes flipped) and the YAML
constructs and encodings a hand-written file can hold or a hostile one can aim at the loader:
anchors, aliases, tags, merge keys, complex keys, flow openers, documents, directives, BOMs,
CR LF, NUL, invalid UTF-8, U+2028, huge and odd numbers, impossible dates.
"""

from __future__ import annotations

import random
import re
from typing import Callable

Mutation = Callable[[bytes, random.Random], bytes]

#: fragments put in place of a value or on a line of their own
CONSTRUCTS: dict[str, list[bytes]] = {
    "anchor": [b"&a ", b"&anchor ", b"&x [1, 2] ", b"&\xc3\xa9 "],
    "alias": [b"*a", b"*anchor", b"*missing", b"[*a, *a, *a]"],
    "tag": [b"!!str ", b"!!int ", b"!!float ", b"!!binary ", b"!!timestamp ", b"!!set ", b"!!omap ", b"!custom ",
            b"!!python/object/apply:os.system ", b"!<tag:yaml.org,2002:str> ", b"! "],
    "merge": [b"<<: *a", b"<<: {name: x}", b"<<: [*a, *b]", b"<<:"],
    "complex key": [b"? [a, b]\n: v", b"? {a: 1}\n: v", b"? |\n  block\n: v", b"[a, b]: c", b"{a: 1}: c"],
    "flow": [b"[", b"{", b"[[[[[[", b"{a: [", b"]", b"}", b"[a, {b: c], d}", b"{,}", b"[,]"],
    "document": [b"---", b"...", b"--- |", b"--- >\n text", b"---\n---"],
    "directive": [b"%YAML 1.1", b"%YAML 1.2", b"%YAML 2.0", b"%TAG ! tag:example.com,2000:", b"%FOO bar"],
    "bom": [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"],
    "nul": [b"\x00", b"a\x00b"],
    "invalid utf-8": [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\x80"],
    "separator": [b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xc2\x85", b"\x0b", b"\x0c", b"\x1b[31m"],
    "number": [b"1e309", b"-1e309", b"99999999999999999999999999999999999", b"1e-400", b"0x1F", b"0o17", b"0b101",
               b"1_000", b".nan", b".inf", b"-.inf", b"-0", b"+.5", b"12:30:00", b"1,5", b"[1e308, 1e309]",
               b"[.nan, 1]", b"[5, 1]", b"[-1e400, 1e400]", b"9" * 5000],
    "date": [b"2024-02-30", b"2023-13-01", b"0000-00-00", b"9999-12-31", b"2024-1-1", b"2024-02-29T25:00:00",
             b"1-01-01", b"2023-02-29", b"20240101", b"2024-06-31"],
    "scalar": [b"", b"~", b"null", b"yes", b"no", b"on", b"'", b"\"", b"\"unterminated", b"|", b">-", b"|+2",
               b"- a", b"a: b: c", b"- - -", b"#", b"\t", b"x" * 20000],
}


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines)


def delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return _join(lines)


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return _join(lines)


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return _join(lines)


def move_block(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    block = lines[i:i + rng.randint(1, 8)]
    del lines[i:i + len(block)]
    j = rng.randrange(len(lines) + 1)
    return _join(lines[:j] + block + lines[j:])


def reindent(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    line = lines[i]
    choice = rng.randrange(4)
    if choice == 0:
        lines[i] = b" " * rng.randint(1, 4) + line
    elif choice == 1:
        lines[i] = line[min(len(line) - len(line.lstrip(b" ")), rng.randint(1, 4)):]
    elif choice == 2:
        lines[i] = b"\t" + line.lstrip(b" ")
    else:  # a whole block shifted
        for k in range(i, min(len(lines), i + rng.randint(2, 10))):
            lines[k] = b"  " + lines[k]
    return _join(lines)


def flip_byte(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buf = bytearray(data)
    i = rng.randrange(len(buf))
    buf[i] = buf[i] ^ (1 << rng.randrange(8)) if rng.random() < 0.7 else rng.randrange(256)
    return bytes(buf)


def _construct(rng: random.Random, kinds: list[str] | None = None) -> tuple[str, bytes]:
    kind = rng.choice(kinds or list(CONSTRUCTS))
    return kind, rng.choice(CONSTRUCTS[kind])


_VALUE = re.compile(rb"(:\s+|-\s+)(\S[^\n]*)$")


def replace_value(data: bytes, rng: random.Random) -> bytes:
    """Put a construct where a value was (`key: 3` -> `key: 1e309`)."""
    lines = _lines(data)
    candidates = [i for i, line in enumerate(lines) if _VALUE.search(line)]
    if not candidates:
        return insert_construct(data, rng)
    i = rng.choice(candidates)
    _, fragment = _construct(rng, ["number", "date", "alias", "scalar", "flow", "tag", "anchor", "separator"])
    found = _VALUE.search(lines[i])
    assert found is not None
    if fragment.endswith(b" "):  # an anchor or a tag: keep the value after it
        lines[i] = lines[i][:found.start(2)] + fragment + found.group(2)
    else:
        lines[i] = lines[i][:found.start(2)] + fragment
    return _join(lines)


def insert_construct(data: bytes, rng: random.Random) -> bytes:
    """A construct on a line of its own, indented like a neighbour, or inside a line."""
    lines = _lines(data)
    i = rng.randrange(len(lines) + 1)
    _, fragment = _construct(rng)
    if rng.random() < 0.5 and i < len(lines) and lines[i]:
        line = lines[i]
        at = rng.randrange(len(line) + 1)
        lines[i] = line[:at] + fragment + line[at:]
    else:
        near = lines[min(i, len(lines) - 1)] if lines else b""
        indent = near[: len(near) - len(near.lstrip(b" "))]
        lines.insert(i, indent + fragment)
    return _join(lines)


def encoding(data: bytes, rng: random.Random) -> bytes:
    """Whole-file encodings: CR LF, lone CR, a BOM, UTF-16, a NUL or an invalid byte at the end."""
    choice = rng.randrange(6)
    if choice == 0:
        return data.replace(b"\n", b"\r\n")
    if choice == 1:
        return data.replace(b"\n", b"\r")
    if choice == 2:
        return b"\xef\xbb\xbf" + data
    if choice == 3:
        try:
            return data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
        except UnicodeDecodeError:
            return b"\xff\xfe" + data
    if choice == 4:
        return data + rng.choice([b"\x00", b"\xff", b"\n\x00\n", b"\r"])
    return data[: rng.randrange(len(data) + 1)]  # truncated anywhere, even mid-character


def nudge_digit(data: bytes, rng: random.Random) -> bytes:
    """Another digit somewhere: a number that moved, or a date that may no longer exist."""
    places = [m.start() for m in re.finditer(rb"[0-9]", data)]
    if not places:
        return flip_byte(data, rng)
    at = rng.choice(places)
    return data[:at] + str(rng.randrange(10)).encode() + data[at + 1:]


def alias_bomb(data: bytes, rng: random.Random) -> bytes:
    """A small billion-laughs at a random place."""
    bomb = b"x: &a [l, l, l, l, l, l, l, l, l]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b]"
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), bomb)
    return _join(lines)


MUTATIONS: dict[str, Mutation] = {
    "delete line": delete_line,
    "duplicate line": duplicate_line,
    "swap lines": swap_lines,
    "move block": move_block,
    "indentation": reindent,
    "byte flip": flip_byte,
    "value": replace_value,
    "construct": insert_construct,
    "encoding": encoding,
    "alias bomb": alias_bomb,
    "digit": nudge_digit,
}
#: how often each is picked: mostly edits a person makes, a share of the hostile ones
WEIGHTS = {"delete line": 3, "duplicate line": 3, "swap lines": 2, "move block": 2, "indentation": 3, "byte flip": 2,
           "value": 6, "construct": 4, "encoding": 1, "alias bomb": 0.3, "digit": 6}


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """One to three mutations of `data`, and their names."""
    names = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=rng.choice([1, 1, 1, 2, 2, 3]))
    for name in names:
        data = MUTATIONS[name](data, rng)
    return data, names
