"""The use cases: one function per command. Plain values in; data and notes out; nothing printed.

The command line (cli.py) parses options, makes one call here and renders what comes back. Every
function takes the `Settings` of the run (where plans, notices and the ledger are) and raises
`DvcqError` for anything the user can fix. Notes are sentences for the user that are not the
answer itself (a projected year, an unannounced calendar); the caller shows them on stderr.

The use cases live in this package by area (`settings`, `plans`, `tracking`, `desk`, `board`);
every one is reachable from here, as `api.deadlines(...)`.
"""
from dvcq.api.settings import (FIRST_DAY, FORMATS, Fresh, LANGS, LAST_DAY, MAX_DAYS_AHEAD, OPEN_RANGE_MONTHS,
                               Settings, answer, choice, config, date_range, login_name, next_days, note,
                               output_writer, parse_date, parse_day, parse_month, parse_period, parse_year,
                               resolve, run_inputs, schema, today)  # noqa: F401
from dvcq.api.plans import (DISTRICT_LEVEL_ENDED, Deadlines, Drafted, Explained, Planned, calendar, check,
                            deadlines, draft, edition, explain, find_unit, gone_leads, one_plan, owed_by,
                            plan_next, plan_next_flagged, plans)  # noqa: F401
from dvcq.api.tracking import (Changed, History, LedgerReport, Overdue, Submissions, Submitted, correct,
                               history, ledger_check, ledger_copy, ledger_grant, overdue, submissions,
                               submit, undo, withdraw)  # noqa: F401
from dvcq.api.desk import (Imported, Letters, MAX_ADDRESSEES, Scorecard, import_file, letters, province_of,
                           scorecard)  # noqa: F401
from dvcq.api.board import (BOARD_AHEAD, Board, SiteWriter, board, site_writer)  # noqa: F401
