"""The 印发 line with its date, and the print run (GB/T 9704-2012 §7.3.5.3).

Real builds read back from the PDF (pdfplumber's glyph positions): the 印发机关 one
character in from the left and the 印发日期 one character in from the right on one
baseline, `（共印 N 份）` on a line of its own under it at the right, the date from
`printed_on` or (with `print.printed_date: true`) the issue's date, and, with neither,
the very bytes the template gave before the date existed.
"""

from __future__ import annotations

import random
import re
import shutil
from html.parser import HTMLParser

import pdfplumber
import pytest
import yaml

from conftest import COLUMN_BOTTOM, COLUMN_LEFT, COLUMN_RIGHT, bulletin, copy_project
from corpus import make_corpus_issue, page_glyphs
from test_pagination import build, distribution_lines_short, filler, write_issue

EM = 14  # the 报尾's 4号 type: one character in from each edge
ORGAN = "河南省人大常委会代表工作委员会"
DATED = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发")
EDGE = 0.6  # pt

# templates/distribution.html.j2 as it was before the 印发 date: with no date and no
# print run, the template must give the same HTML, so the same PDF, byte for byte.
LEGACY_DISTRIBUTION = """{# The 报尾 is a footnote called at the very end of the issue: WeasyPrint sets footnotes
   at the foot of the page that calls them, here the last page. No white space between
   its paragraphs: it would give the footnote empty lines. #}
<div class="distribution-anchor"><aside class="distribution">
  {%- for line in issue.distribution -%}
  <p class="distribution-line"><span class="distribution-label">{{ line.label }}：</span><span class="distribution-recipients">{{ line.recipients | break_hints }}</span></p>
  {%- endfor -%}
  <p class="printed-by">{{ issue.bulletin.printed_by }}</p></aside></div>
"""


def set_issue(folder, **fields):
    """Add `fields` (printed_on, copies, …) to the issue.yaml in `folder`."""
    path = folder / "issue.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(f"{key}: {value}\n" for key, value in fields.items()),
                    encoding="utf-8")


