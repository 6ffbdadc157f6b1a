"""`bulletin build N` checks on the second core while it lays out (bulletin/forked.py):
the same findings, the same exit code, the same PDF as the check run in the process, and
nothing written when the check finds an error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

from bulletin import forked
from bulletin.lint import check_loaded
from bulletin.project import Project

FORKS = forked.usable() or (sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2)
needs_fork = pytest.mark.skipif(not FORKS, reason="the check forks on Linux with two cores")

PROGRESS_FORKED = "正在排版第 23 期，同时检查……"
PROGRESS_IN_PROCESS = "检查完毕，正在排版第 23 期……"


def build(project: Path, target: Path, *, in_process: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true"}
    env.pop("BULLETIN_CHECK_IN_PROCESS", None)
    if in_process:
        env["BULLETIN_CHECK_IN_PROCESS"] = "1"
    return subprocess.run([sys.executable, "-m", "bulletin", "--root", str(project), "build",
                           "23", "-o", str(target)], capture_output=True, text=True,
                          env=env, timeout=300)


def told(result: subprocess.CompletedProcess) -> list[str]:
    """What the build said, without its progress line and its timing."""
    lines = [line for line in result.stderr.splitlines()
             if line not in (PROGRESS_FORKED, PROGRESS_IN_PROCESS)]
    return lines + [line.split("（")[0] for line in result.stdout.splitlines()]


def add_paragraph(project: Path, text: str) -> None:
    article = project / "issues" / "23" / "articles" / "xixia.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project", issues=[23])


@needs_fork
def test_the_check_beside_the_layout_tells_what_the_check_first_tells(project, tmp_path):
    # A warning (B252: 十 typed for +) and an unused file (B263), neither stopping the build.
    add_paragraph(project, "开展“代表十网格”活动，走访群众。")
    (project / "issues" / "23" / "articles" / "draft.md").write_text(
        "---\ntitle: 草稿\ncredit: 某单位\n---\n\n正文。\n", encoding="utf-8")
    target = tmp_path / "23.pdf"
    aside = build(project, target, in_process=False)
    pdf = target.read_bytes()
    first = build(project, target, in_process=True)
    assert aside.returncode == first.returncode == 0, aside.stderr + first.stderr
    assert PROGRESS_FORKED in aside.stderr.splitlines()
    assert PROGRESS_IN_PROCESS in first.stderr.splitlines()
    said = told(aside)
    assert any(" B252 " in line for line in said) and any(" B263 " in line for line in said)
    assert said == told(first)
    assert target.read_bytes() == pdf


@needs_fork
def test_an_error_found_beside_the_layout_stops_the_build_and_writes_nothing(project, tmp_path):
    target = tmp_path / "23.pdf"
    assert build(project, target, in_process=False).returncode == 0
    before = target.read_bytes()
    manifests = sorted((project / "build" / "manifests").iterdir())
    add_paragraph(project, "代表们说：“ 这件事办得好。”")  # B211, an error
    aside = build(project, target, in_process=False)
    first = build(project, target, in_process=True)
    assert aside.returncode == first.returncode == 1
    said = told(aside)
    assert any(" B211 " in line for line in said)
    assert "第 23 期有错误，未生成 PDF。" in aside.stderr.splitlines()
    assert said == told(first)
    assert target.read_bytes() == before
    assert sorted((project / "build" / "manifests").iterdir()) == manifests
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


@needs_fork
def test_the_html_edition_checks_first(project, tmp_path):
    result = subprocess.run([sys.executable, "-m", "bulletin", "--root", str(project), "build",
                             "23", "--format", "html", "-o", str(tmp_path / "web")],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "CI": "true"})
    assert result.returncode == 0, result.stderr
    assert PROGRESS_IN_PROCESS in result.stderr.splitlines()


# --- CheckAside itself, forked from this process -----------------------------------------


@pytest.fixture
def loaded():
    return Project(ROOT).load(23)


@needs_fork
def test_the_forked_check_returns_the_checks_findings_and_what_it_silenced(loaded):
    expected = check_loaded(Project(ROOT).load(23))
    aside = forked.CheckAside(loaded, fork=True)
    assert aside.forked and aside.pid != os.getpid()
    assert aside.result() == expected
    assert len(loaded.suppressed) == 7  # issue 23's markers (tests/test_lint_issues.py)
    assert not aside.forked
    with pytest.raises(ChildProcessError):
        os.waitpid(aside.pid, os.WNOHANG)  # the child is gone, reaped


def failing_in_the_child(how):
    parent = os.getpid()

    def check(loaded):
        if os.getpid() != parent:
            how()
        return check_loaded(loaded)
    return check


def _exits():
    raise SystemExit  # a rule that exits the child: nothing answered


@needs_fork
@pytest.mark.parametrize("how", [
    lambda: (_ for _ in ()).throw(RuntimeError("a rule broke")),
    lambda: os.kill(os.getpid(), signal.SIGKILL),
    _exits,
], ids=["raises", "killed", "exits"])
def test_a_child_that_fails_leaves_the_check_to_the_parent(loaded, monkeypatch, how):
    import bulletin.lint

    expected = check_loaded(Project(ROOT).load(23))
    monkeypatch.setattr(bulletin.lint, "check_loaded", failing_in_the_child(how))
    aside = forked.CheckAside(loaded, fork=True)
    assert aside.forked
    assert aside.result() == expected


@needs_fork
def test_an_answer_that_is_not_findings_is_not_taken(loaded, monkeypatch):
    import bulletin.lint

    expected = check_loaded(Project(ROOT).load(23))
    parent = os.getpid()

    def check(loaded):
        return "not a list" if os.getpid() != parent else check_loaded(loaded)
    monkeypatch.setattr(bulletin.lint, "check_loaded", check)
    assert forked.CheckAside(loaded, fork=True).result() == expected


@needs_fork
def test_an_abandoned_check_leaves_no_child(loaded):
    aside = forked.CheckAside(loaded, fork=True)
    pid = aside.pid
    aside.abandon()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_no_fork_where_it_is_not_safe_or_of_no_use(loaded, monkeypatch):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.usable()  # a thread: a fork copies none of it, maybe its locks
    finally:
        stop.set()
        thread.join()
    monkeypatch.setenv("BULLETIN_CHECK_IN_PROCESS", "1")
    assert not forked.usable()
    monkeypatch.delenv("BULLETIN_CHECK_IN_PROCESS")
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not forked.usable()
    aside = forked.CheckAside(loaded)
    assert not aside.forked
    assert aside.result() == check_loaded(Project(ROOT).load(23))


def test_a_broken_issue_is_checked_in_the_process(tmp_path):
    project = copy_project(tmp_path / "project", issues=[23])
    issue_yaml = project / "issues" / "23" / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8") + "\nnumber: [\n",
                          encoding="utf-8")
    broken = Project(project).load(23)
    assert broken.issue is None
    aside = forked.CheckAside(broken, fork=True)
    assert not aside.forked
    assert any(d.code.startswith("S1") for d in aside.result())


@needs_fork
def test_ready_tells_whether_the_answer_is_there(loaded, monkeypatch):
    import time

    import bulletin.lint

    parent = os.getpid()

    def slow(loaded):
        if os.getpid() != parent:
            time.sleep(1.5)
        return check_loaded(loaded)
    monkeypatch.setattr(bulletin.lint, "check_loaded", slow)
    aside = forked.CheckAside(loaded, fork=True)
    assert not aside.ready()  # the child is still checking
    deadline = time.monotonic() + 60
    while not aside.ready() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert aside.ready()
    assert aside.result() == check_loaded(Project(ROOT).load(23))
    assert not aside.ready()  # answered: nothing more to read
    assert not forked.CheckAside(loaded, fork=False).ready()


@needs_fork
def test_a_layout_that_fails_still_tells_the_checks_errors_first(tmp_path, monkeypatch):
    """A bug in the layout does not hide the content's errors, which stopped the build
    before the layout when the check ran first: exit 1 with them; without any, the
    failure is the internal error it is (exit 2)."""
    from click.testing import CliRunner

    import bulletin.pipeline
    from bulletin.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("a layout bug")
    monkeypatch.setattr(bulletin.pipeline, "lay_out", broken)
    monkeypatch.setattr(forked, "usable", lambda: True)  # forked from pytest's process too
    project = copy_project(tmp_path / "project", issues=[23])
    runner = CliRunner()
    clean = runner.invoke(main, ["--root", str(project), "build", "23", "-o",
                                 str(tmp_path / "23.pdf")])
    assert clean.exit_code == 2 and "内部错误：RuntimeError: a layout bug" in clean.output
    assert PROGRESS_FORKED in clean.output
    add_paragraph(project, "代表们说：“ 这件事办得好。”")  # B211, an error
    faulty = runner.invoke(main, ["--root", str(project), "build", "23", "-o",
                                  str(tmp_path / "23.pdf")])
    assert faulty.exit_code == 1, faulty.output
    assert " B211 " in faulty.output and "第 23 期有错误，未生成 PDF。" in faulty.output
    assert "内部错误" not in faulty.output
    assert not (tmp_path / "23.pdf").exists()
