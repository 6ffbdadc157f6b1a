"""The live preview as a user meets it: a real server, real files, a real (headless) browser.

The server runs as `bulletin preview` in a subprocess against a copy of the project; the
test saves files on disk and waits for the page to change by itself.
"""

from __future__ import annotations

import http.client
import io
import json
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pdfplumber
import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
CHANGE_TIMEOUT_MS = 20_000
PAGES_SHOWN = """() => {
  const images = [...document.querySelectorAll('#pages img')];
  return document.querySelector('#pages').dataset.build !== '0' && images.length > 0
    && images.every(image => image.complete && image.naturalWidth > 0);
}"""


class PreviewProcess:
    """`bulletin preview ARG --port 0` in `project`; stops it with Ctrl-C (SIGINT)."""

    def __init__(self, project: Path, target: str, cwd: Path | None = None):
        """From `cwd` (`project` if not given), with `--root project`."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bulletin", "--root", str(project), "preview", target,
             "--port", "0"],
            cwd=cwd or project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_url()
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def _wait_for_url(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=60)
            except queue.Empty:
                self.process.kill()
                raise AssertionError("the preview printed no address: "
                                     + "".join(self.output) + self.process.stderr.read())
            match = re.search(r"http://\S+/", line)
            if match:
                return match.group(0)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=10) as response:
            return response.read()

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return code, self.process.stderr.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            code, stderr = self.stop()
            if exc == (None, None, None):
                assert code == 0, stderr
                assert "Traceback" not in stderr, stderr
                assert "预览已停止" in "".join(self.output)


@pytest.fixture(scope="module")
def browser():
    # A missing browser fails these tests rather than skipping them unseen.
    from playwright import sync_api  # a test dependency (pyproject.toml)

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("needs Debian's chromium (make test installs it)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    yield page
    page.close()


def shown(page) -> dict:
    return page.evaluate("""() => ({
      build: document.querySelector('#pages').dataset.build,
      sources: [...document.querySelectorAll('#pages img')].map(image => image.getAttribute('src')),
    })""")


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))


def test_page_follows_saved_edits_and_shows_errors_in_place(project, page):
    article = project / "issues/23/articles/hebi-shancheng.md"
    settings = project / "issues/23/issue.yaml"
    with PreviewProcess(project, "23") as server:
        page.goto(server.url)
        page.wait_for_function(PAGES_SHOWN, timeout=60_000)
        before = shown(page)
        page.evaluate("window.sameDocument = true")  # gone if the page were reloaded

        # 1. A new title, saved in the editor: the page changes by itself.
        article.write_text(article.read_text(encoding="utf-8").replace(
            "title: 鹤壁市山城区：为民履职走在前 助力发展添彩中原",
            "title: 鹤壁市山城区：代表履职见实效 服务群众暖人心"), encoding="utf-8")
        page.wait_for_function(
            """([build, first]) => {
              const images = document.querySelectorAll('#pages img');
              return document.querySelector('#pages').dataset.build !== build
                && images[0].getAttribute('src') !== first;
            }""", arg=[before["build"], before["sources"][0]], timeout=CHANGE_TIMEOUT_MS)
        assert page.evaluate("window.sameDocument") is True
        assert "代表履职见实效" in pdf_text(server.get("/issue.pdf"))
        after_edit = shown(page)

        # 2. Broken YAML: the error, with file and line, above the last good pages.
        good_settings = settings.read_text(encoding="utf-8")
        settings.write_text(good_settings.replace("number: 23\n", "number: 23: 期\n"),
                            encoding="utf-8")
        problems = page.locator("#problems")
        problems.wait_for(state="visible", timeout=CHANGE_TIMEOUT_MS)
        text = problems.inner_text()
        assert "issues/23/issue.yaml:2:11" in text and "YAML 格式错误" in text
        assert "number: 23: 期" in text  # the offending line itself
        assert shown(page) == after_edit
        assert "有 1 个问题" in page.locator("#status").inner_text()

        # 3. Fixed: the error goes, fresh pages come.
        settings.write_text(good_settings, encoding="utf-8")
        problems.wait_for(state="hidden", timeout=CHANGE_TIMEOUT_MS)
        page.wait_for_function(
            "build => document.querySelector('#pages').dataset.build !== build",
            arg=after_edit["build"], timeout=CHANGE_TIMEOUT_MS)
        page.wait_for_function(PAGES_SHOWN, timeout=CHANGE_TIMEOUT_MS)
        assert page.evaluate("window.sameDocument") is True

        # 4. A template edit counts too: a black masthead changes page 1.
        fixed = shown(page)
        stylesheet = project / "templates/print.css"
        stylesheet.write_text(stylesheet.read_text(encoding="utf-8")
                              + "\n.masthead-name { color: #000; }\n", encoding="utf-8")
        page.wait_for_function(
            "first => document.querySelector('#pages img').getAttribute('src') !== first",
            arg=fixed["sources"][0], timeout=CHANGE_TIMEOUT_MS)
        assert shown(page)["sources"][1:] == fixed["sources"][1:]  # the other pages are kept


def _page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in pdf.pages]


def _an_edit_on_page(project: Path, texts: list[str], number: int) -> tuple[Path, str, str]:
    """A run of body text printed on page `number` only, once in the whole issue, in one
    article: (that article, the run, the run with one character changed, Han for Han)."""
    everything = "".join(texts)
    for article in sorted((project / "issues/23/articles").glob("*.md")):
        source = article.read_text(encoding="utf-8")
        for run in re.findall(r"[\u4e00-\u9fff]{8}", texts[number - 1]):
            if everything.count(run) == 1 and source.count(run) == 1:
                other = "甲" if run[4] != "甲" else "乙"
                return article, run, run[:4] + other + run[5:]
    raise AssertionError(f"no edit found on page {number}")


def test_an_edit_on_page_3_rasterises_page_3_only(project, page):
    """The other pages keep their images (their URLs): only what changed is rasterised."""
    with PreviewProcess(project, "23") as server:
        page.goto(server.url)
        page.wait_for_function(PAGES_SHOWN, timeout=60_000)
        before = shown(page)
        first_state = json.loads(server.get("/state"))
        assert first_state["rasterised"] == len(before["sources"]) == 9
        article, run, changed = _an_edit_on_page(project, _page_texts(server.get("/issue.pdf")), 3)
        article.write_text(article.read_text(encoding="utf-8").replace(run, changed),
                           encoding="utf-8")
        page.wait_for_function(
            "build => document.querySelector('#pages').dataset.build !== build",
            arg=before["build"], timeout=CHANGE_TIMEOUT_MS)
        page.wait_for_function(PAGES_SHOWN, timeout=CHANGE_TIMEOUT_MS)
        after = shown(page)
        new = [i + 1 for i, (one, other) in enumerate(zip(before["sources"], after["sources"]))
               if one != other]
        assert new == [3] and len(after["sources"]) == 9
        assert json.loads(server.get("/state"))["rasterised"] == 1
        assert changed in _page_texts(server.get("/issue.pdf"))[2]
        # The new image is served, and what it shows is the page as the PDF has it.
        assert server.get(after["sources"][2]).startswith(b"\x89PNG")


def test_draft_is_previewed_as_样稿_of_the_next_issue(project, page):
    draft = project / "投稿.md"
    draft.write_text("---\ntitle: 某某县：代表联络站 架起连心桥\ncredit: 某某市人大常委会代表工委\n---\n\n"
                     "今年以来，某某县人大常委会依托代表联络站，组织代表倾听群众意见。\n\n"
                     "一、抓阵地建设。全县建成代表联络站二十个。\n", encoding="utf-8")
    with PreviewProcess(project, "投稿.md") as server:
        page.goto(server.url)
        page.wait_for_function(PAGES_SHOWN, timeout=60_000)
        assert "样稿" in page.locator("header").inner_text()
        assert "投稿.md" in page.title()
        text = pdf_text(server.get("/issue.pdf"))
        assert "第24期（样稿）" in text
        assert "代表联络站架起连心桥" in text and "（某某市人大常委会代表工委供稿）" in text
        assert "代表履职" not in text  # none of issue 23's articles

        # The contributor forgets the credit: told where, in the page.
        draft.write_text(draft.read_text(encoding="utf-8").replace(
            "credit: 某某市人大常委会代表工委\n", ""), encoding="utf-8")
        problems = page.locator("#problems")
        problems.wait_for(state="visible", timeout=CHANGE_TIMEOUT_MS)
        assert re.search(r"投稿\.md:\d+:\d+: \S+ 缺少必填字段“credit”", problems.inner_text())


def test_a_draft_outside_the_checkout_is_previewed_with_its_images(project, page, tmp_path):
    """A contributor's draft in their own folder, with a photo beside it: previewed with
    the project's settings, the photo read from the draft's folder (no S114)."""
    from PIL import Image

    home = tmp_path / "home" / "投稿"
    home.mkdir(parents=True)
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(home / "photo.png")
    (home / "ruzhou.md").write_text(
        "---\ntitle: 汝州市：代表联络站架起连心桥\ncredit: 汝州市人大常委会\n---\n\n"
        "今年以来，汝州市人大常委会依托代表联络站，组织代表倾听群众意见。\n\n"
        "![](photo.png)\n\n图为代表在联络站接待群众。\n", encoding="utf-8")
    with PreviewProcess(project, "ruzhou.md", cwd=home) as server:
        page.goto(server.url)
        page.wait_for_function(PAGES_SHOWN, timeout=60_000)
        assert "S114" not in page.content()
        data = server.get("/issue.pdf")
        assert "汝州市人大常委会" in pdf_text(data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            photos = [image for sheet in pdf.pages for image in sheet.images]
        assert len(photos) == 1 and photos[0]["srcsize"] == (1200, 800)


def raw_get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host} if host else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def other_addresses() -> set[str]:
    """This machine's non-loopback IPv4 addresses, as far as they can be found offline."""
    found = set()
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                             socket.AF_INET)}
    except OSError:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent
            found.add(probe.getsockname()[0])
        except OSError:
            pass
    return {address for address in found if not address.startswith("127.")}


