"""Every change bulletin makes to a third-party module: contained, guarded, undoable.

Each `bulletin.patches.Patch` (typeset/cjk.py, typeset/grid.py, typeset/emphasis.py,
typeset/tagging.py, typeset/warm.py, typeset/barecff.py, typeset/libraries.py, clizh.py)
replaces named attributes and gives back the very originals; it refuses a
version it was not verified on. And a build starts no process at all: the library shim
goes in before WeasyPrint is imported, whichever bulletin module is imported first.
"""

from __future__ import annotations

import ast
import ctypes.util
import importlib
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bulletin import clizh, forked
from bulletin.patches import ABSENT
from bulletin.typeset import barecff, cjk, emphasis, grid, libraries, tagging, warm

ROOT = Path(__file__).resolve().parent.parent


def _weasyprint():
    """WeasyPrint with every patch installed, as a render leaves the process."""
    from bulletin.typeset.render import Renderer

    return Renderer(ROOT)._weasyprint()  # the font set-up first, as in a build


def _attribute(path: str):
    """`weasyprint.layout.inline.text_align` → the object there now (classes included)."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:-1]:
            owner = getattr(owner, name)
        return vars(owner).get(parts[-1], ABSENT)
    raise LookupError(path)


PATCHED = {
    "cjk": (cjk.PATCH, ["weasyprint.layout.inline.text_align",
                        "weasyprint.layout.inline.split_first_line",
                        "weasyprint.layout.inline.split_inline_box",
                        "weasyprint.draw.text.draw_first_line",
                        "weasyprint.text.line_break.Layout.set_text"]),
    "grid": (grid.PATCH, ["weasyprint.layout.block.block_container_layout"]),
    "emphasis": (emphasis.PATCH, ["weasyprint.draw.draw_text"]),
    "tagging": (tagging.PATCH, ["weasyprint.pdf.add_tags",
                                "weasyprint.pdf.tags._build_box_tree",
                                "weasyprint.document.draw_page",
                                "weasyprint.pdf.stream.Stream.marked"]),
    "warm": (warm.PATCH, ["weasyprint.css.CSS", "weasyprint.pdf.fonts.get_hb_object_data",
                          "weasyprint.pdf.fonts.Font.__init__", "weasyprint.pdf.fonts.Font.clean"]),
    "barecff": (barecff.PATCH, ["weasyprint.pdf.fonts.Font._harfbuzz_subset",
                                "weasyprint.pdf.fonts.Font.type",
                                "weasyprint.pdf.build_fonts_dictionary"]),
    "libraries": (libraries.PATCH, ["ctypes.util.find_library"]),
    "clizh": (clizh.PATCH, [f"click.{name}._" for name in clizh.MODULES]
              + ["click.core.ngettext", "click.exceptions.ngettext", "click.parser.ngettext",
                 "click.types.ngettext", "click.types.IntParamType.name",
                 "click.types.IntRange.name"]),
}


@pytest.fixture(params=sorted(PATCHED))
def patched(request):
    """(patch, the attributes it replaces), uninstalled; put back as it was afterwards."""
    _weasyprint()
    patch, where = PATCHED[request.param]
    was = patch.installed
    patch.uninstall()
    yield patch, where
    patch.uninstall()
    if was:
        patch.install()


def test_install_replaces_exactly_the_attributes_named(patched):
    patch, where = patched
    originals = {path: _attribute(path) for path in where}
    assert not patch.installed
    patch.install()
    assert patch.installed
    assert sorted(patch.replaced()) == sorted(where)
    for path in where:
        original, ours = patch.replaced()[path]
        assert original is originals[path], path
        assert _attribute(path) is ours, path
        assert ours is not original, path
        if callable(ours):
            assert ours.__module__.startswith("bulletin."), path


def test_uninstall_restores_the_original_objects(patched):
    patch, where = patched
    originals = {path: _attribute(path) for path in where}
    patch.install()
    patch.uninstall()
    assert not patch.installed and patch.replaced() == {}
    for path in where:
        assert _attribute(path) is originals[path], path
    patch.uninstall()  # uninstalling what is not installed does nothing
    assert all(_attribute(path) is originals[path] for path in where)


def test_installing_twice_is_harmless(patched):
    patch, where = patched
    originals = {path: _attribute(path) for path in where}
    patch.install()
    ours = {path: _attribute(path) for path in where}
    patch.install()
    assert all(_attribute(path) is ours[path] for path in where)  # not wrapped twice
    patch.uninstall()  # once is enough to get the originals back
    assert all(_attribute(path) is originals[path] for path in where)


def _unsupported(monkeypatch, name):
    """Make this process look like a version `name`'s patch does not support."""
    if name in ("cjk", "grid", "emphasis", "tagging", "warm", "barecff"):
        import weasyprint

        monkeypatch.setattr(weasyprint, "__version__", "71.0")
        return "70.0", "71.0"
    if name == "libraries":
        monkeypatch.setattr(sys, "platform", "darwin")
        return "linux", "darwin"
    monkeypatch.setattr(clizh.PATCH, "version", lambda: "9.0.0")  # click has no __version__
    return clizh.SUPPORTED_CLICK, "9.0.0"


