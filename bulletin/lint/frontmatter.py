"""The title and the credit from the front matter, and an article with no body."""

from __future__ import annotations

import re

from ..chinese import PAUSES
from ..titles import ARTICLE_TITLE_CELLS, breaker_for, width  # noqa: F401  (width: for rules)
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
    if any(passage.text.strip() for passage in text.body):
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
