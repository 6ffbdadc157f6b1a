"""Where outputs go, and what they may replace (issue 14, items 2 and 7 and the small ones).

Every command that writes (`build N [-o PDF]`, `build N --format html [-o DIR]`,
`index YEAR [-o DIR]`, `publish [-o DIR]`) writes a regular file or a folder of them and
nothing else: never through a device, a pipe, a folder or a symbolic link, never over a
file bulletin did not write (unless `--force`), never a second file beside the one
named (a PDF's manifest is under build/), all or nothing. What the machine refuses
(disk full, read-only, no permission, a name too long) is a Chinese diagnostic naming
the path, exit code 1. And the same sources give the same PDF wherever the project is.

The cases run against the real thing: real files, FIFOs, symbolic links, /dev/full, a
full and a read-only file system (a tmpfs mounted in a private mount namespace, when
this runs as root with `unshare`), sysfs (where even root may not create a file).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from conftest import ROOT, copy_project, run_bulletin
from conftest import bulletin as in_this_process
from synthetic import make_issue
from test_project import photo_png

ENV = {"CI": "true"}
NO_TRACEBACK = ("内部错误", "Traceback", "缺陷")


def bulletin(*args, cwd):
    return in_this_process(*args, cwd=cwd, env=ENV)


def in_a_process(*args, cwd, env=None, timeout=180):
    return run_bulletin(*args, cwd=cwd, timeout=timeout,
                        env={"PATH": "/usr/bin:/bin", **ENV, **(env or {})})


def clean_failure(result, code: str, *named: str) -> str:
    """Exit 1, the diagnostic `code` naming each of `named`, no traceback: its output."""
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert f" {code} " in said, said
    for name in named:
        assert name in said, said
    assert not any(word in said for word in NO_TRACEBACK), said
    return said


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind."""
    return sorted(p.name for p in folder.rglob(".*.tmp"))


@pytest.fixture()
def single(tmp_path) -> Path:
    """A project with one short generated issue (number 1, 2025): quick to build."""
    project = copy_project(tmp_path / "project", issues=False)
    make_issue(project, 1, seed=1, articles=2)
    return project


# --- item 2: `-o` for a PDF ------------------------------------------------------------------


def test_o_never_writes_a_second_file_beside_the_pdf(single, tmp_path):
    from bulletin.pipeline import read_manifest

    out = tmp_path / "out"
    out.mkdir()
    notes = out / "notes.json"
    notes.write_text('{"my": "notes"}', encoding="utf-8")
    result = bulletin("build", "1", "-o", out / "notes.pdf", cwd=single)
    assert result.returncode == 0, result.stdout + result.stderr
    assert notes.read_text(encoding="utf-8") == '{"my": "notes"}'
    assert sorted(p.name for p in out.iterdir()) == ["notes.json", "notes.pdf"]
    # The manifest is under the project's build/, and the message names it.
    manifests = list((single / "build" / "manifests").glob("notes-*.json"))
    assert len(manifests) == 1
    assert f"清单 build/manifests/{manifests[0].name}" in result.stdout
    manifest = read_manifest(out / "notes.pdf", single)
    assert manifest["number"] == 1 and manifest["pdf"] == str(out / "notes.pdf")


def test_the_default_pdf_keeps_its_manifest_beside_it_in_build(single):
    from bulletin.pipeline import manifest_path, read_manifest

    result = bulletin("build", "1", cwd=single)
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = single / "build" / "daibiao-gongzuo-2025-1.pdf"
    assert manifest_path(pdf, single) == pdf.with_suffix(".json")
    assert read_manifest(pdf)["pages"] >= 1  # as build --all, the site and the index read it
    assert "清单" not in result.stdout
    assert not (single / "build" / "manifests").exists()


