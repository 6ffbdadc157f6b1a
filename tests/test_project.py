"""The project's spine: one Project, each issue loaded once, every read bounded.

The reads are counted by the interpreter itself (an audit hook on `open`), in a fresh
process running the real command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

def photo_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 60, 40)).save(out, "PNG")
    return out.getvalue()

COUNT_READS = textwrap.dedent("""
    import collections, json, os, sys
    issues = os.path.realpath(sys.argv[1])
    reads = collections.Counter()

    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR)
            path = os.path.realpath(os.fsdecode(args[0]))
            if path.startswith(issues + os.sep) and not writing and os.path.isfile(path):
                reads[os.path.relpath(path, issues)] += 1

    sys.addaudithook(hook)
    from bulletin.cli import main
    try:
        main(sys.argv[2:], standalone_mode=False)
    except SystemExit:
        pass
    print("READS " + json.dumps(reads, ensure_ascii=False))
""")


def reads_of(project: Path, *args: str) -> dict[str, int]:
    result = subprocess.run([sys.executable, "-c", COUNT_READS, str(project / "issues"),
                             "--root", str(project), *args],
                            capture_output=True, text=True, timeout=300)
    line = next((line for line in result.stdout.splitlines() if line.startswith("READS ")),
                None)
    assert line is not None, result.stdout + result.stderr
    return json.loads(line[len("READS "):])


@pytest.fixture()
def project_with_image(project):
    folder = project / "issues" / "23" / "articles"
    (folder / "photo.png").write_bytes(photo_png())
    article = folder / "xixia.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n![](photo.png)\n",
                       encoding="utf-8")
    # A second issue: its issue.yaml is looked at (duplicate numbers), its articles never.
    other = project / "issues" / "24"
    shutil.copytree(project / "issues" / "23", other)
    (other / "issue.yaml").write_text(
        (other / "issue.yaml").read_text(encoding="utf-8").replace("number: 23", "number: 24"),
        encoding="utf-8")
    return project


@pytest.mark.parametrize("command", [
    ("check", "23"),
    ("build", "23", "-o", "{tmp}/23.pdf"),
    ("build", "23", "--format", "html", "-o", "{tmp}/web"),
])
def test_every_source_is_read_at_most_once(project_with_image, tmp_path, command):
    args = [part.format(tmp=tmp_path) for part in command]
    reads = reads_of(project_with_image, *args)
    ours = {path: count for path, count in reads.items() if path.startswith("23/")}
    # What the command needs, each once: the issue's settings, its articles, its image.
    assert ours == {"23/issue.yaml": 1, "23/articles/kaifeng-longting.md": 1,
                    "23/articles/hebi-shancheng.md": 1, "23/articles/xixia.md": 1,
                    "23/articles/photo.png": 1}, reads
    others = {path: count for path, count in reads.items() if not path.startswith("23/")}
    assert others == {"24/issue.yaml": 1}


def test_a_pipe_or_a_device_anywhere_under_issues_is_named_never_waited_on(project):
    from conftest import run_bulletin

    other = project / "issues" / "24"
    other.mkdir()
    os.mkfifo(other / "issue.yaml")  # nothing will ever write to it
    device = project / "issues" / "25"
    device.mkdir()
    (device / "issue.yaml").symlink_to("/dev/zero")
    for args in (("check", "23"), ("check", "--all"), ("build", "--all")):
        result = run_bulletin(*args, cwd=project, timeout=120)
        shown = result.stdout + result.stderr
        assert "Traceback" not in shown, shown
        if args == ("check", "23"):
            assert result.returncode == 1
        assert "issues/24/issue.yaml" in shown and "issues/25/issue.yaml" in shown, shown
        assert "S109" in shown


def test_issue_folders_are_named_by_ascii_digits_only(project):
    from bulletin.project import Project

    (project / "issues" / "²").mkdir()
    (project / "issues" / "drafts").mkdir()
    (project / "issues" / "0024").mkdir()
    (project / "issues" / "7.md").write_text("", encoding="utf-8")
    assert Project(project).issue_numbers() == [23, 24]


def test_output_names_come_from_the_project(project):
    from bulletin.project import Project

    loaded = Project(project).load(23)
    issue = loaded.require()
    assert Project(project).pdf_path(issue) == (
        project / "build" / "daibiao-gongzuo-2025-23.pdf").resolve()
    assert Project(project).web_dir(issue) == (project / "build" / "web" / "2025-23").resolve()
    assert Project(project).pdf_name(2025, 23) == Project(project).pdf_path(issue)


def test_every_code_is_registered_and_documented(root):
    import re

    import bulletin.lint  # noqa: F401  (registers the B2xx rules)
    import bulletin.preflight  # noqa: F401  (registers the L3xx checks)
    from bulletin.codes import CODES

    readme = (root / "README.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| ([SBLI]\d\d\d) \| (error|warning) \|", readme, re.M))
    registered = {code: entry.severity.value for code, entry in CODES.items()}
    documented.pop("B200", None), registered.pop("B200", None)  # a bug, not a finding
    assert documented == registered
    # Every code the sources write is in the registry.
    used = set()
    for path in (root / "bulletin").rglob("*.py"):
        used |= set(re.findall(r"[\"']([SBLI]\d\d\d)[\"']", path.read_text(encoding="utf-8")))
    assert used - set(CODES) == set()


def test_check_all_reads_every_file_once(project_with_image):
    reads = reads_of(project_with_image, "check", "--all")
    assert reads and set(reads.values()) == {1}, reads
    for number in ("23", "24"):
        assert f"{number}/issue.yaml" in reads and f"{number}/articles/xixia.md" in reads
