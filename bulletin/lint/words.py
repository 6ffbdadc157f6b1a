"""Words: `十` typed for `+` between two words (B252), particles run together that are
always wrong (B253), and words commonly confused in 公文 (B254).

B253 and B254 read their lists from `bulletin/data/particles.yaml` and
`bulletin/data/confused-words.yaml`, once, when first needed. B252 and B254 tell words
apart with the segmenter the titles use (`bulletin.titles`): jieba is loaded only when a
passage holds a candidate that survives the cheap tests (characters around it, the entry's
context), and only a window of Han characters around the candidate is segmented. The
segmentations are cached with the titles' in `build/.cache/`, so that checking an
unchanged issue never loads jieba. If jieba cannot be loaded, B252 and B254 say nothing:
no finding is better than a false one (the titles report the installation problem,
`titles.SegmenterUnavailable`, where they need the segmenter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..chinese import CLOSING, PAIRS, is_han
from ..diagnostics import Fix
from ..titles import SegmenterUnavailable
from ..titles import words as segment_words
from .rules import ARTICLE, TEXT, WARNING, Finding, fenced_passages, in_literal, rule
from .text import ArticleText, Passage

DATA = Path(__file__).resolve().parent.parent / "data"
PARTICLES_FILE = DATA / "particles.yaml"
CONFUSED_FILE = DATA / "confused-words.yaml"

REACH = 20  # Han characters segmented on either side of a candidate
SENTENCE_END = "。！？；!?;\n"


def _han_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of Han characters around text[start:end], at most REACH on either side."""
    left = start
    while left > 0 and start - left < REACH and is_han(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < REACH and is_han(text[right]):
        right += 1
    return left, right


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between 。！？； or line ends) that holds text[start:end]."""
    first = max(text.rfind(mark, 0, start) for mark in SENTENCE_END) + 1
    ends = [found for found in (text.find(mark, end) for mark in SENTENCE_END) if found >= 0]
    return first, min(ends, default=len(text))


def _skipped(text: ArticleText) -> list[Passage]:
    """The passages the word rules do not look at: inside a fenced code block."""
    return fenced_passages(text)


# --- B252: 十 for + --------------------------------------------------------------------

TEN = "十"
# Characters that make the 十 after them a numeral: digits and numbers, 第 and the words
# of counting and quantity (近十年, 前十, 逢十), and single-character words a number follows.
NUMBER_BEFORE = frozenset(
    "零〇一二三四五六七八九十百千万亿两廿卅几数第近约逾超达共计满过余前后头上下每各凡仅只才"
    "逢整足破合占排列居位双半之分成倍多了是有为和与及或的到至等这那此该其本首连已将再还又也都"
    "就在于对向比从由把被给让使")
# Characters that make the 十 before them a numeral or a word with 十: numbers, measure
# words, and what follows 十 in set words and lists (十佳, 十大, 十强, 十不准, 十进,
# 十星级, 十村, 十部门, 十之八九, 十有八九, 十全十美, 十字路口, 十分, 十足).
NUMBER_AFTER = frozenset(
    "零〇一二三四五六七八九十百千万亿两余多几来"
    "年月日天周旬时分秒刻岁世纪代载届期次遍回趟番轮场"
    "个件项条名位人户家所座栋幢间处类种样本册部篇份组支队只头匹张把块片段层级股起例"
    "亩斤米里公吨度元角台套辆架艘枚颗粒株棵根门科节课页行句章则款招策步环重方面指室目"
    "倍成强佳大小优好星最美全足字拿恶之有进不要必严联带包帮访村镇乡县市省区国州城校院企厂店"
    "站馆园社街景厅局委办会")
NAMING_CLOSE = frozenset("”’》〉」』")
OPENING_OF = {closing: opening for opening, closing in PAIRS.items()}
# Verbs that take a number as their object, sometimes with no measure word (打造十示范村,
# 培育十龙头企业): the 十 after them is read as a numeral.
COUNTING_VERBS = frozenset(
    "打造 培育 建成 建设 新建 改造 创建 评选 评出 选树 选出 推出 实施 开展 设立 组建 征集 "
    "走访 帮扶 资助 解决 办好 办理 涌现 召开 完成 建立 表彰 命名 认定 确定 覆盖 涉及 达到 "
    "超过 包括 形成 推动 推进 培养 引进 签约 提出 收集 打通 聚焦 围绕 突出 抓好 抓实 做好 "
    "做实 落实 明确 制定 出台 印发 发布 实现 取得 获得 荣获 位列 跻身 入选 列入 带动 吸纳 "
    "安置 新增 增加 减少 节约 筹集 投入 争取 落地 开通 启动 举办 组织 联系 包联 结对".split())


def plus_for_ten(passage: Passage, root: Path | None = None):
    """B252's findings in one passage (`root`: the project's, for the segmentation cache)."""
    text = passage.text
    for i, ch in enumerate(text):
        if ch != TEN or i == 0 or i + 1 >= len(text):
            continue
        before, after = text[i - 1], text[i + 1]
        if not is_han(before) or before in NUMBER_BEFORE or in_literal(text, i):
            continue
        closing = after in NAMING_CLOSE
        if not closing and (not is_han(after) or after in NUMBER_AFTER):
            continue
        if closing and not _opened(text, i, after):
            continue  # “代表十”: only inside quotes or a book title that close right after 十
        start, end = _han_window(text, i, i + 1)
        try:
            tokens = segment_words(text[start:end], root)
        except SegmenterUnavailable:
            return
        left, right = _around_token(tokens, i - start)
        if left is None or len(left) < 2 or left in COUNTING_VERBS \
                or (right is not None and len(right) < 2) or (right is None and not closing):
            continue
        yield Finding(i, f"“{left}{TEN}{right or ''}”中的“十”疑为“+”，请核对原稿",
                      passage=passage)


def _opened(text: str, position: int, closing: str) -> bool:
    """Whether the quote or book title that `closing` closes is open at `position`."""
    opening = OPENING_OF[closing]
    return text.rfind(opening, 0, position) > text.rfind(closing, 0, position)


def _around_token(tokens: list[str], offset: int) -> tuple[str | None, str | None]:
    """The words before and after the word `十` at `offset`; (None, None) when `十` is part
    of a longer word there (十佳, 数十, 十全十美). None for a side with no word."""
    position = 0
    for index, token in enumerate(tokens):
        if position == offset:
            if token != TEN:
                return None, None
            left = tokens[index - 1] if index else None
            right = tokens[index + 1] if index + 1 < len(tokens) else None
            return left, right
        if position > offset:
            break
        position += len(token)
    return None, None


@rule("B252", WARNING, "“十”疑为“+”（如“党建十服务”“互联网十政务”）", scope=ARTICLE, prose=True)
def ten_for_plus(text: ArticleText):
    skipped = _skipped(text)
    for passage in text.passages:
        if TEN in passage.text and not any(passage is other for other in skipped):
            yield from plus_for_ten(passage, text.root)


# --- the data files ----------------------------------------------------------------------

PARTICLE_KEYS = {"sequence", "suggest", "reason", "example", "exceptions"}
CONFUSED_KEYS = {"wrong", "right", "reason", "example", "source"}
CONFUSED_OPTIONAL = {"fix", "quiet", "before", "not_before", "after", "not_after", "rest",
                     "rest_not", "sentence", "sentence_not"}
CONTEXTS = ("before", "not_before", "after", "not_after", "rest", "rest_not", "sentence",
            "sentence_not")


class DataError(ValueError):
    """A data file of the word rules is malformed: a bug in bulletin, not in an article."""


@dataclass(frozen=True)
class Particle:
    sequence: str
    suggest: str
    reason: str
    example: str
    exceptions: tuple[str, ...]


@dataclass(frozen=True)
class Confusion:
    wrong: str
    right: str
    reason: str
    example: str
    source: str
    fix: bool = False
    quiet: tuple[str, ...] = ()
    # Regular expressions of the context (None: any): the text just before the wrong form
    # must (not) end with `before` (`not_before`), the text after it (not) start with
    # `after`; the rest of its sentence must (not) hold `rest`, its whole sentence
    # `sentence`.
    before: re.Pattern | None = None
    not_before: re.Pattern | None = None
    after: re.Pattern | None = None
    not_after: re.Pattern | None = None
    rest: re.Pattern | None = None
    rest_not: re.Pattern | None = None
    sentence: re.Pattern | None = None
    sentence_not: re.Pattern | None = None

    @property
    def contextual(self) -> bool:
        """Whether the wrong form is a word that is right elsewhere (截止, 反应): only its
        context makes it wrong, and a longer word holding it (不良反应) is no mistake."""
        return any(getattr(self, key) is not None for key in CONTEXTS)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # data files of ours: no limits needed


def _read(path: Path) -> list[dict]:
    # libyaml's loader where PyYAML has it: the pure-Python one takes 80 ms for these lists.
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise DataError(f"{path.name}: a list of entries expected")
    return data


def _text(entry: dict, key: str, name: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{name}: {entry!r}: {key} must be a non-empty string")
    return value


@lru_cache(maxsize=1)
def particles() -> tuple[Particle, ...]:
    """B253's sequences, from bulletin/data/particles.yaml."""
    found = []
    for entry in _read(PARTICLES_FILE):
        if set(entry) != PARTICLE_KEYS:
            raise DataError(f"{PARTICLES_FILE.name}: {entry!r}: keys must be {sorted(PARTICLE_KEYS)}")
        exceptions = entry["exceptions"]
        if not isinstance(exceptions, list) or not all(isinstance(e, str) for e in exceptions):
            raise DataError(f"{PARTICLES_FILE.name}: {entry!r}: exceptions must be a list")
        found.append(Particle(*(_text(entry, key, PARTICLES_FILE.name)
                                for key in ("sequence", "suggest", "reason", "example")),
                              tuple(exceptions)))
    return tuple(found)


