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


def break_hints(text: str) -> str:
    """`text` with break opportunities added and forbidden where clreq says so."""
    text = _BREAK_BEFORE_OPENING.sub(ZWSP, text)
    text = _BREAK_AFTER_CLOSING.sub(ZWSP, text)
    text = _NO_BREAK_BEFORE.sub(WORD_JOINER, text)
    return text


def strip_hints(text: str) -> str:
    return _HINTS.sub("", text)
