"""The word rules (bulletin/lint/words.py): `十` for `+` (B252), particles run together
(B253), words commonly confused (B254). Their data files are valid and every example in
them does what it says; jieba is never loaded for a text with no candidate, and a missing
jieba makes no false finding. Real jieba and real projects throughout."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bulletin.lint import RULES, apply_fixes, check_issue
from bulletin.lint.words import (CONFUSED_FILE, CONTEXTS, PARTICLES_FILE, confused_words,
                                 confusions, particle_runs, particles, plus_for_ten)
from bulletin.lint.text import BODY, Passage
from conftest import ROOT
from test_lint_corpus import make_project


def passage(text: str) -> Passage:
    return Passage(text, BODY, [(0, 1, 1)])


def b252(text: str) -> list[tuple[int, str]]:
    return [(f.offset, f.message) for f in plus_for_ten(passage(text))]


def b253(text: str) -> list[tuple[int, str]]:
    return [(f.offset, f.message) for f in particle_runs(passage(text))]


def b254(text: str) -> list:
    return list(confused_words(passage(text)))


# --- the registry ----------------------------------------------------------------------

def test_the_rules_are_registered_as_documented():
    assert {code: (RULES[code].severity.value, RULES[code].prose)
            for code in ("B252", "B253", "B254")} == {
        "B252": ("warning", True), "B253": ("warning", True), "B254": ("warning", True)}
    for code in ("B252", "B253", "B254"):
        assert re.search(r"[\u4e00-\u9fff]", RULES[code].summary)


# --- the data files ----------------------------------------------------------------------

def test_the_data_files_are_yaml_lists_and_ship_with_the_package():
    for path in (PARTICLES_FILE, CONFUSED_FILE):
        assert path.parent == ROOT / "bulletin" / "data"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list) and data
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data/*.yaml"' in pyproject


def test_the_data_is_read_once():
    assert particles() is particles()
    assert confusions() is confusions()


def test_every_particle_entry_is_well_formed():
    entries = particles()
    sequences = [entry.sequence for entry in entries]
    assert len(sequences) == len(set(sequences))
    for entry in entries:
        assert len(entry.sequence) >= 2
        assert entry.suggest != entry.sequence and entry.suggest in entry.sequence
        assert re.search(r"[\u4e00-\u9fff]", entry.reason)
        assert len(set(entry.exceptions)) == len(entry.exceptions), entry.sequence
        for word in entry.exceptions:
            assert entry.sequence in word and word != entry.sequence, (entry.sequence, word)


def test_every_particle_example_is_flagged_once_at_its_sequence():
    for entry in particles():
        found = b253(entry.example)
        assert [offset for offset, _ in found] == [entry.example.index(entry.sequence)], \
            entry.example
        assert f"“{entry.sequence}”" in found[0][1] and f"“{entry.suggest}”" in found[0][1]


def test_every_particle_exception_is_quiet():
    for entry in particles():
        for word in entry.exceptions:
            assert b253(word) == [], word
            assert b253(f"代表们说{word}。") == [], word


def test_every_confused_entry_is_well_formed():
    entries = confusions()
    wrong = [entry.wrong for entry in entries]
    assert len(wrong) == len(set(wrong))
    assert 40 <= len(entries) <= 80
    header = CONFUSED_FILE.read_text(encoding="utf-8").split("\n- ")[0]
    sources = set(re.findall(r"^#   (\S+) {2,}", header.split("# Sources")[1], re.M))
    raw = yaml.safe_load(CONFUSED_FILE.read_text(encoding="utf-8"))
    for entry, written in zip(entries, raw):
        assert entry.wrong not in entry.right and entry.right not in entry.wrong, entry.wrong
        assert entry.wrong in entry.example, entry.wrong
        assert re.search(r"[\u4e00-\u9fff]", entry.reason)
        for part in entry.source.split("；"):
            assert re.split(r"[（(]", part)[0] in sources, (entry.wrong, part)
        for sentence in entry.quiet:
            assert entry.wrong in sentence, (entry.wrong, sentence)
        # A fix only for a wrong form that no context has to make wrong.
        assert not (entry.fix and entry.contextual), entry.wrong
        assert isinstance(written.get("fix", False), bool)
        assert set(written) - {"wrong", "right", "reason", "example", "source", "fix",
                               "quiet"} <= set(CONTEXTS)


@pytest.mark.parametrize("entry", confusions(), ids=lambda entry: entry.wrong)
def test_every_confused_example_is_flagged_and_its_right_form_is_not(entry):
    found = b254(entry.example)
    assert [(f.offset, f.length) for f in found] == [
        (entry.example.index(entry.wrong), len(entry.wrong))], entry.example
    assert f"“{entry.wrong}”应为“{entry.right}”" in found[0].message
    assert (found[0].fix.old, found[0].fix.new) == (entry.wrong, entry.right) if entry.fix \
        else found[0].fix is None
    right = entry.example.replace(entry.wrong, entry.right)
    assert b254(right) == [], right
    for sentence in entry.quiet:
        assert b254(sentence) == [], sentence


# --- B252 --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, shown", [
    ("推行“党建十服务”模式。", "党建十服务"),
    ("推进“互联网十政务服务”。", "互联网十政务"),
    ("探索“代表十”履职新模式。", "代表十"),
    ("开展“义诊十走访”活动。", "义诊十走访"),
    ("印发《互联网十政务服务指南》。", "互联网十政务"),
    ("发展文化十旅游产业。", "文化十旅游"),
])
def test_ten_between_two_words_is_flagged(text, shown):
    assert b252(text) == [(text.index("十"), f"“{shown}”中的“十”疑为“+”，请核对原稿")]


NUMERALS = """五十名 十年 十件 第十次 “十四五” 十佳 十大工程 十项措施 十分重视 干劲十足 十字路口
党的十八大 党的二十大 三十余人 十余家 十多个 十几名 数十家 几十年 十全十美 十月 十一月 十万人次
一十人 连续十年 全县十乡镇 普法十进 执行十不准规定 全市十强县 省十部门联合发文 “十星级文明户”
进入全国前十 百分之十 每人十元 用了十天 覆盖十个乡镇 打造十示范村 培育十龙头企业 十拿九稳
十有八九 以一当十 八九不离十 一五一十 粮食十连增 十个明确 十届全国人大 十里八乡 十之八九
代表十年如一日 群众十分满意 “十八洞村” 湖北十堰市 王十朋 “逢十必访” 新时代十年""".split()


@pytest.mark.parametrize("text", NUMERALS)
def test_ten_as_a_numeral_or_in_a_word_is_quiet(text):
    assert b252(f"代表们说{text}的事。") == []


def test_ten_in_code_and_addresses_and_next_to_latin_is_quiet():
    assert b252("照录`党建十服务`、https://www.example.cn/党建十服务、AI十教育。") == []


# --- B253 --------------------------------------------------------------------------------

def test_particles_in_code_and_addresses_are_quiet():
    assert b253("照录`注入了的`和https://www.example.cn/了的。") == []


def test_a_run_is_reported_once():
    assert [offset for offset, _ in b253("代表的的的心愿")] == [2]


# --- B254 --------------------------------------------------------------------------------

def test_a_wrong_form_across_a_word_boundary_is_quiet():
    for text in ("在报刊上公布署名文章。", "那里地势险峻工程难度大。", "按装修标准组织验收。",
                 "按排查结果分类处置。", "发现问题立即要求整改，又快又好。"):
        assert b254(text) == [], text


def test_jieba_s_own_word_holding_the_wrong_form_counts():
    # jieba's dictionary has 沉缅于 and 主弦律: the wrong form inside them is still wrong.
    assert [f.fix.new for f in b254("不能沉缅于已有成绩，唱响主弦律。")] == ["沉湎", "旋律"]


def test_book_titles_are_names_and_stay_as_published():
    assert b254("学习《再接再励》一文。") == []
    assert [f.offset for f in b254("学习《再接再励》一文，要再接再励。")] == [12]


def test_findings_are_in_order_and_never_overlap():
    found = b254("他直接了当地指出：一如继往，再接再励。")
    assert [(f.offset, f.fix.old) for f in found] == [(1, "直接了当地"), (9, "一如继往"),
                                                      (14, "再接再励")]


# --- in a project: positions, --fix, and when jieba is loaded -----------------------------

ARTICLE = """---
title: 一如继往支持代表履职
credit: 测试单位
---

