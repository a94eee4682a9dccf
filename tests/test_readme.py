"""The README's samples are real output: if the program changes, this fails until the docs do."""
import re

from conftest import REPO, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def sample_after(marker: str) -> list[str]:
    """The indented block that follows the paragraph containing `marker`."""
    tail = README[README.index(marker):]
    block = re.search(r"\n\n((?:    .*\n|\n)+?)(?:\n\S|\Z)", tail).group(1)
    return [line[4:] for line in block.rstrip("\n").split("\n")]


def test_explain_sample():
    lines = sample_after("`explain` shows how one date was derived:")
    real = run_cli("explain", "--plan", "thai-nguyen", "--report", "monthly", "--period", "2024-02").stdout.splitlines()
    for doc, out in zip(lines, real, strict=True):
        if doc.endswith("...»"):  # the README shortens the quote
            assert out.startswith(doc[:-4])
        else:
            assert doc == out


def test_calendar_sample():
    lines = sample_after("or with `NO_COLOR`")
    real = run_cli("calendar", "--plan", "thai-nguyen", "--year", "2024", "--month", "2").stdout.rstrip("\n").split("\n")
    assert lines == real


def test_the_two_setup_commands_are_those_ci_runs():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    setup = README[README.index("## Set up"):README.index("## Use")]
    commands = [l.strip() for l in setup.splitlines() if l.startswith("    ")]
    assert commands == ["pip install . && dvcq deadlines --plan thai-nguyen --year 2024",
                        "pip install -e '.[test]' && python -m pytest"]
    assert "-e '.[test]' && python -m pytest" in ci
