"""B251, a name spelled two ways in one issue (bulletin/lint/names.py): the printed issue
23, the generated corpus, and the tests each part of the rule stands on. Real pypinyin
table, real jieba; the whole-issue cases are in lint_corpus/issues/b251-*."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.lint import check_issue, names
from bulletin.lint.rules import RULES, IssueTexts, run_issue_rule
from bulletin.lint.text import article_text
from bulletin.project import Project
from conftest import ROOT, copy_project
from corpus import CORPUS, make_corpus_issue
from synthetic import make_issue

CASES = ROOT / "tests" / "lint_corpus" / "issues"


def issue_texts(root: Path, number: int) -> IssueTexts:
    """What an issue rule looks at, as `check_loaded` builds it."""
    reader = Project(root).load(number).reader
    texts = []
    for article in reader.articles:
        shown = reader.rel(article.path)
        texts.append(article_text(article, root, shown, reader.front_matter.get(article.path),
                                  reader.lines(shown)))
    folder = reader.issue_folder(number)
    return IssueTexts(texts, root, folder, reader.rel(folder / "issue.yaml"),
                      list(reader.listed))


def b251(root: Path, number: int) -> list[tuple[str, str]]:
    """(the spelling reported, the message) of each B251 finding of an issue."""
    found = []
    for located in run_issue_rule(RULES["B251"], issue_texts(root, number)):
        finding = located.finding
        found.append((finding.passage.text[finding.offset:finding.offset + finding.length],
                      finding.message))
    return found


def test_the_rule_is_registered_for_the_whole_issue():
    entry = RULES["B251"]
    assert entry.scope == "issue" and entry.severity.name == "WARNING"


# --- the printed issue and the generated ones -------------------------------------------


def test_issue_23_has_the_company_spelled_two_ways(tmp_path):
    """鑫镕铸业 and 鑫榕铸业 are written once each in hebi-shancheng.md: the later one
    is reported, spanning the name; nothing else in the issue is. (Before the issue's
    `lint: ignore` markers, which may keep the printed text as printed.)"""
    root = copy_project(tmp_path / "project", issues=[23])
    found = list(run_issue_rule(RULES["B251"], issue_texts(root, 23)))
    assert len(found) == 1
    (located,) = found
    finding = located.finding
    assert located.text.path == "issues/23/articles/hebi-shancheng.md"
    assert finding.length == 4
    line, col = finding.passage.position(finding.offset)
    source = (root / located.text.path).read_text(encoding="utf-8").split("\n")[line - 1]
    assert source[col - 1:col + 3] == "鑫榕铸业"
    assert source.index("鑫镕铸业") < col - 1
    assert finding.message == (f"“鑫榕铸业”与本期其他处的“鑫镕铸业”（hebi-shancheng.md 第 {line} 行）"
                               "只差一字，是否写错？")


def test_the_diagnostic_spans_the_name(tmp_path):
    root = copy_project(tmp_path / "project", issues=False)
    shutil.copytree(CASES / "b251-tie", root / "issues" / "1")
    (diagnostic,) = [d for d in check_issue(root, 1) if d.code == "B251"]
    assert (diagnostic.path, diagnostic.line, diagnostic.col) == ("issues/1/articles/b.md", 7, 17)
    assert (diagnostic.end_line, diagnostic.end_col) == (7, 21)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[int]]:
    """30 issues of the corpus generator (every kind it has) and 10 of synthetic.py."""
    root = copy_project(tmp_path_factory.mktemp("names") / "project", issues=False)
    numbers = []
    for entry in CORPUS[:30]:
        make_corpus_issue(root, entry.number, entry.seed, entry.kind, **entry.overrides)
        numbers.append(entry.number)
    for index in range(10):
        make_issue(root, 500 + index, 77 + index, articles=6)
        numbers.append(500 + index)
    return root, numbers


def test_generated_issues_have_no_name_spelled_two_ways(generated):
    """Generated text is written as offices write: many places, persons and companies,
    none misspelt. The rule must stay quiet on all of it."""
    root, numbers = generated
    assert {number: b251(root, number) for number in numbers} == dict.fromkeys(numbers, [])


CHEAP = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_lint_names import b251
from bulletin.lint import names
print(b251(Path({root!r}), {number}))
print("jieba" in sys.modules, names._readings.cache_info().currsize)
"""


