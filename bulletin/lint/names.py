"""A proper name spelled two ways in one issue (B251): `鑫镕铸业` here, `鑫榕铸业` there.

Printed issues have carried the same company or place spelled two ways, one character
apart, each spelling typed by a pinyin input method that offered both: 鑫镕/鑫熔/鑫榕
(róng), 龙亭/龙庭 (tíng), 山城/三城 (shān/sān). The rule compares the spellings over
every article of the issue (titles, credits, subtitles and body) and reports the one
that is likely wrong, at each place it is written.

Names are looked for in the Han text of prose only: not in quotes or book titles (cited
as written: a slogan, a title), code, web and e-mail addresses, link targets; Latin
letters and digits are no part of any name. Candidates come two ways:

* a name with a suffix of `data/names.yaml` (铸业, 公司, 街道, 村, 区, …) and 2 to 6
  characters before it. Two spellings with the same suffix, as long, that differ in one
  character before it are a pair, taken where the difference is first met walking back
  from the suffix: 龙亭区/龙庭区, 山城区/三城区. A difference at the very start needs a
  sign that the name starts there: the two written after the same character, or (for a
  name of two characters before its suffix) one of them written after several
  characters or after no Han character. Else the difference is in the words before the
  name: 在山城区/市山城区, 召开常委会/人大常委会. While every place of both spellings
  has the same character before it, that character is part of the name (人大常委/人大工委,
  not 大常委/大工委); a name that grows so past six characters before its suffix is none.
* a run of 3 to 8 characters written at least twice and in varied company (not always
  after, nor always before, one same character: 代表张桂芳, not 表张桂芳), and a run as
  long that differs from it in one character with the same characters around that one:
  inside the run they are; at its edge, the character beyond must be one the repeated
  run has there. The run is then cut to the name in it, common words on either side
  left out (代表张桂芳 → 张桂芳).

Most of what is left is two real names, and the rule stays quiet on them (an editor
turns off a rule that cries wolf). A pair is reported only if

* the two differing characters are not both directions, numerals or administrative
  levels (东城区/西城区, 一村/二村, 第一社区/第二社区, 县人大/市人大), nor either a
  character of grammar (在, 的, 各, …), nor both common surnames (余建国/于建国: two
  people; 王庄村/汪庄村: two villages);
* the two are not both known names: the provinces, every city and county of Henan and
  the cities most named beside them (西华县/西平县, 山西省/陕西省: two of each);
* no place of one and place of the other are items of one enumeration (鑫熔铸业、鑫榕
  铸业; 一村、二村);
* the differing characters sound alike: the usual reading of each is a reading of the
  other, tones aside and z/zh, c/ch, s/sh one sound (pypinyin's table): 镕/榕, 亭/庭,
  山/三. A misspelt name is a slip of the input method; names that differ in
  characters that sound different (南阳市/洛阳市, 城东/城西) are two names. So a
  direction, a numeral or a level on one side is flagged only against a character
  that sounds the same (山城区/三城区);
* the differing character is not, in both spellings, inside a common word (jieba's
  dictionary, a frequency of `COMMON` or more; the words inside long words count, a
  name's suffix does not): 权利/权力 and 主题/主体 are two words each. A common word on
  one side only is no defence: an input method offers the common word first.

Which spelling is reported: of a known name and an unknown one, the unknown one; else
the rarer; of two written as often, the one first written later in the issue.

The sound and the words are tested last, on the pairs that passed every other test:
pypinyin's table (about 50 ms) is read only if a pair reaches that point, and jieba
(half a second and more) is loaded only if one sounds alike, so that an issue with no
such pair is checked by counting and comparing strings alone.
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path

import yaml

from ..chinese import is_han
from .rules import (ISSUE, WARNING, Finding, IssueTexts, Located, fenced_passages, literal_spans,
                    rule)
from .text import ArticleText, Passage

CORE_MIN, CORE_MAX = 2, 6  # Han characters of a name before its suffix
RUN_MIN, RUN_MAX = 3, 8  # of a repeated run
COMMON = 100  # jieba's frequency from which a word is common
# Quoted text, book titles: cited as written (a slogan, a title), never compared.
QUOTED = re.compile(r"“[^“”]*”|‘[^‘’]*’|《[^《》]*》|「[^「」]*」|『[^『』]*』|\"[^\"\n]*\"")
# What separates the items of an enumeration: `王庄村、汪庄村`, `王庄村和汪庄村`.
ENUMERATION = re.compile(r"(?:[、和与及或]|以及)(?:[^，。；：！？,.;:!?\n]{0,24}(?:[、和与及或]|以及))*")
# Initials a pinyin input method (and many a speaker) does not tell apart.
FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))


# --- the word lists ---------------------------------------------------------------------


@dataclass(frozen=True)
class Lists:
    suffixes: dict[str, tuple[str, ...]]  # first character -> suffixes, longest first
    classes: tuple[frozenset[str], ...]  # directions, numerals, levels
    function: frozenset[str]
    surnames: frozenset[str]
    known: frozenset[str]  # known names, and the part of each before its suffix
    known_lengths: tuple[int, ...]
    listed: frozenset[str]  # the known names as listed, suffix and all

    def in_class(self, char: str) -> bool:
        return any(char in chars for chars in self.classes)


def _chars(value) -> frozenset[str]:
    return frozenset("".join(value if isinstance(value, list) else [str(value)]).replace(" ", ""))


@lru_cache(maxsize=1)
def lists() -> Lists:
    text = resources.files("bulletin").joinpath("data/names.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml
    suffixes: dict[str, list[str]] = defaultdict(list)
    for suffix in data["suffixes"]:
        suffixes[suffix[0]].append(suffix)
    all_suffixes = sorted(data["suffixes"], key=len, reverse=True)
    known = set()
    for name in data["known"]:
        known.add(name)
        for suffix in all_suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= CORE_MIN:
                known.add(name[:-len(suffix)])  # 西华 of 西华县
                break
    return Lists(
        suffixes={first: tuple(sorted(group, key=len, reverse=True))
                  for first, group in suffixes.items()},
        classes=(_chars(data["directions"]), _chars(data["numerals"]), _chars(data["levels"])),
        function=_chars(data["function"]), surnames=_chars(data["surnames"]),
        known=frozenset(known), known_lengths=tuple(sorted({len(name) for name in known})),
        listed=frozenset(data["known"]))


# --- the text compared ------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A run of Han characters of prose, outside quotes: where names are looked for."""

    order: int  # in issue order
    text: ArticleText
    passage: Passage
    start: int  # offset of `chars` in the passage's text
    chars: str


