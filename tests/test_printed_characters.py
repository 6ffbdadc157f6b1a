"""What reaches the page is what `bulletin check` checks (issue 14, item 1).

A character no font draws, reached without typing it (a NUL byte, which markdown-it turns
into U+FFFD; an entity such as `&#xE000;`, `&#x1F600;` or `&#0;`; a lone combining accent;
U+2028; DEL; C1 controls; private use; noncharacters), used to pass the check, print a box
and make the body font's text unreadable in the PDF's text layer from there on.

- `HOSTILE`: each class, more than one example each, fails `bulletin check` with its code
  (B241 a character no font has, B243 what cannot print, B244 a lone combining mark, B235
  a title, subtitle or credit that prints nothing) at the file, line and column where the
  character is written (for an entity, its `&`; for a YAML escape, its backslash).
- `PASSING`: hostile but harmless inputs (zero-width characters, entities of ordinary
  characters, escapes, marks that compose, selectors, odd spaces, code spans, YAML
  escapes, a figure, a table) pass the check, build, and the PDF's text layer holds every
  character printed; issue 23 too.

The text layer (`text_layer_problems`) is compared with the text the build gives
WeasyPrint: the issue's HTML, its text content without attributes (an image's alt text is
not printed) and without <head>. Both sides are normalised alike: NFC (a composed `é` and
`e` + U+0301 are one), and without white space (lines are broken differently on paper),
the zero-width characters the toolchain handles (`chinese.ZERO_WIDTH`: the break hints
it adds, ZWJ, ZWNJ, BOM, the soft hyphen) and the variation selectors (they print nothing,
and the PDF has no glyph for them). The layout adds, and only this is allowed for:

- the page numbers, `— N —`, in the foot margin (below the column), one per numbered page,
  1, 2, 3 … in order;
- the 要目's bullet `◆` (CSS `::before`) before each entry, one per article;
- `●` (CSS `list-style`) before each item of a `-` list.

The masthead, the 要目's titles (which repeat the articles' titles), the subtitle's `——`
and the credit's `（…供稿）` are in the HTML already: the comparison is exact for them.
Each passing case also names the body text it must print, written out by hand, which the
text layer must hold in order: the source's printable characters, not the toolchain's idea
of them.
"""

from __future__ import annotations

import collections
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest

from bulletin.chinese import ZERO_WIDTH
from conftest import COLUMN_BOTTOM, ROOT, bulletin, copy_project, renderer_for
from test_lint_corpus import make_project

MINE = {"B235", "B241", "B242", "B243", "B244"}  # the codes this file is about
PHOTO = "photo.png"


def article(body: str, title: str = "测试稿件", credit: str = "测试单位",
            subtitle: str | None = None) -> str:
    """An article; `title`, `credit`, `subtitle` as written in YAML (quote them yourself).
    Line 2 is the title, 3 the credit (or the subtitle, then 4 the credit); the body starts
    on line 6 (7 with a subtitle)."""
    front = f"title: {title}\n" + (f"subtitle: {subtitle}\n" if subtitle else "") \
        + f"credit: {credit}\n"
    return f"---\n{front}---\n\n{body}\n"


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 32), (180, 20, 20)).save(out, "PNG")
    return out.getvalue()


# --- what must fail -------------------------------------------------------------------------

