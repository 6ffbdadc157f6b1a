"""Preflight: every page of a laid-out issue checked from WeasyPrint's own boxes.

What an editor would see on paper and what nothing else warns about: text or pictures
outside the 156 × 225 mm column, lines set over each other, body lines off the grid, a
title stranded at a page foot, a single line of a paragraph alone at a page foot or
head, a credit alone at a page head, a 报尾 that does not fit under the text, lines
spread out too far. Each finding is an `L3xx` diagnostic that names the page and, where
it can be known, the article file and the line of the paragraph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from .chinese import BREAK_HINTS
from .codes import register
from .diagnostics import Diagnostic, Severity, relative
from .markup import SOURCE_LINE
from .model import Issue
from .typeset.grid import COLUMN_BOTTOM_MM, MM, PITCH, PT, on_grid

WARNING = Severity.WARNING
HINTS_AND_SPACE = "".join(BREAK_HINTS) + " "

# code: what it finds, in one Chinese line (as in the README's table); all warnings.
CODES = {
    "L301": "文字或图片超出版心（156 × 225 毫米）",
    "L302": "两行文字重叠",
    "L303": "正文行不在版心网格上（行距 28.95 磅）",
    "L304": "标题落在页末，其后不足两行正文",
    "L305": "段落的一行单独留在页末或页首",
    "L306": "报尾排不进末页正文之下",
    "L307": "一行字距拉开超过四分之一字",
    "L308": "供稿行单独排在页首",
    "L309": "表格宽于版心，已按版心宽度排",
    "L310": "图片排不进本页余下的位置，移到下一页，留下空白",
}

for _code, _summary in CODES.items():
    register(_code, WARNING, _summary)
del _code, _summary

COLUMN_LEFT = 28 * MM
COLUMN_RIGHT = (210 - 26) * MM
COLUMN_TOP = 37 * MM
COLUMN_BOTTOM = COLUMN_BOTTOM_MM * MM
TOLERANCE = 0.5 * PT
MAX_SPREAD = 0.25  # em between two characters

ARTICLE_PREFIX = "article-"
HEAD_CLASS = "article-head"
CREDIT_CLASS = "credit"
BODY_CLASS = "article-body"
FRONT_CLASS = "front-page"
DISTRIBUTION_CLASS = "distribution"
GRID_BLOCK_CLASS = "on-grid"  # a figure, a table or a note: its lines are not body lines
FIGURE_ID, TABLE_ID = "data-figure", "data-table"


def classes(box) -> frozenset[str]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "pseudo_type", None) is not None:
        return frozenset()
    return frozenset((element.get("class") or "").split())


@dataclass
class Line:
    """A line box on a page, with what it belongs to."""

    page: int  # 1-based
    box: object
    block: object  # the element of the block that holds the line
    article: str | None  # the article's slug
    # "body", "head", "credit", "front", "distribution", "other", or "block": a line of
    # a figure, a table or a note, which has a grid of its own
    role: str
    source_line: int = 0  # in the article body, 1-based; 0 if unknown
    texts: list = field(default_factory=list)  # its text boxes

    @property
    def top(self) -> float:
        return self.box.position_y


@dataclass
class Block:
    """A figure or a table as laid out: its box, its `data-figure`/`data-table` id."""

    page: int
    box: object
    id: str
    source_line: int
    article: str | None
    image: object = None  # a figure's image box

    @property
    def top(self) -> float:
        return self.box.border_box_y()

    @property
    def bottom(self) -> float:
        return self.box.border_box_y() + self.box.border_height()


@dataclass
class Pages:
    """Every line and drawn thing of a document, page by page."""

    count: int
    lines: list[Line]
    drawn: list[tuple[int, object, str]]  # (page, text or replaced box, role)
    footnote_page: int | None  # where the 报尾 sits
    footnote_height: float = 0.0  # px
    figures: list[Block] = field(default_factory=list)
    tables: list[Block] = field(default_factory=list)

    def lines_on(self, page: int) -> list[Line]:
        return [line for line in self.lines if line.page == page]


def read_pages(document) -> Pages:
    from weasyprint.formatting_structure import boxes

    lines: list[Line] = []
    drawn: list[tuple[int, object, str]] = []
    figures: list[Block] = []
    tables: list[Block] = []
    footnote_page = None
    footnote_height = 0.0

    def walk(box, page, article, role, block, source_line):
        names = classes(box)
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "pseudo_type", None) is None:
            identifier = element.get("id") or ""
            if identifier.startswith(ARTICLE_PREFIX) and element.tag == "article":
                article = identifier[len(ARTICLE_PREFIX):]
            if element.get(SOURCE_LINE):
                source_line = int(element.get(SOURCE_LINE))
        if FRONT_CLASS in names:
            role = "front"
        elif DISTRIBUTION_CLASS in names:
            role = "distribution"
        elif HEAD_CLASS in names:
            role = "head"
        elif CREDIT_CLASS in names:
            role = "credit"
        elif BODY_CLASS in names:
            role = "body"
        elif GRID_BLOCK_CLASS in names and role == "body":
            role = "block"
        if element is not None and getattr(box, "pseudo_type", None) is None:
            if element.tag == "figure" and element.get(FIGURE_ID):
                figure = Block(page, box, element.get(FIGURE_ID), source_line, article)
                figure.image = next((child for child in box.descendants()
                                     if isinstance(child, boxes.ReplacedBox)), None)
                figures.append(figure)
            elif isinstance(box, boxes.TableBox) and element.get(TABLE_ID):
                tables.append(Block(page, box, element.get(TABLE_ID), source_line, article))
        if isinstance(box, boxes.BlockContainerBox) and element is not None:
            block = box
        if isinstance(box, boxes.LineBox):
            line = Line(page, box, block, article, role, source_line)
            for child in box.descendants():
                if isinstance(child, boxes.TextBox) and child.text.strip(HINTS_AND_SPACE):
                    line.texts.append(child)
                    drawn.append((page, child, role))
                elif isinstance(child, boxes.InlineReplacedBox):
                    drawn.append((page, child, role))
            if line.texts:
                lines.append(line)
            return
        if isinstance(box, boxes.ReplacedBox):
            drawn.append((page, box, role))
        for child in getattr(box, "children", ()):
            walk(child, page, article, role, block, source_line)

    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue  # page numbers
            if isinstance(child, boxes.FootnoteAreaBox):
                if child.children:
                    footnote_page = number
                    footnote_height = child.margin_height()
                walk(child, number, None, "distribution", None, 0)
            else:
                walk(child, number, None, "other", None, 0)
    return Pages(len(document.pages), lines, drawn, footnote_page, footnote_height,
                 figures, tables)


# --- the 报尾 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributionFit:
    """Where the 报尾 went in a layout with it under the text."""

    text_page: int  # the page of the last line of text
    page: int | None  # the page the 报尾 is on
    lines_short: int  # body lines to cut so that it fits under the text (0: it fits)

    @property
    def fits(self) -> bool:
        return self.page == self.text_page


def distribution_fit(pages: Pages) -> DistributionFit:
    text = [line for line in pages.lines if line.role not in ("distribution", "front")]
    text_page = max((line.page for line in text), default=1)
    if pages.footnote_page is None or pages.footnote_page == text_page:
        return DistributionFit(text_page, pages.footnote_page, 0)
    last = max((line for line in text if line.page == text_page),
               key=lambda line: line.top + line.box.height, default=None)
    bottom = last.top + last.box.height if last is not None else COLUMN_TOP
    needed = pages.footnote_height - (COLUMN_BOTTOM - bottom)
    return DistributionFit(text_page, pages.footnote_page, max(1, math.ceil(needed / PITCH - 1e-6)))


UNDER_TEXT, OWN_PAGE, EVEN_PAGE = "under-text", "own-page", "even-page"


def distribution_layout(fit: DistributionFit, placement: str, page_count: int) -> str:
    """What the first layout (the 报尾 under the text) still needs.

    UNDER_TEXT: nothing, it is where it belongs. OWN_PAGE: WeasyPrint put it on a page of
    its own, the last, which is right: only that page's number must go. EVEN_PAGE: lay
    the issue out again with it on the next even page (`distribution-even-page`).
    """
    if placement == "even-page":
        if fit.fits and fit.text_page % 2 == 0:
            return UNDER_TEXT
        if fit.page == page_count == fit.text_page + 1 and fit.page % 2 == 0:
            return OWN_PAGE
        return EVEN_PAGE
    return UNDER_TEXT if fit.fits else OWN_PAGE


# --- figures and tables that need another layout -----------------------------------------

COLUMN_WIDTH = COLUMN_RIGHT - COLUMN_LEFT
KEPT_SHARE = 2 / 3  # a figure is scaled down to fit a page's foot only to this share


@dataclass(frozen=True)
class Fitting:
    """What a layout changes in the next one: figures scaled down (their image heights,
    pt, by id) and tables too wide for the column (set to its width, by id)."""

    figure_heights: dict = field(default_factory=dict)
    wide_tables: frozenset = frozenset()


@dataclass(frozen=True)
class FigureGap:
    figure: Block
    lines: int  # whole grid lines left empty at the foot of the page before it
    fitted_height: float  # pt: the image's height that would fit that room (may be ≤ 0)
    height: float  # pt: the image's height now


def _content_bottom(pages: Pages, page: int) -> float:
    bottoms = [line.top + line.box.height for line in pages.lines
               if line.page == page and line.role != "distribution"]
    bottoms += [block.bottom for block in pages.figures + pages.tables if block.page == page]
    return max(bottoms, default=COLUMN_TOP)


def figure_gaps(pages: Pages) -> list[FigureGap]:
    """Figures that start a page, the page before them ending a grid line or more short
    of the column's foot: WeasyPrint moved them, they did not fit what was left."""
    gaps = []
    last_grid_line = COLUMN_TOP + math.floor((COLUMN_BOTTOM - COLUMN_TOP) / PITCH + 1e-6) * PITCH
    for figure in pages.figures:
        if figure.page == 1 or figure.image is None or abs(figure.top - COLUMN_TOP) > TOLERANCE:
            continue
        bottom = _content_bottom(pages, figure.page - 1)
        lines = math.floor((last_grid_line - bottom) / PITCH + 1e-6)
        if lines < 1:
            continue
        style = figure.box.style
        margin_top = style["margin_top"].value if style["margin_top"].unit == "px" else 0
        room = last_grid_line - bottom - margin_top
        height = figure.image.height
        # What the figure holds besides its image (the caption), before it was rounded
        # up to the grid: the scaled figure is rounded up again, to fit the room.
        content = sum(child.margin_height() for child in figure.box.children)
        fitted = room - (content - height)
        gaps.append(FigureGap(figure, lines, fitted / PT, height / PT))
    return gaps


