"""dvcq board: the status board as a static site, checked from the parsed HTML against what
`overdue --format json` and `scorecard --format json` say for the same day; in a real browser
(headless Chromium: screenshots, axe-core) when Chromium is there (CI installs it)."""
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, run_cli

PROFILE = Path(tempfile.mkdtemp(prefix="dvcq-board-")) / "dvcq.toml"  # no profile of the machine
PROFILE.write_text("")
AS_OF = "2024-06-10"  # a Monday
# Sent, as a clerk would record them (dates of sending, read from a register).
SENT = [
    # Thái Nguyên, "trước ngày 14 của tháng": April's last day is 13/04/2024, a Saturday, so the
    # effective due date is Monday 15/04; sent 20/04 is 5 days late. May: 13/05 is a Monday; on time.
    ("thai-nguyen", "monthly", "2024-04", "dai-tu", "20/04/2024"),
    ("thai-nguyen", "monthly", "2024-05", "dai-tu", "13/05/2024"),
    ("thai-nguyen", "monthly", "2024-05", "so-tai-chinh", "10/05/2024"),
    ("ha-giang", "plan-submission", "2024", None, "20/02/2024"),
]


class Page(HTMLParser):
    """What a reader sees, by structure: rows (with their table), cells, counts, links, ids."""

    def __init__(self, text: str):
        super().__init__()
        self.tables: list[dict] = []  # the open tables
        self.rows: list[dict] = []  # every tr with data-plan: attrs, table, cells [(attrs, text)]
        self.counts: dict[str, int] = {}
        self.resources: list[str] = []  # every href and src
        self.ids: list[str] = []
        self.lang = None
        self._row = self._cell = self._count = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        for key in ("href", "src"):
            if key in a:
                self.resources.append(a[key])
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "table":
            self.tables.append(a)
        elif tag == "tr" and "data-plan" in a:
            self._row = {"attrs": a, "table": self.tables[-1], "cells": []}
            self.rows.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = [a, ""]
            self._row["cells"].append(self._cell)
        elif tag == "strong" and "data-count" in a:
            self._count = a["data-count"]

    def handle_endtag(self, tag):
        if tag == "table" and self.tables:
            self.tables.pop()
        elif tag == "tr":
            self._row = None
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "strong":
            self._count = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data
        if self._count is not None:
            self.counts[self._count] = int(data)

    def table(self, key: str, value: str) -> list[dict]:
        return [r for r in self.rows if r["table"].get(key, "") == value or value in r["table"].get(key, "").split()]


def record(*args, db):
    r = run_cli(*args, env={"DVCQ_DB": str(db), "DVCQ_CONFIG": str(PROFILE)})
    assert r.returncode in (0, 1), r.stderr
    return r


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("ledger") / "ledger.sqlite3"
    for plan, report, period, unit, on in SENT:
        record("submit", "--plan", plan, "--report", report, "--period", period, "--on", on,
               *(("--unit", unit) if unit else ()), db=db)
    return db