# (id, article, expected (code, line, col) of the codes in MINE). The body starts on line 6.
TABLE = "| 项目 | 数量 |\n| --- | --- |\n"
HOSTILE = [
    # NUL bytes: markdown-it prints U+FFFD; in YAML only an escape can write one.
    ("nul-in-paragraph", article("正文\x00内容。"), [("B243", 6, 3)]),
    ("nul-on-second-line", article("第一行，\n第二\x00行。"), [("B243", 7, 3)]),
    ("nul-in-table-cell", article(TABLE + "| 代表\x00 | 12 |"), [("B243", 8, 5)]),
    ("nul-in-title-escape", article("正文。", title='"测试\\0稿件"'), [("B243", 2, 11)]),
    ("nul-in-list-item", article("- 事项\x00\n- 第二项"), [("B243", 6, 5)]),
    # Entities, every kind: private use, emoji, zero, surrogates, beyond Unicode, controls
    # (invalid ones print U+FFFD, valid ones the control), noncharacters, separators,
    # combining marks, format characters; hexadecimal, decimal and named.
    ("entity-private-use-hex", article("正文&#xE000;"), [("B243", 6, 3)]),
    ("entity-private-use-decimal", article("正文&#57344;内容。"), [("B243", 6, 3)]),
    ("entity-emoji-hex", article("表情&#x1F600;"), [("B241", 6, 3)]),
    ("entity-emoji-decimal", article("表情&#128512;"), [("B241", 6, 3)]),
    ("entity-zero", article("空字符&#0;"), [("B243", 6, 4)]),
    ("entity-zero-hex", article("空字符&#x0000;"), [("B243", 6, 4)]),
    ("entity-high-surrogate", article("代理&#xD800;"), [("B243", 6, 3)]),
    ("entity-low-surrogate", article("代理&#57343;"), [("B243", 6, 3)]),
    ("entity-beyond-unicode-hex", article("超出&#x110000;"), [("B243", 6, 3)]),
    ("entity-beyond-unicode-decimal", article("超出&#9999999;"), [("B243", 6, 3)]),
    ("entity-invalid-control-del", article("删除&#x7F;"), [("B243", 6, 3)]),
    ("entity-invalid-control-esc", article("转义&#27;"), [("B243", 6, 3)]),
    ("entity-invalid-control-c1", article("控制&#x85;"), [("B243", 6, 3)]),
    ("entity-carriage-return", article("回车&#13;"), [("B243", 6, 3)]),
    ("entity-form-feed", article("换页&#x0C;"), [("B243", 6, 3)]),
    ("entity-noncharacter-fffe", article("非字符&#xFFFE;"), [("B243", 6, 4)]),
    ("entity-noncharacter-fdd0", article("非字符&#xFDD0;"), [("B243", 6, 4)]),
    ("entity-noncharacter-plane-16", article("非字符&#x10FFFF;"), [("B243", 6, 4)]),
    ("entity-line-separator", article("第一句。&#x2028;第二句。"), [("B243", 6, 5)]),
    ("entity-paragraph-separator", article("第一段。&#8233;第二段。"), [("B243", 6, 5)]),
    ("entity-lone-mark-at-start", article("&#x301;正文"), [("B244", 6, 1)]),
    ("entity-lone-mark-after-space", article("正文 &#769;内容"), [("B244", 6, 4)]),
    ("entity-bidi-override", article("&#x202E;正文"), [("B243", 6, 1)]),
    ("entity-named-rlm", article("正文&rlm;内容"), [("B243", 6, 3)]),
    ("entity-named-function-application", article("函数&af;符号"), [("B243", 6, 3)]),
    ("entity-named-invisible-comma", article("逗号&InvisibleComma;符号"), [("B243", 6, 3)]),
    ("entity-in-image-title", article(f'![图为现场]({PHOTO} "图为&#xE000;现场")'),
     [("B243", 6, 22)]),
    ("entity-in-image-alt", article(f"![图为&#xE000;现场]({PHOTO})"), [("B243", 6, 5)]),
    ("entity-in-table-cell", article(TABLE + "| 代表&#xE000; | 12 |"), [("B243", 8, 5)]),
    ("entity-in-run-in-heading", article("一、加强&#xE000;。正文。"), [("B243", 6, 5)]),
    ("entity-in-markdown-heading", article("# 标题&#x1F600;"), [("B241", 6, 5)]),
    ("entity-in-list-item", article("- 事项&#xE000;\n- 第二项"), [("B243", 6, 5)]),
    ("entity-in-blockquote", article("> 引文&#xE000;"), [("B243", 6, 5)]),
    ("entity-after-emphasis", article("**加粗**&#xE000;"), [("B243", 6, 7)]),
    # A combining mark with nothing before it to sit on.
    ("mark-at-paragraph-start", article("\u0301正文。"), [("B244", 6, 1)]),
    ("mark-after-space", article("正文 \u0301内容。"), [("B244", 6, 4)]),
    ("mark-after-line-end", article("正文\n\u0301内容。"), [("B244", 7, 1)]),
    ("mark-at-cell-start", article(TABLE + "| \u0301代表 | 12 |"), [("B244", 8, 3)]),
    ("mark-at-title-start", article("正文。", title="\u0301测试稿件"), [("B244", 2, 8)]),
    ("enclosing-mark-alone", article("\u20dd正文。"), [("B244", 6, 1)]),
    ("selector-alone", article("\ufe0f正文。"), [("B244", 6, 1)]),
    ("two-marks-alone", article("正文 \u0301\u0302。"), [("B244", 6, 4), ("B244", 6, 5)]),
    # A mark on a character it does not compose with, which no font has: a box too.
    ("mark-on-han", article("中\u0301国。"), [("B241", 6, 2)]),
    ("mark-on-punctuation", article("正文，\u0301内容。"), [("B241", 6, 4)]),
    # U+2028 and U+2029.
    ("line-separator", article("第一句。\u2028第二句。"), [("B243", 6, 5)]),
    ("line-separator-before-line-end", article("正文\u2028\n下一行。"), [("B243", 6, 3)]),
    ("paragraph-separator", article("第一段。\u2029第二段。"), [("B243", 6, 5)]),
    ("line-separator-in-credit", article("正文。", credit='"测试\\L单位"'), [("B243", 3, 12)]),
    # DEL.
    ("del-in-paragraph", article("删除\x7f符。"), [("B243", 6, 3)]),
    ("del-in-list-item", article("- 事项\x7f"), [("B243", 6, 5)]),
    ("del-in-subtitle", article("正文。", subtitle='"副\\x7f标题"'), [("B243", 3, 13)]),
    # C1 controls (and other C0 controls).
    ("c1-next-line", article("下一行\x85符。"), [("B243", 6, 4)]),
    ("c1-x80", article("控制\x80符。"), [("B243", 6, 3)]),
    ("c1-x9f", article("控制\x9f符。"), [("B243", 6, 3)]),
    ("c1-in-credit", article("正文。", credit='"测试\\x9f单位"'), [("B243", 3, 12)]),
    ("c0-bell", article("响铃\x07符。"), [("B243", 6, 3)]),
    ("c0-escape", article("转义\x1b[31m红色。"), [("B243", 6, 3)]),
    ("c0-vertical-tab", article("垂直\x0b制表。"), [("B243", 6, 3)]),
    ("c0-form-feed", article("换页\x0c符。"), [("B243", 6, 3)]),
    # Private use.
    ("private-use-bmp-first", article("私用\ue000区。"), [("B243", 6, 3)]),
    ("private-use-bmp-last", article("私用\uf8ff区。"), [("B243", 6, 3)]),
    ("private-use-plane-15", article("私用\U000f0000区。"), [("B243", 6, 3)]),
    ("private-use-plane-16", article("私用\U0010fffd区。"), [("B243", 6, 3)]),
    ("private-use-in-credit", article("正文。", credit="测试\ue000单位"), [("B243", 3, 11)]),
    ("private-use-in-subtitle", article("正文。", subtitle="副\ue001标题"), [("B243", 3, 12)]),
    ("private-use-in-title", article("正文。", title="测试\ue002稿件"),
     [("B243", 2, 10)]),
    # Noncharacters.
    ("noncharacter-fdd0", article("非\ufdd0字符。"), [("B243", 6, 2)]),
    ("noncharacter-fdef", article("非\ufdef字符。"), [("B243", 6, 2)]),
    ("noncharacter-fffe", article("非\ufffe字符。"), [("B243", 6, 2)]),
    ("noncharacter-ffff", article("非\uffff字符。"), [("B243", 6, 2)]),
    ("noncharacter-plane-1", article("非\U0001fffe字符。"), [("B243", 6, 2)]),
    # Emoji and other symbols the fonts lack (each character once; a title's twice: it is
    # set in the title's face and in the 要目's).
    ("emoji", article("点赞😀。"), [("B241", 6, 3)]),
    ("emoji-flag", article("国旗🇨🇳。"), [("B241", 6, 3), ("B241", 6, 4)]),
    ("emoji-skin-tone", article("点赞👍🏽。"), [("B241", 6, 3), ("B241", 6, 4)]),
    ("emoji-with-selector", article("爱心\u2764\ufe0f。"), [("B241", 6, 3)]),
    ("emoji-in-title", article("正文。", title="测试😀稿件"), [("B241", 2, 10), ("B241", 2, 10)]),
    # Unassigned code points, format characters, U+FFFD typed.
    ("unassigned-greek", article("未分配\u0378。"), [("B243", 6, 4)]),
    ("unassigned-radical", article("未分配\u2e9a。"), [("B243", 6, 4)]),
    ("bidi-override", article("方向\u202e控制。"), [("B243", 6, 3)]),
    ("bidi-isolate", article("方向\u2066控制\u2069。"), [("B243", 6, 3), ("B243", 6, 6)]),
    ("left-to-right-mark", article("方向\u200e标记。"), [("B243", 6, 3)]),
    ("invisible-operator", article("函数\u2061应用。"), [("B243", 6, 3)]),
    ("annotation-anchor", article("注释\ufff9锚点。"), [("B243", 6, 3)]),
    ("tag-character", article("标签\U000e0001字符。"), [("B243", 6, 3)]),
    ("replacement-character", article("乱码\ufffd字。"), [("B243", 6, 3)]),
    ("replacement-in-credit", article("正文。", credit="测试\ufffd单位"), [("B243", 3, 11)]),
    # A title, subtitle or credit that prints nothing.
    ("title-only-zwsp", article("正文。", title='"\\u200b"'), [("B235", 2, 9)]),
    ("title-only-zero-width-raw", article("正文。", title="\u2060\u200b"), [("B235", 2, 8)]),
    ("title-line-only-zwsp", article("正文。", title='\n  - 第一行\n  - "\\u200b"'),
     [("B235", 4, 6)]),
    ("subtitle-only-zwj", article("正文。", subtitle="\u200d"), [("B235", 3, 11)]),
    ("credit-only-soft-hyphen", article("正文。", credit='"\\u00ad"'), [("B235", 3, 10)]),
    ("credit-only-control", article("正文。", credit='"\\x01"'),
     [("B235", 3, 10), ("B243", 3, 10)]),
    # Not printed as decoded, so nothing to say: a code span, an escaped `&`.
    ("entity-in-code-span", article("代码 `&#xE000;` 原样。"), []),
    ("escaped-entity", article("转义 \\&#xE000; 原样。"), []),
]
CLASSES = {
    "NUL": "nul-", "entity": "entity-", "lone mark": ("mark-", "enclosing-", "selector-",
                                                      "two-marks"),
    "U+2028/2029": ("line-separator", "paragraph-separator"), "DEL": "del-", "C1": "c1-",
    "C0": "c0-", "private use": "private-use-", "noncharacter": "noncharacter-",
    "emoji": "emoji", "unassigned": "unassigned-", "format": ("bidi-", "left-to-right",
                                                               "invisible-", "annotation-",
                                                               "tag-"),
    "U+FFFD": "replacement-", "prints nothing": ("title-", "subtitle-", "credit-only"),
}


