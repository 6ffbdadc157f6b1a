"""The GB/T 9704 figures on a corpus of generated issues (tests/corpus.py), one by one.

Each corpus issue is built once (by a warm renderer, as the preview builds: half the
issues in this process, half in one worker process at the same time; about 20–30 s for
the 36 issues on 2 cores) and read back from its PDF, in one pdfplumber pass: body lines
flush at both edges, baselines on the 28.95 pt grid (each one where the column's grid
puts it, and explicitly the lines before and after each table, list, figure and note,
found from the sources), 22 lines on every full page (fewer only where a page-break
rule explains it), no 禁则 violation, no Han character alone on a last line, every
title, subtitle, credit, paragraph, list item, table row, table title and caption
printed, every glyph and every image inside the 156 × 225 mm column, a table's header
repeated on each page it continues on, no two lines drawn over each other, no preflight
finding but L306 and L310 (and each L310 explained: its figure opens the next page,
after the gap it reports); `bulletin check` finds no error. Then: the generator is
deterministic and the corpus has what it is made for. Each issue is a parameter of its
own: `pytest tests/test_corpus.py -k 118-` for one.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import copy_project
from corpus import (CIRCLED, CORPUS, GRID_PITCH, GRID_TOP, HOMEPAGE, MM, Block, Entry,
                    PageGlyphs, SourceIssue, build_and_read, estimate_lines, last_page_room,
                    make_corpus, make_corpus_issue, read_sources, squeeze, width)
from layout_metrics import (CLOSING_HALF, COLUMN_LEFT, COLUMN_RIGHT, OPENING_HALF, BodyLine,
                            Layout, is_list_marker)

TOLERANCE = 0.75  # pt: the flush tolerance of layout_metrics
COLUMN_TOP, FIRST_PAGE_TOP, COLUMN_BOTTOM = 37 * MM, 15 * MM, 262 * MM
IDS = [entry.id for entry in CORPUS]


@dataclass
class Built:
    entry: Entry
    sources: SourceIssue
    folder: Path
    pdf: Path | None = None
    layout: Layout | None = None
    pages: list[PageGlyphs] = field(default_factory=list)
    preflight: list = field(default_factory=list)  # the build's L3xx findings
    error: BaseException | None = None
    seconds: float = 0.0

    def __repr__(self) -> str:  # short: pytest shows it with every failure
        return f"Built({self.entry.id})"


@dataclass
class Corpus:
    project: Path
    items: dict[int, Built] = field(default_factory=dict)
    seconds: float = 0.0

    def __getitem__(self, number: int) -> Built:
        return self.items[number]

    def __repr__(self) -> str:
        return f"Corpus({self.project}, {len(self.items)} issues)"


def block_lines(block: Block) -> int:
    """About how many grid lines a block takes (a figure: its photo is drawn too)."""
    if block.kind == "paragraph":
        return estimate_lines(block.text)
    if block.kind == "list":
        return sum(estimate_lines(item) for item in block.items)
    if block.kind == "table":
        return len(block.rows) + 2
    if block.kind == "figure":
        return 12
    return 2


def halves(entries: list[Entry], sources: dict[int, SourceIssue]) -> tuple[list[int], list[int]]:
    """The issues in two halves of about the same number of printed lines (longest first,
    each to the lighter half): the same split on every run."""
    weight = {e.number: sum(block_lines(b) for a in sources[e.number].articles
                            for b in a.blocks) + 20 * len(sources[e.number].articles)
              for e in entries}
    parts: tuple[list[int], list[int]] = ([], [])
    loads = [0, 0]
    for number in sorted(weight, key=lambda n: (-weight[n], n)):
        lighter = loads.index(min(loads))
        parts[lighter].append(number)
        loads[lighter] += weight[number]
    return sorted(parts[0]), sorted(parts[1])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    """Every corpus issue built and read back: half in this process, half in one worker
    process started for it (each with its own warm renderer), at once."""
    project = copy_project(tmp_path_factory.mktemp("corpus") / "project", issues=False)
    built = Corpus(project)
    sources = {}
    for entry in CORPUS:
        folder = make_corpus_issue(project, entry.number, entry.seed, entry.kind,
                                   **entry.overrides)
        sources[entry.number] = read_sources(folder)
    here, there = halves(CORPUS, sources)
    started = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as worker:
        theirs = worker.submit(build_and_read, project, there, portable_errors=True)
        results = build_and_read(project, here) + theirs.result()
    built.seconds = time.perf_counter() - started
    by_number = {result.number: result for result in results}
    for entry in CORPUS:  # in corpus order
        result = by_number[entry.number]
        built.items[entry.number] = Built(entry, sources[entry.number],
                                          project / "issues" / str(entry.number), result.pdf,
                                          result.layout, result.pages, result.preflight,
                                          result.error, result.seconds)
    return built


def issue(corpus, entry: Entry) -> Built:
    item = corpus[entry.number]
    if item.error is not None:
        raise AssertionError(f"issue {entry.id} did not build: {item.error!r}") from item.error
    return item


def where(line) -> str:
    return f"p{line.page} {line.text[:14]}…"


# --- the grid ------------------------------------------------------------------------


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_check_finds_no_error(entry, corpus):
    from bulletin.diagnostics import Severity
    from bulletin.lint import check_issue

    errors = [f"{d.location}: {d.code} {d.message}"
              for d in check_issue(corpus.project, entry.number) if d.severity is Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_lines_are_flush_right(entry, corpus):
    layout = issue(corpus, entry).layout
    share = layout.flush_right_share()
    assert share >= 0.99, (f"{share:.3f} of {len(layout.justified_lines())} lines flush", [
        (where(line), round(line.right - COLUMN_RIGHT, 2)) for line in layout.ragged_lines()])


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_lines_start_at_the_edge_or_the_indent(entry, corpus):
    layout = issue(corpus, entry).layout
    assert [(where(line), round(line.left - COLUMN_LEFT, 2))
            for line in layout.misplaced_starts()] == []


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_baselines_sit_on_the_grid(entry, corpus):
    layout = issue(corpus, entry).layout
    steps = set(layout.off_grid_steps())
    off = [(where(line), round(line.baseline - previous.baseline, 2))
           for previous, line in zip(layout.lines, layout.lines[1:])
           if line.page == previous.page and line.baseline - previous.baseline in steps]
    assert off == [], f"{len(steps)} steps between body baselines off the 28.95 pt grid"


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_every_body_line_is_where_the_grid_puts_it(entry, corpus):
    """Every body line and credit on the column's grid, counted from the column's top on
    every page: a page that opens with a figure or a table, or whose lines all come
    after one, cannot hide a shift that the steps between its lines do not show."""
    layout = issue(corpus, entry).layout
    off = [(where(line), round(line.grid_offset(), 2)) for line in layout.off_grid_lines()]
    assert off == [], f"{len(off)} of {len(layout.lines)} body lines off the grid"


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_a_full_page_holds_22_lines(entry, corpus):
    """22 lines on every full page, fewer only where a page-break rule of print.css says
    so (orphans and widows 2, a credit taking two lines along, a title kept with its
    text, a table's title, header and two rows kept together, a figure moved to the
    next page and reported as L310: `Layout.short_pages`)."""
    item = issue(corpus, entry)
    layout = item.layout
    counts = layout.lines_per_page()
    moved = {moved_to for moved_to in (l310_facts(d)[1] for d in item.preflight
                                       if d.code == "L310") if moved_to}
    short = {page: counts.get(page, 0) for page in layout.short_pages(moved_figures=moved)}
    assert short == {}, "full pages short of 22 lines, no page-break rule explaining it"


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_no_kinsoku_violation(entry, corpus):
    assert issue(corpus, entry).layout.kinsoku_violations() == []


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_no_lone_last_character(entry, corpus):
    layout = issue(corpus, entry).layout
    assert [where(line) for line in layout.lone_last_characters()] == []


ALLOWED_FINDINGS = {"L306", "L310"}


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_the_preflight_finds_nothing(entry, corpus):
    """No L3xx finding but L306 (the 报尾 needs a page of its own: an editor's matter,
    which some corpus issues are made to show; see the next test) and L310 (a figure
    moved to the next page, leaving a gap: the corpus's photos are of every size; see
    test_every_l310_is_explained)."""
    item = issue(corpus, entry)
    assert [f"{d.location}: {d.code} {d.message}" for d in item.preflight
            if d.code not in ALLOWED_FINDINGS] == []


L310_PAGES = re.compile(r"第\s*(\d+)\s*页")
L310_MOVED = re.compile(r"移到第\s*(\d+)\s*页")
L310_GAP = re.compile(r"留下\s*(\d+)\s*行")


def l310_facts(finding) -> tuple[int | None, int | None, int | None]:
    """(the page left with a gap, the page the figure went to, the gap in lines), as far
    as an L310 message says them: `第 3 页：……移到第 4 页，本页下端留下 8 行空白`."""
    pages = L310_PAGES.search(finding.message)
    moved = L310_MOVED.search(finding.message)
    gap = L310_GAP.search(finding.message)
    page = int(pages.group(1)) if pages else None
    moved_to = int(moved.group(1)) if moved else (page + 1 if page else None)
    return page, moved_to, int(gap.group(1)) if gap else None


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_every_l310_is_explained(entry, corpus):
    """An L310 names a figure of the sources (file and line) that moved to the next page:
    there, it is the first thing in the column, and the page before ends with the gap
    the finding reports (give or take a line)."""
    item = issue(corpus, entry)
    placed = figure_placements(item)
    unexplained = []
    for finding in (d for d in item.preflight if d.code == "L310"):
        page, moved_to, gap = l310_facts(finding)
        said = f"{finding.location}: {finding.message}"
        figures = [(article, block) for article in item.sources.articles
                   for block in article.of_kind("figure")
                   if finding.path.endswith("/" + article.name)
                   and (not finding.line or block.line == finding.line)]
        if not figures:
            unexplained.append(f"{said} — no figure of the sources there")
            continue
        spots = [placed.get(id(block)) for _, block in figures]
        if not any(spot for spot in spots):
            unexplained.append(f"{said} — its figure is not in the PDF")
            continue
        reasons = []
        for spot in filter(None, spots):
            on, image = spot
            free = free_lines_at_foot(item.pages[on - 2]) if on > 1 else 0
            if moved_to and on != moved_to:
                reasons.append(f"the figure is on page {on}, not {moved_to}")
            elif item.layout.openers.get(on) != "figure":
                reasons.append(f"page {on} opens with {item.layout.openers.get(on)}, "
                               "not the figure")
            elif free < 1 or (gap is not None and abs(free - gap) > 1):
                reasons.append(f"page {on - 1} ends with {free} free lines")
            else:
                reasons = []
                break
        if reasons:
            unexplained.append(f"{said} — {'; '.join(reasons)}")
    assert unexplained == []


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_l306_exactly_where_the_distribution_is_alone(entry, corpus):
    """L306 (the 报尾 does not fit under the text) where, and only where, the 报尾 has a
    page of its own; with `even-page`, a text ending on an odd page sends the 报尾 to the
    next page whether it fits or not."""
    item = issue(corpus, entry)
    page, free, alone = last_page_room(item.pages)
    if item.sources.settings.get("distribution_placement") == "even-page" and page % 2:
        # Text ending on an odd page: the 报尾 goes to the next page, an even one, whether
        # it fits under the text or not. It is there, alone, and the issue ends there.
        assert alone and len(item.pages) == page + 1, (
            f"text ends on page {page} of {len(item.pages)}, "
            f"报尾 {'alone' if alone else 'under the text'}")
        return
    said = [d.message for d in item.preflight if d.code == "L306"]
    assert bool(said) == alone, (said, f"text ends on page {page}, {free} lines free, "
                                       f"报尾 {'alone' if alone else 'under the text'}")


# --- the text ------------------------------------------------------------------------


def printed_text(item: Built, titles_only: bool = False) -> str:
    """Everything drawn in the column but list bullets (drawn after their list), in
    drawing order, squeezed; or the titles' glyphs."""
    return squeeze("".join(c["text"] for page in item.pages for c in page.chars
                           if (not titles_only or 20 < c["size"] < 30)
                           and not is_list_marker(c)))


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_titles_subtitles_and_credits_are_printed(entry, corpus):
    item = issue(corpus, entry)
    text, titles = printed_text(item), printed_text(item, titles_only=True)
    missing = []
    for article in item.sources.articles:
        if squeeze("".join(article.title_lines)) not in titles:
            missing.append(("title", article.name, "".join(article.title_lines)))
        if article.subtitle and squeeze("——" + article.subtitle) not in text:
            missing.append(("subtitle", article.name, article.subtitle))
        if squeeze(f"（{article.credit}供稿）") not in text:
            missing.append(("credit", article.name, article.credit))
    assert missing == []


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_every_paragraph_is_printed_whole(entry, corpus):
    """Every paragraph, list item, note, table row (its cells as drawn, one after the
    other), table title and caption (`Block.printed`)."""
    item = issue(corpus, entry)
    text = printed_text(item)
    missing = []
    for article in item.sources.articles:
        for number, wanted in enumerate(
                (part for block in article.blocks for part in block.printed()), start=1):
            if wanted in text:
                continue
            # Say where it goes wrong: the longest printed prefix.
            low, high = 0, len(wanted)
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if wanted[:middle] in text else (low, middle - 1)
            missing.append(f"{article.name} ¶{number}: printed up to {wanted[max(0, low - 10):low]}"
                           f"|{wanted[low:low + 10]}")
    assert missing == []


# --- the column ----------------------------------------------------------------------


def visible(c: dict) -> tuple[float, float]:
    """The horizontal extent of a glyph's ink cell: a mark drawn in one half of its em box
    (，。、“” 《》, layout_metrics' CLOSING_HALF and OPENING_HALF) is seen in that half,
    whatever its advance: a closing mark pushed in at a line end stays inside."""
    if c["text"] in CLOSING_HALF:
        return c["x0"], min(c["x1"], c["x0"] + c["size"] / 2)
    if c["text"] in OPENING_HALF:
        return max(c["x0"], c["x1"] - c["size"] / 2), c["x1"]
    return c["x0"], c["x1"]


def glyphs_outside(pages: list[PageGlyphs]) -> list[str]:
    """Every glyph whose ink cell leaves the column (page 1: from 15 mm, the masthead)."""
    outside = []
    for number, page in enumerate(pages, start=1):
        top = FIRST_PAGE_TOP if number == 1 else COLUMN_TOP
        for c in page.chars:
            if not c["text"].strip():
                continue
            left, right = visible(c)
            off = {"left": COLUMN_LEFT - left, "right": right - COLUMN_RIGHT,
                   "top": top - c["top"], "bottom": c["bottom"] - COLUMN_BOTTOM}
            side, amount = max(off.items(), key=lambda kv: kv[1])
            if amount > TOLERANCE:
                outside.append(f"p{number} {c['text']!r} {amount:.1f} pt past the {side} "
                               f"(x {left / MM:.1f}–{right / MM:.1f} mm, "
                               f"top {c['top'] / MM:.1f} mm)")
    return outside


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_every_glyph_is_inside_the_column(entry, corpus):
    outside = glyphs_outside(issue(corpus, entry).pages)
    assert outside == [], f"{len(outside)} glyphs outside the column"


# --- rich content: figures, tables, lists, notes ---------------------------------------


def figure_sizes(item: Built) -> list[tuple[Block, tuple[int, int]]]:
    """Each figure of the issue, in reading order, with its photo's pixel size (unique
    within a corpus issue: how the figure is found in the PDF)."""
    from PIL import Image

    found = []
    for article in item.sources.articles:
        for block in article.of_kind("figure"):
            with Image.open(item.folder / "articles" / block.src) as image:
                found.append((block, image.size))
    return found


def figure_placements(item: Built) -> dict[int, tuple[int, dict]]:
    """id(figure block) → (page, the image drawn for it)."""
    drawn: dict[tuple[int, int], list[tuple[int, dict]]] = {}
    for number, page in enumerate(item.pages, start=1):
        for image in page.images:
            drawn.setdefault(image["srcsize"], []).append((number, image))
    placed = {}
    for block, size in figure_sizes(item):
        if drawn.get(size):
            placed[id(block)] = drawn[size].pop(0)
    return placed


def free_lines_at_foot(page: PageGlyphs) -> int:
    """Whole grid lines left empty under the last thing drawn in the column."""
    bottoms = [c["bottom"] for c in page.chars if c["text"].strip() and c["top"] < COLUMN_BOTTOM]
    bottoms += [image["bottom"] for image in page.images]
    if not bottoms:
        return round((COLUMN_BOTTOM - GRID_TOP) / GRID_PITCH)
    return int((COLUMN_BOTTOM - max(bottoms) + 1) // GRID_PITCH)


@dataclass
class Row:
    """A line of 14 pt glyphs (a table row, a caption line, a note line), as drawn."""
    page: int
    top: float
    text: str  # squeezed, left to right
    fonts: set[str]


def small_rows(pages: list[PageGlyphs]) -> list[Row]:
    rows: list[Row] = []
    for number, page in enumerate(pages, start=1):
        glyphs = sorted((c for c in page.chars if 13.5 < c["size"] < 14.5 and c["text"].strip()
                         and c["top"] < COLUMN_BOTTOM), key=lambda c: (c["baseline"], c["x0"]))
        lines: list[list[dict]] = []
        for c in glyphs:
            if lines and abs(c["baseline"] - lines[-1][0]["baseline"]) < 1:
                lines[-1].append(c)
            else:
                lines.append([c])
        for line in lines:
            line.sort(key=lambda c: c["x0"])
            rows.append(Row(number, min(c["top"] for c in line),
                            squeeze("".join(c["text"] for c in line)),
                            {c["font"] for c in line}))
    return rows


def table_rows_on_pages(item: Built) -> list[tuple[Block, list[int | None], list[Row | None]]]:
    """Each table, the page each body row is printed on (None: not found), and the 14 pt
    row printed just before the first body row of each page the table is on."""
    rows = small_rows(item.pages)
    cursor = 0
    found = []
    for article in item.sources.articles:
        for table in article.of_kind("table"):
            pages: list[int | None] = []
            before: list[Row | None] = []
            for cells in table.rows:
                wanted = squeeze("".join(cells))
                at = next((i for i in range(cursor, len(rows)) if rows[i].text == wanted), None)
                if at is None:
                    pages.append(None)
                    continue
                if not pages or pages[-1] != rows[at].page:
                    before.append(rows[at - 1] if at and rows[at - 1].page == rows[at].page
                                  else None)
                pages.append(rows[at].page)
                cursor = at + 1
            found.append((table, pages, before))
    return found


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_a_table_repeats_its_header_on_each_page(entry, corpus):
    """Every row of every table printed; on each page a table is on, its header row (in
    黑体) right above its first row there; at least two rows with the header on the page
    where the table starts."""
    item = issue(corpus, entry)
    problems = []
    for table, pages, before in table_rows_on_pages(item):
        name = f"{table.title or table.header[0]} (line {table.line})"
        header = squeeze("".join(table.header))
        if None in pages:
            problems.append(f"{name}: rows {[i + 1 for i, p in enumerate(pages) if p is None]} "
                            "not printed")
            continue
        starts = sorted(set(pages))
        for page, row in zip(starts, before):
            if row is None or row.text != header:
                problems.append(f"{name}: on page {page}, "
                                f"{row.text if row else 'nothing'!r} above the first row, "
                                f"not the header {header!r}")
            elif not any("Hei" in font for font in row.fonts):
                problems.append(f"{name}: the header on page {page} is set in {row.fonts}")
        if pages.count(starts[0]) < min(2, len(pages)):
            problems.append(f"{name}: one row alone with the header on page {starts[0]}")
    assert problems == []


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_captions_and_table_titles_are_printed(entry, corpus):
    """Every caption in 楷体 4号 under its photo, on the photo's page (a caption from the
    image's title, its alt text or a 图为 paragraph alike); every table title printed."""
    item = issue(corpus, entry)
    placed = figure_placements(item)
    text = printed_text(item)
    missing = []
    for article in item.sources.articles:
        for block in article.of_kind("table"):
            if block.title and squeeze(block.title) not in text:
                missing.append(f"{article.name}:{block.line} table title {block.title!r}")
        for block in article.of_kind("figure"):
            if not block.caption:
                continue
            spot = placed.get(id(block))
            if spot is None:
                missing.append(f"{article.name}:{block.line} photo {block.src} not printed")
                continue
            page, image = spot
            below = squeeze("".join(
                c["text"] for c in item.pages[page - 1].chars
                if c["top"] > image["bottom"] - 1 and 13.5 < c["size"] < 14.5
                and "Kai" in c["font"]))
            if squeeze(block.caption) not in below:
                missing.append(f"{article.name}:{block.line} caption ({block.caption_form}) "
                               f"{block.caption!r} not under its photo on page {page}")
    assert missing == []


MARKS = re.compile("[，。、；：？！“”‘’（）《》〈〉…—·・•%]")


def letters(text: str) -> str:
    """Text without spaces and marks: a line's glyphs read back in order of position, where
    two marks set in half width each (`，“`) may overlap and come back swapped."""
    return MARKS.sub("", squeeze(text))


def placed_units(item: Built) -> tuple[dict[tuple[int, int], tuple[BodyLine, BodyLine]],
                                        list[str]]:
    """Where each paragraph and list of the sources is printed: (article, block) → its
    first and last body line, found by their text, in reading order; and what was not
    found."""
    lines = item.layout.lines
    texts = [letters(line.text) for line in lines]
    cursor = 0
    placed: dict[tuple[int, int], tuple[BodyLine, BodyLine]] = {}
    missing = []
    for a, article in enumerate(item.sources.articles):
        for b, block in enumerate(article.blocks):
            if block.kind == "paragraph":
                parts = [letters(block.text)]
            elif block.kind == "list":
                parts = [letters(text) for text in block.items]
            else:
                continue
            for wanted in parts:
                for start in range(cursor, min(cursor + 200, len(lines))):
                    if not texts[start] or not wanted.startswith(texts[start]):
                        continue
                    so_far, end = texts[start], start
                    while len(so_far) < len(wanted) and end + 1 < len(lines):
                        end += 1
                        so_far += texts[end]
                    if so_far == wanted:
                        first = placed.get((a, b), (lines[start],))[0]
                        placed[(a, b)] = (first, lines[end])
                        cursor = end + 1
                        break
                else:
                    missing.append(f"{article.name}:{block.line} {wanted[:12]}…")
    return placed, missing


RICH_KINDS = ("table", "list", "figure", "note")


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_the_lines_around_each_table_list_figure_and_note_are_on_the_grid(entry, corpus):
    """From the sources: for each table, list, figure and note, the last body line before
    it and the first after it (the credit, after a note that ends the article) are where
    the column's grid puts a baseline."""
    item = issue(corpus, entry)
    placed, missing = placed_units(item)
    credits = item.layout.credits
    assert len(credits) == len(item.sources.articles), "a credit line not found"
    off, checked = [], 0
    for a, article in enumerate(item.sources.articles):
        units = sorted(key[1] for key in placed if key[0] == a)
        for b, block in enumerate(article.blocks):
            if block.kind not in RICH_KINDS:
                continue
            earlier = [u for u in units if u < b]
            later = [u for u in units if u > b]
            around = []
            if earlier:
                around.append(("before", placed[(a, earlier[-1])][1]))
            around.append(("after", placed[(a, later[0])][0] if later else credits[a]))
            for side, line in around:
                checked += 1
                if abs(line.grid_offset()) > 0.25:
                    off.append(f"{article.name}:{block.line} {block.kind}: the line {side} it "
                               f"(p{line.page} {line.text[:10]}…) {line.grid_offset():+.2f} pt "
                               "off the grid")
    assert missing == [] and off == [], f"{checked} lines checked"


def images_outside(pages: list[PageGlyphs]) -> list[str]:
    outside = []
    for number, page in enumerate(pages, start=1):
        for image in page.images:
            off = {"left": COLUMN_LEFT - image["x0"], "right": image["x1"] - COLUMN_RIGHT,
                   "top": COLUMN_TOP - image["top"], "bottom": image["bottom"] - COLUMN_BOTTOM}
            side, amount = max(off.items(), key=lambda kv: kv[1])
            if amount > TOLERANCE:
                outside.append(f"p{number} image {image['srcsize']} {amount:.1f} pt past the "
                               f"{side}")
    return outside


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_every_photo_is_printed_once_inside_the_column(entry, corpus):
    item = issue(corpus, entry)
    assert images_outside(item.pages) == []
    wanted = [size for _, size in figure_sizes(item)]
    drawn = [image["srcsize"] for page in item.pages for image in page.images]
    assert drawn == wanted, "the photos printed are not the figures of the sources, in order"


def printed_lines(page: PageGlyphs) -> list[dict]:
    """The page's glyphs grouped by baseline, with the em boxes they cover."""
    lines: list[dict] = []
    for c in sorted((c for c in page.chars if c["text"].strip()), key=lambda c: c["baseline"]):
        left, right = visible(c)
        # An ideographic em box: 0.88 em above the baseline, 0.12 below.
        top, bottom = c["baseline"] - 0.88 * c["size"], c["baseline"] + 0.12 * c["size"]
        if lines and c["baseline"] - lines[-1]["baseline"] < 3:
            line = lines[-1]
        else:
            line = {"baseline": c["baseline"], "boxes": [], "text": ""}
            lines.append(line)
        line["boxes"].append((left, right, top, bottom))
        line["text"] += c["text"]
    for line in lines:
        line["top"] = min(box[2] for box in line["boxes"])
        line["bottom"] = max(box[3] for box in line["boxes"])
    return lines


def overlapping_lines(pages: list[PageGlyphs]) -> list[str]:
    """Pairs of printed lines (by baseline) with glyphs drawn over each other's."""
    overlaps = []
    for number, page in enumerate(pages, start=1):
        lines = printed_lines(page)
        for index, line in enumerate(lines):
            for other in lines[index + 1:]:
                if other["baseline"] - line["baseline"] > 60:
                    break  # sorted by baseline: no glyph reaches that far (40 pt masthead)
                if min(line["bottom"], other["bottom"]) - max(line["top"], other["top"]) <= 1:
                    continue
                hits = [(a, b) for a in line["boxes"] for b in other["boxes"]
                        if min(a[1], b[1]) - max(a[0], b[0]) > 1
                        and min(a[3], b[3]) - max(a[2], b[2]) > 1]
                if hits:
                    a, b = hits[0]
                    overlaps.append(f"p{number} {line['text'][:12]!r} / {other['text'][:12]!r}: "
                                    f"{len(hits)} glyph pairs, "
                                    f"{min(a[3], b[3]) - max(a[2], b[2]):.1f} pt deep")
    return overlaps


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_no_two_lines_are_drawn_over_each_other(entry, corpus):
    assert overlapping_lines(issue(corpus, entry).pages) == []


def test_the_glyph_checks_see_what_they_are_for():
    """On made-up glyphs: a 要目 line run into a title, a title in the margin, a page number."""
    def glyph(text, x, baseline, size=16.0):
        return {"text": text, "x0": x, "x1": x + size, "top": baseline - 0.86 * size,
                "bottom": baseline + 0.14 * size, "size": size, "baseline": baseline}

    contents = [glyph(ch, 100 + 13 * i, 170, 13) for i, ch in enumerate("某某县：代表履职")]
    title = [glyph(ch, 90 + 22 * i, 180, 22) for i, ch in enumerate("某某县：代表履职有新招")]
    body = [glyph(ch, COLUMN_LEFT + 15.79 * i, 300) for i, ch in enumerate("正文，“引号”")]
    wide = [glyph(ch, COLUMN_RIGHT - 30 + 22 * i, 400, 22) for i, ch in enumerate("标题出界")]
    page = PageGlyphs(contents + title + body, "—1—", [])
    assert overlapping_lines([page]) and "某某县：代表履职" in overlapping_lines([page])[0]
    assert glyphs_outside([page]) == []
    assert len(glyphs_outside([PageGlyphs(body + wide, "", [])])) == 3
    # An opening quote set in half width at a line start is seen in its right half.
    assert glyphs_outside([PageGlyphs([glyph("“", COLUMN_LEFT - 8, 300)], "", [])]) == []
    assert glyphs_outside([PageGlyphs([glyph("正", COLUMN_LEFT - 8, 300)], "", [])])


# --- the generator and the corpus ----------------------------------------------------


def digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


GENERATE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from corpus import make_corpus
target = Path(sys.argv[2])
(target / "issues").mkdir(parents=True)
make_corpus(target)
"""


def test_the_generator_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for target in (first, second):
        (target / "issues").mkdir(parents=True)
        make_corpus(target)
    assert digest(first / "issues") == digest(second / "issues")
    # Another process, another hash seed: no set or dict order may leak in.
    third = tmp_path / "c"
    subprocess.run([sys.executable, "-c", GENERATE, str(Path(__file__).parent), str(third)],
                   check=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert digest(third / "issues") == digest(first / "issues")
    # Another seed, other text.
    make_corpus_issue(first, 999, seed=CORPUS[0].seed + 1)
    assert set(digest(first / "issues" / "999").values()).isdisjoint(
        digest(first / "issues" / str(CORPUS[0].number)).values())


def sources_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "corpus-sources" / "issues"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[int, SourceIssue]:
    target = sources_folder(tmp_path_factory).parent
    target.mkdir(parents=True, exist_ok=True)
    (target / "issues").mkdir(exist_ok=True)
    return {entry.number: read_sources(folder)
            for entry, folder in zip(CORPUS, make_corpus(target))}


def test_the_corpus_covers_what_it_is_for(sources):
    issues = list(sources.values())
    articles = [a for s in issues for a in s.articles]
    titles = ["".join(a.title_lines) for a in articles]
    paragraphs = [p for a in articles for p in a.paragraphs]
    body = "\n".join(paragraphs)
    counts = [len(s.articles) for s in issues]
    lengths = [len(t.replace(" ", "")) for t in titles]

    assert len(issues) >= 30 and len({(e.seed, e.kind) for e in CORPUS}) == len(CORPUS)
    assert min(counts) == 1 and max(counts) == 12
    assert sum(4 <= n <= 8 for n in counts) > len(counts) / 2, counts
    # Titles
    assert min(lengths) >= 8 and max(lengths) <= 60, (min(lengths), max(lengths))
    assert min(lengths) <= 10 and max(lengths) >= 50, (min(lengths), max(lengths))
    assert any(" " in t for t in titles) and any(" " not in t and len(t) > 20 for t in titles)
    assert sum(len(a.title_lines) > 1 for a in articles) >= 5
    for source in issues:  # no two articles of an issue under one title
        assert len({"".join(a.title_lines) for a in source.articles}) == len(source.articles)
    for feature in ("“", "：", "2025年", "AI", "5G"):
        assert any(feature in t for t in titles), feature
    assert sum(a.subtitle is not None for a in articles) >= 10
    credits = [len(a.credit) for a in articles]
    assert min(credits) <= 6 and max(credits) >= 20 and max(credits) <= 24, credits
    # Paragraphs: run-in headings in order, （一） only under a 一、
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    for article in articles:
        top = sub = 0
        for paragraph in article.paragraphs:
            level_1 = re.match(r"([一二三四五六七八九十]+)、", paragraph)
            level_2 = re.match(r"（([一二三四五六七八九十]+)）", paragraph)
            if level_1:
                top, sub = top + 1, 0
                assert level_1.group(1) == numerals[top - 1], (article.name, paragraph[:12])
            elif level_2:
                sub += 1
                assert top and level_2.group(1) == numerals[sub - 1], (article.name, paragraph[:12])
            if level_1 or level_2:  # the heading sentence ends on the paragraph's first line
                assert 0 < paragraph.split("\n")[0].find("。") <= 50, (article.name, paragraph[:12])
    assert sum(bool(re.match("[一二三四五六七八九十]+、", p)) for p in paragraphs) >= 60
    assert sum(bool(re.match("（[一二三四五六七八九十]+）", p)) for p in paragraphs) >= 30
    for feature in ("%", "2025年1—", HOMEPAGE, "App", "《", "》", "——", "……", "“", "”", "·"):
        assert feature in body, feature
    assert any(ch.isdigit() for ch in body) and "2025 年" in body  # and spaced digits
    lines = [estimate_lines(p) for p in paragraphs]
    assert min(lines) == 1 and max(lines) >= 12
    assert sum(n == 1 for n in lines) >= 10 and sum(n >= 10 for n in lines) >= 30
    longer = [p for p in paragraphs if len(p) > 28]
    assert len(set(longer)) == len(longer)  # only a one-line paragraph comes twice
    sentences = [s for p in paragraphs for s in p.split("。")[1 if p[0] == "（" else 0:]
                 if len(s) > 10]
    assert len(set(sentences)) > 0.95 * len(sentences)  # hardly a sentence twice
    # Issues
    settings = {s.number: s.settings for s in issues}
    assert any(s.get("supplement") for s in settings.values())
    extra = [s["extra_distribution"] for s in settings.values() if "extra_distribution" in s]
    assert {len(lines) for lines in extra} == {1, 2, 3}
    labels = {line["label"] for lines in extra for line in lines}
    assert {"抄", "抄送"} <= labels, labels
    assert max(len(line["recipients"]) for lines in extra for line in lines) >= 80
    assert any(s.get("distribution_placement") == "even-page" for s in settings.values())
    assert any("distribution" in s for s in settings.values())
    kinds = {entry.kind for entry in CORPUS}
    assert {"one-page", "forty-pages", "full-last-page"} <= kinds
    one_page = [sources[e.number] for e in CORPUS if e.kind == "one-page"]
    assert all(len(s.articles) == 1 and sum(estimate_lines(p) for p in s.articles[0].paragraphs)
               <= 10 for s in one_page)
    forty = [sources[e.number] for e in CORPUS if e.kind == "forty-pages"]
    assert all(len(s.articles) == 12 and 700 <= sum(
        estimate_lines(p) for a in s.articles for p in a.paragraphs) <= 950 for s in forty)


NUMBER_CELL = re.compile(r"[+-]?[\d,]+(\.\d+)?%?")
POINT_LEVELS = [(3, re.compile(r"(\d+)[.．] ?")), (4, re.compile(r"（(\d+)）")),
                (5, re.compile(f"([{CIRCLED}])"))]


def point_level(paragraph: str) -> tuple[int, int] | None:
    """(level, value) of a sub-point paragraph (1. （1） ①), by the conventions."""
    for level, pattern in POINT_LEVELS:
        found = pattern.match(paragraph)
        if found and not (level == 3 and paragraph[found.end():][:1].isdigit()):
            value = found.group(1)
            return level, (CIRCLED.index(value) + 1 if level == 5 else int(value))
    return None


def test_the_corpus_has_rich_content(sources, tmp_path_factory):
    """Photos of every shape with captions in every form and some without; tables of 3 to
    14 rows, with and without a title, with numeric columns, some long enough to cross a
    page; bullet lists with items over two and three lines; sub-points 1. （1） ① under the
    headings, numbered in order and from 1 again under each heading above; notes last."""
    from PIL import Image

    issues = list(sources.values())
    articles = [a for s in issues for a in s.articles]
    figures = [b for a in articles for b in a.of_kind("figure")]
    tables = [b for a in articles for b in a.of_kind("table")]
    lists = [b for a in articles for b in a.of_kind("list")]
    # Photos
    assert len(figures) >= 30
    forms = {form: sum(f.caption_form == form for f in figures)
             for form in ("title", "alt", "paragraph", "none")}
    assert min(forms.values()) >= 5, forms
    assert all(f.caption.startswith("图为") for f in figures if f.caption_form == "paragraph")
    folder = sources_folder(tmp_path_factory)
    shapes = set()
    for source in issues:
        sizes = []
        for article in source.articles:
            for figure in article.of_kind("figure"):
                path = folder / str(source.number) / "articles" / figure.src
                assert path.name.startswith(article.name.removesuffix(".md"))  # beside it
                with Image.open(path) as image:
                    assert image.format == "PNG"
                    w, h = image.size
                sizes.append((w, h))
                shapes.add("small" if w <= 340 else "portrait" if h > w else
                           "wide" if h < 0.45 * w else "landscape" if w >= 921 else "medium")
        assert len(set(sizes)) == len(sizes), source.number  # each photo found by its size
    assert shapes == {"small", "portrait", "wide", "landscape", "medium"}, shapes
    assert sum(any(a.of_kind("figure") for a in s.articles) for s in issues) >= 12
    # Tables
    rows = [len(t.rows) for t in tables]
    assert len(tables) >= 25 and min(rows) == 3 and max(rows) == 14, rows
    assert sum(n >= 12 for n in rows) >= 4, rows
    assert sum(bool(t.title) for t in tables) >= 10 and sum(not t.title for t in tables) >= 5
    assert all(re.match(r"表 ?\d+ ", t.title) for t in tables if t.title)
    assert sum(any(NUMBER_CELL.fullmatch(c) for row in t.rows for c in row) for t in tables) >= 15
    assert any("," in c for t in tables for row in t.rows for c in row)
    assert any(c.startswith("-") for t in tables for row in t.rows for c in row)
    for table in tables:
        assert all(len(row) == len(table.header) for row in table.rows), table.line
    assert sum(any(a.of_kind("table") for a in s.articles) for s in issues) >= 15
    # Lists
    items = [item for block in lists for item in block.items]
    assert len(lists) >= 20 and all(3 <= len(block.items) <= 6 for block in lists)
    assert sum(width(item) > 26 for item in items) >= 20  # items over two lines
    assert sum(width(item) > 52 for item in items) >= 5  # and three
    assert {block.text[0] for block in lists} == {"-", "*", "+"}
    # Sub-points: in order, from 1 again under each heading above them.
    counts = {3: 0, 4: 0, 5: 0}
    spaced_points = 0
    for article in articles:
        values = {3: 0, 4: 0, 5: 0}
        for paragraph in article.paragraphs:
            if re.match("[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", paragraph):
                values = {3: 0, 4: 0, 5: 0}
                continue
            found = point_level(paragraph)
            if found is None:
                continue
            level, value = found
            assert value == values[level] + 1, (article.name, paragraph[:12])
            assert level == 3 or values[level - 1], (article.name, paragraph[:12])
            values[level] = value
            for deeper in range(level + 1, 6):
                values[deeper] = 0
            counts[level] += 1
            spaced_points += bool(re.match(r"\d+\. ", paragraph))
    assert min(counts.values()) >= 15 and spaced_points >= 3, (counts, spaced_points)
    assert any(re.match(r"\d+\.\d+亿元", p) for a in articles for p in a.paragraphs)
    # Notes: the article's last block.
    notes = [(a, b) for a in articles for b in a.of_kind("note")]
    assert len(notes) >= 10 and all(a.blocks[-1] is b for a, b in notes)
    # Most issues carry some of it.
    rich = [s.number for s in issues if any(a.of_kind(k) for a in s.articles
                                            for k in ("figure", "table", "list"))]
    assert len(rich) >= len(issues) * 2 // 3, rich


def test_the_built_corpus_has_its_shapes(corpus):
    """What the corpus is for, as printed: a one-page issue, a forty-page one, last pages
    full; quotes and book-title marks at line starts and ends."""
    built = {e.number: corpus[e.number] for e in CORPUS if corpus[e.number].error is None}
    pages = {n: item.layout.pages for n, item in built.items()}
    for entry in CORPUS:
        if entry.number not in built:
            continue
        if entry.kind == "one-page":
            assert pages[entry.number] == 1, entry.id
        if entry.kind == "forty-pages":
            assert 36 <= pages[entry.number] <= 46, (entry.id, pages[entry.number])
        if entry.kind == "full-last-page":
            page, free, alone = last_page_room(built[entry.number].pages)
            assert free <= 1, (entry.id, page, free, alone)
    # Tables that cross a page (their header repeated: the test above), photos moved.
    crossing = [(n, table.line) for n, item in built.items()
                for table, pages, _ in table_rows_on_pages(item) if len(set(pages)) > 1]
    assert len(crossing) >= 3, crossing
    lines = [line for item in built.values() for line in item.layout.lines]
    assert sum(line.list_item for line in lines) >= 60  # list items, found by their bullet
    for mark in "“《":
        assert sum(line.text.startswith(mark) for line in lines) >= 5, mark
    for mark in "”》":
        assert sum(line.text.endswith(mark) for line in lines if not line.last_of_paragraph) >= 5
    assert sum(line.text[0].isascii() for line in lines) >= 20  # digits, Latin at line starts


def test_report_the_corpus(corpus, capsys):
    """Not a check: the corpus in figures (pytest -s shows them)."""
    built = [corpus[e.number] for e in CORPUS]
    good = [item for item in built if item.error is None]
    def count(kind):
        return sum(len(i.sources.blocks(kind)) for i in built)

    with capsys.disabled():
        print(f"\ncorpus: {len(built)} issues, {sum(i.layout.pages for i in good)} pages, "
              f"{sum(len(i.sources.articles) for i in built)} articles, "
              f"{sum(len(i.layout.lines) for i in good)} body lines, {count('figure')} "
              f"figures, {count('table')} tables, {count('list')} lists, {count('note')} "
              f"notes, {sum(d.code == 'L310' for i in built for d in i.preflight)} L310; "
              f"built and read back in {corpus.seconds:.1f} s")
