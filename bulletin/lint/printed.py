"""What an article puts on paper, character by character, and where each one came from.

The source is not what is printed. The body goes through Markdown first: an entity
(`&#xE000;`, `&#x1F600;`, `&copy;`) prints as the character it names, an invalid one
(`&#0;`, `&#xD800;`) and a NUL byte as U+FFFD, a backslash escape (`\\*`) as its character,
and the syntax itself (`**`, `![`, `](src)`) not at all. So the body is read here with
bulletin.markup's own parser (the same markdown-it, the same core rules) and every printed
character is matched back, in order, to the place in the file it came from: for an entity
or an escape, the column of its `&` or `\\`. The title, subtitle and credit print as YAML
gives them (a double-quoted `"\\u200b"` is reported at its backslash: lint/text.py).

Each character printed is then one of:

- an ordinary character: a face must draw it (lint/glyphs.py, B241/B242). A combining
  mark is drawn with the character before it: `e` + U+0301 is set as `é` when a face has
  `é` (HarfBuzz composes them), so the check is on the composed form (`drawn`);
- a space (U+0020, tab, line end, any Zs): not checked against the fonts, HarfBuzz sets
  a space the face lacks from the face's own space;
- a zero-width character the toolchain knows (`chinese.ZERO_WIDTH`: ZWSP, word joiner,
  ZWNJ, ZWJ, a BOM inside the text, the soft hyphen): accepted. They print nothing,
  break nothing (HarfBuzz hides them, the PDF's text layer keeps its other characters),
  and typeset/linebreak.py adds ZWSP and the word joiner itself;
- a variation selector, the combining grapheme joiner, a Mongolian free variation
  selector after a character: accepted, they select a glyph form and print nothing when
  the face has none (HarfBuzz hides default-ignorable characters);
- what cannot print (`unprintable`, B243, an error): a control character (C0 but tab and
  line end, DEL, C1), U+FFFD (from a NUL, an invalid entity or a failed conversion), a
  private-use character (its meaning depends on a font we do not have), a noncharacter
  (U+FDD0–FDEF, U+xFFFE, U+xFFFF), an unassigned code point, a lone surrogate (a YAML
  escape `\\ud800` would give one; the schema refuses it first, S103), the line and
  paragraph separators U+2028 and U+2029 (markdown-it drops them at a paragraph's ends,
  where they print nothing and are not reported), and every other
  format character (bidirectional controls, U+2061–2064, tags, U+FFF9–FFFB …): they print
  a box or nothing, and a box (a glyph the font lacks) makes the body font's text
  unreadable in the PDF's text layer from there on (copy, search, screen readers);
- a combining mark with no character before it to sit on (B244, an error): at the start
  of a paragraph, a cell or a field, or after a space, a control or a format character.
  It prints as a box.

A title, subtitle or credit made only of what prints nothing is an error too (B235,
lint/frontmatter.py, with `prints_nothing` from here).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from ..chinese import ZERO_WIDTH, is_han
from .rules import ARTICLE, ERROR, Finding, rule
from .text import ArticleText, Passage

PRINTED = "printed"  # a passage whose offsets are into the body as written, never markup
MAX_REPORTED = 20  # occurrences of one character reported in one article; the count says the rest

# Accepted after a character, printing nothing (default-ignorable marks): the variation
# selectors, the combining grapheme joiner, the Mongolian free variation selectors.
SELECTORS = ((0x034F, 0x034F), (0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F),
             (0xE0100, 0xE01EF))
# Default-ignorable letters: Hangul fillers. They print nothing (or a box: lint/glyphs.py).
FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SPACES = frozenset("\t\n")  # and every Zs
WHITE = frozenset(" \t\n")  # Markdown's white space
MARKS = frozenset(("Mn", "Mc", "Me"))
# What a backslash escapes (CommonMark 2.4, markdown-it's escape rule): ASCII punctuation.
ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# An entity as markdown-it's unescapeAll reads it (an image's title).
TITLE_ENTITY = re.compile(r"&([a-z#][a-z0-9]{1,31});", re.I)
C0_NAMES = {0x00: "空字符 NUL", 0x07: "响铃符 BEL", 0x08: "退格符 BS", 0x0B: "垂直制表符 VT",
            0x0C: "换页符 FF", 0x0D: "回车符 CR", 0x1B: "转义符 ESC", 0x7F: "删除符 DEL"}


class Printed(NamedTuple):
    """One character as printed, and where the file writes it."""

    char: str
    roles: tuple[str, ...]  # keys of glyphs.ROLE_FAMILIES; () for text not on paper (alt text)
    passage: Passage
    offset: int  # into `passage.text`
    origin: str  # as written: the character itself, an entity, an escape, a NUL
    run: int  # characters of one paragraph, cell, caption or field share it


def _in(code: int, ranges) -> bool:
    return any(first <= code <= last for first, last in ranges)


def is_selector(ch: str) -> bool:
    return _in(ord(ch), SELECTORS)


def is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


@lru_cache(maxsize=4096)
def _printable(ch: str) -> bool:
    """Whether `unprintable` has nothing to say of `ch` (the common case, answered fast)."""
    return _unprintable(ch, "") is None


def unprintable(ch: str, origin: str = "") -> str | None:
    """Why `ch` cannot be printed, in Chinese, or None. `origin`: how the file writes it,
    when that is not the character itself (an entity, a NUL byte)."""
    return None if _printable(ch) else _unprintable(ch, origin)


def _unprintable(ch: str, origin: str) -> str | None:
    code = ord(ch)
    category = unicodedata.category(ch)
    if ch in SPACES or ch in ZERO_WIDTH:
        return None
    if code == 0xFFFD:
        if origin == "\x00":
            return ("空字符 U+0000（NUL）：Markdown 会把它换成替换字符“�”，印出来是方框：请删去"
                    "（多由复制粘贴或转换文件带入，编辑器里看不见）")
        if origin.startswith("&"):
            return (f"字符引用“{origin}”{_why_invalid(origin)}，Markdown 会把它换成替换字符“�”，"
                    "印出来是方框：请删去，或改写为要印的字")
        return "替换字符“�”（U+FFFD）：多是转换编码时丢了字，印出来是方框：请对照原稿补上正确的字"
    what = _code(code, origin)
    if category == "Cc":
        kind = "C1 控制字符" if 0x80 <= code <= 0x9F else "控制字符"
        what = _code(code, origin, C0_NAMES.get(code, ""))
        return f"{kind} {what}印不出来，在编辑器里往往看不见：请删去"
    if category == "Cs":
        return f"代理码位 {what}不是字符，印不出来：请删去"
    if category == "Co":
        return (f"私用区字符 {what}的字形因字体而异，内置字体没有，印出来是方框"
                "（多来自特殊输入法或 Word 的符号字体）：请换成标准字符")
    if is_noncharacter(code):
        return f"非字符 {what}是 Unicode 规定不用于文本的码位，印不出来：请删去"
    if category == "Cn":
        if is_han(ch):
            return None  # a Han character newer than Python's tables: the fonts decide (B241)
        return f"{what}是 Unicode 尚未分配的码位，印不出来：请删去，或对照原稿改正"
    if category == "Zl":
        return f"行分隔符 {what}印不出来：换行请直接回车，另起一段请空一行"
    if category == "Zp":
        return f"段分隔符 {what}印不出来：另起一段请空一行"
    if category == "Cf":
        if ch in BIDI:
            return (f"文字方向控制符 {what}看不见，却会打乱文字的显示顺序，中文稿件用不到："
                    "请删去")
        return f"不可见的格式字符 {_code(code, origin, unicodedata.name(ch, ''))}印不出来：请删去"
    return None


def _code(code: int, origin: str = "", name: str = "") -> str:
    """`U+E000 ` (a space before the Chinese that follows), with its `name` in brackets,
    and `（原文写作“&#xE000;”）` when the file writes it otherwise."""
    shown = f"U+{code:04X}" + (f"（{name}）" if name else "")
    if origin.startswith(("&", "\\")):
        shown += f"（原文写作“{origin}”）"
    return shown if shown.endswith("）") else shown + " "


def _why_invalid(entity: str) -> str:
    digits = entity[2:-1]
    try:
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
    except ValueError:
        return "不是有效字符"
    if code == 0:
        return "是空字符"
    if 0xD800 <= code <= 0xDFFF:
        return "是代理码位，不是字符"
    if code > 0x10FFFF:
        return "超出了 Unicode 的范围"
    if is_noncharacter(code):
        return "是 Unicode 的非字符"
    return "是控制字符"


@lru_cache(maxsize=4096)
def is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in MARKS


def prints_nothing(text: str) -> bool:
    """Whether `text` puts nothing visible on paper: only spaces, zero-width, control and
    format characters, separators, Hangul fillers and combining marks."""
    return all(ch.isspace() or ch in ZERO_WIDTH or ch in FILLERS
               or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me")
               for ch in text)


# --- the body, as markdown-it reads it ------------------------------------------------------


class _Source:
    """The body as written, and how markdown-it decodes it at a given place."""

    def __init__(self, body: str):
        from markdown_it.common.entities import entities
        from markdown_it.common.utils import isValidEntityCode, replaceEntityPattern
        from markdown_it.rules_inline.entity import DIGITAL_RE, NAMED_RE

        self.text = body
        self.line_starts = [0]
        for index, ch in enumerate(body):
            if ch == "\n":
                self.line_starts.append(index + 1)
        self.escapable = ESCAPABLE
        self._entities, self._valid, self._replace = entities, isValidEntityCode, \
            replaceEntityPattern
        self._digital, self._named = DIGITAL_RE, NAMED_RE

    def window(self, source_map) -> tuple[int, int]:
        """Offsets of the lines [first, last) of a token's map."""
        first, last = source_map
        starts = self.line_starts
        start = starts[min(first, len(starts) - 1)]
        end = starts[last] - 1 if last < len(starts) else len(self.text)
        return start, max(start, end)

    def unit(self, at: int, mode: str) -> tuple[str, int]:
        """(what markdown-it makes of the text at `at`, how many characters it takes).

        `mode`: "inline" (text: escapes and entities, an invalid numeric entity as
        U+FFFD), "title" (an image's title: escapes and valid entities only, as
        markdown-it's unescapeAll), "raw" (code: as written)."""
        text = self.text
        ch = text[at]
        if ch == "\x00":
            return "\ufffd", 1  # markdown-it's normalize, on the whole source
        if mode == "raw":
            return ch, 1
        if ch == "\\" and at + 1 < len(text) and text[at + 1] in self.escapable:
            return text[at + 1], 2
        if ch == "&":
            if mode == "inline":
                match = self._digital.match(text, at)
                if match:
                    digits = match.group(1)
                    code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
                    return (chr(code) if self._valid(code) else "\ufffd"), len(match.group(0))
                match = self._named.match(text, at)
                if match and match.group(1) in self._entities:
                    return self._entities[match.group(1)], len(match.group(0))
            else:
                match = TITLE_ENTITY.match(text, at)
                if match:
                    decoded = self._replace(match.group(0), match.group(1))
                    if decoded != match.group(0):
                        return decoded, len(match.group(0))
        return ch, 1


