"""The first sheet of an .xlsx read by dvcq itself: streamed, and bounded by what is read.

openpyxl trusts the file: its `<dimension>` (a stale one hides rows), its sizes (a 10 MB file that
inflates to 10 GB took 139 s and 20 GB of memory). Here every part is inflated through a counter
(refused past `max_inflated` bytes in all), rows and cells are counted as they are read (refused past
`max_rows`, `max_cells`), the XML is read by expat as it streams with any DOCTYPE refused (no entity
can expand, no external one can be fetched), and a bad cell reference or shared-string index is one
located error. The rows themselves are read by a compiled regex where they are laid out as
spreadsheet programs write them, and by expat wherever anything else is (the fast reader, below). Dates are the cells whose style is a date format, written dd/mm/yyyy as openpyxl did.
"""
from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import re
import zipfile
from pathlib import PurePosixPath

CHUNK = 1 << 16
MAX_TOKEN = 4_000_000  # bytes fed with no element begun or ended
MAX_RATIO, RATIO_FROM = 100, 16_000_000  # a real sheet's XML deflates 10 to 40 times
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
_DATE_IDS = set(range(14, 23)) | {27, 30, 36, 45, 46, 47, 50, 57}
_EPOCH = dt.datetime(1899, 12, 30)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class XlsxError(Exception):
    """What is wrong, with the sheet row (1-based) when it is in a row, else 0."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.row = row


class _Budget:
    def __init__(self, limit: int):
        self.left = limit
        self.limit = limit

    def take(self, n: int, part: str) -> None:
        self.left -= n
        if self.left < 0:
            raise XlsxError(f"{part} inflates past {self.limit:,} bytes: refused (a zip bomb, or not one register)")


def _parse(book: zipfile.ZipFile, name: str, budget: _Budget, start, end=None, text=None,
           max_elements: int = 1_000_000) -> None:
    """Stream the part `name` through expat, calling start(tag, attrs), end(tag) and text(data)
    with tags stripped of their namespace; a DOCTYPE is refused."""
    collections.deque(_feed(book, name, budget, start, end, text, max_elements), maxlen=0)  # run it through


def _feed(book: zipfile.ZipFile, name: str, budget: _Budget, start, end=None, text=None,
          max_elements: int = 1_000_000):
    """As _parse, pausing (yielding None) after each piece inflated: the caller takes what the
    callbacks gathered so far, and the part is never held whole."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def doctype(*_):
        raise XlsxError(f"{name}: a DOCTYPE (entities) in a workbook part: refused")

    fed = [0, 0]  # bytes given to expat; bytes given when it last said anything

    elements = [0]
    fast = None
    if start is None:  # `end` makes the handlers itself, given `fed` (each sets fed[1] = fed[0]): the sheet's hot path
        start, end, text, fast = end(fed)

    def started(tag, attrs):
        fed[1] = fed[0]
        elements[0] += 1
        if elements[0] > max_elements:
            raise XlsxError(f"{name}: more than {max_elements:,} XML elements: refused")
        start(tag.rpartition("}")[2], attrs)

    def ended(tag):
        fed[1] = fed[0]
        if end:
            end(tag.rpartition("}")[2])

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    raw = getattr(start, "raw", False)  # it takes whole tag names, counts its elements and marks fed[1]
    parser.StartElementHandler = start if raw else started
    parser.EndElementHandler = end if raw else ended
    if text:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    member = book.getinfo(name)
    # zipfile never inflates a member past the size its header declares (then its CRC fails), so
    # the declared size bounds the work: a bomb is refused before a byte of it is inflated
    if member.file_size > budget.left:
        raise XlsxError(f"{name} would inflate to {member.file_size:,} bytes, past {budget.limit:,}: refused "
                        "(a zip bomb, or not one register)")
    if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
        raise XlsxError(f"{name} inflates more than {MAX_RATIO} times its size: refused (a zip bomb)")
    push = fast(parser) if fast else None  # the bytes go through it; it gives expat what it does not read itself
    try:
        with book.open(name) as fh:
            while chunk := fh.read(CHUNK):
                budget.take(len(chunk), name)
                fed[0] += len(chunk)
                if fed[0] > RATIO_FROM and fed[0] > MAX_RATIO * max(member.compress_size, 1):
                    raise XlsxError(f"{name} inflates more than {MAX_RATIO} times its size: refused (a zip bomb)")
                if push:
                    push(chunk)
                else:
                    parser.Parse(chunk, False)
                yield
                if fed[0] - fed[1] > MAX_TOKEN:
                    # one comment, attribute or tag this long is no spreadsheet's; expat reads such a
                    # token again with every piece fed, so it is refused before it costs minutes
                    raise XlsxError(f"{name}: one XML token over {MAX_TOKEN:,} bytes: refused")
            if push:
                push(None)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        line = exc.lineno + (push.lines[0] if push else 0)  # the lines of the rows expat never saw
        raise XlsxError(f"{name}: not well-formed XML ({xml.parsers.expat.ErrorString(exc.code)}, "
                        f"line {line})") from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise XlsxError(f"{name}: cannot be inflated ({type(exc).__name__}: {str(exc)[:80]})") from None


