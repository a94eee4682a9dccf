"""Issue 22, item 4: a plan's units file or a --calendar that is a link to a secret file (as an
untrusted pull request could make one) never prints that file's lines in an error: CI logs are
public. /etc/shadow's lines end in ':', which YAML reads as keys: each would be an 'unknown key'."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_cli

SECRET = "".join(f"user{i}:$6$saltsalt$hashhashhash{i}:19000:0:99999:7:::\n" for i in range(5))


def secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "shadow"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    return secret


def test_a_units_file_linked_to_a_secret_prints_none_of_its_lines(tmp_path):
    plans = tmp_path / "plans"
    (plans / "units").mkdir(parents=True)
    shutil.copy(REPO / "plans" / "thai-nguyen.yaml", plans / "thai-nguyen.yaml")
    (plans / "units" / "thai-nguyen.yaml").symlink_to(secret_file(tmp_path))
    for args in (("deadlines", "--plans-dir", str(plans), "--plan", "thai-nguyen", "--year", "2024"),
                 ("check", str(plans / "thai-nguyen.yaml"))):
        r = run_cli(*args, "--lang", "en")  # the English message (issue 23: a run says it in its language)
        assert r.returncode in (1, 2), (args, r.stderr)
        assert "unknown key" in r.stderr + r.stdout  # the problem is still said, at its place
        assert "hashhash" not in r.stderr + r.stdout and "saltsalt" not in r.stderr + r.stdout, args


def test_a_calendar_linked_to_a_secret_prints_none_of_its_lines(tmp_path):
    link = tmp_path / "notices.yaml"
    link.symlink_to(secret_file(tmp_path))
    r = run_cli("deadlines", "--calendar", str(link), "--plan", "thai-nguyen", "--year", "2024", "--lang", "en")
    assert r.returncode == 2 and "unknown key" in r.stderr
    assert "hashhash" not in r.stderr + r.stdout and "saltsalt" not in r.stderr + r.stdout