def test_a_manifest_in_build_never_replaces_a_file_it_did_not_write(single):
    build = single / "build"
    build.mkdir(exist_ok=True)
    (build / "bench.json").write_text("{}", encoding="utf-8")
    result = bulletin("build", "1", "-o", build / "bench.pdf", cwd=single)
    clean_failure(result, "S130", "build/bench.json")
    assert (build / "bench.json").read_text(encoding="utf-8") == "{}"
    assert not (build / "bench.pdf").exists()


def test_a_rebuild_replaces_the_pdf_it_wrote(single, tmp_path):
    target = tmp_path / "第1期.pdf"
    assert bulletin("build", "1", "-o", target, cwd=single).returncode == 0
    first = target.read_bytes()
    article = single / "issues/1/articles/article-1.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    again = bulletin("build", "1", "-o", target, cwd=single)
    assert again.returncode == 0, again.stdout + again.stderr
    assert target.read_bytes() != first and target.read_bytes().startswith(b"%PDF")


def test_a_pdf_of_bulletin_is_known_without_its_manifest(single, tmp_path):
    """Copied elsewhere, a PDF bulletin wrote is still known by its /Creator."""
    from pypdf import PdfReader

    built = tmp_path / "built.pdf"
    assert bulletin("build", "1", "-o", built, cwd=single).returncode == 0
    assert PdfReader(built).metadata["/Creator"] == "bulletin"
    copied = tmp_path / "elsewhere" / "copy.pdf"
    copied.parent.mkdir()
    shutil.copyfile(built, copied)
    result = bulletin("build", "1", "-o", copied, cwd=single)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_pdf_of_an_older_bulletin_is_known_by_its_manifest(single):
    """Before /Creator and the SHA-256 in the manifest: a PDF with its manifest beside
    it, in build/, as every earlier build left it."""
    assert bulletin("build", "1", cwd=single).returncode == 0
    pdf = single / "build" / "daibiao-gongzuo-2025-1.pdf"
    manifest = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    del manifest["sha256"]
    pdf.with_suffix(".json").write_text(json.dumps(manifest), encoding="utf-8")
    pdf.write_bytes(b"%PDF-1.7\n% an older build, no /Creator\n%%EOF\n")
    result = bulletin("build", "1", cwd=single)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(pdf.read_bytes()) > 1000


@pytest.mark.parametrize("content", [b"%PDF-1.4\n% someone else's PDF\n%%EOF\n",
                                     "我的笔记".encode("utf-8")])
def test_a_file_bulletin_did_not_write_is_replaced_only_with_force(single, tmp_path, content):
    target = tmp_path / "notes.pdf"
    target.write_bytes(content)
    result = bulletin("build", "1", "-o", target, cwd=single)
    said = clean_failure(result, "S130", str(target))
    assert "--force" in said and "原有文件保持不变" in said
    assert target.read_bytes() == content
    assert not (single / "build" / "manifests").exists()  # nothing written at all
    assert leftovers(tmp_path) == []

    forced = bulletin("build", "1", "-o", target, "--force", cwd=single)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert target.read_bytes().startswith(b"%PDF") and target.read_bytes() != content


def test_a_pdf_whose_manifest_no_longer_matches_it_is_not_taken_for_ours(single, tmp_path):
    """The manifest records the PDF's SHA-256: a file put in its place since is someone's."""
    target = tmp_path / "x.pdf"
    assert bulletin("build", "1", "-o", target, cwd=single).returncode == 0
    target.write_bytes(b"%PDF-1.4\n% replaced by hand\n%%EOF\n")
    clean_failure(bulletin("build", "1", "-o", target, cwd=single), "S130")
    assert b"replaced by hand" in target.read_bytes()


def test_a_device_is_never_replaced(single):
    device = Path("/dev/full")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    result = bulletin("build", "1", "-o", device, cwd=single)
    clean_failure(result, "S130", "/dev/full", "设备")
    assert stat.S_ISCHR(os.lstat(device).st_mode)  # as root, it had been replaced
    assert not Path("/dev/full.json").exists()


