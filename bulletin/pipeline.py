"""One build, as a flat list of steps: sources → model → HTML → PDF (+ its manifest)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from .diagnostics import BulletinError, Diagnostic, Severity, relative
from .layout import render_html
from .markup import image_url
from .model import Issue
from .project import BUILD_DIR, LoadedIssue, Project
from .project import check_images as project_check_images
from .typeset.render import Renderer

def check_images(issue: Issue, root: Path) -> dict[str, dict]:
    """Every image of the issue, checked: by article slug, by src. Raises BulletinError."""
    found, problems = project_check_images(issue, root)
    if problems:
        raise BulletinError(problems)
    return found


def issue_html(issue: Issue, root: Path, draft: bool = False, images: dict | None = None,
               distribution_page: str | None = None, fitting=None) -> str:
    """Checked images, then the issue's one HTML document."""
    if images is None:
        images = check_images(issue, root)
    return render_html(issue, root / "templates", draft=draft, images=images,
                       distribution_page=distribution_page, fitting=fitting)


# A figure scaled down to fit a page's foot moves what follows it: the next figure may
# then fit, or not. Each layout fits what the one before it asked; three at most.
MAX_FITTING_LAYOUTS = 3


@dataclass
class LaidOutIssue:
    """An issue laid out by WeasyPrint, and what its pages hold."""

    issue: Issue
    document: object  # weasyprint.Document
    pages: object  # preflight.Pages
    distribution: object  # preflight.DistributionFit, from the layout with it under the text
    fitting: object = None  # preflight.Fitting: figures scaled down, tables narrowed
    layouts: int = 1  # how many times WeasyPrint laid the issue out

    def preflight(self, root: Path) -> list[Diagnostic]:
        from .preflight import check

        return check(self.document, self.issue, root, self.distribution, self.pages,
                     self.fitting)


MANIFESTS_DIR = "manifests"  # under build/: the manifests of PDFs written elsewhere (-o)


def manifest_path(pdf: Path, root: Path | None = None) -> Path:
    """Where the manifest of the PDF at `pdf` is: always under the project's build/.

    Beside the PDF when the PDF is in build/ (the default, `build/<slug>-<year>-<N>.pdf`
    → `.json`); for a PDF written elsewhere with `-o`, in `build/manifests/`, named after
    the PDF and its folder (`<name>-<8 hex digits of its absolute path>.json`): never a
    file beside it that the user did not name. Without `root`, the PDF is taken to be in
    its project's build/.
    """
    pdf = Path(os.path.abspath(pdf))
    if root is None:
        return pdf.with_suffix(".json")
    build = (Path(root) / BUILD_DIR).resolve()
    folder = pdf.parent.resolve()
    if folder == build and pdf.suffix.lower() != ".json":
        return pdf.with_suffix(".json")
    key = hashlib.sha256(str(folder / pdf.name).encode("utf-8", "surrogateescape")).hexdigest()
    return build / MANIFESTS_DIR / f"{pdf.stem[:60]}-{key[:8]}.json"


MANIFEST_KEYS = frozenset({"number", "pages", "articles", "inputs"})


def read_manifest(pdf: Path, root: Path | None = None) -> dict | None:
    """What the build of `pdf` recorded: its pages, where each article starts, its inputs
    (see `manifest_path` for `root`). None when there is none, or not a manifest."""
    from .outputs import read_json

    manifest = read_json(manifest_path(pdf, root))
    return manifest if manifest is not None and MANIFEST_KEYS <= manifest.keys() else None