def copy_issue(project, source: int, number: int, **fields):
    """issues/<number>/: issue <source> (its articles) under another number, `fields` added."""
    folder = project / "issues" / str(number)
    shutil.copytree(project / "issues" / str(source), folder, symlinks=True)
    path = folder / "issue.yaml"
    text = re.sub(r"(?m)^number: \d+$", f"number: {number}", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    set_issue(folder, **fields)
    return folder


def rows(page) -> list[tuple[float, list[dict]]]:
    """The page's 14 pt lines (the 报尾's), top to bottom: (baseline, characters)."""
    found: dict[float, list[dict]] = {}
    for c in page.chars:
        if abs(c["size"] - EM) < 0.1 and c["text"].strip():
            key = next((b for b in found if abs(b - c["baseline"]) < 0.5), c["baseline"])
            found.setdefault(key, []).append(c)
    return [(b, sorted(cs, key=lambda c: c["x0"])) for b, cs in sorted(found.items())]


def text(chars) -> str:
    return "".join(c["text"] for c in chars)


def printed_row(pages):
    """(index of the 印发 row among the last page's 报尾 rows, the rows)."""
    last = rows(pages[-1])
    index = next(i for i, (_, cs) in enumerate(last) if text(cs).endswith("印发"))
    return index, last


def bottom_rule(pdf_path) -> float:
    """The foot of the lowest full-width rule of the last page (the 报尾's last rule)."""
    with pdfplumber.open(pdf_path) as pdf:
        return max(r["bottom"] for r in pdf.pages[-1].rects
                   if abs(r["x0"] - COLUMN_LEFT) < 2 and abs(r["x1"] - COLUMN_RIGHT) < 2)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Issue 23 as it is (23), dated (123), dated with a print run (124), with a print run
    alone (125)."""
    project = copy_project(tmp_path_factory.mktemp("printed") / "project", issues=[23])
    copy_issue(project, 23, 123, printed_on="2025-06-09")
    copy_issue(project, 23, 124, printed_on="2025-06-09", copies=200)
    copy_issue(project, 23, 125, copies=1500)
    return project


@pytest.fixture(scope="module")
def built(project):
    """Each issue of `project` built: number → (pages, preflight findings)."""
    out = {}
    for number in (23, 123, 124, 125):
        pdf, findings = build(project, number)
        out[number] = (page_glyphs(pdf), findings, pdf)
    return out


# --- the 印发 line ------------------------------------------------------------------------


def test_the_date_is_at_the_right_end_of_the_printed_line_on_the_organs_baseline(built):
    pages, findings, pdf = built[123]
    assert findings == []
    index, last = printed_row(pages)
    baseline, chars = last[index]
    assert index == len(last) - 1  # the 报尾's last line
    assert text(chars) == ORGAN + "2025年6月9日印发"  # 印发 once, after the date
    organ, date = chars[:len(ORGAN)], chars[len(ORGAN):]
    # One baseline for both, as pdfplumber reads it back from the text matrices.
    assert max(c["baseline"] for c in chars) - min(c["baseline"] for c in chars) < 0.05
    # The 印发机关 one character in from the left, the date one in from the right.
    assert organ[0]["x0"] == pytest.approx(COLUMN_LEFT + EM, abs=EDGE)
    assert date[-1]["x1"] == pytest.approx(COLUMN_RIGHT - EM, abs=EDGE)
    assert date[0]["x0"] - organ[-1]["x1"] > EM  # apart, not run together
    assert all(COLUMN_LEFT <= c["x0"] and c["x1"] <= COLUMN_RIGHT for c in chars)
    # Just above the last rule, which is on the column's bottom edge.
    rule = bottom_rule(pdf)
    assert rule == pytest.approx(COLUMN_BOTTOM, abs=1.5)
    assert rule - EM < baseline < rule


def test_a_date_keeps_the_distribution_where_it_was(built):
    plain, dated = built[23][0], built[123][0]
    assert len(plain) == len(dated)
    assert [b for b, _ in rows(plain[-1])] == pytest.approx([b for b, _ in rows(dated[-1])],
                                                            abs=0.05)
    assert rows(plain[-1])[-1][1][-1]["x1"] == pytest.approx(COLUMN_RIGHT - EM, abs=EDGE)


def test_the_print_run_is_a_line_of_its_own_under_the_printed_line_at_the_right(built):
    pages, findings, pdf = built[124]
    assert findings == []
    index, last = printed_row(pages)
    assert text(last[index][1]) == ORGAN + "2025年6月9日印发"
    assert index == len(last) - 2
    baseline, chars = last[-1]
    assert text(chars) == "（共印200份）"
    # Right-aligned one character in, flush with the date above it.
    assert chars[-1]["x1"] == pytest.approx(COLUMN_RIGHT - EM, abs=EDGE)
    assert chars[-1]["x1"] == pytest.approx(last[index][1][-1]["x1"], abs=EDGE)
    assert chars[0]["x0"] > COLUMN_LEFT + 300
    # The next line down, inside the last rule, which stays on the column's edge.
    assert 18 < baseline - last[index][0] < 26
    rule = bottom_rule(pdf)
    assert rule == pytest.approx(COLUMN_BOTTOM, abs=1.5)
    assert max(c["bottom"] for c in chars) < rule


def test_a_print_run_without_a_date_keeps_printed_by_as_written(built):
    pages, findings, _ = built[125]
    assert findings == []
    index, last = printed_row(pages)
    assert text(last[index][1]) == ORGAN + "印发"
    assert last[index][1][-1]["x1"] == pytest.approx(COLUMN_RIGHT - EM, abs=EDGE)
    assert text(last[-1][1]) == "（共印1500份）"
    assert index == len(last) - 2


def test_neither_date_nor_print_run_by_default(built):
    pages, findings, _ = built[23]
    assert findings == []
    everything = "".join(text(page.chars) for page in pages)
    assert not DATED.search(everything)
    assert "共印" not in everything
    index, last = printed_row(pages)
    assert index == len(last) - 1 and text(last[index][1]) == ORGAN + "印发"


def test_the_default_is_byte_identical_to_the_template_before_the_date(project, tmp_path):
    """Issue 23 built with this template and with the one before it: the same bytes."""
    from bulletin.pipeline import issue_html
    from bulletin.sources import load_issue

    legacy = copy_project(tmp_path / "legacy", issues=[23])
    (legacy / "templates" / "distribution.html.j2").write_text(LEGACY_DISTRIBUTION,
                                                               encoding="utf-8")
    assert (issue_html(load_issue(project, 23), project)
            == issue_html(load_issue(legacy, 23), legacy))
    now, _ = build(project, 23)
    before, _ = build(legacy, 23)
    assert now.read_bytes() == before.read_bytes()


# --- the date from the settings ------------------------------------------------------------


@pytest.fixture(scope="module")
def dated_project(tmp_path_factory):
    """bulletin.yaml with `print: {printed_date: true}`: issue 23 (its date, 2025-06-09),
    401 (2025-03-02, no leading zeros) and 402 (`printed_on: 2025-11-20` overriding it)."""
    project = copy_project(tmp_path_factory.mktemp("dated") / "project", issues=[23])
    path = project / "bulletin.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings.setdefault("print", {})["printed_date"] = True
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    body = filler(6, random.Random(3))
    write_issue(project, 401, [("某某县：代表工作有新招", "某某县人大常委会", body)])
    folder = write_issue(project, 402, [("某某县：代表工作有新招", "某某县人大常委会", body)])
    set_issue(folder, printed_on="2025-11-20")
    return project


@pytest.mark.parametrize("number, expected", [
    (23, "2025年6月9日印发"),
    (401, "2025年3月2日印发"),
    (402, "2025年11月20日印发"),
])
def test_printed_date_setting_prints_the_issues_date_and_printed_on_overrides_it(
        dated_project, number, expected):
    pdf, findings = build(dated_project, number)
    assert findings == []
    pages = page_glyphs(pdf)
    index, last = printed_row(pages)
    chars = last[index][1]
    assert text(chars) == ORGAN + expected
    assert chars[-1]["x1"] == pytest.approx(COLUMN_RIGHT - EM, abs=EDGE)
    assert chars[0]["x0"] == pytest.approx(COLUMN_LEFT + EM, abs=EDGE)
    everything = "".join(text(page.chars) for page in pages)
    assert DATED.findall(everything) == [expected]


def test_printed_by_without_its_printed_is_the_organ(tmp_path):
    project = copy_project(tmp_path / "project", issues=[23])
    path = project / "bulletin.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        f"printed_by: {ORGAN}印发", f"printed_by: {ORGAN}"), encoding="utf-8")
    set_issue(project / "issues" / "23", printed_on="2025-06-09")
    pdf, findings = build(project, 23)
    assert findings == []
    index, last = printed_row(page_glyphs(pdf))
    assert text(last[index][1]) == ORGAN + "2025年6月9日印发"


# --- the web edition ---------------------------------------------------------------------------


class Footer(HTMLParser):
    """The text of each <p> of the 报尾 (<footer class="distribution">), by class."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.paragraph = None
        self.spans = []
        self.in_span = False
        self.found: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs).get("class") or ""
        if tag == "footer" and "distribution" in names.split():
            self.inside = True
        elif self.inside and tag == "p":
            self.paragraph = [names, ""]
            self.spans = []
        elif self.paragraph is not None and tag == "span":
            self.spans.append("")
            self.in_span = True

    def handle_data(self, data):
        if self.paragraph is not None:
            self.paragraph[1] += data
            if self.in_span:
                self.spans[-1] += data

    def handle_endtag(self, tag):
        if tag == "span":
            self.in_span = False
        elif tag == "p" and self.paragraph is not None:
            self.found.append((self.paragraph[0], self.paragraph[1], self.spans))
            self.paragraph = None
        elif tag == "footer":
            self.inside = False


