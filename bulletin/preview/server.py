"""The preview's HTTP server: a few fixed routes; nothing is served from the filesystem.

    /              the page
    /events        server-sent events: the state after every change
    /state         the same state, once, as JSON
    /page/<k>.png  a page image, by the digest of what it draws (preview/pagekeys.py)
    /issue.pdf     the last PDF that built
    /favicon.ico   nothing (browsers ask for it)
"""

from __future__ import annotations

import errno
import ipaddress
import json
import re
import signal
import socket
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import Builder, BuildReport, Preview
from .page import render_page
from .watcher import SourceWatcher

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8023
PAGE_IMAGE = re.compile(r"/page/([0-9a-f]{20})\.png")
KEEPALIVE_SECONDS = 15
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
PAGE_POLICY = ("default-src 'none'; img-src 'self'; connect-src 'self'; "
               "script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not hold up Ctrl-C

    def __init__(self, address: tuple[str, int], preview: Preview):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.preview = preview
        self.loopback_only = _is_loopback(host)
        self.page = render_page(preview.target.title, preview.target.draft)
        super().__init__(address, PreviewHandler)

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser dropped a request it no longer needed
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "bulletin-preview"
    sys_version = ""

    def do_GET(self):
        self._route(head=False)

    def do_HEAD(self):
        self._route(head=True)

    def log_message(self, format, *args):  # noqa: A002 - the console shows builds, not requests
        pass

    def _route(self, head: bool) -> None:
        # Anything but the exact routes below is refused: no path ever reaches the disk.
        if not self._host_allowed():
            return self._send(HTTPStatus.BAD_REQUEST, "只接受本机访问。".encode(), "text/plain")
        path = self.path.split("?", 1)[0]
        preview = self.server.preview
        if path == "/":
            self._send(HTTPStatus.OK, self.server.page, "text/html", head,
                       {"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store"})
        elif path == "/events" and not head:
            self._events()
        elif path == "/state":
            body = json.dumps(preview.snapshot(), ensure_ascii=False).encode()
            self._send(HTTPStatus.OK, body, "application/json", head,
                       {"Cache-Control": "no-store"})
        elif path == "/issue.pdf" and preview.pdf is not None:
            self._send(HTTPStatus.OK, preview.pdf, "application/pdf", head,
                       {"Cache-Control": "no-store"})
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", head=True)
        elif (match := PAGE_IMAGE.fullmatch(path)) and (image := preview.images.get(match[1])):
            self._send(HTTPStatus.OK, image, "image/png", head,
                       {"Cache-Control": "max-age=31536000, immutable"})
        else:
            self._send(HTTPStatus.NOT_FOUND, "没有这个页面。".encode(), "text/plain", head)

    def _host_allowed(self) -> bool:
        """On loopback, refuse other host names: a web page cannot rebind its name to us."""
        if not self.server.loopback_only:
            return True
        host = self.headers.get("Host", "")
        name = host[1:host.find("]")] if host.startswith("[") else host.rsplit(":", 1)[0]
        return name.lower() in LOOPBACK_NAMES

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, head: bool = False,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if content_type.startswith(("text/", "application/json")) \
            else ""
        self.send_header("Content-Type", content_type + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.close_connection = True
        preview = self.server.preview
        seen = -1
        chunk = "retry: 1000\n\n"  # after a restart, the page reconnects within a second
        try:
            while True:
                self.wfile.write(chunk.encode())
                self.wfile.flush()
                version = preview.wait(seen, KEEPALIVE_SECONDS)
                if preview.closed:
                    return
                if version == seen:
                    chunk = ": keep-alive\n\n"
                    continue
                state = preview.snapshot()
                seen = state["version"]
                chunk = f"event: state\nid: {seen}\ndata: {json.dumps(state, ensure_ascii=False)}\n\n"
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return  # the page was closed


def run_preview(root: Path, target, host: str, port: int, echo) -> int:
    """Serve the preview until Ctrl-C; the exit code."""
    preview = Preview(root, target, on_report=lambda report: _print_report(report, echo))
    try:
        server = PreviewServer((host, port), preview)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            echo(f"端口 {port} 已被占用：可用 --port 另选一个（--port 0 表示任选空闲端口）。",
                 err=True)
        else:
            echo(f"无法在 {host}:{port} 上启动预览：{exc.strerror or exc}", err=True)
        return 2
    builder = Builder(preview)
    watcher = SourceWatcher(root, target, builder.request)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        watcher.start()
        builder.start()
        what = "样稿" if target.draft else ""
        echo(f"预览{what} {target.title}：{server.url}")
        echo("在浏览器中打开上面的地址；保存稿件、模板或字体后页面自动更新。按 Ctrl-C 停止。")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        watcher.stop()
        preview.close()
        builder.stop()
        server.server_close()
    echo("预览已停止。")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _print_report(report: BuildReport, echo) -> None:
    when = time.strftime("%H:%M:%S", time.localtime(report.finished))
    if report.ok:
        echo(f"[{when}] 第 {report.number} 次排版：{report.page_count} 页，"
             f"{report.seconds:.2f} 秒")
        return
    echo(f"[{when}] 第 {report.number} 次排版：有 {len(report.problems)} 个问题，未更新页面：")
    for problem in report.problems:
        where = f"{problem['location']}: " if problem["location"] else ""
        code = f"{problem['code']} " if problem["code"] else ""
        echo(f"  {where}{code}{problem['message']}")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
