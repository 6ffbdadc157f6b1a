"""One build, as a flat list of steps: sources → model → HTML → PDF."""

from __future__ import annotations

from pathlib import Path

from .layout import render_html
from .model import Issue
from .sources import load_issue
from .typeset.render import Renderer

BUILD_DIR = "build"


def default_output(root: Path, issue: Issue) -> Path:
    slug = issue.bulletin.slug
    return root / BUILD_DIR / f"{slug}-{issue.date.year}-{issue.number}.pdf"


def build_issue(root: Path, number: int, target: Path | None = None,
                renderer: Renderer | None = None) -> Path:
    issue = load_issue(root, number)
    html = render_html(issue, root / "templates")
    target = target or default_output(root, issue)
    (renderer or Renderer(root)).write_pdf(html, target)
    return target
