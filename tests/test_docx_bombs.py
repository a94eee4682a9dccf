"""Issue 22: a .docx is refused before anything is inflated when any of its parts is a bomb, not only
its text (styles.xml inflating to gigabytes was read whole), and when its text part is far larger
than any plan (190 MB of text in a 772 KB file took 3.5 GB and minutes)."""
from __future__ import annotations

import resource
import time
import zipfile

import pytest

from dvcq.core.errors import DvcqError
from dvcq.documents.draft import read_document

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
DOCUMENT = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo năm gửi trước ngày 15/12/2025.</w:t></w:r>'
            '</w:p></w:body></w:document>')


def bomb(path, part: str, megabytes: int) -> None:
    """A .docx whose `part` inflates to `megabytes` MB of one repeated byte, written in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        if part != "word/document.xml":
            z.writestr("word/document.xml", DOCUMENT)
        with z.open(part, "w", force_zip64=True) as out:
            chunk = b"<w:t>" + b"a" * (1024 * 1024 - 11) + b"</w:t>"
            for _ in range(megabytes):
                out.write(chunk)


@pytest.mark.parametrize("part", ["word/styles.xml", "word/document.xml", "word/numbering.xml"])
def test_a_docx_bomb_in_any_part_is_refused_quickly_in_one_line(tmp_path, part):
    path = tmp_path / "kehoach.docx"
    bomb(path, part, 300)
    assert path.stat().st_size < 2_000_000  # 300 MB inflated from a small file
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(DvcqError) as err:
        read_document(path)
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # kB: under 200 MB more
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "refused" in message


def test_a_docx_that_is_not_a_bomb_is_still_read(tmp_path):
    path = tmp_path / "kehoach.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", DOCUMENT)
    try:
        text = read_document(path)
    except DvcqError as exc:  # python-docx wants more parts than this minimal package: still one line
        assert "\n" not in str(exc) and "zip bomb" not in str(exc)
    else:
        assert "15/12/2025" in text


def test_a_pdf_of_99000_pages_is_refused_from_its_page_count(tmp_path):
    """Issue 22: a 99,000-page PDF took 35 s; it is refused in one line, quickly."""
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for _ in range(99_000):
        writer.add_blank_page(width=72, height=72)
    path = tmp_path / "kehoach.pdf"
    with open(path, "wb") as out:
        writer.write(out)
    started = time.perf_counter()
    with pytest.raises(DvcqError) as err:
        read_document(path)
    assert time.perf_counter() - started < 5
    assert "99,000 pages" in str(err.value) and "\n" not in str(err.value)
