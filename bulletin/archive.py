"""`bulletin build --all`: every issue of the archive, in parallel, skipping what is current.

An issue is current when its PDF exists and the manifest beside it records the same
inputs digest: the issue's folder, bulletin.yaml, templates/, fonts/ and the tool
itself (its source and its pinned WeasyPrint). Each issue builds in a worker process
that keeps one warm Renderer; a failed issue is reported and the others go on.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__
from .diagnostics import BulletinError, Diagnostic, Severity
from .project import Project
from .sources import ISSUES_DIR, MAX_ISSUE_BYTES, SERIES_FILE

BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


@dataclass
class Outcome:
    number: int
    status: str
    target: Path | None = None
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None


def _tree_digest(digest, folder: Path, base: Path, limit: int | None = None) -> None:
    """Every regular file below `folder`, by name and content. What a build would refuse
    (a pipe, a device, a link out of the project, a file over the size limit) counts by
    its name and kind alone: never read, never waited on."""
    if not folder.exists():
        return
    inside = base.resolve()
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        name = path.relative_to(base).as_posix().encode() + b"\0"
        try:
            status = path.stat()
            regular = stat.S_ISREG(status.st_mode) and path.resolve().is_relative_to(inside)
        except (OSError, RuntimeError):
            digest.update(name + b"unreadable")
            continue
        if stat.S_ISDIR(status.st_mode):
            continue
        if not regular or (limit is not None and status.st_size > limit):
            digest.update(name + f"refused {status.st_mode} {status.st_size}".encode())
            continue
        digest.update(name)
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")


_shared_digest_cache: dict[Path, bytes] = {}


def shared_digest(root: Path) -> bytes:
    """What every issue depends on: settings, templates, fonts and the tool."""
    if root not in _shared_digest_cache:
        digest = hashlib.sha256()
        digest.update(f"bulletin {__version__} weasyprint {metadata.version('weasyprint')}"
                      .encode())
        _tree_digest(digest, Path(__file__).parent, Path(__file__).parent)
        series = root / SERIES_FILE
        digest.update(series.read_bytes() if series.is_file() else b"")
        _tree_digest(digest, root / "templates", root)
        _tree_digest(digest, root / "fonts", root)
        _shared_digest_cache[root] = digest.digest()
    return _shared_digest_cache[root]


def inputs_digest(root: Path, number: int) -> str:
    digest = hashlib.sha256(shared_digest(root))
    _tree_digest(digest, root / ISSUES_DIR / str(number), root, limit=MAX_ISSUE_BYTES)
    return digest.hexdigest()


def expected_output(project: Project, number: int) -> Path | None:
    """Where issue `number`'s PDF goes, from bulletin.yaml's slug and issue.yaml's date.

    Read without validating the articles: only to find a PDF that may be current; any
    doubt means building, which reports what is wrong.
    """
    reader = project.reader()  # bounded: a hostile issue.yaml is refused, not read
    path = project.issue_folder(number) / "issue.yaml"
    text = reader.read_text(path)
    issue = reader.load_yaml(text, path)[0] if text is not None else None
    try:
        year = int(str(issue["date"])[:4])
        if int(issue["number"]) != number:
            return None
    except (KeyError, TypeError, ValueError):
        return None
    return project.pdf_name(year, number)


def is_current(target: Path | None, digest: str) -> Path | None:
    """`target`, an issue's PDF, if it exists and was built from exactly these inputs."""
    from .pipeline import read_manifest

    if target is None:
        return None
    manifest = read_manifest(target)
    if target.is_file() and manifest and manifest.get("inputs") == digest:
        return target
    return None


# --- the worker ---------------------------------------------------------------------

_renderer = None


def build_one(root: Path, number: int, digest: str) -> Outcome:
    """Check, then build, one issue (in a worker process)."""
    global _renderer
    from .lint import check_loaded
    from .pipeline import write_pdf
    from .typeset.render import Renderer

    started = time.perf_counter()
    try:
        loaded = Project(root).load(number)  # read once: the check and the build use it
        diagnostics = check_loaded(loaded)
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        if errors:
            return Outcome(number, FAILED, diagnostics=errors,
                           seconds=time.perf_counter() - started)
        if _renderer is None:
            _renderer = Renderer(root)
        found: list[Diagnostic] = []
        target = write_pdf(loaded, renderer=_renderer, inputs=digest, on_preflight=found.extend)
        return Outcome(number, BUILT, target, time.perf_counter() - started, diagnostics=found)
    except BulletinError as exc:
        return Outcome(number, FAILED, diagnostics=exc.diagnostics,
                       seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one broken issue must not stop the others
        return Outcome(number, FAILED, error=f"{type(exc).__name__}: {exc}",
                       seconds=time.perf_counter() - started)


# --- the archive --------------------------------------------------------------------


def build_all(root: Path, jobs: int | None = None, force: bool = False, report=None
              ) -> list[Outcome]:
    """Build every issue that is not current; `report(outcome, done, total)` after each."""
    root = root.resolve()
    project = Project(root)  # one for the run: bulletin.yaml's slug read once
    numbers = project.issue_numbers()
    outcomes: list[Outcome] = []
    pending: list[tuple[int, str]] = []
    for number in numbers:
        digest = inputs_digest(root, number)
        current = None if force else is_current(expected_output(project, number), digest)
        if current is not None:
            outcomes.append(Outcome(number, SKIPPED, current))
        else:
            pending.append((number, digest))
    total = len(numbers)
    for outcome in outcomes:
        if report:
            report(outcome, len(outcomes), total)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))
    if jobs == 1:
        for number, digest in pending:
            outcomes.append(build_one(root, number, digest))
            if report:
                report(outcomes[-1], len(outcomes), total)
    elif pending:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(build_one, root, number, digest)
                       for number, digest in pending]
            for future in as_completed(futures):
                outcomes.append(future.result())
                if report:
                    report(outcomes[-1], len(outcomes), total)
    return sorted(outcomes, key=lambda outcome: outcome.number)
