"""Safe YAML loading that keeps where each value came from.

PyYAML's safe_load forgets line numbers and silently keeps the last of two equal keys, which
would drop a plan rule without a word. We compose the node graph ourselves instead, so every
value has a position, duplicate keys are errors, and hostile input (alias bombs, deep nesting,
foreign tags, huge files) fails fast with a located message.

Every limit here is our own and fires before any PyYAML version's: nesting is measured on the
token stream before composing (PyYAML 6.0.4 refuses deep flow nesting itself, earlier versions
recurse until Python's limit), and merge keys ("<<") are expanded by us, counted like aliases
(older PyYAML's own merge is exponential on a crafted 480-byte file).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from dvcq.core.errors import PlanError
from dvcq.core.messages import Said  # a problem said in the run's language where it is printed
from dvcq.planfiles.files import PLAN_LIMIT as MAX_BYTES  # one limit for reading and for parsing
from dvcq.planfiles.files import shown_key

try:  # the C loader is much faster on big files and is what pip wheels ship
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 200

Path = tuple  # a path into the document: ("reports", 0, "due")

_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    _STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
         yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


@dataclass
class Located:
    """A loaded document: the plain value plus the (line, col) of every path in it (1-based)."""

    value: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    quoted: set[Path] = field(default_factory=set)  # scalars written in quotes: their text starts a column later

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
    """A scalar YAML recognised but could not build, such as the date 2024-04-31 or `!!int ""`."""

    text: str
    reason: str
    tag: str = "tag:yaml.org,2002:timestamp"

    @property
    def is_date(self) -> bool:
        return self.tag.endswith(":timestamp")


def _pos(node_or_mark) -> tuple[int, int]:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return mark.line + 1, mark.column + 1


def decode(raw: bytes, file: str, limit: int = MAX_BYTES) -> str:
    if len(raw) > limit:
        raise PlanError.at(file, 1, 1, "too-large", Said("yaml.too_large_bytes", size=len(raw), most=limit))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError.at(file, 1, 1, "encoding", Said("yaml.encoding", at=exc.start)) from None


def load(text: str | bytes, file: str = "<yaml>", max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> Located:
    """Parse one YAML document into plain Python values with positions. Raises PlanError. A units
    file listing a whole country's communes may be larger than a plan: its caller raises the limits."""
    if isinstance(text, bytes):
        text = decode(text, file, max_bytes)
    if len(text) > max_bytes:
        raise PlanError.at(file, 1, 1, "too-large", Said("yaml.too_large_chars", size=len(text), most=max_bytes))
    try:
        _check_depth(text, file)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            located = Located(value=None)
            if root is not None:
                located.value = _Composer(loader, located, file, max_nodes).convert(root, (), 0)
            return located
        finally:
            loader.dispose()
    except RecursionError:
        raise PlanError.at(file, 1, 1, "too-deep", Said("yaml.too_deep", most=MAX_DEPTH)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "nesting depth" in msg:  # a PyYAML that counts depth itself, should ours ever come second
            raise PlanError.at(file, line, col, "too-deep", Said("yaml.too_deep", most=MAX_DEPTH)) from None
        raise PlanError.at(file, line, col, "yaml-syntax", Said("yaml.syntax", why=msg)) from None
    except yaml.YAMLError as exc:
        raise PlanError.at(file, 1, 1, "yaml-syntax", Said("yaml.syntax", why=str(exc))) from None


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting past MAX_DEPTH from the token stream, before anything recurses on it."""
    depth = 0
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _pos(token)
                raise PlanError.at(file, line, col, "too-deep", Said("yaml.too_deep", most=MAX_DEPTH))
        elif isinstance(token, _CLOSE):
            depth -= 1


class _Composer:
    def __init__(self, loader, located: Located, file: str, max_nodes: int = MAX_NODES):
        self.loader, self.located, self.file = loader, located, file
        self.nodes, self.max_nodes = 0, max_nodes

    def fail(self, node, code: str, message: str):
        line, col = _pos(node)
        raise PlanError.at(self.file, line, col, code, message)

    def convert(self, node, path: Path, depth: int):
        self.nodes += 1
        if self.nodes > self.max_nodes:
            self.fail(node, "too-large", Said("yaml.expands", most=self.max_nodes))
        if depth > MAX_DEPTH:
            self.fail(node, "too-deep", Said("yaml.too_deep", most=MAX_DEPTH))
        self.located.marks[path] = _pos(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node, "yaml-tag", Said("yaml.tag", tag=node.tag))
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.style in ("'", '"'):
            self.located.quoted.add(path)
        return self.scalar(node)

    def mapping(self, node, path: Path, depth: int) -> dict:
        if node.tag != _MAP:
            self.fail(node, "yaml-tag", Said("yaml.tag", tag=node.tag))
        # "<<: *defaults" fills in what the mapping does not say itself, as YAML 1.1 defines; the
        # merged values are converted at this mapping's paths, so they keep their own positions
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                out.update(self.merge_source(value_node, path, depth))
        own: set = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.convert(key_node, path + ("<key>",), depth + 1)
            if isinstance(key, bool):  # YAML 1.1 reads on/off/yes/no as true/false
                self.fail(key_node, "yaml-key", Said("yaml.key_reads_as", key=key_node.value, reads=str(key).lower()))
            if not isinstance(key, (str, int)):
                self.fail(key_node, "yaml-key", Said("yaml.key_text"))
            if key in own:
                first = self.located.key_marks[path + (key,)][0]
                self.fail(key_node, "duplicate-key",
                          Said("yaml.duplicate_key", key=shown_key(key), first=first))
            own.add(key)
            self.located.key_marks[path + (key,)] = _pos(key_node)
            out[key] = self.convert(value_node, path + (key,), depth + 1)
        self.located.marks.pop(path + ("<key>",), None)
        return out

    def merge_source(self, node, path: Path, depth: int) -> dict:
        """The mappings a merge key names: one mapping, or a list of them (earlier ones win)."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result: dict = {}
        for source in reversed(sources):
            if not isinstance(source, yaml.MappingNode):
                self.fail(source, "bad-value", Said("yaml.merge_key"))
            result.update(self.mapping(source, path, depth + 1))
        return result

    def scalar(self, node):
        if node.tag == _STR:
            return node.value  # most plan values: skip the constructor machinery
        if node.tag not in _SCALAR_TAGS:
            self.fail(node, "yaml-tag", Said("yaml.tag", tag=node.tag))
        try:
            return self.loader.construct_object(node, deep=True)
        except Exception as exc:  # noqa: BLE001 - PyYAML raises IndexError, ValueError ... on bad scalars
            # e.g. 2024-04-31 or `!!int ""`: keep going so the validator reports it at its place
            return InvalidScalar(node.value, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, node.tag)
