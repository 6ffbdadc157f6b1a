"""`bulletin publish`: the archive as a static site, for GitHub Pages or any web server.

build/site/
  index.html                 every issue, newest first, with its 要目 and links
  pdf/<slug>-<year>-<N>.pdf  the printed edition
  <year>-<N>/index.html      the web edition, and one page per article
  index-<year>.html / .pdf   each year's 总目录
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .archive import FAILED, Outcome, build_all
from .diagnostics import BulletinError, Diagnostic
from .layout import environment
from .pipeline import read_manifest
from .project import Project
from .sources import SourceReader
from .typeset.render import write_atomically

TEMPLATE = "site/index.html.j2"


@dataclass
class SiteIssue:
    number: int
    date: str
    title: str
    pdf: str
    web: str
    articles: list[dict]  # title, credit, page, href


@dataclass
class Site:
    issues: list[SiteIssue] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    skipped: list = field(default_factory=list)  # annual.SkippedIssue: left out of an index


def publish(root: Path, out: Path, jobs: int | None = None, report=None) -> Site:
    """Build what is not current, then write the site; failed issues are left out."""
    from .annual import write_annual_index
    from .web import article_page_names, write_web_edition

    root, out = root.resolve(), out.resolve()
    project = Project(root)
    site = Site()
    outcomes = build_all(root, jobs, report=report)
    (out / "pdf").mkdir(parents=True, exist_ok=True)
    for outcome in outcomes:
        if outcome.status == FAILED:
            site.failed.append(outcome)
            continue
        manifest = read_manifest(outcome.target) or {}
        loaded = project.load(outcome.number)
        try:
            issue = loaded.require()
            folder = project.web_name(issue)
            write_web_edition(loaded, out / folder)
        except BulletinError as exc:
            site.problems += exc.diagnostics
            continue
        shutil.copyfile(outcome.target, out / "pdf" / outcome.target.name)
        pages = {a["slug"]: a.get("page") for a in manifest.get("articles", [])}
        names = article_page_names(issue)
        site.issues.append(SiteIssue(
            issue.number, issue.date_text, issue.title, f"pdf/{outcome.target.name}",
            f"{folder}/index.html",
            [{"title": a.title, "credit": a.credit, "page": pages.get(a.slug),
              "href": f"{folder}/{names[a.slug]}"} for a in issue.articles]))
        if issue.date.year not in site.years:
            site.years.append(issue.date.year)
    site.years.sort(reverse=True)
    site.issues.sort(key=lambda entry: entry.number, reverse=True)
    for year in site.years:
        write_annual_index(root, year, out, skipped=site.skipped)
    bulletin = SourceReader(root).read_bulletin()
    html = environment(root / "templates").get_template(TEMPLATE).render(
        bulletin=bulletin, site=site)
    write_atomically(out / "index.html", html.encode("utf-8"))
    return site
