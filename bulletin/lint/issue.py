"""What is wrong with an issue as a whole rather than with one sentence of it: the example
article of `bulletin new` still listed, a credit written into the body as well as in
the front matter, an article in `articles/` that issue.yaml leaves out.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import unicodedata
from pathlib import Path

import yaml

from ..chinese import chinese_numeral
from ..diagnostics import Fix, relative
from ..scaffold import EXAMPLE_PLACEHOLDER, EXAMPLE_TEXT
from ..sources import FRONT_MATTER
from .frontmatter import CREDIT_WRAPPERS
from .rules import ARTICLE, ERROR, ISSUE, WARNING, Finding, IssueTexts, Located, rule
from .text import ArticleText, Passage

# --- B261: the example of `bulletin new` ------------------------------------------------


def squeeze(text: str) -> str:
    """`text` as compared: compatibility forms folded (NFKC), every space taken out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _split_paragraphs(body: str) -> list[str]:
    return [part for part in re.split(r"\n[ \t]*\n", body) if part.strip()]


def _example_parts() -> tuple[str, str, list[str]]:
    """The example's title, credit and body paragraphs (squeezed), as the scaffold writes them."""
    match = FRONT_MATTER.match(EXAMPLE_TEXT)
    if match is None:
        raise ValueError("scaffold.EXAMPLE_TEXT has no front matter")
    data = yaml.safe_load(match.group(1) or "")
    body = EXAMPLE_TEXT[match.end():]
    paragraphs = [squeeze(part) for part in _split_paragraphs(body)]
    return str(data["title"]), str(data["credit"]), paragraphs


EXAMPLE_TITLE, EXAMPLE_CREDIT, EXAMPLE_PARAGRAPHS = _example_parts()
EXAMPLE_BODY = "".join(EXAMPLE_PARAGRAPHS)
if EXAMPLE_PLACEHOLDER not in EXAMPLE_TITLE:
    raise ValueError("scaffold.EXAMPLE_PLACEHOLDER is not in the example's title")
# How like the example's body a body must be to be the example's still (difflib's ratio:
# an edited word or two, a paragraph dropped), and how many of its paragraphs, word for
# word, left in a body of other text: the instructions would print as the article.
SIMILAR_BODY = 0.8
SIMILAR_FILE = 0.95  # the whole file, comments and all: a line or two changed
KEPT_PARAGRAPHS = 2


def _lines_equal(lines: list[str], text: str) -> bool:
    """Whether a file's lines are `text`, but for spaces at line ends and blank lines at the end."""
    ours = [line.rstrip() for line in text.split("\n")]
    theirs = [line.rstrip() for line in lines]
    while ours and not ours[-1]:
        ours.pop()
    while theirs and not theirs[-1]:
        theirs.pop()
    return ours == theirs


def _similar(text: str, other: str, ratio: float = SIMILAR_BODY) -> bool:
    """Whether `text` is `other` but for a few edits (bounded: a text much longer than
    `other` is never compared character by character)."""
    if text == other:
        return True
    if not text or not other or not (0.5 <= len(text) / len(other) <= 2):
        return False
    matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
    return matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio \
        and matcher.ratio() >= ratio


def example_left(text: ArticleText) -> str | None:
    """What of the example of `bulletin new` an article still is: "file" (all of it, as
    written, or but for a line or two), "title" (its placeholder title), "body" (its
    paragraphs, or most of them); None if nothing."""
    return _example_kept(text.lines, "".join(text.article.title_lines),
                         [passage.text for passage in text.body])


def _example_kept(lines: list[str], title: str, paragraphs: list[str]) -> str | None:
    if _lines_equal(lines, EXAMPLE_TEXT) \
            or _similar("\n".join(lines), EXAMPLE_TEXT, SIMILAR_FILE):
        return "file"
    if squeeze(EXAMPLE_PLACEHOLDER) in squeeze(title):
        return "title"
    body = [squeeze(paragraph) for paragraph in paragraphs]
    if _similar("".join(body), EXAMPLE_BODY):
        return "body"
    kept = sum(paragraph in body for paragraph in EXAMPLE_PARAGRAPHS)
    if kept >= min(KEPT_PARAGRAPHS, len(EXAMPLE_PARAGRAPHS)):
        return "body"
    return None


def _ordinal(place: int) -> str:
    return f"第{chinese_numeral(place)}篇" if place < 100 else f"第 {place} 篇"


@rule("B261", ERROR, "issue.yaml 的 articles 中仍列有 bulletin new 生成的示例稿件（按内容认出，"
      "不论文件名），会照样印出", scope=ISSUE)
