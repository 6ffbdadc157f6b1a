"""The rule registry: each editorial rule has a code, a severity and a Chinese summary.

Family modules register their rules with `@rule(...)`, as markdown-it registers its rules
by name; `bulletin.lint` runs every registered rule over every article.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..chinese import HAN_RANGES, regex_chars
from ..diagnostics import Fix, Severity
from .text import ArticleText, Passage

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# What a rule looks at: every passage, body paragraphs only, the whole article, or the
# whole issue (every article of it, and its folder: `IssueTexts`).
TEXT, BODY_ONLY, ARTICLE, ISSUE = "text", "body", "article", "issue"


@dataclass(frozen=True)
class Finding:
    offset: int  # into the passage's text
    message: str
    fix: Fix | None = None
    passage: Passage | None = None  # set by article rules; passage rules get theirs filled in
    length: int = 0  # characters the finding covers; 0: the fix's `old`, or one character


@dataclass(frozen=True)
class Located:
    """An issue rule's finding: in an article's passage (`text` and `finding`, whose
    `passage` is set), or at a place in any file of the issue (`path`, `line`, `col`:
    an `.md` no article lists, a line of issue.yaml)."""

    message: str = ""
    text: ArticleText | None = None
    finding: Finding | None = None
    path: str = ""
    line: int = 0
    col: int = 0
    length: int = 0


@dataclass
class IssueTexts:
    """What an issue rule looks at: the text of every article read, in issue order, and
    the issue's files. `listed`: (name in issue.yaml, its line, its column) for each
    article the issue lists; `folder`: the issue's folder (None if there is none)."""

    texts: list[ArticleText]
    root: Path
    folder: Path | None
    issue_yaml: str  # as diagnostics show it
    listed: list[tuple[str, int, int]]
    shared: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str  # what the rule looks for, in one Chinese line (as in the README)
    scope: str
    check: Callable[..., Iterable[Finding]]
    # Prose rules (punctuation, spacing) say nothing about what is not prose: code, web
    # and e-mail addresses, link targets (`literal_spans`). Their findings there are dropped.
    prose: bool = False


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, summary: str, scope: str = TEXT, *,
         prose: bool = False):
    def register(check: Callable[..., Iterable[Finding]]):
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, severity, summary, scope, check, prose)
        return check
    return register


def covered(finding: Finding) -> int:
    """How many characters of its passage `finding` covers: at least one."""
    return max(finding.length or (len(finding.fix.old) if finding.fix else 1), 1)


def run_rule(entry: Rule, text: ArticleText) -> Iterable[tuple[Passage, Finding]]:
    if entry.scope == ISSUE:
        raise ValueError(f"rule {entry.code} looks at a whole issue: see run_issue_rule")
    fenced = fenced_passages(text) if entry.prose else []
    if entry.scope == ARTICLE:
        for finding in entry.check(text):
            if not entry.prose or _prose(finding.passage, finding, fenced):
                yield finding.passage, finding
        return
    passages = text.body if entry.scope == BODY_ONLY else text.passages
    for passage in passages:
        if any(passage is other for other in fenced):
            continue
        for finding in entry.check(passage):
            if not entry.prose or _prose(passage, finding, fenced):
                yield passage, finding


def run_issue_rule(entry: Rule, issue: IssueTexts) -> Iterable[Located]:
    """An issue rule's findings; a prose rule's in code, addresses and links dropped."""
    for found in entry.check(issue):
        if entry.prose and found.finding is not None and found.text is not None \
                and not _prose(found.finding.passage, found.finding, fenced_passages(found.text)):
            continue
        yield found


# --- what is not prose ------------------------------------------------------------------

