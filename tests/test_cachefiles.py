"""The caches under build/ are written atomically and never fail a command
(bulletin/cachefiles.py)."""

from __future__ import annotations

import pytest

from bulletin.cachefiles import write_atomically


def test_written_whole_with_its_folder_and_a_published_mode(tmp_path):
    target = tmp_path / "build" / ".cache" / "words.json"
    assert write_atomically(target, "{\"词\": 1}")
    assert target.read_text(encoding="utf-8") == "{\"词\": 1}"
    assert target.stat().st_mode & 0o777 == 0o644
    assert write_atomically(target, "[]")  # replaced
    assert target.read_text(encoding="utf-8") == "[]"
    assert sorted(p.name for p in target.parent.iterdir()) == ["words.json"]


def test_a_refusal_is_false_and_leaves_nothing(tmp_path):
    blocked = tmp_path / "build"
    blocked.write_text("a file where the folder should be")
    assert not write_atomically(blocked / ".cache" / "words.json", "{}")
    assert blocked.read_text() == "a file where the folder should be"


def test_a_failed_write_leaves_no_temporary(tmp_path):
    target = tmp_path / "words.json"
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "\ud800")  # a lone surrogate: not UTF-8
    assert list(tmp_path.iterdir()) == []
