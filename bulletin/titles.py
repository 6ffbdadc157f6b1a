"""Titles: how wide a text is, and where a title breaks into the lines it is printed on.

One home for the printed article title (2号 in the 156 mm column), the 总目录's narrower
title column and the 要目: each passes its own width in full-width cells.

An editor breaks a title in this order:

1. each item of an author's list (`title: [第一行, 第二行]`) is a line of its own;
2. an author's space is where the editor allows a break: when the spaces alone give
   lines that fit, the title breaks there and nowhere else (the space at a break is not
   printed; a space inside a line is kept);
3. otherwise between words, found by the `jieba` segmenter, preferring a break after
   `：` `，` `、` or before `——` when it costs little balance; inside a word only when
   that word alone is wider than a line.

Never against 禁则 (no closing mark at a line start, no opening mark at a line end, `——`
and `……` kept together), numbers (`2025年1—5月`, `5.2%`) and Latin words kept whole. Of
the breaks allowed, the fewest lines, then the most even ones: no stub of one to three
characters left alone on a line when a better split exists. Lines are fitted with
`set_width`, which counts Latin letters and digits as wide as the title face sets them,
so that a line that fits by count fits in print.

Loading jieba takes about half a second, so it is loaded only when a title needs a break
between words, and its segmentation of each text is cached in `build/.cache/`: building
or checking an unchanged issue never imports it.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import chinese
from .cachefiles import write_atomically
from .chinese import CLOSING, DASH, ELLIPSIS, OPENING, PAIRS, POINT_MARKS, WORD_JOINER, \
    ZERO_WIDTH, is_han

# 2号 (22 pt) in the 156 mm column: 156 / (22 × 25.4 / 72) ≈ 20.1 full-width characters.
ARTICLE_TITLE_CELLS = 20

CACHE_DIR = Path("build") / ".cache"
CACHE_FILE = "title-words.json"
CACHE_VERSION = 1
CACHE_LIMIT = 20000  # entries kept; the oldest go first
CACHED_TEXT_LIMIT = 500  # characters: longer texts are not titles worth keeping
JIEBA_CACHE_FILE = "jieba.cache"

# Set phrases of the bulletin's subject that jieba's dictionary cuts into pieces, and
# that an editor never breaks: added to the segmenter's dictionary.
LEXICON = (
    "急难愁盼", "提质增效", "提档升级", "走深走实", "落地见效", "履职尽责", "建言献策",
    "一府一委两院", "全过程人民民主", "新质生产力", "代表之家", "代表联络站",
    "基层立法联系点", "回头看", "票决制", "小切口", "大民生", "接地气", "惠民生",
    "听民声", "察民情", "暖民心", "聚民智", "解难题", "出实招", "见行动", "走在前",
    "作表率", "当先锋", "全覆盖", "全链条", "常态化", "制度化", "规范化", "智慧化",
    "数字化", "网格化",
)

# Latin letters and digits are proportional in the CJK faces, wider than the half cell
# `width` counts them (Noto Serif CJK Bold, the title face: capitals 0.73 em on average,
# lower case 0.59, digits 0.58). Lines are fitted with these, so that a line that fits
# by count fits in print too and the browser never has to wrap it.
SET_WIDTHS = {**dict.fromkeys(string.ascii_uppercase, 0.75),
              **dict.fromkeys(string.ascii_lowercase + string.digits, 0.6)}

# 禁则: the marks that never start a line and those that never end one (bulletin.chinese),
# and what UAX #14 keeps off a line start or end in the body: signs that follow a number,
# the full-width tilde of ranges (1～5), half-width marks and brackets. A title is broken
# here, not by Pango.
NO_LINE_START = chinese.NO_LINE_START | frozenset("%‰～,.;:?!)]}")
NO_LINE_END = chinese.NO_LINE_END | frozenset("([{")

# Runs kept whole: web addresses, numbers with their dates and ranges (2025年1—5月, 5.2%,
# 9:30, 1,000), Latin words with digits (PM2.5, AI+, 5G, COVID-19).
_NUMBER = r"[0-9]+(?:[.,:][0-9]+)*[%‰]?"
KEEP_WHOLE = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+"
    rf"|{_NUMBER}(?:[年月日号]?[—–~～-]?{_NUMBER})*[年月日号]?"
    r"|[A-Za-z0-9]+(?:[.+\-_/&@'’][A-Za-z0-9]+)*[%‰+#]*")
SPACES = re.compile(r"\s+")

# What a break costs, on a scale where a line's imbalance costs 100 × (width / cells)²:
# a break that moves a line end d cells off the even split costs about 200 (d / cells)².
SPACE = 0  # the author's
COLON = 0  # after ：
CLAUSE = 5  # after ，、；。？！
BEFORE_DASH = 3  # before ——
QUOTE_EDGE = 8  # after a closing mark, before an opening one
WORD = 15  # between two words
SINGLE = 8  # more, when one of the two words is a single character (走/在/前)
QUOTED = 20  # more, inside quotes or a book title
SHORT_QUOTED = 50  # more, inside one at most SHORT_QUOTE_CELLS wide
SHORT_QUOTE_CELLS = 10
INSIDE_WORD = 60  # inside a word wider than a line
STUB = 40  # a line of 1 to 3 characters
STUB_CELLS = 3


class SegmenterUnavailable(RuntimeError):
    """jieba cannot be loaded: an installation problem, never a problem in the content."""


def _char_width(ch: str) -> float:
    if ch in ZERO_WIDTH or unicodedata.combining(ch):
        return 0.0
    kind = unicodedata.east_asian_width(ch)
    if kind in ("W", "F"):
        return 1.0
    if kind == "A" and ord(ch) >= 0x2000:  # “ ” … — and the like: full width in CJK fonts
        return 1.0
    return 0.5


_WIDTHS: dict[str, float] = {}


def width(text: str) -> float:
    """Width in full-width cells: Han and full-width marks 1, Latin letters, digits and
    spaces ½, invisible break hints (U+200B, U+2060) 0."""
    total = 0.0
    for ch in text:
        size = _WIDTHS.get(ch)
        if size is None:
            size = _WIDTHS[ch] = _char_width(ch)
        total += size
    return total


@dataclass(frozen=True)
class Unbreakable:
    """A run of an author's line wider than a line, with no space and no break between
    words in it: it can only be cut between two characters."""

    line: int  # index of the author's line
    start: int  # offsets into that line, as given
    end: int
    text: str
    width: float  # as fitted (set_width)


@dataclass(frozen=True)
class BrokenTitle:
    lines: list[str]  # as printed
    unbreakable: list[Unbreakable] = field(default_factory=list)


@dataclass(frozen=True)
class _Break:
    end: int  # the line before ends here
    start: int  # the next line starts here (after the space, for an author's space)
    cost: float
    forced: bool = False  # against 禁则 or inside a run kept whole: only when nothing else fits


# --- the segmenter ---------------------------------------------------------------------

_SEGMENTER = None
_SEGMENTER_LOCK = threading.Lock()
_WORDS: dict[str, tuple[int, ...]] = {}  # every text segmented in this process: word lengths


def lexicon_stamp() -> str:
    """Changes when the lexicon, hence the segmentation, does."""
    digest = hashlib.sha1("\n".join((str(CACHE_VERSION), *LEXICON)).encode("utf-8"))
    return digest.hexdigest()[:16]


def load_segmenter(cache_dir: Path | None):
    """jieba's tokenizer with the titles' lexicon, loaded once a process, its dictionary's
    cache in `cache_dir` (build/.cache/). Raises SegmenterUnavailable when jieba cannot
    load: a problem of the installation, never of the text."""
    global _SEGMENTER
    with _SEGMENTER_LOCK:
        if _SEGMENTER is not None:
            return _SEGMENTER
        import logging
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # jieba imports pkg_resources
                import jieba

                # Its progress lines would go to stderr; its import sets them to DEBUG.
                for name in ("jieba", "jieba._compat"):
                    logging.getLogger(name).setLevel(logging.CRITICAL + 1)
                tokenizer = jieba.Tokenizer()
                if cache_dir is not None:
                    try:
                        cache_dir.mkdir(parents=True, exist_ok=True)
                        tokenizer.tmp_dir = str(cache_dir)
                        tokenizer.cache_file = JIEBA_CACHE_FILE
                    except OSError:
                        pass  # read-only: jieba's own cache goes to the system's temp folder
                tokenizer.initialize()
                for word in LEXICON:
                    tokenizer.add_word(word)
        except Exception as exc:  # noqa: BLE001 - any failure here is the installation's
            raise SegmenterUnavailable(
                f"无法加载分词组件 jieba（{type(exc).__name__}: {exc}），标题无法按词断行。"
                "这是安装问题，不是稿件的问题：请运行 make build，"
                "或 .venv/bin/pip install 'jieba>=0.42' 后重试") from exc
        _SEGMENTER = tokenizer
        return tokenizer


def _segment(text: str, cache_dir: Path | None) -> tuple[int, ...]:
    words = _WORDS.get(text)
    if words is None:
        tokens = load_segmenter(cache_dir).lcut(text, HMM=False)
        words = tuple(len(token) for token in tokens if token)
        if sum(words) != len(text):  # never seen; one word per character then
            words = (1,) * len(text)
        _WORDS[text] = words
    return words


def _valid_words(text, words) -> bool:
    return (isinstance(text, str) and isinstance(words, list)
            and all(isinstance(n, int) and n > 0 for n in words) and sum(words) == len(text))


class TitleBreaker:
    """Breaks titles; caches the segmentation in `cache_dir/title-words.json`.

    `TitleBreaker()` keeps it in memory only (tests, one-off uses). A corrupt or missing
    cache file is recomputed; a read-only one is left alone.
    """

    def __init__(self, cache_dir: Path | str | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._stored: dict[str, list[int]] | None = None
        self._dirty = False
        self._lock = threading.Lock()

    # the cache

    @property
    def cache_path(self) -> Path | None:
        return self.cache_dir / CACHE_FILE if self.cache_dir is not None else None

    def _read(self) -> dict[str, list[int]]:
        path = self.cache_path
        if path is None:
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION \
                or data.get("lexicon") != lexicon_stamp() \
                or not isinstance(data.get("words"), dict):
            return {}
        return {text: words for text, words in data["words"].items() if _valid_words(text, words)}

    def words(self, text: str) -> tuple[int, ...]:
        """The lengths of the words of `text`, as the segmenter cuts it."""
        with self._lock:
            if self._stored is None:
                self._stored = self._read()
            stored = self._stored.get(text)
            if stored is not None:
                return tuple(stored)
            words = _segment(text, self.cache_dir)
            if self.cache_dir is not None and len(text) <= CACHED_TEXT_LIMIT:
                self._stored[text] = list(words)
                self._dirty = True
            return words

    def flush(self) -> None:
        """Write what was segmented since the last flush, merged with what another process
        may have written meanwhile; atomically."""
        with self._lock:
            if not self._dirty or self.cache_dir is None or self._stored is None:
                return
            self._dirty = False
            merged = self._read()
            merged.update(self._stored)
            if len(merged) > CACHE_LIMIT:
                merged = dict(list(merged.items())[-CACHE_LIMIT:])
            self._stored = merged
            data = {"version": CACHE_VERSION, "lexicon": lexicon_stamp(), "words": merged}
            write_atomically(self.cache_path, json.dumps(data, ensure_ascii=False,
                                                         separators=(",", ":")))

    # breaking

    def break_title(self, title_lines: list[str], cells: float) -> list[str]:
        """The lines to print, each at most `cells` wide."""
        return self.analyse(title_lines, cells).lines

    def analyse(self, title_lines: list[str], cells: float) -> BrokenTitle:
        """The lines to print, and the runs that could only be cut inside a word."""
        lines: list[str] = []
        unbreakable: list[Unbreakable] = []
        try:
            for index, line in enumerate(title_lines):
                printed, runs = self._break_line(line, cells)
                lines += printed
                unbreakable += [Unbreakable(index, start, end, line[start:end],
                                            set_width(line[start:end])) for start, end in runs]
        finally:
            self.flush()
        return BrokenTitle(lines, unbreakable)

    def _break_line(self, line: str, cells: float) -> tuple[list[str], list[tuple[int, int]]]:
        stripped = line.strip()
        if not stripped:
            return [], []
        offset = len(line) - len(line.lstrip())
        text = stripped
        prefix = _prefix_widths(text)
        if prefix[-1] <= cells:
            return [text], []
        spaces = [_space_break(text, match) for match in SPACES.finditer(text)]
        # The author's spaces, when they are enough.
        allowed = [b for b in spaces if not b.forced]
        chosen = _best_lines(text, prefix, allowed, cells)
        if chosen is not None and not _has_stub(prefix, chosen):
            return _cut(text, chosen), []
        # Between words.
        breaks = {b.end: b for b in allowed}
        for match in re.finditer(r"\S+", text):
            start = match.start()
            words = self.words(match.group())
            for position, cost in _word_breaks(text, start, match.end(), words).items():
                breaks.setdefault(position, _Break(position, position, cost))
        ordered = sorted(breaks.values(), key=lambda b: b.end)
        # Runs wider than a line between two of those breaks: cut between characters.
        runs = []
        edges = [(0, 0), *((b.end, b.start) for b in ordered), (len(text), len(text))]
        for (_, run_start), (run_end, _) in zip(edges, edges[1:]):
            if prefix[run_end] - prefix[run_start] > cells:
                runs.append((run_start, run_end))
                for position in range(run_start + 1, run_end):
                    if not _against_kinsoku(text, position):
                        breaks.setdefault(position, _Break(position, position, INSIDE_WORD))
        chosen = _best_lines(text, prefix, sorted(breaks.values(), key=lambda b: b.end), cells)
        if chosen is None:
            # Nothing fits within 禁则: any place between two characters, as few as can be.
            for position in range(1, len(text)):
                if position not in breaks and not text[position - 1].isspace() \
                        and not text[position].isspace():
                    breaks[position] = _Break(position, position, INSIDE_WORD, forced=True)
            for b in spaces:
                breaks.setdefault(b.end, b)
            chosen = _best_lines(text, prefix, sorted(breaks.values(), key=lambda b: b.end),
                                 cells)
        if chosen is None:  # narrower than one character: a character a line
            return [ch for ch in text if not ch.isspace()], [(offset + s, offset + e)
                                                             for s, e in runs]
        return _cut(text, chosen), [(offset + s, offset + e) for s, e in runs]


def set_width(text: str) -> float:
    """The width a line is fitted with: `width`, but Latin letters and digits as wide as
    the title faces set them (see SET_WIDTHS). Never less than `width`."""
    return sum(SET_WIDTHS.get(ch) or width(ch) for ch in text)


def _prefix_widths(text: str) -> list[float]:
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + (SET_WIDTHS.get(ch) or width(ch)))
    return prefix


def _space_break(text: str, match: re.Match) -> _Break:
    start, end = match.span()
    return _Break(start, end, SPACE, forced=_against_kinsoku_pair(text[start - 1], text[end]))


def _against_kinsoku_pair(before: str, after: str) -> bool:
    return after in NO_LINE_START or before in NO_LINE_END or WORD_JOINER in (before, after)


def _against_kinsoku(text: str, position: int) -> bool:
    """Whether a line may not end between text[position - 1] and text[position]."""
    before, after = text[position - 1], text[position]
    if _against_kinsoku_pair(before, after):
        return True
    if before == after and before in (DASH, ELLIPSIS):  # —— and …… stay together
        return True
    # A single dash (a range, 征集—视察) binds both sides; —— may start a line.
    if after == DASH and text[position + 1:position + 2] != DASH:
        return True
    if before == DASH and text[position - 2:position - 1] != DASH:
        return True
    return False


def _word_breaks(text: str, start: int, end: int, words: tuple[int, ...]) -> dict[int, float]:
    """Where the run text[start:end] may break between words, and what each break costs."""
    candidates, single = set(), set()  # single: next to a word of one Han character
    position = start
    for length in words:
        if length == 1 and is_han(text[position]):
            single.update((position, position + 1))
        position += length
        candidates.add(position)
    # Marks are break points whatever the segmenter says.
    for position in range(start + 1, end):
        if text[position - 1] in NO_LINE_START or text[position] in OPENING \
                or text[position:position + 2] == DASH * 2:
            candidates.add(position)
    whole = bytearray(end + 1)  # 1 where a break would cut a run kept whole
    for match in KEEP_WHOLE.finditer(text, start, end):
        whole[match.start() + 1:match.end()] = b"\x01" * (match.end() - match.start() - 1)
    # Inside quotes or a book title a break costs more; inside a short one (“代表之家”,
    # 《代表法》) much more.
    quoted = [0] * (end + 1)
    for s, e in _quoted_spans(text, start, end):
        extra = SHORT_QUOTED if width(text[s:e]) <= SHORT_QUOTE_CELLS else QUOTED
        for position in range(s + 1, e):
            quoted[position] = max(quoted[position], extra)
    found = {}
    for position in sorted(candidates):
        if not start < position < end or whole[position] or _against_kinsoku(text, position):
            continue
        before, after = text[position - 1], text[position]
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            continue  # 5G, PM2.5
        if before.isascii() and before.isdigit() and is_han(after):
            continue  # 120个, 2025年
        if before == "第" and after.isascii() and after.isdigit():
            continue  # 第1季度
        if before in "：:":
            cost = COLON
        elif before in POINT_MARKS or before in ",;":
            cost = CLAUSE
        elif text[position:position + 2] == DASH * 2:
            cost = BEFORE_DASH
        elif before in CLOSING or after in OPENING:
            cost = QUOTE_EDGE
        else:
            cost = WORD + (SINGLE if position in single else 0)
        found[position] = cost + quoted[position]
    return found


def _quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of text[start:end] from an opening mark to the closing mark it pairs with."""
    spans, stack = [], []
    for position in range(start, end):
        ch = text[position]
        if ch in PAIRS:
            stack.append((PAIRS[ch], position))
        elif ch in CLOSING:
            while stack and stack[-1][0] != ch:
                stack.pop()  # an unpaired opening mark: B202 reports it
            if stack:
                spans.append((stack.pop()[1], position + 1))
    return spans