def lay_out(issue: Issue, root: Path, renderer: Renderer | None = None,
            draft: bool = False, images: dict | None = None,
            for_print: bool = False) -> LaidOutIssue:
    """The issue laid out by WeasyPrint: checked images, HTML, pages.

    A figure that does not fit the foot of a page, where WeasyPrint moves it to the next
    one, is scaled down to fit when that keeps two thirds of its height, and a table
    wider than the column is set to its width: the issue is laid out again with them
    (`preflight.refit`), only when there are such figures or tables.

    The 报尾 goes under the text of the last page; when it does not fit there, WeasyPrint
    puts it on a page of its own, whose number is dropped. Only with
    `distribution_placement: even-page`, when the issue must end on the next even page,
    is it laid out once more, with the 报尾 there (a blank page before it if need be).

    `for_print`: the print shop's document (`printing`): the same HTML with the CMYK
    stylesheet last, the images in CMYK, the output profile; the same layout.

    Raises BulletinError for what stops a build here: a resource the jail refused
    (S121) or content nested too deep to lay out (S122).
    """
    from .preflight import (EVEN_PAGE, OWN_PAGE, Fitting, distribution_fit,
                            distribution_layout, read_pages, refit)

    renderer = renderer or Renderer(root)
    if images is None:
        images = check_images(issue, root)
    # The images as the check read them: WeasyPrint gets their bytes, not their files,
    # by the URL markup gave them (the same wherever the project is).
    preloaded = {image_url(image): image.data
                 for found in images.values() for image in found.values() if image.data}
    if for_print:
        from . import printing

        preloaded = printing.print_resources(preloaded)
        css = printing.print_css(root / "templates", issue.bulletin.print)

        def make_html(*args, **kwargs):  # the print stylesheet last
            return printing.with_print_css(issue_html(*args, **kwargs), css)
    else:
        make_html = issue_html
    fitting, layouts = Fitting(), 1
    document = _render(issue, root, renderer, make_html(issue, root, draft, images), preloaded)
    pages = read_pages(document)
    while layouts < MAX_FITTING_LAYOUTS and (pages.figures or pages.tables):
        changed = refit(pages, fitting)
        if changed is None:
            break
        fitting, layouts = changed, layouts + 1
        document = _render(issue, root, renderer,
                           make_html(issue, root, draft, images, fitting=fitting), preloaded)
        pages = read_pages(document)
    fit = distribution_fit(pages)
    needed = distribution_layout(fit, issue.distribution_placement, len(document.pages))
    if needed == OWN_PAGE:
        from .typeset.render import drop_page_number

        drop_page_number(document.pages[-1])
    elif needed == EVEN_PAGE:
        html = make_html(issue, root, draft, images, distribution_page="distribution-even-page",
                          fitting=fitting)
        document = _render(issue, root, renderer, html, preloaded)
        pages = read_pages(document)
        layouts += 1
    return LaidOutIssue(issue, document, pages, fit, fitting, layouts)


def _render(issue: Issue, root: Path, renderer: Renderer, html: str,
            preloaded: dict[str, bytes] | None = None):
    from .typeset.jail import JailError

    folders = [issue.folder] if issue.folder else []
    where = relative(issue.folder or root, root)
    try:
        return renderer.document(html, folders, preloaded)
    except JailError as refused:
        raise BulletinError([Diagnostic("S121", f"排版时拒绝加载项目以外的资源：{url}", where)
                             for url in refused.urls]) from None
    except RecursionError:
        raise BulletinError([Diagnostic("S122", "内容嵌套过深，无法排版：请检查列表、引用或强调的层数",
                                        where)]) from None


def build_issue(root: Path, number: int, target: Path | None = None,
                renderer: Renderer | None = None, variant: str | None = None,
                tagged: bool = False, inputs: str | None = None, strict: bool = False,
                on_preflight=None, force: bool = False, for_print: bool = False) -> Path:
    """Load issue `number` and write its PDF (see `write_pdf`)."""
    return write_pdf(Project(root).load(number), target, renderer, variant, tagged, inputs,
                     strict, on_preflight, force, for_print)


