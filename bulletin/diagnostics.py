"""Diagnostics: one problem found in a source file, and the ways to print it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True)
class Fix:
    """A replacement that cannot change meaning: `old` at the diagnostic's line:col becomes `new`."""

    old: str
    new: str


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    path: str
    line: int = 0  # 1-based; 0 means the whole file
    col: int = 0  # 1-based; 0 means the whole line
    severity: Severity = Severity.ERROR
    fix: Fix | None = None
    # Where the problem ends, just past its last character (1-based, as `line`/`col`);
    # 0: one character from `line`:`col` (for a whole line, `col` 0, the end is col 0 too).
    end_line: int = 0
    end_col: int = 0

    @property
    def end(self) -> tuple[int, int]:
        """(line, column) just past the problem's last character; (0, 0) for a whole file."""
        if self.end_line:
            return self.end_line, self.end_col
        if not self.col:
            return self.line, 0
        return self.line, self.col + 1

    @property
    def location(self) -> str:
        parts = [self.path]
        if self.line:
            parts.append(str(self.line))
            if self.col:
                parts.append(str(self.col))
        return ":".join(parts)

    def sort_key(self):
        return (self.path, self.line, self.col, self.code)


class BulletinError(Exception):
    """Problems in the sources that stop the pipeline; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(format_human(d) for d in diagnostics))
        self.diagnostics = diagnostics


def relative(path: Path | str, root: Path | None) -> str:
    path = Path(path)
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def format_human(d: Diagnostic, source_line: str | None = None) -> str:
    text = f"{d.location}: {d.code} {d.message}"
    if d.severity is Severity.WARNING:
        text = f"{d.location}: {d.code} [{SEVERITY_LABEL[d.severity]}] {d.message}"
    if d.fix is not None:
        text += "（可用 --fix 自动修正）"
    if source_line is not None and d.line:
        shown, col = _excerpt(source_line.rstrip("\r\n"), d.col)
        text += f"\n    {shown.rstrip()}"
        if d.col:
            text += "\n    " + _caret_padding(shown, col) + "^"
    return text


EXCERPT_CHARS = 30  # on either side of the column: a Chinese paragraph is one long line


def _excerpt(line: str, col: int) -> tuple[str, int]:
    """The part of `line` around `col`, and where `col` falls in it."""
    if not col or len(line) <= 2 * EXCERPT_CHARS:
        return line, col
    start = max(0, col - 1 - EXCERPT_CHARS)
    end = min(len(line), col - 1 + EXCERPT_CHARS)
    prefix = "..." if start else ""
    suffix = "..." if end < len(line) else ""
    return prefix + line[start:end] + suffix, col - start + len(prefix)


def _caret_padding(line: str, col: int) -> str:
    # Full-width characters take two terminal cells.
    import unicodedata

    cells = 0
    for ch in line[: col - 1]:
        cells += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return " " * cells


def format_fixed(d: Diagnostic) -> str:
    """One change made by `check --fix`."""
    change = f"“{d.fix.old}”→“{d.fix.new}”" if d.fix.new else f"删去“{d.fix.old}”"
    return f"已修正 {d.location}: {d.code} {change}"


def format_github(d: Diagnostic) -> str:
    kind = "error" if d.severity is Severity.ERROR else "warning"
    props = [f"file={d.path}"]
    if d.line:
        props.append(f"line={d.line}")
    if d.col:
        props.append(f"col={d.col}")
    props.append(f"title={d.code}")
    message = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{kind} {','.join(props)}::{message}"


def format_json(diagnostics: list[Diagnostic]) -> str:
    rows = []
    for d in diagnostics:
        row = asdict(d)
        row["severity"] = d.severity.value
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2)


def print_all(diagnostics: list[Diagnostic], root: Path, echo, fmt: str = "human",
              texts: dict[str, str] | None = None) -> None:
    """Print `diagnostics` with `echo` in `fmt`; human: each with its source line and a
    caret, then the count. `texts`: the files the command read already, by path as shown
    (SourceReader.texts), so that none is read again; others are read once each."""
    if fmt == "json":
        echo(format_json(diagnostics))
        return
    files = {path: text.split("\n") for path, text in (texts or {}).items()}
    for d in diagnostics:
        if fmt == "github":
            echo(format_github(d))
        else:
            echo(format_human(d, _source_line(root, d, files)))
    if fmt == "human" and diagnostics:
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        echo(f"共 {errors} 个错误，{len(diagnostics) - errors} 个警告。")


def _source_line(root: Path, d: Diagnostic, files: dict[str, list[str]]) -> str | None:
    from .sources import source_lines

    if not d.line:
        return None
    if d.path not in files:
        files[d.path] = source_lines(Path(root) / d.path)
    lines = files[d.path]
    return lines[d.line - 1] if d.line <= len(lines) else None