def test_a_fifo_is_refused_without_being_opened(single, tmp_path):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    result = in_a_process("build", "1", "-o", fifo, cwd=single, timeout=120)  # never waits
    clean_failure(result, "S130", str(fifo), "管道")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_is_refused(single, tmp_path):
    folder = tmp_path / "out.pdf"
    folder.mkdir()
    clean_failure(bulletin("build", "1", "-o", folder, cwd=single), "S130", "文件夹")
    assert folder.is_dir() and not any(folder.iterdir())


@pytest.mark.parametrize("points_to", ["a bulletin PDF", "someone's file", "nothing"])
def test_a_symbolic_link_is_never_written_through(single, tmp_path, points_to):
    real = tmp_path / "real.pdf"
    if points_to == "a bulletin PDF":
        assert bulletin("build", "1", "-o", real, cwd=single).returncode == 0
    elif points_to == "someone's file":
        real.write_bytes(b"mine")
    before = real.read_bytes() if real.exists() else None
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    clean_failure(bulletin("build", "1", "-o", link, cwd=single), "S130", "符号链接")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real.read_bytes() if real.exists() else None) == before


def test_html_into_an_existing_folder(single, tmp_path):
    """`--format html -o DIR` failed when DIR existed (click's dir_okay=False)."""
    folder = tmp_path / "web"
    folder.mkdir()
    result = bulletin("build", "1", "--format", "html", "-o", folder, cwd=single)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "index.html").is_file()
    again = bulletin("build", "1", "--format", "html", "-o", folder, cwd=single)
    assert again.returncode == 0, again.stdout + again.stderr


def test_html_replaces_its_pages_and_nothing_else(single, tmp_path):
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "README.txt").write_text("别删我", encoding="utf-8")
    assert bulletin("build", "1", "--format", "html", "-o", folder, cwd=single).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.txt", "article-1.html", "article-2.html", "index.html"]
    # An article dropped from the issue loses its page; the reader's file stays.
    issue_yaml = single / "issues/1/issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8").replace(
        "  - article-2.md\n", ""), encoding="utf-8")
    assert bulletin("build", "1", "--format", "html", "-o", folder, cwd=single).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.txt", "article-1.html", "index.html"]
    assert (folder / "README.txt").read_text(encoding="utf-8") == "别删我"


def test_html_never_replaces_a_page_it_did_not_write(single, tmp_path):
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "index.html").write_text("<p>我的主页</p>", encoding="utf-8")
    result = bulletin("build", "1", "--format", "html", "-o", folder, cwd=single)
    clean_failure(result, "S130", "index.html")
    assert (folder / "index.html").read_text(encoding="utf-8") == "<p>我的主页</p>"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html"]  # all or nothing
    assert bulletin("build", "1", "--format", "html", "-o", folder, "--force",
                    cwd=single).returncode == 0
    assert "我的主页" not in (folder / "index.html").read_text(encoding="utf-8")


def test_a_page_changed_since_it_was_written_is_not_replaced(single, tmp_path):
    folder = tmp_path / "web"
    assert bulletin("build", "1", "--format", "html", "-o", folder, cwd=single).returncode == 0
    (folder / "article-1.html").write_text("改过了", encoding="utf-8")
    clean_failure(bulletin("build", "1", "--format", "html", "-o", folder, cwd=single),
                  "S130", "article-1.html")
    assert (folder / "article-1.html").read_text(encoding="utf-8") == "改过了"


@pytest.mark.parametrize("what", ["file", "symlink"])
def test_html_refuses_a_file_or_a_link_for_its_folder(single, tmp_path, what):
    target = tmp_path / "web"
    if what == "file":
        target.write_text("not a folder", encoding="utf-8")
    else:
        (tmp_path / "real").mkdir()
        target.symlink_to(tmp_path / "real")
    clean_failure(bulletin("build", "1", "--format", "html", "-o", target, cwd=single), "S130")
    if what == "symlink":
        assert not any((tmp_path / "real").iterdir())


# --- bulletin index ------------------------------------------------------------------------------


