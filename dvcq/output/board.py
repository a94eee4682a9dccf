"""`dvcq board`: the status board as a static site (index.html, a page per unit, board.css, board.js).

Drawn from api.Board, which holds the answers `overdue --all` and `scorecard` give for the same
day: nothing is judged here. Every word comes from the messages catalog (`board.*`); every style
and script is a file of the site, so the pages open from a shared folder with no network. Each
mark of the year grid is a character as well as a colour, so it reads in black and white.
"""
from __future__ import annotations

import re
from html import escape

from dvcq.core.messages import say
from dvcq.output.dates import fmt_date

CSS = """
:root{--ink:#1f2328;--muted:#4b5563;--line:#c9ced6;--head:#eef1f5}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.45 system-ui,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
header,main,footer{padding:0 16px;max-width:1400px;margin:0 auto}
header{border-bottom:3px solid #1d4e89;padding-top:12px;padding-bottom:8px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.2rem;margin:1.2em 0 .4em;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1em 0 .3em}
a{color:#0b4f9c}
.meta{color:var(--muted);margin:.2em 0}
.nav{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;padding:0;margin:8px 0 0}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px;z-index:2}
.counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:.5em 0}
.counts li{border:2px solid var(--line);border-radius:6px;padding:6px 12px;min-width:150px}
.counts strong{display:block;font-size:1.8rem;line-height:1.1}
.counts .k-overdue{border-color:#b42318;border-width:3px}.counts .k-due-today{border-style:dashed;border-color:#9a5b00}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.3em 0 1em}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:var(--head)}
caption{text-align:left;font-weight:600;padding:4px 0}
td.num,th.num{text-align:right}
td.d{white-space:nowrap}
tr.s-overdue td:last-child{font-weight:700;color:#8a1c12}
tr.s-due-today td:last-child{font-weight:700;color:#7a4100}
.grid td{text-align:center;min-width:2.4em;padding:2px 3px;font-weight:600}
.grid th[scope=row]{font-weight:400;white-space:nowrap}
.grid thead th{text-align:center}
.o{background:#dcefdc;color:#14532d}
.l{background:#fff0c2;color:#6b3d00}
.m{background:#f7d4d4;color:#7f1d1d;outline:2px solid #b42318;outline-offset:-3px}
.y{background:#fff;color:#4b5563}
.n,.g{background:repeating-linear-gradient(45deg,#eceef1,#eceef1 3px,#fff 3px,#fff 6px);color:#4b5563}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;list-style:none;padding:0}
.legend span{display:inline-block;min-width:2em;text-align:center;border:1px solid var(--line);font-weight:600}
.bar{display:inline-block;width:180px;height:12px;border:1px solid #555;vertical-align:middle;background:#fff}
.bar span{display:block;height:100%;background:#1d4e89}
.proj{font-style:italic;color:#6b3d00}
#filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;margin:.5em 0;padding:6px 8px;background:var(--head)}
#filters label{display:flex;flex-direction:column;font-size:.9rem}
#filters select{font:inherit;max-width:18em}
.explain article{border-left:3px solid var(--line);padding-left:8px;margin:.6em 0}
.explain p{margin:.15em 0}
.explain article:target{border-left-color:#1d4e89;background:#f3f6fb}
footer{color:var(--muted);border-top:1px solid var(--line);margin-top:2em;padding-bottom:16px}
@media (max-width:600px){body{font-size:14px}.counts li{min-width:44%;flex:1}.bar{width:90px}
 header,main,footer{padding:0 10px}
 table.list thead{position:absolute;left:-9999px}
 table.list,table.list tbody{display:block;width:100%}
 table.list tr{display:grid;grid-template-columns:1fr auto;border-bottom:1px solid var(--line);padding:5px 0}
 table.list td{border:0;padding:1px 4px}
 table.list td:last-child{grid-column:2;grid-row:1;text-align:right}
 table.list td:nth-child(2){grid-column:1/3}
 table.list caption{display:block}}
@page{size:A4 landscape;margin:10mm}
@media print{body{font-size:9pt}#filters,.skip,nav{display:none!important}a{color:inherit;text-decoration:none}
 header,main,footer{max-width:none;padding:0}.scroll{overflow:visible}tr{break-inside:avoid}
 h2{break-after:avoid}.explain{break-before:page}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

JS = """(function(){
var f=document.getElementById('filters');if(!f)return;f.hidden=false;
var sel=function(n){return f.querySelector('[name='+n+']');};
function apply(){var p=sel('plan').value,u=sel('unit').value,s=sel('status').value;
document.querySelectorAll('tr[data-plan]').forEach(function(r){
var ok=(!p||r.getAttribute('data-plan')===p)&&(!u||!r.hasAttribute('data-unit')||r.getAttribute('data-unit')===u)&&
(!s||!r.hasAttribute('data-status')||r.getAttribute('data-status')===s);r.hidden=!ok;});}
f.addEventListener('change',apply);apply();})();
"""

MARK = {"on-time": "✓", "late": "▲", "missing": "✗", "not-yet": "·", "not-owed": "—", "merged": "⊂"}
# a grid cell's class: one letter, for a national grid of 4,000 units under 5 MB (the legend names them)
CELL: dict = {}
CLS = {"on-time": "o", "late": "l", "missing": "m", "not-yet": "y", "not-owed": "n", "merged": "g"}
NEWS = ("overdue", "due-today", "due-soon")
CELL.update({k: f'<td class="{c}">{MARK[k]}</td>' for k, c in CLS.items()})


_ESCAPED: dict = {}


def _e(text) -> str:
    """HTML-escaped; the same names and titles recur thousands of times in a national board."""
    found = _ESCAPED.get(text)
    if found is None:
        found = _ESCAPED[text] = escape(str(text), quote=True)
    return found


def slug(*parts: str) -> str:
    return "--".join(re.sub(r"[^a-z0-9_-]+", "-", p.lower()).strip("-") or "x" for p in parts)


def unit_file(plan: str, unit: str) -> str:
    return f"units/{slug(plan, unit) if unit else slug(plan)}.html"


def _anchor(plan: str, report: str, period: str) -> str:
    return "x-" + slug(plan, report, period)


class Site:
    """One board drawn: names (report titles, unit names) and helpers shared by its pages."""

    def __init__(self, found, lang: str):
        self.f, self.lang = found, lang
        self.titles: dict = {}
        self._top: dict = {}
        self._said: dict = {}
        self._grid_head: dict = {}
        self._row: dict = {}  # a row's cells after the unit, by deadline, status and days: drawn once
        self.units: dict = {}
        for plan, _, cols, rows in found.grids:
            self.titles.update({(plan.id, d.report): d.title for d in cols})
            self.units.update({(plan.id, uid): name for uid, name, _ in rows})
        issuers = {pid: issuer for pid, _, _, issuer in found.plan_files}
        units = self.units
        for a in found.overdue.shown:
            ob = a.obligation
            key = (ob.deadline.plan, ob.unit)
            if key not in units:
                units[key] = ob.unit_name or issuers.get(key[0], key[0])
        for pid, issuer in issuers.items():
            self.units.setdefault((pid, ""), issuer)

    def say(self, key: str, **values) -> str:
        if values:
            return say(self.lang, f"board.{key}", **values)
        found = self._said.get(key)
        if found is None:
            found = self._said[key] = say(self.lang, f"board.{key}")
        return found

    def date(self, day) -> str:
        return fmt_date(day, self.lang)

    def unit_name(self, plan: str, unit: str) -> str:
        return self.units.get((plan, unit)) or unit or plan

    # -- pieces --
    def head(self, title: str, prefix: str = "", plan: str | None = None) -> str:
        """The page's head and header; a unit's page names only its own plan's file."""
        if (prefix, plan) not in self._top:
            self._top[(prefix, plan)] = self._head(prefix, plan).split("\0")
        a, b, c = self._top[(prefix, plan)]
        title = _e(title)
        return f"{a}{title}{b}{title}{c}"

    def _head(self, prefix: str, plan: str | None) -> str:
        f, title = self.f, "\0"
        made = f.made_at.strftime("%H:%M %d/%m/%Y")
        files = "; ".join(f'{_e(pid)} ({_e(doc)}, <span title="{_e(path)}">{_e(path.rsplit("/", 1)[-1])}</span>)'
                          for pid, doc, path, _ in f.plan_files if plan is None or pid == plan)
        return (f'<!doctype html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{title}</title><link rel="stylesheet" href="{prefix}board.css"></head>\n<body>'
                f'<a class="skip" href="#main">{_e(self.say("skip"))}</a>\n<header><h1>{title}</h1>'
                f'<p class="meta">{_e(self.say("data_until", day=self.date(f.as_of), made=made))}</p>'
                f'<p class="meta">{_e(self.say("sources"))} {files or "—"}; {_e(self.say("ledger"))} '
                f'{_e(f.ledger or "—")}</p></header>\n<main id="main">\n')

    def foot(self, prefix: str = "") -> str:
        return (f'</main>\n<footer><p>{_e(self.say("footer"))}</p></footer>\n'
                f'<script src="{prefix}board.js"></script></body></html>\n')

    def status_text(self, a) -> str:
        if a.status == "overdue":
            return self.say("days_late", n=a.days_late)
        if a.status == "due-today":
            return self.say("due_today")
        if a.status in ("due-soon", "upcoming"):
            return self.say("days_left", n=-a.days_late)
        if a.status == "submitted-late":
            return self.say("sent_late", day=self.date(a.submitted_on), n=a.days_late)
        return self.say("sent_on", day=self.date(a.submitted_on))

    def period(self, d) -> str:
        mark = f' <span class="proj">{_e(self.say("projected_mark"))}</span>' if d.projected else ""
        return f"{_e(d.period)}{mark}"

    def rows(self, items, prefix: str = "", with_unit: bool = True) -> str:
        out = []
        cache = self._row
        for a in items:
            d, uid = a.deadline, a.obligation.unit
            key = (id(d), a.status, a.days_late, a.submitted_on, prefix)
            rest = cache.get(key)
            if rest is None:
                link = f'{prefix}index.html#{_anchor(d.plan, d.report, d.period)}'
                rest = cache[key] = (
                    f'data-report="{_e(d.report)}" data-period="{_e(d.period)}" data-days="{a.days_late}" '
                    f'class="s-{a.status}">', f'<td>{_e(d.title)}</td><td class="d">{self.period(d)}</td>'
                    f'<td class="d">{_e(self.date(d.effective_due))}</td>'
                    f'<td class="d"><a href="{link}">{_e(self.status_text(a))}</a></td></tr>\n')
            if with_unit:
                who = d.rule.lead if d.rule.is_task and d.rule.lead else self.unit_name(d.plan, uid)
                unit = f'<td><a href="{prefix}{unit_file(d.plan, uid)}">{_e(who)}</a></td>'
            else:
                unit = ""
            out.append(f'<tr data-plan="{_e(d.plan)}" data-unit="{_e(uid)}" data-status="{a.status}" {rest[0]}{unit}{rest[1]}')
        return "".join(out)

    def table(self, caption: str, items, table_id: str, prefix: str = "", with_unit: bool = True,
              shown: bool = False) -> str:
        if not items:
            return f'<p id="{table_id}">{_e(self.say("none"))}</p>\n'
        cols = (["unit"] if with_unit else []) + ["report", "period", "effective", "state"]
        head = "".join(f'<th scope="col">{_e(self.say("col." + c))}</th>' for c in cols)
        cap = f"<caption>{_e(caption)}</caption>" if shown else ""
        return (f'<div class="scroll" tabindex="0" role="region" aria-label="{_e(caption)}">'
                f'<table class="list" id="{table_id}" aria-label="{_e(caption)}">{cap}<thead><tr>{head}</tr></thead>'
                f'<tbody>\n{self.rows(items, prefix, with_unit)}</tbody></table></div>\n')

    def counts(self, shown) -> str:
        n = {k: sum(a.status == k for a in shown) for k in NEWS}
        n["sent"] = sum(a.status in ("submitted", "submitted-late") for a in shown)
        items = "".join(f'<li class="k-{k}"><strong data-count="{k}">{v}</strong>{_e(self.say("count." + k))}</li>'
                        for k, v in n.items())
        return f'<ul class="counts">{items}</ul>\n'

    def legend(self) -> str:
        items = "".join(f'<li><span class="{CLS[k]}" aria-hidden="true">{MARK[k]}</span> {_e(self.say("cell." + k))}</li>'
                        for k in MARK)
        return f'<ul class="legend" aria-label="{_e(self.say("legend"))}">{items}</ul>\n'

    @staticmethod
    def cell(state: str, days: int) -> str:
        return f'<td class="l">▲{days}</td>' if state == "late" else CELL[state]

    @staticmethod
    def short(period: str) -> str:
        return period.split("-", 1)[1] if "-" in period else period

    def grid(self, plan, projected, cols, rows, prefix: str = "") -> str:
        if not cols or not rows:
            return ""
        if (plan.id, prefix) not in self._grid_head:
            self._grid_head[(plan.id, prefix)] = self._grid_top(plan, projected, cols)
        title, top, sub = self._grid_head[(plan.id, prefix)]
        pid = _e(plan.id)
        body = "".join(
            f'<tr data-plan="{pid}" data-unit="{_e(uid)}"><th scope="row">'
            f'<a href="{prefix}{unit_file(plan.id, uid)}">{_e(name)}</a></th>'
            + "".join([f'<td class="l">▲{days}</td>' if st == "late" else CELL[st] for st, days in cells]) + "</tr>\n"
            for uid, name, cells in rows)
        return (f'<h3>{_e(title)}</h3><div class="scroll" tabindex="0" role="region" aria-label="{_e(title)}">'
                f'<table class="grid" data-plan="{pid}"><thead><tr><td></td>{top}</tr>'
                f'<tr><th scope="col">{_e(self.say("col.unit"))}</th>{sub}</tr></thead><tbody>\n{body}</tbody></table></div>\n')

    def _grid_top(self, plan, projected, cols):
        title = self.say("grid.title", plan=plan.id, document=plan.document, year=self.f.as_of.year)
        if projected:
            title += " " + self.say("projected", edition=plan.year)
        groups: list = []
        for d in cols:
            if groups and groups[-1][0] == d.report:
                groups[-1][1] += 1
            else:
                groups.append([d.report, 1])
        top = "".join(f'<th scope="colgroup" colspan="{n}">{_e(self.titles.get((plan.id, r), r))}</th>' for r, n in groups)
        sub = "".join(f'<th scope="col">{_e(self.short(d.period))}</th>' for d in cols)
        return title, top, sub

    def rates(self, plan, cards, projected) -> str:
        title = self.say("rate.title", plan=plan.id, document=plan.document, year=self.f.score.year)
        if projected:
            title += " " + self.say("projected", edition=plan.year)
        num = ' class="num"'
        head = "".join(f'<th scope="col"{num if c != "unit" else ""}>{_e(self.say("col." + c))}</th>'
                       for c in ("unit", "rate", "owed", "on_time", "late", "missing"))
        body = []
        for c in cards:
            rate = c.on_time_rate
            pct = "—" if rate is None else f"{rate * 100:.0f} %"
            bar = "" if rate is None else f'<span class="bar"><span style="width:{rate * 100:.0f}%"></span></span> '
            late = f"{c.late} ({self.say('days', n=c.days_late)})" if c.late else "0"
            body.append(f'<tr data-plan="{_e(plan.id)}" data-unit="{_e(c.unit)}"><th scope="row">{_e(c.name)}</th>'
                        f'<td>{bar}{pct}</td><td class="num">{c.owed}</td><td class="num">{c.on_time}</td>'
                        f'<td class="num">{_e(late)}</td><td class="num">{c.missing}</td></tr>\n')
        return (f'<h3>{_e(title)}</h3><div class="scroll" tabindex="0" role="region" aria-label="{_e(title)}">'
                f'<table class="rates"><thead><tr>{head}</tr></thead><tbody>\n{"".join(body)}</tbody></table></div>\n')

    def filters(self) -> str:
        f = self.f
        plans = sorted({a.deadline.plan for a in f.overdue.shown} | {p.id for p, *_ in f.grids})
        units = sorted({(self.unit_name(p, u), u) for (p, u) in self.units if u})
        opt = lambda v, t: f'<option value="{_e(v)}">{_e(t)}</option>'  # noqa: E731
        every = opt("", self.say("filter.all"))
        statuses = "".join(opt(k, self.say("status." + k)) for k in NEWS + ("upcoming",))
        return (f'<form id="filters" hidden aria-label="{_e(self.say("filter.title"))}">'
                f'<label>{_e(self.say("filter.plan"))}<select name="plan">{every}{"".join(opt(p, p) for p in plans)}</select></label>'
                f'<label>{_e(self.say("filter.unit"))}<select name="unit">{every}'
                f'{"".join(opt(u, n) for n, u in dict.fromkeys(units))}</select></label>'
                f'<label>{_e(self.say("filter.status"))}<select name="status">{every}{statuses}</select></label></form>\n')

    def explanations(self) -> str:
        from dvcq.output.explain import explain_lines

        out = [f'<section class="explain" aria-labelledby="h-explain"><h2 id="h-explain">{_e(self.say("explain"))}</h2>\n']
        for (plan, report, period), x in sorted(self.f.explained.items()):
            lines = explain_lines(x.schedule, x.rule, x.deadline, self.lang, x.literal_due, x.sources)
            out.append(f'<article id="{_anchor(plan, report, period)}"><h3>{_e(lines[0])}</h3>'
                       + "".join(f"<p>{_e(line)}</p>" for line in lines[1:]) + "</article>\n")
        out.append("</section>\n")
        return "".join(out)

    def ahead(self, shown):
        from datetime import timedelta

        until = self.f.as_of + timedelta(days=30)
        items = [a for a in shown if a.status in ("due-today", "due-soon", "upcoming")
                 and a.deadline.effective_due <= until]
        return sorted(items, key=lambda a: (a.deadline.effective_due, a.deadline.plan, a.deadline.report,
                                            a.obligation.unit))

    def ahead_table(self, shown) -> str:
        """The next 30 days, one row per deadline: how many units have not sent it yet (a unit's
        own page lists its own)."""
        groups: dict = {}
        for a in self.ahead(shown):
            groups.setdefault(id(a.deadline), []).append(a)
        if not groups:
            return f'<p id="ahead">{_e(self.say("none"))}</p>\n'
        cols = ("effective", "report", "period", "plan", "waiting", "state")
        head = "".join(f'<th scope="col">{_e(self.say("col." + c))}</th>' for c in cols)
        body = []
        for items in groups.values():
            a, d = items[0], items[0].deadline
            names = ", ".join(sorted(self.unit_name(d.plan, x.obligation.unit) for x in items)) if len(items) <= 3 else ""
            who = self.say("units", n=len(items)) if len(items) > 3 else names
            link = f'index.html#{_anchor(d.plan, d.report, d.period)}'
            body.append(f'<tr data-plan="{_e(d.plan)}" data-status="{a.status}" data-report="{_e(d.report)}" '
                        f'data-period="{_e(d.period)}" data-count="{len(items)}"><td class="d">{_e(self.date(d.effective_due))}</td>'
                        f'<td>{_e(d.title)}</td><td class="d">{self.period(d)}</td><td>{_e(d.plan)}</td><td>{_e(who)}</td>'
                        f'<td class="d"><a href="{link}">{_e(self.status_text(a))}</a></td></tr>\n')
        label = self.say("ahead")
        return (f'<div class="scroll" tabindex="0" role="region" aria-label="{_e(label)}">'
                f'<table class="list" id="ahead" aria-label="{_e(label)}"><thead><tr>{head}</tr></thead>'
                f'<tbody>\n{"".join(body)}</tbody></table></div>\n')


