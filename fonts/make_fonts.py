#!/usr/bin/env python3
"""Regenerate the fonts bundled in this folder from Debian 12 (bookworm) packages.

What it does
------------
* Takes four Fandol fonts from ``texlive-lang-chinese``
  (FandolFang/Hei/Kai/Song-Regular.otf) and reorders their glyphs (see below);
  outlines, hints, metrics, cmap and OpenType layout are unchanged.
* Extracts the Simplified-Chinese ("SC") face from ``NotoSerifCJK-Regular.ttc``
  and ``NotoSerifCJK-Bold.ttc`` (package ``fonts-noto-cjk``), subsets it with
  fontTools into ``NotoSerifCJKsc-Regular.otf`` (fallback face) and
  ``NotoSerifCJKsc-Bold.otf`` (masthead / titles), then reorders the glyphs.
* Optionally (``--black``) also builds ``NotoSerifCJKsc-Black.otf`` from
  ``fonts-noto-cjk-extra`` with the Bold character set.  Not shipped by default.
* Writes ``SHA256SUMS`` for the produced font files and ``BUILDINFO`` (package
  and fontTools versions); ``--check`` compares a fresh build against both
  instead of overwriting anything.

Glyph order
-----------
WeasyPrint 70 subsets with HarfBuzz keeping glyph ids (RETAIN_GIDS) and embeds
every glyph slot up to the highest id used, so a used glyph at gid 20,000 costs
20,000 empty slots (about 2.5 bytes each, compressed) in the PDF.  Every file
is therefore reordered so that likely glyphs come first:

    1. .notdef, then U+0000-00FF (ASCII, Latin-1);
    2. punctuation and symbols: GB2312 rows 1-3 in GB2312 order, then
       U+2000-206F, U+3000-303F, U+FF00-FFEF and U+25A0-25FF in code point
       order, then the few uncoded glyphs that the default horizontal GSUB
       features (ccmp, locl, liga, ...) reach from coded ones;
    3. fallback face only: the Han characters some Fandol face lacks that
       occur in jieba's dictionary (镕 ...), the ones it is there for;
    4. GB2312 level-1 Han (3,755);  5. GB2312 level-2 Han (3,008);
    6. the rest of GBK;  7. every other coded character;
    8. uncoded glyphs (vertical forms, aalt/fwid/... variants), in their old order.

Inside tiers 3-7 Han characters go by a frequency computed from jieba's
dictionary (``python3-jieba``: the sum of the frequencies of the words that
contain the character), most frequent first; ties, and other characters, by
GB2312/GBK code or code point.

CID-keyed CFF stays CID-keyed: each glyph keeps its charstring and its Font
DICT (FDSelect is permuted with the glyphs, FDArray/Private dicts and subrs
are untouched).  The CIDs are renumbered so that CID = GID (charset is the
identity, ROS becomes Adobe-Identity-0), as WeasyPrint writes glyph ids as CIDs
into the PDF.  cmap, hmtx, vmtx, VORG, GSUB, GPOS and GDEF are remapped by
fontTools' ``reorderGlyphs``.  Every build checks each glyph against the source
(``verify_reorder``: charstring bytes, Font DICT, Private dicts and subrs,
advance widths, vertical metrics, cmap, the other tables) and, when uharfbuzz
is installed, with HarfBuzz (``verify_shaping``: drawn outlines, extents, and
the shaping of every character and some sample lines with halt, palt, vert,
fwid, ... in both directions).

Usage
-----
    python3 make_fonts.py                      # apt-get download + dpkg -x into a temp dir
    python3 make_fonts.py --texlive X --noto Y --jieba Z  # already extracted packages (dpkg -x roots)
    python3 make_fonts.py --check              # rebuild in a temp dir and compare with SHA256SUMS, BUILDINFO

Requirements: Debian/Ubuntu with apt-get and dpkg-deb (only when downloading),
and fontTools (the committed files were made with the version in
``FONTTOOLS_VERSION``; another version may produce different bytes);
uharfbuzz is optional (only for verify_shaping).

Byte-for-byte reproducibility: the subsetter and the reordering are
deterministic, the ``head.modified`` timestamp is kept from the source font
(no recalculation), and GSUB/GPOS are always packed by fontTools' own
serializer (it would use HarfBuzz's repacker whenever uharfbuzz is importable,
which gives other bytes), so the same package versions + the same fontTools
version give identical files.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from io import BytesIO
from pathlib import Path

# Versions the committed files were built from (Debian 12 "bookworm").
PACKAGES = {
    "texlive-lang-chinese": "2022.20230122-1",
    "fonts-noto-cjk": "1:20220127+repack1-1",
    "python3-jieba": "0.42.1-3",  # only its dictionary: character frequencies for the glyph order
    "fonts-noto-cjk-extra": "1:20220127+repack1-1",  # only for --black
}
# SHA-256 of those .deb files (checked after apt-get download).
DEB_SHA256 = {
    "texlive-lang-chinese": "9cfa07bd44e7b9098e26f0ecac1b5ad210d2249d474c8074d53de92d650b0ec0",
    "fonts-noto-cjk": "4a2515eb6db3978b897fef9709ed0d2b1f4c6c4df4d83d6c4ef65f71f1b1f502",
    "python3-jieba": "44e3fb01421b1710e08245eae02416a2d07e9bb08887d96de5b60d58e3d39caa",
    "fonts-noto-cjk-extra": "5f6536c99f9b3d77a3c383c3f1544f6d49350e7f20832c4c979af0e33f603cb5",
}
FONTTOOLS_VERSION = "4.68.0"
JIEBA_DICT = "usr/lib/python3/dist-packages/jieba/dict.txt"
# fontTools packs GSUB/GPOS with HarfBuzz's repacker whenever uharfbuzz is importable,
# which gives other bytes: always use its own serializer, so the bytes do not depend on
# what else is installed (uharfbuzz is used only to verify, see verify_shaping).
NO_HB_REPACKER = {"fontTools.ttLib.tables.otBase:USE_HARFBUZZ_REPACKER": False}

FANDOL_DIR = "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
FANDOL_FILES = [
    "FandolFang-Regular.otf",
    "FandolHei-Regular.otf",
    "FandolKai-Regular.otf",
    "FandolSong-Regular.otf",
]
NOTO_DIR = "usr/share/fonts/opentype/noto"

# ---------------------------------------------------------------------------
# Character sets
# ---------------------------------------------------------------------------


def _r(a: int, b: int) -> set[int]:
    """Inclusive code point range."""
    return set(range(a, b + 1))


# Non-Han repertoire shared by both Noto files.  Only code points that the
# source face actually draws end up in the output.
COMMON_BLOCKS = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x024F),  # Latin Extended-A/B (pinyin tone vowels etc.)
    (0x02B0, 0x02FF),  # Spacing Modifier Letters (ˇ ˉ ˊ ˋ ˙)
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # General Punctuation (“ ” — … ‰ ※)
    (0x2100, 0x214F),  # Letterlike Symbols (℃ №)
    (0x2150, 0x218F),  # Number Forms (Ⅰ Ⅱ Ⅲ)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x2300, 0x23FF),  # Miscellaneous Technical
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (① ⑴ ⒈)
    (0x2500, 0x259F),  # Box Drawing, Block Elements
    (0x25A0, 0x25FF),  # Geometric Shapes (□ ■ ○ ● ◇)
    (0x2600, 0x26FF),  # Miscellaneous Symbols (★ ☆)
    (0x2E80, 0x2FDF),  # CJK Radicals Supplement, Kangxi Radicals
    (0x2FF0, 0x2FFF),  # Ideographic Description Characters
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (、。〈〉《》「」【】〔〕)
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31BF),  # Bopomofo Extended
    (0x31C0, 0x31EF),  # CJK Strokes
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈠ ㈡)
    (0x3300, 0x33FF),  # CJK Compatibility (㎡ ㎏)
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFE50, 0xFE6F),  # Small Form Variants
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]

# Never kept, even if GBK can encode them (Korean script).
EXCLUDED_BLOCKS = [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),  # Hangul Syllables, Jamo Extended-B
]

HAN_URO = (0x4E00, 0x9FFF)  # CJK Unified Ideographs
HAN_EXT_A = (0x3400, 0x4DBF)  # Extension A
HAN_COMPAT = (0xF900, 0xFAFF)  # CJK Compatibility Ideographs
HAN_SIP = (0x20000, 0x3134F)  # Ext B..G + Compatibility Supplement (plane 2/3)


def _encodes(cp: int, codec: str) -> bool:
    try:
        chr(cp).encode(codec)
        return True
    except UnicodeEncodeError:
        return False


def gbk_repertoire() -> set[int]:
    """Every BMP code point (outside ASCII) that Python's GBK codec encodes.

    This is a superset of GB2312 (6763 Han + 682 symbols, kana, Greek,
    Cyrillic, pinyin, box drawing ...) and adds the 21003 GBK Han characters.
    """
    return {
        cp
        for cp in range(0x80, 0x10000)
        if not 0xD800 <= cp <= 0xDFFF and _encodes(cp, "gbk")
    }


def wanted_codepoints(kind: str) -> set[int]:
    cps: set[int] = set()
    for a, b in COMMON_BLOCKS:
        cps |= _r(a, b)
    cps |= gbk_repertoire()
    cps |= _r(*HAN_URO)  # all of U+4E00..U+9FFF (GBK Han + the later additions)
    if kind == "fallback":
        cps |= _r(*HAN_EXT_A)
        cps |= _r(*HAN_COMPAT)
        cps |= _r(*HAN_SIP)
    for a, b in EXCLUDED_BLOCKS:
        cps -= _r(a, b)
    return cps


# ---------------------------------------------------------------------------
# Noto: extraction + subsetting
# ---------------------------------------------------------------------------

# Language systems kept in GSUB/GPOS.  The SC face also carries 'locl'
# lookups for JAN/KOR/ZHT/ZHH, which would drag ~18,000 Japanese/Korean/
# Traditional glyph variants into the subset (15.6 MB instead of 9.4 MB for
# the fallback face).  Script default language systems and ZHS are kept, so
# zh-CN / zh-Hans text (and untagged text) is shaped exactly as by the
# original font.
KEEP_LANGSYS = {"ZHS "}


def pick_sc_face(ttc_path: Path):
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(ttc_path))
    for face in coll.fonts:
        name = face["name"]
        fam = name.getDebugName(16) or name.getDebugName(1) or ""
        if fam.endswith(" SC"):
            return face
    raise SystemExit(f"no SC face in {ttc_path}")


def prune_language_systems(font) -> None:
    for tag in ("GSUB", "GPOS"):
        if tag not in font:
            continue
        table = font[tag].table
        if not table.ScriptList:
            continue
        for rec in table.ScriptList.ScriptRecord:
            rec.Script.LangSysRecord = [
                lr for lr in rec.Script.LangSysRecord if lr.LangSysTag in KEEP_LANGSYS
            ]
            rec.Script.LangSysCount = len(rec.Script.LangSysRecord)


def subset_options():
    from fontTools import subset

    o = subset.Options()
    o.layout_features = ["*"]  # keep every OpenType feature (locl, vert, vrt2, halt, palt, kern ...)
    o.name_IDs = ["*"]  # keep copyright, trademark, licence description & URL
    o.name_languages = ["*"]
    o.name_legacy = True
    o.notdef_outline = True
    o.glyph_names = False
    o.hinting = False  # CFF hints dropped (print use; saves ~20 %)
    o.desubroutinize = False
    return o


def build_noto(ttc_path: Path, kind: str) -> bytes:
    """The subset SC face, as font file bytes (glyphs still in the source order)."""
    from fontTools import subset

    font = pick_sc_face(ttc_path)
    font.recalcTimestamp = False  # keep head.modified from the source => reproducible bytes
    font.cfg.update(NO_HB_REPACKER)
    cmap = font.getBestCmap()
    cps = sorted(cp for cp in wanted_codepoints(kind) if cp in cmap)
    prune_language_systems(font)
    sub = subset.Subsetter(subset_options())
    sub.populate(unicodes=cps)
    sub.subset(font)
    buf = BytesIO()
    font.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Glyph order (see the module docstring)
# ---------------------------------------------------------------------------

# Tier 2 beyond GB2312 rows 1-3: punctuation and symbol blocks, in code point order.
SYMBOL_BLOCKS = [
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0x25A0, 0x25FF),  # Geometric Shapes (◆ □ ○ ●)
]
# GSUB features HarfBuzz applies to horizontal text by default: the uncoded
# glyphs they reach from coded ones are kept with the punctuation (tier 2).
DEFAULT_GSUB_FEATURES = ["rvrn", "ccmp", "locl", "rlig", "rclt", "calt", "liga", "clig"]

HAN_BLOCKS = [HAN_EXT_A, HAN_URO, HAN_COMPAT, HAN_SIP]


def is_han(cp: int) -> bool:
    return any(a <= cp <= b for a, b in HAN_BLOCKS)


def _two_bytes(cp: int, codec: str) -> int | None:
    """The two-byte code of `cp` in `codec` as an integer, or None."""
    try:
        b = chr(cp).encode(codec)
    except UnicodeEncodeError:
        return None
    return int.from_bytes(b, "big") if len(b) == 2 else None


def han_frequencies(jieba_root: Path) -> dict[int, int]:
    """Character frequencies from jieba's dictionary ("word frequency tag" lines):
    the sum of the frequencies of the words a character occurs in."""
    freq: dict[int, int] = defaultdict(int)
    with open(jieba_root / JIEBA_DICT, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            for ch in parts[0]:
                freq[ord(ch)] += int(parts[1])
    return dict(freq)


def codepoint_key(cp: int, freq: dict[int, int], promote: frozenset[int]) -> tuple:
    """Sort key of a coded character: (group, tier, sub-tier, -frequency, code)."""
    if cp < 0x100:  # ASCII, Latin-1 (and controls, if mapped)
        return (0, 1, 0, 0, cp)
    gbk = _two_bytes(cp, "gbk")
    if gbk is not None and 0xA1 <= gbk >> 8 <= 0xA3:  # GB2312 rows 1-3: punctuation, numbers, fullwidth
        return (0, 2, 0, 0, gbk)
    if any(a <= cp <= b for a, b in SYMBOL_BLOCKS):
        return (0, 2, 1, 0, cp)
    f = -freq.get(cp, 0) if is_han(cp) else 0
    if cp in promote:
        return (0, 3, 0, f, cp)
    gb = _two_bytes(cp, "gb2312")
    if gb is not None and gb >> 8 >= 0xB0:  # Han: level 1 is B0-D7, level 2 is D8-F7
        return (0, 4 if gb >> 8 <= 0xD7 else 5, 0, f, gb)
    if gbk is not None:
        return (0, 6, 0, f, gbk)
    return (0, 7, 0, f, cp)


def gsub_reach(data: bytes, unicodes) -> set[str]:
    """Glyphs that the default GSUB features can produce from `unicodes`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(data))
    opts = subset.Options()
    opts.layout_features = DEFAULT_GSUB_FEATURES
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    return set(font.getGlyphOrder())