def prose_runs(issue: IssueTexts) -> list[Run]:
    runs: list[Run] = []
    for text in issue.texts:
        fenced = fenced_passages(text)
        passages = [*text.passages, *([text.subtitle] if text.subtitle else [])]
        for passage in passages:
            if any(passage is other for other in fenced):
                continue
            value = passage.text
            hidden = [*literal_spans(value), *(m.span() for m in QUOTED.finditer(value))]
            keep = [is_han(ch) for ch in value]
            for start, end in hidden:
                keep[start:end] = [False] * (end - start)
            index = 0
            while index < len(value):
                if not keep[index]:
                    index += 1
                    continue
                end = index
                while end < len(value) and keep[end]:
                    end += 1
                if end - index >= RUN_MIN:
                    runs.append(Run(len(runs), text, passage, index, value[index:end]))
                index = end
    return runs


def _context(run: Run, index: int) -> str:
    """The character at `index` of the run as company: itself if Han and in the run,
    else "|" (a mark, a quote, the passage's edge: all alike)."""
    if 0 <= index < len(run.chars):
        return run.chars[index]
    return "|"


@dataclass(frozen=True)
class Place:
    run: Run
    index: int  # into run.chars

    @property
    def key(self) -> tuple[int, int]:
        return self.run.order, self.index


class Spellings:
    """Where each string is written in the runs (found once, then kept)."""

    def __init__(self, runs: list[Run]):
        self.runs = runs
        # Every run in one string, one separator after each: one search finds them all.
        self.joined = "".join(run.chars + "\n" for run in runs)
        self.starts = list(accumulate((len(run.chars) + 1 for run in runs[:-1]), initial=0))
        self._places: dict[str, list[Place]] = {}

    def places(self, spelling: str) -> list[Place]:
        found = self._places.get(spelling)
        if found is None:
            found = []
            joined, starts = self.joined, self.starts
            index = joined.find(spelling)
            while index >= 0:
                which = bisect.bisect_right(starts, index) - 1
                found.append(Place(self.runs[which], index - starts[which]))
                index = joined.find(spelling, index + len(spelling))
            self._places[spelling] = found
        return found


