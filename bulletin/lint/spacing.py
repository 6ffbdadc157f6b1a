"""Spacing: stray spaces between Chinese characters, indented paragraphs, spacing between
Han characters and digits that changes from place to place within one article, and spaces
on the inner side of a full-width mark (`70% 。`, `（ 1）`)."""

from __future__ import annotations

import bisect
import re

from ..chinese import (CLOSING, DASH, ELLIPSIS, HAN_RANGES, IDEOGRAPHIC_SPACE, OPENING, PAIRS,
                       POINT_MARKS, TABLE_TITLE, is_chinese, is_han, regex_chars, run_in_level)
from ..diagnostics import Fix
from .rules import (ARTICLE, BODY_ONLY, ERROR, LINK_TARGET, WARNING, Finding, fenced_passages,
                    in_literal, rule)
from .text import ArticleText, Passage

SPACES = f" \t{IDEOGRAPHIC_SPACE}\u00a0"
SPACE_RUN = re.compile(f"[{SPACES}]+")
LEADING = re.compile(f"^[{SPACES}]+")
# A number as B213 counts it: `2025`, `3.5`, `1,000`, `9:30` are one each.
NUMBER = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")
SPACED, TIGHT = "spaced", "tight"  # how a number meets the Han character beside it
# Quotes and book-title marks hold names and titles, written as they are (`“97 村长小芳”`,
# `《2025年工作要点》`): B213 neither counts nor flags what is inside them.
NAMING = {mark: PAIRS[mark] for mark in "“‘《〈「『"}
NAMED_CLOSING = frozenset(NAMING.values())
# B214: the marks a space before prints as a gap (closing marks, 点号, dash and ellipsis),
# and after which one does (the opening marks).
GAP_BEFORE = CLOSING | POINT_MARKS | {DASH, ELLIPSIS}
GAP_AFTER = OPENING
# A quote mark in a message is named, not quoted (as B201 names them): 左双引号 “.
QUOTE_NAMES = {"“": "左双引号", "”": "右双引号", "‘": "左单引号", "’": "右单引号"}
# What may open a line before a space that is Markdown's, not the text's: a block quote's
# `>`, a list item's `-` `+` `*` `1.` `1)`, a heading's `#`.
BLOCK_MARKER = re.compile(r"[ \t]*(?:>[ \t]*)*(?:#{1,6}|[-+*]|[0-9]{1,9}[.)])?")
# A two-character name set out to the width of three, as bylines and lists of names do:
# `张  伟`, `李　强`. The name stands alone: at a line's start or end, or between spaces,
# brackets, `：` (before it), `、` `，` or a table's `|`.
HAN_CLASS = f"[{regex_chars(ranges=HAN_RANGES)}]"
PADDED_NAME = re.compile(rf"(?:^|(?<=[\s（(【\[：:、，,|]))({HAN_CLASS}(?:  +|\u3000+){HAN_CLASS})"
                         rf"(?=$|[\s）)】\]、，,|])", re.M)


def _padded_names(text: str) -> list[tuple[int, int]]:
    """The spans of two-character names padded with spaces, and of the spaces around them
    (`记者 张  伟 摄`: every space there is the byline's), which B211 leaves as typed;
    sorted and disjoint."""
    spans = []
    for match in PADDED_NAME.finditer(text):
        start, end = match.span(1)
        while start > 0 and text[start - 1] in SPACES:
            start -= 1
        while end < len(text) and text[end] in SPACES:
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)  # names side by side share their spaces
        else:
            spans.append((start, end))
    return spans


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    return text[start - 1:start] if start else "", text[end:end + 1]


