"""Rebuilds for the preview: sources → HTML → PDF → page images, with a warm Renderer.

Only the builder thread lays out and rasterizes (neither WeasyPrint nor pdfium is
thread-safe); the server threads read the published state under a lock.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import BulletinError, Diagnostic
from ..pipeline import lay_out
from ..sources import source_lines
from .pagekeys import page_keys

DPI = 120  # A4 at 120 dpi is 993 px wide: body text at 26 px, readable without zoom
PNG_COMPRESSION = 1  # on localhost, encoding time matters more than bytes


@dataclass(frozen=True)
class PageImage:
    key: str  # a digest of what the page draws (pagekeys): an unchanged page keeps its URL
    width: int
    height: int

    @property
    def src(self) -> str:
        return f"/page/{self.key}.png"


class PageImages:
    """PNG images of a PDF's pages, kept by content for the current and previous build.

    A page is rasterised only when what it draws is new (`pagekeys.page_keys`: its
    content stream and resources, fonts by name): an edit on page 3 rasterises page 3,
    and the pages after it only if they changed (moved text, a new page number). A PDF
    `page_keys` cannot read is rasterised whole, each page keyed by its pixels.
    `rasterised`: how many pages the last update rasterised.
    """

    def __init__(self, dpi: int = DPI):
        self.dpi = dpi
        # Keys are salted per process: the browser keeps page images for a year
        # ("immutable"), and another process's fonts may differ under the same names.
        self._token = os.urandom(8).hex().encode()
        self._current: dict[str, tuple[bytes, int, int]] = {}
        self._previous: dict[str, tuple[bytes, int, int]] = {}
        self.rasterised = 0

    def update(self, pdf: bytes, salt: bytes = b"") -> list[PageImage]:
        """The pages of `pdf`. `salt`: what names the fonts' files (a font configuration)."""
        import pypdfium2 as pdfium

        known = {**self._previous, **self._current}
        keys = page_keys(pdf, b"%s/%d/%s" % (self._token, self.dpi, salt))
        images: dict[str, tuple[bytes, int, int]] = {}
        pages: list[PageImage | None] = []
        missing = []
        for index, key in enumerate(keys or ()):
            if key in known:
                images[key] = known[key]
                pages.append(PageImage(key, *known[key][1:]))
            else:
                pages.append(None)
                missing.append(index)
        rasterised = 0
        if keys is None or missing:
            document = pdfium.PdfDocument(pdf)
            try:
                if keys is not None and len(keys) != len(document):
                    keys, pages, missing = None, [], []
                if keys is None:
                    pages = [None] * len(document)
                    missing = list(range(len(document)))
                for index in missing:
                    page = document[index]
                    # RGB as PIL keeps it: no conversion of the pixels (10 ms a page, not 24).
                    bitmap = page.render(scale=self.dpi / 72, rev_byteorder=True)
                    # SHA-256 is hardware-accelerated: three times faster than blake2b here.
                    key = keys[index] if keys is not None \
                        else hashlib.sha256(bitmap.buffer).hexdigest()[:20]
                    if key not in known:
                        known[key] = (_png(bitmap.to_pil()), bitmap.width, bitmap.height)
                    images[key] = known[key]
                    pages[index] = PageImage(key, bitmap.width, bitmap.height)
                    rasterised += 1
                    bitmap.close()
                    page.close()
            finally:
                document.close()
        self._previous, self._current = self._current, images
        self.rasterised = rasterised
        return pages

    def get(self, key: str) -> bytes | None:
        current, previous = self._current, self._previous
        found = current.get(key) or previous.get(key)
        return found[0] if found else None


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=PNG_COMPRESSION)
    return out.getvalue()


@dataclass
class BuildReport:
    """The outcome of one build attempt, as the page and the console show it."""

    number: int
    ok: bool
    seconds: float
    finished: float  # time.time()
    problems: list[dict] = field(default_factory=list)
    page_count: int = 0
    notes: list[dict] = field(default_factory=list)  # editorial findings: shown, not blocking


