"""bulletin.chinese: one home for what the toolchain knows about Chinese text. Its classes
hold together, and the layout, the title breaker, the renderer and the lint use them, and
nothing else, so that no two of them can disagree again."""

from __future__ import annotations

import re
import subprocess
import sys
import types
import unicodedata

import pytest

from bulletin import chinese, markup, titles
from bulletin.chinese import (BREAK_HINTS, CLOSING, CLOSING_MARKS, DASH, ELLIPSIS, HAN_RANGES,
                              MIDDLE_DOTS, NO_LINE_END, NO_LINE_START, OPENING, PAIRS, PAUSES,
                              POINT_MARKS, PUNCTUATION, QUOTES, RUN_IN_LEVELS, WORD_JOINER,
                              ZERO_WIDTH, ZWSP, chinese_number, chinese_numeral, is_chinese,
                              is_han, run_in_level)
from bulletin.lint import frontmatter, glyphs, numbering, punctuation, spacing, text
from bulletin.lint.text import BODY, TITLE, ArticleText, Passage
from bulletin.typeset import cjk, linebreak
from conftest import ROOT

PLANE_2 = "𠀀𪚥𫠠𬺰"  # U+20000, U+2A6A5 (Ext. B), U+2B820 (Ext. E), U+2CEB0 (Ext. F)


def _ideograph(code: int) -> bool | None:
    """Whether Unicode names the code point an ideograph; None if it names nothing."""
    try:
        name = unicodedata.name(chr(code))
    except ValueError:
        return None
    return name.startswith(("CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-"))


# --- Han ---------------------------------------------------------------------------------


def test_han_is_every_ideograph_unicode_names_and_nothing_else():
    for code in range(0x40000):
        ideograph = _ideograph(code)
        if ideograph is not None:
            assert is_han(chr(code)) is ideograph, f"U+{code:04X}"


@pytest.mark.parametrize("ch", ["中", "㐀", "丽", *PLANE_2, "\U00030000"])
def test_han_characters(ch):
    assert is_han(ch) and is_chinese(ch)


@pytest.mark.parametrize("ch", ["", "中文", "a", "1", "。", "“", "䷀", "〇", " ", "\u3000"])
def test_not_one_han_character(ch):
    assert not is_han(ch)


def _edges():
    """The code points at and just beyond each end of each Han range."""
    for first, last in HAN_RANGES:
        yield from (first - 1, first, last, last + 1)


def test_every_han_test_agrees_at_the_edges_of_the_ranges():
    # titles.py once called U+4DC0..U+4DFF (Yijing hexagrams) Han; linebreak.py's class
    # left planes 2 and 3 out.
    han = re.compile(f"[{linebreak.HAN}]")
    for code in _edges():
        ch = chr(code)
        want = is_han(ch)
        assert titles.is_han(ch) is want, f"titles U+{code:04X}"
        assert cjk.is_han(ch) is want, f"cjk U+{code:04X}"
        assert punctuation.is_han(ch) is want and spacing.is_han(ch) is want
        assert bool(han.fullmatch(ch)) is want, f"linebreak U+{code:04X}"


@pytest.mark.parametrize("han", ["中", *PLANE_2])
def test_plane_2_han_gets_the_break_hints_of_any_han(han):
    assert linebreak.break_hints(f"{han}“代表”{han}") == f"{han}{ZWSP}“代表”{ZWSP}{han}"
    assert linebreak.break_hints(f"{han}——{han}") == f"{han}{WORD_JOINER}——{han}"


# --- punctuation -------------------------------------------------------------------------


def test_every_opening_mark_pairs_with_one_closing_mark():
    assert OPENING == set(PAIRS) and CLOSING == set(PAIRS.values())
    assert len(OPENING) == len(CLOSING) == len(PAIRS)  # one to one
    for left, right in PAIRS.items():  # Unicode's own pairs: Ps/Pe or Pi/Pf, side by side
        assert unicodedata.category(left) in ("Ps", "Pi"), left
        assert unicodedata.category(right) in ("Pe", "Pf"), right
        assert ord(right) == ord(left) + 1