def _first_sheet(book: zipfile.ZipFile, budget: _Budget) -> str:
    names = set(book.namelist())
    sheets: list[str] = []
    rels: dict[str, str] = {}
    if "xl/workbook.xml" in names:
        _parse(book, "xl/workbook.xml", budget,
               lambda tag, a: sheets.append(a.get(f"{_REL}}}id", "")) if tag == "sheet" else None)
    if "xl/_rels/workbook.xml.rels" in names:
        _parse(book, "xl/_rels/workbook.xml.rels", budget,
               lambda tag, a: rels.__setitem__(a.get("Id", ""), a.get("Target", "")) if tag == "Relationship" else None)
    for rid in sheets[:1]:
        target = rels.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        if path in names:
            return path
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    raise XlsxError("no worksheet in the workbook")


def _shared_strings(book: zipfile.ZipFile, budget: _Budget, max_cells: int) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    out: list[str] = []
    state = {"si": False, "t": False, "skip": 0, "parts": []}

    def start(tag, _):
        if tag == "si":
            state["si"], state["parts"] = True, []
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] += 1
        elif tag == "t" and state["si"] and not state["skip"]:
            state["t"] = True

    def end(tag):
        if tag == "si":
            out.append("".join(state["parts"]))
            state["si"] = False
            if len(out) > max_cells:
                raise XlsxError(f"more than {max_cells:,} shared strings: refused")
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] -= 1
        elif tag == "t":
            state["t"] = False

    def text(data):
        if state["t"]:
            state["parts"].append(data)

    _parse(book, "xl/sharedStrings.xml", budget, start, end, text, max_elements=4 * max_cells)
    return out


def _date_styles(book: zipfile.ZipFile, budget: _Budget) -> set[int]:
    """The cell style indexes (s="N") whose number format is a date."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    where = {"cellXfs": False}

    def start(tag, a):
        if tag == "numFmt":
            with contextlib.suppress(ValueError):  # a format without a numeric id names no cell's format
                custom[int(a.get("numFmtId", "-1"))] = a.get("formatCode", "")
        elif tag == "cellXfs":
            where["cellXfs"] = True
        elif tag == "xf" and where["cellXfs"]:
            try:
                xfs.append(int(a.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(tag):
        if tag == "cellXfs":
            where["cellXfs"] = False

    _parse(book, "xl/styles.xml", budget, start, end)

    def is_date(fmt: int) -> bool:
        if fmt in _DATE_IDS:
            return True
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", custom.get(fmt, "")).lower()
        return bool(code) and bool(re.search(r"[dy]", code)) and "general" not in code
    return {i for i, fmt in enumerate(xfs) if is_date(fmt)}


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_first_sheet(data: bytes, max_rows: int, max_cells: int, max_inflated: int,
                     fast: bool = True) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of the first worksheet, every row the XML holds whatever its
    <dimension> says. Raises XlsxError."""
    return list(iter_first_sheet(data, max_rows, max_cells, max_inflated, fast))