def test_every_class_has_more_than_one_case():
    for name, prefixes in CLASSES.items():
        cases = [case for case, _, _ in HOSTILE if case.startswith(prefixes)]
        assert len(cases) >= 2, name


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    listing = "".join(f"  - {case}.md\n" for case, _, _ in HOSTILE)
    root = make_project(tmp_path_factory.mktemp("hostile") / "project",
                        f"number: 1\ndate: 2025-06-09\narticles:\n{listing}",
                        {f"{case}.md": text.encode("utf-8") for case, text, _ in HOSTILE})
    (root / "issues/1/articles" / PHOTO).write_bytes(png())
    return root


@pytest.fixture(scope="module")
def hostile_diagnostics(hostile_project):
    from bulletin.lint import check_issue

    return check_issue(hostile_project, 1)


@pytest.mark.parametrize("case,source,expected", HOSTILE, ids=[case for case, _, _ in HOSTILE])
def test_hostile_character_is_reported_where_it_is_written(hostile_diagnostics, case, source,
                                                          expected):
    mine = [d for d in hostile_diagnostics
            if d.path == f"issues/1/articles/{case}.md" and d.code in MINE]
    assert sorted((d.code, d.line, d.col) for d in mine) == sorted(expected)
    for d in mine:
        assert d.severity.value == "error", d
        assert re.search(r"[\u4e00-\u9fff]", d.message), d.message
    assert not [d for d in hostile_diagnostics
                if d.path == f"issues/1/articles/{case}.md" and d.code == "B200"]


