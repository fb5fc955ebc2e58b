"""One report as plain text: read from .txt, .html or .eml, and cut into sentences.

`read_article(path)` returns an `Article` whose `text` is what every quote is measured
against: `draft` only ever proposes slices of it, and `validate --quotes` looks quotes up in
it. The file is opened read-only. What counts as "the text":

- plain text: the file decoded (UTF-8, else Windows-1252), with universal newlines, so a
  CRLF file gives the same text as an LF one;
- HTML: the text a browser shows, whitespace runs collapsed to one space as HTML renders
  them, a blank line between blocks (paragraphs, headings, list items), scripts, styles
  and the page head left out;
- e-mail (.eml, a mailing-list copy): the plain-text body, decoded from quoted-printable or
  base64 in its declared charset; an HTML-only message is read as HTML.

`sentences(text)` cuts the text into sentences that are exact slices of it (line breaks
inside a sentence are kept as they are).
"""

from __future__ import annotations

import bisect
import html.parser
import os
import re
from dataclasses import dataclass, field

#: An article is a few thousand words; anything this big is not one report.
MAX_BYTES = 8 * 1024 * 1024

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
EMAIL_SUFFIXES = (".eml", ".mbox", ".msg")


class ArticleError(Exception):
    """The article cannot be read; the message says why, in words for the user."""


@dataclass(frozen=True, slots=True)
class Article:
    path: str
    text: str
    #: "text", "html" or "email"
    kind: str = "text"
    _line_starts: list[int] = field(default_factory=list, compare=False, repr=False)

    def line_of(self, offset: int) -> int:
        """The 1-based line of the text on which character `offset` lies."""
        starts = self._line_starts
        if not starts:
            starts.extend(line_starts(self.text))
        return bisect.bisect_right(starts, offset)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def line_starts(text: str) -> list[int]:
    """The offset at which each line of `text` starts (the first is 0)."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def read_article(path: str | os.PathLike[str]) -> Article:
    """The article at `path` as text; raises `ArticleError` (never anything else) when the
    file is missing, not a regular file, too large, or not text."""
    file = os.fspath(path)
    if not os.path.exists(file):
        raise ArticleError(f"{file} does not exist")
    if not os.path.isfile(file):
        raise ArticleError(f"{file} is not a regular file")
    try:
        size = os.path.getsize(file)
        if size > MAX_BYTES:
            raise ArticleError(f"{file} is {size:,} bytes; an article is expected to be under {MAX_BYTES // (1024 * 1024)} MB")
        with open(file, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ArticleError(f"{file} cannot be read: {exc.strerror or exc}") from None
    return parse_article(data, file)


def parse_article(data: bytes, file: str = "<article>") -> Article:
    """`data` (the bytes of a file named `file`) as an Article; the suffix picks the reader,
    and a file that looks like a mail message or an HTML page is read as one."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError(f"{file} looks like a binary file, not the text of an article")
    suffix = os.path.splitext(file)[1].lower()
    if suffix in EMAIL_SUFFIXES or (suffix not in HTML_SUFFIXES and _looks_like_email(data)):
        return Article(file, _email_text(data, file), "email")
    text = _decode(data, file)
    if suffix in HTML_SUFFIXES or (suffix != ".txt" and _looks_like_html(text)):
        return Article(file, html_text(text), "html")
    return Article(file, text, "text")