@lru_cache(maxsize=1)
def confusions() -> tuple[Confusion, ...]:
    """B254's entries, from bulletin/data/confused-words.yaml."""
    found = []
    for entry in _read(CONFUSED_FILE):
        keys = set(entry)
        if not CONFUSED_KEYS <= keys <= CONFUSED_KEYS | CONFUSED_OPTIONAL:
            raise DataError(f"{CONFUSED_FILE.name}: {entry!r}: keys must be "
                            f"{sorted(CONFUSED_KEYS)} and any of {sorted(CONFUSED_OPTIONAL)}")
        fields = {key: _text(entry, key, CONFUSED_FILE.name) for key in CONFUSED_KEYS}
        fields["fix"] = entry.get("fix", False)
        if not isinstance(fields["fix"], bool):
            raise DataError(f"{CONFUSED_FILE.name}: {entry!r}: fix must be true or false")
        quiet = entry.get("quiet", [])
        if not isinstance(quiet, list) or not all(isinstance(q, str) for q in quiet):
            raise DataError(f"{CONFUSED_FILE.name}: {entry!r}: quiet must be a list of texts")
        fields["quiet"] = tuple(quiet)
        for key in CONTEXTS:
            if key in entry:
                try:
                    fields[key] = re.compile(_text(entry, key, CONFUSED_FILE.name))
                except re.error as exc:
                    raise DataError(f"{CONFUSED_FILE.name}: {entry!r}: {key}: {exc}") from exc
        found.append(Confusion(**fields))
    return tuple(found)


