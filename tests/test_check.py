"""`dvcq check`: every code at its line, hostile input handled, shipped plans clean."""
import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from dvcq.planfiles.check import CODES
from dvcq.planfiles.loader import DAYREF_KEYS, PLAN_KEYS, REPORT_KEYS, TASK_KEYS

CORPUS = Path(__file__).parent / "check_corpus"


def expectation(path: Path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    if not first.startswith("# expect:"):
        return path.stem, 1  # the empty file has no room for a header
    code, line = first.split(":", 1)[1].split()
    return code, (None if line == "any" else int(line))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.yaml")), ids=lambda p: p.stem)
def test_corpus_file_gives_its_code_at_its_line(path):
    code, line = expectation(path)
    r = run_cli("check", "--format", "json", str(path))
    found = json.loads(r.stdout)
    assert any(p["code"] == code and (line is None or p["line"] == line) for p in found), found
    assert "Traceback" not in r.stderr
    is_error = CODES[code][0] == "error"
    assert r.returncode == (1 if is_error else 0)
    if not is_error:
        assert run_cli("check", "--strict", str(path)).returncode == 1


def test_corpus_covers_every_code():
    codes = {expectation(p)[0] for p in CORPUS.glob("*.yaml")}
    untested_elsewhere = {"duplicate-plan", "encoding", "too-deep", "unreadable", "yaml-key"}
    assert set(CODES) - untested_elsewhere <= codes


def test_shipped_plans_pass_strict():
    r = run_cli("check", "--strict", str(REPO / "plans"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""


def test_default_paths_are_the_plans_in_use():
    r = run_cli("check")
    assert r.returncode == 0 and "đã kiểm tra 5 tệp" in r.stderr  # in the run's language, vi (issue 23)


def test_literal_2023_in_sgtvt_plan_fails_strict_at_that_line(tmp_path):
    """The Sở GTVT text says 'trước ngày 10/5/2023' in a 2024 plan; encoding it literally is caught."""
    text = (REPO / "plans" / "ha-giang-sgtvt.yaml").read_text(encoding="utf-8")
    assert text.count("date: 2024-05-10") == 1
    slipped = text.replace("date: 2024-05-10", "date: 10/5/2023")
    line = next(i for i, l in enumerate(slipped.splitlines(), 1) if "10/5/2023" in l and "date:" in l)
    f = tmp_path / "ha-giang-sgtvt.yaml"
    f.write_text(slipped, encoding="utf-8")
    assert run_cli("check", str(f)).returncode == 0  # a warning: not strict yet
    r = run_cli("check", "--strict", str(f))
    assert r.returncode == 1
    assert f"{f}:{line}:" in r.stdout and "[year-mismatch]" in r.stdout


@pytest.mark.usefixtures("english")
def test_duplicate_plan_id_across_files(tmp_path):
    src = (REPO / "plans" / "hau-giang.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(src, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(src, encoding="utf-8")
    r = run_cli("check", str(tmp_path))
    assert r.returncode == 1
    assert f"{tmp_path / 'b.yaml'}:4:5: error: plan id 'hau-giang' for 2024 is already defined in" in r.stdout


def _run_measured(args):
    """Run dvcq in a child and return (result, peak RSS of that child in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = subprocess.run([sys.executable, "-m", "dvcq", *args], capture_output=True, text=True, timeout=20)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return r, max(peak, before) / 1024


@pytest.mark.parametrize("name,make,code", [
    ("huge.yaml", lambda: b"a: " + b"x" * 50_000_000 + b"\n", "too-large"),
    ("deep.yaml", lambda: b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "too-deep"),
    ("deep-map.yaml", lambda: b"{a: " * 10_000 + b"}" * 10_000 + b"\n", "too-deep"),
    ("cp1258.yaml", lambda: "id: ha-giang\nissuer: UBND tỉnh Hà Giang\n".encode("cp1258", "replace") + b"\xd2\xde\n", "encoding"),
    ("bomb.yaml", lambda: (CORPUS / "too-large.yaml").read_bytes(), "too-large"),
    ("tag.yaml", lambda: b"!!python/object:os.system\nid: x\n", "yaml-tag"),
])
def test_hostile_input_is_a_clean_error(tmp_path, name, make, code):
    f = tmp_path / name
    f.write_bytes(make())
    r, peak_mb = _run_measured(["check", "--format", "json", str(f)])
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert [p["code"] for p in json.loads(r.stdout)] == [code]
    assert peak_mb < 200


@pytest.mark.usefixtures("english")
def test_github_and_text_formats():
    path = CORPUS / "year-mismatch.yaml"
    gh = run_cli("check", "--format", "github", str(path)).stdout.splitlines()
    assert any(l.startswith(f"::warning file={path},line=11,col=26,title=year-mismatch::") for l in gh)
    text = run_cli("check", str(path)).stdout.splitlines()
    assert f"{path}:11:26: warning: " in text[0] and text[0].endswith("[year-mismatch]")


@pytest.mark.usefixtures("english")
def test_missing_path_is_a_usage_error():
    r = run_cli("check", "/nonexistent/plan.yaml")
    assert r.returncode == 2 and r.stderr.strip() == "dvcq: error: /nonexistent/plan.yaml: no such file or folder"


def test_schema_command_matches_shipped_file_and_loader():
    r = run_cli("schema")
    shipped = (REPO / "dvcq" / "data" / "plan.schema.json").read_text(encoding="utf-8")
    assert r.stdout == shipped, "regenerate: dvcq schema > dvcq/data/plan.schema.json"
    schema = json.loads(shipped)
    assert set(schema["properties"]) == PLAN_KEYS
    report = schema["properties"]["reports"]["items"]
    assert set(report["properties"]) == REPORT_KEYS
    assert set(schema["properties"]["tasks"]["items"]["properties"]) == TASK_KEYS
    assert set(report["properties"]["due"]["properties"]["before"]["properties"]) == DAYREF_KEYS


def test_shipped_plans_validate_against_the_schema_and_point_editors_at_it():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads((REPO / "dvcq" / "data" / "plan.schema.json").read_text(encoding="utf-8"))
    for path in sorted((REPO / "plans").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../dvcq/data/plan.schema.json\n")
        data = json.loads(json.dumps(yaml.safe_load(text), default=str))
        jsonschema.validate(data, schema)
    broken = json.loads(json.dumps(yaml.safe_load((CORPUS / "unknown-key.yaml").read_text(encoding="utf-8")), default=str))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_readme_documents_every_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"| `{code}` |" in readme, code


@pytest.fixture
def english(monkeypatch):
    """A test that reads dvcq's messages in English: a run says them in its language (--lang,
    DVCQ_LANG, the profile; Vietnamese by default); tests/test_one_language.py reads the Vietnamese."""
    monkeypatch.setenv("DVCQ_LANG", "en")
