"""A cold start: what each command imports, and that none starts a process.

Each command runs in a fresh interpreter (`python -c`: `bulletin.cli.main`, then the
names in `sys.modules`), under the audit hook of `test_patches` (every process started
is written down). A command must not import what it does not use: `check` no WeasyPrint
and no fontTools; a no-change `build --all` decides from bytes and YAML alone, so no
pydantic, Jinja, markdown-it, WeasyPrint, nor the workers' machinery.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from synthetic import make_issue
from test_patches import AUDIT

from bulletin import forked
from bulletin.typeset import libraries

HEAVY = ("weasyprint", "fontTools", "pydantic", "jinja2", "markdown_it", "jieba",
         "pypinyin", "PIL", "rich", "multiprocessing", "concurrent.futures.process",
         "bulletin.model", "bulletin.pipeline", "bulletin.layout", "bulletin.markup",
         "bulletin.typeset.render", "bulletin.lint")

COMMAND = r"""
_modules_file = sys.argv.pop(1)
sys.argv = ["bulletin", *sys.argv[1:]]
from bulletin.cli import main

try:
    main(prog_name="bulletin")
    _code = 0
except SystemExit as _exit:
    _code = _exit.code or 0
import json as _json

with open(_modules_file, "w") as _out:
    _json.dump({"code": _code, "modules": sorted(sys.modules)}, _out)
"""


def run_command(tmp_path: Path, cwd: Path, *args: str) -> tuple[dict, list, str]:
    """`bulletin ARGS` in a fresh process: its exit code and modules, the processes it
    started, its output."""
    report, modules = tmp_path / "spawned.txt", tmp_path / "modules.json"
    report.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", AUDIT + COMMAND, str(report), str(modules), *args], cwd=cwd,
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "CI": "true", "PYTHONHASHSEED": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    spawned = [ast.literal_eval(line) for line in report.read_text().splitlines()] \
        if report.exists() else []
    return json.loads(modules.read_text()), spawned, result.stdout + result.stderr


def loaded(modules: list[str], heavy=HEAVY) -> list[str]:
    return sorted({name for name in modules for top in heavy
                   if name == top or name.startswith(top + ".")})


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Two generated issues, built once (in this process's child: -j 1)."""
    project = copy_project(tmp_path_factory.mktemp("cold") / "archive", issues=False)
    for number in (1, 2):
        make_issue(project, number, seed=number, articles=2)
    build_all(project)
    return project


def build_all(project: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "bulletin", "build", "--all", "-j", "1"],
                            cwd=project, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "CI": "true"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_no_change_build_all_reads_bytes_only(archive, tmp_path):
    build_all(archive)  # current again, should bulletin's source have changed meanwhile
    found, spawned, output = run_command(tmp_path, archive, "build", "--all")
    assert found["code"] == 0
    assert "全部 2 期均未变化，已跳过" in output
    assert loaded(found["modules"]) == []
    if libraries.PATCH.supports_this():
        assert spawned == []


def test_a_change_after_a_no_change_run_still_rebuilds(archive, tmp_path):
    build_all(archive)
    found, _, output = run_command(tmp_path, archive, "build", "--all")
    assert "已跳过" in output
    # bulletin.yaml's slug names the PDFs: read without pydantic, it must still be seen.
    series = archive / "bulletin.yaml"
    before = series.read_text(encoding="utf-8")
    try:
        series.write_text(before.replace("slug: ", "slug: x") if "slug: " in before
                          else before + "\nslug: other-slug\n", encoding="utf-8")
        assert build_all(archive).count("已生成") == 2
    finally:
        series.write_text(before, encoding="utf-8")


def test_check_imports_no_weasyprint_and_starts_no_process(tmp_path):
    found, spawned, output = run_command(tmp_path, ROOT, "check", "23")
    assert found["code"] == 0, output
    assert loaded(found["modules"], ("weasyprint", "fontTools", "bulletin.typeset.render",
                                     "bulletin.pipeline", "jinja2")) == []
    if libraries.PATCH.supports_this():
        assert spawned == []


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
def test_a_build_imports_what_it_uses_and_starts_no_process(tmp_path):
    found, spawned, output = run_command(tmp_path, ROOT, "build", "23",
                                         "-o", str(tmp_path / "23.pdf"))
    assert found["code"] == 0, output
    # Its one fork is its own check, beside the layout (bulletin/forked.py): no program.
    assert spawned == ([("os.fork", "()")] if forked.usable() else [])
    assert loaded(found["modules"], ("concurrent.futures.process", "multiprocessing",
                                     "rich", "fontTools")) == []


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
def test_the_preview_starts_no_process(tmp_path):
    """`bulletin preview 23`: up, its page asked for once, then Ctrl-C."""
    report = tmp_path / "spawned.txt"
    code = AUDIT + ("import runpy\nsys.argv = ['bulletin', *sys.argv[1:]]\n"
                    "runpy.run_module('bulletin', run_name='__main__')\n")
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(report), "preview", "23", "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "CI": "true"})
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if "http://" in line:
                url = "http://" + line.split("http://", 1)[1].strip()
        assert url, "the preview did not say where it is"
        with urllib.request.urlopen(url, timeout=120) as response:
            assert response.status == 200
        time.sleep(1)  # what the first page set going (a render) has started
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    lines = report.read_text().splitlines() if report.exists() else []
    assert [ast.literal_eval(line) for line in lines] == []


# --- what the skip decision reads without the pipeline and the model ---------------------