def test_the_command_fails_on_every_hostile_case_without_a_traceback(hostile_project):
    result = bulletin("check", "1", cwd=hostile_project)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr and "B200" not in result.stdout
    for case, _, expected in HOSTILE:
        for code, line, col in expected:
            assert f"issues/1/articles/{case}.md:{line}:{col}: {code} " in result.stdout


def test_messages_name_the_entity_as_written(hostile_diagnostics):
    by_case = {d.path.rsplit("/", 1)[-1][:-3]: d.message for d in hostile_diagnostics
               if d.code in MINE}
    assert "“&#0;”是空字符" in by_case["entity-zero"]
    assert "“&#xD800;”是代理码位" in by_case["entity-high-surrogate"]
    assert "原文写作“&#xE000;”" in by_case["entity-private-use-hex"]
    assert "原文写作“&#x1F600;”" in by_case["entity-emoji-hex"]
    assert "空字符 U+0000（NUL）" in by_case["nul-in-paragraph"]
    assert "行分隔符 U+2028" in by_case["line-separator"]
    assert "删除符 DEL" in by_case["del-in-paragraph"]
    assert "私用区字符 U+E000" in by_case["private-use-bmp-first"]
    assert "非字符 U+FDD0" in by_case["noncharacter-fdd0"]
    assert "组合符号 U+0301" in by_case["mark-at-paragraph-start"]
    assert "标题只有看不见的字符（U+200B）" in by_case["title-only-zwsp"]


