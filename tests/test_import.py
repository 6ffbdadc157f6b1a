"""`bulletin import`: real Word and text files in, house-format articles and plain reports out."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bulletin.importers.issue_list import with_article
from bulletin.importers.common import Table
from bulletin.importers.writer import SPACED_NUMBER, escape_paragraph, render_block
from bulletin.sources import SourceReader
from conftest import Ran, bulletin

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
V_NS = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def run(*args, cwd: Path) -> Ran:
    return bulletin(*args, cwd=cwd)  # in this process: what is written and said is the point


def import_file(path: Path, *args, cwd: Path, issue: int = 23) -> Ran:
    return run("import", path, "--issue", issue, *args, cwd=cwd)


def png(width: int = 3, height: int = 2) -> bytes:
    """A small red PNG, made with the standard library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def append_xml(paragraph, xml: str) -> None:
    paragraph._p.append(parse_xml(xml))


def add_footnotes(path: Path, notes: dict[int, str]) -> None:
    """python-docx cannot write footnotes: add the part to the saved package by hand."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    bodies = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
                     for i, text in notes.items())
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W_NS}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f"{bodies}</w:footnotes>").encode()
    relationship = ('<Relationship Id="rIdNotes" Target="footnotes.xml" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/footnotes"/>')
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
    override = ('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", override.encode() + b"</Types>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def article_text(project: Path, slug: str, issue: int = 23) -> str:
    return (project / f"issues/{issue}/articles/{slug}.md").read_text(encoding="utf-8")


# --- a whole Word submission -------------------------------------------------------------


def shancheng_docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("鹤壁市山城区：为民履职走在前\u3000助力发展添彩中原", style="Title")
    document.add_paragraph("\u3000\u3000“为人民履职”主题活动开展以来，取得了明显成效。")
    heading = document.add_paragraph("一、献良策，助力高质量发展。围绕区委经济发展布局，")
    heading.add_run().add_break()  # a line broken by hand inside one paragraph
    heading.add_run("成立课题调研组。")
    document.add_heading("（一）聚焦营商环境。开展专项监督。", level=2)
    document.add_paragraph("  二、助招商，推动高水平开放。代表赴外地招商70余批次，*重点*项目1. 落地。")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("活动", "人次"), ("义诊", "1200"), ("接待", "100|余")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    document.add_paragraph("图为山城区人大代表开展义诊活动。")  # the photo's caption
    document.add_paragraph("（鹤壁市人大常委会代表工委供稿）")
    document.save(path)
    return path


def test_word_submission_becomes_an_article_in_the_house_format(project, tmp_path):
    source = shancheng_docx(tmp_path / "shancheng.docx")
    result = import_file(source, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert article_text(project, "shancheng") == """\
---
title: 鹤壁市山城区：为民履职走在前 助力发展添彩中原
credit: 鹤壁市人大常委会代表工委
---

“为人民履职”主题活动开展以来，取得了明显成效。

一、献良策，助力高质量发展。围绕区委经济发展布局，成立课题调研组。

（一）聚焦营商环境。开展专项监督。

二、助招商，推动高水平开放。代表赴外地招商70余批次，\\*重点\\*项目1. 落地。

| 活动 | 人次 |
| --- | --- |
| 义诊 | 1200 |
| 接待 | 100\\|余 |

