"""`dvcq draft`: write a plan file from a plan document, for an official to review.

Officials receive a new Kế hoạch every year as a Word file or a PDF. `read_document` turns the file
into text (.txt as UTF-8; .docx paragraphs and table cells in document order; .pdf through its
text layer), and `draft_plan` reads that text into a plan file: the header (issuer, number, date,
year, title), one rule per dated report or deadline with its due date and data window in the
plan's own words (strings the phrase grammar of dvcq.core.phrases reads back), the key tasks of an
appendix table, and a commented ``# TODO`` block for every sentence with a deadline it could not
read. It never guesses: what it cannot read it quotes for a person to decide.

The reading goes in layers, each pure:

1. lines: markup and page furniture out (page numbers, running headers, separators, footnote
   markers such as "[2]" or "<sup>1</sup>"), footnote bodies and table rows recognised;
2. blocks: lines broken mid-phrase joined back into paragraphs, each paragraph placed in its
   section ("IV.9", "II.11", "IV.2.a", "Phụ lục");
3. statements: in each sentence, the reports it names ("Báo cáo quý I và quý III: Gửi trước ngày
   19 của tháng cuối quý"), their deadline and data-window phrases, merged months ("lồng ghép"),
   and other deadlines (sending the unit's own plan, the self-assessment, the scoring decision);
4. rules: ids, periods, two-tier chains (a unit-level report feeding the body's own), slips in a
   written year recorded as errata, then the YAML text.

Quotes are verbatim: each is checked against the input text (whitespace and ``**`` aside), and
where the clean sentence runs over something the text has in between (a footnote marker, a page
number) the quote is given as fragments joined by " ... ".
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dvcq.core import phrases
from dvcq.core.errors import DvcqError, PlanError
from dvcq.planfiles.files import read_capped
from dvcq.core.model import FREQUENCY, Period
from dvcq.core.text import slug as _slug

__all__ = ["Draft", "read_document", "draft_plan", "MAX_DOCUMENT_BYTES"]

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # refuse bigger files without reading them
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # a .docx is a zip: refuse one whose text part inflates past this
MIN_TEXT_LETTERS = 20  # a PDF whose text layer has fewer letters than this has none worth reading
SCHEMA_LINE = "# yaml-language-server: $schema=../dvcq/data/plan.schema.json"
PLAN_YEARS = (1990, 2100)  # the years a plan file may list (dvcq.planfiles.loader)


# ================================================================================================
# The result
# ================================================================================================


@dataclass(frozen=True)
class Draft:
    """A drafted plan file. ``rules`` counts the report rules written (key tasks of an appendix
    are listed separately by ``summary``); ``todo`` holds the sentences left for review, each also
    in the file as a commented ``# TODO`` block."""

    yaml: str
    rules: int
    todo: tuple[str, ...]

    def summary(self, lang: str = "vi") -> list[str]:
        tasks = len(re.findall(r"^  - id: task-\d+$", self.yaml, flags=re.M))
        errata = _yaml_list_len(self.yaml, "errata")
        plan = re.search(r"^id: (\S+)$", self.yaml, flags=re.M)
        plan_id = plan.group(1) if plan else "?"
        if lang == "en":
            lines = [f"Read: {self.rules} rules; {len(self.todo)} sentences to review"]
            if tasks:
                lines.append(f"Key tasks (appendix): {tasks}")
            if errata:
                lines.append(f"Dates the text gives two ways: {errata} (see errata)")
            lines.append(f"Plan {plan_id}: check every rule against the document before use")
            return lines
        lines = [f"Đã đọc: {self.rules} quy tắc; {len(self.todo)} câu cần xem lại"]
        if tasks:
            lines.append(f"Nhiệm vụ trọng tâm (phụ lục): {tasks}")
        if errata:
            lines.append(f"Ngày tháng văn bản ghi hai cách: {errata} (xem errata)")
        lines.append(f"Kế hoạch {plan_id}: đối chiếu từng quy tắc với văn bản trước khi dùng")
        return lines


def _yaml_list_len(text: str, key: str) -> int:
    m = re.search(rf"^{key}:\n((?:  - .*\n)+)", text, flags=re.M)
    return len(m.group(1).splitlines()) if m else 0


# ================================================================================================
# Reading files
# ================================================================================================

_OTHER_FORMATS = {
    ".doc": "an old Word .doc: save it as .docx",
    ".odt": "an OpenDocument file: save it as .docx",
    ".rtf": "an RTF file: save it as .docx",
    ".md": "give it as .txt (UTF-8)",
}


def read_document(path: Path) -> str:
    """The text of a plan document: .txt (UTF-8), .docx (paragraphs and table cells in document
    order, a row's cells joined by tabs), or .pdf with a text layer. Raises DvcqError with one line
    for an unknown extension, an unreadable, corrupt or too large file, or a PDF without text."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".txt", ".docx", ".pdf"):
        why = _OTHER_FORMATS.get(ext, f"'{ext or path.name}' is not a format dvcq reads")
        raise DvcqError(f"{path}: {why} (dvcq draft reads .txt, .docx and .pdf)")
    # bounded by what is read, regular files only: `stat` says 0 for a FIFO or /dev/zero
    try:
        data = read_capped(path, MAX_DOCUMENT_BYTES)
    except PlanError as exc:
        if exc.problems[0].code == "too-large":
            raise DvcqError(f"{path}: over {MAX_DOCUMENT_BYTES:,} bytes; a plan document is at most "
                            f"{MAX_DOCUMENT_BYTES:,}") from None
        raise DvcqError(f"{path}: {exc.problems[0].message}") from None
    text = {".txt": _read_txt, ".docx": _read_docx, ".pdf": _read_pdf}[ext](path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    return unicodedata.normalize("NFC", text)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _read_txt(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DvcqError(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
                        "save it as UTF-8") from None


def _read_docx(path: Path, data: bytes) -> str:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = archive.getinfo("word/document.xml").file_size
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DvcqError(f"{path}: not a readable .docx (corrupt, or not a Word 2007+ file: {_one_line(exc)})") from None
    if inflated > MAX_INFLATED_BYTES:
        raise DvcqError(f"{path}: its text part inflates to {inflated:,} bytes; refused (at most {MAX_INFLATED_BYTES:,})")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _docx_lines(document, lines)
    except DvcqError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged package
        raise DvcqError(f"{path}: not a readable .docx ({_one_line(exc)})") from None
    return "\n".join(lines)


def _docx_lines(container, out: list[str]) -> None:
    """Paragraphs and tables in document order; a table row is one line, its cells joined by tabs
    (a merged cell once), a cell's own paragraphs joined by spaces."""
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells, seen = [], []
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    inner: list[str] = []
                    _docx_lines(cell, inner)
                    cells.append(" ".join(" ".join(inner).replace("\t", " ").split()))
                out.append("\t".join(cells))
        else:
            out.append(item.text)


def _read_pdf(path: Path, data: bytes) -> str:
    import io

    try:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DvcqError(f"{path}: the PDF is password-protected: save an unprotected copy or use the .docx")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DvcqError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise DvcqError(f"{path}: not a readable PDF ({_one_line(exc)})") from None
    text = "\n".join(pages)
    if sum(ch.isalpha() for ch in text) < MIN_TEXT_LETTERS:
        raise DvcqError(f"{path} has no text layer (a scan?): run OCR first or use the .docx")
    return text


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
_DEADLINE_WORDS = re.compile(r"trước\s+ngày|chậm\s+nhất|muộn\s+nhất|hạn\s+chót|hạn\s+cuối|không\s+muộn\s+hơn|"
                             r"trước\s+\d{1,2}\s*/\s*\d{1,2}|trong\s+(?:thời\s+hạn|vòng)\s+\d", re.I)
