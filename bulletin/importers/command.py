"""`bulletin import`: one submission in, one article (and its images) out, problems listed.

The readers' problems become Diagnostics here, once the Markdown is written and the line
of each block is known, and are printed as `bulletin check` prints its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..codes import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, severity_of
from ..diagnostics import Diagnostic, print_all, relative
from ..images import inspect
from . import SUFFIXES, ImportedArticle, Picture, Problem, SubmissionError, read_submission
from .common import CREDIT_FIELD, NOT_LISTED, PICTURE_REFUSED, TITLE_FIELD
from .issue_list import with_article
from .slugs import derived_slug, unique_slug
from .writer import field_lines, render_article, write_text_atomically

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
OLD_FORMATS = {".doc", ".wps", ".rtf", ".odt"}  # Word or WPS can save these as .docx

Echo = Callable[..., None]


def run_import(root: Path, source: Path, number: int, *, slug: str | None = None,
               force: bool = False, add: bool = False, echo: Echo = print) -> int:
    """Import `source` into issue `number`; print what happened; return the exit code."""
    folder = root / "issues" / str(number)
    slug = slug.removesuffix(".md") if slug is not None else None
    refusal = _usage_problem(root, source, folder, number, slug)
    if refusal:
        echo(refusal, err=True)
        return EXIT_ERROR
    try:
        article = read_submission(source)
    except SubmissionError as exc:  # the file's content: unreadable, damaged, too large
        echo(str(exc), err=True)
        return EXIT_PROBLEMS
    encoding = f"（编码：{article.encoding}）" if article.encoding else ""
    echo(f"已读取 {source.name}{encoding}")
    if not article.title and not article.paragraphs:
        echo(f"{source.name} 中没有可导入的文字，未写入稿件", err=True)
        return EXIT_PROBLEMS

    articles = folder / "articles"
    slug, origin = _choose_slug(slug, source, article, articles, folder / "issue.yaml", root,
                                force)
    target, images = articles / f"{slug}.md", articles / f"{slug}-images"
    echo(f"稿件代号：{slug}（{origin}）")
    clashes = [target] if target.exists() else []
    clashes += [images / name for name in article.images if (images / name).exists()]
    if clashes and not force:
        echo(f"{relative(clashes[0], root)} 已存在，未覆盖；如需覆盖请加 --force，"
             "或用 --slug 另取代号", err=True)
        return EXIT_PROBLEMS

    text, starts = _write(article, target, images)
    echo("标题：" + (article.title_text or "（未找到）"))
    if article.subtitle:
        echo("副标题：" + article.subtitle)
    echo("供稿：" + (article.credit or "（未找到）"))
    summary = f"已写入 {relative(target, root)}（{len(article.paragraphs)} 段"
    if article.images:
        summary += f"，{len(article.images)} 张图片存于 {relative(images, root)}/"
    echo(summary + "）")

    shown = relative(target, root)
    written = text.split("\n")
    diagnostics = located(article, written, starts, shown)
    issue_yaml = folder / "issue.yaml"
    if add:
        problem = _add_to_issue(issue_yaml, target.name, root, echo)
        if problem:
            diagnostics.append(Diagnostic(NOT_LISTED, problem, relative(issue_yaml, root),
                                          severity=severity_of(NOT_LISTED)))
    else:
        echo(f"尚未排入本期：请把 {target.name} 加入 {relative(issue_yaml, root)} 的 articles 列表"
             "（或导入时加 --add）")
    if diagnostics:
        echo(f"有 {len(diagnostics)} 处需要人工处理：")
        print_all(diagnostics, root, echo, texts={shown: "\n".join(written)})
        return EXIT_PROBLEMS
    return EXIT_OK


def located(article: ImportedArticle, lines: list[str], starts: list[int],
            path: str) -> list[Diagnostic]:
    """The article's problems as Diagnostics of the written file `path` (its `lines`;
    `starts`: the line each block starts on), in the order of the file."""
    fields = field_lines(article)
    seen: Counter = Counter()  # marks already placed, by the line their region starts on
    found = []
    for problem in article.problems:
        line, col = _place(problem, lines, starts, fields, seen)
        found.append(Diagnostic(problem.code, problem.message, path, line, col,
                                severity_of(problem.code)))
    # Stable: problems at one place keep the reader's order (whole-file ones first).
    return sorted(found, key=lambda d: (d.line, d.col))


def _place(problem: Problem, lines: list[str], starts: list[int], fields: dict[str, int],
           seen: Counter) -> tuple[int, int]:
    """The line and column of a problem: its block's or field's first line, column 1, or
    where its mark was left (the n-th problem with a mark there, the n-th mark); (0, 0)
    for the whole file."""
    if problem.block is not None:
        first = starts[problem.block]
        last = starts[problem.block + 1] - 2 if problem.block + 1 < len(starts) else len(lines)
    elif problem.field is not None:
        first = fields[problem.field]
        last = fields[CREDIT_FIELD] - 1 if problem.field == TITLE_FIELD else first
    else:
        return 0, 0
    if problem.mark:
        nth = seen[first, problem.mark]
        seen[first, problem.mark] += 1
        for number in range(first, last + 1):
            column = lines[number - 1].find(problem.mark)
            while column >= 0:
                if nth == 0:
                    return number, column + 1
                nth -= 1
                column = lines[number - 1].find(problem.mark, column + len(problem.mark))
    return first, 1


def _usage_problem(root: Path, source: Path, folder: Path, number: int,
                   slug: str | None) -> str | None:
    suffix = source.suffix.lower()
    if not source.exists():
        return f"找不到文件 {source}"
    if not source.is_file():
        return f"{source} 不是文件"
    if suffix in OLD_FORMATS:
        return f"不能导入 {source.name}：请在 Word 或 WPS 中“另存为”.docx 后再导入"
    if suffix not in SUFFIXES:
        return f"不能导入 {source.name}：只支持 Word 文档（.docx）和纯文本（.txt）"
    if not folder.is_dir():
        return f"找不到第 {number} 期：没有文件夹 {relative(folder, root)}/，请先建立该期"
    if slug is not None and not SLUG.match(slug):
        return (f"稿件代号“{slug}”无效：只能用小写英文字母、数字和连字符，"
                "且以字母或数字开头，例如 kaifeng-longting")
    return None


def _write(article: ImportedArticle, target: Path, images: Path) -> tuple[str, list[int]]:
    """Copy the images, then write the article; its text and the line each block starts on."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if article.images:
        images.mkdir(exist_ok=True)
    for name, data in article.images.items():
        (images / name).write_bytes(data)
        _, problem = inspect(images / name)  # the very check `bulletin build` makes
        if problem:
            block = next((i for i, b in enumerate(article.paragraphs)
                          if isinstance(b, Picture) and b.name == name), None)
            article.problems.append(Problem(PICTURE_REFUSED, f"图片 {name}：{problem}", block))
    text, starts = render_article(article, images.name)
    write_text_atomically(target, text)
    return text, starts


