"""Publishing: reproducible, well-formed PDFs, and whole-archive builds that skip what is current.

`in_a_process` runs the real command in a fresh process with a bare environment: for the
bytes a new process makes, and for `build --all` and `publish`, whose worker processes,
skip timing and per-process state are the point. The rest run in this process
(conftest.bulletin).
"""

from __future__ import annotations

import time

import pytest
from pypdf import PdfReader

from conftest import bulletin as in_this_process
from conftest import copy_project, run_bulletin
from synthetic import make_issue

ENV = {"CI": "true"}


def in_a_process(*args, cwd):
    return run_bulletin(*args, cwd=cwd, env={"PATH": "/usr/bin:/bin", **ENV})


def bulletin(*args, cwd):
    return in_this_process(*args, cwd=cwd, env=ENV)


def test_the_same_sources_give_the_same_bytes(root, tmp_path, issue23_pdf):
    # One build in a fresh process (another hash seed, a bare environment), one in this
    # process by the session's warm renderer, after whatever it laid out before.
    first, second = tmp_path / "a.pdf", issue23_pdf
    result = in_a_process("build", "23", "-o", str(first), cwd=root)
    assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    assert b"2026" not in first.read_bytes()  # no build date: the issue's date only


def test_metadata_and_one_bookmark_per_article(issue23_pdf):
    reader = PdfReader(issue23_pdf)
    meta = reader.metadata
    assert meta["/Title"] == "代表工作 2025年第23期"
    assert meta["/Author"] == "河南省人大常委会代表工作委员会"
    assert "2025年第23期" in meta["/Subject"]
    assert "西峡县" in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20250609")
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    bookmarks = [(item["/Title"], reader.get_destination_page_number(item) + 1)
                 for item in reader.outline]
    assert bookmarks == [
        ("开封市龙亭区：稳步推进人大代表在行动主题活动", 1),
        ("鹤壁市山城区：为民履职走在前 助力发展添彩中原", 3),
        ("西峡县：“四抓四促”助推代表主题活动提质增效", 6),
    ]


def test_manifest_records_where_each_article_starts(root, issue23_pdf):
    from bulletin.pipeline import read_manifest

    manifest = read_manifest(issue23_pdf, root)  # under build/manifests/: the PDF is elsewhere
    assert manifest["pages"] == 9
    assert [(a["slug"], a["page"]) for a in manifest["articles"]] == [
        ("kaifeng-longting", 1), ("hebi-shancheng", 3), ("xixia", 6)]


def test_pdf_a_and_tagged_variants(root, tmp_path):
    archive = tmp_path / "a2b.pdf"
    assert bulletin("build", "23", "-o", str(archive), "--pdf-variant", "pdf/a-2b",
                    cwd=root).returncode == 0
    catalog = PdfReader(archive).trailer["/Root"]
    assert "/OutputIntents" in catalog
    assert b"pdfaid:part" in catalog["/Metadata"].get_object().get_data()

    tagged = tmp_path / "tagged.pdf"
    assert bulletin("build", "23", "-o", str(tagged), "--tagged", cwd=root).returncode == 0
    catalog = PdfReader(tagged).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]


@pytest.fixture()
def archive(tmp_path):
    project = copy_project(tmp_path / "archive", issues=False)
    for number in (1, 2, 3):
        make_issue(project, number, seed=number, articles=2)
    return project


def test_build_all_builds_then_skips_everything(archive):
    result = in_a_process("build", "--all", "-j", "2", cwd=archive)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("已生成") == 3
    pdfs = sorted(p.name for p in (archive / "build").glob("*.pdf"))
    assert len(pdfs) == 3

    started = time.monotonic()
    again = in_a_process("build", "--all", cwd=archive)
    elapsed = time.monotonic() - started
    assert again.returncode == 0
    assert "全部 3 期均未变化，已跳过" in again.stdout
    assert elapsed < 10  # generous: the benchmark measures it; here, nothing was rebuilt

    # A change to one issue rebuilds that issue only.
    article = archive / "issues/2/articles/article-1.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    third = in_a_process("build", "--all", cwd=archive)
    assert third.stdout.count("已生成") == 1 and "第 2 期 已生成" in third.stdout


def test_build_all_reports_a_failed_issue_and_builds_the_others(archive):
    (archive / "issues/2/issue.yaml").write_text("number: 2\ndate: 昨天\narticles: [x.md]\n",
                                                 encoding="utf-8")
    result = in_a_process("build", "--all", "-j", "2", cwd=archive)
    assert result.returncode == 1
    assert "第 2 期 失败" in result.stdout
    assert "issues/2/issue.yaml" in result.stdout + result.stderr
    assert result.stdout.count("已生成") == 2


def test_check_all_reports_every_issue_once_in_github_format(archive):
    (archive / "issues/3/articles/article-1.md").write_text(
        "---\ntitle: 标题\ncredit: 某单位\n---\n\n正文,有半角逗号。\n", encoding="utf-8")
    result = bulletin("check", "--all", "--format", "github", cwd=archive)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("::error file=issues/3/articles/article-1.md,line=6,endLine=6,col=3,")
               for line in lines), lines
    assert len(lines) == len(set(lines))


def test_build_html_writes_the_web_edition(root, tmp_path):
    folder = tmp_path / "web"
    result = bulletin("build", "23", "--format", "html", "-o", str(folder), cwd=root)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "hebi-shancheng.html", "index.html", "kaifeng-longting.html", "xixia.html"]
    page = (folder / "xixia.html").read_text(encoding="utf-8")
    assert "（南阳市人大常委会代表工委供稿）" in page


def test_publish_makes_a_site_of_every_issue(archive):
    make_issue(archive, 4, seed=4, articles=2)
    result = in_a_process("publish", cwd=archive)
    assert result.returncode == 0, result.stdout + result.stderr
    site = archive / "build" / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    for number in (1, 2, 3, 4):
        assert f'id="issue-{number}"' in index
        pdf = next((site / "pdf").glob(f"*-{number}.pdf"))
        assert pdf.read_bytes().startswith(b"%PDF")
        web = next(site.glob(f"*-{number}/index.html"))
        assert f"第{number}期" in web.read_text(encoding="utf-8").replace(" ", "")
    assert index.index('id="issue-4"') < index.index('id="issue-1"')  # newest first
    years = {p.name for p in site.glob("index-*.pdf")}
    assert years and all(p.startswith("index-2025") for p in years)
    assert "http://" not in index and "https://" not in index


def test_index_command_writes_the_years_contents(archive):
    result = bulletin("index", "2025", "-o", "out", cwd=archive)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (archive / "out").iterdir()) == [
        "index-2025.html", "index-2025.pdf"]
    empty = bulletin("index", "1999", cwd=archive)
    assert empty.returncode == 1 and "1999 年没有" in empty.stderr