def test_index_replaces_what_it_wrote_and_nothing_else(single, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index-2024.pdf").write_bytes(b"last year's, by hand")
    first = bulletin("index", "2025", "-o", out, cwd=single)
    assert first.returncode == 0, first.stdout + first.stderr
    again = bulletin("index", "2025", "-o", out, cwd=single)
    assert again.returncode == 0, again.stdout + again.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "index-2024.pdf", "index-2025.html", "index-2025.pdf"]
    assert (out / "index-2024.pdf").read_bytes() == b"last year's, by hand"

    (out / "index-2025.html").write_text("我的目录", encoding="utf-8")
    clean_failure(bulletin("index", "2025", "-o", out, cwd=single), "S130", "index-2025.html")
    assert (out / "index-2025.html").read_text(encoding="utf-8") == "我的目录"
    assert bulletin("index", "2025", "-o", out, "--force", cwd=single).returncode == 0


def test_index_refuses_a_file_for_its_folder(single, tmp_path):
    target = tmp_path / "out"
    target.write_text("x", encoding="utf-8")
    clean_failure(bulletin("index", "2025", "-o", target, cwd=single), "S130", str(target))


# --- bulletin publish ----------------------------------------------------------------------------


@pytest.fixture()
def archive(tmp_path) -> Path:
    project = copy_project(tmp_path / "archive", issues=False)
    for number in (1, 2):
        make_issue(project, number, seed=number, articles=2)
    return project


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_publish_removes_the_pages_of_deleted_and_failed_issues(archive):
    site = archive / "build" / "site"
    first = in_a_process("publish", "-j", "1", cwd=archive)
    assert first.returncode == 0, first.stdout + first.stderr
    assert {"2025-2/index.html", "pdf/daibiao-gongzuo-2025-2.pdf"} <= set(site_files(site))
    (site / "CNAME").write_text("example.org\n", encoding="utf-8")  # the reader's own file

    # Issue 2 deleted, issue 3 added and failing.
    shutil.rmtree(archive / "issues" / "2")
    make_issue(archive, 3, seed=3, articles=2)
    (archive / "issues/3/issue.yaml").write_text("number: 3\ndate: 昨天\narticles: [x.md]\n",
                                                 encoding="utf-8")
    again = in_a_process("publish", "-j", "1", cwd=archive)
    assert again.returncode == 1  # issue 3 failed
    files = site_files(site)
    assert not any(name.startswith(("2025-2/", "2025-3/")) or name.endswith(("-2.pdf", "-3.pdf"))
                   for name in files), files
    assert "2025-1/index.html" in files and "CNAME" in files
    assert not (site / "2025-2").exists()  # its folder went with its pages
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="issue-1"' in index and 'id="issue-2"' not in index

    # Fixed, issue 3 comes back.
    (archive / "issues/3/issue.yaml").write_text(
        "number: 3\ndate: 2025-04-04\narticles: [article-1.md, article-2.md]\n", encoding="utf-8")
    third = in_a_process("publish", "-j", "1", cwd=archive)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "2025-3/index.html" in site_files(site)


def test_publish_changes_nothing_when_a_file_is_not_its_own(archive):
    site = archive / "build" / "site"
    assert in_a_process("publish", "-j", "1", cwd=archive).returncode == 0
    before = {name: (site / name).read_bytes() for name in site_files(site)}
    # Issue 1 changes, so its pages would be rewritten; the site's last page is foreign.
    article = archive / "issues/1/articles/article-1.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    (site / "index.html").write_text("<p>手写的首页</p>", encoding="utf-8")
    before["index.html"] = (site / "index.html").read_bytes()
    result = in_a_process("publish", "-j", "1", cwd=archive)
    said = clean_failure(result, "S130", "build/site/index.html")
    assert "保持不变" in said
    assert {name: (site / name).read_bytes() for name in site_files(site)} == before
    assert leftovers(site) == []


