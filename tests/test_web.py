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
    """The body's paragraphs, without the lines that print nothing (a Markdown comment,
    `[//]: # (lint: …)`, the suppression marker)."""
    blocks = ["\n".join(line for line in block.split("\n") if not line.startswith("[//]: #"))
              for block in re.split(r"\n\s*\n", body.strip())]
    return [plain(block) for block in blocks if block.strip()]


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
    table = article_node(tree(written[3]), "xixia").find("div", "table-block").find("table")
    assert [plain(th.text) for th in table.find_all("th")] == ["项目", "件数"]
    assert [[(plain(td.text), "number" in td.classes) for td in tr.find_all("td")]
            for tr in table.find("tbody").find_all("tr")] == [[("意见建议", False), ("26", True)]]


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


# --- rich content: figures, tables, lists, notes, heading levels, subtitles --------------------

VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"))


class Node:
    """An element of a parsed page: its tag, attributes, children (nodes and text)."""

    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def elements(self) -> list["Node"]:
        return [c for c in self.children if isinstance(c, Node)]

    def find_all(self, tag: str | None = None, css_class: str | None = None) -> list["Node"]:
        found = []
        for child in self.elements():
            if (tag is None or child.tag == tag) \
                    and (css_class is None or css_class in child.classes):
                found.append(child)
            found += child.find_all(tag, css_class)
        return found

    def find(self, tag: str | None = None, css_class: str | None = None) -> "Node":
        found = self.find_all(tag, css_class)
        assert found, f"no <{tag or '*'} class={css_class}> in <{self.tag}>"
        return found[0]


class Tree(HTMLParser):
    """A page as a tree of `Node`s, read with the standard library's parser."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self._open = self.root
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self._open)
        self._open.children.append(node)
        if tag not in VOID:
            self._open = node

    def handle_endtag(self, tag):
        node = self._open
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self._open = node.parent

    def handle_data(self, data):
        self._open.children.append(data)


def tree(path: Path) -> Node:
    return Tree(path.read_text(encoding="utf-8")).root


def article_node(page: Node, slug: str) -> Node:
    return next(a for a in page.find_all("article") if a.attrs.get("id") == f"article-{slug}")


RICH_ARTICLE = """---
title: 某某县：代表履职有新招
subtitle: 某某县人大常委会代表工作纪实
credit: 某某县人大常委会
---

今年以来，某某县人大常委会围绕中心工作，组织代表开展专题调研，收集意见建议26条。

![](photo-1.png "图为代表开展专题调研")

![图为代表走访选民](photo-2.png)

![](photo-3.png)

图为代表联络站接待群众现场

![](photo-4.png)

一、强化政治引领，筑牢履职根基。常委会坚持以人民为中心，推动代表工作提质增效。

（一）在服务大局上用力。代表们深入基层开展调研。

1.建立“三张清单”。常委会建立问题清单、责任清单和时限清单。

（1）问题清单。逐项梳理群众反映的问题。

①建立台账，逐项销号；

②定期通报进展。

2. 完善工作机制。常委会完善代表建议交办机制。

主要做法有：

- 建立代表联系群众制度；
- 推行“群众点单、代表领单、部门接单”模式，做实代表联系群众“最后一公里”。

表1 某某县2025年代表建议办理情况

| 乡镇 | 建议（件） | 办结率（%） |
| --- | --- | --- |
| 城关镇 | 1,234 | 98.5 |
| 龙泉镇 | 26 | -3.2 |

注：本文数据截至2025年6月底。
"""

PLAIN_ARTICLE = """---
title: 某某区：“家门口的代表站”助力基层治理
credit: 某某区人大常委会
---

表2 某某区代表联络站活动情况

| 项目 | 次数 |
| --- | --- |
| 进站接待 | 12 |

