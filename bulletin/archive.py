"""`bulletin build --all`: every issue of the archive, in parallel, skipping what is current.

An issue is current when its PDF exists and the manifest beside it records the same
inputs digest: the files the issue uses (its issue.yaml, the articles it lists, their
images), bulletin.yaml, templates/, fonts/ and the tool itself (its source and its
pinned WeasyPrint). Each issue builds in a worker process that keeps one warm
Renderer; a failed issue is reported and the others go on. The workers die with the
command (see "the worker" below).

Deciding what is current reads bytes and YAML only: this module, `project` and `sources`
import no pydantic, Jinja, markdown-it (unless an article shows an image) or WeasyPrint,
and the workers' machinery comes only when there is something to build
(`tests/test_cold_start.py` holds which modules a no-change `build --all` leaves out).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import stat
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__
from .diagnostics import BulletinError, Diagnostic, Severity, relative
from .project import Project
from .sources import (FRONT_MATTER, ISSUES_DIR, SERIES_FILE, SourceReader, file_sha256,
                      name_problem)

BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


@dataclass
class Outcome:
    number: int
    status: str
    target: Path | None = None
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None


# Files of the tool, templates/ and fonts/ are read in chunks, each up to this size; a
# larger one (no font is) counts by its name, size and mode alone.
MAX_SHARED_FILE_BYTES = 64 * 1024 * 1024
MAX_TREE_FILES = 10_000  # entries of one folder's tree looked at, at most
MAX_MANIFEST_BYTES = 1024 * 1024


def _tree_digest(digest, folder: Path, base: Path, limit: int = MAX_SHARED_FILE_BYTES) -> None:
    """Every file below `folder` (links to folders are not followed), by name and content.
    What a build would refuse (a pipe, a device, a link out of the project, a file over
    `limit`) counts by its name and kind alone: never read, never waited on."""
    if not folder.is_dir():
        return
    inside = base.resolve()
    seen = 0
    for top, folders, files in os.walk(folder, followlinks=False):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files) + [name for name in folders
                                     if os.path.islink(os.path.join(top, name))]:
            seen += 1
            if seen > MAX_TREE_FILES:
                digest.update(b"too many files")
                return
            path = Path(top, name)
            shown = path.relative_to(base).as_posix().encode() + b"\0"
            try:
                status = path.stat()
                regular = stat.S_ISREG(status.st_mode) and path.resolve().is_relative_to(inside)
            except (OSError, RuntimeError, ValueError):
                digest.update(shown + b"unreadable")
                continue
            found = file_sha256(path, limit) if regular else None
            if found is None:
                digest.update(shown + f"refused {status.st_mode} {status.st_size}".encode())
            else:
                digest.update(shown + found)


_shared_digest_cache: dict[Path, bytes] = {}


def shared_digest(root: Path) -> bytes:
    """What every issue depends on: settings, templates, fonts and the tool."""
    if root not in _shared_digest_cache:
        digest = hashlib.sha256()
        digest.update(f"bulletin {__version__} weasyprint {metadata.version('weasyprint')}"
                      .encode())
        _tree_digest(digest, Path(__file__).parent, Path(__file__).parent)
        series = SourceReader(root).read_bytes(root / SERIES_FILE)  # bounded, as a build reads it
        digest.update(hashlib.sha256(series).digest() if series is not None else b"no settings")
        _tree_digest(digest, root / "templates", root)
        _tree_digest(digest, root / "fonts", root)
        _shared_digest_cache[root] = digest.digest()
    return _shared_digest_cache[root]


def _issue_digest(digest, root: Path, number: int) -> None:
    """The files issue `number` uses, each by name and content: its issue.yaml, the
    articles that lists, the images they show. Read as the build reads them, through the
    bounded reader (size limits per file and per issue, links out of the project
    refused); images as images.py finds them (inside the issue's folder, at most its
    size limit). Nothing else in the folder is looked at: a huge file, a pipe or a link
    beside an article costs nothing."""
    from .images import MAX_BYTES as MAX_IMAGE_BYTES
    from .images import resolve

    reader = SourceReader(root)
    folder = root / ISSUES_DIR / str(number)

    def record(path: Path, found: bytes | None) -> None:
        digest.update(reader.rel(path).encode() + b"\0")
        digest.update(found if found is not None else b"refused")

    def source(path: Path) -> str | None:
        before = len(reader.diagnostics)
        raw = reader.read_bytes(path)
        record(path, hashlib.sha256(raw).digest() if raw is not None else None)
        digest.update(" ".join(d.code for d in reader.diagnostics[before:]).encode())
        return reader.decode(raw, path) if raw is not None else None

    text = source(folder / "issue.yaml")
    data = reader.load_yaml(text, folder / "issue.yaml")[0] if text is not None else None
    listed = data.get("articles") if isinstance(data, dict) else None
    names = [name for name in listed if isinstance(name, str)] if isinstance(listed, list) else []
    images: set[Path] = set()
    for name in dict.fromkeys(names):
        if name_problem(name) or "/" in name or "\\" in name or not name.endswith(".md"):
            digest.update(b"bad name " + name.encode("utf-8", "replace")[:300])
            continue
        path = folder / "articles" / name
        text = source(path)
        match = FRONT_MATTER.match(text) if text is not None else None
        if match is None or "![" not in text:
            continue
        from .markup import image_references  # markdown-it: only for an article with images

        for ref in image_references(text[match.end():]):
            image, _ = resolve(ref.src, path.parent, folder)
            if image is None:
                digest.update(b"image refused " + ref.src.encode("utf-8", "replace")[:300])
            elif image not in images:
                images.add(image)
                record(image, file_sha256(image, MAX_IMAGE_BYTES))


def inputs_digest(root: Path, number: int) -> str:
    root = Path(root).resolve()
    digest = hashlib.sha256(shared_digest(root))
    _issue_digest(digest, root, number)
    return digest.hexdigest()


# model.Bulletin's slug: its pattern and its default.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
DEFAULT_SLUG = "bulletin"


def output_slug(project: Project) -> str:
    """bulletin.yaml's slug as the PDFs' names use it, read (bounded) without validating.

    Where bulletin.yaml is valid it is the slug a build uses (`Project.slug`); where it
    is not, the guess may be wrong, and a wrong guess only means looking for a PDF that
    is not there: the issue is built, and the build says what is wrong. (A PDF is current
    only when its manifest records these very inputs, bulletin.yaml's bytes included, and
    only `build --all` records them, at the path it computed from the valid settings.)
    """
    reader = project.reader()
    path = project.series_file
    text = reader.read_text(path)
    data = reader.load_yaml(text, path)[0] if text is not None else None
    slug = data.get("slug", DEFAULT_SLUG) if isinstance(data, dict) else DEFAULT_SLUG
    return slug if isinstance(slug, str) and SLUG.fullmatch(slug) else DEFAULT_SLUG


def expected_output(project: Project, number: int, slug: str | None = None) -> Path | None:
    """Where issue `number`'s PDF goes, from bulletin.yaml's slug and issue.yaml's date.

    Read without validating the articles: only to find a PDF that may be current; any
    doubt means building, which reports what is wrong. `slug`: `output_slug(project)`,
    read once for the archive.
    """
    reader = project.reader()  # bounded: a hostile issue.yaml is refused, not read
    path = project.issue_folder(number) / "issue.yaml"
    text = reader.read_text(path)
    issue = reader.load_yaml(text, path)[0] if text is not None else None
    try:
        year = int(str(issue["date"])[:4])
        if int(issue["number"]) != number:
            return None
    except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: `number: .inf`
        return None
    return project.build / f"{slug or output_slug(project)}-{year}-{number}.pdf"


def _manifest(target: Path) -> dict | None:
    """`pipeline.read_manifest(target)` for a PDF in build/ (its manifest beside it), without
    importing the pipeline (Jinja, markdown-it, pydantic): a test holds the two equal."""
    from .outputs import read_json

    manifest = read_json(Path(os.path.abspath(target)).with_suffix(".json"))
    return manifest if manifest is not None and MANIFEST_KEYS <= manifest.keys() else None


MANIFEST_KEYS = frozenset({"number", "pages", "articles", "inputs"})  # as pipeline's


def is_current(target: Path | None, digest: str) -> Path | None:
    """`target`, an issue's PDF, if it exists and was built from exactly these inputs."""
    if target is None:
        return None
    try:  # a manifest is a few KB: anything else in its place is not read
        status = Path(os.path.abspath(target)).with_suffix(".json").stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_MANIFEST_BYTES:
            return None
    except (OSError, ValueError):
        return None
    manifest = _manifest(target)
    if target.is_file() and manifest and manifest.get("inputs") == digest:
        return target
    return None


