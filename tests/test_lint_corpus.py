"""The lint corpus: small broken inputs, each naming in a `# expect:` comment the code, line
and column of every diagnostic it must produce (`nothing` for inputs that must pass).

`bulletin check` over the corpus runs once as the real command in a fresh process (its
exit code, no traceback), otherwise in this process (conftest.bulletin).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bulletin.lint import RULES, check_issue
from bulletin.lint.rules import ISSUE
from conftest import Ran, bulletin, copy_project, run_bulletin

CORPUS = Path(__file__).resolve().parent / "lint_corpus"
ARTICLES = sorted(CORPUS.glob("*.md"))
ISSUES = sorted(CORPUS.glob("*.issue.yaml"))
HAN = re.compile(r"[\u4e00-\u9fff]")
VALID_ARTICLE = "---\ntitle: 测试稿件\ncredit: 测试单位\n---\n\n正文。\n"


def expected(path: Path) -> list[tuple[str, int, int]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            match = re.search(r"# expect: ([^\r\n]*)", raw.decode(encoding))
        except UnicodeDecodeError:
            continue
        if match:
            break
    else:
        raise AssertionError(f"{path.name} has no # expect: line")
    if match.group(1).strip() == "nothing":
        return []
    found = []
    for item in match.group(1).split(","):
        code, where = item.split()
        line, col = where.split(":")
        found.append((code, int(line), int(col)))
    return sorted(found)


def make_project(folder: Path, issue_yaml: str, articles: dict[str, bytes]) -> Path:
    """A project whose only issue, 1, has `issue_yaml` and `articles` (name → bytes)."""
    copy_project(folder, issues=False)
    issue = folder / "issues" / "1"
    (issue / "articles").mkdir(parents=True)
    (issue / "issue.yaml").write_text(issue_yaml, encoding="utf-8")
    for name, data in articles.items():
        (issue / "articles" / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory) -> Path:
    listing = "".join(f"  - {path.name}\n" for path in ARTICLES)
    return make_project(tmp_path_factory.mktemp("corpus") / "project",
                        f"number: 1\ndate: 2025-06-09\narticles:\n{listing}",
                        {path.name: path.read_bytes() for path in ARTICLES})


def issue_rule(code: str) -> bool:
    """Whether `code` is a rule that looks at a whole issue: its cases are whole issues
    (test_lint_issues.py); the corpus issue here, every case side by side, is none."""
    return code in RULES and RULES[code].scope == ISSUE


@pytest.fixture(scope="module")
def corpus_diagnostics(corpus_project):
    return [d for d in check_issue(corpus_project, 1) if not issue_rule(d.code)]


def test_the_corpus_is_big_enough():
    broken = [path for path in ARTICLES + ISSUES if expected(path)]
    assert len(broken) >= 40


@pytest.mark.parametrize("case", ARTICLES, ids=lambda path: path.stem)
def test_article(corpus_diagnostics, case):
    mine = [d for d in corpus_diagnostics if d.path == f"issues/1/articles/{case.name}"]
    assert sorted((d.code, d.line, d.col) for d in mine) == expected(case)
    for d in mine:
        assert HAN.search(d.message), d.message


@pytest.mark.parametrize("case", ISSUES, ids=lambda path: path.name.split(".")[0])
def test_issue_settings(tmp_path, case):
    root = make_project(tmp_path / "project", case.read_text(encoding="utf-8"),
                        {"a.md": VALID_ARTICLE.encode()})
    diagnostics = check_issue(root, 1)
    assert [d.path for d in diagnostics] == ["issues/1/issue.yaml"] * len(diagnostics)
    assert sorted((d.code, d.line, d.col) for d in diagnostics) == expected(case)


def run(root: Path, *args: str) -> Ran:
    return bulletin(*args, cwd=root)


def test_the_command_reports_the_whole_corpus_without_a_traceback(corpus_project):
    result: subprocess.CompletedProcess = run_bulletin("check", "1", cwd=corpus_project,
                                                       timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "内部错误" not in result.stderr and "B200" not in result.stdout
    for case in ARTICLES:
        for code, line, col in expected(case):
            assert f"issues/1/articles/{case.name}:{line}:{col}: {code} " in result.stdout


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_machine_formats_over_the_corpus(corpus_project, fmt):
    result = run(corpus_project, "check", "1", "--format", fmt)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    total = sum(len(expected(case)) for case in ARTICLES)
    if fmt == "json":
        rows = [row for row in json.loads(result.stdout)["diagnostics"]
                if not issue_rule(row["code"])]
        assert len(rows) == total
        assert {"code", "message", "path", "start", "end", "severity", "fix"} <= set(rows[0])
    else:
        annotations = [line for line in result.stdout.splitlines() if line.startswith("::")
                       and not issue_rule(re.search(r",title=(\w+)::", line).group(1))]
        assert len(annotations) == total


@pytest.mark.parametrize("case", ISSUES, ids=lambda path: path.name.split(".")[0])
def test_the_command_on_broken_settings_exits_1_without_a_traceback(tmp_path, case):
    root = make_project(tmp_path / "project", case.read_text(encoding="utf-8"),
                        {"a.md": VALID_ARTICLE.encode()})
    result = run(root, "check", "1")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    code, line, col = expected(case)[0]
    assert f"issues/1/issue.yaml:{line}:{col}: {code} " in result.stdout