def _cheaply(root: Path, number: int) -> list[str]:
    script = CHEAP.format(tests=str(ROOT / "tests"), root=str(root), number=number)
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return ran.stdout.split("\n")


def test_an_issue_with_no_pair_that_sounds_alike_never_loads_jieba(generated):
    root, numbers = generated
    found, loaded = _cheaply(root, numbers[0])[:2]
    assert found == "[]"
    assert loaded.split()[0] == "False"  # pypinyin's table, read or not: 20 ms


def test_an_issue_with_no_candidate_reads_no_pinyin_either(tmp_path):
    root = tmp_path / "project"
    copy_project(root, issues=False)
    shutil.copytree(CASES / "clean-issue", root / "issues" / "1")
    assert _cheaply(root, 1)[:2] == ["[]", "False 0"]


# --- the parts ---------------------------------------------------------------------------


@pytest.mark.parametrize("one, other, alike", [
    ("镕", "榕", True), ("镕", "熔", True), ("亭", "庭", True), ("山", "三", True),
    ("重", "中", True),  # zhòng, read zhōng as well
    ("南", "洛", False), ("东", "西", False), ("县", "市", False),
    ("叶", "接", False),  # meet only in a rare reading (xié)
    ("信", "沈", False),
])
def test_sound_alike(one, other, alike):
    assert names.sound_alike(one, other) is alike


def test_the_lists_load():
    words = names.lists()
    assert "区" in words.suffixes["区"]
    assert words.suffixes["有"] == ("有限责任公司", "有限公司")  # the longest first
    assert {"西华县", "西华", "龙亭区", "龙亭"} <= words.known
    assert "西华" not in words.listed
    assert {"余", "于", "王", "汪"} <= words.surnames
    assert all(words.in_class(char) for char in "东三第县村")


def _judged(text: str, one: str, other: str, tmp_path: Path):
    """judge() on the pair (one, other) of an issue made of `text`."""
    root = copy_project(tmp_path / "project", issues=False)
    folder = root / "issues" / "1" / "articles"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(f"---\ntitle: 某县：代表履职见成效\ncredit: 某县人大常委会\n---\n\n"
                                 f"{text}\n", encoding="utf-8")
    (root / "issues" / "1" / "issue.yaml").write_text(
        "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n", encoding="utf-8")
    runs = names.prose_runs(issue_texts(root, 1))
    spellings = names.Spellings(runs)
    at = next(index for index, (a, b) in enumerate(zip(one, other)) if a != b)
    return names.judge(names.Pair(one, other, at, "suffix"), spellings, names.lists())


@pytest.mark.parametrize("text, one, other", [
    ("东城区代表和西城区代表开展联组活动。", "东城区", "西城区"),  # directions
    ("第一社区代表和第二社区代表开展联组活动。", "第一社区", "第二社区"),  # numerals
    ("县人大代表和市人大代表开展联组活动。", "县人大", "市人大"),  # levels
    ("县人大代表余建国说，于建国也这样说。", "余建国", "于建国"),  # two people
    ("代表赴西华县考察，又赴西平县考察。", "西华县", "西平县"),  # two known counties
    ("代表走访鑫熔铸业、鑫榕铸业等企业。", "鑫熔铸业", "鑫榕铸业"),  # one enumeration
])
def test_two_real_names(text, one, other, tmp_path):
    assert _judged(text, one, other, tmp_path) is None


def test_the_known_name_is_right_however_rarely_written(tmp_path):
    verdict = _judged("代表赴西峡县考察。西霞县代表也来了。西霞县代表说好。", "西峡县", "西霞县",
                      tmp_path)
    assert (verdict.wrong, verdict.right, verdict.known) == ("西霞县", "西峡县", "西峡县")