@rule("B211", ERROR, "汉字（或中文标点）之间有空格", scope=BODY_ONLY, prose=True)
def space_between_chinese(passage: Passage):
    # Spaces the conventions allow (README "the body"): after a table title's number
    # (`表一 各乡镇情况`), and after a heading number, which is never printed (`1． 加强`);
    # and the spaces of a padded name (`张  伟`).
    title, heading = TABLE_TITLE.match(passage.text), run_in_level(passage.text)
    allowed = {title.end() if title else -1, heading[1] if heading else -1}
    names = _padded_names(passage.text)
    for match in SPACE_RUN.finditer(passage.text):
        before, after = _around(passage.text, match.start(), match.end())
        if not (is_chinese(before) and is_chinese(after)) or match.start() in allowed:
            continue
        index = bisect.bisect_right(names, (match.start(), len(passage.text) + 1)) - 1
        if index >= 0 and match.end() <= names[index][1]:
            continue
        yield Finding(match.start(), "汉字之间有多余的空格，排出来是一段空白", Fix(match.group(), ""))


@rule("B212", ERROR, "段首有空格（排版会自动缩进两字）", scope=BODY_ONLY, prose=True)
def leading_space(passage: Passage):
    match = LEADING.match(passage.text)
    if not match:
        return
    run = match.group()
    if IDEOGRAPHIC_SPACE in run or "\u00a0" in run:
        message = "段首有全角空格或不换行空格：排版会自动缩进两字，请删去"
    elif len(run.expandtabs(4)) >= 4:
        message = "段首有 4 个以上空格：Markdown 会把本段当作代码，排成等宽字体，请删去"
    else:
        return  # up to three spaces: Markdown drops them
    yield Finding(0, message, Fix(run, ""))


@rule("B213", WARNING, "同一篇稿件中汉字与数字之间有时加空格、有时不加", scope=ARTICLE,
      prose=True)
def digit_spacing(text: ArticleText):
    fenced = fenced_passages(text)
    numbers = [number for passage in text.body if not any(passage is other for other in fenced)
               for number in _numbers(passage)]
    spaced = [number for number in numbers if number.styles == {SPACED}]
    tight = [number for number in numbers if number.styles == {TIGHT}]
    mixed = [number for number in numbers if len(number.styles) == 2]
    if not mixed and not (spaced and tight):
        return
    # Counted by number: the usage of fewer numbers is the odd one out; on a tie, the
    # spaces are. A number spaced on one side only is odd whatever the article does.
    if len(tight) < len(spaced):
        odd, usual, usage, here = TIGHT, spaced, "加空格", "此处未加"
    else:
        odd, usual, usage, here = SPACED, tight, "不加空格", "此处加了空格"
    said = f"本文有 {len(usual)} 处{usage}（如“{_example(usual[0])}”），" if usual else ""
    for number in numbers:
        if odd not in number.styles:
            continue
        offset = next(at for at, style in number.sides if style == odd)
        what = "此处数字一边加了空格、一边未加" if len(number.styles) == 2 else here
        yield Finding(offset, f"汉字与数字之间的空格用法不一致：{said}{what}",
                      passage=number.passage, length=number.right - offset)


class _Number:
    """A number next to a Han character, in `passage.text[start:end]`; `left`, `right`: its
    extent with the spaces typed between it and the Han characters; `sides`: (offset, how)
    for each side next to a Han character, left first, at the space typed there (SPACED)
    or at the character after the boundary (TIGHT: the first digit, or the Han character
    after the number)."""

    __slots__ = ("passage", "start", "end", "left", "right", "sides")

    def __init__(self, passage: Passage, start: int, end: int):
        self.passage, self.start, self.end = passage, start, end
        self.left, self.right = start, end
        self.sides: list[tuple[int, str]] = []

    @property
    def styles(self) -> set[str]:
        return {style for _, style in self.sides}


def _numbers(passage: Passage) -> list[_Number]:
    """The numbers of a passage that meet a Han character, with or without a space: not a
    table title's number (`表1 …`, set apart by convention, README "the body"), nor one in
    quotes or book-title marks, code or an address. A tab or a full-width space between
    them is neither usage (B211 and the layout's business)."""
    text = passage.text
    title = TABLE_TITLE.match(text)
    skip = title.end() if title else 0
    named = _named(text)
    found = []
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if start < skip or _within(named, start, end):
            continue
        number = _Number(passage, start, end)
        left = start
        while left > 0 and text[left - 1] in SPACES:
            left -= 1
        if left and is_han(text[left - 1]):
            if left == start:
                number.sides.append((start, TIGHT))
            elif _plain(text[left:start]):
                number.sides.append((left, SPACED))
                number.left = left
        right = end
        while right < len(text) and text[right] in SPACES:
            right += 1
        if right < len(text) and is_han(text[right]):
            if right == end:
                number.sides.append((end, TIGHT))
            elif _plain(text[end:right]):
                number.sides.append((end, SPACED))
                number.right = right
        if number.sides and not in_literal(text, number.left, number.right):
            found.append(number)
    return found


