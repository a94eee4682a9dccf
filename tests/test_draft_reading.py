"""`dvcq draft` on plan texts written the way other provinces and reporting regimes write them
(issue 19): clauses tied by structure, total recall, on-request reports, and nothing a draft
writes crashes what reads it."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

ONE_OFF_COUNTED = """\
id: t
issuer: Sở Nội vụ
document: 1/KH-SNV
issued: 2025-01-02
years: [2025]
title: Thử
reports:
  - id: once-report
    title: Báo cáo
    every: once
    due: trong thời hạn 03 ngày làm việc kể từ ngày chốt số liệu
"""


@pytest.mark.parametrize("command", [["check", "{file}"], ["deadlines", "--plan", "t", "--year", "2025"],
                                     ["overdue", "--as-of", "2025-12-31"]])
def test_a_counted_deadline_without_its_anchor_is_a_located_error(tmp_path, command):
    # a one-off report has no data window, so "kể từ ngày chốt số liệu" counts from nothing
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "t.yaml").write_text(ONE_OFF_COUNTED, encoding="utf-8")
    args = [a.format(file=plans / "t.yaml") for a in command]
    env = {"DVCQ_PLANS": str(plans), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = run_cli(*args, env=env)
    assert r.returncode != 70, r.stderr
    assert r.returncode in (1, 2)
    assert "t.yaml:11:" in (r.stdout + r.stderr)  # the due: line
    assert "[bad-reference]" in (r.stdout + r.stderr)