def refit(pages: Pages, fitting: Fitting) -> Fitting | None:
    """The changes a layout asks of the next one, or None when it needs none: a figure
    that moved to the next page is scaled down to fit the room it left, when that keeps
    `KEPT_SHARE` of its height; a table wider than the column is set to its width."""
    heights = dict(fitting.figure_heights)
    wide = set(fitting.wide_tables)
    changed = False
    for table in pages.tables:
        if table.box.border_width() > COLUMN_WIDTH + TOLERANCE and table.id not in wide:
            wide.add(table.id)
            changed = True
    for gap in figure_gaps(pages):
        if gap.figure.id in heights:
            continue  # scaled once already: it stays where it went
        natural = gap.height
        if gap.fitted_height >= KEPT_SHARE * natural - 0.01:
            heights[gap.figure.id] = math.floor(gap.fitted_height * 100) / 100
            changed = True
    return Fitting(heights, frozenset(wide)) if changed else None


# --- the checks --------------------------------------------------------------------------


@dataclass
class Finder:
    issue: Issue
    root: Path
    findings: list[Diagnostic] = field(default_factory=list)

    def where(self, line: Line | None) -> tuple[str, int]:
        article = self._article(line.article if line else None)
        if article is None or article.path is None:
            folder = self.issue.folder or self.root
            return relative(folder / "issue.yaml", self.root), 0
        number = article.body_line + line.source_line - 1 if line.source_line else 0
        return relative(article.path, self.root), number

    def _article(self, slug):
        for article in self.issue.articles:
            if article.slug == slug:
                return article
        return None

    def add(self, code: str, page: int, message: str, line: Line | None = None) -> None:
        path, number = self.where(line)
        self.findings.append(Diagnostic(code, f"第 {page} 页：{message}", path, number,
                                        severity=WARNING))


