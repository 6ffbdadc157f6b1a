"""The annual index (总目录): every issue of the year in order, each article with its credit
and the page it starts on, checked against the issues' own PDFs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest

from conftest import copy_project, renderer_for
from synthetic import make_issue

HINTS = re.compile("[\u200b\u2060]")
MM = 72 / 25.4


def plain(text: str) -> str:
    return re.sub(r"\s+", "", HINTS.sub("", text))


def start_pages(pdf_path: Path, issue) -> dict[str, int]:
    """The page of the PDF each article starts on, found by the opening of its text.

    Not by its title: page 1's 要目 lists every title. Each opening is looked for after
    the one before, across page ends, as generated articles repeat phrases.
    """
    with pdfplumber.open(pdf_path) as pdf:
        pages = [plain(page.extract_text() or "") for page in pdf.pages]
    ends = [sum(len(text) for text in pages[:number]) for number in range(1, len(pages) + 1)]
    text, position, found = "".join(pages), 0, {}
    for article in issue.articles:
        position = text.index(plain(article.body)[:40], position)
        found[article.slug] = next(number for number, end in enumerate(ends, 1) if position < end)
    return found


@pytest.fixture(scope="module")
def year_project(tmp_path_factory) -> Path:
    """Issue 23, a generated issue 30 of the same year, one of 2024, one with an error."""
    project = copy_project(tmp_path_factory.mktemp("annual") / "project", issues=[23])
    make_issue(project, 30, seed=30, articles=3)
    other_year = make_issue(project, 40, seed=40, articles=2) / "issue.yaml"
    other_year.write_text(re.sub(r"date: \S+", "date: 2024-12-20",
                                 other_year.read_text(encoding="utf-8")), encoding="utf-8")
    broken = make_issue(project, 31, seed=31, articles=2) / "articles/article-2.md"
    broken.write_text(re.sub(r"credit: .*\n", "", broken.read_text(encoding="utf-8")),
                      encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def written(year_project):
    from bulletin.annual import write_annual_index

    skipped = []
    paths = write_annual_index(year_project, 2025, year_project / "out", skipped=skipped)
    return paths, skipped


@pytest.fixture(scope="module")
def issues(year_project):
    from bulletin.sources import load_issue

    return [load_issue(year_project, number) for number in (23, 30)]


@pytest.fixture(scope="module")
def expected_pages(year_project, issues, issue23_pdf, tmp_path_factory):
    """Each article's start page, read from the issues' PDFs as `bulletin build` makes them."""
    from bulletin.pipeline import build_issue

    issue30_pdf = build_issue(year_project, 30, tmp_path_factory.mktemp("pdf") / "30.pdf",
                              renderer=renderer_for(year_project))
    return {23: start_pages(issue23_pdf, issues[0]), 30: start_pages(issue30_pdf, issues[1])}


@pytest.fixture(scope="module")
def index_lines(written):
    (html, pdf_path), _ = written
    with pdfplumber.open(pdf_path) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def test_issue_23_articles_start_on_pages_1_3_and_6(root, issue23_pdf):
    from bulletin.annual import article_pages
    from bulletin.sources import load_issue

    from bulletin.project import Project

    issue = load_issue(root, 23)
    assert start_pages(issue23_pdf, issue) == {
        "kaifeng-longting": 1, "hebi-shancheng": 3, "xixia": 6}
    assert article_pages(Project(root).load(23), root) == start_pages(issue23_pdf, issue)


def test_pages_come_from_a_current_build_and_never_from_a_stale_one(project):
    import json

    from bulletin.annual import article_pages
    from bulletin.archive import inputs_digest
    from bulletin.pipeline import build_issue, manifest_path
    from bulletin.project import Project

    pdf = build_issue(project, 23, inputs=inputs_digest(project, 23))
    manifest = json.loads(manifest_path(pdf).read_text(encoding="utf-8"))
    assert [a["page"] for a in manifest["articles"]] == [1, 3, 6]
    # What a current build recorded is what the index prints: no second layout.
    manifest["articles"][2]["page"] = 7
    manifest_path(pdf).write_text(json.dumps(manifest), encoding="utf-8")
    assert article_pages(Project(project).load(23), project)["xixia"] == 7
    # A longer first article moves the others on; the manifest no longer describes the
    # sources, so the issue is laid out again.
    first = project / "issues/23/articles/kaifeng-longting.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n" + "\n\n".join(
        ["补充段落：代表们深入基层，认真听取群众意见。" * 6] * 12) + "\n", encoding="utf-8")
    pages = article_pages(Project(project).load(23), project)
    assert pages["kaifeng-longting"] == 1
    assert pages["hebi-shancheng"] > 3 and pages["xixia"] > 6


def test_collect_year_lists_the_years_issues_in_order(year_project, issues, expected_pages):
    from bulletin.annual import collect_year

    skipped = []
    entries = collect_year(year_project, 2025, skipped)
    assert [(e.number, e.slug) for e in entries] == [
        (issue.number, article.slug) for issue in issues for article in issue.articles]
    for entry in entries:
        article = next(a for i in issues for a in i.articles
                       if i.number == entry.number and a.slug == entry.slug)
        assert (entry.title, entry.credit) == (article.title, article.credit)
        assert entry.page == expected_pages[entry.number][entry.slug]
    assert [e.page for e in entries if e.number == 23] == [1, 3, 6]
    assert [s.number for s in skipped] == [31]


def test_an_issue_with_errors_is_skipped_with_a_warning(written, index_lines):
    paths, skipped = written
    assert len(paths) == 2
    (issue,) = skipped
    assert issue.number == 31
    assert "第 31 期" in issue.message and "未编入总目录" in issue.message
    assert [(d.code, d.path) for d in issue.diagnostics] == [
        ("S101", "issues/31/articles/article-2.md")]
    text = plain("".join(index_lines))
    assert "第31期" not in text and "第40期" not in text


def test_the_pdf_is_an_a4_index_titled_and_grouped_by_issue(written, index_lines):
    (html, pdf_path), _ = written
    assert pdf_path.name == "index-2025.pdf" and html.name == "index-2025.html"
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        assert (page.width, page.height) == pytest.approx((210 * MM, 297 * MM), abs=0.5)
        fonts = {char["fontname"].split("+")[-1] for p in pdf.pages for char in p.chars}
    # The bulletin's own faces (the roles of templates/fonts.css), no system font: 仿宋
    # entries, 楷体 credits, 黑体 headings, the title face for the title.
    bundled = {"FandolFang", "FandolKai", "FandolHei", "FandolSong", "Noto-Serif-CJK-SC",
               "Noto-Serif-CJK-SC-Bold"}
    assert {"FandolFang", "FandolKai", "FandolHei", "Noto-Serif-CJK-SC-Bold"} <= fonts
    assert fonts <= bundled, fonts
    assert index_lines[0] == "《代表工作》2025年总目录"
    headings = [line for line in index_lines if re.match(r"^第\d+期（", line)]
    assert headings == ["第23期（2025年6月9日）", "第30期（2025年7月3日）"]


def test_each_entry_reads_title_leader_credit_leader_page(written, index_lines, issues,
                                                         expected_pages):
    # The last line of an entry: the end of its title, dots, the credit, dots, the page.
    entry = re.compile(r"^(?P<tail>.+?)\.{5,}(?P<credit>[^.]+?)\.*(?P<page>\d+)$")
    entries = [match.groupdict() for line in index_lines if (match := entry.match(plain(line)))]
    assert len(entries) == sum(len(issue.articles) for issue in issues)
    for (issue, article), shown in zip(
            ((issue, article) for issue in issues for article in issue.articles), entries):
        assert plain(article.title).endswith(shown["tail"])
        assert shown["credit"] == article.credit
        assert int(shown["page"]) == expected_pages[issue.number][article.slug]
    # The title itself is all there, across the lines it takes.
    text = plain("".join(index_lines))
    for article in issues[0].articles:
        assert plain(article.title) in text.replace(".", "")


def test_titles_break_at_their_natural_points(index_lines):
    lines = [plain(line) for line in index_lines]
    assert "开封市龙亭区：" in lines
    assert "鹤壁市山城区：为民履职走在前" in lines
    assert any(line.startswith("助力发展添彩中原....") for line in lines)


def test_the_html_index_lists_the_same_entries(written, issues, expected_pages):
    (html_path, _), _ = written
    page = IndexPage(html_path.read_text(encoding="utf-8"))
    assert page.lang == "zh-CN"
    assert page.title == "《代表工作》2025年总目录"
    assert page.headings == ["第23期（2025年6月9日）", "第30期（2025年7月3日）"]
    assert page.rows == [
        (plain(article.title), article.credit, str(expected_pages[issue.number][article.slug]))
        for issue in issues for article in issue.articles]
    # It stands alone on a website: no stylesheet link, no script, no address.
    assert not {"link", "script"} & set(page.tags)
    assert all("http" not in value for value in page.urls)
    assert "\u200b" not in page.html and "\u2060" not in page.html


def test_same_sources_same_bytes(year_project, written, tmp_path):
    from bulletin.annual import write_annual_index
    from bulletin.typeset.render import Renderer

    again = write_annual_index(year_project, 2025, tmp_path, renderer=Renderer(year_project))
    for first, second in zip(written[0], again):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes(), first.name


def test_a_year_without_issues_writes_nothing(year_project, tmp_path):
    from bulletin.annual import write_annual_index

    assert write_annual_index(year_project, 2019, tmp_path / "out") == []
    assert not (tmp_path / "out").exists()


class IndexPage(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html, self.lang, self.title = html, None, ""
        self.headings: list[str] = []
        self.rows: list[tuple] = []
        self.tags: list[str] = []
        self.urls: list[str] = []
        self._cell = None
        self._in = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs.items() if name in ("src", "href")]
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("title", "h2"):
            self._in = tag
            if tag == "h2":
                self.headings.append("")
        if tag == "tr" and attrs.get("class") == "entry":
            self.rows.append(())
        if tag == "td" and self.rows:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("title", "h2"):
            self._in = None
        if tag == "td" and self._cell is not None:
            self.rows[-1] += (plain(self._cell),)
            self._cell = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h2":
            self.headings[-1] += data
        if self._cell is not None:
            self._cell += data
