"""Run-in heading numbers: 一、二、三、 in order, （一） under a 一、, and a heading sentence
that ends with “。” on the paragraph's first line, as markup.py needs to set it in 黑体/楷体."""

from __future__ import annotations

import re

from ..chinese import HEADING_END, IDEOGRAPHIC_SPACE, NUMERAL, RUN_IN_LEVELS, chinese_number
from .rules import ARTICLE, BODY_ONLY, ERROR, WARNING, Finding, rule
from .text import ArticleText, Passage

SPACE = f" {IDEOGRAPHIC_SPACE}"
WRONG_SEPARATOR = re.compile(f"({NUMERAL})([.,，．:：;；]|[{SPACE}]+(?=[^{SPACE}、]))")
EXTRA_MARK = re.compile(f"([（(]{NUMERAL}[）)])([、，.,．:：])")
LONG_HEADING = 50


@rule("B221", ERROR, "标题序号不连续或重复，如“一、二、四、”", scope=ARTICLE)
def sequence(text: ArticleText):
    expected = {level.level: 1 for level in RUN_IN_LEVELS}
    for passage in text.body:
        heading = passage.run_in_heading()
        if heading is None:
            continue
        level, number_end, _ = heading
        value = level.value(passage.text[:number_end])
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


@rule("B222", WARNING, "二级标题“（一）”之前没有一级标题“一、”", scope=ARTICLE)
def orphan_subheading(text: ArticleText):
    for passage in text.body:
        heading = passage.run_in_heading()
        if heading is None:
            continue
        if heading[0].level == 1:
            return
        label = passage.text[:heading[1]]
        first, second = (level.label(1) for level in RUN_IN_LEVELS[:2])
        yield Finding(0, f"二级标题“{label}”之前没有一级标题“{first}”：层次应为 {first}→{second}",
                      passage=passage)
        return


@rule("B223", ERROR, "以标题序号开头的段落，标题句没有以“。”结束", scope=BODY_ONLY)
def heading_end(passage: Passage):
    heading = passage.run_in_heading()
    if heading is None or heading[2] >= 0:
        return
    level, number_end, _ = heading
    label = passage.text[:number_end]
    if HEADING_END not in passage.text:
        message = (f"以“{label}”开头的段落里没有句号“。”：标题句须以“。”结束，"
                   f"才能排成{level.face}")
    else:
        message = (f"以“{label}”开头的段落，标题句的“。”不在段落第一行，或前面有 Markdown 标记："
                   f"标题无法排成{level.face}")
    yield Finding(0, message)


@rule("B224", ERROR, "标题序号后的标点不对，如“一.”“一，”“（一）、”", scope=BODY_ONLY)
def number_separator(passage: Passage):
    text = passage.text
    match = WRONG_SEPARATOR.match(text)
    if match and chinese_number(match.group(1)) is not None:
        mark = match.group(2)
        shown = "空格" if not mark.strip(SPACE) else f"“{mark}”"
        yield Finding(match.start(2), f"标题序号“{match.group(1)}”后是{shown}，应为顿号“、”")
        return
    match = EXTRA_MARK.match(text)
    if match:
        yield Finding(match.start(2), f"“{match.group(1)}”之后不加“{match.group(2)}”")


@rule("B225", WARNING, "标题句过长（到第一个“。”超过 50 字），可能漏了句号", scope=BODY_ONLY)
def long_heading(passage: Passage):
    heading = passage.run_in_heading()
    if heading is None or heading[2] < 0:
        return
    length = heading[2] + 1
    if length > LONG_HEADING:
        yield Finding(0, f"标题句长达 {length} 字（到第一个“。”为止），整句都会排成{heading[0].face}；"
                      "是否漏了句号？")
