"""What `bulletin check` checks: issues by number, or files and folders anywhere on disk.

An article inside an issue is checked as part of its issue (the issue's rules, such as
names spelled two ways across its articles, see it with the others) and only its own
findings are shown. Any other `.md` — a contributor's draft in `~/投稿/`, a file no
issue lists — is checked on its own, with the series settings of the project (found from
`--root` or the working directory); its own folder is where its images may be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .sources import ISSUES_DIR, SERIES_FILE

MAX_FOLDER_FILES = 10_000  # .md files taken from one folder named on the command line
SKIPPED_FOLDERS = frozenset((".git", ".venv", "build", "node_modules", "__pycache__"))


class TargetError(ValueError):
    """A command-line target that names nothing to check (a usage error, exit 2)."""


@dataclass
class Targets:
    """What one `check` looks at."""

    issues: dict[int, set[Path] | None] = field(default_factory=dict)  # None: every file
    files: list[Path] = field(default_factory=list)  # articles checked on their own
    series: bool = False  # bulletin.yaml itself


@dataclass
class Checked:
    diagnostics: list[Diagnostic]
    texts: dict[str, str]  # every text read, by the path diagnostics show
    loads: list  # LoadedIssue of each issue checked (for --layout)
    suppressed: list[Diagnostic] = field(default_factory=list)  # silenced by the settings
    files: int = 0  # articles checked


def issue_number(arg: str) -> int | None:
    return int(arg) if arg.isascii() and arg.isdigit() and int(arg) >= 1 else None


def resolve_targets(root: Path, args: list[str]) -> Targets:
    """The issues and files `args` name: issue numbers, `.md` files, issue.yaml,
    bulletin.yaml, or folders (an issue's, `issues/`, the project, or any folder of
    drafts). Raises TargetError for what names nothing to check."""
    targets = Targets()
    top = root.resolve()
    for arg in args:
        number = issue_number(arg)
        if number is not None:
            targets.issues[number] = None
            continue
        path = Path(arg)
        if not path.exists():
            raise TargetError(f"找不到文件或文件夹：{arg}")
        _add(targets, top, path.absolute(), arg)
    return targets


def _add(targets: Targets, top: Path, path: Path, arg: str) -> None:
    resolved = path.resolve()
    inside = resolved.relative_to(top).parts if resolved.is_relative_to(top) else None
    if path.is_dir():
        if inside in ((), (ISSUES_DIR,)):
            for number in _issue_numbers(top):
                targets.issues[number] = None
            return
        number = _issue_of(top, inside)
        if number is not None and len(inside) <= 3:  # issues/N or issues/N/articles
            targets.issues[number] = None
            return
        found = _markdown_files(path)
        if not found:
            raise TargetError(f"文件夹 {arg} 中没有 .md 稿件")
        for each in found:
            _add_file(targets, top, each)
        return
    if inside == (SERIES_FILE,):
        targets.series = True
        return
    number = _issue_of(top, inside)
    if number is not None and inside[2:] == ("issue.yaml",):
        targets.issues[number] = None
        return
    if path.suffix.lower() != ".md":
        raise TargetError(f"只能检查 .md 稿件、issue.yaml 或 bulletin.yaml：{arg}")
    _add_file(targets, top, path)


def _add_file(targets: Targets, top: Path, path: Path) -> None:
    resolved = path.resolve()
    inside = resolved.relative_to(top).parts if resolved.is_relative_to(top) else None
    number = _issue_of(top, inside)
    if number is not None and len(inside) == 4 and inside[2] == "articles":
        files = targets.issues.setdefault(number, set())
        if files is not None:
            files.add(top.joinpath(*inside))
        return
    targets.files.append(path)


def _issue_of(top: Path, inside: tuple[str, ...] | None) -> int | None:
    """The issue whose folder `inside` (parts below the root) is in, if it is one."""
    if inside is None or len(inside) < 2 or inside[0] != ISSUES_DIR:
        return None
    number = issue_number(inside[1])
    if number is None or str(number) != inside[1] or not (top / ISSUES_DIR / inside[1]
                                                           / "issue.yaml").is_file():
        return None
    return number


def _issue_numbers(top: Path) -> list[int]:
    from .project import Project

    return Project(top).issue_numbers()


def _markdown_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for here, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders
                            if not name.startswith(".") and name not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith((".", "~$")):
                found.append(Path(here) / name)
                if len(found) >= MAX_FOLDER_FILES:
                    raise TargetError(f"文件夹 {folder} 中的 .md 文件超过 {MAX_FOLDER_FILES} 个，"
                                      "请指定更小的范围")
    return found


def run_checks(root: Path, targets: Targets, all_folders: bool = False) -> Checked:
    """Every finding for `targets`, each once, sorted; `all_folders`: also the folders
    under issues/ that are no issue (S116, as `--all` reports them)."""
    from .lint import check_loaded, lint_draft
    from .project import Project

    project = Project(root)
    found: dict = {}
    texts: dict[str, str] = {}
    loads, suppressed = [], []
    checked: set[str] = set()  # the articles looked at, as shown
    alone = list(targets.files)  # the articles checked on their own

    def keep(diagnostics, wanted: set[str] | None = None):
        for d in diagnostics:
            if wanted is None or d.path in wanted:
                found.setdefault((d.path, d.line, d.col, d.code, d.message), d)

    for number, files in sorted(targets.issues.items()):
        loaded = project.load(number)
        loads.append(loaded)
        diagnostics = check_loaded(loaded)
        texts.update(loaded.reader.texts)
        if files is None:
            keep(diagnostics)
            suppressed += loaded.suppressed
            checked.update(loaded.reader.rel(article.path) for article in loaded.reader.articles)
            continue
        shown = {loaded.reader.rel(path): path for path in files}
        checked.update(name for name in shown if name in loaded.reader.texts)
        keep(diagnostics, set(shown))
        suppressed += [d for d in loaded.suppressed if d.path in shown]
        # An .md the issue does not list is still checked, on its own.
        alone += [path for name, path in shown.items() if name not in loaded.reader.texts]
    for path in dict.fromkeys(alone):
        # The draft's folder, not where a link named as the draft leads.
        folder = path.absolute().parent.resolve()
        reader = project.reader()
        reader.jails.append(folder)
        reader.read_bulletin()
        article = reader.read_article(path)
        shown = reader.rel(path)
        checked.add(shown)
        keep([d for d in reader.diagnostics if d.path == shown])
        texts.update(reader.texts)
        if article is None:
            continue
        diagnostics, dropped = lint_draft(reader, article, shown)
        suppressed += dropped
        keep(d for d in diagnostics if d.path == shown)
        if "![" in article.body:
            from .images import check_article_images

            keep(check_article_images(article.body, article.body_line, path.parent, folder,
                                      shown)[1])
    if targets.series:
        reader = project.reader()
        reader.read_bulletin()
        keep(reader.diagnostics)
        texts.update(reader.texts)
    if all_folders:
        keep(project.folder_problems())
    return Checked(sorted(found.values(), key=Diagnostic.sort_key), texts, loads,
                   list(dict.fromkeys(suppressed)), len(checked))
