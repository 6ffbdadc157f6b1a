"""One build, as a flat list of steps: sources → model → HTML → PDF (+ its manifest)."""

from __future__ import annotations

import json
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


def manifest_path(pdf: Path) -> Path:
    return pdf.with_suffix(".json")


def read_manifest(pdf: Path) -> dict | None:
    """What the build of `pdf` recorded: its pages, where each article starts, its inputs."""
    try:
        return json.loads(manifest_path(pdf).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def lay_out(issue: Issue, root: Path, renderer: Renderer | None = None, draft: bool = False):
    """The issue laid out by WeasyPrint: checked images, HTML, pages.

    Raises BulletinError for what stops a build here: a resource the jail refused
    (S121) or content nested too deep to lay out (S122).
    """
    from .typeset.jail import JailError

    html = issue_html(issue, root, draft=draft)
    folders = [issue.folder] if issue.folder else []
    where = relative(issue.folder or root, root)
    try:
        return (renderer or Renderer(root)).document(html, folders)
    except JailError as refused:
        raise BulletinError([Diagnostic("S121", f"排版时拒绝加载项目以外的资源：{url}", where)
                             for url in refused.urls]) from None
    except RecursionError:
        raise BulletinError([Diagnostic("S122", "内容嵌套过深，无法排版：请检查列表、引用或强调的层数",
                                        where)]) from None


def build_issue(root: Path, number: int, target: Path | None = None,
                renderer: Renderer | None = None, variant: str | None = None,
                tagged: bool = False, inputs: str | None = None) -> Path:
    """Build issue `number` into `target`, and its manifest beside it."""
    from .typeset.render import write_atomically

    issue = load_issue(root, number)
    target = target or default_output(root, issue)
    document = lay_out(issue, root, renderer)
    write_atomically(target, document.write_pdf(pdf_variant=variant, pdf_tags=tagged))
    manifest = {
        "number": issue.number,
        "date": issue.date.isoformat(),
        "title": issue.title,
        "pages": len(document.pages),
        "articles": [{"slug": a.slug, "title": a.title, "credit": a.credit,
                      "page": article_page(document, a.slug)} for a in issue.articles],
        "inputs": inputs,
    }
    write_atomically(manifest_path(target), json.dumps(
        manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return target


def article_page(document, slug: str) -> int | None:
    """The 1-based page an article starts on, from its anchor in the laid-out document."""
    anchor = f"article-{slug}"
    for number, page in enumerate(document.pages, start=1):
        if anchor in page.anchors:
            return number
    return None