class _Reader:
    """Walks markdown-it's tokens, matching each printed character back to the source."""

    def __init__(self, text: ArticleText, run: int):
        body = text.article.body
        self.source = _Source(body)
        first = text.article.body_line
        self.passage = Passage(body, PRINTED, [(start, first + number, 1) for number, start
                                               in enumerate(self.source.line_starts)])
        self.found: list[Printed] = []
        self.cursor = 0
        self.run = run

    def match(self, content: str, roles: tuple[str, ...], mode: str, end: int,
              fallback: int) -> None:
        """Each character of `content` at the next place from the cursor that gives it."""
        source, text, found = self.source, self.source.text, self.found
        special = "\x00" if mode == "raw" else "\x00\\&"
        passage, run = self.passage, self.run
        index = 0
        while index < len(content):
            ch, at = content[index], self.cursor
            if at < end and text[at] == ch and ch not in special:  # as written: most of them
                found.append(Printed(ch, roles, passage, at, ch, run))
                self.cursor = at + 1
                index += 1
                continue
            if ch in WHITE and at < end and text[at] in WHITE:
                # White space as markdown-it rewrites it (a tab expanded to spaces, a line
                # end in a code span as a space): a run of it for a run of it.
                while index < len(content) and content[index] in WHITE:
                    found.append(Printed(content[index], roles, passage, at, text[at], run))
                    index += 1
                while at < end and text[at] in WHITE:
                    at += 1
                self.cursor = at
                continue
            while at < end:
                decoded, length = source.unit(at, mode)
                if content.startswith(decoded, index) or (
                        mode == "raw" and decoded == "\n" and ch == " "):
                    break
                at += 1
            else:
                # Not found (markdown-it made it up, or moved it): said at the block's start.
                found.append(Printed(ch, roles, passage, fallback, ch, run))
                index += 1
                continue
            written = text[at:at + length]
            for printed_ch in (decoded if decoded != "\n" else ch):
                found.append(Printed(printed_ch, roles, passage, at,
                                     written if written != printed_ch else printed_ch, run))
            index += max(len(decoded), 1)
            self.cursor = at + length

    def read(self, tokens) -> None:
        block_role, figure, caption = "body", False, False
        for token in tokens:
            kind = token.type
            if kind == "th_open":
                block_role = "table-header"
            elif kind == "td_open":
                block_role = "body"
            elif kind == "paragraph_open":
                classes = (token.attrGet("class") or "").split()
                figure = token.tag == "figure"
                block_role = "table-title" if "table-title" in classes else "body"
            elif kind in ("heading_open", "th_close", "td_close", "paragraph_close"):
                block_role, figure = "body", False
            elif kind == "figcaption_open":
                caption = True
            elif kind == "figcaption_close":
                caption = False
            elif kind == "inline" and token.map is not None:
                start, end = self.source.window(token.map)
                self.cursor = max(self.cursor, start)
                self.run += 1
                self.children(token.children or [], ("caption",) if caption else (block_role,),
                              figure, end, start)
            elif kind in ("code_block", "fence") and token.map is not None:
                start, end = self.source.window(token.map)
                self.cursor = max(self.cursor, start)
                self.run += 1
                # A fence's info string (```python) is not printed: start after its line.
                if kind == "fence":
                    self.cursor = max(self.cursor, self.source.text.find("\n", start) + 1)
                self.match(token.content.rstrip("\n"), ("body",), "raw", end, start)

    def children(self, children, roles, figure, end, fallback) -> None:
        outer = roles
        for child in children:
            kind = child.type
            if kind == "text":
                self.match(child.content, roles, "inline", end, fallback)
            elif kind == "code_inline":
                self.match(child.content, roles, "raw", end, fallback)
            elif kind in ("softbreak", "hardbreak"):
                # A line end prints as a space (or a break): no mark can sit on it.
                self.match("\n", roles, "raw", end, fallback)
            elif kind == "run_in_open":
                level = (child.attrGet("class") or "").rsplit("level-", 1)[-1]
                roles = (f"heading-{level}",) if level.isdigit() else roles
            elif kind == "run_in_close":
                roles = outer
            elif kind == "image":
                self.image(child, roles, figure, end, fallback)

    def image(self, image, roles, figure, end, fallback) -> None:
        """An image's alt text and title: its caption when it is a figure (the title, else
        the alt text); otherwise not on paper (the web edition shows them). The cursor
        goes past the image's source and title, which are not text."""
        text = self.source.text
        title = image.attrGet("title") or ""
        captioned = title.strip()
        caption = ("caption",) if figure else ()
        start = text.find("![", self.cursor, end)
        self.run += 1
        if start >= 0:
            self.cursor = start + 2
        self.children(image.children or [], () if captioned else caption, False, end, fallback)
        label_end = text.find("]", self.cursor, end) if start >= 0 else -1
        self.run += 1
        title_roles = caption if captioned else ()
        if label_end < 0:
            self.match(title, title_roles, "title", end, fallback)
            return
        if text.startswith("(", label_end + 1):  # ![alt](src "title")
            span = self._destination(label_end + 2, end)
            if span is not None:
                title_start, title_end, after = span
                self._match_in(title, title_roles, title_start, title_end, fallback)
                self.cursor = after
                return
            self.cursor = label_end + 1
            self.match(title, title_roles, "title", end, fallback)
            return
        # A reference, `![alt][label]`, `![alt][]` or `![alt]`: the title is where the
        # label is defined.
        label, after = text[start + 2:label_end], label_end + 1
        if text.startswith("[", after):
            close = text.find("]", after, end)
            if close > after + 1:
                label = text[after + 1:close]
            after = close + 1 if close >= 0 else after
        self.cursor = after
        if title:
            definition = re.compile(r"^ {0,3}\[" + re.escape(label) + r"\]:[ \t]*\n?",
                                    re.M | re.I).search(text)
            span = self._destination(definition.end(), len(text)) if definition else None
            if span is not None:
                self._match_in(title, title_roles, span[0], span[1], fallback)
            else:
                self.match(title, title_roles, "title", self.cursor, fallback)

    def _destination(self, at: int, end: int) -> tuple[int, int, int] | None:
        """Past `(` (or a definition's `:`): (start, end) of the title inside its quotes
        (empty when there is none), and where the image's source and title end."""
        from markdown_it.helpers import parseLinkDestination, parseLinkTitle

        text = self.source.text
        while at < end and text[at] in WHITE:
            at += 1
        destination = parseLinkDestination(text, at, end)
        if not destination.ok:
            return None
        at = destination.pos
        while at < end and text[at] in WHITE:
            at += 1
        parsed = parseLinkTitle(text, at, end)
        if not parsed.ok:
            return at, at, (at + 1 if text.startswith(")", at) else at)
        after = parsed.pos
        while after < end and text[after] in WHITE:
            after += 1
        return at + 1, parsed.pos - 1, (after + 1 if text.startswith(")", after) else after)

    def _match_in(self, content, roles, start, end, fallback) -> None:
        """`content` matched in text[start:end], wherever the cursor is."""
        cursor, self.cursor = self.cursor, start
        self.match(content, roles, "title", end, fallback)
        self.cursor = cursor


