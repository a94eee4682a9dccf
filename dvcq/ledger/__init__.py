"""The ledger: what was sent, by whom, when.

One interface (`dvcq.ledger.base`); two backends that import it and never each other: `sqlite`
(a file: single-user) and `postgres` (a shared server). `open_ledger(where)` (and `Ledger.open`)
picks the backend by what `where` is: a path is SQLite, a `postgresql://` URL is PostgreSQL, whose
module (and psycopg) is imported only then.
May import: `dvcq.core`, `dvcq.planfiles.files` (where the per-user ledger lives). Nothing above.
"""
from dvcq.ledger import base
from dvcq.ledger.base import (SCHEMA_VERSION, Ledger, LedgerMissing, Submission, copy_ledger,  # noqa: F401
                              default_path, is_pg_url, redact_url)
from dvcq.ledger.sqlite import MIGRATIONS  # noqa: F401


def open_ledger(where=None, *, create: bool = True) -> Ledger:
    """The ledger at `where`: a `postgresql://` (or `postgres://`) URL opens the shared ledger on
    PostgreSQL; a path (None: the default place) the SQLite file."""
    if is_pg_url(where):
        from dvcq.ledger.postgres import PgLedger

        return PgLedger.open_url(where, create=create)
    from dvcq.ledger.sqlite import SqliteLedger

    return SqliteLedger.open_path(where, create=create)


base._OPENER[:] = [open_ledger]
