"""The tagged PDF reads right in a screen reader (issue #16, part 4; typeset/tagging.py).

Issue 23 and a generated issue with photos, a list and tables are built with `--tagged`
and with `--pdf-variant pdf/ua-1`, and their structure trees read back with pikepdf, the
text of each element from its marked content (pdfplumber's characters carry their MCID):
one `Art` per article holding its title as its `H2`, under the bulletin's name as the
`H1`; the 要目 a list `L` > `LI` > `Lbl` + `LBody`, one item per article; the 报尾 a
`Sect` of `P`; page numbers drawn as `/Artifact`, in no element; figures with their
`Alt`. And the untagged PDF is the very same bytes with the tagging patch as without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import ROOT, bulletin, copy_project
from test_rich import write_issue

from bulletin.project import Project
from bulletin.typeset import tagging

RICH = 40
VARIANTS = {"tagged": ("--tagged",), "pdf/ua-1": ("--pdf-variant", "pdf/ua-1")}
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")
INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def plain(text: str) -> str:
    return INVISIBLE.sub("", text)


@dataclass
class Element:
    tag: str
    text: str = ""  # of its own marked content and its descendants', in order
    alt: str | None = None
    page: int = 0
    id: str | None = None
    headers: list[str] = field(default_factory=list)  # a table cell's /A /Headers
    scope: str | None = None  # a header cell's /A /Scope
    kids: list["Element"] = field(default_factory=list)

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def find(self, tag: str) -> list["Element"]:
        return [element for element in self.walk() if element.tag == tag]


@dataclass
class Tagged:
    path: Path
    root: Element  # the /Document element
    pdf: pikepdf.Pdf
    artifact_text: list[str]  # per page, the characters drawn as /Artifact
    untagged_text: list[str]  # per page, characters in no marked content at all


def read(path: Path) -> Tagged:
    texts, artifacts, untagged = {}, [], []
    with pdfplumber.open(path) as plumber:
        for index, page in enumerate(plumber.pages):
            art = free = ""
            for char in page.chars:
                if char.get("tag") == "Artifact":
                    art += char["text"]
                elif char.get("mcid") is None:
                    free += char["text"]
                else:
                    key = (index, char["mcid"])
                    texts[key] = texts.get(key, "") + char["text"]
            artifacts.append(art)
            untagged.append(free)
    pdf = pikepdf.open(path)
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

    def build(node, page) -> Element:
        if "/Pg" in node:
            page = pages[node.Pg.objgen]
        element = Element(str(node.S), alt=str(node.Alt) if "/Alt" in node else None,
                          page=page, id=str(node.ID) if "/ID" in node else None)
        if isinstance(node.get("/A"), pikepdf.Dictionary):
            element.headers = [str(key) for key in node.A.get("/Headers", ())]
            element.scope = str(node.A.Scope) if "/Scope" in node.A else None
        kids = node.get("/K")
        if not isinstance(kids, pikepdf.Array):
            kids = [] if kids is None else [kids]
        for kid in kids:
            if isinstance(kid, int):
                element.text += texts.get((page, int(kid)), "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                element.text += texts.get((pages[kid.Pg.objgen], int(kid.MCID)), "")
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                child = build(kid, page)
                element.kids.append(child)
                element.text += child.text
        return element

    document = pdf.Root.StructTreeRoot.K
    document = document[0] if isinstance(document, pikepdf.Array) else document
    return Tagged(path, build(document, 0), pdf, artifacts, untagged)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("tagged") / "project", issues=[23])
    write_issue(project, RICH, seed=11)  # photos, a list, two tables, one across a page
    return project


@pytest.fixture(scope="module")
def built(project):
    """{(issue, variant): Tagged} for issue 23 and the rich issue, both variants."""
    results = {}
    for number in (23, RICH):
        for variant, options in VARIANTS.items():
            target = project / "build" / f"{number}-{variant.replace('/', '-')}.pdf"
            ran = bulletin("build", str(number), "-o", str(target), *options, cwd=project)
            assert ran.returncode == 0, ran.stderr
            results[number, variant] = read(target)
    return results


CASES = [(number, variant) for number in (23, RICH) for variant in VARIANTS]


def issue(project, number):
    return Project(project).load(number).require()


@pytest.mark.parametrize("number, variant", CASES)
def test_one_article_element_per_article_with_its_title(built, project, number, variant):
    tagged, loaded = built[number, variant], issue(project, number)
    articles = tagged.root.find("/Art")
    assert len(articles) == len(loaded.articles)
    assert any(len({element.page for element in article.walk()}) > 1
               for article in articles)  # across page breaks
    assert all(kid.tag in ("/Art", "/Sect", "/Div") for kid in tagged.root.kids)
    for article, source in zip(articles, loaded.articles):
        headings = [element for element in article.walk()
                    if re.fullmatch(r"/H\d", element.tag)]
        assert [h.tag for h in headings] == ["/H2"]
        assert plain(headings[0].text) == plain(source.title)
        assert plain(article.text).startswith(plain(source.title))
        assert plain(article.text).endswith(plain(f"（{source.credit}供稿）"))
        assert article.find("/P"), "its paragraphs"
        if getattr(source, "subtitle", None):
            assert plain(source.subtitle) in plain(article.text)


@pytest.mark.parametrize("number, variant", CASES)
def test_headings_in_order_the_name_then_the_titles(built, project, number, variant):
    tagged, loaded = built[number, variant], issue(project, number)
    headings = [(element.tag, plain(element.text)) for element in tagged.root.walk()
                if re.fullmatch(r"/H\d", element.tag)]
    assert headings == [("/H1", plain(loaded.bulletin.name))] + [
        ("/H2", plain(article.title)) for article in loaded.articles]


@pytest.mark.parametrize("number, variant", CASES)
def test_page_numbers_are_artifacts_in_no_element(built, number, variant):
    tagged = built[number, variant]
    for element in tagged.root.walk():
        assert not PAGE_NUMBER.search(element.text), (element.tag, element.text)
        assert "— 1 —" not in element.text
    numbered = [text for text in tagged.artifact_text if PAGE_NUMBER.search(text)]
    assert len(numbered) >= len(tagged.pdf.pages) - 2  # page 1, a 版记页 may have none
    assert "".join(tagged.untagged_text) == ""  # all text is content or artifact
    # In the content streams themselves: the number's text inside /Artifact BMC … EMC.
    page = tagged.pdf.pages[1]
    stack, artifact_shows = [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            stack.append(str(operands[0]))
        elif name == "EMC":
            stack.pop()
        elif name in ("Tj", "TJ") and stack and stack[0] == "/Artifact":
            artifact_shows += 1
    assert artifact_shows >= 1


@pytest.mark.parametrize("number, variant", CASES)
def test_the_contents_is_a_list_of_labelled_items(built, project, number, variant):
    tagged, loaded = built[number, variant], issue(project, number)
    contents = tagged.root.find("/L")[0]  # the first list: the 要目 on page 1
    assert [item.tag for item in contents.kids] == ["/LI"] * len(loaded.articles)
    for item, article in zip(contents.kids, loaded.articles):
        assert [kid.tag for kid in item.kids] == ["/Lbl", "/LBody"]
        assert item.kids[0].text == "◆"
        assert plain(item.kids[1].text) == plain(article.title)


@pytest.mark.parametrize("number, variant", CASES)
def test_the_distribution_is_a_section_of_paragraphs(built, project, number, variant):
    tagged, loaded = built[number, variant], issue(project, number)
    sections = tagged.root.find("/Sect")
    assert len(sections) == 1 and sections[0] is tagged.root.kids[-1]
    lines = sections[0].kids
    assert {line.tag for line in lines} == {"/P"}
    assert len(lines) >= len(loaded.distribution) + 1  # its lines, then the 印发 line(s)
    assert plain(loaded.bulletin.printed_by) in plain("".join(line.text for line in lines))
    for line, source in zip(lines, loaded.distribution):
        assert plain(line.text).startswith(plain(source.label))


@pytest.mark.parametrize("variant", VARIANTS)
def test_figures_and_tables_of_the_rich_issue(built, variant):
    tagged = built[RICH, variant]
    first, second = tagged.root.find("/Art")
    figures = first.find("/Figure")
    assert len(figures) == 2 and all(figure.alt for figure in figures)
    assert figures[0].alt.startswith("图为")  # its caption: the image's own alt is empty
    assert len(first.find("/Table")) == 1 and len(second.find("/Table")) == 1
    table = second.find("/Table")[0]
    assert len(table.find("/TH")) == 4 and len(table.find("/TR")) == 5
    assert first.find("/L") and all([k.tag for k in item.kids] == ["/Lbl", "/LBody"]
                                    for item in first.find("/LI"))


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_table_across_pages_is_one_table_its_header_read_once(built, variant):
    tagged = built[RICH, variant]
    table = tagged.root.find("/Art")[0].find("/Table")[0]
    assert [kid.tag for kid in table.kids] == ["/THead", "/TBody", "/TBody"]
    assert table.kids[1].page + 1 == table.kids[2].page  # it does cross a page
    assert len(table.find("/TH")) == 4 and len(table.find("/TR")) == 1 + 12
    assert {th.scope for th in tagged.root.find("/TH")} == {"/Column"}
    # WeasyPrint repeats the header on the next page: there it is drawn as an artifact.
    header = plain(table.kids[0].text)
    assert header in plain(tagged.artifact_text[table.kids[2].page])
    # Every cell names header cells that exist: the first page's, on both pages.
    ids = {th.id for th in tagged.root.find("/TH")}
    cells = table.find("/TD")
    assert len(cells) == 4 * 12 and all(cell.headers for cell in cells)
    assert all(set(cell.headers) <= ids for cell in tagged.root.find("/TD"))
    assert set(cells[-1].headers) <= {th.id for th in table.find("/TH")}


def test_pdf_ua_keeps_its_metadata(built, project):
    for number in (23, RICH):
        pdf = built[number, "pdf/ua-1"].pdf
        assert str(pdf.Root.Lang) == "zh-CN"
        assert bool(pdf.Root.MarkInfo.Marked) is True
        title = f"{issue(project, number).bulletin.name} "
        assert str(pdf.docinfo.Title).startswith(title)
        with pdf.open_metadata() as meta:
            assert meta.get("dc:title", "").startswith(title)
            assert meta.get("pdfuaid:part") == "1"


@pytest.mark.parametrize("number", [23, RICH])
def test_the_untagged_pdf_is_byte_identical_without_the_patch(project, monkeypatch, number):
    """The tagging patch does nothing to a PDF without tags: the same bytes without it."""
    with_patch = project / "build" / f"{number}-with.pdf"
    without = project / "build" / f"{number}-without.pdf"
    ran = bulletin("build", str(number), "-o", str(with_patch), cwd=project)
    assert ran.returncode == 0
    assert tagging.PATCH.installed
    tagging.uninstall()
    try:
        monkeypatch.setattr(tagging, "install", lambda: None)  # load_weasyprint's call
        ran = bulletin("build", str(number), "-o", str(without), cwd=project)
        assert ran.returncode == 0
        assert not tagging.PATCH.installed
    finally:
        monkeypatch.undo()
        tagging.install()
    assert with_patch.read_bytes() == without.read_bytes()


def test_the_tagged_pdf_differs_without_the_patch(project, monkeypatch):
    """And the patch is what makes the tree: WeasyPrint alone makes an Art per page."""
    target = project / "build" / "plain-tags.pdf"
    tagging.uninstall()
    try:
        monkeypatch.setattr(tagging, "install", lambda: None)
        assert bulletin("build", "23", "-o", str(target), "--tagged",
                        cwd=project).returncode == 0
    finally:
        monkeypatch.undo()
        tagging.install()
    assert len(read(target).root.find("/Art")) > 3


def test_the_patch_replaces_weasyprints_tagging_only(project):
    tagging.install()
    assert sorted(tagging.PATCH.replaced()) == sorted([
        "weasyprint.pdf.add_tags", "weasyprint.pdf.tags._build_box_tree",
        "weasyprint.document.draw_page", "weasyprint.pdf.stream.Stream.marked"])