def unicode_cmaps(font) -> list:
    return [t for t in font["cmap"].tables if t.isUnicode() and t.format != 14]


def new_glyph_order(font, data: bytes, freq: dict[int, int],
                    promote: frozenset[int] = frozenset()) -> list[str]:
    order = font.getGlyphOrder()
    gid = {g: i for i, g in enumerate(order)}
    cps = defaultdict(list)
    for table in unicode_cmaps(font):
        for cp, g in table.cmap.items():
            cps[g].append(cp)
    reach = gsub_reach(data, {cp for v in cps.values() for cp in v}) if "GSUB" in font else set()

    def key(g: str) -> tuple:
        if gid[g] == 0:
            return (-1,)
        if g in cps:
            return min(codepoint_key(cp, freq, promote) for cp in cps[g]) + (gid[g],)
        if g in reach:
            return (0, 2, 2, 0, 0, gid[g])
        return (2, 0, 0, 0, 0, gid[g])

    return sorted(order, key=key)


def reorder(data: bytes, freq: dict[int, int], promote: frozenset[int] = frozenset()):
    """Reorder the glyphs of a CID-keyed CFF OpenType font; returns (bytes, new order).

    The new order is given by the old glyph names; in the result glyph i has CID i.
    """
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    font = TTFont(BytesIO(data), recalcBBoxes=False, recalcTimestamp=False, cfg=NO_HB_REPACKER)
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS") or not hasattr(top, "FDSelect"):
        raise SystemExit("expected a CID-keyed CFF font with FDSelect")
    order = new_glyph_order(font, data, freq, promote)
    fd_of = dict(zip(font.getGlyphOrder(), top.FDSelect.gidArray))
    reorderGlyphs(font, order)  # cmap, hmtx, vmtx, VORG by name; GSUB/GPOS/GDEF coverages; CFF charset
    top.FDSelect.gidArray = [fd_of[g] for g in order]  # reorderGlyphs leaves FDSelect alone
    buf = BytesIO()
    font.save(buf)
    return identity_cids(buf.getvalue()), order


