"""Safe YAML loading that keeps where each value came from.

PyYAML's safe_load forgets line numbers and silently keeps the last of two equal keys, which
would drop a plan rule without a word. We compose the node graph ourselves instead, so every
value has a position, duplicate keys are errors, and hostile input (alias bombs, deep nesting,
foreign tags, huge files) fails fast with a located message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is much faster on big files and is what pip wheels ship
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2_000_000  # a real plan is ~10 kB; anything this big is not a plan
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 200

Path = tuple  # a path into the document: ("reports", 0, "due")


@dataclass
class Located:
    """A loaded document: the plain value plus the (line, col) of every path in it (1-based)."""

    value: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path) -> tuple[int, int]:
        """Position of the node at path, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def where_key(self, path: Path) -> tuple[int, int]:
        """Position of the key naming path (for 'unknown key' messages)."""
        return self.key_marks.get(tuple(path)) or self.where(path)


@dataclass(frozen=True)
class InvalidScalar:
    """A scalar YAML recognised but could not build, such as the date 2024-04-31."""

    text: str
    reason: str


class YamlProblem(Exception):
    def __init__(self, message: str, line: int = 1, col: int = 1, code: str = "yaml-syntax"):
        super().__init__(message)
        self.message, self.line, self.col, self.code = message, line, col, code


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load(text: str | bytes) -> Located:
    """Parse one YAML document into plain Python values with positions. Raises YamlProblem."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise YamlProblem(f"file is {len(text):,} bytes; a plan file is at most {MAX_BYTES:,}", code="too-large")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise YamlProblem(f"not UTF-8 text (byte {exc.start}): save the file as UTF-8", code="encoding") from None
    if len(text) > MAX_BYTES:
        raise YamlProblem(f"file is {len(text):,} characters; a plan file is at most {MAX_BYTES:,}", code="too-large")
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except RecursionError:
            raise YamlProblem(f"nesting is too deep (more than {MAX_DEPTH} levels)", code="too-deep") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            raise YamlProblem(f"YAML syntax: {msg}", line, col) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"YAML syntax: {exc}") from None
        located = Located(value=None)
        if root is None:
            return located
        counter = [0]
        located.value = _convert(root, (), located, loader, counter, 0)
        return located
    finally:
        loader.dispose()


def _convert(node, path, located, loader, counter, depth):
    counter[0] += 1
    if counter[0] > MAX_NODES:
        line, col = _pos(node)
        raise YamlProblem(
            f"document expands to more than {MAX_NODES:,} values (alias bomb?)", line, col, code="too-large"
        )
    if depth > MAX_DEPTH:
        line, col = _pos(node)
        raise YamlProblem(f"nesting is too deep (more than {MAX_DEPTH} levels)", line, col, code="too-deep")
    located.marks[path] = _pos(node)
    if isinstance(node, yaml.MappingNode):
        if node.tag not in ("tag:yaml.org,2002:map",):
            line, col = _pos(node)
            raise YamlProblem(f"tag {node.tag!r} is not allowed in a plan file", line, col, code="yaml-tag")
        out: dict = {}
        loader.flatten_mapping(node)  # resolves "<<" merge keys the standard way
        for key_node, value_node in node.value:
            key = _convert(key_node, path + ("<key>",), located, loader, counter, depth + 1)
            if not isinstance(key, (str, int)):
                line, col = _pos(key_node)
                raise YamlProblem("mapping keys must be plain text", line, col, code="yaml-key")
            if key in out:
                line, col = _pos(key_node)
                first = located.key_marks[path + (key,)][0]
                raise YamlProblem(
                    f"duplicate key {key!r} (first at line {first}); YAML would silently keep only the last",
                    line, col, code="duplicate-key",
                )
            located.key_marks[path + (key,)] = _pos(key_node)
            out[key] = _convert(value_node, path + (key,), located, loader, counter, depth + 1)
        located.marks.pop(path + ("<key>",), None)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            line, col = _pos(node)
            raise YamlProblem(f"tag {node.tag!r} is not allowed in a plan file", line, col, code="yaml-tag")
        return [
            _convert(item, path + (i,), located, loader, counter, depth + 1) for i, item in enumerate(node.value)
        ]
    if node.tag == "tag:yaml.org,2002:str":
        return node.value  # most plan values: skip the constructor machinery
    allowed = {
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    }
    if node.tag not in allowed:
        line, col = _pos(node)
        raise YamlProblem(f"tag {node.tag!r} is not allowed in a plan file", line, col, code="yaml-tag")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:
        # e.g. 2024-04-31: keep going so the validator reports it at its place with the others
        return InvalidScalar(node.value, str(exc))