def test_quotes_are_pairs_too():
    assert QUOTES <= OPENING | CLOSING
    assert {PAIRS[quote] for quote in QUOTES & OPENING} == QUOTES & CLOSING


def test_kinsoku_classes():
    assert NO_LINE_START >= CLOSING_MARKS >= CLOSING | PAUSES
    assert NO_LINE_START >= POINT_MARKS | {ELLIPSIS} | MIDDLE_DOTS
    assert NO_LINE_END >= OPENING
    assert not NO_LINE_START & OPENING and not NO_LINE_END & CLOSING
    assert NO_LINE_START & NO_LINE_END == MIDDLE_DOTS  # a middle dot binds both sides
    assert DASH not in NO_LINE_START | NO_LINE_END  # —— may start a title's line
    assert POINT_MARKS - PAUSES == {"？", "！"}


def test_every_mark_is_chinese_punctuation():
    # The katakana middle dot ・ was a 禁则 mark in the layout but not Chinese for the lint.
    marks = NO_LINE_START | NO_LINE_END | QUOTES | {DASH, ELLIPSIS}
    assert marks <= PUNCTUATION
    assert all(is_chinese(mark) and not is_han(mark) for mark in marks)
    assert not any(ch.isascii() or is_han(ch) for ch in PUNCTUATION)
    assert is_chinese("・") and is_chinese("，") and not is_chinese(",") and not is_chinese("")


def test_what_prints_nothing():
    assert ZERO_WIDTH >= BREAK_HINTS == {ZWSP, WORD_JOINER}
    assert all(unicodedata.category(ch) == "Cf" for ch in ZERO_WIDTH)
    assert not ZERO_WIDTH & PUNCTUATION


@pytest.mark.parametrize("ch", sorted(ZERO_WIDTH))
def test_nothing_that_prints_nothing_takes_room(ch):
    # titles.py counted the soft hyphen half a cell; cjk.py gave a justified line's ZWJ,
    # ZWNJ and BOM a gap of their own, which no glyph of the line would show.
    assert titles.width(f"代{ch}表") == titles.set_width(f"代{ch}表") == 2
    boxes = types.SimpleNamespace(TextBox=_TextBox, LineBox=_Other, InlineBox=_Other)
    assert [g.char for g in cjk.line_glyphs(_TextBox(f"代{ch}表"), boxes)] == ["代", "表"]
    assert cjk._visible(f"代{ch}表") == "代表"


class _TextBox:
    def __init__(self, text: str):
        self.text, self.style = text, {"font_size": 16.0}


class _Other:
    pass


def test_break_hints_after_and_before_every_bracket():
    # linebreak.py knew only some of the brackets the layout knows: none after 】 〕 〉,
    # none before 【 〔 〈.
    for right in CLOSING - QUOTES:
        assert linebreak.break_hints(f"代{right}“表”") == f"代{right}{ZWSP}“表”", right
    for left in OPENING - QUOTES:
        assert linebreak.break_hints(f"“代”{left}表") == f"“代”{ZWSP}{left}表", left


def test_regex_chars_escapes_what_a_class_would_read():
    chars = chinese.regex_chars(set("-]^\\“"))
    assert re.fullmatch(f"[{chars}]+", "-]^\\“") and not re.fullmatch(f"[{chars}]", "a")
    han = re.compile(f"[{chinese.regex_chars(ranges=HAN_RANGES)}]")
    assert han.fullmatch("𠀀") and han.fullmatch("中") and not han.fullmatch("a")


# --- run-in headings ---------------------------------------------------------------------


def test_numbers_one_to_ninety_nine():
    spelt = [chinese_numeral(value) for value in range(1, 100)]
    assert spelt[:12] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    assert spelt[19] == "二十" and spelt[20] == "二十一" and spelt[-1] == "九十九"
    assert [chinese_number(numeral) for numeral in spelt] == list(range(1, 100))
    assert chinese_numeral(12, "壹贰叁肆伍陆柒捌玖", "拾") == "拾贰"