def identity_cids(data: bytes) -> bytes:
    """Renumber the CIDs of a CID-keyed CFF font so that CID = GID.

    Only the CFF table is rewritten; every other table refers to glyphs by id.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(data), recalcBBoxes=False, recalcTimestamp=False, cfg=NO_HB_REPACKER)
    top = font["CFF "].cff.topDictIndex[0]
    old = list(top.charset)
    new = [".notdef"] + [f"cid{i:05d}" for i in range(1, len(old))]
    charstrings = top.CharStrings
    charstrings.charStrings = {n: charstrings.charStrings[o] for n, o in zip(new, old)}
    top.charset = new
    top.ROS = ("Adobe", "Identity", 0)
    top.CIDCount = len(new)
    font.setGlyphOrder(new)
    buf = BytesIO()
    font.save(buf)
    return buf.getvalue()


def verify_reorder(src: bytes, out: bytes, order: list[str]) -> None:
    """Check that `out` is `src` with its glyphs permuted by `order`: same outlines
    (charstring bytes), same Font DICT per glyph, same FDArray and subrs, same
    advance widths, vertical metrics and cmap; the other glyph-free tables unchanged.
    GSUB/GPOS/GDEF are checked by their effect, in verify_shaping."""
    from fontTools.ttLib import TTFont

    s = TTFont(BytesIO(src))
    o = TTFont(BytesIO(out))
    sn, on = s.getGlyphOrder(), o.getGlyphOrder()
    problems = []
    if len(sn) != len(on) or sorted(sn) != sorted(order):
        raise SystemExit("verify: glyph sets differ")
    if on != [".notdef"] + [f"cid{i:05d}" for i in range(1, len(on))]:
        problems.append("CIDs are not the glyph ids")
    m = dict(zip(order, on))
    sgid = {g: i for i, g in enumerate(sn)}
    for st in s["cmap"].tables:
        ot = next((t for t in o["cmap"].tables if (t.platformID, t.platEncID, t.format)
                   == (st.platformID, st.platEncID, st.format)), None)
        if ot is None:
            problems.append(f"cmap subtable {st.platformID}/{st.platEncID}/{st.format} missing")
        elif st.format == 14:
            want = {uv: sorted((c, m[g] if g else None) for c, g in v) for uv, v in st.uvsDict.items()}
            got = {uv: sorted(v) for uv, v in ot.uvsDict.items()}
            if want != got:
                problems.append("cmap format 14 differs")
        elif {cp: m[g] for cp, g in st.cmap.items()} != ot.cmap:
            problems.append(f"cmap {st.platformID}/{st.platEncID}/{st.format} differs")
    for tag in ("hmtx", "vmtx"):
        if tag in s and any(s[tag][g] != o[tag][m[g]] for g in sn):
            problems.append(f"{tag} differs")
    if "VORG" in s:
        sv, ov = s["VORG"], o["VORG"]
        if (sv.defaultVertOriginY != ov.defaultVertOriginY
                or {m[g]: v for g, v in sv.VOriginRecords.items()} != dict(ov.VOriginRecords)):
            problems.append("VORG differs")
    stop, otop = s["CFF "].cff.topDictIndex[0], o["CFF "].cff.topDictIndex[0]
    sfd, ofd = stop.FDSelect.gidArray, otop.FDSelect.gidArray
    ogid = {g: i for i, g in enumerate(on)}

    def code(cs):
        """A charstring's bytes (as read: the files are not re-encoded), else its program."""
        if cs.bytecode is not None:
            return cs.bytecode
        cs.decompile()
        return cs.program

    for g in sn:
        if code(stop.CharStrings[g]) != code(otop.CharStrings[m[g]]):
            problems.append(f"outline of {g} differs")
            break
        if sfd[sgid[g]] != ofd[ogid[m[g]]]:
            problems.append(f"Font DICT of {g} differs")
            break

    def private(fd):
        p = fd.Private
        subrs = [code(c) for c in p.Subrs] if hasattr(p, "Subrs") else None
        return {k: v for k, v in p.rawDict.items() if k != "Subrs"}, subrs

    if len(stop.FDArray) != len(otop.FDArray) or any(
            private(a) != private(b) or a.rawDict.get("FontName") != b.rawDict.get("FontName")
            for a, b in zip(stop.FDArray, otop.FDArray)):
        problems.append("FDArray / Private dicts differ")
    if [code(c) for c in stop.GlobalSubrs] != [code(c) for c in otop.GlobalSubrs]:
        problems.append("global subrs differ")
    skip = {"ROS", "CIDCount", "charset", "CharStrings", "FDSelect", "FDArray", "Private"}
    if ({k: v for k, v in stop.rawDict.items() if k not in skip}
            != {k: v for k, v in otop.rawDict.items() if k not in skip}):
        problems.append("CFF top dict differs")
    if sorted(s.keys()) != sorted(o.keys()):
        problems.append("table lists differ")
    for tag, recounted in (("hhea", "numberOfHMetrics"), ("vhea", "numberOfVMetrics")):
        if tag in s and ({k: v for k, v in vars(s[tag]).items() if k != recounted}
                         != {k: v for k, v in vars(o[tag]).items() if k != recounted}):
            problems.append(f"{tag} differs")
    for tag in ("OS/2", "name", "post", "maxp", "BASE"):
        if tag in s and xml(s, tag) != xml(o, tag):
            problems.append(f"{tag} differs")
    h1, h2 = s["head"], o["head"]
    if any(getattr(h1, k) != getattr(h2, k) for k in vars(h1) if k != "checkSumAdjustment"):
        problems.append("head differs")
    if problems:
        raise SystemExit("verify: " + "; ".join(problems))


