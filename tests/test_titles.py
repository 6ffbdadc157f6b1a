"""bulletin.titles: titles measured and broken as an editor breaks them, for the layout,
the lint (B232) and the annual index alike. Real jieba throughout."""

from __future__ import annotations

import json
import math
import random
import re
import subprocess
import sys
from pathlib import Path

import jieba
import pdfplumber
import pytest

from bulletin.titles import ARTICLE_TITLE_CELLS, TitleBreaker, break_title, set_width, width
from conftest import ROOT, copy_project, renderer_for
from synthetic import ACTIONS, MIXED, QUOTED, SUBJECTS, make_issue

CELLS = ARTICLE_TITLE_CELLS
MM = 72 / 25.4
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…%·")
NO_LINE_END = set("（《「『【〔〈“‘")
HINTS = re.compile("[\u200b\u2060]")
SPACELESS = "开封市龙亭区稳步推进人大代表在行动主题活动"  # 21 characters, no space: 1 too many
LATIN_45 = "Pneumonoultramicroscopicsilicovolcanoconiosis"

PLACES = ["开封市龙亭区：", "鹤壁市山城区：", "西峡县：", "郑州市金水区：", "洛阳市人大常委会：",
          "南阳市：", "新乡县人大常委会："]
PHRASES = ["稳步推进", "人大代表", "在行动", "主题活动", "为民履职", "助力发展", "添彩中原",
           "深入基层", "代表直通车", "急难愁盼", "推动", "民生实事", "高质量发展", "提质增效",
           "全过程人民民主", "基层治理", "建言献策", "聚焦", "打造", "履职品牌", "工作机制",
           "创新实践", "探索", "助推", "持续深化", "联系群众", "服务大局", "凝聚合力",
           "乡村振兴", "营商环境", "社会治理", "法治建设", "监督实效"]


def plain(text: str) -> str:
    return re.sub(r"\s+", "", HINTS.sub("", text))


@pytest.fixture(scope="module")
def breaker() -> TitleBreaker:
    return TitleBreaker()  # in memory


def random_title(rng: random.Random, low: int = 21, high: int = 60, marks: bool = True,
                 spaces: bool = False) -> str:
    """A title of `low`..`high` characters from real phrases; with quotes, ：，——, digits
    and Latin words when `marks`."""
    while True:
        parts = [rng.choice(PLACES)] if rng.random() < 0.4 else []
        target = rng.randint(low, high)
        while sum(len(part) for part in parts) < target:
            draw = rng.random()
            if marks and draw < 0.10:
                parts.append(rng.choice(QUOTED))
            elif marks and draw < 0.20:
                parts.append(rng.choice(MIXED))
            elif marks and draw < 0.24 and parts and parts[-1][-1] not in "：，—":
                parts.append("——")
            elif marks and draw < 0.28 and parts and parts[-1][-1] not in "：，—":
                parts.append("，")
            elif marks and draw < 0.30:
                parts.append("《代表法》")
            elif draw < 0.55:
                parts.append(rng.choice(SUBJECTS + ACTIONS))
            else:
                parts.append(rng.choice(PHRASES))
            if spaces and rng.random() < 0.15:
                parts.append(" ")
        title = "".join(parts).strip(" ，—")
        if low <= len(title.replace(" ", "")) <= high:
            return title


def assert_well_broken(lines: list[str], title: str, cells: float) -> None:
    assert plain("".join(lines)) == plain(title), (title, lines)
    for line in lines:
        assert width(line) <= cells, (title, lines)
        assert line == line.strip(), (title, lines)  # the space at a break is not printed
    for before, after in zip(lines, lines[1:]):
        assert after[0] not in NO_LINE_START, (title, lines)
        assert before[-1] not in NO_LINE_END, (title, lines)
        for mark in "—…":
            assert not (before.endswith(mark) and after.startswith(mark)), (title, lines)


def breaks_of(lines: list[str]) -> list[int]:
    """Offsets into the joined text where each line after the first starts."""
    offsets, position = [], 0
    for line in lines[:-1]:
        position += len(line)
        offsets.append(position)
    return offsets