代表联络站建成以来，累计接待群众1200余人次。
"""

RICH_CAPTIONS = ["图为代表开展专题调研", "图为代表走访选民", "图为代表联络站接待群众现场", None]


@pytest.fixture(scope="module")
def rich_web(tmp_path_factory):
    """An issue with a photo captioned each way (the image's title, its alt text, a 图为
    paragraph after it) and one without, a titled table, sub-points, a list, a note and a
    subtitle; and a second article that opens with a table, without a subtitle."""
    from PIL import Image

    project = copy_project(tmp_path_factory.mktemp("rich") / "project", issues=False)
    folder = project / "issues" / "31" / "articles"
    folder.mkdir(parents=True)
    for index, size in enumerate([(900, 600), (300, 400), (160, 120), (1200, 400)], start=1):
        Image.new("RGB", size, (40 * index, 120, 200)).save(folder / f"photo-{index}.png")
    (folder / "rich.md").write_text(RICH_ARTICLE, encoding="utf-8")
    (folder / "plain.md").write_text(PLAIN_ARTICLE, encoding="utf-8")
    (project / "issues" / "31" / "issue.yaml").write_text(
        "number: 31\ndate: 2025-06-09\narticles:\n  - rich.md\n  - plain.md\n", encoding="utf-8")
    return web_edition(project, 31, project / "web")


def test_figures_show_their_captions(rich_web):
    """A caption from the image's title, from its alt text or from the 图为 paragraph
    after it, under the photo in the figure; none for a photo without one; the 图为
    paragraph is the caption, not a paragraph of the text."""
    issue, written = rich_web
    for path in (written[0], written[1]):
        article = article_node(tree(path), "rich")
        figures = article.find_all("figure", "figure")
        assert len(figures) == 4, path.name
        for figure, caption in zip(figures, RICH_CAPTIONS):
            image = figure.find("img")
            assert image.attrs["src"].startswith("data:image/png;base64,")
            captions = [plain(c.text) for c in figure.find_all("figcaption", "caption")]
            assert captions == ([caption] if caption else []), path.name
            assert figure.elements().index(image) < len(figure.elements()) - len(captions)
        assert figures[1].find("img").attrs["alt"] == "图为代表走访选民"
        paragraphs = [plain(p.text) for p in article.find("div", "article-body").find_all("p")]
        assert "图为代表联络站接待群众现场" not in paragraphs


def test_a_table_shows_its_title_header_and_numbers(rich_web):
    issue, written = rich_web
    for path in (written[0], written[1]):
        block = article_node(tree(path), "rich").find("div", "table-block")
        assert plain(block.find("p", "table-title").text) == "表1某某县2025年代表建议办理情况"
        table = block.find("table")
        assert [plain(th.text) for th in table.find_all("th")] == ["乡镇", "建议（件）", "办结率（%）"]
        rows = [[(plain(td.text), "number" in td.classes) for td in tr.find_all("td")]
                for tr in table.find("tbody").find_all("tr")]
        assert rows == [[("城关镇", False), ("1,234", True), ("98.5", True)],
                        [("龙泉镇", False), ("26", True), ("-3.2", True)]]


def test_the_subtitle_is_under_the_title(rich_web):
    issue, written = rich_web
    for path in (written[0], written[1]):
        head = article_node(tree(path), "rich").find("header", "article-head")
        kinds = [(node.tag, sorted(node.classes)) for node in head.elements()]
        assert kinds[1] == ("p", ["article-subtitle"]), kinds
        assert "article-title" in head.elements()[0].classes
        assert plain(head.find("p", "article-subtitle").text) == "——某某县人大常委会代表工作纪实"
    # An article without one shows none.
    assert article_node(tree(written[0]), "plain").find_all(css_class="article-subtitle") == []


def test_notes_lists_and_every_heading_level(rich_web):
    """`注：` a note; a `-` list a list; `1.` `（1）` `①` run-in headings of levels 3 to 5
    (a `2. ` with a space set as `2.`, not an ordered list; a ① paragraph without `。`
    has only its number marked)."""
    issue, written = rich_web
    for path in (written[0], written[1]):
        body = article_node(tree(path), "rich").find("div", "article-body")
        assert [plain(p.text) for p in body.find_all("p", "note")] == ["注：本文数据截至2025年6月底。"]
        headings = {}
        for span in body.find_all("span", "run-in-heading"):
            level = next(c for c in span.classes if c.startswith("level-"))
            headings.setdefault(level, []).append(plain(span.text))
        assert headings == {
            "level-1": ["一、强化政治引领，筑牢履职根基。"],
            "level-2": ["（一）在服务大局上用力。"],
            "level-3": ["1.建立“三张清单”。", "2.完善工作机制。"],
            "level-4": ["（1）问题清单。"],
            "level-5": ["①", "②定期通报进展。"],
        }
        assert body.find_all("ol") == []
        items = [plain(li.text) for li in body.find("ul").find_all("li")]
        assert items == ["建立代表联系群众制度；",
                         "推行“群众点单、代表领单、部门接单”模式，做实代表联系群众“最后一公里”。"]


def test_a_share_card_does_not_open_with_a_table_title(rich_web):
    issue, written = rich_web
    page = read(written[2])
    assert page.meta["og:description"] == "代表联络站建成以来，累计接待群众1200余人次。"


def css_rules(styles: str) -> dict[str, str]:
    """Each selector of the stylesheet → its declarations (joined, when it has several rules)."""
    rules: dict[str, str] = {}
    bare = re.sub(r"/\*.*?\*/", "", styles, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", bare):
        for selector in selectors.split(","):
            key = " ".join(selector.split())
            rules[key] = rules.get(key, "") + body
    return rules


def declaration(rules: dict[str, str], selector: str, name: str) -> str:
    found = re.findall(rf"(?:^|;)\s*{re.escape(name)}\s*:\s*([^;]+)", rules.get(selector, ""))
    assert found, f"{selector} sets no {name}"
    return found[-1].strip()


def test_the_stylesheet_sets_rich_content_for_a_phone(rich_web):
    issue, written = rich_web
    rules = css_rules(read(written[0]).styles)
    # A table scrolls sideways in its block; its title centred in 黑体; numbers right.
    assert declaration(rules, ".article-body .table-block", "overflow-x") == "auto"
    assert declaration(rules, ".article-body p.table-title", "text-align") == "center"
    assert declaration(rules, ".article-body p.table-title", "text-indent") == "0"
    assert "var(--hei)" in declaration(rules, ".article-body p.table-title", "font-family")
    assert declaration(rules, ".article-body td.number", "text-align") == "right"
    # Photos never wider than the screen; the caption centred, in a 楷体 stack.
    assert declaration(rules, ".article-body img", "max-width") == "100%"
    assert declaration(rules, ".article-body img", "height") == "auto"
    assert declaration(rules, ".article-body figcaption.caption", "text-align") == "center"
    assert "var(--kai)" in declaration(rules, ".article-body figcaption.caption", "font")
    kai = re.search(r"--kai:\s*([^;]+);", read(written[0]).styles).group(1)
    assert "Kaiti" in kai or "KaiTi" in kai
    # The subtitle centred under the title, in 楷体.
    assert declaration(rules, ".article-subtitle", "text-align") == "center"
    assert "var(--kai)" in declaration(rules, ".article-subtitle", "font")
    # 1. in bold; a note smaller than the text.
    weight = declaration(rules, ".run-in-heading.level-3", "font-weight")
    assert re.fullmatch(r"bold|[6-9]00", weight)
    size = declaration(rules, ".article-body p.note", "font-size")
    assert size.endswith("em") and float(size[:-2]) < 1
