"""`bulletin import`: one submission in, one article (and its images) out, problems listed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path


from ..diagnostics import relative
from ..images import inspect
from . import SUFFIXES, ImportedArticle, Picture, Problem, SubmissionError, read_submission
from .issue_list import with_article
from .writer import render_article, write_text_atomically

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
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
        return EXIT_USAGE
    try:
        article = read_submission(source)
    except SubmissionError as exc:
        echo(str(exc), err=True)
        return EXIT_USAGE
    encoding = f"（编码：{article.encoding}）" if article.encoding else ""
    echo(f"已读取 {source.name}{encoding}")
    if not article.title and not article.paragraphs:
        echo(f"{source.name} 中没有可导入的文字，未写入稿件", err=True)
        return EXIT_PROBLEMS

    articles = folder / "articles"
    slug, origin = _choose_slug(slug, source, articles)
    target, images = articles / f"{slug}.md", articles / f"{slug}-images"
    echo(f"稿件代号：{slug}（{origin}）")
    clashes = [target] if target.exists() else []
    clashes += [images / name for name in article.images if (images / name).exists()]
    if clashes and not force:
        echo(f"{relative(clashes[0], root)} 已存在，未覆盖；如需覆盖请加 --force，"
             "或用 --slug 另取代号", err=True)
        return EXIT_PROBLEMS

    starts = _write(article, target, images)
    echo("标题：" + (" / ".join(article.title) if article.title else "（未找到）"))
    echo("供稿：" + (article.credit or "（未找到）"))
    summary = f"已写入 {relative(target, root)}（{len(article.paragraphs)} 段"
    if article.images:
        summary += f"，{len(article.images)} 张图片存于 {relative(images, root)}/"
    echo(summary + "）")

    shown = relative(target, root)
    problems = [(f"{shown}:{starts[p.block]}" if p.block is not None else shown, p.message)
                for p in sorted(article.problems, key=_by_line)]
    issue_yaml = folder / "issue.yaml"
    if add:
        problem = _add_to_issue(issue_yaml, target.name, root, echo)
        if problem:
            problems.append((relative(issue_yaml, root), problem))
    else:
        echo(f"尚未排入本期：请把 {target.name} 加入 {relative(issue_yaml, root)} 的 articles 列表"
             "（或导入时加 --add）")
    if problems:
        echo(f"有 {len(problems)} 处需要人工处理：")
        for where, message in problems:
            echo(f"{where}: {message}")
        return EXIT_PROBLEMS
    return EXIT_OK


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


def _write(article: ImportedArticle, target: Path, images: Path) -> list[int]:
    """Copy the images, then write the article; the line each paragraph starts on."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if article.images:
        images.mkdir(exist_ok=True)
    for name, data in article.images.items():
        (images / name).write_bytes(data)
        _, problem = inspect(images / name)  # the very check `bulletin build` makes
        if problem:
            block = next((i for i, b in enumerate(article.paragraphs)
                          if isinstance(b, Picture) and b.name == name), None)
            article.problems.append(Problem(f"图片 {name}：{problem}", block))
    text, starts = render_article(article, images.name)
    write_text_atomically(target, text)
    return starts


def _by_line(problem: Problem) -> tuple[bool, int]:
    return problem.block is not None, problem.block or 0


def _choose_slug(given: str | None, source: Path, articles: Path) -> tuple[str, str]:
    if given:
        return given, "由 --slug 指定"
    stem = source.stem
    derived = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") if stem.isascii() else ""
    if derived:
        return derived, "取自文件名"
    number = 1
    while (articles / f"article-{number}.md").exists() or \
            (articles / f"article-{number}-images").exists():
        number += 1
    return f"article-{number}", "文件名不是英文，已自动编号；可用 --slug 指定英文代号"


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
