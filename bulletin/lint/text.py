"""The text an article puts on paper, cut into passages that know where each character stands.

A passage is a body paragraph, one line of the title, or the credit. Rules look at a
passage's text and report offsets into it; `Passage.position` turns an offset back into
the file's line and 1-based character column. The subtitle is a passage too, kept apart
(`ArticleText.subtitle`): the rules that run over every passage do not see it, the check
of what is printed (`lint/printed.py`) does.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..chinese import HEADING_END, RunInLevel, run_in_level
from ..model import Article
from ..sources import Positions, source_lines
from .settings import Marker, read_marker

# Markdown image syntax around the alt text: `![` and `](src)` are not text on paper.
IMAGE = re.compile(r"(!\[)[^\]\n]*(\]\([^)\n]*\))")

BODY, TITLE, CREDIT, SUBTITLE = "body", "title", "credit", "subtitle"


@dataclass
class Passage:
    text: str
    kind: str  # BODY, TITLE, CREDIT or SUBTITLE
    # (offset in text, line, col) where each source line of the passage starts.
    starts: list[tuple[int, int, int]]
    exact: bool = True  # False: columns inside the text are unknown, report at the start

    def __post_init__(self):
        self._offsets = [start[0] for start in self.starts]
        self._markup: list[tuple[int, int]] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._offsets, offset) - 1
        first, line, col = self.starts[max(index, 0)]
        if not self.exact:
            return line, col
        return line, col + offset - first

    def is_markup(self, offset: int) -> bool:
        """Whether the character at `offset` is Markdown syntax rather than text."""
        if self._markup is None:
            self._markup = [match.span(group) for match in IMAGE.finditer(self.text)
                            for group in (1, 2)] if self.kind == BODY else []
        return any(start <= offset < end for start, end in self._markup)

    def run_in_heading(self) -> tuple[RunInLevel, int, int] | None:
        """(level, end of the number, end of the heading sentence or -1) if the passage
        opens a run-in heading, as markup.py marks it: the sentence must end on the
        paragraph's first line, before any inline Markdown."""
        if self.kind != BODY:
            return None
        found = run_in_level(self.text)
        if found is None:
            return None
        first_line = re.split(r"[\n*_`\\<\[]", self.text, maxsplit=1)[0]
        level, number_end = found
        return level, number_end, first_line.find(HEADING_END)


@dataclass
class ArticleText:
    article: Article
    root: Path  # the project's, for its fonts
    path: str  # as shown to the user, relative to the project root
    lines: list[str]  # the file's lines, as read
    title: list[Passage] = field(default_factory=list)
    credit: Passage | None = None
    body: list[Passage] = field(default_factory=list)
    subtitle: Passage | None = None  # not among `passages`: see the module's docstring
    shared: dict = field(default_factory=dict)  # what one rule works out for its family
    # The suppression markers in the body (lint/settings.py), which are no passage.
    markers: list[Marker] = field(default_factory=list)
    front_matter: Positions | None = None  # where each front matter value is written

    @property
    def passages(self) -> list[Passage]:
        return [*self.title, *([self.credit] if self.credit else []), *self.body]


def article_text(article: Article, root: Path, path: str,
                 front_matter: Positions | None, lines: list[str] | None = None) -> ArticleText:
    """`lines`: the file's lines as the reader read them (read again only if not given)."""
    if lines is None:
        lines = source_lines(Path(article.path))
    text = ArticleText(article=article, root=root, path=path, lines=lines,
                       front_matter=front_matter)
    positions = front_matter or Positions()
    if len(article.title_lines) == 1 and ("title",) in positions.marks \
            and ("title", 0) not in positions.marks:
        locs = [("title",)]
    else:
        locs = [("title", index) for index in range(len(article.title_lines))]
    for loc, value in zip(locs, article.title_lines):
        text.title.append(_front_matter_passage(value, TITLE, lines, positions.at(loc)))
    text.credit = _front_matter_passage(article.credit, CREDIT, lines, positions.at(("credit",)))
    if article.subtitle:
        text.subtitle = _front_matter_passage(article.subtitle, SUBTITLE, lines,
                                              positions.at(("subtitle",)))
    text.body, text.markers = _paragraphs(article.body, article.body_line)
    return text


