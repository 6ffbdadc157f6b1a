"""`bulletin import` against what a careless contributor or a careless set-up gives it:
the modes of the files it writes, and text files in the other legacy encodings of
Chinese (and Japanese) Windows, Big5 and Shift-JIS, which read as garbled GB18030."""

from __future__ import annotations

import contextlib
import io
import os
import stat
from pathlib import Path

import pytest
from docx import Document

from bulletin.importers.errors import SubmissionError
from bulletin.importers.text import decode
from bulletin.importers.writer import current_umask
from conftest import Ran, bulletin
from test_import import png


def import_file(path: Path, *args, cwd: Path, issue: int = 23) -> Ran:
    return bulletin("import", path, "--issue", issue, *args, cwd=cwd)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def umask(mask: int):
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


# --- the modes of what import writes --------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_a_new_article_gets_the_mode_of_any_new_file(project, tmp_path, mask):
    source = tmp_path / "notes.txt"
    source.write_text("代表工作简讯\n第一段。\n（代表工委供稿）\n", encoding="utf-8")
    with umask(mask):
        assert current_umask() == mask
        result = import_file(source, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert mode(project / "issues/23/articles/notes.md") == 0o666 & ~mask
    assert not list((project / "issues/23/articles").glob(".*.tmp"))


def test_add_keeps_the_mode_of_issue_yaml(project, tmp_path):
    issue_yaml = project / "issues/23/issue.yaml"
    source = tmp_path / "notes.txt"
    source.write_text("代表工作简讯\n第一段。\n（代表工委供稿）\n", encoding="utf-8")
    for wanted, name in ((0o664, "notes"), (0o640, "notes-b")):
        os.chmod(issue_yaml, wanted)
        with umask(0o022):
            result = import_file(source, "--add", "--slug", name, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"  - {name}.md" in issue_yaml.read_text(encoding="utf-8")
        assert mode(issue_yaml) == wanted
        assert mode(project / f"issues/23/articles/{name}.md") == 0o644


def test_force_keeps_the_mode_of_the_article_it_replaces(project, tmp_path):
    existing = project / "issues/23/articles/xixia.md"
    os.chmod(existing, 0o664)
    source = tmp_path / "xixia.txt"
    source.write_text("新标题\n新正文。\n（某单位供稿）\n", encoding="utf-8")
    with umask(0o022):
        result = import_file(source, "--force", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert existing.read_text(encoding="utf-8").startswith("---\ntitle: 新标题\n")
    assert mode(existing) == 0o664


def test_images_and_their_folder_get_the_usual_modes(project, tmp_path):
    document = Document()
    document.add_paragraph("图片稿", style="Title")
    document.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    document.add_paragraph("图为代表开展义诊活动。")
    document.add_paragraph("（某单位供稿）")
    document.save(tmp_path / "photo.docx")
    with umask(0o022):
        result = import_file(tmp_path / "photo.docx", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    articles = project / "issues/23/articles"
    assert mode(articles / "photo.md") == 0o644
    assert mode(articles / "photo-images") == 0o755
    assert mode(articles / "photo-images/image1.png") == 0o644


# --- Big5 and Shift-JIS -----------------------------------------------------------------------

BIG5_ARTICLE = (
    "鶴壁市山城區：為民履職走在前 助力發展添彩中原\r\n\r\n"
    "今年以來，山城區人大常委會緊緊圍繞區委中心工作，組織各級人大代表深入基層、"
    "傾聽民意，為高質量發展貢獻「代表力量」。\r\n\r\n"
    "一、獻良策，助力經濟發展。圍繞營商環境，成立課題調研組，提出意見建議十二條。\r\n\r\n"
    "（鶴壁市人大常委會代表工委供稿）\r\n")
SHIFT_JIS_ARTICLE = (
    "東京都議会の委員会報告\r\n\r\n"
    "本日、総務委員会は新しい条例案について審議を行いました。"
    "議員からは、住民の意見を広く聞くべきだという声が多く出されました。\r\n\r\n"
    "次回の委員会は来月十日に開かれる予定です。\r\n\r\n"
    "（東京都議会事務局供稿）\r\n")


def test_a_big5_text_file_is_read_as_big5(project, tmp_path):
    source = tmp_path / "shancheng.txt"
    source.write_bytes(BIG5_ARTICLE.encode("big5"))
    result = import_file(source, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已读取 shancheng.txt（编码：Big5（繁体中文））" in result.stdout
    assert (project / "issues/23/articles/shancheng.md").read_text(encoding="utf-8") == """\
---
title: 鶴壁市山城區：為民履職走在前 助力發展添彩中原
credit: 鶴壁市人大常委會代表工委
---

今年以來，山城區人大常委會緊緊圍繞區委中心工作，組織各級人大代表深入基層、傾聽民意，為高質量發展貢獻「代表力量」。

一、獻良策，助力經濟發展。圍繞營商環境，成立課題調研組，提出意見建議十二條。
"""


def test_a_shift_jis_text_file_is_read_as_shift_jis(project, tmp_path):
    source = tmp_path / "tokyo.txt"
    source.write_bytes(SHIFT_JIS_ARTICLE.encode("shift_jis"))
    result = import_file(source, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已读取 tokyo.txt（编码：Shift-JIS（日文））" in result.stdout
    text = (project / "issues/23/articles/tokyo.md").read_text(encoding="utf-8")
    assert "title: 東京都議会の委員会報告" in text
    assert "本日、総務委員会は新しい条例案について審議を行いました。" in text
    assert "次回の委員会は来月十日に開かれる予定です。" in text


# Real sentences, short and long: each file must read back as written, in its encoding.
SENTENCES = [
    ("big5", "Big5（繁体中文）", "代表工作"),
    ("big5", "Big5（繁体中文）", "鄭州市人民代表大會常務委員會"),
    ("big5", "Big5（繁体中文）", "今年以來，縣人大常委會立足實際，系統謀劃，紮實推進代表工作。"),
    ("big5", "Big5（繁体中文）", "臺灣地區的代表們在會議上發言，「積極履職」成為共識。"),
    ("cp950", "Big5（繁体中文）", "會議紀要：與會代表一致認為，應當加強監督。"),
    ("shift_jis", "Shift-JIS（日文）", "会議"),
    ("shift_jis", "Shift-JIS（日文）", "本日は晴天なり。代表者会議は午後二時に開催されます。"),
    ("shift_jis", "Shift-JIS（日文）", "東京都議会の委員会で、新しい条例案が審議された。"),
    ("cp932", "Shift-JIS（日文）", "議事録は委員会の事務局が作成し、全員に配布します。"),
    # GB18030 stays GB18030, rare characters of names included.
    ("gb18030", "GB18030", "代表工作"),
    ("gb18030", "GB18030", "鑫镕铸业"),
    ("gb18030", "GB18030", "䶮"),
    ("gb18030", "GB18030", "今年以来，西峡县人大常委会立足实际，系统谋划，扎实推进代表主题活动。"),
    ("gb18030", "GB18030", "“积极履职”成为共识。"),
]


@pytest.mark.parametrize(("encoding", "label", "text"), SENTENCES,
                         ids=[f"{e}-{len(t)}" for e, _, t in SENTENCES])
def test_each_legacy_encoding_reads_back_as_written(encoding, label, text):
    assert decode(text.encode(encoding), "a.txt") == (text, label)


def test_an_unsure_guess_is_refused_with_the_command_to_convert(project, tmp_path):
    """Big5 of mostly rare characters: neither reading is sure. Nothing is written, and
    the message names the likely encoding and how to convert the file."""
    raw = "代表".encode("big5") + b"\xc9\x40\xd5\x41\xe1\x42"
    with pytest.raises(SubmissionError) as refused:
        decode(raw, "notes.txt")
    message = str(refused.value)
    assert "看起来是 Big5（繁体中文）" in message
    assert "iconv -f CP950 -t UTF-8 notes.txt > utf8-notes.txt" in message
    source = tmp_path / "notes.txt"
    source.write_bytes(raw)
    result = import_file(source, cwd=project)
    assert result.returncode == 1
    assert "无法确定 notes.txt 的编码" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "issues/23/articles/notes.md").exists()


def test_bytes_no_legacy_encoding_reads_are_refused(project, tmp_path):
    source = tmp_path / "noise.txt"
    source.write_bytes(b"\x80\xfd\xfe\xff" * 3)  # only Shift-JIS decodes them, as nothing
    result = import_file(source, cwd=project)
    assert result.returncode == 1
    assert "无法识别 noise.txt 的编码" in result.stderr