def test_many_of_one_character_are_listed_up_to_a_bound(tmp_path):
    from bulletin.lint import check_issue
    from bulletin.lint.printed import MAX_REPORTED

    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n"
                        "  - a.md\n", {"a.md": article("空" + "\x00" * 25 + "字。").encode()})
    found = [d for d in check_issue(root, 1) if d.code == "B243"]
    assert [(d.line, d.col) for d in found] == [(6, col) for col in range(2, 2 + MAX_REPORTED)]
    assert "本文共 25 处" in found[-1].message


def test_build_refuses_a_hostile_character(tmp_path):
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n"
                        "  - a.md\n", {"a.md": article("正文&#xE000;").encode()})
    target = root / "out.pdf"
    result = bulletin("build", "1", "-o", target, cwd=root)
    assert result.returncode == 1
    assert "issues/1/articles/a.md:6:3: B243" in result.stdout
    assert not target.exists()


# --- the text layer -------------------------------------------------------------------------


class _HTMLText(HTMLParser):
    """The text content of an HTML document, as WeasyPrint lays it out: data only (no
    attributes), nothing of <head>; and how many items of `-` lists it has (outside the
    要目's <nav>), which print a ● of their own."""

    SKIP = frozenset(("head", "style", "script", "title"))

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = self.in_nav = self.bullets = 0
        self.lists: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in self.SKIP
        self.in_nav += tag == "nav"
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li" and self.lists[-1:] == ["ul"] and not self.in_nav:
            self.bullets += 1

    def handle_endtag(self, tag):
        self.skipping -= tag in self.SKIP
        self.in_nav -= tag == "nav"
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def printable(text: str) -> str:
    """`text` normalised for comparison (see the module's docstring)."""
    from bulletin.lint.printed import is_selector

    return "".join(ch for ch in unicodedata.normalize("NFC", text)
                   if not ch.isspace() and ch not in ZERO_WIDTH and not is_selector(ch))


