"""Shared fixtures and helpers.

- `issue23_pdf` / `issue23`: the real issue 23, built once per test session (with the
  session's `renderer`), read back as PDF.
- `copy_project` / `project`: the one way to copy the project for a test to break.
- `bulletin` runs the command in this process (click's CliRunner on `bulletin.cli.main`),
  for tests about what a command prints, writes and exits with; `run_bulletin` runs it
  in a fresh process, for tests where the process itself matters (the real entry
  point's exit codes, signals, concurrency, a clean environment, what a cold start imports).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
# The text layer of the printed issue 23, kept in the repository (tests/reference/README.md).
REFERENCE = TESTS / "reference" / "daibiao-gongzuo-2025-23.txt"

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
COLUMN_LEFT, COLUMN_RIGHT = 28 * MM, 184 * MM
COLUMN_TOP, COLUMN_BOTTOM = 37 * MM, (297 - 35) * MM


# --- copies of the project ----------------------------------------------------------------


def copy_project(target: Path, *, issues: bool | Iterable[int] = True, templates: bool = True,
                 fonts: str = "link", lint_cache: bool = True, source: Path = ROOT) -> Path:
    """A project at `target` made from `source` (this repository), for a test to break.

    Always `bulletin.yaml`. `issues`: True copies every issue folder (symlinks kept as
    links), False leaves `issues/` empty, a list of numbers copies those issues.
    `templates`: copied (True: a test may edit them) or left out. `fonts`: "link" (a
    symlink to the repository's fonts/, the default: 40 MB not copied), "copy", or None.
    `lint_cache`: copy `build/.lint`, the font coverage cache (keyed by the size and mtime
    of the fonts and of fonts.css, which the copies keep), so that the first check of a
    copy does not read the fonts' character maps again (a third of a second each); False
    for a copy whose first check must survey the fonts itself.
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "bulletin.yaml", target / "bulletin.yaml")
    if issues is True:
        shutil.copytree(source / "issues", target / "issues", symlinks=True)
    else:
        (target / "issues").mkdir(exist_ok=True)
        for number in issues or ():
            shutil.copytree(source / "issues" / str(number), target / "issues" / str(number),
                            symlinks=True)
    if templates:
        shutil.copytree(source / "templates", target / "templates")  # keeps mtimes
    if fonts == "link":
        (target / "fonts").symlink_to(source / "fonts", target_is_directory=True)
    elif fonts == "copy":
        shutil.copytree(source / "fonts", target / "fonts")
    elif fonts is not None:
        raise ValueError(f"fonts: 'link', 'copy' or None, not {fonts!r}")
    if lint_cache and templates and fonts:
        cache = _lint_cache(source)
        if cache is not None:
            shutil.copytree(cache, target / "build" / ".lint", dirs_exist_ok=True)
    return target


def _lint_cache(source: Path) -> Path | None:
    """`source`'s font coverage cache, surveyed first if it is missing (a fresh checkout)."""
    cache = source / "build" / ".lint"
    if not cache.is_dir():
        from bulletin.lint.coverage import project_fonts

        project_fonts(source)  # as `bulletin check` in the checkout writes it
    return cache if cache.is_dir() else None


@pytest.fixture()
def project(tmp_path) -> Path:
    """A throwaway copy of the project's sources (its fonts linked) to break at will."""
    return copy_project(tmp_path / "project")


# --- running the command --------------------------------------------------------------------


def run_bulletin(*args, cwd: Path, env: dict | None = None,
                 timeout: int = 600) -> subprocess.CompletedProcess:
    """`bulletin ARGS` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "bulletin", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)


@dataclass
class Ran:
    """What `bulletin ARGS` did, as `subprocess.CompletedProcess` says it."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def bulletin(*args, cwd: Path, env: dict | None = None) -> Ran:
    """`bulletin ARGS` run from `cwd` in this process: `bulletin.cli.main` under click's
    CliRunner, stdout and stderr captured apart (at the file descriptors too), the exit
    code as `bulletin.cli.run` turns it into the process's.

    What the command's own last line of defence lets through (any exception but
    SystemExit) is printed as Python would print it, so that a "no traceback" assertion
    sees it; `env` sets variables for the run (None unsets one).
    """
    from click.testing import CliRunner

    from bulletin.cli import EXIT_OK, EXIT_PROBLEMS, main

    args = [str(arg) for arg in args]
    runner = CliRunner(env=env, capture="fd")
    with contextlib.chdir(cwd):
        result = runner.invoke(main, args, prog_name="bulletin", catch_exceptions=True)
    stdout, stderr = result.stdout, result.stderr
    failure = result.exception
    if isinstance(failure, SystemExit):
        code = failure.code
        if code is None:
            code = EXIT_OK
        elif not isinstance(code, int):
            # CliRunner writes such a message to stdout; `run` says it on stderr.
            stdout = stdout.removesuffix(f"{code}\n")
            stderr += f"{code}\n"
            code = EXIT_PROBLEMS
    elif failure is not None:
        stderr += "".join(traceback.format_exception(*result.exc_info))
        code = 1  # the interpreter's code for an uncaught exception
    else:
        code = EXIT_OK
    return Ran(args, code, stdout, stderr)


# --- issue 23 ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


_renderers: dict[Path, object] = {}


def renderer_for(project: Path):
    """A warm WeasyPrint (`bulletin.typeset.render.Renderer`) for the project at `project`,
    one per project for the session, as `build --all`'s workers and the preview keep one."""
    from bulletin.typeset.render import Renderer

    key = Path(project).resolve()
    if key not in _renderers:
        _renderers[key] = Renderer(key)
    return _renderers[key]


@pytest.fixture(scope="session")
def renderer():
    """The warm WeasyPrint of the repository's own project (its templates and fonts)."""
    return renderer_for(ROOT)


@pytest.fixture(scope="session")
def issue23_pdf(tmp_path_factory, renderer) -> Path:
    from bulletin.pipeline import build_issue

    target = tmp_path_factory.mktemp("build") / "issue-23.pdf"
    return build_issue(ROOT, 23, target, renderer=renderer)


@pytest.fixture(scope="session")
def issue23(issue23_pdf):
    with pdfplumber.open(issue23_pdf) as pdf:
        yield pdf