def iter_first_sheet(data: bytes, max_rows: int, max_cells: int, max_inflated: int, fast: bool = True):
    """As read_first_sheet, row by row as the sheet is inflated (the workbook's shared strings and
    styles are read first); a limit passed raises XlsxError when it is reached. `fast`: rows laid out
    as most writers do are read by the fast reader (below); False has expat read every element (the
    tests compare the two)."""
    import io

    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxError(f"not a readable .xlsx workbook (not a zip file: {str(exc)[:60]})") from None
    budget = _Budget(max_inflated)
    with book:
        sheet = _first_sheet(book, budget)
        strings = _shared_strings(book, budget, max_cells)
        dates = _date_styles(book, budget)
        rows: list[tuple[int, list[str]]] = []
        limit = max_rows + 3 * max_cells  # XML elements

        def handlers(fed):
            # one call per element, tag names looked up once: a million-row sheet makes 26 million calls
            names: dict[str, str] = {}
            columns: dict[str, int] = {}
            row, cells, count, parts, next_col, elements, kind, style, col = 0, None, 0, None, 0, 0, "n", None, 0

            def start(tag, a):
                nonlocal row, cells, count, parts, next_col, elements, kind, style, col
                fed[1] = fed[0]
                elements += 1
                if elements > limit:
                    raise XlsxError(f"{sheet}: more than {limit:,} XML elements: refused")
                local = names.get(tag)
                if local is None:
                    local = names[tag] = tag.rpartition("}")[2]
                if local == "c":
                    ref = a.get("r")
                    col = next_col
                    if ref is not None:
                        letters = ref.rstrip("0123456789")
                        col = columns.get(letters, -1)
                        if col < 0 or not 0 < len(ref) - len(letters) <= 7:
                            m = _REF.match(ref)
                            if not m or _column(m[1]) > 16383:
                                raise XlsxError(f"{sheet}: bad cell reference {ref[:20]!r}", row)
                            col = columns[m[1]] = _column(m[1])
                    next_col = col + 1
                    count += 1
                    if count > max_cells:
                        raise XlsxError(f"more than {max_cells:,} cells: refused", row)
                    kind, style, parts = a.get("t", "n"), a.get("s"), []
                elif local == "row":
                    r = a.get("r")
                    number = row + 1
                    if r is not None:
                        if not (r.isascii() and r.isdigit()) or not 0 < int(r) <= max_rows:
                            raise XlsxError(f"{sheet}: bad row number {r[:20]!r}", row)
                        number = int(r)
                    if state["rows"] >= max_rows:
                        raise XlsxError(f"more than {max_rows:,} rows: refused", number)
                    row, cells, next_col = number, {}, 0
                elif (local == "v" or local == "t") and parts is not None:
                    parser_text[0] = parts

            def end(tag):
                nonlocal cells, parts
                fed[1] = fed[0]
                local = names[tag]
                if local == "v" or local == "t":
                    parser_text[0] = None
                elif local == "c" and parts is not None:
                    if cells is None:
                        raise XlsxError(f"{sheet}: a cell outside a row", row)
                    cells[col] = _value("".join(parts), kind, style, strings, dates, sheet, row)
                    parts = None
                elif local == "row" and cells is not None:
                    width = max(cells) + 1 if cells else 0
                    rows.append((row, [cells.get(i, "") for i in range(width)]))
                    state["rows"] += 1
                    cells = None

            def text(data):
                into = parser_text[0]
                if into is not None:
                    into.append(data)

            def where():
                return row, count, elements

            def moved(to_row, to_count, to_elements):  # the fast reader read whole rows up to here
                nonlocal row, count, elements
                row, count, elements = to_row, to_count, to_elements

            def quick(parser):
                sheet_rows = _SheetRows(sheet, strings, dates, columns, max_rows, max_cells, limit)
                return _fast_push(parser, fed, start, end, sheet_rows, where, moved, state, rows)

            start.raw = True
            return start, end, text, (quick if fast else None)

        parser_text: list = [None]  # the text of a <v> or <t> in a cell goes to this list
        state = {"rows": 0}
        for _ in _feed(book, sheet, budget, None, handlers, None, max_elements=limit):
            if rows:
                yield from rows
                rows.clear()
        yield from rows


