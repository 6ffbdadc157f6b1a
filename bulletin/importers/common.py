"""What every importer produces, and the rules shared by .docx and .txt.

A reader turns its file into a list of `Piece`s (one per source paragraph or table,
with the problems met inside it and, for Word, how it is set); `assemble` then takes out
the title, subtitle, bylines, the credit and what follows it, joins each photo with its
caption, reports what changes on the way (alignment, type size) and numbers the problems
by the Markdown block they belong to. Every problem carries
its I4xx code (registered, with its severity, in bulletin/codes.py); `command.py`
makes it a Diagnostic once the Markdown is written and its line is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from ..chinese import (CAPTION_OPENING, HAN_RANGES, IDEOGRAPHIC_SPACE, TABLE_TITLE, regex_chars,
                       run_in_level)

# Body paragraphs of this shape are run-in headings; they never join a title.
CREDIT_PATTERNS = (
    re.compile(r"^[（(]\s*(?P<unit>.+?)\s*供\s*稿\s*[）)]$"),
    re.compile(r"^[（(]\s*供稿(?:单位)?\s*[:：]\s*(?P<unit>.+?)\s*[）)]$"),
)
TITLE_MAX_CHARS = 40  # a longer centred or bold line is a body paragraph, not a title
TITLE_MAX_LINES = 3

BODY, TITLE, HEADING, EMPHASISED, TABLE = "body", "title", "heading", "emphasised", "table"

# The I4xx codes, one per kind of problem (bulletin/codes.py registers them, with their
# severities and summaries; the README's table lists them).
TEXT_LEFT_OUT = "I401"  # footnotes, endnotes, text boxes, header and footer text, ruby
UNPRINTED_LEFT_OUT = "I402"  # comments, hidden text: Word does not print them either
OBJECT_LEFT_OUT = "I403"  # charts, SmartArt, embedded objects and documents, shapes
PICTURE_LEFT_OUT = "I404"  # linked to an outside file, or its data missing
GAP_IN_TEXT = "I405"  # an equation (its mark left in the text), a symbol-font character
PICTURE_REFUSED = "I406"  # copied, but the build would refuse it
TABLE_CHANGED = "I407"  # merged cells split, nested tables flattened, …
FORMATTING_LOST = "I408"  # superscript, bullets, unknown number formats or elements as text
REVISIONS_ACCEPTED = "I409"  # tracked changes imported as accepted
TEXT_UNACCOUNTED = "I410"  # the safety net: text of the source found nowhere in the output
NO_TITLE = "I411"
NO_CREDIT = "I412"
TITLE_UNSURE = "I413"  # text before the title kept, a first line too long for a title
NOT_LISTED = "I414"  # --add could not edit issue.yaml's articles list
CAPTION_MISSING = "I415"  # a picture with no caption: its alt text is empty

# Where a problem is, when it is on a front matter line rather than in a body block.
TITLE_FIELD, CREDIT_FIELD, SUBTITLE_FIELD = "title", "credit", "subtitle"

# What a paragraph's style says it is (docx only): Word's 副标题 (Subtitle) and 题注 (Caption).
SUBTITLE_STYLE, CAPTION_STYLE = "subtitle", "caption"

# A subtitle line under the title opens with a dash: `——西峡县人大常委会代表工作纪实`.
SUBTITLE_DASH = re.compile(r"^\s*(?:——|—|－－|--)\s*")
SUBTITLE_MAX_CHARS = 60
# A byline under the title: `□ 张  伟`, `文/李明`, `本刊记者 王芳`, `张伟  李明`.
BYLINE_MARK = re.compile(r"^[□■◇◆○●◎☆★]\s*\S")
BYLINE_PREFIX = re.compile(
    r"^(?:文\s*[/／|｜]|(?:本刊)?(?:特约)?(?:记者|通讯员)|作者|撰稿人?|执笔人?)\s*[/／:：\s]?\s*\S")
_HAN = f"[{regex_chars(ranges=HAN_RANGES)}]"
BYLINE_NAMES = re.compile(f"^{_HAN}{{1,4}}(?:[\\s、，,]+{_HAN}{{1,4}}){{1,5}}$")
BYLINE_MAX_CHARS = 30
# What may follow the credit line: a date, a signature. Dropped, and reported.
DATE_LINE = re.compile(
    r"^[（(]?\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年"
    r"(?:\s*[\d〇○零一二三四五六七八九十]{1,3}\s*月(?:\s*[\d〇○零一二三四五六七八九十]{1,3}\s*日)?)?"
    r"\s*[）)]?$")
SIGNATURE_PREFIX = re.compile(
    r"^[（(]?\s*(?:执笔人?|撰稿人?|撰写|作者|整理|供稿人|联系人|联系电话|电话|手机|审核|审稿|签发|"
    r"核稿|责任编辑|编辑|报送)\s*[:：]")
SIGNATURE_MAX_CHARS = 25  # a short line with no clause mark after the credit is a signature
SIGNATURE_PREFIXED_MAX_CHARS = 60
CLAUSE_MARKS = re.compile(r"[。！？；，,;!?：:]")
TRAILERS_MAX = 3  # lines after the credit that may be dropped
# The opening of a credit line with something after it in the same paragraph.
CREDIT_OPENING = re.compile(r"^[（(]\s*(?P<unit>[^（）()]+?)\s*供\s*稿\s*[）)]\s*(?P<rest>.+)$")
CAPTION_MAX_CHARS = 200
NOTE_OPENING = re.compile(r"^注\s*[:：]")

# Chinese type sizes (字号), in Word's half-points.
TYPE_SIZES = {84: "初号", 72: "小初", 52: "一号", 48: "小一", 44: "二号", 36: "小二", 32: "三号",
              30: "小三", 28: "四号", 24: "小四", 21: "五号", 18: "小五", 15: "六号"}
NOTE_SIZE = "四号（14 磅）"  # what the renderer sets a note in (CONVENTIONS.md)
ALIGNMENTS = {"center": "居中", "right": "右对齐"}


@dataclass(frozen=True)
class Picture:
    """An image of the submission, copied beside the article as `name`; `alt` is its
    caption (`![图为……](…)`), empty when it has none."""

    name: str
    alt: str = ""


@dataclass(frozen=True)
class Table:
    """A table as plain cell texts; the first row is the header row."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class BulletList:
    """Word's bullet items, one level: a Markdown `-` list (a real list in the bulletin)."""

    items: tuple[str, ...]