def index_html(site: Site) -> str:
    f = site.f
    title = site.say("title") if not f.unit else site.say("title_unit", unit=site.unit_name(*_first_unit(f)))
    shown = f.overdue.shown
    news = [a for a in shown if a.status in NEWS]
    nav = "".join(f'<li><a href="#h-{k}">{_e(site.say("nav." + k))}</a></li>' for k in ("today", "ahead", "year", "rate", "explain"))
    parts = [site.head(title), f'<nav aria-label="{_e(site.say("nav"))}"><ul class="nav">{nav}</ul></nav>\n',
             f'<section aria-labelledby="h-today"><h2 id="h-today">{_e(site.say("today", day=site.date(f.as_of)))}</h2>\n',
             site.counts(shown), site.filters(),
             site.table(site.say("list"), news, "list", shown=True), "</section>\n",
             f'<section aria-labelledby="h-ahead"><h2 id="h-ahead">{_e(site.say("ahead"))}</h2>\n',
             site.ahead_table(shown), "</section>\n",
             f'<section aria-labelledby="h-year"><h2 id="h-year">{_e(site.say("year", year=f.as_of.year))}</h2>\n',
             site.legend()]
    parts += [site.grid(plan, projected, cols, rows) for plan, projected, cols, rows in f.grids]
    parts.append("</section>\n")
    parts.append(f'<section aria-labelledby="h-rate"><h2 id="h-rate">{_e(site.say("rate"))}</h2>\n')
    projected = {p.id: pr for p, pr, _, _ in f.grids}
    parts += [site.rates(plan, cards, projected.get(plan.id, False)) for plan, cards, _ in f.score.plans]
    parts.append("</section>\n")
    if any(a.deadline.projected for a in news + site.ahead(shown)) or any(projected.values()):
        parts.append(f'<p class="proj">{_e(site.say("projected_note"))}</p>\n')
    parts += [site.explanations(), site.foot()]
    return "".join(parts)


