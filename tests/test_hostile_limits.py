"""Content problems are diagnostics, never "internal errors"; every input is bounded.

- What used to end in a traceback (exit 2): a 5000-digit integer in YAML, a 300-character
  article name, odd Unicode digits as a folder name, a .docx nested thousands deep. Each
  is now a Chinese diagnostic naming the file (and line), exit 1, and `check --all` goes
  on to report the other issues.
- Limits that keep the work linear, each with its diagnostic, found before any layout:
  a table's rows, columns and cells (S117), lists and quotes nested too deep (S122), a
  .docx's inflated size and ratio and the article it would write, and `build --all`'s
  digest, which reads only the files an issue uses.
- A Hypothesis fuzz of YAML and front-matter values (huge integers, long names, odd
  Unicode digits, deep nesting, aliases): exit 0 or 1 with diagnostics, never 2.
"""

from __future__ import annotations

import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import bulletin, copy_project
from synthetic import make_issue

ARTICLE = "issues/23/articles/xixia.md"
ISSUE = "issues/23/issue.yaml"


def set_body(project: Path, body: str) -> None:
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("---", 3) + 3]
    path.write_text(head + "\n\n" + body + "\n", encoding="utf-8")


def body_line(project: Path) -> int:
    """The file line of the first body line `set_body` writes."""
    text = (project / ARTICLE).read_text(encoding="utf-8")
    return text[: text.index("---", 3) + 3].count("\n") + 3


def table(rows: int, columns: int = 4) -> str:
    """A pipe table of `rows` rows in all, its header row included."""
    head = "| " + " | ".join(f"项目{c}" for c in range(columns)) + " |\n"
    rule = "|" + " --- |" * columns + "\n"
    return head + rule + "".join(
        "| " + " | ".join(str((r * 7 + c) % 97) for c in range(columns)) + " |\n"
        for r in range(rows - 1))


def assert_diagnosed(result, code: str, where: str, exit_code: int = 1) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == exit_code, output[-3000:]
    assert "Traceback" not in output and "内部错误" not in output, output[-3000:]
    assert any(code in line and line.startswith(where) for line in output.splitlines()), \
        output[-3000:]


# --- item 4: content problems that were tracebacks -------------------------------------


@pytest.mark.parametrize("value", ["1" * 5000, "-" + "2" * 5000, "0x" + "f" * 5000,
                                   "1" * 65, "1:" + ":".join(["30"] * 2000)],
                         ids=["5000-digits", "negative", "hex", "65-digits", "sexagesimal"])
def test_a_huge_integer_in_issue_yaml(project, value):
    path = project / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace("number: 23", f"number: {value}"),
                    encoding="utf-8")
    result = bulletin("check", "23", cwd=project)
    assert_diagnosed(result, "S103", f"{ISSUE}:2:9")
    assert "数字过长" in result.stdout


def test_a_huge_integer_in_front_matter(project):
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("credit: 南阳市人大常委会代表工委", "credit: " + "9" * 5000),
                    encoding="utf-8")
    result = bulletin("build", "23", "-o", project / "build/x.pdf", cwd=project)
    assert_diagnosed(result, "S103", f"{ARTICLE}:5:9")
    assert not (project / "build/x.pdf").exists()


def test_check_all_reports_every_issue_when_one_has_a_huge_integer(project):
    make_issue(project, 24, seed=4, articles=1)
    other = project / "issues/24/articles/article-1.md"
    other.write_text(other.read_text(encoding="utf-8") + '\n他说"好"。\n', encoding="utf-8")
    path = project / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2025-06-09",
                                                             "date: " + "7" * 5000),
                    encoding="utf-8")
    result = bulletin("check", "--all", cwd=project)
    assert_diagnosed(result, "S103", f"{ISSUE}:3:7")
    assert "issues/24/articles/article-1.md" in result.stdout  # the next issue, checked too
    assert "B201" in result.stdout


@pytest.mark.parametrize("value", [".inf", "9" * 5000, "'²'", "[23]", "{a: 1}", "&a [*a]"])
def test_build_all_with_a_hostile_number(project, value):
    path = project / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace("number: 23", f"number: {value}"),
                    encoding="utf-8")
    result = bulletin("build", "--all", "-j", "1", cwd=project, env={"CI": "true"})
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output and "内部错误" not in output, \
        output[-3000:]
    assert ISSUE in output