# str: one paragraph of plain text (escaped when written)
Block = str | Picture | Table | BulletList


@dataclass(frozen=True)
class Problem:
    """Something the importer could not convert faithfully: its I4xx code and a Chinese
    message. Where it is: a block of the body, else a front matter field, else the file."""

    code: str
    message: str
    block: int | None = None  # index into ImportedArticle.paragraphs
    field: str | None = None  # TITLE_FIELD, CREDIT_FIELD or SUBTITLE_FIELD: that front matter line
    mark: str | None = None  # text the problem left in the written line: gives the column


@dataclass
class ImportedArticle:
    title: list[str]  # the title's lines; empty when none was found
    credit: str | None
    paragraphs: list[Block]
    images: dict[str, bytes] = field(default_factory=dict)  # file name → content
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None  # for text files: the encoding detected, as shown to users
    subtitle: str | None = None  # without its leading ——

    @property
    def title_text(self) -> str:
        """The title on one line, as the report shows it: its lines joined with a space."""
        return " ".join(self.title)


@dataclass
class Piece:
    """One paragraph or table of the source, before the title and credit are taken out."""

    blocks: list[Block]
    kind: str = BODY  # TITLE, HEADING, EMPHASISED (centred or bold), TABLE or BODY
    lines: list[str] = field(default_factory=list)  # the text's lines as typed
    problems: list[Problem] = field(default_factory=list)
    look: tuple = ()  # how it is set (alignment, weight, size): title lines share one look
    align: str | None = None  # Word's alignment: "left", "center", "right", "both", …
    sizes: Counter = field(default_factory=Counter)  # type size (half-points) → characters
    style: str = ""  # SUBTITLE_STYLE or CAPTION_STYLE when its Word style says so
    bullet: int | None = None  # a Word bullet item: its level, 0 the first

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def only_picture(self) -> bool:
        return bool(self.blocks) and all(isinstance(block, Picture) for block in self.blocks)

    @property
    def only_text(self) -> bool:
        return len(self.blocks) == 1 and isinstance(self.blocks[0], str)