# --- candidate pairs --------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    one: str  # two spellings, as long, that differ at `at` only
    other: str
    at: int
    route: str  # "suffix" or "run"
    suffix: int = 0  # characters of the suffix the spellings end in


def _suffix_spellings(runs: list[Run], words: Lists) -> dict[str, tuple[str, int]]:
    """Every spelling of a name with a suffix: spelling -> (suffix, length before it)."""
    found: dict[str, tuple[str, int]] = {}
    for run in runs:
        chars = run.chars
        covered = 0  # a suffix inside a longer one (区 of 社区) is none
        for position in range(CORE_MIN, len(chars)):
            if position < covered:
                continue
            for suffix in words.suffixes.get(chars[position], ()):
                if chars.startswith(suffix, position):
                    covered = position + len(suffix)
                    for core in range(CORE_MIN, min(CORE_MAX, position) + 1):
                        found.setdefault(chars[position - core:covered], (suffix, core))
                    break
    return found


def suffix_pairs(runs: list[Run], spellings: Spellings, words: Lists) -> Iterator[Pair]:
    buckets: dict[tuple, set[str]] = defaultdict(set)
    for spelling, (suffix, core) in _suffix_spellings(runs, words).items():
        # Where the difference is first met walking back from the suffix: the first
        # character of the part before it, or its second of two.
        for at in (0, 1) if core == CORE_MIN else (0,):
            buckets[(suffix, core, at, spelling[:at], spelling[at + 1:])].add(spelling)
    for (suffix, core, at, _, _), group in buckets.items():
        if len(group) < 2:
            continue
        ordered = sorted(group)
        for first_index, first in enumerate(ordered):
            for second in ordered[first_index + 1:]:
                ones, others = spellings.places(first), spellings.places(second)
                if at == 0 and not (_alike_before(ones, others) or (core == CORE_MIN and (
                        _open(ones) or _open(others)))):
                    # 在山城区/市山城区, 召开常委会/人大常委会: the words before differ
                    continue
                pair = _opened(Pair(first, second, at, "suffix", len(suffix)), core,
                               spellings)
                if pair is not None:
                    yield pair


def _open(places: list[Place]) -> bool:
    """Whether a spelling is written after several characters, or after no Han one: a
    name starts there (山城区: after 市, 立, at a sentence's start), not a word before it."""
    befores = {_context(place.run, place.index - 1) for place in places}
    return len(befores) > 1 or "|" in befores


def _alike_before(ones: list[Place], others: list[Place]) -> bool:
    befores = {_context(place.run, place.index - 1) for place in ones}
    return any(_context(place.run, place.index - 1) in befores for place in others)


def _opened(pair: Pair, core: int, spellings: Spellings) -> Pair | None:
    """The pair as names: taken further back while every place of both spellings has the
    same character before it (人大常委/人大工委, not 大常委/大工委; 鹤壁市山城区 where
    山城区 is never written otherwise). None if that goes past the longest name."""
    while True:
        places = [*spellings.places(pair.one), *spellings.places(pair.other)]
        befores = {_context(place.run, place.index - 1) for place in places}
        if len(befores) != 1 or "|" in befores:
            return pair
        if core == CORE_MAX:
            return None
        (before,) = befores
        pair = Pair(before + pair.one, before + pair.other, pair.at + 1, pair.route,
                    pair.suffix)
        core += 1


def _keys(gram: str) -> list[tuple]:
    """Keys two runs as long that differ in one character share at least one of: the
    run with each character masked (three characters), else its first or second half."""
    size = len(gram)
    if size == RUN_MIN:
        return [(size, index, gram[:index] + gram[index + 1:]) for index in range(size)]
    half = size // 2
    return [(size, -1, gram[:half]), (size, -2, gram[half:])]


