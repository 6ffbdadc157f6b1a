"""A warm rebuild (one process, one Renderer) keeps what it can and writes the same bytes.

What is kept (`typeset/warm.py`, `layout.cached_environment`): the Jinja environment, the
parsed stylesheets, the font files' bytes and subsets; and the preview rasterises only
the pages whose drawing changed (`preview/pagekeys.py`). None of it may show in the
output: a warm rebuild writes the bytes a fresh process writes, and a change to a
template, a stylesheet or a font is in the next build.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_bulletin


def _build(root: Path, renderer, target: Path) -> bytes:
    from bulletin.pipeline import build_issue

    return build_issue(root, 23, target, renderer=renderer).read_bytes()


def _fresh_process_build(root: Path, target: Path) -> bytes:
    ran = run_bulletin("build", "23", "-o", target, cwd=root)
    assert ran.returncode == 0, ran.stderr
    return target.read_bytes()


@pytest.fixture()
def warm(tmp_path):
    """A project copy (templates copied, fonts linked) and a Renderer of its own."""
    from bulletin.typeset.render import Renderer

    project = copy_project(tmp_path / "project", issues=[23])
    return project, Renderer(project)


def test_warm_rebuilds_write_the_bytes_of_a_fresh_process(warm, tmp_path):
    from bulletin.typeset import warm as kept

    project, renderer = warm
    first = _build(project, renderer, tmp_path / "1.pdf")
    hits = kept.FONTS.hits
    second = _build(project, renderer, tmp_path / "2.pdf")
    third = _build(project, renderer, tmp_path / "3.pdf")
    assert first == second == third
    assert second == _fresh_process_build(project, tmp_path / "fresh.pdf")
    # ... and the second build did use what the first kept.
    assert kept.FONTS.hits >= hits + 5  # issue 23's five faces
    assert len(renderer._stylesheets) == 1  # print.css (with the page.css it imports)


def test_the_jinja_environment_is_kept_until_a_template_changes(warm):
    from bulletin.layout import cached_environment

    project, _ = warm
    templates = project / "templates"
    env = cached_environment(templates)
    assert cached_environment(templates) is env
    part = templates / "distribution.html.j2"
    part.write_text(part.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cached_environment(templates) is not env
    fresh = cached_environment(templates)
    (templates / "new.html.j2").write_text("x", encoding="utf-8")  # a file added
    assert cached_environment(templates) is not fresh


def _text(pdf: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in document.pages))


def test_a_template_or_stylesheet_change_is_in_the_next_warm_build(warm, tmp_path):
    project, renderer = warm
    before = _build(project, renderer, tmp_path / "before.pdf")

    # A Jinja template: the masthead part says something new.
    masthead = project / "templates/masthead.html.j2"
    source = masthead.read_text(encoding="utf-8")
    assert "</header>" in source or "</div>" in source
    closing = "</header>" if "</header>" in source else "</div>"
    masthead.write_text(source.replace(closing, "<p>模板已改</p>" + closing, 1),
                        encoding="utf-8")
    edited = _build(project, renderer, tmp_path / "edited.pdf")
    assert "模板已改" in _text(edited) and "模板已改" not in _text(before)

    # A stylesheet, and the one it imports: the kept parse is not used again.
    for name, rule in (("print.css", ".masthead-name { color: #000; }"),
                       ("page.css", "@page { background: #eee; }")):
        sheet = project / "templates" / name
        sheet.write_text(sheet.read_text(encoding="utf-8") + f"\n{rule}\n", encoding="utf-8")
        again = _build(project, renderer, tmp_path / f"{name}.pdf")
        assert again != edited
        assert again == _fresh_process_build(project, tmp_path / f"{name}-fresh.pdf")
        edited = again


def test_a_font_change_is_in_the_next_build(tmp_path):
    """fonts/ changed: the preview makes a new Renderer (a new font configuration), and
    nothing kept from the old faces is used."""
    from bulletin.typeset.render import Renderer

    project = copy_project(tmp_path / "project", issues=[23], fonts="copy")
    renderer = Renderer(project)
    before = _build(project, renderer, tmp_path / "before.pdf")
    # The body face (仿宋) becomes the 楷体 file: the same glyph set, other outlines.
    body = project / "fonts/FandolFang-Regular.otf"
    replacement = tmp_path / "swap.otf"
    shutil.copy(project / "fonts/FandolKai-Regular.otf", replacement)
    replacement.replace(body)
    after = _build(project, Renderer(project), tmp_path / "after.pdf")
    assert after != before
    # What a Renderer that keeps nothing (no patch, no kept environment) writes now. (Not
    # compared with a fresh process: one process that saw the old file already writes
    # other bytes, kept state or not; the preview's own behaviour before warm.py.)
    from bulletin import layout
    from bulletin.typeset import warm as kept

    kept.PATCH.uninstall()
    layout._ENVIRONMENTS.clear()
    try:
        renderer = Renderer(project)
        renderer._weasyprint = lambda: _without_warm(renderer)
        cold = _build(project, renderer, tmp_path / "cold.pdf")
    finally:
        kept.PATCH.install()
    assert after == cold


def _without_warm(renderer):
    from bulletin.typeset import load_weasyprint
    from bulletin.typeset.fonts import isolate_fontconfig

    isolate_fontconfig(renderer.fonts, renderer.root / "build" / ".fontconfig",
                       roles=renderer.templates / "fonts.css")
    weasyprint = load_weasyprint()
    if renderer._font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        renderer._font_config = FontConfiguration()
    return weasyprint


def test_a_kept_stylesheet_carries_nothing_from_one_render_to_the_next(warm, monkeypatch):
    from bulletin.typeset import warm as kept

    project, renderer = warm
    given = []
    original = kept._kept_css
    monkeypatch.setattr(kept, "_kept_css", lambda *args: given.append(original(*args))
                        or given[-1])
    html = ('<html><head><link rel="stylesheet" href="print.css"></head>'
            "<body><p>一</p></body></html>")
    documents = [renderer.document(html) for _ in range(3)]
    assert [len(document.pages) for document in documents] == [1, 1, 1]
    (entry,) = renderer._stylesheets.values()
    # The kept object is never the one a render got, and holds none of a render's lists.
    assert entry.css.page_rules is None and entry.css.layers is None
    assert len({id(css) for css in given}) == 3 and entry.css not in given
    assert len({id(css.page_rules) for css in given}) == 3
    # Each render's @page rules are the sheet's own, once: none left from the last render.
    assert len(given[1].page_rules) == len(given[2].page_rules) == len(entry.page_rules) > 0
    assert given[0].matcher is given[1].matcher is entry.css.matcher


def test_a_stylesheet_that_the_jail_refuses_is_refused_every_time(warm):
    """A kept sheet is read again through each render's jail: refused is refused."""
    from bulletin.typeset.jail import JailError

    project, renderer = warm
    html = ('<html><head><link rel="stylesheet" href="print.css"></head>'
            "<body><p>一</p></body></html>")
    renderer.document(html)
    outside = project.parent / "outside.css"
    outside.write_text("p { color: red }", encoding="utf-8")
    link = f'<link rel="stylesheet" href="{outside.as_uri()}">'
    for _ in range(2):
        with pytest.raises(JailError):
            renderer.document(html.replace("</head>", link + "</head>"))