def write_pdf(loaded: LoadedIssue, target: Path | None = None,
              renderer: Renderer | None = None, variant: str | None = None,
              tagged: bool = False, inputs: str | None = None, strict: bool = False,
              on_preflight=None, force: bool = False, for_print: bool = False,
              before_layout=None, before_findings=None) -> Path:
    """The print edition of a loaded issue: its PDF at `target` and its manifest under
    build/ (`manifest_path`).

    `for_print`: the print shop's PDF (`printing`: PDF/X-4, CMYK, bleed), by default
    `build/<slug>-<year>-<N>-print.pdf`; not with `variant` or `tagged` (ValueError).

    `before_layout`, if given, is called once WeasyPrint is loaded, before the layout;
    `before_findings` once the issue is laid out, before the preflight's findings are
    told: `bulletin build` looks at the check it runs beside the layout (`forked`) at
    the first and waits for it at the second; either may stop the build.
    The preflight's findings go to `on_preflight` (a list of diagnostics, warnings);
    with `strict`, any finding is an error and nothing is written. Raises BulletinError
    when the issue's sources have errors, `outputs.OutputError` when `target` (or the
    manifest's place) may not be written: not a regular file, or a file bulletin did not
    write (unless `force`), or the system refused. Either way nothing is written, and a
    PDF already at `target` stays as it was.
    """
    from .outputs import check_file, is_bulletin_pdf, write_files

    issue = loaded.require()
    root = loaded.project.root
    if for_print and (variant or tagged):
        raise ValueError("the print PDF is PDF/X-4, untagged: no other variant")
    default = loaded.project.print_pdf_path(issue) if for_print else loaded.project.pdf_path(issue)
    target = Path(os.path.abspath(target or default))
    manifest_file = manifest_path(target, root)
    # Before the layout: a refused path costs no second of typesetting.
    check_file(target, root, force, lambda: is_bulletin_pdf(target, root), what="PDF")
    check_file(manifest_file, root, force, lambda: read_manifest(target, root) is not None,
               what="清单")
    if before_layout is not None:
        renderer = renderer or Renderer(root)
        renderer.prepare()
        before_layout()
    laid_out = lay_out(issue, root, renderer, images=loaded.images, for_print=for_print)
    if before_findings is not None:
        before_findings()
    findings = laid_out.preflight(root)
    if strict and findings:
        raise BulletinError([replace(d, severity=Severity.ERROR) for d in findings])
    if on_preflight is not None:
        on_preflight(findings)
    document = laid_out.document
    if for_print:
        from . import printing

        settings = issue.bulletin.print
        pdf = printing.write(document, settings,
                             f"{issue.bulletin.slug}-{issue.date.year}-{issue.number}")
    else:
        pdf = document.write_pdf(pdf_variant=variant, pdf_tags=tagged)
    manifest = {
        "number": issue.number,
        "date": issue.date.isoformat(),
        "title": issue.title,
        "pages": len(document.pages),
        "articles": [{"slug": a.slug, "title": a.title, "credit": a.credit,
                      "page": article_page(document, a.slug)} for a in issue.articles],
        "preflight": [f"{d.location}: {d.code} {d.message}" for d in findings],
        "inputs": inputs,
        "sha256": hashlib.sha256(pdf).hexdigest(),  # how a rebuild knows the PDF is ours
    }
    if for_print:
        from . import printing

        manifest["print"] = {"variant": printing.VARIANT, "profile": printing.PROFILE_FILE.name,
                             "red": list(settings.red), "spot": settings.spot,
                             "bleed_mm": settings.bleed_mm}
    if manifest_file.parent != target.parent:
        manifest["pdf"] = str(target)  # build/manifests/ forgets PDFs that are gone
        from .outputs import prune

        prune(manifest_file.parent, "pdf")
    # The PDF is renamed into place first: a manifest never describes a PDF not there.
    write_files([(target, pdf), (manifest_file, json.dumps(
        manifest, ensure_ascii=False, indent=2).encode("utf-8"))], root)
    return target


def article_page(document, slug: str) -> int | None:
    """The 1-based page an article starts on, from its anchor in the laid-out document."""
    anchor = f"article-{slug}"
    for number, page in enumerate(document.pages, start=1):
        if anchor in page.anchors:
            return number
    return None