def _first_unit(f):
    for plan, _, _, rows in f.grids:
        for uid, _, _ in rows:
            if uid == f.unit:
                return plan.id, uid
    return "", f.unit or ""


def unit_html(site: Site, plan_id: str, uid: str, items: list, grid) -> str:
    name = site.unit_name(plan_id, uid)
    year = site.f.as_of.year
    owed = [a for a in items if a.status in NEWS]
    by_due = lambda a: (a.deadline.effective_due, a.deadline.report)  # noqa: E731 (the year in order)
    sent = sorted((a for a in items if a.status in ("submitted", "submitted-late") and a.deadline.span.year == year),
                  key=by_due)
    late = sorted((a for a in items if a.status == "overdue" or (a.status == "submitted-late" and a.deadline.span.year == year)),
                  key=by_due)
    parts = [site.head(site.say("unit_title", unit=name, plan=plan_id), "../", plan_id),
             f'<p><a href="../index.html">{_e(site.say("back"))}</a></p>\n',
             f'<section aria-labelledby="h-owed"><h2 id="h-owed">{_e(site.say("unit.owed"))}</h2>\n',
             site.table(site.say("unit.owed"), owed, "owed", "../", False), "</section>\n",
             f'<section aria-labelledby="h-next"><h2 id="h-next">{_e(site.say("ahead"))}</h2>\n',
             site.table(site.say("ahead"), site.ahead(items), "ahead", "../", False), "</section>\n",
             f'<section aria-labelledby="h-late"><h2 id="h-late">{_e(site.say("unit.late", year=year))}</h2>\n',
             site.table(site.say("unit.late", year=year), late, "late", "../", False), "</section>\n",
             f'<section aria-labelledby="h-sent"><h2 id="h-sent">{_e(site.say("unit.sent", year=year))}</h2>\n',
             site.table(site.say("unit.sent", year=year), sent, "sent", "../", False), "</section>\n"]
    if grid is not None:
        plan, projected, cols, row = grid
        parts += [f'<section aria-labelledby="h-year"><h2 id="h-year">{_e(site.say("year", year=year))}</h2>\n',
                  site.legend(), site.grid(plan, projected, cols, [row], "../"), "</section>\n"]
    parts.append(site.foot("../"))
    return "".join(parts)


