"""Run-in heading numbers: every level (一、 （一） 1. （1） ①) numbered in order from 1 under
the level above, the levels in order, the right mark after each number, and for 一、 and
（一） a heading sentence that ends with “。” on the paragraph's first line, as markup.py
needs to set it in 黑体/楷体."""

from __future__ import annotations

import re

from ..chinese import ARABIC_NUMERAL, CIRCLED_NUMERAL, HEADING_END, IDEOGRAPHIC_SPACE, NUMERAL, \
    RUN_IN_LEVELS, RunInLevel, chinese_number
from .rules import ARTICLE, BODY_ONLY, ERROR, WARNING, Finding, rule
from .text import ArticleText, Passage

SPACE = f" {IDEOGRAPHIC_SPACE}"
WRONG_SEPARATOR = re.compile(f"({NUMERAL})([.,，．:：;；]|[{SPACE}]+(?=[^{SPACE}、]))")
# `1、加强…` opening a paragraph is the classic slip for `1.`; a digit after the mark makes
# it running text (`1、2、3号楼`, `3、4月份`, `1，2号机组`). Spaces are not a slip here:
# `5 名代表` is a number with B213's spacing.
WRONG_ARABIC_SEPARATOR = re.compile(f"({ARABIC_NUMERAL})([、，,：:；;])(?![0-9０-９])")
EXTRA_MARK = re.compile(
    f"([（(](?:{NUMERAL}|{ARABIC_NUMERAL})[）)]|{CIRCLED_NUMERAL})([、，.,．:：])")
LONG_HEADING = 50
RANKS = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
# A line that opens an item of a Markdown ordered list with `.` (markdown-it: 1 to 9 digits,
# then a space, a tab or the line's end). Only `1.` may interrupt a paragraph, with text.
LIST_ITEM = re.compile(r"[0-9]{1,9}\.(?:[ \t]|$)")
LIST_AFTER_PARAGRAPH = re.compile(r"1\.[ \t]+\S")


def _units(passage: Passage) -> list[tuple[int, Passage]]:
    """What markup.py sets as paragraphs, with their offsets in `passage`: the passage
    itself, or, for a `.` list written without blank lines (`1. 甲` / `2. 乙`, one passage
    to lint/text.py), each item, a numbered paragraph of its own (markup.py
    `_number_ordered_lists`)."""
    text = passage.text
    cuts, in_list, offset = [0], False, 0
    for index, line in enumerate(text.split("\n")):
        if index == 0:
            in_list = LIST_ITEM.match(line) is not None
        elif (in_list and LIST_ITEM.match(line)) or LIST_AFTER_PARAGRAPH.match(line):
            in_list = True
            cuts.append(offset)
        offset += len(line) + 1
    if len(cuts) == 1:
        return [(0, passage)]
    units = []
    for start, end in zip(cuts, cuts[1:] + [len(text) + 1]):
        starts = [(first - start, line, col) for first, line, col in passage.starts
                  if start <= first < end]
        if not starts or starts[0][0] != 0:
            starts.insert(0, (0, *passage.position(start)))
        units.append((start, Passage(text[start:end - 1], passage.kind, starts, passage.exact)))
    return units


def _headings(text: ArticleText):
    """(passage, level, label) of every paragraph that opens with a heading number."""
    for outer in text.body:
        for _, passage in _units(outer):
            heading = passage.run_in_heading()
            if heading is not None:
                yield passage, heading[0], passage.text[:heading[1]]


@rule("B221", ERROR, "标题序号不连续或重复，如“一、二、四、”“（1）（3）”", scope=ARTICLE)
def sequence(text: ArticleText):
    expected = {level.level: 1 for level in RUN_IN_LEVELS}
    for passage, level, label in _headings(text):
        value = level.value(label)
        if value is None:
            continue
        want = expected[level.level]
        if value != want:
            got, wanted = level.label(value), level.label(want)
            if want == 1:
                message = f"标题序号应从“{wanted}”开始，这里是“{got}”"
            elif value > want:
                message = f"标题序号不连续：“{level.label(want - 1)}”之后是“{got}”，缺少“{wanted}”"
            else:
                message = f"标题序号重复或倒序：“{level.label(want - 1)}”之后又是“{got}”"
            yield Finding(0, message, passage=passage)
        expected[level.level] = value + 1
        for lower in expected:  # each level below numbers from one again
            if lower > level.level:
                expected[lower] = 1


# Which orders of levels B222 reports. GB/T 9704-2012 (7.3.3) lists the levels 一、 （一）
# 1. （1） “依次”; 公文 practice reads that as: a level may be skipped going down (越级:
# `1.` right under `一、` when a part has no `（一）`, `（1）` right under `（一）`), but the
# order is never turned over (不可倒置). So B222 is lenient and warns only where it is
# clearly wrong:
# - a `（一）` with no `一、` before it in the article (as before: a second level with no
#   first is almost always a missing or mistyped `一、`);
# - under one heading (or in the article before any heading), a lower level used before a
#   higher one: `（1）…（2）…` then `1.…`, or `1.…` then `（一）…`. The first run then
#   belongs to no heading of the level it skipped.
# It does not report `1.`, `（1）` or `①` opening an article, nor a level skipped going
# down: numbered paragraphs and 越级 are common and accepted.
@rule("B222", WARNING, "标题层次颠倒：“（一）”之前没有“一、”，或同一标题下“（1）”先于“1.”",
      scope=ARTICLE)
