"""bench/anchors.py: the Typst and ctex documents `make bench` compares against hold every
title line, paragraph and credit of issue 23, in the bulletin's faces and page, the same
bytes each time. No compiler needed, except the one Typst test (skipped without `typst`)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import anchors  # noqa: E402


def _source_paragraphs() -> list[str]:
    """Issue 23's paragraphs read straight from the Markdown files, not through anchors."""
    import yaml

    folder = ROOT / "issues" / "23"
    order = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))["articles"]
    found = []
    for path in (folder / "articles" / name for name in order):
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        for block in re.split(r"\n\s*\n", body):
            lines = [line for line in block.splitlines()
                     if line.strip() and not line.startswith("[//]: #")]
            if lines:
                found.append("".join(line.strip() for line in lines))
    return found


@pytest.fixture(scope="module")
def items():
    return anchors.articles(ROOT, 23)


def test_every_paragraph_title_and_credit_is_read(items):
    assert len(items) == 3
    assert [p.full for article in items for p in article.paragraphs] == _source_paragraphs()
    assert items[0].title_lines == ["开封市龙亭区：稳步推进人大代表", "在行动主题活动"]
    assert {article.credit for article in items} >= {"开封市人大常委会代表工委"}
    headings = [p for article in items for p in article.paragraphs if p.heading]
    assert headings and all(p.level == 1 and p.heading.endswith("。") for p in headings)


def _typst_text(source: str) -> str:
    """The text of the Typst document's string literals, joined."""
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', source)
    return "".join(re.sub(r"\\(.)", r"\1", s) for s in strings)


def _latex_text(source: str) -> str:
    return source.replace("\\%", "%").replace("\\&", "&").replace("\\#", "#")


def test_both_documents_hold_every_paragraph(items):
    typst = anchors.typst_source(items)
    latex = anchors.latex_source(items)
    typst_text, latex_text = _typst_text(typst), _latex_text(latex)
    for paragraph in _source_paragraphs():
        assert all(part in typst_text for part in _split_heading(paragraph)), paragraph[:20]
        assert all(part in latex_text for part in _split_heading(paragraph)), paragraph[:20]
    for article in items:
        for line in article.title_lines:
            assert line in typst_text and line in latex_text
        credit = f"（{article.credit}供稿）"
        assert credit in typst_text and credit in latex_text


def _split_heading(paragraph: str) -> list[str]:
    """A run-in heading is set apart (another face): its sentence and the rest."""
    from bulletin.chinese import run_in_level

    if run_in_level(paragraph) and "。" in paragraph:
        end = paragraph.index("。") + 1
        return [part for part in (paragraph[:end], paragraph[end:]) if part]
    return [paragraph]


def test_same_page_faces_and_type(items):
    typst = anchors.typst_source(items)
    assert 'paper: "a4"' in typst and "top: 37mm, right: 26mm, bottom: 35mm, left: 28mm" in typst
    assert '"FandolFang R"' in typst and "size: 16pt" in typst and "tracking: -0.22pt" in typst
    # every line box 28.95 pt: top edge + bottom edge, no leading
    top = float(re.search(r"top-edge: ([\d.]+)pt", typst).group(1))
    bottom = float(re.search(r"bottom-edge: (-[\d.]+)pt", typst).group(1))
    assert top - bottom == pytest.approx(28.95) and "leading: 0pt" in typst
    assert 'font: ("Noto Serif CJK SC", "Noto Serif CJK SC"), weight: "bold", size: 22pt' in typst
    latex = anchors.latex_source(items)
    assert r"\setCJKmainfont{FandolFang-Regular.otf}" in latex
    assert r"\fontsize{16pt}{28.95pt}\selectfont" in latex and "linespread=1" in latex
    assert "top=37mm, right=26mm, bottom=35mm, left=28mm" in latex
    assert r"\btitle{NotoSerifCJKsc-Bold.otf}" in latex
    for name, _ in anchors.FACES.values():
        assert (ROOT / "fonts" / name).is_file()


def test_deterministic(tmp_path):
    first = [path.read_bytes() for path in anchors.write(tmp_path / "a", ROOT, 23)]
    second = [path.read_bytes() for path in anchors.write(tmp_path / "b", ROOT, 23)]
    assert first == second
    assert [path.name for path in anchors.write(tmp_path / "a", ROOT, 23)] == [
        "issue-23.typ", "issue-23.tex"]


@pytest.mark.skipif(importlib.util.find_spec("typst") is None,
                    reason="the `typst` module (pip install -e '.[bench]') is not installed")
def test_typst_compiles_it_in_our_faces(tmp_path):
    import pypdf

    typ, _ = anchors.write(tmp_path, ROOT, 23)
    pdf = tmp_path / "issue-23.pdf"
    anchors.compile_typst(typ, pdf)
    reader = pypdf.PdfReader(pdf)
    assert 5 <= len(reader.pages) <= 12
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("FandolFang" in name for name in fonts), fonts
    assert any("NotoSerifCJK" in name.replace(" ", "") and "Bold" in name for name in fonts), fonts
    text = "".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s", "", text)
    for paragraph in _source_paragraphs()[:3]:
        assert paragraph[:12] in text
