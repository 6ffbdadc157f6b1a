"""Page 1 from its content, the 报尾's placement and the preflight, on generated issues.

Every figure is read back from the PDF (pdfplumber's glyph positions) or from the
preflight's own diagnostics; nothing here is fitted to issue 23.
"""

from __future__ import annotations

import random
import re

import pdfplumber
import pytest

from layout_metrics import CLOSING_HALF, OPENING_HALF
from conftest import (COLUMN_BOTTOM, COLUMN_LEFT, COLUMN_RIGHT, MM, bulletin, copy_project,
                      renderer_for)
from synthetic import ACTIONS, SUBJECTS, article_text

PITCH = 28.95
PAGE_NUMBER = re.compile(r"^—\d+—$")


def write_issue(project, number, articles, *, placement=None, extra=None, date="2025-03-02"):
    """issues/<number>/ from (title, credit, body) triples; returns the folder."""
    folder = project / "issues" / str(number)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    names = []
    for index, (title, credit, body) in enumerate(articles, start=1):
        name = f"a{index}.md"
        title_yaml = title if isinstance(title, str) else "[" + ", ".join(title) + "]"
        (folder / "articles" / name).write_text(
            f"---\ntitle: {title_yaml}\ncredit: {credit}\n---\n\n{body}\n", encoding="utf-8")
        names.append(name)
    text = f"number: {number}\ndate: {date}\narticles:\n" + "".join(f"  - {n}\n" for n in names)
    if placement:
        text += f"distribution_placement: {placement}\n"
    if extra:
        text += "extra_distribution:\n" + "".join(
            f"  - {{label: {label}, recipients: {recipients}}}\n" for label, recipients in extra)
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    return folder


def paragraphs(rng: random.Random, count: int, sentences=(2, 5)) -> str:
    out = []
    for _ in range(count):
        out.append("".join(f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}，{rng.choice(ACTIONS)}。"
                           for _ in range(rng.randint(*sentences))))
    return "\n\n".join(out)


def build(project, number, **kwargs):
    from bulletin.pipeline import build_issue

    findings = []
    pdf = build_issue(project, number, project / "build" / f"{number}.pdf",
                      renderer=renderer_for(project), on_preflight=findings.extend, **kwargs)
    return pdf, findings


def page_chars(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        return [[c for c in page.chars if c["text"].strip()] for page in pdf.pages]


def page_number_text(chars) -> str:
    below = [c for c in chars if c["top"] > COLUMN_BOTTOM + 2]
    return "".join(c["text"] for c in below).replace(" ", "")


def em_box(c) -> tuple[float, float, float, float]:
    """A glyph's em box (x0, top, x1, bottom): 0.88 em above the baseline, 0.12 below.

    The font's own bounding box, which pdfplumber's top and bottom give, is taller than
    the line pitch of a large face: it would make touching lines overlap.
    """
    baseline = 297 * MM - c["matrix"][5]
    return c["x0"], baseline - 0.88 * c["size"], c["x1"], baseline + 0.12 * c["size"]


def overlapping(chars) -> list[tuple[str, str]]:
    """Pairs of glyphs of different lines whose em boxes overlap by more than a point both
    ways (within a line, a mark set in half width keeps its full-width box)."""
    found = []
    boxes = sorted(((em_box(c), c["text"]) for c in chars), key=lambda item: item[0][1])
    for index, ((x0, top, x1, bottom), text) in enumerate(boxes):
        for (ox0, otop, ox1, obottom), other in boxes[index + 1:]:
            if otop >= bottom - 1:
                break
            same_line = abs((bottom - 0.12 * (bottom - top)) - (obottom - 0.12 * (obottom - otop))) < 1
            if same_line:
                continue
            if min(x1, ox1) - max(x0, ox0) > 1 and min(bottom, obottom) - max(top, otop) > 1:
                found.append((text, other))
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("pagination") / "project", issues=False)