# Lines shaped by verify_shaping besides every single character of the cmap.
SHAPING_SAMPLES = [
    "今年以来，开封市龙亭区人大常委会以深化提升“代表在行动”主题活动为契机。",
    "（一）抓系统谋划，促履职方向明、根基稳。4月初，召开常委会党组扩大会议；",
    "《代表工作》2025年第23期——朱镕基、䶮、〔2025〕1号、①②③、5%、A-1/2。",
    "“‘引号’”「」『』【】〈〉…… · ！？：；，。、",
    "fi ffi Th AV To Wa 1/2 12:30 ½ ℃ № Ⅰ Ⅱ ㈠ ⑴ ⒈ ㎡",
]
SHAPING_FEATURES = [
    ({}, None), ({"halt": True}, None), ({"palt": True}, None), ({"kern": False}, None),
    ({"fwid": True}, None), ({"hwid": True}, None), ({"pwid": True}, None),
    ({}, "ttb"), ({"vhal": True}, "ttb"), ({"vpal": True}, "ttb"),
]


def verify_shaping(src: bytes, out: bytes, order: list[str]) -> str:
    """With HarfBuzz (uharfbuzz, if installed): every glyph draws the same outline with
    the same advances, extents and vertical origin, and shaping every character and the
    sample lines with the features above (horizontal and vertical) gives the same
    glyphs (mapped back) at the same positions.  Returns a one-line summary."""
    try:
        import uharfbuzz as hb
    except ImportError:
        return "shaping not checked (pip install uharfbuzz to check it)"
    from fontTools.ttLib import TTFont

    class Recorder:
        def __init__(self):
            self.path = []

        def moveTo(self, p):
            self.path.append(("M", p))

        def lineTo(self, p):
            self.path.append(("L", p))

        def curveTo(self, *p):
            self.path.append(("C", p))

        def qCurveTo(self, *p):
            self.path.append(("Q", p))

        def closePath(self):
            self.path.append(("Z",))

    source = TTFont(BytesIO(src), lazy=True)
    old_gid = {g: i for i, g in enumerate(source.getGlyphOrder())}
    to_old = [old_gid[g] for g in order]
    sf, of = (hb.Font(hb.Face(hb.Blob(d))) for d in (src, out))
    problems = 0
    for new, old in enumerate(to_old):
        a, b = Recorder(), Recorder()
        sf.draw_glyph_with_pen(old, a)
        of.draw_glyph_with_pen(new, b)
        if (a.path != b.path
                or sf.get_glyph_h_advance(old) != of.get_glyph_h_advance(new)
                or sf.get_glyph_v_advance(old) != of.get_glyph_v_advance(new)
                or sf.get_glyph_v_origin(old) != of.get_glyph_v_origin(new)
                or sf.get_glyph_extents(old) != of.get_glyph_extents(new)):
            problems += 1

    def shape(font, text, features, direction):
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.language = "zh-cn"
        if direction:
            buf.direction = direction
        hb.shape(font, buf, features)
        return ([(i.codepoint, i.cluster) for i in buf.glyph_infos],
                [(p.x_advance, p.y_advance, p.x_offset, p.y_offset) for p in buf.glyph_positions])

    texts = [chr(cp) for cp in sorted(source.getBestCmap())] + SHAPING_SAMPLES
    runs = 0
    for features, direction in SHAPING_FEATURES:
        for text in texts:
            runs += 1
            old_infos, old_pos = shape(sf, text, features, direction)
            new_infos, new_pos = shape(of, text, features, direction)
            if [(to_old[g], c) for g, c in new_infos] != old_infos or new_pos != old_pos:
                problems += 1
    if problems:
        raise SystemExit(f"verify: HarfBuzz finds {problems} differences")
    return f"HarfBuzz: {len(to_old)} glyphs and {runs} shaping runs identical"


