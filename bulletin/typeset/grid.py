"""The GB/T 9704 grid, and blocks that WeasyPrint rounds up to it.

Body lines are 28.95 pt apart and a page's first grid line starts at the top of the
column (37 mm). A block of another height (page 1's masthead and 要目, a table, a
figure, a list) would push every line after it off the grid; a block marked with the
class `on-grid` is made taller at its foot, once laid out, until its bottom edge lies on
a grid line, so that what follows it starts on the grid again. CSS has no such property
that WeasyPrint 70 implements (`block-step-size` is a draft); `PATCH` wraps
`layout.block.block_container_layout` for it, on the pinned version only.
"""

from __future__ import annotations

import math

from ..patches import Patch, Replacement

SUPPORTED_WEASYPRINT = "70.0"

PT = 4 / 3  # CSS px per point: WeasyPrint lays out in px
MM = 96 / 25.4
LINE_PITCH_PT = 28.95  # templates/print.css: html { line-height }
COLUMN_TOP_MM = 37  # templates/page.css: @page { margin-top }
COLUMN_BOTTOM_MM = 297 - 35
LINES_PER_PAGE = 22
SNAP_CLASS = "on-grid"

PITCH = LINE_PITCH_PT * PT
ORIGIN = COLUMN_TOP_MM * MM
_EPSILON = 0.01  # px: rounding of the layout itself


def grid_line_at_or_below(y: float) -> float:
    """The first grid line at or below `y` (px from the top of the page)."""
    steps = math.ceil((y - ORIGIN) / PITCH - _EPSILON / PITCH)
    return ORIGIN + steps * PITCH


def on_grid(y: float, tolerance: float = 0.1 * PT) -> bool:
    steps = round((y - ORIGIN) / PITCH)
    return abs(ORIGIN + steps * PITCH - y) <= tolerance


def marked(box) -> bool:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "pseudo_type", None) is not None:
        return False
    return SNAP_CLASS in (element.get("class") or "").split()


COLUMN_BOTTOM = COLUMN_BOTTOM_MM * MM


def snap(box) -> None:
    """Make `box` taller so that its bottom border edge lies on a grid line, but never
    past the column's foot: a block that ends between the last grid line and the foot
    (0.9 pt) ends the page, and rounding it up would push it to the next one."""
    bottom = box.border_box_y() + box.border_height()
    box.height += max(min(grid_line_at_or_below(bottom), COLUMN_BOTTOM), bottom) - bottom


def _make_block_container_layout(original):
    def block_container_layout(context, box, *args, **kwargs):
        result = original(context, box, *args, **kwargs)
        new_box, resume_at = result[0], result[1]
        # A block split at a page foot is snapped where its last part ends.
        if new_box is not None and resume_at is None and marked(new_box):
            snap(new_box)
        return result

    return block_container_layout


def _weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _replacements():
    from weasyprint.layout import block

    return [Replacement(block, "block_container_layout", _make_block_container_layout)]


PATCH = Patch("bulletin.typeset.grid", "WeasyPrint", SUPPORTED_WEASYPRINT,
              _weasyprint_version, _replacements)


def install() -> None:
    """Patch WeasyPrint (once per process); refuses any WeasyPrint but 70.0."""
    PATCH.install()


def uninstall() -> None:
    PATCH.uninstall()
