"""The scorecard as a workbook (.xlsx) a Sở Nội vụ files and prints."""
from __future__ import annotations

from dvcq.core.messages import say, words


def scorecard_xlsx(found, lang: str) -> bytes:
    """A workbook a Sở Nội vụ can file: a sheet per plan (units, worst first) and one listing every
    obligation counted; header row, frozen panes, dates as dates, rates as percentages."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head_style = (Font(bold=True), PatternFill("solid", fgColor="DDE6F0"), Alignment(wrap_text=True, vertical="top"))
    book = Workbook()
    book.remove(book.active)

    def sheet(title, header, rows, widths, formats):
        ws = book.create_sheet(title[:31])
        ws.append(list(header))
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = head_style
        ws.row_dimensions[1].height = 32  # two lines: wrapped headers stay inside their row
        for row in rows:
            ws.append(list(row))
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
            if formats.get(col):
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = formats[col]
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = ws.dimensions
        # printed as filed: A4 landscape, every column on the page, the header on each page
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = "1:1"
        return ws

    for plan, cards, _ in found.plans:
        sheet(plan.id, words(lang, "scorecard.head"),
              [(c.name, c.unit, c.owed, c.on_time, c.late, c.days_late, c.missing, c.on_time_rate, c.tasks)
               for c in cards],
              (42, 24, 10, 10, 8, 12, 10, 14, 12), {8: "0%"})
    detail_head = words(lang, "scorecard.detail_head")
    details = [(plan.id, c.name, d.title, d.period, d.effective_due, on, (on - d.effective_due).days if on else None)
               for plan, cards, _ in found.plans for c in cards for d, on in c.items]
    sheet(say(lang, "scorecard.details"), detail_head, details, (14, 42, 30, 10, 14, 14, 12),
          {5: "DD/MM/YYYY", 6: "DD/MM/YYYY"})
    info = book.create_sheet(say(lang, "scorecard.about"))
    info.append([say(lang, "scorecard.year"), found.year])
    info.append([say(lang, "scorecard.as_of"), found.as_of])
    info["B2"].number_format = "DD/MM/YYYY"
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
