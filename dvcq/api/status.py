"""The status board: what the page shows, gathered from overdue and the scorecard of one day."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from dvcq.core import clock
from dvcq.core.errors import DvcqError
from dvcq.api.settings import Fresh, Settings, answer, run_inputs
from dvcq.api.planning import Explained
from dvcq.api.tracking import _unit_among, overdue
from dvcq.api.desk import scorecard


# -- the status board (issue 20) ------------------------------------------------------------------
@answer
class Board:
    as_of: dt.date
    made_at: dt.datetime  # when the page was made, Vietnam time
    overdue: object  # Overdue, every status (--all), within 7 days: the same answer `overdue` gives
    score: object  # Scorecard of the as-of year: the same answer `scorecard` gives
    grids: list  # (Plan, projected, [Deadline columns], [(unit id, name, [(state, days)])])
    explained: dict  # (plan, report, period) -> Explained, for every row the page lists
    unit: str | None = None  # --unit: the board of one unit
    ledger: str = ""  # where the ledger is (a URL without its password)
    plan_files: list = Fresh(list)  # (plan id, document, file, issuer) the page came from
    notes: list[str] = Fresh(list)


BOARD_AHEAD = 30  # "next deadlines": the coming 30 days


def board(s: Settings, as_of: dt.date | None = None, now: dt.datetime | None = None) -> Board:
    """What the status board shows, from the answers `overdue --all` and `scorecard` give for the
    same day (nothing judged again here): the state today, the year per unit, and the explanation
    of every deadline it lists. `s.unit`: one unit's board."""
    from dvcq.core.engine import apply_roll, schedule

    day = as_of or clock.today()
    made = (now or dt.datetime.now(dt.timezone.utc)).astimezone(clock.vn_zone())
    late = overdue(s, day, 7, show_all=True)
    unit = None
    if s.unit:
        catalog = s.catalog(only=s.plans or None)
        unit, _ = _unit_among(s, [p for pid in s.plans for p in catalog.editions(pid)] if s.plans else catalog.plans)
    score = scorecard(s, day.year, day)
    if unit:
        score.plans = [(p, [c for c in cards if c.unit == unit], apart) for p, cards, apart in score.plans]
        score.plans = [x for x in score.plans if x[1]]
    found = Board(day, made, late, score, [], {}, unit)
    found.notes = list(dict.fromkeys(late.notes + score.notes))
    ledger = None if late.no_ledger else s.ledger_path() if not (s.db or "").startswith("postgres") else s.db
    if ledger and "@" in str(ledger):
        import re

        ledger = re.sub(r"//[^@/]*@", "//", str(ledger))  # never a password on a page
    found.ledger = str(ledger or late.no_ledger or "")
    cal = s.calendar()
    catalog = s.catalog(only=s.plans or None)
    found.plan_files = sorted({(p.id, p.document, p.path, p.issuer) for p in catalog.plans
                               if p.id in late.plans or any(p is q for q, _, _ in score.plans)})
    # the year per unit: a cell for every unit and dated report of the year; what is due by the as-of
    # date is the scorecard's verdict, the rest is not yet due, or not owed (merged, ended, not begun)
    for plan, cards, apart in score.plans:
        verdict = {(c.unit, d.report, d.period): sent for c in cards for d, sent in c.items}
        skipped = {(ob.unit, ob.deadline.report, ob.deadline.period) for ob in apart}
        sched = schedule(plan, day.year, cal)
        order = {r.id: i for i, r in enumerate(plan.rules)}  # a report's periods side by side, in the plan's order
        cols = sorted((d for d in sched.deadlines if not d.rule.is_task and (d.effective_due or d.merged_into)),
                      key=lambda d: order.get(d.report, 0))
        rows = []
        for c in cards if plan.units else cards[:1]:
            u = plan.unit(c.unit) if c.unit else None
            cells = []
            for d in cols:
                key = (c.unit, d.report, d.period)
                due = d.effective_due
                if key in verdict:
                    sent = verdict[key]
                    cells.append(("missing", (day - due).days) if sent is None else
                                 ("on-time", 0) if sent <= due else ("late", (sent - due).days))
                elif d.merged_into:
                    cells.append(("merged", 0))
                elif key in skipped or d.after_end or (u is not None and not u.exists_on(due)):
                    cells.append(("not-owed", 0))
                elif due > day:
                    cells.append(("not-yet", 0))
                else:
                    cells.append(("not-owed", 0))
            rows.append((c.unit, c.name, cells))
        found.grids.append((plan, day.year not in plan.years, cols, rows))
    # explanations: one per deadline the page lists (not per unit), in the run's language
    ahead = day + dt.timedelta(days=BOARD_AHEAD)
    deadlines = {id(a.obligation.deadline): a.obligation.deadline for a in late.shown
                 if a.status != "upcoming" or a.obligation.deadline.effective_due <= ahead}
    listed = {(d.plan, d.report, d.period, d.span.year) for d in deadlines.values()}
    by_plan: dict = {}
    for p in catalog.plans:
        by_plan.setdefault(p.id, []).append(p)
    from dvcq.core.model import governing

    scheds: dict = {}
    for plan_id, report, period, year in sorted(listed):
        if (plan_id, year) not in scheds:
            plan = governing(sorted(by_plan.get(plan_id, []), key=lambda p: p.years), year)
            scheds[(plan_id, year)] = None if plan is None else schedule(plan, year, cal, None, s.lang)
        sched = scheds[(plan_id, year)]
        d = next((x for x in sched.deadlines if x.report == report and x.period == period), None) if sched else None
        if d is None:
            continue
        literal = None
        if d.past_written_day:
            literal = apply_roll(d.written - dt.timedelta(days=1), "previous", cal, s.lang)[0]
        sources = {when: cal.source_of(when) for when, _ in d.moved_because}
        found.explained[(plan_id, report, period)] = Explained(sched, d.rule, d, [], literal, sources)
    return found


