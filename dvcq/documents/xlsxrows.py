"""A sheet's cells as text (dvcq.documents.xlsx reads the workbook), and its fast reader: rows of
sheetData and shared strings as spreadsheet programs lay them out, read by one compiled regex over
each piece inflated instead of a Python call per XML element (expat took 13 s of a 16 s import of
1,048,576 rows).

It reads only what it fully understands, piece by piece (each piece inflated, cut after its last
</row> or </si>): a piece holding anything else (a comment, CDATA, a processing instruction, rich
text, single quotes, other cell attributes, an attribute twice, an entity other than the five XML
ones and character references, a character XML forbids, a bad reference or index, a limit passed)
is given to expat from its first element on, with the rest of the part, and expat reads it as before,
errors, lines and limits included. Expat still reads everything before the container's start tag (a
DOCTYPE is refused there, the only place one can be) and everything after its end; an element the
fast reader read is never shown to it. The fast reader starts only where expat has just begun the
container (sheetData as the root's child, or the root sst) in UTF-8.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

from dvcq.core.messages import Said  # a reader's reason, said in the run's language where it is printed

_EPOCH = dt.datetime(1899, 12, 30)


class XlsxError(Exception):
    """What is wrong, with the sheet row (1-based) when it is in a row, else 0. `message` (args[0]) is
    a core.messages Said, said in the run's language where it is printed; str() is its English."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.row, self.message = row, message


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _value(raw: str, kind: str, style, strings: list[str], dates: set[int], sheet: str, row: int) -> str:
    raw = raw.strip()
    if kind == "s":
        if not (raw.isascii() and raw.isdigit()) or int(raw) >= len(strings):
            raise XlsxError(Said("xlsx.no_string", sheet=sheet, raw=raw[:20]), row)
        return strings[int(raw)].strip()
    if kind in ("str", "inlineStr", "e"):
        return raw
    if kind == "b":
        return "TRUE" if raw == "1" else "FALSE"
    if not raw:
        return ""
    try:
        number = float(raw)
    except ValueError:
        raise XlsxError(Said("xlsx.not_number", sheet=sheet, raw=raw[:20]), row) from None
    if style is not None and style.isascii() and style.isdigit() and int(style) in dates and 0 <= number < 2958466:
        return _serial_text(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return raw


@functools.lru_cache(maxsize=4096)  # a sheet's dates repeat: a million date cells, a few thousand days
def _serial_text(number: float) -> str:
    """An Excel serial date as dd/mm/yyyy (with HH:MM when it has a time of day)."""
    moment = _EPOCH + dt.timedelta(days=number)
    moment = moment.replace(microsecond=0)
    return moment.strftime("%d/%m/%Y") if moment.time() == dt.time(0, 0) else moment.strftime("%d/%m/%Y %H:%M")


FAST_HOLD = 1 << 20  # bytes held waiting for a row's end; past it expat reads on
_WS = "[ \\t\\n]*"
_BAD_AMP = re.compile("&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)")  # expat says where
_TEXT = "[^<\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*"  # no character XML forbids (then expat says where)
_CHAR_REF = re.compile("&#(?:x([0-9a-fA-F]+)|([0-9]+));")
_ENTITY = re.compile("&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);")
_ATTR_NAME = re.compile("([^ \t\n=]+)=")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][A-Za-z0-9_.-]*):)?(sheetData)[ \t\r\n]*>")
SST = re.compile(rb"<(?:([A-Za-z_][A-Za-z0-9_.-]*):)?(sst)(?:[ \t\r\n][^<>]*)?>")  # '>' in a value: expat reads all


class _Unusual(Exception):
    """Something the fast reader leaves to expat."""


