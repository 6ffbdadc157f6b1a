"""HTML → PDF with WeasyPrint, inside the project's folders only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import load_weasyprint
from .fonts import isolate_fontconfig


TEMPLATES_DIR, FONTS_DIR = "templates", "fonts"  # in the project root (project.Project)
# Every PDF's /Creator: how bulletin knows a PDF it may replace (outputs.is_bulletin_pdf).
GENERATOR = "bulletin"


@dataclass
class Renderer:
    """A warm WeasyPrint: font configuration and stylesheets kept across builds.

    Kept from one render to the next (`warm.py`, tests/test_warm_paths.py): the font
    configuration, the parsed `<link>`ed stylesheets (read again and compared by digest on
    every render), the font files' bytes and their subsets (by face and glyph set); the
    Jinja environment is the process's (`layout.cached_environment`). A new Renderer (the
    preview makes one when fonts/ changes) starts with none of them.
    """

    root: Path
    templates: Path = field(init=False)
    fonts: Path = field(init=False)
    _font_config: object = field(default=None, init=False, repr=False)
    _stylesheets: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        self.templates, self.fonts = self.root / TEMPLATES_DIR, self.root / FONTS_DIR

    def _weasyprint(self):
        # Before WeasyPrint's import, which loads a fontconfig configuration already.
        isolate_fontconfig(self.fonts, self.root / "build" / ".fontconfig",
                           roles=self.templates / "fonts.css")
        from . import declarations

        declarations.use(self.root / "build" / ".cache")  # before WeasyPrint's import
        weasyprint = load_weasyprint()
        from . import warm

        warm.install()  # after load_weasyprint's patches (no-op when installed)
        if self._font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            self._font_config = FontConfiguration()
            # New faces: the bytes and subsets of another configuration's are no use.
            warm.FONTS.clear()
        return weasyprint

    def prepare(self) -> None:
        """WeasyPrint loaded, patched and given the font configuration, as the first
        render would (a build that has something to do in between calls it first)."""
        self._weasyprint()

    def document(self, html: str, folders=(), preloaded: dict[str, bytes] | None = None):
        """The laid-out document (pages and boxes) of `html`.

        It may load files from templates/, fonts/ and `folders` (the issue's), nothing
        else: a resource the jail refused fails the build rather than going missing.
        `preloaded`: files read already (by resolved path), served without a read.
        """
        weasyprint = self._weasyprint()
        from .jail import Jail, JailError

        jail = Jail([self.templates, self.fonts, *folders], preloaded)
        from .warm import stylesheets

        page = weasyprint.HTML(string=html, base_url=str(self.templates) + "/",
                               url_fetcher=jail)
        with stylesheets(self._stylesheets):
            document = page.render(font_config=self._font_config)
        if jail.refused:
            raise JailError(jail.refused)
        document.metadata.generator = GENERATOR
        return document


def drop_page_number(page) -> None:
    """Remove the margin boxes (the page number) of a laid-out WeasyPrint page."""
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    page_box.children = [child for child in page_box.children
                         if not isinstance(child, boxes.MarginBox)]