@pytest.mark.parametrize("name, message", [
    ("x" * 300 + ".md", "文件名过长（303 个字符"),
    ("长" * 100 + ".md", "文件名过长（103 个字符、303 字节"),
    ("a\\0b.md", "空字符"),
    ("\\ud800.md", "无效的字符"),
])
def test_an_article_name_no_file_system_takes(project, name, message):
    path = project / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace("  - xixia.md", f'  - "{name}"'),
                    encoding="utf-8")
    result = bulletin("check", "23", cwd=project)
    assert_diagnosed(result, "S103", f"{ISSUE}:7:5")
    assert message in result.stdout
    assert "articles.2" in result.stdout
    # The other articles are still read and checked.
    assert bulletin("check", "--all", cwd=project).returncode == 1


def test_odd_unicode_digits_and_misnamed_issue_folders(project):
    from bulletin.project import Project

    for name in ("²", "٣", "０１", "drafts-with-issue"):
        (project / "issues" / name).mkdir()
    shutil.copy(project / ISSUE, project / "issues/drafts-with-issue/issue.yaml")
    (project / "issues/notes").mkdir()  # no digits, no issue.yaml: not meant as an issue
    problems = Project(project).folder_problems()
    assert sorted(d.path for d in problems) == sorted(
        f"issues/{name}" for name in ("²", "٣", "０１", "drafts-with-issue"))
    assert all(d.code == "S116" and "不是期号" in d.message for d in problems)
    assert "阿拉伯数字" in next(d.message for d in problems if d.path == "issues/²")
    assert Project(project).issue_numbers() == [23]
    result = bulletin("check", "--all", cwd=project)
    assert "Traceback" not in result.stdout + result.stderr and result.returncode in (0, 1)

    (project / "issues/23").rename(project / "issues/0023")
    result = bulletin("check", "23", cwd=project)
    assert_diagnosed(result, "S110", "issues/23")
    assert "issues/0023/" in result.stdout and "请改名为 issues/23/" in result.stdout


@pytest.mark.parametrize("src, message", [
    ("x" * 300 + ".png", "文件名过长"),
    (("a" * 200 + "/") * 30 + "b.png", "文件名过长"),
    ("xixia.md/photo.png", "路径中有一段不是文件夹"),
])
def test_an_image_address_no_file_system_takes(project, src, message):
    set_body(project, f"第一段。\n\n![图为现场]({src})")
    result = bulletin("check", "23", cwd=project)
    assert_diagnosed(result, "S120", f"{ARTICLE}:{body_line(project) + 2}:1")
    assert message in result.stdout


def test_a_recursive_alias_is_too_complex(project):
    path = project / ARTICLE
    path.write_text("---\ntitle: &a [*a]\ncredit: 某单位\n---\n\n正文。\n", encoding="utf-8")
    assert_diagnosed(bulletin("check", "23", cwd=project), "S115", f"{ARTICLE}:2:")


