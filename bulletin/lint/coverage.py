"""Which characters each bundled font draws, cached under build/.

Reading the cmap of a 10 MB font takes a noticeable part of a second; the cache, keyed by
the size and modification time of each font file, of the fonts/ folder and of
templates/fonts.css, makes a warm `bulletin check` read one small JSON and stat a few files.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CACHE_FILE = Path("build") / ".lint" / "font-coverage.json"
CACHE_VERSION = 2
STYLESHEET = Path("templates") / "fonts.css"


@dataclass(frozen=True)
class FontCoverage:
    file: str
    family: str  # the name the font gives itself, for messages
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __contains__(self, char: str) -> bool:
        code = ord(char)
        index = bisect.bisect_right(self.starts, code) - 1
        return index >= 0 and code <= self.ends[index]


@dataclass(frozen=True)
class Fonts:
    bundled: dict[str, FontCoverage]  # by file name, every font in fonts/
    families: dict[str, FontCoverage]  # by CSS family, as templates/fonts.css loads them


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


@lru_cache(maxsize=4)
def project_fonts(root: Path) -> Fonts:
    cache = root / CACHE_FILE
    stored = _load(cache)
    if not _fresh(root, stored):
        stored = _survey(root, stored.get("fonts", {}) if stored else {})
        _write(cache, stored)
    bundled = {name: FontCoverage(name, entry["family"],
                                  tuple(start for start, _ in entry["ranges"]),
                                  tuple(end for _, end in entry["ranges"]))
               for name, entry in stored["fonts"].items()}
    families = {family: bundled[name] for family, name in stored["families"].items()
                if name in bundled}
    return Fonts(bundled, families)


def _load(cache: Path) -> dict | None:
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stored if isinstance(stored, dict) and stored.get("version") == CACHE_VERSION else None


def _fresh(root: Path, stored: dict | None) -> bool:
    if stored is None:
        return False
    stamps = stored.get("stamps", {})
    if stamps.get("fonts/") != _stamp(root / "fonts") or \
            stamps.get("fonts.css") != _stamp(root / STYLESHEET):
        return False
    return all(entry.get("stamp") == _stamp(root / "fonts" / name)
               for name, entry in stored.get("fonts", {}).items())


def _survey(root: Path, known: dict) -> dict:
    """Read what changed: the font list, each new or changed font's cmap, fonts.css."""
    from ..typeset.fonts import bundled_fonts, font_faces

    folder, stylesheet = root / "fonts", root / STYLESHEET
    fonts = {}
    for path in (bundled_fonts(folder) if folder.is_dir() else []):
        stamp = _stamp(path)
        entry = known.get(path.name)
        fonts[path.name] = entry if isinstance(entry, dict) and entry.get("stamp") == stamp \
            else _read_font(path, stamp)
    faces = font_faces(stylesheet) if stylesheet.is_file() else {}
    return {"version": CACHE_VERSION,
            "stamps": {"fonts/": _stamp(folder), "fonts.css": _stamp(stylesheet)},
            "families": {family: path.name for family, path in faces.items()},
            "fonts": fonts}


def _read_font(path: Path, stamp: list[int] | None) -> dict:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    codes = sorted(font.getBestCmap() or {})
    names = font["name"]
    family = names.getDebugName(16) or names.getDebugName(1) or path.stem
    style = names.getDebugName(17) or names.getDebugName(2) or "Regular"
    if style != "Regular":
        family += f" {style}"
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return {"stamp": stamp, "family": family, "ranges": ranges}


def _write(cache: Path, data: dict) -> None:
    from ..cachefiles import write_atomically

    # A read-only checkout still checks, only more slowly.
    write_atomically(cache, json.dumps(data, separators=(",", ":")))