@pytest.mark.parametrize("slip", ["", "〇", "一二", "十十", "二二十", "一十二三", "百", "1", "一百"])
def test_not_a_number(slip):
    assert chinese_number(slip) is None


def test_the_levels_are_a_table_in_order():
    assert [level.level for level in RUN_IN_LEVELS] == [1, 2, 3, 4, 5]
    assert [level.label(3) for level in RUN_IN_LEVELS] == ["三、", "（三）", "3.", "（3）", "③"]
    assert [level.face for level in RUN_IN_LEVELS] == ["黑体", "楷体", "仿宋（加粗）", "仿宋", "仿宋"]
    # B223: only 一、 and （一） must have a heading sentence; the others may be numbered
    # paragraphs.
    assert [level.sentence for level in RUN_IN_LEVELS] == [True, True, False, False, False]
    for level in RUN_IN_LEVELS:
        assert level.numerals.top == (20 if level.level == 5 else 99)
        for value in range(1, level.numerals.top + 1):
            label = level.label(value)
            assert level.value(label) == value
            assert run_in_level(label + "标题。") == (level, len(label))
        if level.numerals is not chinese.CHINESE_NUMERALS:  # 一百 is in test_what_does_not
            assert run_in_level(level.label(level.numerals.top + 1) + "标题。") is None


def test_arabic_and_circled_numbers():
    assert [chinese.arabic_number(text) for text in ("1", "9", "10", "99")] == [1, 9, 10, 99]
    for slip in ("", "0", "01", "100", "１", "1a", "٣"):
        assert chinese.arabic_number(slip) is None, slip
    assert "".join(chinese.circled_numeral(value) for value in range(1, 21)) \
        == "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    assert [chinese.circled_number(chinese.circled_numeral(v)) for v in range(1, 21)] \
        == list(range(1, 21))
    # Past ⑳ only for messages: no heading opens with them.
    assert [chinese.circled_numeral(v) for v in (21, 35, 36, 50, 51)] \
        == ["㉑", "㉟", "㊱", "㊿", "(51)"]
    assert chinese.circled_number("㉑") is None and chinese.circled_number("①②") is None
    assert RUN_IN_LEVELS[2].value("3．") == 3 and RUN_IN_LEVELS[2].value("3、") is None


@pytest.mark.parametrize("opening, level", [
    ("一、", 1), ("十、", 1), ("十一、", 1), ("二十、", 1), ("九十九、", 1),
    ("（一）", 2), ("（十）", 2), ("（二十三）", 2), ("（一）、", 2),
    ("1.", 3), ("9.", 3), ("10.", 3), ("99.", 3), ("1．", 3), ("12．", 3),
    ("（1）", 4), ("（10）", 4), ("（99）", 4), ("（1）、", 4),
    ("①", 5), ("⑩", 5), ("⑳", 5), ("①、", 5),
])
def test_what_opens_a_run_in_heading(opening, level):
    found = run_in_level(opening + "抓系统谋划。")
    assert found is not None and found[0].level == level


@pytest.mark.parametrize("text, end", [
    ("1. 加强", 2), ("1.加强", 2), ("12． 加强", 3), ("（3）加强", 3), ("④ 加强", 1),
    ("1.", 2), ("①", 1),
])
def test_where_the_number_ends(text, end):
    # A space after the dot (Markdown's `1. ` list) is not part of the number.
    assert run_in_level(text)[1] == end


