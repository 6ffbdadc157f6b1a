"""WeasyPrint's C declarations, compiled once into build/.cache/ and loaded from there by
every later process (bulletin/typeset/declarations.py): the same PDF, no pycparser, and
the plain parse wherever anything is not as verified."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

from bulletin.typeset import declarations

BUILD = r"""
import json, sys
from pathlib import Path
{before}
from bulletin.pipeline import build_issue
from bulletin.typeset import declarations
build_issue(Path(sys.argv[1]), 23, Path(sys.argv[2]))
import weasyprint.text.ffi as wffi
print(json.dumps({{"how": declarations.state["how"], "pycparser": "pycparser" in sys.modules,
                  "ffi": type(wffi.ffi).__module__ + "." + type(wffi.ffi).__name__}}))
"""


def build(project: Path, target: Path, before: str = "") -> dict:
    result = subprocess.run([sys.executable, "-c", BUILD.format(before=before), str(project),
                             str(target)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "CI": "true"})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def kept(project: Path) -> list[Path]:
    return sorted((project / "build" / ".cache").glob(f"{declarations.PREFIX}*.py"))


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project", issues=[23])


def test_parsed_once_then_loaded_compiled_with_the_same_bytes(project, tmp_path):
    first = build(project, tmp_path / "first.pdf")
    assert first["how"] == "parsed and kept" and first["pycparser"]
    assert len(kept(project)) == 1
    second = build(project, tmp_path / "second.pdf")
    assert second == {"how": "compiled", "pycparser": False, "ffi": "_cffi_backend.FFI"}
    plain = build(project, tmp_path / "plain.pdf",
                  before="import bulletin.typeset.declarations as d; d.supported = lambda: False")
    assert plain == {"how": None, "pycparser": True, "ffi": "cffi.api.FFI"}
    pdf = (tmp_path / "first.pdf").read_bytes()
    assert (tmp_path / "second.pdf").read_bytes() == pdf
    assert (tmp_path / "plain.pdf").read_bytes() == pdf


def test_a_broken_compiled_file_is_parsed_again_and_replaced(project, tmp_path):
    build(project, tmp_path / "first.pdf")
    [path] = kept(project)
    path.write_text("ffi = 'not an FFI'\n", encoding="utf-8")
    again = build(project, tmp_path / "again.pdf")
    assert again["how"] == "parsed and kept"
    assert build(project, tmp_path / "then.pdf")["how"] == "compiled"
    path.write_text("raise SystemError('broken')\n", encoding="utf-8")
    assert build(project, tmp_path / "raised.pdf")["how"] == "parsed and kept"
    for name in ("again.pdf", "then.pdf", "raised.pdf"):
        assert (tmp_path / name).read_bytes() == (tmp_path / "first.pdf").read_bytes()


def test_an_unwritable_cache_parses_every_time(project, tmp_path):
    (project / "build").mkdir(exist_ok=True)
    (project / "build" / ".cache").write_text("a file where the folder should be")
    assert build(project, tmp_path / "a.pdf")["how"] == "parsed"
    assert build(project, tmp_path / "b.pdf")["how"] == "parsed"


@pytest.mark.parametrize("change", [
    "import bulletin.typeset.deferred as d; d.weasyprint_version = lambda: '71.0'",
    "import cffi, cffi.api\nclass Other(cffi.api.FFI): pass\ncffi.FFI = Other",
], ids=["another WeasyPrint", "another FFI class"])
def test_parsed_as_usual_where_not_verified(project, tmp_path, change):
    found = build(project, tmp_path / "a.pdf", before=change)
    assert found["how"] is None and found["pycparser"]
    assert kept(project) == []


def test_the_key_follows_the_declarations_and_cffi():
    import cffi

    assert declarations.key("int f(void);") == declarations.key("int f(void);")
    assert declarations.key("int f(void);") != declarations.key("int g(void);")
    assert len(declarations.key("")) == declarations.KEY_LENGTH
    assert cffi.__version__  # part of the key: another cffi compiles again


def test_the_compiled_ffi_opens_the_same_libraries(project, tmp_path):
    build(project, tmp_path / "first.pdf")
    code = """
import sys
from pathlib import Path
from bulletin.typeset import declarations, load_weasyprint
declarations.use(Path(sys.argv[1]) / "build" / ".cache")
load_weasyprint()
import weasyprint.text.ffi as f
assert declarations.state["how"] == "compiled", declarations.state
assert f.TO_UNITS == 1024 and f.FROM_UNITS == 1 / 1024
description = f.ffi.gc(f.pango.pango_font_description_new(),
                       f.pango.pango_font_description_free)
assert description != f.ffi.NULL
print(f.pango.pango_version())
"""
    result = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert 1_44_00 <= int(result.stdout) < 2_00_00  # Pango 1.x, as WeasyPrint 70 needs


def test_nothing_changes_before_a_cache_is_given():
    code = """
import sys
from bulletin.typeset import declarations
import weasyprint
import weasyprint.text.ffi as f
assert declarations.state["how"] is None
assert type(f.ffi).__module__ == "cffi.api"
assert declarations.Finder not in sys.meta_path
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
