"""Commands only: parse, call the pipeline, print diagnostics, set the exit code.

Exit codes: 0 ok, 1 content problems found, 2 bad usage or internal error.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import click

from . import __version__, clizh
from .codes import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS
from .diagnostics import BulletinError, Diagnostic, Severity, format_fixed, print_all

clizh.install()

CONTEXT = {"help_option_names": ["-h", "--help"]}
OPTIONS = "[选项]"


class BulletinGroup(click.Group):
    """Turns any unexpected exception into a short Chinese message and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            # The reader stopped early (`bulletin check 23 | head`): nothing left to say.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except OSError as exc:
            # The machine's refusal (disk full, read-only, no permission, a name too long)
            # wherever a command writes: no bug of bulletin's, so no traceback, exit 1.
            from .outputs import ENVIRONMENT_ERRNOS, UNWRITABLE, reason

            if exc.errno not in ENVIRONMENT_ERRNOS:
                _internal_error(exc)
            where = _shown(Path(os.fsdecode(exc.filename))) if exc.filename is not None \
                else "（未知路径）"
            click.echo(f"{where}: {UNWRITABLE} 无法写出：{reason(exc)}", err=True)
            sys.exit(EXIT_PROBLEMS)
        except Exception as exc:  # noqa: BLE001 - last line of defence
            _internal_error(exc)


def _internal_error(exc: BaseException):
    import traceback

    click.echo(f"内部错误：{type(exc).__name__}: {exc}", err=True)
    click.echo("这是 bulletin 的缺陷，请连同以下信息报告给维护者：", err=True)
    click.echo("".join(traceback.format_exception(exc)[-3:]), err=True)
    sys.exit(EXIT_ERROR)


def _root(ctx_root: str | None) -> Path:
    from .sources import ProjectNotFound, find_root

    try:
        return find_root(Path(ctx_root) if ctx_root else None)
    except ProjectNotFound as exc:
        raise click.UsageError(str(exc)) from None


def print_diagnostics(diagnostics: list[Diagnostic], root: Path, fmt: str = "human",
                      texts: dict[str, str] | None = None) -> None:
    print_all(diagnostics, root, click.echo, fmt, texts)


@click.group(cls=BulletinGroup, context_settings=CONTEXT, options_metavar=OPTIONS,
             subcommand_metavar="命令 [参数]...",
             help="《代表工作》简报的编排与排版工具。")
@click.version_option(__version__, "-V", "--version", message="bulletin %(version)s",
                      help="显示版本号并退出。")
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="简报项目目录（含 bulletin.yaml）；缺省从当前目录向上查找。")
@click.pass_context
def main(ctx, root):
    ctx.obj = {"root": root}


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS,
              help="检查稿件与设置（字段、编码、标点、序号、空格、错别字、缺字等），列出所有问题。"
                   "目标可以是期号、稿件 .md、issue.yaml、bulletin.yaml 或文件夹，可给多个；"
                   "项目以外的投稿按系列设置检查。--all 检查全部各期。")
@click.argument("targets", nargs=-1, metavar="[N|文件|文件夹]...")
@click.option("--all", "everything", is_flag=True, help="检查 issues/ 下的全部各期。")
@click.option("--strict", is_flag=True, help="警告也算问题：有警告时退出码为 1。")
@click.option("--format", "fmt", type=click.Choice(["human", "github", "json"]),
              default="human", show_default=True,
              help="输出格式：human 给人看，github 为拉取请求的批注，json 给程序读（格式见 "
                   "schema/check-output.schema.json）。")
@click.option("--select", "selected", multiple=True, metavar="代码",
              help="只报告这些代码，逗号分隔，可写开头几位：--select B25,B213。")
@click.option("--ignore", "ignored", multiple=True, metavar="代码",
              help="不报告这些代码，逗号分隔，可写开头几位：--ignore B213。")
@click.option("--statistics", is_flag=True, help="只按代码统计问题个数，不逐条列出。")
@click.option("--fix", is_flag=True,
              help="自动修正不会改变文意的问题（标点全半角、直引号、省略号、破折号、全角数字、多余空格），"
                   "逐处列出修改。")
@click.option("--layout", is_flag=True,
              help="同时排版并做版面检查（L3xx：超出版心、重叠、偏离网格、孤行、报尾等），需时约一秒一期。")