def web_footer(project, number, out) -> list[tuple[str, str, list[str]]]:
    ran = bulletin("build", number, "--format", "html", "-o", out, cwd=project)
    assert ran.returncode == 0, ran.stderr
    parser = Footer()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return parser.found


def test_the_web_edition_shows_the_date_and_the_print_run(project, tmp_path):
    found = web_footer(project, 124, tmp_path / "web-124")
    assert [classes for classes, _, _ in found[-2:]] == ["printed-by printed-by-dated",
                                                        "printed-copies"]
    assert found[-2][2] == [ORGAN, "2025年6月9日印发"]
    assert found[-1][1] == "（共印200份）"
    plain = web_footer(project, 23, tmp_path / "web-23")
    assert plain[-1] == ("printed-by", ORGAN + "印发", [])
    assert not any("共印" in line or DATED.search(line) for _, line, _ in plain)


# --- one more line at the foot ------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("generated") / "project", issues=False)


def test_a_print_run_that_does_not_fit_takes_the_distribution_to_its_own_page(generated):
    # 13 lines of text leave room for the default 报尾 under them on page 1, not for a
    # 报尾 with a print run.
    article = ("某某县：代表工作有新招", "某某县人大常委会", filler(13, random.Random(5)))
    write_issue(generated, 500, [article])
    pdf, findings = build(generated, 500)
    assert findings == [] and len(page_glyphs(pdf)) == 1
    set_issue(write_issue(generated, 501, [article]), printed_on="2025-03-02", copies=1500)
    pdf, findings = build(generated, 501)
    short = distribution_lines_short(findings)
    assert short is not None and short >= 1
    assert [d.code for d in findings] == ["L306"]
    pages = page_glyphs(pdf)
    assert len(pages) == 2 and pages[-1].page_number == "" and pages[0].page_number == "—1—"
    last = rows(pages[-1])
    assert text(last[0][1]).startswith("送：") and text(last[-1][1]) == "（共印1500份）"
    assert text(last[-2][1]) == ORGAN + "2025年3月2日印发"
    assert max(c["bottom"] for c in pages[-1].chars) < bottom_rule(pdf)
    # Cutting the lines the message names brings it back under the text.
    shorter = ("某某县：代表工作有新招", "某某县人大常委会", filler(13 - short, random.Random(5)))
    set_issue(write_issue(generated, 502, [shorter]), printed_on="2025-03-02", copies=1500)
    pdf, findings = build(generated, 502)
    assert findings == [] and len(page_glyphs(pdf)) == 1