def test_serves_nothing_but_its_own_routes_and_only_on_loopback_and_stops_on_ctrl_c(project):
    """One server for both (a preview process costs a second or two): its routes, its
    address, then Ctrl-C."""
    with PreviewProcess(project, "23") as server:
        assert server.url.startswith("http://127.0.0.1:")
        for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/page/../../../etc/passwd",
                     "/page/..%2f..%2fbulletin.yaml", "//etc/passwd", "/bulletin.yaml",
                     "/issues/23/issue.yaml", "/templates/print.css", "/fonts/README.md"):
            status, body = raw_get(server.port, path)
            assert status in (400, 404), path
            assert b"root:" not in body and b"number:" not in body, path
        # A foreign host name (DNS rebinding) is refused.
        assert raw_get(server.port, "/", host="attacker.example:80")[0] == 400
        assert raw_get(server.port, "/")[0] == 200
        for address in other_addresses():
            with pytest.raises(OSError):
                socket.create_connection((address, server.port), timeout=2).close()

        # Ctrl-C stops it cleanly (what was test_ctrl_c_stops_cleanly).
        assert raw_get(server.port, "/")[0] == 200
        code, stderr = server.stop()
        assert code == 0 and "Traceback" not in stderr, stderr
        assert "预览已停止" in "".join(server.output)