# --- B253: particles run together ------------------------------------------------------

def particle_runs(passage: Passage):
    """B253's findings in one passage."""
    text = passage.text
    for entry in particles():
        size = len(entry.sequence)
        position = text.find(entry.sequence)
        while position >= 0:
            if not in_literal(text, position, position + size) \
                    and not _excepted(text, position, entry):
                yield Finding(position, f"“{entry.sequence}”连用有误，疑应为“{entry.suggest}”："
                              f"{entry.reason}", length=size)
                position = text.find(entry.sequence, position + size)
            else:
                position = text.find(entry.sequence, position + 1)


def _excepted(text: str, position: int, entry: Particle) -> bool:
    """Whether one of the entry's right words is written around the sequence at `position`."""
    for word in entry.exceptions:
        at = word.find(entry.sequence)
        while at >= 0:
            start = position - at
            if start >= 0 and text.startswith(word, start):
                return True
            at = word.find(entry.sequence, at + 1)
    return False


@rule("B253", WARNING, "助词、虚词误连用（如“了的”“的的”“了了”）", scope=TEXT, prose=True)
def particles_together(passage: Passage):
    yield from particle_runs(passage)


# --- B254: words commonly confused ------------------------------------------------------

BOOK_TITLE = {"《": "》", "〈": "〉"}