def exact_filler(rng: random.Random, length: int) -> str:
    """Real phrases making exactly `length` characters."""
    pool = [p for p in PHRASES + SUBJECTS if "：" not in p]
    for _ in range(10000):
        parts, total = [], 0
        while total < length:
            part = rng.choice(pool)
            parts.append(part)
            total += len(part)
        if total == length:
            return "".join(parts)
    raise AssertionError(f"no filler of {length}")


# --- width -----------------------------------------------------------------------------


def test_width_in_full_width_cells():
    assert width("开封市") == 3
    assert width("GDP") == 1.5
    assert width("5.2%") == 2
    assert width("“代表”——……") == 8
    assert width("\u200b\u2060") == 0
    assert width(" ") == 0.5
    assert width("\u3000，（") == 3
    assert width(SPACELESS) == 21


# --- breaking --------------------------------------------------------------------------


def test_a_spaceless_title_one_character_too_wide_breaks_between_words(breaker):
    lines = breaker.break_title([SPACELESS], CELLS)
    assert len(lines) == 2
    assert_well_broken(lines, SPACELESS, CELLS)
    # Between two words as the segmenter cuts them, and evenly: no stub.
    words = jieba.lcut(SPACELESS, HMM=False)
    boundaries = {sum(len(w) for w in words[:n]) for n in range(1, len(words))}
    assert set(breaks_of(lines)) <= boundaries, lines
    assert min(width(line) for line in lines) >= 8, lines


def test_a_title_that_fits_is_one_line(breaker):
    assert breaker.break_title(["某某市：代表履职有新招 民生实事见实效"], CELLS) == [
        "某某市：代表履职有新招 民生实事见实效"]


@pytest.mark.parametrize("word", ["推动", "基层", "直通车", "急难愁盼", "人大代表"])
def test_words_are_never_split(breaker, word):
    rng = random.Random(word)
    checked = 0
    for inside in range(1, len(word)):
        # Where a naive 20-character cut falls inside the word...
        for total in range(22, 44, 3):
            prefix = exact_filler(rng, CELLS - inside)
            rest = total - len(prefix) - len(word)
            title = prefix + word + (exact_filler(rng, rest) if rest > 1 else "")
            start = len(prefix)
            assert start < CELLS < start + len(word)
            lines = breaker.break_title([title], CELLS)
            assert_well_broken(lines, title, CELLS)
            assert not any(start < b < start + len(word) for b in breaks_of(lines)), lines
            checked += 1
        # ...and where an even split would.
        for total in range(24, 41, 4):
            start = total // 2 - inside
            title = exact_filler(rng, start) + word
            title += exact_filler(rng, total - len(title))
            lines = breaker.break_title([title], CELLS)
            assert_well_broken(lines, title, CELLS)
            assert not any(start < b < start + len(word) for b in breaks_of(lines)), lines
            checked += 1
    assert checked >= 12


def test_no_stub_last_line(breaker):
    rng = random.Random(2125)
    counts = []
    for _ in range(300):
        title = random_title(rng, 21, 60, marks=rng.random() < 0.5)
        lines = breaker.break_title([title], CELLS)
        assert_well_broken(lines, title, CELLS)
        assert len(lines) > 1
        assert all(width(line) > 3 for line in lines), lines
        counts.append(len(lines) - math.ceil(width(title) / CELLS))
    # The fewest lines: one more than the width demands only where no word break fits.
    assert max(counts) <= 1
    assert counts.count(0) >= 0.85 * len(counts), counts.count(0)


def test_an_author_space_is_where_it_breaks(breaker):
    assert breaker.break_title(["鹤壁市山城区：为民履职走在前 助力发展添彩中原"], CELLS) == [
        "鹤壁市山城区：为民履职走在前", "助力发展添彩中原"]
    # Preferred to a more even split between words.
    assert breaker.break_title(["开封市龙亭区 稳步推进人大代表在行动主题活动"], CELLS) == [
        "开封市龙亭区", "稳步推进人大代表在行动主题活动"]
    # A space that stays inside a line is kept as it is.
    assert breaker.break_title(["聚焦民生 代表履职 助力发展添彩中原高质量发展"], CELLS) == [
        "聚焦民生 代表履职", "助力发展添彩中原高质量发展"]
    # Of several spaces, those that balance the lines.
    assert breaker.break_title(["深入基层 倾听民意 汇聚民智 共谋发展 全力推动高质量发展"],
                               CELLS) == ["深入基层 倾听民意 汇聚民智", "共谋发展 全力推动高质量发展"]