def example_listed(issue: IssueTexts):
    by_name = {text.article.path.name: text for text in issue.texts if text.article.path}
    place, seen = 0, set()
    for name, line, col in issue.listed:
        if name in seen:  # listed twice: S106
            continue
        seen.add(name)
        place += 1
        text = by_name.get(name)
        left = example_left(text) if text is not None else None
        if left is None:
            continue
        if left == "file":
            what = f"仍列有 bulletin new 生成的示例稿件 {name}"
        else:
            kept = f"标题仍是“{''.join(text.article.title_lines)}”" if left == "title" \
                else "正文仍是示例的说明文字"
            what = f"列出的 {name} 仍是 bulletin new 生成的示例稿件（{kept}）"
        yield Located(f"articles 中{what}，会作为{_ordinal(place)}印出：请删去这一项，或换成正式稿件",
                      path=issue.issue_yaml, line=line, col=col, length=len(name))


# --- B262: the credit written into the body ----------------------------------------------

# Every run of spaces inside a credit is bounded, and a unit's name opens and ends with
# something other than a space: no two runs can take the same spaces, and a paragraph of
# brackets and spaces costs no more than its length to look at.
_SPACE = r"[ \t\u3000]"
_GAP = r"[ \t\u3000\n]{0,4}"  # inside a credit: a line may end in it
_OPEN, _CLOSE = r"[（(【\[〔]", r"[）)】\]〕]"
# A unit's name: no bracket, no mark that ends or splits a sentence, and not too long.
_NAME_CHAR = r"[^（）()【】\[\]〔〕。，；！？,;!?\s]"
_UNIT = rf"{_NAME_CHAR}(?:[^（）()【】\[\]〔〕。，；！？,;!?]{{0,58}}?{_NAME_CHAR})?"
_GONGGAO = rf"供{_GAP}稿"
# `（某县人大常委会供稿）`, `【供稿：某县人大常委会】`, `（本文由某县人大常委会供稿）`.
_CREDIT = (rf"{_OPEN}{_GAP}(?:(?:(?:本文|本稿|此稿|此文)?由)?(?P<unit>{_UNIT}){_GAP}{_GONGGAO}"
           rf"|{_GONGGAO}(?:单位)?{_GAP}[：:]{_GAP}(?P<unit2>{_UNIT})){_GAP}[。.]?{_GAP}{_CLOSE}")
_EMPHASIS = r"(?:\*{1,3}|_{1,3})?"
_END = rf"{_SPACE}{{0,4}}[。.]?"  # a period after the bracket
# A paragraph that is a credit and nothing else (emphasised, perhaps, or with a period).
CREDIT_PARAGRAPH = re.compile(rf"{_SPACE}*(?P<credit>{_EMPHASIS}{_CREDIT}{_END}{_EMPHASIS})"
                              rf"{_SPACE}*")
# A credit after the last sentence of the last paragraph: `……取得实效。（某县人大常委会供稿）`.
CREDIT_AFTER = re.compile(rf"(?<=[。！？…”’」』]){_GAP}(?P<credit>{_CREDIT}{_END}){_SPACE}*\Z")


def credit_unit(credit: str) -> str:
    """The unit a credit names, as compared: without `供稿`, brackets and spaces."""
    return squeeze(CREDIT_WRAPPERS.sub("", credit))


def _written(match: re.Match) -> tuple[int, int, str]:
    unit = match.group("unit") if match.group("unit") is not None else match.group("unit2")
    return match.start("credit"), match.end("credit"), unit


@rule("B262", ERROR, "正文中又写了“（…供稿）”，而 credit 已填：模板会再排一次，供稿单位印两次",
      scope=ARTICLE, prose=True)
def credit_in_body(text: ArticleText):
    written_credit = (text.article.credit or "").strip()
    credit = credit_unit(written_credit)
    if not credit or not text.body:
        return
    last = len(text.body) - 1
    for index, passage in enumerate(text.body):
        match = CREDIT_PARAGRAPH.fullmatch(passage.text)
        whole = match is not None
        if match is None and index == last:
            match = CREDIT_AFTER.search(passage.text)
        if match is None:
            continue
        start, end, unit = _written(match)
        written = passage.text[start:end]
        if not squeeze(unit):
            continue
        same = squeeze(unit) == credit
        if index != last and not same:
            continue  # a compiled article credits each of its items: not a second credit
        yield _credit_finding(passage, start, end, written, same, written_credit,
                              whole and index == last)


def _credit_finding(passage: Passage, start: int, end: int, written: str, same: bool,
                    credit: str, last_paragraph: bool) -> Finding:
    printed = f"（{credit}供稿）"
    if same:
        message = (f"正文写了“{written}”，与头信息 credit 相同；模板已按 credit 排出“{printed}”，"
                   "供稿单位会印两次：请删去正文中的这一处")
    else:
        message = (f"正文写了“{written}”，与头信息 credit“{credit}”不同；模板已按 credit 排出"
                   f"“{printed}”，两处都会印出：请核对供稿单位，把正确的写进 credit，并删去正文中的这一处")
    if same and last_paragraph and "\n" not in passage.text:
        # The whole last line goes (with any indent): `--fix` rewrites one line at a time.
        return Finding(0, message, Fix(passage.text, ""), passage=passage,
                       length=len(passage.text))
    return Finding(start, message, passage=passage, length=end - start)


