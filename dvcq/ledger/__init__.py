"""The ledger: what was sent, by whom, when.

One interface (`Ledger.open(where)` picks the backend by what `where` is: a path is SQLite, a
`postgresql://` URL is PostgreSQL); the backends live in `sqlite` and `postgres`.
May import: `dvcq.core`, `dvcq.planfiles.files` (where the per-user ledger lives). Nothing above.
"""
from dvcq.ledger.sqlite import *  # noqa: F401,F403  (the interface, until base/backends are split)
from dvcq.ledger.sqlite import (MIGRATIONS, SCHEMA_VERSION, Ledger, LedgerMissing, Submission, copy_ledger,  # noqa: F401
                                default_path, redact_url)
