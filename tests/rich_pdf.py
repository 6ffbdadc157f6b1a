"""Read a bulletin PDF's rich content back: body lines, tables, figures, captions, notes.

pdfplumber's characters, rules and images, classified by face and size as
templates/print.css sets them: body text 16 pt 仿宋; table cells 14 pt 仿宋, their
header 14 pt 黑体; captions 14 pt 楷体; notes 14 pt 仿宋 opening with 注. Used by
tests/test_rich.py (and usable on any bulletin PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pdfplumber

MM = 72 / 25.4
PITCH = 28.95
COLUMN_LEFT, COLUMN_RIGHT = 28 * MM, 184 * MM
COLUMN_TOP, COLUMN_BOTTOM = 37 * MM, 262 * MM
FIRST_PAGE_TOP = 15 * MM
CELL = (COLUMN_RIGHT - COLUMN_LEFT) / 28
# Marks whose glyph fills one half of its em box: at a line's end or start the empty
# half may stand outside the column (GB/T 15834 half-width marks at the edges).
CLOSING_HALF = set("，。、；：）》」』】〕〉”’")
OPENING_HALF = set("（《「『【〔〈“‘")


def face(char) -> str:
    name = char["fontname"].replace("-", "").lower()  # ABCDEF+Noto-Serif-CJK-SC-Bold
    for key, label in (("fandolfang", "fang"), ("fandolhei", "hei"), ("fandolkai", "kai"),
                       ("fandolsong", "song"), ("notoserifcjkscbold", "title"),
                       ("notoserif", "fallback")):
        if key in name:
            return label
    return name


@dataclass
class TextLine:
    page: int
    face: str
    size: float
    baseline: float  # pt from the top of the paper
    chars: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def left(self) -> float:
        return min(c["x0"] for c in self.chars)

    @property
    def right(self) -> float:
        return max(c["x1"] for c in self.chars)

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)


@dataclass
class Page:
    number: int
    height: float
    lines: list[TextLine]
    images: list[dict]  # pdfplumber image dicts: x0, x1, top, bottom
    rules: list[tuple[float, float, float, float]]  # x0, top, x1, bottom of lines and rects
    words: list = field(default_factory=list)

    def of(self, face_: str, size: float) -> list[TextLine]:
        return [line for line in self.lines
                if line.face == face_ and abs(line.size - size) < 0.2]


def read(pdf_path) -> list[Page]:
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            groups: dict[tuple, TextLine] = {}
            for char in page.chars:
                if not char["text"].strip():
                    continue
                baseline = round(page.height - char["matrix"][5], 1)
                key = (face(char), round(char["size"], 1), baseline)
                line = groups.setdefault(key, TextLine(number, key[0], key[1], baseline))
                line.chars.append(char)
            lines = sorted(groups.values(), key=lambda line: (line.baseline, line.left))
            for line in lines:
                line.chars.sort(key=lambda c: c["x0"])
            rules = [(r["x0"], r["top"], r["x1"], r["bottom"])
                     for r in page.rects + page.lines]
            pages.append(Page(number, page.height, lines, list(page.images), rules))
    return pages


def body_lines(pages: list[Page]) -> list[TextLine]:
    """The 16 pt 仿宋 lines inside the column (the page number and, on page 1, the
    masthead's 期号 left out)."""
    found = []
    for page in pages:
        for line in page.of("fang", 16):
            if line.baseline > COLUMN_BOTTOM + 2:
                continue  # the page number
            if page.number == 1 and line.baseline < first_title_top(page):
                continue
            found.append(line)
    return found


def first_title_top(page: Page) -> float:
    return min((line.top for line in page.lines if line.face == "title" and 20 < line.size < 30),
               default=COLUMN_BOTTOM)


def calibrate(lines: list[TextLine]) -> float:
    """The depth of body baselines below their grid lines (the most common one)."""
    from collections import Counter

    depths = Counter(round((line.baseline - COLUMN_TOP) % PITCH, 1) for line in lines)
    return depths.most_common(1)[0][0]


def off_grid(lines: list[TextLine], tolerance: float = 0.2) -> list[tuple[TextLine, float]]:
    depth = calibrate(lines)
    wrong = []
    for line in lines:
        offset = (line.baseline - COLUMN_TOP - depth) % PITCH
        offset = min(offset, PITCH - offset)
        if offset > tolerance:
            wrong.append((line, offset))
    return wrong


def outside_the_column(pages: list[Page], tolerance: float = 0.6) -> list[str]:
    """Every glyph, image and rule outside the 156 × 225 mm column (page numbers, in the
    margin below it, and the masthead on page 1, from 15 mm down, excepted)."""
    problems = []
    for page in pages:
        top = FIRST_PAGE_TOP if page.number == 1 else COLUMN_TOP
        for line in page.lines:
            if line.baseline > COLUMN_BOTTOM + 10 and line.text.strip("— 0123456789") == "":
                continue  # the page number
            for char in line.chars:
                x0, x1 = char["x0"], char["x1"]
                if char["text"] in CLOSING_HALF:
                    x1 -= char["size"] / 2
                elif char["text"] in OPENING_HALF:
                    x0 += char["size"] / 2
                if x0 < COLUMN_LEFT - tolerance or x1 > COLUMN_RIGHT + tolerance \
                        or char["top"] < top - tolerance or char["bottom"] > COLUMN_BOTTOM + tolerance:
                    problems.append(f"p{page.number} glyph {char['text']!r} at "
                                    f"{char['x0']:.1f},{char['top']:.1f}")
        for image in page.images:
            if image["x0"] < COLUMN_LEFT - tolerance or image["x1"] > COLUMN_RIGHT + tolerance \
                    or image["top"] < top - tolerance \
                    or image["bottom"] > COLUMN_BOTTOM + tolerance:
                problems.append(f"p{page.number} image at {image['x0']:.1f},{image['top']:.1f}")
        for x0, y0, x1, y1 in page.rules:
            if x0 < COLUMN_LEFT - tolerance or x1 > COLUMN_RIGHT + tolerance \
                    or y0 < top - tolerance or y1 > COLUMN_BOTTOM + tolerance:
                problems.append(f"p{page.number} rule at {x0:.1f},{y0:.1f}–{x1:.1f},{y1:.1f}")
    return problems
