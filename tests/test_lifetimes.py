"""True today: plans and bodies end, next year's plan is written from this one, and no output shows
a window or a date as more certain than the text and the law make it.

Facts by hand from shared/reform-2025.md: Hậu Giang merged into thành phố Cần Thơ and Hà Giang into
Tuyên Quang from 01/7/2025, so both plans end on 30/06/2025; the district level ended the same day
(Thái Nguyên's nine districts end 30/06/2025); merged departments end 28/02/2025.
"""
import csv
import io
import json

import pytest

from conftest import D, run_cli
from dvcq.core.engine import schedule


@pytest.mark.usefixtures("english")
def test_a_plan_asked_for_after_it_ended_says_when_why_and_what_replaced_it():
    r = run_cli("deadlines", "--plan", "hau-giang", "--year", "2026")
    assert r.returncode == 2 and r.stdout == ""
    assert "ended on 30/06/2025" in r.stderr and "Cần Thơ" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_in_its_last_year_deadlines_after_the_end_are_marked(catalog, cal):
    """Hậu Giang 2025, projected from 2024: the annual report 'trước ngày 29 tháng 11' is due
    28/11/2025, after the plan ended on 30/06/2025. Hà Giang 2025: Q1 (14/03) and H1 (14/05) and Q2
    (14/06, a Saturday: 16/06) fall before the end; Q3 (14/09 → 15/09) and the annual report after."""
    r = run_cli("deadlines", "--plan", "hau-giang", "--year", "2025", "--format", "json")
    assert r.returncode == 0, r.stderr
    (annual,) = json.loads(r.stdout)["deadlines"]
    assert (annual["due"], annual["after_plan_end"]) == ("2025-11-28", True)
    rows = {(d.report, d.period): d for d in schedule(catalog.edition("ha-giang", 2025), 2025, cal).deadlines}
    assert [rows[k].after_end for k in [("quarterly", "2025-Q1"), ("semiannual", "2025-H1"), ("quarterly", "2025-Q2")]] == [False] * 3
    assert rows[("quarterly", "2025-Q2")].effective_due == D("16/06/2025")
    assert rows[("quarterly", "2025-Q3")].after_end and rows[("annual", "2025")].after_end
    table = run_cli("deadlines", "--plan", "hau-giang", "--year", "2025", env={"COLUMNS": "120"}).stdout  # wide layout
    assert "sau khi kế hoạch hết hiệu lực" in table


def test_overdue_today_chases_no_body_that_no_longer_exists(tmp_path):
    from dvcq.ledger import Ledger

    Ledger.open(tmp_path / "l.sqlite3", create=True).close()
    r = run_cli("overdue", "--as-of", "2026-11-25", "--all", "--format", "json", "--db", str(tmp_path / "l.sqlite3"))
    assert r.returncode in (0, 1), r.stderr
    items = json.loads(r.stdout)["items"]
    assert items, "Thái Nguyên and Tây Ninh go on: something is owed"
    assert not {i["plan"] for i in items} & {"ha-giang", "ha-giang-sgtvt", "hau-giang"}
    districts = {"tp-thai-nguyen", "tp-song-cong", "tp-pho-yen", "dai-tu", "dinh-hoa", "phu-luong", "dong-hy",
                 "vo-nhai", "phu-binh"}
    merged = {"so-ke-hoach-dau-tu", "ban-dan-toc", "so-lao-dong-tbxh", "so-nong-nghiep-ptnt",
              "so-giao-thong-van-tai", "so-tai-nguyen-moi-truong", "so-thong-tin-truyen-thong"}
    assert not {i["unit"] for i in items} & (districts | merged)
    # the departments that took over are chased: Sở Nông nghiệp và Môi trường owes 2026's reports
    assert any(i["unit"] == "so-nong-nghiep-moi-truong" and i["period"].startswith("2026") for i in items)


def test_a_unit_that_ended_is_not_owed_later_periods(tmp_path):
    """Đại Từ ended 30/06/2025: July 2025's monthly report (due before 14/07) is not its to send."""
    r = run_cli("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2025-07", "--unit", "dai-tu",
                "--on", "2025-07-10", "--db", str(tmp_path / "l.sqlite3"), "--lang", "en")
    assert r.returncode == 2 and "did not exist on" in r.stderr and "UBND các xã" in r.stderr
    r = run_cli("submit", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2025-05", "--unit", "dai-tu",
                "--on", "2025-05-12", "--db", str(tmp_path / "l.sqlite3"))
    assert r.returncode == 0, r.stderr


