"""Jinja environment: Issue → one HTML document."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .markup import render_markdown
from .model import Issue
from .titles import ARTICLE_TITLE_CELLS, TitleBreaker, breaker_for
from .typeset.linebreak import break_hints

TEMPLATE = "issue.html.j2"


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every value, in every template
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text, images=None, slug="", fitting=None: (
        jinja2.utils.markupsafe.Markup(render_markdown(
            text, images, slug=slug, figure_heights=getattr(fitting, "figure_heights", None),
            wide_tables=getattr(fitting, "wide_tables", frozenset()))))
    env.filters["break_hints"] = break_hints
    env.filters["printed_line"] = printed_line
    # The project's cache of title segmentations: templates/ is <root>/templates.
    breaker = breaker_for(Path(templates).resolve().parent)
    env.filters["break_title"] = lambda lines: title_lines(lines, breaker)
    # The 要目 sets each title whole (the author's lines joined), broken between words.
    env.filters["contents_lines"] = lambda title: breaker.break_title([title], CONTENTS_CELLS)
    return env


# One environment per templates folder and process: compiling the issue's templates again
# took 10 ms a build. It is made again when any file under templates/ changes (its name,
# size, modification time or inode): `templates_signature`.
_ENVIRONMENTS: dict[str, tuple[tuple, jinja2.Environment]] = {}
_ENVIRONMENTS_LOCK = threading.Lock()
MAX_ENVIRONMENTS = 4


def templates_signature(templates: Path) -> tuple:
    """What says that no file under `templates` changed: every file's relative path,
    size, modification time (ns) and inode, in order."""
    found = []
    stack = [str(templates)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    stack.append(entry.path)
                    continue
                stat = entry.stat()
            except OSError:
                continue
            found.append((os.path.relpath(entry.path, templates), stat.st_size,
                          stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(found))


def cached_environment(templates: Path) -> jinja2.Environment:
    """The process's environment for `templates`, made again when a template changed."""
    key = os.path.abspath(templates)
    signature = templates_signature(Path(key))
    with _ENVIRONMENTS_LOCK:
        kept = _ENVIRONMENTS.get(key)
        if kept is not None and kept[0] == signature:
            return kept[1]
    env = environment(templates)
    with _ENVIRONMENTS_LOCK:
        _ENVIRONMENTS.pop(key, None)
        while len(_ENVIRONMENTS) >= MAX_ENVIRONMENTS:
            _ENVIRONMENTS.pop(next(iter(_ENVIRONMENTS)))
        _ENVIRONMENTS[key] = (signature, env)
    return env


TITLE_CELLS = ARTICLE_TITLE_CELLS  # 2号 (22 pt) characters in the 156 mm column
# 要目 entries (templates/print.css): 13 pt in the 156 mm column less 2 em and the 15 pt
# bullet: 401 pt, 30.9 characters.
CONTENTS_CELLS = 30


def title_lines(lines: list[str], breaker: TitleBreaker | None = None) -> list[str]:
    """The lines an article title is printed on (see bulletin.titles)."""
    return (breaker or breaker_for(None)).break_title(list(lines), TITLE_CELLS)


def render_html(issue: Issue, templates: Path, env: jinja2.Environment | None = None,
                draft: bool = False, images: dict | None = None,
                distribution_page: str | None = None, fitting=None) -> str:
    """`images`: for each article slug, its checked images by src (see pipeline.check_images).

    `distribution_page`: None to set the 报尾 under the text, or the class on <body>
    that sends it to the next even page (`distribution-even-page`). `fitting`: the
    figures scaled down and the tables set to the column's width by an earlier layout
    (a `preflight.Fitting`).
    """
    env = env or cached_environment(templates)
    return env.get_template(TEMPLATE).render(issue=issue, draft=draft, images=images or {},
                                             distribution_page=distribution_page,
                                             fitting=fitting)


# --- the 印发 line ------------------------------------------------------------------------

PRINTED = "印发"


@dataclass(frozen=True)
class PrintedLine:
    """The 报尾's last lines (GB/T 9704-2012 §7.3.5.3), as the templates set them.

    `organ`: what is printed at the left (indented one character); `date`: the 印发日期 at
    the right (`2025年6月9日印发`), None when the issue has none; `copies`: the print run
    (`（共印200份）`), on a line of its own under the 印发 line, None when not given.

    `printed_by` (bulletin.yaml) is printed as written when there is no date. With a date,
    the standard writes 印发 after the date (`河南省人大常委会代表工作委员会` …
    `2025年6月9日印发`): a trailing 印发 of `printed_by` moves there; a `printed_by`
    without one is the 印发机关 as it stands.
    """

    organ: str
    date: str | None = None
    copies: str | None = None


def printed_date(day: dt.date) -> str:
    """`2025年6月9日印发`: Arabic numerals, the year in full, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日{PRINTED}"


def printed_copies(copies: int) -> str:
    return f"（共印{copies}份）"


def printed_line(issue: Issue) -> PrintedLine:
    organ = issue.bulletin.printed_by
    date = None
    if issue.printed_on is not None:
        date = printed_date(issue.printed_on)
        organ = organ.strip()
        if organ.endswith(PRINTED) and len(organ) > len(PRINTED):
            organ = organ[: -len(PRINTED)].rstrip()
    copies = printed_copies(issue.copies) if issue.copies is not None else None
    return PrintedLine(organ, date, copies)
