"""Shared fixtures: the real issue 23, built once per test session, read back as PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "daibiao-gongzuo-2025-23.txt"

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
COLUMN_LEFT, COLUMN_RIGHT = 28 * MM, 184 * MM
COLUMN_TOP, COLUMN_BOTTOM = 37 * MM, (297 - 35) * MM


def run_bulletin(*args, cwd: Path, env: dict | None = None,
                 timeout: int = 600) -> subprocess.CompletedProcess:
    """`bulletin ARGS` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "bulletin", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def reference_text() -> str:
    if not REFERENCE.is_file():
        pytest.skip(f"reference text not found: {REFERENCE}")
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def issue23_pdf(tmp_path_factory) -> Path:
    from bulletin.pipeline import build_issue

    target = tmp_path_factory.mktemp("build") / "issue-23.pdf"
    return build_issue(ROOT, 23, target)


@pytest.fixture(scope="session")
def issue23(issue23_pdf):
    with pdfplumber.open(issue23_pdf) as pdf:
        yield pdf


@pytest.fixture()
def project(tmp_path) -> Path:
    """A throwaway copy of the project's sources (not its fonts) to break at will."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "bulletin.yaml", copy / "bulletin.yaml")
    shutil.copytree(ROOT / "issues", copy / "issues")
    shutil.copytree(ROOT / "templates", copy / "templates")
    (copy / "fonts").symlink_to(ROOT / "fonts")
    return copy