@click.option("--diff", "show_diff", is_flag=True,
              help="只以统一差异格式（diff）列出 --fix 会做的修改，不改动任何文件；有可修正之处时退出码为 1。")
@click.pass_context
def check(ctx, targets, everything, strict, fmt, selected, ignored, statistics, fix, layout,
          show_diff):
    from .checking import TargetError, Targets, resolve_targets, run_checks
    from .lint import RULE_FAILED, apply_fixes
    from .lint.fix import fix_diff
    from .project import Project

    if everything == bool(targets):
        raise click.UsageError("请给出期号 N、文件或文件夹，或使用 --all（二者选一）")
    if show_diff and fix:
        raise click.UsageError("--diff 只显示修改、不写入文件，不能与 --fix 同用（二者选一）")
    keep = _code_filter(selected, ignored)
    root = _check_root(ctx.obj["root"], targets)
    try:
        wanted = Targets(issues=dict.fromkeys(Project(root).issue_numbers())) if everything \
            else resolve_targets(root, list(targets))
    except TargetError as exc:
        raise click.UsageError(str(exc)) from None

    def run_all():
        # Anew after --fix: a reader keeps what it read. The targets are worked out once.
        done = run_checks(root, wanted, all_folders=everything)
        done.diagnostics = [d for d in done.diagnostics if keep(d.code)]
        return done

    checked = run_all()
    if show_diff:
        diff = fix_diff(root, checked.diagnostics)
        click.echo(diff, nl=False)
        sys.exit(EXIT_PROBLEMS if diff else EXIT_OK)
    if fix:
        fixed = apply_fixes(root, checked.diagnostics)
        for d in fixed:
            # Machine formats keep stdout for the diagnostics alone.
            click.echo(format_fixed(d), err=fmt != "human")
        if fixed:
            checked = run_all()
    diagnostics = checked.diagnostics
    if layout:
        diagnostics += [d for d in _preflight(checked.loads) if keep(d.code)]
    suppressed = len(checked.suppressed)
    if statistics:
        from .diagnostics import format_statistics, summary

        if fmt == "json":
            import json

            click.echo(json.dumps(summary(diagnostics, suppressed, checked.files),
                                  ensure_ascii=False, indent=2))
        else:
            for line in format_statistics(diagnostics):
                click.echo(line)
    else:
        print_all(diagnostics, root, click.echo, fmt, checked.texts, suppressed, checked.files)
    if any(d.code == RULE_FAILED for d in diagnostics):
        sys.exit(EXIT_ERROR)
    errors = any(d.severity is Severity.ERROR for d in diagnostics)
    if errors or (strict and diagnostics):
        sys.exit(EXIT_PROBLEMS)
    if fmt == "human" and not diagnostics:
        click.echo(_passed(everything, wanted, checked))


def _passed(everything: bool, wanted, checked) -> str:
    if everything:
        return f"全部 {len(wanted.issues)} 期检查通过。"
    if len(wanted.issues) == 1 and not wanted.files and not wanted.series \
            and next(iter(wanted.issues.values())) is None:
        return f"第 {next(iter(wanted.issues))} 期检查通过。"
    return f"检查通过（{checked.files} 篇稿件）。" if checked.files else "检查通过。"


CODE_PATTERN = re.compile(r"[SBLI][0-9]{0,3}")


def _code_filter(selected: tuple[str, ...], ignored: tuple[str, ...]):
    """`--select`, `--ignore`: whether a code is shown. Each code may be its start
    (`B25`), several in one option with commas."""
    def codes(values, option):
        found = []
        for value in values:
            for code in re.split(r"[,，\s]+", value.strip()):
                if not code:
                    continue
                if not CODE_PATTERN.fullmatch(code.upper()):
                    raise click.BadParameter(f"“{code}”不是检查代码（如 B213，或开头几位 B21）",
                                             param_hint=option)
                found.append(code.upper())
        return tuple(found)

    chosen, dropped = codes(selected, "--select"), codes(ignored, "--ignore")

    def keep(code: str) -> bool:
        if chosen and not code.startswith(chosen):
            return False
        return not (dropped and code.startswith(dropped))
    return keep


