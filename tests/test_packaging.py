"""A plain `pip install .` ships everything: every module and data file of the source tree."""
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    (found,) = out.glob("dvcq-*.whl")
    with zipfile.ZipFile(found) as z:
        return set(z.namelist())


def test_every_module_is_in_the_wheel(wheel):
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "dvcq").rglob("*.py")}
    assert modules and modules <= wheel, sorted(modules - wheel)


def test_every_data_file_and_plan_is_in_the_wheel(wheel):
    data = {p.relative_to(REPO).as_posix() for p in (REPO / "dvcq" / "data").rglob("*") if p.is_file()}
    plans = {"dvcq/" + p.relative_to(REPO).as_posix() for p in (REPO / "plans").rglob("*.yaml")}
    assert data and plans
    assert data | plans <= wheel, sorted((data | plans) - wheel)