@pytest.mark.parametrize("name", sorted(PATCHED))
def test_an_unsupported_version_is_refused(name, monkeypatch):
    _weasyprint()
    patch, where = PATCHED[name]
    was = patch.installed
    patch.uninstall()
    originals = {path: _attribute(path) for path in where}
    try:
        with monkeypatch.context() as m:
            supported, found = _unsupported(m, name)
            with pytest.raises(RuntimeError) as refused:
                patch.install()
            message = str(refused.value)
            assert patch.name in message and supported in message and found in message
            assert not patch.installed
            assert all(_attribute(path) is originals[path] for path in where)
    finally:
        if was:
            patch.install()


def test_the_weasyprint_patches_refuse_even_when_installed(monkeypatch):
    _weasyprint()
    monkeypatch.setattr(_weasyprint(), "__version__", "71.0")
    for patch in (cjk.PATCH, grid.PATCH, emphasis.PATCH, tagging.PATCH, barecff.PATCH):
        assert patch.installed
        with pytest.raises(RuntimeError, match="71.0"):
            patch.install()


def test_the_library_shim_stays_out_where_unsupported(monkeypatch):
    was = libraries.PATCH.installed
    libraries.uninstall()
    original = ctypes.util.find_library
    try:
        monkeypatch.setattr(sys, "platform", "darwin")
        assert libraries.install() is False  # what a build on macOS does: nothing
        assert ctypes.util.find_library is original
    finally:
        monkeypatch.undo()
        if was:
            libraries.install()


def test_uninstalling_cjk_resets_its_state():
    _weasyprint()
    try:
        cjk.install(half_width_quotes=False)
        cjk._line_room[0] = 12.5
        cjk.uninstall()
        assert cjk.OPTIONS.half_width_quotes is True
        assert cjk._line_room == [0.0]
    finally:
        cjk.install()
    assert cjk.OPTIONS.half_width_quotes is True


def test_the_pins_are_the_versions_the_patches_support():
    pins = {}
    for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        name, _, version = requirement.partition("==")
        pins[name] = version
    assert pins["weasyprint"] == cjk.SUPPORTED_WEASYPRINT == grid.SUPPORTED_WEASYPRINT \
        == emphasis.SUPPORTED_WEASYPRINT == tagging.SUPPORTED_WEASYPRINT \
        == barecff.SUPPORTED_WEASYPRINT
    assert pins["click"] == clizh.SUPPORTED_CLICK
    assert importlib.metadata.version("weasyprint") == cjk.SUPPORTED_WEASYPRINT
    assert importlib.metadata.version("click") == clizh.SUPPORTED_CLICK
    assert clizh.PATCH.version() == importlib.metadata.version("click")  # read without it


# --- clizh: the messages are click's own ----------------------------------------------


def _click_strings() -> tuple[set[str], set[str]]:
    """Every string literal in click's source, and those given to ngettext."""
    import click

    strings, plurals = set(), set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id == "ngettext"):
                plurals.update(arg.value for arg in node.args
                               if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return strings, plurals


def test_every_translated_message_is_still_in_click():
    strings, plurals = _click_strings()
    assert not [key for key in clizh.MESSAGES if key not in strings]
    assert not [key for key in clizh.PLURALS if key not in plurals]


def test_clizh_translates_and_untranslates():
    import gettext

    import click.formatting
    import click.types

    was = clizh.PATCH.installed
    clizh.install()
    try:
        assert click.formatting._("Usage:") == "用法："
        assert click.types.IntRange.name == "整数"
        clizh.uninstall()
        assert click.formatting._ is gettext.gettext
        assert click.types.IntRange.name == "integer range"
        assert click.types.IntParamType.name == "integer"
    finally:
        if was:
            clizh.install()


# --- the library shim answers as ctypes does ------------------------------------------


def _weasyprint_library_names() -> list[str]:
    """Every name WeasyPrint's text/ffi.py tries for the libraries it opens."""
    source = Path(_weasyprint().__file__).parent / "text" / "ffi.py"
    names = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "_dlopen"):
            names += [arg.value for arg in node.args
                      if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return names


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
def test_the_shim_answers_as_ctypes_find_library_does():
    names = _weasyprint_library_names()
    assert {"gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0",
            "harfbuzz-subset"} <= set(names)
    names += ["c", "m", "z", "png16", "freetype", "cairo", "nosuchlibrary"]
    was = libraries.PATCH.installed
    libraries.uninstall()
    try:
        original = ctypes.util.find_library
        assert original.__module__ == "ctypes.util"
        expected = {name: original(name) for name in names}  # gcc, ld and all
        libraries.install()
        assert {name: ctypes.util.find_library(name) for name in names} == expected
    finally:
        libraries.uninstall()
        if was:
            libraries.install()
    for library in ("gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0"):
        assert expected[library], library  # the test is about real answers


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
def test_the_cache_reads_as_ldconfig_lists_it():
    printed = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, check=True,
                             env={"LC_ALL": "C", "LANG": "C"}).stdout.splitlines()
    ours = libraries.listing(Path(libraries.LD_SO_CACHE).read_bytes()).splitlines()
    # ldconfig adds hwcaps to some entries and, after them, what generated the cache.
    printed = [re.sub(rb", (?:hwcap|OS ABI): [^)]*\)", b")", line) for line in printed
               if line.startswith(b"\t") or line == printed[0]]
    assert ours == printed