会议对下一步工作作出布署，截止6月底，
代表们积极反应群众诉求，探索“代表十”履职新模式，为品牌注入了的代表力量。
"""


@pytest.fixture(scope="module")
def words_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("words") / "project",
                        "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n",
                        {"a.md": ARTICLE.encode()})


def test_codes_lines_and_columns_in_a_project(words_project):
    found = [(d.code, d.line, d.col, d.end_col, d.severity.value, d.fix is not None)
             for d in check_issue(words_project, 1) if d.code in ("B252", "B253", "B254")]
    assert found == [
        ("B254", 2, 8, 12, "warning", False),  # in the title: no fix (YAML)
        ("B254", 6, 11, 13, "warning", True),  # 布署
        ("B254", 6, 14, 16, "warning", False),  # 截止 before a time
        ("B254", 7, 6, 8, "warning", False),  # 反应
        ("B252", 7, 18, 19, "warning", False),  # 代表十
        ("B253", 7, 31, 33, "warning", False),  # 了的
    ]


def test_fix_changes_only_what_cannot_change_meaning(tmp_path):
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n"
                        "  - a.md\n", {"a.md": ARTICLE.encode()})
    applied = apply_fixes(root, check_issue(root, 1))
    assert [d.code for d in applied] == ["B254"]
    text = (root / "issues/1/articles/a.md").read_text(encoding="utf-8")
    assert text == ARTICLE.replace("作出布署", "作出部署")
    assert not [d for d in check_issue(root, 1) if d.fix is not None]


PROBE = """
import json, sys
from pathlib import Path
from bulletin.lint import RULES
from bulletin.lint.rules import run_rule
from bulletin.lint.text import article_text
from bulletin.project import Project

