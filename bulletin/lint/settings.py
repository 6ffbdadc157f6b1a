"""Which findings of the editorial rules (B2xx) are shown, and at what severity.

Three places say so, from the widest to the narrowest:

- `lint:` in bulletin.yaml, for the whole series: `ignore: [B213]` and `severity:
  {B254: error}`;
- `lint:` in an article's front matter: `ignore: [B213]`, or with the reasons,
  `ignore: {B213: 人名中的数字}`;
- a marker line right above a paragraph, a Markdown link reference definition that
  prints nothing (CommonMark 4.7; no raw HTML needed), for that paragraph alone:

      [//]: # (lint: ignore B213 人名中的数字照原文)

A code may be the start of several: `B21` is B210–B219. A marker that cannot be read,
or a code no rule has, is reported (S118) where it is written.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity

SETTINGS_PROBLEM = "S118"

# A link reference definition with label `//` and destination `#`: the usual way to write
# a comment in Markdown. Its title, in parentheses or double quotes, is the marker's text.
COMMENT = re.compile(r"^ {0,3}\[//\]:[ \t]*#[ \t]+(?:\((?P<paren>[^()\n]*)\)|\"(?P<quote>[^\"\n]*)\")"
                     r"[ \t]*$")
# What the marker says: `lint: ignore CODES [reason]`.
# Separators are spaces, or one comma with spaces around it; possessive, so that a long
# run of spaces is read once (no backtracking over it).
MARKER = re.compile(r"^[ \t]*+lint[ \t]*+[:：][ \t]*+ignore[ \t]++(?P<codes>B[0-9]{1,3}+"
                    r"(?:(?:[ \t]*+[,，、][ \t]*+|[ \t]++)B[0-9]{1,3}+)*+)(?![0-9])"
                    r"(?:[ \t]*+[:：,，—-]*+[ \t]*+(?P<reason>.*))?$")
CODE = re.compile(r"B[0-9]{1,3}")


@dataclass(frozen=True)
class Marker:
    """A suppression marker: the codes it names, for the body lines `first`–`last`."""

    line: int  # where the marker is written
    codes: tuple[str, ...]
    reason: str
    first: int = 0  # the paragraph it applies to (0: none follows)
    last: int = 0
    problem: str = ""  # why it cannot be read, if it cannot


def read_marker(line: str) -> tuple[tuple[str, ...], str, str] | None:
    """(codes, reason, problem) if `line` is a Markdown comment line; None if not one.
    A comment that is not a lint marker (`[//]: # (待补充图片)`) has no codes and no
    problem; one that starts `lint` but cannot be read has a problem."""
    comment = COMMENT.match(line)
    if comment is None:
        return None
    said = comment.group("paren") if comment.group("paren") is not None else comment.group("quote")
    marker = MARKER.match(said)
    if marker is None:
        if re.match(r"^[ \t]*lint\b", said):
            return (), "", ("检查标记写法不对，应为“[//]: # (lint: ignore B213 理由)”："
                            "ignore 之后是一个或几个 B 开头的检查代码")
        return (), "", ""
    return tuple(CODE.findall(marker.group("codes"))), (marker.group("reason") or "").strip(), ""


def matches(code: str, patterns) -> bool:
    """Whether `code` is one of `patterns`, each a code or the start of some (`B21`)."""
    return any(code.startswith(pattern) for pattern in patterns)


def unknown(pattern: str, known) -> bool:
    """Whether no code in `known` is or starts with `pattern`."""
    return not any(code.startswith(pattern) for code in known)


def apply_settings(diagnostics: list[Diagnostic], texts, series
                   ) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """`diagnostics` as the settings have them: those ignored dropped, severities changed;
    and those dropped. `texts`: the ArticleText of each article (its front matter's
    ignore list, its markers); `series`: bulletin.yaml's LintSettings (or None).
    Only editorial findings (B2xx, not B200) are ever dropped or changed."""
    from . import RULE_FAILED

    by_path = {text.path: text for text in texts}
    ignored = tuple(series.ignore) if series is not None else ()
    severity = dict(series.severity) if series is not None else {}
    kept, dropped = [], []
    for d in diagnostics:
        if not d.code.startswith("B2") or d.code == RULE_FAILED:
            kept.append(d)
            continue
        text = by_path.get(d.path)
        if matches(d.code, ignored) or (text is not None and _ignored_in(text, d)):
            dropped.append(d)
            continue
        for pattern, level in sorted(severity.items(), key=lambda item: len(item[0])):
            if d.code.startswith(pattern):  # the longest pattern last: it wins
                d = dataclasses.replace(d, severity=Severity(level))
        kept.append(d)
    return kept, dropped


def _ignored_in(text, d: Diagnostic) -> bool:
    if matches(d.code, text.article.lint_ignore):
        return True
    return any(matches(d.code, marker.codes) and marker.first <= d.line <= marker.last
               for marker in text.markers if marker.first)


def settings_problems(texts, series, series_path: str, series_positions=None) -> list[Diagnostic]:
    """S118 for every marker that cannot be read and every code no rule has, in markers,
    front matter and bulletin.yaml."""
    from . import RULES

    known = set(RULES)
    found = []
    for text in texts:
        for marker in text.markers:
            if marker.problem:
                found.append(Diagnostic(SETTINGS_PROBLEM, marker.problem, text.path,
                                        marker.line, 1, Severity.WARNING))
                continue
            for code in marker.codes:
                if unknown(code, known):
                    found.append(_unknown(code, text.path, marker.line, 1))
            if not marker.first:
                found.append(Diagnostic(SETTINGS_PROBLEM, "检查标记之后没有段落，标记不起作用",
                                        text.path, marker.line, 1, Severity.WARNING))
        positions = text.front_matter
        for index, code in enumerate(text.article.lint_ignore):
            if unknown(code, known):
                line, col = 0, 0
                if positions is not None:  # a list's item, or a mapping's key
                    key = ("lint", "ignore", code, "<key>")
                    line, col = positions.at(key if key in positions.marks
                                             else ("lint", "ignore", index))
                found.append(_unknown(code, text.path, line, col))
    if series is not None:
        for index, code in enumerate(series.ignore):
            if unknown(code, known):
                line, col = series_positions.at(("lint", "ignore", index)) \
                    if series_positions else (0, 0)
                found.append(_unknown(code, series_path, line, col))
        for code in series.severity:
            if unknown(code, known):
                line, col = series_positions.at(("lint", "severity", code, "<key>")) \
                    if series_positions else (0, 0)
                found.append(_unknown(code, series_path, line, col))
    return found


def _unknown(code: str, path: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(SETTINGS_PROBLEM, f"没有代码为 {code} 的编辑检查（B2xx），这一项不起作用；"
                      "代码见 README 的“Editorial rules”表", path, line, col, Severity.WARNING)