def board(ledger, out: Path, *args):
    r = run_cli("board", "--as-of", AS_OF, "--output", str(out), *args,
                env={"DVCQ_DB": str(ledger), "DVCQ_CONFIG": str(PROFILE)})
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def site(ledger, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "board"
    board(ledger, out)
    return out


def as_json(ledger, *args):
    r = run_cli(*args, "--format", "json", env={"DVCQ_DB": str(ledger), "DVCQ_CONFIG": str(PROFILE)})
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def test_counts_and_rows_equal_overdue_json(ledger, site):
    page = Page((site / "index.html").read_text())
    assert page.lang == "vi"
    news = as_json(ledger, "overdue", "--as-of", AS_OF)["items"]
    everything = as_json(ledger, "overdue", "--as-of", AS_OF, "--all")["items"]
    told = Counter(i["status"] for i in everything)
    assert page.counts == {"overdue": told["overdue"], "due-today": told["due-today"], "due-soon": told["due-soon"],
                           "sent": told["submitted"] + told["submitted-late"]}
    assert page.counts["sent"] == 4  # the four recorded above
    rows = [r["attrs"] for r in page.table("id", "list")]
    assert [(r["data-plan"], r["data-report"], r["data-period"], r["data-unit"], r["data-status"], int(r["data-days"]))
            for r in rows] == [(i["plan"], i["report"], i["period"], i["unit"] or "", i["status"], i["days_late"])
                               for i in news]


def test_rows_say_days_late_and_link_to_their_explanation(site):
    page = Page((site / "index.html").read_text())
    rows = {(r["attrs"]["data-plan"], r["attrs"]["data-report"], r["attrs"]["data-period"], r["attrs"]["data-unit"]): r
            for r in page.table("id", "list")}
    # May's monthly report, due Monday 13/05/2024, not sent by Sở Y tế: 28 days late on 10/06
    may = rows[("thai-nguyen", "monthly", "2024-05", "so-y-te")]
    texts = [text.strip() for _, text in may["cells"]]
    assert texts[1:] == ["Báo cáo tháng", "2024-05", "13/05/2024 (T2)", "quá hạn 28 ngày"]
    assert ("thai-nguyen", "monthly", "2024-05", "dai-tu") not in rows  # sent on time
    # April's, due Saturday 13/04 moved to Monday 15/04: 56 days late on 10/06 (15 + 31 + 10)
    assert [t.strip() for _, t in rows[("thai-nguyen", "monthly", "2024-04", "so-y-te")]["cells"]][3:] == \
        ["15/04/2024 (T2)", "quá hạn 56 ngày"]
    # the half-year report "trước ngày 14 tháng cuối" is due Thursday 13/06: 3 days left
    h1 = rows[("thai-nguyen", "semiannual", "2024-H1", "so-y-te")]
    assert [t.strip() for _, t in h1["cells"]][3:] == ["13/06/2024 (T5)", "còn 3 ngày"]
    html = (site / "index.html").read_text()
    anchor = re.search(r'href="index.html#(x-thai-nguyen--monthly--2024-04)"', html)[1]
    assert anchor in page.ids
    article = html[html.index(f'id="{anchor}"'):]
    article = article[:article.index("</article>")]
    assert "Gửi trước ngày 14 của tháng" in article  # the quoted sentence
    assert "13/04/2024" in article and "15/04/2024" in article  # the date as written and why it moved
    assert "14/03/2024" in article  # the window: "từ ngày 14 tháng trước"


def test_rates_and_year_grid_equal_scorecard_json(ledger, site):
    page = Page((site / "index.html").read_text())
    cards = as_json(ledger, "scorecard", "--year", "2024", "--as-of", AS_OF)["units"]
    rates = {(r["attrs"]["data-plan"], r["attrs"]["data-unit"]): [text.strip() for _, text in r["cells"]]
             for r in page.table("class", "rates")}
    assert len(rates) == len(cards)
    for c in cards:
        name, rate, owed, on_time, late, missing = rates[(c["plan"], c["unit"] or "")]
        assert name == c["name"]
        assert (int(owed), int(on_time), int(missing)) == (c["owed"], c["on_time"], c["missing"])
        assert late == (f"{c['late']} ({c['days_late']} ngày)" if c["late"] else "0")
        assert rate == ("—" if c["on_time_rate"] is None else f"{c['on_time_rate'] * 100:.0f} %")
    # the grid: a cell per report and period; its mark says the state (the class only colours it)
    grid = {(r["attrs"]["data-plan"], r["attrs"]["data-unit"]): r for r in page.table("class", "grid")}
    for c in cards:
        if not c["owed"]:
            continue
        marks = [text for a, text in grid[(c["plan"], c["unit"] or "")]["cells"][1:]]
        late = [int(m[1:]) for m in marks if m.startswith("▲")]
        assert (marks.count("✓"), len(late), marks.count("✗")) == (c["on_time"], c["late"], c["missing"])
        assert sum(late) == c["days_late"]
    # Đại Từ: April 5 days late (a mark and a number, not a colour alone), May on time, June merged
    # into the half-year report, July not yet due
    dai_tu = [(a.get("class"), text) for a, text in grid[("thai-nguyen", "dai-tu")]["cells"][1:]]
    assert dai_tu[3:7] == [("l", "▲5"), ("o", "✓"), ("g", "⊂"), ("y", "·")]


def test_next_30_days_one_row_per_deadline(ledger, site):
    page = Page((site / "index.html").read_text())
    items = as_json(ledger, "overdue", "--as-of", AS_OF, "--all")["items"]
    # what falls due from 10/06 to 10/07/2024 and is not sent yet, per deadline: how many units owe it
    want = Counter((i["plan"], i["report"], i["period"]) for i in items
                   if i["status"] in ("due-today", "due-soon", "upcoming") and i["effective_due"] <= "2024-07-10")
    rows = page.table("id", "ahead")
    assert {(r["attrs"]["data-plan"], r["attrs"]["data-report"], r["attrs"]["data-period"]): int(r["attrs"]["data-count"])
            for r in rows} == dict(want)
    h1 = next(r for r in rows if r["attrs"]["data-report"] == "semiannual" and r["attrs"]["data-plan"] == "thai-nguyen")
    assert [t.strip() for _, t in h1["cells"]][0] == "13/06/2024 (T5)"


def test_unit_page_and_english(ledger, site, tmp_path):
    page = Page((site / "units" / "thai-nguyen--dai-tu.html").read_text())
    owed = {(r["attrs"]["data-report"], r["attrs"]["data-period"]) for r in page.table("id", "owed")}
    sent = {(r["attrs"]["data-report"], r["attrs"]["data-period"]) for r in page.table("id", "sent")}
    late = {(r["attrs"]["data-report"], r["attrs"]["data-period"]) for r in page.table("id", "late")}
    assert ("monthly", "2024-05") in sent and ("monthly", "2024-04") in sent and ("monthly", "2024-04") in late
    assert ("monthly", "2024-05") not in owed and ("semiannual", "2024-H1") in owed
    en = tmp_path / "en"
    board(ledger, en, "--lang", "en", "--unit", "dai-tu", "--plan", "thai-nguyen")
    html = (en / "index.html").read_text()
    page = Page(html)
    assert page.lang == "en" and "days overdue" in html and "quá hạn" not in html
    assert {r["attrs"]["data-unit"] for r in page.table("id", "list")} == {"dai-tu"}


def test_projected_years_are_marked(ledger, tmp_path):
    # Tây Ninh's plan is for 2025; in 2026 its rules are projected from it (overdue JSON: projected)
    out = tmp_path / "tn"
    r = run_cli("board", "--as-of", "2026-05-12", "--plan", "tay-ninh", "--output", str(out),
                env={"DVCQ_DB": str(ledger), "DVCQ_CONFIG": str(PROFILE)})
    assert r.returncode == 0, r.stderr
    items = as_json(ledger, "overdue", "--as-of", "2026-05-12", "--plan", "tay-ninh", "--all")["items"]
    html = (out / "index.html").read_text()
    page = Page(html)
    projected = {(i["report"], i["period"]) for i in items if i["projected"]}
    assert projected
    marked = {(r["attrs"]["data-report"], r["attrs"]["data-period"]) for r in page.table("id", "list") + page.table("id", "ahead")
              if "dự kiến*" in r["cells"][2][1]}
    listed = {(r["attrs"]["data-report"], r["attrs"]["data-period"]) for r in page.table("id", "list") + page.table("id", "ahead")}
    assert marked == listed & projected and marked
    assert "suy từ kế hoạch năm 2025" in html
    # the 2026 half-year report "6 tháng", due 19/05/2026 by the 2025 plan's rule: 7 days left on 12/05
    h1 = next(r for r in page.table("id", "list") if r["attrs"]["data-period"] == "2026-H1")
    assert [t.strip() for _, t in h1["cells"]][2:] == ["2026-H1 dự kiến*", "19/05/2026 (T3)", "còn 7 ngày"]


@pytest.mark.usefixtures("english")
def test_no_network_and_writes_only_inside_dir(ledger, site, tmp_path):
    for path in site.rglob("*.html"):
        page = Page(path.read_text())
        for url in page.resources:
            assert not re.match(r"(?i)(https?:)?//", url), (path, url)
            if not url.startswith("#"):  # every link and asset is a file of the site
                target = (path.parent / url.split("#")[0]).resolve()
                assert target.is_file() and site.resolve() in target.parents, (path, url)
    assert "http" not in (site / "board.css").read_text() + (site / "board.js").read_text()
    # a folder holding other things is refused in one line; the board's own folder is rewritten
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    r = run_cli("board", "--as-of", AS_OF, "--output", str(other), env={"DVCQ_DB": str(ledger), "DVCQ_CONFIG": str(PROFILE)})
    assert r.returncode == 2 and "not empty" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in other.iterdir()) == ["keep.txt"]
    # bad input: one line, exit 2, and no folder made
    r = run_cli("board", "--as-of", AS_OF, "--unit", "nowhere", "--output", str(tmp_path / "none"),
                env={"DVCQ_DB": str(ledger), "DVCQ_CONFIG": str(PROFILE)})
    assert r.returncode == 2 and "unknown unit 'nowhere'" in r.stderr and not (tmp_path / "none").exists()
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    board(ledger, site)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before  # no temporary file left
    # the unit pages are swapped as a folder: one holding a file the board did not write is never removed
    (site / "units" / "notes.txt").write_text("mine")
    r = run_cli("board", "--as-of", AS_OF, "--output", str(site), env={"DVCQ_DB": str(ledger), "DVCQ_CONFIG": str(PROFILE)})
    assert r.returncode == 2 and "notes.txt" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (site / "units" / "notes.txt").read_text() == "mine" and (site / "units" / "thai-nguyen--dai-tu.html").is_file()
    (site / "units" / "notes.txt").unlink()
    board(ledger, site)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