def xml(font, tag: str) -> str:
    """A table as TTX text (for tables that do not refer to glyphs)."""
    from fontTools.misc.xmlWriter import XMLWriter

    buf = BytesIO()
    writer = XMLWriter(buf)
    font[tag].toXML(writer, font)
    return buf.getvalue().decode()


def fandol_lacks(fandol_dir: Path, freq: dict[int, int]) -> frozenset[int]:
    """Han characters in jieba's dictionary that some Fandol face lacks: those the
    fallback face is there for."""
    from fontTools.ttLib import TTFont

    common = None
    for name in FANDOL_FILES:
        cps = set(TTFont(str(fandol_dir / name), lazy=True).getBestCmap())
        common = cps if common is None else common & cps
    return frozenset(cp for cp in freq if is_han(cp) and cp not in common)


def write_reordered(data: bytes, out_path: Path, freq, promote=frozenset()) -> None:
    result, order = reorder(data, freq, promote)
    verify_reorder(data, result, order)
    shaping = verify_shaping(data, result, order)
    tmp = out_path.with_suffix(".tmp")
    tmp.write_bytes(result)
    os.replace(tmp, out_path)
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(result), lazy=True)
    print(f"  {out_path.name}: {len(font.getBestCmap())} code points, "
          f"{font['maxp'].numGlyphs} glyphs, {len(result)} bytes, reordered and verified; {shaping}")


