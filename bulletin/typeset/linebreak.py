"""Line-break hints for Chinese text, inserted into the text before layout.

Pango follows UAX #14, which allows no break on either side of the quotation
marks “ ” (class QU) and allows one before a dash `——`. clreq wants the
opposite: a line may break before an opening “ and after a closing ” next to Han
characters, and never before `——`. A ZERO WIDTH SPACE adds a break opportunity
and a WORD JOINER removes one; both are invisible and take no width.
"""

from __future__ import annotations

import re

from ..chinese import (BREAK_HINTS, CLOSING, DASH, HAN_RANGES, MIDDLE_DOTS, OPENING,
                       POINT_MARKS, QUOTES, WORD_JOINER, ZWSP, regex_chars)

HAN = regex_chars(ranges=HAN_RANGES)  # every Han character, planes 2 and 3 included
# Characters after which a break before an opening quote is fine: Han, closing marks, 点号.
BEFORE_OPEN = HAN + regex_chars(CLOSING | POINT_MARKS) + "0-9A-Za-z%"
# Characters before which a break after a closing quote is fine: Han, opening marks.
AFTER_CLOSE = HAN + regex_chars(OPENING) + "0-9A-Za-z"

_BREAK_BEFORE_OPENING = re.compile(f"(?<=[{BEFORE_OPEN}])(?=[{regex_chars(QUOTES & OPENING)}])")
_BREAK_AFTER_CLOSING = re.compile(f"(?<=[{regex_chars(QUOTES & CLOSING)}])(?=[{AFTER_CLOSE}])")
_NO_BREAK_BEFORE = re.compile(
    f"(?<=[^{regex_chars({DASH, WORD_JOINER})}])(?=[{regex_chars({DASH} | MIDDLE_DOTS)}])")
_HINTS = re.compile(f"[{regex_chars(BREAK_HINTS)}]")
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