# --- B263: an article issue.yaml does not list -------------------------------------------

# A folder is looked at in part past this many entries, and at most this many files are
# named one by one (then one finding for the rest).
MAX_SCANNED = 10_000
MAX_NAMED = 20
# An unlisted file this small is looked into, to tell the example of `bulletin new`.
MAX_PEEK_BYTES = 8 * len(EXAMPLE_TEXT.encode("utf-8"))


def ignored(name: str) -> bool:
    """Hidden files, editors' backups and locks (`.~lock.x.md#`, `~$x.md`, `x.md~`,
    `.#x.md`, `.x.md.swp`) and anything but Markdown: not articles."""
    return name.startswith((".", "~", "#")) or name.endswith(("~", "#")) \
        or not name.endswith(".md")


def fold(name: str) -> str:
    """A file name as a case-insensitive, normalising file system (macOS, Windows) sees it."""
    return unicodedata.normalize("NFC", name).casefold()


def _printable(name: str) -> str:
    """A name the system gave back with bytes that are not UTF-8, printable."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _markdown_files(folder: Path) -> tuple[list[str], set[str], bool]:
    """The .md files in `folder` that may be articles (sorted), every name seen, and
    whether the folder was looked at only in part."""
    found, names, partial = [], set(), False
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_SCANNED:
                    partial = True
                    break
                names.add(entry.name)
                if ignored(entry.name):
                    continue
                try:
                    if not entry.is_file():  # a folder, a pipe, a broken link
                        continue
                except OSError:
                    continue
                found.append(entry.name)
    except OSError:
        return [], set(), False
    return sorted(found), names, partial


def _peek(path: Path) -> str | None:
    """A small regular file's text (never a link, never waited on), or None."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_PEEK_BYTES:
            return None
        return os.read(descriptor, MAX_PEEK_BYTES + 1).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(descriptor)


def _is_example(path: Path) -> bool:
    """Whether a file no article lists is the example of `bulletin new`, looked at as
    text (the YAML of a file no article lists is not read: its title is in some line of
    the front matter that is not a comment)."""
    text = _peek(path)
    if text is None:
        return False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    head, body = (match.group(1) or "", text[match.end():]) if match else ("", text)
    title = "".join(line for line in head.split("\n") if not line.lstrip().startswith("#"))
    return _example_kept(text.split("\n"), title, _split_paragraphs(body)) is not None


@rule("B263", WARNING, "articles/ 中有 issue.yaml 未列出的 .md 文件：不会印出", scope=ISSUE)
def unlisted_articles(issue: IssueTexts):
    if issue.folder is None or not issue.listed:
        return  # no list to go by (issue.yaml unreadable, `articles` not a list): S1xx
    folder = issue.folder / "articles"
    files, seen, partial = _markdown_files(folder)
    listed = {name for name, _, _ in issue.listed}
    # A listed name no file has, but a file has but for case or normalisation: S104 says
    # so (or the system opens the file by that name): not a file left out.
    misspelt = {fold(name) for name in listed if name not in seen}
    unlisted = [name for name in files if name not in listed and fold(name) not in misspelt]
    shown_folder = relative(folder, issue.root)
    for name in unlisted[:MAX_NAMED]:
        shown = f"{shown_folder}/{_printable(name)}"
        if _is_example(folder / name):
            message = (f"{_printable(name)} 是 bulletin new 生成的示例稿件，issue.yaml 的 articles 中"
                       "没有列出，不会印出：不再需要的话请删去此文件")
        else:
            message = (f"稿件 {_printable(name)} 未在 issue.yaml 的 articles 中列出，不会印出：要刊登的话请"
                       "在 issue.yaml 的 articles 中列出（按刊登顺序），否则请删去此文件或移出 articles/")
        yield Located(message, path=shown)
    rest = len(unlisted) - MAX_NAMED
    note = f"（文件夹中的文件过多，只查看了前 {MAX_SCANNED} 个）" if partial else ""
    if rest > 0:
        more = (f"另有{'至少' if partial else ''} {rest} 个 .md 文件未在 issue.yaml 的 articles 中"
                f"列出，不再逐一报告{note}")
    elif partial:
        more = f"可能还有未在 issue.yaml 的 articles 中列出的 .md 文件{note}"
    else:
        return
    yield Located(f"{shown_folder}/ 中{more}：请整理这个文件夹，只留下本期的稿件", path=shown_folder)