def html_text(root: Path, number: int) -> tuple[str, int, int]:
    """The printable text of issue `number`'s HTML, its article count, its `-` list items."""
    from bulletin.pipeline import issue_html
    from bulletin.project import Project

    loaded = Project(root).load(number)
    html = issue_html(loaded.require(), root, images=loaded.images)
    parser = _HTMLText()
    parser.feed(html)
    return printable("".join(parser.parts)), len(loaded.issue.articles), parser.bullets


def pdf_text(pdf: Path) -> tuple[str, str]:
    """The PDF's text layer, normalised: in the column, and in the foot margin below it."""
    with pdfplumber.open(pdf) as document:
        chars = [char for page in document.pages for char in page.chars]
    column = "".join(char["text"] for char in chars if char["top"] < COLUMN_BOTTOM)
    foot = "".join(char["text"] for char in chars if char["top"] >= COLUMN_BOTTOM)
    return printable(column), printable(foot)


def text_layer_problems(root: Path, number: int, pdf: Path) -> list[str]:
    """How the PDF's text layer differs from what the build printed, beyond what the layout
    adds (page numbers, the 要目's ◆, the list items' ●); [] when it holds everything."""
    expected, articles, items = html_text(root, number)
    column, foot = pdf_text(pdf)
    problems = []
    numbers = re.findall(r"—(\d+)—", foot)
    if not re.fullmatch(r"(—\d+—)*", foot) or numbers != [str(n) for n in
                                                          range(1, len(numbers) + 1)]:
        problems.append(f"the foot holds more than page numbers: {foot!r}")
    # The markers the layout adds: skipped where the HTML has no such character.
    added, kept, at = collections.Counter(), [], 0
    for ch in column:
        if ch in "◆●" and expected[at:at + 1] != ch:
            added[ch] += 1
            continue
        kept.append(ch)
        at += 1
    if added != +collections.Counter({"◆": articles, "●": items}):
        problems.append(f"markers added: {dict(added)}, expected ◆ × {articles}, ● × {items}")
    kept_text = "".join(kept)
    if kept_text != expected:
        missing = collections.Counter(expected) - collections.Counter(kept_text)
        extra = collections.Counter(kept_text) - collections.Counter(expected)
        problems.append(f"text layer: {len(kept_text)} characters for {len(expected)} printed;"
                        f" missing {dict(missing.most_common(8))}, extra "
                        f"{dict(extra.most_common(8))}")
    return problems