# -- a real browser ---------------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None or shutil.which("setsid") is None,
                                    reason="no Chromium (CI installs Debian's chromium)")


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    """Headless Chromium, run detached (`setsid -f`: reparented, never reaped by this process).
    Reaped here, its ~200 MB would stay the high-water mark of this process's RUSAGE_CHILDREN, which
    other tests read as the peak memory of a dvcq they run (tests/test_check.py)."""
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", *args]
    out, err, done = tmp_path / "chromium.out", tmp_path / "chromium.err", tmp_path / "chromium.done"
    for each in (out, err, done):
        each.unlink(missing_ok=True)
    line = " ".join(shlex.quote(str(a)) for a in flags)
    subprocess.run(["setsid", "-f", "sh", "-c",
                    f"{line} >{shlex.quote(str(out))} 2>{shlex.quote(str(err))}; echo $? >{shlex.quote(str(done))}.tmp;"
                    f" mv {shlex.quote(str(done))}.tmp {shlex.quote(str(done))}"], check=True, timeout=30)
    deadline = time.monotonic() + 120
    while not done.exists():
        assert time.monotonic() < deadline, "Chromium did not finish in 120 s"
        time.sleep(0.1)
    return subprocess.CompletedProcess(flags, int(done.read_text() or 1), out.read_text(errors="replace"),
                                       err.read_text(errors="replace"))


