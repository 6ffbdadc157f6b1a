"""The print shop's PDF (`bulletin build N --for-print`, issue #16): PDF/X-4 in CMYK.

Built for real (issue 23, and generated issues with photos and tables as in
tests/test_rich.py) and read back with pikepdf: no RGB colour anywhere in a content
stream (pages and form XObjects), every text drawn in K-only black or in the configured
red, the masthead in `print.red` (the default and a custom one), the images in CMYK or
grey, the PDF/X-4 identification and the OutputIntent with its CMYK profile, TrimBox the
A4 page and BleedBox `print.bleed_mm` around it, every font embedded; the screen PDF
unchanged (the same bytes as a build without the option, still RGB).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest

from conftest import bulletin, copy_project, renderer_for
from test_rich import write_issue

A4 = (595.2756, 841.8898)  # points
MM = 72 / 25.4
BLACK = (0.0, 0.0, 0.0, 1.0)
DEFAULT_RED = (0.0, 0.8, 0.8, 0.0)
RICH = 40
TEXT_SHOWS = {"Tj", "TJ", "'", '"'}


def build(project: Path, number: int, target: Path, **options) -> Path:
    from bulletin.pipeline import build_issue

    return build_issue(project, number, target, renderer=renderer_for(project), **options)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("print") / "project", issues=[23])
    write_issue(project, RICH, seed=11)
    return project


@pytest.fixture(scope="module")
def printed(project) -> dict[int, Path]:
    return {number: build(project, number, project / f"build/print-{number}.pdf",
                          for_print=True) for number in (23, RICH)}


@pytest.fixture(scope="module")
def custom(tmp_path_factory) -> Path:
    """Issue 23 with print.red C0 M100 Y100 K10 and a 5 mm bleed (over WeasyPrint's 10 pt)."""
    project = copy_project(tmp_path_factory.mktemp("print-red") / "project", issues=[23])
    settings = project / "bulletin.yaml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + "\nprint:\n  red: [0, 100, 100, 10]\n  bleed_mm: 5\n",
                        encoding="utf-8")
    return build(project, 23, project / "build/custom.pdf", for_print=True)


# --- reading the content streams ---------------------------------------------------


