"""Reading files: a plan document (.txt, .docx, .pdf) as text, bounded in size."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from dvcq.core.errors import DvcqError, PlanError
from dvcq.planfiles.files import read_capped


MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # refuse bigger files without reading them
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # a .docx is a zip: refuse one whose text part inflates past this
MIN_TEXT_LETTERS = 20  # a PDF whose text layer has fewer letters than this has none worth reading
SCHEMA_LINE = "# yaml-language-server: $schema=../dvcq/data/plan.schema.json"
PLAN_YEARS = (1990, 2100)  # the years a plan file may list (dvcq.planfiles.loader)

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
