"""What a warm Renderer keeps from one render to the next: parsed stylesheets, font data.

Two things WeasyPrint 70 does again on every render of the same templates and fonts:

- it parses `print.css` (and the `page.css` it imports) into a `CSS` object: a
  cssselect2 `Matcher` of the style rules and the `@page` rules. `STYLESHEETS` keeps
  the `CSS` object of a `<link>`ed stylesheet, keyed by its URL and the digest of every
  file read to make it (the sheet and its `@import`s), within a `stylesheets(cache)`
  block (`Renderer.document`). Every render reads those files again, through its own
  URL fetcher (the jail), and a digest that differs parses the sheet again. A kept
  sheet carries no state from one render to the next: WeasyPrint's matcher is not
  changed by matching, and the render's own lists (`page_rules`, `layers`, shared by all
  the document's author sheets) are given to a copy of the kept object, with the
  `@page` rules it added replayed into them. A sheet that adds `@font-face`,
  `@counter-style`, `@color-profile` or `@layer` rules (state outside its object) is
  never kept.
- writing the PDF, each font used copies the whole font file out of HarfBuzz (36 MB for
  issue 23's five faces) and subsets it. `FONTS` keeps, by HarfBuzz face (a reference
  is held, so that the face, and its address, live as long as the entry), the file's
  bytes and the subsets made of it, by glyph set and flags. Pango hands the same face to
  every render of one `FontConfiguration`; a new configuration (a font changed: the
  preview makes a new Renderer) has new faces, and `Renderer` empties `FONTS`.

`PATCH` replaces `weasyprint.css.CSS` (the name `find_stylesheets` and `@import` call),
`weasyprint.pdf.fonts.get_hb_object_data` (for `Font.__init__` only),
`weasyprint.pdf.fonts.Font.__init__` and `Font.clean`, on WeasyPrint 70.0 only. The
output is the same bytes: tests/test_warm_paths.py.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import hashlib
import threading
from collections import OrderedDict
from io import BytesIO

from ..patches import Patch, Replacement

SUPPORTED_WEASYPRINT = "70.0"

# --- stylesheets ---------------------------------------------------------------------------

_ACTIVE: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "bulletin_stylesheets", default=None)
MAX_STYLESHEETS = 16
_SOURCES = ("guess", "filename", "file_obj", "string")


@contextlib.contextmanager
def stylesheets(cache: dict):
    """Within the block, `<link>`ed stylesheets are kept in (and taken from) `cache`."""
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)


class _Kept:
    """A parsed stylesheet, what it read (URL → digest) and the @page rules it added."""

    __slots__ = ("css", "reads", "page_rules")

    def __init__(self, css, reads, page_rules):
        self.css, self.reads, self.page_rules = css, reads, page_rules


class _Recorder:
    """The render's URL fetcher, noting the digest of everything read through it."""

    def __init__(self, fetcher):
        self._fetcher = fetcher
        self._fail_on_errors = getattr(fetcher, "_fail_on_errors", False)
        self.reads: dict[str, str] = {}

    def __call__(self, url):
        response = self._fetcher(url)
        data = response.read()
        response._file_obj = BytesIO(data)  # read again by the caller, as it was
        self.reads[url] = _digest(data)
        return response

    fetch = __call__


class _FontFaces:
    """The render's FontConfiguration, noting whether a sheet adds a @font-face."""

    def __init__(self, font_config):
        self._font_config = font_config
        self.added = False

    def add_font_face(self, *args, **kwargs):
        self.added = True
        return self._font_config.add_font_face(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._font_config, name)


def _digest(data) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def _current(reads: dict[str, str], fetcher) -> bool:
    """Whether every file read to make a kept sheet still reads the same (by `fetcher`)."""
    from weasyprint.urls import fetch

    for url, digest in reads.items():
        try:
            with fetch(fetcher, url) as response:
                if _digest(response.read()) != digest:
                    return False
        except Exception:  # noqa: BLE001 - gone or refused: parse again, as WeasyPrint would
            return False
    return True


def _make_css(original):
    def CSS(*args, **kwargs):  # noqa: N802 - stands in for the class
        cache = _ACTIVE.get()
        if (cache is None or args or kwargs.get("url") is None
                or any(kwargs.get(name) is not None for name in _SOURCES)
                or kwargs.get("matcher") is not None or kwargs.get("layer") is not None
                or kwargs.get("page_rules") is None or kwargs.get("layers") is None):
            return original(*args, **kwargs)  # not a <link>ed sheet: as WeasyPrint does
        return _kept_css(cache, original, kwargs)

    CSS.__wrapped__ = original
    return CSS


