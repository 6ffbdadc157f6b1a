"""The numbers that say whether editors wait: `make bench` prints a table and writes JSON.

- cold `bulletin build 23`, in a fresh process each time (median of 5)
- warm rebuild of issue 23 in one process, as the preview does (median of 10)
- cold `bulletin check 23` (median of 5)
- peak memory of a cold build, and the size of issue 23's PDF
- `bulletin build --all --force` over 20 generated issues with -j 1 and -j 2 (median of 3)

Machines here are shared and noisy: read medians and ratios, not single runs. Targets
(issue #8): cold build ≤ 1.2 s, warm ≤ 0.35 s, check ≤ 0.5 s, peak memory ≤ 250 MB,
PDF ≤ 400 KB, -j 2 ≤ 0.6 × -j 1.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TARGETS = {"cold build (s)": 1.2, "warm rebuild (s)": 0.35, "cold check (s)": 0.5,
           "peak memory (MB)": 250, "PDF size (KB)": 400}


def bulletin(*args: str, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bulletin", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "CI": "true"})
    return time.perf_counter() - started


def summary(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "runs": len(samples)}


def warm_rebuilds(runs: int, target: Path) -> list[float]:
    from bulletin.pipeline import build_issue
    from bulletin.typeset.render import Renderer

    renderer = Renderer(ROOT)
    build_issue(ROOT, 23, target, renderer=renderer)  # warm up: fonts, stylesheets, imports
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        build_issue(ROOT, 23, target, renderer=renderer)
        samples.append(time.perf_counter() - started)
    return samples


def archive_times(issues: int, runs: int) -> dict:
    from synthetic import make_issue, make_project

    folder = Path(tempfile.mkdtemp(prefix="bulletin-bench-"))
    try:
        project = make_project(ROOT, folder / "archive")
        for number in range(1, issues + 1):
            make_issue(project, number, seed=number, articles=3)
        times = {}
        for jobs in (1, 2):
            times[jobs] = [bulletin("build", "--all", "--force", "-j", str(jobs), cwd=project)
                           for _ in range(runs)]
        times["skip"] = [bulletin("build", "--all", cwd=project) for _ in range(runs)]
        return times
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 6 archive issues")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()
    cold_runs, warm_runs, archive_runs, issues = (3, 5, 1, 6) if args.quick else (5, 10, 3, 20)

    out = Path(tempfile.mkdtemp(prefix="bulletin-bench-pdf-"))
    pdf = out / "issue-23.pdf"
    results: dict[str, dict] = {}
    results["cold build (s)"] = summary(
        [bulletin("build", "23", "-o", str(pdf)) for _ in range(cold_runs)])
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    results["peak memory (MB)"] = summary([peak_kb / 1024])
    results["PDF size (KB)"] = summary([pdf.stat().st_size / 1024])
    results["warm rebuild (s)"] = summary(warm_rebuilds(warm_runs, out / "warm.pdf"))
    results["cold check (s)"] = summary([bulletin("check", "23") for _ in range(cold_runs)])
    archive = archive_times(issues, archive_runs)
    results[f"build --all, {issues} issues, -j 1 (s)"] = summary(archive[1])
    results[f"build --all, {issues} issues, -j 2 (s)"] = summary(archive[2])
    results[f"build --all, {issues} issues, all current (s)"] = summary(archive["skip"])
    ratio = statistics.median(archive[2]) / statistics.median(archive[1])
    results["-j 2 / -j 1"] = summary([ratio])
    shutil.rmtree(out, ignore_errors=True)

    width = max(len(name) for name in results)
    print(f"{'measure'.ljust(width)}  {'median':>9}  {'min':>9}  {'max':>9}  runs  target")
    for name, row in results.items():
        target = TARGETS.get(name, 0.6 if name.startswith("-j") else None)
        verdict = "" if target is None else ("ok" if row["median"] <= target else "OVER")
        target_text = "" if target is None else f"≤ {target:g} {verdict}"
        print(f"{name.ljust(width)}  {row['median']:9.3f}  {row['min']:9.3f}  {row['max']:9.3f}"
              f"  {row['runs']:4d}  {target_text}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n{args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
