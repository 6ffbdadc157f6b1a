"""Word (.docx) submissions, read with the standard library (zipfile + ElementTree).

Not mammoth's HTML: it drops paragraph alignment (how an unstyled title is spotted)
and Word's automatic list numbers (often the `一、` of a run-in heading).
Unknown elements are searched for text rather than skipped, so nothing is lost unseen.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator
from xml.etree import ElementTree as ET

from ..chinese import chinese_numeral
from ..sources import MAX_MARKDOWN_BYTES  # the written article's bound: `bulletin check`'s
from .common import BODY, CAPTION_STYLE, EMPHASISED, FORMATTING_LOST, GAP_IN_TEXT, HEADING, \
    OBJECT_LEFT_OUT, PICTURE_LEFT_OUT, REVISIONS_ACCEPTED, SUBTITLE_STYLE, TABLE, TABLE_CHANGED, \
    TABLE_TITLE, TEXT_LEFT_OUT, TEXT_UNACCOUNTED, TITLE, UNPRINTED_LEFT_OUT, ImportedArticle, \
    Picture, Piece, Problem, Table, assemble, join_lines, quote
from .errors import SubmissionError

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# Strict Open XML names the same things differently; read it as transitional.
STRICT_NAMESPACES = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": NS["w"].encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": NS["r"].encode(),
    b"http://purl.oclc.org/ooxml/drawingml/main": NS["a"].encode(),
    b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": NS["wp"].encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/math": NS["m"].encode(),
}
# Bounds of a package, checked from the zip's directory before a byte is inflated: a
# .docx is a zip, and 240 KB of it can inflate to gigabytes (a "zip bomb"). A county
# office's submission is a few MB at most, its photos included; its document.xml is
# some 10 to 20 times smaller zipped than inflated (XML is repetitive), photos not at all.
MAX_PART_BYTES = 64 * 1024 * 1024  # one part (a photo: the build refuses one over 20 MB)
MAX_XML_BYTES = 32 * 1024 * 1024  # one XML part: an article of 2 MB is 10–20 MB of XML
MAX_PACKAGE_BYTES = 256 * 1024 * 1024  # every part inflated, together
MAX_PARTS = 10_000
MAX_RATIO = 100  # inflated / zipped, for any part over RATIO_FLOOR inflated
RATIO_FLOOR = 1024 * 1024
# Content controls, tables, text boxes and fields nested in each other: Word's own
# documents go a few levels deep. Deeper content is taken as plain text (I408).
MAX_NESTING = 40
MAX_UNACCOUNTED = 200  # text runs listed as possibly left out, at most
# Word's own bounds: list levels 0–8, start numbers 0–32767, 63 columns a table.
MAX_LIST_LEVEL, MAX_START, MAX_GRID = 8, 32_767, 63
EQUATION_MARK = "【公式】"
WORD_DEFAULT_SIZE = "20"  # half-points: Word's type size when neither style nor defaults set one
# Alt text Word writes by itself ("描述已自动生成"): not a caption.
GENERATED_ALT = re.compile(r"(?:描述已自动生成|自动生成的说明|description automatically generated)",
                           re.IGNORECASE)
# Word's style names (w:name is the English name for built-in styles, whatever the locale;
# WPS may write the Chinese one) → what the importer makes of them.
STYLE_ROLES = {"subtitle": SUBTITLE_STYLE, "副标题": SUBTITLE_STYLE, "caption": CAPTION_STYLE,
               "题注": CAPTION_STYLE}
ALIGNMENT_NAMES = {"centre": "center", "end": "right", "start": "left"}


def q(name: str) -> str:
    """`w:p` → `{namespace}p`, ElementTree's spelling."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def w_val(element: ET.Element | None, child: str, attribute: str = "w:val") -> str | None:
    if element is None:
        return None
    found = element.find(q(child))
    return None if found is None else found.get(q(attribute))


def is_on(element: ET.Element | None, child: str) -> bool | None:
    """A Word on/off property: None when unset."""
    if element is None or element.find(q(child)) is None:
        return None
    return w_val(element, child) not in ("0", "false", "off")


def all_text(element: ET.Element) -> str:
    """Every visible character below `element`, paragraphs separated by a space."""
    parts = []
    for node in element.iter():
        if node.tag in (q("w:t"), q("m:t")):
            parts.append(node.text or "")
        elif node.tag in (q("w:tab"), q("w:p")):
            parts.append(" ")
    return " ".join("".join(parts).split())


@dataclass(frozen=True)
class Relationship:
    type: str
    target: str  # a part name inside the package, or a URL when external
    external: bool