def _best_lines(text: str, prefix: list[float], breaks: list[_Break],
                cells: float) -> list[_Break] | None:
    """The breaks giving the fewest forced breaks, then the fewest lines, then the least
    cost (imbalance and break costs); None if no choice makes every line fit."""
    n = len(text)
    nodes = [_Break(0, 0, 0.0), *breaks, _Break(n, n, 0.0)]
    best: list[tuple | None] = [None] * len(nodes)
    back = [0] * len(nodes)
    best[0] = (0, 0, 0.0)
    for j in range(1, len(nodes)):
        end = nodes[j].end
        for i in range(j - 1, -1, -1):
            start = nodes[i].start
            if start > end:
                continue
            line_width = prefix[end] - prefix[start]
            if line_width > cells:
                break  # and wider still further back
            if best[i] is None or start == end:
                continue
            forced, lines, cost = best[i]
            ratio = line_width / cells
            cost += 100 * ratio * ratio + nodes[j].cost
            if line_width <= STUB_CELLS:
                cost += STUB
            key = (forced + nodes[j].forced, lines + 1, cost)
            if best[j] is None or key < best[j]:
                best[j], back[j] = key, i
    if best[-1] is None:
        return None
    chosen, j = [], len(nodes) - 1
    while j:
        chosen.append(nodes[j])
        j = back[j]
    return chosen[::-1]