def pages(found, lang: str):
    """(file name inside DIR, bytes) for every file of the site."""
    site = Site(found, lang)
    yield "board.css", CSS.encode()
    yield "board.js", JS.encode()
    yield "index.html", index_html(site).encode()
    by_unit: dict = {}
    for a in found.overdue.shown:
        by_unit.setdefault((a.deadline.plan, a.obligation.unit), []).append(a)
    grids = {}
    for plan, projected, cols, rows in found.grids:
        for row in rows:
            grids[(plan.id, row[0])] = (plan, projected, cols, row)
            by_unit.setdefault((plan.id, row[0]), [])
    for (plan_id, uid), items in by_unit.items():
        yield unit_file(plan_id, uid), unit_html(site, plan_id, uid, items, grids.get((plan_id, uid))).encode()


def write_site(found, lang: str, write, folder):
    """Every page through `write(name, bytes)` (api.site_writer: inside DIR, atomic); says what was written."""
    from dvcq.output.render import Rendered

    count = 0
    for name, data in pages(found, lang):
        write(name, data)
        count += name.endswith(".html")
    getattr(write, "finish", lambda: None)()  # the pages put in place, once all are written
    return Rendered("", found.notes, stderr=[f"dvcq: {say(lang, 'board.wrote', path=folder, pages=count)}"])
