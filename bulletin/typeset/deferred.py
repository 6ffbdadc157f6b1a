"""WeasyPrint 70 without fontTools until WeasyPrint uses it: 85 ms of every cold build.

`weasyprint.pdf.fonts` and `weasyprint.text.fonts` import fontTools at their top
(`subset`, `TTFont`, `TTLibError`, `ttFont`, `instantiateVariableFont`, `woff2`), for
code that runs only where HarfBuzz cannot subset a font, for variable, colour and bitmap
fonts, fonts in PDF forms and WOFF `@font-face` fonts. A bulletin build meets none of
these (HarfBuzz subsets its static OpenType fonts, which Pango finds through fontconfig):
it never touches fontTools, yet importing it was a tenth of a cold build.

WeasyPrint's first import (`typeset._ShimFirst`, whichever module comes first) runs with
its own loader (`weasyprint_spec()`). While it runs, the five fontTools modules WeasyPrint names are stand-ins in
`sys.modules` that give, for those seven names and no other, a `Deferred`; right after,
the stand-ins are gone, so that any later `import fontTools` is the real one. The first
use of any `Deferred` (a call, an attribute) calls `resolve()`: it imports the real
fontTools and puts the real objects in both modules in place of every `Deferred`, which
leaves WeasyPrint exactly as a plain import would have (`except TTLibError` included:
every path of WeasyPrint 70 that may raise it calls `TTFont` or `subset` first).

Guarded like the patches (`bulletin/patches.py`): only for WeasyPrint 70.0 (read from its
`__init__.py`, not imported), only when neither WeasyPrint nor fontTools is imported yet;
should WeasyPrint ask the stand-ins for any other name, its import is undone and done
again without them. The PDF is the same bytes (tests/test_cold_start.py).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import importlib.util
import re
import sys
import threading
import types

SUPPORTED_WEASYPRINT = "70.0"

# Where WeasyPrint 70 takes each name from: (module, attribute or None for the module).
REAL = {
    "subset": ("fontTools.subset", None),
    "TTFont": ("fontTools.ttLib", "TTFont"),
    "TTLibError": ("fontTools.ttLib", "TTLibError"),
    "ttFont": ("fontTools.ttLib.ttFont", None),
    "woff2": ("fontTools.ttLib.woff2", None),
    "instantiateVariableFont": ("fontTools.varLib.instancer", "instantiateVariableFont"),
}
# What the stand-ins give: `from fontTools import subset`, `from fontTools.ttLib import
# TTFont, TTLibError, ttFont`, `... import TTFont, woff2`, `from fontTools.varLib.instancer
# import instantiateVariableFont` (the `varLib` and `subset` modules only as parents).
STAND_INS = {
    "fontTools": ("subset",),
    "fontTools.subset": (),
    "fontTools.ttLib": ("TTFont", "TTLibError", "ttFont", "woff2"),
    "fontTools.varLib": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}
# The WeasyPrint modules that hold them.
HOLDERS = ("weasyprint.pdf.fonts", "weasyprint.text.fonts")

_lock = threading.RLock()
state = {"deferred": False, "resolved": False}


class Deferred:
    """A fontTools object not imported yet: its first use imports fontTools (`resolve`)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<deferred fontTools {self.name}>"

    def _real(self):
        resolve()
        return real_object(self.name)

    def __call__(self, *args, **kwargs):
        return self._real()(*args, **kwargs)

    def __getattr__(self, attribute):
        return getattr(self._real(), attribute)


class DeferredError(Exception):
    """`TTLibError` until fontTools is imported: never raised, never caught (see above)."""


def real_object(name: str):
    module, attribute = REAL[name]
    found = importlib.import_module(module)
    return getattr(found, attribute) if attribute else found


def resolve() -> None:
    """The real fontTools in WeasyPrint, in place of every `Deferred` (once)."""
    with _lock:
        if state["resolved"]:
            return
        for holder in HOLDERS:
            module = sys.modules.get(holder)
            if module is None:
                continue
            for name in REAL:
                current = vars(module).get(name)
                if isinstance(current, Deferred) or current is DeferredError:
                    setattr(module, name, real_object(name))
        state["resolved"] = True


def weasyprint_version() -> str | None:
    """The installed WeasyPrint's version, from its `__init__.py`, without importing it."""
    try:
        spec = importlib.util.find_spec("weasyprint")
        with open(spec.origin, encoding="utf-8") as handle:
            source = handle.read(20_000)
    except (ImportError, AttributeError, TypeError, ValueError, OSError):
        return None
    found = re.search(r"^VERSION = __version__ = '([^']+)'$", source, re.MULTILINE)
    return found[1] if found else None


def supported() -> bool:
    return ("weasyprint" not in sys.modules and "fontTools" not in sys.modules
            and weasyprint_version() == SUPPORTED_WEASYPRINT)


class _StandIns:
    """The meta path finder of the stand-in modules, first while WeasyPrint is imported."""

    asked: list[str] = []

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname not in STAND_INS:
            return None
        return importlib.machinery.ModuleSpec(fullname, cls, is_package=True)

    @classmethod
    def create_module(cls, spec):
        module = _StandIn(spec.name)
        module.__path__ = []
        return module

    @classmethod
    def exec_module(cls, module):
        pass


class _StandIn(types.ModuleType):
    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if attribute not in STAND_INS.get(self.__name__, ()):
            _StandIns.asked.append(f"{self.__name__}.{attribute}")
            raise AttributeError(attribute)
        return DeferredError if attribute == "TTLibError" else Deferred(attribute)


class _Loader(importlib.machinery.SourceFileLoader):
    """WeasyPrint's own loader, that runs its `__init__` (and with it every submodule that
    imports fontTools) with the stand-ins in place, and takes them away after."""

    def exec_module(self, module):
        with _lock:
            _StandIns.asked = []
            sys.meta_path.insert(0, _StandIns)
            try:
                super().exec_module(module)
            except ImportError:
                if not _StandIns.asked:
                    raise
                # A WeasyPrint that asks for more than it is known to: imported again, plainly.
                _remove_stand_ins()
                _forget_submodules()
                super().exec_module(module)
                return
            finally:
                _remove_stand_ins()
            state.update(deferred=True, resolved=False)
            if _StandIns.asked:  # asked for more, yet imported: made whole at once
                resolve()


def weasyprint_spec():
    """WeasyPrint's spec with the loader above, where supported; else None (the import
    goes on as usual). For `typeset._ShimFirst`, at WeasyPrint's first import."""
    if not supported():
        return None
    spec = importlib.machinery.PathFinder.find_spec("weasyprint")
    if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
        return None
    spec.loader = _Loader(spec.loader.name, spec.loader.path)
    return spec


def _remove_stand_ins() -> None:
    with contextlib.suppress(ValueError):
        sys.meta_path.remove(_StandIns)
    for name in STAND_INS:
        if isinstance(sys.modules.get(name), _StandIn):
            del sys.modules[name]


def _forget_submodules() -> None:
    for name in [name for name in sys.modules if name.startswith("weasyprint.")]:
        del sys.modules[name]
