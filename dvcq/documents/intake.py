"""Reading a register export (sổ văn bản đến) or a submissions sheet, and matching its rows.

Officials log every incoming document in the province's document system, which exports CSV or Excel.
This module reads such a file (`read_sheet`), reads its date cells (`parse_date_cell`), tells which
reporting unit a "Cơ quan ban hành" names (`match_unit`) and which report and period a "Trích yếu"
describes (`read_subject`). Importing the rows into the ledger is not done here.

Pure functions plus file readers. openpyxl and rapidfuzz are imported inside the functions that need
them, so `import dvcq.documents.intake` stays cheap; neither is a dependency in pyproject.toml yet (install them:
`pip install openpyxl rapidfuzz`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from dvcq.core.errors import PlanError
from dvcq.core.messages import Said
from dvcq.planfiles.files import UNITS_LIMIT, read_capped
from dvcq.core.text import fold  # 'Sở Tài chính' -> 'so tai chinh': the one accent-folding

MAX_SHEET_BYTES = 64_000_000  # a year's register is a few MB; anything this big is not one
MAX_ROWS = 1_048_576  # Excel's own limit: a sheet with more rows is not an export of one
MAX_CELLS = 20_000_000  # cells read from one sheet (a register has ~10 columns)
MAX_INFLATED = 400_000_000  # bytes of XML an .xlsx may inflate to while it is read

__all__ = [
    "IntakeError", "Row", "Sheet", "read_sheet", "parse_date_cell",
    "UnitRef", "read_units", "match_unit", "Subject", "read_subject", "fold",
]


class IntakeError(ValueError):
    """A file or a row that cannot be read. `row` is 1-based as a spreadsheet shows it (the header is
    row 1 unless title rows precede it); 0 means the whole file. `column` names the column, '' if none."""

    def __init__(self, file: str | Path, row: int, column: str, message: str):
        self.file, self.row, self.column, self.message = str(file), row, column, message
        at = ("cell" if column else "row") if row else ("column" if column else "file")
        self.said = Said(f"intake.at_{at}", file=self.file, row=row, column=column, message=message)
        super().__init__(str(self.said))  # English; `said` in any language (message may be a Said)


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _q(value, limit: int = 40) -> str:
    """A cell as an error message quotes it: in quotes, control characters escaped, at most `limit`
    characters (a 10,000-character cell, or a file that is not a register, is not echoed whole)."""
    text = str(value)  # repr shows a control character escaped ('\x1b'), never raw
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --------------------------------------------------------------------------------------------------
# Sheets

@dataclass(frozen=True)
class Row:
    number: int              # as a spreadsheet shows it: the header row's number + 1, ...
    cells: dict[str, str]    # raw cells (stripped text) by canonical column name


@dataclass(frozen=True)
class Sheet:
    kind: str                # "submissions" | "register"
    rows: tuple[Row, ...]    # (open_sheet: an iterator, read once, each row read as it is reached)
    columns: tuple[str, ...]  # canonical names of the columns found, in the file's order


# canonical column -> headers as written (folded: no marks, lower case, single spaces, no punctuation)
_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "register": {
        "number": ("so den", "so van ban den", "so thu tu den", "incoming number", "number", "no"),
        "received_on": ("ngay den", "ngay nhan", "ngay thang den", "received on", "date received", "received"),
        "sender": ("co quan ban hanh", "noi gui", "tac gia", "noi ban hanh", "co quan gui", "don vi gui",
                   "sender", "from"),
        "reference": ("so ky hieu", "so va ky hieu", "ky hieu", "so hieu", "reference", "ref"),
        "document_date": ("ngay van ban", "ngay ky", "ngay ban hanh", "ngay thang van ban", "ngay thang nam van ban",
                          "document date", "dated"),
        "subject": ("trich yeu", "trich yeu noi dung", "noi dung", "ten loai va trich yeu noi dung", "subject"),
        "note": ("ghi chu", "note", "notes"),
        "handler": ("nguoi xu ly", "don vi xu ly", "don vi nguoi xu ly", "nguoi nhan", "don vi nhan", "handler"),
    },
    "submissions": {
        "unit": ("don vi", "don vi bao cao", "unit"),
        "report": ("bao cao", "loai bao cao", "report"),
        "period": ("ky", "ky bao cao", "period"),
        "sent_on": ("ngay gui", "date sent", "sent on", "sent"),
        "note": ("ghi chu", "note", "notes"),
    },
}
_REQUIRED = {
    "register": ("number", "received_on", "sender", "reference", "document_date", "subject"),
    "submissions": ("unit", "report", "period", "sent_on"),
}
# how the error message names a missing column
_SHOWN = {"number": "Số đến", "received_on": "Ngày đến", "sender": "Cơ quan ban hành", "reference": "Số ký hiệu",
          "document_date": "Ngày văn bản", "subject": "Trích yếu", "unit": "Đơn vị", "report": "Báo cáo",
          "period": "Kỳ", "sent_on": "Ngày gửi"}
_HEADER_INDEX = {kind: {h: col for col, hs in cols.items() for h in hs} for kind, cols in _HEADERS.items()}
_HEADER_SCAN = 20  # title rows the header may sit under


def _header_key(cell: str) -> str:
    text = re.sub(r"\(\s*\d+\s*\)|\*", " ", fold(cell))  # "Số đến (1)", "Trích yếu *"
    return " ".join(_NOT_WORD.split(text)).strip()


def _header_match(cells: Sequence[str]) -> tuple[str, dict[int, str]] | None:
    """The sheet kind and {position: canonical column} when `cells` look like a header row."""
    keys = [_header_key(c) for c in cells]
    best = None
    for kind, index in _HEADER_INDEX.items():
        found: dict[int, str] = {}
        for i, k in enumerate(keys):
            col = index.get(k)
            if col and col not in found.values():
                found[i] = col
        required = sum(1 for c in found.values() if c in _REQUIRED[kind])
        if required >= 2 and (best is None or required > best[0]):
            best = (required, kind, found)
    return (best[1], best[2]) if best else None


def _is_numbering_row(cells: Sequence[str]) -> bool:
    """The '(1) (2) (3) ...' row many registers print under the header."""
    filled = [c.strip() for c in cells if c.strip()]
    return len(filled) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in filled)


def _sheet_from_grid(path: Path, grid: Iterable[tuple[int, list[str]]]) -> Sheet:
    """The header found in the first rows of `grid` (an iterator: read as it goes), and the rows
    under it as a lazy iterator of Rows; an unreadable row raises IntakeError when it is reached."""
    grid = iter(grid)
    head: list[tuple[int, list[str]]] = []
    header = None
    for number, cells in grid:
        head.append((number, cells))
        header = _header_match(cells)
        if header or len(head) >= _HEADER_SCAN:
            break
    if header is None:
        raise IntakeError(path, 1, "", Said("intake.no_header"))
    kind, found = header
    header_number, header_cells = head[-1]
    present = set(found.values())
    for col in _REQUIRED[kind]:
        if col not in present:
            raise IntakeError(path, header_number, col, Said("intake.missing_column", shown=_SHOWN[col], column=col,
                                                            found=", ".join(_q(header_cells[i].strip()) for i in sorted(found))))
    order = sorted(found)
    return Sheet(kind, _body(grid, found, order), tuple(found[i] for i in order))


def _body(grid, found: dict[int, str], order: list[int]):
    """The rows under the header, one Row each as it is read (a '(1) (2) ...' row first is skipped,
    as are empty rows)."""
    names = [(i, found[i]) for i in order]
    first = True
    for number, cells in grid:
        if first:
            first = False
            if _is_numbering_row(cells):
                continue
        if not "".join(cells).strip():  # as any(c.strip() for c in cells), without a generator a row
            continue
        width = len(cells)
        yield Row(number, {name: (cells[i].strip() if i < width else "") for i, name in names})


def _xlsx_grid(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet, read by dvcq.documents.xlsx: streamed, bounded by rows, cells and bytes
    inflated, every row the XML holds (not what its <dimension> says), DOCTYPEs refused."""
    from dvcq.documents.xlsx import XlsxError, check_package, iter_first_sheet

    try:
        check_package(data, MAX_INFLATED, Said("xlsx.the_workbook"))  # every part, before a byte is inflated
        rows = iter_first_sheet(data, MAX_ROWS, MAX_CELLS, MAX_INFLATED)
        first = next(rows, None)  # the workbook's own parts are read, and refused, here
    except XlsxError as exc:
        raise IntakeError(path, exc.row, "", exc.message) from None
    return _told(path, rows, XlsxError, "row", first)


