"""Wall time of `bulletin check N` in a fresh process: cold (no font coverage cache) and warm.

    .venv/bin/python bench/check_timing.py [--runs 7] [--issue 23]

Cold runs delete build/.lint/ first, so they include reading every bundled font's cmap.
Prints the median wall time and the median CPU time (user + system) of each kind: on a busy
machine the wall time grows with the load, the CPU time hardly.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / ".lint"


def one_run(issue: int) -> tuple[float, float]:
    """Wall and CPU seconds of one `bulletin check` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bulletin", "check", str(issue)], cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--issue", type=int, default=23)
    args = parser.parse_args()
    one_run(args.issue)  # the interpreter's own caches (.pyc, page cache)
    cold, warm = [], []
    for _ in range(args.runs):
        shutil.rmtree(CACHE, ignore_errors=True)
        cold.append(one_run(args.issue))
        warm.append(one_run(args.issue))
    for name, runs in (("cold", cold), ("warm", warm)):
        walls = [wall for wall, _ in runs]
        cpu = statistics.median(cpu for _, cpu in runs)
        shown = " ".join(f"{t:.3f}" for t in walls)
        print(f"{name}: median wall {statistics.median(walls):.3f} s, CPU {cpu:.3f} s  "
              f"(wall: {shown})")


if __name__ == "__main__":
    main()
