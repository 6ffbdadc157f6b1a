"""WeasyPrint's C declarations read once per installation, not once per process: 40 ms.

`weasyprint/text/ffi.py` hands cffi 450 lines of C declarations (`ffi.cdef`) at every
import, and cffi parses them with pycparser each time: 45 ms of every cold build, and
pycparser's import besides. cffi can keep the parsed declarations as a Python module
(its out-of-line ABI mode: `set_source(name, None)`, `emit_python_code`), which loads in
5 ms into an FFI of the same declarations, opening the same libraries (`ffi.dlopen`);
no C compiler is involved.

While `weasyprint.text.ffi` runs with this module's loader, `cffi.FFI()` gives a
`_StandIn` whose `cdef` looks for those declarations, compiled, in the project's
`build/.cache/` (`use()`; keyed by the text of the declarations and cffi's version),
and else parses them as WeasyPrint would and writes the compiled module for the next
process. Right after, the module's `ffi` is that FFI itself: the functions of
`weasyprint.text.ffi` and every module that imports `ffi` from it see a plain cffi FFI.

Guarded like the patches (`bulletin/patches.py`): only for WeasyPrint 70.0 (read from
its `__init__.py`, not imported), with cffi's own `FFI` class, when a cache folder is
given. WeasyPrint 70.0 makes one cdef, without options, before anything else of its FFI
is used: that one is compiled. A first cdef with options, an FFI used before its cdef, a
compiled module that does not load or does not match: the declarations are parsed as
usual (a compiled FFI has no cdef of its own, so a second cdef after it would fail: the
version guard is what rules it out). The PDF is the same bytes
(tests/test_declarations.py).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import sys
from pathlib import Path

SUPPORTED_WEASYPRINT = "70.0"
MODULE = "weasyprint.text.ffi"
PREFIX = "weasyprint-ffi-"  # build/.cache/weasyprint-ffi-<key>.py
KEY_LENGTH = 24

# cache: the folder of compiled declarations (None: parse as usual); how the last
# import of weasyprint.text.ffi got its declarations: "compiled", "parsed and kept",
# "parsed" (not kept: no cache, another WeasyPrint, …).
state: dict = {"cache": None, "how": None}


def use(cache: Path | None) -> None:
    """Keep WeasyPrint's compiled declarations in `cache` (before WeasyPrint's import)."""
    state["cache"] = Path(cache) if cache is not None else None


def key(source: str) -> str:
    import _cffi_backend
    import cffi

    digest = hashlib.sha256(f"{cffi.__version__}\0{_cffi_backend.__version__}\0"
                            f"{sys.implementation.cache_tag}\0{source}".encode("utf-8"))
    return digest.hexdigest()[:KEY_LENGTH]


def _load(path: Path, source: str):
    """The FFI of the compiled module at `path`, if it is the one of `source`."""
    name = f"_bulletin_{path.stem.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ffi = getattr(module, "ffi", None)
    if type(ffi).__module__ != "_cffi_backend":
        return None
    return ffi


def _keep(parsed, path: Path) -> bool:
    """Write the compiled module of `parsed` (an FFI with its cdef done) at `path`."""
    import io

    from cffi.recompiler import make_py_source

    from ..cachefiles import write_atomically

    text = io.StringIO()
    make_py_source(parsed, f"_bulletin_{path.stem.replace('-', '_')}", text)
    return write_atomically(path, text.getvalue())


class _StandIn:
    """`ffi` in weasyprint/text/ffi.py while it runs: its one cdef finds the FFI."""

    def __init__(self, plain_ffi):
        self._plain = plain_ffi  # cffi.FFI
        self._real = None

    def cdef(self, source, *args, **options):
        if self._real is not None or args or options or not isinstance(source, str):
            self._whole().cdef(source, *args, **options)
            return
        self._real = _declared(source, self._plain)

    def _whole(self):
        if self._real is None:
            self._real = self._plain()
        return self._real

    def __getattr__(self, name):
        return getattr(self._whole(), name)


def _declared(source: str, plain_ffi):
    """An FFI with `source` declared: the compiled one, else parsed (and kept)."""
    cache = state["cache"]
    path = cache / f"{PREFIX}{key(source)}.py" if cache is not None else None
    if path is not None and path.is_file():
        try:
            ffi = _load(path, source)
        except Exception:  # noqa: BLE001 - a broken file: parsed and written again
            ffi = None
        if ffi is not None:
            state["how"] = "compiled"
            return ffi
    parsed = plain_ffi()
    parsed.cdef(source)
    state["how"] = "parsed"
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            kept = _keep(parsed, path)
        except Exception:  # noqa: BLE001 - not kept (unwritable, cffi refused): parsed
            kept = False
        if kept:
            state["how"] = "parsed and kept"
    return parsed


class _Loader(importlib.machinery.SourceFileLoader):
    """weasyprint/text/ffi.py's loader: `cffi.FFI()` is a `_StandIn` while it runs."""

    def exec_module(self, module):
        import cffi

        plain = cffi.FFI
        stand_in = _StandIn(plain)
        given = []

        def first_ffi(*args, **options):
            if given or args or options:
                return plain(*args, **options)
            given.append(stand_in)
            return stand_in

        cffi.FFI = first_ffi
        try:
            super().exec_module(module)
        finally:
            cffi.FFI = plain
        if vars(module).get("ffi") is stand_in:
            module.ffi = stand_in._whole()


class Finder:
    """First on `sys.meta_path` while WeasyPrint is imported: gives weasyprint.text.ffi
    the loader above where that is supported, and finds nothing else."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname != MODULE:
            return None
        remove()
        if state["cache"] is None or not supported():
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
            return None
        spec.loader = _Loader(spec.loader.name, spec.loader.path)
        return spec


def supported() -> bool:
    from .deferred import weasyprint_version

    try:
        import cffi
        import cffi.api
    except ImportError:
        return False
    return (MODULE not in sys.modules and cffi.FFI is cffi.api.FFI
            and weasyprint_version() == SUPPORTED_WEASYPRINT)


def install() -> None:
    """Before WeasyPrint's first import (`typeset._ShimFirst`)."""
    if MODULE not in sys.modules and Finder not in sys.meta_path:
        sys.meta_path.insert(0, Finder)


def remove() -> None:
    while Finder in sys.meta_path:
        sys.meta_path.remove(Finder)
