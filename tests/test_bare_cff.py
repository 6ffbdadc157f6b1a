"""Fonts embedded as bare CFF without empty glyph slots (bulletin/typeset/barecff.py):
the same outlines, the same glyph positions and, in poppler and Ghostscript, the same
pixels as WeasyPrint's whole-OpenType embedding, on issue 23 and on generated issues, in
a smaller file; WeasyPrint's way wherever a font is not one the compact subset is proven
right for."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest

from conftest import ROOT, copy_project
from corpus import CORPUS, make_corpus_issue

from bulletin.typeset import barecff

BUILD = r"""
import json, sys
from pathlib import Path
{before}
from bulletin.pipeline import build_issue
root, out = Path(sys.argv[1]), Path(sys.argv[2])
for number in map(int, sys.argv[3:]):
    build_issue(root, number, out / f"{{number}}.pdf", variant={variant!r},
                for_print={for_print!r})
from bulletin.typeset import barecff
print(json.dumps(barecff.state))
"""
WITHOUT = "import bulletin.typeset.barecff as b; b.install = lambda: None"


def build(project: Path, out: Path, numbers: list[int], *, bare: bool = True,
          variant: str | None = None, for_print: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    code = BUILD.format(before="" if bare else WITHOUT, variant=variant, for_print=for_print)
    result = subprocess.run([sys.executable, "-c", code, str(project), str(out),
                             *map(str, numbers)], capture_output=True, text=True,
                            timeout=600, env={**os.environ, "CI": "true"})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def fonts(path: Path) -> list[tuple[str, str | None]]:
    """(font name, the font file's /Subtype) of every embedded font."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                stream = obj.get("/FontFile3")
                found.append((str(obj.FontName), str(stream.get("/Subtype"))
                              if stream is not None else None))
    return sorted(found)


def pixels(path: Path, scale: float) -> list:
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.render(scale=scale, grayscale=True).to_pil().convert("L")
                for page in document]
    finally:
        document.close()


def worst_difference(ours: list, theirs: list) -> int:
    """The largest difference of one pixel's grey between two renderings (0–255)."""
    from PIL import ImageChops

    assert len(ours) == len(theirs)
    worst = 0
    for one, other in zip(ours, theirs):
        assert one.size == other.size
        low, high = ImageChops.difference(one, other).getextrema()
        worst = max(worst, high)
    return worst


def glyphs(path: Path) -> list[tuple]:
    with pdfplumber.open(path) as pdf:
        return [(page.page_number, c["text"], c["fontname"], round(c["x0"], 3),
                 round(c["top"], 3), round(c["x1"], 3)) for page in pdf.pages
                for c in page.chars]


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("bare") / "project", issues=[23])
    entries = {entry.number: entry for entry in CORPUS}
    numbers = [23]
    for number in (101, 127, 133, 135):  # typical, subtitles, rich, photos
        entry = entries[number]
        make_corpus_issue(project, number, entry.seed, entry.kind, **entry.overrides)
        numbers.append(number)
    return project, numbers


@pytest.fixture(scope="module")
def both(corpus_project, tmp_path_factory):
    project, numbers = corpus_project
    out = tmp_path_factory.mktemp("pdfs")
    bare = build(project, out / "bare", numbers)
    plain = build(project, out / "plain", numbers, bare=False)
    return out, numbers, bare, plain


def test_every_font_is_bare_cff_and_the_pdf_smaller(both):
    out, numbers, bare, plain = both
    assert bare["compact"] >= 5 * len(numbers) - 5 and bare["plain"] == 0
    assert plain == {"compact": 0, "plain": 0}  # not installed at all
    for number in numbers:
        ours, theirs = out / "bare" / f"{number}.pdf", out / "plain" / f"{number}.pdf"
        assert fonts(ours) and all(kind == "/CIDFontType0C" for _, kind in fonts(ours))
        assert all(kind == "/OpenType" for _, kind in fonts(theirs))
        assert [name for name, _ in fonts(ours)] == [name for name, _ in fonts(theirs)]
        assert ours.stat().st_size < 0.95 * theirs.stat().st_size, number


