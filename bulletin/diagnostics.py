"""Diagnostics: one problem found in a source file, and the ways to print it."""

from __future__ import annotations

import json
from dataclasses import dataclass
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
    text = f"{d.location}: {d.code} [{SEVERITY_LABEL[d.severity]}] {d.message}"
    if d.fix is not None:
        text += "（可用 --fix 自动修正）"
    if source_line is not None and d.line:
        shown, col = _excerpt(source_line.rstrip("\r\n"), d.col)
        shown, col = visible(shown, col)
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


def _unsafe(ch: str) -> bool:
    """A character that must not reach a terminal as it is: control characters (ESC starts
    escape sequences), format characters (U+202E turns the line around), line and
    paragraph separators, surrogates, private use, unassigned code points. A tab stays."""
    import unicodedata

    return ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def visible(line: str, col: int) -> tuple[str, int]:
    """`line` with every unsafe character shown as `U+XXXX`, and where `col` falls in it."""
    if not any(_unsafe(ch) for ch in line):
        return line, col
    out, new_col = [], col
    for index, ch in enumerate(line, 1):
        if index == col:
            new_col = len("".join(out)) + 1
        out.append(f"U+{ord(ch):04X}" if _unsafe(ch) else ch)
    return "".join(out), new_col


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


def _github_value(text: str) -> str:
    # A workflow command's property: `%`, CR, LF, `:` and `,` escaped (actions/toolkit).
    return (text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions annotation: `::error file=…,line=…,endLine=…,col=…,endColumn=…`.
    GitHub's end column is the last column covered (inclusive), and columns may be given
    only when the annotation starts and ends on one line (the runner drops them else)."""
    kind = "error" if d.severity is Severity.ERROR else "warning"
    props = [f"file={_github_value(d.path)}"]
    if d.line:
        end_line, end_col = d.end
        props += [f"line={d.line}", f"endLine={max(end_line, d.line)}"]
        if d.col and end_line == d.line:
            props += [f"col={d.col}", f"endColumn={max(end_col - 1, d.col)}"]
    props.append(f"title={_github_value(d.code)}")
    message = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{kind} {','.join(props)}::{message}"


# The JSON output's layout (schema/check-output.schema.json): raise on any change that
# could break a reader (a field renamed, removed or retyped); adding a field is no change.
JSON_VERSION = 1


def _point(line: int, col: int) -> dict:
    return {"line": line, "column": col}


def json_row(d: Diagnostic) -> dict:
    end_line, end_col = d.end
    fix = None
    if d.fix is not None and d.line and d.col:
        # A fix replaces `old`, which starts at the finding and never spans a line end.
        fix = {"start": _point(d.line, d.col), "end": _point(d.line, d.col + len(d.fix.old)),
               "original": d.fix.old, "replacement": d.fix.new}
    return {"code": d.code, "severity": d.severity.value, "message": d.message, "path": d.path,
            "start": _point(d.line, d.col), "end": _point(end_line, end_col), "fix": fix}


def summary(diagnostics: list[Diagnostic], suppressed: int = 0, files: int = 0) -> dict:
    by_code: dict[str, int] = {}
    for d in diagnostics:
        by_code[d.code] = by_code.get(d.code, 0) + 1
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    return {"errors": errors, "warnings": len(diagnostics) - errors,
            "fixable": sum(d.fix is not None for d in diagnostics),
            "suppressed": suppressed, "articles": files,
            "by_code": dict(sorted(by_code.items()))}


def format_json(diagnostics: list[Diagnostic], suppressed: int = 0, files: int = 0) -> str:
    from . import __version__

    document = {"version": JSON_VERSION, "tool": {"name": "bulletin", "version": __version__},
                "summary": summary(diagnostics, suppressed, files),
                "diagnostics": [json_row(d) for d in diagnostics]}
    return json.dumps(document, ensure_ascii=False, indent=2)


def format_statistics(diagnostics: list[Diagnostic]) -> list[str]:
    """One line per code, the most frequent first: count, code, severity, what it means,
    and how many `--fix` can fix."""
    from .codes import CODES

    rows: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        rows.setdefault(d.code, []).append(d)
    lines = []
    for code, found in sorted(rows.items(), key=lambda item: (-len(item[1]), item[0])):
        fixable = sum(d.fix is not None for d in found)
        meaning = CODES[code].summary if code in CODES else found[0].message
        label = SEVERITY_LABEL[found[0].severity]
        note = f"（{fixable} 处可用 --fix 修正）" if fixable else ""
        lines.append(f"{len(found):>5}  {code} [{label}] {meaning}{note}")
    return lines


def print_all(diagnostics: list[Diagnostic], root: Path, echo, fmt: str = "human",
              texts: dict[str, str] | None = None, suppressed: int = 0, files: int = 0) -> None:
    """Print `diagnostics` with `echo` in `fmt`; human: each with its source line and a
    caret, then the count. `texts`: the files the command read already, by path as shown
    (SourceReader.texts), so that none is read again; others are read once each.
    `suppressed`: how many findings the `lint:` settings silenced (said in the count);
    `files`: how many articles were checked (in the JSON summary)."""
    if fmt == "json":
        echo(format_json(diagnostics, suppressed, files))
        return
    files = {path: text.split("\n") for path, text in (texts or {}).items()}
    for d in diagnostics:
        if fmt == "github":
            echo(format_github(d))
        else:
            echo(format_human(d, _source_line(root, d, files)))
    if fmt == "human" and diagnostics:
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        quiet = f"（另有 {suppressed} 处按 lint 设置忽略）" if suppressed else ""
        echo(f"共 {errors} 个错误，{len(diagnostics) - errors} 个警告{quiet}。")


def _source_line(root: Path, d: Diagnostic, files: dict[str, list[str]]) -> str | None:
    from .sources import source_lines

    if not d.line:
        return None
    if d.path not in files:
        files[d.path] = source_lines(Path(root) / d.path)
    lines = files[d.path]
    return lines[d.line - 1] if d.line <= len(lines) else None