def _front_matter_passage(value: str, kind: str, lines: list[str],
                          at: tuple[int, int]) -> Passage:
    line, col = at
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    found = source.find(value, max(col - 1, 0))
    if found >= 0:
        return Passage(value, kind, [(0, line, found + 1)])
    columns = _quoted_columns(source, col - 1)
    if columns is not None:
        decoded, cols = columns
        found = decoded.find(value)
        if found >= 0 and value:
            # One start per character: an escape (`\u200b`) is reported at its backslash.
            return Passage(value, kind, [(offset, line, cols[found + offset])
                                         for offset in range(len(value))])
    # Folded or multi-line scalars: no exact columns inside the value.
    return Passage(value, kind, [(0, line, col)], exact=False)


# YAML's escapes in a double-quoted scalar (YAML 1.1, as PyYAML reads them): one letter.
_YAML_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n",
                 "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"',
                 "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
                 "P": "\u2029"}
_YAML_HEX = {"x": 2, "u": 4, "U": 8}


def _quoted_columns(source: str, start: int) -> tuple[str, list[int]] | None:
    """A quoted YAML scalar that opens at `source[start]` and closes on the same line: its
    value as YAML reads it, and the 1-based column each character of it is written at
    (an escape's backslash). None for anything else."""
    if start < 0 or start >= len(source) or source[start] not in "\"'":
        return None
    quote, index = source[start], start + 1
    decoded, cols = [], []
    while index < len(source):
        ch = source[index]
        if ch == quote:
            if quote == "'" and source[index + 1:index + 2] == "'":
                decoded.append("'")
                cols.append(index + 1)
                index += 2
                continue
            return "".join(decoded), cols
        if ch == "\\" and quote == '"':
            letter = source[index + 1:index + 2]
            if letter in _YAML_HEX:
                digits = source[index + 2:index + 2 + _YAML_HEX[letter]]
                if len(digits) != _YAML_HEX[letter] or \
                        any(c not in "0123456789abcdefABCDEF" for c in digits):
                    return None
                code = int(digits, 16)
                if code > 0x10FFFF:
                    return None
                decoded.append(chr(code))
                cols.append(index + 1)
                index += 2 + len(digits)
                continue
            if letter not in _YAML_ESCAPES:
                return None  # a line continuation, or an escape YAML refuses
            decoded.append(_YAML_ESCAPES[letter])
            cols.append(index + 1)
            index += 2
            continue
        decoded.append(ch)
        cols.append(index + 1)
        index += 1
    return None


def _paragraphs(body: str, first_line: int) -> tuple[list[Passage], list[Marker]]:
    """Blank-line separated paragraphs of the Markdown body, and the suppression markers
    (lint/settings.py), each bound to the paragraph that follows it. A Markdown comment
    line (`[//]: # (…)`) prints nothing and is no part of any paragraph."""
    paragraphs: list[Passage] = []
    markers: list[Marker] = []
    waiting: list[Marker] = []  # markers not yet followed by a paragraph
    current: list[tuple[int, str]] = []

    def close():
        nonlocal current
        if current:
            paragraphs.append(_paragraph(current))
            first, last = current[0][0], current[-1][0]
            markers.extend(replace(marker, first=first, last=last) for marker in waiting)
            waiting.clear()
            current = []

    for index, line in enumerate(body.split("\n")):
        if line.strip(" \t"):
            comment = read_marker(line) if "[//]:" in line else None
            if comment is not None and not current:
                codes, reason, problem = comment
                if codes or problem:
                    waiting.append(Marker(first_line + index, codes, reason, problem=problem))
                continue
            current.append((first_line + index, line))
            continue
        close()
    close()
    return paragraphs, markers + waiting


def _paragraph(lines: list[tuple[int, str]]) -> Passage:
    starts, offset = [], 0
    for number, line in lines:
        starts.append((offset, number, 1))
        offset += len(line) + 1
    return Passage("\n".join(line for _, line in lines), BODY, starts)