def _text_of(line: Line, limit: int = 12) -> str:
    text = "".join(ch for box in line.texts for ch in box.text if ch not in BREAK_HINTS)
    return text if len(text) <= limit else text[:limit] + "…"


def check(document, issue: Issue, root: Path, fit: DistributionFit | None = None,
          pages: Pages | None = None, fitting: Fitting | None = None) -> list[Diagnostic]:
    """Every finding of the preflight on the laid-out `document` of `issue`."""
    pages = pages or read_pages(document)
    finder = Finder(issue, Path(root))
    _outside_the_column(pages, finder)
    _overlapping_lines(pages, finder)
    _off_the_grid(pages, finder)
    _page_breaks(pages, finder)
    _spread_lines(pages, finder)
    _figures_and_tables(pages, finder, fitting or Fitting())
    if fit is not None and not fit.fits:
        where = pages.footnote_page or pages.count
        placed = ("单独一页" if issue.distribution_placement == "last-page"
                  else "末尾的偶数页（封四）")
        finder.add("L306", fit.text_page,
                   f"报尾排不进末页正文之下，还差 {fit.lines_short} 行：删去 {fit.lines_short} "
                   f"行正文即可与正文同页；现排在第 {where} 页，{placed}，不编页码")
    return finder.findings


def _outside_the_column(pages: Pages, finder: Finder) -> None:
    reported: set[tuple[int, int]] = set()
    lines_by_box = {id(text): line for line in pages.lines for text in line.texts}
    for page, box, role in pages.drawn:
        left, top = box.position_x, box.position_y
        right, bottom = left + box.margin_width(), top + box.margin_height()
        text = getattr(box, "text", None)
        if text and text != text.rstrip():
            # Spaces kept at a line end (code, `pre-wrap`) hang, unseen: at most ½ em each.
            trailing = len(text) - len(text.rstrip())
            right -= min(trailing * box.style["font_size"] / 2, box.margin_width())
        upper = 15 * MM if role == "front" and page == 1 else COLUMN_TOP
        if (left >= COLUMN_LEFT - TOLERANCE and right <= COLUMN_RIGHT + TOLERANCE
                and top >= upper - TOLERANCE and bottom <= COLUMN_BOTTOM + TOLERANCE):
            continue
        line = lines_by_box.get(id(box))
        key = (page, id(line.box) if line else id(box))
        if key in reported:
            continue
        reported.add(key)
        what = f"“{_text_of(line)}”" if line else "图片"
        sides = []
        if left < COLUMN_LEFT - TOLERANCE:
            sides.append(f"左出 {(COLUMN_LEFT - left) / MM:.1f} 毫米")
        if right > COLUMN_RIGHT + TOLERANCE:
            sides.append(f"右出 {(right - COLUMN_RIGHT) / MM:.1f} 毫米")
        if bottom > COLUMN_BOTTOM + TOLERANCE:
            sides.append(f"下出 {(bottom - COLUMN_BOTTOM) / MM:.1f} 毫米")
        if top < upper - TOLERANCE:
            sides.append(f"上出 {(upper - top) / MM:.1f} 毫米")
        finder.add("L301", page, f"{what}超出版心（{'，'.join(sides)}）", line)