@functools.lru_cache(maxsize=16)
def _tokens(prefix: str, declared: tuple[str, ...], tight: bool = False) -> re.Pattern:
    """What the fast reader reads in sheetData, as findall tuples: a whole cell (1: its column
    letters, 2: s, 3: t, 4: its formula's attributes, 5: a <v> of digits, 6: any other <v>, 7: an
    inline string's one <t>), a row's start tag (8: 'row', 9: r, 10: its other attributes, 11: '/'
    when empty), a row's end tag (12), or one other character (13: the piece goes to expat).
    Elements carry the prefix sheetData has; a cell has no attribute but r, s and t (in that order);
    a row's or a formula's other attributes (ignored, as expat's reader ignores them) may carry a
    prefix the root declares; values are double-quoted. Optional parts are written `(?:x|)`, not
    `(?:x)?`: re runs a branch faster than a repeat (0.55 s against 0.74 s for 60 MB of sheet).
    `tight`: the same tokens (the same groups) as most sheets have them, and no more: no formula, no
    white space in a cell, no <v/>, no attribute on <t> (a third less work for re); what it does not
    take is one other character, as above."""
    p = re.escape(prefix + ":") if prefix else ""
    names = "|".join(re.escape(d) for d in ("xml", *declared))
    ws = "" if tight else _WS

    def attrs(taken: str) -> str:  # any other attributes: never r again, never a namespace declaration
        return f'(?:[ \\t\\n]+(?!{taken}xmlns[=:])(?:(?:{names}):)?[A-Za-z_][A-Za-z0-9_.-]*="[^"<&\x00-\x1f\ufffe\uffff]*")*{ws}'
    cell = (f'c(?: r="([A-Z]{{1,3}})[0-9]{{1,7}}"|)(?: s="([0-9]{{1,9}})"|)(?: t="([A-Za-z]{{1,9}})"|){ws}'
            f'(?:/>|>{ws}(?:<{p}f({attrs("")})(?:/>|>{_TEXT}</{p}f>){ws}|)'
            f'(?:<{p}v>(?:([0-9]{{1,10}})|({_TEXT}))</{p}v>{ws}|<{p}v/>{ws}'
            f'|<{p}is>{ws}<{p}t(?: xml:space="preserve"|)>({_TEXT})</{p}t>{ws}</{p}is>{ws}|)</{p}c>)')
    if tight:
        cell = (f'c(?: r="([A-Z]{{1,3}})[0-9]{{1,7}}"|)(?: s="([0-9]{{1,9}})"|)(?: t="([A-Za-z]{{1,9}})"|)(?:/>|>()'
                f'(?:<{p}v>(?:([0-9]{{1,10}})|({_TEXT}))</{p}v>|<{p}is><{p}t>({_TEXT})</{p}t></{p}is>|)</{p}c>)')
    row = f'(row)(?: r="([0-9]{{1,7}})"|)({attrs("r=|")})(/?)>'
    return re.compile(f"<{p}(?:{cell}|{row})|(</{p}row>)|([^ \\t\\n])")


def _entity(m: re.Match) -> str:
    name = m[1]
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def _xml_char(code: int) -> bool:
    return code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


