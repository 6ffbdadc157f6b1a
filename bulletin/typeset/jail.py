"""The resource jail: WeasyPrint may load files from a few folders and nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class JailError(Exception):
    """Resources the document asked for and the jail refused."""

    def __init__(self, urls: list[str]):
        super().__init__("、".join(urls))
        self.urls = urls


class Jail(URLFetcher):
    """A URL fetcher that serves `file:` URLs inside `folders` and refuses the rest."""

    def __init__(self, folders: list[Path]):
        super().__init__(allowed_protocols={"file"})
        self.folders = [folder.resolve() for folder in folders]
        self.refused: list[str] = []

    def allows(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(folder) for folder in self.folders)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)) if parts.scheme == "file" else None
        if path is None or not self.allows(path) or not path.is_file():
            self.refused.append(url)
            raise PermissionError(f"refused by the resource jail: {url}")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(),
                                  headers={"Content-Type": mime_type})
