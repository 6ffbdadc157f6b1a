"""Photos, tables, captions, lists, deeper headings and notes, on the grid (issue 12).

Generated Markdown issues (seeded: the text before each block differs, so tables and
figures fall at other places on the page) with every kind of rich content are built and
read back from their PDFs (tests/rich_pdf.py): every body line on the 28.95 pt grid, the
first one after each table and figure explicitly; nothing outside the column; a table's
title with it, its header repeated on each page, two rows at least with the header,
numbers right-aligned; captions centred under their images in 楷体 4号; list items
hanging two characters in; PDF/A-2b output without /Interpolate, with its OutputIntent
and every font embedded. Then the figure fitting (scaled down to fit a page foot, or
moved and reported, L310) and a table too wide for the column (L309).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from conftest import copy_project, renderer_for
from rich_pdf import (CELL, COLUMN_BOTTOM, COLUMN_LEFT, COLUMN_RIGHT, PITCH, body_lines,
                      calibrate, off_grid, outside_the_column, read)
from synthetic import _paragraph

from bulletin.markup import render_markdown

SEEDS = [3, 11, 29]
COLUMN_CENTRE = (COLUMN_LEFT + COLUMN_RIGHT) / 2
TABLE_ROWS = 12


def photo(path: Path, width: int, height: int, seed: int) -> str:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), tuple(rng.randrange(60, 200) for _ in range(3)))
    image.save(path)
    return path.name


def table(rng: random.Random, rows: int, title: str | None) -> str:
    lines = [title, ""] if title else []
    lines += ["| 代表联络站 | 接待群众（人次） | 收集意见（条） | 办结率 |", "|---|---|---|---|"]
    for number in range(1, rows + 1):
        lines.append(f"| {rng.choice('东西南北中')}关{number}号站 | {rng.randint(10, 2000):,} | "
                     f"{rng.randint(1, 300)} | {rng.randint(50, 100)}.{rng.randint(0, 9)}% |")
    return "\n".join(lines)


def rich_body(rng: random.Random, folder: Path, seed: int) -> str:
    P = lambda heading=None: _paragraph(rng, heading)  # noqa: E731
    wide = photo(folder / "meeting.png", rng.choice([1200, 1500]), rng.choice([700, 800]), seed)
    tall = photo(folder / "visit.png", 700, rng.choice([900, 1000]), seed + 1)
    lead = "\n\n".join(P() for _ in range(rng.randint(1, 3)))
    return f"""{lead}

{P("一、")}

1. 加强学习培训。{P()}

2.完善工作机制。{P()}

（1）建立问题台账。{P()}

（2）定期跟踪回访。{P()}

①第一批次{P()}

- 代表联络站每月固定接待日不少于两天，接待情况录入平台，逐条登记、逐条交办、逐条反馈。
- 建立“代表+群众”议事机制
- 每季度通报办理情况，接受群众监督

{P("二、")}

{table(rng, TABLE_ROWS, "表1 2025年上半年各代表联络站接待群众情况")}

{P()}

![]({wide})

图为区人大常委会召开代表座谈会现场。

{P()}

![图为代表走访辖区企业]({tall})

{P("三、")}

注：文中数据截至2025年6月底，由各代表联络站统计。
"""


def write_issue(project: Path, number: int, seed: int) -> Path:
    rng = random.Random(seed)
    folder = project / "issues" / str(number)
    articles = folder / "articles"
    articles.mkdir(parents=True)
    body = rich_body(rng, articles, seed)
    (articles / "rich.md").write_text(
        "---\ntitle: 某某区：代表联络站建起来 群众心里话说出来\n"
        "subtitle: 某某区人大常委会代表工作纪实\ncredit: 某某区人大常委会\n---\n\n" + body,
        encoding="utf-8")
    second = "\n\n".join([_paragraph(rng), table(rng, 4, None), _paragraph(rng)])
    (articles / "second.md").write_text(
        "---\ntitle: 某某县人大常委会开展代表建议办理“回头看”\ncredit: 某某县人大常委会\n---\n\n"
        + second + "\n", encoding="utf-8")
    (folder / "issue.yaml").write_text(
        f"number: {number}\ndate: 2025-07-01\narticles:\n  - rich.md\n  - second.md\n",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def rich_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("rich") / "project", issues=False)
    for index, seed in enumerate(SEEDS):
        write_issue(project, 40 + index, seed)
    return project


@pytest.fixture(scope="module")
def built(rich_project):
    """Each rich issue's PDF (PDF/A-2b), its pages read back and its preflight findings."""
    from bulletin.pipeline import build_issue

    results = {}
    for index, seed in enumerate(SEEDS):
        findings = []
        pdf = build_issue(rich_project, 40 + index, rich_project / f"build/{seed}.pdf",
                          renderer=renderer_for(rich_project), variant="pdf/a-2b",
                          on_preflight=findings.extend)
        results[seed] = (pdf, read(pdf), findings)
    return results


