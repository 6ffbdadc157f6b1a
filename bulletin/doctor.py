"""`bulletin doctor`: is this machine ready to typeset?"""

from __future__ import annotations

from pathlib import Path

from .typeset.fonts import bundled_fonts, isolate_fontconfig

REQUIRED_FONTS = ("FandolFang-Regular.otf", "FandolHei-Regular.otf", "FandolKai-Regular.otf",
                  "FandolSong-Regular.otf", "NotoSerifCJKsc-Bold.otf",
                  "NotoSerifCJKsc-Regular.otf")


def harfbuzz_subset_status() -> tuple[bool, str]:
    """Whether WeasyPrint subsets fonts with HarfBuzz (fast) or fontTools (slow)."""
    import ctypes
    import ctypes.util

    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    library = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
    library.hb_version_string.restype = ctypes.c_char_p
    version = library.hb_version_string().decode()
    if harfbuzz_subset is None:
        return False, f"HarfBuzz {version}，未找到 libharfbuzz-subset"
    if not harfbuzz.hb_version_atleast(4, 1, 0):
        return False, f"HarfBuzz {version} 过旧（需要 4.1 以上）"
    return True, f"HarfBuzz {version}，libharfbuzz-subset 可用"


def run_doctor(root: Path, echo) -> int:
    ok = True
    fonts = root / "fonts"
    present = {p.name for p in bundled_fonts(fonts)} if fonts.is_dir() else set()
    missing = [name for name in REQUIRED_FONTS if name not in present]
    if missing:
        ok = False
        echo(f"✗ 字体缺失：{'、'.join(missing)}（应在 {fonts}/ 中）")
    else:
        echo(f"✓ 字体：{len(present)} 个，均在 fonts/ 中")
    isolate_fontconfig(fonts, root / "build" / ".fontconfig", roles=root / "templates" / "fonts.css")
    from .typeset import libraries

    libraries.install()
    try:
        import weasyprint
    except OSError as exc:
        echo(f"✗ 无法加载 WeasyPrint 所需的系统库：{exc}")
        echo("  请安装：apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")
        return 2
    echo(f"✓ WeasyPrint {weasyprint.__version__}")
    subset_ok, detail = harfbuzz_subset_status()
    if subset_ok:
        echo(f"✓ 字体子集化：{detail}")
    else:
        ok = False
        echo(f"✗ 字体子集化：{detail}。没有它，每次排版要多花数秒。")
        echo("  请安装：apt-get install libharfbuzz-subset0")
    return 0 if ok else 1
