"""The GB/T 9704 grid, measured on the glyph positions of the PDF of issue 23.

Figures from the typesetting issue: lines flush at both edges, 28 characters a
line, 28.95 pt between baselines, 22 lines a page, no 禁则 violation, and the page
breaks of the printed issue.
"""

from __future__ import annotations

import pytest

from conftest import copy_project, renderer_for
from layout_metrics import COLUMN_LEFT, measure, page_end_offsets

# The text just before each page end of the printed issue (tests/reference/README.md).
PRINTED_PAGE_ENDS = [
    "深入基层一线开展主题活动。以四季城代表联络点为依托，",
    "以“好事商量屋”、社区议事会等履职载体，探索实践“议题征集—视察",
    "系统推进，充分发挥人大代",
    "“双新融合”代表行动。积极引进高附加值项",
    "推动2025年十件民生实项目高质高效完成。",
    "专题学习深化提升代表主题活动相关精神，",
    "11个。组建工业科技、生态环保、乡村",
    "落实《西峡县人民代表大会代表履职量化考评办",
]


@pytest.fixture(scope="module")
def layout(issue23_pdf):
    return measure(issue23_pdf)


def test_lines_are_flush_right(layout):
    assert len(layout.justified_lines()) > 150
    assert layout.flush_right_share() >= 0.99, [
        (line.page, line.text, round(line.right - 184 * 72 / 25.4, 2))
        for line in layout.ragged_lines()]


def test_lines_start_at_the_edge_or_the_indent(layout):
    assert not layout.misplaced_starts(), [
        (line.page, line.text, round(line.left - COLUMN_LEFT, 2))
        for line in layout.misplaced_starts()]


def test_han_lines_hold_28_characters(layout):
    assert len(layout.pure_han_lines()) > 20
    assert layout.full_grid_share() >= 0.95


def test_baselines_sit_on_the_grid(layout):
    assert layout.median_pitch() == pytest.approx(28.95, abs=0.2)
    assert not layout.off_grid_steps()


def test_a_full_page_holds_22_lines(layout):
    counts = layout.lines_per_page()
    assert layout.full_pages() == [2, 4, 5, 7, 8]
    assert [counts[page] for page in layout.full_pages()] == [22] * 5


def test_no_kinsoku_violations(layout):
    assert layout.kinsoku_violations() == []


def test_no_lone_character_on_a_last_line(layout):
    assert layout.lone_last_characters() == []


def test_nine_pages_breaking_where_the_print_breaks(layout):
    assert layout.pages == 9
    for page, (ours, printed) in enumerate(page_end_offsets(layout, PRINTED_PAGE_ENDS), 1):
        assert abs(ours - printed) <= 6, f"page {page}: {ours - printed:+d} characters"


def test_issue23_passes_the_preflight(root, renderer):
    from bulletin.pipeline import lay_out
    from bulletin.sources import load_issue

    laid_out = lay_out(load_issue(root, 23), root, renderer)
    assert laid_out.distribution.fits
    assert laid_out.preflight(root) == []


# --- the same figures on generated text ------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from bulletin.pipeline import build_issue
    from synthetic import make_issue

    project = copy_project(tmp_path_factory.mktemp("generated") / "project", issues=False)
    make_issue(project, 90, seed=7, articles=4)
    pdf = build_issue(project, 90, project / "build" / "90.pdf", renderer=renderer_for(project))
    return measure(pdf)


def test_generated_text_has_the_features_it_tests(generated):
    text = "".join(generated.page_texts)
    for feature in ("GDP增长5.2%", "AI+政务", "2025年1—5月", "——", "……"):
        assert feature in text
    assert any(line.text.endswith("”") for line in generated.justified_lines())
    assert any(line.text.startswith("“") for line in generated.lines)


def test_generated_lines_are_flush_and_start_on_the_grid(generated):
    assert generated.flush_right_share() >= 0.99, [
        (line.page, line.text, round(line.right - 184 * 72 / 25.4, 2))
        for line in generated.ragged_lines()]
    assert not generated.misplaced_starts()


def test_generated_lines_hold_28_characters(generated):
    assert generated.full_grid_share() >= 0.95


def test_generated_baselines_and_full_pages(generated):
    assert generated.median_pitch() == pytest.approx(28.95, abs=0.2)
    assert not generated.off_grid_steps()
    counts = generated.lines_per_page()
    assert len(generated.full_pages()) >= 4
    assert generated.short_pages() == [], counts


def test_generated_text_keeps_kinsoku(generated):
    assert generated.kinsoku_violations() == []
    assert generated.lone_last_characters() == []


def test_three_line_title_keeps_its_words(generated):
    titles = generated.titles
    assert any(len(lines) == 3 for lines in titles), titles
    for lines in titles:
        # Broken at a natural point: never between a digit and what follows it.
        for line in lines[:-1]:
            assert not line[-1].isdigit(), lines


def test_page_numbers_sit_outside_one_character_in(issue23):
    mm = 72 / 25.4
    for number, page in enumerate(issue23.pages, start=1):
        chars = [c for c in page.chars if c["top"] > 262 * mm]
        assert "".join(c["text"] for c in chars).replace(" ", "") == f"—{number}—"
        baseline = (page.height - chars[0]["matrix"][5]) / mm
        assert baseline == pytest.approx(262 + 7, abs=0.5)
        one_character = chars[0]["size"]
        if number % 2:  # odd pages: at the right
            assert chars[-1]["x1"] == pytest.approx(184 * mm - one_character, abs=0.5)
        else:
            assert chars[0]["x0"] == pytest.approx(28 * mm + one_character, abs=0.5)