def test_an_author_line_is_its_own_line(breaker):
    assert breaker.break_title(["开封市龙亭区：稳步推进人大代表", "在行动主题活动"], CELLS) == [
        "开封市龙亭区：稳步推进人大代表", "在行动主题活动"]
    assert breaker.break_title(["短", "标题"], CELLS) == ["短", "标题"]
    # Too wide still: broken within the item, never joined with the next.
    long_item = "着力解决群众急难愁盼问题推动代表直通车服务基层治理"
    lines = breaker.break_title(["西峡县：", long_item], CELLS)
    assert lines[0] == "西峡县："
    assert "".join(lines[1:]) == long_item and len(lines) == 3
    assert_well_broken(lines[1:], long_item, CELLS)


def test_kinsoku_at_every_break(breaker):
    rng = random.Random(9704)
    for cells in (20, 17, 13, 30):
        for _ in range(150):
            title = random_title(rng, 15, 60)
            assert_well_broken(breaker.break_title([title], cells), title, cells)


def test_marks_it_prefers_when_balance_allows(breaker):
    # After ：, rather than a more even split between words.
    assert breaker.break_title(["开封市龙亭区：稳步推进人大代表在行动主题活动"], CELLS) == [
        "开封市龙亭区：", "稳步推进人大代表在行动主题活动"]
    # Before ——.
    assert breaker.break_title(["持续跟踪督办代表建议——某某县人大常委会工作纪实"], CELLS) == [
        "持续跟踪督办代表建议", "——某某县人大常委会工作纪实"]
    # Not after a short place name: that would leave it alone on a line.
    lines = breaker.break_title(["某县：着力解决群众急难愁盼问题推动民生实事落地"], CELLS)
    assert lines[0] != "某县：" and all(width(line) > 6 for line in lines), lines


@pytest.mark.parametrize("token", ["2025年1—5月", "5.2%", "GDP", "PM2.5", "AI+", "COVID-19",
                                   "12345", "App", "3.5亿", "9:30"])
def test_numbers_and_latin_words_stay_whole(breaker, token):
    rng = random.Random(token)
    for inside in range(1, len(token)):
        for total in (23, 30, 37):
            prefix = exact_filler(rng, CELLS - inside)
            title = prefix + token + exact_filler(rng, max(2, total - len(prefix) - len(token)))
            lines = breaker.break_title([title], CELLS)
            assert_well_broken(lines, title, CELLS)
            assert any(token in line for line in lines), (token, lines)


def test_a_word_wider_than_a_line_is_cut_to_fit(breaker):
    assert len(LATIN_45) == 45
    for title in (LATIN_45, f"关于{LATIN_45}的科普"):
        broken = breaker.analyse([title], CELLS)
        assert_well_broken(broken.lines, title, CELLS)
        assert len(broken.lines) == 2
        [run] = broken.unbreakable
        assert run.text == LATIN_45 and run.width == set_width(LATIN_45) > width(LATIN_45)
    assert breaker.analyse([SPACELESS], CELLS).unbreakable == []


def test_no_line_is_ever_wider_than_the_column(breaker):
    rng = random.Random(156)
    tested = 0
    for cells in (20, 17, 30, 9):
        for _ in range(200):
            title = random_title(rng, 5, 80, spaces=rng.random() < 0.3)
            lines = breaker.break_title([title], cells)
            assert_well_broken(lines, title, cells)
            tested += 1
    assert tested == 800