def test_the_glyphs_are_in_the_same_places_and_pdfium_draws_them_alike(both):
    out, numbers, _, _ = both
    for number in numbers:
        ours, theirs = out / "bare" / f"{number}.pdf", out / "plain" / f"{number}.pdf"
        assert glyphs(ours) == glyphs(theirs), number
        # The outlines are the same (below); pdfium's rasteriser smooths a bare CFF's edges
        # a little differently (at most an eighth of the grey scale here), never more.
        assert worst_difference(pixels(ours, 50 / 72), pixels(theirs, 50 / 72)) <= 64, number


def test_every_glyph_is_drawn_by_the_same_outline(both):
    """Each embedded glyph's charstring, found by its CID in the bare CFF, is the one
    WeasyPrint embedded at that glyph id: what is printed cannot differ."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    out, numbers, _, _ = both
    for number in numbers:
        embedded = {}
        for kind in ("bare", "plain"):
            with pikepdf.open(out / kind / f"{number}.pdf") as pdf:
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Dictionary) \
                            and obj.get("/Type") == "/FontDescriptor":
                        embedded[kind, str(obj.FontName)] = obj.FontFile3.read_bytes()
        names = {name for kind, name in embedded if kind == "bare"}
        assert names == {name for kind, name in embedded if kind == "plain"}
        for name in names:
            bare = CFFFontSet()
            bare.decompile(io.BytesIO(embedded["bare", name]), None)
            whole = TTFont(io.BytesIO(embedded["plain", name]))["CFF "].cff
            ours, theirs = bare[bare.fontNames[0]], whole[whole.fontNames[0]]
            order = whole.topDictIndex[0].charset
            compared = 0
            for glyph_name in ours.charset:
                cid = 0 if glyph_name == ".notdef" else int(glyph_name[3:])
                one, other = ours.CharStrings[glyph_name], theirs.CharStrings[order[cid]]
                one.decompile(), other.decompile()
                assert one.program == other.program, (number, name, cid)
                compared += 1
            assert compared == len(ours.charset) >= 2


def test_poppler_draws_issue_23_the_same(both, tmp_path):
    out, _, _, _ = both
    rendered = {}
    for kind in ("bare", "plain"):
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(out / kind / "23.pdf"),
                        str(tmp_path / kind)], check=True, timeout=120)
        rendered[kind] = [page.read_bytes() for page in sorted(tmp_path.glob(f"{kind}-*"))]
    assert len(rendered["bare"]) == 9 and rendered["bare"] == rendered["plain"]


def ghostscript(path: Path, out: Path, name: str) -> list[bytes]:
    """Every page as Ghostscript (the interpreter of many a print shop's RIP) draws it."""
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray",
                    "-r60", "-o", str(out / f"{name}-%03d.png"), str(path)],
                   check=True, timeout=300, capture_output=True)
    return [page.read_bytes() for page in sorted(out.glob(f"{name}-*.png"))]


def test_ghostscript_draws_every_page_the_same(both, tmp_path):
    out, numbers, _, _ = both
    for number in numbers:
        ours = ghostscript(out / "bare" / f"{number}.pdf", tmp_path, f"bare-{number}")
        theirs = ghostscript(out / "plain" / f"{number}.pdf", tmp_path, f"plain-{number}")
        assert ours and ours == theirs, number


def test_the_print_shops_pdf_prints_the_same(corpus_project, tmp_path):
    project, _ = corpus_project
    build(project, tmp_path / "bare", [23], for_print=True)
    build(project, tmp_path / "plain", [23], bare=False, for_print=True)
    ours, theirs = tmp_path / "bare" / "23.pdf", tmp_path / "plain" / "23.pdf"
    assert all(kind == "/CIDFontType0C" for _, kind in fonts(ours))
    with pikepdf.open(ours) as pdf:
        assert "/OutputIntents" in pdf.Root  # still the PDF/X-4 of printing.py
    assert ghostscript(ours, tmp_path, "bare") == ghostscript(theirs, tmp_path, "plain")
    assert glyphs(ours) == glyphs(theirs)


def test_each_embedded_cff_holds_the_glyphs_the_text_names_under_their_cids(both):
    from fontTools.cffLib import CFFFontSet

    out, _, _, _ = both
    with pikepdf.open(out / "bare" / "23.pdf") as pdf:
        for obj in pdf.objects:
            if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
                    and obj.get("/Subtype") == "/CIDFontType0"):
                continue
            data = obj.FontDescriptor.FontFile3.read_bytes()
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
            top = cff.topDictIndex[0]
            assert top.ROS == ("Adobe", "Identity", 0)
            found = [0 if name == ".notdef" else int(name[3:]) for name in top.charset]
            assert found == barecff.cids(data)[1]
            named = set()  # every CID the /W array gives a width to
            widths = list(obj.W)
            while widths:
                first, run = int(widths[0]), widths[1]
                named.update(range(first, first + len(run)))
                widths = widths[2:]
            assert named <= set(found)
            assert len(found) == len(named) + 1  # .notdef, and no empty slot


