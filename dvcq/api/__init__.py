"""The use cases: one function per command. Plain values in; data and notes out; nothing printed.

The command line (cli.py) parses options, makes one call here and renders what comes back. Every
function takes the `Settings` of the run (where plans, notices and the ledger are) and raises
`DvcqError` for anything the user can fix. Notes are sentences for the user that are not the
answer itself (a projected year, an unannounced calendar); the caller shows them on stderr.

The use cases live in this package by area (`settings`, `planning`, `tracking`, `desk`, `status`);
every one is reachable from here, as `api.deadlines(...)`. Each area is imported when one of its
names is first asked for (PEP 562), so `dvcq deadlines` does not pay for the desk, the ledger or the
board at start-up.
"""

from __future__ import annotations

import importlib

# where each name lives: the area modules of this package
AREAS = {
    "settings": (
        "FIRST_DAY", "FORMATS", "Fresh", "LANGS", "LAST_DAY", "MAX_DAYS_AHEAD", "OPEN_RANGE_MONTHS",
        "Settings", "answer", "choice", "config", "date_range", "login_name", "next_days", "note",
        "output_writer", "parse_date", "parse_day", "parse_month", "parse_period", "parse_year", "resolve",
        "run_inputs", "schema", "today",
    ),
    "planning": (
        "Deadlines", "Drafted", "Explained", "Planned", "calendar", "check",
        "deadlines", "draft", "edition", "explain", "find_unit", "one_plan", "owed_by",
        "plan_next", "plan_next_flagged", "plans",
    ),
    "tracking": (
        "Changed", "History", "LedgerReport", "Overdue", "Submissions", "Submitted", "correct", "history",
        "ledger_check", "ledger_copy", "ledger_grant", "overdue", "submissions", "submit", "undo",
        "withdraw",
    ),
    "desk": (
        "Imported", "Letters", "MAX_ADDRESSEES", "Scorecard", "import_file", "letters", "province_of",
        "scorecard",
    ),
    "status": (
        "BOARD_AHEAD", "Board", "SiteWriter", "board", "site_writer",
    ),
}
_HOME = {name: area for area, names in AREAS.items() for name in names}


def __getattr__(name: str):
    area = _HOME.get(name)
    if area is None:
        raise AttributeError(f"module 'dvcq.api' has no attribute {name!r}")
    module = importlib.import_module(f"dvcq.api.{area}")
    for each in AREAS[area]:  # the whole area at once: plain attributes from then on (patchable, as before)
        globals().setdefault(each, getattr(module, each))
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
