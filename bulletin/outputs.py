"""What a loaded issue can be written as: one writer per output format.

Each writer takes a `project.LoadedIssue`, which holds everything read from the
sources, and never reads a source again. `bulletin build N --format F` looks the
writer up here; adding an output is one module with a writer and one entry below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .project import LoadedIssue


@dataclass(frozen=True)
class Writer:
    name: str  # what the user reads (Chinese)
    write: Callable[..., Path]  # (loaded, target or None, **options) → the main file written


def _print_pdf(loaded: LoadedIssue, target: Path | None = None, **options) -> Path:
    from .pipeline import write_pdf

    return write_pdf(loaded, target, **options)


def _web_edition(loaded: LoadedIssue, target: Path | None = None, **options) -> Path:
    """The web edition into the folder `target`; returns its index page."""
    from .web import write_web_edition

    return write_web_edition(loaded, target)[0]


WRITERS: dict[str, Writer] = {
    "pdf": Writer("印刷版 PDF", _print_pdf),
    "html": Writer("网页版", _web_edition),
}