def _check_root(given: str | None, targets: tuple[str, ...]) -> Path:
    """The project: `--root`, else the one the working directory is in, else the one the
    first file named is in (`bulletin check ~/简报/issues/25/articles/a.md` from anywhere)."""
    from .checking import issue_number
    from .sources import ProjectNotFound, find_root

    if given:
        return _root(given)
    try:
        return find_root(None)
    except ProjectNotFound as exc:
        for target in targets:
            if issue_number(target) is None and Path(target).exists():
                try:
                    return find_root(Path(target) if Path(target).is_dir()
                                     else Path(target).parent)
                except ProjectNotFound:
                    break
        raise click.UsageError(str(exc)) from None


def _preflight(loads: list) -> list[Diagnostic]:
    """The layout checks of every loaded issue that has no errors (those are not laid out)."""
    from .pipeline import lay_out
    from .typeset.render import Renderer

    renderer, found = None, []
    for loaded in loads:
        if not loaded.ok:
            continue
        root = loaded.project.root
        try:
            renderer = renderer or Renderer(root)
            found += lay_out(loaded.issue, root, renderer, images=loaded.images).preflight(root)
        except BulletinError as exc:
            found += exc.diagnostics
    return found


PDF_VARIANTS = ["pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/ua-1"]
OUTPUT_FORMATS = ["pdf", "html"]  # bulletin/outputs.py's WRITERS (a test holds them equal)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS,
              help="排版第 N 期，生成 PDF；--all 排版全部各期。")
@click.argument("number", type=click.IntRange(min=1), metavar="[N]", required=False)
@click.option("--all", "everything", is_flag=True,
              help="排版 issues/ 下的全部各期；输入未变的期次跳过。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="与 --all 同用：并行进程数，缺省为 CPU 核数。")
@click.option("--force", is_flag=True,
              help="与 --all 同用：不跳过，全部重排；排单期时：-o 处已有并非 bulletin 写出的文件，也覆盖。")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="PDF 输出文件（--format html 时为文件夹）；缺省为 build/<简报代号>-<年>-<期号>.pdf"
                   "（网页版 build/web/<年>-<期号>/）。只覆盖 bulletin 写出的文件。")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="pdf",
              show_default=True,
              help="pdf 为印刷版；html 为网页版（整期一页、每篇一页，图片内嵌），供网站和微信使用。")
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS), default=None,
              help="生成存档用 PDF/A 或无障碍 PDF/UA。")
@click.option("--tagged", is_flag=True, help="生成带结构标签的 PDF，供读屏软件使用。")
@click.option("--for-print", is_flag=True,
              help="生成交印刷厂的 PDF/X-4：CMYK 色（报头红色按 bulletin.yaml 的 print.red，文字与线条为单黑 K100），"
                   "图片转为 CMYK，嵌入输出意图（FOGRA39 色彩特性文件），带出血；"
                   "缺省为 build/<简报代号>-<年>-<期号>-print.pdf。不能与 --pdf-variant、--tagged、--format html 同用。")
@click.option("--strict", is_flag=True,
              help="版面检查（L3xx）的警告也算错误：有则不生成 PDF，退出码为 1。")