def _value(raw: str, kind: str, style, strings: list[str], dates: set[int], sheet: str, row: int) -> str:
    raw = raw.strip()
    if kind == "s":
        if not (raw.isascii() and raw.isdigit()) or int(raw) >= len(strings):
            raise XlsxError(f"{sheet}: shared string {raw[:20]!r} does not exist", row)
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
        raise XlsxError(f"{sheet}: {raw[:20]!r} in a number cell is not a number", row) from None
    if style is not None and style.isascii() and style.isdigit() and int(style) in dates and 0 <= number < 2958466:
        moment = _EPOCH + dt.timedelta(days=number)
        moment = moment.replace(microsecond=0)
        return moment.strftime("%d/%m/%Y") if moment.time() == dt.time(0, 0) else moment.strftime("%d/%m/%Y %H:%M")
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return raw


# --------------------------------------------------------------------------------------------------
# The fast reader: the rows of sheetData as most writers lay them out, read by one compiled regex
# over each piece inflated instead of a Python call per XML element (expat took 13 s of a 16 s
# import of 1,048,576 rows). It reads only what it fully understands, piece by piece: a piece holding
# anything else (a comment, CDATA, a processing instruction, rich text, single quotes, an entity
# other than the five XML ones and character references, a bad reference, a limit passed) is given
# to expat from its first row on, with the rest of the part, and expat reads it as before, errors
# and limits included. Expat still reads everything before sheetData (a DOCTYPE is refused there,
# and nowhere else can one be) and everything after; a row the fast reader read is never shown to it.

FAST_HOLD = 1 << 20  # bytes held waiting for a row's end; past it expat reads on
_WS = "[ \\t\\n]*"
_BAD_AMP = re.compile("&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)")  # expat says where
_TEXT = "[^<\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*"  # no character XML forbids (then expat says where)
_CHAR_REF = re.compile("&#(?:x([0-9a-fA-F]+)|([0-9]+));")
_ENTITY = re.compile("&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);")
_ATTR_NAME = re.compile("([^ \t\n=]+)=")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][A-Za-z0-9_.-]*):)?sheetData[ \t\r\n]*>")


class _Unusual(Exception):
    """Something the fast reader leaves to expat."""


@functools.lru_cache(maxsize=16)
def _tokens(prefix: str, declared: tuple[str, ...]) -> re.Pattern:
    """What the fast reader reads in sheetData, as findall tuples: a whole cell (1: its column
    letters, 2: s, 3: t, 4: its formula's attributes, 5: a <v> of digits, 6: any other <v>, 7: an
    inline string's one <t>), a row's start tag (8: 'row', 9: r, 10: its other attributes, 11: '/'
    when empty), a row's end tag (12), or one other character (13: the piece goes to expat).
    Elements carry the prefix sheetData has; a cell has no attribute but r, s and t (in that order);
    a row's or a formula's other attributes (ignored, as expat's reader ignores them) may carry a
    prefix the root declares; values are double-quoted. Optional parts are written `(?:x|)`, not
    `(?:x)?`: re runs a branch faster than a repeat (0.55 s against 0.74 s for 60 MB of sheet)."""
    p = re.escape(prefix + ":") if prefix else ""
    names = "|".join(re.escape(d) for d in ("xml", *declared))
    ws = _WS

    def attrs(taken: str) -> str:  # any other attributes: never r again, never a namespace declaration
        return f'(?:[ \\t\\n]+(?!{taken}xmlns[=:])(?:(?:{names}):)?[A-Za-z_][A-Za-z0-9_.-]*="[^"<&\x00-\x1f\ufffe\uffff]*")*{ws}'
    cell = (f'c(?: r="([A-Z]{{1,3}})[0-9]{{1,7}}"|)(?: s="([0-9]{{1,9}})"|)(?: t="([A-Za-z]{{1,9}})"|){ws}'
            f'(?:/>|>{ws}(?:<{p}f({attrs("")})(?:/>|>{_TEXT}</{p}f>){ws}|)'
            f'(?:<{p}v>(?:([0-9]{{1,10}})|({_TEXT}))</{p}v>{ws}|<{p}v/>{ws}'
            f'|<{p}is>{ws}<{p}t(?: xml:space="preserve"|)>({_TEXT})</{p}t>{ws}</{p}is>{ws}|)</{p}c>)')
    row = f'(row)(?: r="([0-9]{{1,7}})"|)({attrs("r=|")})(/?)>'
    return re.compile(f"<{p}(?:{cell}|{row})|(</{p}row>)|([^ \\t\\n])")


