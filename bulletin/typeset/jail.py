"""The resource jail: WeasyPrint may load files from a few folders and nothing else.

`Jail` extends WeasyPrint's URL fetcher, so it is defined when first asked for
(`from .jail import Jail`): importing this module, for `JailError` say, must not import
WeasyPrint, which has to come after the font set-up and the library shim (see
`typeset/__init__.py`).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit


class JailError(Exception):
    """Resources the document asked for and the jail refused."""

    def __init__(self, urls: list[str]):
        super().__init__("、".join(urls))
        self.urls = urls


def _define_jail():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class InMemory(URLFetcherResponse):
        """A file's bytes read already: no path, so WeasyPrint keeps them rather than
        reading the file again when it writes the PDF."""

        @property
        def path(self):
            return None

    class Jail(URLFetcher):
        """A URL fetcher that serves `file:` URLs inside `folders` and refuses the rest.

        `preloaded`: resources already read (the images the check read), by their URL
        in the HTML (`markup.image_url`: named by their bytes, under an invented base
        that is no folder): served from memory, never looked up on disk."""

        def __init__(self, folders: list[Path], preloaded: dict[str, bytes] | None = None):
            super().__init__(allowed_protocols={"file"})
            self.folders = [folder.resolve() for folder in folders]
            self.preloaded = preloaded or {}
            self.refused: list[str] = []

        def allows(self, path: Path) -> bool:
            resolved = path.resolve()
            return any(resolved.is_relative_to(folder) for folder in self.folders)

        def fetch(self, url, headers=None):
            body = self.preloaded.get(url)
            if body is not None:
                mime_type = mimetypes.guess_type(urlsplit(url).path)[0] \
                    or "application/octet-stream"
                return InMemory(url, body=body, headers={"Content-Type": mime_type})
            parts = urlsplit(url)
            path = Path(unquote(parts.path)) if parts.scheme == "file" else None
            if path is None or not self.allows(path) or not path.is_file():
                self.refused.append(url)
                raise PermissionError(f"refused by the resource jail: {url}")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(),
                                      headers={"Content-Type": mime_type})

    Jail.__module__, Jail.__qualname__ = __name__, "Jail"
    return Jail


def __getattr__(name: str):
    if name == "Jail":
        globals()["Jail"] = jail = _define_jail()
        return jail
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
