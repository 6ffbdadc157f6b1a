"""`bulletin build --all`: every issue of the archive, in parallel, skipping what is current.

An issue is current when its PDF exists and the manifest beside it records the same
inputs digest: the issue's folder, bulletin.yaml, templates/, fonts/ and the tool
itself (its source and its pinned WeasyPrint). Each issue builds in a worker process
that keeps one warm Renderer; a failed issue is reported and the others go on.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__
from .diagnostics import BulletinError, Diagnostic, Severity
from .sources import ISSUES_DIR, SERIES_FILE

BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


@dataclass
class Outcome:
    number: int
    status: str
    target: Path | None = None
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None


def issue_numbers(root: Path) -> list[int]:
    folder = root / ISSUES_DIR
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def _tree_digest(digest, folder: Path, base: Path) -> None:
    if not folder.exists():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(base).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


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
    _tree_digest(digest, root / ISSUES_DIR / str(number), root)
    return digest.hexdigest()


def expected_output(root: Path, number: int) -> Path | None:
    """Where issue `number`'s PDF goes, from bulletin.yaml's slug and issue.yaml's date.

    Read without validating the articles: only to find a PDF that may be current; any
    doubt means building, which reports what is wrong.
    """
    import yaml

    from .pipeline import BUILD_DIR
    from .sources import SafeLoader

    try:
        series = yaml.load((root / SERIES_FILE).read_text(encoding="utf-8-sig"), SafeLoader)
        issue = yaml.load((root / ISSUES_DIR / str(number) / "issue.yaml")
                          .read_text(encoding="utf-8-sig"), SafeLoader)
        year = int(str(issue["date"])[:4])
        slug = series.get("slug", "bulletin")
        if int(issue["number"]) != number:
            return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, ValueError,
            AttributeError):
        return None
    return root / BUILD_DIR / f"{slug}-{year}-{number}.pdf"


def is_current(root: Path, number: int, digest: str) -> Path | None:
    """The issue's PDF, if it exists and was built from exactly these inputs."""
    from .pipeline import read_manifest

    target = expected_output(root, number)
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
    from .lint import check_issue
    from .pipeline import build_issue
    from .typeset.render import Renderer

    started = time.perf_counter()
    try:
        diagnostics = check_issue(root, number)
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        if errors:
            return Outcome(number, FAILED, diagnostics=errors,
                           seconds=time.perf_counter() - started)
        if _renderer is None:
            _renderer = Renderer(root)
        found: list[Diagnostic] = []
        target = build_issue(root, number, renderer=_renderer, inputs=digest,
                             on_preflight=found.extend)
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
    numbers = issue_numbers(root)
    outcomes: list[Outcome] = []
    pending: list[tuple[int, str]] = []
    for number in numbers:
        digest = inputs_digest(root, number)
        current = None if force else is_current(root, number, digest)
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
