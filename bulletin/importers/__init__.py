"""Word (.docx) and plain-text (.txt) submissions → articles in the house format."""

from __future__ import annotations

from pathlib import Path

from .common import BulletList, ImportedArticle, Picture, Problem, Table
from .errors import SubmissionError

SUFFIXES = (".docx", ".txt")


def read_submission(path: Path) -> ImportedArticle:
    """Read a .docx or .txt file; SubmissionError (in Chinese, naming it) if it cannot be."""
    from .docx import read_docx
    from .text import read_text_submission

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"无法读取 {path.name}：{exc.strerror or exc}") from None
    if not raw:
        raise SubmissionError(f"{path.name} 是空文件（0 字节），没有可导入的内容")
    if path.suffix.lower() == ".docx":
        return read_docx(raw, path.name)
    return read_text_submission(raw, path.name)


__all__ = ["BulletList", "ImportedArticle", "Picture", "Problem", "SubmissionError", "SUFFIXES",
           "Table", "read_submission"]