def test_the_rich_issues_pass_the_check(rich_project):
    from conftest import bulletin

    result = bulletin("check", "--all", cwd=rich_project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("seed", SEEDS)
def test_every_body_line_is_on_the_grid(built, seed):
    _, pages, findings = built[seed]
    lines = body_lines(pages)
    assert len(lines) > 60
    assert off_grid(lines) == []
    # No finding but L310 (a figure moved on, with its gap named).
    assert [d for d in findings if d.code != "L310"] == []


@pytest.mark.parametrize("seed", SEEDS)
def test_the_line_after_each_table_and_figure_is_on_the_grid(built, seed):
    _, pages, _ = built[seed]
    lines = body_lines(pages)
    depth = calibrate(lines)
    checked = 0
    for page in pages:
        bottoms = [image["bottom"] for image in page.images]
        captions = page.of("kai", 14)
        bottoms += [max([c.baseline for c in captions if c.top > image["bottom"] - 1]
                        + [image["bottom"]]) for image in page.images]
        table_rules = [rule for rule in page.rules if rule[2] - rule[0] > 100]
        if table_rules:
            bottoms.append(max(rule[3] for rule in table_rules))
        for bottom in bottoms:
            after = [line for line in lines if line.page == page.number and line.top > bottom]
            if not after:
                continue
            first = min(after, key=lambda line: line.baseline)
            offset = (first.baseline - (37 * 72 / 25.4) - depth) % PITCH
            assert min(offset, PITCH - offset) < 0.2, (page.number, first.text)
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("seed", SEEDS)
def test_nothing_is_outside_the_column(built, seed):
    _, pages, _ = built[seed]
    assert outside_the_column(pages) == []
    assert sum(len(page.images) for page in pages) == 2


def _table_pages(pages):
    """Pages that hold rows of the 12-row table: (page, header lines, row baselines)."""
    found = []
    for page in pages:
        header = [line for line in page.of("hei", 14) if line.text.startswith("代表联络站")]
        rows = sorted({line.baseline for line in page.of("fang", 14) if "关" in line.text
                       and re.search(r"关\d+号站", line.text)})
        if rows:
            found.append((page, header, rows))
    return found


def test_a_table_crossing_a_page_repeats_its_header_and_keeps_two_rows(built):
    crossings = 0
    for seed in SEEDS:
        _, pages, _ = built[seed]
        parts = _table_pages(pages)
        # Two tables an issue: the 12-row one and a 4-row one, each with its header on
        # every page it is on, and two rows at least with it.
        for page, header, rows in parts:
            assert header, (seed, page.number)
            assert len(rows) >= 2, (seed, page.number, rows)
            assert min(rows) > header[0].baseline
        numbers = [page.number for page, _, _ in parts]
        crossings += len(numbers) - len(set(numbers)) + sum(
            1 for a, b in zip(numbers, numbers[1:]) if b == a + 1)
    assert crossings >= 1, "no generated table crossed a page: the test proves nothing"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_table_title_is_kept_with_the_table_and_centred(built, seed):
    _, pages, _ = built[seed]
    titles = [(page, line) for page in pages for line in page.of("hei", 14)
              if line.text.startswith("表1")]
    assert len(titles) == 1
    page, title = titles[0]
    header = [line for line in page.of("hei", 14) if line.text.startswith("代表联络站")]
    assert header and header[0].baseline > title.baseline
    assert abs((title.left + title.right) / 2 - COLUMN_CENTRE) < 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_numbers_in_a_table_are_right_aligned(built, seed):
    _, pages, _ = built[seed]
    for page, _, rows in _table_pages(pages):
        percents = [line for line in page.of("fang", 14) if line.text.endswith("%")]
        assert len(percents) >= 2
        # Each row is one text line here: the percentage is its last word.
        rights = {round(max(c["x1"] for c in line.chars if c["text"] in "0123456789.%"), 0)
                  for line in percents}
        assert len(rights) == 1, rights


@pytest.mark.parametrize("seed", SEEDS)
def test_captions_are_centred_under_their_images(built, seed):
    _, pages, _ = built[seed]
    captions = {}
    for page in pages:
        for image in page.images:
            under = [line for line in page.of("kai", 14)
                     if 0 <= line.top - image["bottom"] < PITCH]
            assert len(under) == 1, (page.number, [line.text for line in page.of("kai", 14)])
            caption = under[0]
            assert abs((caption.left + caption.right) / 2 - COLUMN_CENTRE) < 1.0
            assert abs((image["x0"] + image["x1"]) / 2 - COLUMN_CENTRE) < 1.0
            captions[caption.text] = page.number
    assert set(captions) == {"图为区人大常委会召开代表座谈会现场。", "图为代表走访辖区企业"}
    # The 图为 paragraph became the caption: it is not printed as a body line too.
    assert not any("图为" in line.text for line in body_lines(pages))


@pytest.mark.parametrize("seed", SEEDS)
def test_list_items_hang_two_characters_in(built, seed):
    _, pages, _ = built[seed]
    lines = body_lines(pages)
    start = next(i for i, line in enumerate(lines) if "代表联络站每月" in line.text)
    items = lines[start:start + 4]  # the first item wraps: 2 lines, then 2 more items
    assert [line.text[:2] for line in items][2:] == ["建立", "每季"]
    for index, line in enumerate(items):
        # Each item's bullet (●, smaller) hangs in the indent, on its first line; its
        # text, and the lines it wraps onto, start two characters in.
        assert abs(line.chars[0]["x0"] - (COLUMN_LEFT + 2 * CELL)) < 1.0, line.text
        page = pages[line.page - 1]
        bullets = [other for other in page.lines if other.text == "●"
                   and abs(other.baseline - line.baseline) < 3]
        assert len(bullets) == (0 if index == 1 else 1), line.text
        for bullet in bullets:
            assert COLUMN_LEFT <= bullet.left and bullet.right < COLUMN_LEFT + 2 * CELL - 2


@pytest.mark.parametrize("seed", SEEDS)
def test_headings_of_every_level_are_run_in(built, seed):
    pdf, pages, _ = built[seed]
    texts = [line.text for line in body_lines(pages)]
    for opening in ("1.加强学习培训。", "2.完善工作机制。", "（1）建立问题台账。", "①第一批次"):
        assert any(text.startswith(opening) for text in texts), opening
    # `1.` is bold: drawn filled and stroked (text rendering mode 2), on that page only.
    page = next(line.page for line in body_lines(pages) if line.text.startswith("1.加强"))
    reader = pypdf.PdfReader(pdf)
    stroked = [re.search(rb"(?<![\d.])2 Tr\b", reader.pages[i].get_contents().get_data())
               is not None for i in range(len(reader.pages))]
    assert stroked[page - 1]
    assert sum(stroked) <= 2  # `1.` and `2.`: one page or two


@pytest.mark.parametrize("seed", SEEDS)
def test_the_note_is_set_smaller(built, seed):
    _, pages, _ = built[seed]
    notes = [line for page in pages for line in page.of("fang", 14) if line.text.startswith("注：")]
    assert len(notes) == 1
    assert not any(line.text.startswith("注：") for line in body_lines(pages))


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_a_2b_output_with_figures(built, seed):
    pdf, _, _ = built[seed]
    reader = pypdf.PdfReader(pdf)
    root = reader.trailer["/Root"]
    intents = root["/OutputIntents"]
    assert intents and intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0].get_object()
    images, fonts = 0, 0
    for page in reader.pages:
        resources = page["/Resources"]
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                images += 1
                # Absent or false (ISO 19005-2, 6.2.8); pypdf's BooleanObject compares.
                assert xobject.get("/Interpolate", False) == False  # noqa: E712
                smask = xobject.get("/SMask")
                if smask is not None:
                    assert smask.get_object().get("/Interpolate", False) == False  # noqa: E712
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts += 1
    assert images >= 2 and fonts >= 4
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


