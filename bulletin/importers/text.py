"""Plain-text submissions: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

The first non-empty line is the title. Blank lines and indented lines start
paragraphs; a line is joined to the one before only when that one looks cut by a
hard wrap: nearly as wide as the widest line and not ending a sentence.
"""

from __future__ import annotations

import codecs
import re

from ..chinese import run_in_level
from .common import TITLE, TITLE_FIELD, TITLE_UNSURE, ImportedArticle, Piece, \
    Problem, assemble, credit_of, display_width, join_lines, title_line
from .errors import SubmissionError

SENTENCE_END = tuple("。！？；：…!?;:")
WRAP_RATIO = 0.8  # a hard-wrapped line fills at least this much of the widest line
WRAP_MIN_WIDTH = 40  # display columns; nobody wraps text narrower than this by hand
LONG_TITLE = 50
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text and the name of its encoding as shown to users."""
    if raw.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8（带 BOM）")]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        if b"\x00" in raw:
            raise SubmissionError(f"{name} 不是文本文件（含有二进制数据）")
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    for encoding, label in candidates:
        try:
            return raw.decode(encoding), label
        except UnicodeDecodeError:
            continue
    raise SubmissionError(f"无法识别 {name} 的编码（不是 UTF-8，也不是 GB18030），请另存为 UTF-8 文本")


def read_text_submission(raw: bytes, name: str) -> ImportedArticle:
    text, encoding = decode(raw, name)
    lines = [CONTROL.sub("", line).rstrip() for line in text.splitlines()]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return assemble([], [], encoding=encoding)
    title = title_line(lines[first])
    pieces = [Piece([title], kind=TITLE, lines=[title])]
    general = []
    if len(title) > LONG_TITLE:
        general.append(Problem(TITLE_UNSURE, f"第一行有 {len(title)} 个字，可能不是标题，请核对",
                               field=TITLE_FIELD))
    pieces += [Piece([join_lines(paragraph)], lines=paragraph)
               for paragraph in paragraphs(lines[first + 1:])]
    return assemble(pieces, general, encoding=encoding)


def paragraphs(lines: list[str]) -> list[list[str]]:
    widest = max((display_width(line.strip()) for line in lines), default=0)
    result: list[list[str]] = []
    previous = ""  # the line before, "" after a blank line
    for line in lines:
        body = line.strip()
        if not body:
            previous = ""
            continue
        if previous and _wrapped(previous, widest) and not _opens_paragraph(line):
            result[-1].append(line)
        else:
            result.append([line])
        previous = body
    return result


def _wrapped(line: str, widest: int) -> bool:
    width = display_width(line)
    return width >= max(WRAP_RATIO * widest, WRAP_MIN_WIDTH) and not line.endswith(SENTENCE_END)


def _opens_paragraph(line: str) -> bool:
    return line[:1].isspace() or run_in_level(line) is not None or credit_of(line) is not None
