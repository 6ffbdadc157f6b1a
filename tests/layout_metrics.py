"""Read a bulletin PDF back and measure its body lines against the GB/T 9704 grid.

The measures are those of the typesetting spec: where lines start and end, how many
characters they hold, where their baselines sit, and what starts or ends them.
Shared by the layout tests and `bench/`.

Body lines are the 16 pt lines of the column: paragraphs, run-in headings, list items
(their bullet aside). Not body lines: titles, subtitles, the credit (kept apart, in
`Layout.credits`), a table's title, and everything in 14 pt — table rows, captions,
notes, the 报尾 — which, with the figures, makes a page "rich" (`Layout.rich_pages`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

import pdfplumber

MM = 72 / 25.4
COLUMN_LEFT = 28 * MM
COLUMN_RIGHT = 184 * MM
COLUMN_TOP = 37 * MM  # the first grid line's top, on every page
COLUMN_BOTTOM = (297 - 35) * MM
BODY_SIZE = 16.0
SMALL_SIZE = 14.0  # 4号: table rows, captions, notes
INDENT_CHARS = 2
GRID_PITCH = 28.95
# Where a body line's baseline sits below the top of its grid line: the half-leading and
# the ascent of 16 pt 仿宋 in a 28.95 pt line (measured on issue 23).
BODY_BASELINE = 20.56
# A page break may leave free lines before a block that is kept whole: a table's title,
# header and first two rows (a two-line title, and a line of space, at most).
TABLE_KEEP_LINES = 6
# A figure needs at least a line of image, its caption and the line of space around it:
# it cannot go into three free lines, moved or not (more free lines: an L310 must say so).
FIGURE_MIN_LINES = 3
NOTE_KEEP_LINES = 4  # a note at the top of a page, kept with the credit after it
LIST_MARKERS = set("·•●◦▪■◆○‣")  # a bullet: ● as print.css sets it, or another
TABLE_TITLE = re.compile(r"^表\s*(\d+|[一二三四五六七八九十]+)")

# Marks whose glyph sits in one half of the em box (GB fonts): set in half width at a
# line end (closing) or start (opening), the visible edge is the inner half.
CLOSING_HALF = set("，。、；：）》」』】〕〉”’")
OPENING_HALF = set("（《「『【〔〈“‘")
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·・")
NO_LINE_END = set("（《「『【〔〈“‘")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PURE_HAN_LINE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff，。、；：？！（）《》—…·]+$")
CREDIT = re.compile(r"^（.+供稿）$")


@dataclass
class BodyLine:
    page: int  # 1-based
    text: str  # without spaces
    left: float  # visible left edge, pt from the paper's left edge
    right: float  # visible right edge
    baseline: float  # pt from the top of the paper
    size: float
    last_of_paragraph: bool = False
    ends_article: bool = False  # the credit follows it
    cells: float = 0.0  # grid cells the characters take: a mark set in half width, ½
    list_item: bool = False  # the first line of a list item (its bullet not in text/left)
    in_list: bool = False  # a line of a list item, the first or a later one

    def grid_offset(self, pitch: float = GRID_PITCH) -> float:
        """How far the baseline is from where the grid puts a baseline, in pt (signed,
        within half a line)."""
        off = (self.baseline - COLUMN_TOP - BODY_BASELINE) % pitch
        return off - pitch if off > pitch / 2 else off

    @property
    def indented(self) -> bool:
        return abs(self.left - (COLUMN_LEFT + INDENT_CHARS * self.pitch)) < 1.5

    @property
    def pitch(self) -> float:
        return (COLUMN_RIGHT - COLUMN_LEFT) / 28


@dataclass
class Layout:
    pages: int
    lines: list[BodyLine] = field(default_factory=list)
    page_texts: list[str] = field(default_factory=list)  # all text of each page, no spaces
    titles: list[list[str]] = field(default_factory=list)  # each title's lines
    subtitles: list[str] = field(default_factory=list)
    title_pages: set[int] = field(default_factory=set)
    credit_pages: set[int] = field(default_factory=set)
    pages_opening_with_title: set[int] = field(default_factory=set)
    credits: list[BodyLine] = field(default_factory=list)  # each credit line, in order
    rich_pages: set[int] = field(default_factory=set)  # with a figure or 14 pt text
    # What comes first in each page's column: "title", "figure", "small" (14 pt text: a
    # table, its title, a note) or "body"; pages with nothing in the column are left out.
    openers: dict[int, str] = field(default_factory=dict)

    def full_pages(self) -> list[int]:
        """Pages of body text only: no title, no article end, no figure, table, caption or
        note, not the last page."""
        return [page for page in range(1, self.pages)
                if page not in self.title_pages and page not in self.credit_pages
                and page not in self.rich_pages
                and self.page_texts[page - 1]]  # a blank page (even-page ending) aside

    def short_pages(self, lines_per_page: int = 22,
                    moved_figures: frozenset[int] | set[int] = frozenset()) -> list[int]:
        """Full pages (see `full_pages`) with fewer lines than the grid holds, where no
        page-break rule explains the shortfall.

        The rules (templates/print.css): a paragraph leaves no single line at a page
        foot (orphans 2) or head (widows 2); the credit never starts a page alone (it
        takes the last lines of its article along); a title keeps two lines of its text;
        a table keeps its title, header and two rows together (TABLE_KEEP_LINES); a note
        goes with the credit; a figure that does not fit moves to the next page, which
        the preflight reports (L310): `moved_figures` are the pages a figure was moved
        to. A page is short by a rule when none of the lines that open the next page
        could have been set in its free lines without breaking one of them.
        """
        counts = self.lines_per_page()
        short = []
        for page in self.full_pages():
            missing = lines_per_page - counts.get(page, 0)
            if missing <= 0:
                continue
            if page + 1 in self.pages_opening_with_title and missing <= 3 + 2 + 2:
                continue
            opener = self.openers.get(page + 1)
            if opener == "figure" and (page + 1 in moved_figures or missing <= FIGURE_MIN_LINES):
                continue
            if opener == "small" and missing <= max(TABLE_KEEP_LINES, NOTE_KEEP_LINES):
                continue
            following = [line for line in self.lines if line.page == page + 1]
            if following and not self._could_take(following, missing):
                continue
            short.append(page)
        return short

    @staticmethod
    def _could_take(following: list[BodyLine], room: int) -> bool:
        """Could `room` free lines have taken some of the lines that open the next page?"""
        length = 0  # the lines of the paragraph that opens the next page, there
        while length < len(following):
            length += 1
            if following[length - 1].last_of_paragraph:
                break
        starts = following[0].indented  # a paragraph of its own, not the rest of one
        ends_article = following[length - 1].ends_article
        for taken in range(1, room + 1):
            if taken < length:
                if (starts and taken < 2) or length - taken < 2:
                    continue  # an orphan or a widow
                return True
            # The whole paragraph, and the credit after it when it ends the article.
            return length + (1 if ends_article else 0) <= room
        return False

    # --- the figures of the spec ----------------------------------------------------

    def justified_lines(self) -> list[BodyLine]:
        return [line for line in self.lines if not line.last_of_paragraph]

    def flush_right_share(self, tolerance: float = 0.75) -> float:
        lines = self.justified_lines()
        good = [line for line in lines if abs(line.right - COLUMN_RIGHT) <= tolerance]
        return len(good) / len(lines)

    def ragged_lines(self, tolerance: float = 0.75) -> list[BodyLine]:
        return [line for line in self.justified_lines()
                if abs(line.right - COLUMN_RIGHT) > tolerance]

    def misplaced_starts(self) -> list[BodyLine]:
        return [line for line in self.lines
                if abs(line.left - COLUMN_LEFT) > 1.0 and not line.indented]

    def pure_han_lines(self) -> list[BodyLine]:
        return [line for line in self.justified_lines() if PURE_HAN_LINE.match(line.text)]

    def full_grid_share(self) -> float:
        """Share of justified Han lines whose characters take exactly the 28 cells.

        A mark squeezed onto the line in half width (clreq's push-in, which the spec
        asks for) takes half a cell; a line spread out over fewer characters fails.
        """
        lines = self.pure_han_lines()
        good = [line for line in lines
                if line.cells == (28 - INDENT_CHARS if line.indented else 28)]
        return len(good) / len(lines) if lines else 1.0

    def character_count_share(self) -> float:
        """Share of justified Han lines that hold exactly 28 characters, marks whole."""
        lines = self.pure_han_lines()
        good = [line for line in lines
                if len(line.text) == (28 - INDENT_CHARS if line.indented else 28)]
        return len(good) / len(lines) if lines else 1.0

    def baseline_steps(self) -> list[float]:
        steps = []
        for previous, line in zip(self.lines, self.lines[1:]):
            if line.page == previous.page:
                steps.append(line.baseline - previous.baseline)
        return steps

    def median_pitch(self) -> float:
        return statistics.median(self.baseline_steps())

    def off_grid_lines(self, tolerance: float = 0.25) -> list[BodyLine]:
        """Body lines and credits whose baseline is not where the grid puts one: the
        column's grid, counted from its top on every page, not the line before."""
        return [line for line in sorted(self.lines + self.credits,
                                        key=lambda line: (line.page, line.baseline))
                if abs(line.grid_offset()) > tolerance]

    def off_grid_steps(self, pitch: float = 28.95, tolerance: float = 0.2) -> list[float]:
        """Steps between body baselines that are not a whole number of grid lines."""
        off = []
        for step in self.baseline_steps():
            lines = round(step / pitch)
            if lines < 1 or abs(step - lines * pitch) > tolerance * max(1, lines):
                off.append(step)
        return off

    def lines_per_page(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for line in self.lines:
            counts[line.page] = counts.get(line.page, 0) + 1
        return counts

    def list_lines(self) -> list[BodyLine]:
        return [line for line in self.lines if line.in_list]

    def kinsoku_violations(self) -> list[str]:
        problems = []
        for previous, line in zip(self.lines, self.lines[1:]):
            if line.text[0] in NO_LINE_START:
                problems.append(f"p{line.page} line starts with {line.text[0]}: {line.text}")
            if previous.text[-1] in NO_LINE_END:
                problems.append(f"p{previous.page} line ends with {previous.text[-1]}: "
                                f"{previous.text}")
            for mark in "—…":
                if (previous.text.endswith(mark) and line.text.startswith(mark)
                        and not previous.last_of_paragraph):
                    problems.append(f"p{line.page} {mark * 2} split across lines")
        return problems

    def lone_last_characters(self) -> list[BodyLine]:
        return [line for line in self.lines if line.last_of_paragraph
                and len(HAN.findall(line.text)) == 1 and len(line.text) <= 2]


def measure(pdf_path) -> Layout:
    """The body lines of a PDF: a path, or a PDF open in pdfplumber (whose pages keep
    their parsed characters, for a caller that reads them for something else too)."""
    if isinstance(pdf_path, pdfplumber.PDF):
        return _measure(pdf_path)
    with pdfplumber.open(pdf_path) as pdf:
        return _measure(pdf)


def _measure(pdf: pdfplumber.PDF) -> Layout:
    layout = Layout(pages=len(pdf.pages))
    for number, page in enumerate(pdf.pages, start=1):
        page_lines = page.extract_text_lines(return_chars=True)
        layout.page_texts.append("".join(
            line["text"] for line in page_lines
            if line["top"] < COLUMN_BOTTOM + 2).replace(" ", ""))
        title_lines = [line for line in page_lines if 20 < line["chars"][0]["size"] < 30]
        first_title = min((line["top"] for line in title_lines), default=None)
        if number == 1 and first_title is None:  # no title under the masthead: its 要目's foot
            first_title = max((line["bottom"] for line in page_lines
                               if line["chars"][0]["size"] < 13.5 and line["top"] < 300),
                              default=None)
        previous_bottom = None
        for line in title_lines:
            text = line["text"].replace(" ", "")
            if previous_bottom is not None and line["top"] - previous_bottom < 20:
                layout.titles[-1].append(text)
            else:
                layout.titles.append([text])
            previous_bottom = line["bottom"]
        if title_lines:
            layout.title_pages.add(number)
            body_tops = [line["top"] for line in page_lines
                         if abs(line["chars"][0]["size"] - BODY_SIZE) <= 0.1
                         and line["top"] < COLUMN_BOTTOM]
            if number > 1 and first_title < min(body_tops, default=COLUMN_BOTTOM):
                layout.pages_opening_with_title.add(number)
        _survey_page(layout, number, page, page_lines, first_title)
        # List items' bullets: smaller than the text, in the hanging indent, a little
        # off the text's baseline (pdfplumber may put them in a line of their own).
        bullets = [page.height - c["matrix"][5] for c in page.chars if is_list_marker(c)]
        for line in page_lines:
            chars = [c for c in line["chars"] if c["text"].strip() and not is_list_marker(c)]
            marked = bool(chars) and any(
                abs(page.height - chars[0]["matrix"][5] - bullet) < 4 for bullet in bullets)
            if not chars or abs(chars[0]["size"] - BODY_SIZE) > 0.1:
                continue
            if line["top"] > COLUMN_BOTTOM + 2:
                continue  # the page number
            if number == 1 and first_title is not None and line["top"] < first_title:
                continue  # the masthead
            text = "".join(c["text"] for c in chars)
            baseline = page.height - chars[0]["matrix"][5]
            if _is_subtitle(text, chars):
                layout.subtitles.append(text)
                continue
            if CREDIT.match(text):
                layout.credit_pages.add(number)
                layout.lines.append(BodyLine(number, text, 0, 0, baseline, BODY_SIZE, True))
                continue
            if TABLE_TITLE.match(text) and _is_centred(chars):
                continue  # a table's title, set in body size
            list_item = marked and _at_list_indent(chars[0])
            first, last = chars[0], chars[-1]
            left = first["x0"]
            if first["text"] in OPENING_HALF and _at_line_start(left + first["size"] / 2):
                left += first["size"] / 2
            right = last["x1"]
            if last["text"] in CLOSING_HALF and right > COLUMN_RIGHT + last["size"] / 4:
                right -= last["size"] / 2
            pitch = (COLUMN_RIGHT - COLUMN_LEFT) / 28
            edges = [c["x0"] for c in chars[1:]] + [right]
            cells = sum(round(2 * (end - c["x0"]) / pitch) / 2
                        for c, end in zip(chars, edges))
            layout.lines.append(BodyLine(number, text, left, right, baseline,
                                         first["size"], cells=cells, list_item=list_item,
                                         in_list=list_item))
    _mark_paragraph_ends(layout)
    layout.credits = [line for line in layout.lines if CREDIT.match(line.text)]
    layout.lines = [line for line in layout.lines if not CREDIT.match(line.text)]
    return layout


def _survey_page(layout: Layout, number: int, page, page_lines, first_title) -> None:
    """Whether the page holds a figure or 14 pt text (a table, a caption, a note), and what
    its column opens with."""
    column = [line for line in page_lines if line["top"] < COLUMN_BOTTOM + 2
              and not (number == 1 and first_title is not None and line["top"] < first_title)]
    images = [image for image in page.images
              if image["top"] < COLUMN_BOTTOM and image["bottom"] > COLUMN_TOP]
    small = [line for line in column if abs(line["chars"][0]["size"] - SMALL_SIZE) <= 0.3]
    if images or small:
        layout.rich_pages.add(number)
    firsts = [(image["top"], "figure") for image in images]
    firsts += [(line["top"], "small") for line in small]
    firsts += [(line["top"], "title") for line in column if 20 < line["chars"][0]["size"] < 30]
    firsts += [(line["top"], "body") for line in column
               if abs(line["chars"][0]["size"] - BODY_SIZE) <= 0.1]
    if firsts:
        layout.openers[number] = min(firsts)[1]


def _is_centred(chars) -> bool:
    centre = (chars[0]["x0"] + chars[-1]["x1"]) / 2
    return abs(centre - (COLUMN_LEFT + COLUMN_RIGHT) / 2) < 2 \
        and chars[0]["x0"] > COLUMN_LEFT + INDENT_CHARS * BODY_SIZE + 2


def is_list_marker(c: dict) -> bool:
    """A list item's bullet: a mark no larger than the text in the hanging indent, off the
    character grid (a `·` of the text sits in a cell of its own; at a line start it would
    break 禁则)."""
    pitch = (COLUMN_RIGHT - COLUMN_LEFT) / 28
    cells = (c["x0"] - COLUMN_LEFT) / pitch
    return (c["text"] in LIST_MARKERS and c["size"] <= BODY_SIZE + 0.1
            and COLUMN_LEFT + 1 < c["x0"] and c["x1"] <= COLUMN_LEFT + INDENT_CHARS * pitch + 0.5
            and (c["size"] < BODY_SIZE - 1 or abs(cells - round(cells)) > 0.1))


def _at_list_indent(first: dict) -> bool:
    """A list item's first line: its text at the indent, the bullet before it."""
    indent = COLUMN_LEFT + INDENT_CHARS * (COLUMN_RIGHT - COLUMN_LEFT) / 28
    return abs(first["x0"] - indent) < 1.5


def _is_subtitle(text: str, chars) -> bool:
    """A title's `——…` subtitle: centred, where no body line may start with a dash."""
    centre = (chars[0]["x0"] + chars[-1]["x1"]) / 2
    return text.startswith("——") and abs(centre - (COLUMN_LEFT + COLUMN_RIGHT) / 2) < 2 \
        and chars[0]["x0"] > COLUMN_LEFT + 2 * BODY_SIZE


def _at_line_start(x: float) -> bool:
    pitch = (COLUMN_RIGHT - COLUMN_LEFT) / 28
    return any(abs(x - (COLUMN_LEFT + n * pitch)) < 1.0 for n in (0, INDENT_CHARS))


def _mark_paragraph_ends(layout: Layout) -> None:
    """A line ends its paragraph when the next body line is indented or is a credit.

    In a list every line of an item starts at the indent: a line that follows a full line
    of a list item (flush right) goes on with that item; after a shorter one, a new item
    or paragraph begins."""
    lines = layout.lines
    for line, following in zip(lines, lines[1:]):
        if (line.in_list and following.indented and not following.list_item
                and not CREDIT.match(following.text)
                and abs(line.right - COLUMN_RIGHT) <= 0.75):
            following.in_list = True
            continue
        if CREDIT.match(following.text) or following.indented:
            line.last_of_paragraph = True
            line.ends_article = bool(CREDIT.match(following.text))
        # A title between two lines on one page ends the paragraph too.
        elif following.page == line.page and following.baseline - line.baseline > 30:
            line.last_of_paragraph = True
    if lines:
        lines[-1].last_of_paragraph = True


def page_end_offsets(layout: Layout, marks: list[str]) -> list[tuple[int, int]]:
    """For each printed page end (the text just before it), our offset and the printed one.

    Offsets count characters, spaces excluded, from the start of the issue.
    """
    ours = []
    total = 0
    for text in layout.page_texts:
        total += len(text)
        ours.append(total)
    whole = "".join(layout.page_texts)
    result = []
    for page, mark in enumerate(marks, start=1):
        position = whole.find(mark.replace(" ", ""))
        assert position >= 0, f"page {page} end not found: {mark}"
        result.append((ours[page - 1], position + len(mark.replace(" ", ""))))
    return result