def run_pairs(runs: list[Run], spellings: Spellings) -> Iterator[Pair]:
    counts: Counter[str] = Counter()
    for run in runs:
        chars = run.chars
        for size in range(RUN_MIN, min(RUN_MAX + 1, len(chars)) + 1):
            counts.update(chars[index:index + size] for index in range(len(chars) - size + 1))
    # The most times a run is written with one same character after it, before it.
    right: dict[str, int] = {}
    left: dict[str, int] = {}
    by_key: dict[tuple, list[str]] = defaultdict(list)
    for gram, count in counts.items():
        if count >= 2 and len(gram) > RUN_MIN:
            head, tail = gram[:-1], gram[1:]
            if count > right.get(head, 0):
                right[head] = count
            if count > left.get(tail, 0):
                left[tail] = count
        if len(gram) <= RUN_MAX:
            for key in _keys(gram):
                by_key[key].append(gram)
    seen: set[frozenset[str]] = set()
    for gram, count in counts.items():
        if count < 2 or len(gram) > RUN_MAX or right.get(gram, 0) >= count \
                or left.get(gram, 0) >= count:
            continue  # written once, or always in the same company: part of a longer run
        for key in _keys(gram):
            for other in by_key[key]:
                if other == gram:
                    continue
                differ = [index for index, (one, two) in enumerate(zip(gram, other))
                          if one != two]
                if len(differ) != 1 or frozenset((gram, other)) in seen:
                    continue
                seen.add(frozenset((gram, other)))
                if _same_company(spellings.places(gram), spellings.places(other), len(gram),
                                  differ[0]):
                    yield Pair(gram, other, differ[0], "run")


def _same_company(ones: list[Place], others: list[Place], size: int, at: int) -> bool:
    """Whether a spelling of `others` has the characters next to the one that differs
    as some of `ones` have them: inside the run they are the same; at its edge, the
    character before it (after it) must be one that some of `ones` have there."""
    befores = {_context(p.run, p.index - 1) for p in ones} if at == 0 else None
    afters = {_context(p.run, p.index + size) for p in ones} if at == size - 1 else None
    return any((befores is None or _context(p.run, p.index - 1) in befores)
               and (afters is None or _context(p.run, p.index + size) in afters)
               for p in others)


# --- what two real names look like -----------------------------------------------------


def _known_at(spelling: str, at: int, words: Lists) -> str:
    """The longest known name (or part of one before its suffix) that covers the
    character at `at` of `spelling`; "" if none does."""
    for size in reversed(words.known_lengths):
        for start in range(max(0, at - size + 1), min(at, len(spelling) - size) + 1):
            if spelling[start:start + size] in words.known:
                return spelling[start:start + size]
    return ""


def _enumerated(ones: list[Place], others: list[Place], size: int) -> bool:
    """Whether a spelling of each stands in one enumeration, as items of it."""
    for one in ones:
        for other in others:
            if one.run.passage is not other.run.passage:
                continue
            first, second = sorted((one, other), key=lambda place: place.key)
            gap_start = first.run.start + first.index + size
            gap_end = second.run.start + second.index
            if 0 < gap_end - gap_start <= 40 and ENUMERATION.fullmatch(
                    first.run.passage.text[gap_start:gap_end]):
                return True
    return False


def _table() -> Path | None:
    """pypinyin's table of readings (pinyin_dict.json), where it is installed."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pinyin_dict.json"


def readings_stamp() -> str:
    """Changes when pypinyin's table does (another pypinyin): its size and time."""
    table = _table()
    try:
        stat = table.stat() if table is not None else None
    except OSError:
        stat = None
    return f"{stat.st_size}-{stat.st_mtime_ns}" if stat is not None else "none"


@lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    """pypinyin's readings of each character (its code point in decimal, as a string ->
    "líng,yuán,xīng"), read from its table alone: importing pypinyin loads its dictionary
    of phrases too, five times as long, which this rule does not need. The keys stay
    strings, as in the file: converting 41,000 of them took as long as the parse."""
    table = _table()
    if table is not None:
        try:
            found = json.loads(table.read_text(encoding="utf-8"))
            if isinstance(found, dict):
                return found
        except (OSError, ValueError):
            pass  # another layout: through pypinyin itself
    from pypinyin.pinyin_dict import pinyin_dict

    return {str(code): value for code, value in pinyin_dict.items()}


@lru_cache(maxsize=8192)
def _sounds(char: str) -> tuple[str, ...]:
    """The syllables `char` is read as, its usual reading first: no tones, z/zh, c/ch
    and s/sh one sound each."""
    sounds: list[str] = []
    for reading in str(_readings().get(str(ord(char)), "")).split(","):
        decomposed = unicodedata.normalize("NFD", reading.strip()).replace("u\u0308", "v")
        syllable = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        for fuzzy, plain in FUZZY_INITIALS:
            if syllable.startswith(fuzzy):
                syllable = plain + syllable[len(fuzzy):]
                break
        if syllable and syllable not in sounds:
            sounds.append(syllable)
    return tuple(sounds)