@pytest.mark.parametrize("opening", [
    "一二、", "十十、", "二二十、", "一百、", "（一二）", "一.", "一，", "一 ", "(一)", "（一)",
    "一）", "、", "第一、", "　一、",
    # Arabic: a decimal (a digit right after the dot), a leading zero, three digits,
    # another mark after the number, half-width or unclosed parentheses, full-width digits.
    "1.5", "1.5亿元", "2025.6月", "1．5", "1.５", "01.", "0.", "100.", "2025.", "1、", "1，",
    "1", "1 ", "1)", "1）", "(1)", "（1)", "(1）", "（01）", "（0）", "（100）", "（１）", "１.",
    " 1.", "第1.",
    # circled: past ⑳, two in a row (running text), other enclosed forms.
    "㉑", "㊿", "①②", "①㉑", "⑴", "⒈", "❶",
])
def test_what_does_not(opening):
    assert run_in_level(opening + "抓系统谋划。") is None


HEADINGS = ["一、抓系统谋划。正文", "十一、抓系统谋划。正文", "（二）抓系统谋划。正文",
            "一二、抓系统谋划。正文", "十十、抓系统谋划。正文", "（一二）抓系统谋划。正文",
            "1.抓系统谋划。正文", "12．抓系统谋划。正文", "（3）抓系统谋划。正文", "④抓系统谋划。正文",
            "1.5亿元已到位。正文", "(1)抓系统谋划。正文", "1、抓系统谋划。正文", "①②号机组。正文"]


@pytest.mark.parametrize("paragraph", HEADINGS)
def test_the_renderer_and_the_lint_see_the_same_headings(paragraph):
    # markup.py and lint/text.py each had `[一…十]{1,3}`: 一二、 was set as a heading that
    # B221 could not count.
    rendered = "run-in-heading" in markup.render_markdown(paragraph)
    heading = Passage(paragraph, BODY, [(0, 1, 1)]).run_in_heading()
    assert rendered is (heading is not None)
    if heading is not None:
        level, number_end, _ = heading
        assert f"level-{level.level}" in markup.render_markdown(paragraph)
        assert level.value(paragraph[:number_end]) is not None


def _article(*paragraphs: str, title: str = "标题") -> ArticleText:
    body = [Passage(paragraph, BODY, [(0, 5 + n, 1)]) for n, paragraph in enumerate(paragraphs)]
    return ArticleText(article=None, root=ROOT, path="a.md", lines=[],
                       title=[Passage(title, TITLE, [(0, 2, 8)])], body=body)


def test_the_lint_numbers_every_level_in_order():
    found = list(numbering.sequence(_article(
        "一、甲。", "（一）乙。", "（二）丙。", "二、丁。", "（一）戊。", "（三）己。", "四、庚。")))
    assert [f.message for f in found] == [
        "标题序号不连续：“（一）”之后是“（三）”，缺少“（二）”",
        "标题序号不连续：“二、”之后是“四、”，缺少“三、”"]
    assert not list(numbering.sequence(_article("一二、甲。", "一、乙。")))


def test_each_level_numbers_from_one_again_under_the_level_above():
    found = list(numbering.sequence(_article(
        "一、甲。", "（一）乙。", "1.丙。", "（1）丁", "①戊", "③己", "（2）庚", "①辛", "2.壬。",
        "（2）癸", "3．子。", "（二）丑。", "1.寅", "3.卯", "二、辰。", "1.巳", "（1）午", "（1）未")))
    assert [(f.passage.text, f.message) for f in found] == [
        ("③己", "标题序号不连续：“①”之后是“③”，缺少“②”"),
        ("（2）癸", "标题序号应从“（1）”开始，这里是“（2）”"),
        ("3.卯", "标题序号不连续：“1.”之后是“3.”，缺少“2.”"),
        ("（1）未", "标题序号重复或倒序：“（1）”之后又是“（1）”")]
    # 越级: 1. right under 一、, （1） right under （一）, ① right under 一、.
    assert not list(numbering.sequence(_article(
        "一、甲。", "1.乙。", "2.丙。", "（一）丁。", "（1）戊。", "（2）己。", "二、庚。", "①辛", "②壬")))
    # Not headings, so not counted: decimals, 1、 (B224's), ①② in running text.
    assert not list(numbering.sequence(_article(
        "1.甲。", "1.5亿元。", "3、4月份。", "①②号机组。", "2.乙。")))


