"""Punctuation: half-width marks and straight quotes in Chinese text, unbalanced pairs,
doubled marks, ellipses and dashes typed the Western way, full-width digits and letters."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..chinese import MIDDLE_DOTS, PAIRS, PAUSES, chinese_number, has_han, is_chinese, \
    is_han, regex_chars
from ..diagnostics import Fix
from .rules import ARTICLE, ERROR, Finding, in_literal, rule
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
DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")
FULL_WIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ](?:[０-９Ａ-Ｚａ-ｚ]|．(?=[０-９]))*")


# Brackets and quotes a sentence written in Latin letters may hold whole, whatever they
# hold (a gloss in Chinese: `Zhengzhou (郑州)`), by the mark that closes each.
GROUPS = {"(": ")", "（": "）", "[": "]", "“": "”", "‘": "’", '"': '"'}
# What closes a quote or bracket opened right before a Latin run: the straight and the
# Chinese forms both, as `--fix` may have made one the other.
CLOSERS = {"(": ")）", "（": "）)", "[": "]", "“": "”\"", "‘": "’'", '"': '"”', "'": "'’"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*")
CLAUSE_MARKS = ",;:"  # after a Latin run and before Chinese text, they belong to the Chinese


@lru_cache(maxsize=4096)
def latin_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) spans of `text` that are sentences in Latin letters, with their own
    punctuation: `他问：Are you OK? 我说` holds `Are you OK?`. The rules of Chinese
    punctuation (B201, B203, B205, B206) leave them as written.

    Such a sentence opens with a letter, runs to the first Chinese character or mark
    outside brackets and quotes it holds whole, and has two words or more (three when it
    follows a Han character, which makes a shorter run a term of the Chinese sentence:
    `使用 Microsoft Word，`). A `,` `;` `:` ending it belongs to the Chinese text after it.
    """
    spans: list[tuple[int, int]] = []
    closes = _group_closes(text)
    i, size = 0, len(text)
    while i < size:
        ch = text[i]
        if not (ch.isascii() and ch.isalpha()) or (i and text[i - 1].isascii()
                                                    and text[i - 1].isalnum()):
            i += 1
            continue
        before = i - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        previous = text[before] if before >= 0 else ""
        end, stop, words = _latin_run(text, i, CLOSERS.get(previous), closes)
        if words >= (3 if is_han(previous) else 2):
            spans.append((i, end))
        i = max(stop, i + 1)
    return tuple(spans)


def _group_closes(text: str) -> dict[int, int]:
    """Where each bracket or quote of `GROUPS` that is closed closes, by where it opens:
    brackets nested, straight double quotes paired in turn."""
    closes: dict[int, int] = {}
    stack: list[int] = []
    quote = None
    for i, ch in enumerate(text):
        if ch == '"':
            if quote is None:
                quote = i
            else:
                closes[quote], quote = i, None
        elif ch in GROUPS:
            stack.append(i)
        elif stack and ch == GROUPS[text[stack[-1]]]:
            closes[stack.pop()] = i
    return closes


def _latin_run(text: str, start: int, outer: str | None,
               closes: dict[int, int]) -> tuple[int, int, int]:
    """Where the Latin run from `start` ends, where its scan stopped, and how many words it
    has outside brackets. `outer`: the marks that close a quote or bracket opened right
    before the run; `closes`: `_group_closes(text)`."""
    end, position, outside = start, start, []
    while position < len(text):
        ch = text[position]
        if outer is not None and ch in outer:
            break
        if ch in GROUPS and (ch != '"' or text[position - 1:position].isspace()):
            close = closes.get(position)
            if close is None:
                break  # a bracket never closed: the run ends before it
            outside.append((position, " "))
            position = end = close + 1
            continue
        if is_chinese(ch):
            break
        outside.append((position, ch))
        if not ch.isspace():
            end = position + 1
        position += 1
    stop = position
    while end > start and text[end - 1] in CLAUSE_MARKS:
        end -= 1
    words = len(LATIN_WORD.findall("".join(ch for at, ch in outside if at < end)))
    return end, stop, words


def _in_latin(text: str, start: int, end: int | None = None) -> bool:
    end = start + 1 if end is None else end
    spans = latin_sentences(text)
    index = bisect.bisect_right(spans, (start, len(text) + 1)) - 1  # the last opening by `start`
    return index >= 0 and end <= spans[index][1]


def _untouchable(text: str, start: int, end: int | None = None) -> bool:
    """Inside code, an address, or a sentence in Latin letters: not Chinese punctuation."""
    return in_literal(text, start, end) or _in_latin(text, start, end)


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