def _overlapping_lines(pages: Pages, finder: Finder) -> None:
    for page in range(1, pages.count + 1):
        rects = []
        for line in pages.lines_on(page):
            for text in line.texts:
                rects.append((text.position_y, text.position_y + text.margin_height(),
                              text.position_x, text.position_x + text.margin_width(), line))
        rects.sort(key=lambda rect: rect[0])
        reported: set[tuple[int, int]] = set()
        for index, (top, bottom, left, right, line) in enumerate(rects):
            for other in rects[index + 1:]:
                if other[0] >= bottom - TOLERANCE:
                    break
                if other[4] is line or other[4].box is line.box:
                    continue
                overlap_x = min(right, other[3]) - max(left, other[2])
                if overlap_x <= TOLERANCE:
                    continue
                key = (id(line.box), id(other[4].box))
                if key in reported:
                    continue
                reported.add(key)
                finder.add("L302", page, f"“{_text_of(other[4])}”与“{_text_of(line)}”重叠",
                           other[4])


def _off_the_grid(pages: Pages, finder: Finder) -> None:
    for line in pages.lines:
        if line.role not in ("body", "head", "credit"):
            continue
        if not on_grid(line.top):
            offset = (line.top - COLUMN_TOP) / PITCH
            finder.add("L303", line.page, f"“{_text_of(line)}”不在网格上（偏离 "
                       f"{(offset - round(offset)) * PITCH / PT:+.1f} 磅）", line)


