"""What the toolchain knows about Chinese text, written once.

The typesetting (`typeset/cjk.py`, `typeset/linebreak.py`), the title breaker
(`titles.py`), the Markdown renderer (`markup.py`), the editorial check (`lint/`) and the
importers take their character classes and heading numbers from here:

- Han characters: `HAN_RANGES`, `is_han`, `has_han`;
- punctuation (GB/T 15834, clreq): the `PAIRS` of quotes, brackets and book-title marks,
  the 点号, the marks a line may not start or end with (禁则), every full-width mark
  (`PUNCTUATION`) and `is_chinese`;
- what prints nothing: the break hints `typeset/linebreak.py` adds (`BREAK_HINTS`) and the
  other zero-width characters (`ZERO_WIDTH`);
- the run-in heading numbers of 公文, `一、` `（一）` `1.` `（1）` `①`: `RUN_IN_LEVELS`,
  `run_in_level`.

Plain Python, and cheap to import: `bulletin check` imports it. Sets and code point ranges
rather than regular expressions for the wide classes (compiling classes of thousands of
characters costs a `bulletin check` milliseconds); `regex_chars` writes a set or a range as
the inside of a regular-expression class where a caller needs one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# --- Han characters --------------------------------------------------------------------

# CJK Unified Ideographs Extension A, the Unified Ideographs, the Compatibility Ideographs,
# and planes 2 and 3 whole (Extensions B to I, the Compatibility Supplement): a rare
# character of a name, 𠀀 (U+20000), is Han as 中 is. Sorted and disjoint: is_han relies
# on it.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))


def is_han(ch: str) -> bool:
    """Whether `ch` is one Han character (False for "" and for longer strings)."""
    if len(ch) != 1:
        return False
    code = ord(ch)
    for first, last in HAN_RANGES:
        if code <= last:
            return code >= first
    return False


def has_han(text: str, start: int = 0, end: int | None = None) -> bool:
    return any(is_han(ch) for ch in text[start:end])


# --- punctuation -----------------------------------------------------------------------

# Each opening mark and the closing mark it pairs with: quotes, parentheses, book-title
# marks (《》 and, inside them, 〈〉), 方头括号, 六角括号 (of document numbers:
# 〔2025〕), and the corner quotes.
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "〈": "〉", "【": "】", "〔": "〕",
         "「": "」", "『": "』"}
OPENING = frozenset(PAIRS)
CLOSING = frozenset(PAIRS.values())
QUOTES = frozenset("“”‘’")
# 点号 but ？ and ！: set in the left half of their cell, and never at a title's end.
PAUSES = frozenset("，。、；：")
POINT_MARKS = PAUSES | frozenset("？！")  # every 点号
# Marks whose glyph sits in one half of the cell, the other half empty (and trimmable):
# closing marks and the pauses in the left half; the opening marks in the right half.
CLOSING_MARKS = CLOSING | PAUSES
DASH, ELLIPSIS = "—", "…"  # 破折号 and 省略号 take two each (—— ……); a single — is 连接号
MIDDLE_DOTS = frozenset("·・")  # 间隔号 (and the katakana dot typed for it): binds both sides
# 禁则 (clreq): what never starts a line, and what never ends one. A dash is in neither:
# —— and …… are never split and a single — (征集—视察, 1—5月) binds both its neighbours,
# but whether —— may start a line is the layout's choice (the body: never; a title: yes).
NO_LINE_START = CLOSING_MARKS | POINT_MARKS | {ELLIPSIS} | MIDDLE_DOTS
NO_LINE_END = OPENING | MIDDLE_DOTS
# Full-width punctuation and the marks only Chinese text uses: CJK Symbols and
# Punctuation, the full-width forms of ASCII marks, and the marks above from elsewhere.
PUNCTUATION = frozenset(
    [chr(code) for first, last in ((0x3001, 0x303F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20),
                                   (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
     for code in range(first, last + 1)] + list("“”‘’…—·・"))
IDEOGRAPHIC_SPACE = "\u3000"  # the full-width space


def is_chinese(ch: str) -> bool:
    """A Han character or a Chinese punctuation mark: the company that makes text Chinese."""
    return ch in PUNCTUATION or is_han(ch)


# --- what prints nothing ---------------------------------------------------------------

ZWSP = "\u200b"  # ZERO WIDTH SPACE: a break opportunity
WORD_JOINER = "\u2060"  # no break here
BREAK_HINTS = frozenset((ZWSP, WORD_JOINER))  # what typeset/linebreak.py puts into text
# Zero width on paper: the hints, the joiners (ZWNJ, ZWJ), a byte-order mark left inside
# a text, and the soft hyphen (it shows only where a line breaks at it). No glyph of a
# justified line, and no width in a title.
ZERO_WIDTH = BREAK_HINTS | frozenset("\u200c\u200d\ufeff\u00ad")


def regex_chars(chars: Iterable[str] = (), ranges: Iterable[tuple[int, int]] = ()) -> str:
    """`chars` and the code point `ranges` as the inside of a regular-expression class:
    `f"[{regex_chars(OPENING)}]"`."""
    return ("".join(re.escape(ch) for ch in sorted(chars))
            + "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}"
                      for first, last in ranges))


# --- run-in heading numbers ------------------------------------------------------------

DIGITS = "一二三四五六七八九"
TEN = "十"
# The characters of a number from 一 to 九十九; `chinese_number` says whether they make one.
NUMERAL = f"[{DIGITS}{TEN}]{{1,3}}"
# An Arabic heading number, 1 to 99 as a heading writes it: no leading zero.
ARABIC_NUMERAL = "[1-9][0-9]?"
# The circled numbers ① (U+2460) to ⑳ (U+2473), a heading number 1 to 20.
CIRCLED_ONE, CIRCLED_TOP = 0x2460, 20
CIRCLED_NUMERAL = f"[{chr(CIRCLED_ONE)}-{chr(CIRCLED_ONE + CIRCLED_TOP - 1)}]"
# After ⑳ Unicode goes on elsewhere: ㉑ … ㉟ (U+3251), ㊱ … ㊿ (U+32B1). Only for messages
# (a `label` after ⑳): they open no heading.
CIRCLED_MORE = ((21, 0x3251), (36, 0x32B1), (51, None))
# Any circled number, ① to ㊿: what must not follow the ① of a heading (`①②号机组`).
CIRCLED_ANY = (f"{chr(CIRCLED_ONE)}-{chr(CIRCLED_ONE + CIRCLED_TOP - 1)}"
               f"{chr(0x3251)}-{chr(0x325F)}{chr(0x32B1)}-{chr(0x32BF)}")


def chinese_number(text: str) -> int | None:
    """The value of a number from 一 to 九十九 as a heading writes it (一, 十, 十一, 二十,
    二十一; also 一十一); None for anything else, such as the slips 一二 and 十十."""
    if not text or any(ch not in DIGITS + TEN for ch in text):
        return None
    if TEN not in text:
        return DIGITS.index(text) + 1 if len(text) == 1 else None
    tens, _, ones = text.partition(TEN)
    if text.count(TEN) > 1 or len(tens) > 1 or len(ones) > 1:
        return None
    value = (DIGITS.index(tens) + 1 if tens else 1) * 10
    return value + (DIGITS.index(ones) + 1 if ones else 0)


def chinese_numeral(value: int, digits: str = DIGITS, ten: str = TEN) -> str:
    """1 … 99 written as a heading writes it: 一, 十, 十一, 二十一; with other `digits`
    (一 to 九) and `ten`, in other numerals: 壹拾贰."""
    if value < 10:
        return digits[value - 1]
    tens, ones = divmod(value, 10)
    return (digits[tens - 1] if tens > 1 else "") + ten + (digits[ones - 1] if ones else "")


def arabic_number(text: str) -> int | None:
    """The value of an Arabic heading number, 1 to 99 (ASCII digits, no leading zero:
    `01` and `100` are none)."""
    if not (0 < len(text) <= 2 and text.isascii() and text.isdigit()) or text[0] == "0":
        return None
    return int(text)


def circled_number(text: str) -> int | None:
    """① … ⑳ → 1 … 20; None for anything else."""
    if len(text) != 1:
        return None
    value = ord(text) - CIRCLED_ONE + 1
    return value if 1 <= value <= CIRCLED_TOP else None


def circled_numeral(value: int) -> str:
    """1 … 20 as ① … ⑳; past ⑳, ㉑ … ㊿ and then (51) (for messages only)."""
    if 1 <= value <= CIRCLED_TOP:
        return chr(CIRCLED_ONE + value - 1)
    for (first, code), (following, _) in zip(CIRCLED_MORE, CIRCLED_MORE[1:]):
        if first <= value < following:
            return chr(code + value - first)
    return f"({value})"


# Plain classes with slots, not dataclasses: this module is imported by every `bulletin
# check`, and building a dataclass costs about half a millisecond.
class Numerals:
    """How a level writes its numbers."""

    __slots__ = ("pattern", "value", "numeral", "top")

    def __init__(self, pattern: str, value: Callable[[str], int | None],
                 numeral: Callable[[int], str], top: int = 99):
        self.pattern = pattern  # a regular expression of the characters of one number
        self.value = value  # those characters → the number's value; None: not a number
        self.numeral = numeral  # a value → the number as written
        self.top = top  # the highest number a heading of this kind opens with


CHINESE_NUMERALS = Numerals(NUMERAL, chinese_number, chinese_numeral)
ARABIC_NUMERALS = Numerals(ARABIC_NUMERAL, arabic_number, str)
CIRCLED_NUMERALS = Numerals(CIRCLED_NUMERAL, circled_number, circled_numeral, CIRCLED_TOP)


class RunInLevel:
    """One level of run-in heading numbers: a paragraph that opens with such a number has
    its first sentence, up to the first `HEADING_END`, set as a heading in `face`.

    公文 number their levels (GB/T 9704-2012, 7.3.3) “一、”, “（一）”, “1.”, “（1）”: the
    first in 黑体, the second in 楷体, the third and fourth in 仿宋; the bulletin adds “①”
    as a fifth. A level is a row of `RUN_IN_LEVELS`.
    """

    __slots__ = ("level", "opening", "closing", "closings", "face", "numerals", "pattern",
                 "sentence")

    def __init__(self, level: int, opening: str, closing: str, face: str,
                 numerals: Numerals = CHINESE_NUMERALS, *, also: str = "", not_before: str = "",
                 sentence: bool = True):
        self.level = level  # 1 is the highest: `run-in-heading level-1` in the HTML
        self.opening = opening  # what comes before the number
        self.closing = closing  # what comes after it, as `label` writes it
        self.closings = (closing, *also)  # every mark accepted after it: `1.` and `1．`
        self.face = face  # the face it is set in (templates/print.css), as messages name it
        self.numerals = numerals
        # Whether a paragraph opening with this number must have a heading sentence (B223):
        # levels 3 to 5 without a `。` are numbered paragraphs, only the number marked.
        self.sentence = sentence
        # What may be such a number at the start of a text; `match` says whether it is one.
        # `not_before`: a class of what must not follow (a digit after `1.`: `1.5亿元`).
        closings = "|".join(re.escape(mark) for mark in self.closings)
        self.pattern = re.compile(
            f"^{re.escape(opening)}({numerals.pattern})(?:{closings})"
            + (f"(?![{not_before}])" if not_before else ""))

    def __repr__(self) -> str:
        return f"RunInLevel({self.level}, {self.label(1)!r})"

    def match(self, text: str) -> int | None:
        """Where the number `text` opens with ends, if it opens with one of this level."""
        found = self.pattern.match(text)
        if found is None or self.numerals.value(found.group(1)) is None:
            return None
        return found.end()

    def label(self, value: int) -> str:
        """The number `value` as this level writes it: 三、, （三）, 3., （3） or ③."""
        return f"{self.opening}{self.numerals.numeral(value)}{self.closing}"

    def value(self, label: str) -> int | None:
        """The value of a label of this level: 三、, （三）, 3., 3．, （3）, ③ → 3; None if it
        is not one."""
        if not label.startswith(self.opening):
            return None
        for closing in self.closings:
            if label.endswith(closing):
                return self.numerals.value(label[len(self.opening):len(label) - len(closing)])
        return None


DIGIT_AFTER = "0-9０-９"
# The run-in heading levels, highest first (GB/T 9704-2012, 7.3.3, and ① under （1）), each
# numbered from 1 again under the level above:
#   一、 (黑体)  （一） (楷体)  1. or 1． (仿宋, bold)  （1） (仿宋)  ① (仿宋)
# A number opening a paragraph marks its first sentence as a heading (markup.py); the lint
# holds the numbers in order (B221), the levels in order (B222), the sentence to its 。 on
# the first line for levels 1 and 2 (B223) and the mark after the number (B224).
# - `1.`: a digit right after the dot makes a decimal (`1.5亿元`, `2025.6`), no heading; a
#   space after the dot (`1. 加强`, Markdown's ordered list) is not part of the number.
# - `（1）` only in full-width parentheses, as `（一）`: `(1)` is a B203 slip (half-width
#   parentheses in Chinese text, which `--fix` makes `（1）`), not a heading.
# - `①` followed by another circled number (`①②号机组`) is running text.
RUN_IN_LEVELS = (
    RunInLevel(1, "", "、", "黑体"),
    RunInLevel(2, "（", "）", "楷体"),
    RunInLevel(3, "", ".", "仿宋（加粗）", ARABIC_NUMERALS, also="．", not_before=DIGIT_AFTER,
               sentence=False),
    RunInLevel(4, "（", "）", "仿宋", ARABIC_NUMERALS, sentence=False),
    RunInLevel(5, "", "", "仿宋", CIRCLED_NUMERALS, not_before=CIRCLED_ANY, sentence=False),
)
HEADING_END = "。"  # the end of a run-in heading's sentence


def run_in_level(text: str) -> tuple[RunInLevel, int] | None:
    """The run-in heading level whose number `text` opens with, and where the number ends:
    `一、`, `（十二）`, `1.`, `12．`, `（3）` and `④` open one (`1. 加强`: the number ends at
    the dot); `一二、`, `十十、`, `一.`, `1.5亿元`, `01.`, `(1)` and `1、` do not."""
    for level in RUN_IN_LEVELS:
        end = level.match(text)
        if end is not None:
            return level, end
    return None


# --- the body's conventions in words (README "the body") ---------------------------------

CAPTION_OPENING = "图为"  # a paragraph right after a figure that opens so is its caption
# `表1 …`, `表 2 …`, `表一 …`: the paragraph right before a table is its title.
TABLE_TITLE = re.compile(r"^表\s*[0-9０-９一二三四五六七八九十]+")
NOTE_OPENINGS = ("注：", "注:")  # a paragraph that opens so is a note
