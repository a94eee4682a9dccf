"""Text to tokens, and vocabulary entries compiled for matching (accents and case ignored)."""
from __future__ import annotations

import unicodedata
from typing import NamedTuple

from dvcq.core.phrases.vocabulary import (ACCENT_RIVALS, BARE_FREQUENCIES, BEFORE_WORDS, BULLETS, BY_FILLERS,
                                          BY_WORDS, DAY_WORDS, DIGIT_WORDS, DUE_LEADS, EVENT_FILLERS,
                                          FIRST_WORDS, FREQUENCY_PREFIXES, FREQUENCY_UNITS, HUNDRED_WORDS,
                                          LABEL_HEADS, LAST_WORDS, MONTH_NAMES, MONTH_WORDS, NEXT_WORDS,
                                          NO_TENS_WORDS, NO_WINDOW, OF_WORDS, ORDINAL_ONLY, ORDINAL_WORDS,
                                          PERIOD_END_EVENTS, PERIOD_NAMES, PREV_WORDS, REPORT_WORDS,
                                          SENDING_WORDS, SINCE_WORDS, TEN_WORDS, THE_REPORT_YEAR,
                                          THIS_MONTH_WORDS, THIS_YEAR_WORDS, TO_THE_DUE_DAY, TRAILING,
                                          WINDOW_END_EVENTS, WINDOW_FROM, WINDOW_LEADS, WINDOW_TO,
                                          WORKING_WORDS, YEAR_WORDS)
from dvcq.core.phrases.vocabulary import AND_WORDS, CUTOFF_FILLERS, ON_WORDS, WHOLE_WORDS

# ================================================================================================
# Text to tokens
# ================================================================================================


class PhraseError(ValueError):
    """A phrase the grammar cannot read. ``word`` is the token that stopped it, as written ("" at
    the end of the text); ``offset`` its character offset in the string given to the parser.
    ``why`` is a message id of core.messages (with ``values``): ``said`` is the whole reason, a Said
    to print in the run's language; ``str()`` is its English. Said only when asked: a draft tries
    thousands of phrases that do not read, and drops the reasons."""

    def __init__(self, why: str, word: str, offset: int, values: dict | None = None):
        self.why, self.word, self.offset, self.values = why, word, offset, values or {}
        super().__init__(why, word, offset)

    @property
    def said(self):
        from dvcq.core.messages import Said

        reason = Said(self.why, **self.values)
        if self.word:
            return Said("phrase.cannot_read", word=self.word, offset=self.offset, why=reason)
        return Said("phrase.cannot_read_end", offset=self.offset, why=reason)

    def __str__(self) -> str:
        return str(self.said)


_DASHES = "-‐‑‒–—−"
# Invisible characters and markup left by text extraction ("**chậm nhất 28/3/2025**", quotes).
_IGNORED = "\u200b\u200c\u200d\u2060\ufeff\u00ad*_\"'`“”‘’«»"
_DIGITS = "0123456789"
_NUMBER_CAP = 10**9  # longer digit runs are no number any rule can use: keep int() cheap


class _Tok(NamedTuple):
    kind: str  # "num" | "word" | "punct"
    key: str  # accents and case gone: what matching compares
    accented: str  # case gone, accents kept (NFC): decides between ACCENT_RIVALS
    start: int  # offsets in the original string
    end: int
    spaced: bool  # whitespace (or the start of the text) before it
    value: int = 0  # for "num"