def _kept_css(cache: dict, original, kwargs: dict):
    fetcher = kwargs.get("url_fetcher")
    page_rules, layers = kwargs["page_rules"], kwargs["layers"]
    key = (kwargs["url"], kwargs.get("media_type", "print"),
           bool(kwargs.get("_check_mime_type")), type(fetcher).__qualname__)
    kept = cache.get(key)
    refused = getattr(fetcher, "refused", None)  # the jail's list of what it refused
    before = len(refused) if isinstance(refused, list) else None
    if kept is not None and fetcher is not None and _current(kept.reads, fetcher):
        page_rules.extend(kept.page_rules)
        css = copy.copy(kept.css)  # the kept object itself is never handed out
        css.page_rules, css.layers = page_rules, layers
        return css
    cache.pop(key, None)
    if before is not None:
        del refused[before:]  # the parse below asks again, and is refused again
    if fetcher is None:
        return original(**kwargs)
    counter_style, color_profiles = kwargs.get("counter_style"), kwargs.get("color_profiles")
    counters_before = dict(counter_style) if counter_style is not None else None
    profiles_before = dict(color_profiles) if color_profiles is not None else None
    layers_before, rules_before = list(layers), len(page_rules)
    recorder = _Recorder(fetcher)
    faces = _FontFaces(kwargs["font_config"]) if kwargs.get("font_config") is not None else None
    css = original(**{**kwargs, "url_fetcher": recorder,
                      "font_config": faces if faces is not None else None})
    # The object keeps the fetcher only through what it made: nothing refers to ours.
    keep = (not (faces is not None and faces.added)
            and layers == layers_before
            and (counter_style is None or _same(counter_style, counters_before))
            and (color_profiles is None or _same(color_profiles, profiles_before)))
    if keep:
        if len(cache) >= MAX_STYLESHEETS:
            cache.pop(next(iter(cache)))
        kept_css = copy.copy(css)
        kept_css.page_rules = kept_css.layers = None  # the render's, given to each copy
        cache[key] = _Kept(kept_css, dict(recorder.reads), list(page_rules[rules_before:]))
    return css


def _same(now: dict, before: dict) -> bool:
    return len(now) == len(before) and all(now.get(k, _same) is v for k, v in before.items())


# --- font files and subsets --------------------------------------------------------------

MAX_FACES = 12  # the project's fonts/ has six faces
MAX_SUBSETS = 8  # glyph sets kept per face: the last few builds'


class _Face:
    __slots__ = ("reference", "data", "subsets")

    def __init__(self, reference, data):
        self.reference, self.data = reference, data  # the reference keeps the face alive
        self.subsets: OrderedDict[tuple, bytes] = OrderedDict()


class FontCache:
    """HarfBuzz faces' bytes and their subsets, by face address (the face held alive)."""

    def __init__(self):
        self._faces: OrderedDict[int, _Face] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._faces.clear()

    def __len__(self) -> int:
        return len(self._faces)

    def face_data(self, hb_face, read):
        from weasyprint.text.ffi import ffi, harfbuzz

        address = int(ffi.cast("uintptr_t", hb_face))
        with self._lock:
            face = self._faces.get(address)
            if face is not None:
                self._faces.move_to_end(address)
                return face.data
        data = read(hb_face)
        if data is None:
            return data
        reference = ffi.gc(harfbuzz.hb_face_reference(hb_face), harfbuzz.hb_face_destroy)
        with self._lock:
            self._faces[address] = _Face(reference, data)
            while len(self._faces) > MAX_FACES:
                self._faces.popitem(last=False)
        return data

    def _face(self, hb_face) -> _Face | None:
        from weasyprint.text.ffi import ffi

        return self._faces.get(int(ffi.cast("uintptr_t", hb_face)))

    def subset(self, font, key: tuple, make) -> None:
        """`font.file_content` becomes the subset `key` of its face, made once (`make()`)."""
        with self._lock:
            face = self._face(font.hb_face)
            kept = None if face is None or face.data is not font.file_content \
                else face.subsets.get(key)
            if kept is not None:
                face.subsets.move_to_end(key)
                self.hits += 1
                font.file_content = kept
                return
        self.misses += 1
        whole = font.file_content
        make()
        if font.file_content is whole:
            return  # not subset (WeasyPrint warned): nothing to keep
        with self._lock:
            if face is not None and face.data is whole and self._face(font.hb_face) is face:
                face.subsets[key] = font.file_content
                while len(face.subsets) > MAX_SUBSETS:
                    face.subsets.popitem(last=False)


FONTS = FontCache()
_IN_FONT_INIT = threading.local()


def _make_get_hb_object_data(original):
    def get_hb_object_data(hb_object, ot_color=None, glyph=None):
        # Only the whole face a Font is made of (Font.__init__), never a subset's face.
        if ot_color is None and glyph is None and getattr(_IN_FONT_INIT, "on", False):
            _IN_FONT_INIT.on = False
            return FONTS.face_data(hb_object, original)
        return original(hb_object, ot_color, glyph)

    return get_hb_object_data


def _make_font_init(original):
    def __init__(self, pango_font, description, font_size):  # noqa: N807
        _IN_FONT_INIT.on = True
        try:
            original(self, pango_font, description, font_size)
        finally:
            _IN_FONT_INIT.on = False

    return __init__


def _make_clean(original):
    def clean(self, to_unicode, hinting):
        # Only a plain subset is kept: variable and colour fonts are made as WeasyPrint does.
        if (not to_unicode or "fvar" in self.tables or self.png or self.svg or self.colr
                or self.bitmap):
            return original(self, to_unicode, hinting)
        key = (self.index, tuple(sorted(to_unicode)), bool(self.missing), bool(hinting))
        FONTS.subset(self, key, lambda: original(self, to_unicode, hinting))

    return clean


# --- the patch ---------------------------------------------------------------------------

def _weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _replacements():
    import weasyprint.css
    from weasyprint.pdf import fonts

    return [Replacement(weasyprint.css, "CSS", _make_css),
            Replacement(fonts, "get_hb_object_data", _make_get_hb_object_data),
            Replacement(fonts.Font, "__init__", _make_font_init),
            Replacement(fonts.Font, "clean", _make_clean)]


def _reset() -> None:
    FONTS.clear()


PATCH = Patch("bulletin.typeset.warm", "WeasyPrint", SUPPORTED_WEASYPRINT,
              _weasyprint_version, _replacements, reset=_reset)


def install() -> None:
    """Patch WeasyPrint (once per process); refuses any WeasyPrint but 70.0."""
    PATCH.install()


def uninstall() -> None:
    PATCH.uninstall()