def _page_breaks(pages: Pages, finder: Finder) -> None:
    text = [line for line in pages.lines if line.role in ("body", "head", "credit")]
    # A paragraph's lines, page by page: one line alone at a foot or a head.
    by_block: dict[int, list[Line]] = {}
    for line in text:
        if line.role == "body":
            by_block.setdefault(id(line.block.element), []).append(line)
    for lines in by_block.values():
        first_page, last_page = lines[0].page, lines[-1].page
        if first_page == last_page:
            continue
        head = [line for line in lines if line.page == first_page]
        tail = [line for line in lines if line.page == last_page]
        if len(head) == 1:
            finder.add("L305", first_page, f"段落首行“{_text_of(head[0])}”单独留在页末",
                       head[0])
        if len(tail) == 1:
            finder.add("L305", last_page, f"段落末行“{_text_of(tail[0])}”单独排在页首", tail[0])
    for index, line in enumerate(text):
        following = text[index + 1:]
        if line.role == "head" and (index + 1 >= len(text) or following[0].role != "head"):
            after = [other for other in following if other.article == line.article
                     and other.page == line.page and other.role == "body"]
            continues = any(other.article == line.article and other.page > line.page
                            for other in following)
            if len(after) < 2 and continues:
                finder.add("L304", line.page, f"标题“{_text_of(line)}”之后本页只有 {len(after)} "
                           "行正文", line)
        if line.role == "credit":
            previous = text[index - 1] if index else None
            if previous is not None and previous.article == line.article \
                    and previous.page < line.page and not _above(pages, line):
                finder.add("L308", line.page, "供稿行单独排在页首", line)


def _above(pages: Pages, line: Line) -> bool:
    """Whether a figure, a table or a note of `line`'s article stands above it on its page."""
    return any(other.article == line.article and other.page == line.page
               and other.top < line.top for other in pages.figures + pages.tables) or any(
        other.article == line.article and other.page == line.page and other.role == "block"
        and other.top < line.top for other in pages.lines)


def _spread_lines(pages: Pages, finder: Finder) -> None:
    for line in pages.lines:
        spread = getattr(line.box, "cjk_spread", 0.0)
        if spread > MAX_SPREAD:
            finder.add("L307", line.page, f"“{_text_of(line)}”一行字距拉开 {spread:.2f} 字",
                       line)


def _figures_and_tables(pages: Pages, finder: Finder, fitting: Fitting) -> None:
    for gap in figure_gaps(pages):
        figure = gap.figure
        finder.add("L310", figure.page - 1,
                   f"图片排不进本页余下的 {gap.lines} 行（缩到三分之二仍放不下），移到第 "
                   f"{figure.page} 页，本页下端留下 {gap.lines} 行空白：可缩小图片或调整前文",
                   figure)
    reported = set()
    for table in pages.tables:
        if table.id in fitting.wide_tables and table.id not in reported:
            reported.add(table.id)
            finder.add("L309", table.page, "表格宽于版心，已压缩到版心宽度、各列等宽，过长的内容"
                       "被截断：请减少列数或缩短单元格内容", table)