@needs_chromium
@pytest.mark.parametrize("size", ["1366,768", "390,844"])
def test_screenshots(site, tmp_path, size):
    shot = tmp_path / f"board-{size}.png"
    r = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={size}", (site / "index.html").as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000, r.stderr[-2000:]
    keep = os.environ.get("DVCQ_BOARD_SHOTS")  # a folder to keep them in, for a person to look at
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)


def axe_script() -> Path | None:
    for where in (os.environ.get("DVCQ_TEST_AXE"), REPO / "node_modules" / "axe-core" / "axe.min.js"):
        if where and Path(where).is_file():
            return Path(where)
    return None


@needs_chromium
@pytest.mark.skipif(axe_script() is None, reason="no axe.min.js (CI fetches axe-core from npm: DVCQ_TEST_AXE)")
@pytest.mark.parametrize("page", ["index.html", "units/thai-nguyen--dai-tu.html"])
def test_accessibility_axe(site, tmp_path, page):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    shutil.copy(axe_script(), copy / "axe.min.js")
    target = copy / page
    prefix = "../" if "/" in page else ""
    html = target.read_text()
    run = ("<script src=\"%saxe.min.js\"></script><script>axe.run(document,{runOnly:{type:'tag',values:"
           "['wcag2a','wcag2aa','wcag21a','wcag21aa']}}).then(function(r){var p=document.createElement('pre');"
           "p.id='axe-result';p.textContent=JSON.stringify(r.violations.map(function(v){return {id:v.id,impact:v.impact,"
           "nodes:v.nodes.slice(0,3).map(function(n){return n.target.join(' ')})}}));document.body.appendChild(p);});"
           "</script>" % prefix)
    target.write_text(html.replace("</body>", run + "</body>"))
    r = chromium(tmp_path, "--virtual-time-budget=20000", "--dump-dom", target.as_uri())
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', r.stdout, re.S)
    assert found, r.stderr[-2000:]
    from html import unescape

    violations = json.loads(unescape(found[1]))
    assert violations == [], violations


@needs_chromium
def test_filters_work_in_a_browser(site, tmp_path):
    """Status 'overdue' and unit Đại Từ chosen: only Đại Từ's overdue rows stay; the filters show."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "index.html"
    pick = ("<script>var f=document.getElementById('filters');f.querySelector('[name=status]').value='overdue';"
            "f.querySelector('[name=unit]').value='dai-tu';f.dispatchEvent(new Event('change'));"
            "var shown=[].filter.call(document.querySelectorAll('#list tr[data-plan]'),function(r){return !r.hidden})"
            ".map(function(r){return r.getAttribute('data-unit')+' '+r.getAttribute('data-status')+' '+r.getAttribute('data-period')});"
            "var p=document.createElement('pre');p.id='shown';p.textContent=(f.hidden?'hidden ':'')+JSON.stringify(shown);"
            "document.body.appendChild(p);</script>")
    page.write_text(page.read_text().replace("</body>", pick + "</body>"))
    r = chromium(tmp_path, "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="shown">(.*?)</pre>', r.stdout, re.S)
    assert found, r.stderr[-2000:]
    from html import unescape

    shown = json.loads(unescape(found[1]))
    # Đại Từ sent April (late) and May: what is overdue is what it never sent, Jan, Feb and Q1
    assert shown == ["dai-tu overdue 2024-01", "dai-tu overdue 2024-02", "dai-tu overdue 2024-Q1"]


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