_TERMINAL = ".:;!?"


@dataclass
class _Line:
    kind: str  # "text" | "roman" | "numbered" | "lettered" | "bullet" | "footnote" | "row" | "break"
    text: str  # cleaned; for rows, the cells joined by tabs
    marker: str = ""
    indented: bool = False


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
    cleaned = [_clean(r) if "\t" not in r else "" for r in raw_lines]
    # running headers and footers: the same short line on many pages
    counts = Counter(c for c in cleaned if 8 <= len(c) <= 100)
    running = {c for c, n in counts.items() if n >= 3 and not _starts_block(c) and not _DEADLINE_WORDS.search(c)}
    out: list[_Line] = []
    kept: list[str] = []
    for raw, s in zip(raw_lines, cleaned):
        if s and (_PAGE_NUMBER.fullmatch(s) or s in running):
            continue  # page furniture: a sentence may run on across it
        kept.append(raw)
        if "\t" in raw:
            cells = [_clean(c) for c in raw.split("\t")]
            if any(cells):
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
        out.append(_classify(s, indented))
    return out, "\n".join(kept)


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


def _is_caps(s: str) -> bool:
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
    if _is_caps(prev) and _is_caps(nxt.text) and last != ".":
        return True  # a heading in capitals wrapped over two lines
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
    owner = lead = ""
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
        if zone != "appendix" and kind == "roman":
            roman, number, letter, owner = line.marker, "", "", ""
        elif zone != "appendix" and kind == "numbered":
            number, letter, owner = line.marker, "", text
        elif zone != "appendix" and kind == "lettered":
            letter, owner = line.marker, text
        section = "Phụ lục" if zone == "appendix" else ".".join(p for p in (roman, number, letter) if p)
        if kind in ("text", "numbered", "lettered", "roman"):
            lead = text
        blocks.append(_Block(kind, line.marker, text, section, zone, owner, lead if kind == "bullet" else ""))
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


# ================================================================================================
# Statements: what a sentence asks for, with which deadline
# ================================================================================================

_ROMANS = {"I": 1, "II": 2, "III": 3, "IV": 4}
_LABEL = re.compile(
    r"\bbáo\s+cáo\s+(?:(?:định\s+kỳ|kết\s+quả)\s+)?(?:(?:hằng|hàng)\s+)?(?P<label>"
    r"(?:6|sáu)\s+tháng(?:\s+(?:đầu|cuối)\s+năm)?(?:\s+\d{4})?"
    r"|(?:9|chín)\s+tháng(?:\s+đầu\s+năm)?(?:\s+\d{4})?"
    r"|quý(?:\s+(?-i:[IV]{1,3})(?:\s*(?:,|và)\s*(?:quý\s+)?(?-i:[IV]{1,3}))*)?(?:\s*/\s*\d{4})?"
    r"|tháng(?!\s+\d)"
    r"|năm(?:\s+\d{4})?"
    r")(?=[\s:,;.)]|$)", re.I)
_WINDOW_PHRASE = re.compile(r"(?:(?:mốc|thời\s+gian\s+lấy|thời\s+điểm\s+lấy|thời\s+gian\s+chốt|thời\s+điểm\s+chốt)\s+)?"
                            r"số\s+liệu[^;,]*"
                            r"|\btừ\s[^;,]*?\s(?:đến|tới)\s[^;,]*", re.I)  # a table cell: "Từ ngày 15 ... đến ..."
_MERGE_WORDS = re.compile(r"lồng\s+ghép|tích\s+hợp|gộp", re.I)
_REPORT_WORD = re.compile(r"\bbáo\s+cáo\b", re.I)
_MONTHS_IN_PERIOD = re.compile(r"số\s+liệu\s+(?:chốt\s+)?(\d{1,2}|ba|sáu|chín)\s+tháng\s+(?:trong|của)\s+(quý|năm|kỳ)", re.I)
_NUMBER_WORDS = {"ba": 3, "sáu": 6, "chín": 9}


@dataclass
class _Statement:
    kind: str  # "report" | "plan-submission" | "self-assessment" | "scoring-decision" | "merge" | "todo"
    sentence: str
    span: tuple[int, int]
    block: _Block
    every: str = "once"
    periods: tuple[int, ...] | None = None
    label: str = ""
    due_text: str = ""
    due: dict | None = None
    window_text: str = ""
    window: dict | str | None = None
    window_unread: str = ""
    merge: list[tuple[int, str]] = field(default_factory=list)  # (month, target phrase)
    why: str = ""  # for a todo

    @property
    def text(self) -> str:
        return self.sentence[self.span[0]:self.span[1]]


def _label_frequency(label: str) -> tuple[str, tuple[int, ...] | None]:
    low = label.lower()
    if re.match(r"(6|sáu)\s+tháng", low):
        if "đầu năm" in low:
            return "half", (1,)
        if "cuối năm" in low:
            return "half", (2,)
        return "half", None
    if re.match(r"(9|chín)\s+tháng", low):
        return "nine-months", None
    if low.startswith("quý") or low.startswith("quí"):
        numbers = tuple(sorted({_ROMANS[r] for r in re.findall(r"\b([IV]{1,3})\b", label) if r in _ROMANS}))
        return "quarter", numbers or None
    if low.startswith("tháng"):
        return "month", None
    return "year", None


def _find_due(segment: str, every: str) -> tuple[str, dict] | None:
    found = phrases.due_phrases_in(segment, every)
    if not found:
        return None
    text, due = found[0]
    text = text.rstrip(" .,;")
    return text[:1].lower() + text[1:], due  # "Trước ngày 20/5/2025" reads the same in lower case


def _find_window(segment: str, every: str) -> tuple[str, dict | str | None, str]:
    """(phrase, window, unread phrase): the data window a segment gives, if any."""
    m = _WINDOW_PHRASE.search(segment)
    if not m:
        return "", None, ""
    text = m.group(0).strip(" .,;)")
    text = text[:1].lower() + text[1:]
    try:
        return text, phrases.parse_window(text, every), ""
    except (phrases.PhraseError, ValueError):
        return "", None, text


def _statements(sentence: str, block: _Block, plan_year: int | None) -> list[_Statement]:
    """The reports and deadlines one sentence states."""
    out: list[_Statement] = []
    for a, b in _clauses(sentence):
        clause = sentence[a:b]
        if _MERGE_WORDS.search(clause) and re.search(r"tháng\s+\d", clause, re.I):
            out.append(_merge_statement(sentence, (a, b), block))
            continue
        labels = [m for m in _LABEL.finditer(clause)
                  if not re.search(r"(ngày|tới|đến)\s*$", clause[:m.start()], re.I)]
        if labels:
            pending: list[_Statement] = []
            for i, m in enumerate(labels):
                end = labels[i + 1].start() if i + 1 < len(labels) else len(clause)
                seg_span = _trim(sentence, a + m.start(), a + end)
                segment = sentence[seg_span[0]:seg_span[1]]
                every, periods = _label_frequency(m.group("label"))
                st = _Statement("report", sentence, seg_span, block, every, periods, label=m.group("label"))
                due = _find_due(segment, every)
                if due is None:
                    rest = segment[m.end() - m.start():].strip(" ,:")
                    if not rest or rest.lower() in ("và", "và các"):
                        pending.append(st)  # "Báo cáo 6 tháng và báo cáo năm: trước ..." shares the next deadline
                    elif _DEADLINE_WORDS.search(segment):
                        out.append(_todo(sentence, seg_span, block, "không đọc được thời hạn"))
                    continue
                st.due_text, st.due = due
                st.window_text, st.window, st.window_unread = _find_window(segment, every)
                for p in pending:  # its quote runs on to the deadline it shares
                    p.due_text, p.due = _find_due(segment, p.every) or (st.due_text, st.due)
                    p.span = (p.span[0], seg_span[1])
                    p.window_text, p.window, p.window_unread = _find_window(segment, p.every)
                    out.append(p)
                pending = []
                out.append(st)
            continue
        # a clause with no report of its own: a data window for the report before it ...
        window_m = _WINDOW_PHRASE.search(clause)
        last = out[-1] if out else None
        if window_m and last is not None and last.kind == "report" and not last.window and not last.window_unread \
                and not _DEADLINE_WORDS.search(clause):
            last.window_text, last.window, last.window_unread = _find_window(clause, last.every)
            last.span = (last.span[0], _trim(sentence, a, b)[1])
            continue
        if not _DEADLINE_WORDS.search(clause):
            continue
        out.append(_other_deadline(sentence, _trim(sentence, a, b), block, plan_year))
    return out