def _choose_slug(given: str | None, source: Path, article: ImportedArticle, articles: Path,
                 issue_yaml: Path, root: Path, force: bool) -> tuple[str, str]:
    """The slug and where it came from. An ASCII file name's slug is the user's choice: it
    is refused if taken (unless --force). A pinyin one is the importer's: it takes the
    next free `-2`, `-3` …, except with --force, which overwrites the article of that slug."""
    if given:
        return given, "由 --slug 指定"
    slug, origin = derived_slug(source.stem, article.title_text, root)
    if origin == "取自文件名":
        return slug, origin
    free = slug if force else unique_slug(slug, articles, issue_yaml)
    if free != slug:
        origin += f"，本期已有 {slug}"
    return free, origin + "；可用 --slug 另取英文代号"


def _add_to_issue(issue_yaml: Path, name: str, root: Path, echo: Echo) -> str | None:
    """Add `name` to the issue's articles list; a problem message if that could not be done."""
    from ..sources import SourceReader

    reader = SourceReader(root)  # bounded; bytes, to keep its line endings as they are
    raw = reader.read_bytes(issue_yaml)
    try:
        text = raw.decode("utf-8") if raw is not None else None
    except UnicodeDecodeError:
        text = None
    if text is None:
        return f"无法读取，未能把 {name} 加入 articles 列表，请手工添加"
    data = reader.load_yaml(text.replace("\r\n", "\n").replace("\r", "\n"), issue_yaml)[0]
    listed = (data.get("articles") or []) if isinstance(data, dict) else []
    if name in listed:
        echo(f"{relative(issue_yaml, root)} 的 articles 列表中已有 {name}")
        return None
    edited = with_article(text, name)
    if edited is None:
        return f"articles 列表的写法无法自动修改，请手工把 {name} 加到列表末尾"
    write_text_atomically(issue_yaml, edited)
    echo(f"已把 {name} 加到 {relative(issue_yaml, root)} 的 articles 列表末尾")
    return None