def test_a_markdown_list_without_blank_lines_is_one_numbered_paragraph_an_item():
    # lint/text.py cuts paragraphs at blank lines; markup.py sets each item of a `.` list
    # as a paragraph of its own, so B221 counts each item where it is.
    article = _article()
    article.body, _ = text._paragraphs(
        "一、甲。\n\n1. 乙。\n2. 丙。\n续行\n4. 丁。\n\n5. 戊。\n\n二、己。\n1. 庚。\n3. 辛。", 7)
    found = list(numbering.sequence(article))
    assert [(f.passage.text, f.passage.position(0), f.message) for f in found] == [
        ("4. 丁。", (12, 1), "标题序号不连续：“2.”之后是“4.”，缺少“3.”"),
        ("3. 辛。", (18, 1), "标题序号不连续：“1.”之后是“3.”，缺少“2.”")]
    # Only 1. interrupts a paragraph, as in CommonMark: 2. there is running text.
    assert not list(numbering.sequence(_article("一、甲。\n2. 乙。", "1.丙。")))
    long = Passage("1. 甲。\n2. " + "乙" * 50 + "。正文", BODY, [(0, 3, 1), (6, 4, 1)])
    assert [(f.offset, long.position(f.offset)) for f in numbering.long_heading(long)] \
        == [(6, (4, 1))]


def _order(*paragraphs: str) -> list[tuple[str, str]]:
    return [(f.passage.text, f.message) for f in numbering.level_order(_article(*paragraphs))]


def test_levels_may_be_skipped_but_not_turned_over():
    # Skipping a level going down, and numbered paragraphs with no heading above them: fine.
    for quiet in [("一、甲。", "1.乙。", "（1）丙。", "①丁。"), ("1.甲", "2.乙"), ("（1）甲", "（2）乙"),
                  ("①甲", "②乙"), ("一、甲。", "（1）乙。", "二、丙。", "（一）丁。", "1.戊。"),
                  ("正文。", "1.甲", "（1）乙", "2.丙")]:
        assert _order(*quiet) == [], quiet
    assert _order("（一）甲。", "（二）乙。") == [
        ("（一）甲。", "二级标题“（一）”之前没有一级标题“一、”：层次应为 一、→（一）")]
    assert _order("一、甲。", "（1）乙。", "（2）丙。", "1.丁。", "（1）戊。") == [
        ("（1）乙。", "四级标题“（1）”用在了三级标题“1.”之前：“一、”下层次颠倒，应为 1.→（1）"
                    "（层次可以越级，不可倒置）")]
    assert _order("一、甲。", "1.乙。", "（一）丙。") == [
        ("1.乙。", "三级标题“1.”用在了二级标题“（一）”之前：“一、”下层次颠倒，应为 （一）→1."
                 "（层次可以越级，不可倒置）")]
    assert _order("①甲", "（1）乙", "（2）丙") == [
        ("①甲", "五级标题“①”用在了四级标题“（1）”之前：文中层次颠倒，应为 （1）→①（层次可以越级，不可倒置）")]
    # （一） before 一、: reported once, as a second level without a first.
    assert [text for text, _ in _order("（一）甲。", "一、乙。")] == ["（一）甲。"]
    # One finding for each heading whose parts are turned over.
    assert [text for text, _ in _order("一、甲。", "（1）乙。", "1.丙。", "二、丁。", "①戊。", "（1）己。")] \
        == ["（1）乙。", "①戊。"]


def test_only_the_first_two_levels_need_a_heading_sentence():
    def b223(paragraph: str) -> list[str]:
        return [f.message for f in numbering.heading_end(Passage(paragraph, BODY, [(0, 1, 1)]))]
    assert b223("一、加强组织领导") and b223("（一）加强组织领导") and b223("（一）加强，\n领导。")
    for numbered in ("1.加强组织领导", "1．加强", "1. 加强\n领导。", "（1）加强组织领导", "①加强组织领导"):
        assert b223(numbered) == [], numbered


