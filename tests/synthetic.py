"""Generated issues: other text than issue 23, with what Chinese layout finds hard.

Digits and Latin mixed into Han text (`GDP增长5.2%`, `AI+政务`, `2025年1—5月`),
three-line titles, quotes that fall at line ends, `——` and `……`. Deterministic:
the same seed gives the same issue. Used by the layout tests and the benchmarks.
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = ["县人大常委会", "市人大代表", "代表联络站", "各级人大代表", "乡镇人大主席团",
            "常委会党组", "代表小组", "基层立法联系点", "专门委员会", "街道人大工委"]
ACTIONS = ["深入基层开展调研", "围绕中心工作建言献策", "持续跟踪督办代表建议",
           "组织开展专题视察", "积极推动民生实事落地", "认真听取群众意见",
           "建立健全工作机制", "扎实推进履职能力提升", "广泛收集社情民意",
           "着力解决群众急难愁盼问题"]
MIXED = ["GDP增长5.2%", "AI+政务", "2025年1—5月", "5G基站新增120个", "App下载量超过3万次",
         "投资3.5亿元", "覆盖98.6%的行政村", "第1季度", "PM2.5浓度下降8%", "12345热线"]
QUOTED = ["“一府一委两院”", "“代表之家”", "“小切口、大民生”", "“家门口的代表站”",
          "“我为群众办实事”", "“三联三促”", "“票决制”", "“回头看”"]
CONNECTORS = ["同时", "此外", "与此同时", "在此基础上", "下一步"]
HEADING_NUMBERS = "一二三四五六七八九十"

LONG_TITLES = [
    "关于进一步加强和改进新时代人大代表工作推动全过程人民民主在基层落地见效的实践与思考",
    "某某县人大常委会：聚焦“高效办成一件事” 推动2025年1—5月AI+政务服务提质增效的探索",
]
SHORT_TITLES = ["某某市：代表履职有新招 民生实事见实效", "某某区：“家门口的代表站”助力基层治理",
                "某某县：GDP增长5.2%背后的代表力量"]
CREDITS = ["某某市人大常委会代表工委", "某某县人大常委会办公室", "某某区人大常委会研究室"]


def _clause(rng: random.Random) -> str:
    kind = rng.random()
    subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
    if kind < 0.25:
        return f"{subject}{action}，{rng.choice(MIXED)}"
    if kind < 0.45:
        return f"{subject}以{rng.choice(QUOTED)}为抓手{action}"
    if kind < 0.55:
        return f"{subject}{action}——{rng.choice(ACTIONS)}"
    if kind < 0.62:
        return f"{subject}{action}、{rng.choice(ACTIONS)}……"
    return f"{rng.choice(CONNECTORS)}，{subject}{action}"


def _sentence(rng: random.Random) -> str:
    clauses = [_clause(rng) for _ in range(rng.randint(2, 4))]
    text = "，".join(clauses)
    if text.endswith("……"):
        return text
    if rng.random() < 0.15:
        return text + "，推动形成" + rng.choice(QUOTED) + "。"
    return text + "。"


def _paragraph(rng: random.Random, heading: str | None = None) -> str:
    body = "".join(_sentence(rng) for _ in range(rng.randint(3, 7)))
    if heading:
        return f"{heading}{rng.choice(ACTIONS)}，{rng.choice(ACTIONS)}。{body}"
    return body


def article_text(rng: random.Random, title: str, credit: str) -> str:
    paragraphs = [_paragraph(rng)]
    for number in HEADING_NUMBERS[: rng.randint(2, 4)]:
        paragraphs.append(_paragraph(rng, heading=f"{number}、"))
    paragraphs.append(_paragraph(rng))
    return f"---\ntitle: {title}\ncredit: {credit}\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def make_issue(root: Path, number: int, seed: int, articles: int = 3) -> Path:
    """Write issues/<number>/ into the project at `root`; return the folder."""
    rng = random.Random(seed)
    folder = root / "issues" / str(number)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    names = []
    for index in range(articles):
        title = (LONG_TITLES[(seed + index) % len(LONG_TITLES)] if index % 2 == 0
                 else SHORT_TITLES[(seed + index) % len(SHORT_TITLES)])
        name = f"article-{index + 1}.md"
        (folder / "articles" / name).write_text(
            article_text(rng, title, CREDITS[index % len(CREDITS)]), encoding="utf-8")
        names.append(name)
    listing = "\n".join(f"  - {name}" for name in names)
    (folder / "issue.yaml").write_text(
        f"number: {number}\ndate: 2025-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
        f"articles:\n{listing}\n", encoding="utf-8")
    return folder


def make_project(source: Path, target: Path) -> Path:
    """A project at `target` with the settings, templates and fonts of `source`, no issues.

    `conftest.copy_project`, the tests' one copy of the project, as bench/run.py and
    tests/render_corpus.py use it: no issues, and no font coverage cache (a benchmark
    measures a project as it is first checked).
    """
    from conftest import copy_project

    return copy_project(target, issues=False, lint_cache=False, source=source)
