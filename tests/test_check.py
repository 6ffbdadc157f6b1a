"""`bulletin check` and `bulletin build` as a user meets them: exit codes, formats, --fix,
--strict, the warnings of the real issue 23, and a check that stays light and fast.

The commands run in this process (conftest.bulletin), but where the process is the point:
what a cold process imports, a cache that must hold across processes, and JSON alone on
the real stdout.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import Ran, bulletin, copy_project, run_bulletin
from test_lint_corpus import VALID_ARTICLE, make_project

ISSUE_1 = "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n"


def run(root: Path, *args: str) -> Ran:
    return bulletin(*args, cwd=root)


def run_in_a_process(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_bulletin(*args, cwd=root, timeout=120)


def one_article(tmp_path: Path, article: bytes | str) -> Path:
    data = article.encode("utf-8") if isinstance(article, str) else article
    return make_project(tmp_path / "project", ISSUE_1, {"a.md": data})


def test_issue_23_passes_check_strict(root):
    """Shipped, issue 23 is clean: its true findings are silenced where they are, with
    their reasons (the printed text is kept as printed)."""
    result = run(root, "check", "23", "--strict", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert document["diagnostics"] == [] and document["summary"]["suppressed"] >= 3
    markers = [line for path in sorted((root / "issues/23/articles").glob("*.md"))
               for line in path.read_text(encoding="utf-8").splitlines()
               if line.startswith("[//]: # (lint: ignore")]
    assert len(markers) == document["summary"]["suppressed"]
    assert all(len(marker.split(" ", 5)[-1]) > 6 for marker in markers)  # each with a reason


def unmarked(tmp_path: Path) -> Path:
    """Issue 23 as printed: a project whose articles have no suppression markers."""
    project = copy_project(tmp_path / "unmarked", issues=[23])
    for path in (project / "issues/23/articles").glob("*.md"):
        lines = path.read_text(encoding="utf-8").split("\n")
        path.write_text("\n".join(line for line in lines
                                   if not line.startswith("[//]: # (lint:")), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    return unmarked(tmp_path_factory.mktemp("printed"))


def test_issue_23_as_printed_has_its_true_findings(printed):
    result = run(printed, "check", "23", "--format", "json")
    rows = json.loads(result.stdout)["diagnostics"]
    found = {(row["path"], row["start"]["line"], row["start"]["column"], row["code"])
             for row in rows}
    assert ("issues/23/articles/hebi-shancheng.md", 10, 103, "B242") in found  # 镕
    assert ("issues/23/articles/xixia.md", 10, 21, "B213") in found  # 4月初 among “1000 余册”
    assert ("issues/23/articles/hebi-shancheng.md", 14, 221, "B213") in found  # 烦心事 218 件
    # The mistakes of the print itself (README: each silenced in the shipped issue).
    assert ("issues/23/articles/hebi-shancheng.md", 10, 214, "B251") in found  # 鑫榕 / 鑫镕
    assert ("issues/23/articles/hebi-shancheng.md", 14, 134, "B252") in found  # “代表十”
    assert ("issues/23/articles/kaifeng-longting.md", 12, 203, "B252") in found  # 义诊十走访
    assert ("issues/23/articles/kaifeng-longting.md", 14, 286, "B253") in found  # 注入了的
    assert len(found) == 7


def test_strict_makes_warnings_fail(printed):
    result = run(printed, "check", "23", "--strict")
    assert result.returncode == 1
    assert "B242 [警告]" in result.stdout
    assert "检查通过" not in result.stdout
    assert run(printed, "check", "23").returncode == 0  # warnings alone pass


def test_github_annotations(printed):
    result = run(printed, "check", "23", "--format", "github")
    assert result.returncode == 0
    assert "::warning file=issues/23/articles/hebi-shancheng.md,line=10,endLine=10,col=103," \
           "endColumn=103,title=B242::" in result.stdout


def test_human_output_marks_the_column(tmp_path):
    root = one_article(tmp_path, VALID_ARTICLE.replace("正文。", "会议强调，要把工作抓实,抓细。"))
    result = run(root, "check", "1")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    at = lines.index("issues/1/articles/a.md:6:12: B203 [错误] 中文语境中使用了半角逗号“,”，应为全角“，”"
                     "（可用 --fix 自动修正）")
    source, caret = lines[at + 1], lines[at + 2]
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                for ch in source[:source.index(",")])
    assert caret.index("^") == cells


def test_fix_rewrites_only_what_it_reports(tmp_path):
    before = ("\ufeff---\r\ntitle: 为民履职,走在前列\r\ncredit: 测试单位供稿\r\n---\r\n\r\n"
              '会议指出"要落实",确保实效...\r\n\r\n'
              "\u3000\u3000推动２０２５年工作--共建共享。。")
    after = ("\ufeff---\r\ntitle: 为民履职,走在前列\r\ncredit: 测试单位供稿\r\n---\r\n\r\n"
             "会议指出“要落实”，确保实效……\r\n\r\n"
             "推动2025年工作——共建共享。。")
    root = one_article(tmp_path, before)
    path = root / "issues/1/articles/a.md"
    result = run(root, "check", "1", "--fix")
    assert path.read_bytes() == after.encode("utf-8")
    assert "已修正 issues/1/articles/a.md:6:10: B203 “,”→“，”" in result.stdout
    assert "已修正 issues/1/articles/a.md:6:15: B205 “...”→“……”" in result.stdout
    assert "已修正 issues/1/articles/a.md:8:1: B212 删去“\u3000\u3000”" in result.stdout
    assert result.stdout.count("已修正") == 7
    # What no fix may touch is still reported: YAML, the credit, a doubled mark.
    assert result.returncode == 1
    assert "issues/1/articles/a.md:2:12: B203" in result.stdout
    assert "issues/1/articles/a.md:3:13: B231" in result.stdout
    assert "issues/1/articles/a.md:8:16: B204" in result.stdout
    again = run(root, "check", "1", "--fix")
    assert "已修正" not in again.stdout
    assert path.read_bytes() == after.encode("utf-8")


def test_fix_with_json_keeps_stdout_json(tmp_path):
    root = one_article(tmp_path, VALID_ARTICLE.replace("正文。", "正文,内容。"))
    result = run_in_a_process(root, "check", "1", "--fix", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["diagnostics"] == []
    assert "已修正 issues/1/articles/a.md:6:3: B203" in result.stderr
    assert "正文，内容。" in (root / "issues/1/articles/a.md").read_text(encoding="utf-8")


def test_problems_in_settings_and_articles_come_in_one_run(tmp_path):
    root = make_project(tmp_path / "project", ISSUE_1.replace("2025-06-09", "昨天"),
                        {"a.md": VALID_ARTICLE.replace("正文。", "正文,内容。").encode()})
    result = run(root, "check", "1")
    assert result.returncode == 1
    assert "issues/1/issue.yaml:2:7: S103 [错误] 字段“date”应为日期" in result.stdout
    assert "issues/1/articles/a.md:6:3: B203" in result.stdout


def test_a_title_of_the_wrong_shape_gets_one_message(tmp_path):
    root = one_article(tmp_path, VALID_ARTICLE.replace("title: 测试稿件", "title: 123"))
    result = run(root, "check", "1")
    assert "issues/1/articles/a.md:2:8: S103 [错误] 字段“title”应为文本，或应为列表" in result.stdout
    assert result.stdout.count("S103") == 1


def test_gb18030_file_says_how_to_convert(tmp_path):
    root = one_article(tmp_path, VALID_ARTICLE.encode("gb18030"))
    result = run(root, "check", "1")
    assert result.returncode == 1
    assert "issues/1/articles/a.md:2:8: S107 [错误] 文件不是 UTF-8 编码，看起来是 GB18030 编码" in result.stdout
    assert "iconv -f GB18030 -t UTF-8 a.md > a.md.utf8 && mv a.md.utf8 a.md" in result.stdout


def test_bom_and_crlf_are_accepted_silently(tmp_path):
    root = one_article(tmp_path, ("\ufeff" + VALID_ARTICLE).replace("\n", "\r\n"))
    result = run(root, "check", "1")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "第 1 期检查通过。"


def test_check_follows_the_fonts_the_stylesheet_loads(tmp_path):
    root = one_article(tmp_path, VALID_ARTICLE.replace("正文。", "推动鑫镕铸业项目落地。"))
    assert "B242" in run(root, "check", "1").stdout
    css = root / "templates/fonts.css"
    css.write_text(css.read_text(encoding="utf-8").replace(
        "FandolFang-Regular.otf", "NotoSerifCJKsc-Regular.otf"), encoding="utf-8")
    # A new process, as the user runs it: the fonts' cache on disk must see the change.
    result = run_in_a_process(root, "check", "1")
    assert result.returncode == 0 and "B242" not in result.stdout


def test_a_cold_check_surveys_the_fonts_and_keeps_what_it_found(tmp_path):
    """A copy without build/.lint (as a fresh checkout is): the first check reads the
    fonts' character maps itself, finds 镕 in the fallback only, and writes the cache."""
    root = copy_project(tmp_path / "project", issues=False, lint_cache=False)
    (root / "issues/1/articles").mkdir(parents=True)
    (root / "issues/1/issue.yaml").write_text(ISSUE_1, encoding="utf-8")
    (root / "issues/1/articles/a.md").write_text(
        VALID_ARTICLE.replace("正文。", "推动鑫镕铸业项目落地。"), encoding="utf-8")
    assert not (root / "build" / ".lint").exists()
    result = run(root, "check", "1")
    assert result.returncode == 0 and "B242" in result.stdout, result.stdout
    assert (root / "build" / ".lint" / "font-coverage.json").is_file()


