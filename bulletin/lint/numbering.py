"""Run-in heading numbers: 一、二、三、 in order, （一） under a 一、, and a heading sentence
that ends with “。” on the paragraph's first line, as markup.py needs to set it in 黑体/楷体."""

from __future__ import annotations

import re

from .rules import ARTICLE, BODY_ONLY, ERROR, WARNING, Finding, rule
from .text import ArticleText, Passage

DIGITS = "一二三四五六七八九"
NUMERAL = f"[{DIGITS}十]{{1,3}}"
WRONG_SEPARATOR = re.compile(f"({NUMERAL})([.,，．:：;；]|[ \u3000]+(?=[^ \u3000、]))")
EXTRA_MARK = re.compile(f"([（(]{NUMERAL}[）)])([、，.,．:：])")
FACE = {1: "黑体", 2: "楷体"}
LONG_HEADING = 50


def chinese_number(text: str) -> int | None:
    """一 … 九十九; None for anything else."""
    if not text or any(ch not in DIGITS + "十" for ch in text):
        return None
    if "十" not in text:
        return DIGITS.index(text) + 1 if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if text.count("十") > 1 or len(tens) > 1 or len(ones) > 1:
        return None
    value = (DIGITS.index(tens) + 1 if tens else 1) * 10
    return value + (DIGITS.index(ones) + 1 if ones else 0)


def chinese_numeral(value: int) -> str:
    if value < 10:
        return DIGITS[value - 1]
    tens, ones = divmod(value, 10)
    return (DIGITS[tens - 1] if tens > 1 else "") + "十" + (DIGITS[ones - 1] if ones else "")


def _label(level: int, value: int) -> str:
    numeral = chinese_numeral(value)
    return f"{numeral}、" if level == 1 else f"（{numeral}）"


@rule("B221", ERROR, "标题序号不连续或重复，如“一、二、四、”", scope=ARTICLE)
def sequence(text: ArticleText):
    expected = {1: 1, 2: 1}
    for passage in text.body:
        heading = passage.run_in_heading()
        if heading is None:
            continue
        level, number_end, _ = heading
        value = chinese_number(passage.text[1 if level == 2 else 0:number_end - 1])
        if value is None:
            continue
        want = expected[level]
        if value != want:
            got, wanted = _label(level, value), _label(level, want)
            if want == 1:
                message = f"标题序号应从“{wanted}”开始，这里是“{got}”"
            elif value > want:
                message = f"标题序号不连续：“{_label(level, want - 1)}”之后是“{got}”，缺少“{wanted}”"
            else:
                message = f"标题序号重复或倒序：“{_label(level, want - 1)}”之后又是“{got}”"
            yield Finding(0, message, passage=passage)
        expected[level] = value + 1
        if level == 1:
            expected[2] = 1


@rule("B222", WARNING, "二级标题“（一）”之前没有一级标题“一、”", scope=ARTICLE)
def orphan_subheading(text: ArticleText):
    for passage in text.body:
        heading = passage.run_in_heading()
        if heading is None:
            continue
        if heading[0] == 1:
            return
        label = passage.text[:heading[1]]
        yield Finding(0, f"二级标题“{label}”之前没有一级标题“一、”：层次应为 一、→（一）",
                      passage=passage)
        return


@rule("B223", ERROR, "以标题序号开头的段落，标题句没有以“。”结束", scope=BODY_ONLY)
def heading_end(passage: Passage):
    heading = passage.run_in_heading()
    if heading is None or heading[2] >= 0:
        return
    level, number_end, _ = heading
    label = passage.text[:number_end]
    if "。" not in passage.text:
        message = (f"以“{label}”开头的段落里没有句号“。”：标题句须以“。”结束，"
                   f"才能排成{FACE[level]}")
    else:
        message = (f"以“{label}”开头的段落，标题句的“。”不在段落第一行，或前面有 Markdown 标记："
                   f"标题无法排成{FACE[level]}")
    yield Finding(0, message)


@rule("B224", ERROR, "标题序号后的标点不对，如“一.”“一，”“（一）、”", scope=BODY_ONLY)
def number_separator(passage: Passage):
    text = passage.text
    match = WRONG_SEPARATOR.match(text)
    if match and chinese_number(match.group(1)) is not None:
        mark = match.group(2)
        shown = "空格" if not mark.strip(" \u3000") else f"“{mark}”"
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
        level = heading[0]
        yield Finding(0, f"标题句长达 {length} 字（到第一个“。”为止），整句都会排成{FACE[level]}；"
                      "是否漏了句号？")
