"""The first sheet of an .xlsx read by dvcq itself: streamed, and bounded by what is read.

openpyxl trusts the file: its `<dimension>` (a stale one hides rows), its sizes (a 10 MB file that
inflates to 10 GB took 139 s and 20 GB of memory). Here every part is inflated through a counter
(refused past `max_inflated` bytes in all), rows and cells are counted as they are read (refused past
`max_rows`, `max_cells`), the XML is read by expat as it streams with any DOCTYPE refused (no entity
can expand, no external one can be fetched), and a bad cell reference or shared-string index is one
located error. Rows and shared strings are read by compiled regexes where they are laid out as
spreadsheet programs write them, and by expat wherever anything else is (dvcq.documents.xlsxrows). Dates are the cells whose style is a date format, written dd/mm/yyyy as openpyxl did.
"""
from __future__ import annotations

import collections
import contextlib
import re
import zipfile
from pathlib import PurePosixPath

from dvcq.core.messages import Said  # a reader's reason, said in the run's language where it is printed
from dvcq.documents.xlsxrows import (SHEET_DATA, SST, SheetRows, StringsReader, XlsxError, _column, _value,
                                     fast_push)

CHUNK = 1 << 16
MAX_TOKEN = 4_000_000  # bytes fed with no element begun or ended
MAX_RATIO, RATIO_FROM = 100, 16_000_000  # a real sheet's XML deflates 10 to 40 times
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
_DATE_IDS = set(range(14, 23)) | {27, 30, 36, 45, 46, 47, 50, 57}
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class _Budget:
    def __init__(self, limit: int):
        self.left = limit
        self.limit = limit

    def take(self, n: int, part: str) -> None:
        self.left -= n
        if self.left < 0:
            raise XlsxError(Said("xlsx.inflates_past", part=part, most=self.limit))


def _parse(book: zipfile.ZipFile, name: str, budget: _Budget, start, end=None, text=None,
           max_elements: int = 1_000_000, fast=None) -> None:
    """Stream the part `name` through expat, calling start(tag, attrs), end(tag) and text(data)
    with tags stripped of their namespace; a DOCTYPE is refused."""
    collections.deque(_feed(book, name, budget, start, end, text, max_elements, fast), maxlen=0)  # run it through


def _feed(book: zipfile.ZipFile, name: str, budget: _Budget, start, end=None, text=None,
          max_elements: int = 1_000_000, fast=None):
    """As _parse, pausing (yielding None) after each piece inflated: the caller takes what the
    callbacks gathered so far, and the part is never held whole. `fast(parser, fed)`, if given,
    makes the function each piece is given to instead of expat (a fast reader: below)."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def doctype(*_):
        raise XlsxError(Said("xlsx.doctype", name=name))

    fed = [0, 0]  # bytes given to expat; bytes given when it last said anything

    elements = [0]
    if start is None:  # `end` makes the handlers itself, given `fed` (each sets fed[1] = fed[0]): the sheet's hot path
        start, end, text, fast = end(fed)  # and the fast reader's factory, which shares their state

    def started(tag, attrs):
        fed[1] = fed[0]
        elements[0] += 1
        if elements[0] > max_elements:
            raise XlsxError(Said("xlsx.elements", name=name, most=max_elements))
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
        raise XlsxError(Said("xlsx.would_inflate", name=name, size=member.file_size, most=budget.limit))
    if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
        raise XlsxError(Said("xlsx.ratio", name=name, ratio=MAX_RATIO))
    push = fast(parser, fed) if fast else None  # the bytes go through it; it gives expat what it does not read
    try:
        with book.open(name) as fh:
            while chunk := fh.read(CHUNK):
                budget.take(len(chunk), name)
                fed[0] += len(chunk)
                if fed[0] > RATIO_FROM and fed[0] > MAX_RATIO * max(member.compress_size, 1):
                    raise XlsxError(Said("xlsx.ratio", name=name, ratio=MAX_RATIO))
                if push:
                    push(chunk)
                else:
                    parser.Parse(chunk, False)
                yield
                if fed[0] - fed[1] > MAX_TOKEN:
                    # one comment, attribute or tag this long is no spreadsheet's; expat reads such a
                    # token again with every piece fed, so it is refused before it costs minutes
                    raise XlsxError(Said("xlsx.token", name=name, most=MAX_TOKEN))
            if push:
                push(None)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        line = exc.lineno + (push.lines[0] if push else 0)  # the lines of the rows expat never saw
        raise XlsxError(Said("xlsx.not_xml", name=name, why=xml.parsers.expat.ErrorString(exc.code), line=line)) from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise XlsxError(Said("xlsx.cannot_inflate", name=name, why=f"{type(exc).__name__}: {str(exc)[:80]}")) from None


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
    raise XlsxError(Said("xlsx.no_sheet"))


def _shared_strings(book: zipfile.ZipFile, budget: _Budget, max_cells: int, fast: bool = True) -> list[str]:
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
                raise XlsxError(Said("xlsx.strings", most=max_cells))
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] -= 1
        elif tag == "t":
            state["t"] = False

    def text(data):
        if state["t"]:
            state["parts"].append(data)

    def quick(parser, fed):
        return fast_push(parser, fed, StringsReader(out, max_cells), SST, 1)

    _parse(book, "xl/sharedStrings.xml", budget, start, end, text, max_elements=4 * max_cells, fast=quick if fast else None)
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


def read_first_sheet(data: bytes, max_rows: int, max_cells: int, max_inflated: int,
                     fast: bool = True) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of the first worksheet, every row the XML holds whatever its
    <dimension> says. Raises XlsxError."""
    return list(iter_first_sheet(data, max_rows, max_cells, max_inflated, fast))