def printed(text: ArticleText) -> list[Printed]:
    """Every character the article prints (and an image's alt text and title), in order."""
    if "printed" in text.shared:
        return text.shared["printed"]
    found: list[Printed] = []
    run = 0
    fields = [(passage, ("title", "contents")) for passage in text.title]
    if text.subtitle is not None:
        fields.append((text.subtitle, ("subtitle",)))
    if text.credit is not None:
        fields.append((text.credit, ("credit",)))
    for passage, roles in fields:
        run += 1
        found += [Printed(ch, roles, passage, offset, ch, run)
                  for offset, ch in enumerate(passage.text)]
    if text.article.body.strip():
        from ..markup import _parser

        reader = _Reader(text, run)
        reader.read(_parser().parse(text.article.body))
        found += reader.found
    text.shared["printed"] = found
    return found


def drawn(text: ArticleText) -> list[tuple[Printed, str]]:
    """What a face must draw, each with where it is printed: the characters on paper but
    spaces, ASCII (every face has it), what prints nothing (zero-width characters,
    selectors) and what `unprintable` or a lone mark (B243, B244) already reports. A
    combining mark goes with the character before it, composed as HarfBuzz composes
    them: `e` + U+0301 is drawn as `é`."""
    if "drawn" in text.shared:
        return text.shared["drawn"]
    items = [item for item in printed(text) if item.roles]
    result: list[tuple[Printed, str]] = []
    index = 0
    while index < len(items):
        base = items[index]
        index += 1
        if not _drawable(base.char) or is_mark(base.char):
            continue  # a lone mark is B244's, the others print nothing or are B243's
        marks = []
        while index < len(items) and items[index].run == base.run and is_mark(items[index].char):
            marks.append(items[index])
            index += 1
        marks = [mark for mark in marks if not is_selector(mark.char)]
        if not marks:
            if base.char > "\x7f":
                result.append((base, base.char))
            continue
        composed = unicodedata.normalize("NFC", base.char + "".join(m.char for m in marks))
        if composed[0] > "\x7f":
            result.append((base, composed[0]))
        for ch in composed[1:]:
            where = next((mark for mark in marks if mark.char == ch), base)
            result.append((where, ch))
    text.shared["drawn"] = result
    return result


