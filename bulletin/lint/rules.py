"""The rule registry: each editorial rule has a code, a severity and a Chinese summary.

Family modules register their rules with `@rule(...)`, as markdown-it registers its rules
by name; `bulletin.lint` runs every registered rule over every article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..diagnostics import Fix, Severity
from .text import ArticleText, Passage

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# What a rule looks at: every passage, body paragraphs only, or the whole article.
TEXT, BODY_ONLY, ARTICLE = "text", "body", "article"


@dataclass(frozen=True)
class Finding:
    offset: int  # into the passage's text
    message: str
    fix: Fix | None = None
    passage: Passage | None = None  # set by article rules; passage rules get theirs filled in


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str  # what the rule looks for, in one Chinese line (as in the README)
    scope: str
    check: Callable[..., Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, summary: str, scope: str = TEXT):
    def register(check: Callable[..., Iterable[Finding]]):
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, severity, summary, scope, check)
        return check
    return register


def run_rule(entry: Rule, text: ArticleText) -> Iterable[tuple[Passage, Finding]]:
    if entry.scope == ARTICLE:
        for finding in entry.check(text):
            yield finding.passage, finding
        return
    passages = text.body if entry.scope == BODY_ONLY else text.passages
    for passage in passages:
        for finding in entry.check(passage):
            yield passage, finding