@click.pass_context
def build(ctx, number, everything, jobs, force, output, fmt, pdf_variant, tagged, for_print,
          strict):
    root = _root(ctx.obj["root"])
    if for_print:
        clash = [name for name, given in (("--all", everything), ("--pdf-variant", pdf_variant),
                                          ("--tagged", tagged), ("--format html", fmt != "pdf"))
                 if given]
        if clash:
            raise click.UsageError(
                f"--for-print 不能与 {'、'.join(clash)} 同用：印刷版 PDF 是 PDF/X-4，"
                "不带结构标签，一次只排一期")
    if everything:
        if number is not None or output or fmt != "pdf":
            raise click.UsageError("--all 不能与期号 N、-o 或 --format html 同用")
        sys.exit(_build_all(root, jobs, force))
    if number is None:
        raise click.UsageError("请给出期号 N，或使用 --all")
    from .forked import CheckAside
    from .outputs import PRINT_WRITER, WRITERS
    from .project import Project

    started = time.perf_counter()
    loaded = Project(root).load(number)  # read once: the checks and the output use it
    # The PDF's check runs beside its layout, on the other core (forked.py): its findings
    # are told, and an error stops the build, before anything is written.
    aside = CheckAside(loaded, fork=None if fmt == "pdf" else False)
    told = []

    def checked() -> None:
        if told:
            return
        told.append(True)
        diagnostics = aside.result()
        print_diagnostics(diagnostics, root, texts=loaded.reader.texts)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            click.echo(f"第 {number} 期有错误，未生成 PDF。", err=True)
            sys.exit(EXIT_PROBLEMS)

    if aside.forked:
        click.echo(f"正在排版第 {number} 期，同时检查……", err=True)
    else:
        checked()
        click.echo(f"检查完毕，正在排版第 {number} 期……", err=True)
    from .outputs import OutputError

    writer = PRINT_WRITER if for_print else WRITERS[fmt]
    try:
        target = writer.write(
            loaded, Path(output) if output else None, variant=pdf_variant,
            tagged=tagged or pdf_variant == "pdf/ua-1", strict=strict, force=force,
            on_preflight=lambda found: print_diagnostics(found, root),
            before_layout=lambda: aside.ready() and checked(), before_findings=checked)
    except OutputError as exc:
        checked()
        print_diagnostics(exc.diagnostics, root)
        click.echo(f"未生成{writer.name}：输出未写出，原有文件保持不变。", err=True)
        sys.exit(EXIT_PROBLEMS)
    except BulletinError as exc:
        checked()
        print_diagnostics(exc.diagnostics, root)
        click.echo(f"第 {number} 期有错误，未生成{writer.name}。", err=True)
        sys.exit(EXIT_PROBLEMS)
    except Exception:
        # A failure of the layout (a bug, the machine): the check's errors first, as when
        # it ran before the layout and stopped the build there; else the failure itself.
        checked()
        raise
    finally:
        aside.abandon()
    checked()
    elapsed = time.perf_counter() - started
    note = ""
    if fmt == "pdf":  # and the print PDF: a manifest too
        from .pipeline import manifest_path

        manifest = manifest_path(target, root)
        if manifest.parent != target.parent:  # not beside it: say where it is
            note = f"，清单 {_shown(manifest)}"
    click.echo(f"已生成 {_shown(target)}（{elapsed:.1f} 秒{note}）")


def _shown(path: Path) -> Path:
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


def _failure_text(error: str) -> str:
    """A failed issue's unexpected error, as printed. What the machine refused (disk full,
    read-only, no permission) comes as an S131 diagnostic (archive.build_one), never here;
    a worker killed from outside is said as such; anything else is a bug."""
    from .archive import WORKER_DIED

    if error.startswith(WORKER_DIED):  # killed from outside: no bug of bulletin's
        return f"  {error}"
    return f"  内部错误：{error}"


def _build_all(root: Path, jobs: int | None, force: bool) -> int:
    """Build the archive with a progress bar on a terminal, plain lines elsewhere (CI)."""
    from .archive import BUILT, FAILED, SKIPPED, build_all
    from .project import Project

    project = Project(root)
    misnamed = project.folder_problems()  # S116: folders that would never be built
    if misnamed:
        print_diagnostics(misnamed, root)
    total = len(project.issue_numbers())
    if not total:
        click.echo("issues/ 下没有任何一期。")
        return EXIT_PROBLEMS if misnamed else EXIT_OK
    started = time.perf_counter()
    interactive = sys.stdout.isatty() and not os.environ.get("CI")

    def line(outcome, done, count):
        if outcome.status == BUILT:
            findings = f"，版面检查 {len(outcome.diagnostics)} 个警告" if outcome.diagnostics else ""
            return f"[{done}/{count}] 第 {outcome.number} 期 已生成 {_shown(outcome.target)}" \
                   f"（{outcome.seconds:.1f} 秒{findings}）"
        if outcome.status == SKIPPED:
            return f"[{done}/{count}] 第 {outcome.number} 期 未变，跳过"
        return f"[{done}/{count}] 第 {outcome.number} 期 失败"

    failures = []

    def note(outcome):
        if outcome.status == FAILED:
            failures.append(outcome)

    if interactive:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(TextColumn("排版全部各期"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}")) as progress:
            task = progress.add_task("", total=total)

            def report(outcome, done, count):
                note(outcome)
                if outcome.status != SKIPPED:
                    progress.console.print(line(outcome, done, count))
                progress.update(task, completed=done, description=f"第 {outcome.number} 期")

            outcomes = build_all(root, jobs, force, report)
    else:
        def report(outcome, done, count):
            note(outcome)
            click.echo(line(outcome, done, count))

        outcomes = build_all(root, jobs, force, report)

    warned = [o for o in outcomes if o.status == BUILT and o.diagnostics]
    if warned:
        print_diagnostics([d for o in warned for d in o.diagnostics], root)
    for outcome in failures:
        click.echo(f"第 {outcome.number} 期失败：", err=True)
        if outcome.diagnostics:
            print_diagnostics(outcome.diagnostics, root)
        if outcome.error:
            click.echo(_failure_text(outcome.error), err=True)
    built = sum(o.status == BUILT for o in outcomes)
    skipped = sum(o.status == SKIPPED for o in outcomes)
    elapsed = time.perf_counter() - started
    if skipped == len(outcomes):
        click.echo(f"全部 {skipped} 期均未变化，已跳过（{elapsed:.2f} 秒）。")
    else:
        click.echo(f"共 {len(outcomes)} 期：生成 {built}，跳过 {skipped}，失败 {len(failures)}"
                   f"（{elapsed:.1f} 秒）。")
    return EXIT_PROBLEMS if failures or misnamed else EXIT_OK


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS,
              help="写出 bulletin.yaml、issue.yaml 与稿件头信息的 JSON Schema，供编辑器校验和补全。")
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False), default=None,
              help="输出文件夹；缺省为项目下的 schema/。")
