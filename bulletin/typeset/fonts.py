"""Fonts come from the project's `fonts/` folder only, never from the system.

Fontconfig is pointed at a configuration that knows no folder but `fonts/`, so a
character missing from the bundled faces cannot be drawn by some system font that
another machine lacks: every machine renders the same.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

FONT_SUFFIXES = (".otf", ".ttf")


def isolate_fontconfig(fonts: Path, cache: Path) -> Path:
    """Write a fontconfig file that sees only `fonts/`, and make the process use it.

    Must run before WeasyPrint (Pango, fontconfig) is first imported.
    """
    cache.mkdir(parents=True, exist_ok=True)
    conf = cache / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{escape(str(fonts.resolve()))}</dir>\n"
        f"  <cachedir>{escape(str(cache.resolve()))}</cachedir>\n"
        "</fontconfig>\n"
    )
    if not conf.exists() or conf.read_text(encoding="utf-8") != text:
        conf.write_text(text, encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(conf.resolve())
    return conf


def bundled_fonts(fonts: Path) -> list[Path]:
    return sorted(p for p in fonts.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


FONT_FACE = re.compile(r'@font-face\s*{[^}]*font-family:\s*"([^"]+)"[^}]*src:\s*url\(([^)]+)\)')


def font_faces(stylesheet: Path) -> dict[str, Path]:
    """The @font-face families of a stylesheet and the files they load."""
    text = stylesheet.read_text(encoding="utf-8")
    return {family: (stylesheet.parent / url.strip("'\"")).resolve()
            for family, url in FONT_FACE.findall(text)}