def _todo(sentence: str, span: tuple[int, int], block: _Block, why: str) -> _Statement:
    return _Statement("todo", sentence, span, block, why=why)


def _merge_statement(sentence: str, span: tuple[int, int], block: _Block) -> _Statement:
    span = _trim(sentence, *span)
    clause = sentence[span[0]:span[1]]
    m = re.search(r"tháng\s+((?:\d{1,2}\s*(?:,|và)\s*)*\d{1,2})\b.*?(?:lồng\s+ghép|tích\s+hợp|gộp)\D*?vào\s+(.*)$",
                  clause, re.I)
    if not m:
        return _todo(sentence, span, block, "không đọc được câu lồng ghép báo cáo")
    months = [int(x) for x in re.findall(r"\d{1,2}", m.group(1))]
    targets = [t.strip() for t in re.split(r"\s*,\s*|\s+và\s+", m.group(2)) if t.strip()]
    if len(targets) == 1:
        targets = targets * len(months)
    if len(targets) != len(months) or not all(1 <= x <= 12 for x in months):
        return _todo(sentence, span, block, "số tháng và số báo cáo được lồng ghép không khớp nhau")
    return _Statement("merge", sentence, span, block, merge=list(zip(months, targets)))


_PLAN_WORDS = re.compile(r"\bkế\s+hoạch\b", re.I)
_SEND_WORDS = re.compile(r"\b(gửi|nộp|ban\s+hành)\b", re.I)


def _other_deadline(sentence: str, span: tuple[int, int], block: _Block, plan_year: int | None) -> _Statement:
    clause = sentence[span[0]:span[1]]
    every = phrases.frequency_words(sentence) or "once"
    low = clause.lower()
    whole = sentence.lower()
    if _REPORT_WORD.search(clause[:(_DEADLINE_WORDS.search(clause) or re.search("$", clause)).start()]):
        return _unlabelled_report(sentence, span, block, plan_year)
    if ("xếp loại" in low or "quyết định đánh giá" in low) and ("chấm điểm" in whole or "đánh giá" in whole):
        kind = "scoring-decision"
    elif "chấm điểm" in low or "tự đánh giá" in low:
        kind = "self-assessment"
    elif _PLAN_WORDS.search(clause) and _SEND_WORDS.search(clause):
        kind = "plan-submission"
    else:
        return _todo(sentence, span, block, "có thời hạn nhưng không rõ là báo cáo hay việc gì")
    if kind == "plan-submission":
        every = "once"
    st = _Statement(kind, sentence, span, block, every)
    due = _find_due(clause, every)
    if due is None:
        return _todo(sentence, span, block, "không đọc được thời hạn")
    st.due_text, st.due = due
    return st


def _unlabelled_report(sentence: str, span: tuple[int, int], block: _Block, plan_year: int | None) -> _Statement:
    """"Báo cáo kết quả thực hiện ... năm 2024 về Sở Nội vụ ... trước ngày 29 tháng 11 năm 2024": a report
    whose kind is not written right after "báo cáo"."""
    clause = sentence[span[0]:span[1]]
    start = _REPORT_WORD.search(clause).start()
    span = (span[0] + start, span[1])
    clause = sentence[span[0]:span[1]]
    deadline = _DEADLINE_WORDS.search(clause)
    head = clause[:deadline.start()] if deadline else clause
    every = phrases.frequency_words(head)
    if every is None and plan_year and re.search(rf"\bnăm\s+{plan_year}\b", head):
        every = "year"  # the report on the plan's year
    every = every or "once"
    label = re.split(r"\s+(?:về|gửi|cho|trước|chậm|tới|đến)\s+|\s*\(", head, maxsplit=1)[0]
    label = re.sub(r"\s+\d{4}\s*$", "", label).strip(" :")
    st = _Statement("report", sentence, span, block, every, None, label=label[len("báo cáo"):].strip())
    due = _find_due(clause, every)
    if due is None:
        return _todo(sentence, span, block, "không đọc được thời hạn")
    st.due_text, st.due = due
    st.window_text, st.window, st.window_unread = _find_window(clause, every)
    return st


# ================================================================================================
# Who sends, who receives
# ================================================================================================

_BODY_HEADS = ("Các", "Sở", "UBND", "Ủy ban", "Uỷ ban", "Ban", "Văn phòng", "Thanh tra", "Thanh Tra", "Bộ", "Công an",
               "Đài", "Báo", "Hội", "Liên đoàn", "Tỉnh đoàn", "Phòng", "Trung tâm", "Cục", "Chi cục", "Kho bạc")
_RECEIVER_HEADS = ("Sở", "UBND", "Ủy ban", "Uỷ ban", "Ban", "Văn phòng", "Thanh tra", "Bộ", "Tỉnh ủy", "Phòng",
                   "Hội đồng", "Chủ tịch")
_STOP_WORDS = {"để", "tổng", "trình", "trước", "chậm", "theo", "quyết", "báo", "trong", "và", "hoặc", "kèm", "ngày",
               "qua", "tham", "xem", "chậm", "muộn", "định", "đúng", "số", "thời", "hạn", "chấm", "xếp", "đánh",
               "thẩm"}


def _body_after(text: str, start: int) -> str:
    """The name of a body that starts at text[start:], up to a word that is no longer part of it, and
    with a bracket "(qua ...)" after it."""
    words = []
    for m in re.finditer(r"[^\s,;.()]+|[,;.()]", text[start:]):
        w = m.group(0)
        if w in ",;.()" or (words and w.lower() in _STOP_WORDS) or len(words) >= 9:
            break
        words.append(w)
    name = " ".join(words)
    rest = text[start + len(name):] if text[start:start + len(name)] == name else ""
    qua = re.match(r"\s*\((qua\s+[^()]{2,80})\)", rest)
    if qua:
        name += f" ({qua.group(1).strip()})"
    return name


def _recipient(*texts: str) -> str | None:
    pattern = re.compile(r"\b(?:gửi|về|nộp|tham\s+mưu)\s+(?:cho\s+)?(?=(?:" + "|".join(re.escape(h) for h in _RECEIVER_HEADS)
                         + r")\b)")
    for text in texts:
        if not text:
            continue
        m = pattern.search(text)
        if m:
            name = _body_after(text, m.end())
            if name:
                return name
        qua = re.search(r"\(qua\s+((?:" + "|".join(re.escape(h) for h in _RECEIVER_HEADS) + r")\b[^()]*)\)", text)
        if qua:
            return _body_after(qua.group(1), 0)
    return None