# --- figures that do not fit the foot of a page --------------------------------------


def one_article_issue(project: Path, number: int, body: str, title: str = "某某市统计",
                      credit: str = "某某市人大常委会") -> Path:
    """Issue `number` of one article, `a.md`, with `body`; its articles folder."""
    articles = project / "issues" / str(number) / "articles"
    articles.mkdir(parents=True)
    (articles / "a.md").write_text(f"---\ntitle: {title}\ncredit: {credit}\n---\n\n{body}\n",
                                   encoding="utf-8")
    (articles.parent / "issue.yaml").write_text(
        f"number: {number}\ndate: 2025-07-01\narticles:\n  - a.md\n", encoding="utf-8")
    return articles


def _figure_issue(project: Path, number: int, seed: int, height_px: int) -> None:
    rng = random.Random(seed)
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(3, 6))]
    body = "\n\n".join(paragraphs + ["![图为代表视察现场](p.png)"]
                       + [_paragraph(rng) for _ in range(3)])
    articles = one_article_issue(project, number, body, title="某某市代表视察")
    photo(articles / "p.png", 1200, height_px, seed)


def test_a_figure_is_scaled_to_fit_a_page_foot_or_moved_and_reported(tmp_path):
    """Whatever the room a figure finds at the foot of a page: it fits whole; or it is
    scaled down to fit, keeping two thirds of its height at least, and ends on the
    page's last grid line; or it moves to the next page and the gap is reported (L310)
    with the number of empty lines the PDF shows."""
    from bulletin.pipeline import lay_out, write_pdf
    from bulletin.preflight import KEPT_SHARE, figure_gaps
    from bulletin.project import Project

    project = copy_project(tmp_path / "project", issues=False)
    cases = [(50 + i, seed, height) for i, (seed, height) in enumerate(
        (seed, height) for seed in (1, 2, 3, 4, 5, 6) for height in (420, 760))]
    for number, seed, height in cases:
        _figure_issue(project, number, seed, height)
    seen = {"whole": 0, "scaled": 0, "moved": 0}
    for number, seed, height in cases:
        loaded = Project(project).load(number)
        laid_out = lay_out(loaded.require(), project, renderer_for(project),
                           images=loaded.images)
        (figure,) = laid_out.pages.figures
        natural = loaded.images["a"]["p.png"].print_size()[1]
        shown = figure.image.height * 0.75
        findings = laid_out.preflight(project)
        gaps = figure_gaps(laid_out.pages)
        if laid_out.fitting.figure_heights:
            seen["scaled"] += 1
            assert KEPT_SHARE * natural - 0.1 <= shown < natural
            assert figure.bottom * 0.75 <= COLUMN_BOTTOM + 0.5
            assert [d.code for d in findings] == []
        elif gaps:
            seen["moved"] += 1
            (gap,) = gaps
            assert gap.fitted_height < KEPT_SHARE * natural
            (finding,) = [d for d in findings if d.code == "L310"]
            assert f"留下 {gap.lines} 行空白" in finding.message
            assert finding.line > 0 and finding.path.endswith("a.md")
            # The PDF shows that many empty grid lines at the foot of the page before.
            pdf = write_pdf(loaded, project / f"build/{number}.pdf", renderer_for(project))
            pages = read(pdf)
            before = [line for line in body_lines(pages) if line.page == figure.page - 1]
            empty = (COLUMN_BOTTOM - max(line.baseline for line in before)) // PITCH
            assert empty == gap.lines
        else:
            seen["whole"] += 1
            assert [d.code for d in findings] == []
            assert shown == pytest.approx(natural, abs=0.1)
    assert all(seen.values()), seen