class Package:
    """The zip archive of a .docx, its parts and their relationships."""

    def __init__(self, raw: bytes, name: str):
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            if raw.startswith(b"\xd0\xcf\x11\xe0"):
                raise SubmissionError(f"{name} 是旧版 Word（.doc）文件或加密的文档：请在 Word 或 WPS 中"
                                      "取消密码并“另存为”.docx 格式后再导入") from None
            raise SubmissionError(f"{name} 已损坏或不是 Word 文档（.docx），无法读取") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_PARTS:
            raise SubmissionError(f"{name} 的压缩包里有 {len(infos)} 个部件（上限 {MAX_PARTS}），"
                                  "不像 Word 文档，拒绝读取")
        total = sum(info.file_size for info in infos)
        if total > MAX_PACKAGE_BYTES:
            raise SubmissionError(f"{name} 解压后有 {total / 1048576:.0f} MB（上限 "
                                  f"{MAX_PACKAGE_BYTES // 1048576} MB），疑似压缩炸弹，拒绝读取")
        for info in infos:
            if info.file_size > RATIO_FLOOR \
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise SubmissionError(
                    f"{name} 中的 {info.filename} 压缩了 {info.file_size // max(info.compress_size, 1)} "
                    f"倍（上限 {MAX_RATIO} 倍），疑似压缩炸弹，拒绝读取")
        self.parts = {info.filename: info for info in infos}

    def read(self, part: str, limit: int = MAX_PART_BYTES) -> bytes | None:
        info = self.parts.get(part)
        if info is None:
            return None
        if info.file_size > limit:
            raise SubmissionError(f"{self.name} 中的 {part} 解压后有 {info.file_size / 1048576:.0f} MB"
                                  f"（上限 {limit // 1048576} MB），过大，无法读取")
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
                ValueError, OSError):
            raise SubmissionError(f"{self.name} 已损坏（{part} 无法解压），无法读取") from None

    def xml(self, part: str | None) -> ET.Element | None:
        data = self.read(part, MAX_XML_BYTES) if part else None
        if data is None:
            return None
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise SubmissionError(f"{self.name} 的 {part} 含有 Word 不会写出的 XML 声明，拒绝读取")
        for strict, transitional in STRICT_NAMESPACES.items():
            data = data.replace(strict, transitional)
        try:
            return ET.fromstring(data)
        except ET.ParseError:
            raise SubmissionError(f"{self.name} 已损坏（{part} 不是有效的 XML），无法读取") from None

    def relationships(self, part: str) -> dict[str, Relationship]:
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        found = {}
        for rel in root.iter(q("pr:Relationship")) if root is not None else ():
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")
            found[rel.get("Id", "")] = Relationship(rel.get("Type", ""), target, external)
        return found

    def main_part(self) -> str:
        for rel in self.relationships("").values():
            if rel.type.endswith("/officeDocument") and rel.target in self.parts:
                return rel.target
        if "word/document.xml" in self.parts:
            return "word/document.xml"
        kind = ("Excel 表格" if any(n.startswith("xl/") for n in self.parts) else
                "PowerPoint 演示文稿" if any(n.startswith("ppt/") for n in self.parts) else None)
        if kind:
            raise SubmissionError(f"{self.name} 是{kind}，不是 Word 文档")
        raise SubmissionError(f"{self.name} 不是 Word 文档（.docx）：压缩包里没有正文部分")


@dataclass
class ParagraphStyle:
    kind: str = BODY  # TITLE or HEADING from the style's name or outline level
    role: str = ""  # SUBTITLE_STYLE or CAPTION_STYLE from the style's name
    align: str | None = None  # w:jc, its synonyms folded: "center", "right", "left", "both", …
    bold: bool | None = None
    size: str | None = None  # w:sz, in half-points
    numbering: tuple[str, str] | None = None  # (numId, ilvl)


class Styles:
    def __init__(self, root: ET.Element | None):
        self.elements = {}
        self.default_paragraph = None
        for style in root.iter(q("w:style")) if root is not None else ():
            style_id = style.get(q("w:styleId"))
            self.elements[style_id] = style
            if style.get(q("w:type")) == "paragraph" and is_on_attribute(style, "w:default"):
                self.default_paragraph = style_id
        self.cache: dict[str | None, ParagraphStyle] = {}
        defaults = root.find(f"{q('w:docDefaults')}/{q('w:rPrDefault')}/{q('w:rPr')}") \
            if root is not None else None
        self.default_size = w_val(defaults, "w:sz") or WORD_DEFAULT_SIZE

    def chain(self, style_id: str | None) -> list[ET.Element]:
        """The style and the styles it is based on, nearest first."""
        chain = []
        while style_id in self.elements and len(chain) < 20:
            chain.append(self.elements[style_id])
            style_id = w_val(self.elements[style_id], "w:basedOn")
        return chain

    def paragraph(self, style_id: str | None) -> ParagraphStyle:
        if style_id not in self.cache:
            self.cache[style_id] = self._resolve(style_id or self.default_paragraph)
        return self.cache[style_id]

    def _resolve(self, style_id: str | None) -> ParagraphStyle:
        result = ParagraphStyle()
        for style in self.chain(style_id):
            name = (w_val(style, "w:name") or "").strip().lower()
            props = style.find(q("w:pPr"))
            if not result.role:
                result.role = STYLE_ROLES.get(name, "")
            if result.kind == BODY:
                if name in ("title", "标题"):
                    result.kind = TITLE
                elif re.fullmatch(r"(heading|标题)\s*[1-9]", name) or \
                        w_val(props, "w:outlineLvl") not in (None, "9"):
                    result.kind = HEADING
            if result.align is None and w_val(props, "w:jc") is not None:
                result.align = alignment(w_val(props, "w:jc"))
            if result.bold is None:
                result.bold = is_on(style.find(q("w:rPr")), "w:b")
            if result.size is None:
                result.size = w_val(style.find(q("w:rPr")), "w:sz")
            numbering = props.find(q("w:numPr")) if props is not None else None
            if result.numbering is None and numbering is not None:
                result.numbering = (w_val(numbering, "w:numId") or "0",
                                    w_val(numbering, "w:ilvl") or "0")
        return result

    def character_bold(self, style_id: str | None) -> bool | None:
        for style in self.chain(style_id):
            bold = is_on(style.find(q("w:rPr")), "w:b")
            if bold is not None:
                return bold
        return None

    def character_size(self, style_id: str | None) -> str | None:
        for style in self.chain(style_id):
            size = w_val(style.find(q("w:rPr")), "w:sz")
            if size is not None:
                return size
        return None


