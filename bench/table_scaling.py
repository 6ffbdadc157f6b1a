"""How a pipe table's size costs time and memory: prints numbers, asserts nothing.

`bulletin build` of a one-article issue whose article holds a table of N rows (4
columns; the last case 6, at the cell limit), each in a fresh process, with its wall
time and peak memory (VmHWM: the process's own high-water mark). The limits of
bulletin/sources.py (MAX_TABLE_ROWS, MAX_TABLE_COLUMNS, MAX_TABLE_CELLS) refuse the
large tables when the article is read, before any layout: for those the build and
the check are timed as they are refused. `--unbounded N ...` also lays out tables of N
rows with the limits lifted, to show what the layout itself costs past them (about
6.5 ms a row of 4 cells on a 2-core machine: 1000 rows 7 s, 20 000 rows 126 s and 1.2 GB).

    .venv/bin/python bench/table_scaling.py [--unbounded 1000 2000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

NUMBER = 90  # the benchmark's issue
# Runs `bulletin ARGS` in this process, limits lifted or not, then prints the exit code
# and the peak memory; the parent times it.
RUNNER = """
import re, sys
from pathlib import Path
if sys.argv[1] == "unbounded":
    import bulletin.sources as sources
    sources.MAX_TABLE_ROWS = sources.MAX_TABLE_CELLS = sources.MAX_ARTICLE_TABLE_CELLS = 10**9
from bulletin.cli import main
try:
    main(sys.argv[2:], prog_name="bulletin", standalone_mode=False)
    code = 0
except SystemExit as exit:
    code = exit.code or 0
peak = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
print(f"RESULT {code} {int(peak) // 1024}", file=sys.stderr)
"""


def table(rows: int, columns: int) -> str:
    head = "| " + " | ".join(["县（市、区）"] + [f"指标{c}" for c in range(1, columns)]) + " |\n"
    rule = "|" + " --- |" * columns + "\n"
    return head + rule + "".join(
        "| " + " | ".join([f"某某县{r}"] + [str((r * 7 + c) % 997) for c in range(1, columns)])
        + " |\n" for r in range(rows - 1))


def write_table(project: Path, rows: int, columns: int) -> None:
    article = next((project / "issues" / str(NUMBER) / "articles").glob("*.md"))
    text = article.read_text(encoding="utf-8")
    if "\n表1 " in text:
        text = text[: text.index("\n表1 ")]
    if rows:
        text += f"\n表1 各县代表建议办理情况\n\n{table(rows, columns)}\n"
    article.write_text(text, encoding="utf-8")


def run(project: Path, mode: str, *args: str) -> tuple[int, float, int]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, mode, *args], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "CI": "true"})
    seconds = time.perf_counter() - started
    line = next(line for line in done.stderr.splitlines() if line.startswith("RESULT "))
    _, code, peak = line.split()
    return int(code), seconds, int(peak)


def main() -> None:
    from synthetic import make_project

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unbounded", type=int, nargs="*", default=[], metavar="ROWS",
                        help="also lay out tables of these many rows with the limits lifted")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bulletin-tables-"))
    try:
        measure(make_project(ROOT, scratch / "p"), options)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure(project: Path, options) -> None:
    from synthetic import make_issue

    from bulletin.sources import MAX_TABLE_CELLS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS

    make_issue(project, NUMBER, seed=7, articles=1)
    run(project, "bounded", "check", str(NUMBER))  # the font coverage cache, once
    cells_columns = MAX_TABLE_CELLS // MAX_TABLE_ROWS
    cases = [("build", "bounded", rows, 4) for rows in (0, 100, 250, MAX_TABLE_ROWS)]
    cases.append(("build", "bounded", MAX_TABLE_ROWS, cells_columns))  # at the cell limit
    for rows in (1_000, 5_000, 10_000, 20_000):
        cases += [("check", "bounded", rows, 4), ("build", "bounded", rows, 4)]
    cases += [("build", "unbounded", rows, 4) for rows in options.unbounded]

    print(f"limits: {MAX_TABLE_ROWS} rows, {MAX_TABLE_COLUMNS} columns, {MAX_TABLE_CELLS} cells "
          "a table (sources.py)")
    print(f"{'command':<8} {'limits':<9} {'rows':>6} {'cols':>4} {'cells':>7} {'KB':>6} "
          f"{'exit':>4} {'seconds':>8} {'peak MB':>8}  note")
    figures = []
    for command, mode, rows, columns in cases:
        write_table(project, rows, columns)
        size = next((project / "issues" / str(NUMBER) / "articles").glob("*.md")).stat().st_size
        code, seconds, peak = run(project, mode, command, str(NUMBER))
        refused = code == 1
        note = "refused (S117) before any layout" if refused else (
            "laid out" if command == "build" else "passed")
        print(f"{command:<8} {mode:<9} {rows:>6} {columns:>4} {rows * columns:>7} "
              f"{size // 1024:>6} {code:>4} {seconds:>8.2f} {peak:>8}  {note}")
        figures.append({"command": command, "limits": mode, "rows": rows, "columns": columns,
                        "bytes": size, "exit": code, "seconds": round(seconds, 3),
                        "peak_mb": peak})
    laid_out = [f for f in figures if f["command"] == "build" and f["exit"] == 0 and f["rows"]]
    base = next(f for f in figures if f["rows"] == 0)
    for figure in laid_out:
        cells = figure["rows"] * figure["columns"]
        print(f"  {figure['rows']} × {figure['columns']}: "
              f"{(figure['seconds'] - base['seconds']) / cells * 1000:.2f} ms a cell beyond the "
              f"empty issue, {figure['peak_mb'] - base['peak_mb']} MB more")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