def test_a_table_wider_than_the_column_is_set_to_its_width_and_reported(tmp_path):
    from bulletin.pipeline import build_issue

    project = copy_project(tmp_path / "project", issues=False)
    # 20 columns (the most a table may have, S117) of codes that do not break.
    columns = 20
    header = "| " + " | ".join(f"第{n}项" for n in range(columns)) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join(f"GDP{n:02d}INDEX" for n in range(columns)) + " |"
    rng = random.Random(7)
    articles = one_article_issue(project, 60, f"{_paragraph(rng)}\n\n"
                                 f"{header}\n{rule}\n{row}\n{row}\n\n{_paragraph(rng)}")
    findings = []
    pdf = build_issue(project, 60, project / "build/60.pdf", renderer=renderer_for(project),
                      on_preflight=findings.extend)
    assert [d.code for d in findings] == ["L309"]
    lines = (articles / "a.md").read_text(encoding="utf-8").splitlines()
    assert findings[0].line == lines.index(header) + 1  # the table's first line in a.md
    assert outside_the_column(read(pdf)) == []


# --- the Markdown conventions ----------------------------------------------------------


def test_a_dot_ordered_list_is_numbered_paragraphs_and_a_paren_list_stays_a_list():
    html = render_markdown("1. 加强学习。内容\n2. 第二项\n\n1) 甲\n2) 乙\n")
    assert 'level-3">1.加强学习。</span>内容</p>' in html
    assert 'level-3">2.</span>第二项</p>' in html  # no 。: only the number is marked
    assert "<ol" in html and "<li>甲</li>" in html  # `1)` stays an ordered list
    assert html.count("<ol") == 1


