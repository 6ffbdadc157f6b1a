"""Broken and hostile input: never a traceback, never a byte from outside, never a lost PDF.

Each case breaks a copy of the project in one way, then runs `bulletin build 23` into
a PDF that already exists. Every case must end with exit 0 (odd but printable) or 1
(a Chinese message naming the file), within a time bound, with the previous PDF
intact when the build fails, and with nothing of /etc/passwd in any output.

The hostile input is the point, not the process: the command runs in this process
(conftest.bulletin), under a watchdog that fails the case past the time bound. A case
that could block the process itself in a system call (a FIFO's open waits for a writer)
runs in a fresh process with a timeout. Two builds at once and Ctrl-C are about
processes, and run as processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from conftest import bulletin, copy_project

ARTICLE = "issues/23/articles/xixia.md"
SECRET = Path("/etc/passwd")
PREVIOUS_PDF = b"%PDF-1.7\n% the last good build\n"
TIME_BOUND = 60


def write_previous_build(target: Path) -> None:
    """The last good build at `target` (in build/), with the manifest bulletin wrote beside
    it: a PDF bulletin replaces (it replaces no file it did not write, outputs.py)."""
    import hashlib
    import json

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(PREVIOUS_PDF)
    target.with_suffix(".json").write_text(json.dumps({
        "number": 23, "pages": 1, "articles": [], "inputs": None,
        "sha256": hashlib.sha256(PREVIOUS_PDF).hexdigest()}), encoding="utf-8")


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size and holds one row of pixels: a decompression bomb's face."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def small_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 32), (180, 20, 20)).save(out, "PNG")
    return out.getvalue()


def small_jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (400, 300), (20, 20, 180)).save(out, "JPEG")
    return out.getvalue()


def article(project: Path) -> Path:
    return project / ARTICLE


def set_body(project: Path, body: str) -> None:
    path = article(project)
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("---", 3) + 3]
    path.write_text(head + "\n\n" + body + "\n", encoding="utf-8")


def set_front(project: Path, front: str, body: str = "正文。") -> None:
    article(project).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def add_image(project: Path, name: str, data: bytes, caption: str = "现场照片") -> None:
    (project / "issues/23/articles" / name).write_bytes(data)
    set_body(project, f"第一段。\n\n![{caption}]({name})\n\n第二段。")


def replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


CASES = {
    # bytes and characters
    "nul-bytes": lambda p: set_body(p, "正文\x00含有空字符。"),
    "control-characters": lambda p: set_body(p, "正文\x01\x02\x1b[31m含有控制字符\x7f。"),
    "control-characters-in-title": lambda p: set_front(p, 'title: "标题\\x07\\x1b"\ncredit: 某单位'),
    "ten-megabyte-paragraph": lambda p: set_body(p, "长" * 10_000_000),
    "long-line-of-marks": lambda p: set_body(p, "，" * 200_000),
    "not-utf8": lambda p: article(p).write_bytes("---\ntitle: 标题\n---\n正文".encode("gb18030")),
    "invalid-utf8-in-yaml": lambda p: (p / "issues/23/issue.yaml").write_bytes(b"number: \xff\xfe\n"),
    "bom-and-crlf": lambda p: article(p).write_bytes(
        b"\xef\xbb\xbf" + article(p).read_bytes().replace(b"\n", b"\r\n")),
    # structure
    "deeply-nested-lists": lambda p: set_body(
        p, "\n".join("  " * depth + "- 项" for depth in range(500))),
    "deeply-nested-quotes": lambda p: set_body(p, ">" * 5000 + " 引文"),
    "nested-emphasis": lambda p: set_body(p, "*" * 50_000 + "强调" + "*" * 50_000),
    "empty-article": lambda p: article(p).write_bytes(b""),
    "empty-issue-yaml": lambda p: (p / "issues/23/issue.yaml").write_bytes(b""),
    "empty-bulletin-yaml": lambda p: (p / "bulletin.yaml").write_bytes(b""),
    "front-matter-only": lambda p: article(p).write_text(
        "---\ntitle: 标题\ncredit: 某单位\n---\n", encoding="utf-8"),
    "front-matter-unclosed": lambda p: article(p).write_text("---\ntitle: 标题\n正文", "utf-8"),
    "front-matter-a-list": lambda p: set_front(p, "- title\n- credit"),
    "huge-title": lambda p: set_front(p, f"title: {'长' * 5000}\ncredit: 某单位"),
    # files that are not files
    "folder-instead-of-article": lambda p: (article(p).unlink(), article(p).mkdir()),
    "folder-instead-of-issue-yaml": lambda p: (
        (p / "issues/23/issue.yaml").unlink(), (p / "issues/23/issue.yaml").mkdir()),
    "fifo-instead-of-article": lambda p: replace_with_fifo(article(p)),
    "dangling-symlink-article": lambda p: (
        article(p).unlink(), article(p).symlink_to(p / "nowhere.md")),
    "symlink-article-out-of-project": lambda p: (
        article(p).unlink(), article(p).symlink_to(SECRET)),
    # YAML
    "billion-laughs": lambda p: (p / "issues/23/issue.yaml").write_text(
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
                  for i in range(8))
        + "number: 23\ndate: 2025-06-09\narticles: *i\n", encoding="utf-8"),
    "python-tag": lambda p: (p / "issues/23/issue.yaml").write_text(
        "number: !!python/object/apply:os.system ['echo pwned > /tmp/pwned']\n"
        "date: 2025-06-09\narticles: [xixia.md]\n", encoding="utf-8"),
    "deeply-nested-yaml": lambda p: (p / "issues/23/issue.yaml").write_text(
        "number: 23\ndate: 2025-06-09\narticles: " + "[" * 20_000 + "]" * 20_000 + "\n",
        encoding="utf-8"),
    "huge-yaml": lambda p: (p / "issues/23/issue.yaml").write_text(
        "number: 23\ndate: 2025-06-09\narticles: [xixia.md]\n" + "# 注释\n" * 2_000_000,
        encoding="utf-8"),
    "article-name-escapes": lambda p: (p / "issues/23/issue.yaml").write_text(
        "number: 23\ndate: 2025-06-09\narticles: [../../../etc/passwd]\n", encoding="utf-8"),
    # markup injection
    "raw-html": lambda p: set_body(
        p, '<script>alert(1)</script><img src="file:///etc/passwd"><style>*{display:none}</style>'),
    "markup-in-title": lambda p: set_front(
        p, 'title: "</h2><style>body{display:none}</style>{{ 7*7 }}"\ncredit: "<b>某单位</b>"'),
    "link-to-file": lambda p: set_body(p, "[密码](file:///etc/passwd) <file:///etc/passwd>"),
    # images
    "image-http": lambda p: set_body(p, "![图](http://127.0.0.1:9/x.png)"),
    "image-file-url": lambda p: set_body(p, "![图](file:///etc/passwd)"),
    "image-absolute-path": lambda p: set_body(p, "![图](/etc/passwd)"),
    "image-dot-dot": lambda p: set_body(p, "![图](../../../../../etc/passwd)"),
    "image-symlink-out": lambda p: (
        (p / "issues/23/articles/leak.png").symlink_to(SECRET),
        set_body(p, "![图](leak.png)")),
    "image-bomb": lambda p: add_image(p, "bomb.png", png_header(50_000, 50_000)),
    "image-truncated-jpeg": lambda p: add_image(p, "cut.jpg", small_jpeg()[:300]),
    "image-not-an-image": lambda p: add_image(p, "text.png", "这不是图片".encode()),
    "image-svg": lambda p: add_image(
        p, "x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'),
    "image-missing": lambda p: set_body(p, "![图](nowhere.png)"),
    "image-fine": lambda p: add_image(p, "fine.png", small_png()),
}

# Cases that are odd but printable: the build succeeds. (NUL bytes and control
# characters are not: they would print as boxes and break the text layer, B243; nor are
# lists and quotes nested past 8 levels, whose text the layout would lose, S122.)
PRINTABLE = {"bom-and-crlf", "nested-emphasis", "raw-html", "markup-in-title",
             "link-to-file", "image-fine", "huge-title"}


# Cases that could block in a system call (open() of a FIFO waits for a writer, and no
# signal-raised exception reaches a thread blocked in C for sure): a fresh process each,
# killed at the time bound.
IN_A_PROCESS = {"fifo-instead-of-article"}


@pytest.fixture()
def broken_project(tmp_path):
    return copy_project(tmp_path / "project")


class TooSlow(BaseException):
    """Raised in the test by the watchdog: a BaseException, so that neither the
    command's last line of defence nor CliRunner takes it for the command's error."""


@contextlib.contextmanager
def watchdog(seconds: int):
    """Fail (TooSlow) if the block takes more than `seconds`."""
    def expire(signum, frame):
        raise TooSlow(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def build_23(project: Path, target: Path, case: str):
    """`bulletin build 23 -o TARGET` in `project`: its exit code and output."""
    if case in IN_A_PROCESS:
        return subprocess.run(
            [sys.executable, "-m", "bulletin", "build", "23", "-o", str(target)],
            cwd=project, capture_output=True, text=True, timeout=TIME_BOUND, errors="replace")
    with watchdog(TIME_BOUND):
        return bulletin("build", "23", "-o", target, cwd=project)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input(case, broken_project):
    assert len(CASES) >= 30
    CASES[case](broken_project)
    target = broken_project / "build" / "out.pdf"
    write_previous_build(target)

    started = time.monotonic()
    result = build_23(broken_project, target, case)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr

    assert "Traceback" not in output, output[-2000:]
    assert elapsed < TIME_BOUND
    secret = SECRET.read_bytes()[:40]
    assert secret.decode(errors="replace") not in output
    if case in PRINTABLE:
        assert result.returncode == 0, output[-2000:]
        assert target.read_bytes().startswith(b"%PDF")
        assert target.read_bytes() != PREVIOUS_PDF
        assert secret not in target.read_bytes()
    else:
        assert result.returncode == 1, output[-2000:]
        assert target.read_bytes() == PREVIOUS_PDF
        assert any(name in output for name in ("xixia.md", "issue.yaml", "bulletin.yaml")), \
            output[-2000:]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in output)
    assert not Path("/tmp/pwned").exists()


def test_two_builds_at_once_do_not_corrupt_each_other(broken_project):
    from pypdf import PdfReader

    target = broken_project / "build" / "same.pdf"
    command = [sys.executable, "-m", "bulletin", "build", "23", "-o", str(target)]
    runs = [subprocess.Popen(command, cwd=broken_project, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for _ in range(2)]
    assert [run.wait(timeout=TIME_BOUND) for run in runs] == [0, 0]
    assert len(PdfReader(target).pages) == 9
    assert not list(target.parent.glob("*.tmp"))


def test_an_interrupted_build_leaves_the_previous_pdf(broken_project):
    import signal

    from synthetic import make_issue

    make_issue(broken_project, 91, seed=3, articles=30)  # seconds of layout: caught mid-build
    target = broken_project / "build" / "out.pdf"
    write_previous_build(target)
    run = subprocess.Popen([sys.executable, "-m", "bulletin", "build", "91", "-o", str(target)],
                           cwd=broken_project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    # Wait until it is past the check and into the layout, then press Ctrl-C.
    first = run.stderr.readline()
    while first and "正在排版" not in first:
        first = run.stderr.readline()
    assert "正在排版" in first
    time.sleep(0.3)
    run.send_signal(signal.SIGINT)
    _, errors = run.communicate(timeout=TIME_BOUND)
    assert run.returncode == 2, (run.returncode, errors[-2000:])
    assert "Traceback" not in errors and "中断" in errors
    assert target.read_bytes() == PREVIOUS_PDF
    assert not list(target.parent.glob("*.tmp"))