def test_editorial_findings_show_beside_the_pages(project):
    """bulletin check's findings on the wording are listed, and the pages still build."""
    from bulletin.preview.build import Preview
    from bulletin.preview.targets import IssueTarget

    article = project / "issues/23/articles/xixia.md"
    article.write_text(article.read_text(encoding="utf-8").replace("今年，按照", "今年,按照", 1),
                       encoding="utf-8")
    preview = Preview(project, IssueTarget(23))
    report = preview.rebuild()
    assert report.ok and report.page_count == 9
    codes = {(note["code"], note["location"].split(":")[0]) for note in report.notes}
    assert ("B203", "issues/23/articles/xixia.md") in codes
    assert preview.snapshot()["notes"] == report.notes


def test_layout_findings_show_beside_the_pages(project):
    """The preflight's findings on the pages (L3xx) are listed with the wording's."""
    from bulletin.preview.build import Preview
    from bulletin.preview.targets import IssueTarget

    # Two more lines of recipients: the 报尾 no longer fits under the text of page 9.
    issue = project / "issues/23/issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "extra_distribution:\n"
                     "  - {label: 抄送, recipients: " + "各县（市、区）人大常委会主任、副主任、秘书长，" * 20
                     + "各乡镇人大主席团}\n", encoding="utf-8")
    preview = Preview(project, IssueTarget(23))
    report = preview.rebuild()
    assert report.ok and report.page_count == 10
    found = [note for note in report.notes if note["code"] == "L306"]
    assert len(found) == 1 and found[0]["location"] == "issues/23/issue.yaml"
    assert re.search(r"第 9 页：报尾排不进末页正文之下，还差 \d+ 行", found[0]["message"])
    assert found[0]["severity"] == "warning"


# --- a watched folder deleted and made again ---------------------------------------------