def site_writer(s: Settings, folder: Path, force: bool = False):
    """What writes the board's files (see SiteWriter): checked now, before any work."""
    return SiteWriter(s, Path(folder), force)


class SiteWriter:
    """Writes the board only inside `folder` (made when there is a board to write). Every file is
    written whole into `folder/.board-next/`, then put in place: index.html, board.css and board.js
    each renamed over the old one (atomic: a web server never serves half a page), the folder of unit
    pages swapped whole (the old one renamed aside, the new one into its place, the old removed).
    Fresh files, not a rename over each of 4,000 old ones: on ext4 that rename waits for the new
    file's data to reach the disk. A folder that holds other things and was not made by `dvcq board`
    is refused (unless --force). Names are the board's own (`units/<plan>--<unit>.html`)."""

    MARKER, NEXT = ".dvcq-board", ".board-next"

    def __init__(self, s: Settings, folder: Path, force: bool = False):
        if folder.exists() and not folder.is_dir():
            raise DvcqError(msg="board.is_file", folder=folder)
        if folder.is_dir() and any(folder.iterdir()) and not (folder / self.MARKER).exists() and not force:
            raise DvcqError(msg="board.not_empty", folder=folder)
        self.folder, self.next = folder, folder / self.NEXT
        self.inputs = {os.path.realpath(p) for p in run_inputs(s)}
        self.subs: set = set()
        self.started = False

    def _fail(self, path, exc) -> DvcqError:
        return DvcqError(msg="output.cannot_write", path=path, why=exc.strerror or exc)

    def __call__(self, name: str, data: bytes) -> None:
        import re
        import shutil

        if not re.fullmatch(r"[a-z0-9_-][a-z0-9_.-]*(/[a-z0-9_-][a-z0-9_.-]*)?", name):
            raise DvcqError(msg="board.bad_name", name=name)
        try:
            if not self.started:
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / self.MARKER).touch()
                if self.next.is_dir() and not self.next.is_symlink():
                    shutil.rmtree(self.next)  # left by a run that was killed
                self.next.mkdir()
                self.started = True
            sub = name.rpartition("/")[0]
            if sub and sub not in self.subs:
                (self.next / sub).mkdir()
                self.subs.add(sub)
            with open(self.next / name, "xb") as fh:
                fh.write(data)
        except OSError as exc:
            raise self._fail(self.folder / name, exc) from None

    def finish(self) -> None:
        import shutil
        import stat

        for entry in sorted(os.listdir(self.next)) if self.started else ():
            new, dst = self.next / entry, self.folder / entry
            try:
                try:
                    mode = os.lstat(dst).st_mode
                except FileNotFoundError:
                    mode = None
                if mode is not None and stat.S_ISLNK(mode):
                    raise DvcqError(msg="board.symlink", path=dst)
                real = os.path.realpath(dst)
                if any(p == real or p.startswith(real + os.sep) for p in self.inputs):
                    raise DvcqError(msg="board.is_input", path=dst)
                if not new.is_dir():
                    if mode is not None and not stat.S_ISREG(mode):
                        raise DvcqError(msg="board.not_plain", path=dst)
                    os.replace(new, dst)
                    continue
                if mode is not None:
                    if not stat.S_ISDIR(mode):
                        raise DvcqError(msg="board.not_folder", path=dst)
                    strays = [n for n in os.listdir(dst) if not (n.endswith(".html") and (dst / n).is_file())]
                    if strays:
                        raise DvcqError(msg="board.strays", path=dst, names=", ".join(sorted(strays)[:3]))
                    old = self.folder / f".board-old-{entry}"
                    if old.is_dir():
                        shutil.rmtree(old)
                    os.rename(dst, old)
                    os.rename(new, dst)
                    shutil.rmtree(old)
                else:
                    os.rename(new, dst)
            except OSError as exc:
                raise self._fail(dst, exc) from None
        if self.started:
            shutil.rmtree(self.next, ignore_errors=True)
