"""Finding plans: parsed plans come back from the cache only while their file and units file are unchanged;
a one-plan command reads no other plan's file."""
from pathlib import Path

import pytest

from dvcq.planfiles import catalog

PLAN = """id: cached
issuer: UBND tỉnh Thử
years: [2024]
units: units/cached.yaml
reports:
  - id: annual
    title: Báo cáo năm
    every: year
    due: {{before: {{day: {day}, month: 11}}}}
    source: {{section: "1", quote: "x"}}
"""
UNITS = "units:\n  - {{id: a, name: {name}}}\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.delenv("DVCQ_NO_CACHE", raising=False)
    folder = tmp_path / "cache"
    monkeypatch.setattr(catalog, "_cache_dir", lambda: folder)
    return folder


def write(folder: Path, day=15, name="Đơn vị A"):
    (folder / "units").mkdir(parents=True, exist_ok=True)
    (folder / "cached.yaml").write_text(PLAN.format(day=day), encoding="utf-8")
    (folder / "units" / "cached.yaml").write_text(UNITS.format(name=name), encoding="utf-8")
    return folder / "cached.yaml"


def load(path: Path):
    return catalog.cached_load(path, path.read_bytes())


def test_a_plan_is_parsed_once_then_read_from_the_cache(tmp_path, cache, monkeypatch):
    path = write(tmp_path / "plans")
    first = load(path)
    assert len(list(cache.glob("*.json"))) == 1
    monkeypatch.setattr(catalog, "load_plan", lambda *a, **k: pytest.fail("parsed again"))
    again = load(path)
    assert again.rules[0].due == first.rules[0].due and again.units[0].name == "Đơn vị A"


def test_a_changed_plan_or_units_file_is_parsed_again(tmp_path, cache):
    path = write(tmp_path / "plans")
    assert load(path).rules[0].due.ref.day == 15
    write(tmp_path / "plans", day=20)
    assert load(path).rules[0].due.ref.day == 20
    write(tmp_path / "plans", day=20, name="Đơn vị B")
    assert load(path).units[0].name == "Đơn vị B"


def test_a_damaged_cache_entry_is_ignored(tmp_path, cache):
    path = write(tmp_path / "plans")
    load(path)
    for entry in cache.glob("*.json"):
        entry.write_bytes(b"not JSON")
    assert load(path).id == "cached"


def test_a_broken_plan_is_never_cached(tmp_path, cache):
    from dvcq.core.errors import PlanError

    path = write(tmp_path / "plans")
    path.write_text("id: cached\nissuer: x\nyears: [2024]\nreports:\n  - id: a\n    evry: year\n", encoding="utf-8")
    with pytest.raises(PlanError):
        load(path)
    assert not list(cache.glob("*.json")) if cache.exists() else True


def test_a_one_plan_load_reads_no_other_plan(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    write(folder)
    (folder / "other.yaml").write_text("id: other\nissuer: x\nyears: [2024]\nreports: []\n", encoding="utf-8")
    read = []
    real = catalog.read_capped
    monkeypatch.setattr(catalog, "read_capped", lambda p, *a: read.append(Path(p).name) or real(p, *a))
    found = catalog.Catalog.load([folder], only="cached")
    assert [p.id for p in found.plans] == ["cached"]
    assert "other.yaml" not in read and "other" in found.ids()


def test_the_cache_stays_bounded(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(catalog, "CACHE_ENTRIES", 4)
    for day in range(1, 8):
        load(write(tmp_path / f"plans{day}", day=day))
    assert len(list(cache.glob("*.json"))) <= 4