def test_an_alias_chain_deeper_than_python_recurses(project):
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 1500)]
    path = project / ISSUE
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    result = bulletin("check", "23", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert ISSUE in result.stdout and ("S115" in result.stdout or "S102" in result.stdout)


# --- .docx: nesting, expansion, numbers ------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def paragraph(text: str, centred: bool = False) -> str:
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centred else ""
    return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"


def docx(path: Path, body: str, parts: dict | None = None,
         compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as package:
        package.writestr("word/document.xml",
                         f"<w:document {W} {MC}><w:body>{body}</w:body></w:document>")
        for name, data in (parts or {}).items():
            package.writestr(name, data)
    return path


def article(body: str) -> str:
    return (paragraph("某某县：代表工作有新招", centred=True) + body
            + paragraph("（某某县人大常委会供稿）"))


def import_file(project: Path, source: Path):
    return bulletin("import", source, "--issue", "23", "--slug", "imported", cwd=project)


DEEP = 5000


@pytest.mark.parametrize("case, body", [
    ("sdt-blocks", "<w:sdt><w:sdtContent>" * DEEP + paragraph("深处的文字。")
     + "</w:sdtContent></w:sdt>" * DEEP),
    ("sdt-inline", "<w:p>" + "<w:sdt><w:sdtContent>" * DEEP + "<w:r><w:t>深处的文字。</w:t></w:r>"
     + "</w:sdtContent></w:sdt>" * DEEP + "</w:p>"),
    ("hyperlinks", "<w:p>" + "<w:hyperlink>" * DEEP + "<w:r><w:t>深处的文字。</w:t></w:r>"
     + "</w:hyperlink>" * DEEP + "</w:p>"),
    ("tables", "<w:tbl><w:tr><w:tc>" * 2000 + paragraph("深处的文字。")
     + "</w:tc></w:tr></w:tbl>" * 2000),
    ("alternate-content", "<w:p><w:r>" + "<mc:AlternateContent><mc:Choice>" * DEEP
     + "<w:t>深处的文字。</w:t>" + "</mc:Choice></mc:AlternateContent>" * DEEP + "</w:r></w:p>"),
])
def test_a_docx_nested_thousands_deep_is_imported_as_text(project, tmp_path, case, body):
    source = docx(tmp_path / f"{case}.docx", article(body))
    result = import_file(project, source)
    assert_diagnosed(result, "I408", "issues/23/articles/imported.md")
    assert "深处的文字。" in (project / "issues/23/articles/imported.md").read_text("utf-8")


def test_rows_of_a_table_wrapped_thousands_deep(project, tmp_path):
    cells = "<w:tr><w:tc>" + paragraph("甲") + "</w:tc><w:tc>" + paragraph("乙") + "</w:tc></w:tr>"
    body = "<w:tbl>" + "<w:sdt><w:sdtContent>" * DEEP + cells * 2 \
        + "</w:sdtContent></w:sdt>" * DEEP + "</w:tbl>"
    result = import_file(project, docx(tmp_path / "rows.docx", article(body)))
    assert result.returncode in (0, 1) and "Traceback" not in result.stdout + result.stderr
    assert "| 甲 | 乙 |" in (project / "issues/23/articles/imported.md").read_text("utf-8")


def test_numbers_word_never_writes(project, tmp_path):
    numbering = (f'<w:numbering {W}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="²">'
                 f'<w:start w:val="{"9" * 5000}"/><w:numFmt w:val="upperLetter"/>'
                 '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1">'
                 f'<w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="{"1" * 5000}">'
                 '<w:startOverride w:val="-999999999"/></w:lvlOverride></w:num></w:numbering>')
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/numbering" Target="numbering.xml"/></Relationships>')
    listed = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="²"/><w:numId w:val="1"/></w:numPr></w:pPr>'
              '<w:r><w:t>一项工作。</w:t></w:r></w:p>') * 50
    grid = ('<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr>'
            + paragraph("甲") + "</w:tc><w:tc>" + paragraph("乙") + "</w:tc></w:tr>"
            f'<w:tr><w:trPr><w:gridBefore w:val="{"9" * 5000}"/></w:trPr><w:tc>'
            + paragraph("丙") + "</w:tc></w:tr></w:tbl>")
    symbols = ('<w:p><w:r><w:sym w:font="x" w:char="' + "F" * 100 + '"/>'
               '<w:sym w:font="x" w:char="-1"/><w:sym w:font="x" w:char="110000"/>'
               '<w:rPr><w:sz w:val="1e999"/></w:rPr><w:t>符号</w:t></w:r></w:p>')
    source = docx(tmp_path / "numbers.docx", article(listed + grid + symbols),
                  {"word/numbering.xml": numbering, "word/_rels/document.xml.rels": rels})
    started = time.monotonic()
    result = import_file(project, source)
    assert time.monotonic() - started < 30
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    written = (project / "issues/23/articles/imported.md").read_bytes()
    assert len(written) < 100_000


def test_a_zip_bomb_is_refused_before_it_is_inflated(project, tmp_path):
    # 240 KB that inflates to 200 MB: the directory says so, nothing is inflated.
    source = docx(tmp_path / "bomb.docx", article(paragraph("重复的文字。" * 100_000) * 100))
    assert source.stat().st_size < 2_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = import_file(project, source)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "bomb.docx" in output and "疑似压缩炸弹" in output
    assert not (project / "issues/23/articles/imported.md").exists()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB


def test_a_docx_whose_article_would_be_over_the_limit(project, tmp_path):
    rng = random.Random(5)
    han = [chr(c) for c in range(0x4E00, 0x9FA5)]
    text = "".join(rng.choice(han) for _ in range(4000)) + "。"
    source = docx(tmp_path / "long.docx", article(paragraph(text) * 200), compression=zipfile.ZIP_STORED)
    result = import_file(project, source)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "long.docx 导入后的稿件有" in output and "超过稿件上限 2 MB" in output
    assert not (project / "issues/23/articles/imported.md").exists()


def test_package_bounds_from_the_zip_directory():
    from bulletin.importers.docx import MAX_PARTS, Package
    from bulletin.importers.errors import SubmissionError

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as package:
        for index in range(MAX_PARTS + 1):
            package.writestr(f"p{index}", b"")
    with pytest.raises(SubmissionError, match="个部件"):
        Package(many.getvalue(), "many.docx")


# --- item 5: tables and nesting, bounded before the layout -----------------------------


def test_a_table_at_the_row_limit_passes_and_one_over_is_refused(project):
    from bulletin.sources import MAX_TABLE_ROWS

    set_body(project, "第一段。\n\n" + table(MAX_TABLE_ROWS))
    result = bulletin("check", "23", cwd=project)
    assert "S117" not in result.stdout, result.stdout[-2000:]
    set_body(project, "第一段。\n\n" + table(MAX_TABLE_ROWS + 1))
    result = bulletin("check", "23", cwd=project)
    assert_diagnosed(result, "S117", f"{ARTICLE}:{body_line(project) + 2}:1")
    assert f"表格有 {MAX_TABLE_ROWS + 1} 行" in result.stdout


def test_a_20000_row_table_is_refused_in_seconds_without_a_layout(project):
    set_body(project, "第一段。\n\n" + table(20_000))
    assert (project / ARTICLE).stat().st_size > 200_000
    started = time.monotonic()
    result = bulletin("build", "23", "-o", project / "build/x.pdf", cwd=project)
    assert time.monotonic() - started < 20  # 126 s of layout before
    assert_diagnosed(result, "S117", ARTICLE)
    assert "表格有 20000 行" in result.stdout and not (project / "build/x.pdf").exists()


@pytest.mark.parametrize("rows, columns, message", [
    (3, 21, "表格有 21 列，超过上限 20 列"),
    (200, 20, "表格有 4000 个单元格（200 行 × 20 列），超过上限 3000 个"),
])
def test_table_columns_and_cells(project, rows, columns, message):
    set_body(project, "第一段。\n\n" + table(rows, columns))
    result = bulletin("check", "23", cwd=project)
    assert_diagnosed(result, "S117", f"{ARTICLE}:{body_line(project) + 2}:1")
    assert message in result.stdout


def test_the_tables_of_an_article_together(project):
    set_body(project, "第一段。\n\n" + "\n\n".join([table(150, 10)] * 5))  # 1500 cells each
    result = bulletin("check", "23", cwd=project)
    assert_diagnosed(result, "S117", ARTICLE)
    assert "本稿的表格合计超过 6000 个单元格" in result.stdout
    assert result.stdout.count("S117") == 1


def test_a_table_in_a_quote_or_a_list_is_counted_too(project):
    quoted = "\n".join("> " + line for line in table(600, 3).splitlines())
    set_body(project, "第一段。\n\n" + quoted)
    assert_diagnosed(bulletin("check", "23", cwd=project), "S117", ARTICLE)
    # A table-like block in code is no table.
    set_body(project, "第一段。\n\n```\n" + table(600, 3) + "```\n")
    assert "S117" not in bulletin("check", "23", cwd=project).stdout


@pytest.mark.parametrize("body, line", [
    ("\n".join("  " * depth + "- 项" for depth in range(500)), 8),
    (">" * 5000 + " 引文", 0),
    ("- - - - - - - - - 项", 0),
    ("\n".join(">" * (depth + 1) + " 引" for depth in range(12)), 8),
])
def test_lists_and_quotes_nested_too_deep(project, body, line):
    set_body(project, "第一段。\n\n" + body)
    result = bulletin("build", "23", "-o", project / "build/x.pdf", cwd=project)
    assert_diagnosed(result, "S122", f"{ARTICLE}:{body_line(project) + 2 + line}:1")
    assert "嵌套超过 8 层" in result.stdout


def test_eight_levels_are_fine(project):
    set_body(project, "第一段。\n\n" + "\n".join("  " * depth + "- 项" for depth in range(8)))
    assert "S122" not in bulletin("check", "23", cwd=project).stdout


# --- build --all reads what an issue uses, bounded --------------------------------------


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_the_digest_reads_only_what_the_issue_uses(project, tmp_path):
    from bulletin.archive import inputs_digest

    articles = project / "issues/23/articles"
    first = inputs_digest(project, 23)
    # Beside the articles: notes, a 3 GB file (through a link inside the project and one
    # that leaves it), a pipe. None of them is the issue's: none changes the digest.
    (articles / "notes.txt").write_text("编辑备忘", encoding="utf-8")
    (articles / "draft.md").write_text("---\ntitle: 草稿\n---\n", encoding="utf-8")
    (articles / "inside.bin").symlink_to(sparse(project / "big.bin", 3 * 1024 ** 3))
    (articles / "outside.bin").symlink_to(sparse(tmp_path / "big.bin", 3 * 1024 ** 3))
    os.mkfifo(articles / "pipe")
    started = time.monotonic()
    assert inputs_digest(project, 23) == first
    assert time.monotonic() - started < 5
    (articles / "notes.txt").write_text("另一条备忘", encoding="utf-8")
    assert inputs_digest(project, 23) == first
    # What it uses does: an article, issue.yaml, an image an article shows.
    (articles / "photo.png").write_bytes(b"not yet a picture")
    set_body(project, "第一段。\n\n![图为现场](photo.png)")
    with_image = inputs_digest(project, 23)
    assert with_image != first
    (articles / "photo.png").write_bytes(b"another picture")
    assert inputs_digest(project, 23) != with_image


def test_digest_of_links_that_leave_and_of_huge_shared_files(project, tmp_path):
    from bulletin.archive import _shared_digest_cache, inputs_digest

    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG outside the project")
    (project / "issues/23/articles/leak.png").symlink_to(outside)
    set_body(project, "第一段。\n\n![图为现场](leak.png)")
    first = inputs_digest(project, 23)
    outside.write_bytes(b"\x89PNG changed, never read")
    assert inputs_digest(project, 23) == first
    (project / "issues/23/articles/xixia.md").unlink()
    (project / "issues/23/articles/xixia.md").symlink_to(Path("/etc/passwd"))
    assert inputs_digest(project, 23) != first

    # A huge file in templates/ counts by its name and size, unread.
    sparse(project / "templates" / "huge.bin", 3 * 1024 ** 3)
    _shared_digest_cache.clear()
    run = subprocess.run([sys.executable, "-c", PEAK_MEMORY, str(project)], capture_output=True,
                         text=True, timeout=120)
    seconds, peak = run.stdout.split()
    assert float(seconds) < 10 and int(peak) < 300_000, run.stdout + run.stderr  # KB


# The digest's time and the process's peak memory (VmHWM: this process's own, where
# getrusage's maxrss keeps the parent's from before exec).
PEAK_MEMORY = """
import re, sys, time
from pathlib import Path
from bulletin.archive import inputs_digest
started = time.monotonic()
inputs_digest(sys.argv[1], 23)
peak = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
print(time.monotonic() - started, peak)
"""


def test_build_all_skips_an_issue_after_an_unused_file_changes(tmp_path):
    project = copy_project(tmp_path / "archive", issues=False)
    make_issue(project, 1, seed=1, articles=1)
    first = bulletin("build", "--all", "-j", "1", cwd=project, env={"CI": "true"})
    assert first.returncode == 0, first.stdout + first.stderr
    (project / "issues/1/articles/notes.txt").write_text("备忘", encoding="utf-8")
    again = bulletin("build", "--all", "-j", "1", cwd=project, env={"CI": "true"})
    assert "全部 1 期均未变化" in again.stdout, again.stdout


# --- the fuzz --------------------------------------------------------------------------

ODD_DIGITS = "²³¹⁰₀₁٠١٢٣۴۵०१२३০১๑໑０１２３①⑴⒈〇一二"
# Lengths around the bounds that matter: i64, the loader's 64 digits, Python's 4300.
HUGE_INTEGER = st.sampled_from([19, 20, 64, 65, 4300, 4301, 5000]).map(lambda n: "9" * n)
ODD_NUMBER = st.text(st.sampled_from(ODD_DIGITS + "0123456789"), min_size=1, max_size=8)
LONG_NAME = st.sampled_from([252, 253, 300, 1000]).map(lambda n: "x" * n + ".md")
NESTED = st.integers(min_value=1, max_value=3000).flatmap(
    lambda n: st.sampled_from(["[" * n + "]" * n, "{a: " * n + "1" + "}" * n,
                               "\n" + "".join("  " * i + "- \n" for i in range(min(n, 200)))]))
SCALARS = st.one_of(
    HUGE_INTEGER, HUGE_INTEGER.map(lambda s: "-" + s), HUGE_INTEGER.map(lambda s: "0x" + s),
    HUGE_INTEGER.map(lambda s: s + ".5"), HUGE_INTEGER.map(lambda s: f'"{s}"'),
    ODD_NUMBER, ODD_NUMBER.map(lambda s: f'"{s}"'), LONG_NAME, LONG_NAME.map(lambda s: f'"{s}"'),
    NESTED, st.sampled_from(["&a [*a]", "~", "true", "1e99999", ".nan", "!!binary aGk=",
                             "!!set {a}", "? [a, b]\n  : c", '"\\0.md"', '"\\ud800"',
                             "2025-13-45", "99999-01-01", "'²'", "!!python/name:os.system"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'))
ISSUE_FIELDS = st.sampled_from(["number", "date", "articles", "supplement",
                                "distribution_placement", "extra_distribution",
                                "²", "9" * 70])
FRONT_FIELDS = st.sampled_from(["title", "credit", "subtitle", "author", "٣"])


@pytest.fixture(scope="module")
def fuzz_project():
    folder = copy_project(Path(tempfile.mkdtemp(prefix="bulletin-limits-")), issues=[23])
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def assert_never_a_bug(project: Path, *args) -> None:
    result = bulletin(*args, cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output[-3000:]
    assert "Traceback" not in output and "内部错误" not in output, output[-3000:]
    if result.returncode == 1:
        assert any(" S1" in line or " B2" in line for line in result.stdout.splitlines()), \
            output[-3000:]


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=ISSUE_FIELDS, value=SCALARS, as_item=st.booleans())
def test_fuzz_issue_yaml_values(fuzz_project, field, value, as_item):
    written = f"[{value}]" if as_item and "\n" not in value else value
    lines = ["number: 23", "date: 2025-06-09", "articles:", "  - kaifeng-longting.md",
             "  - hebi-shancheng.md", "  - xixia.md"]
    if field in ("number", "date"):
        lines = [f"{field}: {written}" if line.startswith(field) else line for line in lines]
    elif field == "articles":
        lines[5] = f"  - {value}" if "\n" not in value else lines[5]
        lines.append(f"# {value[:20]!r}")
    else:
        lines.append(f"{field}: {written}")
    (fuzz_project / ISSUE).write_text("\n".join(lines) + "\n", encoding="utf-8",
                                      errors="surrogatepass")
    assert_never_a_bug(fuzz_project, "check", "--all")


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=FRONT_FIELDS, value=SCALARS, as_item=st.booleans())
def test_fuzz_front_matter_values(fuzz_project, field, value, as_item):
    (fuzz_project / ISSUE).write_text(
        "number: 23\ndate: 2025-06-09\narticles: [kaifeng-longting.md, xixia.md]\n",
        encoding="utf-8")
    written = f"[{value}]" if as_item and "\n" not in value else value
    front = {"title": "标题", "credit": "某单位"}
    front[field] = written
    text = "---\n" + "".join(f"{key}: {val}\n" for key, val in front.items()) + "---\n\n正文。\n"
    (fuzz_project / ARTICLE).write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_never_a_bug(fuzz_project, "check", "23")