def test_pdf_a_1b_keeps_its_cid_sets(corpus_project, tmp_path):
    project, _ = corpus_project
    build(project, tmp_path, [23], variant="pdf/a-1b")
    with pikepdf.open(tmp_path / "23.pdf") as pdf:
        assert pdf.pdf_version == "1.4"
        descriptors = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                       and obj.get("/Type") == "/FontDescriptor"]
        assert descriptors
        for descriptor in descriptors:
            assert descriptor.FontFile3.Subtype == "/CIDFontType0C"
            assert "/CIDSet" in descriptor


def test_a_font_with_missing_glyphs_is_embedded_as_weasyprint_does(tmp_path):
    project = copy_project(tmp_path / "project", issues=[23])
    article = project / "issues" / "23" / "articles" / "xixia.md"
    # U+E000, private use: in none of the fonts, so WeasyPrint draws .notdef for it.
    article.write_text(article.read_text(encoding="utf-8") + "\n代表\ue000建议。\n",
                       encoding="utf-8")
    state = build(project, tmp_path / "out", [23])
    assert state["plain"] == 1 and state["compact"] >= 4
    kinds = [kind for _, kind in fonts(tmp_path / "out" / "23.pdf")]
    assert kinds.count("/OpenType") == 1 and kinds.count("/CIDFontType0C") == len(kinds) - 1
    document = pypdfium2.PdfDocument(tmp_path / "out" / "23.pdf")
    assert "代表" in document[len(document) - 1].get_textpage().get_text_range() or \
        any("代表" in page.get_textpage().get_text_range() for page in document)
    document.close()


# --- reading a CFF's CIDs -------------------------------------------------------------------


def font_cff(name: str) -> bytes:
    from fontTools.ttLib import TTFont

    return TTFont(ROOT / "fonts" / name, lazy=True).reader["CFF "]


def test_the_cids_of_a_real_cid_keyed_font():
    data = font_cff("FandolSong-Regular.otf")
    ros, found = barecff.cids(data)
    assert ros == ("Adobe", "Identity", 0)
    assert found[:5] == [0, 1, 2, 3, 4] and len(found) > 10000  # identity: CID = glyph id


@pytest.mark.parametrize("cut", [3, 10, 50, 200])
def test_a_truncated_cff_is_refused(cut):
    data = font_cff("FandolSong-Regular.otf")
    with pytest.raises(barecff.CFFError):
        barecff.cids(data[:cut])


def test_a_name_keyed_cff_is_refused():
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)), pen.lineTo((100, 0)), pen.lineTo((0, 100)), pen.closePath()
    builder.setupCFF("Test-Regular", {"FullName": "Test"},
                     {".notdef": pen.getCharString(), "a": pen.getCharString()}, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    builder.setupHorizontalHeader()
    builder.setupOS2()
    builder.setupPost()
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    out = io.BytesIO()
    builder.save(out)
    from fontTools.ttLib import TTFont

    data = TTFont(io.BytesIO(out.getvalue())).reader["CFF "]
    with pytest.raises(barecff.CFFError, match="CID"):
        barecff.cids(data)


@pytest.mark.parametrize("charset, expected", [
    (bytes([0]) + struct.pack(">HHH", 5, 9, 12), [0, 5, 9, 12]),  # format 0: one by one
    (bytes([1]) + struct.pack(">HB", 7, 2) + struct.pack(">HB", 20, 0), [0, 7, 8, 9, 20]),
    (bytes([2]) + struct.pack(">HH", 100, 3), [0, 100, 101, 102, 103]),
])
def test_the_three_charset_formats(charset, expected):
    assert barecff._charset(charset, 0, len(expected)) == expected


def test_a_charset_longer_than_the_glyphs_is_refused():
    with pytest.raises(barecff.CFFError):
        barecff._charset(bytes([2]) + struct.pack(">HH", 100, 9), 0, 4)
