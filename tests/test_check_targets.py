"""`bulletin check` as the tools around it use it: files and folders as well as issue
numbers, drafts outside the project, the `lint:` settings and the suppression marker,
`--select` / `--ignore` / `--statistics`, the JSON and GitHub formats, the pre-commit
hooks and the VS Code problem matcher the README documents."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, bulletin, copy_project, run_bulletin

# Three findings in one article, one paragraph each: B203 (fixable, an error), B213 (a
# warning: `2025 年` once among numbers written tight), B204 (an error, not fixable).
ARTICLE = """---
title: 某县：代表联络站建设见实效
credit: 某县人大常委会
---

今年以来,某县人大常委会推动代表联络站建设。

全县建成联络站26个，接待群众300余人次，收集意见45条，2025 年将再建10个。

代表们走访企业。。
"""


def make_project(tmp_path: Path, article: str = ARTICLE, name: str = "a.md",
                 series_extra: str = "") -> Path:
    root = copy_project(tmp_path / "project", issues=False)
    if series_extra:
        with (root / "bulletin.yaml").open("a", encoding="utf-8") as handle:
            handle.write(series_extra)
    folder = root / "issues" / "1" / "articles"
    folder.mkdir(parents=True)
    (folder.parent / "issue.yaml").write_text(
        f"number: 1\ndate: 2025-06-09\narticles:\n  - {name}\n", encoding="utf-8")
    (folder / name).write_text(article, encoding="utf-8")
    return root


def findings(ran) -> list[tuple[str, int, int]]:
    return sorted((code, int(line), int(col)) for _, line, col, code in re.findall(
        r"^(\S+?):(\d+):(\d+): ([SBLI]\d{3}) ", ran.stdout, re.M))


def where(ran, code: str) -> list[tuple[int, int]]:
    return [(line, col) for found, line, col in findings(ran) if found == code]


def column_of(text: str, line: int, needle: str) -> int:
    return text.split("\n")[line - 1].index(needle) + 1


def test_the_sample_article_has_its_three_findings(tmp_path):
    root = make_project(tmp_path)
    ran = bulletin("check", "1", cwd=root)
    assert ran.returncode == 1
    lines = ARTICLE.split("\n")
    assert where(ran, "B203") == [(6, lines[5].index(",") + 1)]
    assert where(ran, "B204") == [(10, lines[9].index("。。") + 1)]
    assert len(where(ran, "B213")) == 1
    # Both severities are tagged, in Chinese.
    assert re.search(r":6:\d+: B203 \[错误\] ", ran.stdout)
    assert re.search(r": B213 \[警告\] ", ran.stdout)


# --- files and folders ---------------------------------------------------------------

def test_a_file_inside_an_issue_is_checked_with_its_issue(tmp_path):
    root = make_project(tmp_path)
    (root / "issues/1/articles/b.md").write_text(ARTICLE.replace("某县", "某市"),
                                                 encoding="utf-8")
    (root / "issues/1/issue.yaml").write_text(
        "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n  - b.md\n", encoding="utf-8")
    ran = bulletin("check", "issues/1/articles/b.md", cwd=root)
    assert ran.returncode == 1
    paths = set(re.findall(r"^(\S+?):\d+:\d+: ", ran.stdout, re.M))
    assert paths == {"issues/1/articles/b.md"}  # a.md's findings are not shown
    # From inside the articles folder, by a relative path: the same findings.
    again = bulletin("check", "b.md", cwd=root / "issues/1/articles")
    assert findings(again) == findings(ran)


def test_folders_an_issue_yaml_and_several_files(tmp_path):
    root = make_project(tmp_path)
    by_number = findings(bulletin("check", "1", cwd=root))
    for target in ("issues/1", "issues/1/articles", "issues/1/issue.yaml", "issues", "."):
        assert findings(bulletin("check", target, cwd=root)) == by_number, target
    ran = bulletin("check", "issues/1/articles/a.md", "bulletin.yaml", cwd=root)
    assert findings(ran) == by_number


def test_an_md_the_issue_does_not_list_is_still_checked(tmp_path):
    root = make_project(tmp_path)
    (root / "issues/1/articles/extra.md").write_text(ARTICLE, encoding="utf-8")
    ran = bulletin("check", "issues/1/articles/extra.md", cwd=root)
    assert ran.returncode == 1
    assert "issues/1/articles/extra.md:6:" in ran.stdout  # its own findings
    assert "issues/1/articles/a.md" not in ran.stdout


def test_a_draft_outside_the_project_uses_the_series_settings(tmp_path):
    root = make_project(tmp_path, series_extra="lint:\n  ignore: [B204]\n")
    home = tmp_path / "home"
    home.mkdir()
    draft = home / "投稿.md"
    draft.write_text(ARTICLE, encoding="utf-8")
    # From the project, naming the draft by its path; and from the draft's folder with --root.
    for ran in (bulletin("check", str(draft), cwd=root),
                bulletin("--root", str(root), "check", "投稿.md", cwd=home)):
        assert ran.returncode == 1, ran.stdout + ran.stderr
        assert "S114" not in ran.stdout and "Traceback" not in ran.stderr
        assert f"{draft.as_posix()}:6:" in ran.stdout
        assert where(ran, "B204") == []  # ignored by bulletin.yaml
        assert "另有 1 处按 lint 设置忽略" in ran.stdout
    # A link out of the draft's folder is still refused.
    (home / "passwd.md").symlink_to("/etc/passwd")
    ran = bulletin("check", str(home / "passwd.md"), cwd=root)
    assert "S114" in ran.stdout and ran.returncode == 1


def test_the_project_is_found_from_the_file_named(tmp_path):
    root = make_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ran = bulletin("check", str(root / "issues/1/articles/a.md"), cwd=elsewhere)
    assert ran.returncode == 1 and "issues/1/articles/a.md:6:" in ran.stdout


@pytest.mark.parametrize("target, said", [("missing.md", "找不到文件或文件夹"),
                                          ("notes.txt", "只能检查 .md 稿件"),
                                          ("empty", "中没有 .md 稿件")])
def test_a_target_that_names_nothing_to_check_is_a_usage_error(tmp_path, target, said):
    root = make_project(tmp_path)
    (root / "notes.txt").write_text("备忘\n", encoding="utf-8")
    (root / "empty").mkdir()
    ran = bulletin("check", target, cwd=root)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert said in ran.stderr


# --- settings and markers -------------------------------------------------------------

def test_front_matter_ignores_codes_for_its_article(tmp_path):
    article = ARTICLE.replace("credit: 某县人大常委会\n",
                              "credit: 某县人大常委会\nlint:\n  ignore: {B213: 年份照原文, B20: 测试}\n")
    root = make_project(tmp_path, article)
    ran = bulletin("check", "1", cwd=root)
    assert findings(ran) == []
    assert ran.returncode == 0 and "另有 3 处按 lint 设置忽略" not in ran.stdout
    ran = bulletin("check", "1", "--format", "json", cwd=root)
    assert json.loads(ran.stdout)["summary"]["suppressed"] == 3


def test_the_marker_silences_its_paragraph_only_and_prints_nothing(tmp_path, renderer):
    article = ARTICLE.replace("今年以来,", "[//]: # (lint: ignore B203 原文如此)\n今年以来,") \
        .replace("代表们走访企业。。", "代表们走访企业,查看项目。。")
    root = make_project(tmp_path, article)
    ran = bulletin("check", "1", cwd=root)
    assert where(ran, "B203") == [(11, article.split("\n")[10].index(",") + 1)]  # the other ,
    assert len(where(ran, "B204")) == 1
    # A marker a blank line above its paragraph works the same.
    spaced = article.replace("原文如此)\n今年", "原文如此)\n\n今年")
    (root / "issues/1/articles/a.md").write_text(spaced, encoding="utf-8")
    assert [line for line, _ in where(bulletin("check", "1", cwd=root), "B203")] == [12]
    # Printed, the marker is nowhere.
    from bulletin.pipeline import lay_out
    from bulletin.project import Project

    (root / "issues/1/articles/a.md").write_text(
        "---\ntitle: 某县：代表联络站建设见实效\ncredit: 某县人大常委会\n---\n\n"
        "[//]: # (lint: ignore B213 年份照原文)\n全县建成联络站26个，2025 年将再建10个。\n",
        encoding="utf-8")
    loaded = Project(root).load(1)
    document = lay_out(loaded.require(), root, renderer, images=loaded.images).document
    text = "".join(box.text for page in document.pages for box in _text_boxes(page._page_box))
    assert "全县建成联络站" in text and "lint" not in text and "//" not in text


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def test_markers_and_settings_that_cannot_work_are_reported(tmp_path):
    article = ARTICLE.replace("今年以来,", "[//]: # (lint: ignore B999)\n今年以来,") \
        .replace("代表们走访企业。。", "[//]: # (lint: 忽略 B204)\n代表们走访企业。。") \
        .replace("credit: 某县人大常委会\n", "credit: 某县人大常委会\nlint:\n  ignore: [B288]\n")
    root = make_project(tmp_path, article, series_extra="lint:\n  ignore: [B277]\n")
    ran = bulletin("check", "1", cwd=root)
    s118 = [line for line in ran.stdout.splitlines() if " S118 " in line]
    assert len(s118) == 4, ran.stdout
    assert any(line.startswith("bulletin.yaml:") and "B277" in line for line in s118)
    assert any(line.startswith("issues/1/articles/a.md:5:") and "B288" in line for line in s118)
    assert any(":8:1: S118" in line and "B999" in line for line in s118)
    assert any(":13:1: S118" in line and "写法不对" in line for line in s118)
    # The markers that could not be read silence nothing.
    assert where(ran, "B203") and where(ran, "B204")


def test_series_severity_makes_a_warning_an_error_and_stops_the_build(tmp_path):
    root = make_project(tmp_path, ARTICLE.replace("今年以来,", "今年以来，")
                        .replace("企业。。", "企业。"),
                        series_extra="lint:\n  severity:\n    B213: error\n")
    ran = bulletin("check", "1", cwd=root)
    assert ran.returncode == 1 and re.search(r": B213 \[错误\] ", ran.stdout)
    built = bulletin("build", "1", cwd=root)
    assert built.returncode == 1 and "未生成 PDF" in built.stderr


def test_bad_lint_settings_are_schema_errors_at_their_line(tmp_path):
    root = make_project(tmp_path, series_extra="lint:\n  ignore: [213]\n")
    ran = bulletin("check", "1", cwd=root)
    assert ran.returncode == 1
    assert re.search(r"^bulletin\.yaml:\d+:\d+: S103 ", ran.stdout, re.M), ran.stdout


# --- select, ignore, statistics --------------------------------------------------------

def test_select_and_ignore_take_codes_and_their_starts(tmp_path):
    root = make_project(tmp_path)
    assert {code for code, _, _ in findings(bulletin("check", "1", "--select", "B20", cwd=root))} \
        == {"B203", "B204"}
    assert {code for code, _, _ in findings(
        bulletin("check", "1", "--select", "B203,B213", cwd=root))} == {"B203", "B213"}
    assert {code for code, _, _ in findings(
        bulletin("check", "1", "--ignore", "B20", "--ignore", "b213", cwd=root))} == set()
    only_warning = bulletin("check", "1", "--select", "B213", cwd=root)
    assert only_warning.returncode == 0  # a warning alone does not fail
    assert bulletin("check", "1", "--select", "B213", "--strict", cwd=root).returncode == 1
    bad = bulletin("check", "1", "--select", "XYZ", cwd=root)
    assert bad.returncode == 2 and "不是检查代码" in bad.stderr


def test_statistics_count_per_code(tmp_path):
    root = make_project(tmp_path, ARTICLE + "\n再次强调,工作要做实。\n")
    ran = bulletin("check", "1", "--statistics", cwd=root)
    assert ran.returncode == 1
    rows = [line.split() for line in ran.stdout.splitlines()]
    assert rows[0][:2] == ["2", "B203"] and "2 处可用 --fix 修正" in ran.stdout
    assert {row[1] for row in rows} == {"B203", "B204", "B213"}
    as_json = json.loads(bulletin("check", "1", "--statistics", "--format", "json",
                                  cwd=root).stdout)
    assert as_json["by_code"] == {"B203": 2, "B204": 1, "B213": 1}


# --- machine formats -------------------------------------------------------------------

SCHEMA = json.loads((ROOT / "schema" / "check-output.schema.json").read_text(encoding="utf-8"))


def test_json_output_follows_its_schema(tmp_path):
    root = make_project(tmp_path)
    ran = bulletin("check", "1", "--format", "json", cwd=root)
    document = json.loads(ran.stdout)
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA)
    assert document["version"] == 1
    assert document["summary"] == {"errors": 2, "warnings": 1, "fixable": 1, "suppressed": 0,
                                   "articles": 1, "by_code": {"B203": 1, "B204": 1, "B213": 1}}
    rows = {row["code"]: row for row in document["diagnostics"]}
    comma = rows["B203"]
    line = ARTICLE.split("\n")[5]
    assert comma["start"] == {"line": 6, "column": line.index(",") + 1}
    assert comma["end"] == {"line": 6, "column": line.index(",") + 2}
    assert comma["fix"] == {"start": comma["start"], "end": comma["end"],
                            "original": ",", "replacement": "，"}
    doubled = rows["B204"]
    assert doubled["fix"] is None
    assert doubled["end"]["column"] - doubled["start"]["column"] == 2  # `。。`


def test_json_output_of_the_corpus_and_of_issue_23_follows_its_schema(root):
    ran = run_bulletin("check", "23", "--format", "json", cwd=root)
    jsonschema.validate(json.loads(ran.stdout), SCHEMA)


def test_github_annotations_carry_the_end(tmp_path):
    root = make_project(tmp_path)
    ran = bulletin("check", "1", "--format", "github", cwd=root)
    lines = ARTICLE.split("\n")
    col = lines[9].index("。。") + 1
    assert f"::error file=issues/1/articles/a.md,line=10,endLine=10,col={col}," \
           f"endColumn={col + 1},title=B204::" in ran.stdout
    comma = lines[5].index(",") + 1
    assert f"line=6,endLine=6,col={comma},endColumn={comma},title=B203::" in ran.stdout


# --- editors and hooks ----------------------------------------------------------------

def vscode_matchers() -> list[dict]:
    """The problem matchers the README gives for VS Code's tasks.json: one for errors,
    one for warnings (VS Code reads a severity only in English)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(\[\n\s*\{\n\s*\"owner\": \"bulletin\".*?)\n```", readme, re.S)
    assert block, "README has no VS Code problem matcher"
    return json.loads(block.group(1))


def test_the_vscode_problem_matchers_read_the_human_format(tmp_path):
    matchers = vscode_matchers()
    assert [matcher["severity"] for matcher in matchers] == ["error", "warning"]
    root = make_project(tmp_path)
    (root / "issues/1/articles/extra.md").write_text(ARTICLE, encoding="utf-8")
    ran = bulletin("check", "1", cwd=root)
    seen = {}
    for matcher in matchers:
        pattern = matcher["pattern"]
        assert matcher["owner"] == "bulletin" and matcher["fileLocation"][0] == "relative"
        regex = re.compile(pattern["regexp"])
        for line in ran.stdout.splitlines():
            found = regex.match(line)
            if not found:
                continue
            key = (found.group(pattern["file"]), found.group(pattern["line"]),
                   found.group(pattern["column"]), found.group(pattern["code"]))
            assert key not in seen  # one matcher per line
            seen[key] = (matcher["severity"], found.group(pattern["message"]))
    expected = {(path, line, col, code) for path, line, col, code in re.findall(
        r"^(\S+?):(\d+):(\d+): ([SBLI]\d{3}) ", ran.stdout, re.M)}
    assert {key for key in seen if key[1]} == expected and len(expected) == 3
    assert seen[("issues/1/articles/a.md", "10", str(ARTICLE.split("\n")[9].index("。。") + 1),
                 "B204")][0] == "error"
    assert [value[0] for key, value in seen.items() if key[3] == "B213"] == ["warning"]
    # A finding about a whole file (an .md no article lists) has no line: matched too.
    assert [key for key in seen if key[3] == "B263"] == [
        ("issues/1/articles/extra.md", None, None, "B263")]


def test_the_pre_commit_manifest_and_config_are_valid():
    for command, name in (("validate-manifest", ".pre-commit-hooks.yaml"),
                          ("validate-config", ".pre-commit-config.yaml")):
        ran = subprocess.run([sys.executable, "-m", "pre_commit", command, str(ROOT / name)],
                             capture_output=True, text=True)
        assert ran.returncode == 0, ran.stdout + ran.stderr


def test_pre_commit_runs_the_hook_on_the_files_a_commit_changes(tmp_path):
    """A real pre-commit run, in a git repository holding a project: the hook of
    .pre-commit-hooks.yaml (its entry and file pattern), with the bulletin installed here."""
    root = make_project(tmp_path)
    (root / "notes.md").write_text("随手记\n", encoding="utf-8")  # not an article: not checked
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(entry for entry in manifest if entry["id"] == "bulletin-check")
    entry = hook["entry"].replace("bulletin", f"{Path(sys.executable).parent / 'bulletin'}", 1)
    config = {"repos": [{"repo": "local", "hooks": [
        {**hook, "entry": entry, "language": "system"}]}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                                  encoding="utf-8")
    git = shutil.which("git")
    assert git, "git is needed for pre-commit"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PRE_COMMIT_HOME":
           str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run([git, *args], cwd=root, check=True, env=env)

    def run():
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"],
                              cwd=root, capture_output=True, text=True, env=env, timeout=120)

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "issues/1/articles/a.md:6:" in failed.stdout and "notes.md" not in failed.stdout
    (root / "issues/1/articles/a.md").write_text(
        ARTICLE.replace("今年以来,", "今年以来，").replace("企业。。", "企业。"), encoding="utf-8")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_the_source_line_shown_never_sends_control_characters_to_the_terminal(tmp_path):
    """A submission's ESC or U+202E would colour or reverse the terminal's line: the excerpt
    shows them as U+XXXX, and the caret still stands under the finding."""
    article = ARTICLE.replace("今年以来,", "今年\x1b[31m以来\u202e,")
    root = make_project(tmp_path, article)
    ran = bulletin("check", "1", cwd=root)
    assert "\x1b" not in ran.stdout and "\u202e" not in ran.stdout
    lines = ran.stdout.splitlines()
    at = next(index for index, line in enumerate(lines) if " B203 " in line)
    excerpt, caret = lines[at + 1], lines[at + 2]
    assert "U+001B[31m" in excerpt and "U+202E" in excerpt
    import unicodedata

    before = excerpt[:excerpt.index("U+202E,") + len("U+202E")]
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in before)
    assert caret.index("^") == cells