def _subject(text: str) -> str | None:
    """"Các cơ quan, đơn vị, địa phương chấp hành nghiêm ..." -> "Các cơ quan, đơn vị, địa phương"."""
    m = re.match(r"(Các\s[^.:;]{3,90}?)\s+(?:chấp\s+hành|thực\s+hiện|có\s+trách\s+nhiệm|báo\s+cáo|gửi|định\s+kỳ|chủ\s+động)\b",
                 text)
    if m:
        return m.group(1).strip(" ,")
    m = re.search(r"((?:Thủ\s+trưởng|Chủ\s+tịch|Giám\s+đốc|Các|UBND|Ủy\s+ban|Sở)\b[^:]{3,300}?)\s+(?:có|chịu)\s+trách\s+nhiệm",
                  text)
    if m:
        return m.group(1).strip(" ,")
    return None


def _names_bodies(heading: str) -> str | None:
    text = re.sub(r"^Đề\s+nghị\s+", "", heading).strip()
    text = re.sub(r"\s*(?:có\s+trách\s+nhiệm)?\s*:?$", "", text)
    if len(text) > 100 or not text.startswith(_BODY_HEADS) or text.count(" ") > 14:
        return None
    return text


def _sender(st: _Statement) -> str | None:
    sentence_start = _subject(st.sentence)
    if sentence_start:
        return sentence_start
    if st.block.kind == "bullet" and st.block.lead:
        lead = _subject(st.block.lead)
        if lead:
            return lead
    owner = st.block.owner
    if owner:
        return _names_bodies(owner) or _subject(owner)
    return None


# ================================================================================================
# The header: issuer, number, date, year, title
# ================================================================================================


@dataclass
class _Header:
    plan_id: str = ""
    issuer: str = ""
    document: str = ""
    code: str = ""  # issuing code: "UBND", "SGTVT"
    number: str = ""
    issued: str = ""  # "2024-04-02" or "2024-03"
    issued_date: dt.date | None = None
    issued_text: str = ""
    year: int | None = None
    title: str = ""
    province: str = ""
    body: str = ""  # the issuing body's own name ("Sở Giao thông vận tải")
    notes: list[str] = field(default_factory=list)





def _words_title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def _province_mentions(text: str) -> Counter:
    found: Counter = Counter()
    for m in re.finditer(r"\btỉnh\s+((?:[^\W\d_][\w]*)(?:\s+[^\W\d_][\w]*){0,3})", text):
        words = m.group(1).split()
        name = []
        for w in words:
            if not w[:1].isupper() or w in ("Ban", "Quy", "Về", "Kế", "Quyết", "Chương", "Nghị", "Đề", "Chỉ", "Thông",
                                            "Luật", "Đảng", "Hướng", "Ủy", "UBND", "Giai"):
                break
            name.append(w)
        if name:
            found[" ".join(name[:3])] += 1
            if len(name) > 2:
                found[" ".join(name[:2])] += 1
    return found


def _header(blocks: list[_Block], text: str, lines: list[str]) -> _Header:
    h = _Header()
    head_blocks = blocks[:60]
    # the header is often a two-column table (number left, place and date right): its cells apart
    head = [cell.strip() for b in head_blocks for cell in (b.text.split("\t") if b.kind == "row" else [b.text])]
    # Số: 60 /KH-UBND
    for text_ in head:
        m = re.match(r"Số\s*:\s*(\d*)\s*/\s*([A-ZĐ]+(?:\s*-\s*[A-ZĐ&]+)*)", text_)
        if m:
            kind = re.sub(r"\s+", "", m.group(2))
            h.number = m.group(1)
            h.document = f"{h.number}/{kind}" if h.number else f"/{kind} (số để trống)"
            h.code = kind.split("-", 1)[1] if "-" in kind else ""
            break
    # Thái Nguyên, ngày 02 tháng 4 năm 2024
    place = ""
    for text_ in head:
        m = re.match(r"([^\W\d_][^,]{1,40}),\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", text_)
        if m:
            place = m.group(1).strip()
            day, month, year = (int(m.group(2)) if m.group(2) else None), int(m.group(3)), int(m.group(4))
            h.issued_text = m.group(0).strip()
            try:
                if not PLAN_YEARS[0] <= year <= PLAN_YEARS[1]:
                    raise ValueError(year)
                if day:
                    h.issued_date = dt.date(year, month, day)
                    h.issued = h.issued_date.isoformat()
                elif 1 <= month <= 12:
                    h.issued = f"{year:04d}-{month:02d}"
                    h.issued_text += " (ngày để trống)"
            except ValueError:
                h.notes.append(f"ngày ban hành «{h.issued_text}» không phải một ngày có thật")
            break
    # the issuing body, from the header block in capitals, the number's code, or the text
    top = " ".join(lines[:40])
    level, province = "tỉnh", ""
    m = re.search(r"(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s+(TỈNH|THÀNH\s+PHỐ)\s+(\S+(?:\s+\S+){0,3})", top)
    if m:
        words = []
        for w in m.group(2).split():  # the name ends where the capitals do ("TỈNH HÀ GIANG -------")
            if not _is_caps(w) or w.startswith(("CỘNG", "SỐ")):
                break
            words.append(w)
        if words:
            level = "tỉnh" if m.group(1) == "TỈNH" else "thành phố"
            province = _words_title(" ".join(words))
            h.code = h.code or "UBND"
    mentions = _province_mentions(text)
    if place and (mentions.get(place) or not mentions):
        province = province or place
    if mentions and not province:
        province = mentions.most_common(1)[0][0]
    if province:
        # prefer the text's own spelling of the name ("Hà Giang" over "HÀ GIANG" title-cased)
        for name in mentions:
            if _slug(name) == _slug(province):
                province = name
                break
    h.province = province
    if not h.code and re.search(r"\b(?:UBND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân)\s+tỉnh\s+(?:ban\s+hành|xây\s+dựng)",
                                text[:5000]):
        h.code = "UBND"
    if not h.code and re.search(r"TM\.\s*(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN", text):
        h.code = "UBND"
    if h.code == "UBND":
        h.issuer = f"UBND {level} {province}".strip()
        h.body = "UBND tỉnh"
    elif h.code:
        body = _body_from_code(h.code, text)
        h.body = body or h.code
        h.issuer = f"{h.body} {level} {province}".strip() if province else h.body
    # the year and the title
    for i, text_ in enumerate(head):
        if _is_caps(text_) and re.fullmatch(r"KẾ\s+HOẠCH(?:\s+.*)?", text_):
            rest = text_[len("KẾ HOẠCH"):].strip()
            sub = rest or (head[i + 1] if i + 1 < len(head) else "")
            sub = _PREAMBLE.split(sub, maxsplit=1)[0]  # a subtitle run on into the preamble (from a PDF)
            if sub and len(sub) < 300:
                h.title = _title(sub, province)
            break
    m = re.search(r"\bnăm\s+(\d{4})\b", h.title)
    if m and PLAN_YEARS[0] <= int(m.group(1)) <= PLAN_YEARS[1]:
        h.year = int(m.group(1))
    elif h.issued:
        h.year = int(h.issued[:4])
    else:
        years = Counter(int(y) for y in re.findall(r"\b(?:năm|/)\s*((?:19|20)\d{2})\b", text)
                        if PLAN_YEARS[0] <= int(y) <= PLAN_YEARS[1])
        h.year = years.most_common(1)[0][0] if years else None
    slug = _slug(province) if province else ""
    if h.code and h.code != "UBND":
        slug = f"{slug}-{_slug(h.code)}" if slug else _slug(h.code)
    h.plan_id = slug
    return h


