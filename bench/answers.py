"""What the use cases' answers would cost as dataclasses: issue 18 asks for `dataclasses` (with
slots=True) unless that costs more than 2 ms of start-up.

Each of dvcq.api's answer classes is rebuilt, with its own field names and defaults, once with
`@dataclass(slots=True)` and once with `api.answer`, in a fresh interpreter each time (the classes
are made at import, once per run of dvcq); the medians of the two, and their difference, are what
every run of dvcq would pay.

    python bench/answers.py [--runs N]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# In the child: read the answer classes' fields from dvcq/api/'s source (without importing it, so
# its own import cost is not in the figure), then time making every one of them.
CHILD = r"""
import ast, sys, time
import glob
classes = []
nodes = [n for f in sorted(glob.glob(sys.argv[1] + "/*.py")) for n in ast.parse(open(f, encoding="utf-8").read()).body]
for node in nodes:
    if isinstance(node, ast.ClassDef) and any(getattr(d, "id", None) == "answer" for d in node.decorator_list):
        fields = [(s.target.id, s.value is not None) for s in node.body if isinstance(s, ast.AnnAssign)]
        classes.append((node.name, fields))
import dataclasses  # already imported by dvcq.core.model on every run: not part of the cost
kind = sys.argv[2]
if kind != "dataclass":
    sys.path.insert(0, sys.argv[3])
    from dvcq.api import answer  # imported on every run anyway: not part of the cost
t = time.perf_counter()
if kind == "dataclass":
    for name, fields in classes:
        spec = [(n, object, dataclasses.field(default_factory=list)) if has else (n, object) for n, has in fields]
        spec.sort(key=len)  # fields without a default first, as a dataclass requires
        dataclasses.make_dataclass(name, spec, slots=True)
else:
    for name, fields in classes:
        body = {"__annotations__": {n: object for n, _ in fields}}
        body.update({n: None for n, has in fields if has})
        answer(type(name, (), body))
print((time.perf_counter() - t) * 1000, len(classes))
"""


def measure(runs: int) -> dict:
    api = str(REPO / "dvcq" / "api")
    got = {"dataclass": [], "answer": []}
    count = 0
    for _ in range(runs):
        for kind in got:  # in turn, so a slow spell hits both alike
            out = subprocess.run([sys.executable, "-c", CHILD, api, kind, str(REPO)], capture_output=True, text=True,
                                 check=True).stdout.split()
            got[kind].append(float(out[0]))
            count = int(out[1])
    dc, plain = statistics.median(got["dataclass"]), statistics.median(got["answer"])
    return {"classes": count, "dataclass_ms": round(dc, 2), "answer_ms": round(plain, 2), "cost_ms": round(dc - plain, 2)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    print(json.dumps(measure(ap.parse_args().runs)))
