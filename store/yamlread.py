"""Safe YAML reading: bytes -> a node tree that keeps every line and column.

The catalog is composed, never constructed: no tag can build a Python object, and
scalars are interpreted by the model builder with YAML 1.2 core rules (only
`true`/`false` are booleans, `1:3` is a string, not a base-60 number).
"""

from __future__ import annotations

import bisect
import codecs
import functools
import math
import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

try:  # the C parser is several times faster; the pure one is the same grammar
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only where libyaml is missing
    _BaseLoader = yaml.SafeLoader  # type: ignore[assignment,misc]

#: A tag of our own for plain (unquoted, untagged) scalars: the model builder decides
#: what they mean from where they stand, so `no` is a stance and `5` may be a number.
PLAIN = "tag:negotrack,2024:plain"
STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
#: Explicit tags that only restate what a plain scalar could be; anything else
#: (`!!python/object`, `!custom`, `!!binary`, `!!set`...) is refused.
HARMLESS_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")
)

#: Far beyond any real catalog (which nests about 9 deep), far below where libyaml's
#: recursive composer would exhaust the C stack (seen crashing near 100,000).
MAX_DEPTH = 64


class CatalogLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """CSafeLoader that resolves no implicit types: plain scalars get the PLAIN tag."""

    def resolve(self, kind, value, implicit):  # noqa: ANN001 - PyYAML's signature
        if kind is ScalarNode:
            return PLAIN if implicit[0] else STR
        if kind is SequenceNode:
            return SEQ
        return MAP


class PureCatalogLoader(yaml.SafeLoader):
    """The same grammar in pure Python, with no nesting limit of its own.

    Used only to find where a deeply nested file first goes too deep: libyaml 0.2.6+ (PyYAML
    6.0.4+) stops its scanner at 1,000 flow levels before the parser has emitted a single
    event, so the C loader can no longer say where level 65 begins.
    """

    resolve = CatalogLoader.resolve


# the reading thread's helpers live in store/pauses.py, without YAML: the dashboard and the
# analysis import them before anything is read
from .pauses import pause_point  # noqa: E402


@dataclass(frozen=True, slots=True)
class Composed:
    root: Node | None
    problems: list[Problem]


#: Bytes decoded at a time in a big file. Decoding is one C call that keeps the GIL (136 ms for
#: the 68 MB of the XL benchmark catalog), so a reading thread would stop the UI thread that
#: long; pieces of 4 MiB take about 10 ms each (and the text is then joined, 70 ms at XL).
DECODE_PIECE = 1 << 22


def decode(data: bytes, file: str) -> tuple[str | PiecedText | None, list[Problem]]:
    """UTF-8 (with or without BOM) to text, or a problem at the first bad byte. A big file's
    text is a `PiecedText`: the pieces it was decoded in, never joined into one string."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if len(data) > 2 * DECODE_PIECE:
        text = _decode_in_pieces(data)
        if text is not None:
            return text, []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        column = exc.start - (head.rfind(b"\n") + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return None, [
            Problem(
                file,
                line,
                column,
                f"the file is not UTF-8 (byte 0x{bad} at offset {exc.start}); "
                "save it as UTF-8 in your editor",
            )
        ]


def _decode_in_pieces(data: bytes) -> PiecedText | None:
    """`data.decode("utf-8")` DECODE_PIECE bytes at a time (a character cut in two is carried
    into the next piece), or None when it is not UTF-8: the whole decoding then says where."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    pause = pause_point()
    pieces = []
    try:
        for i in range(0, len(data), DECODE_PIECE):
            if pause is not None:
                pause()
            pieces.append(decoder.decode(data[i:i + DECODE_PIECE]))
        pieces.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return None
    return PiecedText(pieces)


class PiecedText:
    """A big file's text as the pieces it was decoded in: its length and its slices, as the
    string would give them, without the string. Joining XL's pieces into one string (63 million
    characters) is a single C call of ~70 ms that holds the interpreter lock, and a key pressed
    on the dashboard meanwhile waited for all of it. What reads a catalog needs only slices:
    libyaml reads it a piece at a time (`TextPieces`), a round's digest is a slice; `str()` joins
    it for what needs the whole (the reference reader, for a file that is not plainly valid)."""

    __slots__ = ("pieces", "starts", "length")

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = [piece for piece in pieces if piece]
        #: where each piece starts in the text
        self.starts: list[int] = []
        at = 0
        for piece in self.pieces:
            self.starts.append(at)
            at += len(piece)
        self.length = at

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: slice) -> str:
        if not isinstance(key, slice):
            raise TypeError("a PiecedText is read by slices")
        start, stop, step = key.indices(self.length)
        if step != 1:
            raise ValueError("a PiecedText is read by contiguous slices")
        if start >= stop:
            return ""
        index = bisect.bisect_right(self.starts, start) - 1
        parts = []
        while start < stop:
            piece, offset = self.pieces[index], start - self.starts[index]
            part = piece[offset:offset + stop - start]
            parts.append(part)
            start += len(part)
            index += 1
        return parts[0] if len(parts) == 1 else "".join(parts)

    def __str__(self) -> str:
        return "".join(self.pieces)


