"""Finding plan files: the shipped ones, then DVCQ_PLANS and --plans-dir, and picking an edition."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DvcqError, PlanError, Problem
from .loader import load_plan, read_plan
from .model import Plan

_HERE = Path(__file__).resolve().parent


def shipped_plans_dir() -> Path:
    # an installed wheel has dvcq/plans; a source checkout (or editable install) has ../plans
    for candidate in (_HERE / "plans", _HERE.parent / "plans"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return _HERE / "plans"


def plan_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Shipped plans first, then DVCQ_PLANS (os.pathsep-separated), then --plans-dir."""
    dirs = [shipped_plans_dir()]
    env = os.environ.get("DVCQ_PLANS", "")
    for item in env.split(os.pathsep):
        if item.strip():
            dirs.append(Path(item.strip()).expanduser())
    dirs.extend(extra or [])
    for d in dirs[1:]:
        if not d.is_dir():
            raise DvcqError(f"plans directory {d} does not exist")
    return dirs


def plan_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        files.extend(sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
    return files


@dataclass
class Catalog:
    plans: list[Plan]

    @classmethod
    def load(cls, extra_dirs: list[Path] | None = None, only: str | None = None) -> "Catalog":
        """Every plan in the dirs in use (or only those with id `only`). A broken file stops the
        run with its first located error; a user's edition replaces a shipped one of the same id
        and year."""
        files = plan_files(plan_dirs(extra_dirs))
        if only is not None:
            # a one-plan command need not parse every plan: find the files that say `id: only`
            # with a cheap text search, and parse them all only when that finds nothing
            pattern = re.compile(rf"^id:\s*[\"']?{re.escape(only)}[\"']?\s*(#.*)?$", re.MULTILINE)
            matching = [p for p in files if pattern.search(p.read_text(encoding="utf-8", errors="replace"))]
            files = matching or files
        found: dict[tuple[str, int], Plan] = {}
        for path in files:
            plan = load_plan(path)
            for year in plan.years:
                found[(plan.id, year)] = plan
        unique = {id(p): p for p in found.values()}
        return cls(sorted(unique.values(), key=lambda p: (p.id, p.year)))

    def ids(self) -> list[str]:
        return sorted({p.id for p in self.plans})

    def editions(self, plan_id: str) -> list[Plan]:
        editions = [p for p in self.plans if p.id == plan_id]
        if not editions:
            raise DvcqError(f"unknown plan {plan_id!r}; known plans: {', '.join(self.ids()) or '(none)'}")
        return editions

    def edition(self, plan_id: str, year: int | None) -> Plan:
        """The edition covering `year`; otherwise the latest edition before it (or the earliest)."""
        editions = self.editions(plan_id)
        if year is None:
            return editions[-1]
        for plan in editions:
            if year in plan.years:
                return plan
        earlier = [p for p in editions if p.years[-1] < year]
        return earlier[-1] if earlier else editions[0]


__all__ = ["Catalog", "PlanError", "Problem", "plan_dirs", "plan_files", "read_plan", "shipped_plans_dir"]