_PREAMBLE = re.compile(r"(?<=\S{4})\s+(?=(?:Căn\s+cứ|Thực\s+hiện\s+(?:Kết\s+luận|Nghị\s+quyết|Nghị\s+định|Chỉ\s+thị|"
                       r"Quyết\s+định|Chương\s+trình|Kế\s+hoạch|Công\s+văn|Thông\s+tư|Luật|Hướng\s+dẫn)|Theo\s+đề\s+nghị|"
                       r"Xét\s+đề\s+nghị|Trên\s+cơ\s+sở)\b)")


def _body_from_code(code: str, text: str) -> str | None:
    """The body a number's code stands for: "SGTVT" is the "Sở Giao thông vận tải" the text names."""
    if len(code) < 2:
        return None
    for m in re.finditer(r"\b(Sở|Ban|Văn\s+phòng|Thanh\s+tra)\s+((?:\S+\s+){0,6}\S+)", text):
        head, words = m.group(1), m.group(2).split()
        initials = "".join(w[0] for w in head.split())
        if not code.startswith(initials.upper()):
            continue
        want = code[len(initials):]
        for k in range(1, len(words) + 1):
            got = "".join(w[0] for w in words[:k]).upper()
            if got == want:
                return f"{head} {' '.join(words[:k])}"
            if not want.startswith(got):
                break
    return None


def _title(sub: str, province: str) -> str:
    sub = sub.strip(" .")
    if _is_caps(sub):
        sub = sub.lower()
        if province:
            sub = re.sub(re.escape(province.lower()), province, sub)
        sub = sub.replace("việt nam", "Việt Nam")
    elif sub[:1].isupper() and not sub[1:2].isupper():
        sub = sub[0].lower() + sub[1:]
    return f"Kế hoạch {sub}"


# ================================================================================================
# Errata: one document cited with two dates
# ================================================================================================

_CITED = re.compile(r"\b(Kế\s+hoạch|Đề\s+án|Quyết\s+định|Nghị\s+quyết|Chỉ\s+thị|Kết\s+luận|Chương\s+trình|Quy\s+định)"
                    r"\s+số\s+(\d{1,5}\s*[-/]\s*[\wĐđ&/.\-]+?)\s*,?\s*ngày\s+"
                    r"(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})")


def _errata(blocks: list[_Block], header: _Header) -> list[str]:
    seen: dict[tuple[str, str], dict[dt.date, str]] = {}
    for b in blocks:
        for m in _CITED.finditer(b.text):
            try:
                day = dt.date(int(m.group(5)), int(m.group(4)), int(m.group(3)))
            except ValueError:
                continue
            kind = " ".join(m.group(1).split())
            number = re.sub(r"\s+", "", m.group(2))
            where = b.section if b.kind != "footnote" else f"chú thích {b.marker}"
            seen.setdefault((kind, number), {}).setdefault(day, where or "đầu văn bản")
    out = []
    own = header.document.split(" ")[0] if header.number else ""
    for (kind, number), dates in seen.items():
        if own and kind == "Kế hoạch" and number == own and header.issued_date:
            other = {d: w for d, w in dates.items() if d != header.issued_date}
            for d, w in other.items():
                out.append(f"Trang đầu ghi ngày {header.issued_date:%d/%m/%Y}; {w} ghi 'Kế hoạch số {number} ngày "
                           f"{d:%d/%m/%Y}': dùng ngày trên trang đầu (kiểm tra lại).")
            continue
        by_day: dict[tuple[int, int], list[dt.date]] = {}
        for d in dates:
            by_day.setdefault((d.month, d.day), []).append(d)
        for same in by_day.values():
            if len(same) > 1:
                written = "; ".join(f"{dates[d]}: {d:%d/%m/%Y}" for d in sorted(same))
                out.append(f"{kind} số {number} được ghi với hai năm khác nhau ({written}): một chỗ là lỗi đánh máy (kiểm tra lại).")
    return out


# ================================================================================================
# Key tasks of an appendix table
# ================================================================================================


@dataclass
class _Task:
    number: int
    title: str
    lead: str
    partners: str
    complete: list[str]
    complete_text: str
    quote: str
    row: int = 0  # the number the table gives the row (task ids stay unique if a table restarts at 1)


def _tasks(blocks: list[_Block]) -> tuple[list[_Task], list[tuple[_Task, str]], set[int]]:
    """The key tasks of appendix tables, those whose completion is no period, and the ids of the
    rows read as tasks (table headers included)."""
    rows = [b for b in blocks if b.kind == "row"]
    used: set[int] = set()
    columns: dict[str, int] = {}
    tasks: list[_Task] = []
    unread: list[tuple[_Task, str]] = []
    for row in rows:
        cells = row.text.split("\t")
        low = [c.lower() for c in cells]
        if any("chủ trì" in c for c in low) and any(("thời gian" in c or "hoàn thành" in c or "thời hạn" in c) for c in low):
            used.add(id(row))
            columns = {}
            for i, c in enumerate(low):
                if "chủ trì" in c:
                    columns["lead"] = i
                elif "phối hợp" in c:
                    columns["partners"] = i
                elif "thời gian" in c or "hoàn thành" in c or "thời hạn" in c:
                    columns["when"] = i
                elif ("nội dung" in c or "nhiệm vụ" in c or "công việc" in c) and "content" not in columns:
                    columns["content"] = i
            continue
        if not columns or not re.fullmatch(r"\d{1,3}\.?", cells[0].strip()):
            continue
        used.add(id(row))
        number = int(cells[0].strip().rstrip("."))
        row_number = number
        if any(t.number == number for t in tasks):  # a second table numbered from 1 again
            number = max(t.number for t in tasks) + 1

        def cell(name: str) -> str:
            i = columns.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        content = cell("content") or (cells[1].strip() if len(cells) > 1 else "")
        when = cell("when")
        complete, ok = _completion(when)
        first = columns.get("content", 1)
        task = _Task(number, content, cell("lead"), cell("partners"), complete, when,
                     " ".join(c for c in cells[first:] if c), row_number)
        tasks.append(task)
        if not ok:
            unread.append((task, f"thời gian hoàn thành «{when}» không phải một kỳ (tháng, quý, năm)"))
    return tasks, unread, used


def _completion(text: str) -> tuple[list[str], bool]:
    """"Tháng 3/2024" -> ["2024-03"]; "Quý II và Quý III/2024" -> ["2024-Q2", "2024-Q3"]; "Năm 2024" -> ["2024"]."""
    t = " ".join(text.split())
    m = re.fullmatch(r"[Tt]háng\s+((?:\d{1,2}\s*(?:,|và|-)\s*)*\d{1,2})\s*/\s*(\d{4})\.?", t)
    if m:
        months = [int(x) for x in re.findall(r"\d{1,2}", m.group(1))]
        if all(1 <= x <= 12 for x in months):
            return [f"{m.group(2)}-{x:02d}" for x in months], True
    m = re.fullmatch(r"[Qq]u[ýí]\s+((?:[IV]{1,3}\s*(?:,|và|-)\s*(?:[Qq]u[ýí]\s+)?)*[IV]{1,3})\s*/\s*(?:năm\s+)?(\d{4})\.?", t)
    if m:
        quarters = [_ROMANS[r] for r in re.findall(r"[IV]{1,3}", m.group(1)) if r in _ROMANS]
        if quarters:
            return [f"{m.group(2)}-Q{q}" for q in quarters], True
    m = re.fullmatch(r"(?:[Cc]ả\s+)?[Nn]ăm\s+(\d{4})\.?", t)
    if m:
        return [m.group(1)], True
    m = re.fullmatch(r"(?:6|[Ss]áu)\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})\.?", t)
    if m:
        return [f"{m.group(2)}-H{1 if m.group(1) == 'đầu' else 2}"], True
    return [], False