def test_check_imports_neither_weasyprint_nor_fonttools_when_warm(root):
    run(root, "check", "23")  # warms the font coverage cache
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "bulletin", "check", "23"],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "bulletin.lint" in imported
    assert not {name for name in imported if name.split(".")[0] in ("weasyprint", "fontTools")}


def test_build_refuses_on_an_editorial_error(tmp_path):
    root = one_article(tmp_path, VALID_ARTICLE.replace("正文。", "正文,内容。"))
    target = root / "out.pdf"
    result = run(root, "build", "1", "-o", str(target))
    assert result.returncode == 1
    assert "issues/1/articles/a.md:6:3: B203" in result.stdout
    assert "未生成 PDF" in result.stderr
    assert not target.exists()


def test_build_prints_warnings_and_goes_on(printed):
    target = printed / "out.pdf"
    result = run(printed, "build", "23", "-o", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = len(json.loads(run(printed, "check", "23", "--format", "json").stdout)
                   ["diagnostics"])
    assert "B242 [警告]" in result.stdout and f"共 0 个错误，{warnings} 个警告。" in result.stdout
    assert target.read_bytes().startswith(b"%PDF")


def test_schema_files_are_current_and_the_modelines_find_them(root, tmp_path):
    result = run(root, "schema", "-o", str(tmp_path))
    assert result.returncode == 0
    for written in sorted(tmp_path.glob("*.schema.json")):
        assert written.read_text(encoding="utf-8") == \
            (root / "schema" / written.name).read_text(encoding="utf-8"), \
            f"schema/{written.name} is stale: run `bulletin schema`"
    assert len(list(tmp_path.glob("*.schema.json"))) == 3
    for settings in (root / "bulletin.yaml", root / "issues/23/issue.yaml"):
        modeline = re.search(r"^# yaml-language-server: \$schema=(\S+)$",
                             settings.read_text(encoding="utf-8"), re.M)
        assert modeline, settings
        schema = json.loads((settings.parent / modeline.group(1)).read_text(encoding="utf-8"))
        assert schema["additionalProperties"] is False


def test_issue_schema_knows_what_issue_23_uses(root):
    schema = json.loads((root / "schema/issue.schema.json").read_text(encoding="utf-8"))
    assert set(schema["required"]) == {"number", "date", "articles"}
    assert schema["properties"]["date"]["format"] == "date"


def test_glyph_roles_name_families_the_stylesheet_loads(root):
    from bulletin.lint.glyphs import FALLBACK_FAMILY, ROLE_FAMILIES
    from bulletin.typeset.fonts import font_faces

    faces = font_faces(root / "templates/fonts.css")
    for family, _ in ROLE_FAMILIES.values():
        assert family in faces, f"fonts.css no longer loads {family}: update lint/glyphs.py"
    assert FALLBACK_FAMILY in faces


def test_readme_lists_every_rule_with_its_severity(root):
    from bulletin.lint import RULES

    readme = (root / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| (B2\d\d) \| (error|warning) \|", readme, re.M))
    assert listed == {code: rule.severity.value for code, rule in RULES.items()}


def test_a_failing_rule_is_reported_and_the_others_still_run(tmp_path):
    from bulletin.lint import RULE_FAILED, RULES, check_issue
    from bulletin.lint.rules import ERROR, rule

    @rule("B299", ERROR, "a rule with a bug")
    def broken(passage):
        raise KeyError("oops")
        yield

    root = one_article(tmp_path, VALID_ARTICLE.replace("正文。", "正文,内容。"))
    try:
        found = {(d.code, d.line) for d in check_issue(root, 1)}
    finally:
        del RULES["B299"]
    assert (RULE_FAILED, 0) in found
    assert ("B203", 6) in found
