"""Markdown → HTML fragments: run-in headings and CJK line-break hints.

Raw HTML is off (markdown-it's `js-default` preset): a submission cannot inject
markup. A paragraph that opens with `一、` … `十、` gets its heading sentence (up to
the first `。`) marked as a run-in heading; `（一）` opens a second-level one (the levels
are `bulletin.chinese.RUN_IN_LEVELS`).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .chinese import HEADING_END, run_in_level
from .typeset.linebreak import break_hints

FIGURE_CLASS = "figure"
MAX_INLINE_DEPTH = 8  # deeper emphasis is kept as plain text: no renderer recursion runs away


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
        end = first.content.find(HEADING_END)
        if end < 0:
            continue
        heading, rest = first.content[: end + 1], first.content[end + 1:]
        level = found[0].level
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


def _mark_figures(state) -> None:
    """A paragraph that holds one image and nothing else is a figure, set as a block."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type == "paragraph_open" and inline.type == "inline" and inline.children:
            children = [c for c in inline.children
                        if not (c.type == "text" and not c.content.strip())]
            if len(children) == 1 and children[0].type == "image":
                token.attrSet("class", FIGURE_CLASS)


def _render_image(self, tokens, idx, options, env):
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    alt = "".join(child.content for child in token.children or [])
    image = (env or {}).get("images", {}).get(token.attrGet("src"))
    if image is None:
        # Not checked, so not loaded: say where it would be.
        return f'<span class="missing-image">［图片：{escapeHtml(alt)}］</span>'
    width, height, below = image.print_size()
    return (f'<img src="{escapeHtml(image.path.as_uri())}" alt="{escapeHtml(alt)}" '
            f'style="width: {width:.2f}pt; height: {height:.2f}pt; '
            f'margin-bottom: {below:.2f}pt">')


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
    md.core.ruler.push("run_in_heading", _mark_run_in_headings)
    md.core.ruler.push("figure", _mark_figures)
    md.core.ruler.push("source_lines", _mark_source_lines)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("run_in_open", lambda self, t, i, o, e: f'<span class="{t[i].attrGet("class")}">')
    md.add_render_rule("run_in_close", lambda self, t, i, o, e: "</span>")
    md.add_render_rule("text", _render_text)
    return md


def render_markdown(text: str, images: dict | None = None, source_lines: bool = True) -> str:
    """The HTML of an article body; `images` maps each checked image's src to its file.

    `source_lines`: mark each block with the line it starts on (`data-line`), for the
    preflight's diagnostics; the web edition leaves them out.
    """
    return _parser().render(text, {"images": images or {}, "source_lines": source_lines})


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
