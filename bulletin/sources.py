"""Read bulletin.yaml, issues/N/issue.yaml and articles/*.md, keeping line numbers.

Every problem becomes a Diagnostic with `path:line:col`; reading goes on after a
problem so that one run reports all of them.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .codes import ERROR, register
from .diagnostics import BulletinError, Diagnostic, relative

if TYPE_CHECKING:  # imported where used: a no-change `build --all` reads bytes, no pydantic
    from pydantic import BaseModel

    from .model import Article, Bulletin, Issue

SERIES_FILE = "bulletin.yaml"
ISSUES_DIR = "issues"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


# Bounds for hostile input: a source file's size, and what its YAML may expand to.
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
MAX_YAML_BYTES = 256 * 1024
MAX_ISSUE_BYTES = 20 * 1024 * 1024
MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 20_000  # counted with every alias expanded: a "billion laughs" stops here
# No field holds a number of more than a few digits (期号, a date's year). Python refuses to
# turn a string of more than 4300 digits into an int (and a long one costs quadratic
# time): a YAML integer longer than this is reported where it stands, never converted.
MAX_INT_DIGITS = 64
# A file name longer than this cannot exist on Linux, macOS or Windows file systems.
MAX_NAME_BYTES = 255

# The bounds of an article's body, checked when it is read, before anything is laid out
# (`body_problems`). The layout's cost grows with a table's cells, about 2 ms a cell on a
# 2-core machine, with WeasyPrint's memory (500 rows x 20 columns: 27 s and 420 MB;
# 20 000 rows x 4: 126 s and 1.2 GB; bench/table_scaling.py prints the figures):
# - 500 rows: a one-line row is one of a page's 22 grid lines, so 500 rows fill 23
#   pages, twice the longest issue; a longer table belongs in an attachment.
# - 20 columns: the column is 442 pt wide; 20 columns leave each cell 19.6 pt of text,
#   two characters at 9.8 pt, about the smallest type a printed table can be read in.
# - 3 000 cells a table (500 rows of 6 columns, 150 of 20), 6 000 an article: a few
#   seconds of layout each, whatever the shape.
MAX_TABLE_ROWS = 500
MAX_TABLE_COLUMNS = 20
MAX_TABLE_CELLS = 3_000
MAX_ARTICLE_TABLE_CELLS = 6_000
# Lists and block quotes nested in each other: each level of a list takes two of the 28
# characters of a line, a block quote more, so 8 levels leave 12 characters at most. Past
# 50 levels markdown-it (maxNesting 100: a list level is two of its levels) drops the
# rest of the text without a word: found here, as an error, before that can happen.
MAX_BLOCK_DEPTH = 8

# Codes of the checks above (the README's Diagnostics table lists them; S122 is the
# layout's own code for content nested too deep, found here before the layout).
ISSUE_FOLDER_NAME = "S116"
TABLE_TOO_LARGE = "S117"
NESTED_TOO_DEEP = "S122"
register(ISSUE_FOLDER_NAME, ERROR, "issues/ 下的文件夹名不是期号：期号只能用阿拉伯数字 0–9 书写")
register(TABLE_TOO_LARGE, ERROR, "表格过大：行数、列数或单元格数超过上限")


def _model():
    """bulletin.model (pydantic), imported when a source is first validated."""
    from . import model

    return model


def _validation_error() -> type[Exception]:
    from pydantic import ValidationError

    return ValidationError


class YAMLBoundError(yaml.YAMLError):
    def __init__(self, message: str, mark=None):
        super().__init__(message)
        self.message, self.mark = message, mark


class YAMLValueError(YAMLBoundError):
    """A value that cannot be taken as written (a number too long): S103 where it stands."""


class SafeLoader(yaml.SafeLoader):
    """YAML's safe loader: no Python tags, dates left as text for the schema, and bounded."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise YAMLBoundError(f"嵌套超过 {MAX_YAML_DEPTH} 层", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):
        digits = len(node.value.replace("_", "").lstrip("+-"))  # hex and octal digits too
        if digits > MAX_INT_DIGITS:
            raise YAMLValueError(f"数字过长（{digits} 位，上限 {MAX_INT_DIGITS} 位），"
                                 "请检查是否误贴了内容", node.start_mark)
        return super().construct_yaml_int(node)


SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)


def expanded_size(node: yaml.Node, sizes: dict | None = None,
                  open_: set | None = None) -> int:
    """How many nodes the document holds once every alias is expanded (memoized).
    YAMLBoundError for an alias inside what it names (`&a [*a]`): no end to expand."""
    sizes = {} if sizes is None else sizes
    open_ = set() if open_ is None else open_
    if id(node) in open_:
        raise YAMLBoundError("别名 * 引用了包含它自己的锚点 &（循环引用）", node.start_mark)
    if id(node) in sizes:
        return sizes[id(node)]
    open_.add(id(node))
    total = 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            total += expanded_size(key, sizes, open_) + expanded_size(value, sizes, open_)
            if total > MAX_YAML_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            total += expanded_size(item, sizes, open_)
            if total > MAX_YAML_NODES:
                break
    open_.discard(id(node))
    sizes[id(node)] = total
    return total


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


LINE_END = re.compile(r"\r\n|\r|\n")
# What a read refuses for safety (not a regular file, a link out, too large): reported
# even for a file that is only looked at in passing.
HAZARDS = frozenset(("S109", "S113", "S114"))


class ProjectNotFound(Exception):
    pass


_OS_PROBLEMS = {
    errno.ENAMETOOLONG: "文件名过长",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接循环指向自身",
    errno.EIO: "读写错误（磁盘或网络存储故障）",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOENT: "文件不存在",
}


def os_problem_zh(exc: OSError) -> str:
    """What an OSError means, in Chinese (the system's own words after it, if unknown)."""
    known = _OS_PROBLEMS.get(exc.errno)
    return known or f"系统错误：{exc.strerror or exc}"


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a file name on any system, or None."""
    if "\x00" in name:
        return "文件名中含有空字符（\\0）"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "文件名中含有无效的字符"
    if size > MAX_NAME_BYTES:
        return f"文件名过长（{len(name)} 个字符、{size} 字节，上限 {MAX_NAME_BYTES} 字节）"
    return None


def source_lines(path: Path) -> list[str]:
    """A UTF-8 source file's lines, numbered as diagnostics number them ([] if unreadable)."""
    try:
        return LINE_END.split(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return []


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder upwards that holds bulletin.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SERIES_FILE).is_file():
            return folder
    raise ProjectNotFound(f"在 {here} 及其上级目录中找不到 {SERIES_FILE}，请在简报项目目录中运行")



HASH_CHUNK = 1024 * 1024


