"""A Word submission written the way a county office writes one, built with python-docx.

`office_docx(path)` saves it at `path` and returns `path`. The import tests
(tests/test_import_rich.py) and the end-to-end build of a .docx issue use it; keep what
it writes stable: tests assert the Markdown the importer makes of it (`OFFICE_MARKDOWN`
below is that Markdown, for an import as `xixia-xian`).

What is in it, in order, as offices set it (no Word styles beyond Normal, List Bullet
and Table Grid; every run's font and size set by hand, the East Asian font in
`w:rFonts/@w:eastAsia`):

- the title in two paragraphs, centred, 方正小标宋简体 二号 (22 pt);
- the subtitle `——西峡县人大常委会代表工作纪实`, centred, 楷体_GB2312 三号;
- a byline `□ 张  伟` (the importer drops it, and says so), then an empty paragraph;
- body paragraphs in 仿宋_GB2312 三号 (16 pt), indented with two full-width spaces
  (`　　`), typed, not Word's first-line indent;
- `一、` headings whose heading sentence is a bold run, `（一）` headings in a 楷体 run,
  `1.` / `（1）` / `①` sub-points typed as text;
- a photo (a PNG made with PIL), centred, with the caption `图为……` under it, centred,
  楷体_GB2312 四号;
- a bullet list of three items (Word's List Bullet style);
- a table title `表1　…` (centred, 黑体) right before a 12-row table (a header row and
  eleven rows of numbers, the last a 合计 row), 仿宋 小四;
- a quotation and, under it, a right-aligned attribution `——丁河镇群众王秀兰`;
- a `注：` paragraph in 小四 (12 pt);
- the credit `（西峡县人大常委会供稿）`, then the date `2025年6月3日`, right-aligned.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT, TITLE_FONT = "仿宋_GB2312", "方正小标宋简体"
KAI_FONT, HEI_FONT = "楷体_GB2312", "黑体"
INDENT = "\u3000\u3000"

TITLE_LINES = ("西峡县：“四抓四促”助推代表", "主题活动提质增效")
SUBTITLE = "西峡县人大常委会代表工作纪实"
BYLINE = "□ 张  伟"
CAPTION = "图为丁河镇人大代表在联络站接待选民。"
TABLE_TITLE = "表1\u30002025年1—5月各乡镇代表活动情况"
TABLE_ROWS = (
    ("乡镇", "接待选民（人次）", "收集建议（条）", "办结率（%）"),
    ("丁河镇", "312", "46", "95.7"),
    ("桑坪镇", "268", "38", "94.7"),
    ("米坪镇", "205", "31", "96.8"),
    ("双龙镇", "246", "35", "97.1"),
    ("西坪镇", "189", "27", "92.6"),
    ("重阳镇", "174", "22", "95.5"),
    ("太平镇", "158", "19", "94.7"),
    ("二郎坪镇", "143", "18", "100"),
    ("军马河镇", "131", "16", "93.8"),
    ("石界河镇", "122", "15", "93.3"),
    ("合计", "1,948", "267", "95.5"),
)
BULLETS = ("走访企业，收集发展难题；", "视察民生实事项目；", "参与基层矛盾调解。")
NOTE = "注：表中数据截至2025年5月31日。"
CREDIT = "（西峡县人大常委会供稿）"
DATE_LINE = "2025年6月3日"

# The body paragraphs: (heading run, rest) — the heading run bold (一、) or in 楷体 (（一）).
INTRO = ("", "今年以来，西峡县人大常委会以“四抓四促”为抓手，组织引导全县各级人大代表积极投身"
             "“人大代表在行动”主题活动，取得明显成效。")
FIRST_PART = (
    ("一、抓系统谋划，凝聚履职合力。", "县人大常委会召开专题会议，制定活动实施方案，明确任务清单。"),
    ("（一）强化组织领导。", "成立工作专班，主任会议成员分片包联各乡镇。"),
    ("", "1.加强学习培训。组织代表参加集中学习4次，培训代表320人次。"),
    ("", "2.开展专题调研。围绕乡村振兴开展调研，形成调研报告3篇。"),
    ("（二）完善工作机制。", "建立代表活动登记制度，做到有记录、可追溯。"),
    ("", "（1）定期走访。代表每月走访选民不少于2次。"),
    ("", "（2）及时反馈。对群众意见建议逐条登记、限时反馈。"),
    ("", "①收集意见建议。全年共收集意见建议267条。"),
    ("二、抓履职实践，服务发展大局。", "全县各级代表深入联络站接待选民，倾听群众呼声。"),
)
BEFORE_LIST = "代表们重点开展了以下工作："
BEFORE_TABLE = ("三、抓机制建设，推动常态长效。", "各乡镇代表活动情况见表1。")
AFTER_TABLE = "表中数据显示，各乡镇代表活动开展扎实，意见建议办结率保持在九成以上。"
QUOTATION = "“代表就在身边，有事找代表很方便。”"
ATTRIBUTION = "——丁河镇群众王秀兰"


def _set_font(run, east_asian: str, points: float, *, bold: bool = False) -> None:
    run.font.size = Pt(points)
    run.font.name = "Times New Roman"  # Latin letters and digits
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if bold:
        run.bold = True


def _paragraph(document, *runs: tuple[str, str, float, bool], align=None, style=None):
    paragraph = document.add_paragraph(style=style)
    for text, font, points, bold in runs:
        _set_font(paragraph.add_run(text), font, points, bold=bold)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _body(document, heading: str, rest: str):
    """A body paragraph indented with `　　`: a 一、 heading sentence bold, a （一） one in 楷体."""
    runs = []
    if heading:
        level_two = heading.startswith("（")
        runs.append((INDENT + heading, KAI_FONT if level_two else BODY_FONT, 16, not level_two))
        runs.append((rest, BODY_FONT, 16, False))
    else:
        runs.append((INDENT + rest, BODY_FONT, 16, False))
    return _paragraph(document, *runs)


def photo_png() -> bytes:
    """The photo: 800 × 500 pixels, a few shapes, made with PIL (the same bytes every time)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 500), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 260, 740, 470), fill=(150, 110, 80))  # a table
    for left in (120, 330, 540):  # three people
        draw.ellipse((left + 40, 120, left + 120, 200), fill=(230, 190, 160))
        draw.rectangle((left + 20, 200, left + 140, 300), fill=(40, 60, 110))
    draw.rectangle((250, 30, 550, 90), fill=(190, 30, 30))  # a banner
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def office_docx(path: Path) -> Path:
    """Write the county office's submission (see the module's docstring) to `path`."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for line in TITLE_LINES:
        _paragraph(document, (line, TITLE_FONT, 22, False), align=centre)
    _paragraph(document, ("——" + SUBTITLE, KAI_FONT, 16, False), align=centre)
    _paragraph(document, (BYLINE, BODY_FONT, 16, False), align=centre)
    document.add_paragraph()

    _body(document, *INTRO)
    for heading, rest in FIRST_PART:
        _body(document, heading, rest)

    picture = document.add_paragraph()
    picture.alignment = centre
    picture.add_run().add_picture(io.BytesIO(photo_png()), width=Cm(14))
    _paragraph(document, (CAPTION, KAI_FONT, 14, False), align=centre)

    _body(document, "", BEFORE_LIST)
    for item in BULLETS:
        _paragraph(document, (item, BODY_FONT, 16, False), style="List Bullet")

    _body(document, *BEFORE_TABLE)
    _paragraph(document, (TABLE_TITLE, HEI_FONT, 16, False), align=centre)
    table = document.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_ROWS[0]))
    table.style = "Table Grid"
    for row, texts in zip(table.rows, TABLE_ROWS):
        for cell, text in zip(row.cells, texts):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = centre
            _set_font(paragraph.add_run(text), HEI_FONT if row is table.rows[0] else BODY_FONT,
                      12)
    _body(document, "", AFTER_TABLE)

    _body(document, "", QUOTATION)
    _paragraph(document, (ATTRIBUTION, BODY_FONT, 16, False), align=right)
    _body(document, "", NOTE).runs[0].font.size = Pt(12)
    _paragraph(document, (CREDIT, BODY_FONT, 16, False))
    _paragraph(document, (DATE_LINE, BODY_FONT, 16, False), align=right)
    document.save(path)
    return path


def _table_markdown() -> str:
    lines = ["| " + " | ".join(TABLE_ROWS[0]) + " |", "| " + " | ".join(["---"] * 4) + " |"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in TABLE_ROWS[1:]])


def _paragraphs(*pairs: tuple[str, str]) -> list[str]:
    return [heading + rest for heading, rest in pairs]


# What `bulletin import` writes for office_docx's file imported as `xixia-xian`.
OFFICE_MARKDOWN = "\n\n".join([
    "---\ntitle:\n" + "".join(f"  - {line}\n" for line in TITLE_LINES)
    + f"credit: {CREDIT[1:-3]}\nsubtitle: {SUBTITLE}\n---",
    *_paragraphs(INTRO, *FIRST_PART),
    f"![{CAPTION}](xixia-xian-images/image1.png)",
    BEFORE_LIST,
    "\n".join(f"- {item}" for item in BULLETS),
    *_paragraphs(BEFORE_TABLE),
    TABLE_TITLE,
    _table_markdown(),
    AFTER_TABLE,
    QUOTATION,
    ATTRIBUTION,
    NOTE,
]) + "\n"