def test_site_links_are_url_encoded(archive):
    folder = archive / "issues" / "1"
    odd = "第二篇 #2?.md"
    (folder / "articles" / "article-2.md").rename(folder / "articles" / odd)
    issue_yaml = folder / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8").replace(
        "article-2.md", f"'{odd}'"), encoding="utf-8")
    result = in_a_process("publish", "-j", "1", cwd=archive)
    assert result.returncode == 0, result.stdout + result.stderr
    site = archive / "build" / "site"
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.hrefs.append(dict(attrs)["href"])

    parser = Links()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    expected = "2025-1/" + quote("第二篇 #2?.html")
    assert expected in parser.hrefs
    for href in parser.hrefs:
        assert href == quote(unquote(href), safe="/"), href  # every link encoded
        assert (site / unquote(href)).is_file(), href  # and it finds its file


# --- environment problems: Chinese, the path, exit 1 ---------------------------------------------


def test_a_name_too_long(single, tmp_path):
    long_name = tmp_path / ("长" * 100 + ".pdf")  # 302 bytes: over the 255 a name may have
    clean_failure(bulletin("build", "1", "-o", long_name, cwd=single), "S131", "文件名或路径过长")
    folder = tmp_path / ("w" * 300)
    clean_failure(bulletin("build", "1", "--format", "html", "-o", folder, cwd=single),
                  "S131", "ENAMETOOLONG")
    clean_failure(bulletin("index", "2025", "-o", folder, cwd=single), "S131", "过长")
    assert leftovers(tmp_path) == []


def test_a_file_where_a_folder_should_be(single, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    clean_failure(bulletin("build", "1", "-o", tmp_path / "file" / "x.pdf", cwd=single), "S131",
                  "file")


def test_no_permission(single):
    """sysfs lets no one, root included, create a file: a real EACCES (or EROFS where /sys
    is mounted read-only)."""
    target = Path("/sys/kernel/bulletin-test.pdf")
    if not Path("/sys/kernel").is_dir():
        pytest.skip("no sysfs")
    result = bulletin("build", "1", "-o", target, cwd=single)
    said = clean_failure(result, "S131", str(target))
    assert "没有写入权限" in said or "只读" in said or "不允许" in said


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason=(
    "a full or read-only file system needs root and a private mount namespace (unshare); "
    "chmod does not stop root"))


