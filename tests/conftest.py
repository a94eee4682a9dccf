import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dvcq.planfiles.catalog import Catalog
from dvcq.planfiles.daysoff import load_calendar

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


def D(text: str) -> dt.date:
    """dd/mm/yyyy, as the plans write dates."""
    d, m, y = (int(x) for x in text.split("/"))
    return dt.date(y, m, d)


@pytest.fixture(scope="session")
def catalog():
    return Catalog.load()


@pytest.fixture(scope="session")
def cal():
    return load_calendar()


def run_cli(*args, env=None, input=None):
    """Run the installed entry point the way a user does; returns CompletedProcess."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("DVCQ_PLANS", None) if env is None or "DVCQ_PLANS" not in env else None
    return subprocess.run([sys.executable, "-m", "dvcq", *args], capture_output=True, text=True,
                          env=full_env, input=input, timeout=60)
