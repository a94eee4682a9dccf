"""Output: answers drawn for people: tables, JSON/CSV, explanations, the calendar grid, iCalendar,
the chase-up letter (.docx), the scorecard workbook and the status board.
May import: `dvcq.core` and `dvcq.output`. Reads no plan file and queries no ledger: it draws what
the use cases (`dvcq.api`) found.
"""