ROOT_ISSUES = Path(__file__).resolve().parent.parent / "issues"


class Changes:
    """What a SourceWatcher reports, for a test to wait on."""

    def __init__(self):
        self.reported: queue.Queue[set[Path]] = queue.Queue()

    def __call__(self, paths: set[Path]) -> None:
        self.reported.put(paths)

    def wait_for(self, path: Path, timeout: float = 10) -> bool:
        import time

        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                if path in self.reported.get(timeout=left):
                    return True
            except queue.Empty:
                return False
        return False

    def drain(self) -> None:
        while not self.reported.empty():
            self.reported.get_nowait()


def save_again(path: Path, extra: str = "\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


@pytest.mark.parametrize("how", ["deleted and copied back", "moved away and back"])
def test_the_watcher_follows_a_recreated_issues_folder(tmp_path, how):
    """The real watcher (watchfiles): after `issues/` is deleted and made again, a save in
    it is still seen, as it was before."""
    import time

    from bulletin.preview.targets import IssueTarget
    from bulletin.preview.watcher import SourceWatcher
    from conftest import copy_project

    project = copy_project(tmp_path / "project", issues=[23], fonts=None, lint_cache=False)
    article = project / "issues/23/articles/xixia.md"
    changes = Changes()
    watcher = SourceWatcher(project, IssueTarget(23), changes)
    watcher.start()
    try:
        time.sleep(0.5)  # the watches in place
        save_again(article)
        assert changes.wait_for(article), "the first save was not seen"
        backup = tmp_path / "backup"
        if how == "deleted and copied back":
            shutil.copytree(project / "issues", backup)
            shutil.rmtree(project / "issues")
            time.sleep(0.3)
            shutil.copytree(backup, project / "issues")
        else:
            (project / "issues").rename(backup)
            time.sleep(0.3)
            shutil.copytree(backup, project / "issues")
            save_again(backup / "23/articles/xixia.md")  # the old folder is no source now
        assert changes.wait_for(project / "issues"), "the new folder was not seen"
        time.sleep(1)  # the new watch in place, the rebuild after it reported
        changes.drain()
        save_again(article)
        assert changes.wait_for(article), "a save after the folder was made again was not seen"
    finally:
        watcher.stop()


def test_the_watcher_follows_an_issues_folder_made_after_it_started(tmp_path):
    import time

    from bulletin.preview.targets import IssueTarget
    from bulletin.preview.watcher import SourceWatcher
    from conftest import copy_project

    project = copy_project(tmp_path / "project", issues=False, fonts=None, lint_cache=False)
    (project / "issues").rmdir()
    changes = Changes()
    watcher = SourceWatcher(project, IssueTarget(23), changes)
    watcher.start()
    try:
        time.sleep(0.5)
        shutil.copytree(ROOT_ISSUES / "23", project / "issues/23")
        assert changes.wait_for(project / "issues")
        time.sleep(1)
        changes.drain()
        article = project / "issues/23/articles/xixia.md"
        save_again(article)
        assert changes.wait_for(article)
    finally:
        watcher.stop()


def test_the_preview_shows_edits_after_issues_is_deleted_and_made_again(project, tmp_path):
    """End to end, as a user meets it: the served PDF follows a save made after the
    folder came back."""
    import json
    import time

    def state() -> dict:
        return json.loads(server.get("/state"))

    def wait(condition, what: str, timeout: float = 30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out: {what}; output: {''.join(server.output)}")

    backup = tmp_path / "issues-backup"
    shutil.copytree(project / "issues", backup)
    with PreviewProcess(project, "23") as server:
        wait(lambda: state()["build"] >= 1 and state()["ok"], "the first build")
        shutil.rmtree(project / "issues")
        wait(lambda: state()["ok"] is False, "the build without issues/")
        failed = state()["build"]
        shutil.copytree(backup, project / "issues")
        wait(lambda: state()["build"] > failed and state()["ok"], "the build after issues/ came back")
        time.sleep(1)
        article = project / "issues/23/articles/hebi-shancheng.md"
        article.write_text(article.read_text(encoding="utf-8").replace(
            "title: 鹤壁市山城区：为民履职走在前 助力发展添彩中原",
            "title: 鹤壁市山城区：代表履职见实效 服务群众暖人心"), encoding="utf-8")
        wait(lambda: "代表履职见实效" in pdf_text(server.get("/issue.pdf")),
             "the saved title in the served PDF")