@lru_cache(maxsize=4096)
def _drawable(ch: str) -> bool:
    return not (ch.isspace() or unicodedata.category(ch) == "Zs" or ch in ZERO_WIDTH
                or unprintable(ch) is not None)


def _lone_marks(text: ArticleText):
    """Each combining mark with no character before it in its run to sit on."""
    previous: Printed | None = None
    for item in printed(text):
        if is_mark(item.char):
            if previous is None or previous.run != item.run or not _base(previous.char):
                yield item
                continue  # the next mark has no base either
        previous = item


def _base(ch: str) -> bool:
    """Whether a combining mark can sit on `ch` (or on the base of the mark `ch`)."""
    return not (ch.isspace() or ch in ZERO_WIDTH or unicodedata.category(ch) in
                ("Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Cn", "Co"))


def _name(ch: str) -> str:
    return unicodedata.name(ch, "")


def _reported(found, message):
    """At most MAX_REPORTED findings of each (character, spelling); the last gives the count."""
    counts: dict[tuple[str, str], int] = {}
    for item in found:
        key = (item.char, item.origin)
        counts[key] = counts.get(key, 0) + 1
    shown: dict[tuple[str, str], int] = {}
    for item in found:
        key = (item.char, item.origin)
        shown[key] = shown.get(key, 0) + 1
        if shown[key] > MAX_REPORTED:
            continue
        note = ""
        if shown[key] == MAX_REPORTED and counts[key] > MAX_REPORTED:
            note = f"（本文共 {counts[key]} 处，其余未列出）"
        yield Finding(item.offset, message(item) + note, passage=item.passage)


@rule("B243", ERROR, "印不出来的字符：控制字符、私用区字符、非字符、未分配的码位、行分隔符、"
      "不可见的格式字符或替换字符“�”", scope=ARTICLE)
def unprintable_characters(text: ArticleText):
    found = [item for item in printed(text) if unprintable(item.char, item.origin) is not None]
    yield from _reported(found, lambda item: unprintable(item.char, item.origin))


@rule("B244", ERROR, "孤立的组合符号：前面没有可以附着的字，印出来是方框", scope=ARTICLE)
def lone_marks(text: ArticleText):
    def message(item: Printed) -> str:
        return (f"组合符号 {_code(ord(item.char), item.origin, _name(item.char))}前面没有可以附着的字，单独印出来是方框："
                "请删去，或与前面的字母写在一起（如“é”）")

    yield from _reported(list(_lone_marks(text)), message)