@pytest.mark.parametrize("paragraph, offset, message", [
    ("1、加强组织领导。", 1, "标题序号“1”后是“、”，应为“1.”"),
    ("12、加强组织领导。", 2, "标题序号“12”后是“、”，应为“12.”"),
    ("1，加强组织领导。", 1, "标题序号“1”后是“，”，应为“1.”"),
    ("1：加强组织领导。", 1, "标题序号“1”后是“：”，应为“1.”"),
    ("（1）、加强组织领导。", 3, "“（1）”之后不加“、”"),
    ("（1）.加强组织领导。", 3, "“（1）”之后不加“.”"),
    ("（12），加强组织领导。", 4, "“（12）”之后不加“，”"),
    ("①、加强组织领导。", 1, "“①”之后不加“、”"),
    # The Chinese-numeral rules, unchanged.
    ("一.加强组织领导。", 1, "标题序号“一”后是“.”，应为顿号“、”"),
    ("一 加强组织领导。", 1, "标题序号“一”后是空格，应为顿号“、”"),
    ("（一）、加强组织领导。", 3, "“（一）”之后不加“、”"),
])
def test_b224_names_the_right_mark(paragraph, offset, message):
    found = list(numbering.number_separator(Passage(paragraph, BODY, [(0, 1, 1)])))
    assert [(f.offset, f.message) for f in found] == [(offset, message)]


@pytest.mark.parametrize("paragraph", [
    "1.加强组织领导。", "1．加强。", "1. 加强。", "（1）加强。", "①加强。", "一、加强。",
    # running text: a digit after the mark, or the number not opening the paragraph
    "1、2、3号楼均已完工。", "3、4月份开展视察。", "1，2号机组。", "5 名代表参加。", "1:2的比例。",
    "2025、2026年。", "100、200元。", "全年共3、4次。", "正文。\n1、加强。", "1.5亿元。",
])
def test_b224_leaves_alone(paragraph):
    assert not list(numbering.number_separator(Passage(paragraph, BODY, [(0, 1, 1)])))


def test_half_width_parentheses_around_a_number_are_b203_not_a_heading():
    # `(1)` is not accepted as a fourth-level number: B203 reports both parentheses, and
    # its --fix writes `（1）`, which then is one.
    paragraph = "(1)加强组织领导。正文。"
    assert run_in_level(paragraph) is None
    found = list(punctuation.half_width(Passage(paragraph, BODY, [(0, 1, 1)])))
    assert [(f.offset, f.fix.new) for f in found] == [(0, "（"), (2, "）")]
    assert run_in_level("（1）加强组织领导。正文。")[0].level == 4


def test_b225_and_the_faces_of_every_level():
    for opening, face in (("一、", "黑体"), ("（一）", "楷体"), ("1.", "仿宋（加粗）"), ("（1）", "仿宋"),
                          ("①", "仿宋")):
        long = Passage(opening + "加" * 50 + "。正文。", BODY, [(0, 1, 1)])
        assert [f.message for f in numbering.long_heading(long)] == [
            f"标题句长达 {len(opening) + 51} 字（到第一个“。”为止），整句都会排成{face}；是否漏了句号？"]
        short = Passage(opening + "加" * 40 + "。正文。", BODY, [(0, 1, 1)])
        assert not list(numbering.long_heading(short))
    # A numbered paragraph with no 。 on its first line has no heading sentence to measure.
    assert not list(numbering.long_heading(Passage("1." + "加" * 60, BODY, [(0, 1, 1)])))


