"""Save → refresh latency of `bulletin preview`: from an article written on disk to the
new page images shown in a headless Chromium.

    .venv/bin/python bench/preview_latency.py [--runs 10] [--issue 23]

Runs the preview on a throwaway copy of the project. The page stamps `Date.now()` when it
has swapped in the new images (window.previewShown); both clocks are this machine's.
"""

from __future__ import annotations

import argparse
import json
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PAGES_SHOWN = """() => {
  const images = [...document.querySelectorAll('#pages img')];
  return document.querySelector('#pages').dataset.build !== '0' && images.length > 0
    && images.every(image => image.complete && image.naturalWidth > 0);
}"""
NEW_PAGES = "build => window.previewShown && String(window.previewShown.build) !== build"


def copy_project(target: Path) -> Path:
    shutil.copy(ROOT / "bulletin.yaml", target / "bulletin.yaml")
    shutil.copytree(ROOT / "issues", target / "issues")
    shutil.copytree(ROOT / "templates", target / "templates")
    (target / "fonts").symlink_to(ROOT / "fonts")
    return target


def start_preview(project: Path, issue: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "bulletin", "preview", str(issue),
                                "--port", "0"], cwd=project, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                     daemon=True).start()
    while True:
        match = re.search(r"http://\S+/", lines.get(timeout=60))
        if match:
            return process, match.group(0)


def edit(article: Path, text: str, run: int) -> str:
    """One paragraph changed, as an editor would: a figure in the article's first paragraph."""
    first = re.search(r"\n\n(.+?)。", text)
    changed = text[: first.end(1)] + f"，共{run + 1}项" + text[first.end(1):]
    article.write_text(changed, encoding="utf-8")
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--issue", type=int, default=23)
    parser.add_argument("--json", type=Path, help="also write the latencies there (bench/run.py)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="preview-bench-") as folder:
        project = copy_project(Path(folder))
        article = sorted((project / "issues" / str(args.issue) / "articles").glob("*.md"))[0]
        original = article.read_text(encoding="utf-8")
        process, url = start_preview(project, args.issue)
        latencies, builds = [], []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                started = time.perf_counter()
                page.goto(url)
                page.wait_for_function(PAGES_SHOWN, timeout=60_000)
                print(f"first build shown after {time.perf_counter() - started:.2f} s "
                      f"(cold: WeasyPrint import, fonts)")
                for run in range(args.runs):
                    time.sleep(0.5)  # let the last swap settle, as between two saves
                    build = page.evaluate("String(document.querySelector('#pages').dataset.build)")
                    written = time.time()
                    edit(article, original, run)
                    page.wait_for_function(NEW_PAGES, arg=build, timeout=20_000)
                    shown_at = page.evaluate("window.previewShown.at") / 1000
                    # The pages are shown before the build ends (the wording check comes
                    # after): its time is read once it has ended.
                    for _ in range(200):
                        with urllib.request.urlopen(url + "state", timeout=10) as response:
                            state = json.load(response)
                        if not state.get("building"):
                            break
                        time.sleep(0.02)
                    latencies.append(shown_at - written)
                    builds.append(state["seconds"])
                    print(f"run {run + 1:2d}: save → new images shown {latencies[-1]:.3f} s "
                          f"(server build {state['seconds']:.2f} s)")
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=20)

    quartiles = statistics.quantiles(latencies, n=4) if len(latencies) > 1 else latencies * 3
    print(f"\nsave → refresh over {len(latencies)} runs: median {statistics.median(latencies):.3f} s, "
          f"min {min(latencies):.3f} s, max {max(latencies):.3f} s, "
          f"IQR {quartiles[0]:.3f}–{quartiles[2]:.3f} s")
    print(f"server build (load, layout, PDF, images): median {statistics.median(builds):.2f} s")
    if args.json:
        args.json.write_text(json.dumps({"latencies": latencies, "builds": builds}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
