"""Fonts embedded as bare CFF without empty glyph slots: a tenth of the PDF.

WeasyPrint 70 embeds each CFF-based OpenType font as a whole OpenType file
(`/FontFile3 /Subtype /OpenType`), subset with HarfBuzz keeping glyph ids
(`RETAIN_GIDS`): the subset keeps a slot for every glyph up to the last one used, and
the OpenType tables around the CFF (`cmap`, `hmtx`, `vmtx`, `name`, …) that a PDF reader
does not use. For issue 23 that is 450 KB of its 468 KB.

The bulletin's faces are CID-keyed CFF (`Adobe-Identity-0`), whose charset gives each
glyph its CID, the number a PDF's text (Identity-H) names it by. HarfBuzz subsetting
without `RETAIN_GIDS` numbers the kept glyphs 0, 1, 2, … and keeps each one's CID in the
charset. So the content streams need no change at all: the subset's bare CFF table is
embedded as `/FontFile3 /Subtype /CIDFontType0C` (PDF 1.3, which PDF/A-1 allows), and a
reader finds each glyph by its CID as before. The widths (`/W`), the `ToUnicode` map
and the `CIDSet` are keyed by CID and stay as they were.

`PATCH` (WeasyPrint 70.0 only, like the others in `patches.py`) replaces:

- `Font._harfbuzz_subset`: for a CFF-based OpenType font with no glyph missing, no
  variation axes and no colour or bitmap glyphs, the compact subset; it is taken only if
  its CFF is CID-keyed `Adobe-Identity-0` and its charset gives each glyph exactly the CID
  (the glyph id) the text uses (`cids()`, read here, not assumed). Any other font, or any
  doubt, is subset as WeasyPrint does;
- `Font.type`: "otf" for a bare CFF too (it looked for `OTTO`);
- `pdf.build_fonts_dictionary`: a bare CFF's stream says `/CIDFontType0C`, not `/OpenType`.

Printed the same: every glyph's outline is the one WeasyPrint embedded, at the same
place; poppler and Ghostscript draw every page to the same pixels (pdfium smooths a bare
CFF's edges a little differently), the print shop's PDF/X-4 included
(tests/test_bare_cff.py).
"""

from __future__ import annotations

import struct

from ..patches import Patch, Replacement

SUPPORTED_WEASYPRINT = "70.0"
CFF_HEADER = b"\x01\x00\x04"  # CFF 1.0, a 4-byte header: what HarfBuzz writes
ROS_OPERATOR = (12, 30)
CHARSET_OPERATOR, CHARSTRINGS_OPERATOR = 15, 17
# WeasyPrint's list (pdf/fonts.py, `_harfbuzz_subset`).
DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
                  b"LTSH", b"PCLT", b"SVG ")
STANDARD_STRINGS = 391  # SIDs below are CFF's standard strings, none "Adobe" or "Identity"

state = {"compact": 0, "plain": 0}  # fonts embedded each way since the patch was installed


# --- reading a CFF: just what says which CID each glyph has ------------------------------


class CFFError(ValueError):
    """Not a CFF this module understands: the font is embedded as WeasyPrint does."""


def _index(data: bytes, at: int) -> tuple[list[bytes], int]:
    """The items of the CFF INDEX at `at`, and where the next structure starts."""
    if at + 2 > len(data):
        raise CFFError("INDEX past the end")
    (count,) = struct.unpack_from(">H", data, at)
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    if not 1 <= size <= 4:
        raise CFFError("INDEX offset size")
    start = at + 3
    offsets = [int.from_bytes(data[start + i * size:start + (i + 1) * size], "big")
               for i in range(count + 1)]
    base = start + (count + 1) * size - 1
    if offsets[0] != 1 or any(b < a for a, b in zip(offsets, offsets[1:])) \
            or base + offsets[-1] > len(data):
        raise CFFError("INDEX offsets")
    return [data[base + a:base + b] for a, b in zip(offsets, offsets[1:])], base + offsets[-1]


def _dict(data: bytes) -> dict:
    """A CFF DICT: operator (an int, or (12, n)) → its operands (numbers)."""
    found, operands, at = {}, [], 0
    while at < len(data):
        b0 = data[at]
        if b0 <= 21:
            if b0 == 12:
                if at + 1 >= len(data):
                    raise CFFError("DICT escape")
                operator, at = (12, data[at + 1]), at + 2
            else:
                operator, at = b0, at + 1
            found[operator], operands = operands, []
        elif b0 == 28:
            operands.append(struct.unpack_from(">h", data, at + 1)[0])
            at += 3
        elif b0 == 29:
            operands.append(struct.unpack_from(">i", data, at + 1)[0])
            at += 5
        elif b0 == 30:  # a real: nibbles up to 0xf; its value is not needed here
            at += 1
            while at < len(data) and (data[at] & 0x0F) != 0x0F and (data[at] >> 4) != 0x0F:
                at += 1
            at += 1
            operands.append(0.0)
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            at += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + data[at + 1] + 108)
            at += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - data[at + 1] - 108)
            at += 2
        else:
            raise CFFError("DICT operand")
    return found


def _charset(data: bytes, at: int, glyphs: int) -> list[int]:
    """The CID of each glyph (glyph 0, .notdef, is CID 0), from the charset at `at`."""
    cids, fmt, at = [0], data[at], at + 1
    while len(cids) < glyphs:
        if fmt == 0:
            cids.append(struct.unpack_from(">H", data, at)[0])
            at += 2
        elif fmt in (1, 2):
            first = struct.unpack_from(">H", data, at)[0]
            if fmt == 1:
                left, at = data[at + 2], at + 3
            else:
                left, at = struct.unpack_from(">H", data, at + 2)[0], at + 4
            cids.extend(range(first, first + left + 1))
        else:
            raise CFFError("charset format")
    if len(cids) != glyphs:
        raise CFFError("charset longer than the glyphs")
    return cids