def alignment(jc: str | None) -> str | None:
    return ALIGNMENT_NAMES.get(jc, jc) if jc is not None else None


def small_int(text: str | None, default: int, low: int, high: int) -> int:
    """A number Word wrote (ASCII digits, perhaps a sign), within [low, high]; `default`
    for anything else: no string of a thousand digits, no `²`, is ever given to int()."""
    if text is None:
        return default
    text = text.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 9 or not (digits.isascii() and digits.isdigit()):
        return default
    return min(max(int(text), low), high)


def is_on_attribute(element: ET.Element, attribute: str) -> bool:
    return element.get(q(attribute)) in ("1", "true", "on")


@dataclass(frozen=True)
class Level:
    start: int
    format: str
    text: str
    legal: bool  # w:isLgl: every number of the label in Arabic digits


class Numbering:
    """Word's automatic list numbers, counted as Word counts them."""

    def __init__(self, root: ET.Element | None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for abstract in root.iter(q("w:abstractNum")):
            self.abstract[abstract.get(q("w:abstractNumId"))] = _levels(abstract)
        for num in root.iter(q("w:num")):
            starts, levels = {}, {}
            for override in num.iter(q("w:lvlOverride")):
                level = small_int(override.get(q("w:ilvl")), 0, 0, MAX_LIST_LEVEL)
                start = small_int(w_val(override, "w:startOverride"), -1, 0, MAX_START)
                if start >= 0:
                    starts[level] = start
                levels.update(_levels(override))
            self.nums[num.get(q("w:numId"))] = (w_val(num, "w:abstractNumId"), starts, levels)

    def label(self, num_id: str, ilvl: str) -> tuple[str | None, Problem | None]:
        """The number Word shows before a paragraph, and a problem if it could not be made;
        None for a bullet."""
        if num_id not in self.nums or num_id == "0":
            return "", None
        abstract_id, starts, overrides = self.nums[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        level = small_int(ilvl, 0, 0, MAX_LIST_LEVEL)
        if level not in levels:
            return "", None
        # A list restarted with startOverride counts apart from the others on its definition.
        counts = self.counters.setdefault(num_id if starts else f"abstract:{abstract_id}", {})
        counts[level] = counts.get(level, starts.get(level, levels[level].start) - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        if levels[level].format == "bullet":
            return None, None
        label, problem = levels[level].text, None
        for index in range(9):
            if f"%{index + 1}" not in label:
                continue
            shown = levels.get(index, levels[level])
            value = counts.get(index, starts.get(index, shown.start))
            number_format = "decimal" if levels[level].legal else shown.format
            text = format_number(value, number_format)
            if text is None:
                text = str(value)
                problem = Problem(FORMATTING_LOST,
                                  f"编号格式 {number_format} 无法识别，已按阿拉伯数字导入，请核对")
            label = label.replace(f"%{index + 1}", text)
        return label, problem


def _levels(parent: ET.Element) -> dict[int, Level]:
    levels = {}
    for lvl in parent.findall(q("w:lvl")):
        levels[small_int(lvl.get(q("w:ilvl")), 0, 0, MAX_LIST_LEVEL)] = Level(
            start=small_int(w_val(lvl, "w:start"), 1, 0, MAX_START),
            format=w_val(lvl, "w:numFmt") or "decimal",
            text=w_val(lvl, "w:lvlText") or "",
            legal=bool(is_on(lvl, "w:isLgl")))
    return levels


CHINESE_DIGITS = "〇一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CELESTIAL_STEMS = "甲乙丙丁戊己庚辛壬癸"


def format_number(n: int, number_format: str) -> str | None:
    if number_format in ("decimal", "decimalHalfWidth"):
        return str(n)
    if number_format == "decimalZero":
        return f"{n:02d}"
    if number_format in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if number_format in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
                         "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_numeral(n) if 0 < n < 100 else str(n)
    if number_format == "chineseLegalSimplified":
        return chinese_numeral(n, LEGAL_DIGITS[1:], "拾") if 0 < n < 100 else str(n)
    if number_format in ("ideographDigital", "taiwaneseDigital"):
        return "".join(CHINESE_DIGITS[int(c)] for c in str(n))
    if number_format == "ideographTraditional" and 1 <= n <= 10:
        return CELESTIAL_STEMS[n - 1]
    if number_format in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if number_format == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if number_format == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if number_format in ("upperLetter", "lowerLetter") and 1 <= n <= 780:  # ZZ…Z: Word's last
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format in ("upperRoman", "lowerRoman") and 1 <= n < 4000:
        roman = roman_number(n)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format == "none":
        return ""
    return None


def roman_number(n: int) -> str:
    text = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            text, n = text + letters, n - value
    return text


@dataclass
class Inline:
    """What a paragraph's content gives: its text, pictures and problems."""

    parts: list[str] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    looks: list[tuple[bool, str | None]] = field(default_factory=list)  # (bold, size) per run
    sizes: Counter = field(default_factory=Counter)  # type size → characters set in it

    def add(self, text: str, look: tuple[bool, str | None] | None = None) -> None:
        self.parts.append(text)
        if look is not None and text.strip():
            self.looks.append(look)
            self.sizes[look[1]] += len("".join(text.split()))


IGNORED = {q(name) for name in (
    "w:pPr", "w:rPr", "w:tblPr", "w:tblGrid", "w:trPr", "w:tcPr", "w:sectPr", "w:sdtPr",
    "w:sdtEndPr", "w:bookmarkStart", "w:bookmarkEnd", "w:proofErr", "w:permStart", "w:permEnd",
    "w:commentRangeEnd", "w:fldChar", "w:instrText", "w:delText", "w:delInstrText",
    "w:lastRenderedPageBreak", "w:footnoteRef", "w:endnoteRef", "w:separator",
    "w:continuationSeparator", "w:annotationRef", "w:softHyphen", "w:tblPrEx",
    "w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd",
    "w:customXmlPr", "w:smartTagPr", "w:rubyPr", "w:pgNum")}
TRANSPARENT = {q(name) for name in (
    "w:hyperlink", "w:smartTag", "w:customXml", "w:fldSimple", "w:dir", "w:bdo")}
INSERTED, DELETED = {q("w:ins"), q("w:moveTo")}, {q("w:del"), q("w:moveFrom")}


class DocxReader:
    def __init__(self, package: Package):
        self.package = package
        self.main = package.main_part()
        self.rels = package.relationships(self.main)
        self.styles = Styles(self._related_xml("/styles"))
        self.numbering = Numbering(self._related_xml("/numbering"))
        self.footnotes = _notes(self._related_xml("/footnotes"), "w:footnote")
        self.endnotes = _notes(self._related_xml("/endnotes"), "w:endnote")
        self.comments = _comments(self._related_xml("/comments"))
        self.comments_reported: set[str] = set()
        self.images: dict[str, bytes] = {}
        self.image_names: dict[str, str | None] = {}  # part → file name, None when unreadable
        self.tracked_changes = False
        self.depth = 0  # how deep in nested content the reading is (MAX_NESTING)

    def _related_xml(self, type_suffix: str) -> ET.Element | None:
        for rel in self.rels.values():
            if rel.type.endswith(type_suffix) and not rel.external:
                return self.package.xml(rel.target)
        return None

    def read(self) -> ImportedArticle:
        document = self.package.xml(self.main)
        body = document.find(q("w:body")) if document is not None else None
        if body is None:
            raise SubmissionError(f"{self.package.name} 已损坏：找不到正文")
        pieces = list(self.blocks(body))
        general = self.header_footer_problems()
        if self.tracked_changes:
            general.append(Problem(REVISIONS_ACCEPTED,
                                   "文档含有未处理的修订，已按“接受全部修订”导入，请核对"))
        missing = unaccounted_text(body, pieces, general)
        if missing:
            general.append(Problem(TEXT_UNACCOUNTED,
                                   f"以下文字可能未导入，请核对：{'、'.join(map(quote, missing))}"))
        return assemble(pieces, general, title_hint=self.core_title(), images=self.images)

    # --- blocks: paragraphs and tables -------------------------------------------

    @contextlib.contextmanager
    def _deeper(self):
        """One level further into nested content; whether that is still within bounds."""
        self.depth += 1
        try:
            yield self.depth <= MAX_NESTING
        finally:
            self.depth -= 1

    @staticmethod
    def _too_deep(text: str) -> Problem:
        return Problem(FORMATTING_LOST, f"内容嵌套超过 {MAX_NESTING} 层（内容控件、表格或文本框层层相套），"
                       f"其中的 {len(text)} 个字已按普通文字导入，请核对")

    def blocks(self, parent: ET.Element) -> Iterator[Piece]:
        with self._deeper() as within:
            if within:
                yield from self._blocks(parent)
            else:
                text = all_text(parent)
                if text:
                    yield Piece([text], lines=[text], problems=[self._too_deep(text)])

    def _blocks(self, parent: ET.Element) -> Iterator[Piece]:
        for child in parent:
            tag = child.tag
            if tag == q("w:p"):
                yield self.paragraph(child)
            elif tag == q("w:tbl"):
                yield from self.table(child)
            elif tag == q("w:sdt"):
                yield from self.blocks(_sdt_content(child))
            elif tag in TRANSPARENT or tag in INSERTED:
                self.tracked_changes |= tag in INSERTED
                yield from self.blocks(child)
            elif tag in DELETED:
                self.tracked_changes = True
            elif tag == q("mc:AlternateContent"):
                yield from self.blocks(_chosen(child))
            elif tag == q("w:altChunk"):
                yield Piece([], problems=[Problem(
                    OBJECT_LEFT_OUT, "嵌入的文档片段（altChunk）未能导入，请把其内容直接粘贴进文档")])
            elif tag not in IGNORED:
                text = all_text(child)
                if text:
                    yield Piece([text], lines=[text], problems=[Problem(
                        FORMATTING_LOST, f"无法识别的内容（{local_name(tag)}），已按文字导入，请核对")])

    def paragraph(self, p: ET.Element) -> Piece:
        props = p.find(q("w:pPr"))
        style = self.styles.paragraph(w_val(props, "w:pStyle"))
        inline = Inline()
        self.inline(p, inline, (bool(style.bold), style.size or self.styles.default_size))
        lines = "".join(inline.parts).split("\n")
        bullet = None

        numbering = style.numbering
        direct = props.find(q("w:numPr")) if props is not None else None
        if direct is not None:
            numbering = (w_val(direct, "w:numId") or (numbering or ("0", "0"))[0],
                         w_val(direct, "w:ilvl") or (numbering or ("0", "0"))[1])
        if numbering is not None and any(line.strip() for line in lines):
            label, problem = self.numbering.label(*numbering)
            if problem:
                inline.problems.insert(0, problem)
            if label is None:
                bullet = small_int(numbering[1], 0, 0, MAX_LIST_LEVEL)
                label = ""
            first = lines[0].lstrip()
            if label and first[:1].isascii() and first[:1].isalnum():
                label += " "
            lines[0] = label + first

        jc = w_val(props, "w:jc")
        align = alignment(jc) if jc is not None else style.align
        centred = align == "center"
        kind = style.kind
        if kind == BODY and w_val(props, "w:outlineLvl") not in (None, "9"):
            kind = HEADING
        bold = bool(inline.looks) and all(bold for bold, _ in inline.looks)
        if kind == BODY and (centred or bold):
            kind = EMPHASISED
        text = join_lines(lines)
        blocks = ([text] if text else []) + inline.pictures
        look = (centred, bold, frozenset(size for _, size in inline.looks))
        return Piece(blocks, kind=kind, lines=lines, problems=inline.problems, look=look,
                     align=align, sizes=inline.sizes, style=style.role, bullet=bullet)

    def table(self, tbl: ET.Element) -> Iterator[Piece]:
        cells: list[list[tuple[list[Piece], int, bool]]] = []  # rows of (pieces, span, continued)
        for tr in _children(tbl, "w:tr"):
            row = [([], 1, False)] * small_int(w_val(tr.find(q("w:trPr")), "w:gridBefore"),
                                               0, 0, MAX_GRID)
            for tc in _children(tr, "w:tc"):
                props = tc.find(q("w:tcPr"))
                span = w_val(props, "w:gridSpan")
                merge = props.find(q("w:vMerge")) if props is not None else None
                continued = merge is not None and merge.get(q("w:val")) in (None, "continue")
                row.append((list(self.blocks(tc)), small_int(span, 1, 1, MAX_GRID), continued))
            cells.append(row)
        every = [pieces for row in cells for pieces, _, _ in row]
        if len(every) == 1:
            # A one-cell table is a box drawn around text: keep the text as paragraphs.
            pieces = [piece for piece in every[0] if piece.blocks or piece.problems]
            if pieces:
                pieces[0].problems.insert(0, Problem(
                    TABLE_CHANGED, "单格表格（带边框的文字）已转为普通段落，请核对"))
            yield from pieces
            return

        heading = self.table_title_row(cells)
        if heading is not None:
            yield heading
            cells = cells[1:]
        rows, problems, pictures = [], [], []
        merged = nested = several = bulleted = False
        for row in cells:
            texts = []
            for pieces, span, continued in row:
                parts = []
                for piece in pieces:
                    problems += piece.problems
                    if piece.kind == TABLE:
                        nested = True
                        parts += [cell for block in piece.blocks if isinstance(block, Table)
                                  for inner in block.rows for cell in inner if cell]
                    elif piece.text:
                        parts.append(piece.text)
                    pictures += [b for b in piece.blocks if isinstance(b, Picture)]
                    bulleted |= piece.bullet is not None
                several |= sum(1 for piece in pieces if piece.text) > 1
                merged |= span > 1 or continued
                texts += [" ".join(parts)] + [""] * (span - 1)
            rows.append(tuple(texts))
        if any(cell for row in rows for cell in row):
            if merged:
                problems.insert(0, Problem(
                    TABLE_CHANGED, "表格含合并单元格，已拆成普通单元格（合并处留空），请核对"))
            if nested:
                problems.insert(0, Problem(
                    TABLE_CHANGED, "表格中嵌有表格，内层表格的文字已并入所在单元格，请核对"))
            if several:
                problems.insert(0, Problem(TABLE_CHANGED, "表格单元格中的多段文字已合并为一段，请核对"))
            if bulleted:
                problems.insert(0, Problem(FORMATTING_LOST, "表格单元格中的项目符号未保留，请核对"))
            yield Piece([Table(tuple(rows))], kind=TABLE, problems=problems)
            problems = []
        if pictures:
            problems.append(Problem(TABLE_CHANGED, "表格中的图片已移到表格之后，请核对"))
            yield Piece(pictures, problems=problems)
        elif problems:
            yield Piece([], problems=problems)

    @staticmethod
    def table_title_row(cells: list[list[tuple[list[Piece], int, bool]]]) -> Piece | None:
        """A first row of one cell across the table holding `表1 …`: the table's title,
        which goes before the table as its own paragraph (the renderer's convention)."""
        if len(cells) < 2 or len(cells[0]) != 1:
            return None
        pieces, span, _ = cells[0][0]
        width = max(sum(cell[1] for cell in row) for row in cells[1:])
        text = " ".join(piece.text for piece in pieces if piece.text)
        if span < width or width < 2 or not TABLE_TITLE.match(text) \
                or any(isinstance(b, Picture) for piece in pieces for b in piece.blocks):
            return None
        problems = [Problem(TABLE_CHANGED, "表格第一行的表题已移到表格之前，单独成段，请核对")]
        problems += [problem for piece in pieces for problem in piece.problems]
        return Piece([text], lines=[text], problems=problems)

    # --- inline content ------------------------------------------------------------

    def inline(self, parent: ET.Element, out: Inline, look: tuple[bool, str | None]) -> None:
        with self._deeper() as within:
            if within:
                self._inline(parent, out, look)
            else:
                text = all_text(parent)
                if text:
                    out.add(text, look)
                    out.problems.append(self._too_deep(text))

    def _inline(self, parent: ET.Element, out: Inline, look: tuple[bool, str | None]) -> None:
        for child in parent:
            tag = child.tag
            if tag == q("w:r"):
                self.run(child, out, look)
            elif tag in TRANSPARENT:
                self.inline(child, out, look)
            elif tag == q("w:sdt"):
                self.inline(_sdt_content(child), out, look)
            elif tag in INSERTED:
                self.tracked_changes = True
                self.inline(child, out, look)
            elif tag in DELETED:
                self.tracked_changes = True
            elif tag in (q("m:oMath"), q("m:oMathPara")):
                out.add(EQUATION_MARK)
                out.problems.append(Problem(
                    GAP_IN_TEXT, f"公式未能导入，已在此处留下“{EQUATION_MARK}”标记；"
                    f"公式中的文字：{quote(all_text(child))}", mark=EQUATION_MARK))
            elif tag == q("mc:AlternateContent"):
                self.inline(_chosen(child), out, look)
            elif tag == q("w:commentRangeStart"):
                self.comment(child.get(q("w:id")), out)
            elif tag not in IGNORED:
                self.unknown(child, out)

    def run(self, r: ET.Element, out: Inline, paragraph_look: tuple[bool, str | None]) -> None:
        props = r.find(q("w:rPr"))
        character_style = w_val(props, "w:rStyle")
        bold = is_on(props, "w:b")
        if bold is None:
            bold = self.styles.character_bold(character_style)
        size = w_val(props, "w:sz") or self.styles.character_size(character_style)
        look = (paragraph_look[0] if bold is None else bold, size or paragraph_look[1])
        self.run_content(r, out, look, props)

    def run_content(self, parent: ET.Element, out: Inline, look: tuple[bool, str | None],
                    props: ET.Element | None) -> None:
        with self._deeper() as within:
            if within:
                self._run_content(parent, out, look, props)
            else:
                text = all_text(parent)
                if text:
                    out.add(text, look)
                    out.problems.append(self._too_deep(text))

    def _run_content(self, parent: ET.Element, out: Inline, look: tuple[bool, str | None],
                     props: ET.Element | None) -> None:
        for child in parent:
            tag = child.tag
            if tag == q("w:t"):
                self.text(child.text or "", out, look, props)
            elif tag in (q("w:tab"), q("w:ptab")):
                out.add("\t")
            elif tag in (q("w:br"), q("w:cr")):
                out.add("\n")
            elif tag == q("w:noBreakHyphen"):
                out.add("-")
            elif tag == q("w:sym"):
                self.symbol(child, out)
            elif tag in (q("w:drawing"), q("w:pict")):
                self.graphic(child, out)
            elif tag == q("w:object"):
                out.problems.append(Problem(
                    OBJECT_LEFT_OUT, "嵌入对象（如 Excel 表格、旧版公式）未能导入，请改为文字或图片"))
            elif tag in (q("w:footnoteReference"), q("w:endnoteReference")):
                footnote = tag == q("w:footnoteReference")
                notes = self.footnotes if footnote else self.endnotes
                out.problems.append(Problem(
                    TEXT_LEFT_OUT, f"{'脚注' if footnote else '尾注'}未能导入，原文："
                    f"{quote(notes.get(child.get(q('w:id')), ''))}；请改写进正文或删去"))
            elif tag == q("w:commentReference"):
                self.comment(child.get(q("w:id")), out)
            elif tag == q("mc:AlternateContent"):
                self.run_content(_chosen(child), out, look, props)
            elif tag == q("w:ruby"):
                base = child.find(q("w:rubyBase"))
                if base is not None:
                    self.inline(base, out, look)
                annotation = child.find(q("w:rt"))
                if annotation is not None:
                    out.problems.append(Problem(
                        TEXT_LEFT_OUT, f"注音（拼音指南）未导入：{quote(all_text(annotation))}"))
            elif tag not in IGNORED:
                self.unknown(child, out)

    def text(self, text: str, out: Inline, look: tuple[bool, str | None],
             props: ET.Element | None) -> None:
        if is_on(props, "w:vanish"):
            if text.strip():
                out.problems.append(Problem(UNPRINTED_LEFT_OUT, f"隐藏文字未导入：{quote(text)}"))
            return
        position = w_val(props, "w:vertAlign")
        if position in ("superscript", "subscript") and text.strip():
            kind = "上标" if position == "superscript" else "下标"
            out.problems.append(Problem(FORMATTING_LOST, f"{kind}{quote(text)}已按普通文字导入，请核对"))
        out.add(text, look)

    def symbol(self, sym: ET.Element, out: Inline) -> None:
        code = sym.get(q("w:char"), "")
        font = sym.get(q("w:font"), "")
        try:
            value = int(code, 16)
        except ValueError:
            value = 0
        if not 0 < value <= 0x10FFFF or 0xF000 <= value <= 0xF0FF or 0xD800 <= value <= 0xDFFF:
            code = code[:12]
            # Symbol-font characters have no Unicode meaning of their own.
            out.problems.append(Problem(
                GAP_IN_TEXT, f"特殊符号（{font} 字体，编码 {code}）未能导入，请改用普通字符"))
        else:
            out.add(chr(value))

    def graphic(self, element: ET.Element, out: Inline) -> None:
        """A w:drawing or VML w:pict: pictures, text boxes, charts or plain shapes."""
        found = False
        described = element.find(f".//{q('wp:docPr')}")
        shape = element.find(f".//{q('v:shape')}")
        alt = (described.get("descr") if described is not None else None) or \
            (shape.get("alt") if shape is not None else None) or ""
        if GENERATED_ALT.search(alt):
            alt = ""  # Word's machine description of the picture, not its caption
        for blip in element.iter(q("a:blip")):
            found = True
            self.picture(blip.get(q("r:embed")), alt, out)
        for data in element.iter(q("v:imagedata")):
            found = True
            self.picture(data.get(q("r:id")), alt, out)
        for box in element.iter(q("w:txbxContent")):
            found = True
            text = " ".join(piece.text for piece in self.blocks(box) if piece.text)
            if text:
                out.problems.append(Problem(TEXT_LEFT_OUT, f"文本框中的文字未能导入，原文：{quote(text)}"))
        for data in element.iter(q("a:graphicData")):
            uri = data.get("uri", "")
            if uri.endswith("/chart"):
                found = True
                out.problems.append(Problem(OBJECT_LEFT_OUT, "图表未能导入，请在 Word 中把图表另存为图片后插入"))
            elif uri.endswith("/diagram"):
                found = True
                out.problems.append(Problem(
                    OBJECT_LEFT_OUT, "SmartArt 图形未能导入，请在 Word 中另存为图片后插入"))
        if not found:
            out.problems.append(Problem(OBJECT_LEFT_OUT, "图形（线条、形状等）未导入"))

    def picture(self, rel_id: str | None, alt: str, out: Inline) -> None:
        rel = self.rels.get(rel_id or "")
        if rel is None or rel.external:
            out.problems.append(Problem(PICTURE_LEFT_OUT, "链接到外部文件的图片未能导入，请把图片嵌入文档"))
            return
        if rel.target not in self.image_names:
            self.image_names[rel.target] = self.store_image(rel.target, out)
        name = self.image_names[rel.target]
        if name is not None:
            out.pictures.append(Picture(name, " ".join(alt.split())))

    def store_image(self, part: str, out: Inline) -> str | None:
        """Keep the image's bytes under a safe file name; the build's own check judges them."""
        data = self.package.read(part)
        if data is None:
            out.problems.append(Problem(PICTURE_LEFT_OUT, "图片数据缺失，未能导入"))
            return None
        stem, _, extension = posixpath.basename(part).rpartition(".")
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "image"
        extension = re.sub(r"[^a-z0-9]", "", extension.lower()) or "bin"
        name, counter = f"{stem}.{extension}", 1
        while name in self.images:
            counter += 1
            name = f"{stem}-{counter}.{extension}"
        self.images[name] = data
        return name

    def comment(self, comment_id: str | None, out: Inline) -> None:
        if comment_id is None or comment_id in self.comments_reported:
            return
        self.comments_reported.add(comment_id)
        author, text = self.comments.get(comment_id, ("", ""))
        out.problems.append(Problem(UNPRINTED_LEFT_OUT, f"批注未导入（{author}：{quote(text)}）"
                                    if author else f"批注未导入：{quote(text)}"))

    def unknown(self, element: ET.Element, out: Inline) -> None:
        text = all_text(element)
        if text:
            out.add(text)
            out.problems.append(Problem(
                FORMATTING_LOST, f"无法识别的内容（{local_name(element.tag)}），已按文字导入，请核对"))

    # --- the rest of the package -------------------------------------------------------

    def header_footer_problems(self) -> list[Problem]:
        problems, seen = [], set()
        for rel in self.rels.values():
            if rel.external or not rel.type.endswith(("/header", "/footer")):
                continue
            root = self.package.xml(rel.target)
            text = all_text(root) if root is not None else ""
            # Page numbers like "- 1 -" or "第 1 页" are not content.
            if re.sub(r"[\s\d\-—–第页共/.·]", "", text) and text not in seen:
                seen.add(text)
                problems.append(Problem(TEXT_LEFT_OUT, f"页眉或页脚中的文字未导入：{quote(text)}"))
        return problems

    def core_title(self) -> str:
        """The title in the document's properties: only a hint, often a template's leftover."""
        try:
            root = self.package.xml("docProps/core.xml")
        except SubmissionError:
            return ""
        title = root.find(q("dc:title")) if root is not None else None
        return " ".join((title.text or "").split()) if title is not None else ""


def unaccounted_text(body: ET.Element, pieces: list[Piece],
                     general: list[Problem]) -> list[str]:
    """Text runs of the body found neither in the pieces nor in a problem: the reader's safety net."""
    kept = [problem.message for problem in general]
    for piece in pieces:
        kept += piece.lines + [problem.message for problem in piece.problems]
        kept += [cell for block in piece.blocks if isinstance(block, Table)
                 for row in block.rows for cell in row]
    kept_text = "".join("".join(kept).split())
    # Text inside a tracked deletion or a move's origin is meant to go.
    deleted = {id(node) for tag in DELETED for gone in body.iter(tag)
               for node in gone.iter(q("w:t"))}
    missing = []
    cursor = 0  # text is mostly found in order: looked for after the last found first
    for node in body.iter(q("w:t")):
        chunk = "".join((node.text or "").split())
        if not chunk or id(node) in deleted:
            continue
        found = kept_text.find(chunk, cursor)
        if found < 0:
            found = kept_text.find(chunk)
        if found >= 0:
            cursor = found + len(chunk)
        else:
            missing.append(node.text)
            if len(missing) >= MAX_UNACCOUNTED:  # enough to say something is wrong
                break
    return missing


def _children(parent: ET.Element, name: str) -> Iterator[ET.Element]:
    """`name` children, also those wrapped in content controls or custom XML (however
    deep: walked with a stack of its own, not by recursion)."""
    tag = q(name)
    stack = [iter(parent)]
    while stack:
        for child in stack[-1]:
            if child.tag == tag:
                yield child
            elif child.tag == q("w:sdt"):
                stack.append(iter(_sdt_content(child)))
                break
            elif child.tag in TRANSPARENT or child.tag in INSERTED:
                stack.append(iter(child))
                break
        else:
            stack.pop()


def _sdt_content(sdt: ET.Element) -> ET.Element:
    content = sdt.find(q("w:sdtContent"))
    return content if content is not None else ET.Element("empty")


def _chosen(alternate: ET.Element) -> ET.Element:
    """The branch of mc:AlternateContent to read: the first Choice, else the Fallback."""
    for name in ("mc:Choice", "mc:Fallback"):
        branch = alternate.find(q(name))
        if branch is not None:
            return branch
    return ET.Element("empty")


def _notes(root: ET.Element | None, name: str) -> dict[str, str]:
    if root is None:
        return {}
    return {note.get(q("w:id")): all_text(note) for note in root.iter(q(name))
            if note.get(q("w:type")) in (None, "normal")}


def _comments(root: ET.Element | None) -> dict[str, tuple[str, str]]:
    if root is None:
        return {}
    return {comment.get(q("w:id")): (comment.get(q("w:author"), ""), all_text(comment))
            for comment in root.iter(q("w:comment"))}


def read_docx(raw: bytes, name: str) -> ImportedArticle:
    from .writer import render_article

    try:
        article = DocxReader(Package(raw, name)).read()
    except RecursionError:  # a safety net: nesting is bounded above (MAX_NESTING)
        raise SubmissionError(f"{name} 的内容嵌套过深，无法读取") from None
    size = len(render_article(article, "images")[0].encode("utf-8"))
    if size > MAX_MARKDOWN_BYTES:
        raise SubmissionError(
            f"{name} 导入后的稿件有 {size / 1048576:.1f} MB，超过稿件上限 "
            f"{MAX_MARKDOWN_BYTES / 1048576:g} MB（bulletin check 会拒绝），未写入：请检查文档"
            "是否误贴了大量内容，或拆成几篇")
    return article
