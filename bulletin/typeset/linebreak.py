"""Line-break hints for Chinese text, inserted into the text before layout.

Pango follows UAX #14, which allows no break on either side of the quotation
marks “ ” (class QU) and allows one before a dash `——`. clreq wants the
opposite: a line may break before an opening “ and after a closing ” next to Han
characters, and never before `——`. A ZERO WIDTH SPACE adds a break opportunity
and a WORD JOINER removes one; both are invisible and take no width.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
WORD_JOINER = "\u2060"

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters after which a break before an opening quote is fine.
BEFORE_OPEN = HAN + r"，。、；：？！）》」』”’0-9A-Za-z%"
AFTER_CLOSE = HAN + r"（《「『“‘0-9A-Za-z"

_BREAK_BEFORE_OPENING = re.compile(f"(?<=[{BEFORE_OPEN}])(?=[“‘])")
_BREAK_AFTER_CLOSING = re.compile(f"(?<=[”’])(?=[{AFTER_CLOSE}])")
_NO_BREAK_BEFORE = re.compile(r"(?<=[^—\u2060])(?=[—·・])")
_HINTS = re.compile(f"[{ZWSP}{WORD_JOINER}]")
# A web address or a long code: a break is allowed after each of its separators, so that
# it fills the line instead of leaving a gap (UAX #14 allows almost none inside one).
_ADDRESS = re.compile(r"[A-Za-z0-9][\x21-\x7e]{11,}")
_ADDRESS_BREAK = re.compile(r"(?<=[/.\-_?&=#])(?=[A-Za-z0-9])")


def break_hints(text: str) -> str:
    """`text` with break opportunities added and forbidden where clreq says so."""
    text = _BREAK_BEFORE_OPENING.sub(ZWSP, text)
    text = _BREAK_AFTER_CLOSING.sub(ZWSP, text)
    text = _NO_BREAK_BEFORE.sub(WORD_JOINER, text)
    if "/" in text or "." in text:
        text = _ADDRESS.sub(_address_breaks, text)
    return text


def _address_breaks(match: re.Match) -> str:
    run = match.group()
    if "/" not in run and run.count(".") < 2:
        return run  # a number or an ordinary word
    return _ADDRESS_BREAK.sub(ZWSP, run)


def strip_hints(text: str) -> str:
    return _HINTS.sub("", text)
