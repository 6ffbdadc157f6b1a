"""What a preview shows: an issue, or one draft submission laid out as if in the next issue."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..diagnostics import BulletinError, Diagnostic
from ..model import Issue, IssueSource
from ..sources import ISSUES_DIR, SERIES_FILE, SourceReader

# Every preview rebuilds on these, relative to the project root.
SHARED_SOURCES = (SERIES_FILE,)
SHARED_FOLDERS = ("templates", "fonts")


@dataclass(frozen=True)
class IssueTarget:
    number: int
    draft = False

    @property
    def title(self) -> str:
        return f"第 {self.number} 期"

    def prepare(self, root: Path) -> tuple[Issue, list, dict]:
        """The issue read once: (issue, what `bulletin check` says of its wording (B2xx),
        its checked images). Raises BulletinError when its sources have errors."""
        issue, images, notes = self.read(root)
        return issue, notes(), images

    def read(self, root: Path) -> tuple[Issue, dict, Callable[[], list]]:
        """As `prepare`, the wording's check left for later: (issue, images, the check)."""
        from ..lint import check_loaded
        from ..project import Project

        loaded = Project(root).load(self.number)
        issue = loaded.require()
        return issue, loaded.images, lambda: [d for d in check_loaded(loaded)
                                              if d.code.startswith("B")]

    def is_source(self, root: Path, path: Path) -> bool:
        rel = _relative(root, path)
        if rel is None:
            return False
        return _is_shared(rel) or rel.parts[:2] == (ISSUES_DIR, str(self.number)) \
            or _is_issue_settings(rel)  # other issues' numbers are checked for clashes

    def extra_folders(self) -> list[Path]:
        return []


@dataclass(frozen=True)
class DraftTarget:
    path: Path  # absolute
    draft = True

    @property
    def title(self) -> str:
        return self.path.name

    def prepare(self, root: Path, today: dt.date | None = None) -> tuple[Issue, list, dict]:
        """The draft read once, as an issue: (issue, its wording's B2xx, its images)."""
        issue, images, notes = self.read(root, today)
        return issue, notes(), images

    def read(self, root: Path, today: dt.date | None = None
             ) -> tuple[Issue, dict, Callable[[], list]]:
        """As `prepare`, the wording's check left for later: (issue, images, the check)."""
        from ..diagnostics import relative
        from ..pipeline import check_images

        issue, reader = load_draft(root, self.path, today)
        shown = relative(self.path, root)
        images = check_images(issue, root)

        def notes() -> list:
            from ..lint import lint_draft

            # As `bulletin check` says of a draft: the series' `lint:` settings and the
            # markers apply.
            return [d for d in lint_draft(reader, issue.articles[0], shown)[0]
                    if d.code.startswith("B")]

        return issue, images, notes

    def is_source(self, root: Path, path: Path) -> bool:
        if _same_file(path, self.path):
            return True
        rel = _relative(root, path)
        return rel is not None and (_is_shared(rel) or _is_issue_settings(rel))

    def extra_folders(self) -> list[Path]:
        return [self.path.parent]


def load_draft(root: Path, path: Path, today: dt.date | None = None
               ) -> tuple[Issue, SourceReader]:
    """`path` as the one article of the issue after the latest, dated today, and the
    reader that read it.

    Raises BulletinError with the problems of the draft and of bulletin.yaml.
    """
    # A draft may be anywhere on disk (a contributor's `~/投稿.md`): its own folder, where
    # its images are, is read as well as the project.
    reader = SourceReader(root, also=path.parent)
    bulletin = reader.read_bulletin()
    article = reader.read_article(path)
    if reader.diagnostics or bulletin is None or article is None:
        raise BulletinError(sorted(reader.diagnostics, key=Diagnostic.sort_key))
    from ..project import Project

    latest = Project(root).latest_issue()
    settings = _issue_settings(root, latest) if latest is not None else None
    distribution = list(bulletin.distribution)
    if settings is not None:
        distribution = list(settings.distribution or bulletin.distribution)
        distribution += settings.extra_distribution
    # The draft's folder stands for the issue folder: images beside the draft are found.
    return Issue(bulletin=bulletin, number=(latest or 0) + 1, date=today or dt.date.today(),
                 articles=[article], distribution=distribution, folder=path.parent), reader


def _issue_settings(root: Path, number: int) -> IssueSource | None:
    """The latest issue.yaml, or None: its problems are no concern of a contributor's."""
    path = root / ISSUES_DIR / str(number) / "issue.yaml"
    return SourceReader(root).read_yaml_file(path, IssueSource)[0]


def _relative(root: Path, path: Path) -> Path | None:
    try:
        return Path(path).relative_to(root)
    except ValueError:
        return None


def _is_shared(rel: Path) -> bool:
    return rel.as_posix() in SHARED_SOURCES or (len(rel.parts) > 1 and rel.parts[0] in SHARED_FOLDERS)


def _is_issue_settings(rel: Path) -> bool:
    return len(rel.parts) == 3 and rel.parts[0] == ISSUES_DIR and rel.parts[2] == "issue.yaml"


def _same_file(a: Path, b: Path) -> bool:
    a, b = Path(a), Path(b)
    return a == b or a.resolve() == b.resolve()


def parse_target(text: str) -> IssueTarget | DraftTarget:
    """An issue number, or the path of a draft submission (.md)."""
    if re.fullmatch(r"[0-9]+", text) and int(text) >= 1:
        return IssueTarget(int(text))
    path = Path(text)
    if path.suffix.lower() == ".md":
        if not path.is_file():
            raise ValueError(f"找不到稿件文件 {text}")
        return DraftTarget(path.resolve())
    raise ValueError(f"“{text}”既不是期号（如 23），也不是 .md 稿件文件（如 投稿.md）")