def _has_stub(prefix: list[float], chosen: list[_Break]) -> bool:
    if len(chosen) < 2:
        return False
    starts = [0, *(b.start for b in chosen[:-1])]
    return any(prefix[b.end] - prefix[s] <= STUB_CELLS for s, b in zip(starts, chosen))


def _cut(text: str, chosen: list[_Break]) -> list[str]:
    starts = [0, *(b.start for b in chosen[:-1])]
    return [text[start:b.end] for start, b in zip(starts, chosen)]


@lru_cache(maxsize=16)
def breaker_for(root: Path | str | None) -> TitleBreaker:
    """The project's breaker, caching in `<root>/build/.cache/`; in memory for None."""
    return TitleBreaker(Path(root) / CACHE_DIR if root is not None else None)


def break_title(title_lines: list[str], cells: float,
                breaker: TitleBreaker | None = None) -> list[str]:
    """The lines to print for a title given as the author's lines, in `cells` wide lines."""
    return (breaker or breaker_for(None)).break_title(list(title_lines), cells)


# --- for the lint's word rules (bulletin/lint/words.py) ---------------------------------

def words(text: str, root: Path | str | None = None) -> list[str]:
    """The words of `text` as titles are cut (the same segmenter and lexicon), cached with
    the titles' in `<root>/build/.cache/` (in memory for None): checking an unchanged
    issue never loads jieba. Raises SegmenterUnavailable."""
    breaker = breaker_for(root)
    lengths = breaker.words(text)
    breaker.flush()
    found, start = [], 0
    for length in lengths:
        found.append(text[start:start + length])
        start += length
    return found

