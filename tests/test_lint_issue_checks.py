"""The issue rules B261–B263 through the real command: the example `bulletin new` writes,
still listed (B261); a credit written into the body too, and `--fix` taking it out (B262);
files in `articles/` that issue.yaml leaves out, in folders of every kind (B263).

The cases one issue each are in lint_corpus/issues/b26*/ (test_lint_issues.py); here
is what needs the command, files made at run time (names no checkout may keep), or time.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from pathlib import Path

from bulletin.lint import check_issue
from bulletin.lint.issue import MAX_NAMED, MAX_SCANNED, example_left
from bulletin.scaffold import EXAMPLE_ARTICLE, EXAMPLE_PLACEHOLDER, EXAMPLE_TEXT
from conftest import Ran, bulletin, copy_project
from test_lint_corpus import make_project

FRONT = "---\ntitle: 某县：代表联络站建设见实效\ncredit: 某县人大常委会\n---\n\n"
FIRST = "今年以来，某县人大常委会聚焦代表联络站建设，推动各项工作落地见效。"
ISSUE = "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n"


def run(root: Path, *args) -> Ran:
    return bulletin(*args, cwd=root)


def codes(root: Path, number: int = 1) -> list[tuple[str, str, int, int]]:
    return sorted((d.code, d.path, d.line, d.col) for d in check_issue(root, number))


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


# --- B261 ---------------------------------------------------------------------------------


def test_the_placeholder_is_the_examples():
    """What B261 knows the example by is what `bulletin new` writes."""
    title = next(line for line in EXAMPLE_TEXT.split("\n") if line.startswith("title:"))
    assert EXAMPLE_PLACEHOLDER in title


def test_new_then_check_reports_the_example_where_it_is_listed(tmp_path):
    root = copy_project(tmp_path / "project", issues=[23])
    assert run(root, "new", "24").returncode == 0
    folder = root / "issues/24"
    assert (folder / "articles" / EXAMPLE_ARTICLE).read_text(encoding="utf-8") == EXAMPLE_TEXT

    result = run(root, "check", "24")
    assert result.returncode == 1, result.stdout + result.stderr
    line = line_of(folder / "issue.yaml", f"  - {EXAMPLE_ARTICLE}")
    assert (f"issues/24/issue.yaml:{line}:5: B261 [错误] articles 中仍列有 bulletin new 生成的"
            f"示例稿件 {EXAMPLE_ARTICLE}，会作为第一篇印出：请删去这一项，或换成正式稿件") in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert [d.code for d in check_issue(root, 24)] == ["B261"]

    # Replaced in the list by a real article: the example left in the folder is named.
    (folder / "articles/a.md").write_text(FRONT + FIRST + "\n", encoding="utf-8")
    issue_yaml = folder / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8")
                          .replace(f"- {EXAMPLE_ARTICLE}", "- a.md"), encoding="utf-8")
    result = run(root, "check", "24")
    assert result.returncode == 0, result.stdout
    assert (f"issues/24/articles/{EXAMPLE_ARTICLE}: B263 [警告] {EXAMPLE_ARTICLE} 是 bulletin new "
            "生成的示例稿件") in result.stdout


def test_the_example_under_another_name_and_a_real_shili(tmp_path):
    root = make_project(tmp_path / "project",
                        "number: 1\ndate: 2025-06-09\narticles:\n  - shili.md\n  - kaifeng.md\n",
                        {"shili.md": (FRONT + FIRST + "\n").encode(),
                         "kaifeng.md": EXAMPLE_TEXT.replace("\n", "\r\n").encode("utf-8-sig")})
    found = check_issue(root, 1)
    assert [(d.code, d.path, d.line, d.col) for d in found] == \
        [("B261", "issues/1/issue.yaml", 5, 5)]
    assert "kaifeng.md，会作为第二篇印出" in found[0].message


def test_an_article_written_over_the_example_is_no_longer_it(tmp_path):
    """Started from the example, its comments kept, title, credit and body replaced."""
    head, _, _ = EXAMPLE_TEXT.partition("\ntitle:")
    text = head + "\ntitle: 某县：代表联络站建设见实效\ncredit: 某县人大常委会\n---\n\n" + FIRST + "\n"
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n"
                        f"  - {EXAMPLE_ARTICLE}\n", {EXAMPLE_ARTICLE: text.encode()})
    assert codes(root) == []


def test_the_example_is_recognised_by_what_is_left_of_it(tmp_path):
    root = make_project(tmp_path / "project", ISSUE, {"a.md": EXAMPLE_TEXT.encode()})
    from bulletin.project import Project

    loaded = Project(root).load(1)
    assert loaded.reader.articles
    from bulletin.lint.text import article_text

    article = loaded.reader.articles[0]
    text = article_text(article, root, "issues/1/articles/a.md",
                        loaded.reader.front_matter.get(article.path))
    assert example_left(text) == "file"


# --- B262 ---------------------------------------------------------------------------------


def test_fix_takes_the_credit_line_out_and_a_second_check_is_clean(tmp_path):
    body = f"{FIRST}\n\n（某县人大常委会供稿）\n"
    root = make_project(tmp_path / "project", ISSUE, {"a.md": (FRONT + body).encode()})
    path = root / "issues/1/articles/a.md"
    first = run(root, "check", "1")
    assert first.returncode == 1
    assert "issues/1/articles/a.md:8:1: B262 [错误] 正文写了“（某县人大常委会供稿）”，与头信息 credit 相同" \
        in first.stdout
    assert "（可用 --fix 自动修正）" in first.stdout

    fixed = run(root, "check", "1", "--fix")
    assert "已修正 issues/1/articles/a.md:8:1: B262" in fixed.stdout, fixed.stdout
    assert fixed.returncode == 0, fixed.stdout
    assert path.read_text(encoding="utf-8") == FRONT + FIRST + "\n\n\n"
    second = run(root, "check", "1")
    assert second.returncode == 0 and "第 1 期检查通过" in second.stdout, second.stdout
    assert "B262" not in second.stdout and "已修正" not in run(root, "check", "1", "--fix").stdout


def test_fix_keeps_line_ends_and_clears_an_indented_credit_in_one_run(tmp_path):
    body = f"{FIRST}\r\n\r\n\u3000\u3000【某县人大常委会供稿】。\r\n"
    root = make_project(tmp_path / "project", ISSUE,
                        {"a.md": (FRONT.replace("\n", "\r\n") + body).encode()})
    fixed = run(root, "check", "1", "--fix")
    assert fixed.returncode == 0, fixed.stdout
    data = (root / "issues/1/articles/a.md").read_bytes()
    assert data == (FRONT.replace("\n", "\r\n") + FIRST + "\r\n\r\n\r\n").encode()


def test_no_fix_for_another_unit_or_a_credit_after_a_sentence(tmp_path):
    bodies = {"a.md": f"{FIRST}\n\n（某市人大常委会代表工委供稿）\n",
              "b.md": f"{FIRST}（某县人大常委会供稿）\n",
              "c.md": f"{FIRST}\n\n（某县人大\n常委会供稿）\n"}
    listing = "".join(f"  - {name}\n" for name in bodies)
    root = make_project(tmp_path / "project", f"number: 1\ndate: 2025-06-09\narticles:\n{listing}",
                        {name: (FRONT + body).encode() for name, body in bodies.items()})
    found = {d.path.rsplit("/", 1)[1]: d for d in check_issue(root, 1) if d.code == "B262"}
    assert set(found) == {"a.md", "b.md", "c.md"}  # c.md: over two lines, no one-line fix
    assert all(d.fix is None for d in found.values())
    assert "与头信息 credit“某县人大常委会”不同" in found["a.md"].message
    assert (found["a.md"].line, found["a.md"].col, found["a.md"].end_col) == (8, 1, 16)
    assert "与头信息 credit 相同" in found["b.md"].message
    assert (found["b.md"].line, found["b.md"].col, found["b.md"].end_col) == (6, 34, 45)
    before = {name: (root / "issues/1/articles" / name).read_bytes() for name in bodies}
    run(root, "check", "1", "--fix")
    assert {name: (root / "issues/1/articles" / name).read_bytes() for name in bodies} == before


def test_a_credit_in_code_is_not_a_credit(tmp_path):
    body = f"{FIRST}\n\n```\n（某县人大常委会供稿）\n```\n\n`（某县人大常委会供稿）`\n"
    root = make_project(tmp_path / "project", ISSUE, {"a.md": (FRONT + body).encode()})
    assert "B262" not in [code for code, *_ in codes(root)]


# --- B263 ---------------------------------------------------------------------------------

BACKUPS = (".~lock.a.md#", "~$a.md", "a.md~", ".#a.md", ".a.md.swp", "#a.md#", ".hidden.md",
           "a.md.orig", "notes.txt", "._a.md")


def test_only_unlisted_articles_are_reported(tmp_path):
    root = make_project(tmp_path / "project", ISSUE, {"a.md": (FRONT + FIRST + "\n").encode()})
    articles = root / "issues/1/articles"
    for name in BACKUPS:
        (articles / name).write_text("备份\n", encoding="utf-8")
    (articles / "old").mkdir()
    (articles / "old" / "b.md").write_text(FRONT + FIRST + "\n", encoding="utf-8")
    (articles / "folder.md").mkdir()  # a folder named like an article
    os.mkfifo(articles / "pipe.md")  # never opened, never waited on
    (articles / "gone.md").symlink_to(articles / "nowhere.md")
    (articles / "extra.md").write_text(FRONT + FIRST + "\n", encoding="utf-8")
    assert codes(root) == [("B263", "issues/1/articles/extra.md", 0, 0)]

    result = run(root, "check", "1")
    assert result.returncode == 0, result.stdout  # a warning
    assert ("issues/1/articles/extra.md: B263 [警告] 稿件 extra.md 未在 issue.yaml 的 articles 中列出，"
            "不会印出") in result.stdout
    strict = run(root, "check", "1", "--strict")
    assert strict.returncode == 1


def test_a_name_differing_by_normalisation_is_s104s(tmp_path):
    """issue.yaml in NFC, the file in NFD (as macOS writes names): S104 on a system that
    tells them apart, nothing on one that does not, never B263."""
    nfc = unicodedata.normalize("NFC", "café.md")
    nfd = unicodedata.normalize("NFD", nfc)
    root = make_project(tmp_path / "project",
                        f"number: 1\ndate: 2025-06-09\narticles:\n  - {nfc}\n",
                        {nfd: (FRONT + FIRST + "\n").encode()})
    assert [code for code, *_ in codes(root)] in (["S104"], [])


def test_a_name_the_system_gives_as_bytes(tmp_path):
    root = make_project(tmp_path / "project", ISSUE, {"a.md": (FRONT + FIRST + "\n").encode()})
    articles = os.fsencode(root / "issues/1/articles")
    with open(articles + b"/\xff\xfe.md", "wb") as handle:
        handle.write((FRONT + FIRST + "\n").encode())
    result = run(root, "check", "1")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert "B263 [警告] 稿件 \ufffd\ufffd.md 未在" in result.stdout


def test_a_huge_folder_is_looked_at_in_part(tmp_path):
    root = make_project(tmp_path / "project", ISSUE, {"a.md": (FRONT + FIRST + "\n").encode()})
    articles = root / "issues/1/articles"
    for index in range(100_000):
        os.close(os.open(articles / f"n{index:06d}.md", os.O_CREAT | os.O_WRONLY, 0o644))
    started = time.monotonic()
    found = [d for d in check_issue(root, 1) if d.code == "B263"]
    assert time.monotonic() - started < 20
    assert len(found) == MAX_NAMED + 1
    summary = found[0] if found[0].path == "issues/1/articles" else found[-1]
    assert summary.path == "issues/1/articles" and (summary.line, summary.col) == (0, 0)
    assert re.search(r"另有至少 99[0-9]{2} 个 \.md 文件", summary.message), summary.message
    assert f"只查看了前 {MAX_SCANNED} 个" in summary.message


def test_credit_patterns_take_time_linear_in_the_paragraph():
    """Brackets, spaces and 供 in runs, as a paste gone wrong: each looked at in a moment."""
    from bulletin.lint.issue import CREDIT_AFTER, CREDIT_PARAGRAPH

    hostile = ["。（" * 50_000, "（" + " " * 100_000, "（" + " " * 100_000 + "供稿",
               "（某县供稿）" + " " * 100_000 + "x", "。（某县供稿）" + "\u3000" * 100_000 + "x",
               ("。（某" + " " * 50 + "供 " * 30) * 1_000, "（供稿：" + " " * 100_000,
               "**（" + " " * 50_000 + "供稿" + " " * 50_000]
    started = time.monotonic()
    for text in hostile:
        CREDIT_PARAGRAPH.fullmatch(text)
        CREDIT_AFTER.search(text)
    assert time.monotonic() - started < 2