![图为山城区人大代表开展义诊活动。](shancheng-images/image1.png)
"""
    assert (project / "issues/23/articles/shancheng-images/image1.png").read_bytes() == png()
    assert "稿件代号：shancheng（取自文件名）" in result.stdout
    assert "已写入 issues/23/articles/shancheng.md（6 段，1 张图片" in result.stdout
    assert "需要人工处理" not in result.stdout


def test_imported_article_passes_the_source_reader(project, tmp_path):
    import_file(shancheng_docx(tmp_path / "shancheng.docx"), cwd=project)
    reader = SourceReader(project)
    article = reader.read_article(project / "issues/23/articles/shancheng.md")
    assert reader.diagnostics == []
    assert article.title_lines == ["鹤壁市山城区：为民履职走在前 助力发展添彩中原"]
    assert article.credit == "鹤壁市人大常委会代表工委"


def test_round_trip_of_issue_23s_first_article(project, tmp_path, root):
    """A Word file typed from kaifeng-longting.md imports back to the very same file, but
    for its suppression markers (`[//]: # (lint: …)`), which print nothing: Word never had
    them."""
    original_path = root / "issues/23/articles/kaifeng-longting.md"
    original = SourceReader(root).read_article(original_path)
    printed = "\n".join(line for line in original_path.read_text(encoding="utf-8").split("\n")
                        if not line.startswith("[//]: # (lint:"))
    paragraphs = ["\n".join(line for line in p.split("\n") if not line.startswith("[//]: #"))
                  for p in original.body.split("\n\n") if p.strip()]
    document = Document()
    title = document.add_paragraph(style="Title")
    title.add_run(original.title_lines[0])
    for line in original.title_lines[1:]:
        title.add_run().add_break()
        title.add_run(line)
    for text in paragraphs:
        document.add_paragraph("\u3000\u3000" + text.strip())
    document.add_paragraph(f"（{original.credit}供稿）")
    source = tmp_path / "开封市龙亭区.docx"
    document.save(source)

    result = import_file(source, "--slug", "kaifeng-copy", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    imported_path = project / "issues/23/articles/kaifeng-copy.md"
    reader = SourceReader(project)
    imported = reader.read_article(imported_path)
    assert reader.diagnostics == []
    assert imported.title_lines == original.title_lines
    assert imported.credit == original.credit
    assert [p.strip() for p in imported.body.split("\n\n") if p.strip()] == \
        [p.strip() for p in paragraphs]
    assert imported_path.read_text(encoding="utf-8") == printed


# --- where the title comes from ------------------------------------------------------------


def test_title_from_the_first_heading(project, tmp_path):
    document = Document()
    document.add_heading("西峡县：“四抓四促”助推代表主题活动提质增效", level=1)
    document.add_paragraph("今年，西峡县人大常委会立足实际。")
    document.add_paragraph("（南阳市人大常委会代表工委供稿）")
    document.save(tmp_path / "xixia-heading.docx")
    result = import_file(tmp_path / "xixia-heading.docx", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert article_text(project, "xixia-heading") == """\
---
title: 西峡县：“四抓四促”助推代表主题活动提质增效
credit: 南阳市人大常委会代表工委
---

今年，西峡县人大常委会立足实际。
"""


def test_title_from_centred_bold_lines_becomes_a_list_of_lines(project, tmp_path):
    document = Document()
    for line in ("开封市龙亭区：稳步推进人大代表", "在行动主题活动"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    # Centred too, but not bold: a date line under the title, not a third title line.
    document.add_paragraph("（2025年6月5日）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("今年以来，开封市龙亭区人大常委会以深化提升主题活动为契机。")
    document.add_paragraph("（开封市人大常委会代表工委供稿）")
    document.save(tmp_path / "longting.docx")
    result = import_file(tmp_path / "longting.docx", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    # Where one line is shown, the title's lines are joined with a space.
    assert "标题：开封市龙亭区：稳步推进人大代表 在行动主题活动\n" in result.stdout
    # The date line stays in the body; its centring does not, and the report says so.
    assert ("issues/23/articles/longting.md:8:1: I408 [警告] 原文居中，已按正文段落导入（两端对齐、"
            "首行缩进），请核对\n    （2025年6月5日）\n") in result.stdout
    assert article_text(project, "longting") == """\
---
title:
  - 开封市龙亭区：稳步推进人大代表
  - 在行动主题活动
credit: 开封市人大常委会代表工委
---