def _book_titles(text: str) -> list[tuple[int, int]]:
    """The spans inside book-title marks (the marks included): names of documents, books
    and columns, quoted as they are published."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in BOOK_TITLE:
            stack.append((i, BOOK_TITLE[ch]))
        elif ch in CLOSING and stack and stack[-1][1] == ch:
            spans.append((stack.pop()[0], i + 1))
    return spans


def _in_context(text: str, start: int, end: int, entry: Confusion) -> bool:
    if entry.before and not re.search(f"(?:{entry.before.pattern})$", text[:start]):
        return False
    if entry.not_before and re.search(f"(?:{entry.not_before.pattern})$", text[:start]):
        return False
    if entry.after and not entry.after.match(text, end):
        return False
    if entry.not_after and entry.not_after.match(text, end):
        return False
    if entry.rest or entry.rest_not or entry.sentence or entry.sentence_not:
        first, last = _sentence(text, start, end)
        rest, whole = text[end:last], text[first:last]
        if entry.rest and not entry.rest.search(rest):
            return False
        if entry.rest_not and entry.rest_not.search(rest):
            return False
        if entry.sentence and not entry.sentence.search(whole):
            return False
        if entry.sentence_not and entry.sentence_not.search(whole):
            return False
    return True


def confused_words(passage: Passage, root: Path | None = None):
    """B254's findings in one passage (`root`: the project's, for the segmentation cache)."""
    text = passage.text
    candidates = [entry for entry in confusions() if entry.wrong in text]
    if not candidates:
        return
    titles = _book_titles(text)
    taken: list[tuple[int, int]] = []
    found = []
    for entry in candidates:
        size = len(entry.wrong)
        position = text.find(entry.wrong)
        while position >= 0:
            start, end = position, position + size
            position = text.find(entry.wrong, position + 1)
            if in_literal(text, start, end) or any(s <= start and end <= e for s, e in titles) \
                    or any(start < e and s < end for s, e in taken) \
                    or not _in_context(text, start, end, entry):
                continue
            first, last = _han_window(text, start, end)
            try:
                tokens = segment_words(text[first:last], root)
            except SegmenterUnavailable:
                return
            if not _as_word(tokens, start - first, end - first, entry.contextual):
                continue
            taken.append((start, end))
            fix = Fix(entry.wrong, entry.right) if entry.fix else None
            found.append(Finding(start, f"“{entry.wrong}”应为“{entry.right}”：{entry.reason}",
                                 fix, length=size))
    yield from sorted(found, key=lambda finding: finding.offset)


def _as_word(tokens: list[str], start: int, end: int, strict: bool) -> bool:
    """Whether the segmentation `tokens` of a window reads window[start:end] as a word: its
    ends fall between words (one word or several: 布署, 一如/继往), or one word holds it
    whole and `strict` is False (沉缅于: jieba knows some miswritten words). A word
    across one of its ends (公布/署名, 险峻/工程, 按/装修) is another reading: quiet."""
    position = 0
    for token in tokens:
        following = position + len(token)
        if position < start < following or position < end < following:
            return not strict and position <= start and end <= following
        position = following
    return True


@rule("B254", WARNING, "常见易混错别字（如“布署”应为“部署”，“截止6月底”应为“截至”）",
      scope=ARTICLE, prose=True)
def commonly_confused(text: ArticleText):
    skipped = _skipped(text)
    for passage in text.passages:
        if not any(passage is other for other in skipped):
            for finding in confused_words(passage, text.root):
                yield Finding(finding.offset, finding.message, finding.fix, passage,
                              finding.length)