def test_caption_sources_in_order_title_alt_paragraph():
    html = render_markdown('![替代文字](a.png "图为标题")\n\n图为段落\n', slug="s")
    assert '<figcaption class="caption">图为标题</figcaption>' in html
    assert "<p" in html and "图为段落" in html  # not taken: the figure has a caption
    html = render_markdown("![图为替代文字](a.png)\n", slug="s")
    assert '<figcaption class="caption">图为替代文字</figcaption>' in html
    html = render_markdown("![](a.png)\n\n图为段落说明。\n", slug="s")
    assert '<figcaption class="caption">图为段落说明。</figcaption>' in html
    assert "<p" not in html
    html = render_markdown("![](a.png)\n\n图片之后的正文。\n", slug="s")
    assert "figcaption" not in html and "<p" in html
    assert 'data-figure="s:1"' in html


def test_table_titles_and_numeric_cells():
    text = "表2 各乡镇情况\n\n| 乡镇 | 人数 | 占比 | 备注 |\n|---|---|---|---|\n" \
           "| 城关镇 | 1,234 | 56.7% | 12个村 |\n| 合计 | -3 | ±2 | 2025年 |\n"
    html = render_markdown(text, slug="s")
    assert re.search(r'<div class="table-block on-grid">\s*<p class="table-title"', html)
    cells = re.findall(r"<td( class=\"number\")?>([^<]*)</td>", html)
    assert [value for marked, value in cells if marked] == ["1,234", "56.7%", "-3", "±2"]
    html = render_markdown("表示感谢。\n\n| a |\n|---|\n| b |\n")
    assert "table-title" not in html  # 表示 is not a table number


def test_a_note_opens_with_zhu():
    assert 'class="note on-grid"' in render_markdown("注：数据截至6月。\n")
    assert "note" not in render_markdown("注意：这不是注释。\n")


def test_an_image_inside_running_text_does_not_throw_the_grid_off(tmp_path):
    from bulletin.pipeline import build_issue

    project = copy_project(tmp_path / "project", issues=False)
    rng = random.Random(8)
    after = _paragraph(rng)
    articles = one_article_issue(project, 61, f"{_paragraph(rng)}\n\n"
                                 f"扫码查看![二维码](icon.png)详细情况。\n\n{after}")
    photo(articles / "icon.png", 90, 60, 1)
    findings = []
    pdf = build_issue(project, 61, project / "build/61.pdf", renderer=renderer_for(project),
                      on_preflight=findings.extend)
    assert findings == []
    lines = body_lines(read(pdf))
    tall = next(i for i, line in enumerate(lines) if "扫码查看" in line.text)
    before, following = lines[:tall], lines[tall + 1:]
    assert len(following) >= 3 and before
    assert off_grid(before + following) == []