（2025年6月5日）

今年以来，开封市龙亭区人大常委会以深化提升主题活动为契机。
"""


def test_missing_title_and_credit_are_reported(project, tmp_path):
    document = Document()
    document.add_paragraph("今年以来，开封市龙亭区人大常委会以深化提升“代表在行动”主题活动为契机，引导代表立足本职岗位。")
    document.add_paragraph("一、党建引领铸魂赋能，锚定方向强基固本。")
    document.save(tmp_path / "untitled.docx")
    result = import_file(tmp_path / "untitled.docx", cwd=project)
    assert result.returncode == 1
    text = article_text(project, "untitled")
    assert text.startswith('---\ntitle: ""\ncredit: ""\n---\n\n今年以来，')
    # Errors: at the front matter line left empty, with that line and a caret under it.
    assert "issues/23/articles/untitled.md:2:1: I411 [错误] 未找到标题：" in result.stdout
    assert "issues/23/articles/untitled.md:3:1: I412 [错误] 未找到供稿单位：" in result.stdout
    assert '供稿单位：文末应有一行“（……供稿）”；请在 credit 中填写\n    credit: ""\n    ^\n' \
        in result.stdout
    assert "共 2 个错误，0 个警告。" in result.stdout
    # `bulletin check` reads the empty fields back as errors, so the gap cannot be missed.
    reader = SourceReader(project)
    reader.read_article(project / "issues/23/articles/untitled.md")
    assert [d.code for d in reader.diagnostics] == ["S103", "S103"]


# --- what cannot be converted is reported, with its text -----------------------------------


def unsupported_docx(path: Path) -> Path:
    document = Document()
    document.sections[0].header.paragraphs[0].text = "内部资料 注意保存"
    document.add_paragraph("山城区代表工作", style="Title")
    with_note = document.add_paragraph("代表们收集意见建议23条。")
    append_xml(with_note, f'<w:r {W_NS}><w:footnoteReference w:id="1"/></w:r>')
    boxed = document.add_paragraph("见右侧说明。")
    append_xml(boxed, f'<w:r {W_NS} {V_NS}><w:pict><v:shape style="width:90pt;height:40pt">'
                      '<v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p>'
                      '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    formula = document.add_paragraph("增长率为")
    append_xml(formula, f'<m:oMath {nsdecls("m")}><m:r><m:t>a/b</m:t></m:r></m:oMath>')
    formula.add_run("，较上年提高。")
    revised = document.add_paragraph("会议")
    append_xml(revised, f'<w:ins {W_NS} w:id="7" w:author="李四"><w:r><w:t>认真</w:t></w:r></w:ins>')
    append_xml(revised, f'<w:del {W_NS} w:id="8" w:author="李四"><w:r><w:delText>草草</w:delText>'
                        '</w:r></w:del>')
    revised.add_run("听取了报告。")
    commented = document.add_paragraph("数据来自统计局。")
    document.add_comment(commented.runs, text="请核实数据", author="张三")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并的表头"
    table.cell(0, 2).text = "人次"
    for cell, text in zip(table.rows[1].cells, ("义诊", "走访", "1200")):
        cell.text = text
    document.add_paragraph("（山城区人大常委会供稿）")
    document.save(path)
    add_footnotes(path, {1: "数据截至2025年5月底。"})
    return path


def test_unsupported_constructs_are_reported_with_their_text(project, tmp_path):
    result = import_file(unsupported_docx(tmp_path / "odd.docx"), cwd=project)
    assert result.returncode == 1
    assert article_text(project, "odd") == """\
---
title: 山城区代表工作
credit: 山城区人大常委会
---

代表们收集意见建议23条。

见右侧说明。

增长率为【公式】，较上年提高。

会议认真听取了报告。

数据来自统计局。