def _csv_grid(path: Path, data: bytes):
    """The records of a CSV (dvcq.documents.csvsheet), each read as it is reached."""
    from dvcq.documents.csvsheet import CsvError, csv_grid

    try:
        rows = csv_grid(data, _header_match, _HEADER_SCAN, MAX_ROWS)
    except CsvError as exc:
        raise IntakeError(path, exc.line, "", exc.message) from None
    return _told(path, rows, CsvError, "line")


def _told(path: Path, rows, error, where: str, first=None):
    """`rows` as they come, a reader's `error` raised as an IntakeError naming the file and row."""
    try:
        if first is not None:
            yield first
        yield from rows
    except error as exc:
        raise IntakeError(path, getattr(exc, where), "", getattr(exc, "message", str(exc))) from None


def read_sheet(path: Path) -> Sheet:
    """A register export or a submissions sheet, .csv (UTF-8, BOM or not; comma, semicolon or tab) or
    .xlsx (first sheet). The header row is found under any title rows ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" ...),
    Vietnamese or English; a '(1) (2) ...' numbering row under it is skipped, as are empty rows.
    Raises IntakeError when the file is unreadable or a required column is missing."""
    sheet = open_sheet(path)
    return Sheet(sheet.kind, tuple(sheet.rows), sheet.columns)