# ================================================================================================
# Verbatim quotes
# ================================================================================================


def _norm(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _verbatim(quote: str, source: str) -> str:
    """`quote` as fragments of `source` (both normalised), joined by " ... ": where the clean
    sentence runs over something the source has in between (a footnote marker, a page number)."""
    quote = _norm(quote)
    if not quote or quote in source:
        return quote
    fragments, i = [], 0
    while i < len(quote):
        lo, hi = i, len(quote)  # the longest prefix of quote[i:] found in the source
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if quote[i:mid] in source:
                lo = mid
            else:
                hi = mid - 1
        if lo == i:
            i += 1  # a character the source does not have here
            continue
        fragments.append(quote[i:lo].strip())
        i = lo
    kept = [f for f in fragments if sum(c.isalnum() for c in f) >= 2]
    return " ... ".join(kept)


# ================================================================================================
# Rules
# ================================================================================================

_BASE_IDS = {"month": "monthly", "quarter": "quarterly", "half": "semiannual", "nine-months": "nine-months",
             "year": "annual", "once": "one-off-report"}
_TITLES = {"plan-submission": "Gửi kế hoạch thực hiện công tác dân vận năm {year}",
           "self-assessment": "Gửi hồ sơ tự đánh giá, chấm điểm thi đua công tác dân vận",
           "scoring-decision": "Chấm điểm thi đua, tham mưu quyết định đánh giá, xếp loại công tác dân vận"}


@dataclass
class _Rule:
    id: str
    title: str
    every: str
    st: _Statement
    due_text: str
    periods: tuple[int, ...] | None = None
    window_text: str = ""
    window_none: bool = False
    merged: dict[int, str] = field(default_factory=dict)
    feeds: str | None = None
    sender: str | None = None
    recipient: str | None = None
    per_unit: bool = True
    quote: str = ""
    erratum: str | None = None
    note: str | None = None
    comments: list[str] = field(default_factory=list)
    todo: list[tuple[str, str]] = field(default_factory=list)  # (sentence, why)


def _fixed_month(due: dict) -> int | None:
    ref = next(iter(due.values()))
    if "date" in ref:
        return ref["date"].month
    if "month" in ref:
        return ref["month"]
    return None


def _make_rule(st: _Statement, year: int | None, source: str) -> _Rule:
    every = st.every
    due, due_text = st.due, st.due_text
    rule = _Rule(id="", title="", every=every, st=st, due_text=due_text, periods=st.periods)
    if st.kind == "report":
        label = " ".join(st.label.split())
        label = re.sub(r"\s*/?\s*\d{4}$", "", label)
        rule.title = f"Báo cáo {label}".strip() if label else "Báo cáo"
    else:
        rule.title = _TITLES[st.kind].format(year=year or "")
    # a recurring report due in a year before the plan's would be due before its period began: a
    # slip, read as the plan's year ("10/5/2023" in a 2024 plan). A later year may be meant ("Báo
    # cáo năm 2024: trước ngày 15/01/2025"): kept as written, and `dvcq check` shows year-mismatch.
    ref = next(iter(due.values()))
    if "date" in ref and year and ref["date"].year < year and FREQUENCY[every].recurring:
        written = ref["date"]
        try:
            fixed = written.replace(year=year)
        except ValueError:  # 29/2 in a common year
            fixed = None
        if fixed is not None:
            kind = next(iter(due))
            due = {kind: {"date": fixed}}
            rule.due_text = phrases.render_due(due, every)
            rule.erratum = (f"Văn bản ghi «{due_text}» trong kế hoạch năm {year}: đọc là {fixed.day}/{fixed.month}/{fixed.year} "
                            "(kiểm tra lại).")
            rule.todo.append((st.text, f"năm {written.year} trong kế hoạch năm {year}: bản nháp đọc là năm {year}"))
    # one fixed day names one period: "Báo cáo 6 tháng: trước ngày 14/6" is the first half
    month = _fixed_month(due)
    if month is not None and every in ("quarter", "half"):
        number = Period.of_month(every, 2000, month).number
        if rule.periods and number not in rule.periods:
            rule.todo.append((st.text, f"ngày {due_text} không thuộc kỳ {rule.periods} mà câu nêu"))
        elif not rule.periods:
            rule.periods = (number,)
            rule.comments.append(f"một ngày cố định ({due_text}) chỉ ứng với kỳ {number} trong năm")
    elif month is not None and every == "month" and not rule.periods:
        rule.periods = (month,)
    rule.window_text = st.window_text
    if st.kind != "report" and FREQUENCY[every].recurring:
        rule.window_none = True
        rule.comments.append("không phải báo cáo số liệu: không có thời gian chốt số liệu")
    elif st.kind == "report" and FREQUENCY[every].recurring and not st.window_text and not st.window_unread:
        rule.comments.append("văn bản không nêu thời gian chốt số liệu: áp dụng Nghị định 09/2019/NĐ-CP, điều 12")
    rule.quote = _verbatim(st.text, source)
    return rule


def _compose_window(rule: _Rule, monthly: _Rule | None) -> None:
    """"số liệu chốt 03 tháng trong quý": the quarter's three monthly data windows, as the plan's own
    monthly rule defines them; otherwise the window is left for review."""
    text = rule.st.window_unread
    m = _MONTHS_IN_PERIOD.search(text)
    count = None
    if m:
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1).lower()]
    mw = monthly.st.window if monthly is not None else None
    if count == FREQUENCY[rule.every].months and isinstance(mw, dict) and monthly.st.due:
        (kind, ref), = monthly.st.due.items()
        start = mw["from"]
        if mw["to"] == "due" and set(ref) == {"day"} and ref["day"] != "last" and start.get("period_month") in (None, 1):
            last_day = ref["day"] - 1 if kind == "before" else ref["day"]
            if last_day >= 1:
                window = {"from": {"day": start["day"], "period_month": 1, "months_offset": start.get("months_offset", 0)},
                          "to": {"day": last_day}}
                rule.window_text = phrases.render_window(window, rule.every)
                rule.note = (f"«{text}» đọc là {count} khoảng số liệu của báo cáo tháng trong kỳ "
                             f"(«{monthly.st.window_text}», hạn «{monthly.st.due_text}»): {rule.window_text}.")
                rule.todo.append((rule.st.text, f"thời gian chốt số liệu «{text}» đọc là {rule.window_text}: kiểm tra lại"))
                return
    rule.todo.append((rule.st.text, f"không đọc được thời gian chốt số liệu «{text}»: chưa ghi window "
                                    "(Nghị định 09/2019/NĐ-CP, điều 12 áp dụng cho đến khi ghi)"))


def _target(phrase: str) -> tuple[str, int | None] | None:
    t = re.sub(r"^(?:báo\s+cáo\s+)", "", phrase.strip(), flags=re.I).strip(" .)")
    m = _LABEL.match("báo cáo " + t)
    if not m or m.end() - len("báo cáo ") < len(t) - 1:
        return None
    every, periods = _label_frequency(m.group("label"))
    return every, (periods[0] if periods and len(periods) == 1 else None)