def test_the_width_is_a_parameter(breaker):
    # The 要目 (about 30 cells) and the 总目录 (17) ask with their own widths.
    title = "某某县人大常委会：聚焦“高效办成一件事” 推动2025年1—5月AI+政务服务提质增效的探索"
    for cells in (30, 20, 17):
        lines = breaker.break_title([title], cells)
        assert_well_broken(lines, title, cells)
    assert len(breaker.break_title([title], 30)) < len(breaker.break_title([title], 17))
    assert break_title([SPACELESS], 30) == [SPACELESS]


# --- the cache -------------------------------------------------------------------------

PROBE = """
import json, sys
from bulletin.titles import TitleBreaker
breaker = TitleBreaker(sys.argv[1])
lines = breaker.break_title([sys.argv[2]], 20)
print(json.dumps({"lines": lines, "jieba": "jieba" in sys.modules}, ensure_ascii=False))
"""


def probe(cache: Path, title: str, *prelude: str) -> dict:
    result = subprocess.run([sys.executable, "-c", "\n".join(prelude) + PROBE, str(cache), title],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # jieba's progress lines are silenced
    return json.loads(result.stdout)


def test_the_cache_spares_a_second_process_the_segmenter(tmp_path):
    cache = tmp_path / "build" / ".cache"
    first = probe(cache, SPACELESS)
    assert first["jieba"] and len(first["lines"]) == 2
    assert (cache / "title-words.json").is_file()
    assert (cache / "jieba.cache").is_file()  # jieba's own cache, beside ours
    second = probe(cache, SPACELESS)
    assert second == {"lines": first["lines"], "jieba": False}
    # A title its spaces resolve never needs it.
    assert probe(cache, "鹤壁市山城区：为民履职走在前 助力发展添彩中原")["jieba"] is False
    # A corrupt cache is recomputed, and rewritten whole.
    (cache / "title-words.json").write_text('{"version": 1, "words": {"开封', encoding="utf-8")
    third = probe(cache, SPACELESS)
    assert third == {"lines": first["lines"], "jieba": True}
    assert SPACELESS in json.loads((cache / "title-words.json").read_text("utf-8"))["words"]
    assert not [p for p in cache.iterdir() if p.name.startswith(".title-words-")]


def test_a_missing_segmenter_is_not_a_content_problem(tmp_path):
    code = ("import sys\nsys.modules['jieba'] = None\n"
            "from bulletin.titles import TitleBreaker, SegmenterUnavailable\n"
            "breaker = TitleBreaker()\n"
            "print(breaker.break_title(['鹤壁市山城区：为民履职走在前 助力发展添彩中原'], 20))\n"
            f"breaker.break_title(['{SPACELESS}'], 20)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 1
    assert "助力发展添彩中原" in result.stdout  # spaces alone need no segmenter
    assert "SegmenterUnavailable: 无法加载分词组件 jieba" in result.stderr
    assert "不是稿件的问题" in result.stderr


# --- one function for the layout, the lint and the index -------------------------------

AGREEMENT_TITLES = [
    SPACELESS,
    "关于进一步加强和改进新时代人大代表工作推动全过程人民民主在基层落地见效的实践与思考",
    "鹤壁市山城区人大常委会深入开展 为人民履职为中原添彩人大代表在行动 主题活动助力发展添彩中原",
    ["开封市龙亭区：稳步推进人大代表", "在行动主题活动"],
    ["西峡县：", "着力解决群众急难愁盼问题推动代表直通车服务基层治理"],
    "某某县：GDP增长5.2%背后的代表力量",
    f"关于{LATIN_45}的科普",
    "着力解决群众急难愁盼问题某某市开通人大代表直通车服务基层治理推动民生实事落地见效",
]


@pytest.fixture(scope="module")
def agreement_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("titles") / "project", issues=False)
    folder = make_issue(project, 5, seed=5, articles=len(AGREEMENT_TITLES))
    for index, title in enumerate(AGREEMENT_TITLES, 1):
        path = folder / "articles" / f"article-{index}.md"
        value = json.dumps(title, ensure_ascii=False)  # YAML reads JSON
        path.write_text(re.sub(r"^title: .*$", lambda _: f"title: {value}",
                               path.read_text(encoding="utf-8"), count=1, flags=re.M),
                        encoding="utf-8")
    return project


def test_b232_and_the_layout_count_the_same_lines(agreement_project):
    from bulletin.layout import title_lines
    from bulletin.lint import check_issue
    from bulletin.pipeline import issue_html
    from bulletin.sources import load_issue

    issue = load_issue(agreement_project, 5)
    html = issue_html(issue, agreement_project)
    warned = {}
    for d in check_issue(agreement_project, 5):
        match = re.search(r"需 (\d+) 行", d.message)
        if d.code == "B232" and match:
            warned[Path(d.path).stem] = int(match.group(1))
    for article in issue.articles:
        lines = title_lines(article.title_lines)
        head = re.search(f'id="article-{article.slug}".*?</h2>', html, re.S).group()
        printed = re.findall(r'<span class="title-line">(.*?)</span>', head)
        assert [plain(line) for line in printed] == [plain(line) for line in lines]
        assert warned.get(article.slug) == (len(lines) if len(lines) > 2 else None), \
            (article.slug, lines)
    assert len(warned) >= 3


def test_b232_finds_nothing_unbreakable_where_words_break(agreement_project):
    from bulletin.lint import check_issue

    unbreakable = [d for d in check_issue(agreement_project, 5)
                   if d.code == "B232" and "无处可断" in d.message]
    assert [Path(d.path).stem for d in unbreakable] == ["article-7"]
    assert LATIN_45 in unbreakable[0].message


def test_a_warm_check_does_not_import_jieba(agreement_project):
    from bulletin.lint import check_issue

    check_issue(agreement_project, 5)  # warms the cache, if no test did
    code = ("import sys\nfrom pathlib import Path\nfrom bulletin.lint import check_issue\n"
            f"found = check_issue(Path({str(agreement_project)!r}), 5)\n"
            "print(sum(d.code == 'B232' for d in found), 'jieba' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    count, imported = result.stdout.split()
    assert int(count) >= 4 and imported == "False"


def test_the_annual_index_breaks_with_the_same_function():
    from bulletin.annual import TITLE_COLUMN_CELLS, index_title

    for title in (SPACELESS, "鹤壁市山城区：为民履职走在前 助力发展添彩中原"):
        assert index_title(title).split("\n") == break_title([title], TITLE_COLUMN_CELLS)


# --- end to end: the printed PDF --------------------------------------------------------


def test_printed_titles_stay_in_the_column_and_break_as_computed(root, tmp_path):
    from bulletin.pipeline import build_issue
    from layout_metrics import measure

    project = copy_project(tmp_path / "project", issues=False)
    folder = make_issue(project, 7, seed=3, articles=4)
    titles = {1: SPACELESS,
              2: "某某县：GDP增长5.2%背后的PM2.5治理与COVID-19防控App推广",
              3: "着力解决群众急难愁盼问题某某市开通人大代表直通车服务基层治理推动民生实事",
              # 19.5 cells by count, but GDP is set 2.2 em wide: it would not fit.
              4: "某某市GDP增长背后的人大代表履职故事思考"}
    for index, title in titles.items():
        path = folder / "articles" / f"article-{index}.md"
        path.write_text(re.sub(r"^title: .*$", f"title: {title}",
                               path.read_text(encoding="utf-8"), count=1, flags=re.M),
                        encoding="utf-8")
    pdf = build_issue(project, 7, project / "build" / "7.pdf", renderer=renderer_for(project))
    left, right = 28 * MM, 184 * MM
    with pdfplumber.open(pdf) as document:
        glyphs = [c for page in document.pages for c in page.chars if 20 < c["size"] < 30]
    assert len(glyphs) > 60
    outside = [(c["text"], round(c["x0"], 2), round(c["x1"], 2)) for c in glyphs
               if c["x0"] < left - 0.01 or c["x1"] > right + 0.01]
    assert outside == []
    printed = measure(pdf).titles
    from bulletin.sources import load_issue

    expected = [[plain(line) for line in break_title(article.title_lines, CELLS)]
                for article in load_issue(project, 7).articles]
    assert [[plain(line) for line in lines] for lines in printed] == expected
    assert width(titles[4]) <= CELLS
    assert [len(lines) for lines in expected] == [2, 2, 2, 2]