def iter_first_sheet(data: bytes, max_rows: int, max_cells: int, max_inflated: int, fast: bool = True):
    """As read_first_sheet, row by row as the sheet is inflated (the workbook's shared strings and
    styles are read first); a limit passed raises XlsxError when it is reached. `fast`: rows and shared
    strings laid out as most writers do are read by the fast reader (below); False has expat read
    every element (the tests compare the two)."""
    import io

    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxError(Said("xlsx.not_zip", kind=Said("xlsx.kind_workbook"), why=str(exc)[:60])) from None
    budget = _Budget(max_inflated)
    with book:
        sheet = _first_sheet(book, budget)
        strings = _shared_strings(book, budget, max_cells, fast)
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
                    raise XlsxError(Said("xlsx.elements", name=sheet, most=limit))
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
                                raise XlsxError(Said("xlsx.bad_ref", sheet=sheet, ref=ref[:20]), row)
                            col = columns[m[1]] = _column(m[1])
                    next_col = col + 1
                    count += 1
                    if count > max_cells:
                        raise XlsxError(Said("xlsx.cells", most=max_cells), row)
                    kind, style, parts = a.get("t", "n"), a.get("s"), []
                elif local == "row":
                    r = a.get("r")
                    number = row + 1
                    if r is not None:
                        if not (r.isascii() and r.isdigit()) or not 0 < int(r) <= max_rows:
                            raise XlsxError(Said("xlsx.bad_row", sheet=sheet, number=r[:20]), row)
                        number = int(r)
                    if state["rows"] >= max_rows:
                        raise XlsxError(Said("xlsx.rows", most=max_rows), number)
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
                        raise XlsxError(Said("xlsx.cell_outside", sheet=sheet), row)
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

            def quick(parser, fed):
                reader = SheetRows(sheet, strings, dates, columns, max_rows, max_cells, limit, where, moved, state, rows)
                return fast_push(parser, fed, reader, SHEET_DATA, 2)

            start.raw = True
            return start, end, text, (quick if fast else None)

        parser_text: list = [None]  # the text of a <v> or <t> in a cell goes to this list
        state = {"rows": 0}
        for _ in _feed(book, sheet, budget, None, handlers, None, max_elements=limit):
            if rows:
                yield from rows
                rows.clear()
        yield from rows


def check_package(data: bytes, max_inflated: int, what: str | None = None, kind: str | None = None) -> None:
    """Refuse an Office package (.xlsx, .docx) that is a zip bomb in any part, before anything is
    inflated: the sizes its members declare (which bound what zipfile will inflate) summed over every
    member (styles.xml, numbering.xml, media: not only the main part), and each large member's ratio.
    Raises XlsxError with one line. `what` names the file (default "the file"), `kind` what it should be
    (default "a .xlsx workbook"): a text, or a Said."""
    import io

    what = Said("xlsx.the_file") if what is None else what
    kind = Said("xlsx.kind_workbook") if kind is None else kind

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            members = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxError(Said("xlsx.not_zip", kind=kind, why=str(exc)[:60])) from None
    if len(members) > 10_000:
        raise XlsxError(Said("xlsx.parts", what=what, count=len(members)))
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise XlsxError(Said("xlsx.member_ratio", what=what, name=m.filename[:60], ratio=MAX_RATIO))
    if total > max_inflated:
        raise XlsxError(Said("xlsx.total", what=what, size=total, most=max_inflated))