# ---------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------


def download_and_extract(workdir: Path, packages: list[str]) -> dict[str, Path]:
    roots = {}
    debdir = workdir / "debs"
    debdir.mkdir(parents=True, exist_ok=True)
    # let apt's sandbox user (_apt) reach and write the download folder (avoids a warning)
    for d in (workdir.parent, workdir):
        os.chmod(d, 0o755)
    os.chmod(debdir, 0o777)
    for pkg in packages:
        want = PACKAGES[pkg]
        try:
            subprocess.run(["apt-get", "download", f"{pkg}={want}"], cwd=debdir, check=True)
        except subprocess.CalledProcessError:
            print(f"WARNING: {pkg}={want} not available; downloading the candidate version, "
                  "output will differ from the committed files", file=sys.stderr)
            subprocess.run(["apt-get", "download", pkg], cwd=debdir, check=True)
        deb = sorted(debdir.glob(f"{pkg}_*.deb"))[-1]
        if sha256(deb) != DEB_SHA256[pkg]:
            print(f"WARNING: {deb.name} has SHA-256 {sha256(deb)}, the committed files were "
                  f"built from {DEB_SHA256[pkg]}", file=sys.stderr)
        root = workdir / pkg
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        roots[pkg] = root
    return roots


def package_version(root: Path, pkg: str) -> str | None:
    """Read the version from usr/share/doc/<pkg>/changelog.Debian.gz of an extracted package."""
    cl = root / "usr/share/doc" / pkg / "changelog.Debian.gz"
    if not cl.exists():
        return None
    with gzip.open(cl, "rt", encoding="utf-8") as fh:
        first = fh.readline()
    # "fonts-noto-cjk (1:20220127+repack1-1) unstable; urgency=medium"
    if "(" in first and ")" in first:
        return first.split("(", 1)[1].split(")", 1)[0]
    return None