def test_the_archive_reads_manifests_as_the_pipeline_does(tmp_path, archive):
    from bulletin import archive as archive_module
    from bulletin import pipeline

    assert archive_module.MANIFEST_KEYS == pipeline.MANIFEST_KEYS
    pdfs = sorted((archive / "build").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert archive_module._manifest(pdf) == pipeline.read_manifest(pdf)
    lone = tmp_path / "x.pdf"
    lone.write_bytes(b"%PDF-")
    for text in ("{}", "[]", '{"number": 1, "pages": 1, "articles": []}', "not json"):
        lone.with_suffix(".json").write_text(text)
        assert archive_module._manifest(lone) == pipeline.read_manifest(lone)


@pytest.mark.parametrize("settings, slug", [
    (None, None),  # this project's: as Project.slug reads it
    ("slug: other-1\n", "other-1"),
    ("slug: Upper\n", "bulletin"),  # not the model's pattern: its default
    ("slug: [1]\n", "bulletin"),
    ("slug: 'a-b\n'\n", "bulletin"),
])
def test_the_output_slug_is_the_one_a_build_uses(tmp_path, settings, slug):
    from bulletin.archive import output_slug
    from bulletin.project import Project

    project = copy_project(tmp_path / "p", issues=False, templates=False, fonts=None)
    if settings is not None:
        text = (project / "bulletin.yaml").read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if not line.startswith("slug:")]
        (project / "bulletin.yaml").write_text("\n".join(lines) + "\n" + settings,
                                               encoding="utf-8")
    assert output_slug(Project(project)) == (slug or Project(project).slug)
    if slug == "other-1":
        assert Project(project).slug == "other-1"


def test_an_image_still_counts_in_the_digest(tmp_path):
    from bulletin.archive import _shared_digest_cache, inputs_digest

    project = copy_project(tmp_path / "p", issues=False)
    make_issue(project, 1, seed=1, articles=1)
    article = project / "issues/1/articles/article-1.md"
    image = project / "issues/1/articles/figure.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # only its bytes are read here
    article.write_text(article.read_text(encoding="utf-8") + "\n![图一](figure.png)\n",
                       encoding="utf-8")
    _shared_digest_cache.clear()
    first = inputs_digest(project, 1)
    image.write_bytes(image.read_bytes() + b"\0")
    assert inputs_digest(project, 1) != first


# --- fontTools deferred (typeset/deferred.py) ----------------------------------------------

def _python(code: str, cwd: Path = ROOT) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "CI": "true"})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


BUILD_23 = """
import sys
from pathlib import Path
{before}
from bulletin.pipeline import build_issue
build_issue(Path({root!r}), 23, Path({target!r}))
print(sorted(name for name in sys.modules if name.split(".")[0] == "fontTools"))
"""


def test_a_build_never_imports_fonttools_and_writes_the_same_bytes(tmp_path):
    deferred, plain = tmp_path / "deferred.pdf", tmp_path / "plain.pdf"
    out = _python(BUILD_23.format(before="", root=str(ROOT), target=str(deferred)))
    assert out.strip().splitlines()[-1] == "[]"
    undeferred = "import bulletin.typeset.deferred as d\nd.supported = lambda: False"
    out = _python(BUILD_23.format(before=undeferred, root=str(ROOT), target=str(plain)))
    assert "fontTools.subset" in out.strip().splitlines()[-1]
    assert deferred.read_bytes() == plain.read_bytes()


def test_fonttools_comes_whole_at_its_first_use():
    out = _python("""
import sys
import bulletin.typeset
import weasyprint
import weasyprint.pdf.fonts as pdf_fonts, weasyprint.text.fonts as text_fonts
from bulletin.typeset import deferred
assert "fontTools" not in sys.modules, sorted(sys.modules)
assert isinstance(pdf_fonts.TTFont, deferred.Deferred)
assert pdf_fonts.TTLibError is deferred.DeferredError
assert pdf_fonts.subset.Options.__name__ == "Options"  # first use: all of it, real
import fontTools.subset, fontTools.ttLib, fontTools.ttLib.woff2, fontTools.varLib.instancer
assert pdf_fonts.subset is fontTools.subset
assert pdf_fonts.TTFont is text_fonts.TTFont is fontTools.ttLib.TTFont
assert pdf_fonts.TTLibError is fontTools.ttLib.TTLibError
assert pdf_fonts.ttFont is fontTools.ttLib.ttFont
assert text_fonts.woff2 is fontTools.ttLib.woff2
assert pdf_fonts.instantiateVariableFont is fontTools.varLib.instancer.instantiateVariableFont
assert not any(isinstance(m, deferred._StandIn) for m in sys.modules.values())
print("ok")
""")
    assert out.strip() == "ok"


@pytest.mark.parametrize("change", [
    "d.weasyprint_version = lambda: '71.0'",  # another WeasyPrint: not deferred
    "d.STAND_INS['fontTools.ttLib'] = ('TTFont', 'TTLibError', 'ttFont')",  # asks for more
])
def test_fonttools_is_imported_plainly_where_not_verified(change):
    out = _python(f"""
import sys
import bulletin.typeset.deferred as d
{change}
import bulletin.typeset
import weasyprint, weasyprint.text.fonts, weasyprint.pdf.fonts
import fontTools.ttLib, fontTools.ttLib.woff2
assert weasyprint.text.fonts.woff2 is fontTools.ttLib.woff2
assert weasyprint.pdf.fonts.TTLibError is fontTools.ttLib.TTLibError
assert not any(isinstance(m, d._StandIn) for m in sys.modules.values())
print("ok")
""")
    assert out.strip() == "ok"