def test_the_glyph_check_knows_the_face_of_captions_and_table_heads(tmp_path):
    """B242 names the face a character is set in: a caption's is 楷体, a table header's
    and a table title's 黑体 (as print.css sets them), the table's other rows 仿宋."""
    from conftest import bulletin

    project = copy_project(tmp_path / "project", issues=False)
    articles = one_article_issue(
        project, 62, "正文一段。\n\n![](p.png)\n\n图为鑫镕铸业车间。\n\n![镕钢车间](p.png)\n\n"
        "表1 镕字统计\n\n| 镕厂 | 人数 |\n|---|---|\n| 镕钢 | 12 |")
    photo(articles / "p.png", 300, 200, 1)
    result = bulletin("check", "62", cwd=project)
    lines = (articles / "a.md").read_text(encoding="utf-8").splitlines()
    found = re.findall(r"a\.md:(\d+):\d+: B242 \[警告\] (\S+?)字体 (\S+)", result.stdout)
    # One finding a character and face, at its first place.
    assert [(lines[int(line) - 1][:2], part, face) for line, part, face in found] == [
        ("图为", "图片说明", "FandolKai"), ("表1", "表题", "FandolHei"),
        ("| ", "表头", "FandolHei"), ("| ", "正文", "FandolFang")], result.stdout
    assert "B213" not in result.stdout  # `表1 …`: the title's number stands apart


# --- a Word submission, imported and built ----------------------------------------------


def test_an_office_docx_issue_builds_with_every_block_on_the_grid(tmp_path):
    """The .docx a county office writes (tests/office_docx.py: title in two paragraphs,
    subtitle, byline, `一、`…`①`, a photo with its caption under it, bullets, a 12-row
    table with its title, a `注：` in smaller type, the credit and a date under it),
    imported and built as an issue of its own: the same figures as the Markdown issues."""
    from conftest import bulletin
    from office_docx import office_docx

    from bulletin.pipeline import build_issue

    project = copy_project(tmp_path / "project", issues=False)
    folder = project / "issues" / "70"
    (folder / "articles").mkdir(parents=True)
    source = office_docx(tmp_path / "西峡县稿件.docx")
    imported = bulletin("import", str(source), "--issue", "70", cwd=project)
    assert imported.returncode in (0, 1), imported.stdout + imported.stderr
    (article,) = (folder / "articles").glob("*.md")
    (folder / "issue.yaml").write_text(
        f"number: 70\ndate: 2025-06-09\narticles:\n  - {article.name}\n", encoding="utf-8")
    checked = bulletin("check", "70", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    findings = []
    pdf = build_issue(project, 70, project / "build/70.pdf", renderer=renderer_for(project),
                      variant="pdf/a-2b", on_preflight=findings.extend)
    # L306 (the 报尾 on a page of its own) and L310 (a figure moved on) are about where
    # this text happens to fall; nothing else may be found.
    assert [d for d in findings if d.code not in ("L306", "L310")] == []
    pages = read(pdf)
    lines = body_lines(pages)
    assert off_grid(lines) == []
    assert outside_the_column(pages) == []
    text = "".join(line.text for page in pages for line in page.lines)
    assert "西峡县人大常委会代表工作纪实" in text  # the subtitle
    assert "（西峡县人大常委会供稿）" in text
    assert "2025年6月3日" not in text and "张伟" not in text.replace(" ", "")
    captions = [line for page in pages for line in page.of("kai", 14)]
    assert any(line.text.startswith("图为") for line in captions)
    assert sum(len(page.images) for page in pages) == 1
    assert any(line.text.startswith("表1") for page in pages for line in page.of("hei", 14))
    assert any(line.text.startswith("注：") for page in pages for line in page.of("fang", 14))
    assert any(line.text.startswith("1.") for line in lines)