# (id, article, the body text it prints, written out by hand, before `printable`).
PASSING = [
    ("zero-width-characters",
     article("推动\u200b代表\u200d工作\u200c落实\u2060到位\ufeff，群众\u00ad满意。"),
     "推动代表工作落实到位，群众满意。"),
    ("entities-of-ordinary-characters",
     article("合计&#20013;\n\n版权&copy; 2025 年，A&amp;B 与 C&nbsp;D。\n\n推动工作&#x4E2D;"),
     "合计中版权© 2025 年，A&B 与 C D。推动工作中"),
    ("zero-width-entities", article("正文内容&ZeroWidthSpace;\n\n第二段&shy;"), "正文内容第二段"),
    ("backslash-escapes", article("代表\\*工作\\*落实，编号\\#1，路径 C:\\\\temp。"),
     "代表*工作*落实，编号#1，路径 C:\\temp。"),
    ("marks-that-compose", article("咖啡馆 cafe\u0301 与平假名か\u3099。"), "咖啡馆 café 与平假名が。"),
    ("variation-selectors", article("中\ufe0f国\U000e0100人大。"), "中国人大。"),
    ("odd-spaces", article("时间\u2009为上午，地点\u2002在会议室 Room\t201，共\u00a03 人。"),
     "时间为上午，地点在会议室 Room 201，共 3 人。"),
    ("code-span-keeps-the-entity", article("代码 `&#xE000;` 原样印出。"), "代码 &#xE000; 原样印出。"),
    ("fallback-only-character", article("推动鑫镕铸业项目落地。"), "推动鑫镕铸业项目落地。"),
    ("yaml-escapes-in-front-matter",
     article("正文。", title='"测试\\u4e2d稿件"', credit='"测试\\u200b单位"',
             subtitle='"副\\u00ad标题"'),
     "测试中稿件——副标题正文。（测试单位供稿）"),
    ("figure-caption-with-entity",
     article(f"第一段。\n\n![图为代表视察现场&#20013;]({PHOTO})\n\n第二段。"),
     "第一段。图为代表视察现场中第二段。"),
    ("table-and-list-with-entities",
     article(TABLE + "| 代表&#x4E2D; | 12 |\n\n- 第一项&copy;\n- 第二项"),
     "项目数量代表中12●第一项©●第二项"),
]


@pytest.fixture(scope="module")
def passing_project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("passing") / "project", issues=False)
    for number, (case, text, _) in enumerate(PASSING, start=1):
        folder = root / "issues" / str(number) / "articles"
        folder.mkdir(parents=True)
        (folder.parent / "issue.yaml").write_text(
            f"number: {number}\ndate: 2025-06-09\narticles:\n  - {case}.md\n", encoding="utf-8")
        (folder / f"{case}.md").write_text(text, encoding="utf-8")
        (folder / PHOTO).write_bytes(png())
    return root


@pytest.mark.parametrize("number,case,printed", [(n, c, p) for n, (c, _, p) in
                                                 enumerate(PASSING, start=1)],
                         ids=[case for case, _, _ in PASSING])
def test_a_passing_input_keeps_every_printed_character_in_the_text_layer(
        passing_project, tmp_path, number, case, printed):
    from bulletin.lint import check_issue
    from bulletin.pipeline import build_issue

    errors = [d for d in check_issue(passing_project, number) if d.severity.value == "error"]
    assert errors == []
    pdf = build_issue(passing_project, number, tmp_path / f"{case}.pdf",
                      renderer=renderer_for(passing_project))
    assert text_layer_problems(passing_project, number, pdf) == []
    column, _ = pdf_text(pdf)
    assert printable(printed).replace("●", "") in column.replace("●", "")


def test_issue_23_keeps_every_printed_character_in_the_text_layer(issue23_pdf):
    assert text_layer_problems(ROOT, 23, issue23_pdf) == []


@pytest.mark.parametrize("body", ["正文&#xE000;内容。", "正文\x00内容。", "第一句。\u2028第二句。"],
                         ids=["private-use-entity", "nul", "line-separator"])
