"""Chinese line layout for WeasyPrint 70: a small extension, not a fork.

WeasyPrint justifies only by stretching spaces and breaks lines with Pango's
UAX #14 rules. Following clreq (https://www.w3.org/TR/clreq/), this module adds,
for text whose `lang` is Chinese:

- inter-character justification: the slack of a justified line goes first to the
  gaps between Han characters and Latin letters or digits (up to ¼ em each), then
  evenly to every gap between characters;
- punctuation compression: when a closing mark would start a line, it is kept at the
  end of the line before and the line is squeezed by setting full-width marks in
  half their width, instead of pushing a character down;
- no Han character alone on a paragraph's last line;
- optionally, curly quotes set in half their width (the font's `halt` feature), as
  Word sets them in its Western font.

Break opportunities around quotes and dashes are added to the text itself (see
`linebreak.py`). Everything here is keyed on WeasyPrint's own functions named
below; `install()` checks the pinned version before patching anything.

How it hooks in:
- `layout.inline.split_first_line` is wrapped to squeeze marks and avoid a lone
  last character;
- `layout.inline.text_align` is wrapped to justify Chinese lines, and to compress
  an overfull line;
- `draw.text.draw_first_line` is wrapped to apply the per-character advances that
  justification decided to the glyphs Pango laid out;
- `text.line_break.Layout.set_text` is wrapped to switch `halt` on for quotes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .. import chinese
from ..chinese import CLOSING_MARKS, DASH, OPENING, QUOTES, ZERO_WIDTH, is_han

SUPPORTED_WEASYPRINT = "70.0"

# Han, and the marks whose glyph sits in one half of the em box (the other half may be
# trimmed): bulletin.chinese. In the body a dash never starts a line either (linebreak.py
# joins it to what comes before); what prints nothing is no glyph of a line.
OPENING_MARKS = OPENING
NO_LINE_START = chinese.NO_LINE_START | {DASH}
INVISIBLE = ZERO_WIDTH
LATIN = re.compile(r"[0-9A-Za-z%.\-+/]")

MAX_LATIN_GAP = 0.25  # em: extra space at a Han–Latin boundary before other gaps grow
# The module's state (OPTIONS, _line_room) is defined with PATCH, at the end.


def is_chinese(style) -> bool:
    lang = style["lang"] or ""
    return lang.lower().startswith("zh")


# --- the justification plan --------------------------------------------------------


@dataclass
class Glyph:
    """One visible character of a line, and what justification adds after it."""

    box: object  # the TextBox it belongs to
    index: int  # character index in box.text
    char: str
    em: float  # font size, pt
    advance: float = 0.0  # pt added to (or, if negative, removed from) its advance
    shift: float = 0.0  # pt its glyph moves along the line (opening marks trimmed)


def line_glyphs(box, boxes_module) -> list[Glyph]:
    """The visible characters of a line, in order."""
    found: list[Glyph] = []
    if isinstance(box, boxes_module.TextBox):
        for index, ch in enumerate(box.text):
            if ch not in INVISIBLE:
                found.append(Glyph(box, index, ch, box.style["font_size"]))
    elif isinstance(box, (boxes_module.LineBox, boxes_module.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                found.extend(line_glyphs(child, boxes_module))
    return found


def is_half_width(glyph: Glyph) -> bool:
    return OPTIONS.half_width_quotes and glyph.char in QUOTES


def plan_expansion(glyphs: list[Glyph], extra: float) -> float:
    """Spread `extra` pt over the gaps between `glyphs` (clreq order).

    Returns what each gap between characters gained (after the Han–Latin boundaries
    took their share), in pt.
    """
    gaps = glyphs[:-1]
    if not gaps or extra <= 0:
        return 0.0
    boundaries = [g for g, nxt in zip(glyphs, glyphs[1:])
                  if (is_han(g.char) and LATIN.match(nxt.char))
                  or (LATIN.match(g.char) and is_han(nxt.char))]
    if boundaries:
        share = min(extra / len(boundaries), MAX_LATIN_GAP * boundaries[0].em)
        for glyph in boundaries:
            glyph.advance += share
        extra -= share * len(boundaries)
    if extra <= 1e-6:
        return 0.0
    share = extra / len(gaps)
    for glyph in gaps:
        glyph.advance += share
    return share


def plan_compression(glyphs: list[Glyph], excess: float) -> float:
    """Trim full-width marks to half width until `excess` pt is absorbed.

    A closing mark at the line end is set in half width outright (clreq allows it at
    every line end); then the other marks, from the end backwards, give what is still
    needed. Returns what is left: positive if the marks could not absorb it all,
    negative if the line end made more room than needed.
    """
    if not glyphs:
        return excess
    end = glyphs[-1]
    if end.char in CLOSING_MARKS and not is_half_width(end):
        end.advance -= end.em / 2
        excess -= end.em / 2
    for glyph in reversed(glyphs[:-1]):
        if excess <= 1e-6:
            break
        if is_half_width(glyph):
            continue
        trim = min(glyph.em / 2, excess)
        if glyph.char in CLOSING_MARKS:
            glyph.advance -= trim
        elif glyph.char in OPENING_MARKS:
            glyph.advance -= trim
            glyph.shift -= trim
        else:
            continue
        excess -= trim
    return excess


_MARKS = re.compile("[" + re.escape("".join(sorted(CLOSING_MARKS | OPENING_MARKS))) + "]")
_MARKS_NO_QUOTES = re.compile(
    "[" + re.escape("".join(sorted((CLOSING_MARKS | OPENING_MARKS) - QUOTES))) + "]")
_QUOTE = re.compile("[" + "".join(sorted(QUOTES)) + "]")


def compressible_width(text: str, em: float) -> float:
    """Room the full-width marks of `text` make when set in half width."""
    marks = _MARKS_NO_QUOTES if OPTIONS.half_width_quotes else _MARKS
    return len(marks.findall(text)) * em / 2


def apply_plan(box, boxes_module, x_advance: float = 0.0) -> float:
    """Move and widen boxes by what their glyphs gained; like WeasyPrint's add_word_spacing."""
    if isinstance(box, boxes_module.TextBox):
        box.position_x += x_advance
        adjust = getattr(box, "cjk_adjust", None)
        # A squeezed box was reported narrower than its glyphs: the squeeze is paid back.
        gained = squeeze_of(box)
        if adjust:
            gained += sum(advance for advance, _ in adjust.values())
        if gained:
            box.width += gained
            x_advance += gained
    elif isinstance(box, (boxes_module.LineBox, boxes_module.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = apply_plan(child, boxes_module, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


def squeeze_of(box) -> float:
    return getattr(getattr(box, "pango_layout", None), "cjk_squeeze", 0.0)


def line_squeeze(box, boxes_module) -> float:
    if isinstance(box, boxes_module.TextBox):
        return squeeze_of(box)
    if isinstance(box, (boxes_module.LineBox, boxes_module.InlineBox)):
        return sum(line_squeeze(child, boxes_module) for child in box.children
                   if child.is_in_normal_flow())
    return 0.0


def record_plan(glyphs: list[Glyph]) -> None:
    for glyph in glyphs:
        if glyph.advance or glyph.shift:
            adjust = getattr(glyph.box, "cjk_adjust", None)
            if adjust is None:
                adjust = glyph.box.cjk_adjust = {}
            advance, shift = adjust.get(glyph.index, (0.0, 0.0))
            adjust[glyph.index] = (advance + glyph.advance, shift + glyph.shift)


# --- the WeasyPrint hooks ----------------------------------------------------------


def _make_text_align(original, boxes_module):
    def text_align(context, line, available_width, last):
        if not is_chinese(line.style):
            return original(context, line, available_width, last)
        align = line.style["text_align_all"]
        if last:
            align_last = line.style["text_align_last"]
            align = align if align_last == "auto" else align_last
        glyphs = line_glyphs(line, boxes_module)
        justified = line.style["text_align_all"] == "justify"
        natural_width = line.width + line_squeeze(line, boxes_module)
        if justified and natural_width > available_width + 0.01 and glyphs:
            # A line squeezed by split_first_line: compress its marks.
            left = plan_compression(glyphs, natural_width - available_width)
            if left < -0.01 and not last:
                plan_expansion(glyphs, -left)
            elif left > 0.01 and len(glyphs) > 1:
                # Not enough marks after all: tighten every gap a little.
                for glyph in glyphs[:-1]:
                    glyph.advance -= left / (len(glyphs) - 1)
            record_plan(glyphs)
            apply_plan(line, boxes_module)
            return 0
        if align != "justify" or last or line.width >= available_width or not glyphs:
            return original(context, line, available_width, last)
        share = plan_expansion(glyphs, available_width - line.width)
        # What the preflight reads: how far the characters of this line were spread.
        line.cjk_spread = share / line.style["font_size"]
        record_plan(glyphs)
        apply_plan(line, boxes_module)
        return 0

    return text_align


def _make_split_first_line(original, line_break):
    def primary_metrics(style):
        """Height and baseline of a line of Han characters in the style's first font."""
        cache = style.font_config.__dict__.setdefault("cjk_metrics", {})
        key = line_break._font_style_cache_key(style, include_size=True)
        if key not in cache:
            layout = line_break.Layout(style)
            layout.set_text("中")
            line, _ = layout.get_first_line()
            metrics = line_break.first_line_metrics(line, "中", layout, resume_at=None,
                                                    space_collapse=False, style=style)
            cache[key] = metrics[4], metrics[5]
        return cache[key]

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        result = _split_first_line(text, style, context, max_width, justification_spacing,
                                   is_line_start, minimum)
        if is_chinese(style) and style["font_size"]:
            # A character from the fallback font must not make its line taller: every
            # line of a style keeps the vertical metrics of its first font, on the grid.
            height, baseline = primary_metrics(style)
            result = (*result[:4], height, baseline)
            placed = text.encode()[: result[1]].decode()
            _line_room[0] += compressible_width(placed, style["font_size"])
        return result

    def _split_first_line(text, style, context, max_width, justification_spacing,
                          is_line_start, minimum):
        result = original(text, style, context, max_width, justification_spacing,
                          is_line_start=is_line_start, minimum=minimum)
        if (minimum or max_width is None or max_width == float("inf")
                or not is_chinese(style) or style["white_space"] != "normal"):
            return result
        layout, length, resume_index, width, height, baseline = result
        if resume_index is None:
            return result
        encoded = text.encode()
        first, rest = encoded[:resume_index].decode(), encoded[resume_index:].decode()
        em = style["font_size"]

        squeezed = _squeeze(original, text, first, rest, style, context, max_width,
                            justification_spacing, is_line_start, width, em)
        if squeezed is not None:
            result = squeezed
            layout, length, resume_index, width, height, baseline = result
            if resume_index is None:
                return result
            encoded = text.encode()
            rest = encoded[resume_index:].decode()
            first = encoded[:resume_index].decode()

        if _lone_last_character(rest) and len(_visible(first)) > 2:
            # Take one more character down, so that the last line holds two. (Squeezing
            # the lone character up instead saves a line the printed issue does not.)
            last = _visible(first)[-1]
            # Narrower than the line as set, not than the column: a line that ended early
            # at a space (`2345 条。`) would otherwise break at the same place again.
            narrower = min(max_width, width) - em * (0.5 if last in QUOTES else 1.0) - 0.01
            retry = original(text, style, context, narrower, justification_spacing,
                             is_line_start=is_line_start, minimum=minimum)
            if retry[2] is not None and retry[2] < resume_index:
                return retry
        return result

    return split_first_line


def _visible(text: str) -> str:
    return "".join(ch for ch in text if ch not in INVISIBLE and not ch.isspace())


def _lone_last_character(rest: str) -> bool:
    if len(rest) > 16:  # a lone character and its marks are a few characters at most
        return False
    visible = _visible(rest)
    body = visible.rstrip("".join(NO_LINE_START | QUOTES))
    return len(body) == 1 and is_han(body)


def _squeeze(original, text, first, rest, style, context, max_width,
             justification_spacing, is_line_start, width, em):
    """Keep on this line what a 禁则 pushed to the next one, setting marks in half width.

    Pango ends a line early when the character that would fit is followed by a closing
    mark (which may not start a line) or is an opening mark (which may not end one).
    Where the line's full-width marks, set in half width, make room for the pushed-down
    characters, they stay on the line instead (clreq's "push in").
    """
    extension = _pushed_down(rest.lstrip("".join(chinese.BREAK_HINTS)))
    if not extension:
        return None
    if width + _advance(extension[0], style, em) > max_width + 0.01:
        return None  # the line is full: nothing was pushed down
    excess = width + sum(_advance(ch, style, em) for ch in extension) - max_width
    if excess <= 0 or excess > compressible_width(first + extension, em) + _line_room[0]:
        return None
    # A little more room than needed: not enough to let in another character.
    wider = original(text, style, context, max_width + excess + 0.3, justification_spacing,
                     is_line_start=is_line_start)
    wider_first = text.encode()[: wider[2]].decode() if wider[2] is not None else text
    if _visible(wider_first) != _visible(first + extension):
        return None
    # Report the width the line will have once squeezed, so that WeasyPrint keeps it
    # whole; text_align squeezes it by what the layout remembers.
    layout, length, resume_index, wider_width, height, baseline = wider
    squeeze = wider_width - max_width
    layout.cjk_squeeze = max(squeeze, 0.0)
    return layout, length, resume_index, wider_width - layout.cjk_squeeze, height, baseline


def _advance(ch: str, style, em: float) -> float:
    spacing = style["letter_spacing"]
    spacing = 0 if spacing == "normal" else spacing
    return (em / 2 if (OPTIONS.half_width_quotes and ch in QUOTES) else em) + spacing


def _pushed_down(rest: str) -> str:
    """The shortest start of `rest` after which a line may break, if 禁则 decide it."""
    index = 0
    while index < len(rest) and rest[index] in OPENING_MARKS:
        index += 1
    if index >= len(rest) or rest[index].isspace() or rest[index] in NO_LINE_START:
        return ""
    opened = index > 0
    index += 1
    while index < len(rest) and (rest[index] in NO_LINE_START or rest[index] in INVISIBLE):
        index += 1
    extension = "".join(ch for ch in rest[:index] if ch not in INVISIBLE)
    if not opened and len(extension) == 1:
        return ""  # nothing forbade the break
    return extension if len(extension) <= 4 else ""


def _make_split_inline_box(original, boxes_module):
    def split_inline_box(context, box, *args, **kwargs):
        if isinstance(box, boxes_module.LineBox):
            _line_room[0] = 0.0  # a new line, or a new attempt at one
        return original(context, box, *args, **kwargs)

    return split_inline_box


def _make_draw_first_line(original, pango, ffi, from_units, get_pango_font_key):
    ink, logical = ffi.new("PangoRectangle *"), ffi.new("PangoRectangle *")

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        if is_chinese(textbox.style) and textbox.text.strip():
            layout = textbox.pango_layout
            # Set now what the original sets: changing it later would lay out anew.
            pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
            by_byte = {}
            for index, (advance, shift) in (getattr(textbox, "cjk_adjust", None) or {}).items():
                by_byte[len(layout.text[:index].encode())] = (advance, shift)
            first_line, _ = layout.get_first_line()
            _settle_glyphs(first_line, by_byte, pango, ffi, from_units, get_pango_font_key,
                           ink, logical)
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)

    return draw_first_line


def _settle_glyphs(first_line, by_byte, pango, ffi, from_units, get_pango_font_key,
                   ink, logical):
    """Give each glyph its justified advance, in numbers WeasyPrint writes exactly.

    WeasyPrint writes a glyph's advance as a whole number of thousandths of an em
    (truncated) and reads x offsets as if Pango units were thousandths: over a line of
    28 characters, truncation alone drifts by a third of a point. Here every glyph gets
    a width such that the advance WeasyPrint writes is the rounded running total of
    the exact advances, so the line ends where the layout says.
    """
    exact = 0.0  # thousandths of an em, since the line start
    written = 0
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        pango_font = glyph_item.item.analysis.font
        _, _, font_size = get_pango_font_key(pango_font)
        if not font_size:
            continue
        scale = 1000 * from_units / font_size  # Pango units → thousandths of an em
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        offset = glyph_item.item.offset
        clusters = glyphs.log_clusters
        for i in range(count):
            info = glyphs.glyphs[i]
            geometry = info.geometry
            start = offset + clusters[i]
            if start in by_byte and (i == 0 or clusters[i - 1] != clusters[i]):
                advance, shift = by_byte[start]
                last = i
                while last + 1 < count and clusters[last + 1] == clusters[i]:
                    last += 1
                glyphs.glyphs[last].geometry.width += round(advance / from_units)
                if shift:
                    geometry.x_offset += round(shift / from_units)
            if info.glyph == pango.PANGO_GLYPH_EMPTY or info.glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                continue
            exact += geometry.width * scale
            wanted = round(exact) - written
            written += wanted
            x_offset = 0
            if geometry.x_offset:
                # WeasyPrint reads x_offset / font_size as thousandths of an em.
                # Rounded towards zero, so a glyph never moves past its neighbour.
                geometry.x_offset = int(round(geometry.x_offset * scale) * font_size)
                x_offset = geometry.x_offset / font_size
            pango.pango_font_get_glyph_extents(pango_font, info.glyph, ink, logical)
            logical_width = round(logical.width * 1000 * from_units / font_size)
            kerning = round(logical_width + x_offset - wanted)
            target = (logical_width + x_offset - kerning) / scale
            # WeasyPrint truncates (logical + offset − width·scale) towards zero.
            geometry.width = math.floor(target) if kerning >= 0 else math.ceil(target)


def _make_set_text(original, pango, ffi):
    def set_text(self, text, justify=False):
        original(self, text, justify)
        if not (OPTIONS.half_width_quotes and self.text and is_chinese(self.style)):
            return
        quotes = [match.start() for match in _QUOTE.finditer(self.text)]
        if not quotes:
            return
        attr_list = pango.pango_layout_get_attributes(self.layout)
        if attr_list == ffi.NULL:
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        for index in quotes:
            start = len(self.text[:index].encode())
            attr = pango.pango_attr_font_features_new(b"halt")
            attr.start_index, attr.end_index = start, start + 3  # a curly quote: 3 bytes
            pango.pango_attr_list_insert(attr_list, attr)
        pango.pango_layout_set_attributes(self.layout, attr_list)

    return set_text


# --- installing: the patch and the module's state -----------------------------------

from ..patches import Patch, Replacement  # noqa: E402


@dataclass
class Options:
    half_width_quotes: bool = True


# State of the installed patch, put back by uninstall(): the options, and the room that
# half-width marks make in the boxes already placed on the line being laid out (a run-in
# heading before its paragraph's text, say): split_first_line sees one box.
OPTIONS = Options()
_line_room = [0.0]


def _reset() -> None:
    OPTIONS.half_width_quotes = Options.half_width_quotes
    _line_room[0] = 0.0


def _weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _replacements() -> list[Replacement]:
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    from weasyprint.text.fonts import get_pango_font_key

    return [
        Replacement(inline, "text_align", lambda original: _make_text_align(original, boxes)),
        Replacement(inline, "split_first_line",
                    lambda original: _make_split_first_line(original, line_break)),
        Replacement(inline, "split_inline_box",
                    lambda original: _make_split_inline_box(original, boxes)),
        Replacement(draw_text, "draw_first_line", lambda original: _make_draw_first_line(
            original, pango, ffi, FROM_UNITS, get_pango_font_key)),
        Replacement(line_break.Layout, "set_text",
                    lambda original: _make_set_text(original, pango, ffi)),
    ]


PATCH = Patch("bulletin.typeset.cjk", "WeasyPrint", SUPPORTED_WEASYPRINT, _weasyprint_version,
              _replacements, reset=_reset)


def install(half_width_quotes: bool = True) -> None:
    """Patch WeasyPrint (once per process); refuses any WeasyPrint but 70.0."""
    PATCH.install()
    OPTIONS.half_width_quotes = half_width_quotes


def uninstall() -> None:
    """Put WeasyPrint's own functions back, and the options and line state to their start."""
    PATCH.uninstall()
