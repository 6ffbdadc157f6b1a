"""What every importer produces, and the rules shared by .docx and .txt.

A reader turns its file into a list of `Piece`s (one per source paragraph or table,
with the problems met inside it); `assemble` then takes out the title and the credit
and numbers the problems by the Markdown block they belong to. Every problem carries
its I4xx code (registered, with its severity, in bulletin/codes.py); `command.py`
makes it a Diagnostic once the Markdown is written and its line is known.
"""

from __future__ import annotations

import re
import unicodedata
from ..chinese import IDEOGRAPHIC_SPACE, run_in_level
from dataclasses import dataclass, field, replace

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

# Where a problem is, when it is on a front matter line rather than in a body block.
TITLE_FIELD, CREDIT_FIELD = "title", "credit"


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
    """Something the importer could not convert faithfully: its I4xx code and a Chinese
    message. Where it is: a block of the body, else a front matter field, else the file."""

    code: str
    message: str
    block: int | None = None  # index into ImportedArticle.paragraphs
    field: str | None = None  # TITLE_FIELD or CREDIT_FIELD: that line of the front matter
    mark: str | None = None  # text the problem left in the written line: gives the column


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
    problems: list[Problem] = field(default_factory=list)
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


def assemble(pieces: list[Piece], general: list[Problem], *, title_hint: str = "",
             encoding: str | None = None, images: dict[str, bytes] | None = None,
             ) -> ImportedArticle:
    """Take the title and credit out of `pieces` and number the problems by output block."""
    problems: list[Problem] = list(general)
    title_at = _title_pieces(pieces)
    title: list[str] = []
    for index in title_at:
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

    credit_at = _credit_piece(pieces, title_at)
    credit = credit_of(pieces[credit_at].text) if credit_at is not None else None
    if credit is None:
        problems.append(Problem(NO_CREDIT, "未找到供稿单位：文末应有一行“（……供稿）”；请在 credit 中填写",
                                field=CREDIT_FIELD))

    if credit is not None:
        problems += [replace(problem, message=f"供稿行：{problem.message}", field=CREDIT_FIELD)
                     for problem in pieces[credit_at].problems]
    taken = set(title_at) | ({credit_at} if credit is not None else set())
    paragraphs: list[Block] = []
    waiting: list[Problem] = []  # problems of a piece that left no block: they go to the next one
    for index, piece in enumerate(pieces):
        blocks = piece.blocks
        if index in taken:
            # The title's or credit's text is in the front matter; a picture there is not.
            blocks = [block for block in blocks if isinstance(block, Picture)]
        else:
            waiting += piece.problems
        if blocks:
            problems += [replace(problem, block=len(paragraphs)) for problem in waiting]
            waiting = []
            paragraphs += blocks
    last = len(paragraphs) - 1 if paragraphs else None
    problems += [replace(problem, block=last) for problem in waiting]
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
            and run_in_level(text) is None and credit_of(text) is None)


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