def sound_alike(one: str, other: str) -> bool:
    """Whether the usual reading of each character is a reading of the other: 镕/榕,
    山/三, 重/中 (zhòng); not 叶/接, whose readings meet only in a rare one (xié), nor
    信/沈 (xìn, shěn: 信 is read shēn in 信眉 only)."""
    first, second = _sounds(one), _sounds(other)
    return bool(first and second) and first[0] in second and second[0] in first


CACHE_FILE = "name-words.json"  # beside the titles' segmentation, in build/.cache/
CACHE_VERSION = 2  # 2: the sound-alike answers too
CACHE_LIMIT = 20000


class Decisions:
    """What jieba decided of a pair, by its spellings, and whether two characters sound
    alike, kept in build/.cache/ so that an unchanged issue never loads jieba (half a
    second) or pypinyin's table (10 ms) again; keyed by the titles' lexicon, which
    changes jieba's words, and by pypinyin's table. Unwritable: in memory only."""

    def __init__(self, root: Path):
        from ..titles import CACHE_DIR, lexicon_stamp

        self.path = root / CACHE_DIR / CACHE_FILE
        self.stamp = f"{CACHE_VERSION}:{lexicon_stamp()}:{readings_stamp()}"
        self.known: dict[str, object] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("stamp") == self.stamp \
                    and isinstance(data.get("decisions"), dict):
                self.known = data["decisions"]
        except (OSError, ValueError):
            pass

    def get(self, key: str, work):
        if key not in self.known:
            self.known[key] = work()
            self.dirty = True
        return self.known[key]

    def save(self) -> None:
        if not self.dirty:
            return
        from ..cachefiles import write_atomically

        known = dict(list(self.known.items())[-CACHE_LIMIT:])
        write_atomically(self.path, json.dumps({"stamp": self.stamp, "decisions": known},
                                               ensure_ascii=False, separators=(",", ":")))


def _segmenter(root: Path):
    from ..titles import CACHE_DIR, load_segmenter

    return load_segmenter(root / CACHE_DIR)


def _tokens(spelling: str, root: Path) -> list[tuple[int, str]]:
    """jieba's words of `spelling` (no guessing of unknown words), each with its offset."""
    tokens, offset = [], 0
    for token in _segmenter(root).lcut(spelling, HMM=False):
        tokens.append((offset, token))
        offset += len(token)
    return tokens


def _common(token: str, root: Path) -> bool:
    return len(token) > 1 and _segmenter(root).FREQ.get(token, 0) >= COMMON


def common_word(spelling: str, at: int, root: Path, suffix: int = 0) -> bool:
    """Whether the character at `at` of `spelling` is in a common word of it, as jieba
    finds words and the words inside them (行使权力: 行使, 权力). A name's suffix is left
    out: 鑫熔铸业 is no 熔铸."""
    core = spelling[:len(spelling) - suffix]
    return any(start <= at < end and _common(token, root)
               for token, start, end in _segmenter(root).tokenize(core, mode="search",
                                                                  HMM=False))


def _trim_key(pair: Pair) -> list:
    return [pair.one, pair.other, pair.at]


def trimmed(pair: Pair, root: Path) -> Pair:
    """A run found written twice, cut to the name in it: the common words on either side
    of the character that differs left out (代表张桂芳 -> 张桂芳), if three or more
    characters remain."""
    tokens = _tokens(pair.one, root)
    start, end = 0, len(pair.one)
    for offset, token in tokens:
        if offset + len(token) <= pair.at and _common(token, root):
            start = offset + len(token)  # every word up to the last common one before
    for offset, token in reversed(tokens):
        if offset > pair.at and _common(token, root):
            end = offset
    if end - start < RUN_MIN or (start, end) == (0, len(pair.one)):
        return pair
    return Pair(pair.one[start:end], pair.other[start:end], pair.at - start, pair.route)


# --- the rule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    wrong: str  # the spelling reported
    right: str
    at: int
    known: str  # the known name in `right` where they differ ("" if none): `wrong` has none
    route: str
    suffix: int


