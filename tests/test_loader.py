"""Plan files are validated on load; every problem is located at its node."""
from pathlib import Path

import pytest

from dvcq.planfiles.loader import read_plan

BASE = """id: test-plan
issuer: UBND tỉnh Thử
years: [2024]
reports:
  - id: monthly
    title: Báo cáo tháng
    every: month
    due: {before: {day: 15}}
"""


def problems(text: str):
    plan, found, _ = read_plan(Path("p.yaml"), text.encode("utf-8"))
    return plan, [(p.line, p.col, p.code) for p in found]


def test_valid_minimal_plan():
    plan, found = problems(BASE)
    assert found == [] and plan.rules[0].window.basis == "decree-09"


@pytest.mark.parametrize("text,expected", [
    (BASE.replace("every: month", "every: monthy"), (7, 12, "unknown-frequency")),
    (BASE.replace("    every: month", "    evry: month"), (7, 5, "unknown-key")),
    (BASE.replace("{day: 15}", "{day: 32}"), (8, 25, "bad-date")),
    (BASE.replace("{day: 15}", "{day: 31, month: 4}"), (8, 25, "bad-date")),
    (BASE.replace("{day: 15}", "{day: 29, month: 2}").replace("[2024]", "[2025]"), (8, 25, "bad-date")),
    (BASE.replace("{day: 15}", "{day: 1, month: 13}"), (8, 35, "bad-date")),
    (BASE.replace("{day: 15}", "{date: 2024-04-31}"), (8, 26, "bad-date")),
    (BASE.replace("{day: 15}", "{date: 31/4/2024}"), (8, 26, "bad-date")),
    (BASE.replace("    due: {before: {day: 15}}\n", ""), (5, 5, "missing-field")),
    (BASE + "  - id: monthly\n    title: x\n    every: year\n    due: {by: {day: 1, month: 1}}\n", (9, 9, "duplicate-id")),
    (BASE.replace("    title: Báo cáo tháng\n", "    title: Báo cáo tháng\n    title: Báo cáo\n"), (7, 5, "duplicate-key")),
    (BASE.replace("years: [2024]", "years: 2024x"), (3, 8, "wrong-type")),
    (BASE + "    merged: {3: quarterly}\n", (9, 17, "bad-reference")),
])
def test_schema_problem_is_located(text, expected):
    plan, found = problems(text)
    assert plan is None
    assert expected in found, found
