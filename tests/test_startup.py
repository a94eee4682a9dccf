"""Start-up (issue 18): a run whose plans and days off are in the user cache reads no YAML, and
building only the command being run changes nothing a user sees."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import run_cli


def _env(tmp_path):
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
            "XDG_DATA_HOME": str(tmp_path / "data")}


def _imports_after(args, env):
    """The modules a run of `dvcq ARGS` imported (in-process, as the entry point runs it)."""
    code = ("import sys\nfrom dvcq.cli import main\nsys.argv = ['dvcq'] + sys.argv[1:]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stdout = sys.__stdout__\nimport json\nprint('\\n@@' + json.dumps(sorted(sys.modules)))")
    import os

    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       env={**os.environ, **env}, timeout=60)
    assert r.returncode == 0, r.stderr
    return set(json.loads(r.stdout.rsplit("@@", 1)[1]))


def test_a_cached_run_reads_no_yaml(tmp_path):
    env = _env(tmp_path)
    args = ["deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "json"]
    first = _imports_after(args, env)  # fills the caches: plans, days off, notices
    assert "yaml" in first
    again = _imports_after(args, env)
    assert "yaml" not in again and "dvcq.planfiles.loader" not in again


def test_a_changed_notices_file_is_read_again(tmp_path):
    """The notices are cached by content: the user's edit is what the next run uses."""
    env = _env(tmp_path)
    notices = tmp_path / "days.yaml"
    args = ["deadlines", "--plan", "thai-nguyen", "--year", "2024", "--month", "7", "--format", "json",
            "--calendar", str(notices)]
    notices.write_text("days_off: []\n", encoding="utf-8")
    r = run_cli(*args, env=env)
    monthly = [d for d in json.loads(r.stdout)["deadlines"] if d["report"] == "monthly"]
    # Thái Nguyên's monthly report of June 2024: "trước ngày 15" of July, last on-time day Sun 14/7,
    # moved to Mon 15/7/2024 (Civil Code art. 148(5))
    assert [d["effective_due"] for d in monthly] == ["2024-07-15"], r.stdout
    notices.write_text("days_off:\n  - {date: 2024-07-15, name: Ngày thử, source: thử}\n", encoding="utf-8")
    r = run_cli(*args, env=env)
    monthly = [d for d in json.loads(r.stdout)["deadlines"] if d["report"] == "monthly"]
    assert [d["effective_due"] for d in monthly] == ["2024-07-16"], r.stdout
    notices.write_text("days_off:\n  - {date: 2024-07-15, nam: typo}\n", encoding="utf-8")
    r = run_cli(*args, env=env)  # a broken file is never taken from the cache: located error
    assert r.returncode == 2 and f"{notices}:2" in r.stderr and "nam" in r.stderr, r.stderr


def test_the_command_line_around_the_command_run(tmp_path):
    env = _env(tmp_path)
    profile = tmp_path / "p.toml"
    profile.write_text('lang = "en"\n', encoding="utf-8")
    r = run_cli("--config", str(profile), "plans", env=env)  # the root option before the command
    assert r.returncode == 0 and "thai-nguyen" in r.stdout, r.stderr
    r = run_cli("deadlnes", "--plan", "thai-nguyen", env=env)
    assert r.returncode == 2 and "deadlnes" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("ledger", "verify", "--db", str(tmp_path / "none.sqlite3"), env=env)  # a group's command
    assert r.returncode == 2 and "none.sqlite3" in r.stderr