class Preview:
    """The preview's state: the last good pages, the last attempt's problems, and who waits."""

    def __init__(self, root: Path, target, renderer=None, images: PageImages | None = None,
                 on_report=None):
        self.root = root
        self.target = target
        self.renderer = renderer
        self.images = images or PageImages()
        self.on_report = on_report or (lambda report: None)
        self._changed = threading.Condition()
        self.version = 0  # bumped on every change of what the page shows
        self.closed = False
        self.building = False
        self.report: BuildReport | None = None
        self.pages: list[PageImage] = []
        self.pages_build = 0  # the build whose pages are shown
        self.rasterised = 0  # how many of them that build rasterised (the others were kept)
        self.pdf: bytes | None = None
        self._builds = 0
        self._fonts = 0  # bumped with every new Renderer: page keys name fonts by name

    # --- the builder thread --------------------------------------------------------

    def rebuild(self, fonts_changed: bool = False) -> BuildReport:
        from ..typeset.render import Renderer

        self._publish(building=True)
        self._builds += 1
        started = time.perf_counter()
        problems: list[dict] = []
        notes: list[dict] = []
        pages = pdf = editorial = None
        try:
            if self.renderer is None or fonts_changed:
                # WeasyPrint caches @font-face files: a changed font needs a new configuration.
                self.renderer = Renderer(self.root)
                self._fonts += 1
            issue, images, editorial = self.target.read(self.root)
            laid_out = lay_out(issue, self.root, self.renderer, draft=self.target.draft,
                               images=images)
            document = laid_out.document
            # What the preflight finds on the pages is listed beside them, with the wording.
            found = [self._problem(d) for d in laid_out.preflight(self.root)]
            # Stream compression would cost a tenth of a second on every save; the PDF stays local.
            pdf = document.write_pdf(uncompressed_pdf=True)
            pages = self.images.update(pdf, salt=b"fonts %d" % self._fonts)
            # The pages are shown first; the wording's check (B2xx, 70 ms) does not hold
            # them back, and its findings come with the report, the wording's first.
            self._publish(building=True, pages=pages, pdf=pdf, build=self._builds)
            notes = [self._problem(d) for d in editorial()] + found
            editorial = None
        except BulletinError as exc:
            problems = [self._problem(d) for d in exc.diagnostics]
        except Exception as exc:  # noqa: BLE001 - a broken template must not stop the preview
            problems = _render_problems(exc)
        if problems and editorial is not None:
            # The layout failed: the wording's findings are listed with its problems.
            try:
                notes = [self._problem(d) for d in editorial()]
            except Exception as exc:  # noqa: BLE001
                problems += _render_problems(exc)
        report = BuildReport(self._builds, not problems, time.perf_counter() - started,
                             time.time(), problems, len(pages or []), notes)
        self._publish(building=False, report=report, pages=pages, pdf=pdf)
        self.on_report(report)
        return report

    def _publish(self, building: bool, report: BuildReport | None = None,
                 pages: list[PageImage] | None = None, pdf: bytes | None = None,
                 build: int | None = None) -> None:
        """`build`: the build `pages` come from (default: the report's)."""
        with self._changed:
            self.building = building
            if report is not None:
                self.report = report
            if pages is not None:
                self.pages, self.pdf = pages, pdf
                self.pages_build = build if build is not None else report.number
                self.rasterised = self.images.rasterised
            self.version += 1
            self._changed.notify_all()

    def _problem(self, d: Diagnostic) -> dict:
        return {"location": d.location, "code": d.code, "message": d.message,
                "severity": d.severity.value, "source": _source_line(self.root, d)}

    # --- the server threads --------------------------------------------------------

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the state differs from version `seen` (or timeout); the version."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.closed, timeout)
            return self.version

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def snapshot(self) -> dict:
        with self._changed:
            report = self.report
            return {
                "version": self.version,
                "title": self.target.title,
                "draft": self.target.draft,
                "building": self.building,
                "build": report.number if report else 0,
                "ok": report.ok if report else None,
                "seconds": round(report.seconds, 2) if report else None,
                "finished": report.finished if report else None,
                "problems": report.problems if report else [],
                "notes": report.notes if report else [],
                "pages_build": self.pages_build,
                "rasterised": self.rasterised,
                "pages": [{"src": p.src, "width": p.width, "height": p.height}
                          for p in self.pages],
            }


def _source_line(root: Path, d: Diagnostic) -> str | None:
    lines = source_lines(root / d.path) if d.line else []
    return lines[d.line - 1] if 0 < d.line <= len(lines) else None


def _render_problems(exc: Exception) -> list[dict]:
    """An unexpected failure (the build's own, S121/S122, come as BulletinError)."""
    traceback.print_exc()
    return [_internal_problem(exc)]


def _internal_problem(exc: Exception) -> dict:
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = f"templates/{exc.name or exc.filename or ''}"
        return {"location": f"{path}:{exc.lineno}", "code": "", "severity": "error",
                "message": f"模板语法错误：{exc.message}", "source": exc.source
                and _nth_line(exc.source, exc.lineno)}
    return {"location": "", "code": "", "severity": "error", "source": None,
            "message": f"排版出错：{type(exc).__name__}: {exc}"}


def _nth_line(text: str, line: int) -> str | None:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


class Builder:
    """The one thread that builds: first at start, then once per settled burst of changes."""

    def __init__(self, preview: Preview):
        self.preview = preview
        self._wanted = threading.Event()
        self._stopping = False
        self._fonts_changed = False
        self._thread = threading.Thread(target=self._run, name="preview-build", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self, changed: set[Path]) -> None:
        """Ask for a rebuild; changes that arrive during a build are coalesced into one."""
        fonts = self.preview.root / "fonts"
        if any(path.is_relative_to(fonts) for path in changed):
            self._fonts_changed = True
        self._wanted.set()

    def stop(self, timeout: float = 10) -> None:
        self._stopping = True
        self._wanted.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        self.preview.rebuild()
        while True:
            self._wanted.wait()
            if self._stopping:
                return
            self._wanted.clear()
            fonts_changed, self._fonts_changed = self._fonts_changed, False
            self.preview.rebuild(fonts_changed=fonts_changed)