def _plain(run: str) -> bool:
    return "\t" not in run and IDEOGRAPHIC_SPACE not in run


def _named(text: str) -> list[tuple[int, int]]:
    """The spans of `text` in quotes and book-title marks (`NAMING`), the marks included;
    sorted and disjoint. A mark never closed opens nothing (B202 reports it), nor does one
    in code or an address."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in NAMING:
            if not in_literal(text, i):
                stack.append((i, NAMING[ch]))
        elif ch in NAMED_CLOSING and stack and not in_literal(text, i):
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][1] == ch:
                    spans.append((stack[depth][0], i + 1))
                    del stack[depth:]
                    break
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether `[start, end)` lies inside one of `spans` (sorted and disjoint)."""
    index = bisect.bisect_right(spans, (start, float("inf"))) - 1  # the last opening by `start`
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def _example(number: _Number) -> str:
    """The number with its spaces and one character on either side: “资料 1000 余”."""
    text = number.passage.text
    return text[max(number.left - 1, 0):number.right + 1]


@rule("B214", ERROR, "全角标点内侧有空格（如“70% 。”“（ 1）”），排出来是一段空白", scope=BODY_ONLY,
      prose=True)
def space_inside_mark(passage: Passage):
    # A full-width mark carries its own blank half-cell: a space before a closing mark, a
    # 点号, a dash or an ellipsis, or after an opening mark, prints as a gap. Between two
    # Chinese characters or marks the space is B211's (flagged or allowed there), so that
    # no space gets two findings; B214 has the spaces with a digit, a Latin letter, `%`, a
    # half-width mark or Markdown on the other side. Not a line's end or start (Markdown
    # drops those spaces), a table cell's padding (next to `|`), the space after a
    # Markdown marker (`- `, `> `), a padded name's, nor one next to code or an address
    # (`a...b` 。: the literal is set apart as written).
    text = passage.text
    title, heading = TABLE_TITLE.match(text), run_in_level(text)
    allowed = {title.end() if title else -1, heading[1] if heading else -1}
    names = _padded_names(text)
    for match in SPACE_RUN.finditer(text):
        start, end = match.span()
        before, after = _around(text, start, end)
        closing, opening = after in GAP_BEFORE, before in GAP_AFTER
        if not (closing or opening) or (is_chinese(before) and is_chinese(after)):
            continue
        if before in ("", "\n") or after in ("", "\n") or "|" in (before, after):
            continue
        if start in allowed or _within(names, start, end):
            continue
        if BLOCK_MARKER.fullmatch(text, text.rfind("\n", 0, start) + 1, start):
            continue
        if _next_to_literal(text, start, end):
            continue
        mark = after if closing else before
        if mark in (DASH, ELLIPSIS):
            mark = re.match(f"{re.escape(mark)}+", text[end:]).group()  # —— and …… whole
        shown = f"{QUOTE_NAMES[mark]} {mark} " if mark in QUOTE_NAMES else f"“{mark}”"
        yield Finding(start, f"{shown}{'前' if closing else '后'}有多余的空格，排出来是一段空白",
                      Fix(match.group(), ""))


def _next_to_literal(text: str, start: int, end: int) -> bool:
    """Whether the spaces `text[start:end]` touch code, a web or e-mail address: written
    as they are, set apart by the space (`a...b` 。). Not a link's target: what prints
    there is the link's text, and a space after it is a gap as any other."""
    if in_literal(text, end):
        return True
    if not in_literal(text, start - 1):
        return False
    link = text.rfind("](", 0, start)
    target = LINK_TARGET.match(text, link) if link >= 0 else None
    return target is None or target.end() != start