def _entity(m: re.Match) -> str:
    name = m[1]
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def _xml_char(code: int) -> bool:
    return code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


class _SheetRows:
    """The rows of one piece of sheetData, read as expat's handlers would read them."""

    def __init__(self, sheet, strings, dates, columns, max_rows, max_cells, limit):
        self.sheet, self.dates, self.columns = sheet, dates, columns
        self.strings = [s.strip() for s in strings]  # the same objects when nothing is stripped
        self.max_rows, self.max_cells, self.limit = max_rows, max_cells, limit
        self.tokens = None
        self.checked: set[str] = set()  # a row's other attributes as written, known to name each attribute once

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
        if b"]]>" in piece:  # not XML outside CDATA (the regex refuses any other character XML forbids)
            raise _Unusual
        text = piece.decode()
        if "\r" in text:  # as XML reads line ends
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "&" in text:
            if _BAD_AMP.search(text):
                raise _Unusual
            for hexa, dec in _CHAR_REF.findall(text):
                if not _xml_char(int(hexa, 16) if hexa else int(dec)):
                    raise _Unusual
        found = self.tokens.findall(text)
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
            elif digits and not kind and not style:
                value = str(int(digits))
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
        return out, row, nrows, count, elements, text.count("\n")


def _fast_push(parser, fed, start, end, sheet_rows: _SheetRows, where, moved, state, rows):
    """A function given each piece inflated (None at the end): expat reads the part up to sheetData's
    start tag; then whole rows are read by `sheet_rows` while it can, and the rest by expat."""
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
        if prologue["depth"] == 0 and prefix:  # on the root: in scope all through sheetData
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
            m = _SHEET_DATA.search(data)
            if m is None:
                if chunk is None or len(data) > FAST_HOLD:
                    to_expat(data)
                else:
                    held[0] = data
                return
            at = given[0] + m.start()
            give(data[:m.end()])
            last, encoding = prologue["last"], prologue["encoding"]
            if not (last and last[0].rpartition("}")[2] == "sheetData" and last[1:] == (2, at)
                    and (encoding is None or encoding.lower() in ("utf-8", "utf8"))):
                to_expat(data[m.end():])  # sheetData in a comment, not where it belongs, or not UTF-8
                return
            prefix = (m[1] or b"").decode()
            sheet_rows.tokens = _tokens(prefix, tuple(declared))
            mode[0] = "fast"
            parser.StartElementHandler, parser.EndElementHandler = start, end
            sheet_rows.close = f"</{prefix}:row>".encode() if prefix else b"</row>"
            data = data[m.end():]
        if chunk is None:  # </sheetData> and what follows it
            to_expat(data)
            return
        cut = data.rfind(sheet_rows.close)
        if cut < 0:
            if len(data) > FAST_HOLD:
                to_expat(data)
            else:
                held[0] = data
            return
        cut += len(sheet_rows.close)
        piece, held[0] = data[:cut], data[cut:]
        row, count, elements = where()
        try:
            got, row, nrows, count, elements, lines = sheet_rows.read(piece, row, state["rows"], count, elements)
        except (_Unusual, XlsxError, ValueError, IndexError):
            to_expat(piece + held[0])
            return
        moved(row, count, elements)
        state["rows"] = nrows
        rows.extend(got)
        fed[1] = fed[0]
        push.lines[0] += lines

    push.lines = [0]
    return push


def check_package(data: bytes, max_inflated: int, what: str = "the file", kind: str = ".xlsx workbook") -> None:
    """Refuse an Office package (.xlsx, .docx) that is a zip bomb in any part, before anything is
    inflated: the sizes its members declare (which bound what zipfile will inflate) summed over every
    member (styles.xml, numbering.xml, media: not only the main part), and each large member's ratio.
    Raises XlsxError with one line."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            members = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxError(f"not a readable {kind} (not a zip file: {str(exc)[:60]})") from None
    if len(members) > 10_000:
        raise XlsxError(f"{what} holds {len(members):,} parts: refused")
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise XlsxError(f"{what}: {m.filename[:60]} inflates more than {MAX_RATIO} times its size: refused "
                            "(a zip bomb)")
    if total > max_inflated:
        raise XlsxError(f"{what} would inflate to {total:,} bytes, past {max_inflated:,}: refused (a zip bomb)")