class Painter:
    """Walks the content streams of a PDF, pages and the form XObjects they draw, with
    the fill and stroke colours in force: what each text was drawn in, every colour
    operator met, every colour space set."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.operators: list[tuple[str, tuple]] = []  # (op, operands) of colour operators
        self.spaces: list[object] = []  # the colour spaces set with cs / CS, resolved
        self.texts: list[tuple[int, float, tuple]] = []  # (page, font size, fill colour)
        self.forms = 0

    def walk(self) -> "Painter":
        for number, page in enumerate(self.pdf.pages, start=1):
            self._stream(page, page.obj.get("/Resources", pikepdf.Dictionary()), number,
                         {"fill": ("DeviceGray", (0.0,)), "stroke": ("DeviceGray", (0.0,))})
        return self

    def _space(self, name, resources):
        spaces = resources.get("/ColorSpace", pikepdf.Dictionary())
        if str(name) in ("/DeviceCMYK", "/DeviceRGB", "/DeviceGray"):
            return str(name)[1:]
        found = spaces.get(str(name))
        if isinstance(found, pikepdf.Array) and str(found[0]) == "/ICCBased":
            return f"ICCBased-{int(found[1].N)}"
        return repr(found)

    def _stream(self, content, resources, page: int, state: dict) -> None:
        stack, size = [], 0.0
        for operands, operator in pikepdf.parse_content_stream(content):
            op = str(operator)
            values = tuple(float(v) for v in operands if isinstance(v, (int, float, Decimal)))
            if op == "q":
                stack.append(dict(state))
            elif op == "Q":
                state = stack.pop() if stack else state
            elif op in ("cs", "CS"):
                space = self._space(operands[0], resources)
                self.spaces.append(space)
                self.operators.append((op, (space,)))
                initial = (0.0, 0.0, 0.0, 1.0) if space == "DeviceCMYK" else (0.0,)
                state["fill" if op == "cs" else "stroke"] = (space, initial)
            elif op in ("sc", "scn", "SC", "SCN"):
                which = "fill" if op in ("sc", "scn") else "stroke"
                state[which] = (state[which][0], values)
                self.operators.append((op, (state[which][0], values)))
            elif op in ("k", "K", "g", "G", "rg", "RG"):
                space = {"k": "DeviceCMYK", "g": "DeviceGray", "rg": "DeviceRGB"}[op.lower()]
                state["fill" if op.islower() else "stroke"] = (space, values)
                self.operators.append((op, (space, values)))
            elif op == "Tf":
                size = float(operands[1])
            elif op in TEXT_SHOWS:
                self.texts.append((page, size, state["fill"]))
            elif op == "Do":
                xobject = resources.XObject[str(operands[0])]
                if xobject.get("/Subtype") == "/Form":
                    self.forms += 1
                    self._stream(xobject, xobject.get("/Resources", resources), page,
                                 dict(state))


def painter(path: Path) -> Painter:
    return Painter(pikepdf.open(path)).walk()


def close(a, b) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 1e-3 for x, y in zip(a, b))


# --- colours -----------------------------------------------------------------------


@pytest.mark.parametrize("number", [23, RICH])
def test_no_rgb_colour_anywhere(printed, number):
    walked = painter(printed[number])
    assert not [o for o in walked.operators if o[0] in ("rg", "RG")]
    assert not [o for o in walked.operators if o[1][0] in ("DeviceRGB", "ICCBased-3")]
    assert set(walked.spaces) <= {"DeviceCMYK", "DeviceGray"}, set(walked.spaces)
    assert walked.texts


@pytest.mark.parametrize("number", [23, RICH])
def test_text_is_k_only_black_or_the_red(printed, number):
    walked = painter(printed[number])
    colours = {(space, tuple(round(v, 4) for v in values))
               for _, _, (space, values) in walked.texts}
    assert colours <= {("DeviceCMYK", BLACK), ("DeviceCMYK", DEFAULT_RED)}, colours
    # The body's text (all but the masthead name) is black, K100 only.
    black = [t for t in walked.texts if close(t[2][1], BLACK)]
    assert len(black) > 0.95 * len(walked.texts)


def test_the_masthead_is_the_default_red(printed):
    walked = painter(printed[23])
    first = [t for t in walked.texts if t[0] == 1]
    biggest = max(size for _, size, _ in first)
    masthead = [t for t in first if t[1] == biggest]
    assert masthead and all(t[2] == ("DeviceCMYK", DEFAULT_RED) for t in masthead)
    # The rule under it: a red fill or stroke on page 1 besides the text.
    reds = [o for o in walked.operators if o[1] == ("DeviceCMYK", DEFAULT_RED)]
    assert len(reds) >= 2


def test_the_masthead_is_a_custom_red(custom):
    walked = painter(custom)
    red = (0.0, 1.0, 1.0, 0.1)
    first = [t for t in walked.texts if t[0] == 1]
    biggest = max(size for _, size, _ in first)
    assert all(close(t[2][1], red) for t in first if t[1] == biggest)
    assert not [t for t in walked.texts if close(t[2][1], DEFAULT_RED)]
    assert {tuple(round(v, 4) for v in t[2][1]) for t in walked.texts} == {BLACK, red}


def test_images_are_cmyk_or_grey(printed):
    pdf = pikepdf.open(printed[RICH])
    images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
              and obj.get("/Subtype") == "/Image" and "/SMask" not in str(obj.get("/Type", ""))]
    colour = [obj for obj in images if str(obj.get("/ColorSpace")) != "/DeviceGray"]
    assert len(colour) >= 2  # the two photos
    assert all(str(obj.ColorSpace) == "/DeviceCMYK" for obj in colour)


# --- PDF/X-4 -----------------------------------------------------------------------


@pytest.mark.parametrize("number", [23, RICH])
def test_pdfx4_identification_and_output_intent(printed, number):
    pdf = pikepdf.open(printed[number])
    assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
    assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
    assert str(pdf.docinfo["/Trapped"]) == "/False"
    assert pdf.pdf_version >= "1.6"
    intents = pdf.Root.OutputIntents
    assert len(intents) == 1
    intent = intents[0]
    assert str(intent.S) == "/GTS_PDFX"
    assert str(intent.OutputConditionIdentifier) == "FOGRA39"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 4
    icc = profile.read_bytes()
    assert icc[12:16] == b"prtr" and icc[16:20] == b"CMYK"  # an output profile, CMYK


@pytest.mark.parametrize("number", [23, RICH])
def test_trim_and_bleed_boxes(printed, number):
    pdf = pikepdf.open(printed[number])
    bleed = 3 * MM
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        assert close((trim[2] - trim[0], trim[3] - trim[1]), A4)
        expected = (trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed)
        assert close([float(v) for v in page.obj.BleedBox], expected)
        media = [float(v) for v in page.obj.MediaBox]
        assert media[0] <= expected[0] + 1e-3 and media[1] <= expected[1] + 1e-3
        assert media[2] >= expected[2] - 1e-3 and media[3] >= expected[3] - 1e-3


def test_a_bleed_over_ten_points(custom):
    pdf = pikepdf.open(custom)
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        assert close([trim[0] - bleed[0], bleed[3] - trim[3]], [5 * MM, 5 * MM])


@pytest.mark.parametrize("number", [23, RICH])
def test_every_font_embedded(printed, number):
    pdf = pikepdf.open(printed[number])
    fonts = [obj for obj in pdf.objects
             if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"]
    assert fonts
    assert all(any(key in font for key in ("/FontFile", "/FontFile2", "/FontFile3"))
               for font in fonts)


def test_the_print_pdf_is_reproducible(project, printed):
    again = build(project, 23, project / "build/print-23-again.pdf", for_print=True)
    assert again.read_bytes() == printed[23].read_bytes()


# --- the screen PDF ----------------------------------------------------------------


def test_the_screen_pdf_is_unchanged(project, printed):
    """A screen build after the print builds has the bytes of one before them, in RGB."""
    fresh = copy_project(project.parent / "screen-only", issues=[23])
    before = build(fresh, 23, fresh / "build/screen.pdf")
    after = build(project, 23, project / "build/screen.pdf")
    assert hashlib.sha256(after.read_bytes()).digest() == \
        hashlib.sha256(before.read_bytes()).digest()
    walked = painter(after)
    assert [o for o in walked.operators if o[0] in ("rg", "RG")]  # still RGB
    pdf = pikepdf.open(after)
    assert "/GTS_PDFXVersion" not in pdf.docinfo and "/OutputIntents" not in pdf.Root


# --- the command -------------------------------------------------------------------


def test_the_command_default_name_and_manifest(project, printed):
    ran = bulletin("build", "23", "--for-print", cwd=project)
    assert ran.returncode == 0, ran.stderr
    target = project / "build" / "daibiao-gongzuo-2025-23-print.pdf"
    assert target.is_file() and target.read_bytes() == printed[23].read_bytes()
    import json

    manifest = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    assert manifest["print"]["variant"] == "pdf/x-4"
    assert manifest["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert not (project / "build" / "daibiao-gongzuo-2025-23.pdf").exists()


@pytest.mark.parametrize("extra", [["--tagged"], ["--pdf-variant", "pdf/a-2b"],
                                   ["--format", "html"], ["--pdf-variant", "pdf/ua-1"]])
def test_for_print_refuses_another_variant(project, extra):
    ran = bulletin("build", "23", "--for-print", *extra, cwd=project)
    assert ran.returncode == 2
    assert "--for-print 不能与" in ran.stderr


def test_help_in_chinese(project):
    ran = bulletin("build", "--help", cwd=project)
    assert "--for-print" in ran.stdout and "印刷厂" in ran.stdout