@click.pass_context
def schema(ctx, folder):
    from .model import SCHEMA_FILES, json_schema_text

    root = _root(ctx.obj["root"])
    target = Path(folder) if folder else root / "schema"
    target.mkdir(parents=True, exist_ok=True)
    for name, entry in SCHEMA_FILES.items():
        path = target / name
        text = json_schema_text(entry)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            click.echo(f"{path} 无变化")
            continue
        path.write_text(text, encoding="utf-8")
        click.echo(f"已写出 {path}")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS, help="检查本机排版环境（字体、HarfBuzz 子集化）。")
@click.pass_context
def doctor(ctx):
    from .doctor import run_doctor

    root = _root(ctx.obj["root"])
    sys.exit(run_doctor(root, click.echo))


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS,
              help="实时预览第 N 期；给出 .md 稿件路径时，按简报版式预览这篇样稿。"
                   "保存稿件、模板或字体后，浏览器中的页面自动更新。")
@click.argument("target", metavar="N|稿件.md")
@click.option("--port", type=click.IntRange(0, 65535), default=8023, show_default=True,
              metavar="端口", help="端口；0 表示任选一个空闲端口。")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址",
              help="监听地址；缺省只许本机访问。")
@click.pass_context
def preview(ctx, target, port, host):
    from .preview.server import run_preview
    from .preview.targets import parse_target

    root = _root(ctx.obj["root"])
    try:
        parsed = parse_target(target)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="N|稿件.md") from None
    sys.exit(run_preview(root, parsed, host, port, click.echo))


@main.command("new", context_settings=CONTEXT, options_metavar=OPTIONS,
              help="新建第 N 期：沿用最近一期的设置，附一篇示例稿件。N 缺省为最近一期的下一期。")
@click.argument("number", type=click.IntRange(min=1), metavar="[N]", required=False)
@click.pass_context
def new_issue_command(ctx, number):
    from .scaffold import IssueExists, new_issue

    root = _root(ctx.obj["root"])
    try:
        created = new_issue(root, number)
    except IssueExists as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_PROBLEMS)
    for path in created.created:
        shown = path.relative_to(root).as_posix() + ("/" if path.is_dir() else "")
        click.echo(f"已创建 {shown}")
    click.echo(f"下一步：把稿件放进 issues/{created.number}/articles/，在 issue.yaml 中按刊登顺序列出，"
               f"然后运行 bulletin check {created.number}。")


@main.command("import", context_settings=CONTEXT, options_metavar=OPTIONS,
              help="把 Word 文档（.docx）或纯文本（.txt）稿件导入第 N 期，写成 articles/<代号>.md，"
                   "并列出无法转换的内容。")
@click.argument("file", type=click.Path(path_type=Path), metavar="文件")
@click.option("--issue", "number", type=click.IntRange(min=1), required=True, metavar="N",
              help="导入到第 N 期（issues/N/articles/）。")
@click.option("--slug", default=None, metavar="代号",
              help="稿件文件名（小写英文字母、数字、连字符）；缺省取自文件名（中文取拼音，文件名无实义时取标题的拼音），本期已有时加 -2、-3。")