def test_the_warm_patch_is_contained_and_version_guarded(monkeypatch):
    import weasyprint
    import weasyprint.css
    from weasyprint.pdf import fonts

    from bulletin.typeset import warm as kept
    from bulletin.typeset.render import Renderer

    Renderer(ROOT)._weasyprint()
    assert kept.PATCH.installed
    replaced = kept.PATCH.replaced()
    assert sorted(replaced) == sorted([
        "weasyprint.css.CSS", "weasyprint.pdf.fonts.get_hb_object_data",
        "weasyprint.pdf.fonts.Font.__init__", "weasyprint.pdf.fonts.Font.clean"])
    originals = {where: original for where, (original, _) in replaced.items()}
    kept.PATCH.uninstall()
    try:
        assert weasyprint.css.CSS is originals["weasyprint.css.CSS"] is weasyprint.CSS
        assert fonts.get_hb_object_data is originals["weasyprint.pdf.fonts.get_hb_object_data"]
        assert vars(fonts.Font)["clean"] is originals["weasyprint.pdf.fonts.Font.clean"]
        assert len(kept.FONTS) == 0  # the reset let the faces go
        monkeypatch.setattr(weasyprint, "__version__", "71.0")
        with pytest.raises(RuntimeError, match="supports WeasyPrint 70.0"):
            kept.PATCH.install()
        assert not kept.PATCH.installed
    finally:
        monkeypatch.undo()
        kept.PATCH.install()
    assert kept.PATCH.installed


