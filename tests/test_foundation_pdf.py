"""Issue 23 built from the sources, read back from the PDF and held against the print."""

from __future__ import annotations

import difflib
import hashlib
import re

from fontTools.ttLib import TTFont

from bulletin.typeset.fonts import bundled_fonts, font_faces, font_family
from conftest import COLUMN_BOTTOM, COLUMN_TOP, REFERENCE, ROOT

HINTS = re.compile(r"[\s\u200b\u2060]")


def page_text(page) -> str:
    # The page number sits below the column; the comparison is of the printed text.
    body = page.crop((0, 0, page.width, COLUMN_BOTTOM + 4))
    return body.extract_text() or ""


def test_the_reference_is_the_shared_text_of_the_printed_issue():
    """tests/reference/ holds the text layer of the print, as its README says, unedited."""
    readme = (REFERENCE.parent / "README.md").read_text(encoding="utf-8")
    digest = re.search(r"sha256 `([0-9a-f]{64})`", readme).group(1)
    assert hashlib.sha256(REFERENCE.read_bytes()).hexdigest() == digest
    shared = ROOT.parent / "shared" / "reference" / REFERENCE.name
    if shared.is_file():  # a checkout beside the shared folder: the two are the same
        assert shared.read_bytes() == REFERENCE.read_bytes()


def test_text_matches_the_printed_issue(issue23, reference_text):
    ours = HINTS.sub("", "".join(page_text(page) for page in issue23.pages))
    printed = HINTS.sub("", reference_text)
    ratio = difflib.SequenceMatcher(None, ours, printed, autojunk=False).ratio()
    assert ratio >= 0.995, f"similarity {ratio:.4f}"


def _fonts_by_pdf_name():
    """Character maps of the bundled fonts, by the names a PDF may give them."""
    fonts = {}
    styles = ("", "-Regular", "-Bold", "-Italic", "-Bold-Italic")
    for path in bundled_fonts(ROOT / "fonts"):
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap()
        fonts[font["name"].getDebugName(6)] = cmap
        # WeasyPrint names an embedded font by its family and, unless regular, its style.
        family, style = font_family(path).replace(" ", "-"), font["name"].getDebugName(2)
        fonts[f"{family}-{style}"] = cmap
        if style == "Regular":
            fonts[family] = cmap
    for family, path in font_faces(ROOT / "templates" / "fonts.css").items():
        assert path.parent == ROOT / "fonts", f"{family} loads {path}, outside fonts/"
        cmap = TTFont(path, lazy=True).getBestCmap()
        for style in styles:
            fonts[family.replace(" ", "-") + style] = cmap
    return fonts


def test_every_character_is_drawn_by_a_bundled_font(issue23):
    fonts = _fonts_by_pdf_name()
    seen = set()
    for page in issue23.pages:
        for char in page.chars:
            name = char["fontname"].split("+", 1)[-1]
            assert name in fonts, f"font not bundled: {char['fontname']}"
            text = char["text"]
            assert not text.startswith("(cid:"), f"unmapped glyph in {name}"
            for ch in text:
                assert ord(ch) in fonts[name], f"{ch!r} drawn by {name}, which lacks it"
            seen.add(text)
    assert "镕" in seen


def test_only_bundled_fonts_are_embedded(issue23_pdf):
    from pypdf import PdfReader

    fonts = _fonts_by_pdf_name()
    embedded = set()
    for page in PdfReader(issue23_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            embedded.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert embedded
    assert embedded <= set(fonts), embedded - set(fonts)


def _is_red(color) -> bool:
    if color is None:
        return False
    values = tuple(color)
    if len(values) == 3:
        r, g, b = values
        return r > 0.8 and g < 0.2 and b < 0.2
    if len(values) == 4:  # CMYK
        c, m, y, k = values
        return c < 0.2 and m > 0.6 and y > 0.6 and k < 0.2
    return False


def test_masthead_name_and_rule_are_red(issue23):
    first = issue23.pages[0]
    name_chars = [c for c in first.chars if c["text"] in "代表工作" and c["size"] > 30]
    assert "".join(c["text"] for c in name_chars) == "代表工作"
    assert all(_is_red(c["non_stroking_color"]) for c in name_chars)
    name_bottom = max(c["bottom"] for c in name_chars)
    rules = [r for r in first.rects + first.lines
             if r["width"] > 150 * 72 / 25.4 and r["top"] > name_bottom
             and (_is_red(r.get("non_stroking_color")) or _is_red(r.get("stroking_color")))]
    assert rules, "no red rule the width of the column under the masthead"


def test_distribution_block_is_at_the_foot_of_the_last_page(issue23):
    last = issue23.pages[-1]
    lines = last.extract_text_lines()
    texts = [HINTS.sub("", line["text"]) for line in lines]
    sent = next(i for i, t in enumerate(texts) if t.startswith("送："))
    issued = next(i for i, t in enumerate(texts) if t.startswith("发："))
    printed_by = next(i for i, t in enumerate(texts) if t == "河南省人大常委会代表工作委员会印发")
    assert sent < issued < printed_by
    assert lines[printed_by]["bottom"] > COLUMN_BOTTOM - 30
    for page in issue23.pages[:-1]:
        assert "印发" not in HINTS.sub("", page.extract_text() or "")
    assert lines[sent]["top"] > COLUMN_TOP
