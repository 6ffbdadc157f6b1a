"""The project: where everything is, which issues there are, and each issue loaded once.

Every command starts here. `Project(root)` knows the paths (templates, fonts, issues,
build) and the output names; `Project.load(n)` reads issue `n` once, through the one
bounded reader (`sources.SourceReader`), into a `LoadedIssue` that the checks, the
layout and every output use without reading a source again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import BulletinError, Diagnostic, Severity
from .sources import ISSUES_DIR, SERIES_FILE, SourceReader

if TYPE_CHECKING:  # not at run time: deciding what `build --all` skips needs no pydantic
    from .model import Issue

BUILD_DIR = "build"
# An issue's folder is named by its number in ASCII digits: `issues/²`, `issues/٣` and
# `issues/０１` are no issue (see folder_problems).
ISSUE_FOLDER = re.compile(r"[0-9]+")


@dataclass
class LoadedIssue:
    """An issue as read: the typed issue (None when its sources are broken), every
    problem found with its position, the texts read and the images checked once."""

    project: "Project"
    number: int
    reader: SourceReader
    issue: Issue | None
    _images: tuple | None = field(default=None, repr=False)
    # The editorial findings the `lint:` settings and markers silenced (check_loaded).
    suppressed: list[Diagnostic] = field(default_factory=list)

    def _checked_images(self) -> tuple[dict[str, dict], list[Diagnostic]]:
        # Checked (and decoded) on first use, once: an index of the year needs none.
        if self._images is None:
            self._images = (check_images(self.issue, self.project.root)
                            if self.issue is not None else ({}, []))
        return self._images

    @property
    def images(self) -> dict[str, dict]:
        """Slug → src → CheckedImage, for every image the issue's articles show."""
        return self._checked_images()[0]

    @property
    def image_diagnostics(self) -> list[Diagnostic]:
        return self._checked_images()[1]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The problems with the files themselves (S1xx), in file order."""
        return sorted([*self.reader.diagnostics, *self.image_diagnostics],
                      key=Diagnostic.sort_key)

    @property
    def ok(self) -> bool:
        return self.issue is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics)

    def require(self) -> Issue:
        """The issue, or BulletinError with every problem its files have."""
        if not self.ok:
            raise BulletinError(self.diagnostics)
        return self.issue


class Project:
    """A bulletin project: `bulletin.yaml`, `issues/`, `templates/`, `fonts/`, `build/`."""

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()
        self._shared: dict = {}  # what this command's readers share (SourceReader.shared)

    @property
    def series_file(self) -> Path:
        return self.root / SERIES_FILE

    @property
    def issues(self) -> Path:
        return self.root / ISSUES_DIR

    @property
    def templates(self) -> Path:
        from .typeset.render import TEMPLATES_DIR  # render.py, its fonts.py: when asked

        return self.root / TEMPLATES_DIR

    @property
    def fonts(self) -> Path:
        from .typeset.render import FONTS_DIR

        return self.root / FONTS_DIR

    @property
    def build(self) -> Path:
        return self.root / BUILD_DIR

    def issue_folder(self, number: int) -> Path:
        return self.issues / str(number)

    def issue_numbers(self) -> list[int]:
        """Every issue folder under `issues/`: a name of ASCII digits, ascending."""
        try:
            entries = list(self.issues.iterdir())
        except OSError:
            return []
        return sorted(int(p.name) for p in entries
                      if ISSUE_FOLDER.fullmatch(p.name) and p.is_dir())

    def folder_problems(self) -> list[Diagnostic]:
        """A folder under `issues/` that looks meant as an issue but is none (S116): named
        with other digits than ASCII 0–9 (`²`, `٣`, `０１`), or holding an issue.yaml
        under a name that is no number. `check --all` and `build --all` report them: such
        an issue would never be checked or built. (A leading zero, `issues/0024`, is
        issue 24's folder misnamed: its load says so, S110.)"""
        from .sources import ISSUE_FOLDER_NAME

        try:
            entries = sorted(self.issues.iterdir())
        except OSError:
            return []
        problems = []
        for entry in entries:
            name = entry.name
            if ISSUE_FOLDER.fullmatch(name) or name.startswith("."):
                continue
            try:
                if not entry.is_dir():
                    continue
                has_issue = (entry / "issue.yaml").exists()
            except (OSError, ValueError):
                continue
            if not (has_issue or any(ch.isdigit() for ch in name)):
                continue
            if name.isdigit() or name.isdecimal():
                hint = "期号只能用阿拉伯数字 0–9 书写，不能用上标、全角或其他文字的数字"
            else:
                hint = "期号文件夹应以期号命名，如 issues/23/"
            problems.append(Diagnostic(
                ISSUE_FOLDER_NAME, f"文件夹名“{name}”不是期号，这一期不会被检查或排版：{hint}",
                f"{ISSUES_DIR}/{name}"))
        return problems

    def latest_issue(self) -> int | None:
        numbers = self.issue_numbers()
        return numbers[-1] if numbers else None

    # --- output names ------------------------------------------------------------

    @cached_property
    def slug(self) -> str:
        """bulletin.yaml's slug, read (bounded) for output names alone."""
        from .model import Bulletin

        bulletin = self.reader().read_bulletin()
        return bulletin.slug if bulletin is not None else Bulletin.model_fields["slug"].default

    def pdf_path(self, issue: Issue) -> Path:
        return self._pdf(issue.bulletin.slug, issue.date.year, issue.number)

    def pdf_name(self, year: int, number: int) -> Path:
        """Where issue `number` of `year` goes, before it is loaded (bulletin.yaml's slug)."""
        return self._pdf(self.slug, year, number)

    def print_pdf_path(self, issue: Issue) -> Path:
        """The print shop's PDF (`bulletin build N --for-print`), beside the screen PDF."""
        return self.build / f"{issue.bulletin.slug}-{issue.date.year}-{issue.number}-print.pdf"

    def _pdf(self, slug: str, year: int, number: int) -> Path:
        return self.build / f"{slug}-{year}-{number}.pdf"

    @staticmethod
    def web_name(issue: Issue) -> str:
        """The folder of an issue's web edition, under build/web/ and in the site."""
        return f"{issue.date.year}-{issue.number}"

    def web_dir(self, issue: Issue) -> Path:
        return self.build / "web" / self.web_name(issue)

    def site_dir(self) -> Path:
        return self.build / "site"

    # --- loading -----------------------------------------------------------------

    def reader(self) -> SourceReader:
        return SourceReader(self.root, self._shared)

    def load(self, number: int) -> LoadedIssue:
        """Issue `number` read once: sources, schema and images, every problem kept."""
        reader = self.reader()
        issue = reader.read_issue(number)
        return LoadedIssue(self, number, reader, issue)


def check_images(issue: Issue, root: Path) -> tuple[dict[str, dict], list[Diagnostic]]:
    """Every image of the issue, checked and decoded once: by article slug, by src."""
    from .diagnostics import relative
    from .images import check_article_images

    found, problems = {}, []
    for article in issue.articles:
        if article.path is None or "![" not in article.body:
            continue
        images, diagnostics = check_article_images(
            article.body, article.body_line, article.path.parent, issue.folder or root,
            relative(article.path, root))
        found[article.slug] = images
        problems += diagnostics
    return found, problems
