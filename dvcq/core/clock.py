"""Dates from the command line and 'today' as Vietnam sees it."""
from __future__ import annotations

import datetime as dt

from dvcq.core.errors import DvcqError
from dvcq.core.model import parse_date_text

VN_OFFSET = dt.timezone(dt.timedelta(hours=7), "ICT")


def vn_zone() -> dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # no tz database: Vietnam has kept UTC+7 since 1975
        return VN_OFFSET


def today(now: dt.datetime | None = None) -> dt.date:
    """The date in Asia/Ho_Chi_Minh: cron runs on UTC servers, and at 18:00 UTC it is tomorrow here."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.astimezone()  # a naive time is the machine's local time
    return now.astimezone(vn_zone()).date()


def parse_cli_date(text: str, option: str) -> dt.date:
    parsed = parse_date_text(text)
    if parsed is None:
        raise DvcqError(msg="error.not_a_date", option=option, text=text)
    return parsed


def login_name() -> str:
    """Who records a submission; some containers have no login name."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises KeyError, OSError ... where there is no user
        return ""
