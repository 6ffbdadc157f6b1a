"""The title, subtitle and credit from the front matter, and an article with no body."""

from __future__ import annotations

import re

from ..chinese import PAUSES
from ..titles import ARTICLE_TITLE_CELLS, breaker_for, width  # noqa: F401  (width: for rules)
from .printed import prints_nothing
from .rules import ARTICLE, ERROR, WARNING, Finding, rule
from .text import BODY, CREDIT, ArticleText, Passage

# 2号 (22 pt) in the 156 mm column: 20 full-width characters a line (bulletin.titles).
TITLE_LINE = ARTICLE_TITLE_CELLS
TITLE_MAX_LINES = 2
CREDIT_WRAPPERS = re.compile(r"供稿|[（）()【】\[\]]")
TITLE_END = PAUSES  # a title may end with ？ or ！, not with another 点号


@rule("B231", ERROR, "供稿单位只写单位名称，不写“供稿”或括号（模板会加“（…供稿）”）")
def credit_wording(passage: Passage):
    if passage.kind != CREDIT:
        return
    match = CREDIT_WRAPPERS.search(passage.text)
    if match:
        what = "“供稿”" if match.group() == "供稿" else "括号"
        yield Finding(match.start(), f"供稿单位只写单位名称：模板会自动排成“（{_unit(passage.text)}供稿）”，"
                      f"请删去{what}")


def _unit(credit: str) -> str:
    return CREDIT_WRAPPERS.sub("", credit) or "…"


@rule("B232", WARNING, "标题过长，2 号字两行排不下（每行 20 字）", scope=ARTICLE)
def title_length(text: ArticleText):
    if not text.title:
        return
    # The lines as the layout prints them: the same function, the same width.
    broken = breaker_for(text.root).analyse([passage.text for passage in text.title],
                                            TITLE_LINE)
    for run in broken.unbreakable:
        size = round(run.width * 2) / 2  # Latin letters as set, to the half character
        yield Finding(run.start, f"标题中“{run.text}”一段有 {size:g} 字，超过一行"
                      f"（2 号字每行 {TITLE_LINE} 字）又无处可断：请在适当处加空格，"
                      "或把标题写成分行的列表", passage=text.title[run.line])
    lines = len(broken.lines)
    if lines > TITLE_MAX_LINES:
        yield Finding(0, f"标题排 2 号字需 {lines} 行（每行 {TITLE_LINE} 字），超过两行：请压缩标题",
                      passage=text.title[0])


@rule("B233", ERROR, "稿件正文为空", scope=ARTICLE)
def empty_body(text: ArticleText):
    # A body of zero-width or control characters only prints nothing either.
    if any(not prints_nothing(passage.text) for passage in text.body):
        return
    fences = [number for number, line in enumerate(text.lines, 1) if line.strip() == "---"]
    line = fences[1] if len(fences) > 1 else 1
    yield Finding(0, "稿件正文为空：头信息之后没有任何段落",
                  passage=Passage("", BODY, [(0, line, 1)]))


@rule("B234", WARNING, "标题末尾不加句号、逗号等点号", scope=ARTICLE)
def title_end(text: ArticleText):
    if text.title and text.title[-1].text[-1:] in TITLE_END:
        last = text.title[-1]
        yield Finding(len(last.text) - 1, f"标题末尾不加“{last.text[-1]}”", passage=last)


@rule("B235", ERROR, "标题、副标题或供稿单位只有看不见的字符（如零宽空格 U+200B），印出来是空白",
      scope=ARTICLE)
def invisible_field(text: ArticleText):
    """A field YAML accepts (not empty once stripped of spaces) that prints nothing: only
    zero-width, control or format characters (lint/printed.py). An empty title line in
    the 要目 and on the page, or a credit that prints as `（供稿）`."""
    fields = [(passage, "标题" if len(text.title) == 1 else f"标题第 {number} 行")
              for number, passage in enumerate(text.title, 1)]
    fields += [(text.subtitle, "副标题"), (text.credit, "供稿单位")]
    for passage, name in fields:
        if passage is None or not passage.text or not prints_nothing(passage.text):
            continue
        shown = "、".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(passage.text))
        yield Finding(0, f"{name}只有看不见的字符（{shown}），印出来是空白：请写上{name}的文字",
                      passage=passage)
