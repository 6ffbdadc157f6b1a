"""Fuzzing front matter and Markdown: every input ends in success or a diagnostic, in time.

Fixed seed (derandomize), a few hundred examples through the check and the HTML, a
few dozen through WeasyPrint as well.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.diagnostics import BulletinError
from bulletin.lint import check_issue
from bulletin.pipeline import issue_html
from bulletin.sources import load_issue
from conftest import copy_project, renderer_for

ALPHABET = st.sampled_from(
    list("代表工作人大常委会龙亭区镕䶮")
    + list("，。、；：？！“”‘’（）《》——……·")
    + list("0123456789AIGDP%+.-")
    + list(" \t\n\n\n#*_>[]()!`|~-=+:\"'\\&<>{}$")
    + ["\x00", "\x01", "\x1b", "\x7f", "\u200b", "\ufeff", "\u2028", "\U0001F600", "\ud7ff"])
TEXT = st.text(ALPHABET, max_size=400)
SCALAR = st.one_of(TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
                   st.lists(st.text(ALPHABET, max_size=20), max_size=3))
FRONT = st.dictionaries(
    st.sampled_from(["title", "credit", "titel", "author", "date", "tags"]), SCALAR,
    max_size=4)
RAW_FRONT = st.one_of(FRONT.map(lambda d: yaml.safe_dump(d, allow_unicode=True)), TEXT)


@pytest.fixture(scope="module")
def fuzz_project(root):
    folder = copy_project(Path(tempfile.mkdtemp(prefix="bulletin-fuzz-")), issues=False)
    (folder / "issues/1/articles").mkdir(parents=True)
    (folder / "issues/1/issue.yaml").write_text(
        "number: 1\ndate: 2025-01-01\narticles: [fuzz.md]\n", encoding="utf-8")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def write_article(project: Path, front: str, body: str) -> None:
    (project / "issues/1/articles/fuzz.md").write_text(
        f"---\n{front}\n---\n{body}", encoding="utf-8", errors="surrogatepass")


def run_pipeline(project: Path, renderer=None) -> None:
    """Check, then HTML (and PDF with a renderer): a BulletinError is a fine outcome."""
    diagnostics = check_issue(project, 1)
    assert all(d.message and d.path for d in diagnostics)
    try:
        issue = load_issue(project, 1)
        html = issue_html(issue, project)
        if renderer is not None:
            renderer.document(html, [issue.folder])
    except BulletinError as error:
        assert error.diagnostics


@settings(max_examples=300, derandomize=True, deadline=3000,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(front=RAW_FRONT, body=TEXT)
def test_check_and_html_never_crash(fuzz_project, front, body):
    write_article(fuzz_project, front, body)
    run_pipeline(fuzz_project)


@settings(max_examples=25, derandomize=True, deadline=20000,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(title=st.text(ALPHABET, min_size=1, max_size=60), body=TEXT)
def test_rendering_never_crashes(fuzz_project, title, body):
    front = yaml.safe_dump({"title": title, "credit": "某单位"}, allow_unicode=True)
    write_article(fuzz_project, front, body)
    run_pipeline(fuzz_project, renderer_for(fuzz_project))  # one warm renderer, as the preview
