"""A CSV register or submissions sheet read as a stream of (line, cells): the delimiter told by the
header, UTF-8 checked, a quote never closed refused; the text is decoded as it is read, never held
whole (a million-row sheet). Part of intake's reading (intake.open_sheet)."""
from __future__ import annotations

import csv
import io

from dvcq.core.messages import Said  # a reader's reason, said in the run's language where it is printed


class CsvError(ValueError):
    """A CSV that cannot be read: `line` (1-based, 0: the whole file) and what is wrong."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(message)


def csv_grid(data: bytes, header_match, scan: int, max_rows: int):
    """(line, cells) of each CSV record, decoded and read as it goes (the text is never held whole).
    The delimiter is the one under which `header_match` finds a header in the first `scan` lines.
    Raises CsvError, at once for the file's first lines, else when the record is reached."""
    import codecs

    try:  # the first lines now (a file that is not UTF-8 is told so at once), the rest as it is read
        head_text = codecs.getincrementaldecoder("utf-8-sig")().decode(data[:80_000], final=len(data) <= 80_000)
    except UnicodeDecodeError:
        _decoded(data)  # raises, naming the line
        raise
    head = head_text[:20000].splitlines()[:scan]
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t"):  # the one under which a header row is found, with the most columns
        headers = [h for h in map(header_match, csv.reader(head, delimiter=delimiter)) if h]
        score = max((len(h[1]) for h in headers), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if data.count(b'"') % 2:  # a quote never closed swallows every line after it into one cell: refused
        text = _decoded(data)
        opened = _open_quote(text, best)
        if opened:
            line = text.count("\n", 0, opened - 1) + 1
            raise CsvError(line, Said("csv.open_quote"))
    return _csv_records(data, best, max_rows)


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CsvError(line, Said("csv.not_utf8")) from None


def _csv_records(data: bytes, delimiter: str, max_rows: int):
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    i = 0
    try:
        for i, row in enumerate(reader, start=1):
            if i > max_rows:
                raise CsvError(i, Said("csv.rows", most=max_rows))
            yield i, row
    except csv.Error as exc:
        raise CsvError(reader.line_num, Said("csv.unreadable", why=str(exc))) from None
    except UnicodeDecodeError:
        _decoded(data)  # names the line
        raise


def _open_quote(text: str, delimiter: str) -> int:
    """Where a quoted cell that is never closed begins (1-based), or 0 (csv in its lenient mode reads such a
    cell to the end of the file without a word)."""
    inside, start, at_cell_start = False, 0, True
    for i, ch in enumerate(text):
        if inside:
            if ch == '"':
                inside = False  # a doubled "" re-enters at the next character
                at_cell_start = False
        elif ch == '"' and at_cell_start:
            inside, start = True, i
        else:
            at_cell_start = ch in (delimiter, "\n", "\r")
    return start + 1 if inside else 0
