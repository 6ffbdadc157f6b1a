"""Spacing: stray spaces between Chinese characters, indented paragraphs, and spacing
between Han characters and digits that changes from place to place within one article."""

from __future__ import annotations

import bisect
import re

from ..chinese import (HAN_RANGES, IDEOGRAPHIC_SPACE, TABLE_TITLE, is_chinese, is_han, regex_chars,
                       run_in_level)
from ..diagnostics import Fix
from .rules import ARTICLE, BODY_ONLY, ERROR, WARNING, Finding, rule
from .text import ArticleText, Passage

SPACES = f" \t{IDEOGRAPHIC_SPACE}\u00a0"
SPACE_RUN = re.compile(f"[{SPACES}]+")
LEADING = re.compile(f"^[{SPACES}]+")
DIGITS = re.compile(r"[0-9]+")
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


def _spaced(text: str) -> list[tuple[int, int]]:
    """Spaces typed between a Han character and a digit: 2025 年, 共 26 条."""
    found = []
    for match in SPACE_RUN.finditer(text):
        before, after = _around(text, match.start(), match.end())
        if "\t" not in match.group() and IDEOGRAPHIC_SPACE not in match.group() and (
                (is_han(before) and after.isascii() and after.isdigit())
                or (before.isascii() and before.isdigit() and is_han(after))):
            found.append((match.start(), match.end()))
    return found


def _tight(text: str) -> list[tuple[int, int]]:
    """Han characters and digits side by side: 2025年, 共26条."""
    found = []
    for match in DIGITS.finditer(text):
        before, after = _around(text, match.start(), match.end())
        if is_han(before):
            found.append((match.start(), match.start()))
        if is_han(after):
            found.append((match.end(), match.end()))
    return found


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
    spaced, tight = [], []
    for passage in text.body:
        # A table's title number (`表1 …`, README "the body") is set apart by convention.
        title = TABLE_TITLE.match(passage.text)
        skip = title.end() + 1 if title else -1
        spaced += [(passage, start, end) for start, end in _spaced(passage.text) if start > skip]
        tight += [(passage, start, end) for start, end in _tight(passage.text) if start > skip]
    if not spaced or not tight:
        return
    # The usage in fewer places is the odd one out; on a tie, the spaces are.
    if len(tight) < len(spaced):
        example = _example(*spaced[0])
        for passage, start, _ in tight:
            yield Finding(start, f"汉字与数字之间的空格用法不一致：本文有 {len(spaced)} 处加空格"
                          f"（如“{example}”），此处未加", passage=passage)
    else:
        example = _example(*tight[0])
        for passage, start, _ in spaced:
            yield Finding(start, f"汉字与数字之间的空格用法不一致：本文有 {len(tight)} 处不加空格"
                          f"（如“{example}”），此处加了空格", passage=passage)


def _example(passage: Passage, start: int, end: int) -> str:
    """The number at a Han–digit boundary with one character on either side: “资料 1000 余”."""
    text = passage.text
    first = last = end if end < len(text) and text[end].isdigit() else start - 1
    while first > 0 and text[first - 1].isdigit():
        first -= 1
    while last + 1 < len(text) and text[last + 1].isdigit():
        last += 1
    left, right = first, last + 1
    while left > 0 and text[left - 1] in SPACES:
        left -= 1
    while right < len(text) and text[right] in SPACES:
        right += 1
    return text[max(left - 1, 0):min(right + 1, len(text))]