def test_a_slip_in_a_heading_number_is_a_half_width_mark_in_chinese():
    assert not list(punctuation.half_width(Passage("一.抓系统谋划。", BODY, [(0, 1, 1)])))
    assert [f.offset for f in punctuation.half_width(Passage("一二.抓。", BODY, [(0, 1, 1)]))] \
        == [2]
    assert [f.offset for f in numbering.number_separator(Passage("十一.抓。", BODY, [(0, 1, 1)]))] \
        == [2]


def test_b202_pairs_every_pair():
    # B202 knew five of the nine pairs the layout and the title breaker know.
    assert set(punctuation.PAIR_NAMES) == set(PAIRS)
    found = list(punctuation.unbalanced(_article(
        "豫人常〔2025〕12号《关于〈代表法〉的说明》「引」『引』【注】。", "学习〈代表法。")))
    assert [(f.passage.text[f.offset], f.message) for f in found] == [
        ("〈", "单书名号不成对：“〈”之后没有与之配对的“〉”")]
    found = list(punctuation.unbalanced(_article("文号〕12号。")))
    assert [f.message for f in found] == ["六角括号不成对：“〕”前面没有与之配对的“〔”"]


def test_a_title_may_end_with_a_question_but_no_other_point_mark():
    for mark in POINT_MARKS:
        found = list(frontmatter.title_end(_article("正文。", title=f"怎样履职{mark}")))
        assert bool(found) is (mark in PAUSES), mark


# --- one home ----------------------------------------------------------------------------


def test_every_user_takes_the_shared_objects():
    assert markup.run_in_level is chinese.run_in_level is text.run_in_level
    assert markup.HEADING_END is chinese.HEADING_END is text.HEADING_END
    assert numbering.RUN_IN_LEVELS is RUN_IN_LEVELS
    assert punctuation.PAIRS is PAIRS and frontmatter.TITLE_END is PAUSES
    assert punctuation.is_chinese is spacing.is_chinese is is_chinese
    assert punctuation.is_han is spacing.is_han is cjk.is_han is titles.is_han is is_han
    assert cjk.CLOSING_MARKS is CLOSING_MARKS and cjk.OPENING_MARKS is OPENING
    assert cjk.QUOTES is QUOTES and cjk.INVISIBLE is ZERO_WIDTH
    assert cjk.NO_LINE_START == NO_LINE_START | {DASH}  # the body never starts a line with —
    assert titles.PAIRS is PAIRS and titles.OPENING is OPENING and titles.CLOSING is CLOSING
    assert titles.ZERO_WIDTH is ZERO_WIDTH
    assert titles.NO_LINE_START > NO_LINE_START and titles.NO_LINE_END > NO_LINE_END
    assert (titles.DASH, titles.ELLIPSIS, titles.WORD_JOINER) == (DASH, ELLIPSIS, WORD_JOINER)
    assert linebreak.ZWSP is ZWSP and linebreak.WORD_JOINER is WORD_JOINER
    assert glyphs.ROLE_FAMILIES.keys() >= {f"heading-{level.level}" for level in RUN_IN_LEVELS}


# Written once, in bulletin/chinese.py: Han ranges and heading numerals. The importers' copy
# of the heading pattern is the lead's to replace (see the report of this change).
ELSEWHERE: set[str] = set()  # every module takes them from bulletin/chinese.py


def test_no_other_module_writes_its_own_han_ranges_or_heading_numbers():
    copies = re.compile(r"4e00|9fff|\[一二三四五六七八九十?\]", re.IGNORECASE)
    found = []
    for path in sorted((ROOT / "bulletin").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == "bulletin/chinese.py" or name in ELSEWHERE:
            continue
        found += [f"{name}:{n}" for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                  if copies.search(line)]
    assert not found


def test_cheap_to_import():
    code = ("import sys\nimport bulletin.chinese\n"
            "print(sorted(m for m in sys.modules if m.startswith('bulletin')))\n"
            "import bulletin.lint\n"
            "print(any(m.split('.')[0] in ('markdown_it', 'weasyprint') for m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.split("\n")[:2] == ["['bulletin', 'bulletin.chinese']", "False"]
