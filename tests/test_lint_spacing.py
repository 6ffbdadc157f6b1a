"""Spacing rules (bulletin/lint/spacing.py) beyond the corpus: what B213 counts and spans,
the line between B211 and B214, and `--fix` over B214 through the real command.

Passages are built directly where only one rule's findings are the point; whole issues
where the command is.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.lint import check_issue
from bulletin.lint.rules import covered
from bulletin.lint.spacing import space_between_chinese, space_inside_mark
from bulletin.lint.text import BODY, Passage
from conftest import bulletin, copy_project
from test_lint_corpus import make_project

FRONT = "---\ntitle: 测试稿件\ncredit: 测试单位\n---\n\n"
ISSUE_1 = "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n"


def passage(text: str) -> Passage:
    return Passage(text, BODY, [(0, 1, 1)])


def one_article(tmp_path, body: str):
    return make_project(tmp_path / "project", ISSUE_1, {"a.md": (FRONT + body + "\n").encode()})


def found(tmp_path, body: str, code: str) -> list:
    """The findings of `code` in an article of `body` (a project of its own each call)."""
    folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    return [d for d in check_issue(one_article(folder, body), 1) if d.code == code]


# --- B213 ----------------------------------------------------------------------------------

def test_b213_one_finding_per_number_spanning_it_with_its_spaces(tmp_path):
    body = "办案749件，办结42项，接待70余批次。解决烦心事 218 件。"
    (d,) = found(tmp_path, body, "B213")
    assert (d.line, d.col) == (6, body.index(" 218") + 1)
    assert (d.end_line, d.end_col) == (6, body.index(" 218") + 1 + len(" 218 "))
    # Counted by number, as the finding is: three numbers written tight, not six sides.
    assert "本文有 3 处不加空格（如“案749件”），此处加了空格" in d.message


def test_b213_tight_number_is_reported_where_it_meets_the_han_character(tmp_path):
    # `4月初` after `。`: one side only, at the character after the boundary (as before).
    body = "收集资料 1000 余册，意见 26 条。4月初，召开会议。"
    (d,) = found(tmp_path, body, "B213")
    assert d.col == body.index("月") + 1
    assert "本文有 2 处加空格（如“料 1000 余”），此处未加" in d.message


def test_b213_a_number_spaced_on_one_side_only(tmp_path):
    body = "走访选民760人次，收集建议35条，共有 12个村。"
    (d,) = found(tmp_path, body, "B213")
    assert d.col == body.index(" 12") + 1 and d.end_col - d.col == len(" 12")
    assert "本文有 2 处不加空格" in d.message and "此处数字一边加了空格、一边未加" in d.message


def test_b213_never_looks_inside_quotes_and_titles(tmp_path):
    quoted = "“97 村长小芳”张桂芳，《2025 年工作要点》，‘第 1 号’，「第 3 届」，〈第 2 章〉"
    assert found(tmp_path, "接待客商100余人次，" + quoted + "。", "B213") == []
    # Nor do they count: one spaced number against one tight, a tie, the space flagged once.
    (d,) = found(tmp_path, "接待客商100余人次，" + quoted + "，办结 42 项。", "B213")
    assert "本文有 1 处不加空格" in d.message


def test_b213_does_not_count_code_addresses_or_table_titles(tmp_path):
    body = ("办结42项，接待70余批次。运行 `共 3 条` 命令。\n\n"
            "表 1 各乡镇情况\n\n| 乡镇 | 人数 |\n| --- | --- |\n| 城关镇 | 12 |")
    assert found(tmp_path, body, "B213") == []
    assert found(tmp_path, "办结 42 项，接待 70 余批次，见 www.a.cn/共5条。", "B213") == []


# --- B214 ----------------------------------------------------------------------------------

def test_b214_finding_and_fix():
    (finding,) = space_inside_mark(passage("占比为 70% 。"))
    assert finding.offset == len("占比为 70%") and covered(finding) == 1
    assert (finding.fix.old, finding.fix.new) == (" ", "")
    assert finding.message == "“。”前有多余的空格，排出来是一段空白"
    (finding,) = space_inside_mark(passage("完成 A \u3000——B 两项"))
    assert finding.fix.old == " \u3000" and "“——”前" in finding.message
    (finding,) = space_inside_mark(passage("他说：“\u00a0OK”"))
    assert finding.message == "左双引号 “ 后有多余的空格，排出来是一段空白"


def test_b214_leaves_what_is_not_a_gap():
    for text in ("工作已完成 \n。下一行", "| 合计 | — |", "- ——开篇", "> ——引文", "1. ——开篇",
                 "或 `a...b` 。", "详见 https://www.npc.gov.cn/a ，请查阅", "发至 a@b.cn 。",
                 "（记者 张  伟 ）", "他说：“OK” ，", "（1） 加强", "A—— B"):
        assert list(space_inside_mark(passage(text))) == [], text


def test_b214_after_a_link_is_a_gap():
    text = "详见[人大网](http://www.npc.gov.cn/) 。"
    (finding,) = space_inside_mark(passage(text))
    assert finding.offset == text.index(" 。")


PIECES = st.sampled_from(list("中文好") + list("，。、；：？！）》」』】〕”’（《「『【〔“‘…—")
                         + list("a1%)(|`*-") + [" ", "  ", "\u3000", "\t", "\u00a0", "\n",
                                                "张  伟", "——", "……"])


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12).map("".join))
def test_b211_and_b214_never_both_flag_one_space(text):
    b211 = {finding.offset for finding in space_between_chinese(passage(text))}
    b214 = {finding.offset for finding in space_inside_mark(passage(text))}
    assert not b211 & b214


# --- --fix through the command -------------------------------------------------------------

def test_fix_of_b214_leaves_a_clean_second_check(tmp_path):
    body = "占比为 70% 。他说：“ OK”，开展（ 1）号行动，完成 A ——B 两项，大家都笑了 (笑声) 。"
    root = one_article(tmp_path, body)
    path = root / "issues/1/articles/a.md"
    first = bulletin("check", "1", "--fix", cwd=root)
    assert first.stdout.count("B214") >= 5, first.stdout
    assert path.read_text(encoding="utf-8") == (
        FRONT + "占比为 70%。他说：“OK”，开展（1）号行动，完成 A——B 两项，大家都笑了（笑声）。\n")
    second = bulletin("check", "1", cwd=root)
    assert second.returncode == 0, second.stdout
    assert "B214" not in second.stdout and "B211" not in second.stdout


# --- issue 23 ------------------------------------------------------------------------------

def test_issue_23_has_b213_only_where_it_is_inconsistent(tmp_path):
    """The real issue 23, its `lint: ignore` comments taken out: B213 at the two numbers
    written against their article's usage, once each; no B214."""
    project = copy_project(tmp_path / "project", issues=[23])
    articles = project / "issues/23/articles"
    for path in articles.glob("*.md"):
        kept = [line for line in path.read_text(encoding="utf-8").split("\n")
                if not line.startswith("[//]: # (lint:")]
        path.write_text("\n".join(kept), encoding="utf-8")
    diagnostics = check_issue(project, 23)
    got = []
    for d in diagnostics:
        if d.code == "B213":
            line = (project / d.path).read_text(encoding="utf-8").split("\n")[d.line - 1]
            got.append((d.path.rsplit("/", 1)[-1], line[d.col - 1:d.end_col - 1]))
    assert sorted(got) == [("hebi-shancheng.md", " 218 "),  # 烦心事 218 件, the rest tight
                           ("xixia.md", "月")]  # 4月初, the rest spaced (“资料 1000 余册”)
    assert not [d for d in diagnostics if d.code == "B214"]