def join_lines(lines: list[str]) -> str:
    """One paragraph from lines broken by hand: no line breaks, no indentation."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        # Latin words on either side of a break need the space the break stood for.
        if text and _is_latin(text[-1]) and _is_latin(line[0]):
            text += " "
        text += line
    return text.replace("\t", " ")


def _is_latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ",.;:!?%)")


def title_line(text: str) -> str:
    """A title line: inner runs of spaces become one space (a possible break point)."""
    return " ".join(text.replace(IDEOGRAPHIC_SPACE, " ").split())


def quote(text: str) -> str:
    """Text left out, quoted whole in its problem message so that none of it is lost."""
    return "“" + " ".join(text.split()) + "”"


def credit_of(text: str) -> str | None:
    text = text.strip()
    for pattern in CREDIT_PATTERNS:
        match = pattern.match(text)
        if match:
            return match.group("unit")
    return None


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def type_size(half_points: str | None) -> str:
    """`24` → `小四（12 磅）`; a size with no Chinese name, in points only."""
    try:
        value = float(half_points or "")
    except ValueError:
        return "未知字号"
    if not 0 < value < 10_000:  # inf, nan, or no size Word can set
        return "未知字号"
    points = f"{value / 2:g}"
    name = TYPE_SIZES.get(int(value)) if value == int(value) else None
    return f"{name}（{points} 磅）" if name else f"{points} 磅"


# --- assembling the article ----------------------------------------------------------------

# What a piece becomes, other than body text.
SUBTITLE, BYLINE, CREDIT, TRAILER, CAPTION = "subtitle", "byline", "credit", "trailer", "caption"


def assemble(pieces: list[Piece], general: list[Problem], *, title_hint: str = "",
             encoding: str | None = None, images: dict[str, bytes] | None = None,
             ) -> ImportedArticle:
    """Take the title, subtitle, bylines, credit (and what follows it) and captions out of
    `pieces`, report what changes on the way, and number the problems by output block."""
    problems: list[Problem] = list(general)
    roles: dict[int, str] = {}
    title_at = _title_pieces(pieces)
    title: list[str] = []
    for index in title_at:
        roles[index] = TITLE
        title += [title_line(line) for line in pieces[index].lines if title_line(line)]
        problems += [replace(problem, message=f"标题：{problem.message}", field=TITLE_FIELD)
                     for problem in pieces[index].problems]
    if not title:
        message = "未找到标题：文档开头没有“标题”样式、标题样式或居中加粗的短段；请在 title 中填写"
        if title_hint:
            message += f"（文档属性中的标题为{quote(title_hint)}）"
        problems.append(Problem(NO_TITLE, message, field=TITLE_FIELD))
    elif any(p.blocks for p in pieces[: title_at[0]]):
        count = sum(1 for p in pieces[: title_at[0]] if p.blocks)
        # They are the first blocks of the body.
        problems.append(Problem(TITLE_UNSURE, f"标题之前的 {count} 段内容已保留在正文开头，请核对",
                                block=0))

    subtitle = None
    if len(title) > 1 and SUBTITLE_DASH.match(title[-1]):
        subtitle = SUBTITLE_DASH.sub("", title.pop()).strip()  # a `——` line of the title's own
    if title_at:
        for index in [i for i, p in enumerate(pieces) if p.blocks and i > title_at[-1]][:3]:
            piece = pieces[index]
            if subtitle is None and _subtitle_like(piece):
                roles[index] = SUBTITLE
                subtitle = SUBTITLE_DASH.sub("", piece.text).strip()
                problems += [replace(problem, message=f"副标题：{problem.message}",
                                     field=SUBTITLE_FIELD) for problem in piece.problems]
            elif _byline_like(piece):
                roles[index] = BYLINE
                problems.append(Problem(
                    TEXT_LEFT_OUT, f"标题下的署名{quote(piece.text)}未导入（本刊不印作者署名），请核对",
                    field=TITLE_FIELD))
                problems += [replace(problem, message=f"署名：{problem.message}", field=TITLE_FIELD)
                             for problem in piece.problems]
            else:
                break

    credit_at, credit, after_credit, trailers = _credit(pieces, roles, title_at)
    if credit is None:
        problems.append(Problem(NO_CREDIT, "未找到供稿单位：文末应有一行“（……供稿）”；请在 credit 中填写",
                                field=CREDIT_FIELD))
    else:
        roles[credit_at] = CREDIT
        problems += [replace(problem, message=f"供稿行：{problem.message}", field=CREDIT_FIELD)
                     for problem in pieces[credit_at].problems]
        for text in after_credit:
            problems.append(_trailer_problem(text))
        for index in trailers:
            roles[index] = TRAILER
            problems.append(_trailer_problem(pieces[index].text))
            problems += [replace(problem, field=CREDIT_FIELD) for problem in pieces[index].problems]

    captions = _captions(pieces, roles)
    for index in captions.values():
        roles[index] = CAPTION
    body_size = _body_size(pieces, roles)

    paragraphs: list[Block] = []
    waiting: list[Problem] = []  # problems of a piece that left no block: they go to the next one
    in_list = False  # the last block written is a bullet list that the next item extends
    for index, piece in enumerate(pieces):
        blocks = piece.blocks
        role = roles.get(index)
        if role in (TITLE, CREDIT):
            # The title's or credit's text is in the front matter; a picture there is not.
            blocks = [block for block in blocks if isinstance(block, Picture)]
        elif role in (SUBTITLE, BYLINE, TRAILER, CAPTION):
            continue  # its problems are placed already (a caption's go with its picture)
        else:
            waiting += piece.problems
            if piece.blocks and isinstance(piece.blocks[0], str) and not _captioned_in_place(piece):
                waiting += _changes(pieces, index, body_size)
        if index in captions:
            # The caption goes with the last picture, the one it is under.
            caption = pieces[captions[index]]
            last = max(i for i, block in enumerate(blocks) if isinstance(block, Picture))
            blocks = blocks[:last] + [replace(blocks[last], alt=caption.text)] + blocks[last + 1:]
            waiting += caption.problems
        elif role is None and _captioned_in_place(piece):
            # One picture and its caption in one paragraph, a line break between them.
            blocks = [replace(piece.blocks[1], alt=piece.text)]
        if role is None and piece.bullet is not None and piece.only_text:
            if piece.bullet > 0:
                waiting.append(Problem(FORMATTING_LOST, f"第 {piece.bullet + 1} 级项目符号已并入一级列表，"
                                                        "请核对"))
            if in_list:  # the item right after another: the same list
                paragraphs[-1] = BulletList(paragraphs[-1].items + (piece.text,))
                problems += [replace(problem, block=len(paragraphs) - 1) for problem in waiting]
                waiting = []
                continue
            blocks = [BulletList((piece.text,))]
        if blocks:
            problems += [replace(problem, block=len(paragraphs)) for problem in waiting]
            waiting = []
            paragraphs += blocks
            in_list = isinstance(blocks[-1], BulletList)
    last = len(paragraphs) - 1 if paragraphs else None
    problems += [replace(problem, block=last) for problem in waiting]
    problems += [Problem(CAPTION_MISSING, "图片没有图注：其下没有“图为……”段，alt 文字为空；"
                         "如需图注，请写在方括号中：![图为……](…)", block=number)
                 for number, block in enumerate(paragraphs)
                 if isinstance(block, Picture) and not block.alt]
    return ImportedArticle(title=title, credit=credit, paragraphs=paragraphs,
                           images=dict(images or {}), problems=problems, encoding=encoding,
                           subtitle=subtitle or None)


def _captioned_in_place(piece: Piece) -> bool:
    return (len(piece.blocks) == 2 and isinstance(piece.blocks[0], str)
            and isinstance(piece.blocks[1], Picture) and piece.text.startswith(CAPTION_OPENING)
            and len(piece.text) <= CAPTION_MAX_CHARS)


def _title_pieces(pieces: list[Piece]) -> list[int]:
    """Indices of the pieces that make the title: its lines, in order."""
    styled = [i for i, p in enumerate(pieces) if p.kind == TITLE and p.text]
    if styled:
        run = [styled[0]]
        while run[-1] + 1 < len(pieces) and pieces[run[-1] + 1].kind == TITLE \
                and pieces[run[-1] + 1].text:
            run.append(run[-1] + 1)
        return run
    first = next((i for i, p in enumerate(pieces) if p.blocks), None)
    if first is None or pieces[first].kind not in (HEADING, EMPHASISED) \
            or not _title_like(pieces[first]):
        return []
    run = [first]
    while len(run) < TITLE_MAX_LINES and run[-1] + 1 < len(pieces):
        following = pieces[run[-1] + 1]
        if following.kind != pieces[first].kind or following.look != pieces[first].look \
                or not _title_like(following):
            break
        run.append(run[-1] + 1)
    return run


def _title_like(piece: Piece) -> bool:
    text = piece.text
    return (bool(text) and len(text) <= TITLE_MAX_CHARS and piece.blocks == [text]
            and run_in_level(text) is None and credit_of(text) is None
            and piece.style != SUBTITLE_STYLE and piece.bullet is None
            and not SUBTITLE_DASH.match(text))


def _subtitle_like(piece: Piece) -> bool:
    text = piece.text
    return (piece.only_text and piece.kind != TABLE and len(text) <= SUBTITLE_MAX_CHARS
            and (piece.style == SUBTITLE_STYLE or SUBTITLE_DASH.match(text) is not None)
            and bool(SUBTITLE_DASH.sub("", text).strip()))


def _byline_like(piece: Piece) -> bool:
    text = piece.text.strip()
    if not piece.only_text or piece.kind == TABLE or len(text) > BYLINE_MAX_CHARS \
            or "。" in text or credit_of(text) is not None or run_in_level(text) is not None:
        return False
    return bool(BYLINE_MARK.match(text) or BYLINE_PREFIX.match(text)
                or BYLINE_NAMES.match(text.replace(IDEOGRAPHIC_SPACE, " ")))


def _credit(pieces: list[Piece], roles: dict[int, str], title_at: list[int],
            ) -> tuple[int | None, str | None, list[str], list[int]]:
    """The credit: a trailing `（…供稿）` paragraph, perhaps followed by a date or a
    signature (and pictures with their captions or a `注：`, which stay), or failing that
    one right under the title. Its piece, the unit, the lines after it in its own paragraph, and
    the pieces after it to drop."""
    candidates = [i for i, p in enumerate(pieces) if p.blocks and i not in roles]
    trailers: list[int] = []
    for index in reversed(candidates):
        piece = pieces[index]
        if piece.kind != TABLE:
            found = _credit_lines(piece)
            if found is not None:
                return index, found[0], found[1], sorted(trailers)
        if piece.only_picture or _captioned_in_place(piece) or (
                piece.only_text and (piece.text.startswith(CAPTION_OPENING)
                                     or NOTE_OPENING.match(piece.text))):
            continue  # a photo (with its caption) or a note after the credit stays in the body
        if len(trailers) < TRAILERS_MAX and piece.only_text and piece.kind != TABLE \
                and _trailer_kind(piece.text) is not None:
            trailers.append(index)
            continue
        break
    after_title = [i for i in candidates if title_at and i > title_at[-1]]
    if after_title and pieces[after_title[0]].kind != TABLE:
        unit = credit_of(pieces[after_title[0]].text)
        if unit is not None:
            return after_title[0], unit, [], []
    return None, None, [], []


def _credit_lines(piece: Piece) -> tuple[str, list[str]] | None:
    """A credit paragraph: its unit, and the date or signature lines after it within the
    paragraph (a line break or spaces between them)."""
    unit = credit_of(piece.text)
    if unit is not None:
        return unit, []
    lines = [line.strip() for line in piece.lines if line.strip()]
    if len(lines) > 1:
        unit = credit_of(lines[0])
        if unit is not None and all(_trailer_kind(line) for line in lines[1:]):
            return unit, lines[1:]
    match = CREDIT_OPENING.match(piece.text.strip())
    if match and _trailer_kind(match.group("rest")):
        return match.group("unit"), [match.group("rest").strip()]
    return None


def _trailer_kind(text: str) -> str | None:
    """What a line after the credit is: 日期 or 署名; None if it is text to keep."""
    text = text.strip()
    if not text:
        return None
    if DATE_LINE.match(text):
        return "日期"
    if SIGNATURE_PREFIX.match(text) and len(text) <= SIGNATURE_PREFIXED_MAX_CHARS:
        return "署名"
    if len(text) <= SIGNATURE_MAX_CHARS and not CLAUSE_MARKS.search(text) \
            and run_in_level(text) is None and credit_of(text) is None:
        return "署名"
    return None


def _trailer_problem(text: str) -> Problem:
    kind = _trailer_kind(text) or "署名"
    why = "本刊不印成稿日期" if kind == "日期" else "供稿单位已写入 credit"
    return Problem(TEXT_LEFT_OUT, f"供稿行之后的{kind}{quote(text)}未导入（{why}），请核对",
                   field=CREDIT_FIELD)


def _captions(pieces: list[Piece], roles: dict[int, str]) -> dict[int, int]:
    """Photo → its caption: the paragraph right under a paragraph holding pictures and
    nothing else, when it opens with `图为` (or is in Word's 题注 style)."""
    found: dict[int, int] = {}
    body = [i for i, p in enumerate(pieces) if p.blocks and roles.get(i) in (None, TITLE, CREDIT)]
    for index, following in zip(body, body[1:]):
        pictures = [b for b in pieces[index].blocks if isinstance(b, Picture)]
        # A title's or credit's text is in the front matter: what stays of it are its pictures.
        alone = bool(pictures) and (roles.get(index) in (TITLE, CREDIT)
                                    or len(pictures) == len(pieces[index].blocks))
        caption = pieces[following]
        if alone and following not in roles and caption.only_text and caption.kind != TABLE \
                and len(caption.text) <= CAPTION_MAX_CHARS \
                and (caption.text.startswith(CAPTION_OPENING) or caption.style == CAPTION_STYLE):
            found[index] = following
    return found


def _body_size(pieces: list[Piece], roles: dict[int, str]) -> str | None:
    """The type size most of the body text is set in, in half-points."""
    counted: Counter = Counter()
    for index, piece in enumerate(pieces):
        if index not in roles and piece.kind in (BODY, EMPHASISED):
            counted.update(piece.sizes)
    counted.pop(None, None)
    if not counted:
        return None
    return max(counted, key=lambda size: (counted[size], size))


def _changes(pieces: list[Piece], index: int, body_size: str | None) -> list[Problem]:
    """What the Markdown paragraph of pieces[index] does not keep of how Word sets it:
    its alignment (a body paragraph is justified, its first line indented) and type size.
    A table's title and a heading in Word's heading styles are set by their own rules."""
    piece = pieces[index]
    following = next((p for p in pieces[index + 1:] if p.blocks), None)
    if following is not None and following.kind == TABLE and TABLE_TITLE.match(piece.text):
        return []
    found = []
    alignment = ALIGNMENTS.get(piece.align or "")
    if alignment:
        found.append(Problem(FORMATTING_LOST, f"原文{alignment}，已按正文段落导入（两端对齐、首行缩进），"
                                              "请核对"))
    counted = Counter({size: n for size, n in piece.sizes.items() if size is not None})
    if body_size is not None and counted and piece.kind != HEADING:
        size = max(counted, key=lambda s: (counted[s], s))
        if size != body_size:
            message = f"字号为{type_size(size)}，正文为{type_size(body_size)}；"
            if NOTE_OPENING.match(piece.text):
                message += f"已按“注：”注释段导入，排{NOTE_SIZE}，请核对"
            else:
                message += "已按正文字号导入，请核对"
            found.append(Problem(FORMATTING_LOST, message))
    return found
