"""Issue 22: `--output` over an existing file, killed at any moment (SIGKILL: no handler runs), leaves
either the old file whole or the new one whole, never a file cut short or empty (the old writer
opened the file for writing first: 0 bytes in 8 runs of 8)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from conftest import REPO

OLD = "the previous answer, kept whole\n" * 100


def test_output_killed_mid_write_leaves_the_old_file_or_the_new_one_whole(tmp_path):
    out = tmp_path / "deadlines.csv"
    env = {**os.environ, "DVCQ_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "c"),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d")}
    argv = [sys.executable, "-m", "dvcq", "deadlines", "--plan", "thai-nguyen", "--year", "2024", "--format", "csv",
            "--output", str(out), "--force"]
    full = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert full.returncode == 0, full.stderr
    new = out.read_text(encoding="utf-8")
    rng = random.Random(22)
    outcomes = set()
    for _ in range(8):
        out.write_text(OLD, encoding="utf-8")
        child = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        text = out.read_text(encoding="utf-8")
        assert text in (OLD, new), f"a cut file of {len(text)} characters"
        outcomes.add("old" if text == OLD else "new")
    assert len(outcomes) >= 1