def test_the_rarer_then_the_later_is_wrong(tmp_path):
    verdict = _judged("天鹤模具扩产。天鹤模具投产。天贺模具开工。", "天鹤模具", "天贺模具", tmp_path)
    assert (verdict.wrong, verdict.known) == ("天贺模具", "")
    verdict = _judged("天贺模具开工。天鹤模具投产。", "天贺模具", "天鹤模具", tmp_path / "tie")
    assert verdict.wrong == "天鹤模具"


@pytest.mark.parametrize("spelling, at, suffix, common", [
    ("依法行使权力", 5, 0, True),  # 权力, inside the dictionary's 行使权力
    ("代表主体活动", 3, 0, True),
    ("鑫熔铸业", 1, 2, False),  # 熔铸 runs into the suffix: not counted
    ("龙庭区", 1, 1, False),  # a word, but a rare one
    ("三城区", 0, 1, False),
    ("张桂方", 2, 0, False),
])
def test_common_word(spelling, at, suffix, common):
    assert names.common_word(spelling, at, ROOT, suffix) is common


def test_a_run_is_cut_to_the_name_in_it():
    cut = names.trimmed(names.Pair("代表张桂方", "代表张桂芳", 4, "run"), ROOT)
    assert (cut.one, cut.other, cut.at) == ("张桂方", "张桂芳", 2)
    kept = names.Pair("鑫榕铸业", "鑫镕铸业", 1, "run")
    assert names.trimmed(kept, ROOT) == kept


def test_a_name_is_taken_back_while_its_company_never_changes(tmp_path):
    """人大常委/人大工委, never 大常委/大工委: every 大 of them is after 人."""
    root = copy_project(tmp_path / "project", issues=False)
    folder = root / "issues" / "1" / "articles"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(
        "---\ntitle: 某县：代表履职见成效\ncredit: 某县人大常委会\n---\n\n"
        "县人大常委会召开会议。省人大工委负责同志到会。市人大常委会领导讲话。\n", encoding="utf-8")
    (root / "issues" / "1" / "issue.yaml").write_text(
        "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n", encoding="utf-8")
    runs = names.prose_runs(issue_texts(root, 1))
    pairs = {(pair.one, pair.other) for pair in
             names.suffix_pairs(runs, names.Spellings(runs), names.lists())}
    assert ("人大工委", "人大常委") in pairs or ("人大常委", "人大工委") in pairs
    assert not any("大工委" in pair and "人大工委" not in pair for pair in pairs)


def test_jiebas_decisions_are_kept_so_an_unchanged_issue_never_loads_it_again(tmp_path):
    """Issue 23 has a pair that sounds alike (鑫镕/鑫榕): the first check asks jieba, and
    keeps its answers in build/.cache/name-words.json; the next check of the same text
    finds the same and loads no jieba."""
    root = copy_project(tmp_path / "project", issues=[23])
    first = _cheaply(root, 23)
    assert first[1].split()[0] == "True"
    assert (root / "build" / ".cache" / "name-words.json").is_file()
    second = _cheaply(root, 23)
    assert second[0] == first[0] and "鑫榕铸业" in second[0]
    assert second[1].split()[0] == "False"


def test_an_unchanged_issue_reads_pinyin_once(tmp_path):
    """Issue 23 has pairs that need pypinyin's table (鑫镕/鑫榕 among them): the first check
    reads it, the next ones take the answers kept in build/.cache/ and find the same."""
    root = copy_project(tmp_path / "project", issues=[23])
    shutil.rmtree(root / "build" / ".cache", ignore_errors=True)
    first = _cheaply(root, 23)[:2]
    assert first[1] == "True 1"  # nothing kept yet: jieba and the table both read
    second = _cheaply(root, 23)[:2]
    assert second == [first[0], "False 0"]
    assert "鑫榕铸业" in first[0]
