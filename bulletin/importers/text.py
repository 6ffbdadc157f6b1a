"""Plain-text submissions: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030, Big5 or
Shift-JIS.

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


# Text without a byte-order mark that is not UTF-8: the legacy encodings of Chinese (and
# Japanese) Windows, each as Python names it, as users know it and as iconv names it.
# Nearly any byte string decodes as GB18030, so each decoding that succeeds is scored by
# how much of it is made of the common characters of its own encoding; the best one wins.
LEGACY = (("gb18030", "GB18030", "GB18030"),
          ("cp950", "Big5（繁体中文）", "CP950"),
          ("big5hkscs", "Big5-HKSCS（繁体中文）", "BIG5-HKSCS"),
          ("cp932", "Shift-JIS（日文）", "CP932"))
SURE = 0.6  # a Big5 or Shift-JIS decoding this plausible, and better than GB18030's, wins


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text and the name of its encoding as shown to users."""
    if raw.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8（带 BOM）")]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        if b"\x00" in raw:
            raise SubmissionError(f"{name} 不是文本文件（含有二进制数据）")
        try:
            return raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            return _legacy(raw, name)
    for encoding, label in candidates:
        try:
            return raw.decode(encoding), label
        except UnicodeDecodeError:
            continue
    raise SubmissionError(f"无法识别 {name} 的编码（不是 UTF-8，也不是 GB18030），请另存为 UTF-8 文本")


def _legacy(raw: bytes, name: str) -> tuple[str, str]:
    """GB18030, Big5 or Shift-JIS, whichever reads as text of its own language; refused
    with the command to convert it when the best guess is not sure."""
    decoded = []  # (score, text, label, iconv name)
    for encoding, label, iconv in LEGACY:
        if iconv == "BIG5-HKSCS" and any(found[3] == "CP950" for found in decoded):
            continue  # HKSCS only when plain Big5 fails
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        decoded.append((plausibility(text, encoding), text, label, iconv))
    if not decoded:
        raise SubmissionError(f"无法识别 {name} 的编码（不是 UTF-8、GB18030、Big5，也不是 Shift-JIS），"
                              "请另存为 UTF-8 文本")
    gb = next((found for found in decoded if found[3] == "GB18030"), None)
    score, text, label, iconv = max(decoded, key=lambda found: found[0])  # ties: the first
    if gb is not None and score <= gb[0]:
        return gb[1], gb[2]
    if score >= SURE:
        return text, label
    if score == 0:  # no reading gives a single common character: not text of these
        raise SubmissionError(f"无法识别 {name} 的编码（不是 UTF-8、GB18030、Big5，也不是 Shift-JIS），"
                              "请另存为 UTF-8 文本")
    raise SubmissionError(
        f"无法确定 {name} 的编码：看起来是 {label}，但不能确定。请在编辑器中“另存为”UTF-8 文本，"
        f"或运行：iconv -f {iconv} -t UTF-8 {name} > utf8-{name}，再导入 utf8-{name}")


def plausibility(text: str, encoding: str) -> float:
    """The share of `text`'s non-ASCII characters that are common in `encoding`'s own
    language: GB2312's symbols and first-level Hanzi for GB18030, Big5's symbols and
    常用字 for Big5, kana, symbols and first-level kanji for Shift-JIS. Big5 bytes read
    as GB18030 give rare and private-use characters; GB bytes read as Big5, rare ones."""
    chars = [ch for ch in text if ord(ch) > 0x7F]
    if not chars:
        return 1.0
    return sum(_common(ch, encoding) for ch in chars) / len(chars)


def _common(ch: str, encoding: str) -> bool:
    if encoding == "cp932" and "\u3040" <= ch <= "\u30ff":
        return True  # hiragana and katakana
    try:
        code = ch.encode("gb2312" if encoding == "gb18030" else encoding)
    except UnicodeEncodeError:
        return False
    if len(code) != 2:
        return False
    lead, value = code[0], code[0] << 8 | code[1]
    if encoding == "gb18030":
        return 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7
    if encoding == "cp932":
        return lead == 0x81 or 0x88 <= lead <= 0x98
    return 0xA140 <= value <= 0xA3BF or 0xA440 <= value <= 0xC67E  # Big5


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
