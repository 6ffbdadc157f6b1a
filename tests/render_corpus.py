"""Build the issue corpus (tests/corpus.py) and render its pages as PNG, for people to look at.

    .venv/bin/python tests/render_corpus.py OUTDIR [--only N ...] [--dpi 50]
    .venv/bin/python tests/render_corpus.py OUTDIR --scan KIND --seeds 1-200

OUTDIR gets `project/` (the generated sources, fonts linked), `pdf/<N>.pdf` and
`png/<N>/page-NN.png` (pdftoppm -r 50 -png), and prints one line per issue: pages,
articles, body lines, figures, tables and lists, how full the last page is, and the
preflight's findings (L3xx) under it. `--scan` builds the given seeds of one kind
without rendering and prints the same line, to pick corpus seeds (e.g. those whose last
page is full: "free 0").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import CORPUS, Entry, last_page_room, make_corpus_issue, make_project, \
    page_glyphs, read_sources  # noqa: E402
from layout_metrics import measure  # noqa: E402

ROOT = HERE.parent


def seed_range(text: str) -> list[int]:
    seeds = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        seeds += list(range(int(first), int(last or first) + 1))
    return seeds


def describe(entry: Entry, pdf: Path, seconds: float, findings=()) -> str:
    layout = measure(pdf)
    page, free, alone = last_page_room(page_glyphs(pdf))
    sources = read_sources(pdf.parent.parent / "project" / "issues" / str(entry.number))
    rich = " ".join(f"{len(sources.blocks(kind))} {kind}s" for kind in ("figure", "table", "list"))
    tail = f"报尾 alone after page {page}, {free} free" if alone else f"free {free} on page {page}"
    lines = [f"{entry.id:32s} {layout.pages:3d} pages {len(sources.articles):3d} articles "
             f"{len(layout.lines):5d} lines  {rich}  last page: {tail}  ({seconds:.1f} s)"]
    lines += [f"    {d.location}: {d.code} {d.message}" for d in findings]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--only", type=int, nargs="+", metavar="N", help="only these issues")
    parser.add_argument("--dpi", type=int, default=50)
    parser.add_argument("--scan", metavar="KIND", help="build seeds of KIND, no PNG")
    parser.add_argument("--seeds", default="1-50", help="for --scan: 1-50 or 3,7,9-12")
    args = parser.parse_args(argv)

    from bulletin.pipeline import build_issue

    out = args.outdir.resolve()
    project = out / "project"
    if project.exists():
        shutil.rmtree(project)
    make_project(ROOT, project)
    (out / "pdf").mkdir(parents=True, exist_ok=True)
    if args.scan:
        entries = [Entry(number=900 + i, seed=seed, kind=args.scan)
                   for i, seed in enumerate(seed_range(args.seeds))]
    else:
        entries = [e for e in CORPUS if not args.only or e.number in args.only]
        missing = set(args.only or ()) - {e.number for e in entries}
        if missing:
            parser.error(f"not in the corpus: {sorted(missing)}")
    started = time.perf_counter()
    for entry in entries:
        make_corpus_issue(project, entry.number, entry.seed, entry.kind, **entry.overrides)
        begun = time.perf_counter()
        findings: list = []
        pdf = build_issue(project, entry.number, out / "pdf" / f"{entry.number}.pdf",
                          on_preflight=findings.extend)
        print(describe(entry, pdf, time.perf_counter() - begun, findings), flush=True)
        if args.scan:
            continue
        pngs = out / "png" / str(entry.number)
        if pngs.exists():
            shutil.rmtree(pngs)
        pngs.mkdir(parents=True)
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(pngs / "page")],
                       check=True)
    print(f"{len(entries)} issues in {time.perf_counter() - started:.1f} s → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
