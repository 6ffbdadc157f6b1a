"""An article's slug (its file name, and its address on the website) when `--slug` is not given.

An ASCII file name gives it as it stands (`Kaifeng_Longting.docx` → `kaifeng-longting`).
A Chinese one gives its pinyin, word by word (`龙亭区稿件.docx` → `longting-qu`): the words
as the title breaker's segmenter (jieba) cuts them, a place's 市/区/县/镇/乡 apart, words
that say nothing of the article (稿件, 材料, 修改稿, 新建 Microsoft Word 文档 …) left out.
When nothing is left, the title gives it, its part before `：` when that is short
(`鹤壁市山城区：为民履职走在前` → `hebi-shi-shancheng-qu`). Deterministic for a given
pypinyin and lexicon; never longer than `MAX_LENGTH`; a slug already used in the issue
gets `-2`, `-3` ….
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from ..chinese import HAN_RANGES, is_han, regex_chars

MAX_LENGTH = 40
# Said of every submission, so they say nothing of this one.
GENERIC_WORDS = frozenset({
    "稿件", "稿子", "来稿", "投稿", "供稿", "文稿", "稿", "初稿", "定稿", "终稿", "修改稿", "修订稿",
    "改稿", "最终版", "终版", "最新版", "新版", "修改", "修订", "材料", "信息", "简报", "报送", "上报",
    "关于", "的", "副本", "新建", "文档", "文件", "word", "microsoft", "wps", "doc", "docx", "txt",
})
PLACE_ENDINGS = "省市区县镇乡村州盟旗"
FALLBACK = "gaojian"  # 稿件: when neither the file name nor the title gives a word
TITLE_PLACE_MAX = 12  # characters before `：` that name the place the article is about


def derived_slug(stem: str, title: str, root: Path | None = None) -> tuple[str, str]:
    """The slug for a file named `stem` whose title is `title`, and where it came from
    (in Chinese, for the report). `root`: the project, whose cache the segmenter uses."""
    def segment(text: str) -> list[str]:
        return _segment(text, root)

    if stem.isascii():
        ascii_slug = _cut(re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-").split("-"))
        if ascii_slug:
            return ascii_slug, "取自文件名"
    from_stem = _pinyin_words(stem, segment)
    if any(han for _, han in from_stem):
        return _cut([word for word, _ in from_stem]), "取自文件名的拼音"
    head, colon, _ = title.partition("：")
    text = head if colon and 0 < len(head) <= TITLE_PLACE_MAX else title
    from_title = _pinyin_words(text, segment)
    if from_title:
        return _cut([word for word, _ in from_title]), "取自标题的拼音"
    every = _pinyin_words(stem, segment, keep_generic=True)
    return (_cut([word for word, _ in every]) or FALLBACK), "取自文件名的拼音"


def unique_slug(slug: str, articles: Path, issue_yaml: Path) -> str:
    """`slug`, or `slug-2`, `slug-3` … : the first no article of the issue uses (a file,
    its images folder, or a name listed in issue.yaml)."""
    listed = _listed(issue_yaml)
    number, candidate = 1, slug
    while (articles / f"{candidate}.md").exists() or (articles / f"{candidate}-images").exists() \
            or f"{candidate}.md" in listed:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _listed(issue_yaml: Path) -> set[str]:
    try:
        data = yaml.safe_load(issue_yaml.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return set()
    articles = data.get("articles") if isinstance(data, dict) else None
    return {name for name in articles if isinstance(name, str)} if isinstance(articles, list) \
        else set()


def _pinyin_words(text: str, segment, keep_generic: bool = False) -> list[tuple[str, bool]]:
    """The ASCII words of `text`: (word, whether it came from Han characters)."""
    from pypinyin import lazy_pinyin

    text = unicodedata.normalize("NFKC", text)
    words: list[tuple[str, bool]] = []
    for run in re.findall(f"[{regex_chars(ranges=HAN_RANGES)}]+|[A-Za-z0-9]+", text):
        if not is_han(run[0]):
            if keep_generic or run.lower() not in GENERIC_WORDS:
                words.append((run.lower(), False))
            continue
        for word in segment(run):
            if not keep_generic and word in GENERIC_WORDS:
                continue
            parts = [word[:-1], word[-1]] if len(word) >= 3 and word[-1] in PLACE_ENDINGS \
                else [word]
            for part in parts:
                ascii_word = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(part)).lower())
                if ascii_word:
                    words.append((ascii_word, True))
    return words


def _cut(words: list[str]) -> str:
    """Words joined by `-`, as many whole words as fit in MAX_LENGTH."""
    words = [word for word in words if word]
    if not words:
        return ""
    slug = words[0][:MAX_LENGTH]
    for word in words[1:]:
        if len(slug) + 1 + len(word) > MAX_LENGTH:
            break
        slug += "-" + word
    return slug.strip("-")


def _segment(text: str, root: Path | None) -> list[str]:
    """The words of a Han text as the title breaker cuts them; one word a character when
    the segmenter cannot be loaded."""
    from ..titles import SegmenterUnavailable, breaker_for

    try:
        lengths = breaker_for(root).words(text)
    except SegmenterUnavailable:
        return list(text)
    words, start = [], 0
    for length in lengths:
        words.append(text[start:start + length])
        start += length
    return words
