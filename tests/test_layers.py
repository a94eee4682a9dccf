"""The house by layers (README, Layout): each package imports only the layers below it, and no
module imports itself back through others. Read from the source with `ast`, lazy imports inside
functions included: a lazy import is still a dependency."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

DVCQ = Path(__file__).resolve().parent.parent / "dvcq"

# what each layer may import (besides itself); "dvcq" alone is the package's __init__ (__version__)
ALLOWED = {
    "core": {"dvcq"},
    "planfiles": {"dvcq", "core"},
    "ledger": {"dvcq", "core", "planfiles.files"},
    "documents": {"dvcq", "core", "planfiles"},
    "output": {"dvcq", "core"},
    "api": {"dvcq", "core", "planfiles", "ledger", "documents", "output"},
    "cli": {"dvcq", "api", "output", "core.errors", "core.messages"},
    "__main__": {"cli"},
}
MAX_LINES = 700


def module_name(path: Path) -> str:
    parts = path.relative_to(DVCQ.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The dvcq modules this file imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "dvcq"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.split(".")[0] != "dvcq":
                continue
            for a in node.names:  # `from dvcq.core import model` imports dvcq.core.model
                candidate = f"{base}.{a.name}"
                found.add(candidate if MODULES.get(candidate) else base)
    return found - {here}


MODULES = {module_name(p): p for p in DVCQ.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "dvcq"


def allowed(importer: str, imported: str) -> bool:
    own = layer(importer)
    if own == "dvcq" or layer(imported) == own:
        return True
    rest = imported.split(".", 1)[1] if "." in imported else "dvcq"
    return any(rest == a or rest.startswith(a + ".") for a in ALLOWED[own])


def test_each_layer_imports_only_the_layers_below_it():
    wrong = sorted(f"{a} imports {b}" for a, deps in GRAPH.items() for b in deps if not allowed(a, b))
    assert wrong == []


def test_no_import_circles():
    # Tarjan-free: a depth-first search that reports the first cycle through each module
    circles = set()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt not in GRAPH:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                circles.add(" -> ".join(cycle))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert sorted(circles) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_700_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it along its own layers"


def test_the_checker_sees_a_violation():
    """The test above can fail: a core module importing output is reported."""
    assert not allowed("dvcq.core.engine", "dvcq.output.render")
    assert not allowed("dvcq.output.render", "dvcq.ledger")
    assert not allowed("dvcq.output.render", "dvcq.planfiles.profile")
    assert allowed("dvcq.documents.desk", "dvcq.core.engine")


# -- one home for each vocabulary ------------------------------------------------------------------
import re  # noqa: E402

LANGUAGE_BRANCH = re.compile(r"""lang\s*[!=]=\s*["'](?:vi|en)["']|\bif vi\b|\bvi else\b|\bvi = lang\b""")


def test_no_sentence_chosen_by_language_outside_the_catalog():
    """Every sentence a user reads comes from dvcq/core/messages: no module picks one by `lang`."""
    found = []
    for name, path in MODULES.items():
        if name.startswith("dvcq.core.messages"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LANGUAGE_BRANCH.search(line.split("#")[0]):
                found.append(f"{path.relative_to(DVCQ.parent)}:{number}: {line.strip()}")
    assert found == []


def test_both_catalogs_hold_the_same_messages_and_every_id_used_exists():
    from dvcq.core.messages import en, vi

    assert set(vi.MESSAGES) == set(en.MESSAGES)
    used = set()
    for path in MODULES.values():
        used |= set(re.findall(r"""\b(?:say|words)\([^,()]+,\s*["']([a-z0-9_.-]+)["']""", path.read_text(encoding="utf-8")))
    assert sorted(used - set(vi.MESSAGES)) == []
    for key in vi.MESSAGES:  # the same fields in both languages
        fields = lambda text: set(re.findall(r"{(\w+)", text))  # noqa: E731
        assert fields(vi.MESSAGES[key]) == fields(en.MESSAGES[key]), key


def test_the_frequency_words_live_in_one_table():
    """No module keeps its own table keyed by frequency: `"month":` appears in the frequency table
    (as `Frequency("month", ...)`) and otherwise only as a day reference's key in the plan format."""
    found = []
    for name, path in MODULES.items():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r'["\']month["\']\s*:\s*["\']', line):  # "month": "monthly", a per-frequency word
                found.append(f"{name}:{number}: {line.strip()}")
            # any table keyed by frequency ({"quarter": ..., "half": ...}), a comparison with one aside
            if re.search(r'(?<![=!]= )["\'](?:quarter|half|nine-months)["\']\s*:', line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_every_use_case_is_reachable_from_api_whatever_was_imported_first():
    """dvcq.api loads its areas lazily: importing an area module (as another area does) must not hide
    a use case behind a module of the same name (`api.board` was once the module, not the function)."""
    code = ("import importlib, types\n"
            "from dvcq import api\n"
            "for area in reversed(list(api.AREAS)):\n"
            "    importlib.import_module(f'dvcq.api.{area}')\n"
            "bad = [n for ns in api.AREAS.values() for n in ns if isinstance(getattr(api, n), types.ModuleType)]\n"
            "print(bad)\n")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