def _fold(text: str) -> tuple[str, list[int]]:
    """Casefolded text without accents (đ as d), and for each of its characters the offset of the
    original character it came from. Works on NFC and NFD input alike: each original character is
    decomposed on its own and its marks dropped, so no offset is lost."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFD", ch.casefold()):
            if unicodedata.category(c) == "Mn":
                continue
            out.append("d" if c == "đ" else c)
            origin.append(i)
    return "".join(out), origin


def _tokenize(text: str) -> list[_Tok]:
    folded, origin = _fold(text)
    toks: list[_Tok] = []
    i, n, spaced = 0, len(folded), True
    while i < n:
        c = folded[i]
        if c.isspace() or c in _IGNORED:
            i, spaced = i + 1, True
            continue
        j = i + 1
        if c in _DIGITS:
            while j < n and folded[j] in _DIGITS:
                j += 1
            kind = "num"
        elif c.isalpha():
            while j < n and folded[j].isalpha():
                j += 1
            kind = "word"
        else:
            kind = "punct"
        start = origin[i]
        end = origin[j] if j < n else len(text)  # marks after the last letter belong to the token
        key = "-" if kind == "punct" and c in _DASHES else folded[i:j]
        raw = text[start:end]
        value = 0
        if kind == "num":
            value = int(key) if len(key.lstrip("0")) <= 9 else _NUMBER_CAP
        toks.append(_Tok(kind, key, unicodedata.normalize("NFC", raw).casefold(), start, end,
                         spaced, value))
        i, spaced = j, False
    return toks


# ================================================================================================
# Phrases: vocabulary entries compiled for matching
# ================================================================================================


class _Word(NamedTuple):
    kind: str
    key: str
    accented: str
    value: int = 0


def _word(piece: str) -> _Word:
    accented = unicodedata.normalize("NFC", piece).casefold()
    key = _fold(piece)[0]
    if key.isdigit():
        return _Word("num", key, accented, int(key))
    return _Word("word" if key.isalpha() else "punct", key, accented)


def _phrases(entries) -> tuple[tuple[tuple[_Word, ...], object], ...]:
    """Entries (strings, or (string, value) pairs) as word tuples, each with its value."""
    out = []
    for entry in entries:
        text, value = (entry, entry) if isinstance(entry, str) else entry
        out.append((tuple(_word(p) for p in text.split()), value))
    return tuple(out)


_RIVALS = {_fold(a)[0]: {unicodedata.normalize("NFC", w) for w in (a, b)} for a, b in ACCENT_RIVALS}


def _matches(tok: _Tok, w: _Word) -> bool:
    if tok.kind != w.kind:
        return False
    if w.kind == "num":
        return tok.value == w.value
    if tok.key != w.key:
        return False
    rivals = _RIVALS.get(w.key)
    # "sáu" written with its accent is not "sau"; "sau" written bare may be either
    return not (rivals and tok.accented != tok.key and tok.accented in rivals
                and tok.accented != w.accented)


def _match_at(toks: list[_Tok], i: int, words: tuple[_Word, ...]) -> int:
    if i + len(words) > len(toks):
        return 0
    for k, w in enumerate(words):
        if not _matches(toks[i + k], w):
            return 0
    return len(words)


def _at(toks: list[_Tok], i: int, table) -> int:
    """How many tokens the first entry of ``table`` that matches at toks[i] covers, or 0."""
    for words, _ in table:
        n = _match_at(toks, i, words)
        if n:
            return n
    return 0


def _number_table(words: dict[str, int]) -> dict[str, dict[str, int]]:
    """key -> {accented spelling: value}: a bare key takes its value, an accented one must be
    one of the spellings ("từ" is not "tư")."""
    table: dict[str, dict[str, int]] = {}
    for word, value in words.items():
        table.setdefault(_fold(word)[0], {})[unicodedata.normalize("NFC", word)] = value
    return table


_BY = _phrases(BY_WORDS)
_BY_FILLERS = _phrases(BY_FILLERS)
_BEFORE = _phrases(BEFORE_WORDS)
_DUE_LEADS = _phrases(DUE_LEADS)
_SENDING = _phrases(SENDING_WORDS)
_REPORT = _phrases(REPORT_WORDS)
_LABEL_HEADS = _phrases(LABEL_HEADS)
_WINDOW_LEADS = _phrases(WINDOW_LEADS)
_PERIOD_NAMES = _phrases(PERIOD_NAMES)
_DAY = _phrases(DAY_WORDS)
_MONTH = _phrases(MONTH_WORDS)
_YEAR = _phrases(YEAR_WORDS)
_OF = _phrases(OF_WORDS)
_LAST = _phrases(LAST_WORDS)
_FIRST = _phrases(FIRST_WORDS)
_ORDINAL = _phrases(ORDINAL_WORDS)
_NEXT = _phrases(NEXT_WORDS)
_PREV = _phrases(PREV_WORDS)
_THIS_MONTH = _phrases(THIS_MONTH_WORDS)
_THIS_YEAR = _phrases(THIS_YEAR_WORDS)
_THE_REPORT_YEAR = _phrases(THE_REPORT_YEAR)
_WORKING = _phrases(WORKING_WORDS)
_SINCE = _phrases(SINCE_WORDS)
_EVENT_FILLERS = _phrases(EVENT_FILLERS)
_WINDOW_END = _phrases(WINDOW_END_EVENTS)
_PERIOD_END = _phrases(PERIOD_END_EVENTS)
_NO_WINDOW = _phrases(NO_WINDOW)
_WINDOW_FROM = _phrases(WINDOW_FROM)
_WINDOW_TO = _phrases(WINDOW_TO)
_TO_DUE = _phrases(TO_THE_DUE_DAY)
_TRAILING = _phrases(TRAILING)
_BULLETS = _phrases(BULLETS)
_ON = _phrases(ON_WORDS)
_AND = _phrases(AND_WORDS)
_WHOLE = _phrases(WHOLE_WORDS)
_CUTOFF_FILLERS = _phrases(CUTOFF_FILLERS)
_ORDINAL_COUNT = _phrases(ORDINAL_WORDS + tuple(f"{w} {o}" for w in WORKING_WORDS
                                                 for o in ORDINAL_WORDS))
_OPEN, _CLOSE = _phrases(("(",)), _phrases((")",))
_FREQUENCY = _phrases((f"{p} {u}", f) for p in FREQUENCY_PREFIXES for u, f in FREQUENCY_UNITS)
_BARE_FREQUENCY = _phrases(BARE_FREQUENCIES)
_DIGIT_TABLE = _number_table(DIGIT_WORDS)
_ORDINAL_NAMES = _phrases(ORDINAL_ONLY.items())
_MONTH_NAMES = _phrases(MONTH_NAMES.items())
_TEN_KEY = _fold(TEN_WORDS[0])[0]
_HUNDRED = _phrases(HUNDRED_WORDS)
_NO_TENS = _phrases(NO_TENS_WORDS)
_DATE_SEPARATORS = ("/", "-", ".")


def _index_key(item: _Tok | _Word) -> str:
    return f"#{item.value}" if item.kind == "num" else item.key  # "06" is "6"


def _by_first_word(table) -> dict[str, tuple]:
    """Entries grouped by their first word: scanning every token of a long text then tries only
    the few entries that can start there."""
    index: dict[str, list] = {}
    for entry in table:
        index.setdefault(_index_key(entry[0][0]), []).append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


_FREQUENCY_AT = _by_first_word(_FREQUENCY)
_BARE_FREQUENCY_AT = _by_first_word(_BARE_FREQUENCY)


def _frequency_at(toks: list[_Tok], i: int, index: dict[str, tuple]) -> tuple[int, str | None]:
    """(tokens matched, frequency) of the frequency words starting at toks[i], or (0, None)."""
    for words, freq in index.get(_index_key(toks[i]), ()):
        n = _match_at(toks, i, words)
        if n:
            return n, freq
    return 0, None


def _drop_frequency_words(toks: list[_Tok]) -> list[_Tok]:
    """The rule's frequency comes from the caller; "hằng năm" after "14/6" adds nothing. A "của"
    in front goes with it: "ngày 15 của mỗi tháng" is "ngày 15"."""
    out, i = [], 0
    while i < len(toks):
        n, _ = _frequency_at(toks, i, _FREQUENCY_AT)
        if n:
            if out and _at(out, len(out) - 1, _OF):
                out.pop()
            i += n
        else:
            out.append(toks[i])
            i += 1
    return out