def file_sha256(path: Path, limit: int | None = None, follow_links: bool = True) -> bytes | None:
    """The SHA-256 of a regular file (of at most `limit` bytes), read in chunks; None if it
    is not such a file or cannot be read. Opened without blocking and looked at through
    its descriptor: a pipe put in its place is never waited on. With `follow_links`
    False, a symbolic link is not such a file."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or (limit is not None and status.st_size > limit):
            return None
        hasher, read = hashlib.sha256(), 0
        while chunk := os.read(descriptor, HASH_CHUNK):
            read += len(chunk)
            if limit is not None and read > limit:  # it grew while being read
                return None
            hasher.update(chunk)
        return hasher.digest()
    except OSError:
        return None
    finally:
        os.close(descriptor)

@dataclass
class Positions:
    """Where each value of a YAML document stands: key path → (line, col), 1-based."""

    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0  # lines before the YAML text in its file (front matter)

    def at(self, loc: tuple) -> tuple[int, int]:
        loc = tuple(loc)
        while loc and loc not in self.marks:
            loc = loc[:-1]
        line, col = self.marks.get(loc, (1, 1))
        return line + self.line_offset, col


def _collect_marks(node: yaml.Node, path: tuple, marks: dict,
                   duplicates: list | None = None) -> None:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if duplicates is not None and path + (key, "<key>") in marks:
                duplicates.append((path + (key,), marks[path + (key, "<key>")][0],
                                   (key_node.start_mark.line + 1, key_node.start_mark.column + 1)))
            _collect_marks(value_node, path + (key,), marks, duplicates)
            # An unknown or missing key is reported at the key itself.
            marks[path + (key, "<key>")] = (key_node.start_mark.line + 1,
                                           key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(item, path + (index,), marks, duplicates)


class SourceReader:
    """Reads sources below a project root and collects diagnostics."""

    def __init__(self, root: Path, shared: dict | None = None, also: Path | None = None):
        self.root = root
        # Where sources may be read: the project, and `also`, the folder of a
        # contributor's draft outside it (its images beside it): never beyond.
        self.jails = [root.resolve()] + ([also.resolve()] if also is not None else [])
        # What several readers of one command share, so that no file is read twice: the
        # series settings, and the number each issue.yaml gives (Project passes one).
        self.shared = shared if shared is not None else {}
        self.diagnostics: list[Diagnostic] = []
        self.bytes_read = 0
        # What editorial lint needs beyond the model: every article read, and where its
        # front matter values stand in the file.
        self.articles: list[Article] = []
        self.front_matter: dict[Path, Positions] = {}
        self.texts: dict[str, str] = {}  # every text read, by its path as diagnostics show it
        self.bulletin: Bulletin | None = None  # the series settings, once read
        self.bulletin_positions: Positions | None = None
        # The articles issue.yaml lists, as written there: (name, line, column).
        self.listed: list[tuple[str, int, int]] = []

    def rel(self, path: Path) -> str:
        return relative(path, self.root)

    def error(self, code: str, message: str, path: Path, line: int = 0, col: int = 0):
        self.diagnostics.append(Diagnostic(code, message, self.rel(path), line, col))

    # --- files -----------------------------------------------------------------

    def read_text(self, path: Path) -> str | None:
        """A source's text (UTF-8, line ends as `\n`), or None with a diagnostic."""
        shown = self.rel(path)
        read = self.shared.setdefault("texts", {})  # by this command's readers, once each
        if shown in read:
            text, diagnostics = read[shown]
            self.diagnostics += diagnostics
        else:
            start = len(self.diagnostics)
            raw = self.read_bytes(path)
            text = self.decode(raw, path) if raw is not None else None
            read[shown] = (text, self.diagnostics[start:])
        if text is not None:
            self.texts[shown] = text
        return text

    def lines(self, shown: str) -> list[str] | None:
        """The lines of a text this reader read, numbered as diagnostics number them."""
        text = self.texts.get(shown)
        return text.split("\n") if text is not None else None

    def read_bytes(self, path: Path) -> bytes | None:
        """A source's bytes, bounded: a regular file inside the project, under its size
        limit; None with a diagnostic otherwise. The one way a source is read."""
        problem = name_problem(path.name)
        if problem:
            self.error("S109", f"无法读取文件：{problem}", path)
            return None
        try:
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                kind = "文件夹" if stat.S_ISDIR(status.st_mode) else "特殊文件（如管道或设备）"
                self.error("S109", f"这里应是普通文件，却是一个{kind}", path)
                return None
            resolved = path.resolve()
            if not any(resolved.is_relative_to(jail) for jail in self.jails):
                self.error("S114", "文件是指向项目以外的链接，出于安全考虑不予读取", path)
                return None
            limit = MAX_MARKDOWN_BYTES if path.suffix == ".md" else MAX_YAML_BYTES
            if status.st_size > limit:
                self.error("S113", f"文件过大（{status.st_size / 1048576:.1f} MB，"
                           f"上限 {limit / 1048576:g} MB），请检查是否误贴了大量内容", path)
                return None
            self.bytes_read += status.st_size
            if self.bytes_read > MAX_ISSUE_BYTES:
                self.error("S113", f"本期稿件合计超过 {MAX_ISSUE_BYTES // 1048576} MB，停止读取",
                           path)
                return None
            return path.read_bytes()
        except FileNotFoundError:
            self.error("S109", "文件不存在", path)
            return None
        except IsADirectoryError:
            self.error("S109", "这里应是文件，却是一个文件夹", path)
            return None
        except (OSError, RuntimeError) as exc:  # RuntimeError: resolve() of a link loop
            problem = os_problem_zh(exc) if isinstance(exc, OSError) else "符号链接循环指向自身"
            self.error("S109", f"无法读取文件：{problem}", path)
            return None

    def decode(self, raw: bytes, path: Path) -> str | None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line_start = raw.rfind(b"\n", 0, exc.start) + 1
            line = raw[: exc.start].count(b"\n") + 1
            col = len(raw[line_start: exc.start].decode("utf-8", errors="replace")) + 1
            guess = _guess_encoding(raw)
            name = path.name
            if guess:
                hint = (f"看起来是 {guess} 编码。请在编辑器中“另存为”UTF-8，或运行："
                        f"iconv -f {guess} -t UTF-8 {name} > {name}.utf8 && mv {name}.utf8 {name}")
            else:
                hint = "请在编辑器中“另存为”UTF-8"
            self.error("S107", f"文件不是 UTF-8 编码，{hint}", path, line, col)
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def load_yaml(self, text: str, path: Path, line_offset: int = 0):
        try:
            loader = SafeLoader(text)
            try:
                node = loader.get_single_node()
                if node is not None and expanded_size(node) > MAX_YAML_NODES:
                    raise YAMLBoundError(
                        f"内容展开后超过 {MAX_YAML_NODES} 项（别名 * 引用过多）", node.start_mark)
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
            positions = Positions(line_offset=line_offset)
            duplicates: list = []
            if node is not None:
                _collect_marks(node, (), positions.marks, duplicates)
        except YAMLValueError as exc:
            line = (exc.mark.line + 1 + line_offset) if exc.mark else 0
            col = (exc.mark.column + 1) if exc.mark else 0
            self.error("S103", exc.message, path, line, col)
            return None, None
        except YAMLBoundError as exc:
            line = (exc.mark.line + 1 + line_offset) if exc.mark else 0
            col = (exc.mark.column + 1) if exc.mark else 0
            self.error("S115", f"YAML 过于复杂：{exc.message}", path, line, col)
            return None, None
        except RecursionError:
            self.error("S115", "YAML 过于复杂：嵌套过深", path)
            return None, None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = (mark.line + 1 + line_offset) if mark else 0
            col = (mark.column + 1) if mark else 0
            problem = exc.problem or exc.context or "格式错误"
            self.error("S108", f"YAML 格式错误：{_yaml_problem_zh(problem)}", path, line, col)
            return None, None
        except yaml.reader.ReaderError as exc:
            before = text[: exc.position]
            line = before.count("\n") + 1 + line_offset
            col = exc.position - (before.rfind("\n") + 1) + 1
            self.error("S108", f"YAML 中不能有控制字符 U+{exc.character:04X}，请删去",
                       path, line, col)
            return None, None
        except yaml.YAMLError as exc:
            self.error("S108", f"YAML 格式错误：{exc}", path)
            return None, None
        for loc, first_line, (line, col) in duplicates:
            name = ".".join(str(part) for part in loc)
            self.error("S112", f"字段“{name}”重复（第 {first_line + line_offset} 行已写过），"
                       "后写的值会覆盖前面的值", path, line + line_offset, col)
        return data, positions

    def validate(self, schema: type[BaseModel], data: Any, path: Path,
                 positions: Positions | None):
        if data is None:
            data = {}
        if not isinstance(data, dict):
            line, col = positions.at(()) if positions else (1, 1)
            self.error("S103", "内容应为“字段: 值”形式的映射", path, line, col)
            return None
        try:
            return schema.model_validate(data)
        except _validation_error() as exc:
            for err in _without_union_branches(schema, exc.errors()):
                self._schema_error(schema, err, path, positions or Positions())
            return None

    def _schema_error(self, schema, err, path, positions: Positions):
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "union":
            line, col = positions.at(loc)
            name = ".".join(str(part) for part in loc)
            self.error("S103", f"字段“{name}”{err['msg']}", path, line, col)
            return
        name = ".".join(str(part) for part in loc)
        if kind == "missing":
            line, col = positions.at(loc[:-1])
            code, message = "S101", f"缺少必填字段“{name}”"
        elif kind == "extra_forbidden":
            line, col = positions.at(loc + ("<key>",))
            code, message = "S102", f"未知字段“{name}”"
            known = _field_names(schema, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            if close:
                message += f"，是否想写“{close[0]}”？"
            elif known:
                message += f"；可用字段：{'、'.join(known)}"
        else:
            line, col = positions.at(loc)
            code, message = "S103", f"字段“{name}”{_type_problem_zh(err)}"
        self.error(code, message, path, line, col)

    # --- the project -------------------------------------------------------------

    def read_yaml_file(self, path: Path, schema: type[BaseModel]):
        """A YAML file validated against `schema`: (model or None, its positions or None)."""
        text = self.read_text(path)
        if text is None:
            return None, None
        data, positions = self.load_yaml(text, path)
        if positions is None:
            return None, None
        return self.validate(schema, data, path, positions), positions

    def read_bulletin(self) -> Bulletin | None:
        self.bulletin, self.bulletin_positions = self.read_yaml_file(self.root / SERIES_FILE,
                                                                     _model().Bulletin)
        return self.bulletin

    def issue_folder(self, number: int) -> Path:
        return self.root / ISSUES_DIR / str(number)

    def read_issue(self, number: int) -> Issue | None:
        bulletin = self.read_bulletin()
        folder = self.issue_folder(number)
        path = folder / "issue.yaml"
        if not folder.is_dir():
            message = f"找不到第 {number} 期：没有文件夹 {self.rel(folder)}/"
            misnamed = sorted(other.name for other in _issue_folders(folder.parent)
                              if other.name.lstrip("0") == str(number))
            if misnamed:
                message += f"（有 {ISSUES_DIR}/{misnamed[0]}/：期号文件夹名不以 0 开头，请改名为 " \
                           f"{self.rel(folder)}/）"
            self.error("S110", message, folder)
            return None
        text = self.read_text(path)
        if text is None:
            return None
        data, positions = self.load_yaml(text, path)
        if positions is None:
            return None
        source = self.validate(_model().IssueSource, data, path, positions)
        if source is not None:
            if source.number != number:
                line, col = positions.at(("number",))
                self.error("S105", f"期号 {source.number} 与文件夹名 {number} 不一致",
                           path, line, col)
            self._numbers()[path.resolve()] = (source.number, [])
            self._check_duplicate_numbers(source.number, path, positions)
            names = source.articles
        else:
            # Read the articles anyway, so that one run reports their problems too.
            listed = data.get("articles") if isinstance(data, dict) else None
            names = [name for name in listed if isinstance(name, str) and name.endswith(".md")
                     and "/" not in name and "\\" not in name] if isinstance(listed, list) else []

        articles = []
        seen: dict[str, int] = {}
        for index, name in enumerate(names):
            line, col = positions.at(("articles", index))
            self.listed.append((name, line, col))
            if name in seen:
                self.error("S106", f"稿件“{name}”重复列出（第 {seen[name] + 1} 项已列）",
                           path, line, col)
                continue
            seen[name] = index
            problem = name_problem(name)
            if problem:
                self.error("S103", f"字段“articles.{index}”：{problem}", path, line, col)
                continue
            article_path = folder / "articles" / name
            if not _is_file(article_path):
                message = f"找不到稿件文件 articles/{name}"
                others = _article_names(folder / "articles")
                close = difflib.get_close_matches(name, others, n=1, cutoff=0.6)
                if close:
                    message += f"，是否想写“{close[0]}”？"
                self.error("S104", message, path, line, col)
                continue
            article = self.read_article(article_path)
            if article is not None:
                articles.append(article)
        if bulletin is None or source is None or len(articles) != len(seen):
            return None
        distribution = list(source.distribution or bulletin.distribution)
        distribution += source.extra_distribution
        return _model().Issue(bulletin=bulletin, number=source.number, date=source.date,
                     articles=articles, distribution=distribution,
                     supplement=source.supplement, folder=folder,
                     distribution_placement=(source.distribution_placement
                                             or bulletin.distribution_placement),
                     printed_on=source.printed_on or (source.date if bulletin.print.printed_date
                                                      else None),
                     copies=source.copies)

    def _numbers(self) -> dict[Path, tuple]:
        return self.shared.setdefault("numbers", {})

    def _check_duplicate_numbers(self, number: int, path: Path, positions: Positions):
        numbers = self._numbers()
        for other in sorted((self.root / ISSUES_DIR).glob("*/issue.yaml")):
            key = other.resolve()
            if key == path.resolve():
                continue
            if key not in numbers:
                # Bounded like every read: a pipe or a device there is named, never waited on.
                peek = SourceReader(self.root, self.shared)
                text = peek.read_text(other)
                data = peek.load_yaml(text, other)[0] if text is not None else None
                numbers[key] = (data.get("number") if isinstance(data, dict) else None,
                                [d for d in peek.diagnostics if d.code in HAZARDS])
            other_number, hazards = numbers[key]
            self.diagnostics += hazards
            if other_number == number:
                line, col = positions.at(("number",))
                self.error("S105", f"期号 {number} 与 {self.rel(other)} 重复", path, line, col)

    def read_article(self, path: Path) -> Article | None:
        text = self.read_text(path)
        if text is None:
            return None
        match = FRONT_MATTER.match(text)
        if not match:
            self.error("S111", "稿件开头缺少 YAML 头信息（以 --- 开始和结束，至少含 title 与 credit）",
                       path, 1, 1)
            return None
        data, positions = self.load_yaml(match.group(1) or "", path, line_offset=1)
        if positions is None:
            return None
        source = self.validate(_model().ArticleSource, data, path, positions)
        if source is None:
            return None
        body_line = text[: match.end()].count("\n") + 1
        problems = body_problems(text[match.end():])
        for code, message, line in problems:
            self.error(code, message, path, body_line + line, 1)
        if problems:
            # Past a bound, the article goes no further: not laid out, and not linted
            # either (the rules' cost grows with it too); its other problems are found
            # once it is within bounds.
            return None
        subtitle = source.subtitle.lstrip("—").strip() if source.subtitle else None
        article = _model().Article(
            slug=path.stem, title_lines=source.title_lines, credit=source.credit,
            lint_ignore=source.lint.reasons if source.lint else {},
            subtitle=subtitle or None, body=text[match.end():], path=path, body_line=body_line)
        self.articles.append(article)
        self.front_matter[path] = positions
        return article


def _issue_folders(issues: Path) -> list[Path]:
    try:
        return [entry for entry in issues.iterdir() if entry.is_dir()]
    except OSError:
        return []


def _is_file(path: Path) -> bool:
    """Path.is_file(), False for any error (a name the system refuses, a loop)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _article_names(folder: Path, limit: int = 10_000) -> list[str]:
    """The .md names in `folder`, for "did you mean"; a huge folder is looked at in part."""
    names = []
    try:
        for entry in os.scandir(folder):
            if entry.name.endswith(".md"):
                names.append(entry.name)
            if len(names) >= limit:
                break
    except OSError:
        return []
    return sorted(names)


# --- the bounds of a body -------------------------------------------------------------

# A line that may be a table's delimiter row (`| --- | :-: |`), inside quotes or lists too:
# only `|`, `:`, `-`, spaces after any `>` and indentation, with a `-`. A superset of what
# markdown-it takes, found line by line without parsing.
_DELIMITER_ROW = re.compile(r"^[ \t>]*[|:-][|: \t-]*$")
_LIST_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$)")


def _depth_bound(line: str) -> int:
    """At most how many lists and block quotes `line` is nested in: its `>`s and list
    markers, and a level for every two columns of indentation (a list's content is
    indented two columns at least), leading tabs counted as four."""
    depth = columns = index = 0
    while index < len(line):
        char = line[index]
        if char == " ":
            columns += 1
        elif char == "\t":
            columns += 4
        elif char == ">":
            depth += 1
        else:
            marker = _LIST_MARKER.match(line, index)
            if marker is None:
                break
            depth += 1
            index = marker.end()
            continue
        index += 1
    return depth + columns // 2


def _row_cells(line: str) -> int:
    return len(line.strip(" \t>").strip("|").split("|"))


def body_problems(body: str) -> list[tuple[str, str, int]]:
    """What in a Markdown body is past the bounds above: (code, message, 0-based line).

    Linear in the body: a scan of its lines finds at most how large each table can be
    and how deep anything can be nested; only when that passes a bound does markdown-it
    parse it, with each long table cut to just past the bound, to tell exactly."""
    lines = body.split("\n")
    suspect = False
    regions: list[tuple[int, int]] = []  # (delimiter row, end of the rows after it)
    total = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        if _depth_bound(line) > MAX_BLOCK_DEPTH:
            suspect = True
        if index and "-" in line and "|" in lines[index - 1] and _DELIMITER_ROW.match(line):
            end = index + 1
            while end < len(lines) and lines[end].strip(" \t>"):
                end += 1
            rows, columns = end - index, _row_cells(line)  # the header row and the body's
            total += rows * columns
            if rows > MAX_TABLE_ROWS or columns > MAX_TABLE_COLUMNS \
                    or rows * columns > MAX_TABLE_CELLS or total > MAX_ARTICLE_TABLE_CELLS:
                suspect = True
            regions.append((index, end))
            index = end
            continue
        index += 1
    if not suspect:
        return []

    # Long tables cut to one row past the bound, unless a cut line could open a list or
    # a quote (which ends the table, and would then go unparsed).
    kept: list[str] = []
    origin: list[int] = []  # the body line of each kept line
    cut_rows: dict[int, int] = {}  # kept line of a cut table's header row → its rows
    position = 0
    for delimiter, end in regions:
        keep_to = delimiter + MAX_TABLE_ROWS + 1
        if end > keep_to and not any(_depth_bound(line) for line in lines[keep_to:end]):
            cut_rows[len(kept) + delimiter - position - 1] = end - delimiter
            kept += lines[position:keep_to]
            origin += range(position, keep_to)
            position = end
    kept += lines[position:]
    origin += range(position, len(lines))

    from .markup import _parser

    problems: list[tuple[str, str, int]] = []
    tokens = _parser().parse("\n".join(kept))
    depth, deepest_reported, cells_in_article, total_reported = 0, False, 0, False
    for at, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            depth += 1
            if depth > MAX_BLOCK_DEPTH and not deepest_reported and token.map:
                deepest_reported = True
                problems.append((NESTED_TOO_DEEP, f"列表或引用嵌套超过 {MAX_BLOCK_DEPTH} 层："
                                 "过深的部分排不下（嵌套再深，其中的文字会丢失），请减少嵌套层数",
                                 origin[token.map[0]]))
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            depth -= 1
        elif token.type == "table_open" and token.map:
            rows = columns = 0
            inner = at + 1
            while inner < len(tokens) and tokens[inner].type != "table_close":
                rows += tokens[inner].type == "tr_open"
                columns += tokens[inner].type == "th_open"
                inner += 1
            first = token.map[0]
            rows = cut_rows.get(first, rows)
            cells = rows * columns
            cells_in_article += cells
            line = origin[first]
            if rows > MAX_TABLE_ROWS:
                pages = -(-rows // 22)
                problems.append((TABLE_TOO_LARGE, f"表格有 {rows} 行（约 {pages} 页），超过上限 "
                                 f"{MAX_TABLE_ROWS} 行：请拆成几个表格，或只列要点、另附完整表格",
                                 line))
            elif columns > MAX_TABLE_COLUMNS:
                problems.append((TABLE_TOO_LARGE, f"表格有 {columns} 列，超过上限 {MAX_TABLE_COLUMNS} "
                                 "列：版心排不下，请拆分表格或行列互换", line))
            elif cells > MAX_TABLE_CELLS:
                problems.append((TABLE_TOO_LARGE, f"表格有 {cells} 个单元格（{rows} 行 × {columns} "
                                 f"列），超过上限 {MAX_TABLE_CELLS} 个：请拆分表格", line))
            elif cells_in_article > MAX_ARTICLE_TABLE_CELLS and not total_reported:
                total_reported = True
                problems.append((TABLE_TOO_LARGE, f"本稿的表格合计超过 {MAX_ARTICLE_TABLE_CELLS} "
                                 "个单元格：请精简表格，或另附完整表格", line))
    return problems


def load_issue(root: Path, number: int) -> Issue:
    """Read and validate issue `number`; raise BulletinError with every problem found."""
    reader = SourceReader(root)
    issue = reader.read_issue(number)
    if reader.diagnostics or issue is None:
        raise BulletinError(sorted(reader.diagnostics, key=Diagnostic.sort_key))
    return issue


def _without_union_branches(schema: type[BaseModel], errors: list[dict]) -> list[dict]:
    """Pydantic's errors with union member tags taken out of `loc`, one member per union.

    A value that fits no member of `str | list[str]` gets an error from each member; the
    user needs only the one for the shape they wrote (a list → the list member's error).
    """
    unions: dict[tuple, dict[str, list[dict]]] = {}
    kept = []
    for err in errors:
        loc, tag_at, tag = _strip_union_tag(schema, tuple(err["loc"]))
        err = {**err, "loc": loc}
        if tag is None:
            kept.append(err)
        else:
            unions.setdefault(loc[:tag_at], {}).setdefault(tag, []).append(err)
    for field_loc, members in unions.items():
        # The member whose shape fits: its errors are about items or constraints, not type.
        fitting = [errs for errs in members.values()
                   if any(len(e["loc"]) > len(field_loc) or not e["type"].endswith("_type")
                          for e in errs)]
        if len(fitting) == 1:
            kept.extend(fitting[0])
        else:
            problems = "，或".join(dict.fromkeys(
                _type_problem_zh(e) for errs in members.values() for e in errs))
            kept.append({"loc": field_loc, "type": "union", "msg": problems})
    return kept


def _strip_union_tag(schema: type[BaseModel], loc: tuple):
    """`loc` without its union member tag, where the tag stood, and the tag."""
    model = schema
    for index, part in enumerate(loc):
        if isinstance(part, int):
            continue
        if model is None:
            return loc[:index] + loc[index + 1:], index, part
        info = model.model_fields.get(part)
        if info is None:  # an unknown key
            break
        model = _inner_model(info.annotation)
    return loc, None, None


def _field_names(schema: type[BaseModel], loc: tuple) -> list[str]:
    model = schema
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        model = _inner_model(info.annotation) if info else None
        if model is None:
            return []
    return list(model.model_fields)


def _inner_model(annotation):
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_TYPE_PROBLEMS = {
    "int_parsing": "应为整数",
    "int_parsing_size": "数字过大",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "应为不小于 {ge} 的数",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，不含时间",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "string_type": "应为文本",
    "string_unicode": "含有无效的字符",
    "string_too_short": "不能为空",
    "list_type": "应为列表",
    "too_short": "至少应有 {min_length} 项",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "model_type": "应为“字段: 值”形式的映射",
    "model_attributes_type": "应为“字段: 值”形式的映射",
    "dict_type": "应为“字段: 值”形式的映射",
}


def _type_problem_zh(err: dict) -> str:
    kind = err["type"]
    if kind == "value_error":
        return "：" + str(err.get("ctx", {}).get("error", err["msg"]))
    template = _TYPE_PROBLEMS.get(kind)
    if template:
        try:
            return template.format(**err.get("ctx", {}))
        except (KeyError, IndexError):
            return template
    return f"取值无效（{err['msg']}）"


def _yaml_problem_zh(problem: str) -> str:
    known = {
        "mapping values are not allowed here": "此处不能出现“: ”（值里含冒号时请加引号）",
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请用空格",
        "could not find expected ':'": "缺少“:”",
        "found undefined alias": "引用了未定义的锚点",
        "expected <block end>, but found '-'": "列表缩进不一致",
    }
    for english, chinese in known.items():
        if problem.startswith(english):
            return chinese
    return problem


def _guess_encoding(raw: bytes) -> str | None:
    # Word's "Unicode" text is UTF-16 with a byte-order mark.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for encoding in ("gb18030", "big5", "utf-16"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding.upper()
    return None
