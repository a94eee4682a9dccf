"""Finding plan files: the shipped ones, then the user's folders, and picking an edition.

A broken file is one error, not a stopped run: its problem is kept and every other plan still
loads. A one-plan command reads only the files that may hold that plan: each file's id is read
from its first lines (bounded), so a stray large file in a plans dir costs the run nothing.
The same plan id and year twice in one folder is an error (the first file wins); in a later
folder (a user's copy of a shipped plan) it replaces the earlier one, and `dvcq check` says the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dvcq.core.errors import DvcqError, PlanError, Problem
from dvcq.planfiles.files import UNITS_LIMIT, _checksum, cache_dir, cached, keep, read_capped
from dvcq.core.model import Plan

_HERE = Path(__file__).resolve().parent.parent  # dvcq/
_ID_LINE = re.compile(rb"^id:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)
PEEK_BYTES = 8192  # a plan file names its id near the top


def shipped_plans_dir() -> Path:
    # an installed wheel has dvcq/plans; a source checkout (or editable install) has ../plans
    for candidate in (_HERE / "plans", _HERE.parent / "plans"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return _HERE / "plans"


def plan_dirs(extra: list[Path] | None = None) -> list[Path]:
    """The shipped plans first, then the user's folders (environment, profile, flags: already in order)."""
    dirs = [shipped_plans_dir()]
    for d in extra or []:
        d = Path(d)
        if not d.is_dir():
            raise DvcqError(msg="error.no_plans_dir", path=d)
        if d.resolve() not in {x.resolve() for x in dirs}:
            dirs.append(d)
    return dirs


def plan_files(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def peek_id(path: Path) -> str | None:
    """The plan id a file declares in its first lines, without reading the whole file (and without
    opening what is not a regular file: a FIFO would block)."""
    try:
        if not path.is_file():
            return None
        with open(path, "rb") as fh:
            head = fh.read(PEEK_BYTES)
    except OSError:
        return None
    m = _ID_LINE.search(head)
    return m.group(1).decode() if m else None


def load_plan(path: Path, data: bytes) -> Plan:
    """Parsed from YAML: the loader (and PyYAML) are imported only when a plan is not in the cache."""
    from dvcq.planfiles.loader import load_plan as parse

    return parse(path, data)


def _cache_dir() -> Path | None:
    from dvcq import __version__

    return cache_dir(f"plans-{__version__}")


CACHE_ENTRIES = 5000  # far more than the plans in use; edited and moved files leave old entries


def cached_load(path: Path, data: bytes) -> Plan:
    """A plan parsed before is read back from the user's cache, kept by its path and content (and
    its units file's checksum), as JSON: a national run reads 700 plans, and parsing each costs far
    more than reading it back. A broken plan is never cached; a stale or unreadable entry is parsed again."""
    folder = _cache_dir()
    if folder is None:
        return load_plan(path, data)
    found = cached(folder, str(path), data)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], Plan):
        plan, units_sum = found
        try:
            if plan.units_file is None or units_sum == _checksum(_units_bytes(plan)):
                return plan
        except PlanError:
            pass  # its units file is gone or unreadable now: parsed again, which says so
    plan = load_plan(path, data)
    try:
        keep(folder, str(path), data, (plan, _checksum(_units_bytes(plan)) if plan.units_file else None), CACHE_ENTRIES)
    except PlanError:
        return plan  # its units file cannot be read again: only a cache
    return plan


def _units_bytes(plan: Plan) -> bytes:
    return read_capped(plan.units_file, UNITS_LIMIT)


@dataclass
class Catalog:
    plans: list[Plan]
    problems: list[Problem] = field(default_factory=list)  # files that could not be used, one error each
    replaced: list[str] = field(default_factory=list)  # "id year: path replaces path"
    other_ids: set[str] = field(default_factory=set)  # plans seen but not read (a one-plan load)
    broken: dict[str, Problem] = field(default_factory=dict)  # plan file -> its first error (it may be in a units file)

    @classmethod
    def load(cls, extra_dirs: list[Path] | None = None, only: str | frozenset | None = None) -> "Catalog":
        """Every plan in the dirs in use (or only those with the id, or one of the ids, `only`)."""
        if isinstance(only, str):
            only = frozenset([only])
        found: dict[tuple[str, int], tuple[Plan, Path]] = {}
        problems: list[Problem] = []
        replaced: list[str] = []
        others: set[str] = set()
        broken: dict[str, Problem] = {}
        for d in plan_dirs(extra_dirs):
            here: dict[tuple[str, int], Path] = {}
            for path in plan_files(d):
                if only is not None:
                    declared = peek_id(path)
                    if declared is not None and declared not in only:
                        others.add(declared)
                        continue  # another plan: not read at all
                try:
                    plan = cached_load(path, read_capped(path))  # devices, FIFOs, huge files: refused
                except PlanError as exc:
                    problems.append(exc.problems[0])
                    broken[str(path)] = exc.problems[0]
                    continue
                if only is not None and plan.id not in only:
                    continue
                for year in plan.years:
                    key = (plan.id, year)
                    if key in here:
                        problems.append(Problem.of(str(path), plan.at.get("id", (1, 1))[0], plan.at.get("id", (1, 1))[1],
                                                   "error", "duplicate-plan", "check.duplicate-plan", plan=plan.id,
                                                   year=year, first=str(here[key])))
                        break
                else:
                    for year in plan.years:
                        key = (plan.id, year)
                        if key in found:
                            replaced.append(f"{plan.id} {year}: {path} replaces {found[key][1]}")
                        here[key] = path
                        found[key] = (plan, path)
        unique = {id(p): p for p, _ in found.values()}
        return cls(sorted(unique.values(), key=lambda p: (p.id, p.year)), problems, replaced, others, broken)

    def ids(self) -> list[str]:
        return sorted({p.id for p in self.plans} | self.other_ids)

    def editions(self, plan_id: str) -> list[Plan]:
        editions = [p for p in self.plans if p.id == plan_id]
        if not editions:
            broken = [problem for path, problem in self.broken.items() if peek_id(Path(path)) == plan_id]
            if broken:
                raise PlanError([broken[0]])
            raise DvcqError(msg="error.unknown_plan", plan=plan_id, known=", ".join(self.ids()) or "-")
        return editions

    def edition(self, plan_id: str, year: int | None) -> Plan:
        """The edition covering `year`; otherwise the latest edition before it (or the earliest)."""
        editions = self.editions(plan_id)
        if year is None:
            return editions[-1]
        # like model.governing, but never None: the caller (api.edition) says why a plan that ended
        # or had not begun does not apply
        for plan in editions:
            if year in plan.years:
                return plan
        earlier = [p for p in editions if p.years[-1] < year]
        return earlier[-1] if earlier else editions[0]