@pytest.mark.parametrize("number, seed, kind, overrides", [
    (601, 1000 + 37 * 20, "extra-distribution", {"extra_distribution": 3}),
    (602, 12, "full-last-page", {}),  # its last page full, 报尾 included: no room for more
    (603, 1000 + 37 * 23, "even-page", {"extra_distribution": 2}),
])
def test_generated_issues_with_a_long_distribution_and_a_print_run(generated, number, seed,
                                                                   kind, overrides):
    folder = make_corpus_issue(generated, number, seed, kind, **overrides)
    set_issue(folder, printed_on="2025-12-31", copies=300)
    pdf, findings = build(generated, number)
    assert {d.code for d in findings} <= {"L306", "L310"}, [d.message for d in findings]
    pages = page_glyphs(pdf)
    last = rows(pages[-1])
    assert text(last[-1][1]) == "（共印300份）"
    assert text(last[-2][1]) == ORGAN + "2025年12月31日印发"
    assert last[-1][1][-1]["x1"] == pytest.approx(COLUMN_RIGHT - EM, abs=EDGE)
    rule = bottom_rule(pdf)
    assert rule == pytest.approx(COLUMN_BOTTOM, abs=1.5)
    assert max(c["bottom"] for c in pages[-1].chars) < rule
    alone = not any(c["size"] > 15.5 for c in pages[-1].chars)  # no body text on it
    if kind == "even-page":
        assert len(pages) % 2 == 0
    else:
        # Under the text of the last page, or on a page of its own when L306 says so.
        assert alone == any(d.code == "L306" for d in findings)
    if alone:
        assert pages[-1].page_number == ""
        assert text(last[0][1]).split("：")[0] in ("送", "发", "抄送", "抄")
    if kind == "full-last-page":
        assert alone
