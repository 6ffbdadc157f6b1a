"""The web edition of an issue: one page for the whole issue, one per article.

For the 人大 website and WeChat posts: the same text and credits as the PDF, none of
its print layout. Every page stands alone: its stylesheet is inline, its images are
data: URIs, and it asks for nothing from the network (web fonts are too large for
Chinese, so the reader's own fonts set it). The same issue always gives the same bytes.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from .images import CheckedImage
from .layout import environment
from .markup import image_url, render_markdown
from .model import Article, Issue
from .project import LoadedIssue
from .typeset.linebreak import strip_hints

ISSUE_PAGE = "index.html"
ISSUE_TEMPLATE = "web/issue.html.j2"
ARTICLE_TEMPLATE = "web/article.html.j2"
DESCRIPTION_CHARS = 60  # a WeChat share card shows about two lines of this

_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"')


def write_web_edition(loaded: LoadedIssue, out_dir=None, force: bool = False) -> list[Path]:
    """Write `index.html` and `<slug>.html` for each article into `out_dir` (default
    build/web/<year>-<N>/); return them.

    `out_dir` is a folder's path, or a folder of a larger output (`outputs.SubFolder`:
    the site), written when that is. Into a folder of its own, a re-run replaces the
    pages it wrote before (an article dropped since loses its page) and nothing else
    (`outputs.OutputFolder`; `force` replaces any file). Raises BulletinError when the
    issue's sources or images have errors, as `bulletin build` does, `outputs.OutputError`
    when the folder may not be written; nothing is written then.
    """
    from .outputs import OutputFolder

    issue = loaded.require()
    checked = loaded.images
    env = environment(loaded.project.templates)
    bodies = {article.slug: web_body(article, checked.get(article.slug, {}))
              for article in issue.articles}
    names = article_page_names(issue)

    pages = {ISSUE_PAGE: env.get_template(ISSUE_TEMPLATE).render(
        issue=issue, bodies=bodies, pages=names,
        description=first_paragraph_start(bodies[issue.articles[0].slug]))}
    for index, article in enumerate(issue.articles):
        previous = issue.articles[index - 1] if index > 0 else None
        following = issue.articles[index + 1] if index + 1 < len(issue.articles) else None
        pages[names[article.slug]] = env.get_template(ARTICLE_TEMPLATE).render(
            issue=issue, article=article, body=bodies[article.slug], pages=names,
            previous=previous, following=following,
            description=first_paragraph_start(bodies[article.slug]))

    def write_into(folder) -> list[Path]:
        # The hints steer the print line breaker; a browser breaks Chinese well on its own.
        return [folder.write(name, strip_hints(html).encode("utf-8"))
                for name, html in pages.items()]

    if out_dir is not None and hasattr(out_dir, "write"):
        return write_into(out_dir)
    folder = Path(out_dir) if out_dir is not None else loaded.project.web_dir(issue)
    with OutputFolder(folder, loaded.project.root, f"web-{issue.number}", force) as output:
        return write_into(output)


def article_page_names(issue: Issue) -> dict[str, str]:
    """Each article's page, `<slug>.html`: an article named `index` must not replace the issue's."""
    names = {}
    for article in issue.articles:
        name = f"{article.slug}.html"
        # Compared without case: on Windows and macOS, Index.html is index.html.
        if name.casefold() == ISSUE_PAGE.casefold():
            name = f"article-{article.slug}.html"
        names[article.slug] = name
    return names


def web_body(article: Article, images: dict[str, CheckedImage]) -> Markup:
    """An article body's HTML, with each checked image inlined as a data: URI.

    The same markup as the print (markup.py): figures with their captions
    (`figure.figure`, `figcaption.caption`), tables in their blocks with their titles
    (`div.table-block`, `p.table-title`), notes (`p.note`), run-in headings of five
    levels; web.css styles them for a screen."""
    html = render_markdown(article.body, images, source_lines=False, slug=article.slug)
    # Found by the src markup wrote, escaped as markup escapes it.
    inlined = {escapeHtml(image_url(image)): image for image in images.values()}

    def inline(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        image = inlined.get(attributes.get("src", ""))
        alt = attributes.get("alt", "")
        if image is None:
            # Only checked images become <img>; anything else is named, never loaded.
            return f'<span class="missing-image">［图片：{alt}］</span>'
        # The print size and grid spacing in markup's style attribute mean nothing on screen.
        return (f'<img src="{data_uri(image)}" alt="{alt}" '
                f'width="{image.width_px}" height="{image.height_px}">')

    return Markup(_IMG.sub(inline, html))


def data_uri(image: CheckedImage) -> str:
    """The image as the check read it: its file is not read again."""
    return f"data:{image.mime_type};base64,{base64.b64encode(image.data).decode('ascii')}"


class _Paragraphs(HTMLParser):
    """The text of each <p> of an article body, in order; a table's title is no paragraph
    of the text (a share card does not open with `表1 …`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._depth = 0
        self._skipping = False

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._depth += 1
            if self._depth == 1:
                self._skipping = "table-title" in (dict(attrs).get("class") or "").split()
                self.paragraphs.append("")

    def handle_endtag(self, tag):
        if tag == "p" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth and not self._skipping:
            self.paragraphs[-1] += data


def paragraph_texts(html: str) -> list[str]:
    """The plain text of every paragraph of `html` that has any, without line-break hints."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    texts = (strip_hints(text).strip() for text in parser.paragraphs)
    return [text for text in texts if text]


def first_paragraph_start(body: str, length: int = DESCRIPTION_CHARS) -> str:
    """The opening of the first paragraph with text: a share card's description."""
    texts = paragraph_texts(body)
    if not texts:
        return ""
    text = " ".join(texts[0].split())
    if len(text) <= length:
        return text
    cut = text[:length]
    # End on a pause (，；。) when one falls in the second half, not mid-phrase.
    pause = max(cut.rfind(mark) for mark in "，；。、")
    if pause >= length // 2:
        cut = cut[:pause]
    return cut + "……"