# --- page 1 ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4, 8, 12])
def test_contents_of_any_length_never_overlap_the_first_title(project, count):
    rng = random.Random(count)
    long_title = "关于进一步加强新时代人大代表工作推动全过程人民民主在基层落地见效的实践与思考"
    articles = [(long_title[: rng.randint(30, 40)] if index % 2 else f"某某县：代表工作第{index}篇",
                 "某某市人大常委会代表工委", paragraphs(rng, 3)) for index in range(count)]
    articles[0] = (articles[0][0], articles[0][1], paragraphs(rng, 10))  # on to page 2
    number = 200 + count
    write_issue(project, number, articles)
    pdf, findings = build(project, number)
    assert [d for d in findings if d.code != "L306"] == []
    first = page_chars(pdf)[0]
    assert overlapping(first) == []
    contents = [c for c in first if abs(c["size"] - 13) < 0.1]
    titles = [c for c in first if 20 < c["size"] < 30]
    # The whole 要目 is there, above the first title.
    shown = "".join(c["text"] for c in contents)
    for title, _, _ in articles:
        assert title.replace(" ", "") in shown
    assert max(c["bottom"] for c in contents) < min(c["top"] for c in titles)
    # The first title and the body below it sit on the grid of a regular page: their
    # baselines are a whole number of lines away from page 2's.
    with pdfplumber.open(pdf) as document:
        first_lines, second_lines = (page.extract_text_lines(return_chars=True)
                                     for page in document.pages[:2])
    top_title = min(c["top"] for c in titles)
    body = [line for line in first_lines if abs(line["chars"][0]["size"] - 16) < 0.1
            and top_title < line["top"] < COLUMN_BOTTOM]
    reference = document_baseline(next(line for line in second_lines
                                       if abs(line["chars"][0]["size"] - 16) < 0.1))
    assert len(body) >= 3
    for line in body:
        steps = (document_baseline(line) - reference) / PITCH
        assert steps == pytest.approx(round(steps), abs=0.2 / PITCH), line["text"]


def document_baseline(line) -> float:
    """Baseline of a text line, pt from the paper's top (pdfplumber: 297 mm page)."""
    char = line["chars"][0]
    return 297 * MM - char["matrix"][5]


def test_contents_entry_that_wraps_hangs_under_its_text(project):
    title = "某某县人大常委会：聚焦“高效办成一件事”推动2025年1—5月政务服务提质增效的探索与实践"
    write_issue(project, 220, [(title, "某某县人大常委会", paragraphs(random.Random(1), 2))])
    pdf, _ = build(project, 220)
    with pdfplumber.open(pdf) as document:
        lines = document.pages[0].extract_text_lines(return_chars=True)
    entry = [line for line in lines if abs(line["chars"][-1]["size"] - 13) < 0.1]
    assert len(entry) == 2, [line["text"] for line in entry]
    first_text = next(c for c in entry[0]["chars"] if c["text"] == "某")
    assert entry[1]["chars"][0]["x0"] == pytest.approx(first_text["x0"], abs=0.5)


# --- the 报尾 -------------------------------------------------------------------------


def distribution_lines_short(findings) -> int | None:
    for d in findings:
        if d.code == "L306":
            return int(re.search(r"还差 (\d+) 行", d.message).group(1))
    return None


def filler(lines: int, rng: random.Random) -> str:
    """About `lines` body lines of text, in paragraphs of four lines."""
    text = []
    while lines > 0:
        take = min(4, lines)
        # 26 characters on the indented first line, 28 on the others.
        length = 26 + 28 * (take - 1) - 3
        sentence = ""
        while len(sentence) < length:
            sentence += rng.choice(SUBJECTS) + rng.choice(ACTIONS) + "，"
        text.append(sentence[:length] + "。")
        lines -= take
    return "\n\n".join(text)