def check_versions(roots: dict[str, Path]) -> None:
    import fontTools

    for pkg, root in roots.items():
        v = package_version(root, pkg)
        if v != PACKAGES[pkg]:
            print(f"WARNING: {pkg} is {v}, committed files come from {PACKAGES[pkg]}", file=sys.stderr)
    if fontTools.version != FONTTOOLS_VERSION:
        print(f"WARNING: fontTools {fontTools.version}, committed files were made with "
              f"{FONTTOOLS_VERSION}; bytes may differ", file=sys.stderr)


def buildinfo(roots: dict[str, Path]) -> str:
    """The inputs that decide the bytes of the fonts (written to BUILDINFO)."""
    import fontTools

    lines = ["# Inputs of make_fonts.py for the font files in this folder; --check compares.\n"]
    for pkg in sorted(roots):
        lines.append(f"deb {pkg} {package_version(roots[pkg], pkg)}\n")
    lines.append(f"pypi fonttools {fontTools.version}\n")
    return "".join(lines)


# ---------------------------------------------------------------------------


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build(out: Path, roots: dict[str, Path], black: bool) -> list[Path]:
    produced = []
    freq = han_frequencies(roots["python3-jieba"])
    fandol = roots["texlive-lang-chinese"] / FANDOL_DIR
    for name in FANDOL_FILES:
        write_reordered((fandol / name).read_bytes(), out / name, freq)
        produced.append(out / name)
    noto = roots["fonts-noto-cjk"] / NOTO_DIR
    # The fallback face is there for what the Fandol faces lack: that comes before level 1.
    write_reordered(build_noto(noto / "NotoSerifCJK-Regular.ttc", "fallback"),
                    out / "NotoSerifCJKsc-Regular.otf", freq, promote=fandol_lacks(fandol, freq))
    write_reordered(build_noto(noto / "NotoSerifCJK-Bold.ttc", "title"),
                    out / "NotoSerifCJKsc-Bold.otf", freq)
    produced += [out / "NotoSerifCJKsc-Regular.otf", out / "NotoSerifCJKsc-Bold.otf"]
    if black:
        extra = roots["fonts-noto-cjk-extra"] / NOTO_DIR
        write_reordered(build_noto(extra / "NotoSerifCJK-Black.ttc", "title"),
                        out / "NotoSerifCJKsc-Black.otf", freq)
        produced.append(out / "NotoSerifCJKsc-Black.otf")
    return produced


