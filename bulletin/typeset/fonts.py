"""Fonts come from the project's `fonts/` folder only, never from the system.

Fontconfig is pointed at a configuration that knows no folder but `fonts/`, so a
character missing from the bundled faces cannot be drawn by some system font that
another machine lacks: every machine renders the same.

The role families of `templates/fonts.css` ("Bulletin FangSong" → FandolFang-Regular.otf,
…) become fontconfig aliases of the files' own family names, rather than @font-face rules
that WeasyPrint would copy and rescan, 40 MB of CJK fonts, in every process.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path
from xml.sax.saxutils import escape

FONT_SUFFIXES = (".otf", ".ttf")


def isolate_fontconfig(fonts: Path, cache: Path, roles: Path | None = None) -> Path:
    """Write a fontconfig file that sees only `fonts/`, and make the process use it.

    `roles` is a stylesheet of @font-face rules (templates/fonts.css): each of its
    families becomes an alias of the family of the file it names. Must run before
    WeasyPrint (Pango, fontconfig) is first imported.
    """
    cache.mkdir(parents=True, exist_ok=True)
    conf = cache / "fonts.conf"
    aliases = ""
    if roles is not None and roles.is_file():
        for role, path in font_faces(roles).items():
            aliases += (f'  <alias binding="same"><family>{escape(role)}</family>'
                        f"<prefer><family>{escape(font_family(path))}</family></prefer></alias>\n")
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{escape(str(fonts.resolve()))}</dir>\n"
        f"  <cachedir>{escape(str(cache.resolve()))}</cachedir>\n"
        f"{aliases}"
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


def font_family(path: Path) -> str:
    """A font file's family name (typographic family, else family), from its name table."""
    with open(path, "rb") as handle:
        header = handle.read(12)
        count = struct.unpack(">H", header[4:6])[0]
        records = handle.read(16 * count)
        for index in range(count):
            tag, _, offset, length = struct.unpack(">4sIII", records[16 * index: 16 * index + 16])
            if tag == b"name":
                handle.seek(offset)
                table = handle.read(length)
                break
        else:
            raise ValueError(f"{path}: no name table")
    _, entries, strings = struct.unpack(">HHH", table[:6])
    names: dict[tuple[int, int], str] = {}
    for index in range(entries):
        platform, encoding, language, name_id, size, start = struct.unpack(
            ">HHHHHH", table[6 + 12 * index: 18 + 12 * index])
        raw = table[strings + start: strings + start + size]
        if platform == 3 and language == 0x409:
            names[(name_id, 0)] = raw.decode("utf-16-be", errors="replace")
        elif platform == 1 and language == 0:
            names.setdefault((name_id, 1), raw.decode("mac_roman", errors="replace"))
    for key in ((16, 0), (1, 0), (16, 1), (1, 1)):
        if key in names:
            return names[key]
    raise ValueError(f"{path}: no family name")