def test_unreadable_pdfs_get_no_page_keys():
    from bulletin.preview.pagekeys import page_keys

    assert page_keys(b"") is None
    assert page_keys(b"%PDF-1.7\nnot really\nstartxref\n9\n%%EOF\n") is None


def test_the_preview_rasterises_only_the_pages_that_changed(tmp_path):
    """And a page whose key is kept draws exactly the pixels it did."""
    import pypdfium2 as pdfium

    from bulletin.preview.build import Preview
    from bulletin.preview.targets import IssueTarget

    def pixels(pdf: bytes) -> list[str]:
        document = pdfium.PdfDocument(pdf)
        try:
            return [hashlib.sha256(page.render(scale=120 / 72).buffer).hexdigest()
                    for page in document]
        finally:
            document.close()

    project = copy_project(tmp_path / "project", issues=[23])
    preview = Preview(project, IssueTarget(23))
    assert preview.rebuild().ok
    keys, drawn = [p.key for p in preview.pages], pixels(preview.pdf)
    assert preview.rasterised == len(keys) == len(set(keys))

    assert preview.rebuild().ok  # nothing changed: nothing rasterised
    assert [p.key for p in preview.pages] == keys and preview.rasterised == 0

    article = project / "issues/23/articles/hebi-shancheng.md"
    text = article.read_text(encoding="utf-8")
    first = re.search(r"\n\n(.+?)。", text)
    article.write_text(text[:first.end(1)] + "，共3项" + text[first.end(1):], encoding="utf-8")
    assert preview.rebuild().ok
    new_keys, new_drawn = [p.key for p in preview.pages], pixels(preview.pdf)
    changed = [i for i, (a, b) in enumerate(zip(keys, new_keys)) if a != b]
    assert 0 < len(changed) < len(keys) and preview.rasterised == len(changed)
    for i, (key, new_key) in enumerate(zip(keys, new_keys)):
        if key == new_key:
            assert drawn[i] == new_drawn[i], f"page {i + 1} kept an image it no longer draws"
    assert all(preview.images.get(key) for key in new_keys)

    article.write_text(text, encoding="utf-8")  # undone: the first build's images again
    assert preview.rebuild().ok
    assert [p.key for p in preview.pages] == keys and preview.rasterised == 0


def test_a_kept_stylesheet_that_the_jail_now_refuses_is_refused_once(warm):
    """print.css kept, then made a link out of the project: refused, and named once."""
    from bulletin.typeset.jail import JailError

    project, renderer = warm
    html = ('<html><head><link rel="stylesheet" href="print.css"></head>'
            "<body><p>一</p></body></html>")
    renderer.document(html)
    sheet = project / "templates/print.css"
    outside = project.parent / "outside.css"
    outside.write_text(sheet.read_text(encoding="utf-8"), encoding="utf-8")
    sheet.unlink()
    sheet.symlink_to(outside)
    with pytest.raises(JailError) as refused:
        renderer.document(html)
    assert refused.value.urls == [sheet.as_uri()]
