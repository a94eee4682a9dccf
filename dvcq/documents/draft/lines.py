"""Lines and blocks: markup and page furniture out, broken lines joined back into paragraphs placed in
their sections, paragraphs cut into sentences and clauses."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache



# ================================================================================================
# Lines: markup and page furniture out
# ================================================================================================

_SUP = re.compile(r"<sup>\s*\d{1,3}\s*</sup>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
_NOTE_MARK = re.compile(r"(?<=[^\s\[(])\[\d{1,2}\]")  # "Tỉnh ủy[2]"
_SUPER_DIGITS = re.compile(r"(?<=\w)[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_FOOTNOTE_START = re.compile(r"\s*(?:<sup>\s*\d{1,3}\s*</sup>|\[\d{1,2}\])\s*")
_HEADING_HASHES = re.compile(r"^\s*#{1,6}\s+")
_SEPARATOR = re.compile(r"[-–—_=|~.·•*\s]+")
_PAGE_NUMBER = re.compile(r"(?:-\s*)?\d{1,3}(?:\s*-)?|(?:Trang|Page)\s+\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?", re.I)
_URL_LINE = re.compile(r"https?://\S+")
_ROMAN = re.compile(r"([IVXL]{1,6})[.)]\s+(\S.*)")
_NUMBERED = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,3})[.)]\s+(\S.*)")
_LETTERED = re.compile(r"([a-zđ])\)\s+(\S.*)")
_BULLET = re.compile(r"([-+•·–—])\s+(\S.*)")
def _fold_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _fold_table()


def _fold1(text: str) -> str:
    """The text without diacritics, one character for one ("Báo cáo quý" -> "Bao cao quy"): positions in
    it are positions in the text. Kept for the last sentences read (every pattern of a sentence folds it
    again), not for a whole document."""
    return _fold_kept(text) if len(text) <= 20_000 else text.translate(_FOLD)


@lru_cache(maxsize=512)
def _fold_kept(text: str) -> str:
    return text.translate(_FOLD)


class _Found:
    """A match in the folded text, read back from the text as written."""

    def __init__(self, m: re.Match, text: str):
        self._m, self._text = m, text

    def start(self, group=0) -> int:
        return self._m.start(group)

    def end(self, group=0) -> int:
        return self._m.end(group)

    def span(self, group=0) -> tuple[int, int]:
        return self._m.span(group)

    def group(self, group=0):
        a, b = self._m.span(group)
        return None if a < 0 else self._text[a:b]


class _Folded:
    """A pattern that reads a text with or without its diacritics ("trước ngày", "truoc ngay"): documents
    typed without a Vietnamese keyboard are read like the others."""

    def __init__(self, pattern: str, flags: int = 0):
        self._rx = re.compile(_fold1(pattern), flags)

    def search(self, text: str, pos: int = 0) -> _Found | None:
        m = self._rx.search(_fold1(text), pos)
        return _Found(m, text) if m else None

    def match(self, text: str, pos: int = 0) -> _Found | None:
        m = self._rx.match(_fold1(text), pos)
        return _Found(m, text) if m else None

    def finditer(self, text: str):
        return [_Found(m, text) for m in self._rx.finditer(_fold1(text))]


class _AsTyped:
    """A pattern read as the text was typed: as written in a text with diacritics, without them in a text
    typed without ("Cac so ... ve So Noi vu"). Where folding would confuse two words ("Số liệu" and "Sở",
    "góp" and "gộp"), this and not `_Folded`."""

    def __init__(self, pattern: str, flags: int = 0):
        self._plain, self._folded = re.compile(pattern, flags), re.compile(_fold1(pattern), flags)

    def _rx(self, text: str) -> re.Pattern:
        return self._folded if text.isascii() or _fold1(text) == text else self._plain

    def search(self, text: str, pos: int = 0):
        return self._rx(text).search(text, pos)

    def match(self, text: str, pos: int = 0):
        return self._rx(text).match(text, pos)

    def finditer(self, text: str):
        return list(self._rx(text).finditer(text))


_DEADLINE_WORDS = _Folded(r"trước\s+ngày|chậm\s+nhất|muộn\s+nhất|hạn\s+chót|hạn\s+cuối|không\s+muộn\s+hơn|"
                             r"trước\s+\d{1,2}\s*/\s*\d{1,2}|trong\s+(?:thời\s+hạn|vòng)\s+\d", re.I)
_TERMINAL = ".:;!?"


@dataclass
class _Line:
    kind: str  # "text" | "roman" | "numbered" | "lettered" | "bullet" | "footnote" | "row" | "break"
    text: str  # cleaned; for rows, the cells joined by tabs
    marker: str = ""
    indented: bool = False
    gap: bool = False  # a blank line before it


def _clean(raw: str) -> str:
    s = raw.replace("\u00a0", " ").replace("\u200b", "")
    s = _SUP.sub("", s)
    s = _TAG.sub(" ", s)
    s = _NOTE_MARK.sub("", s)
    s = _SUPER_DIGITS.sub("", s)
    s = s.replace("**", "")
    s = _HEADING_HASHES.sub("", s)
    s = " ".join(s.split())
    if len(s) > 2 and s[0] == s[-1] and s[0] in "*_":  # a line in italics: *(Có phụ lục ...)*
        s = s[1:-1].strip()
    return s


def _lines(text: str) -> tuple[list[_Line], str]:
    """The classified lines, and the text without its page furniture (page numbers, running
    headers): what quotes are checked against, so that one document quotes the same whatever the
    format it comes in (a PDF's page number may fall in the middle of a sentence)."""
    raw_lines = text.split("\n")
    cleaned = [_clean(r) if _cells(r) is None else "" for r in raw_lines]
    # running headers and footers: the same short line on many pages
    counts = Counter(c for c in cleaned if 8 <= len(c) <= 100)
    running = {c for c, n in counts.items() if n >= 3 and not _starts_block(c) and not _DEADLINE_WORDS.search(c)}
    out: list[_Line] = []
    kept: list[str] = []
    blank = False
    for raw, s in zip(raw_lines, cleaned):
        if not raw.strip():
            blank = True
            kept.append(raw)
            continue
        gap, blank = blank, False
        if s and (_PAGE_NUMBER.fullmatch(s) or s in running):
            continue  # page furniture: a sentence may run on across it
        kept.append(raw)
        cells = _cells(raw)
        if cells is not None:
            cells = [_clean(c) for c in cells]
            if any(cells) and not all(_SEPARATOR.fullmatch(c) or not c for c in cells):
                out.append(_Line("row", "\t".join(cells)))
            continue
        if not s:
            continue
        if _SEPARATOR.fullmatch(s) or _URL_LINE.fullmatch(s):
            out.append(_Line("break", ""))
            continue
        indented = raw[:1] in (" ", "\t") and bool(raw.strip())
        m = _FOOTNOTE_START.match(raw.replace("**", ""))
        if m and s:
            out.append(_Line("footnote", s, raw.replace("**", "")[:m.end()].strip()))
            continue
        line = _classify(s, indented)
        line.gap = gap
        out.append(line)
    return out, "\n".join(kept)


def _cells(raw: str) -> list[str] | None:
    """A table row's cells: tab-separated (a Word table), or between '|' ("1 | Báo cáo quý | Trước
    ngày 15 ..."; a Markdown table); None for a line that is no row."""
    if "\t" in raw:
        return raw.split("\t")
    if raw.count(" | ") >= 2 or (raw.count("|") >= 3 and raw.strip().startswith("|")):
        cells = raw.strip().split("|")
        return cells[1:-1] if raw.strip().startswith("|") and raw.strip().endswith("|") else cells
    return None


def _starts_block(s: str) -> bool:
    return bool(_ROMAN.match(s) or _NUMBERED.match(s) or _LETTERED.match(s) or _BULLET.match(s))


def _classify(s: str, indented: bool) -> _Line:
    for kind, pattern in (("roman", _ROMAN), ("numbered", _NUMBERED), ("lettered", _LETTERED), ("bullet", _BULLET)):
        m = pattern.match(s)
        if m:
            return _Line(kind, m.group(2), m.group(1), indented)
    return _Line("text", s, "", indented)


# ================================================================================================
# Blocks: paragraphs joined back, each in its section
# ================================================================================================


@dataclass
class _Block:
    kind: str  # as _Line.kind, without "break"
    marker: str
    text: str
    section: str = ""
    zone: str = "body"  # "body" | "closing" (Nơi nhận, signature) | "appendix"
    owner: str = ""  # the text of the numbered or lettered heading the block falls under
    lead: str = ""  # for a bullet: the paragraph that introduced the list
    parent: str = ""  # for a lettered item or a bullet: the numbered heading (a lead-in) above it


def _is_caps(s: str) -> bool:
    if not s.isupper():  # in C, and false at once for nearly every line
        return False
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a hard-wrapped text (one line per printed line) is wrapped at; None when its lines
    are paragraphs."""
    lengths = sorted(len(line.text) for line in lines if line.kind not in ("row", "break"))
    if len(lengths) < 20:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    clustered = lengths[int(len(lengths) * 0.75)] >= 0.85 * width  # printed lines fill to about the same width
    return width if 40 <= width <= 250 and clustered else None


def _continues(prev: str, nxt: _Line, width: int | None, heading: bool = False) -> bool:
    """Whether line `nxt` carries on the paragraph whose last line is `prev` (`heading`: a numbered
    or lettered block, which a printed line full to the margin does not by itself carry on: its
    next line must start with a word that would not have fitted)."""
    if nxt.kind not in ("text",):
        return False
    first, last = nxt.text[0], prev.rstrip()[-1:]
    if first.islower() or first in ",;)%/":
        return True
    if first.isdigit():
        return last not in _TERMINAL
    if _is_caps(prev) and _is_caps(nxt.text) and last != "." and not nxt.gap:
        return True  # a heading in capitals wrapped over two lines (a blank line between: two paragraphs)
    if width and last not in ".!?" and not nxt.indented and len(prev) >= 0.75 * width:
        # a printed line full to the margin: the sentence runs on (proportional fonts fill a line
        # unevenly, so "full" is generous). After a heading, a colon or a semicolon the line must
        # really have had no room left for the next word.
        if heading or last in ":;":
            return len(prev) + 1 + len(nxt.text.split()[0]) > width
        return True
    return False


def _blocks(lines: list[_Line]) -> list[_Block]:
    width = _wrap_width(lines)
    merged: list[tuple[_Line, list[str]]] = []
    for line in lines:
        if line.kind == "break":
            merged.append((line, []))
            continue
        if merged and merged[-1][0].kind not in ("break", "row") and merged[-1][1] \
                and _continues(merged[-1][1][-1], line, width, merged[-1][0].kind in ("roman", "numbered", "lettered")):
            merged[-1][1].append(line.text)
            continue
        merged.append((line, [line.text]))
    blocks: list[_Block] = []
    roman = number = letter = ""
    owner = lead = number_text = intro = list_intro = ""
    zone = "body"
    for line, parts in merged:
        if line.kind == "break":
            continue
        kind = line.kind
        text = line.text if kind == "row" else " ".join(" ".join(parts).split())
        if kind == "text" and _is_caps(text) and text.startswith("PHỤ LỤC"):
            zone, roman, number, letter, owner = "appendix", "", "", "", ""
        elif kind in ("text", "bullet") and re.match(r"Nơi nhận\b", text) and zone == "body":
            zone = "closing"
        if kind == "roman":
            list_intro = ""
        elif kind == "text":
            # a lead-in right before numbered items governs them ("... gửi báo cáo về UBND tỉnh (qua Sở Nội vụ)
            # như sau:" over "1. Báo cáo tháng: ...", "2. Báo cáo quý: ..."), until other text comes
            list_intro = text if text.endswith(":") and zone != "appendix" else ""
        if kind in ("roman", "numbered"):
            intro = ""
        elif kind == "text" and text.endswith(":") and zone != "appendix":
            intro = text  # "Định kỳ, các sở ... gửi báo cáo về Sở Nội vụ, cụ thể:" over the items below
        if zone != "appendix" and kind == "roman":
            roman, number, letter, owner = line.marker, "", "", ""
        elif zone != "appendix" and kind == "numbered":
            number, letter, owner = line.marker, "", text
            number_text = text
        elif zone != "appendix" and kind == "lettered":
            letter, owner = line.marker, text
        section = "Phụ lục" if zone == "appendix" else ".".join(p for p in (roman, number, letter) if p)
        if kind in ("text", "numbered", "lettered", "roman"):
            lead = text
        parent = (intro or (number_text if number else "")) if kind in ("lettered", "bullet", "row") and zone != "appendix" else ""
        if kind == "numbered" and list_intro:
            parent = list_intro
        blocks.append(_Block(kind, line.marker, text, section, zone, owner, lead if kind == "bullet" else "", parent))
    return blocks


# ================================================================================================
# Sentences and clauses
# ================================================================================================

_NO_SPLIT_AFTER = {"TT", "TM", "KT", "TP", "Tp", "ThS", "TS", "PGS", "GS", "Th", "VP", "v.v"}


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in re.finditer(r"[.!?]\s+", text):
        nxt = text[m.end():m.end() + 1]
        word = re.search(r"(\S+)$", text[start:m.start()])
        if not nxt or not (nxt.isupper() or nxt in "-•+\"“"):
            continue
        if word and word.group(1) in _NO_SPLIT_AFTER:
            continue
        out.append(text[start:m.start() + 1].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Spans of the sentence between semicolons."""
    spans, start = [], 0
    for m in re.finditer(r";", sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def _trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    """A span without surrounding spaces, trailing commas and semicolons, or an unbalanced
    bracket that belongs to the text around it."""
    while start < end and sentence[start] in " ,;(":
        if sentence[start] == "(" and sentence[start:end].count(")") >= sentence[start:end].count("("):
            break
        start += 1
    while end > start and sentence[end - 1] in " ,;":
        end -= 1
    piece = sentence[start:end]
    if piece.count(")") > piece.count("("):
        cut = piece.rfind(")")
        end = start + cut
        while end > start and sentence[end - 1] in " ,;":
            end -= 1
    return start, end