def test_distribution_that_does_not_fit_gets_its_own_unnumbered_page(project):
    rng = random.Random(5)
    # Page 1 holds the masthead and about 17 lines: 15 lines of text leave no room for a
    # 报尾 of three lines of recipients.
    write_issue(project, 230, [("某某县：代表工作有新招", "某某县人大常委会", filler(15, rng))])
    pdf, findings = build(project, 230)
    short = distribution_lines_short(findings)
    assert short is not None and short >= 1
    pages = page_chars(pdf)
    assert len(pages) == 2
    last = "".join(c["text"] for c in pages[-1])
    assert last.startswith("送：") and last.endswith("印发")
    assert page_number_text(pages[-1]) == ""
    assert page_number_text(pages[0]) == "—1—"
    # Cutting the lines the message names brings the 报尾 back under the text.
    write_issue(project, 231, [("某某县：代表工作有新招", "某某县人大常委会",
                                filler(15 - short, random.Random(5)))])
    pdf, findings = build(project, 231)
    assert distribution_lines_short(findings) is None
    assert len(page_chars(pdf)) == 1
    # The 报尾's last rule sits on the column's bottom edge: its 印发 line just above it.
    printed_by = [c for c in page_chars(pdf)[0] if c["text"] == "发"][-1]
    assert COLUMN_BOTTOM - 14 < printed_by["bottom"] < COLUMN_BOTTOM


@pytest.mark.parametrize("lines, pages, blank", [
    (8, 2, False),    # text ends on page 1 with room to spare: the 报尾 on page 2, alone
    (26, 2, False),   # text ends on page 2 with room: the 报尾 under it
    (37, 4, True),    # text fills page 2: a blank page 3, the 报尾 on page 4
])
def test_even_page_ending(project, lines, pages, blank):
    number = 240 + lines
    write_issue(project, number, [("某某县：代表工作有新招", "某某县人大常委会",
                                   filler(lines, random.Random(lines)))], placement="even-page")
    pdf, _ = build(project, number)
    found = page_chars(pdf)
    assert len(found) == pages
    last = "".join(c["text"] for c in found[-1] if c["top"] < COLUMN_BOTTOM + 2)
    assert last.endswith("印发")
    if blank:
        assert found[-2] == []  # nothing at all, not even a page number
    if not last.startswith("送："):  # the 报尾 under the text of an even page: numbered
        assert page_number_text(found[-1]) == f"—{pages}—"
    else:
        assert page_number_text(found[-1]) == ""
    credit = [index for index, page in enumerate(found, 1)
              if "供稿）" in "".join(c["text"] for c in page)]
    assert credit and credit[0] == (pages if not last.startswith("送：") else credit[0])


