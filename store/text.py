"""Catalog text made safe to show: no terminal control sequence ever leaves negotrack."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidi overrides and
# isolates that can make text read differently from what it is ("trojan source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def clean(text: str, newlines: bool = True) -> str:
    """`text` with every control character replaced by a visible stand-in (ESC -> ␛).

    With `newlines=False` line breaks are made visible too (␊), for output that must stay
    one line per record, such as `FILE:LINE:COL: error: ...`.
    """
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(_visible, text)
    return text if newlines else text.replace("\n", "\u240a").replace("\t", "\u2409")


def one_line(text: str, width: int | None = None) -> str:
    """`clean(text)` on one line, shortened with an ellipsis to at most `width` characters."""
    flat = " ".join(clean(text).split())
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat
