"""Markdown → HTML fragments: run-in headings, figures, tables, notes, break hints.

Raw HTML is off (markdown-it's `js-default` preset): a submission cannot inject
markup. The conventions of a body (README "稿件正文的写法"), each a core rule here:

- a paragraph that opens with a heading number (`一、`, `（一）`, `1.`, `（1）`, `①`: the
  levels are `bulletin.chinese.RUN_IN_LEVELS`) gets its heading sentence, up to the
  first `。`, marked as a run-in heading; `1. text`, which Markdown reads as an ordered
  list, is the numbered paragraph `1.text` (`_number_ordered_lists`);
- a paragraph of one image is a figure, its caption from the image's title, its alt
  text or a `图为…` paragraph after it (`_make_figures`);
- a table is a block on the grid, with the `表1 …` paragraph before it as its title and
  its numeric cells right-aligned (`_make_table_blocks`);
- a paragraph that opens with `注：` is a note (`_mark_notes`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .chinese import (CAPTION_OPENING, HEADING_END, NOTE_OPENINGS, TABLE_TITLE,
                      run_in_level)
from .typeset.linebreak import break_hints

FIGURE_CLASS = "figure on-grid"
TABLE_BLOCK_CLASS = "table-block on-grid"
FITTED_TABLE_CLASS = "fitted"
MAX_INLINE_DEPTH = 8  # deeper emphasis is kept as plain text: no renderer recursion runs away
# A cell that holds only a number: 1,234  56.7%  -3  +12.5  ±2
NUMBER_CELL = re.compile(r"^[+\-−±]?\d[\d,，]*(?:[.．]\d+)?\s*[%％‰]?$")


def _number_ordered_lists(state) -> None:
    """`1. 加强…` is Markdown's ordered list; in a 公文 it is the numbered paragraph
    `1.加强…`: each item of a `.` list becomes its paragraphs, the first opening with the
    item's number as written. `1)` lists stay lists."""
    tokens, kept, depth_of = state.tokens, [], []
    open_lists = []  # for each open list: whether it is being unwrapped
    number = item_map = None
    for token in tokens:
        if token.type == "ordered_list_open":
            unwrap = token.markup == "."
            open_lists.append(unwrap)
            if unwrap:
                continue
        elif token.type == "ordered_list_close":
            if open_lists.pop():
                continue
        elif token.type == "list_item_open" and open_lists and open_lists[-1] \
                and token.markup == ".":
            number, item_map = token.info, token.map
            depth_of.append(True)
            continue
        elif token.type == "list_item_open":
            depth_of.append(False)
        elif token.type == "list_item_close":
            if depth_of.pop():
                if number is not None:  # an empty item: its number alone
                    kept.extend(_paragraph(f"{number}.", token.level - 1, item_map))
                    number = None
                continue
        token.level -= 2 * sum(open_lists)
        if token.type.startswith("paragraph") and open_lists and open_lists[-1] \
                and depth_of and depth_of[-1]:
            token.hidden = False  # a tight list's items: paragraphs of their own
        if number is not None and token.type == "inline":
            first = token.children[0] if token.children else None
            if first is not None and first.type == "text":
                first.content = f"{number}.{first.content}"
            else:
                (token.children or []).insert(0, Token("text", "", 0, content=f"{number}."))
            token.content = f"{number}.{token.content}"
            number = None
        kept.append(token)
    state.tokens[:] = kept


def _paragraph(text: str, level: int, source_map) -> list[Token]:
    opening = Token("paragraph_open", "p", 1)
    opening.level, opening.map = level, source_map
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)])
    inline.level = level + 1
    closing = Token("paragraph_close", "p", -1)
    closing.level = level
    opening.block = closing.block = True
    return [opening, inline, closing]


def _mark_run_in_headings(state) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open" or index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        if inline.type != "inline" or not inline.children:
            continue
        first = inline.children[0]
        if first.type != "text":
            continue
        found = run_in_level(first.content)
        if found is None:
            continue
        level, number_end = found[0].level, found[1]
        end = first.content.find(HEADING_END)
        if end >= 0:
            heading, rest = first.content[: end + 1], first.content[end + 1:]
        elif not found[0].sentence:  # `1.`, `（1）`, `①` without 。: a numbered paragraph
            heading, rest = first.content[:number_end], first.content[number_end:]
        else:
            continue
        if heading[number_end:number_end + 1] == " ":  # `1. 加强`: no space in print
            heading = heading[:number_end] + heading[number_end:].lstrip(" ")
        elif not heading[number_end:] and rest.startswith(" "):
            rest = rest.lstrip(" ")
        opening = Token("run_in_open", "span", 1, attrs={"class": f"run-in-heading level-{level}"})
        closing = Token("run_in_close", "span", -1)
        replacement = [opening, Token("text", "", 0, content=heading), closing]
        if rest:
            replacement.append(Token("text", "", 0, content=rest))
        inline.children[0:1] = replacement
        token.attrSet("class", "has-run-in-heading")


SOURCE_LINE = "data-line"
_BLOCKS_WITH_LINES = frozenset(("paragraph_open", "bullet_list_open", "ordered_list_open",
                                "table_open", "blockquote_open", "code_block", "fence",
                                "heading_open", "hr"))


def _mark_source_lines(state) -> None:
    """Each block's first line in the body (1-based), for diagnostics about its layout."""
    if not state.env.get("source_lines"):
        return
    for token in state.tokens:
        if token.type in _BLOCKS_WITH_LINES and token.map and token.level == 0:
            token.attrSet(SOURCE_LINE, str(token.map[0] + 1))


def _flatten_deep_emphasis(state) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        kept, depth = [], 0
        for child in token.children:
            if child.nesting == 1:
                depth += 1
                if depth > MAX_INLINE_DEPTH:
                    continue
            elif child.nesting == -1:
                depth -= 1
                if depth >= MAX_INLINE_DEPTH:
                    continue
            kept.append(child)
        token.children = kept


def _inline(text: str, level: int) -> Token:
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)])
    inline.level = level
    return inline


def _make_figures(state) -> None:
    """A paragraph that holds one image and nothing else is a figure: `<figure>` with the
    image and its caption (`<figcaption>`): the image's title, else its alt text, else
    the paragraph after it if that opens with `图为`, which the figure then takes in."""
    tokens, index, count = state.tokens, 0, 0
    slug = state.env.get("slug") or ""
    while index < len(tokens) - 2:
        token, inline = tokens[index], tokens[index + 1]
        if token.type != "paragraph_open" or token.hidden or inline.type != "inline" \
                or not inline.children:
            index += 1
            continue
        children = [c for c in inline.children
                    if not (c.type in ("text", "softbreak") and not c.content.strip())]
        if len(children) != 1 or children[0].type != "image":
            if any(child.type == "image" for child in children):
                # An image inside running text makes its line taller: the paragraph
                # ends on the grid again.
                token.attrJoin("class", "on-grid")
            index += 1
            continue
        image = children[0]
        count += 1
        figure_id = f"{slug}:{count}"
        image.attrSet("data-figure", figure_id)
        token.tag = tokens[index + 2].tag = "figure"
        token.attrSet("class", FIGURE_CLASS)
        token.attrSet("data-figure", figure_id)
        caption = (image.attrGet("title") or "").strip() \
            or "".join(child.content for child in image.children or []).strip()
        caption_inline = _inline(caption, token.level + 2) if caption else None
        after = index + 3
        if caption_inline is None and after + 2 < len(tokens) \
                and tokens[after].type == "paragraph_open" and not tokens[after].hidden \
                and tokens[after + 1].type == "inline" \
                and tokens[after + 1].content.lstrip().startswith(CAPTION_OPENING):
            caption_inline = tokens[after + 1]
            del tokens[after:after + 3]
        if caption_inline is not None:
            opening = Token("figcaption_open", "figcaption", 1, attrs={"class": "caption"})
            closing = Token("figcaption_close", "figcaption", -1)
            opening.level = closing.level = token.level + 1
            opening.block = closing.block = True
            tokens[index + 2:index + 2] = [opening, caption_inline, closing]
        index += 3


def _make_table_blocks(state) -> None:
    """Each table in a block on the grid, with its title; numeric cells marked."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type == "td_open" and NUMBER_CELL.match(tokens[index + 1].content.strip()):
            token.attrJoin("class", "number")
    index, count = 0, 0
    slug, wide = state.env.get("slug") or "", state.env.get("wide_tables") or ()
    while index < len(tokens):
        token = tokens[index]
        if token.type != "table_open":
            index += 1
            continue
        count += 1
        token.attrSet("data-table", f"{slug}:{count}")
        if f"{slug}:{count}" in wide:  # wider than the column: fixed to its width
            token.attrJoin("class", FITTED_TABLE_CLASS)
            columns = 0
            for cell in tokens[index + 1:]:
                if cell.type == "tr_close":
                    break
                columns += cell.type in ("th_open", "td_open")
            token.attrSet("style", f"font-size: {fitted_type_size(columns):.2f}pt")
        start = index
        if index >= 3 and tokens[index - 1].type == "paragraph_close" \
                and tokens[index - 2].type == "inline" \
                and tokens[index - 3].type == "paragraph_open" \
                and tokens[index - 3].level == token.level and not tokens[index - 3].hidden \
                and TABLE_TITLE.match(tokens[index - 2].content.strip()):
            start = index - 3
            tokens[start].attrSet("class", "table-title")
        close = index + 1
        while tokens[close].type != "table_close" or tokens[close].level != token.level:
            close += 1
        opening = Token("table_block_open", "div", 1, attrs={"class": TABLE_BLOCK_CLASS})
        closing = Token("table_block_close", "div", -1)
        opening.level = closing.level = token.level
        opening.block = closing.block = True
        tokens.insert(close + 1, closing)
        tokens.insert(start, opening)
        index = close + 2


COLUMN_WIDTH_PT = 156 * 72 / 25.4
TABLE_TYPE_SIZE, SMALLEST_TYPE_SIZE = 14.0, 6.0
FITTED_CELL_EXTRA = 2.5  # pt of a fitted table's cell that is not text: padding and rule


def fitted_type_size(columns: int) -> float:
    """The type size that fits one character into each of `columns` equal columns."""
    share = COLUMN_WIDTH_PT / max(columns, 1) - FITTED_CELL_EXTRA
    return max(SMALLEST_TYPE_SIZE, min(TABLE_TYPE_SIZE, share))


LINE_CELLS = 28  # characters of a body line
LEAD_CLASS = "lead"


def _cells(text: str) -> float:
    """About how many cells of a body line `text` takes: a Chinese character one, any
    other half (digits and Latin letters are narrower in 仿宋; the estimate is low)."""
    return sum(1 if ord(ch) >= 0x2E80 else 0.5 for ch in text)


def _mark_lead(state) -> None:
    """An article's first paragraph keeps the next block with it (print.css), so that a
    title never has a single line of text under it at a page foot. Before a figure or a
    table, which cannot split, that would send the title with them to the next page: a
    first paragraph of two lines or more (by its text's width) lets them go alone."""
    tokens = state.tokens
    top = [index for index, token in enumerate(tokens) if token.level == 0 and token.nesting >= 0]
    if len(top) < 2 or tokens[top[0]].type != "paragraph_open":
        return
    following = tokens[top[1]]
    if following.type not in ("table_block_open", "paragraph_open") or (
            following.type == "paragraph_open" and following.tag != "figure"):
        return
    if _cells(tokens[top[0] + 1].content) + 2 > LINE_CELLS + 1:  # its indent: 2 cells
        tokens[top[0]].attrJoin("class", LEAD_CLASS)


def _mark_notes(state) -> None:
    """A paragraph that opens with `注：` is a note, in smaller type."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type == "paragraph_open" and not token.hidden \
                and tokens[index + 1].content.lstrip().startswith(NOTE_OPENINGS):
            token.attrSet("class", "note on-grid")


def _render_image(self, tokens, idx, options, env):
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    alt = "".join(child.content for child in token.children or [])
    image = (env or {}).get("images", {}).get(token.attrGet("src"))
    if image is None:
        # Not checked, so not loaded: say where it would be.
        return f'<span class="missing-image">［图片：{escapeHtml(alt)}］</span>'
    width, height = image.print_size()
    fitted = (env or {}).get("figure_heights", {}).get(token.attrGet("data-figure"))
    if fitted is not None and fitted < height:  # scaled down to fit a page's foot
        width, height = width * fitted / height, fitted
    return (f'<img src="{escapeHtml(image_url(image))}" alt="{escapeHtml(alt)}" '
            f'style="width: {width:.2f}pt; height: {height:.2f}pt">')


# Where a checked image is found in the HTML: named by its bytes, under an invented base
# that is no real folder. WeasyPrint names an image in the PDF by an md5 of its URL, so
# a URL holding the project's path made the PDF's bytes depend on where the project
# lives. The resource jail serves these URLs from the bytes the check read
# (`typeset/jail.py`), never from a file; the web edition finds its images by them.
IMAGE_URL_BASE = "file:///bulletin-image/"
_IMAGE_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}


def image_url(image) -> str:
    """The URL the HTML gives a checked image: the same wherever the project is."""
    import hashlib

    if not image.data:  # not read by the check: only its file can say what it is
        return image.path.as_uri()
    digest = hashlib.sha256(image.data).hexdigest()
    return f"{IMAGE_URL_BASE}{digest}{_IMAGE_SUFFIX.get(image.mime_type, '')}"


def _render_text(self, tokens, idx, options, env):
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(break_hints(tokens[idx].content))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    # Links mean nothing on paper: their text stays, as written.
    md.disable(["link", "autolink"])
    # Every image reference becomes a token, whatever its scheme, so that the check
    # refuses it with a diagnostic; nothing is loaded that images.py did not check.
    md.validateLink = lambda url: True
    md.core.ruler.push("flatten_deep_emphasis", _flatten_deep_emphasis)
    md.core.ruler.push("numbered_paragraphs", _number_ordered_lists)
    md.core.ruler.push("run_in_heading", _mark_run_in_headings)
    md.core.ruler.push("figure", _make_figures)
    md.core.ruler.push("table_block", _make_table_blocks)
    md.core.ruler.push("note", _mark_notes)
    md.core.ruler.push("lead", _mark_lead)
    md.core.ruler.push("source_lines", _mark_source_lines)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("run_in_open", lambda self, t, i, o, e: f'<span class="{t[i].attrGet("class")}">')
    md.add_render_rule("run_in_close", lambda self, t, i, o, e: "</span>")
    md.add_render_rule("text", _render_text)
    return md


def render_markdown(text: str, images: dict | None = None, source_lines: bool = True,
                    slug: str = "", figure_heights: dict[str, float] | None = None,
                    wide_tables: frozenset[str] = frozenset()) -> str:
    """The HTML of an article body; `images` maps each checked image's src to its file.

    `source_lines`: mark each block with the line it starts on (`data-line`), for the
    preflight's diagnostics; the web edition leaves them out. `slug` names the article's
    figures and tables (`data-figure="slug:1"`, `data-table="slug:1"`); `figure_heights`
    gives a figure the height, in pt, it is scaled down to, and `wide_tables` names the
    tables too wide for the column, set to its width (see pipeline.lay_out).
    """
    return _parser().render(text, {"images": images or {}, "source_lines": source_lines,
                                   "slug": slug, "figure_heights": figure_heights or {},
                                   "wide_tables": wide_tables})


def image_references(text: str) -> list:
    """Every image in a Markdown text, with the line and column it stands at."""
    from .images import ImageRef

    lines = text.split("\n")
    found = []
    for token in _parser().parse(text):
        if token.type != "inline" or not token.children or token.map is None:
            continue
        start, end = token.map
        cursor = (start, 0)
        for child in token.children:
            if child.type != "image":
                continue
            src = child.attrGet("src") or ""
            line, col = cursor
            for number in range(cursor[0], end):
                position = lines[number].find("![", cursor[1] if number == cursor[0] else 0)
                if position >= 0:
                    line, col = number, position
                    break
            found.append(ImageRef(src, line + 1, col + 1))
            cursor = (line, col + 2)
    return found