def _decode(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return _newlines(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    try:
        return _newlines(data.decode("cp1252"))
    except UnicodeDecodeError:
        raise ArticleError(f"{file} is neither UTF-8 nor Windows-1252 text") from None


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MAIL_HEADER = re.compile(rb"\A(?:(?:From |[A-Za-z-]+: ).*\r?\n){2,}")


def _looks_like_email(data: bytes) -> bool:
    head = data[:2048]
    return bool(_MAIL_HEADER.match(head)) and re.search(rb"(?im)^(subject|message-id|content-type): ", head) is not None


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _email_text(data: bytes, file: str) -> str:
    import email  # only for mail: the package and its policies take ~30 ms to import
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain", "html")) if message.is_multipart() or message.get_content_maintype() == "text" else None
    if part is None:
        raise ArticleError(f"{file} is a mail message with no text part")
    try:
        content = part.get_content()
    except (LookupError, ValueError) as exc:  # an unknown charset, a broken encoding
        raise ArticleError(f"{file}: the message body cannot be decoded ({exc})") from None
    if isinstance(content, bytes):
        content = _decode(content, file)
    content = _newlines(content)
    return html_text(content) if part.get_content_subtype() == "html" else content


class _TextOfHtml(html.parser.HTMLParser):
    BLOCKS = frozenset(
        "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
        "header hr li main nav ol p pre section table td th tr ul".split()
    )
    SKIP = frozenset(("script", "style", "head", "noscript", "template", "svg"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.pre = 0

    def _flush(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = re.sub(r"\s+", " ", text).strip()
        if text.strip():
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser's signature
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self._flush()
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self.BLOCKS:
            self._flush()
            if tag == "pre":
                self.pre = max(self.pre - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML page: one block per paragraph, blocks apart by a blank line."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.blocks) + "\n"


# -- sentences ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


#: Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep st jr sr no nos vs etc "
    "inc ltd co corp dept est approx fig jan feb mar apr jun jul aug sep sept oct nov dec "
    "e.g i.e u.s u.k u.n e.u a.m p.m".split()
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_CLOSERS = "\"'”’)]"


def _is_wrapped(lines: list[str]) -> bool:
    """True when the text is hard-wrapped (mail, plain-text archives): most lines short
    and paragraphs running over several lines, so a single line break is not a boundary."""
    full = [len(line) for line in lines if line.strip()]
    if len(full) < 4:
        return False
    short = sum(n <= 100 for n in full)
    runs = sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and b.strip())
    return short >= 0.85 * len(full) and runs >= 0.3 * len(full)


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs (or of lines, when lines are paragraphs), trimmed of whitespace."""
    spans: list[tuple[int, int]] = []
    wrapped = _is_wrapped(text.split("\n"))
    pos = 0
    splitter = _PARAGRAPH if wrapped else re.compile(r"\n\s*")
    for m in splitter.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    if wrapped:
        spans = [piece for a, b in spans for piece in _split_headings(text, a, b)]
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _split_headings(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A wrapped paragraph cut after each line that is much shorter than the wrap width and
    ends without punctuation before a capitalised line: a heading or a byline run into the
    paragraph (a sentence that wraps fills its line)."""
    lines = text[a:b].split("\n")
    if len(lines) < 2:
        return [(a, b)]
    width = max(len(line) for line in lines)
    out, start, pos = [], a, a
    for line, nxt in zip(lines, lines[1:]):
        pos += len(line) + 1
        stripped = line.rstrip()
        if stripped and len(stripped) < 0.5 * max(width, 60) and stripped[-1].isalnum() and nxt.lstrip()[:1].isupper():
            out.append((start, pos - 1))
            start = pos
    out.append((start, b))
    return out


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Whether the terminal punctuation ending at `stop` ends a sentence, given the next
    non-space character at `after`."""
    if after >= len(text):
        return True
    nxt = text[after]
    if not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘([*-–—"):
        return False
    i = stop
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    while i > 0 and text[i - 1] in ".!?…":
        i -= 1
    j = i
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "\"'“‘(":
        j -= 1
    word = text[j:i].lower().rstrip(".")
    if text[i] == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
        return False
    return True


def sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, each an exact slice `text[start:end]` (line breaks kept).

    Paragraphs (or lines, in text that is not hard-wrapped) always end a sentence; inside
    one, a sentence ends at `.`, `!`, `?` or `…` (with any closing quotes) followed by a
    space and a capital, a digit or an opening quote, unless the word before the stop is
    a known abbreviation or an initial.
    """
    out: list[Sentence] = []
    for a, b in _blocks(text):
        start = a
        for m in _END.finditer(text, a, b):
            stop = m.end()
            after = stop
            while after < b and text[after].isspace():
                after += 1
            if after >= b:
                break
            if _ends_sentence(text, stop, after):
                out.append(Sentence(start, stop, text[start:stop]))
                start = after
        if start < b:
            out.append(Sentence(start, b, text[start:b]))
    return out