def read_sums(sumfile: Path) -> dict[str, str]:
    ref = {}
    if sumfile.exists():
        for line in sumfile.read_text().splitlines():
            digest, name = line.split(maxsplit=1)
            ref[name.lstrip("*")] = digest
    return ref


def main() -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texlive", type=Path, help="dpkg -x root of texlive-lang-chinese")
    ap.add_argument("--noto", type=Path, help="dpkg -x root of fonts-noto-cjk")
    ap.add_argument("--jieba", type=Path, help="dpkg -x root of python3-jieba")
    ap.add_argument("--noto-extra", type=Path, help="dpkg -x root of fonts-noto-cjk-extra (only with --black)")
    ap.add_argument("--out", type=Path, default=here, help="output folder (default: this folder)")
    ap.add_argument("--black", action="store_true", help="also build NotoSerifCJKsc-Black.otf")
    ap.add_argument("--check", action="store_true",
                    help="build into a temp dir and compare with SHA256SUMS and BUILDINFO in this folder")
    args = ap.parse_args()

    needed = (["texlive-lang-chinese", "fonts-noto-cjk", "python3-jieba"]
              + (["fonts-noto-cjk-extra"] if args.black else []))
    given = {"texlive-lang-chinese": args.texlive, "fonts-noto-cjk": args.noto,
             "python3-jieba": args.jieba, "fonts-noto-cjk-extra": args.noto_extra}

    with tempfile.TemporaryDirectory(prefix="make_fonts.") as tmp:
        tmp = Path(tmp)
        missing = [p for p in needed if given[p] is None]
        roots = {p: given[p] for p in needed if given[p] is not None}
        if missing:
            roots.update(download_and_extract(tmp / "pkgs", missing))
        check_versions(roots)
        info = buildinfo({p: r for p, r in roots.items() if p != "fonts-noto-cjk-extra"})

        out = tmp / "out" if args.check else args.out
        out.mkdir(parents=True, exist_ok=True)
        produced = build(out, roots, args.black)
        sums = {p.name: sha256(p) for p in produced}

        sumfile = here / "SHA256SUMS"
        infofile = here / "BUILDINFO"
        if args.check:
            ref = read_sums(sumfile)
            bad = [n for n, d in sums.items() if n in ref and ref[n] != d]
            for n in sums:
                state = "OK" if ref.get(n) == sums[n] else ("DIFFERS" if n in ref else "not in SHA256SUMS")
                print(f"  {n}: {state}")
            committed = infofile.read_text() if infofile.exists() else ""
            if committed != info:
                bad.append("BUILDINFO")
                print("  BUILDINFO: DIFFERS\n--- committed\n" + committed + "--- this build\n" + info)
            else:
                print("  BUILDINFO: OK")
            return 1 if bad else 0
        if out.resolve() == here:
            # keep entries of files not rebuilt this time (e.g. an earlier --black build)
            old = {n: d for n, d in read_sums(sumfile).items() if (here / n).exists()}
            old.update(sums)
            sumfile.write_text("".join(f"{d}  {n}\n" for n, d in sorted(old.items())))
            infofile.write_text(info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
