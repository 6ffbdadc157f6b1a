"""An ImportedArticle → the house format: YAML front matter, then Markdown paragraphs."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from pathlib import Path

import yaml

from .common import CREDIT_FIELD, SUBTITLE_FIELD, TITLE_FIELD, Block, BulletList, \
    ImportedArticle, Picture, Table

INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>~])")
ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What would open a heading, quote, list or rule at the start of a paragraph.
LIST_MARKER = re.compile(r"^([-+])(?=\s|$)")
RULE = re.compile(r"^(-)(?=[-\s]*$)")
ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
HEADING_MARKER = re.compile(r"^#")
# `1. 加强` typed with a space: the bulletin prints `1.加强` (a `1.` heading number,
# bulletin.chinese level 3), and `bulletin check` reads the number so written.
SPACED_NUMBER = re.compile(r"^(\d{1,2})\.[ \t]+(?=[^\x00-\x7f])")


def escape_inline(text: str) -> str:
    return ENTITY.sub("\\\\&", INLINE_SPECIALS.sub(r"\\\1", text))


def escape_paragraph(text: str) -> str:
    """Plain text as a Markdown paragraph that renders back to the same text (but the
    space of `1. 加强`, which the bulletin never prints: `1.加强`)."""
    text = SPACED_NUMBER.sub(r"\1.", text)
    text = escape_inline(text)
    text = HEADING_MARKER.sub(r"\\#", text)
    text = LIST_MARKER.sub(r"\\\1", text)
    text = RULE.sub(r"\\\1", text)
    return ORDERED_MARKER.sub(r"\1\\\2", text)


def render_block(block: Block, image_folder: str) -> str:
    if isinstance(block, Picture):
        return f"![{escape_inline(block.alt)}]({image_folder}/{block.name})"
    if isinstance(block, BulletList):
        # Each item escaped as a paragraph is: nothing in it opens a nested list or heading.
        return "\n".join("- " + escape_paragraph(item) for item in block.items)
    if isinstance(block, Table):
        width = max(len(row) for row in block.rows)
        rows = [list(row) + [""] * (width - len(row)) for row in block.rows]
        lines = [_table_row(rows[0]), "| " + " | ".join(["---"] * width) + " |"]
        return "\n".join(lines + [_table_row(row) for row in rows[1:]])
    return escape_paragraph(block)


def _table_row(cells: list[str]) -> str:
    return "| " + " | ".join(escape_inline(cell).replace("|", "\\|") for cell in cells) + " |"


def yaml_scalar(value: str) -> str:
    """`value` as a plain YAML scalar when it reads back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(f"- {value}")
    except yaml.YAMLError:
        plain = None
    if value and plain == [value] and value == value.strip() and "\n" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def front_matter(article: ImportedArticle) -> list[str]:
    lines = ["---"]
    if len(article.title) == 1:
        lines.append("title: " + yaml_scalar(article.title[0]))
    elif article.title:
        lines.append("title:")
        lines += ["  - " + yaml_scalar(line) for line in article.title]
    else:
        lines.append('title: ""')
    lines.append("credit: " + (yaml_scalar(article.credit) if article.credit else '""'))
    if article.subtitle:
        lines.append("subtitle: " + yaml_scalar(article.subtitle))
    return lines + ["---"]


def field_lines(article: ImportedArticle) -> dict[str, int]:
    """The line of the front matter's `title:`, `credit:` and `subtitle:` keys, as written."""
    return {key: number for number, line in enumerate(front_matter(article), 1)
            for key in (TITLE_FIELD, CREDIT_FIELD, SUBTITLE_FIELD) if line.startswith(f"{key}:")}


def render_article(article: ImportedArticle, image_folder: str) -> tuple[str, list[int]]:
    """The article's file text, and the line each of its paragraphs starts on."""
    lines = front_matter(article)
    starts = []
    for block in article.paragraphs:
        lines.append("")
        starts.append(len(lines) + 1)
        lines += render_block(block, image_folder).split("\n")
    return "\n".join(lines) + "\n", starts


def write_text_atomically(path: Path, text: str) -> None:
    """Write via a temporary file so an interrupted import leaves no half article.

    The file gets the mode it had (an issue.yaml edited by `--add`), or, new, the mode any
    program's new file gets (0o666 less the umask: 0644 under umask 022), not the 0600 of
    the temporary file."""
    mode = _mode_for(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process's umask, read without changing it where Linux tells it (os.umask can
    only be read by setting it, which races with other threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