def test_distribution_lines_align_after_the_colon_for_any_label(project):
    recipients = "省人大常委会各委员、各省辖市人大常委会主任、副主任、秘书长，济源示范区人大工委主任、副主任，" \
                 "各县（市、区）人大常委会主任"
    write_issue(project, 250, [("某某县：代表工作有新招", "某某县人大常委会", filler(4, random.Random(2)))],
                extra=[("抄送", recipients), ("抄", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ")])
    pdf, findings = build(project, 250)
    assert findings == []
    with pdfplumber.open(pdf) as document:
        lines = document.pages[-1].extract_text_lines(return_chars=True)
    small = [line for line in lines if abs(line["chars"][0]["size"] - 14) < 0.1
             and line["top"] < COLUMN_BOTTOM]
    for label in ("送：", "发：", "抄送：", "抄："):
        index = next(i for i, line in enumerate(small) if line["text"].startswith(label))
        start = small[index]["chars"][len(label)]["x0"]
        assert len(small[index]["text"]) > len(label)  # never the label alone
        following = small[index + 1]
        if not re.match(r"^(送|发|抄送|抄)：|.*印发$", following["text"]):
            assert following["chars"][0]["x0"] == pytest.approx(start, abs=0.5), label
    for line in small:
        last = line["chars"][-1]
        # A closing mark at a line end is set in half width; its box keeps the full em.
        right = last["x1"] - (last["size"] / 2 if last["text"] in CLOSING_HALF else 0)
        assert right <= COLUMN_RIGHT - 14 + 1, line["text"]
        assert line["chars"][0]["x0"] >= COLUMN_LEFT + 14 - 1


# --- the preflight: it finds what is wrong -------------------------------------------


def broken_project(tmp_path, root, css: str):
    project = copy_project(tmp_path / "broken", issues=False)
    with open(project / "templates" / "print.css", "a", encoding="utf-8") as handle:
        handle.write("\n" + css + "\n")
    return project


def test_preflight_finds_an_overlapping_contents(tmp_path, root):
    project = broken_project(tmp_path, root, ".contents { height: 53.21pt; }")
    rng = random.Random(3)
    write_issue(project, 260, [(f"某某县人大常委会：代表工作经验交流第{i}篇", "某某县人大常委会",
                                paragraphs(rng, 2)) for i in range(6)])
    _, findings = build(project, 260)
    codes = {d.code for d in findings}
    assert "L302" in codes, findings
    overlap = next(d for d in findings if d.code == "L302")
    assert overlap.message.startswith("第 1 页")


def test_preflight_finds_lines_off_the_grid_and_text_outside(tmp_path, root):
    project = broken_project(tmp_path, root, ".article-head { margin-bottom: 20pt; } "
                             ".article:first-of-type .credit { margin-right: -20mm; }")
    rng = random.Random(4)
    write_issue(project, 261, [("某某县人大常委会聚焦高效办成一件事推动政务服务提质增效", "某某县人大常委会",
                                paragraphs(rng, 3)), ("某某区：代表工作", "某某区人大常委会",
                                                      paragraphs(rng, 3))])
    _, findings = build(project, 261)
    codes = [d.code for d in findings]
    assert "L301" in codes and "L303" in codes, findings
    outside = next(d for d in findings if d.code == "L301")
    assert "右出 20.0 毫米" in outside.message and outside.path.endswith("a1.md")
    off = [d for d in findings if d.code == "L303"]
    assert {d.path.rsplit("/", 1)[-1] for d in off} == {"a2.md"}
    assert any(d.line > 0 for d in off)


def test_preflight_finds_orphans_widows_and_stranded_titles(tmp_path, root):
    project = broken_project(tmp_path, root, "p { orphans: 1; widows: 1; } "
                             ".article-head { break-after: auto; } .credit { break-before: auto; }")
    codes = set()
    for seed in range(8):
        rng = random.Random(seed)
        number = 270 + seed
        write_issue(project, number, [(f"某某县：代表工作第{i}篇", "某某县人大常委会",
                                       paragraphs(rng, rng.randint(2, 6), (1, 6)))
                                      for i in range(6)])
        _, findings = build(project, number)
        codes |= {d.code for d in findings}
        for d in findings:
            assert re.match(r"^第 \d+ 页：", d.message)
            if d.code == "L305":
                assert d.path.startswith(f"issues/{number}/articles/") and d.line > 0
    assert {"L304", "L305"} <= codes, codes


def test_same_issues_with_the_rules_in_place_have_no_findings(project):
    for seed in range(8):
        rng = random.Random(seed)
        number = 290 + seed
        write_issue(project, number, [(f"某某县：代表工作第{i}篇", "某某县人大常委会",
                                       paragraphs(rng, rng.randint(2, 6), (1, 6)))
                                      for i in range(6)])
        _, findings = build(project, number)
        assert [d for d in findings if d.code != "L306"] == [], findings


def test_strict_build_refuses_and_keeps_the_previous_pdf(project):
    from bulletin.diagnostics import BulletinError, Severity

    write_issue(project, 300, [("某某县：代表工作有新招", "某某县人大常委会", filler(15, random.Random(5)))])
    pdf, findings = build(project, 300)
    assert any(d.code == "L306" for d in findings)
    before = pdf.read_bytes()
    with pytest.raises(BulletinError) as refused:
        build(project, 300, strict=True)
    assert all(d.severity is Severity.ERROR for d in refused.value.diagnostics)
    assert pdf.read_bytes() == before


def test_check_layout_and_build_print_the_findings(project):
    write_issue(project, 301, [("某某县：代表工作有新招", "某某县人大常委会", filler(15, random.Random(5)))])
    checked = bulletin("check", "301", "--layout", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert re.search(r"issues/301/issue\.yaml: L306 \[警告\] 第 1 页：报尾排不进末页正文之下，还差 \d+ 行",
                     checked.stdout)
    strict = bulletin("build", "301", "--strict", cwd=project)
    assert strict.returncode == 1
    assert "L306" in strict.stdout and "Traceback" not in strict.stderr
    plain = bulletin("check", "301", cwd=project)
    assert "L306" not in plain.stdout


def test_article_text_fixture_still_builds_without_findings(project):
    rng = random.Random(11)
    folder = project / "issues" / "310"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "a.md").write_text(
        article_text(rng, "某某市：代表履职有新招 民生实事见实效", "某某市人大常委会代表工委"), encoding="utf-8")
    (folder / "issue.yaml").write_text("number: 310\ndate: 2025-05-05\narticles: [a.md]\n",
                                       encoding="utf-8")
    pdf, findings = build(project, 310)
    assert [d for d in findings if d.code != "L306"] == []
    for page in page_chars(pdf):
        for c in page:
            if PAGE_NUMBER.match(page_number_text([c])) or c["top"] > COLUMN_BOTTOM + 2:
                continue
            # Marks set in half width keep their full-width boxes: their inner half counts.
            right = c["x1"] - (c["size"] / 2 if c["text"] in CLOSING_HALF else 0)
            left = c["x0"] + (c["size"] / 2 if c["text"] in OPENING_HALF else 0)
            assert COLUMN_LEFT - 0.5 <= left and right <= COLUMN_RIGHT + 0.5, c["text"]


def test_readme_lists_every_preflight_code(root):
    from bulletin.preflight import CODES

    readme = (root / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| (L3\d\d) \| warning \|", readme, re.M)
    assert listed == sorted(CODES)


def test_what_cannot_break_stays_inside_the_column(project):
    word = "Supercalifragilisticexpialidocious" * 2
    body = (f"代表们讨论了{word}这个词。\n\n```\n" + "x = 1; " * 20 + "\n```\n\n"
            "详见https://www.henanrd.gov.cn/daibiao/gongzuo/2025/06/09/index-of-reports.html。")
    write_issue(project, 320, [("某某县：代表工作有新招", "某某县人大常委会", body)],
                extra=[("抄", "A" * 80)])
    pdf, findings = build(project, 320)
    assert [d for d in findings if d.code in ("L301", "L302")] == []
    for page in page_chars(pdf):
        for c in page:
            if c["top"] > COLUMN_BOTTOM + 2:
                continue  # the page number
            right = c["x1"] - (c["size"] / 2 if c["text"] in CLOSING_HALF else 0)
            assert c["x0"] >= COLUMN_LEFT - 0.5 and right <= COLUMN_RIGHT + 0.5, c["text"]


def test_a_supplement_is_named_as_one(project):
    write_issue(project, 321, [("某某县：代表工作有新招", "某某县人大常委会", filler(4, random.Random(3)))])
    yaml = project / "issues" / "321" / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "supplement: true\n", encoding="utf-8")
    pdf, _ = build(project, 321)
    with pdfplumber.open(pdf) as document:
        assert document.metadata["Title"] == "代表工作 2025年增刊"
        masthead = "".join(c["text"] for c in document.pages[0].chars[:12])
    assert "增刊" in masthead and "321" not in masthead


def test_every_output_format_has_a_writer():
    from bulletin.cli import OUTPUT_FORMATS
    from bulletin.outputs import WRITERS

    assert OUTPUT_FORMATS == list(WRITERS)
