"""Markdown → HTML fragments: run-in headings and CJK line-break hints.

Raw HTML is off (markdown-it's `js-default` preset): a submission cannot inject
markup. A paragraph that opens with `一、` … `十、` gets its heading sentence (up to
the first `。`) marked as a run-in heading; `（一）` opens a second-level one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .typeset.linebreak import break_hints

RUN_IN_LEVELS = (
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}、")),
    (2, re.compile(r"^（[一二三四五六七八九十]{1,3}）")),
)
HEADING_END = "。"


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
        for level, pattern in RUN_IN_LEVELS:
            if pattern.match(first.content):
                break
        else:
            continue
        end = first.content.find(HEADING_END)
        if end < 0:
            continue
        heading, rest = first.content[: end + 1], first.content[end + 1:]
        opening = Token("run_in_open", "span", 1, attrs={"class": f"run-in-heading level-{level}"})
        closing = Token("run_in_close", "span", -1)
        replacement = [opening, Token("text", "", 0, content=heading), closing]
        if rest:
            replacement.append(Token("text", "", 0, content=rest))
        inline.children[0:1] = replacement
        token.attrSet("class", "has-run-in-heading")


def _render_text(self, tokens, idx, options, env):
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(break_hints(tokens[idx].content))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    # Images and links stay out of print until the resource jail exists (issue 7).
    md.disable(["image", "link", "autolink"])
    md.core.ruler.push("run_in_heading", _mark_run_in_headings)
    md.add_render_rule("run_in_open", lambda self, t, i, o, e: f'<span class="{t[i].attrGet("class")}">')
    md.add_render_rule("run_in_close", lambda self, t, i, o, e: "</span>")
    md.add_render_rule("text", _render_text)
    return md


def render_markdown(text: str) -> str:
    """The HTML of an article body."""
    return _parser().render(text)