class SheetRows:
    """The rows of one piece of sheetData, read as expat's handlers would read them."""

    def __init__(self, sheet, strings, dates, columns, max_rows, max_cells, limit, where, moved, state, rows):
        self.sheet, self.dates, self.columns = sheet, dates, columns
        self.strings = [s.strip() for s in strings]  # the same objects when nothing is stripped
        self.max_rows, self.max_cells, self.limit = max_rows, max_cells, limit
        self.where, self.moved, self.state, self.rows = where, moved, state, rows  # expat's reader's state
        self.tokens = self.tight = None
        self.close = b"</row>"
        self.checked: set[str] = set()  # a row's other attributes as written, known to name each attribute once

    def prepare(self, prefix: str, declared: tuple[str, ...]) -> None:
        self.tokens, self.tight = _tokens(prefix, declared), _tokens(prefix, declared, tight=True)
        self.close = f"</{prefix}:row>".encode() if prefix else b"</row>"

    def take(self, piece: bytes) -> int:
        """Read the rows of `piece` into expat's reader's state; the lines read. Raises as read."""
        row, count, elements = self.where()
        got, row, nrows, count, elements, lines = self.read(piece, row, self.state["rows"], count, elements)
        self.moved(row, count, elements)
        self.state["rows"] = nrows
        self.rows.extend(got)
        return lines

    def distinct(self, attributes: str) -> bool:
        """No attribute written twice (expat refuses it: then so does the fast reader, by leaving it to
        expat); a row's attributes are looked at once (most rows have the same: spans, dyDescent ...)."""
        names = _ATTR_NAME.findall(attributes)
        if len(set(names)) != len(names):
            return False
        if len(self.checked) < 10_000:
            self.checked.add(attributes)
        return True

    def read(self, piece: bytes, row: int, nrows: int, count: int, elements: int):
        """(rows, last row number, rows, cells, elements, lines) after `piece`, whole rows; raises _Unusual
        (or the error expat's reader would raise: the caller gives the piece to expat either way)."""
        text = _text_of(piece)
        if self.tight is not None:
            try:
                return (*self._rows(self.tight.findall(text), row, nrows, count, elements), text.count("\n"))
            except _Unusual:
                self.tight = None  # this sheet is written otherwise: the full tokens from here on
        return (*self._rows(self.tokens.findall(text), row, nrows, count, elements), text.count("\n"))

    def _rows(self, found: list, row: int, nrows: int, count: int, elements: int):
        elements += len(found)
        strings, dates, columns, max_rows, checked = self.strings, self.dates, self.columns, self.max_rows, self.checked
        out: list[tuple[int, list[str]]] = []
        cells = None
        col = empties = 0
        for letters, style, kind, formula, digits, v, t, tag, r, more, empty, close, other in found:
            if letters:  # a cell, as most are: with its reference
                try:
                    col = columns[letters]
                except KeyError:
                    col = _column(letters)
                    if col > 16383:
                        raise _Unusual from None
                    columns[letters] = col
            elif tag:
                if cells is not None or (more and more not in checked and not self.distinct(more)):
                    raise _Unusual
                number = row + 1
                if r:
                    number = int(r)
                    if not 0 < number <= max_rows:
                        raise _Unusual
                if nrows >= max_rows:
                    raise _Unusual
                row = number
                if empty:
                    out.append((row, []))
                    nrows += 1
                    empties += 1
                else:
                    cells, col = [], -1
                continue
            elif close:
                if cells is None:
                    raise _Unusual
                out.append((row, cells))
                nrows += 1
                cells = None
                continue
            elif other:
                raise _Unusual
            else:  # a cell without a reference: the next column
                col += 1
            if cells is None or (formula and not self.distinct(formula)):
                raise _Unusual
            if digits and kind == "s":
                value = strings[int(digits)]
            elif kind == "inlineStr" and not v and not digits:
                value = (_ENTITY.sub(_entity, t) if "&" in t else t).strip()
            elif digits and not kind:  # a whole number; a date when its style is one (as _value reads them)
                value = (_serial_text(float(digits)) if style and int(style) in dates and int(digits) < 2958466
                         else str(int(digits)))
            else:
                raw = digits or v or t
                value = _value(_ENTITY.sub(_entity, raw) if "&" in raw else raw, kind or "n", style or None,
                               strings, dates, self.sheet, row)
            if col == len(cells):
                cells.append(value)
            elif col > len(cells):
                cells.extend([""] * (col - len(cells)))
                cells.append(value)
            else:
                cells[col] = value
        count += len(found) - 2 * len(out) + empties  # every token but a row's start and end is a cell
        if count > self.max_cells or elements > self.limit:
            raise _Unusual  # expat reads the piece again and refuses it at the cell past the limit
        if cells is not None:
            raise _Unusual
        return out, row, nrows, count, elements


