"""The numbers that say whether editors wait: `make bench` prints a table and writes JSON.

- cold `bulletin build 23`, a fresh process each time, paired with two anchors compiling
  the same text in the same faces (bench/anchors.py writes the documents to build/bench/):
  Typst (the `typst` Python binding, a fresh `python -c` process each time) and xelatex on
  a ctex document. Each round runs bulletin, then Typst, then xelatex, one after the other;
  the ratio is the median of the rounds' own ratios (bulletin ÷ anchor of the same round),
  so that the load of a shared machine, which moves the three alike, cancels out. One
  untimed round first (the page cache, .pyc files, font caches).
- warm rebuild of issue 23 in one process, as the preview does (median of 10)
- save → refreshed page in a headless Chromium (bench/preview_latency.py, about 25 s)
- cold `bulletin check 23` (median of 5)
- peak memory (max RSS) of a cold build, the size of issue 23's PDF and its ratio to
  Typst's PDF of the same text
- `bulletin build --all --force` over 20 generated issues with -j 1 and -j 2, and
  `build --all` with nothing changed over those 20 and over 50 generated issues

Machines here are shared and noisy: read medians and ratios, not single runs. Targets
(issue #17): cold build ≤ 1.5 × xelatex and ≤ 8 × Typst, warm rebuild ≤ 0.3 s,
save → refresh ≤ 0.5 s, check ≤ 0.3 s, no-change build --all over 50 issues ≤ 0.3 s,
PDF ≤ 1.15 × Typst's, peak memory ≤ 160 MB; -j 2 ≤ 0.6 × -j 1 (issue #8).
An anchor whose compiler is missing is left out with a note (`make bench` installs both).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import anchors  # noqa: E402  (bench/anchors.py)

ENV = {**os.environ, "CI": "true"}
NOTES: list[str] = []


def timed(command: list[str], cwd: Path = ROOT, timeout: float = 300) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one process, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=ENV)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            raise subprocess.TimeoutExpired(command, timeout)
        time.sleep(0.002)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return wall, usage.ru_maxrss / 1024


def bulletin(*args: str, cwd: Path = ROOT) -> float:
    return timed([sys.executable, "-m", "bulletin", *args], cwd=cwd)[0]


def summary(samples: list[float], **extra) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "runs": len(samples), **extra}


# --- the anchors -------------------------------------------------------------------------

def typst_command(typ: Path, pdf: Path) -> list[str] | None:
    if importlib.util.find_spec("typst") is None:
        NOTES.append("Typst anchor skipped: the `typst` module is not installed "
                     "(pip install -e '.[bench]', as `make bench` does)")
        return None
    return [sys.executable, "-c", anchors.TYPST_MAIN, str(typ), str(pdf), str(anchors.FONTS)]


def xelatex_command(tex: Path, out: Path) -> list[str] | None:
    if shutil.which("xelatex") is None:
        NOTES.append("xelatex anchor skipped: xelatex is not installed "
                     "(apt-get install texlive-xetex texlive-lang-chinese, as `make bench` "
                     "does when it can)")
        return None
    out.mkdir(parents=True, exist_ok=True)
    return ["xelatex", "-interaction=batchmode", "-halt-on-error", "-output-directory",
            str(out), str(tex)]


def versions() -> dict:
    found = {"python": platform.python_version()}
    if importlib.util.find_spec("typst") is not None:
        from importlib.metadata import version
        found["typst (PyPI)"] = version("typst")
    if shutil.which("xelatex"):
        found["xelatex"] = subprocess.run(["xelatex", "--version"], capture_output=True,
                                          text=True).stdout.splitlines()[0]
    return found


def cold_builds(rounds: int, out: Path) -> tuple[dict[str, list], Path, Path | None]:
    """Paired rounds: bulletin, Typst, xelatex; wall seconds and peak MB of each."""
    typ, tex = anchors.write(ROOT / "build" / "bench", ROOT, 23)
    pdf = out / "issue-23.pdf"
    typst_pdf = typ.with_suffix(".pdf")
    commands = {"bulletin": [sys.executable, "-m", "bulletin", "build", "23", "-o", str(pdf)],
                "typst": typst_command(typ, typst_pdf),
                "xelatex": xelatex_command(tex, typ.parent / "xelatex")}
    for name in ("typst", "xelatex"):  # the untimed round also proves the anchor compiles
        if commands[name] is not None:
            try:
                timed(commands[name])
            except (subprocess.SubprocessError, OSError) as error:
                NOTES.append(f"{name} anchor skipped: it failed to compile ({error})")
                commands[name] = None
    timed(commands["bulletin"])
    samples: dict[str, list] = {name: [] for name, command in commands.items() if command}
    for _ in range(rounds):
        for name in samples:
            samples[name].append(timed(commands[name]))
    return samples, pdf, typst_pdf if commands["typst"] else None


def pair_ratios(samples: dict[str, list], anchor: str) -> list[float]:
    return [ours[0] / theirs[0] for ours, theirs in zip(samples["bulletin"], samples[anchor])]


# --- the rest ------------------------------------------------------------------------------

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


def preview_latencies(runs: int) -> list[float] | None:
    if not Path("/usr/bin/chromium").exists() or importlib.util.find_spec("playwright") is None:
        NOTES.append("save → refresh skipped: needs /usr/bin/chromium and playwright "
                     "(make test-deps)")
        return None
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-preview-") as folder:
        result = Path(folder) / "preview.json"
        try:
            subprocess.run([sys.executable, str(ROOT / "bench" / "preview_latency.py"),
                            "--runs", str(runs), "--json", str(result)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
            return json.loads(result.read_text(encoding="utf-8"))["latencies"]
        except (subprocess.SubprocessError, OSError, ValueError, KeyError) as error:
            NOTES.append(f"save → refresh skipped: bench/preview_latency.py failed ({error})")
            return None


def archive_times(issues: int, many: int, runs: int) -> dict:
    """-j 1 and -j 2 over `issues` generated issues, then no-change runs over `issues` and,
    after issues up to `many` are added and built, over `many`."""
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
        for number in range(issues + 1, many + 1):
            make_issue(project, number, seed=number, articles=3)
        bulletin("build", "--all", "-j", "2", cwd=project)  # builds the new ones only
        times["skip many"] = [bulletin("build", "--all", cwd=project) for _ in range(runs)]
        return times
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def print_table(rows: list[tuple[str, dict, str, float | None]]) -> None:
    width = max(len(name) for name, *_ in rows)
    print(f"{'measure'.ljust(width)}  {'median':>9}  {'min':>9}  {'max':>9}  runs  target")
    for name, row, kind, target in rows:
        if target is None:
            target_text = ""
        else:
            verdict = "ok" if row["median"] <= target else "OVER"
            target_text = f"≤ {target:g}{' ×' if kind == 'ratio' else ''} {verdict}"
        print(f"{name.ljust(width)}  {row['median']:9.3f}  {row['min']:9.3f}  {row['max']:9.3f}"
              f"  {row['runs']:4d}  {target_text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs, 6 and 12 archive issues, no preview")
    parser.add_argument("--no-preview", action="store_true", help="leave out save → refresh")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()
    rounds, warm_runs, archive_runs, issues, many, preview_runs = (
        (3, 5, 1, 6, 12, 0) if args.quick else (5, 10, 3, 20, 50, 10))
    if args.no_preview:
        preview_runs = 0

    out = Path(tempfile.mkdtemp(prefix="bulletin-bench-pdf-"))
    rows: list[tuple[str, dict, str, float | None]] = []  # name, summary, kind, target

    def row(name: str, samples: list[float], kind: str = "", target: float | None = None,
            **extra) -> None:
        rows.append((name, summary(samples, **extra), kind, target))

    cold, pdf, typst_pdf = cold_builds(rounds, out)
    row("cold build 23, fresh process (s)", [wall for wall, _ in cold["bulletin"]])
    for name, label in (("typst", "Typst"), ("xelatex", "xelatex (ctex)")):
        if name in cold:
            row(f"  {label}, same text, fresh process (s)", [wall for wall, _ in cold[name]])
    targets = {"xelatex": 1.5, "typst": 8}
    for name, label in (("xelatex", "xelatex"), ("typst", "Typst")):
        if name in cold:
            ratios = pair_ratios(cold, name)
            ours = statistics.median(wall for wall, _ in cold["bulletin"])
            theirs = statistics.median(wall for wall, _ in cold[name])
            row(f"cold build / {label} (median of pairs)", ratios, "ratio", targets[name],
                ratio_of_medians=ours / theirs)
    row("peak memory of a cold build (MB)", [mb for _, mb in cold["bulletin"]], "", 160)
    size = pdf.stat().st_size / 1024
    row("PDF size, issue 23 (KB)", [size])
    if typst_pdf is not None:
        typst_size = typst_pdf.stat().st_size / 1024
        row("  Typst's PDF, same text (KB)", [typst_size])
        row("PDF size / Typst's", [size / typst_size], "ratio", 1.15)
    row("warm rebuild (s)", warm_rebuilds(warm_runs, out / "warm.pdf"), "", 0.3)
    if preview_runs:
        latencies = preview_latencies(preview_runs)
        if latencies:
            row("save → refresh, preview (s)", latencies, "", 0.5)
    row("cold check 23 (s)", [bulletin("check", "23") for _ in range(rounds)], "", 0.3)
    archive = archive_times(issues, many, archive_runs)
    row(f"build --all, {issues} issues, -j 1 (s)", archive[1])
    row(f"build --all, {issues} issues, -j 2 (s)", archive[2])
    row("-j 2 / -j 1", [statistics.median(archive[2]) / statistics.median(archive[1])],
        "ratio", 0.6)
    row(f"no-change build --all, {issues} issues (s)", archive["skip"])
    row(f"no-change build --all, {many} issues (s)", archive["skip many"], "",
        0.3 if many == 50 else None)
    shutil.rmtree(out, ignore_errors=True)

    print_table(rows)
    for note in NOTES:
        print(f"note: {note}")
    results = {name.strip(): {**summary_, "target": target} for name, summary_, _, target in rows}
    results["_about"] = {
        "date": time.strftime("%Y-%m-%d"), "versions": versions(), "notes": NOTES,
        "ratio": "median over paired rounds of bulletin ÷ anchor (ratio_of_medians too)",
        "anchors": "bench/anchors.py → build/bench/issue-23.typ, issue-23.tex",
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n{args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
