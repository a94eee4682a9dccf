"""The scorecard as a workbook (.xlsx) a Sở Nội vụ files and prints."""
from __future__ import annotations

from dvcq.output.safe import no_formulas
from dvcq.core.messages import say, words


def _status(lang: str, due, sent, as_of) -> tuple[str, int | None]:
    """What became of one report, and the days that go with it: late by (sent late), overdue by
    (not sent, due before the as-of day), none when sent on time. Never a negative count."""
    if sent is None:
        days = (as_of - due).days
        return (say(lang, "scorecard.status.missing"), days) if days > 0 else (say(lang, "scorecard.status.not_yet"), None)
    days = (sent - due).days
    return (say(lang, "scorecard.status.late"), days) if days > 0 else (say(lang, "scorecard.status.on_time"), None)


def scorecard_xlsx(found, lang: str) -> bytes:
    """A workbook a Sở Nội vụ can file and print: a sheet per plan (units by name, worst first) and
    one listing every report counted with its status. Each sheet opens with its title (plan, year,
    as-of date), repeated with the column headers on every printed page; no internal ids; dates as
    dates, rates as percentages."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head_style = (Font(bold=True), PatternFill("solid", fgColor="DDE6F0"), Alignment(wrap_text=True, vertical="top"))
    book = Workbook()
    book.remove(book.active)
    as_of = f"{found.as_of:%d/%m/%Y}"

    def plan_line(plan) -> str:
        issued = f" {say(lang, 'scorecard.issued', day=f'{plan.issued:%d/%m/%Y}')}" if plan.issued else ""
        line = say(lang, "scorecard.plan_line", issuer=plan.issuer, document=plan.document, issued=issued)
        if found.year not in plan.years:  # no document for this year: its dates follow an earlier plan's rules
            line += " " + say(lang, "scorecard.projected", edition=plan.year)
        return line

    def sheet(title, heading: list[str], header, rows, widths, formats):
        ws = book.create_sheet(title[:31])
        for k, text in enumerate(heading, 1):
            ws.append([text])
            ws.cell(row=k, column=1).font = Font(bold=k == 1, size=13 if k == 1 else 11)
        ws.append([])
        top = len(heading) + 2  # the column headers' row
        ws.append(list(header))
        for cell in ws[top]:
            cell.font, cell.fill, cell.alignment = head_style
        ws.row_dimensions[top].height = 32  # two lines: wrapped headers stay inside their row
        for row in rows:
            ws.append(list(row))
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
            if formats.get(col):
                for (cell,) in ws.iter_rows(min_row=top + 1, min_col=col, max_col=col):
                    cell.number_format = formats[col]
        ws.freeze_panes = f"B{top + 1}"
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(header))}{max(top, ws.max_row)}"
        # printed as filed: A4 landscape, every column on the page; the title, plan, year, as-of
        # date and the column headers on every page, the page number at the foot
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = f"1:{top}"
        ws.oddFooter.center.text = say(lang, "scorecard.page")
        ws.oddFooter.center.size = 9
        return ws

    title = say(lang, "scorecard.title", year=found.year, as_of=as_of)
    for plan, cards, _ in found.plans:
        sheet(plan.id, [title, plan_line(plan)], words(lang, "scorecard.xlsx_head"),
              [(c.name, c.owed, c.on_time, c.late, c.days_late, c.missing, c.on_time_rate, c.tasks)
               for c in cards],
              (46, 10, 10, 8, 14, 10, 14, 12), {7: "0%"})
    details = []
    for plan, cards, _ in found.plans:
        for c in cards:
            for d, on in c.items:
                status, days = _status(lang, d.effective_due, on, found.as_of)
                if d.projected:
                    status += " *"
                details.append((plan.document, c.name, d.title, d.period, d.effective_due, on, status, days))
    heading = [title] + [plan_line(plan) for plan, _, _ in found.plans]
    if any(d[6].endswith(" *") for d in details):
        heading.append(say(lang, "scorecard.foot_projected"))
    ws = sheet(say(lang, "scorecard.details"), heading, words(lang, "scorecard.xlsx_detail_head"), details,
               (16, 42, 28, 10, 14, 14, 18, 18), {5: "DD/MM/YYYY", 6: "DD/MM/YYYY"})
    for row in ws.iter_rows(min_row=len(heading) + 3, min_col=5, max_col=7):
        for cell in row:  # dates centred, so the status does not run into the date sent
            cell.alignment = Alignment(horizontal="center" if cell.column < 7 else "left", indent=0 if cell.column < 7 else 1)
    info = book.create_sheet(say(lang, "scorecard.about"))
    info.append([say(lang, "scorecard.year"), found.year])
    info.append([say(lang, "scorecard.as_of"), found.as_of])
    info["B2"].number_format = "DD/MM/YYYY"
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 14
    for ws in book.worksheets:  # a unit's name or a title beginning with = is text, never a formula (issue 22)
        no_formulas(ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
