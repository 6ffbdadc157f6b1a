"""Characters the bundled fonts cannot draw (a box on paper), or that only the fallback
font draws (a character in another style than its neighbours)."""

from __future__ import annotations

import re
import unicodedata

from ..chinese import CAPTION_OPENING, TABLE_TITLE

from .coverage import project_fonts
from .rules import ARTICLE, ERROR, WARNING, Finding, rule
from .text import CREDIT, TITLE, ArticleText, Passage

# CSS families of templates/fonts.css, by the part of an article they set.
ROLE_FAMILIES = {
    "body": ("Bulletin FangSong", "正文"),
    "heading-1": ("Bulletin Hei", "一级标题"),
    "heading-2": ("Bulletin Kai", "二级标题"),
    "heading-3": ("Bulletin FangSong", "三级标题"),  # bold: the same face, stroked
    "heading-4": ("Bulletin FangSong", "四级标题"),
    "heading-5": ("Bulletin FangSong", "五级标题"),
    "title": ("Bulletin Title", "标题"),
    "contents": ("Bulletin Hei", "要目"),  # the title again, in the 要目 on page 1
    "credit": ("Bulletin FangSong", "供稿单位"),
    # The body's blocks (README "the body"), as markup.py and print.css set them.
    "caption": ("Bulletin Kai", "图片说明"),
    "table-title": ("Bulletin Hei", "表题"),
    "table-header": ("Bulletin Hei", "表头"),
}
IMAGE_CAPTION = re.compile(r"!\[([^\]]*)\]\([^)\s]*(?:\s+\"([^\"]*)\")?\)")
FALLBACK_FAMILY = "Bulletin Fallback"
INVISIBLE = {"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"}


def _roles(passage: Passage):
    """(offset, character, role) of every character a font must draw."""
    if passage.kind == TITLE:
        spans = [(0, len(passage.text), "title"), (0, len(passage.text), "contents")]
    elif passage.kind == CREDIT:
        spans = [(0, len(passage.text), "credit")]
    elif passage.text.startswith(CAPTION_OPENING):
        spans = [(0, len(passage.text), "caption")]
    elif passage.text.startswith("|"):  # a pipe table: its first row is the header
        header = passage.text.find("\n")
        header = len(passage.text) if header < 0 else header
        spans = [(0, header, "table-header"), (header, len(passage.text), "body")]
    elif TABLE_TITLE.match(passage.text) and "\n" not in passage.text:
        spans = [(0, len(passage.text), "table-title")]
    else:
        heading = passage.run_in_heading()
        figure = IMAGE_CAPTION.fullmatch(passage.text)
        if figure:  # a figure: its title, else its alt text, is the caption
            group = 2 if figure.group(2) else 1
            spans = [(figure.start(group), figure.end(group), "caption")]
        elif heading and heading[2] >= 0:
            end = heading[2] + 1
            spans = [(0, end, f"heading-{heading[0].level}"), (end, len(passage.text), "body")]
        else:
            spans = [(0, len(passage.text), "body")]
    for start, end, role in spans:
        for offset in range(start, end):
            char = passage.text[offset]
            if char > "\x7f" and unicodedata.category(char) not in INVISIBLE:
                yield offset, char, role


def _missing(text: ArticleText):
    """First place and count of each (character, role) that the role's face lacks."""
    if "glyphs" in text.shared:
        return text.shared["glyphs"]
    fonts = project_fonts(text.root)
    drawn: dict[tuple[str, str], bool] = {}
    seen: dict[tuple[str, str], list] = {}
    for passage in text.passages:
        for offset, char, role in _roles(passage):
            if (char, role) not in drawn:
                face = fonts.families.get(ROLE_FAMILIES[role][0])
                drawn[char, role] = face is not None and char in face
            if drawn[char, role]:
                continue
            entry = seen.setdefault((char, role), [passage, offset, 0])
            entry[2] += 1
    text.shared["glyphs"] = fonts, seen
    return fonts, seen


def _name(char: str) -> str:
    return f"“{char}”（U+{ord(char):04X}）"


def _count(count: int) -> str:
    return f"（本文共 {count} 处）" if count > 1 else ""


@rule("B241", ERROR, "内置字体都没有的字：印出来会是方框", scope=ARTICLE)
def undrawable(text: ArticleText):
    fonts, missing = _missing(text)
    for (char, role), (passage, offset, count) in missing.items():
        if not any(char in font for font in fonts.bundled.values()):
            yield Finding(offset, f"内置字体都没有{_name(char)}，印出来会是方框或空白：请换用常用字，"
                          f"或请排版人员补充字体{_count(count)}", passage=passage)


@rule("B242", WARNING, "只有后备字体才有的字：字形与上下文不同", scope=ARTICLE)
def fallback_only(text: ArticleText):
    fonts, missing = _missing(text)
    for (char, role), (passage, offset, count) in missing.items():
        family, part = ROLE_FAMILIES[role]
        face = fonts.families.get(family)
        if face is None:
            continue  # fonts.css no longer names this family: nothing to compare with
        fallback = fonts.families.get(FALLBACK_FAMILY)
        if fallback is not None and char in fallback:
            by = fallback
        else:
            by = next((font for font in fonts.bundled.values() if char in font), None)
            if by is None:
                continue  # B241
        yield Finding(offset, f"{part}字体 {face.family} 没有{_name(char)}，将由 {by.family} 排出，"
                      f"字形与上下文不同{_count(count)}", passage=passage)
