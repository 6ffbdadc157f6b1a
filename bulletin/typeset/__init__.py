"""HTML → PDF with WeasyPrint: fonts, the file jail and CJK line layout.

WeasyPrint's import opens Pango, HarfBuzz and fontconfig through cffi, which asks
`ctypes.util.find_library` about 22 names: 86 processes, unless the library shim
(`libraries.py`) is installed first. Importing this package makes sure it is, whichever
bulletin module comes first: the first `import weasyprint` of the process, from any
module, installs the shim before WeasyPrint loads anything (`_ShimFirst`, at the head of
`sys.meta_path`; it also defers WeasyPrint's fontTools imports to their first use,
`deferred.py`, has its C declarations loaded compiled, `declarations.py`, and does
nothing at all for other imports). Nothing in `typeset/` imports
WeasyPrint when it is imported itself.

`load_weasyprint()` is the one way a render gets WeasyPrint: the shim, WeasyPrint, then
the patches of its layout (`cjk.py`, `grid.py`), drawing (`emphasis.py`), tagging
(`tagging.py`) and font embedding (`barecff.py`), in that order.
"""

from __future__ import annotations

import sys


class _ShimFirst:
    """A meta path finder that installs the shim when WeasyPrint comes, and gives
    WeasyPrint's own spec with a loader that defers fontTools (`deferred.py`) where that
    is supported; it finds nothing else."""

    done = False

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if not cls.done and fullname.partition(".")[0] == "weasyprint":
            cls.done = True
            from . import libraries

            libraries.install()
            from . import declarations

            declarations.install()  # WeasyPrint's C declarations, compiled (if a cache is set)
            if fullname == "weasyprint":
                from . import deferred

                return deferred.weasyprint_spec()  # None: as usual, by the next finder
        return None  # the import goes on, with the next finder


if "weasyprint" not in sys.modules and not any(
        getattr(finder, "__qualname__", None) == _ShimFirst.__qualname__
        and getattr(finder, "__module__", None) == __name__ for finder in sys.meta_path):
    sys.meta_path.insert(0, _ShimFirst)


def load_weasyprint():
    """WeasyPrint, with everything a render needs installed, in order; returns the module.

    Raises RuntimeError if WeasyPrint is not the version the layout patches support.
    Run `fonts.isolate_fontconfig` first: WeasyPrint's import already loads a fontconfig
    configuration (to check that it has fonts), which should be ours, not the system's.
    """
    from . import libraries

    libraries.install()  # 1. before WeasyPrint opens its libraries (no-op if done)
    import weasyprint  # 2.

    from . import barecff, cjk, emphasis, grid, tagging

    cjk.install()  # 3. the Chinese line layout,
    grid.install()  # 4. blocks rounded to the grid,
    emphasis.install()  # 5. bold 仿宋 stroked,
    tagging.install()  # 6. the tagged PDF's structure tree (nothing without tags),
    barecff.install()  # 7. fonts embedded as bare CFF, without empty glyph slots
    return weasyprint