def _assemble(statements: list[_Statement], header: _Header, source: str) -> tuple[list[_Rule], list[_Statement]]:
    year = header.year
    rules: list[_Rule] = []
    todos: list[_Statement] = []
    merges: list[_Statement] = []
    for st in statements:
        if st.kind == "todo":
            todos.append(st)
        elif st.kind == "merge":
            merges.append(st)
        else:
            rules.append(_make_rule(st, year, source))
    # footnotes restate the body's deadlines: keep what is new, as a todo
    main, notes = [], []
    for r in rules:
        (notes if r.st.block.kind == "footnote" else main).append(r)
    for r in notes:
        if not any(m.every == r.every and m.st.due == r.st.due for m in main):
            todos.append(_todo(r.st.sentence, r.st.span, r.st.block, "thời hạn chỉ có trong chú thích"))
    rules = main
    for r in rules:
        r.sender = _sender(r.st)
        r.recipient = _recipient(r.st.text, r.st.sentence, r.st.block.lead)
        if r.sender and not r.sender.startswith("Các") and "," not in r.sender and ";" not in r.sender \
                and not r.sender.lower().startswith(("thủ trưởng", "chủ tịch")):
            r.per_unit = False  # one body's own task, not every unit's
    # ids; two reports of one kind and period: a unit-level report feeding the body's own
    groups: dict[tuple, list[_Rule]] = {}
    restated: list[_Rule] = []
    for r in rules:
        key = (r.st.kind, r.every, r.periods) if r.st.kind == "report" else (r.st.kind,)
        groups.setdefault(key, []).append(r)
    for key, group in groups.items():
        base = _BASE_IDS[group[0].every] if group[0].st.kind == "report" else group[0].st.kind
        if len(group) == 2 and header.body and header.code != "UBND":
            inner = [r for r in group if r.recipient and r.recipient.startswith(header.body)]
            if len(inner) == 1:
                outer = next(r for r in group if r is not inner[0])
                outer.id, inner[0].id, inner[0].feeds = base, f"unit-{base}", base
                continue
        kept: list[_Rule] = []
        for r in group:
            same = next((k for k in kept if k.st.due == r.st.due and k.window_text == r.window_text
                         and r.sender in (None, k.sender) and r.recipient in (None, k.recipient)), None)
            if same is not None:  # the text says it again: one rule, the other place noted
                same.comments.append(f"văn bản nêu lại ở {r.st.block.section or 'đầu văn bản'}: «{_norm(r.st.text)}»")
                restated.append(r)
                continue
            r.id = base if not kept else f"{base}-{len(kept) + 1}"
            if kept:
                r.todo.append((r.st.text, f"hai quy tắc cùng loại và cùng kỳ ({kept[0].id}, {r.id}): kiểm tra lại"))
            kept.append(r)
    rules = [r for r in rules if not any(r is x for x in restated)]
    taken: set[str] = set()
    for r in rules:  # ids stay unique whatever the groups made
        rid, k = r.id, 2
        while rid in taken:
            rid, k = f"{r.id}-{k}", k + 1
        r.id = rid
        taken.add(rid)
    # data windows read through the plan's monthly rule
    monthly = next((r for r in rules if r.every == "month" and r.st.kind == "report" and r.st.window), None)
    for r in rules:
        if r.st.window_unread:
            _compose_window(r, monthly)
    # merged months
    for st in merges:
        target_rules = {}
        ok = True
        for month, phrase in st.merge:
            found = _target(phrase)
            rule = None
            if found:
                every, number = found
                number = number or Period.of_month(every, 2000, month).number
                if Period.of_month(every, 2000, month).number == number:
                    rule = next((r for r in rules if r.every == every and r.st.kind == "report" and not r.feeds
                                 and (not r.periods or number in r.periods)), None)
            if rule is None:
                ok = False
                break
            target_rules[month] = rule.id
        source_rule = next((r for r in rules if r.every == "month" and r.st.kind == "report"
                            and r.st.sentence == st.sentence), None) or \
            next((r for r in rules if r.every == "month" and r.st.kind == "report"), None)
        if not ok or source_rule is None:
            todos.append(_todo(st.sentence, st.span, st.block, "không nối được các tháng lồng ghép với báo cáo tương ứng"))
            continue
        source_rule.merged.update(target_rules)
        source_rule.quote = f"{source_rule.quote} ... {_verbatim(st.text, source)}"
    return rules, todos


# ================================================================================================
# YAML
# ================================================================================================


def _scalar(value: str) -> str:
    """Plain where YAML reads it back as the same text, else double-quoted."""
    import yaml

    if value and value[0].isalpha() and value == value.strip() and ": " not in value and " #" not in value \
            and not value.endswith(":") and "\n" not in value and "\t" not in value:
        with contextlib.suppress(yaml.YAMLError):
            if yaml.safe_load(value) == value:
                return value
    return _quoted(value)


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str, first: str = "# ", width: int = 100, rest: str = "#   ") -> list[str]:
    out, line = [], indent + first
    rest = indent + rest
    for word in text.split():
        if len(line) + len(word) + 1 > width and line.strip() not in ("#", "# TODO"):
            out.append(line.rstrip())
            line = rest
        line += word + " "
    out.append(line.rstrip())
    return out


def _where(section: str) -> str:
    return section or "đầu văn bản"  # before the first numbered section


def _todo_block(section: str, sentence: str, why: str, indent: str) -> list[str]:
    lines = _comment(f"{why}.", indent, first=f"# TODO {_where(section)}: ")
    lines += _comment(f"«{_norm(sentence)}»", indent, first="#   ")
    return lines