class TextPieces:
    """A text (a str or a PiecedText) handed to libyaml a piece at a time, as a file would be
    (`CParser(stream)` calls `read(size)` for each buffer it fills). Given the text itself,
    CParser encodes all of it to UTF-8 in one C call that keeps the GIL (80 ms at XL); this way
    each call encodes at most `size` characters. libyaml reads the same characters either way,
    so events and marks are the same (tests/test_loading_keys.py compares them)."""

    __slots__ = ("text", "at")

    def __init__(self, text: str | PiecedText) -> None:
        self.text = text
        self.at = 0

    def read(self, size: int = -1) -> str:
        start = self.at
        end = len(self.text) if size < 0 else start + size
        self.at = min(end, len(self.text))
        return self.text[start:end]


#: Characters that may stand on a "flat" line: no bracket, nothing that could open or close a
#: quoted scalar or a comment, no line break other than `\n`.
_FLAT = r"[^\[\]{}\"'#\n\r\x85\u2028\u2029]"
#: A line whose only brackets are unnested, balanced `[...]` or `{...}` pairs, such as
#: `sources: [a, b]` or `ratio: [3, 13]`.
_FLAT_LINE = re.compile(rf"{_FLAT}*(?:\[{_FLAT}*\]{_FLAT}*|\{{{_FLAT}*\}}{_FLAT}*)+")


@functools.lru_cache(maxsize=None)
def _block_prefix_of(length: int) -> re.Pattern[str]:
    """`length` characters of indentation or `- `/`? `/`: `, matched at the start of the text.

    Lines after the first are searched with `_line_prefix_of` (a leading newline), not with
    one pattern that starts `(?:\\A|\\n)`: that would cost the regex engine its fast scan for
    the literal newline (8 ms instead of 60 ms on 5 MB).
    """
    return re.compile(rf"[ \t\-?:]{{{length}}}")


def _has_block_prefix(text: str, length: int) -> bool:
    """Does any line start with `length` or more spaces, tabs, `-`, `?` or `:`?"""
    head = _block_prefix_of(length)
    return head.match(text) is not None or _line_prefix_of(length).search(text) is not None


@functools.lru_cache(maxsize=None)
def _line_prefix_of(length: int) -> re.Pattern[str]:
    return re.compile(rf"\n[ \t\-?:]{{{length}}}")


def _flow_openers(text: str, limit: int) -> int:
    """An upper bound on flow nesting depth: every `[` and `{` outside flat lines, plus one
    for all flat lines together; counting stops once it passes `limit`.

    A flat line holds no quote and no `#`, so it lies wholly inside or wholly outside any
    quoted scalar, comment or block scalar: either all its brackets are text, or each of its
    pairs opens and closes one flow level. Flat lines therefore add at most one level while
    they last and nothing after; closing brackets anywhere else are never trusted.
    """
    count = flat = 0
    n = len(text)
    square, curly = text.find("["), text.find("{")
    while square >= 0 or curly >= 0:
        at = square if curly < 0 or 0 <= square < curly else curly
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = n
        if _FLAT_LINE.fullmatch(text, start, end):
            flat = 1
        else:
            count += text.count("[", start, end) + text.count("{", start, end)
            if count + flat > limit:
                break
        if 0 <= square <= end:
            square = text.find("[", end)
        if 0 <= curly <= end:
            curly = text.find("{", end)
    return count + flat


def _may_nest_deeply(text: str) -> bool:
    """A sound upper bound on nesting depth, so that most files skip the exact check.

    Every flow level needs its own `[` or `{` (see `_flow_openers` for the flat lines, whose
    levels close on the line), and every block level needs indentation or a `- `/`? `/`: `
    on its line. Closing brackets are not trusted elsewhere because one inside a quoted string
    would hide real depth (seen: `["]", ["]", ...` crashed libyaml).
    """
    flow = _flow_openers(text, MAX_DEPTH)
    if flow > MAX_DEPTH:
        return True
    # block + flow > MAX_DEPTH, with block the longest prefix of any line
    return _has_block_prefix(text, MAX_DEPTH - flow + 1)


def _too_deep(text: str, file: str) -> Problem | None:
    try:
        return _first_too_deep(CatalogLoader(text), file)
    except _ScannerLimit:
        pass
    try:
        # the pure reader's constructor refuses a NUL or ESC anywhere in the text: then there is
        # no depth to report, and the composer says where that character is
        pure = PureCatalogLoader(text)
    except yaml.YAMLError:
        return None
    return _first_too_deep(pure, file)


class _ScannerLimit(Exception):
    """libyaml refused the nesting before emitting the event we look for."""


