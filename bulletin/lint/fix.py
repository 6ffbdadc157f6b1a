"""`bulletin check --fix`: apply the fixes that cannot change meaning, file by file.

Only the characters a fix names change: the byte-order mark, the line ends and every
other byte of the file stay as they were. Each file is replaced atomically.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from itertools import zip_longest
from pathlib import Path

from ..diagnostics import Diagnostic

LINE_END = re.compile(r"(\r\n|\r|\n)")


def apply_fixes(root: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Apply every diagnostic's fix that still matches its file; return those applied."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.fix is not None and d.line and d.col:
            by_file.setdefault(d.path, []).append(d)
    applied: list[Diagnostic] = []
    for relative, fixes in by_file.items():
        applied += _fix_file((root / relative).resolve(), fixes)
    return applied


def _fix_file(path: Path, fixes: list[Diagnostic]) -> list[Diagnostic]:
    try:
        raw = path.read_bytes()
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        parts = LINE_END.split(raw[len(bom):].decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return []
    lines, ends = parts[0::2], parts[1::2]
    done: list[Diagnostic] = []
    leftmost: dict[int, int] = {}  # per line, the first column already rewritten
    # Right to left, so that the columns of the fixes still to apply stay true.
    for d in sorted(fixes, key=lambda d: (d.line, d.col), reverse=True):
        index, start, old = d.line - 1, d.col - 1, d.fix.old
        if index >= len(lines) or lines[index][start:start + len(old)] != old:
            continue
        if start + len(old) > leftmost.get(index, len(lines[index])):
            continue  # overlaps a fix already made
        lines[index] = lines[index][:start] + d.fix.new + lines[index][start + len(old):]
        leftmost[index] = start
        done.append(d)
    if done:
        text = "".join(line + end for line, end in zip_longest(lines, ends, fillvalue=""))
        _replace(path, bom + text.encode("utf-8"))
    return sorted(done, key=Diagnostic.sort_key)


def _replace(path: Path, data: bytes) -> None:
    import tempfile

    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
