"""Characters the bundled fonts cannot draw (a box on paper), or that only the fallback
font draws (a character in another style than its neighbours).

The characters are those printed (lint/printed.py), not those written: `&#x1F600;` is
checked as 😀, and a NUL, a control or a private-use character is B243's (printed.py)."""

from __future__ import annotations

import unicodedata

from .coverage import project_fonts
from .printed import drawn
from .rules import ARTICLE, ERROR, WARNING, Finding, rule
from .text import ArticleText

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
    "subtitle": ("Bulletin Kai", "副标题"),
    # The body's blocks (README "the body"), as markup.py and print.css set them.
    "caption": ("Bulletin Kai", "图片说明"),
    "table-title": ("Bulletin Hei", "表题"),
    "table-header": ("Bulletin Hei", "表头"),
}
FALLBACK_FAMILY = "Bulletin Fallback"


def _missing(text: ArticleText):
    """First place and count of each (character, role) that the role's face lacks: the
    characters as printed (lint/printed.py: after Markdown, entities and escapes, a
    combining mark composed with the character before it)."""
    if "glyphs" in text.shared:
        return text.shared["glyphs"]
    fonts = project_fonts(text.root)
    drawn_by: dict[tuple[str, str], bool] = {}
    seen: dict[tuple[str, str], list] = {}
    for item, char in drawn(text):
        for role in item.roles:
            if (char, role) not in drawn_by:
                face = fonts.families.get(ROLE_FAMILIES[role][0])
                drawn_by[char, role] = face is not None and char in face
            if drawn_by[char, role]:
                continue
            entry = seen.setdefault((char, role), [item, 0])
            entry[1] += 1
    text.shared["glyphs"] = fonts, seen
    return fonts, seen


def _name(char: str, origin: str = "") -> str:
    shown = f"◌{char}" if unicodedata.category(char) in ("Mn", "Mc", "Me") else char
    written = f"（原文写作“{origin}”）" if origin.startswith(("&", "\\")) else ""
    return f"“{shown}”（U+{ord(char):04X}）{written}"


def _count(count: int) -> str:
    return f"（本文共 {count} 处）" if count > 1 else ""


@rule("B241", ERROR, "内置字体都没有的字：印出来会是方框", scope=ARTICLE)
def undrawable(text: ArticleText):
    fonts, missing = _missing(text)
    for (char, role), (item, count) in missing.items():
        if not any(char in font for font in fonts.bundled.values()):
            yield Finding(item.offset, f"内置字体都没有{_name(char, item.origin)}，印出来会是方框或空白，"
                          f"还会使 PDF 中的文字无法复制和检索：请换用常用字，"
                          f"或请排版人员补充字体{_count(count)}", passage=item.passage)


@rule("B242", WARNING, "只有后备字体才有的字：字形与上下文不同", scope=ARTICLE)
def fallback_only(text: ArticleText):
    fonts, missing = _missing(text)
    for (char, role), (item, count) in missing.items():
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
        yield Finding(item.offset, f"{part}字体 {face.family} 没有{_name(char, item.origin)}，"
                      f"将由 {by.family} 排出，字形与上下文不同{_count(count)}", passage=item.passage)
