"""Editorial lint: every registered rule over every article of an issue.

The rules live one family to a module (punctuation, spacing, numbering, frontmatter,
glyphs) and register themselves by code in `rules.RULES`.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from ..codes import register
from ..diagnostics import Diagnostic, Severity
from . import frontmatter, glyphs, numbering, punctuation, spacing  # noqa: F401  (registers rules)
from .fix import apply_fixes
from .rules import RULES, run_rule
from .text import BODY, ArticleText, article_text

if TYPE_CHECKING:
    from ..project import LoadedIssue

__all__ = ["RULES", "RULE_FAILED", "apply_fixes", "check_issue", "check_loaded", "lint_article"]

RULE_FAILED = "B200"  # a rule raised: a bug in bulletin, not in the article

# Every rule's code in the one registry of codes.
register(RULE_FAILED, Severity.ERROR, "一条规则本身出错：bulletin 的缺陷，请报告（退出码 2）")
for _entry in RULES.values():
    register(_entry.code, _entry.severity, _entry.summary)
del _entry


def lint_article(text: ArticleText) -> list[Diagnostic]:
    diagnostics = []
    for entry in RULES.values():
        try:
            for passage, finding in run_rule(entry, text):
                if passage.is_markup(finding.offset):
                    continue
                line, col = passage.position(finding.offset)
                # Fixes rewrite Markdown lines only, never YAML, whose quoting they could break.
                fix = finding.fix if passage.kind == BODY and passage.exact else None
                diagnostics.append(Diagnostic(entry.code, finding.message, text.path, line, col,
                                              entry.severity, fix))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
            diagnostics.append(Diagnostic(
                RULE_FAILED, f"规则 {entry.code} 检查本稿时出错（{type(exc).__name__}: {exc}），"
                "这是 bulletin 的缺陷，请报告维护者", text.path))
    return diagnostics


def check_issue(root: Path, number: int) -> list[Diagnostic]:
    """Every problem in issue `number`: sources and schema (S1xx), then editorial (B2xx)."""
    from ..project import Project

    return check_loaded(Project(root).load(number))


def check_loaded(loaded: LoadedIssue) -> list[Diagnostic]:
    """Every problem of an issue as loaded: its files' (S1xx, images) and the wording's (B2xx)."""
    reader, root = loaded.reader, loaded.project.root
    diagnostics = list(reader.diagnostics)
    for article in reader.articles:
        shown = reader.rel(article.path)
        text = article_text(article, root, shown, reader.front_matter.get(article.path),
                            reader.lines(shown))
        diagnostics += lint_article(text)
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
