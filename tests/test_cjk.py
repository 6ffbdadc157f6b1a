"""The CJK line-layout extension's own rules, one by one."""

from __future__ import annotations

import pytest

from bulletin.typeset import cjk
from bulletin.typeset.linebreak import WORD_JOINER, ZWSP, break_hints, strip_hints


def glyphs(text: str, em: float = 16.0) -> list[cjk.Glyph]:
    return [cjk.Glyph(box=None, index=i, char=ch, em=em) for i, ch in enumerate(text)]


def test_expansion_goes_to_han_latin_boundaries_first():
    line = glyphs("增长5.2%的")
    cjk.plan_expansion(line, 2.0)
    assert line[1].advance == pytest.approx(1.0)  # 长|5
    assert line[5].advance == pytest.approx(1.0)  # %|的
    assert sum(g.advance for g in line) == pytest.approx(2.0)


def test_han_latin_gap_is_capped_at_a_quarter_em_then_spread_evenly():
    line = glyphs("政务AI")
    cjk.plan_expansion(line, 10.0)
    assert line[1].advance == pytest.approx(4.0 + 6.0 / 3)
    assert line[0].advance == pytest.approx(2.0)
    assert line[-1].advance == 0  # nothing after the last character
    assert sum(g.advance for g in line) == pytest.approx(10.0)


def test_compression_sets_the_end_mark_in_half_width_then_others():
    line = glyphs("代表，工作。")
    left = cjk.plan_compression(line, 12.0)
    assert line[-1].advance == -8.0
    assert line[2].advance == -4.0
    assert left == pytest.approx(0.0)


def test_compression_of_an_opening_mark_moves_its_glyph_back():
    line = glyphs("《法》好")
    left = cjk.plan_compression(line, 12.0)
    assert line[2].advance == -8.0
    assert line[0].advance == -4.0 and line[0].shift == -4.0
    assert left == pytest.approx(0.0)


def test_compression_reports_room_to_spare_and_what_it_could_not_absorb():
    assert cjk.plan_compression(glyphs("工作。"), 5.0) == pytest.approx(-3.0)
    assert cjk.plan_compression(glyphs("工作"), 5.0) == pytest.approx(5.0)


def test_half_width_quotes_are_not_compressed_again():
    line = glyphs("“代表”")
    assert cjk.plan_compression(line, 4.0) == pytest.approx(4.0)


@pytest.mark.parametrize("rest, pushed", [
    ("作，继续", "作，"),       # a closing mark may not start a line
    ("作。”继续", "作。”"),
    ("“代表”", "“代"),           # an opening mark may not end one
    ("（一）", "（一）"),
    ("作继续", ""),             # nothing forbade the break
    ("，", ""),
])
def test_what_a_kinsoku_pushes_down(rest, pushed):
    assert cjk._pushed_down(rest) == pushed


def test_lone_last_character():
    assert cjk._lone_last_character("量。")
    assert cjk._lone_last_character("量”。")
    assert not cjk._lone_last_character("力量。")
    assert not cjk._lone_last_character("5。")


def test_break_hints_around_quotes_and_dashes():
    text = break_hints("开展“代表接待日”活动——征集—视察……好")
    assert f"开展{ZWSP}“代表接待日”{ZWSP}活动" in text
    assert f"活动{WORD_JOINER}——" in text
    assert f"征集{WORD_JOINER}—视察" in text
    assert strip_hints(text) == "开展“代表接待日”活动——征集—视察……好"


def test_quotes_keep_their_words_and_part_from_each_other():
    # No break just inside a quote; one between two quoted phrases.
    assert break_hints("“代表接待日”“代表进网格”") == f"“代表接待日”{ZWSP}“代表进网格”"


def test_install_refuses_another_weasyprint(monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "71.0")  # checked at every install
    with pytest.raises(RuntimeError, match="70.0"):
        cjk.install()