def fast_push(parser, fed, reader, container: re.Pattern, depth: int):
    """A function given each piece inflated (None at the end): expat reads the part up to the start
    tag `container` finds, which must be the element at `depth` (1: the root) expat has just begun;
    then `reader.take` reads whole elements (up to the last `reader.close`) while it can, and expat
    reads the rest from the first piece it cannot."""
    start, end = parser.StartElementHandler, parser.EndElementHandler
    prologue = {"depth": 0, "last": None, "encoding": None}
    declared: list[str] = []
    held = [b""]
    mode = ["prologue"]
    given = [0]

    def started(tag, a):
        prologue["depth"] += 1
        prologue["last"] = (tag, prologue["depth"], parser.CurrentByteIndex)
        start(tag, a)

    def ended(tag):
        prologue["depth"] -= 1
        end(tag)

    def declares(prefix, _uri):
        if prologue["depth"] == 0 and prefix:  # on the root: in scope all through the part
            declared.append(prefix)

    def xml_decl(_version, encoding, _standalone):
        prologue["encoding"] = encoding

    parser.StartElementHandler, parser.EndElementHandler = started, ended
    parser.StartNamespaceDeclHandler, parser.XmlDeclHandler = declares, xml_decl

    def give(data: bytes) -> None:
        given[0] += len(data)
        parser.Parse(data, False)

    def to_expat(data: bytes) -> None:
        mode[0] = "expat"
        parser.StartElementHandler, parser.EndElementHandler = start, end
        held[0] = b""
        give(data)

    def push(chunk):
        if mode[0] == "expat":
            if chunk:
                parser.Parse(chunk, False)
            return
        data = held[0] + chunk if chunk else held[0]
        if mode[0] == "prologue":
            m = container.search(data)
            if m is None:
                if chunk is None or len(data) > FAST_HOLD:
                    to_expat(data)
                else:
                    held[0] = data
                return
            at = given[0] + m.start()
            give(data[:m.end()])
            last, encoding = prologue["last"], prologue["encoding"]
            if not (last and last[0].rpartition("}")[2] == m[2].decode() and last[1:] == (depth, at)
                    and prologue["depth"] == depth and (encoding is None or encoding.lower() in ("utf-8", "utf8"))):
                to_expat(data[m.end():])  # in a comment, not where it belongs, already closed, or not UTF-8
                return
            reader.prepare((m[1] or b"").decode(), tuple(declared))
            mode[0] = "fast"
            parser.StartElementHandler, parser.EndElementHandler = start, end
            data = data[m.end():]
        if chunk is None:  # the container's end tag and what follows it
            to_expat(data)
            return
        cut = data.rfind(reader.close)
        if cut < 0:
            if len(data) > FAST_HOLD:
                to_expat(data)
            else:
                held[0] = data
            return
        cut += len(reader.close)
        piece, held[0] = data[:cut], data[cut:]
        try:
            lines = reader.take(piece)
        except (_Unusual, XlsxError, ValueError, IndexError):
            to_expat(piece + held[0])
            return
        fed[1] = fed[0]
        push.lines[0] += lines

    push.lines = [0]
    return push


def _text_of(piece: bytes) -> str:
    """A piece as XML text (line ends as XML reads them); raises _Unusual (or UnicodeDecodeError) for
    anything expat must say is wrong: a character reference to no XML character, an unknown entity,
    ']]>' (any other forbidden character is refused by the tokens' classes)."""
    if b"]]>" in piece:
        raise _Unusual
    text = piece.decode()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        if _BAD_AMP.search(text):
            raise _Unusual
        for hexa, dec in _CHAR_REF.findall(text):
            if not _xml_char(int(hexa, 16) if hexa else int(dec)):
                raise _Unusual
    return text


class StringsReader:
    """sharedStrings.xml's <si> read fast: those of one plain <t> (Excel writes most so); rich text,
    phonetic runs and anything else go to expat."""

    def __init__(self, out: list[str], max_cells: int):
        self.out, self.max_cells = out, max_cells
        self.tokens, self.close = None, b"</si>"

    def prepare(self, prefix: str, _declared) -> None:
        p = re.escape(prefix + ":") if prefix else ""
        self.tokens = re.compile(f'<{p}si>{_WS}<{p}t(?: xml:space="preserve"|)>({_TEXT})</{p}t>{_WS}</{p}si>'
                                 f"|([^ \\t\\n])")
        self.close = f"</{prefix}:si>".encode() if prefix else b"</si>"

    def take(self, piece: bytes) -> int:
        text = _text_of(piece)
        found = self.tokens.findall(text)
        got = [_ENTITY.sub(_entity, t) if "&" in t else t for t, other in found if not other]
        if len(got) != len(found) or len(self.out) + len(got) > self.max_cells:
            raise _Unusual  # expat reads it, and refuses the string past the limit
        self.out.extend(got)
        return text.count("\n")