def judge(pair: Pair, spellings: Spellings, words: Lists) -> Verdict | None:
    """Whether a pair looks like one name spelled two ways, and which spelling to report,
    by everything but sound and words (the tests that need pypinyin and jieba)."""
    one, other, at = pair.one, pair.other, pair.at
    a, b = one[at], other[at]
    if a in words.function or b in words.function:
        return None
    if words.in_class(a) and words.in_class(b):
        return None  # 东城区/西城区, 一村/二村, 县人大/市人大, 第一/东一
    if a in words.surnames and b in words.surnames:
        return None
    one_known, other_known = _known_at(one, at, words), _known_at(other, at, words)
    if one_known and other_known:
        return None
    ones, others = spellings.places(one), spellings.places(other)
    if not ones or not others or _enumerated(ones, others, len(one)):
        return None
    if one_known or other_known:
        wrong, right = (other, one) if one_known else (one, other)
        return Verdict(wrong, right, at, one_known or other_known, pair.route, pair.suffix)
    if len(ones) != len(others):
        wrong, right = (one, other) if len(ones) < len(others) else (other, one)
    else:  # as often: the one first written later
        wrong, right = (one, other) if ones[0].key > others[0].key else (other, one)
    return Verdict(wrong, right, at, "", pair.route, pair.suffix)


def _where(places: list[Place]) -> str:
    first = places[0]
    line, _ = first.run.passage.position(first.run.start + first.index)
    more = f"等 {len(places)} 处" if len(places) > 1 else ""
    return f"{Path(first.run.text.path).name} 第 {line} 行{more}"


@rule("B251", WARNING, "本期同一名称有两种写法，只差一字（如“鑫镕铸业”与“鑫榕铸业”）：请核对",
      scope=ISSUE)
def two_spellings(issue: IssueTexts) -> Iterable[Located]:
    words = lists()
    runs = prose_runs(issue)
    spellings = Spellings(runs)
    verdicts: dict[tuple[str, str], Verdict] = {}
    decided = None  # the cached answers, read at the first pair that needs one
    for pair in (*suffix_pairs(runs, spellings, words), *run_pairs(runs, spellings)):
        verdict = judge(pair, spellings, words)
        if verdict is None:
            continue
        if decided is None:
            decided = Decisions(issue.root)
        one, other = verdict.wrong[verdict.at], verdict.right[verdict.at]
        if decided.get(f"sound|{one}|{other}", lambda: sound_alike(one, other)):
            verdicts.setdefault((verdict.wrong, verdict.right), verdict)
    # jieba last, only for the pairs that passed every other test; its decisions kept.
    kept = []
    for verdict in verdicts.values():
        if verdict.route == "run":
            one, other, at = decided.get(
                f"trim|{verdict.wrong}|{verdict.right}|{verdict.at}",
                lambda v=verdict: _trim_key(trimmed(Pair(v.wrong, v.right, v.at, v.route),
                                                    issue.root)))
            cut = Pair(one, other, at, verdict.route)
            verdict = judge(cut, spellings, words) if cut.one != verdict.wrong else verdict
        if verdict is not None and not all(decided.get(
                f"common|{spelling}|{verdict.at}|{verdict.suffix}",
                lambda s=spelling, v=verdict: common_word(s, v.at, issue.root, v.suffix))
                for spelling in (verdict.wrong, verdict.right)):
            kept.append(verdict)  # two common words (权利/权力) are two words
    if decided is not None:
        decided.save()
    reported: set[tuple[int, int]] = set()  # the differing character of a place, once
    for verdict in sorted(kept, key=lambda v: (v.route != "suffix", len(v.wrong),
                                               -len(spellings.places(v.right)))):
        known = (f"，“{verdict.known}”是行政区划的名称"
                 if verdict.known in words.listed else "")
        message = (f"“{verdict.wrong}”与本期其他处的“{verdict.right}”"
                   f"（{_where(spellings.places(verdict.right))}）只差一字{known}，是否写错？")
        for place in spellings.places(verdict.wrong):
            differing = (place.run.order, place.index + verdict.at)
            if differing in reported:
                continue
            reported.add(differing)
            run = place.run
            yield Located(text=run.text, finding=Finding(
                run.start + place.index, message, passage=run.passage,
                length=len(verdict.wrong)))