| 合并的表头 |  | 人次 |
| --- | --- | --- |
| 义诊 | 走访 | 1200 |
"""
    md = "issues/23/articles/odd.md"
    for line in (
            f"{md}: I401 [警告] 页眉或页脚中的文字未导入：“内部资料 注意保存”",
            f"{md}: I409 [警告] 文档含有未处理的修订，已按“接受全部修订”导入，请核对",
            f"{md}:6:1: I401 [警告] 脚注未能导入，原文：“数据截至2025年5月底。”；请改写进正文或删去",
            f"{md}:8:1: I401 [警告] 文本框中的文字未能导入，原文：“文本框里的说明”",
            # The column of the mark left in the text, a caret under it (4 wide characters).
            f"{md}:10:5: I405 [错误] 公式未能导入，已在此处留下“【公式】”标记；公式中的文字：“a/b”\n"
            f"    增长率为【公式】，较上年提高。\n    {' ' * 8}^\n",
            f"{md}:14:1: I402 [警告] 批注未导入（张三：“请核实数据”）",
            f"{md}:16:1: I407 [警告] 表格含合并单元格，已拆成普通单元格（合并处留空），请核对"):
        assert line in result.stdout, result.stdout
    assert "有 7 处需要人工处理" in result.stdout
    assert "共 1 个错误，6 个警告。" in result.stdout


def test_word_list_numbers_are_kept_as_text(project, tmp_path):
    document = Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_paragraph("代表在行动", style="Title")
    for level, text in ((0, "抓系统谋划。召开会议。"), (1, "学习精神。订购资料。"),
                        (1, "分片包联。指导工作。"), (0, "抓履职实践。深入网格。")):
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    document.add_paragraph("（西峡县人大常委会供稿）")
    document.save(tmp_path / "numbered.docx")
    result = import_file(tmp_path / "numbered.docx", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert article_text(project, "numbered").split("---\n\n")[1] == (
        "一、抓系统谋划。召开会议。\n\n（一）学习精神。订购资料。\n\n"
        "（二）分片包联。指导工作。\n\n二、抓履职实践。深入网格。\n")


def test_an_image_word_cannot_print_is_copied_and_reported(project, tmp_path):
    from PIL import Image

    tiff = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(tiff, format="TIFF")
    document = Document()
    document.add_paragraph("图片稿", style="Title")
    document.add_paragraph().add_run().add_picture(io.BytesIO(tiff.getvalue()))
    document.add_paragraph("（某单位供稿）")
    document.save(tmp_path / "photo.docx")
    result = import_file(tmp_path / "photo.docx", cwd=project)
    assert result.returncode == 1
    assert (project / "issues/23/articles/photo-images/image1.tiff").read_bytes() == tiff.getvalue()
    assert "![](photo-images/image1.tiff)" in article_text(project, "photo")
    assert "issues/23/articles/photo.md:6:1: I406 [错误] 图片 image1.tiff：不支持的图片格式 TIFF" in result.stdout


# --- plain text ----------------------------------------------------------------------------


def test_gb18030_text_file(project, tmp_path):
    text = ("西峡县：“四抓四促”助推代表主题活动提质增效\r\n\r\n"
            "\u3000\u3000今年，西峡县人大常委会立足实际，系统谋划。\r\n"
            "\u3000\u3000一、抓系统谋划，促履职方向明、根基稳。4月初，召开常委会党组扩大会议，专题学习深化提升代表\r\n"
            "主题活动相关精神，研究贯彻落实意见。\r\n"
            "\u3000\u3000二、抓履职实践，促代表参与深、成效实。\r\n\r\n"
            "（南阳市人大常委会代表工委供稿）\r\n")
    source = tmp_path / "xixia-note.txt"
    source.write_bytes(text.encode("gb18030"))
    result = import_file(source, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已读取 xixia-note.txt（编码：GB18030）" in result.stdout
    assert article_text(project, "xixia-note") == """\