@rule("B201", ERROR, "中文语境中使用了英文直引号 \" '", prose=True)
def straight_quotes(passage: Passage):
    text = passage.text
    if not has_han(text):
        return
    for mark, (left, right), name in (('"', "“”", "双"), ("'", "‘’", "单")):
        spots = [i for i, ch in enumerate(text) if ch == mark and not _untouchable(text, i)
                 and (mark == '"' or _in_chinese(text, i))]
        # Alternating left/right is only safe when every quote has its partner.
        if len(spots) % 2:
            for i in spots:
                yield Finding(i, f"中文语境中使用了英文直引号 {mark}，应为中文{name}引号 {left} 或 {right}"
                              "（引号个数为奇数，请手工修改）")
            continue
        for opening, closing in zip(spots[0::2], spots[1::2]):
            # A pair around Latin text, with Latin text on both sides, is not Chinese.
            if not (has_han(text, opening + 1, closing) or _in_chinese(text, opening)
                    or _in_chinese(text, closing)):
                continue
            for i, new, side in ((opening, left, "左"), (closing, right, "右")):
                yield Finding(i, f"中文语境中使用了英文直引号 {mark}，应为中文{side}{name}引号 {new}",
                              Fix(mark, new))


@rule("B202", ERROR, "引号、括号、书名号不成对", scope=ARTICLE, prose=True)
def unbalanced(text: ArticleText):
    # A title's lines are one text: a quote may open on the first line and close on the next.
    groups = [text.title] + [[passage] for passage in text.body]
    if text.credit:
        groups.append([text.credit])
    for passages in groups:
        chars = [(passage, i, ch) for passage in passages for i, ch in enumerate(passage.text)
                 if not in_literal(passage.text, i)]
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
    if _untouchable(text, i):
        return False  # code, an address, a sentence in Latin letters
    if ch in ".,:;" and chinese_number(text[:i]) is not None:
        return False  # 一. opening a paragraph wants 、, not 。: B224
    if ch in ",:" and before in DIGIT_CHARS and after in DIGIT_CHARS:
        return False  # 1,000 and 9:30 (and １,０００, whose digits B207 makes half-width)
    if ch == ".":
        if before == "." or after == ".":
            return False  # an ellipsis: B205
        if (before.isascii() and before.isalnum()) or before in DIGIT_CHARS:
            return False  # 3.5, 1. as numbering, www.example.com
    if ch in "()" and i in partner:
        j = partner[i]
        if _untouchable(text, j):
            return False  # a pair is one thing: both marks change, or neither
        start, end = min(i, j), max(i, j)
        return (_in_chinese(text, start) or _in_chinese(text, end)
                or han_before[end] > han_before[start])
    return _in_chinese(text, i)


@rule("B203", ERROR, "中文语境中使用了半角标点 , . ; : ? ! ( )", prose=True)
def half_width(passage: Passage):
    text = passage.text
    partner = _parenthesis_pairs(text)
    han_before = _han_before(text) if partner else []
    for i, ch in enumerate(text):
        if ch in HALF_WIDTH and _half_width_is_chinese(text, i, partner, han_before):
            name, full = HALF_WIDTH[ch]
            yield Finding(i, f"中文语境中使用了半角{name}“{ch}”，应为全角“{full}”", Fix(ch, full))


@rule("B204", ERROR, "标点重复，如“。。”“，，”", prose=True)
def doubled(passage: Passage):
    for match in DOUBLED.finditer(passage.text):
        run = match.group()
        if len(run) >= 3 and set(run) == {"。"}:
            continue  # 。。。 is an ellipsis: B205
        yield Finding(match.start(), f"标点重复：“{run}”", length=len(run))


@rule("B205", ERROR, "省略号应为“……”，不应写作 ... 或单个 …", prose=True)
def ellipsis(passage: Passage):
    if not has_han(passage.text):
        return
    for match in ELLIPSIS.finditer(passage.text):
        run = match.group()
        if _untouchable(passage.text, match.start(), match.end()):
            continue
        yield Finding(match.start(), f"省略号应为“……”（两个“…”），不应写作“{run}”", Fix(run, "……"))


@rule("B206", ERROR, "破折号应为“——”，不应写作 -- 或 ――", prose=True)
def dash(passage: Passage):
    text = passage.text
    for match in DASH.finditer(text):
        run = match.group()
        if _untouchable(text, match.start(), match.end()):
            continue
        if run[0] == "―":
            # U+2015 comes from old GBK conversions and no Fandol font draws it.
            new = "—" * len(run)
            yield Finding(match.start(), f"“{run}”用的是 U+2015 横线，应为“{new}”（U+2014）",
                          Fix(run, new))
        elif run[0] == "－" or _in_chinese(text, match.start(), match.end()):
            yield Finding(match.start(), f"破折号应为“——”，不应写作“{run}”", Fix(run, "——"))


@rule("B207", ERROR, "全角数字或字母，如“２０２５”，应为半角", prose=True)
def full_width_alnum(passage: Passage):
    for match in FULL_WIDTH_ALNUM.finditer(passage.text):
        run = match.group()
        ascii_run = "".join(chr(ord(ch) - 0xFEE0) for ch in run)
        yield Finding(match.start(), f"全角字符“{run}”应为半角“{ascii_run}”", Fix(run, ascii_run))
