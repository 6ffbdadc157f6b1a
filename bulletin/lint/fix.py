"""`bulletin check --fix` and `--diff`: the fixes that cannot change meaning, file by file.

Only the characters a fix names change: the byte-order mark, the line ends and every
other byte of the file stay as they were. A fix can make another one due (a straight
quote made `”` leaves the space after it between two Chinese marks): the fixed text is
checked again, in memory, and fixed again until nothing is left to fix, so that a second
`--fix` finds nothing to do. Each file is then replaced atomically; `fix_diff` shows the
same changes as a unified diff and writes nothing.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from ..diagnostics import Diagnostic

LINE_END = re.compile(r"(\r\n|\r|\n)")
MAX_ROUNDS = 8  # a fix that makes another due, and so on: never more than a few in practice


@dataclass
class FixedFile:
    """One file's fixes: its bytes before and after, and the fixes made, round by round."""

    shown: str  # the path as diagnostics show it, relative to the project root
    path: Path
    before: bytes
    after: bytes
    applied: list[Diagnostic] = field(default_factory=list)


def apply_fixes(root: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Apply every diagnostic's fix that still matches its file, and the fixes those make
    due; return those applied (a later round's at its line and column in the text the
    rounds before left)."""
    applied: list[Diagnostic] = []
    for fixed in plan_fixes(root, diagnostics):
        _replace(fixed.path, fixed.after)
        applied += fixed.applied
    return applied


def fix_diff(root: Path, diagnostics: list[Diagnostic]) -> str:
    """What `apply_fixes` would change, as a unified diff (`a/<path>`, `b/<path>`, paths
    relative to the project root); "" if nothing. Writes nothing."""
    chunks = []
    for fixed in plan_fixes(root, diagnostics):
        before = _diff_lines(fixed.before)
        after = _diff_lines(fixed.after)
        chunks += difflib.unified_diff(before, after, f"a/{fixed.shown}", f"b/{fixed.shown}")
    return "".join(chunks)


def _diff_lines(data: bytes) -> list[str]:
    """The lines of a file for a diff: line ends kept, and the mark `patch` wants after a
    last line with none."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def plan_fixes(root: Path, diagnostics: list[Diagnostic]) -> list[FixedFile]:
    """Every file that the diagnostics' fixes (and those they make due) change, in the
    order of the diagnostics; nothing is written."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.fix is not None and d.line and d.col:
            by_file.setdefault(d.path, []).append(d)
    planned = []
    for shown, fixes in by_file.items():
        fixed = _plan_file(root, shown, fixes)
        if fixed is not None:
            planned.append(fixed)
    return planned


def _plan_file(root: Path, shown: str, fixes: list[Diagnostic]) -> FixedFile | None:
    path = (root / shown).resolve()
    try:
        raw = path.read_bytes()
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        parts = LINE_END.split(raw[len(bom):].decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    lines, ends = parts[0::2], parts[1::2]
    applied: list[Diagnostic] = []
    for _ in range(MAX_ROUNDS):
        done = _apply(lines, fixes)
        if not done:
            break
        applied += done
        fixes = _relint(root, shown, lines)
    if not applied:
        return None
    text = "".join(line + end for line, end in zip_longest(lines, ends, fillvalue=""))
    return FixedFile(shown, path, raw, bom + text.encode("utf-8"), applied)


def _apply(lines: list[str], fixes: list[Diagnostic]) -> list[Diagnostic]:
    """Make `fixes` in `lines` (in place) where each still matches; return those made."""
    done: list[Diagnostic] = []
    leftmost: dict[int, int] = {}  # per line, the first column already rewritten
    # Right to left, so that the columns of the fixes still to apply stay true.
    for d in sorted(fixes, key=lambda d: (d.line, d.col), reverse=True):
        if d.fix is None or not d.line or not d.col:
            continue
        index, start, old = d.line - 1, d.col - 1, d.fix.old
        if index >= len(lines) or lines[index][start:start + len(old)] != old:
            continue
        if start + len(old) > leftmost.get(index, len(lines[index])):
            continue  # overlaps a fix already made: the next round sees it again
        lines[index] = lines[index][:start] + d.fix.new + lines[index][start + len(old):]
        leftmost[index] = start
        done.append(d)
    return sorted(done, key=Diagnostic.sort_key)


def _relint(root: Path, shown: str, lines: list[str]) -> list[Diagnostic]:
    """The fixes due in the article `shown` if its lines were `lines`: checked in memory,
    as `bulletin check` checks the file."""
    from ..sources import SourceReader
    from . import lint_article, with_settings
    from .text import article_text

    text = "\n".join(lines)
    # The reader reads each text once per command, through this cache: give it the fixed one.
    reader, path = SourceReader(root), root / shown
    reader.shared["texts"] = {reader.rel(path): (text, [])}
    article = reader.read_article(path)
    if article is None:
        return []
    reader.read_bulletin()  # its `lint:` settings: what is ignored is not fixed either
    checked = article_text(article, root, shown, reader.front_matter.get(path), list(lines))
    return [d for d in with_settings(lint_article(checked), [checked], reader)[0]
            if d.fix is not None]


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
