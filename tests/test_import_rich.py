"""`bulletin import` of rich content (issue 12): subtitles, bylines, photos with captions,
table titles, notes, sub-points, bullet lists, credits followed by a date, pinyin slugs,
and the report of everything the importer changes or drops. Real .docx files, built with
python-docx the way offices write them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bulletin.importers.common import BulletList
from bulletin.importers.slugs import MAX_LENGTH, derived_slug, unique_slug
from bulletin.importers.writer import render_block
from bulletin.sources import SourceReader
from conftest import bulletin
from office_docx import CAPTION, OFFICE_MARKDOWN, SUBTITLE, TITLE_LINES, office_docx, photo_png

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MD = "issues/23/articles"


def import_file(path: Path, *args, cwd: Path):
    return bulletin("import", path, "--issue", 23, *args, cwd=cwd)


def article_text(project: Path, slug: str) -> str:
    return (project / f"{MD}/{slug}.md").read_text(encoding="utf-8")


def reported(result, slug: str) -> list[str]:
    """The report's `file:line:col: CODE message` lines for the article `slug`."""
    return [line for line in result.stdout.splitlines() if line.startswith(f"{MD}/{slug}.md")]


def png(red: int = 200) -> bytes:
    """A small PNG; give each picture of a document its own `red` (Word keeps one copy of
    the same bytes)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (red, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def titled() -> Document:
    """A document with a Title-style title; add the body, then `finish` it."""
    document = Document()
    document.add_paragraph("代表风采", style="Title")
    return document


def finish(document: Document, path: Path, credit: str | None = "（某单位供稿）") -> Path:
    """Add the credit line (None: none) and save."""
    if credit:
        document.add_paragraph(credit)
    document.save(path)
    return path


# --- the county office's submission ----------------------------------------------------------


def test_an_office_submission_becomes_the_house_format(project, tmp_path):
    source = office_docx(tmp_path / "西峡县稿件.docx")
    result = import_file(source, cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr  # warnings listed
    assert article_text(project, "xixia-xian") == OFFICE_MARKDOWN
    assert (project / f"{MD}/xixia-xian-images/image1.png").read_bytes() == photo_png()
    said = result.stdout.splitlines()
    assert "稿件代号：xixia-xian（取自文件名的拼音；可用 --slug 另取英文代号）" in said
    # The two-paragraph title, shown on one line: joined with a space.
    assert f"标题：{TITLE_LINES[0]} {TITLE_LINES[1]}" in said
    assert f"副标题：{SUBTITLE}" in said
    assert "供稿：西峡县人大常委会" in said
    md = f"{MD}/xixia-xian.md"
    lines = OFFICE_MARKDOWN.split("\n")
    attribution = lines.index("——丁河镇群众王秀兰") + 1
    note = lines.index("注：表中数据截至2025年5月31日。") + 1
    assert reported(result, "xixia-xian") == [
        f"{md}:2:1: I401 [警告] 标题下的署名“□ 张 伟”未导入（本刊不印作者署名），请核对",
        f"{md}:5:1: I401 [警告] 供稿行之后的日期“2025年6月3日”未导入（本刊不印成稿日期），请核对",
        f"{md}:{attribution}:1: I408 [警告] 原文右对齐，已按正文段落导入（两端对齐、首行缩进），请核对",
        f"{md}:{note}:1: I408 [警告] 字号为小四（12 磅），正文为三号（16 磅）；"
        "已按“注：”注释段导入，排四号（14 磅），请核对",
    ]
    # Each with the Markdown line it concerns under it.
    assert ("请核对\n    credit: 西峡县人大常委会\n    ^\n") in result.stdout
    assert "请核对\n    ——丁河镇群众王秀兰\n    ^\n" in result.stdout
    assert "有 4 处需要人工处理" in result.stdout
    assert "共 0 个错误，4 个警告。" in result.stdout


def test_the_imported_office_submission_reads_back(project, tmp_path):
    import_file(office_docx(tmp_path / "西峡县稿件.docx"), cwd=project)
    reader = SourceReader(project)
    article = reader.read_article(project / f"{MD}/xixia-xian.md")
    assert reader.diagnostics == []
    assert article.title_lines == list(TITLE_LINES)
    assert article.subtitle == SUBTITLE
    assert article.credit == "西峡县人大常委会"
    body = article.body
    # The caption is in the picture's alt text, not left as a body paragraph.
    assert body.count(CAPTION) == 1 and f"![{CAPTION}](" in body
    # The table's title is the paragraph right before the table, a blank line between.
    assert "\n\n表1\u30002025年1—5月各乡镇代表活动情况\n\n| 乡镇 |" in body
    # Sub-points are paragraphs as the author typed them, never escaped into lists.
    assert "\n\n1.加强学习培训。" in body and "\n\n（1）定期走访。" in body
    assert "\n\n①收集意见建议。" in body
    # The note comes after the body text; the credit and date are not in the body.
    assert body.rstrip().endswith("注：表中数据截至2025年5月31日。")
    assert "供稿" not in body and "2025年6月3日" not in body and "张" not in body.split("\n")[1]


def test_office_docx_uses_the_fonts_and_indents_offices_use(tmp_path):
    """The fixture itself: what the import tests rely on it to contain."""
    from docx.oxml.ns import qn

    document = Document(str(office_docx(tmp_path / "x.docx")))
    fonts = {run._element.rPr.rFonts.get(qn("w:eastAsia"))
             for paragraph in document.paragraphs for run in paragraph.runs
             if run._element.rPr is not None}
    assert {"仿宋_GB2312", "方正小标宋简体", "楷体_GB2312", "黑体"} <= fonts
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:3] == [*TITLE_LINES, "——" + SUBTITLE]
    assert sum(text.startswith("\u3000\u3000") for text in texts) >= 10
    heading = next(p for p in document.paragraphs if p.text.startswith("\u3000\u3000一、"))
    assert heading.runs[0].bold and not heading.runs[1].bold
    assert len(document.tables[0].rows) == 12
    assert texts[-2:] == ["（西峡县人大常委会供稿）", "2025年6月3日"]


# --- subtitle and byline ---------------------------------------------------------------------


def test_words_subtitle_style_and_a_dash_line_in_the_title_become_the_subtitle(project, tmp_path):
    styled = Document()
    styled.add_paragraph("西峡县：代表工作提质增效", style="Title")
    styled.add_paragraph("西峡县人大常委会代表工作纪实", style="Subtitle")  # no dash
    styled.add_paragraph("正文。")
    styled.add_paragraph("（西峡县人大常委会供稿）")
    styled.save(tmp_path / "styled.docx")
    result = import_file(tmp_path / "styled.docx", cwd=project)
    assert result.returncode == 0, result.stdout
    assert article_text(project, "styled") == (
        "---\ntitle: 西峡县：代表工作提质增效\ncredit: 西峡县人大常委会\n"
        "subtitle: 西峡县人大常委会代表工作纪实\n---\n\n正文。\n")

    broken = Document()
    title = broken.add_paragraph("西峡县：代表工作提质增效", style="Title")
    title.add_run().add_break()
    title.add_run("——西峡县人大常委会代表工作纪实")
    broken.add_paragraph("正文。")
    broken.add_paragraph("（西峡县人大常委会供稿）")
    broken.save(tmp_path / "broken.docx")
    assert import_file(tmp_path / "broken.docx", cwd=project).returncode == 0
    assert article_text(project, "broken") == article_text(project, "styled")


@pytest.mark.parametrize("byline", ["□ 张  伟", "文/李明", "本刊记者 王芳", "张伟　李明"])
def test_a_byline_under_the_title_is_dropped_and_reported(project, tmp_path, byline):
    document = titled()
    document.add_paragraph(byline)
    document.add_paragraph("今年以来，代表们积极履职。")
    result = import_file(finish(document, tmp_path / "byline.docx"), cwd=project)
    assert article_text(project, "byline").endswith("---\n\n今年以来，代表们积极履职。\n")
    shown = " ".join(byline.split())
    assert reported(result, "byline") == [
        f"{MD}/byline.md:2:1: I401 [警告] 标题下的署名“{shown}”未导入（本刊不印作者署名），请核对"]


def test_a_short_first_paragraph_that_is_no_byline_stays(project, tmp_path):
    document = titled()
    document.add_paragraph("一、抓学习。组织代表学习。")
    document.add_paragraph("代表们积极履职，共提出建议23条。")
    result = import_file(finish(document, tmp_path / "stays.docx"), cwd=project)
    assert result.returncode == 0, result.stdout
    assert "一、抓学习。组织代表学习。\n\n代表们积极履职" in article_text(project, "stays")


# --- the credit, and what follows it ---------------------------------------------------------


def test_the_credit_is_found_before_a_signature_and_a_date(project, tmp_path):
    document = titled()
    document.add_paragraph("正文。")
    document.add_paragraph("（西峡县人大常委会供稿）")
    document.add_paragraph("执笔：张伟").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("二〇二五年六月三日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    result = import_file(finish(document, tmp_path / "signed.docx", None), cwd=project)
    assert article_text(project, "signed").endswith("credit: 西峡县人大常委会\n---\n\n正文。\n")
    assert reported(result, "signed") == [
        f"{MD}/signed.md:3:1: I401 [警告] 供稿行之后的署名“执笔：张伟”未导入（供稿单位已写入 credit），请核对",
        f"{MD}/signed.md:3:1: I401 [警告] 供稿行之后的日期“二〇二五年六月三日”未导入（本刊不印成稿日期），请核对",
    ]


def test_a_date_in_the_credits_own_paragraph_and_photos_after_the_credit(project, tmp_path):
    document = titled()
    document.add_paragraph("正文。")
    credit = document.add_paragraph("（西峡县人大常委会供稿）")
    credit.add_run().add_break()
    credit.add_run("2025年6月3日")
    document.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    document.add_paragraph("图为代表视察。")
    result = import_file(finish(document, tmp_path / "after.docx", None), cwd=project)
    # The photo and its caption after the credit stay in the body; the date does not.
    assert article_text(project, "after").endswith(
        "credit: 西峡县人大常委会\n---\n\n正文。\n\n![图为代表视察。](after-images/image1.png)\n")
    assert reported(result, "after") == [
        f"{MD}/after.md:3:1: I401 [警告] 供稿行之后的日期“2025年6月3日”未导入（本刊不印成稿日期），请核对"]


def test_a_note_after_the_credit_stays_in_the_body(project, tmp_path):
    document = titled()
    document.add_paragraph("正文。")
    document.add_paragraph("（西峡县人大常委会供稿）")
    document.add_paragraph("注：数据截至5月底。")
    document.add_paragraph("2025年6月3日")
    result = import_file(finish(document, tmp_path / "noted.docx", None), cwd=project)
    assert article_text(project, "noted").endswith(
        "credit: 西峡县人大常委会\n---\n\n正文。\n\n注：数据截至5月底。\n")
    assert reported(result, "noted") == [
        f"{MD}/noted.md:3:1: I401 [警告] 供稿行之后的日期“2025年6月3日”未导入（本刊不印成稿日期），请核对"]


def test_a_short_last_paragraph_without_a_credit_before_it_stays(project, tmp_path):
    document = titled()
    document.add_paragraph("正文。")
    document.add_paragraph("2025年6月3日")
    result = import_file(finish(document, tmp_path / "nocredit.docx", None), cwd=project)
    assert article_text(project, "nocredit").endswith("---\n\n正文。\n\n2025年6月3日\n")
    assert f"{MD}/nocredit.md:3:1: I412 [错误] 未找到供稿单位" in result.stdout


# --- photos and captions ---------------------------------------------------------------------


def test_photos_with_and_without_captions(project, tmp_path):
    document = titled()
    document.add_paragraph().add_run().add_picture(io.BytesIO(png(1)))
    caption = document.add_paragraph("图为代表走访选民。")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.runs[0].font.size = Pt(12)
    # Word's own alt text, machine-written: not a caption.
    document.add_paragraph().add_run().add_picture(io.BytesIO(png(2)))
    document.inline_shapes[1]._inline.docPr.set("descr", "一张包含 室内, 人 的图片\n\n描述已自动生成")
    document.add_paragraph("代表们认真听取意见。")
    # A caption in Word's 题注 (Caption) style, without 图为.
    document.add_paragraph().add_run().add_picture(io.BytesIO(png(3)))
    document.add_paragraph("代表联络站一角", style="Caption")
    # A caption in the photo's own paragraph, after a line break.
    inline = document.add_paragraph()
    inline.add_run().add_picture(io.BytesIO(png(4)))
    inline.add_run().add_break()
    inline.add_run("图为座谈会现场。")
    result = import_file(finish(document, tmp_path / "photos.docx"), cwd=project)
    assert article_text(project, "photos").split("---\n\n")[1] == (
        "![图为代表走访选民。](photos-images/image1.png)\n\n"
        "![](photos-images/image2.png)\n\n"
        "代表们认真听取意见。\n\n"
        "![代表联络站一角](photos-images/image3.png)\n\n"
        "![图为座谈会现场。](photos-images/image4.png)\n")
    # The caption's centring and size are the caption's: nothing to report of them.
    assert reported(result, "photos") == [
        f"{MD}/photos.md:8:1: I415 [警告] 图片没有图注：其下没有“图为……”段，alt 文字为空；"
        "如需图注，请写在方括号中：![图为……](…)"]
    assert "\n    ![](photos-images/image2.png)\n    ^\n" in result.stdout


# --- tables, notes, sub-points, lists --------------------------------------------------------


def test_a_table_title_in_the_tables_first_row_goes_before_the_table(project, tmp_path):
    document = titled()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "表2 代表建议办理情况"
    for row, cells in zip(table.rows[1:], [("类别", "件数"), ("交通", "12")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    result = import_file(finish(document, tmp_path / "table.docx"), cwd=project)
    assert article_text(project, "table").split("---\n\n")[1] == (
        "表2 代表建议办理情况\n\n| 类别 | 件数 |\n| --- | --- |\n| 交通 | 12 |\n")
    assert reported(result, "table") == [
        f"{MD}/table.md:6:1: I407 [警告] 表格第一行的表题已移到表格之前，单独成段，请核对"]


def test_type_size_and_alignment_changes_are_reported(project, tmp_path):
    document = titled()
    for text in ("代表们积极履职。", "代表们深入基层。", "代表们建言献策。"):
        document.add_paragraph().add_run(text).font.size = Pt(16)
    document.add_paragraph().add_run("特别提示：本期内容较多。").font.size = Pt(18)
    centred = document.add_paragraph()
    centred.add_run("欢迎代表来信。").font.size = Pt(16)
    centred.alignment = WD_ALIGN_PARAGRAPH.CENTER
    result = import_file(finish(document, tmp_path / "sizes.docx"), cwd=project)
    assert reported(result, "sizes") == [
        f"{MD}/sizes.md:12:1: I408 [警告] 字号为小二（18 磅），正文为三号（16 磅）；已按正文字号导入，请核对",
        f"{MD}/sizes.md:14:1: I408 [警告] 原文居中，已按正文段落导入（两端对齐、首行缩进），请核对",
    ]


def numbered(document: Document, num_id: int, levels: list[tuple[str, str]]) -> None:
    """A numbering definition `num_id` whose levels are (numFmt, lvlText)."""
    numbering = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{num_id}">{lvls}'
                                  "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId '
                               f'w:val="{num_id}"/></w:num>'))


def number(paragraph, num_id: int, level: int) -> None:
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_words_sub_point_numbers_are_kept_as_typed_text(project, tmp_path):
    document = titled()
    numbered(document, 91, [("decimal", "%1."), ("decimal", "（%2）"),
                            ("decimalEnclosedCircle", "%3")])
    for level, text in ((0, "加强学习。组织培训。"), (1, "走访选民。每月两次。"), (2, "收集建议。"),
                        (0, "开展调研。形成报告。")):
        number(document.add_paragraph(text), 91, level)
    result = import_file(finish(document, tmp_path / "points.docx"), cwd=project)
    assert result.returncode == 0, result.stdout
    assert article_text(project, "points").split("---\n\n")[1] == (
        "1.加强学习。组织培训。\n\n（1）走访选民。每月两次。\n\n①收集建议。\n\n2.开展调研。形成报告。\n")


def test_bullets_become_one_markdown_list_and_deeper_levels_are_reported(project, tmp_path):
    document = titled()
    numbered(document, 92, [("bullet", "\u2022"), ("bullet", "\u25e6")])
    document.add_paragraph("代表们：")
    document.add_paragraph("走访企业；", style="List Bullet")
    number(document.add_paragraph("视察项目；"), 92, 1)  # the second level
    document.add_paragraph("- 调解矛盾。", style="List Bullet")  # its text would open a list
    document.add_paragraph("此外，还开展了培训。")
    document.add_paragraph("参加培训。", style="List Bullet")
    result = import_file(finish(document, tmp_path / "bullets.docx"), cwd=project)
    assert article_text(project, "bullets").split("---\n\n")[1] == (
        "代表们：\n\n- 走访企业；\n- 视察项目；\n- \\- 调解矛盾。\n\n此外，还开展了培训。\n\n- 参加培训。\n")
    assert reported(result, "bullets") == [
        f"{MD}/bullets.md:8:1: I408 [警告] 第 2 级项目符号已并入一级列表，请核对"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("-+*#>1.)[]`\\ a代“”")), min_size=1,
                        max_size=8).map(str.strip).filter(bool), min_size=1, max_size=4))
def test_escaped_list_items_render_back_to_the_same_text(items):
    tokens = MarkdownIt("js-default").parse(render_block(BulletList(tuple(items)), "images"))
    types = [t.type for t in tokens]
    assert types.count("bullet_list_open") == 1 and "ordered_list_open" not in types
    assert "heading_open" not in types and "blockquote_open" not in types
    texts = ["".join(child.content for child in t.children) for t in tokens if t.type == "inline"]
    assert all(child.type == "text" for t in tokens if t.type == "inline" for child in t.children)
    assert texts == items


# --- text files ------------------------------------------------------------------------------


def test_a_text_files_subtitle_and_the_date_after_its_credit(project, tmp_path):
    source = tmp_path / "xixia-txt.txt"
    source.write_text("西峡县：代表工作提质增效\n——西峡县人大常委会代表工作纪实\n\n正文。\n"
                      "（西峡县人大常委会供稿）\n2025年6月3日\n", encoding="utf-8")
    result = import_file(source, cwd=project)
    assert article_text(project, "xixia-txt") == (
        "---\ntitle: 西峡县：代表工作提质增效\ncredit: 西峡县人大常委会\n"
        "subtitle: 西峡县人大常委会代表工作纪实\n---\n\n正文。\n")
    assert reported(result, "xixia-txt") == [
        f"{MD}/xixia-txt.md:3:1: I401 [警告] 供稿行之后的日期“2025年6月3日”未导入（本刊不印成稿日期），请核对"]


# --- slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stem, title, slug", [
    ("龙亭区稿件", "", "longting-qu"),
    ("Kaifeng_Longting", "", "kaifeng-longting"),
    ("西峡县人大常委会代表工作纪实（修改稿）", "", "xixia-xian-rendachangweihui-daibiao"),
    ("新建 Microsoft Word 文档", "鹤壁市山城区：为民履职走在前", "hebi-shi-shancheng-qu"),
    ("稿件（2）", "绿色发展", "lvse-fazhan"),
    ("材料", "", "cailiao"),
    ("", "", "gaojian"),
])
def test_slugs_from_chinese_file_names_and_titles(stem, title, slug):
    assert derived_slug(stem, title)[0] == slug


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("龙亭区稿件西峡县人大绿色A1 -（）_.")), max_size=60),
       st.text(alphabet=st.sampled_from(list("鹤壁市山城：为民履职走在前")), max_size=30))
def test_slugs_are_ascii_short_and_deterministic(stem, title):
    import re

    slug, _ = derived_slug(stem, title)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) and len(slug) <= MAX_LENGTH
    assert "--" not in slug and not slug.endswith("-")
    assert derived_slug(stem, title)[0] == slug


def test_a_slug_is_unique_in_the_issue_also_against_its_list(tmp_path):
    articles = tmp_path / "articles"
    (articles / "xixia-xian-images").mkdir(parents=True)
    (tmp_path / "issue.yaml").write_text("number: 24\narticles: [xixia-xian-2.md]\n",
                                         encoding="utf-8")
    assert unique_slug("xixia-xian", articles, tmp_path / "issue.yaml") == "xixia-xian-3"
    assert unique_slug("longting-qu", articles, tmp_path / "issue.yaml") == "longting-qu"


def test_a_generic_file_name_gives_the_title_slug(project, tmp_path):
    document = Document()
    document.add_paragraph("鹤壁市山城区：为民履职走在前", style="Title")
    document.add_paragraph("正文。")
    document.add_paragraph("（鹤壁市人大常委会代表工委供稿）")
    document.save(tmp_path / "新建 Microsoft Word 文档.docx")
    result = import_file(tmp_path / "新建 Microsoft Word 文档.docx", cwd=project)
    assert "稿件代号：hebi-shi-shancheng-qu（取自标题的拼音；可用 --slug 另取英文代号）" in result.stdout
    assert (project / f"{MD}/hebi-shi-shancheng-qu.md").is_file()
    # --slug still decides.
    again = import_file(tmp_path / "新建 Microsoft Word 文档.docx", "--slug", "shancheng-2025",
                        cwd=project)
    assert "稿件代号：shancheng-2025（由 --slug 指定）" in again.stdout
