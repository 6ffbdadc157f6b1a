"""The web edition: what a reader of the 人大 website or a WeChat post gets.

The same words and credits as the Markdown, images carried inside the page, nothing
fetched from elsewhere, and the same bytes from the same issue.
"""

from __future__ import annotations

import base64
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import copy_project
from synthetic import make_issue

HINTS = re.compile("[\u200b\u2060]")
WHITESPACE = re.compile(r"\s+")


class Page(HTMLParser):
    """What a web page shows and asks for, read back without our own code."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.lang = None
        self.title = ""
        self.meta: dict[str, str] = {}
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.tags: list[str] = []
        self.styles = ""
        self.articles: dict[str, dict] = {}  # by id, in page order
        self.contents: list[tuple[str, str]] = []  # 要目: (href, text)
        self.distribution = ""
        self._stack: list[tuple[str, str]] = []  # (tag, class)
        self._article = None
        self._field = None
        self._link = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        css_class = attrs.get("class") or ""
        for name in ("src", "href", "action", "poster", "srcset"):
            if name in attrs:
                self.urls.append((tag, name, attrs[name] or ""))
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ("charset" if "charset" in attrs
                                                                  else None)
            if key:
                self.meta[key] = attrs.get("content") or attrs.get("charset") or ""
        if tag == "article":
            self._article = {"title": "", "paragraphs": [], "credit": "", "run_in": [],
                             "images": []}
            self.articles[attrs.get("id")] = self._article
        if self._article is not None:
            if tag in ("h1", "h2") and "article-title" in css_class:
                self._field = "title"
            elif tag == "p" and self._inside("article-body"):
                self._article["paragraphs"].append("")
                self._field = "paragraph"
            elif tag == "p" and "credit" in css_class:
                self._field = "credit"
            elif tag == "span" and "run-in-heading" in css_class:
                self._article["run_in"].append("")
            elif tag == "img":
                self._article["images"].append(attrs)
        if tag == "a" and self._inside("contents"):
            self._link = [attrs.get("href"), ""]
            self.contents.append(self._link)
        if tag not in ("meta", "img", "br", "link"):
            self._stack.append((tag, css_class))

    def handle_endtag(self, tag):
        if tag == "article":
            self._article = None
        if tag in ("h1", "h2", "p"):
            self._field = None
        if tag == "a":
            self._link = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._stack and self._stack[-1][0] == "title":
            self.title += data
        if self._stack and self._stack[-1][0] == "style":
            self.styles += data
        if self._inside("distribution"):
            self.distribution += data
        if self._link is not None:
            self._link[1] += data
        if self._article is None or self._field is None:
            return
        if self._field == "paragraph":
            self._article["paragraphs"][-1] += data
            if self._inside("run-in-heading"):
                self._article["run_in"][-1] += data
        else:
            self._article[self._field] += data

    def _inside(self, css_class: str) -> bool:
        return any(css_class in classes.split() for _, classes in self._stack)


def plain(text: str) -> str:
    """Text as a reader compares it: hints and white space aside."""
    return WHITESPACE.sub("", HINTS.sub("", text))


def markdown_paragraphs(body: str) -> list[str]:
    return [plain(block) for block in re.split(r"\n\s*\n", body.strip()) if block.strip()]


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def web_edition(root: Path, number: int, out_dir: Path) -> tuple:
    from bulletin.project import Project
    from bulletin.web import write_web_edition

    loaded = Project(root).load(number)
    return loaded.require(), write_web_edition(loaded, out_dir)


@pytest.fixture(scope="module")
def issue23_web(root, tmp_path_factory):
    return web_edition(root, 23, tmp_path_factory.mktemp("web") / "23")


@pytest.fixture(scope="module")
def generated_web(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("generated") / "project", issues=False)
    make_issue(project, 7, seed=7, articles=3)
    return web_edition(project, 7, project / "web")


# --- what is written -------------------------------------------------------------------


def test_an_issue_page_and_one_page_per_article(issue23_web):
    issue, written = issue23_web
    assert [path.name for path in written] == [
        "index.html", "kaifeng-longting.html", "hebi-shancheng.html", "xixia.html"]
    assert all(path.is_file() for path in written)
    assert len({path.parent for path in written}) == 1


def test_the_issue_page_holds_masthead_contents_articles_and_distribution(issue23_web):
    issue, written = issue23_web
    page = read(written[0])
    assert page.lang == "zh-CN"
    assert page.meta["charset"].lower() == "utf-8"
    assert page.title == "代表工作 2025年第23期"
    text = plain(page.html)
    for masthead in ("代表工作", "第23期", "河南省人大常委会代表工作委员会", "2025年6月9日"):
        assert masthead in text
    # 要目: each title, linking to its article on the same page.
    assert [(href, plain(title)) for href, title in page.contents] == [
        (f"#article-{a.slug}", plain(a.title)) for a in issue.articles]
    assert list(page.articles) == [f"article-{a.slug}" for a in issue.articles]
    # 报尾, as in the PDF.
    assert plain(page.distribution) == plain(
        "送：省人大常委会主任、副主任、秘书长"
        "发：省人大常委会副秘书长、机关党组成员、办公厅研究室主任，省人大各专门委员会、"
        "省人大常委会各工作机构和办事机构，各省辖市人大常委会、济源示范区人大工委"
        "河南省人大常委会代表工作委员会印发")


def test_every_article_in_full_with_its_credit(issue23_web):
    issue, written = issue23_web
    pages = [read(path) for path in written]
    for article in issue.articles:
        expected = markdown_paragraphs(article.body)
        assert len(expected) >= 5
        for page in (pages[0], next(p for p in pages[1:]
                                    if f"article-{article.slug}" in p.articles)):
            shown = page.articles[f"article-{article.slug}"]
            assert plain(shown["title"]) == plain(article.title)
            assert [plain(p) for p in shown["paragraphs"]] == expected
            assert shown["credit"] == f"（{article.credit}供稿）"
    assert pages[0].articles["article-xixia"]["credit"] == "（南阳市人大常委会代表工委供稿）"


def test_an_article_page_is_titled_and_shared_as_that_article(issue23_web):
    issue, written = issue23_web
    page = read(written[3])
    article = issue.articles[2]
    assert page.lang == "zh-CN"
    assert article.title in page.title
    assert page.meta["og:title"] == "西峡县：“四抓四促”助推代表主题活动提质增效"
    first = markdown_paragraphs(article.body)[0]
    description = page.meta["og:description"]
    assert description.endswith("……")
    assert first.startswith(plain(description.removesuffix("……")))
    assert len(description) <= 62
    assert page.meta["description"] == description
    # It leads back to the issue, and on to the article before it.
    hrefs = [value for _, name, value in page.urls if name == "href"]
    assert "index.html" in hrefs and "hebi-shancheng.html" in hrefs


def test_the_issue_page_is_shared_as_the_issue(issue23_web):
    issue, written = issue23_web
    page = read(written[0])
    assert page.meta["og:title"] == "代表工作 2025年第23期"
    assert page.meta["og:description"].startswith("今年以来，开封市龙亭区人大常委会")


def test_run_in_headings_are_marked_and_set_bold(issue23_web):
    issue, written = issue23_web
    page = read(written[0])
    headings = page.articles["article-kaifeng-longting"]["run_in"]
    assert headings[:2] == ["一、党建引领铸魂赋能，锚定方向强基固本。",
                            "二、专业优势聚智惠民，健康服务直通民心。"]
    rule = re.search(r"\.run-in-heading\.level-1\s*\{([^}]*)\}", page.styles)
    assert rule and re.search(r"font-weight:\s*(bold|[6-9]00)", rule.group(1))


def test_no_line_break_hints_in_the_web_pages(issue23_web):
    issue, written = issue23_web
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "\u200b" not in text and "\u2060" not in text, path.name
    # The print inserts a word joiner before this ·; the web keeps the author's text.
    assert "为民履职·我当先锋" in written[0].read_text(encoding="utf-8")


def test_a_reading_layout_without_print_layout(issue23_web):
    issue, written = issue23_web
    for path in written:
        page = read(path)
        assert re.search(r"max-width:\s*40em", page.styles)
        assert re.search(r"line-height:\s*1\.8", page.styles)
        assert re.search(r'name="viewport"', page.html)
        for print_only in ("@page", "counter(page)", "float: footnote", "28.95pt", "@font-face"):
            assert print_only not in page.html, (path.name, print_only)
        # Chinese faces by name, each stack ending in a generic family.
        stacks = re.findall(r'--\w+:\s*("[^;]+);', page.styles)
        assert stacks and all(re.search(r"\b(serif|sans-serif)\s*$", s) for s in stacks)
        assert any("Songti SC" in s or "SimSun" in s for s in stacks)


def test_no_javascript_and_nothing_from_the_network(issue23_web):
    issue, written = issue23_web
    for path in written:
        page = read(path)
        assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
        assert not re.search(r"\son[a-z]+=", page.html)  # no event handler attributes
        for tag, name, value in page.urls:
            assert "http" not in value.lower() and not value.startswith("//"), (tag, value)
        assert "url(" not in page.styles and "@import" not in page.styles


def test_same_issue_same_bytes(root, issue23_web, tmp_path):
    issue, written = issue23_web
    from bulletin.web import write_web_edition

    from bulletin.project import Project

    again = write_web_edition(Project(root).load(issue.number), tmp_path / "again")
    assert [p.name for p in again] == [p.name for p in written]
    for first, second in zip(written, again):
        assert first.read_bytes() == second.read_bytes(), first.name


# --- a generated issue: mixed Latin and digits, quotes, dashes ------------------------------


def test_generated_issue_texts_equal_the_markdown(generated_web):
    issue, written = generated_web
    page = read(written[0])
    assert page.title == f"代表工作 {issue.date.year}年第7期"
    assert len(page.articles) == 3
    for article in issue.articles:
        shown = page.articles[f"article-{article.slug}"]
        assert [plain(p) for p in shown["paragraphs"]] == markdown_paragraphs(article.body)
        assert shown["credit"] == f"（{article.credit}供稿）"
        assert plain(shown["title"]) == plain(article.title)
        assert len(shown["run_in"]) >= 2
    text = written[0].read_text(encoding="utf-8")
    assert "——" in text and "\u2060" not in text and "\u200b" not in text


# --- images ----------------------------------------------------------------------------------


def _add_image(project: Path, name: str = "chart.png") -> bytes:
    from PIL import Image

    folder = project / "issues" / "23" / "articles"
    Image.new("RGB", (60, 40), (200, 30, 30)).save(folder / name)
    article = folder / "xixia.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + f"\n![代表走访现场]({name})\n", encoding="utf-8")
    return (folder / name).read_bytes()


def test_images_are_inlined_as_data_uris(project, tmp_path):
    data = _add_image(project)
    issue, written = web_edition(project, 23, tmp_path / "web")
    for path in (written[0], written[3]):
        page = read(path)
        images = page.articles["article-xixia"]["images"]
        assert len(images) == 1
        src = images[0]["src"]
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]) == data
        assert images[0]["alt"] == "代表走访现场"
        assert "file:" not in page.html
    # The copies stand alone: the image file can go, the pages still show it.
    (project / "issues/23/articles/chart.png").unlink()
    assert "data:image/png;base64," in written[3].read_text(encoding="utf-8")


def test_an_image_the_build_refuses_is_never_inlined(project, tmp_path):
    from bulletin.diagnostics import BulletinError

    article = project / "issues/23/articles/xixia.md"
    secret = project / "secret.png"
    _add_image(project)
    shutil.move(project / "issues/23/articles/chart.png", secret)
    article.write_text(article.read_text(encoding="utf-8").replace(
        "(chart.png)", "(../../../secret.png)"), encoding="utf-8")
    with pytest.raises(BulletinError) as raised:
        web_edition(project, 23, tmp_path / "web")
    assert [d.code for d in raised.value.diagnostics] == ["S120"]
    assert not (tmp_path / "web").exists()


# --- what an author may write ----------------------------------------------------------------


def test_markup_in_a_title_or_credit_is_text(project, tmp_path):
    article = project / "issues/23/articles/xixia.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("credit: 南阳市人大常委会代表工委",
                                    "credit: 南阳市<script>alert(1)</script>代表工委"),
                       encoding="utf-8")
    issue, written = web_edition(project, 23, tmp_path / "web")
    page = read(written[0])
    assert "script" not in page.tags
    assert page.articles["article-xixia"]["credit"] == "（南阳市<script>alert(1)</script>代表工委供稿）"


def test_a_table_stays_a_table(project, tmp_path):
    article = project / "issues/23/articles/xixia.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\n| 项目 | 件数 |\n| --- | --- |\n| 意见建议 | 26 |\n", encoding="utf-8")
    issue, written = web_edition(project, 23, tmp_path / "web")
    html = written[3].read_text(encoding="utf-8")
    assert re.search(r"<table>.*<th>项目</th>.*<td>意见建议</td>\s*<td>26</td>", html, re.S)


def test_an_article_named_index_does_not_replace_the_issue_page(project, tmp_path):
    folder = project / "issues/23"
    (folder / "articles/xixia.md").rename(folder / "articles/index.md")
    listing = folder / "issue.yaml"
    listing.write_text(listing.read_text(encoding="utf-8").replace("xixia.md", "index.md"),
                       encoding="utf-8")
    issue, written = web_edition(project, 23, tmp_path / "web")
    assert [p.name for p in written] == [
        "index.html", "kaifeng-longting.html", "hebi-shancheng.html", "article-index.html"]
    assert read(written[0]).title == "代表工作 2025年第23期"
    assert "西峡县" in read(written[3]).meta["og:title"]
