"""The command line as a user meets it: exit codes and Chinese diagnostics with file:line.

`run` is the command in this process (conftest.bulletin); `run_in_a_process` the real
entry point in a fresh one, for its exit codes 0, 1 and 2 and its clean usage error.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import Ran, bulletin, run_bulletin


def run(*args, cwd: Path) -> Ran:
    return bulletin(*args, cwd=cwd)


def run_in_a_process(*args, cwd: Path) -> subprocess.CompletedProcess:
    return run_bulletin(*args, cwd=cwd, timeout=120)


def test_check_passes_on_issue_23(root):
    result = run("check", "23", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout


def test_version(root):
    result = run_in_a_process("--version", cwd=root)
    assert result.returncode == 0
    assert result.stdout.startswith("bulletin ")


def test_help_is_in_chinese(root):
    result = run("build", "--help", cwd=root)
    assert result.returncode == 0
    assert "排版第 N 期" in result.stdout and "用法" in result.stdout


def test_bad_usage_exits_2(root):
    result = run_in_a_process("build", "abc", cwd=root)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_unknown_issue_exits_1(root):
    result = run_in_a_process("check", "9999", cwd=root)
    assert result.returncode == 1
    assert "找不到第 9999 期" in result.stdout


def test_missing_title_is_reported_with_file_and_line(project):
    article = project / "issues/23/articles/xixia.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title:\n", "titel:\n", 1), encoding="utf-8")
    result = run("check", "23", cwd=project)
    assert result.returncode == 1
    assert "issues/23/articles/xixia.md:2:1: S102 [错误] 未知字段“titel”，是否想写“title”？" in result.stdout
    assert "issues/23/articles/xixia.md:2:1: S101 [错误] 缺少必填字段“title”" in result.stdout


def test_mistyped_date_points_at_the_value(project):
    path = project / "issues/23/issue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-06-09", "2025-13-09"),
                    encoding="utf-8")
    result = run("check", "23", cwd=project)
    assert result.returncode == 1
    assert "issues/23/issue.yaml:3:7: S103 [错误] 字段“date”应为日期" in result.stdout


def test_unknown_article_file_suggests_the_close_name(project):
    path = project / "issues/23/issue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- xixia.md", "- xixai.md"),
                    encoding="utf-8")
    result = run("check", "23", cwd=project)
    assert result.returncode == 1
    assert "issues/23/issue.yaml:7:5: S104 [错误] 找不到稿件文件 articles/xixai.md，是否想写“xixia.md”？" \
        in result.stdout


def test_duplicated_issue_number(project):
    copy = project / "issues/24"
    copy.mkdir()
    (copy / "issue.yaml").write_text((project / "issues/23/issue.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    result = run("check", "23", cwd=project)
    assert result.returncode == 1
    assert "issues/23/issue.yaml:2:9: S105 [错误] 期号 23 与 issues/24/issue.yaml 重复" in result.stdout


def test_all_problems_are_reported_in_one_run(project):
    path = project / "issues/23/issue.yaml"
    path.write_text("number: 二十三\ndate: 昨天\narticles: []\ncolour: red\n", encoding="utf-8")
    result = run("check", "23", cwd=project)
    assert result.returncode == 1
    codes = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("issues/")]
    assert codes.count("S103") == 3 and codes.count("S102") == 1


def test_build_refuses_on_errors_and_keeps_no_partial_pdf(project):
    path = project / "issues/23/articles/xixia.md"
    path.write_text("no front matter\n", encoding="utf-8")
    target = project / "out.pdf"
    result = run("build", "23", "-o", str(target), cwd=project)
    assert result.returncode == 1
    assert "S111" in result.stdout
    assert not target.exists()


def test_non_utf8_article_names_the_encoding(project):
    path = project / "issues/23/articles/xixia.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result = run("check", "23", cwd=project)
    assert result.returncode == 1
    assert "S107" in result.stdout and "GB18030" in result.stdout


def test_outside_a_project_is_bad_usage(tmp_path):
    result = run("check", "23", cwd=tmp_path)
    assert result.returncode == 2
    assert "bulletin.yaml" in result.stderr


@pytest.mark.parametrize("args", [("doctor",)])
def test_doctor_reports_harfbuzz_subsetting(root, args):
    result = run(*args, cwd=root)
    assert "HarfBuzz" in result.stdout
    assert result.returncode in (0, 1)


def test_check_diff_prints_what_fix_would_change_and_writes_nothing(project):
    article = project / "issues/23/articles/xixia.md"
    before = article.read_bytes()
    article.write_bytes(before.replace("出彩出新。".encode(), "出彩出新.".encode(), 1))
    edited = article.read_bytes()
    result = bulletin("check", "23", "--diff", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/issues/23/articles/xixia.md\n+++ b/issues/23/articles/xixia.md\n")
    assert "-" + "出彩出新." in "".join(line[:1] + line[-5:] for line in result.stdout.splitlines())
    assert "+" + "出彩出新。" in "".join(line[:1] + line[-5:] for line in result.stdout.splitlines())
    assert article.read_bytes() == edited  # nothing written
    fixed = bulletin("check", "23", "--fix", cwd=project)
    assert fixed.returncode == 0 and article.read_bytes() == before
    assert bulletin("check", "23", "--diff", cwd=project).returncode == 0  # nothing left
    assert bulletin("check", "23", "--diff", "--fix", cwd=project).returncode == 2


@pytest.mark.parametrize("name", ["²", "٣", "０１"])
def test_a_folder_named_with_other_digits_is_reported_by_check_all(project, name):
    (project / "issues" / name).mkdir()
    result = bulletin("check", "--all", cwd=project)
    assert result.returncode == 1
    assert f"issues/{name}: S116" in result.stdout
    assert "内部错误" not in result.stdout + result.stderr
