"""The annual index (总目录): every article of a year's issues, and the page it starts on.

Gathering is kept apart from writing: `collect_year` reads the issues and lays each one
out to find its pages; `write_annual_index` sets the list as a printed 总目录 (PDF) and
as a page for the website (HTML, self-contained like the web edition).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import BulletinError, Diagnostic
from .layout import environment
from .model import Issue
from .project import Project
from .sources import ISSUES_DIR, SourceReader
from .titles import TitleBreaker, break_title, breaker_for
from .typeset.linebreak import break_hints
from .typeset.render import Renderer

TEMPLATE = "annual.html.j2"
# 14 pt characters a title line of the index holds, leaving the dots room (annual.css).
TITLE_COLUMN_CELLS = 17


@dataclass(frozen=True)
class IndexEntry:
    """One line of the 总目录: an article, the issue it ran in, the page it starts on."""

    number: int
    date: dt.date
    supplement: bool
    slug: str
    title: str
    credit: str
    page: int | None  # 1-based, in that issue's PDF; None if the layout lost its anchor


@dataclass(frozen=True)
class IndexIssue:
    """The entries of one issue, under its heading."""

    number: int
    date: dt.date
    supplement: bool
    entries: list[IndexEntry] = field(default_factory=list)

    @property
    def heading(self) -> str:
        name = "增刊" if self.supplement else f"第{self.number}期"  # as Issue.title names it
        return (f"{name}"
                f"（{self.date.year}年{self.date.month}月{self.date.day}日）")


@dataclass(frozen=True)
class SkippedIssue:
    """An issue left out of the index because its sources have errors."""

    number: int
    diagnostics: list[Diagnostic]

    @property
    def message(self) -> str:
        return f"第 {self.number} 期的稿件或设置有错误，未编入总目录（运行 bulletin check {self.number} 查看）"


def collect_year(root: Path, year: int, skipped: list[SkippedIssue] | None = None,
                 renderer: Renderer | None = None) -> list[IndexEntry]:
    """Every article of the issues dated in `year`, by issue number, then printed order.

    An issue whose sources have errors is left out; it is appended to `skipped`, for the
    caller to report.
    """
    root = Path(root)
    renderer = renderer or Renderer(root)
    entries: list[IndexEntry] = []
    project = Project(root)
    for number in project.issue_numbers():
        try:
            loaded = project.load(number)  # each file read once; images only if laid out
            issue = loaded.require()
            if issue.date.year != year:
                continue
            pages = article_pages(loaded, root, renderer)
        except BulletinError as error:
            if skipped is not None:
                skipped.append(SkippedIssue(number, error.diagnostics))
            continue
        entries += [IndexEntry(issue.number, issue.date, issue.supplement, article.slug,
                               article.title, article.credit, pages.get(article.slug))
                    for article in issue.articles]
    return entries


def article_pages(loaded, root: Path, renderer: Renderer | None = None) -> dict[str, int]:
    """The 1-based page of the issue's PDF each article starts on, by slug.

    Read from the manifest of a current build (`bulletin build --all` records them);
    otherwise the issue is laid out as `bulletin build` does and each article's anchor
    found. Raises BulletinError when the issue cannot be laid out.
    """
    issue = loaded.require()
    recorded = recorded_pages(issue, root)
    if recorded is not None:
        return recorded
    from .pipeline import article_page, lay_out

    document = lay_out(issue, root, renderer or Renderer(root), images=loaded.images).document
    starts = {article.slug: article_page(document, article.slug) for article in issue.articles}
    return {slug: page for slug, page in starts.items() if page is not None}


def recorded_pages(issue: Issue, root: Path) -> dict[str, int] | None:
    """The pages the manifest of the issue's PDF records, if that PDF is current."""
    from .archive import inputs_digest, is_current
    from .pipeline import read_manifest

    root = Path(root)
    if issue.folder is None or issue.folder.resolve() != (root / ISSUES_DIR / str(
            issue.number)).resolve():
        return None  # not the issue on disk: its build says nothing about this one
    # The issue is loaded: its PDF's name is known without reading issue.yaml again.
    target = is_current(Project(root).pdf_path(issue), inputs_digest(root, issue.number))
    manifest = read_manifest(target) if target is not None else None
    if not manifest:
        return None
    pages = {entry.get("slug"): entry.get("page") for entry in manifest.get("articles", [])}
    if not all(isinstance(pages.get(article.slug), int) for article in issue.articles):
        return None
    return {article.slug: pages[article.slug] for article in issue.articles}


def index_title(title: str, breaker: TitleBreaker | None = None) -> str:
    """The title as the index sets it: one line per line from `titles.break_title`
    (templates/annual.css keeps the line ends), each short enough to leave room for the
    dotted leader after it."""
    return "\n".join(break_hints(line)
                     for line in break_title([title], TITLE_COLUMN_CELLS, breaker))


def group_by_issue(entries: list[IndexEntry]) -> list[IndexIssue]:
    return [IndexIssue(number, date, supplement, list(group))
            for (number, date, supplement), group in itertools.groupby(
                entries, key=lambda e: (e.number, e.date, e.supplement))]


def write_annual_index(root: Path, year: int, out_dir, renderer: Renderer | None = None,
                       skipped: list[SkippedIssue] | None = None,
                       force: bool = False) -> list[Path]:
    """Write `index-<year>.html` and `index-<year>.pdf` into `out_dir`; return them.

    `out_dir` is a folder's path, or a larger output's folder (`outputs.OutputFolder`:
    the site), written when that is. Into a folder of its own, a re-run replaces the two
    files it wrote before and nothing else (`force`: any file). Nothing is written, and
    [] returned, when no issue of `year` could be indexed. Issues left out for errors
    are appended to `skipped`. Raises `outputs.OutputError` when the folder may not be
    written (nothing is written then).
    """
    from .outputs import OutputFolder

    root = Path(root)
    renderer = renderer or Renderer(root)
    entries = collect_year(root, year, skipped, renderer)
    if not entries:
        return []
    env = environment(root / "templates")
    breaker = breaker_for(root)
    env.filters["index_title"] = lambda title: index_title(title, breaker)
    template = env.get_template(TEMPLATE)
    reader = SourceReader(root)
    bulletin = reader.read_bulletin()
    if bulletin is None:
        raise BulletinError(reader.diagnostics)
    issues = group_by_issue(entries)
    context = {"bulletin": bulletin, "year": year, "issues": issues}
    html = template.render(medium="web", **context).encode("utf-8")
    pdf = renderer.document(template.render(medium="print", **context), folders=[]).write_pdf()
    names = (f"index-{year}.html", f"index-{year}.pdf")
    if hasattr(out_dir, "write"):
        return [out_dir.write(names[0], html), out_dir.write(names[1], pdf)]
    with OutputFolder(Path(out_dir), root, f"index-{year}", force) as output:
        return [output.write(names[0], html), output.write(names[1], pdf)]