def open_sheet(path: Path) -> Sheet:
    """As read_sheet, but its rows are an iterator, each row read from the file as it is reached
    (a row that cannot be read raises IntakeError then): a million-row sheet is never held whole."""
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".csv": _csv_grid, ".txt": _csv_grid, ".xlsx": _xlsx_grid, ".xlsm": _xlsx_grid}
    if suffix not in readers:
        raise IntakeError(path, 0, "", Said("intake.suffix", suffix=suffix or Said("intake.no_suffix")))
    try:  # bounded by what is read, regular files only (a FIFO or a device is refused at once)
        data = read_capped(path, MAX_SHEET_BYTES)
    except PlanError as exc:
        raise IntakeError(path, 0, "", exc.problems[0].as_said()) from None
    grid = readers[suffix](path, data)
    return _sheet_from_grid(path, grid)


# --------------------------------------------------------------------------------------------------
# Dates

_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?:[ T,]+\d{1,2}[:h]\d{2}(?::\d{2})?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date_cell(text_or_date, row: int, column: str, file: str) -> dt.date:
    """dd/mm/yyyy, d/m/yy (20yy), dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd (a time after any of them is
    ignored), a date or datetime (Excel date cells), or an Excel serial number. Raises IntakeError
    naming the file, row and column for anything else, and for days that do not exist (31/4/2024)."""
    value = text_or_date
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value, str(value), row, column, file)
    text = "" if value is None else str(value).strip()
    if not text:
        raise IntakeError(file, row, column, Said("intake.empty_date"))
    m = _DMY.fullmatch(text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        y = y + 2000 if len(m[3]) == 2 else y
    else:
        m = _YMD.fullmatch(text)
        if m:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        elif re.fullmatch(r"\d{5}(\.0+)?", text):
            return _serial(float(text), text, row, column, file)
        else:
            raise IntakeError(file, row, column, Said("intake.not_a_date", text=_q(text)))
    if not 1 <= mo <= 12:
        raise IntakeError(file, row, column, Said("intake.no_month", text=_q(text), month=mo))
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        raise IntakeError(file, row, column, Said("intake.month_days", text=_q(text), month_name=Said(f"month.{mo}"),
                                                  year=y, last=last))
    if not 1990 <= y <= 2100:
        raise IntakeError(file, row, column, Said("intake.year_implausible", text=_q(text), year=y))
    return dt.date(y, mo, d)


def _serial(number: float, text: str, row: int, column: str, file: str) -> dt.date:
    if not 32874 <= number < 73051:  # 1990-01-01 .. 2100-01-01
        raise IntakeError(file, row, column, Said("intake.not_a_date_plain", text=_q(text)))
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


# --------------------------------------------------------------------------------------------------
# Units

@dataclass(frozen=True)
class UnitRef:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


def read_units(path: Path) -> tuple[UnitRef, ...]:
    """The units of a units file (plans/units/*.yaml): id, name and aliases of each."""
    import yaml

    doc = yaml.safe_load(read_capped(path, UNITS_LIMIT).decode("utf-8")) or {}
    return tuple(UnitRef(str(u["id"]), str(u.get("name") or u["id"]), tuple(str(a) for a in u.get("aliases") or ()))
                 for u in doc.get("units") or ())


# The provinces and centrally-run cities, 2024 (63) and after 01/7/2025 (those kept are among them).
PROVINCES = (
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang",
    "Lào Cai", "Điện Biên", "Lai Châu", "Sơn La", "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh",
    "Bắc Giang", "Phú Thọ", "Vĩnh Phúc", "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định",
    "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Huế",
    "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum",
    "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai",
    "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang",
    "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "HCM",
)

# Bodies a province's register often names that are not reporting units: a text closer to one of these
# than to any unit is not matched ("Sở Nội vụ" must never become "Sở Ngoại vụ"). Those that are units
# of the given list (by their key) are dropped from this list.
KNOWN_BODIES = (
    "Sở Nội vụ", "Sở Ngoại vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường", "Sở Giao thông vận tải",
    "Sở Xây dựng", "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Ban Dân tộc tỉnh", "UBND tỉnh", "HĐND tỉnh", "Tỉnh ủy", "Văn phòng Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ban Nội chính Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy", "Ủy ban MTTQ Việt Nam tỉnh", "Bộ Nội vụ", "Công an tỉnh", "Bộ Chỉ huy quân sự tỉnh",
    "Ban Thi đua - Khen thưởng", "Ban Tôn giáo", "Ban Dân vận",
)


def _unit_tokens(text: str) -> list[str]:
    s = fold(text).replace("&", " va ")
    s = re.sub(r"\bt\s*\.\s*p\b", " tp ", s)      # T.P, t. p
    s = re.sub(r"\bh\s*\.", " huyen ", s)          # H. Đại Từ
    s = re.sub(r"\bu\s*\.\s*b\s*\.\s*n\s*\.\s*d\b", " ubnd ", s)
    out: list[str] = []
    for tok in _NOT_WORD.split(s):
        if not tok or tok == "va":
            continue
        if tok == "tp":
            out += ["thanh", "pho"]
        elif tok == "tx":
            out += ["thi", "xa"]
        elif tok in ("ub", "ubnd"):
            out.append("ubnd")
        else:
            out.append(tok)
    return out


_PHRASES = ((" uy ban nhan dan ", " ubnd "), (" uy ban nd ", " ubnd "))
_LOCAL_LEVEL = ("huyen", "thanh pho", "thi xa", "quan", "xa", "phuong", "thi tran")


def _unit_key(text: str, province: str) -> str:
    """'UBND TP. Thái Nguyên' -> 'thanh pho thai nguyen'; 'Sở Tài chính tỉnh Thái Nguyên' -> 'so tai chinh'."""
    s = f" {' '.join(_unit_tokens(text))} "
    for a, b in _PHRASES:
        s = s.replace(a, b)
    s = s.strip()
    while True:  # "... Thái Nguyên tỉnh Thái Nguyên" loses both
        before = s
        if province and s.endswith(f" tinh {province}"):
            s = s[: -len(province) - 6]
        elif province and s.endswith(f" {province}") and not s.endswith(f"thanh pho {province}"):
            s = s[: -len(province) - 1]
        elif s.endswith(" tinh"):
            s = s[:-5]
        if s == before:
            break
    for level in _LOCAL_LEVEL:
        if s.startswith(f"ubnd {level} "):
            s = s[5:]
            break
    return s


def _acronym(key: str) -> str | None:
    """'so giao duc dao tao' -> 'so gddt': the initials registers write for a sở ('Sở GD&ĐT')."""
    toks = key.split()
    if len(toks) >= 3 and toks[0] == "so":
        return "so " + "".join(t[0] for t in toks[1:])
    return None


def _as_acronym(key: str) -> str | None:
    """'so gd dt' -> 'so gddt' when the words after 'so' are all initials-like."""
    toks = key.split()
    if len(toks) >= 2 and toks[0] == "so" and all(len(t) <= 6 for t in toks[1:]):
        joined = "".join(toks[1:])
        if 2 <= len(joined) <= 8:
            return "so " + joined
    return None


_DECOY = "\0"
_FUZZY_MIN = 88     # rapidfuzz ratio (0-100) a typo must reach: 'so tai chanh' ~ 'so tai chinh' is 92
_FUZZY_MARGIN = 6   # and by how much it must beat the best other body
_FUZZY_MIN_LEN = 6  # keys shorter than this are never matched fuzzily


class _UnitIndex:
    def __init__(self, units: tuple[UnitRef, ...], province: str):
        self.units = units
        self.province = province
        self.pkey = " ".join(_unit_tokens(province)) if province else ""
        self.exact: dict[str, set[str]] = {}
        self.alias: dict[str, set[str]] = {}
        self.acronyms: dict[str, set[str]] = {}
        for u in units:
            self.exact.setdefault(_unit_key(u.name, self.pkey), set()).add(u.id)
            for a in u.aliases:
                self.alias.setdefault(_unit_key(a, self.pkey), set()).add(u.id)
        for table in (self.exact, self.alias):
            for key, ids in table.items():
                acr = _acronym(key)
                if acr:
                    self.acronyms.setdefault(acr, set()).update(ids)
        own = set(self.exact) | set(self.alias)
        self.decoys = {k for k in (_unit_key(b, self.pkey) for b in KNOWN_BODIES) if k not in own}
        decoy_acronyms = {a for a in map(_acronym, self.decoys) if a and a not in self.acronyms}
        self.decoys |= decoy_acronyms
        # fuzzy choices: every key -> its unit id, or _DECOY
        self.choices: dict[str, str] = {k: _DECOY for k in self.decoys}
        for table in (self.alias, self.exact):
            for key, ids in table.items():
                if len(ids) == 1:
                    self.choices[key] = next(iter(ids))
        inside = " ".join(own)
        others = [p for p in PROVINCES if (k := " ".join(_unit_tokens(p))) != self.pkey and k not in inside]
        self.other_re = re.compile(r"\b(" + "|".join(re.escape(" ".join(_unit_tokens(p))) for p in others) + r")\b")
        self.other_names = {" ".join(_unit_tokens(p)): p for p in others}
        self.results: dict[str, tuple[str | None, str]] = {}

    def match(self, text: str) -> tuple[str | None, str]:
        found = self.results.get(text)
        if found is None:
            if len(self.results) > 100_000:
                self.results.clear()
            found = self.results[text] = self._match(text)
        return found

    def _match(self, text: str) -> tuple[str | None, str]:
        shown = " ".join(text.split())
        key = _unit_key(text, self.pkey)
        if not key:
            return None, Said("intake.how.empty")
        for table, how in ((self.exact, Said("intake.how.exact")), (self.alias, Said("intake.how.alias"))):
            ids = table.get(key)
            if ids:
                return _one(ids, how)
        acr = _as_acronym(key)
        if acr and acr in self.acronyms:
            return _one(self.acronyms[acr], Said("intake.how.abbreviation"))
        m = self.other_re.search(key)
        if m:
            return None, Said("intake.how.other_province", province=self.other_names[m[1]], shown=_q(shown))
        if key in self.decoys or (acr and acr in self.decoys):
            return None, Said("intake.how.decoy", shown=_q(shown))
        if len(key) >= _FUZZY_MIN_LEN:
            try:
                from rapidfuzz import fuzz, process
            except ImportError:
                raise ImportError("dvcq.documents.intake matches misspelt unit names with rapidfuzz: pip install rapidfuzz") from None

            best: dict[str, float] = {}
            for choice, score, _ in process.extract(key, self.choices.keys(), scorer=fuzz.ratio, limit=8,
                                                    score_cutoff=_FUZZY_MIN - _FUZZY_MARGIN):
                uid = self.choices[choice]
                best[uid] = max(best.get(uid, 0.0), score)
            ranked = sorted(best.items(), key=lambda kv: -kv[1])
            if ranked and ranked[0][1] >= _FUZZY_MIN and ranked[0][0] != _DECOY:
                if len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= _FUZZY_MARGIN:
                    return ranked[0][0], Said("intake.how.fuzzy", score=int(ranked[0][1]))
                return None, Said("intake.how.ambiguous", ids=", ".join(sorted(
                    u if u != _DECOY else Said("intake.how.not_a_unit") for u, s in ranked if ranked[0][1] - s < _FUZZY_MARGIN)))
        return None, Said("intake.how.no_unit", shown=_q(shown))


def _one(ids: set[str], how: str) -> tuple[str | None, str]:
    if len(ids) == 1:
        return next(iter(ids)), how
    return None, "ambiguous: " + ", ".join(sorted(ids))


_INDEXES: list[tuple[tuple[UnitRef, ...], str, _UnitIndex]] = []


def _index(units: Sequence[UnitRef], province: str) -> _UnitIndex:
    snapshot = units if isinstance(units, tuple) else tuple(units)
    for cached, prov, index in _INDEXES:
        if prov == province and (cached is snapshot or cached == snapshot):
            return index
    index = _UnitIndex(snapshot, province)
    _INDEXES.insert(0, (snapshot, province, index))
    del _INDEXES[8:]
    return index


def match_unit(text: str, units: Sequence[UnitRef], province: str = "") -> tuple[str | None, str]:
    """Which unit a register's "Cơ quan ban hành" names: (unit id, how) or (None, why not).

    how: "exact" (the unit's name), "alias" (one of its aliases), "abbreviation" ('Sở GD&ĐT' from the
    initials of 'Sở Giáo dục và Đào tạo'), "fuzzy NN" (a typo, rapidfuzz ratio NN >= 88 and well ahead
    of any other body). Why not: "other province (Bắc Kạn): ...", "no unit like '...'", "ambiguous: a, b".
    Accents, case, punctuation and spacing do not count; "UBND" = "Ủy ban nhân dân" = "UB"; "TP" = "T.P"
    = "thành phố"; "H." = "huyện"; "&" = "và"; "tỉnh <province>" or "<province>" after a name is dropped.
    A name that carries another province's name never matches. Results are cached per text."""
    return _index(units, province).match(text)


# --------------------------------------------------------------------------------------------------
# Subjects (trích yếu)

@dataclass(frozen=True)
class Subject:
    every: str | None        # "month" | "quarter" | "half" | "nine-months" | "year"
    period: str | None       # "2024-05", "2024-Q1", "2024-H1", "2024-9M", "2024"
    is_dvcq_report: bool     # one of the periodic dân vận chính quyền reports
    reason: str


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR_TAIL = r"(?:\s*(?:/|-|\.|,|\bnam\b)\s*((?:19|20)\d{2}|\d{2})\b)?"
_PERIOD_RES = (
    ("nine-months", re.compile(r"\b0?9\s?(?:thang|t)\b(?:\s+dau\s+nam)?" + _YEAR_TAIL)),
    ("half", re.compile(r"\b0?6\s?(?:thang|t)\b(?:\s+(dau|cuoi)(?:\s+nam)?)?" + _YEAR_TAIL)),
    ("half", re.compile(r"\bnua\s+(dau|cuoi)\s+nam" + _YEAR_TAIL)),
    ("quarter", re.compile(r"\b(?:quy|q)\s*\.?\s*(iv|iii|ii|i|[1-4])\b" + _YEAR_TAIL)),
    ("month", re.compile(r"\bthang\s*(\d{1,2})\b" + _YEAR_TAIL)),
    ("month", re.compile(r"\bt(\d{1,2})\s*/\s*((?:19|20)\d{2}|\d{2})\b")),
)
_YEAR_RE = re.compile(r"\bnam\s+((?:19|20)\d{2})\b")
_ANY_YEAR = re.compile(r"\b(20\d{2})\b")

# document types, by how a trích yếu begins
_LEADS = (
    (re.compile(r"(?:giay moi|gm)\b"), "giấy mời"),
    (re.compile(r"(?:to trinh|ttr)\b"), "tờ trình"),
    (re.compile(r"(?:quyet dinh|qd)\b"), "quyết định"),
    (re.compile(r"(?:ke hoach|kh)\b"), "kế hoạch"),
    (re.compile(r"(?:thong bao|tb)\b"), "thông báo"),
    (re.compile(r"(?:huong dan|hd)\b"), "hướng dẫn"),
    (re.compile(r"(?:chuong trinh|nghi quyet|chi thi|cong dien|de an|quy che|quy dinh)\b"), "văn bản khác"),
    (re.compile(r"(?:bao cao|bc)\b"), "báo cáo"),
    (re.compile(r"(?:cong van|cv)\b|v\s*/\s*v\b|ve viec\b"), "công văn"),
)
_COVER = re.compile(r"^(?:(?:cong van|cv)\s*)?(?:v\s*/\s*v|ve viec)?\s*(?:gui|nop)?\s*(?:bao cao|bc)\b")
_DV_NOISE = re.compile(r"\bban dan van(?: (?:tinh|huyen|thanh|dang) uy)?\b|\bdan van kheo\b")
_DV = re.compile(r"\bdan van\b|\bdv\s?cq\b")
_TOPICS = (
    (re.compile(r"\bcai cach hanh chinh\b|\bcchc\b"), "cải cách hành chính"),
    (re.compile(r"\bkinh te\s*-?\s*xa hoi\b|\bkt\s*-?\s*xh\b"), "kinh tế - xã hội"),
    (re.compile(r"\bdan chu o co so\b|\bqcdc\b|\bquy che dan chu\b"), "thực hiện dân chủ ở cơ sở"),
    (re.compile(r"\bcong tac dan toc\b|\bchinh sach dan toc\b"), "công tác dân tộc"),
    (re.compile(r"\bton giao\b"), "tôn giáo"),
    (re.compile(r"\bthi dua\b|\bkhen thuong\b"), "thi đua, khen thưởng"),
)


def read_subject(text: str, default_year: int | None = None) -> Subject:
    """What a register's "Trích yếu" says: is it a periodic DVCQ report, and of which period?

    "Báo cáo kết quả thực hiện công tác dân vận chính quyền quý I năm 2024" -> quarter, 2024-Q1;
    "BC DVCQ 6 tháng đầu năm 2024" -> half, 2024-H1; "... 9 tháng năm 2024" -> nine-months, 2024-9M;
    "... năm 2024" -> year, 2024; "BC DVCQ tháng 5/2024" -> month, 2024-05. A year left out is taken
    from `default_year`. Giấy mời, công văn (other than one sending the report: "V/v báo cáo ..."),
    tờ trình, kế hoạch ... and reports on other subjects (CCHC, KT-XH, dân chủ ở cơ sở, the "Dân vận
    khéo" models, thematic reports) are not DVCQ reports. A DVCQ report whose period cannot be read has
    is_dvcq_report True, period None, and the reason says why."""
    return _read_subject(text or "", default_year)


@lru_cache(maxsize=65536)
def _read_subject(text: str, default_year: int | None) -> Subject:
    t = " ".join(fold(text).replace("–", "-").replace("—", "-").split())
    t = re.sub(r"^[\s\"'“”(\[\-:.]+", "", t)
    lead = next(((name, m) for rx, name in _LEADS if (m := rx.match(t))), None)
    cover = False
    if lead is None:
        is_report = bool(re.match(r"(?:ket qua|tinh hinh|so ket|tong ket)\b", t))
        kind = "báo cáo" if is_report else "văn bản"
    else:
        kind = lead[0]
        is_report = kind == "báo cáo"
        if kind == "công văn" and _COVER.match(t):
            is_report = cover = True
    cleaned = _DV_NOISE.sub(" ", t)
    about_dv = bool(_DV.search(cleaned))
    if not is_report:
        return Subject(None, None, False, Said("intake.subject.not_report_dv" if about_dv else "intake.subject.not_report",
                                               kind=kind))
    if not about_dv:
        if re.search(r"\bdan van kheo\b", t):
            return Subject(None, None, False, Said("intake.subject.kheo"))
        topic = next((name for rx, name in _TOPICS if rx.search(t)), None)
        return Subject(None, None, False, Said("intake.subject.topic", topic=topic) if topic else Said("intake.subject.not_dv"))
    if re.search(r"\bchuyen de\b", t):
        return Subject(None, None, False, Said("intake.subject.thematic"))
    what = Said("intake.subject.dvcq_cover") if cover else Said("intake.subject.dvcq")
    body = re.split(r"\b(?:va |, )?phuong huong\b", t, maxsplit=1)[0]
    hit = None
    for every, rx in _PERIOD_RES:
        m = rx.search(body)
        if m and (hit is None or m.start() < hit[1].start()):
            hit = (every, m)
    if hit is None:
        m = _YEAR_RE.search(body)
        if m:
            return Subject("year", m[1], True, what)
        return Subject(None, None, True, Said("intake.subject.no_period", what=what))
    every, m = hit
    groups = m.groups()
    year_text = groups[-1]
    if year_text is None:
        # "quý III và nhiệm vụ quý IV năm 2024": a "năm" further on; else the default; else the last
        # year of the text, as in "quý I (số liệu từ 14/12/2023 đến 13/3/2024)"
        later = _YEAR_RE.search(body, m.end())
        years = _ANY_YEAR.findall(body, m.end())
        year = int(later[1]) if later else default_year if default_year else int(years[-1]) if years else None
        if year is None:
            return Subject(every, None, True, Said("intake.subject.no_year", what=what, words=m[0]))
    else:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    if every == "month":
        month = int(groups[0])
        if not 1 <= month <= 12:
            return Subject(None, None, True, Said("intake.subject.bad_month", what=what, month=month))
        return Subject("month", f"{year}-{month:02d}", True, what)
    if every == "quarter":
        return Subject("quarter", f"{year}-Q{_ROMAN[groups[0]]}", True, what)
    if every == "half":
        return Subject("half", f"{year}-H{2 if groups[0] == 'cuoi' else 1}", True, what)
    return Subject("nine-months", f"{year}-9M", True, what)
