"""What every importer produces, and the rules shared by .docx and .txt.

A reader turns its file into a list of `Piece`s (one per source paragraph or table,
with the problems met inside it); `assemble` then takes out the title and the credit
and numbers the problems by the Markdown block they belong to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Body paragraphs of this shape are run-in headings; they never join a title.
RUN_IN_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)")
CREDIT_PATTERNS = (
    re.compile(r"^[（(]\s*(?P<unit>.+?)\s*供\s*稿\s*[）)]$"),
    re.compile(r"^[（(]\s*供稿(?:单位)?\s*[:：]\s*(?P<unit>.+?)\s*[）)]$"),
)
TITLE_MAX_CHARS = 40  # a longer centred or bold line is a body paragraph, not a title
TITLE_MAX_LINES = 3

BODY, TITLE, HEADING, EMPHASISED, TABLE = "body", "title", "heading", "emphasised", "table"


@dataclass(frozen=True)
class Picture:
    """An image of the submission, copied beside the article as `name`."""

    name: str
    alt: str = ""


@dataclass(frozen=True)
class Table:
    """A table as plain cell texts; the first row is the header row."""

    rows: tuple[tuple[str, ...], ...]


Block = str | Picture | Table  # str: one paragraph of plain text (escaped when written)


@dataclass(frozen=True)
class Problem:
    """Something the importer could not convert faithfully, in Chinese."""

    message: str
    block: int | None = None  # index into ImportedArticle.paragraphs; None: the whole file


@dataclass
class ImportedArticle:
    title: list[str]  # the title's lines; empty when none was found
    credit: str | None
    paragraphs: list[Block]
    images: dict[str, bytes] = field(default_factory=dict)  # file name → content
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None  # for text files: the encoding detected, as shown to users


@dataclass
class Piece:
    """One paragraph or table of the source, before the title and credit are taken out."""

    blocks: list[Block]
    kind: str = BODY  # TITLE, HEADING, EMPHASISED (centred or bold), TABLE or BODY
    lines: list[str] = field(default_factory=list)  # the text's lines as typed
    problems: list[str] = field(default_factory=list)
    look: tuple = ()  # how it is set (alignment, weight, size): title lines share one look

    @property
    def text(self) -> str:
        return join_lines(self.lines)


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
    return " ".join(text.replace("\u3000", " ").split())


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


def assemble(pieces: list[Piece], general: list[str], *, title_hint: str = "",
             encoding: str | None = None, images: dict[str, bytes] | None = None,
             ) -> ImportedArticle:
    """Take the title and credit out of `pieces` and number the problems by output block."""
    problems: list[Problem] = [Problem(message) for message in general]
    title_at = _title_pieces(pieces)
    title: list[str] = []
    for index in title_at:
        title += [title_line(line) for line in pieces[index].lines if title_line(line)]
        problems += [Problem(f"标题：{message}") for message in pieces[index].problems]
    if not title:
        message = "未找到标题：文档开头没有“标题”样式、标题样式或居中加粗的短段；请在 title 中填写"
        if title_hint:
            message += f"（文档属性中的标题为{quote(title_hint)}）"
        problems.append(Problem(message))
    elif any(p.blocks for p in pieces[: title_at[0]]):
        count = sum(1 for p in pieces[: title_at[0]] if p.blocks)
        problems.append(Problem(f"标题之前的 {count} 段内容已保留在正文开头，请核对"))

    credit_at = _credit_piece(pieces, title_at)
    credit = credit_of(pieces[credit_at].text) if credit_at is not None else None
    if credit is None:
        problems.append(Problem("未找到供稿单位：文末应有一行“（……供稿）”；请在 credit 中填写"))

    if credit is not None:
        problems += [Problem(f"供稿行：{message}") for message in pieces[credit_at].problems]
    taken = set(title_at) | ({credit_at} if credit is not None else set())
    paragraphs: list[Block] = []
    waiting: list[str] = []  # problems of a piece that left no block: they go to the next one
    for index, piece in enumerate(pieces):
        blocks = piece.blocks
        if index in taken:
            # The title's or credit's text is in the front matter; a picture there is not.
            blocks = [block for block in blocks if isinstance(block, Picture)]
        else:
            waiting += piece.problems
        if blocks:
            problems += [Problem(message, len(paragraphs)) for message in waiting]
            waiting = []
            paragraphs += blocks
    last = len(paragraphs) - 1 if paragraphs else None
    problems += [Problem(message, last) for message in waiting]
    return ImportedArticle(title=title, credit=credit, paragraphs=paragraphs,
                           images=dict(images or {}), problems=problems, encoding=encoding)


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
            and not RUN_IN_HEADING.match(text) and credit_of(text) is None)


def _credit_piece(pieces: list[Piece], title_at: list[int]) -> int | None:
    """The trailing `（…供稿）` paragraph, or failing that one right under the title."""
    with_blocks = [i for i, p in enumerate(pieces) if p.blocks and i not in title_at]
    if with_blocks and credit_of(pieces[with_blocks[-1]].text) is not None \
            and pieces[with_blocks[-1]].kind != TABLE:
        return with_blocks[-1]
    after_title = [i for i in with_blocks if title_at and i > title_at[-1]]
    if after_title and credit_of(pieces[after_title[0]].text) is not None \
            and pieces[after_title[0]].kind != TABLE:
        return after_title[0]
    return None