def level_order(text: ArticleText):
    headings = list(_headings(text))
    yield from _orphan_second_level(headings)
    yield from _turned_over(headings)


def _orphan_second_level(headings: list[tuple[Passage, RunInLevel, str]]):
    for passage, level, label in headings:
        if level.level == 1:
            return
        if level.level == 2:
            first, second = (other.label(1) for other in RUN_IN_LEVELS[:2])
            yield Finding(0, f"二级标题“{label}”之前没有一级标题“{first}”：层次应为 {first}→{second}",
                          passage=passage)
            return


def _turned_over(headings: list[tuple[Passage, RunInLevel, str]]):
    # Each heading's parent is the nearest heading of a higher level before it (None: the
    # article). A parent's children can only go up in level (a lower one would be a
    # grandchild); a child higher than the first child turns the order over.
    children: dict[int, list[tuple[Passage, RunInLevel, str]]] = {}
    parents: dict[int, str | None] = {-1: None}
    open_headings: list[tuple[int, int]] = []  # (index, level) from the article down
    for index, (passage, level, label) in enumerate(headings):
        while open_headings and open_headings[-1][1] >= level.level:
            open_headings.pop()
        parent = open_headings[-1][0] if open_headings else -1
        children.setdefault(parent, []).append((passage, level, label))
        parents[index] = label
        open_headings.append((index, level.level))
    for parent, under in children.items():
        passage, first, label = under[0]
        higher = next(((p, lv, lb) for p, lv, lb in under if lv.level < first.level), None)
        if higher is None:
            continue
        if parent == -1 and first.level == 2 and higher[1].level == 1:
            continue  # （一） before 一、: _orphan_second_level reports it
        where = "文中" if parent == -1 else f"“{parents[parent]}”下"
        upper = higher[1]
        yield Finding(0, f"{RANKS[first.level]}标题“{label}”用在了{RANKS[upper.level]}标题"
                      f"“{higher[2]}”之前：{where}层次颠倒，应为 {upper.label(1)}→{first.label(1)}"
                      "（层次可以越级，不可倒置）", passage=passage)


@rule("B223", ERROR, "以“一、”或“（一）”开头的段落，标题句没有以“。”结束", scope=BODY_ONLY)
def heading_end(passage: Passage):
    # Only the passage itself: a list item after the first opens with `2.`, level 3.
    heading = passage.run_in_heading()
    if heading is None or heading[2] >= 0:
        return
    level, number_end, _ = heading
    if not level.sentence:
        return  # 1. （1） ①: without a 。 on its first line, a numbered paragraph
    label = passage.text[:number_end]
    if HEADING_END not in passage.text:
        message = (f"以“{label}”开头的段落里没有句号“。”：标题句须以“。”结束，"
                   f"才能排成{level.face}")
    else:
        message = (f"以“{label}”开头的段落，标题句的“。”不在段落第一行，或前面有 Markdown 标记："
                   f"标题无法排成{level.face}")
    yield Finding(0, message)


@rule("B224", ERROR, "标题序号后的标点不对，如“一.”“一，”“（一）、”“1、”", scope=BODY_ONLY)
def number_separator(passage: Passage):
    text = passage.text
    match = WRONG_SEPARATOR.match(text)
    if match and chinese_number(match.group(1)) is not None:
        mark = match.group(2)
        shown = "空格" if not mark.strip(SPACE) else f"“{mark}”"
        yield Finding(match.start(2), f"标题序号“{match.group(1)}”后是{shown}，应为顿号“、”")
        return
    match = WRONG_ARABIC_SEPARATOR.match(text)
    if match:
        number = match.group(1)
        yield Finding(match.start(2), f"标题序号“{number}”后是“{match.group(2)}”，"
                      f"应为“{number}.”")
        return
    match = EXTRA_MARK.match(text)
    if match:
        yield Finding(match.start(2), f"“{match.group(1)}”之后不加“{match.group(2)}”")


@rule("B225", WARNING, "标题句过长（到第一个“。”超过 50 字），可能漏了句号", scope=BODY_ONLY)
def long_heading(passage: Passage):
    for start, unit in _units(passage):
        heading = unit.run_in_heading()
        if heading is None or heading[2] < 0:
            continue
        length = heading[2] + 1
        if length > LONG_HEADING:
            yield Finding(start, f"标题句长达 {length} 字（到第一个“。”为止），整句都会排成{heading[0].face}；"
                          "是否漏了句号？")
