"""`bulletin check --fix` users can trust, and `--diff`.

A corpus of fix cases, by class: each an article body and what `--fix` must leave of it
(`UNCHANGED`: nothing may change). The fix runs twice over the whole corpus, as the
command does it (check, then `apply_fixes`): the first run must give the expected text,
the second must change nothing (idempotent). The classes are what a fix must never
touch: sentences in Latin letters, code, web and e-mail addresses, times, numbers, and
the spaces that pad a two-character name; and fixes that make other fixes due (a
straight quote made `”` leaves a space between two Chinese marks), which the first run
must make as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.lint import apply_fixes, check_issue
from bulletin.lint.fix import fix_diff
from conftest import bulletin, copy_project
from test_lint_corpus import ARTICLES, make_project

UNCHANGED = None
FRONT = "---\ntitle: 测试稿件\ncredit: 测试单位\n---\n\n"

CASES: dict[str, list[tuple[str, str | None]]] = {
    # Fixes that make other fixes due: all made in the first run.
    "cascade": [
        ('他说"OK." 然后走了。', "他说“OK.”然后走了。"),
        ("会议 (扩大) 召开。", "会议（扩大）召开。"),
        ('他说:"我同意"然后离开。', "他说：“我同意”然后离开。"),
        ('会议指出 "要落实" ,确保实效...', "会议指出“要落实”，确保实效……"),
        ("推动２０２５年工作 -- 共建共享。", "推动2025年工作——共建共享。"),
        ('他问 "为什么?" 大家都笑了 (笑声) 。', "他问“为什么？”大家都笑了（笑声）。"),
    ],
    # Sentences in Latin letters keep their own punctuation.
    "latin": [
        ("会上，外宾说：This is a test. We agree.", UNCHANGED),
        ("外宾问：Are you OK? 我说很好。", UNCHANGED),
        ("The meeting was held in Zhengzhou (郑州).", UNCHANGED),
        ("“Thank you (all).”他说。", UNCHANGED),
        ('外宾说：He said "yes" to me. 大家鼓掌。', UNCHANGED),
        ("外宾说：Wait for me... 我们都笑了。", UNCHANGED),
        ("他补充道：It is well--known. 大家点头。", UNCHANGED),
        ("口号是：Yes, we can! 全场鼓掌。", UNCHANGED),
        ("He said “hello”, then left.", UNCHANGED),
        # A Latin term inside a Chinese sentence is not a sentence: its marks are Chinese.
        ("使用了 Microsoft Word,然后保存。", "使用了 Microsoft Word，然后保存。"),
        ('本次会议的主题是"Building a better future". 会议指出', "本次会议的主题是“Building a better future”。会议指出"),
    ],
    # Code spans and fenced code blocks are printed as written.
    "code": [
        ('运行 `print("你好")` 命令。', UNCHANGED),
        ("代码如下：``a, b = b, a``，很简单。", UNCHANGED),
        ('```\necho "你好"... 一  二\n```', UNCHANGED),
        ('```python\nprint("第一行")\n\nprint("第二行"):\n```', UNCHANGED),
        ("输入 `--help` 查看,或者 `a...b` 。", "输入 `--help` 查看，或者 `a...b` 。"),
    ],
    "url": [
        ("详见 https://www.npc.gov.cn/npc/c2/c30834/202506/t2025.html,请查阅。",
         "详见 https://www.npc.gov.cn/npc/c2/c30834/202506/t2025.html，请查阅。"),
        ("网址：http://example.com/搜索?q=人大代表--会议", UNCHANGED),
        ("见https://zh.wikipedia.org/wiki/河南(省)。", UNCHANGED),
        ("请访问 [人大网](http://www.npc.gov.cn/a(1).html) 了解。", UNCHANGED),
        ("见<https://example.com/a,b>。", UNCHANGED),
        ("登录www.henan.gov.cn/人大(代表)查询。", UNCHANGED),
    ],
    "email": [
        ("联系邮箱:zhang.san@henan.gov.cn,电话另告。", "联系邮箱：zhang.san@henan.gov.cn，电话另告。"),
        ("请发邮件至 <daibiao@rd.henan.gov.cn>,谢谢。", "请发邮件至 <daibiao@rd.henan.gov.cn>，谢谢。"),
        ("邮箱：li-ming_2025@rd.henan.gov.cn", UNCHANGED),
        ("发送至mailto:daibiao@henan.gov.cn。", UNCHANGED),
    ],
    "time": [
        ("会议于10:30开始,12:00结束。", "会议于10:30开始，12:00结束。"),
        ("时间：上午９:３０,地点另定。", "时间：上午9:30，地点另定。"),
        ("9:30-11:30 分组讨论。", UNCHANGED),
        ("会期为2025.6.9—6.12。", UNCHANGED),
    ],
    "number": [
        ("全年增长3.5%,总额1,000万元。", "全年增长3.5%，总额1,000万元。"),
        ("比例为1:1000,误差0.5。", "比例为1:1000，误差0.5。"),
        ("共计1,234,567人，占比12.5%。", UNCHANGED),
        ("版本v2.0.1已发布。", UNCHANGED),
        ("增长 -3.5 个百分点。", UNCHANGED),
        ("约３.５万人，共１,０００户。", "约3.5万人，共1,000户。"),
    ],
    # A two-character name padded to three (bylines, lists of names) keeps its spaces.
    "name": [
        ("（记者 张  伟 李\u3000强）", UNCHANGED),
        ("张  伟", UNCHANGED),
        ("审稿：王  芳\u3000\u3000编辑：刘  洋", UNCHANGED),
        ("| 姓名 | 职务 |\n| --- | --- |\n| 张  伟 | 主任 |", UNCHANGED),
        ("出席：王  芳、李  强、赵\u3000敏", UNCHANGED),
        # Stray spaces in running text are still removed.
        ("他  说：我们 要 加强 工作。", "他说：我们要加强工作。"),
    ],
    # A space on a full-width mark's inner side (B214) is removed; one that is cell
    # padding, a line's end, or next to code or an address is not.
    "mark-gap": [
        ("占比为 70% 。", "占比为 70%。"),
        ("他说：“ OK”，开展（ 1）号行动。", "他说：“OK”，开展（1）号行动。"),
        ("完成 A ——B 两项，截至 2025 ……", "完成 A——B 两项，截至 2025……"),
        ("大家都笑了 (笑声) 。", "大家都笑了（笑声）。"),
        ("| 项目 | 说明 |\n| --- | --- |\n| 合计 | — |", UNCHANGED),
        ("详见 https://www.npc.gov.cn/a ，或 `a...b` 。", UNCHANGED),
        ("工作已完成 \n。这个句号在下一行。", UNCHANGED),
    ],
}
ALL = [(f"{kind}-{n}", body, after) for kind, cases in CASES.items()
       for n, (body, after) in enumerate(cases, 1)]


def run_fix(root: Path) -> list:
    """What `bulletin check 1 --fix` does: check, then apply every fix."""
    return apply_fixes(root, check_issue(root, 1))


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").removeprefix(FRONT).removesuffix("\n")


@pytest.fixture(scope="module")
def fixed_twice(tmp_path_factory):
    articles = {f"{name}.md": (FRONT + body + "\n").encode() for name, body, _ in ALL}
    listing = "".join(f"  - {name}\n" for name in articles)
    root = make_project(tmp_path_factory.mktemp("trust") / "project",
                        f"number: 1\ndate: 2025-06-09\narticles:\n{listing}", articles)
    folder = root / "issues/1/articles"
    run_fix(root)
    first = {name: body_of(folder / f"{name}.md") for name, _, _ in ALL}
    second_applied = run_fix(root)
    second = {name: body_of(folder / f"{name}.md") for name, _, _ in ALL}
    return first, second, second_applied


def test_every_class_has_cases():
    assert all(len(cases) >= 4 for cases in CASES.values())
    assert len(ALL) >= 40


@pytest.mark.parametrize(("name", "body", "after"), ALL, ids=[case[0] for case in ALL])
def test_fix_case(fixed_twice, name, body, after):
    first, second, _ = fixed_twice
    assert first[name] == (body if after is UNCHANGED else after)
    assert second[name] == first[name], "a second --fix changed the text again"


def test_second_run_fixes_nothing(fixed_twice):
    assert fixed_twice[2] == []


def test_the_command_twice_on_the_issues_example(tmp_path):
    """The example of the issue, through the real command: the second run has nothing to do."""
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n",
                        {"a.md": (FRONT + '他说"OK." 然后走了。\n').encode()})
    path = root / "issues/1/articles/a.md"
    first = bulletin("check", "1", "--fix", cwd=root)
    assert first.stdout.count("已修正") == 3, first.stdout
    assert body_of(path) == "他说“OK.”然后走了。"
    second = bulletin("check", "1", "--fix", cwd=root)
    assert "已修正" not in second.stdout
    assert second.returncode == 0, second.stdout
    assert body_of(path) == "他说“OK.”然后走了。"


def test_the_lint_corpus_is_fixed_in_one_run(tmp_path):
    """Every slip of the lint corpus (tests/lint_corpus/): a second --fix finds nothing."""
    listing = "".join(f"  - {path.name}\n" for path in ARTICLES)
    root = make_project(tmp_path / "project", f"number: 1\ndate: 2025-06-09\narticles:\n{listing}",
                        {path.name: path.read_bytes() for path in ARTICLES})
    assert run_fix(root)
    folder = root / "issues/1/articles"
    once = {path.name: (folder / path.name).read_bytes() for path in ARTICLES}
    assert run_fix(root) == []
    assert {path.name: (folder / path.name).read_bytes() for path in ARTICLES} == once


# --- idempotency over generated text ------------------------------------------------------

PIECES = st.sampled_from(
    list("他说好的会议中国工作") + list("\"'(),.;:?!- ") + list("１２ＡＢ")
    + ["...", "--", "  ", "\u3000", "OK", "We agree", "Are you OK?", "10:30", "3.5", "1,000",
       "`a, b`", "http://a.cn/x", "a.b@c.cn", "张  伟", "“", "”", "（", "）", "。", "，", "……",
       "—", "\n"])


@pytest.fixture(scope="module")
def scratch(root):
    folder = copy_project(Path(tempfile.mkdtemp(prefix="bulletin-fix-")), issues=False)
    (folder / "issues/1/articles").mkdir(parents=True)
    (folder / "issues/1/issue.yaml").write_text(
        "number: 1\ndate: 2025-01-01\narticles: [a.md]\n", encoding="utf-8")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, min_size=1, max_size=16).map("".join))
def test_fix_is_idempotent_on_any_text(scratch, body):
    path = scratch / "issues/1/articles/a.md"
    path.write_text(FRONT + "正文" + body + "\n", encoding="utf-8")
    run_fix(scratch)
    once = path.read_bytes()
    assert run_fix(scratch) == []
    assert path.read_bytes() == once


# --- --diff ---------------------------------------------------------------------------------

def test_diff_shows_the_fix_and_writes_nothing(tmp_path):
    before = FRONT + '会议指出"要落实",确保实效...\n\n他说"OK." 然后走了。\n'
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n",
                        {"a.md": before.encode()})
    path = root / "issues/1/articles/a.md"
    stamp = path.stat().st_mtime_ns
    diff = fix_diff(root, check_issue(root, 1))
    assert path.read_text(encoding="utf-8") == before and path.stat().st_mtime_ns == stamp
    assert list(path.parent.iterdir()) == [path]  # no temporary file either
    assert diff == (
        "--- a/issues/1/articles/a.md\n"
        "+++ b/issues/1/articles/a.md\n"
        "@@ -3,6 +3,6 @@\n"
        " credit: 测试单位\n"
        " ---\n"
        " \n"
        '-会议指出"要落实",确保实效...\n'
        "+会议指出“要落实”，确保实效……\n"
        " \n"
        '-他说"OK." 然后走了。\n'
        "+他说“OK.”然后走了。\n")


def test_diff_applies_with_patch_to_what_fix_writes(tmp_path):
    """CRLF line ends, a BOM and no newline at the end: `patch -p1` of the diff gives
    exactly the bytes `--fix` writes."""
    before = ("\ufeff" + FRONT + '会议 (扩大) 召开。\n\n记者 张  伟\n\n推动２０２５年工作--共建。'
              ).replace("\n", "\r\n")
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n",
                        {"a.md": before.encode()})
    path = root / "issues/1/articles/a.md"
    diff = fix_diff(root, check_issue(root, 1))
    assert diff.startswith("--- a/issues/1/articles/a.md\n+++ b/issues/1/articles/a.md\n")
    assert "\\ No newline at end of file" in diff
    patched = tmp_path / "patched"
    (patched / "issues/1/articles").mkdir(parents=True)
    shutil.copy(path, patched / "issues/1/articles/a.md")
    if shutil.which("patch"):
        subprocess.run(["patch", "-p1", "--binary", "-s"], input=diff.encode(), cwd=patched,
                       check=True)
    run_fix(root)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    if shutil.which("patch"):
        assert (patched / "issues/1/articles/a.md").read_bytes() == path.read_bytes()
    assert fix_diff(root, check_issue(root, 1)) == ""


def test_diff_of_a_clean_issue_is_empty(tmp_path):
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n",
                        {"a.md": (FRONT + "正文。\n").encode()})
    assert fix_diff(root, check_issue(root, 1)) == ""


def test_fix_keeps_the_file_mode(tmp_path):
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n",
                        {"a.md": (FRONT + "正文,内容。\n").encode()})
    path = root / "issues/1/articles/a.md"
    os.chmod(path, 0o640)
    assert run_fix(root)
    assert body_of(path) == "正文，内容。"
    assert path.stat().st_mode & 0o777 == 0o640
