"""Text from inputs, neutralised where it is output (issue 22).

A unit's name or a note typed into a register ends up in CSV files and workbooks opened in Excel
or LibreOffice, and on a terminal. OWASP's CSV-injection rule: a cell that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return is a formula to a spreadsheet, so such text is written as text
(CSV: prefixed with a single quote; .xlsx: stored as a string, never as a formula). On a terminal,
control characters (an ESC that starts a sequence which retitles the window, moves the cursor or
hides what follows) are shown escaped, `\\x1b`, never sent as they are."""
from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls but tab and newline, DEL, and the C1 controls (CSI U+009B alone starts a sequence)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def csv_cell(value):
    """A CSV cell's value: text that a spreadsheet would take for a formula gets a leading quote;
    numbers (a negative number of days is a number, not a formula) and everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def no_formulas(sheet) -> None:
    """Every cell of an openpyxl worksheet that openpyxl took for a formula (text beginning with
    `=`) is stored as the text it was: dvcq writes no formula of its own."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def printable(text: str) -> str:
    """`text` with every control character but tab and newline shown as an escape (\\x1b, \\r)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: {"\r": "\\r"}.get(m[0], f"\\x{ord(m[0]):02x}"), text)


def escaping_console(console):
    """`console` (a Rich Console on a terminal) made to escape the control characters in what it is
    given to draw; its own colour and layout sequences are not touched."""
    from rich.segment import Segment

    draw = console._render_buffer

    def render_buffer(buffer):
        return draw(Segment(printable(s.text), s.style, s.control) if not s.control else s for s in buffer)
    console._render_buffer = render_buffer
    return console


def as_bytes(body, width: int = 120) -> bytes:
    """A command's answer as the bytes --output writes: text as UTF-8 (CSV keeps its CRLF), bytes
    as they are, a drawing on a plain Rich console `width` columns wide."""
    if isinstance(body, bytes):
        return body
    if callable(body):
        import io

        from rich.console import Console

        buffer = io.StringIO()
        body(Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False, force_terminal=False))
        return buffer.getvalue().encode("utf-8")
    return body.encode("utf-8")