@click.option("--force", is_flag=True, help="覆盖同名的已有稿件。")
@click.option("--add", is_flag=True, help="同时把稿件加到 issue.yaml 的 articles 列表末尾。")
@click.pass_context
def import_command(ctx, file, number, slug, force, add):
    from .importers.command import run_import

    root = _root(ctx.obj["root"])
    sys.exit(run_import(root, file, number, slug=slug, force=force, add=add, echo=click.echo))


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS,
              help="发布：排版全部各期，并生成网页版、年度总目录和索引页（静态网站）。")
@click.option("-o", "--output", type=click.Path(), default="build/site",
              show_default=True,
              help="网站输出文件夹；再次发布时替换上次写出的文件，删去已不存在或失败的期次的页面，"
                   "不动其他文件。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="并行进程数，缺省为 CPU 核数。")
@click.option("--force", is_flag=True, help="文件夹中已有并非 bulletin 写出的同名文件，也覆盖。")
@click.pass_context
def publish(ctx, output, jobs, force):
    from .outputs import OutputError
    from .site import publish as publish_site

    root = _root(ctx.obj["root"])
    out = Path(output) if Path(output).is_absolute() else root / output

    def report(outcome, done, total):
        click.echo(f"[{done}/{total}] 第 {outcome.number} 期 "
                   + {"built": "已生成", "skipped": "未变", "failed": "失败"}[outcome.status])

    try:
        site = publish_site(root, out, jobs, report, force=force)
    except OutputError as exc:
        print_diagnostics(exc.diagnostics, root)
        click.echo(f"未发布：{_shown(out)}/ 保持不变。", err=True)
        sys.exit(EXIT_PROBLEMS)
    for outcome in site.failed:
        click.echo(f"第 {outcome.number} 期失败，未发布：", err=True)
        print_diagnostics(outcome.diagnostics, root)
        if outcome.error:
            click.echo(_failure_text(outcome.error), err=True)
    if site.problems:
        print_diagnostics(site.problems, root)
    for skipped in site.skipped:
        click.echo(skipped.message, err=True)
    click.echo(f"已发布 {len(site.issues)} 期到 {_shown(out)}/（索引页 index.html，"
               f"年度总目录 {len(site.years)} 个）")
    if site.failed or site.problems or site.skipped:
        sys.exit(EXIT_PROBLEMS)


def run() -> None:
    """The `bulletin` command: main(), then exit at once.

    Tearing down the interpreter (WeasyPrint, Pango and fontconfig objects, hundreds of
    modules) takes a tenth of a second and does nothing a finished command needs: every
    file is already written and closed, and the streams are flushed here.
    """
    try:
        main(prog_name="bulletin")
        code = EXIT_OK
    except SystemExit as finished:
        code = finished.code
        if code is None:
            code = EXIT_OK
        elif not isinstance(code, int):
            click.echo(code, err=True)
            code = EXIT_PROBLEMS
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS,
              help="生成某一年的总目录（各期文章、供稿单位与页码），PDF 与 HTML 各一份。")
@click.argument("year", type=click.IntRange(min=1900, max=2999), metavar="年份")
@click.option("-o", "--output", type=click.Path(), default="build",
              show_default=True, help="输出文件夹；只覆盖 bulletin 写出的文件。")
@click.option("--force", is_flag=True, help="文件夹中已有并非 bulletin 写出的同名文件，也覆盖。")
@click.pass_context
def index(ctx, year, output, force):
    from .annual import write_annual_index
    from .outputs import OutputError

    root = _root(ctx.obj["root"])
    out = Path(output) if Path(output).is_absolute() else root / output
    skipped: list = []
    try:
        written = write_annual_index(root, year, out, skipped=skipped, force=force)
    except OutputError as exc:
        print_diagnostics(exc.diagnostics, root)
        click.echo(f"未生成 {year} 年总目录：输出未写出，原有文件保持不变。", err=True)
        sys.exit(EXIT_PROBLEMS)
    for issue in skipped:
        click.echo(issue.message, err=True)
        print_diagnostics(issue.diagnostics, root)
    if not written:
        click.echo(f"{year} 年没有可编入总目录的期次。", err=True)
        sys.exit(EXIT_PROBLEMS)
    for path in written:
        click.echo(f"已生成 {_shown(path)}")
    if skipped:
        sys.exit(EXIT_PROBLEMS)