def test_plan_next_writes_an_edition_that_checks_and_matches_the_projection(tmp_path, catalog, cal):
    from dvcq.planfiles.catalog import Catalog

    out = tmp_path / "plans" / "thai-nguyen-2027.yaml"
    out.parent.mkdir()
    r = run_cli("plan", "next", "thai-nguyen", "--year", "2027", "--output", str(out))
    assert r.returncode == 0, r.stderr
    found = json.loads(run_cli("check", "--format", "json", str(out)).stdout)
    assert found and {p["code"] for p in found} == {"needs-review"}
    assert len(found) == 20  # every rule of the 2024 plan: 4 reports and 16 key tasks
    new = Catalog.load([out.parent]).edition("thai-nguyen", 2027)
    old = catalog.edition("thai-nguyen", 2024)
    assert new.years == (2027,) and new.issued is None

    def rows(plan):
        return {(d.report, d.period): (d.due, d.effective_due, d.window_start, d.window_end, str(d.merged_into or ""))
                for d in schedule(plan, 2027, cal).deadlines if not d.rule.is_task}
    assert rows(new) == rows(old)
    # units: the 2024 list minus those that ended before 2027 (7 merged departments, 9 districts)
    assert {u.id for u in new.units} == {u.id for u in old.units if u.end is None}
    assert len(new.units) == 32 - 7 - 9
    # the key tasks come along, their periods moved to 2027
    assert schedule(new, 2027, cal).deadlines and any(d.report == "task-1" and d.period == "2027-03"
                                                       for d in schedule(new, 2027, cal).deadlines)


def test_plan_next_of_an_ended_plan_names_its_successor():
    r = run_cli("plan", "next", "ha-giang", "--year", "2026")
    assert r.returncode == 2 and "Tuyên Quang" in r.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ics"])
def test_a_decree_window_closing_after_the_deadline_is_never_shown_as_the_plans(fmt):
    """Hà Giang's 6-month report: 'trước ngày 15/5/2024', due 14/05; the plan sets no window and
    Decree 09/2019 art. 12's runs 15/12/2023 – 14/06/2024, after the deadline."""
    r = run_cli("deadlines", "--plan", "ha-giang", "--year", "2024", "--report", "semiannual", "--format", fmt,
                env={"COLUMNS": "120"})  # the table's wide layout (piped: 80 columns unless $COLUMNS says more)
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        (item,) = json.loads(r.stdout)["deadlines"]
        assert (item["window_basis"], item["window_after_due"]) == ("decree-09", True)
        assert (item["window_start"], item["window_end"]) == ("2023-12-15", "2024-06-14")
    elif fmt == "csv":
        (row,) = list(csv.DictReader(io.StringIO(r.stdout)))
        assert (row["window_basis"], row["window_after_due"]) == ("decree-09", "true")
    elif fmt == "ics":
        text = r.stdout.replace("\r\n ", "")
        assert "kế hoạch không quy định" in text and "không dùng được" in text
    else:
        assert "KH không quy định; NĐ 09:" in r.stdout and "(hết vào/sau hạn nộp)" in r.stdout
        assert "không phải của kế hoạch" in " ".join(r.stdout.split())  # a footnote, wrapped
    explained = run_cli("explain", "--plan", "ha-giang", "--report", "semiannual", "--period", "2024-H1").stdout
    assert "kế hoạch không quy định" in explained and "không dùng được" in explained


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ics"])
def test_a_before_deadline_rolled_onto_its_day_is_marked_everywhere(fmt):
    """Tây Ninh IV.2.a 'trước ngày 15/12/2025': the last day 14/12/2025 is a Sunday, so the roll
    gives Monday 15/12, the very day the text says it must come before."""
    r = run_cli("deadlines", "--plan", "tay-ninh", "--year", "2025", "--report", "scoring-decision", "--format", fmt)
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        (item,) = json.loads(r.stdout)["deadlines"]
        assert (item["effective_due"], item["past_written_day"]) == ("2025-12-15", True)
    elif fmt == "csv":
        assert list(csv.DictReader(io.StringIO(r.stdout)))[0]["past_written_day"] == "true"
    elif fmt == "ics":
        assert "đọc đúng" in r.stdout.replace("\r\n ", "")
    else:
        assert "15/12/2025 (T2) !" in r.stdout and "roll: previous" in " ".join(r.stdout.split())
    explained = run_cli("explain", "--plan", "tay-ninh", "--report", "scoring-decision", "--period", "2025").stdout
    assert "đọc đúng chữ \"trước\"" in explained and "12/12/2025" in explained  # Friday before


def test_roll_previous_keeps_before_literal():
    r = run_cli("deadlines", "--plan", "tay-ninh", "--year", "2025", "--report", "scoring-decision", "--roll",
                "previous", "--format", "json")
    (item,) = json.loads(r.stdout)["deadlines"]
    assert (item["effective_due"], item["past_written_day"]) == ("2025-12-12", False)


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