def _render(header: _Header, source_name: str, errata: list[str], rules: list[_Rule], tasks: list[_Task],
            task_todos: list[tuple[_Task, str]], todos: list[_Statement], source: str) -> tuple[str, list[str]]:
    todo_items: list[str] = []
    out = [SCHEMA_LINE]
    out += _comment(f"Bản nháp do `dvcq draft` viết{' từ ' + source_name if source_name else ''}: đối chiếu từng "
                    "quy tắc với văn bản, sửa những chỗ # TODO, rồi chạy `dvcq check` trước khi dùng.", "", rest="# ")
    out.append(f"id: {header.plan_id}")
    out.append(f"issuer: {_scalar(header.issuer or 'TODO')}")
    if not header.issuer:
        out.insert(-1, "# TODO: không tìm thấy cơ quan ban hành: điền tên (vd. UBND tỉnh ...)")
    if header.document:
        out.append(f"document: {_scalar(header.document)}")
    else:
        out.append("# TODO: không tìm thấy số ký hiệu văn bản (Số: .../KH-...): điền từ bản gốc")
    if header.issued:
        out.append(f"issued: {header.issued}")
        out.append(f"issued_text: {_quoted(header.issued_text)}")
    else:
        out.append("# TODO: không tìm thấy ngày ban hành (..., ngày ... tháng ... năm ...): điền từ bản gốc")
    for note in header.notes:
        out.append(f"# TODO: {note}")
    out.append(f"years: [{header.year}]")
    if header.title:
        out.append(f"title: {_scalar(header.title)}")
    if source_name:
        out.append(f"seed: {_scalar(source_name)}")
    out.append("roll: next")
    if errata:
        out.append("errata:")
        out += [f"  - {_quoted(e)}" for e in errata]
    out.append("")
    out.append("reports:" if rules else "reports: []")
    for r in rules:
        for sentence, why in r.todo:
            sentence = _verbatim(sentence, source) or _norm(sentence)
            todo_items.append(f"{_where(r.st.block.section)}: {sentence} ({why})")
            out += _todo_block(r.st.block.section, sentence, f"{r.id}: {why}", "  ")
        out.append(f"  - id: {r.id}")
        out.append(f"    title: {_scalar(r.title)}")
        out.append(f"    every: {r.every}")
        if r.every == "once" and r.st.kind != "plan-submission":
            out.append("    # câu này không nói việc lặp lại hằng năm: every: once (sửa thành year nếu có)")
        if r.periods:
            out.append(f"    periods: [{', '.join(str(p) for p in r.periods)}]")
        if r.sender:
            out.append(f"    sender: {_scalar(r.sender)}")
        if r.recipient:
            out.append(f"    recipient: {_scalar(r.recipient)}")
        if not r.per_unit:
            out.append(f"    per_unit: false  # một cơ quan làm ({r.sender}), không phải mọi đơn vị")
        out.append(f"    due: {_quoted(r.due_text)}")
        if r.window_text:
            out.append(f"    window: {_quoted(r.window_text)}")
        elif r.window_none:
            out.append("    window: none")
        for c in r.comments:
            out += _comment(c, "    ")
        if r.merged:
            out.append("    merged: {" + ", ".join(f"{m}: {t}" for m, t in sorted(r.merged.items())) + "}")
        if r.feeds:
            out.append(f"    feeds: {r.feeds}")
        if r.note:
            out.append(f"    note: {_quoted(r.note)}")
        out.append("    source:")
        out.append(f"      section: {_scalar(r.st.block.section) if r.st.block.section else _quoted('')}")
        out.append(f"      quote: {_quoted(r.quote)}")
        if r.erratum:
            out.append(f"      erratum: {_quoted(r.erratum)}")
    if tasks:
        out.append("")
        out.append("# Phụ lục: nhiệm vụ trọng tâm, mỗi việc đến hạn vào ngày cuối của kỳ hoàn thành.")
        out.append("tasks:")
        unread = {id(t): why for t, why in task_todos}
        for t in tasks:
            if id(t) in unread:
                quote = _verbatim(t.quote, source) or _norm(t.quote)
                todo_items.append(f"Phụ lục, dòng {t.row}: {quote} ({unread[id(t)]})")
                out += _todo_block(f"Phụ lục, dòng {t.row}", quote, f"task-{t.number}: {unread[id(t)]}", "  ")
            out.append(f"  - id: task-{t.number}")
            out.append(f"    title: {_scalar(t.title or f'Nhiệm vụ {t.number}')}")
            if t.lead:
                out.append(f"    lead: {_scalar(t.lead)}")
            if t.partners:
                out.append(f"    partners: {_scalar(t.partners)}")
            out.append(f"    complete: [{', '.join(_quoted(c) for c in t.complete)}]")
            if t.complete_text:
                out.append(f"    complete_text: {_quoted(t.complete_text)}")
            out.append(f"    source: {{section: {_quoted(f'Phụ lục, dòng {t.row}')}, "
                       f"quote: {_quoted(_verbatim(t.quote, source))}}}")
    if todos:
        out.append("")
        out.append("# Những câu có thời hạn mà bản nháp chưa đọc được: viết quy tắc bằng tay nếu cần.")
        for st in todos:
            sentence = _verbatim(st.text, source) or _norm(st.text)
            todo_items.append(f"{_where(st.block.section)}: {sentence} ({st.why})")
            out += _todo_block(st.block.section, sentence, st.why, "")
    return "\n".join(out) + "\n", todo_items


# ================================================================================================
# Drafting
# ================================================================================================


def draft_plan(text: str, plan_id: str | None = None, source_name: str = "") -> Draft:
    """A plan file drafted from the text of a plan document (see the module docstring)."""
    if plan_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan_id):
        raise DvcqError(f"plan id {plan_id!r}: use lower-case letters, digits and '-'")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines, unpaged = _lines(text)
    source = _norm(unpaged)
    blocks = _blocks(lines)
    header = _header(blocks, text, [" ".join(line.split()) for line in text.split("\n") if line.strip()])
    if plan_id:
        header.plan_id = plan_id
    if not header.plan_id:
        header.plan_id = "plan"
    if header.year is None:
        raise DvcqError("no year found in the document (neither 'năm 2024' in its title nor a date): "
                        "is this a plan document?")
    tasks, task_todos, task_rows = _tasks(blocks)
    statements: list[_Statement] = []
    for block in blocks:
        if block.zone == "closing" or id(block) in task_rows:
            continue
        if not _DEADLINE_WORDS.search(block.text) and not _MERGE_WORDS.search(block.text):
            continue
        # a table row that is no key task is read like a sentence, a comma between its cells (a
        # deadline phrase ends there; its quote gives each cell as a fragment)
        text = ", ".join(c.strip() for c in block.text.split("\t") if c.strip()) if block.kind == "row" else block.text
        for sentence in _sentences(text):
            if _DEADLINE_WORDS.search(sentence) or _MERGE_WORDS.search(sentence):
                statements.extend(_statements(sentence, block, header.year))
    rules, todos = _assemble(statements, header, source)
    if not rules and not tasks and not todos:
        raise DvcqError("no dated report or deadline found in the text (no 'trước ngày', 'chậm nhất' ...): "
                        "is this a plan document?")
    errata = _errata(blocks, header)
    while True:
        yaml_text, todo_items = _render(header, source_name, errata, rules, tasks, task_todos, todos, source)
        refused = _refused(yaml_text, rules, tasks)
        if not refused:
            break
        # a rule the loader refuses (a day that does not exist in the plan's year ...) is left for
        # review with the loader's reason: the draft always loads
        for item, message in refused:
            if isinstance(item, _Task):
                tasks.remove(item)
                todos.append(_Statement("todo", item.quote, (0, len(item.quote)), _Block("row", "", "", f"Phụ lục, dòng {item.row}"),
                                        why=f"dvcq không nhận dòng này: {message}"))
            else:
                rules.remove(item)
                todos.append(_todo(item.st.sentence, item.st.span, item.st.block, f"dvcq không nhận quy tắc này: {message}"))
        ids = {r.id for r in rules}
        for r in rules:
            r.merged = {m: t for m, t in r.merged.items() if t in ids}
            r.feeds = r.feeds if r.feeds in ids else None
    return Draft(yaml=yaml_text, rules=len(rules), todo=tuple(todo_items))


def _refused(yaml_text: str, rules: list[_Rule], tasks: list[_Task]) -> list[tuple[object, str]]:
    """The rules and tasks of a rendered draft that the loader reports an error in, with its message."""
    from dvcq.planfiles.loader import read_plan

    if not rules and not tasks:
        return []  # nothing dated in the text: the file says so, and has nothing to refuse
    _, problems, _ = read_plan(Path("draft.yaml"), yaml_text.encode("utf-8"))
    errors = [p for p in problems if p.level == "error"]
    if not errors:
        return []
    lines = yaml_text.split("\n")
    starts: list[tuple[int, object]] = []
    for item in [*rules, *tasks]:
        rid = item.id if isinstance(item, _Rule) else f"task-{item.number}"
        at = lines.index(f"  - id: {rid}") + 1
        starts.append((at, item))
    starts.sort(key=lambda pair: pair[0])
    out: list[tuple[object, str]] = []
    for problem in errors:
        owner = None
        for at, item in starts:
            if at <= problem.line:
                owner = item
        if owner is not None and not any(owner is o for o, _ in out):
            message = problem.message.split(": ", 1)[-1] if ": " in problem.message else problem.message
            out.append((owner, f"{message} [{problem.code}]"))
    if not out:  # an error outside every rule: a bug of the draft, not of the text
        raise DvcqError(f"dvcq draft wrote a plan file it cannot load: {errors[0]}")
    return out