# --- the worker ---------------------------------------------------------------------
#
# A worker dies with its parent. Its parent stops it (SIGTERM) when the parent is
# signalled (SIGTERM, SIGHUP, SIGINT: `_stopping_on_signals`); when the parent dies
# without a word (SIGKILL, a crash), Linux sends the worker SIGTERM itself
# (PR_SET_PDEATHSIG), and elsewhere a thread of the worker notices its new parent. On
# SIGTERM or SIGHUP a worker at work unwinds (WorkerStopped), so that the PDF being written
# is not left half-written: `outputs.write_files` removes its temporary files on the way out;
# an idle worker exits at once. Ctrl-C goes to the whole process group: workers ignore
# it, and the parent stops them.

_renderer = None
_at_work = False
PR_SET_PDEATHSIG = 1
WORKER_STOP_SECONDS = 5  # a worker not gone this long after SIGTERM is killed


class WorkerStopped(BaseException):
    """SIGTERM or SIGHUP in a worker at work: unwinds it, then it exits. A BaseException,
    so that no `except Exception` of the build takes it for the issue's failure."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop_worker(signum, frame):
    if _at_work:
        raise WorkerStopped(signum)
    os._exit(128 + signum)


def _die_with_parent(parent: int) -> None:
    """SIGTERM to this process when its parent dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl
                    os._exit(128 + signal.SIGTERM)
                return
        except (OSError, AttributeError):
            pass

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _init_worker(parent: int) -> None:
    """A worker's start: signals as above, its death tied to its parent's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    signal.signal(signal.SIGHUP, _stop_worker)
    _die_with_parent(parent)


def _work(root: Path, number: int, digest: str) -> Outcome:
    """`build_one` in a worker: stopped by a signal, it unwinds, then exits."""
    global _at_work
    _at_work = True
    try:
        return build_one(root, number, digest)
    except WorkerStopped as stopped:
        os._exit(128 + stopped.signum)
    finally:
        _at_work = False


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
    except OSError as exc:
        from .outputs import ENVIRONMENT_ERRNOS, UNWRITABLE, reason

        if exc.errno not in ENVIRONMENT_ERRNOS:
            return Outcome(number, FAILED, error=f"{type(exc).__name__}: {exc}",
                           seconds=time.perf_counter() - started)
        # The machine's refusal (disk full, read-only, no permission): S131, as a diagnostic.
        where = relative(os.fsdecode(exc.filename), root) if exc.filename is not None \
            else "（未知路径）"
        return Outcome(number, FAILED, diagnostics=[Diagnostic(
            UNWRITABLE, f"无法写出：{reason(exc)}", where)],
            seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one broken issue must not stop the others
        return Outcome(number, FAILED, error=f"{type(exc).__name__}: {exc}",
                       seconds=time.perf_counter() - started)


# --- the archive --------------------------------------------------------------------

WORKER_DIED = "排版进程意外退出"  # a worker killed from outside (cli prints it as is)

STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class Stopped(BaseException):
    """A stopping signal reached the parent: its workers are stopped, then it ends."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stopping_on_signals():
    """SIGTERM, SIGHUP and SIGINT raise Stopped in the parent (the main thread only: no
    other may handle signals), so that it stops its workers before it ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    stopping = []

    def stop(signum, frame):
        if not stopping:  # a second signal while the workers are being stopped: no matter
            stopping.append(signum)
            raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOPPING_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _end_of(stopped: Stopped):
    """End as a command ends on that signal: Ctrl-C as KeyboardInterrupt (the command says
    已中断), SIGTERM and SIGHUP with exit code 128 + the signal's number, as a shell
    reports a process the signal ended; SystemExit, so that everything above unwinds
    (a progress bar gives the terminal its cursor back) on the way out."""
    if stopped.signum == signal.SIGINT:
        raise KeyboardInterrupt from None
    raise SystemExit(128 + stopped.signum) from None


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM to every worker, time to unwind, then SIGKILL to any still there."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    deadline = time.monotonic() + WORKER_STOP_SECONDS
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)


def _in_workers(root: Path, pending: list[tuple[int, str]], jobs: int, report_one) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                               initargs=(os.getpid(),))
    try:
        futures = {pool.submit(_work, root, number, digest): number
                   for number, digest in pending}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                outcome = Outcome(futures[future], FAILED,
                                  error=WORKER_DIED + "（可能是内存不足，或被其他程序终止）")
            report_one(outcome)
        pool.shutdown(wait=True)
    except BaseException:
        _stop_workers(pool)
        raise


def build_all(root: Path, jobs: int | None = None, force: bool = False, report=None
              ) -> list[Outcome]:
    """Build every issue that is not current; `report(outcome, done, total)` after each.

    SIGTERM, SIGHUP or SIGINT stops the workers first (none outlives the command, and
    none leaves a temporary file), then ends the command (`_end_of`)."""
    root = root.resolve()
    project = Project(root)  # one for the run: bulletin.yaml's slug read once
    numbers = project.issue_numbers()
    outcomes: list[Outcome] = []

    def report_one(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if report:
            report(outcome, len(outcomes), total)

    try:
        with _stopping_on_signals():
            pending: list[tuple[int, str]] = []
            skipped: list[Outcome] = []
            slug = output_slug(project)
            for number in numbers:
                digest = inputs_digest(root, number)
                current = None if force else is_current(
                    expected_output(project, number, slug), digest)
                if current is not None:
                    skipped.append(Outcome(number, SKIPPED, current))
                else:
                    pending.append((number, digest))
            total = len(numbers)
            for outcome in skipped:
                report_one(outcome)
            jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))
            if jobs == 1:
                for number, digest in pending:
                    report_one(build_one(root, number, digest))
            elif pending:
                _in_workers(root, pending, jobs, report_one)
    except Stopped as stopped:
        _end_of(stopped)
    return sorted(outcomes, key=lambda outcome: outcome.number)