---
title: 西峡县：“四抓四促”助推代表主题活动提质增效
credit: 南阳市人大常委会代表工委
---

今年，西峡县人大常委会立足实际，系统谋划。

一、抓系统谋划，促履职方向明、根基稳。4月初，召开常委会党组扩大会议，专题学习深化提升代表主题活动相关精神，研究贯彻落实意见。

二、抓履职实践，促代表参与深、成效实。
"""


def test_utf8_text_with_bom_and_one_line_per_paragraph(project, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_bytes("\ufeff代表工作简讯\n第一段。\n第二段没有句号\n（代表工委供稿）\n".encode())
    result = import_file(source, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "（编码：UTF-8（带 BOM））" in result.stdout
    assert article_text(project, "notes").endswith("---\n\n第一段。\n\n第二段没有句号\n")


# --- bad input, names and overwriting ------------------------------------------------------


@pytest.mark.parametrize("name, content, message", [
    ("broken.docx", b"PK\x03\x04 this is no zip", "broken.docx 已损坏或不是 Word 文档"),
    ("empty.docx", b"", "empty.docx 是空文件"),
    ("empty.txt", b"", "empty.txt 是空文件"),
    ("legacy.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "legacy.docx 是旧版 Word"),
    ("binary.txt", b"\x00\x01\x02abc", "binary.txt 不是文本文件"),
])
def test_unreadable_files_get_a_chinese_message_and_exit_1(project, tmp_path, name, content,
                                                           message):
    source = tmp_path / name
    source.write_bytes(content)
    result = import_file(source, cwd=project)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (project / f"issues/23/articles/{source.stem}.md").exists()


def test_a_zip_that_is_not_a_word_document(project, tmp_path):
    source = tmp_path / "sheet.docx"
    with zipfile.ZipFile(source, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    result = import_file(source, cwd=project)
    assert result.returncode == 1
    assert "sheet.docx 是Excel 表格，不是 Word 文档" in result.stderr


def test_a_docx_with_broken_xml(project, tmp_path):
    source = shancheng_docx(tmp_path / "cut.docx")
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"][:500]
    with zipfile.ZipFile(source, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = import_file(source, cwd=project)
    assert result.returncode == 1
    assert "cut.docx 已损坏（word/document.xml 不是有效的 XML）" in result.stderr


@pytest.mark.parametrize("args, message", [
    (("missing.docx", "--issue", "23"), "找不到文件 missing.docx"),
    (("notes.pdf", "--issue", "23"), "只支持 Word 文档（.docx）和纯文本（.txt）"),
    (("old.doc", "--issue", "23"), "请在 Word 或 WPS 中“另存为”.docx"),
    (("notes.txt", "--issue", "99"), "找不到第 99 期：没有文件夹 issues/99/"),
    (("notes.txt", "--issue", "23", "--slug", "开封"), "稿件代号“开封”无效"),
])
def test_bad_usage_exits_2(project, args, message):
    for name in ("notes.pdf", "old.doc", "notes.txt"):
        (project / name).write_text("标题\n正文。\n", encoding="utf-8")
    result = run("import", *args, cwd=project)
    assert result.returncode == 2
    assert message in result.stderr


def test_never_overwrites_without_force(project, tmp_path):
    source = tmp_path / "kaifeng-longting.txt"
    source.write_text("新标题\n新正文。\n（某单位供稿）\n", encoding="utf-8")
    existing = project / "issues/23/articles/kaifeng-longting.md"
    before = existing.read_text(encoding="utf-8")
    refused = import_file(source, cwd=project)
    assert refused.returncode == 1
    assert "issues/23/articles/kaifeng-longting.md 已存在，未覆盖；如需覆盖请加 --force" in refused.stderr
    assert existing.read_text(encoding="utf-8") == before
    forced = import_file(source, "--force", cwd=project)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert existing.read_text(encoding="utf-8").startswith("---\ntitle: 新标题\ncredit: 某单位\n")


def test_chinese_file_names_give_pinyin_slugs_unique_in_the_issue(project, tmp_path):
    source = tmp_path / "龙亭区稿件.txt"
    source.write_text("标题\n正文。\n（某单位供稿）\n", encoding="utf-8")
    first = import_file(source, cwd=project)
    second = import_file(source, cwd=project)
    # 稿件 says nothing of the article: left out; the place's 区 apart.
    assert "稿件代号：longting-qu（取自文件名的拼音；可用 --slug 另取英文代号）" in first.stdout
    assert "稿件代号：longting-qu-2（取自文件名的拼音，本期已有 longting-qu；" in second.stdout
    assert (project / "issues/23/articles/longting-qu-2.md").is_file()
    # --force overwrites the article of that slug rather than numbering another.
    forced = import_file(source, "--force", cwd=project)
    assert "稿件代号：longting-qu（取自文件名的拼音；" in forced.stdout
    assert not (project / "issues/23/articles/longting-qu-3.md").exists()


def test_add_appends_to_the_issue_list_and_keeps_comments(project, tmp_path):
    issue_yaml = project / "issues/23/issue.yaml"
    before = issue_yaml.read_text(encoding="utf-8").replace(
        "  - xixia.md\n", "  - xixia.md   # 压轴\n# supplement: true\n")
    issue_yaml.write_text(before, encoding="utf-8")
    result = import_file(shancheng_docx(tmp_path / "shancheng.docx"), "--add", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已把 shancheng.md 加到 issues/23/issue.yaml 的 articles 列表末尾" in result.stdout
    assert issue_yaml.read_text(encoding="utf-8") == before.replace(
        "  - xixia.md   # 压轴\n", "  - xixia.md   # 压轴\n  - shancheng.md\n")
    assert SourceReader(project).read_issue(23).articles[-1].slug == "shancheng"


@pytest.mark.parametrize("text, expected", [
    ("number: 24\narticles: [a.md]  # 顺序\n", "number: 24\narticles: [a.md, new.md]  # 顺序\n"),
    ("number: 24\narticles:\n- a.md\ndate: 2025-06-09\n",
     "number: 24\narticles:\n- a.md\n- new.md\ndate: 2025-06-09\n"),
    ("number: 24\n", "number: 24\narticles:\n  - new.md\n"),
    ("number: 24\r\narticles:\r\n  - a.md\r\n", "number: 24\r\narticles:\r\n  - a.md\r\n  - new.md\r\n"),
])
def test_issue_list_edits_are_minimal(text, expected):
    assert with_article(text, "new.md") == expected


# --- Markdown escaping: what Word says is what the bulletin prints -------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ 1.aZ代表工作“”（）、。")),
               min_size=1, max_size=12))
def test_escaped_paragraph_renders_back_to_the_same_text(text):
    text = text.strip()
    if not text:
        return
    tokens = MarkdownIt("js-default").parse(escape_paragraph(text))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert all(child.type == "text" for child in tokens[1].children)
    # One change: `1. 代` is written `1.代`, as the bulletin prints it.
    assert "".join(child.content for child in tokens[1].children) == SPACED_NUMBER.sub(r"\1.", text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(list("|\\*_`[]<>&#;-: a1代")), max_size=6)
                         .map(str.strip), min_size=2, max_size=3), min_size=2, max_size=3))
def test_escaped_table_cells_render_back_to_the_same_text(rows):
    tokens = MarkdownIt("js-default").parse(render_block(Table(tuple(map(tuple, rows))), "images"))
    rendered, row = [], []
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline":
            assert all(child.type == "text" for child in token.children)
            row.append("".join(child.content for child in token.children))
        elif token.type == "tr_close":
            rendered.append(row)
    width = max(map(len, rows))
    assert rendered == [row + [""] * (width - len(row)) for row in rows]


def test_nothing_on_the_title_or_credit_line_is_lost(project, tmp_path):
    document = Document()
    title = document.add_paragraph("代表风采", style="Title")
    title.add_run().add_picture(io.BytesIO(png()))
    document.add_paragraph("正文。")
    credit = document.add_paragraph("（某单位供稿）")
    document.add_comment(credit.runs, text="单位全称？", author="王五")
    document.save(tmp_path / "fengcai.docx")
    result = import_file(tmp_path / "fengcai.docx", cwd=project)
    assert result.returncode == 1
    assert article_text(project, "fengcai").endswith(
        "credit: 某单位\n---\n\n![](fengcai-images/image1.png)\n\n正文。\n")
    assert "issues/23/articles/fengcai.md:3:1: I402 [警告] 供稿行：批注未导入（王五：“单位全称？”）" \
        in result.stdout


def test_text_the_reader_did_not_place_is_reported_not_lost():
    from xml.etree import ElementTree

    from bulletin.importers.common import Piece
    from bulletin.importers.docx import unaccounted_text

    body = ElementTree.fromstring(
        f'<w:body {W_NS}><w:p><w:r><w:t>第一段。</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>第二段。</w:t></w:r></w:p>'
        '<w:p><w:del><w:r><w:t>删去的话</w:t></w:r></w:del></w:p></w:body>')
    placed = [Piece(["第一段。"], lines=["第一段。"])]
    assert unaccounted_text(body, placed, []) == ["第二段。"]


# --- every problem is a Diagnostic with its I4xx code, line and column ------------------------

R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def problems_docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("内部通报")  # before the title: kept in the body, and said so
    title = document.add_paragraph("增长率", style="Title")
    append_xml(title, f'<m:oMath {nsdecls("m")}><m:r><m:t>a/b</m:t></m:r></m:oMath>')
    hidden = document.add_paragraph("会议听取了报告。")
    append_xml(hidden, f'<w:r {W_NS}><w:rPr><w:vanish/></w:rPr><w:t>此句不公开</w:t></w:r>')
    area = document.add_paragraph("面积3000米")
    area.add_run("2").font.superscript = True
    area.add_run("，两处")
    append_xml(area, f'<w:r {W_NS}><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>')
    area.add_run("已完成。")
    document.add_paragraph("走访代表", style="List Bullet")
    twice = document.add_paragraph("甲")
    append_xml(twice, f'<m:oMath {nsdecls("m")}><m:r><m:t>x</m:t></m:r></m:oMath>')
    twice.add_run("乙")
    append_xml(twice, f'<m:oMath {nsdecls("m")}><m:r><m:t>y</m:t></m:r></m:oMath>')
    chart = document.add_paragraph("见下图。")
    append_xml(chart, f'<w:r {W_NS}><w:drawing><wp:inline {nsdecls("wp", "a")}>'
                      '<wp:extent cx="1" cy="1"/><wp:docPr id="5" name="图表 1"/><a:graphic>'
                      '<a:graphicData '
                      'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"/>'
                      '</a:graphic></wp:inline></w:drawing></w:r>')
    linked = document.add_paragraph("现场照片：")
    append_xml(linked, f'<w:r {W_NS} {V_NS} {R_NS}><w:pict><v:shape style="width:9pt;height:9pt">'
                       '<v:imagedata r:id="rIdNowhere"/></v:shape></w:pict></w:r>')
    document.add_paragraph("（某单位供稿）")
    document.save(path)
    return path


def test_each_kind_of_problem_has_its_code_line_and_column(project, tmp_path):
    result = import_file(problems_docx(tmp_path / "kinds.docx"), cwd=project)
    assert result.returncode == 1
    assert article_text(project, "kinds") == """\