def test_the_comparison_sees_a_broken_text_layer(tmp_path, body):
    """Built without the check (the pipeline does not lint), a hostile character breaks
    the text layer, and `text_layer_problems` says so: the comparison has teeth."""
    from bulletin.pipeline import build_issue

    root = copy_project(tmp_path / "project", issues=False)
    folder = root / "issues/1/articles"
    folder.mkdir(parents=True)
    (folder.parent / "issue.yaml").write_text(
        "number: 1\ndate: 2025-06-09\narticles:\n  - a.md\n", encoding="utf-8")
    (folder / "a.md").write_text(article(body + "\n\n后面的段落也要能复制。"), encoding="utf-8")
    pdf = build_issue(root, 1, tmp_path / "broken.pdf", renderer=renderer_for(root))
    assert any("text layer" in problem for problem in text_layer_problems(root, 1, pdf))


# --- the lint's own model of what is printed --------------------------------------------------


def _printed_of(root: Path, number: int):
    from bulletin.lint.printed import printed
    from bulletin.lint.text import article_text
    from bulletin.project import Project

    loaded = Project(root).load(number)
    reader = loaded.reader
    for entry in reader.articles:
        shown = reader.rel(entry.path)
        lines = reader.lines(shown)
        yield lines, printed(article_text(entry, root, shown, reader.front_matter.get(entry.path),
                                          lines))


def test_every_printed_character_is_found_where_the_file_writes_it(passing_project):
    """Each printed character of issue 23 and of the passing cases, at its line and
    column, is written there: as itself, or as the entity, escape or NUL that gives it
    (a line end: at the end of its line; a YAML escape: its backslash)."""
    from bulletin.lint.printed import PRINTED

    checked = 0
    for root, numbers in ((ROOT, [23]), (passing_project, range(1, len(PASSING) + 1))):
        for number in numbers:
            for lines, found in _printed_of(root, number):
                for item in found:
                    line, col = item.passage.position(item.offset)
                    source = lines[line - 1]
                    if item.origin == "\n":
                        assert col == len(source) + 1, (number, line, col, item.char)
                    elif item.passage.kind == PRINTED:
                        assert source[col - 1:col - 1 + len(item.origin)] == item.origin, \
                            (number, line, col, item.char)
                    elif item.passage.exact:
                        assert source[col - 1] in (item.char, "\\"), (number, line, col, item.char)
                    checked += 1
    assert checked > 4700


def test_the_lints_printed_text_is_the_htmls(passing_project):
    """What lint/printed.py takes for an article's printed body is what the renderer prints,
    in the same order."""
    from bulletin.lint.printed import PRINTED

    for root, numbers in ((ROOT, [23]), (passing_project, range(1, len(PASSING) + 1))):
        for number in numbers:
            expected, _, _ = html_text(root, number)
            for _, found in _printed_of(root, number):
                body = "".join(item.char for item in found
                               if item.roles and item.passage.kind == PRINTED)
                assert printable(body) in expected, number


@pytest.mark.parametrize("body", ["\u200b", "\u200b\n\n\u2060\u00ad", "\ufeff\u200d"],
                         ids=["zwsp", "two-paragraphs", "bom-and-zwj"])
def test_a_body_of_zero_width_characters_is_empty(tmp_path, body):
    from bulletin.lint import check_issue

    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n"
                        "  - a.md\n", {"a.md": article(body).encode()})
    assert [(d.code, d.line) for d in check_issue(root, 1)] == [("B233", 4)]


@pytest.mark.parametrize("front", ['title: "测试\\ud800稿件"\ncredit: 测试单位',
                                   'title: 测试稿件\ncredit: "\\udfff"'],
                         ids=["title", "credit"])
def test_a_lone_surrogate_from_a_yaml_escape_is_a_diagnostic(tmp_path, front):
    """YAML's `\\ud800` gives Python a lone surrogate, which the schema refuses (S103)."""
    root = make_project(tmp_path / "project", "number: 1\ndate: 2025-06-09\narticles:\n"
                        "  - a.md\n", {"a.md": f"---\n{front}\n---\n\n正文。\n".encode()})
    result = bulletin("check", "1", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert re.search(r"issues/1/articles/a\.md:[23]:\d+: S103 ", result.stdout), result.stdout
