"""`bulletin publish`: the archive as a static site, for GitHub Pages or any web server.

build/site/
  index.html                 every issue, newest first, with its 要目 and links
  pdf/<slug>-<year>-<N>.pdf  the printed edition
  <year>-<N>/index.html      the web edition, and one page per article
  index-<year>.html / .pdf   each year's 总目录
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .archive import FAILED, Outcome, build_all
from .diagnostics import BulletinError, Diagnostic
from .layout import environment
from .pipeline import read_manifest
from .project import Project
from .sources import SourceReader

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


def href(*parts: str) -> str:
    """A link inside the site: each part of the path percent-encoded (an article's file
    name may hold `#`, `%`, `?`, spaces or Chinese)."""
    return "/".join(quote(part, safe="") for part in parts)


def publish(root: Path, out: Path, jobs: int | None = None, report=None,
            force: bool = False) -> Site:
    """Build what is not current, then write the site; failed issues are left out.

    The site folder is one output (`outputs.OutputFolder`): every page, PDF and index is
    staged, then renamed into place at once; what the previous publish wrote and this
    one did not (an issue deleted since, or failed now, a year with no issue left) is
    removed; a file bulletin did not write is never replaced (unless `force`). Raises
    `outputs.OutputError` when the folder may not be written: nothing changes then.
    """
    from .annual import write_annual_index
    from .outputs import OutputError, OutputFolder
    from .web import article_page_names, write_web_edition

    root, out = root.resolve(), Path(os.path.abspath(out))
    project = Project(root)
    site = Site()
    output = OutputFolder(out, root, "site", force)  # refused before an issue is built
    outcomes = build_all(root, jobs, report=report)
    with output:
        for outcome in outcomes:
            if outcome.status == FAILED:
                site.failed.append(outcome)
                continue
            manifest = read_manifest(outcome.target) or {}
            loaded = project.load(outcome.number)
            try:
                issue = loaded.require()
                folder = project.web_name(issue)
                write_web_edition(loaded, output.sub(folder))
            except OutputError:
                raise
            except BulletinError as exc:
                site.problems += exc.diagnostics
                continue
            pdf_name = outcome.target.name
            output.write(f"pdf/{pdf_name}", outcome.target.read_bytes())
            pages = {a["slug"]: a.get("page") for a in manifest.get("articles", [])}
            names = article_page_names(issue)
            site.issues.append(SiteIssue(
                issue.number, issue.date_text, issue.title, href("pdf", pdf_name),
                href(folder, "index.html"),
                [{"title": a.title, "credit": a.credit, "page": pages.get(a.slug),
                  "href": href(folder, names[a.slug])} for a in issue.articles]))
            if issue.date.year not in site.years:
                site.years.append(issue.date.year)
        site.years.sort(reverse=True)
        site.issues.sort(key=lambda entry: entry.number, reverse=True)
        for year in site.years:
            write_annual_index(root, year, output, skipped=site.skipped)
        bulletin = SourceReader(root).read_bulletin()
        html = environment(root / "templates").get_template(TEMPLATE).render(
            bulletin=bulletin, site=site)
        output.write("index.html", html.encode("utf-8"))
    return site