def cids(data: bytes) -> tuple[tuple[str, str, int], list[int]]:
    """The (registry, ordering, supplement) of a CID-keyed CFF, and each glyph's CID.
    Raises CFFError for anything else (a name-keyed CFF, a truncated file, …)."""
    try:
        if data[:3] != CFF_HEADER:
            raise CFFError("not a CFF 1.0 table")
        _, at = _index(data, data[2])  # Name INDEX
        tops, at = _index(data, at)
        strings, _ = _index(data, at)
        if len(tops) != 1:
            raise CFFError("one font per CFF")
        top = _dict(tops[0])
        ros = top.get(ROS_OPERATOR)
        if not ros or len(ros) != 3 or min(ros[:2]) < STANDARD_STRINGS:
            raise CFFError("not CID-keyed")
        registry, ordering = (strings[sid - STANDARD_STRINGS].decode("latin-1")
                              for sid in ros[:2])
        charstrings = top.get(CHARSTRINGS_OPERATOR)
        charset = top.get(CHARSET_OPERATOR)
        if not charstrings or not charset or charset[0] <= 2:
            raise CFFError("no charstrings or a predefined charset")
        glyphs = struct.unpack_from(">H", data, charstrings[0])[0]
        return (registry, ordering, int(ros[2])), _charset(data, charset[0], glyphs)
    except (IndexError, struct.error) as exc:
        raise CFFError(f"truncated: {exc}") from None


# --- the subset ------------------------------------------------------------------------


def _qualifies(font) -> bool:
    return (font.file_content[:4] == b"OTTO" and not font.missing and not font.bitmap
            and "fvar" not in font.tables and not (font.png or font.svg or font.colr))


def compact_subset(font, gids: list[int], hinting: bool) -> bytes | None:
    """The bare CFF of `font` with the glyphs `gids` only, each under its own CID; None
    if HarfBuzz could not make it, or it is not what `cids()` must find."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    if harfbuzz_subset is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        return None
    wanted = sorted(set(gids) | {0})
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(),
                          harfbuzz_subset.hb_subset_input_destroy)
    if subset_input == ffi.NULL:
        return None
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    array = ffi.new(f"hb_codepoint_t[{len(wanted)}]", wanted)
    harfbuzz.hb_set_add_sorted_array(glyph_set, array, len(wanted))
    flags = (harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
             | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)  # as WeasyPrint's subset
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    # As WeasyPrint's subset: the layout tables go, so no glyph comes in by substitution.
    drop = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in DROPPED_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags),
                                     len(tags))
    face = harfbuzz_subset.hb_subset_or_fail(font.hb_face, subset_input)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
    try:
        length = ffi.new("unsigned int *")
        pointer = harfbuzz.hb_blob_get_data(blob, length)
        data = bytes(ffi.unpack(pointer, length[0])) if length[0] else b""
    finally:
        harfbuzz.hb_blob_destroy(blob)
    try:
        ros, found = cids(data)
    except CFFError:
        return None
    # Each glyph under its own CID, ascending as HarfBuzz numbers them, every one the text
    # names among them (a glyph more, pulled in by another, is harmless).
    if ros != ("Adobe", "Identity", 0) or any(b <= a for a, b in zip(found, found[1:])) \
            or not set(wanted) <= set(found):
        return None
    return data


def _make_harfbuzz_subset(original):
    def _harfbuzz_subset(self, to_unicode, hinting):
        if _qualifies(self):
            data = compact_subset(self, list(to_unicode), hinting)
            if data is not None:
                self.file_content = data
                state["compact"] += 1
                return
        state["plain"] += 1
        original(self, to_unicode, hinting)

    return _harfbuzz_subset


def _make_type(original):
    def type(self):  # noqa: A001 - WeasyPrint's name
        if self.file_content[:3] == CFF_HEADER:
            return "otf"
        return original.fget(self)

    return property(type)


def _make_build_fonts_dictionary(original):
    def build_fonts_dictionary(pdf, fonts, compress, subset, options):
        first = len(pdf.objects)
        result = original(pdf, fonts, compress, subset, options)
        for added in pdf.objects[first:]:
            chunks = getattr(added, "stream", None)
            extra = getattr(added, "extra", None)
            if chunks and extra is not None and extra.get("Subtype") == "/OpenType" \
                    and isinstance(chunks[0], bytes) and chunks[0][:3] == CFF_HEADER:
                extra["Subtype"] = "/CIDFontType0C"
        return result

    return build_fonts_dictionary


def _weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _replacements():
    import weasyprint.pdf as pdf
    from weasyprint.pdf import fonts

    return [Replacement(fonts.Font, "_harfbuzz_subset", _make_harfbuzz_subset),
            Replacement(fonts.Font, "type", _make_type),
            Replacement(pdf, "build_fonts_dictionary", _make_build_fonts_dictionary)]


def _reset() -> None:
    state.update(compact=0, plain=0)


PATCH = Patch("bulletin.typeset.barecff", "WeasyPrint", SUPPORTED_WEASYPRINT,
              _weasyprint_version, _replacements, reset=_reset)


def install() -> None:
    PATCH.install()


def uninstall() -> None:
    PATCH.uninstall()
