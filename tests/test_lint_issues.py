"""The lint corpus of whole issues: rules that look at an issue rather than one article
(names spelled two ways across articles, files no article lists, the example of
`bulletin new` left in the list).

Each folder under `lint_corpus/issues/` is one issue, copied as issue 1 of a fresh
project: `issue.yaml` and `articles/`. Every file in it carries an `# expect:` comment
(in YAML, front matter or body) naming the code, line and column of each diagnostic it
must produce, `nothing` if none; a problem with a whole file is written `CODE 0:0`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin.lint import check_issue
from conftest import copy_project
from test_lint_corpus import HAN, expected

CASES = sorted(path for path in (Path(__file__).resolve().parent / "lint_corpus" / "issues")
               .iterdir() if path.is_dir())


def case_project(folder: Path, case: Path) -> Path:
    copy_project(folder, issues=False)
    shutil.copytree(case, folder / "issues" / "1")
    return folder


def expectations(case: Path) -> list[tuple[str, str, int, int]]:
    found = []
    for path in sorted(case.rglob("*")):
        if path.is_file():
            shown = "issues/1/" + path.relative_to(case).as_posix()
            found += [(shown, code, line, col) for code, line, col in expected(path)]
    return sorted(found)


def test_there_are_issue_cases():
    assert len(CASES) >= 1


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_issue_case(tmp_path, case):
    root = case_project(tmp_path / "project", case)
    diagnostics = check_issue(root, 1)
    assert sorted((d.path, d.code, d.line, d.col) for d in diagnostics) == expectations(case)
    for d in diagnostics:
        assert HAN.search(d.message), d.message