---
title: 增长率【公式】
credit: 某单位
---

内部通报

会议听取了报告。

面积3000米2，两处已完成。

- 走访代表

甲【公式】乙【公式】

见下图。

现场照片：
"""
    md = "issues/23/articles/kinds.md"
    listed = [line for line in result.stdout.splitlines() if line.startswith(md)]
    assert listed == [
        f"{md}:2:11: I405 [错误] 标题：公式未能导入，已在此处留下“【公式】”标记；公式中的文字：“a/b”",
        f"{md}:6:1: I413 [警告] 标题之前的 1 段内容已保留在正文开头，请核对",
        f"{md}:8:1: I402 [警告] 隐藏文字未导入：“此句不公开”",
        f"{md}:10:1: I408 [警告] 上标“2”已按普通文字导入，请核对",
        f"{md}:10:1: I405 [错误] 特殊符号（Wingdings 字体，编码 F0FC）未能导入，请改用普通字符",
        # Two marks in one paragraph: each equation at its own mark.
        f"{md}:14:2: I405 [错误] 公式未能导入，已在此处留下“【公式】”标记；公式中的文字：“x”",
        f"{md}:14:7: I405 [错误] 公式未能导入，已在此处留下“【公式】”标记；公式中的文字：“y”",
        f"{md}:16:1: I403 [警告] 图表未能导入，请在 Word 中把图表另存为图片后插入",
        f"{md}:18:1: I404 [警告] 链接到外部文件的图片未能导入，请把图片嵌入文档",
    ]
    # The line under each, a caret under the column (title: and 增长率 take 13 cells).
    assert "：“a/b”\n    title: 增长率【公式】\n" + " " * (4 + 13) + "^\n" in result.stdout
    assert "有 9 处需要人工处理" in result.stdout
    assert "共 4 个错误，5 个警告。" in result.stdout


def test_a_text_files_long_first_line_is_flagged_at_the_title(project, tmp_path):
    source = tmp_path / "long.txt"
    first = "今年以来，某某县人大常委会紧紧围绕县委中心工作，组织引导各级人大代表积极投身代表主题活动，取得明显成效"
    source.write_text(f"{first}\n正文。\n（某单位供稿）\n", encoding="utf-8")
    result = import_file(source, cwd=project)
    assert result.returncode == 1
    assert (f"issues/23/articles/long.md:2:1: I413 [警告] 第一行有 {len(first)} 个字，"
            "可能不是标题，请核对\n    title: 今年以来") in result.stdout


def test_an_issue_list_add_cannot_edit_is_reported_on_issue_yaml(project, tmp_path):
    issue_yaml = project / "issues/23/issue.yaml"
    before = issue_yaml.read_text(encoding="utf-8").replace(
        "articles:\n  - kaifeng-longting.md\n  - hebi-shancheng.md\n  - xixia.md\n",
        "articles: [kaifeng-longting.md,\n  hebi-shancheng.md, xixia.md]\n")
    issue_yaml.write_text(before, encoding="utf-8")
    result = import_file(shancheng_docx(tmp_path / "shancheng.docx"), "--add", cwd=project)
    assert result.returncode == 1
    assert issue_yaml.read_text(encoding="utf-8") == before
    assert article_text(project, "shancheng").startswith("---\ntitle: 鹤壁市山城区")
    assert ("issues/23/issue.yaml: I414 [警告] articles 列表的写法无法自动修改，"
            "请手工把 shancheng.md 加到列表末尾") in result.stdout


def test_readme_lists_every_import_code_with_its_severity(root):
    import re

    from bulletin.codes import CODES

    readme = (root / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| (I4\d\d) \| (error|warning) \|", readme, re.M)
    assert listed == sorted((code, entry.severity.value) for code, entry in CODES.items()
                            if code.startswith("I"))
    # And every code the importers write is registered.
    used = set()
    for path in (root / "bulletin" / "importers").glob("*.py"):
        used |= set(re.findall(r"[\"'](I\d\d\d)[\"']", path.read_text(encoding="utf-8")))
    assert used and used <= set(CODES)
