"""`bulletin new`: a new issue folder, its settings copied from the latest issue.

The latest `issue.yaml` is copied as text, so that its comments and its distribution
overrides survive; only `number`, `date` and `articles` are rewritten.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import IssueSource
from .sources import ISSUES_DIR, SERIES_FILE, SafeLoader

EXAMPLE_ARTICLE = "shili.md"

EXAMPLE_TEXT = """\
---
# 这是一篇示例稿件，演示稿件的写法。正式稿件照此格式另存为 articles/ 下的 .md 文件，
# 并把 issue.yaml 中 articles 列表里的“shili.md”换成正式稿件的文件名（按刊登顺序）。
#
# 两行“---”之间是头信息（YAML 格式）；以“#”开头的行是注释，不会排进简报。
# title：标题。标题较长时，用空格标出可以断行的位置；要自行决定分行，可写成列表：
#   title:
#     - 标题第一行
#     - 标题第二行
# credit：供稿单位，只写单位名称，排版时自动加上“（……供稿）”。
title: 某某县：示例稿件标题 写在这里
credit: 某某市人大常委会代表工委
---

正文写在头信息之后，段落之间空一行。段首不必空格，排版时自动首行缩进两字。

一、以“一、”开头的段落为一级标题段。本段第一句（到第一个句号为止）自动排成黑体，其后的文字照常排成仿宋。

（一）以“（一）”开头的段落，第一句排成楷体。
"""

# What only the example's title says: how `bulletin check` knows the example left in an
# issue's list under any file name (bulletin/lint/issue.py, B261).
EXAMPLE_PLACEHOLDER = "示例稿件标题"

ISSUE_HEADER = re.compile(r"(\d{4})(\s*)年第(\s*)(\d+)(\s*)期(?:（增刊）)?")
TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
SCALAR_VALUE = re.compile(r"^(?P<key>\w+:[ \t]*)(?P<value>[^#\n]*?)(?P<rest>[ \t]*(#.*)?)$")
# A 增刊 is a one-off: the next issue is a regular one.
DROPPED_KEYS = ("supplement",)


class IssueExists(Exception):
    def __init__(self, folder: Path, number: int):
        super().__init__(f"第 {number} 期已存在（{ISSUES_DIR}/{number}/），未做任何改动。")
        self.folder = folder


@dataclass(frozen=True)
class NewIssue:
    number: int
    folder: Path
    created: list[Path]  # files and folders, in the order they were made


def new_issue(root: Path, number: int | None = None, today: dt.date | None = None) -> NewIssue:
    """Create `issues/<number>/` from the latest issue; never overwrite anything."""
    today = today or dt.date.today()
    from .project import Project
    from .sources import SourceReader

    latest = Project(root).latest_issue()
    if number is None:
        number = (latest or 0) + 1
    folder = root / ISSUES_DIR / str(number)
    if folder.exists():
        raise IssueExists(folder, number)

    template = None
    if latest is not None:
        # Bounded: a missing or hostile issue.yaml gives the defaults, never a hang.
        template = SourceReader(root).read_text(root / ISSUES_DIR / str(latest) / "issue.yaml")
    settings = issue_settings(template, number, today, _bulletin_name(root))

    articles = folder / "articles"
    articles.mkdir(parents=True)
    issue_yaml = folder / "issue.yaml"
    example = articles / EXAMPLE_ARTICLE
    # Exclusive creation: a file that appeared meanwhile is never overwritten.
    with issue_yaml.open("x", encoding="utf-8") as handle:
        handle.write(settings)
    with example.open("x", encoding="utf-8") as handle:
        handle.write(EXAMPLE_TEXT)
    return NewIssue(number, folder, [folder, issue_yaml, articles, example])


def issue_settings(template: str | None, number: int, today: dt.date,
                   bulletin_name: str | None = None) -> str:
    """The text of the new `issue.yaml`: `template` with number, date and articles replaced."""
    if template is not None:
        text = _rewrite(template, number, today)
        if _is_valid(text, number):
            return text
    # No latest issue, or one written in a shape the rewrite does not follow.
    name = f"《{bulletin_name}》" if bulletin_name else ""
    return _fresh(template, number, today, name)


def _rewrite(template: str, number: int, today: dt.date) -> str:
    blocks = _top_level_blocks(template.replace("\r\n", "\n").splitlines())
    out: list[str] = []
    for key, lines in blocks:
        if key is None:
            out += [_renumber_comment(line, number, today) for line in lines]
        elif key == "number":
            out += [_replace_scalar(lines[0], str(number))] + lines[1:]
        elif key == "date":
            out += [_replace_scalar(lines[0], today.isoformat())] + lines[1:]
        elif key == "articles":
            out += _articles_block(lines[0].split(":", 1)[1])
            out += _blank_lines(lines[1:])
        elif key in DROPPED_KEYS:
            out += _blank_lines(lines[1:])
        else:
            out += lines
    return "\n".join(out) + "\n"


def _top_level_blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Split YAML text into blocks that each start at a top-level key (None: comments)."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        match = TOP_LEVEL_KEY.match(line)
        if match:
            blocks.append((match.group(1), [line]))
        elif line.startswith("#") and blocks[-1][0] is not None:
            # A comment at the margin belongs with what follows it.
            blocks.append((None, [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def _blank_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.strip()]


def _replace_scalar(line: str, value: str) -> str:
    match = SCALAR_VALUE.match(line)
    if not match:
        return line.split(":", 1)[0] + f": {value}"
    return f"{match['key']}{value}{match['rest']}"


def _articles_block(after_colon: str) -> list[str]:
    comment = after_colon.strip() if after_colon.strip().startswith("#") else \
        "# 按刊登顺序列出 articles/ 下的稿件文件名"
    return [f"articles:  {comment}", f"  - {EXAMPLE_ARTICLE}"]


def _renumber_comment(line: str, number: int, today: dt.date) -> str:
    if not line.lstrip().startswith("#"):
        return line
    return ISSUE_HEADER.sub(lambda m: f"{today.year}{m[2]}年第{m[3]}{number}{m[5]}期", line)


def _is_valid(text: str, number: int) -> bool:
    try:
        data = yaml.load(text, Loader=SafeLoader)
        source = IssueSource.model_validate(data)
    except (yaml.YAMLError, ValueError):
        return False
    return source.number == number and source.articles == [EXAMPLE_ARTICLE]


def _fresh(template: str | None, number: int, today: dt.date, name: str) -> str:
    kept = {}
    if template is not None:
        try:
            data = yaml.load(template, Loader=SafeLoader)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            kept = {key: value for key, value in data.items()
                    if key not in ("number", "date", "articles", *DROPPED_KEYS)}
    text = (f"# {name}{today.year} 年第 {number} 期\n"
            f"number: {number}\n"
            f"date: {today.isoformat()}\n"
            + "\n".join(_articles_block("")) + "\n")
    if kept:
        text += yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return text


def _bulletin_name(root: Path) -> str | None:
    from .sources import SourceReader

    reader = SourceReader(root)
    text = reader.read_text(root / SERIES_FILE)
    data = reader.load_yaml(text, root / SERIES_FILE)[0] if text is not None else None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None
