"""Images in submissions: where they may come from, and what they may be.

An image is a file beside its article, inside the issue's folder: no URL, no absolute
path, no `..` or symlink that leaves the folder. Its header is read before anything
else, so a 50 000 × 50 000 PNG is refused without being decoded, and a truncated
file is found here rather than in the middle of rendering.
"""

from __future__ import annotations

import io
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
MAX_BYTES = 20 * 1024 * 1024
MAX_SIDE = 12_000
MAX_PIXELS = 40_000_000

COLUMN_WIDTH_PT = 156 * 72 / 25.4
GRID_PT = 28.95
PIXELS_PER_PT = 150 / 72  # an image is printed at 150 dpi, or smaller to fit the column
# At most 15 of the page's 22 grid lines: with its caption and the blank lines around
# it, a figure always fits one page, with some text.
MAX_FIGURE_HEIGHT_PT = 15 * GRID_PT


@dataclass(frozen=True)
class ImageRef:
    src: str
    line: int  # 1-based, in the Markdown text
    col: int


@dataclass(frozen=True)
class CheckedImage:
    path: Path
    width_px: int
    height_px: int
    mime_type: str = "image/png"
    data: bytes = field(default=b"", repr=False, compare=False)  # the file, read once

    def print_size(self) -> tuple[float, float]:
        """Width and height in pt: at 150 dpi, or smaller to fit the column's width and
        `MAX_FIGURE_HEIGHT_PT` (a figure and its caption never fill more than a page)."""
        width = min(COLUMN_WIDTH_PT, self.width_px / PIXELS_PER_PT)
        height = width * self.height_px / self.width_px
        if height > MAX_FIGURE_HEIGHT_PT:
            width, height = width * MAX_FIGURE_HEIGHT_PT / height, MAX_FIGURE_HEIGHT_PT
        return width, height


def resolve(src: str, base: Path, jail: Path) -> tuple[Path | None, str | None]:
    """The file an image reference names, or why it may not be used."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return None, f"图片只能引用稿件旁的文件，不能使用网址或协议：{src}"
    name = unquote(parts.path)
    if not name:
        return None, "图片地址为空"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return None, f"图片不能使用绝对路径：{src}"
    if "\x00" in name:
        return None, "图片地址含有非法字符"
    path = base / name
    try:
        resolved = path.resolve(strict=False)
    except (OSError, RuntimeError):
        return None, f"无法解析图片路径：{src}"
    if not resolved.is_relative_to(jail.resolve()):
        return None, f"图片必须位于本期文件夹内，此路径指向文件夹之外：{src}"
    try:
        status = resolved.stat()
    except FileNotFoundError:
        return None, f"找不到图片文件：{_shown(src)}"
    except (OSError, ValueError) as exc:
        from .sources import os_problem_zh

        problem = os_problem_zh(exc) if isinstance(exc, OSError) else "含有非法字符"
        return None, f"无法使用图片路径（{problem}）：{_shown(src)}"
    if not stat.S_ISREG(status.st_mode):
        return None, f"图片路径不是普通文件：{_shown(src)}"
    return resolved, None


def _shown(src: str, limit: int = 120) -> str:
    """An image address as a message quotes it: a very long one shortened."""
    return src if len(src) <= limit else f"{src[:limit]}……（共 {len(src)} 个字符）"


def inspect(path: Path) -> tuple[CheckedImage | None, str | None]:
    """Read an image's header, then decode it only if it is of a sane size."""
    from PIL import Image, UnidentifiedImageError

    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, f"无法读取图片：{exc.strerror or exc}"
    if size > MAX_BYTES:
        return None, f"图片文件过大（{size / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB）"
    try:
        data = path.read_bytes()  # once: the layout and the web edition use these bytes
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                return None, f"不支持的图片格式 {kind}：请使用 PNG、JPEG 或 GIF"
            if width < 1 or height < 1 or max(width, height) > MAX_SIDE \
                    or width * height > MAX_PIXELS:
                return None, (f"图片尺寸 {width}×{height} 像素过大（单边不超过 {MAX_SIDE}，"
                              f"总数不超过 {MAX_PIXELS // 1_000_000} 百万像素）")
            image.load()  # decodes: a truncated or corrupt file fails here
    except UnidentifiedImageError:
        return None, "无法识别的图片文件（不是 PNG、JPEG 或 GIF，或文件已损坏）"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return None, f"图片文件已损坏或不完整：{exc}"
    return CheckedImage(path, width, height, FORMATS[kind], data), None


def check_article_images(text: str, first_line: int, base: Path, jail: Path,
                         path_label: str) -> tuple[dict[str, CheckedImage], list[Diagnostic]]:
    """Every image an article's Markdown body references, checked; problems as diagnostics."""
    from .markup import image_references

    checked: dict[str, CheckedImage] = {}
    problems: list[Diagnostic] = []
    for ref in image_references(text):
        line = first_line + ref.line - 1
        path, problem = resolve(ref.src, base, jail)
        image = None
        if path is not None:
            image, problem = inspect(path)
        if problem:
            problems.append(Diagnostic("S120", problem, path_label, line, ref.col))
        elif image is not None:
            checked[ref.src] = image
    return checked, problems
