#!/usr/bin/env python3
"""Regenerate the fonts bundled in this folder from Debian 12 (bookworm) packages.

What it does
------------
* Copies four Fandol fonts unchanged from ``texlive-lang-chinese``
  (FandolFang/Hei/Kai/Song-Regular.otf).
* Extracts the Simplified-Chinese ("SC") face from ``NotoSerifCJK-Regular.ttc``
  and ``NotoSerifCJK-Bold.ttc`` (package ``fonts-noto-cjk``) and subsets it with
  fontTools into ``NotoSerifCJKsc-Regular.otf`` (fallback face) and
  ``NotoSerifCJKsc-Bold.otf`` (masthead / titles).
* Optionally (``--black``) also builds ``NotoSerifCJKsc-Black.otf`` from
  ``fonts-noto-cjk-extra`` with the Bold character set.  Not shipped by default.
* Writes ``SHA256SUMS`` for the produced font files; ``--check`` compares a
  fresh build against it instead of overwriting anything.

Usage
-----
    python3 make_fonts.py                      # apt-get download + dpkg -x into a temp dir
    python3 make_fonts.py --texlive X --noto Y # use already extracted packages (dpkg -x roots)
    python3 make_fonts.py --check              # rebuild in a temp dir and compare with SHA256SUMS

Requirements: Debian/Ubuntu with apt-get and dpkg-deb (only when downloading),
and fontTools (the committed files were made with the version in
``FONTTOOLS_VERSION``; another version may produce different bytes).

Byte-for-byte reproducibility: the subsetter is deterministic, and the
``head.modified`` timestamp is kept from the source font (no recalculation),
so the same package versions + the same fontTools version give identical files.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Versions the committed files were built from (Debian 12 "bookworm").
PACKAGES = {
    "texlive-lang-chinese": "2022.20230122-1",
    "fonts-noto-cjk": "1:20220127+repack1-1",
    "fonts-noto-cjk-extra": "1:20220127+repack1-1",  # only for --black
}
FONTTOOLS_VERSION = "4.68.0"

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


def build_noto(ttc_path: Path, out_path: Path, kind: str) -> None:
    from fontTools import subset

    font = pick_sc_face(ttc_path)
    font.recalcTimestamp = False  # keep head.modified from the source => reproducible bytes
    cmap = font.getBestCmap()
    cps = sorted(cp for cp in wanted_codepoints(kind) if cp in cmap)
    prune_language_systems(font)
    sub = subset.Subsetter(subset_options())
    sub.populate(unicodes=cps)
    sub.subset(font)
    tmp = out_path.with_suffix(".tmp")
    font.save(str(tmp))
    os.replace(tmp, out_path)
    print(f"  {out_path.name}: {len(cps)} code points, "
          f"{font['maxp'].numGlyphs} glyphs, {out_path.stat().st_size} bytes")


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


# ---------------------------------------------------------------------------


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build(out: Path, roots: dict[str, Path], black: bool) -> list[Path]:
    produced = []
    fandol = roots["texlive-lang-chinese"] / FANDOL_DIR
    for name in FANDOL_FILES:
        shutil.copyfile(fandol / name, out / name)
        produced.append(out / name)
        print(f"  {name}: copied unchanged")
    noto = roots["fonts-noto-cjk"] / NOTO_DIR
    build_noto(noto / "NotoSerifCJK-Regular.ttc", out / "NotoSerifCJKsc-Regular.otf", "fallback")
    build_noto(noto / "NotoSerifCJK-Bold.ttc", out / "NotoSerifCJKsc-Bold.otf", "title")
    produced += [out / "NotoSerifCJKsc-Regular.otf", out / "NotoSerifCJKsc-Bold.otf"]
    if black:
        extra = roots["fonts-noto-cjk-extra"] / NOTO_DIR
        build_noto(extra / "NotoSerifCJK-Black.ttc", out / "NotoSerifCJKsc-Black.otf", "title")
        produced.append(out / "NotoSerifCJKsc-Black.otf")
    return produced


def main() -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texlive", type=Path, help="dpkg -x root of texlive-lang-chinese")
    ap.add_argument("--noto", type=Path, help="dpkg -x root of fonts-noto-cjk")
    ap.add_argument("--noto-extra", type=Path, help="dpkg -x root of fonts-noto-cjk-extra (only with --black)")
    ap.add_argument("--out", type=Path, default=here, help="output folder (default: this folder)")
    ap.add_argument("--black", action="store_true", help="also build NotoSerifCJKsc-Black.otf")
    ap.add_argument("--check", action="store_true",
                    help="build into a temp dir and compare with SHA256SUMS in this folder")
    args = ap.parse_args()

    needed = ["texlive-lang-chinese", "fonts-noto-cjk"] + (["fonts-noto-cjk-extra"] if args.black else [])
    given = {"texlive-lang-chinese": args.texlive, "fonts-noto-cjk": args.noto,
             "fonts-noto-cjk-extra": args.noto_extra}

    with tempfile.TemporaryDirectory(prefix="make_fonts.") as tmp:
        tmp = Path(tmp)
        missing = [p for p in needed if given[p] is None]
        roots = {p: given[p] for p in needed if given[p] is not None}
        if missing:
            roots.update(download_and_extract(tmp / "pkgs", missing))
        check_versions(roots)

        out = tmp / "out" if args.check else args.out
        out.mkdir(parents=True, exist_ok=True)
        produced = build(out, roots, args.black)
        sums = {p.name: sha256(p) for p in produced}

        sumfile = here / "SHA256SUMS"
        if args.check:
            ref = {}
            for line in sumfile.read_text().splitlines():
                digest, name = line.split(maxsplit=1)
                ref[name.lstrip("*")] = digest
            bad = [n for n, d in sums.items() if n in ref and ref[n] != d]
            for n in sums:
                print(f"  {n}: {'OK' if ref.get(n) == sums[n] else 'DIFFERS'}")
            return 1 if bad else 0
        if out.resolve() == here:
            # keep entries of files not rebuilt this time (e.g. an earlier --black build)
            old = {}
            if sumfile.exists():
                for line in sumfile.read_text().splitlines():
                    digest, name = line.split(maxsplit=1)
                    if (here / name).exists():
                        old[name] = digest
            old.update(sums)
            sumfile.write_text("".join(f"{d}  {n}\n" for n, d in sorted(old.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