# --- no process: the shim goes first, whatever is imported first -----------------------

AUDIT = r"""
import os, sys
_report = os.open(sys.argv.pop(1), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
_SPAWNING = {"subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn", "os.system",
             "os.fork", "os.forkpty", "pty.spawn"}


def _audit(event, args):
    if event in _SPAWNING:
        os.write(_report, (repr((event, repr(args)[:200])) + "\n").encode())


sys.addaudithook(_audit)
"""


def _spawned(tmp_path: Path, code: str, *args: str) -> list[tuple[str, str]]:
    """The processes that `code` starts, run in a fresh interpreter with an audit hook."""
    report = tmp_path / "spawned.txt"
    report.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-c", AUDIT + code, str(report), *args],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = report.read_text().splitlines() if report.exists() else []
    return [ast.literal_eval(line) for line in lines]


BUILD = """
from pathlib import Path
from bulletin.pipeline import build_issue

build_issue(Path(sys.argv[1]), 23, Path(sys.argv[2]))
"""

CLI = """
import runpy

sys.argv = ["bulletin", "--root", sys.argv[1], "build", "23", "-o", sys.argv[2]]
runpy.run_module("bulletin", run_name="__main__")  # python -m bulletin; exits with os._exit
"""


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
def test_a_build_starts_no_process(tmp_path):
    target = tmp_path / "issue-23.pdf"
    assert _spawned(tmp_path, BUILD, str(ROOT), str(target)) == []
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
def test_the_command_starts_no_program(tmp_path):
    target = tmp_path / "issue-23.pdf"
    # Its one fork is its own check, beside the layout (bulletin/forked.py): no program.
    expected = [("os.fork", "()")] if forked.usable() else []
    assert _spawned(tmp_path, CLI, str(ROOT), str(target)) == expected
    assert target.read_bytes().startswith(b"%PDF")
    # Its manifest is under the project's build/, not beside an -o PDF (outputs.py).
    from bulletin.pipeline import read_manifest

    assert not target.with_suffix(".json").exists()
    assert read_manifest(target, ROOT)["number"] == 23


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
@pytest.mark.parametrize("first", ["bulletin.typeset", "bulletin.typeset.jail",
                                   "bulletin.typeset.render", "bulletin.typeset.cjk",
                                   "bulletin.typeset.grid", "bulletin.typeset.fonts",
                                   "bulletin.preflight", "bulletin.pipeline", "bulletin.doctor"])
def test_weasyprint_comes_after_the_shim_whatever_comes_first(tmp_path, first):
    code = f"""
import {first}
import weasyprint
import ctypes.util
from bulletin.typeset import libraries
assert ctypes.util.find_library is libraries.find_library
"""
    assert _spawned(tmp_path, code) == []


@pytest.mark.skipif(not libraries.PATCH.supports_this(), reason="the shim is for Linux/glibc")
def test_the_audit_hook_sees_what_the_shim_saves(tmp_path):
    # Without bulletin.typeset first, WeasyPrint's import starts ldconfig, gcc and ld:
    # the hook above would see a build that did.
    spawned = _spawned(tmp_path, "import weasyprint\n")
    assert spawned and all(event == "subprocess.Popen" for event, _ in spawned)


def test_bulletin_imports_weasyprint_only_after_bulletin_typeset():
    """A module that imports WeasyPrint is in typeset/ or imports from it at its top.

    Importing `bulletin.typeset` puts the library shim in front of WeasyPrint's import;
    a module that reached WeasyPrint another way would start 86 processes again.
    """
    package = ROOT / "bulletin"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_weasyprint = any(
            isinstance(node, ast.Import) and any(a.name.split(".")[0] == "weasyprint"
                                                 for a in node.names)
            or isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0]
            == "weasyprint" for node in ast.walk(tree))
        if not imports_weasyprint or path.parent.name == "typeset":
            continue
        relative_depth = len(path.relative_to(package).parts)  # 1: bulletin/x.py
        top = [node for node in tree.body if isinstance(node, ast.ImportFrom)]
        if not any(node.module and (node.module == "bulletin.typeset"
                                    or node.module.startswith("bulletin.typeset.")
                                    or node.level == relative_depth
                                    and node.module.split(".")[0] == "typeset")
                   for node in top):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