def in_a_namespace(mounts: list[tuple[Path, str]], script: str, cwd: Path):
    """Run `script` (sh) after mounting a tmpfs with `options` on each folder, in a private
    mount namespace: the mounts vanish with it. `$BULLETIN` is the command."""
    lines = [f"mount -t tmpfs -o {options} tmpfs '{folder}' || exit 99"
             for folder, options in mounts]
    env = {"PATH": "/usr/bin:/bin", "CI": "true",
           "BULLETIN": f"{sys.executable} -m bulletin"}
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                           "\n".join([*lines, script])], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@needs_mount
def test_a_full_disk(single, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    result = in_a_namespace([(disk, "size=4k")], """
        $BULLETIN build 1 -o "$PWD/../disk/x.pdf"; echo "rc=$?"
        $BULLETIN build 1 --format html -o "$PWD/../disk/web"; echo "rc=$?"
        $BULLETIN publish -o "$PWD/../disk/site"; echo "rc=$?"
        echo "left: $(find ../disk -mindepth 1 | wc -l)"
    """, cwd=single)
    said = result.stdout + result.stderr
    assert result.stdout.count("rc=1") == 3, said
    assert said.count("磁盘空间已满（ENOSPC）") >= 3 and "disk/x.pdf" in said, said
    assert "left: 0" in said, said  # no temporary file, no folder, nothing half-written
    assert not any(word in said for word in NO_TRACEBACK), said


@needs_mount
def test_a_read_only_output_folder(single, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    result = in_a_namespace([(disk, "ro")], """
        $BULLETIN build 1 -o "$PWD/../disk/x.pdf"; echo "rc=$?"
        $BULLETIN build 1 --format html -o "$PWD/../disk/web"; echo "rc=$?"
        $BULLETIN index 2025 -o "$PWD/../disk"; echo "rc=$?"
        $BULLETIN publish -o "$PWD/../disk/site"; echo "rc=$?"
    """, cwd=single)
    said = result.stdout + result.stderr
    assert result.stdout.count("rc=1") == 4, said
    assert said.count("只读的（EROFS）") >= 4, said
    assert not any(word in said for word in NO_TRACEBACK), said


@needs_mount
def test_a_read_only_build_folder(single):
    """build/ itself read-only: the font set-up's first write there is said as such."""
    (single / "build").mkdir(exist_ok=True)
    result = in_a_namespace([(single / "build", "ro")], """
        $BULLETIN build 1; echo "rc=$?"
        $BULLETIN build --all; echo "rc=$?"
    """, cwd=single)
    said = result.stdout + result.stderr
    assert result.stdout.count("rc=1") == 2, said
    assert said.count("build/") >= 2 and "只读的（EROFS）" in said, said
    assert not any(word in said for word in NO_TRACEBACK), said


# --- item 7: the same bytes wherever the project is -------------------------------------------


def _with_image(project: Path) -> Path:
    folder = project / "issues" / "23" / "articles"
    (folder / "photo.png").write_bytes(photo_png())
    article = folder / "xixia.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\n![图为座谈会现场](photo.png)\n", encoding="utf-8")
    return project


def test_the_same_pdf_wherever_the_project_is(tmp_path):
    here = _with_image(copy_project(tmp_path / "a", issues=[23]))
    there = _with_image(copy_project(
        tmp_path / "一个长得多的文件夹 with spaces" / "and" / "deeper", issues=[23]))
    first = in_a_process("build", "23", "-o", tmp_path / "here.pdf", cwd=here,
                         env={"TZ": "UTC", "LANG": "C.UTF-8", "HOME": str(here),
                              "USER": "alice", "LOGNAME": "alice"})
    second = in_a_process("build", "23", "-o", tmp_path / "there.pdf", cwd=there,
                          env={"TZ": "Pacific/Kiritimati", "LANG": "zh_CN.GB18030",
                               "LC_ALL": "de_DE.UTF-8", "HOME": "/nonexistent",
                               "USER": "bob", "LOGNAME": "bob", "PYTHONHASHSEED": "12345",
                               "SOURCE_DATE_EPOCH": "0"})
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    pdf = (tmp_path / "here.pdf").read_bytes()
    assert pdf == (tmp_path / "there.pdf").read_bytes()
    assert str(tmp_path).encode() not in pdf
    assert b"/Subtype /Image" in pdf  # the photo is in it (an image's stream is never packed)


def test_the_same_web_edition_wherever_the_project_is(tmp_path):
    from bulletin.project import Project
    from bulletin.web import write_web_edition

    pages = []
    for name in ("a", "b/much/deeper"):
        project = _with_image(copy_project(tmp_path / name, issues=[23]))
        written = write_web_edition(Project(project).load(23), tmp_path / f"web-{len(pages)}")
        pages.append({p.name: p.read_bytes() for p in written})
        assert b"data:image/png;base64," in pages[-1]["xixia.html"]
    assert pages[0] == pages[1]


def test_the_image_url_holds_no_path_and_the_jail_serves_it_from_memory(project):
    from bulletin.markup import IMAGE_URL_BASE, image_url
    from bulletin.project import Project
    from bulletin.typeset import load_weasyprint
    from bulletin.typeset.jail import Jail

    _with_image(project)
    image = Project(project).load(23).images["xixia"]["photo.png"]
    url = image_url(image)
    assert url.startswith(IMAGE_URL_BASE) and str(project) not in url
    load_weasyprint()
    jail = Jail([project / "issues" / "23"], {url: image.data})
    assert jail.fetch(url).read() == image.data
    # The invented base is no folder: a URL under it that was not preloaded is refused.
    with pytest.raises(PermissionError):
        Jail([project / "issues" / "23"]).fetch(url)
