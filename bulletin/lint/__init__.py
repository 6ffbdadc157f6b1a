"""Editorial lint: every registered rule over every article of an issue.

The rules live one family to a module (punctuation, spacing, numbering, frontmatter,
glyphs) and register themselves by code in `rules.RULES`.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from ..codes import register
from ..diagnostics import Diagnostic, Severity
from . import (frontmatter, glyphs, issue, names, numbering, punctuation,  # noqa: F401
               spacing, words)  # (each registers its rules)
from .fix import apply_fixes
from .rules import ISSUE, RULES, IssueTexts, Located, covered, run_issue_rule, run_rule
from .text import BODY, ArticleText, Passage, article_text

if TYPE_CHECKING:
    from ..project import LoadedIssue

__all__ = ["RULES", "RULE_FAILED", "apply_fixes", "check_issue", "check_loaded", "lint_article",
           "lint_issue"]

RULE_FAILED = "B200"  # a rule raised: a bug in bulletin, not in the article

# Every rule's code in the one registry of codes.
register(RULE_FAILED, Severity.ERROR, "一条规则本身出错：bulletin 的缺陷，请报告（退出码 2）")
for _entry in RULES.values():
    register(_entry.code, _entry.severity, _entry.summary)
del _entry


def _diagnostic(code: str, severity: Severity, message: str, path: str, passage: Passage,
                finding) -> Diagnostic:
    line, col = passage.position(finding.offset)
    end_line, end_col = line, col + 1
    if passage.exact:
        last_line, last_col = passage.position(finding.offset + covered(finding) - 1)
        end_line, end_col = last_line, last_col + 1
    # Fixes rewrite Markdown lines only, never YAML, whose quoting they could break.
    fix = finding.fix if passage.kind == BODY and passage.exact else None
    return Diagnostic(code, message, path, line, col, severity, fix, end_line, end_col)


def _failed(code: str, exc: Exception, path: str, what: str = "本稿") -> Diagnostic:
    return Diagnostic(RULE_FAILED, f"规则 {code} 检查{what}时出错（{type(exc).__name__}: {exc}），"
                      "这是 bulletin 的缺陷，请报告维护者", path)


def lint_article(text: ArticleText) -> list[Diagnostic]:
    """The findings of every rule that looks at one article (not the issue rules)."""
    diagnostics = []
    for entry in RULES.values():
        if entry.scope == ISSUE:
            continue
        try:
            for passage, finding in run_rule(entry, text):
                if passage.is_markup(finding.offset):
                    continue
                diagnostics.append(_diagnostic(entry.code, entry.severity, finding.message,
                                               text.path, passage, finding))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
            diagnostics.append(_failed(entry.code, exc, text.path))
    return diagnostics


def lint_issue(issue: IssueTexts) -> list[Diagnostic]:
    """The findings of the rules that look at a whole issue (names spelled two ways,
    files no article lists, …)."""
    diagnostics = []
    for entry in RULES.values():
        if entry.scope != ISSUE:
            continue
        try:
            for found in run_issue_rule(entry, issue):
                diagnostics.append(_located(entry.code, entry.severity, found))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
            diagnostics.append(_failed(entry.code, exc, issue.issue_yaml, "本期"))
    return diagnostics


def _located(code: str, severity: Severity, found: Located) -> Diagnostic:
    if found.finding is not None and found.text is not None:
        passage = found.finding.passage
        if passage is None:
            raise ValueError(f"rule {code}: a finding in an article needs its passage")
        return _diagnostic(code, severity, found.message or found.finding.message,
                           found.text.path, passage, found.finding)
    end_line, end_col = (found.line, found.col + max(found.length, 1)) if found.col else (0, 0)
    return Diagnostic(code, found.message, found.path, found.line, found.col, severity, None,
                      end_line, end_col)


def with_settings(diagnostics: list[Diagnostic], texts: list[ArticleText], reader
                  ) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The findings as the `lint:` settings and markers have them (lint/settings.py), with
    the problems of those settings; and those suppressed."""
    from ..sources import SERIES_FILE
    from .settings import apply_settings, settings_problems

    series = reader.bulletin.lint if reader.bulletin is not None else None
    kept, suppressed = apply_settings(diagnostics, texts, series)
    kept += settings_problems(texts, series, reader.rel(reader.root / SERIES_FILE),
                              reader.bulletin_positions)
    return kept, suppressed


def lint_draft(reader, article, shown: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The editorial findings of one article read on its own (a draft, a file no issue
    lists), with the series settings; and those suppressed."""
    text = article_text(article, reader.root, shown, reader.front_matter.get(article.path),
                        reader.lines(shown))
    return with_settings(lint_article(text), [text], reader)


def check_issue(root: Path, number: int) -> list[Diagnostic]:
    """Every problem in issue `number`: sources and schema (S1xx), then editorial (B2xx)."""
    from ..project import Project

    return check_loaded(Project(root).load(number))


def check_loaded(loaded: LoadedIssue) -> list[Diagnostic]:
    """Every problem of an issue as loaded: its files' (S1xx, images) and the wording's (B2xx)."""
    reader, root = loaded.reader, loaded.project.root
    diagnostics = list(reader.diagnostics)
    texts = []
    for article in reader.articles:
        shown = reader.rel(article.path)
        text = article_text(article, root, shown, reader.front_matter.get(article.path),
                            reader.lines(shown))
        texts.append(text)
        diagnostics += lint_article(text)
    folder = reader.issue_folder(loaded.number)
    diagnostics += lint_issue(IssueTexts(
        texts, root, folder if folder.is_dir() else None, reader.rel(folder / "issue.yaml"),
        list(reader.listed)))
    diagnostics, loaded.suppressed = with_settings(diagnostics, texts, reader)
    if loaded.issue is not None:
        diagnostics += loaded.image_diagnostics
    else:
        # The issue did not load (an error elsewhere): its articles' images are still checked.
        from ..images import check_article_images

        for article in reader.articles:
            if "![" in article.body:
                diagnostics += check_article_images(
                    article.body, article.body_line, article.path.parent,
                    reader.issue_folder(loaded.number), reader.rel(article.path))[1]
    return sorted(diagnostics, key=Diagnostic.sort_key)