# A code span: a run of backticks, closed by a run of the same length (CommonMark 6.1).
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
# A fenced code block's opening line (CommonMark 4.5); it closes on a line of the same
# mark, at least as long.
FENCE = re.compile(r"^ {0,3}(`{3,}(?=[^`\n]*$)|~{3,})", re.M)
URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%"
# A web address. Past its host, its path and query may hold Han characters (an IRI:
# `https://zh.wikipedia.org/wiki/河南`) where a part of the path or a query value
# begins (after `/ ? # = & ( _ -`); Han after anything else (`….html,请查阅`) is text again.
HAN_CHARS = regex_chars(ranges=HAN_RANGES)
HOST_CHARS = r"A-Za-z0-9\-._~:@\[\]!$&'()*+,;=%"
URL = re.compile(rf"(?<![A-Za-z0-9.])(?:(?:https?|ftp)://|www\.)[{HOST_CHARS}]+"
                 rf"(?:[/?#](?:[{URL_CHARS}]|(?<=[/?#=&(_\-{HAN_CHARS}])[{HAN_CHARS}])*)?")
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])(?:mailto:)?[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+"
                   r"(?:\.[A-Za-z0-9\-]+)+")
# A link's or an image's target, `](…)`, with one level of parentheses inside; `<…>`.
LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s]+)>")
# A character reference (CommonMark 6.2): `&#x4E2D;`, `&#20013;`, `&amp;`. It prints as one
# character; its `&`, `#` and `;` are no punctuation of the text.
NUMERIC_ENTITY = re.compile(r"&#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});")
NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")


def _entity_spans(text: str) -> list[tuple[int, int]]:
    if "&" not in text:
        return []
    from markdown_it.common.entities import entities

    spans = [match.span() for match in NUMERIC_ENTITY.finditer(text)]
    spans += [match.span() for match in NAMED_ENTITY.finditer(text) if match.group(1) in entities]
    return spans


# What ends a web address written in running text rather than belonging to it (GFM 6.9).
URL_TRAILING = ".,:;!?'\"*_~"


@lru_cache(maxsize=4096)
def literal_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) spans of `text` that are not prose, disjoint and sorted: code
    spans and fenced code, web and e-mail addresses, link targets, character references. No editorial rule of
    prose looks into them, and `--fix` never changes them."""
    spans = [match.span() for pattern in (CODE_SPAN, LINK_TARGET, AUTOLINK, EMAIL)
             for match in pattern.finditer(text)]
    for match in URL.finditer(text):
        start, end = match.span()
        unbalanced = match.group().count(")") - match.group().count("(")
        while end > start and (text[end - 1] in URL_TRAILING
                               or (text[end - 1] == ")" and unbalanced > 0)):
            unbalanced -= text[end - 1] == ")"
            end -= 1
        spans.append((start, end))
    spans += _fence_spans(text)
    spans += _entity_spans(text)
    merged: list[tuple[int, int]] = []  # disjoint, for `in_literal`'s binary search
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _fence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    while True:
        opening = FENCE.search(text, position)
        if opening is None:
            return spans
        mark = opening.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$", re.M)
        after = text.find("\n", opening.end())
        found = closing.search(text, after + 1) if after >= 0 else None
        end = found.end() if found else len(text)
        spans.append((opening.start(), end))
        position = max(end, opening.end())


def in_literal(text: str, start: int, end: int | None = None) -> bool:
    """Whether `text[start:end]` (one character if `end` is None) touches a literal span."""
    end = start + 1 if end is None else max(end, start + 1)
    spans = literal_spans(text)
    # The last span opening before `end`: the only one that can reach past `start`.
    index = bisect.bisect_left(spans, (end,)) - 1
    return index >= 0 and spans[index][1] > start


def fenced_passages(text: ArticleText) -> list[Passage]:
    """The body paragraphs inside a fenced code block opened in an earlier paragraph (a
    code block with blank lines in it is cut into several paragraphs)."""
    cached = text.shared.get("rules.fenced")
    if cached is None:
        cached, mark = [], None
        for passage in text.body:
            if mark is not None:
                cached.append(passage)
            for line in passage.text.split("\n"):
                if mark is None:
                    opening = FENCE.match(line)
                    mark = opening.group(1) if opening else None
                elif re.fullmatch(rf" {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*", line):
                    mark = None
        text.shared["rules.fenced"] = cached
    return cached


def _prose(passage: Passage | None, finding: Finding, fenced: list[Passage]) -> bool:
    if passage is None:
        return True
    if any(passage is other for other in fenced):
        return False
    end = finding.offset + covered(finding)
    return not in_literal(passage.text, finding.offset, end)
