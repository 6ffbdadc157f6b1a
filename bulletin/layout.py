"""Jinja environment: Issue → one HTML document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .markup import render_markdown
from .model import Issue
from .typeset.linebreak import break_hints

TEMPLATE = "issue.html.j2"


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every value, in every template
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text, images=None: jinja2.utils.markupsafe.Markup(
        render_markdown(text, images))
    env.filters["break_hints"] = break_hints
    env.filters["title_phrases"] = title_phrases
    return env


TITLE_CELLS = 20  # 2号 (22 pt) characters in the 156 mm column
NATURAL_BREAK = re.compile(r"(?<=[：，、；])|(?=——)")


def cells(text: str) -> float:
    """Grid cells a text takes: a full-width character one, ASCII half."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


@dataclass(frozen=True)
class TitlePhrase:
    text: str
    keep_whole: bool  # set on one line: it fits
    space_before: bool


def title_phrases(line: str) -> list[TitlePhrase]:
    """A title line cut at its natural break points: spaces first, then after ：，、.

    Each phrase that fits on a line is kept whole, so that a long title breaks between
    phrases rather than anywhere between two characters.
    """
    phrases = []
    for index, part in enumerate(p for p in line.split() if p):
        chunks = [part]
        if cells(part) > TITLE_CELLS:
            chunks = _fill([c for c in NATURAL_BREAK.split(part) if c])
        for position, chunk in enumerate(chunks):
            phrases.append(TitlePhrase(chunk, cells(chunk) <= TITLE_CELLS,
                                       index > 0 and position == 0))
    return phrases or [TitlePhrase(line, cells(line) <= TITLE_CELLS, False)]


def _fill(chunks: list[str]) -> list[str]:
    """Join consecutive chunks while they fit on one title line."""
    lines: list[str] = []
    for chunk in chunks:
        if lines and cells(lines[-1] + chunk) <= TITLE_CELLS:
            lines[-1] += chunk
        else:
            lines.append(chunk)
    return lines


def render_html(issue: Issue, templates: Path, env: jinja2.Environment | None = None,
                draft: bool = False, images: dict | None = None,
                distribution_page: str | None = None) -> str:
    """`images`: for each article slug, its checked images by src (see pipeline.check_images).

    `distribution_page`: None to set the 报尾 under the text, or the class that gives it
    a page of its own (`distribution-own-page`, `distribution-even-page`).
    """
    env = env or environment(templates)
    return env.get_template(TEMPLATE).render(issue=issue, draft=draft, images=images or {},
                                             distribution_page=distribution_page)
