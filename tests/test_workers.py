"""`build --all`'s workers die with their parent, and leave no temporary file behind.

The real command runs in a fresh process (`python -m bulletin build --all -j 2`) on a
project of generated issues long enough to be caught mid-build; the test signals the
parent's PID only, as `kill PID` does, then looks in /proc for the workers it had.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_project
from synthetic import make_issue

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

ENV = {"PATH": "/usr/bin:/bin", "CI": "true"}
WAIT = 60


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command's name (state first), or None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2:].split()


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def temporary_files(project: Path) -> list[Path]:
    return [path for path in project.rglob("*") if path.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("workers") / "project", issues=False)
    for number in range(1, 5):
        make_issue(project, number, seed=number, articles=24)  # seconds of layout each
    return project


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP,
                                    signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGHUP", "SIGKILL"])
def test_workers_die_with_their_parent(archive, tmp_path, signum):
    # Output to files, not pipes: a worker left behind would hold a pipe open, and
    # reading it would hang (as a pipeline waiting on the command's output did).
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        run = subprocess.Popen([sys.executable, "-m", "bulletin", "build", "--all", "--force",
                                "-j", "2"], cwd=archive, env=ENV, stdout=stdout,
                               stderr=stderr, start_new_session=True)
    workers: set[int] = set()
    try:
        # Both workers started and at work: the digests are done, the layout under way.
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and len(workers) < 2:
            workers = {pid for pid in children(run.pid) if alive(pid)}
            time.sleep(0.1)
        assert len(workers) >= 2, (workers, run.poll())
        time.sleep(2.5)
        assert run.poll() is None, "the build ended before it could be signalled"

        os.kill(run.pid, signum)  # the parent only, as `kill PID` does
        run.wait(timeout=WAIT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.1)
        left = [pid for pid in workers if alive(pid)]
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in workers:  # whatever the outcome, nothing of the test's is left running
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

    errors = err.read_text(encoding="utf-8", errors="replace")
    assert not left, "workers outlived their parent"
    if signum == signal.SIGINT:
        assert run.returncode == 2 and "中断" in errors, (run.returncode, errors[-2000:])
    elif signum == signal.SIGKILL:
        assert run.returncode == -signum
    else:  # as a shell reports a process the signal ended
        assert run.returncode == 128 + signum, (run.returncode, errors[-2000:])
    assert "Traceback" not in errors, errors[-2000:]
    assert not temporary_files(archive)


def test_one_job_in_the_command_itself_stops_cleanly(archive, tmp_path):
    """-j 1 builds in the command's own process: SIGTERM unwinds it (the PDF being written
    is not left as a temporary file), then ends it with exit code 128 + 15."""
    with (tmp_path / "stderr").open("w") as stderr:
        run = subprocess.Popen([sys.executable, "-m", "bulletin", "build", "--all", "--force",
                                "-j", "1"], cwd=archive, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=stderr, start_new_session=True)
    try:
        time.sleep(4)
        assert run.poll() is None
        os.kill(run.pid, signal.SIGTERM)
        run.wait(timeout=WAIT)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in (tmp_path / "stderr").read_text(encoding="utf-8")
    assert not temporary_files(archive)


def test_a_worker_killed_by_someone_else_fails_its_issues_not_the_command(archive, tmp_path):
    with (tmp_path / "stdout").open("w") as stdout, (tmp_path / "stderr").open("w") as stderr:
        run = subprocess.Popen([sys.executable, "-m", "bulletin", "build", "--all", "--force",
                                "-j", "2"], cwd=archive, env=ENV, stdout=stdout, stderr=stderr,
                               start_new_session=True)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and len(workers) < 2:
            workers = {pid for pid in children(run.pid) if alive(pid)}
            time.sleep(0.1)
        time.sleep(1)
        os.kill(min(workers), signal.SIGKILL)  # as the kernel's OOM killer would
        run.wait(timeout=WAIT)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    output = (tmp_path / "stdout").read_text() + (tmp_path / "stderr").read_text()
    assert run.returncode == 1, output[-2000:]
    assert "Traceback" not in output and "排版进程意外退出" in output, output[-2000:]


WORKER = """
import os, signal, sys, time
from pathlib import Path
from bulletin import archive, outputs

target = Path(sys.argv[1])
archive._init_worker(os.getppid())
if sys.argv[2] == "idle":
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)
    sys.exit(3)
if sys.argv[2] == "ctrl-c":
    os.kill(os.getpid(), signal.SIGINT)  # ignored: the parent decides
    time.sleep(0.2)
    print("still here", flush=True)
    sys.exit(0)

def fsync(descriptor):  # the signal arrives while the PDF is being written
    os.kill(os.getpid(), getattr(signal, sys.argv[2]))
    time.sleep(30)

os.fsync = fsync
target.parent.mkdir(parents=True, exist_ok=True)  # build/, there before any build
archive.build_one = lambda root, number, digest: outputs.write_files([(target, b"%PDF" * 1000)], None)
archive._work(target.parent, 1, "")
sys.exit(4)
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_worker_stopped_mid_write_leaves_no_temporary_file(tmp_path, name):
    target = tmp_path / "build" / "issue.pdf"
    run = subprocess.run([sys.executable, "-c", WORKER, str(target), name], cwd=tmp_path,
                         capture_output=True, text=True, timeout=WAIT)
    assert run.returncode == 128 + getattr(signal, name), run.stderr
    assert "Traceback" not in run.stderr
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_an_idle_worker_exits_at_once_and_ignores_ctrl_c(tmp_path):
    started = time.monotonic()
    idle = subprocess.run([sys.executable, "-c", WORKER, str(tmp_path / "x.pdf"), "idle"],
                          capture_output=True, text=True, timeout=WAIT)
    assert idle.returncode == 128 + signal.SIGTERM, idle.stderr
    assert time.monotonic() - started < 20
    ignored = subprocess.run([sys.executable, "-c", WORKER, str(tmp_path / "x.pdf"), "ctrl-c"],
                             capture_output=True, text=True, timeout=WAIT)
    assert ignored.returncode == 0 and "still here" in ignored.stdout, ignored.stderr


PARENT = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c",
    "import os, time; from bulletin import archive; archive._init_worker(os.getppid()); "
    "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
child.stdout.readline()
print(child.pid, flush=True)
time.sleep(60)
"""


def test_a_worker_gets_sigterm_when_its_parent_is_killed(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        child = int(parent.stdout.readline())
        assert alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(WAIT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and alive(child):
            time.sleep(0.05)
        assert not alive(child)
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)


def test_what_the_machine_refuses_comes_back_as_an_s131_diagnostic(tmp_path):
    """A worker that cannot write (here `build` is a file, so no folder can be made in it)
    returns S131 naming the path, not an error text for the command to parse."""
    from bulletin import archive

    import shutil

    root = copy_project(tmp_path / "project", issues=[23], lint_cache=False)
    shutil.rmtree(root / "build", ignore_errors=True)
    (root / "build").write_text("not a folder", encoding="utf-8")
    archive._renderer = None
    try:
        outcome = archive.build_one(root, 23, "0" * 64)
    finally:
        archive._renderer = None
    assert outcome.status == archive.FAILED and outcome.error is None
    assert [d.code for d in outcome.diagnostics] == ["S131"]
    assert outcome.diagnostics[0].path.startswith("build")
    assert "无法写出" in outcome.diagnostics[0].message
