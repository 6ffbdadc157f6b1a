"""Punctuation: half-width marks and straight quotes in Chinese text, unbalanced pairs,
doubled marks, ellipses and dashes typed the Western way, full-width digits and letters."""

from __future__ import annotations

import re

from ..chinese import MIDDLE_DOTS, PAIRS, PAUSES, chinese_number, has_han, is_chinese, \
    is_han, regex_chars
from ..diagnostics import Fix
from .rules import ARTICLE, ERROR, Finding, rule
from .text import ArticleText, Passage

HALF_WIDTH = {
    ",": ("逗号", "，"), ".": ("句号", "。"), ";": ("分号", "；"), ":": ("冒号", "："),
    "?": ("问号", "？"), "!": ("叹号", "！"), "(": ("左括号", "（"), ")": ("右括号", "）"),
}
# What B202 calls each pair of `bulletin.chinese.PAIRS`, by its opening mark.
PAIR_NAMES = {"“": "双引号", "‘": "单引号", "（": "括号", "《": "书名号", "〈": "单书名号",
              "【": "方头括号", "〔": "六角括号", "「": "直角引号", "『": "双直角引号"}
ELLIPSIS = re.compile(rf"\.{{3,}}|。{{3,}}|[{regex_chars(MIDDLE_DOTS)}]{{3,}}|…{{3,}}|(?<!…)…(?!…)")
DASH = re.compile(r"-{2,}|－{2,}|―+")
DOUBLED = re.compile(rf"[{regex_chars(PAUSES)}]{{2,}}|？{{2,}}|！{{2,}}")
FULL_WIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ](?:[０-９Ａ-Ｚａ-ｚ]|．(?=[０-９]))*")


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The characters just before `start` and after `end`, looking past typed spaces."""
    while start > 0 and text[start - 1] == " ":
        start -= 1
    while end < len(text) and text[end] == " ":
        end += 1
    return text[start - 1:start] if start else "", text[end:end + 1]


def _in_chinese(text: str, start: int, end: int | None = None) -> bool:
    before, after = _neighbours(text, start, start + 1 if end is None else end)
    return is_chinese(before) or is_chinese(after)


@rule("B201", ERROR, "中文语境中使用了英文直引号 \" '")
def straight_quotes(passage: Passage):
    text = passage.text
    if not has_han(text):
        return
    for mark, (left, right), name in (('"', "“”", "双"), ("'", "‘’", "单")):
        spots = [i for i, ch in enumerate(text) if ch == mark
                 and (mark == '"' or _in_chinese(text, i))]
        # Alternating left/right is only safe when every quote has its partner.
        paired = len(spots) % 2 == 0
        for n, i in enumerate(spots):
            if paired:
                new, side = (left, "左") if n % 2 == 0 else (right, "右")
                yield Finding(i, f"中文语境中使用了英文直引号 {mark}，应为中文{side}{name}引号 {new}",
                              Fix(mark, new))
            else:
                yield Finding(i, f"中文语境中使用了英文直引号 {mark}，应为中文{name}引号 {left} 或 {right}"
                              "（引号个数为奇数，请手工修改）")


@rule("B202", ERROR, "引号、括号、书名号不成对", scope=ARTICLE)
def unbalanced(text: ArticleText):
    # A title's lines are one text: a quote may open on the first line and close on the next.
    groups = [text.title] + [[passage] for passage in text.body]
    if text.credit:
        groups.append([text.credit])
    for passages in groups:
        chars = [(passage, i, ch) for passage in passages for i, ch in enumerate(passage.text)]
        yield from _unbalanced(chars)


def _unbalanced(chars: list[tuple[Passage, int, str]]):
    for left, right in PAIRS.items():
        name = PAIR_NAMES[left]
        # Half-width parentheses count with full-width ones: （…) is one pair with a B203.
        lefts, rights = (left + "(", right + ")") if left == "（" else (left, right)
        open_at: list[tuple[Passage, int, str]] = []
        for n, (passage, i, ch) in enumerate(chars):
            if ch in lefts:
                open_at.append((passage, i, ch))
            elif ch in rights:
                if ch == "’" and _between_letters(chars, n):
                    continue  # an apostrophe, as in Xi’an
                if open_at:
                    open_at.pop()
                else:
                    yield Finding(i, f"{name}不成对：“{ch}”前面没有与之配对的“{left}”",
                                  passage=passage)
        for passage, i, ch in open_at:
            yield Finding(i, f"{name}不成对：“{ch}”之后没有与之配对的“{right}”", passage=passage)


def _between_letters(chars: list[tuple[Passage, int, str]], n: int) -> bool:
    before = chars[n - 1][2] if n else ""
    after = chars[n + 1][2] if n + 1 < len(chars) else ""
    return all(ch.isascii() and ch.isalpha() for ch in (before, after))


def _parenthesis_pairs(text: str) -> dict[int, int]:
    partner, stack = {}, []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            partner[i], partner[j] = j, i
    return partner


def _han_before(text: str) -> list[int]:
    """How many Han characters precede each offset: Han inside any span in constant time."""
    counts = [0]
    for ch in text:
        counts.append(counts[-1] + is_han(ch))
    return counts


def _half_width_is_chinese(text: str, i: int, partner: dict[int, int],
                           han_before: list[int]) -> bool:
    ch = text[i]
    before, after = text[i - 1:i], text[i + 1:i + 2]
    if ch in ".,:;" and chinese_number(text[:i]) is not None:
        return False  # 一. opening a paragraph wants 、, not 。: B224
    if ch in ",:" and before.isdigit() and after.isdigit() and before.isascii():
        return False  # 1,000 and 9:30
    if ch == ".":
        if before == "." or after == ".":
            return False  # an ellipsis: B205
        if before.isascii() and before.isalnum():
            return False  # 3.5, 1. as numbering, www.example.com
    if ch in "()" and i in partner:
        j = partner[i]
        start, end = min(i, j), max(i, j)
        return (_in_chinese(text, start) or _in_chinese(text, end)
                or han_before[end] > han_before[start])
    return _in_chinese(text, i)


@rule("B203", ERROR, "中文语境中使用了半角标点 , . ; : ? ! ( )")
def half_width(passage: Passage):
    text = passage.text
    partner = _parenthesis_pairs(text)
    han_before = _han_before(text) if partner else []
    for i, ch in enumerate(text):
        if ch in HALF_WIDTH and _half_width_is_chinese(text, i, partner, han_before):
            name, full = HALF_WIDTH[ch]
            yield Finding(i, f"中文语境中使用了半角{name}“{ch}”，应为全角“{full}”", Fix(ch, full))


@rule("B204", ERROR, "标点重复，如“。。”“，，”")
def doubled(passage: Passage):
    for match in DOUBLED.finditer(passage.text):
        run = match.group()
        if len(run) >= 3 and set(run) == {"。"}:
            continue  # 。。。 is an ellipsis: B205
        yield Finding(match.start(), f"标点重复：“{run}”")


@rule("B205", ERROR, "省略号应为“……”，不应写作 ... 或单个 …")
def ellipsis(passage: Passage):
    if not has_han(passage.text):
        return
    for match in ELLIPSIS.finditer(passage.text):
        run = match.group()
        yield Finding(match.start(), f"省略号应为“……”（两个“…”），不应写作“{run}”", Fix(run, "……"))


@rule("B206", ERROR, "破折号应为“——”，不应写作 -- 或 ――")
def dash(passage: Passage):
    text = passage.text
    for match in DASH.finditer(text):
        run = match.group()
        if run[0] == "―":
            # U+2015 comes from old GBK conversions and no Fandol font draws it.
            new = "—" * len(run)
            yield Finding(match.start(), f"“{run}”用的是 U+2015 横线，应为“{new}”（U+2014）",
                          Fix(run, new))
        elif run[0] == "－" or _in_chinese(text, match.start(), match.end()):
            yield Finding(match.start(), f"破折号应为“——”，不应写作“{run}”", Fix(run, "——"))


@rule("B207", ERROR, "全角数字或字母，如“２０２５”，应为半角")
def full_width_alnum(passage: Passage):
    for match in FULL_WIDTH_ALNUM.finditer(passage.text):
        run = match.group()
        ascii_run = "".join(chr(ord(ch) - 0xFEE0) for ch in run)
        yield Finding(match.start(), f"全角字符“{run}”应为半角“{ascii_run}”", Fix(run, ascii_run))