def _first_too_deep(loader: yaml.SafeLoader, file: str) -> Problem | None:
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    return Problem(
                        file,
                        m.line + 1,
                        m.column + 1,
                        f"nesting deeper than {MAX_DEPTH} levels; a catalog needs about 9, "
                        "so look for runaway brackets or indentation here",
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            raise _ScannerLimit from exc
        return None  # the syntax error is reported by the composer with its marks
    finally:
        loader.dispose()
    return None


def _syntax_problem(exc: yaml.YAMLError, file: str, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(exc, yaml.reader.ReaderError):
        # no mark: the reader only knows the character's offset in the text
        head = text[: exc.position]
        line, column = head.count("\n") + 1, exc.position - (head.rfind("\n") + 1) + 1
        return Problem(file, line, column, f"YAML syntax: unacceptable character #x{exc.character:04x}: "
                       f"{exc.reason}; delete it, or write it as an escape inside double quotes")
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        message = ", ".join(parts) or "invalid YAML"
        ctx = exc.context_mark
        if ctx is not None and exc.problem_mark is not None and ctx.line != exc.problem_mark.line:
            message += f" (the construct began at line {ctx.line + 1}, column {ctx.column + 1})"
    else:
        message = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
    return Problem(file, line, column, f"YAML syntax: {message}")


# A cheap filter: only text that may hold an anchor, alias or tag is scanned token by token.
_MAY_HAVE_PROPERTIES = re.compile(r"[&*]|(?:^|[\s\[{,])!", re.M)


def tag_problem(file: str, line: int, column: int, tag: str) -> Problem:
    shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
    return Problem(
        file, line, column,
        f"tag `{shown}` is not allowed: a catalog holds only text, numbers, lists and mappings; remove the tag",
    )


def _property_problems(text: str, file: str) -> list[Problem]:
    """Every anchor, alias and object-building tag, found at token level, before composing,
    so that nothing is ever expanded or constructed."""
    problems: list[Problem] = []
    loader = CatalogLoader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                tag = ("tag:yaml.org,2002:" + suffix) if handle == "!!" else (handle or "") + suffix
                if tag not in HARMLESS_TAGS and tag != "!":
                    m = token.start_mark
                    problems.append(tag_problem(file, m.line + 1, m.column + 1, tag))
            elif isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                what = "anchor" if isinstance(token, yaml.AnchorToken) else "alias"
                m = token.start_mark
                problems.append(
                    Problem(
                        file,
                        m.line + 1,
                        m.column + 1,
                        f"YAML {what} `{token.value}` is not allowed in a catalog; "
                        "write the value out in full (anchors could hide an alias bomb)",
                    )
                )
    except yaml.YAMLError:
        pass  # reported by the composer
    finally:
        loader.dispose()
    return problems


def compose(text: str, file: str) -> Composed:
    """Compose YAML text into nodes, or explain why not (syntax, depth, aliases, empty)."""
    if _may_nest_deeply(text):
        deep = _too_deep(text, file)
        if deep is not None:
            return Composed(None, [deep])
    # Anchors are found before composing, so an alias bomb is refused before it is built.
    # `in` is a fast substring search; the regex only decides about a `!` (a tag or an
    # exclamation mark in prose), and would match anything with `&` or `*` anyway.
    if "&" in text or "*" in text or ("!" in text and _MAY_HAVE_PROPERTIES.search(text)):
        properties = _property_problems(text, file)
        if properties:
            return Composed(None, properties)
    loader = CatalogLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        return Composed(None, [_syntax_problem(exc, file, text)])
    finally:
        loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and root.tag == PLAIN and root.value in NULLS):
        return Composed(None, [Problem(file, 1, 1, "the file is empty; start from `negotrack init FILE`")])
    return Composed(root, [])


NULLS = frozenset({"", "~", "null", "Null", "NULL"})
TRUE = frozenset({"true", "True", "TRUE"})
FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag in (PLAIN, "tag:yaml.org,2002:null") and node.value in NULLS


def as_number(node: ScalarNode) -> int | float | None:
    """A plain scalar read as a YAML 1.2 core number, or None if it is not one."""
    if node.tag not in (PLAIN, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return None
    return number_of(node.value)


def number_of(value: str) -> int | float | None:
    """The text of a plain scalar read as a YAML 1.2 core number, or None if it is not one."""
    if value.isdigit() and value.isascii():  # most numbers: cheaper than the pattern, same answer
        return int(value) if len(value) <= 300 else None
    if _INT.match(value):
        # beyond a float's range the analysis could not compare it (and int() of very long
        # digit strings raises): such a "number" is refused like 1e400
        return int(value) if len(value.lstrip("+-")) <= 300 else None
    if _FLOAT.match(value):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def as_bool(node: ScalarNode) -> bool | None:
    if node.tag not in (PLAIN, "tag:yaml.org,2002:bool"):
        return None
    if node.value in TRUE:
        return True
    if node.value in FALSE:
        return False
    return None


def kind_name(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "a scalar"
