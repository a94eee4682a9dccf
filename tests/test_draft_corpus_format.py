"""The hand-written draft corpus (tests/draft_corpus) is consistent with its own format.

Only the corpus is checked here (ids, frequencies, period labels, dates, windows, merges, senders and
recipients quoted from the text, every section with its yaml). Whether `dvcq draft` finds these rules
is another test's business.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).resolve().parent / "draft_corpus"
SECTIONS = CORPUS / "sections"

EVERY = {"month", "quarter", "half", "nine-months", "year", "once", "on-request"}
RECURRING = {"month", "quarter", "half", "nine-months", "year"}
PERIOD_COUNT = {"month": 12, "quarter": 4, "half": 2}  # frequencies whose periods can be picked
LABEL = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half": re.compile(r"^(\d{4})-H([12])$"),
    "nine-months": re.compile(r"^(\d{4})-9M$"),
    "year": re.compile(r"^(\d{4})$"),
}
SENTENCE_KEYS = {"id", "shape", "text", "year", "expect", "senders", "recipient", "dated"}
RULE_KEYS = {"every", "periods", "due", "window", "merged_into"}
SECTION_RULE_KEYS = RULE_KEYS | {"senders", "recipient"}
SECTION_KEYS = {"year", "expect", "dated_sentences"}


def as_date(value, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise AssertionError(f"{where}: {value!r} has a time; give a date")
    if isinstance(value, dt.date):
        return value
    assert isinstance(value, str), f"{where}: {value!r} is not a date"
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AssertionError(f"{where}: {value!r} is not an ISO date") from None


def parse_label(every: str, label, where: str) -> tuple[int, int]:
    """(year, index of the period in its year: month 1-12, quarter 1-4, half 1-2, else 1)."""
    match = LABEL[every].match(str(label))
    assert match, f"{where}: {label!r} is not a {every} period label"
    year = int(match.group(1))
    return year, int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1


def period_start(every: str, year: int, index: int) -> dt.date:
    month = {"month": index, "quarter": 3 * index - 2, "half": 6 * index - 5}.get(every, 1)
    return dt.date(year, month, 1)


def check_body(name, text: str, where: str) -> None:
    assert isinstance(name, str) and name.strip(), f"{where}: empty body name"
    assert name in text, f"{where}: {name!r} is not an exact substring of the text"


def check_rule(rule, year: int, text: str, where: str, *, section: bool) -> None:
    assert isinstance(rule, dict), f"{where}: a rule is a mapping"
    extra = set(rule) - (SECTION_RULE_KEYS if section else RULE_KEYS)
    assert not extra, f"{where}: unknown keys {sorted(extra)}"
    every = rule.get("every")
    assert every in EVERY, f"{where}: every={every!r} is not one of {sorted(EVERY)}"
    if every == "on-request":
        for key in ("due", "window", "merged_into", "periods"):
            assert key not in rule, f"{where}: an on-request rule has no {key}"
    elif every == "once":
        for key in ("window", "merged_into", "periods"):
            assert key not in rule, f"{where}: a one-off rule has no {key}"
        due = rule.get("due")
        assert isinstance(due, dict) and set(due) == {"once"}, f"{where}: once needs due: {{once: DATE}}"
        day = as_date(due["once"], f"{where} due.once")
        assert year - 1 <= day.year <= year + 1, f"{where}: {day} is far from the plan year {year}"
    else:
        periods = rule.get("periods")
        if periods is not None:
            assert every in PERIOD_COUNT, f"{where}: periods only for {sorted(PERIOD_COUNT)}"
            assert isinstance(periods, list) and periods, f"{where}: periods is a non-empty list"
            assert all(isinstance(p, int) and 1 <= p <= PERIOD_COUNT[every] for p in periods), f"{where}: bad periods {periods}"
            assert periods == sorted(set(periods)), f"{where}: periods must be sorted, without repeats"
        merged = rule.get("merged_into") or {}
        assert isinstance(merged, dict), f"{where}: merged_into is a mapping"
        merged_labels = set()
        for label, target in merged.items():
            y, index = parse_label(every, label, f"{where} merged_into")
            assert y == year, f"{where}: merged period {label} is not in {year}"
            assert periods is None or index not in periods, f"{where}: {label} is both picked and merged"
            merged_labels.add(str(label))
            assert isinstance(target, str) and ":" in target, f"{where}: merged_into value {target!r} is not 'every:period'"
            target_every, target_label = target.split(":", 1)
            assert target_every in RECURRING and target_every != every, f"{where}: cannot merge into {target_every!r}"
            parse_label(target_every, target_label, f"{where} merged_into target")
        due = rule.get("due")
        assert isinstance(due, dict) and due, f"{where}: a {every} rule needs due samples"
        for label, value in due.items():
            y, index = parse_label(every, label, f"{where} due")
            assert y == year, f"{where}: sample period {label} is not in the plan year {year}"
            assert periods is None or index in periods, f"{where}: {label} is outside periods {periods}"
            assert str(label) not in merged_labels, f"{where}: {label} is merged and has a due date"
            day = as_date(value, f"{where} due {label}")
            assert day > period_start(every, y, index), f"{where}: {label} is due {day}, before its period starts"
            assert day.year <= year + 1, f"{where}: {label} due {day} is too late"
        window = rule.get("window") or {}
        assert isinstance(window, dict), f"{where}: window is a mapping"
        for label, pair in window.items():
            parse_label(every, label, f"{where} window")
            assert str(label) in {str(k) for k in due}, f"{where}: window {label} has no due sample"
            assert isinstance(pair, list) and len(pair) == 2, f"{where}: window {label} is [first, last]"
            first, last = (as_date(v, f"{where} window {label}") for v in pair)
            assert first <= last, f"{where}: window {label} starts {first} after it ends {last}"
            assert year - 2 <= first.year and last.year <= year + 1, f"{where}: window {label} is far from {year}"
    if section:
        for name in rule.get("senders", []) or []:
            check_body(name, text, f"{where} senders")
        if "recipient" in rule:
            check_body(rule["recipient"], text, f"{where} recipient")


def load(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def sentences():
    data = load(CORPUS / "sentences.yaml")
    assert isinstance(data, list)
    return data


def test_enough_sentences_with_unique_ids(sentences):
    assert len(sentences) >= 150
    ids = [entry.get("id") for entry in sentences]
    assert all(isinstance(i, str) and re.fullmatch(r"s\d{3}", i) for i in ids), "ids look like s001"
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"


def test_each_sentence_is_well_formed(sentences):
    for entry in sentences:
        where = f"sentences.yaml {entry.get('id')}"
        assert isinstance(entry, dict), where
        extra = set(entry) - SENTENCE_KEYS
        assert not extra, f"{where}: unknown keys {sorted(extra)}"
        for key in ("id", "shape", "text", "year", "expect", "dated"):
            assert key in entry, f"{where}: missing {key}"
        assert isinstance(entry["shape"], str) and re.fullmatch(r"[a-z0-9-]+", entry["shape"]), f"{where}: shape tag"
        text = entry["text"]
        assert isinstance(text, str) and text.strip(), f"{where}: empty text"
        year = entry["year"]
        assert isinstance(year, int) and 2000 <= year <= 2100, f"{where}: year {year!r}"
        assert isinstance(entry["dated"], bool), f"{where}: dated is true or false"
        expect = entry["expect"]
        assert isinstance(expect, list), f"{where}: expect is a list"
        if not entry["dated"]:
            assert expect == [], f"{where}: a sentence with no deadline word or report kind holds no rule"
        for n, rule in enumerate(expect):
            check_rule(rule, year, text, f"{where} rule {n}", section=False)
        senders = entry.get("senders", [])
        assert isinstance(senders, list), f"{where}: senders is a list"
        for name in senders:
            check_body(name, text, f"{where} senders")
        if "recipient" in entry:
            check_body(entry["recipient"], text, f"{where} recipient")


def test_corpus_covers_its_shapes(sentences):
    shapes = [entry["shape"] for entry in sentences]
    assert len(set(shapes)) >= 10
    assert sum(1 for entry in sentences if not entry["dated"]) >= 10, "context sentences with no deadline"
    assert sum(1 for entry in sentences if entry["expect"]) >= 140


def section_files():
    return sorted(p for p in SECTIONS.iterdir() if p.is_file())


def test_every_section_has_its_yaml():
    files = section_files()
    for path in files:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.(txt|yaml)", path.name), f"{path.name}: name is NN-shape.txt/.yaml"
    texts = {p.stem for p in files if p.suffix == ".txt"}
    yamls = {p.stem for p in files if p.suffix == ".yaml"}
    assert texts == yamls, f"unpaired: {sorted(texts ^ yamls)}"
    numbers = [stem[:2] for stem in texts]
    assert len(numbers) == len(set(numbers)), "two sections share a number"
    assert len(texts) >= 12


@pytest.mark.parametrize("stem", sorted({p.stem for p in SECTIONS.glob("*.txt")}))
def test_section_is_well_formed(stem):
    text = (SECTIONS / f"{stem}.txt").read_text(encoding="utf-8")
    assert text.strip(), f"{stem}.txt is empty"
    data = load(SECTIONS / f"{stem}.yaml")
    assert isinstance(data, dict), f"{stem}.yaml is a mapping"
    assert set(data) == SECTION_KEYS, f"{stem}.yaml: keys are {sorted(SECTION_KEYS)}"
    year = data["year"]
    assert isinstance(year, int) and 2000 <= year <= 2100
    assert isinstance(data["expect"], list) and data["expect"], f"{stem}.yaml: a section holds rules"
    count = data["dated_sentences"]
    assert isinstance(count, int) and count >= 1
    for n, rule in enumerate(data["expect"]):
        check_rule(rule, year, text, f"{stem}.yaml rule {n}", section=True)


def test_readme_is_there():
    assert (CORPUS / "README.md").is_file()