{prelude}
root = Path(sys.argv[1])
reader = Project(root).load(1).reader
found = []
for article in reader.articles:
    shown = reader.rel(article.path)
    text = article_text(article, root, shown, reader.front_matter.get(article.path),
                        reader.lines(shown))
    for code in ("B252", "B253", "B254"):
        found += [code for _, finding in run_rule(RULES[code], text)]
print(json.dumps({{"found": found, "jieba": "jieba" in sys.modules}}))
"""


def probe(root: Path, prelude: str = "") -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE.format(prelude=prelude), str(root)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_article(folder: Path, body: str) -> Path:
    return make_project(folder, "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n",
                        {"a.md": f"---\ntitle: 测试稿件\ncredit: 测试单位\n---\n\n{body}\n".encode()})


def test_no_candidate_never_loads_jieba(tmp_path):
    # Strings the cheap tests dismiss: 十 in numbers, 截止 with no time after it, a wrong
    # form in code or an address, a particle run (B253 needs no segmenter).
    root = one_article(tmp_path / "project", "五十名代表十年来办好十件实事，报名截止日期为6月30日，"
                       "照录`布署`和https://www.example.cn/布署，品牌注入了的力量。")
    assert probe(root) == {"found": ["B253"], "jieba": False}


def test_a_candidate_loads_jieba_once_then_the_cache_spares_it(tmp_path):
    root = one_article(tmp_path / "project", "探索“代表十”履职新模式，会议对工作作出布署。")
    assert probe(root) == {"found": ["B252", "B254"], "jieba": True}
    assert (root / "build" / ".cache" / "title-words.json").is_file()
    assert probe(root) == {"found": ["B252", "B254"], "jieba": False}


def test_without_jieba_no_false_finding_and_no_failure(tmp_path):
    root = one_article(tmp_path / "project", "探索“代表十”履职新模式，会议对工作作出布署，"
                       "品牌注入了的力量。")
    assert probe(root, "sys.modules['jieba'] = None") == {"found": ["B253"], "jieba": True}
