"""One build, as a flat list of steps: sources → model → HTML → PDF."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import BulletinError, Diagnostic, relative
from .images import check_article_images
from .layout import render_html
from .model import Issue
from .sources import load_issue
from .typeset.render import Renderer

BUILD_DIR = "build"


def default_output(root: Path, issue: Issue) -> Path:
    slug = issue.bulletin.slug
    return root / BUILD_DIR / f"{slug}-{issue.date.year}-{issue.number}.pdf"


def check_images(issue: Issue, root: Path) -> dict[str, dict]:
    """Every image of the issue, checked: by article slug, by src. Raises BulletinError."""
    found, problems = {}, []
    for article in issue.articles:
        if article.path is None or "![" not in article.body:
            continue
        images, diagnostics = check_article_images(
            article.body, article.body_line, article.path.parent, issue.folder or root,
            relative(article.path, root))
        found[article.slug] = images
        problems += diagnostics
    if problems:
        raise BulletinError(problems)
    return found


def issue_html(issue: Issue, root: Path, draft: bool = False) -> str:
    """Checked images, then the issue's one HTML document."""
    images = check_images(issue, root)
    return render_html(issue, root / "templates", draft=draft, images=images)


def build_issue(root: Path, number: int, target: Path | None = None,
                renderer: Renderer | None = None) -> Path:
    issue = load_issue(root, number)
    html = issue_html(issue, root)
    target = target or default_output(root, issue)
    folders = [issue.folder] if issue.folder else []
    from .typeset.jail import JailError

    where = relative(issue.folder or root, root)
    try:
        (renderer or Renderer(root)).write_pdf(html, target, folders=folders)
    except JailError as refused:
        raise BulletinError([Diagnostic("S121", f"排版时拒绝加载项目以外的资源：{url}", where)
                             for url in refused.urls]) from None
    except RecursionError:
        raise BulletinError([Diagnostic("S122", "内容嵌套过深，无法排版：请检查列表、引用或强调的层数",
                                        where)]) from None
    return target
