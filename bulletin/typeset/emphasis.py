"""Bold 仿宋 for the `1.` headings: the face has no bold, so its glyphs are stroked.

GB/T 9704 sets third-level headings (`1.`) in 仿宋, and offices set them bold. FangSong
faces, ours included, come in one weight, and WeasyPrint 70 draws the glyphs of the
face it is given: asked for bold, it prints the regular face. `PATCH` wraps
`draw.draw_text` so that text whose computed weight is bold (600 or more) in a family
listed in `STROKED_FAMILIES` is drawn in text rendering mode 2 (fill, then stroke) with
a stroke of `STROKE_EM` of its size in the text's colour, inside its own graphics state
(`q … Q`): what a word processor's "synthetic bold" does. Advances are unchanged, so
the line layout is exactly that of the regular face.
"""

from __future__ import annotations

from ..patches import Patch, Replacement

SUPPORTED_WEASYPRINT = "70.0"

STROKED_FAMILIES = frozenset(("Bulletin FangSong",))
BOLD = 600
STROKE_EM = 0.035  # of the font size: about the stem difference of a bold 仿宋
FILL_THEN_STROKE = 2  # PDF text rendering mode


def stroked(style) -> bool:
    families = style["font_family"] or ()
    return style["font_weight"] >= BOLD and bool(families) and families[0] in STROKED_FAMILIES


def _make_draw_text(original):
    def draw_text(stream, textbox, *args, **kwargs):
        if not stroked(textbox.style):
            return original(stream, textbox, *args, **kwargs)
        with stream.stacked():
            stream.set_color(textbox.style["color"], stroke=True)
            stream.set_line_width(textbox.style["font_size"] * STROKE_EM)
            stream.set_text_rendering(FILL_THEN_STROKE)
            return original(stream, textbox, *args, **kwargs)

    return draw_text


def _weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _replacements():
    from weasyprint import draw

    # draw/__init__.py calls the name it imported from draw/text.py.
    return [Replacement(draw, "draw_text", _make_draw_text)]


PATCH = Patch("bulletin.typeset.emphasis", "WeasyPrint", SUPPORTED_WEASYPRINT,
              _weasyprint_version, _replacements)


def install() -> None:
    """Patch WeasyPrint (once per process); refuses any WeasyPrint but 70.0."""
    PATCH.install()


def uninstall() -> None:
    PATCH.uninstall()
