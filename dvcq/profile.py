"""The user profile: "my plans, my ledger, my unit, my language" in one TOML file.

```toml
plans = ["thai-nguyen"]          # the plans I follow; default: all
plans_dirs = ["my-plans"]        # relative paths are relative to the profile file
db = "ledger.sqlite3"            # a path (relative to the profile file) or a postgresql://… URL
calendars = ["notices-2027.yaml"]
lang = "vi"                      # vi | en
unit = "so-tai-chinh"
```

`find_profile` says which file is the profile (`--config`, `DVCQ_CONFIG`, `./dvcq.toml`, the user
config folder's `dvcq.toml`); `load_profile` reads and checks it, every finding located like the
plan checker's (`file:line:col: error: ... [code]`).

Start-up budget: importing this module imports neither tomllib nor platformdirs; they are
imported by the functions that need them.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import DvcqError, PlanError, Problem

FILE_NAME = "dvcq.toml"
LIMIT = 64 * 1024  # bytes; a profile is a handful of lines, anything bigger is the wrong file
LANGS = ("vi", "en")  # as api.LANGS (not imported: api pulls in the clock)
KEYS = ("plans", "plans_dirs", "db", "calendars", "lang", "unit")  # also the order of `dvcq config`
PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # planformat.ID_PATTERN; a test keeps the two equal
URL_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Profile:
    """What a profile file says; paths absolute, `db` an absolute path or a URL kept verbatim."""

    path: Path | None  # None: no profile found
    plans: tuple[str, ...] = ()  # () = all
    plans_dirs: tuple[Path, ...] = ()
    db: str | None = None
    calendars: tuple[Path, ...] = ()
    lang: str | None = None
    unit: str | None = None
    # the line of each key the file sets, for "profile /x/dvcq.toml:4"; not part of equality
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)


# -- finding it ------------------------------------------------------------------------------------
def user_profile_path() -> Path:
    """`dvcq.toml` in the user config folder (~/.config/dvcq on Linux, %APPDATA%\\dvcq on Windows)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("dvcq", appauthor=False)) / FILE_NAME


def find_profile(explicit: Path | None, env: Mapping[str, str], cwd: Path) -> Path | None:
    """The profile in use, first match wins: `--config FILE`, `DVCQ_CONFIG`, `dvcq.toml` in the
    working directory, `dvcq.toml` in the user config folder; None when there is none.

    A file named explicitly (the flag or the variable) must exist; relative names are taken
    from `cwd`.
    """
    named = [("--config", explicit)] if explicit is not None else []
    if env.get("DVCQ_CONFIG", "").strip():
        named.append(("DVCQ_CONFIG", Path(env["DVCQ_CONFIG"].strip())))
    if named:
        how, path = named[0]
        path = Path(cwd, Path(path).expanduser())
        if not path.exists():
            raise DvcqError(f"{how}: profile {path} does not exist")
        return path
    for path in (Path(cwd, FILE_NAME), user_profile_path()):
        if path.exists():
            return path
    return None


# -- reading it ------------------------------------------------------------------------------------
def _read_bounded(path: Path) -> bytes:
    """The file's bytes, at most LIMIT of them; a regular file only, whatever stat says its size is.

    Opened non-blocking, so a FIFO with no writer cannot hang the open; fstat on the open file
    (not the name, which could change in between) rejects FIFOs, devices and folders.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise DvcqError(f"{path}: the profile is a folder, not a file") from None
    except OSError as exc:
        if path.is_dir():  # Windows refuses to open a folder with PermissionError
            raise DvcqError(f"{path}: the profile is a folder, not a file") from None
        raise DvcqError(f"{path}: cannot read the profile: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                    else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
            raise DvcqError(f"{path}: the profile is {kind}, not a regular file")
        chunks, size = [], 0
        while size <= LIMIT:  # read(limit + 1) in as many calls as the OS needs
            chunk = os.read(fd, LIMIT + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise DvcqError(f"{path}: cannot read the profile: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > LIMIT:
        raise DvcqError(f"{path}: the profile is larger than {LIMIT // 1024} kB; is this the right file?")
    return b"".join(chunks)


def _toml():
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the same parser, before it joined the standard library
        import tomli as tomllib
    return tomllib


_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def _syntax_error(file: str, exc: Exception, text: str) -> PlanError:
    """tomllib's message, located where it says: '... (at line 3, column 8)'."""
    message = str(exc)
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)  # tomllib 3.14, tomli 2.1
    m = _WHERE.search(message)
    if m:
        message = message[:m.start()]
        if line is None:
            if m.group(1):
                line, col = int(m.group(1)), int(m.group(2))
            else:  # at end of document: the last line, after its last character
                last = text.rstrip("\n").split("\n")
                line, col = len(last), len(last[-1]) + 1
    message = message[:1].lower() + message[1:]
    return PlanError.at(file, line or 1, col or 1, "toml-syntax", f"{message} (TOML)")


_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\\n]|\\.)*"|' + r"'[^'\n]*'"
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_KEY_LINE = re.compile(rf"[ \t]*(?P<key>{_KEY})(?:[ \t]*\.[ \t]*{_KEY})*[ \t]*=")
_TABLE_LINE = re.compile(rf"[ \t]*(?P<open>\[\[?)[ \t]*(?P<key>{_KEY})")


def _key_lines(text: str, tomllib) -> dict[str, tuple[int, int]]:
    """Line and column of each top-level key of a (valid) TOML text, tables `[x]` included.

    tomllib gives values, not positions. A key starts a line outside any string or open bracket:
    the scan follows strings (multi-line ones too), brackets and comments just enough to know
    which lines those are. For a dotted key `a.b = 1` the top-level key is `a`.
    """
    found: dict[str, tuple[int, int]] = {}

    def record(key: str, line: int, col: int) -> None:
        if key[0] in "\"'":
            key = next(iter(tomllib.loads(f"{key} = 0")))
        found.setdefault(key, (line, col))

    in_tables, closing, depth = False, None, 0  # closing: the delimiter of an open multi-line string
    for number, line in enumerate(text.split("\n"), 1):
        i = 0
        if closing is None and depth == 0:
            m = _TABLE_LINE.match(line)
            if m:
                record(m.group("key"), number, m.start("open") + 1)
                in_tables = True  # nothing after a table header is top-level
                continue
            m = _KEY_LINE.match(line)
            if m:
                if not in_tables:
                    record(m.group("key"), number, m.start("key") + 1)
                i = m.end()
        while i < len(line):
            if closing is not None:
                if closing == '"""' and line[i] == "\\":
                    i += 2
                elif line.startswith(closing, i):
                    i += 3
                    while i < len(line) and line[i] == closing[0]:  # """a""""" ends with quotes
                        i += 1
                    closing = None
                else:
                    i += 1
                continue
            c = line[i]
            if c == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                closing, i = line[i:i + 3], i + 3
            elif c == '"':
                i += 1
                while i < len(line) and line[i] != '"':
                    i += 2 if line[i] == "\\" else 1
                i += 1
            elif c == "'":
                end = line.find("'", i + 1)
                i = len(line) if end < 0 else end + 1
            else:
                depth += (c in "[{") - (c in "]}")
                depth = max(depth, 0)
                i += 1
    return found


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"  # dates and times


_EXPECT = {
    "plans": 'a list of plan ids, e.g. plans = ["thai-nguyen"]',
    "plans_dirs": 'a list of folders, e.g. plans_dirs = ["my-plans"]',
    "calendars": 'a list of files, e.g. calendars = ["notices-2027.yaml"]',
    "db": 'a file path or a postgresql:// URL in quotes, e.g. db = "ledger.sqlite3"',
    "lang": '"vi" or "en"',
    "unit": 'a unit id in quotes, e.g. unit = "so-tai-chinh"',
}


def load_profile(path: Path | None) -> Profile:
    """Read and check a profile; `Profile(path=None)` for None. Raises `PlanError` (every problem,
    the first as its one-line message) for bad content, `DvcqError` for a file that cannot be read."""
    if path is None:
        return Profile(None)
    path = Path(path).expanduser()
    file = str(path)
    data = _read_bounded(path)
    try:
        text = data.decode("utf-8-sig")  # Notepad's BOM is harmless
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanError.at(file, line, col, "encoding",
                           f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the profile as UTF-8") from None
    text = text.replace("\r\n", "\n")
    tomllib = _toml()
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(file, exc, text) from None

    where = _key_lines(text, tomllib)
    base = path.absolute().parent
    problems: list[Problem] = []

    def problem(key: str, code: str, message: str) -> None:
        line, col = where.get(key, (1, 1))
        problems.append(Problem(file, line, col, "error", code, message))

    def wrong_type(key: str, value: object) -> None:
        problem(key, "wrong-type", f"'{key}' must be {_EXPECT[key]}; got {_kind(value)}")

    def strings(key: str) -> list[str]:
        value = doc[key]
        if not isinstance(value, list):
            wrong_type(key, value)
            return []
        good = []
        for n, item in enumerate(value, 1):
            if not isinstance(item, str):
                problem(key, "wrong-type", f"'{key}' item {n} must be a string in quotes; got {_kind(item)}")
            elif not item.strip():
                problem(key, "bad-value", f"'{key}' item {n} is empty")
            else:
                good.append(item.strip())
        return good

    def local(text: str) -> Path:
        return base / Path(text).expanduser()  # an absolute (or ~) path stays what it is

    values: dict[str, object] = {}
    for key in doc:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6) or \
                difflib.get_close_matches(key.lower(), KEYS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"the keys are {', '.join(KEYS)}"
            problem(key, "unknown-key", f"unknown key '{key}' in profile; {hint}")
        elif key == "plans":
            ids = []
            for n, item in enumerate(strings(key), 1):
                if not PLAN_ID.fullmatch(item):
                    problem(key, "bad-value", f"'plans' item {n}: {item!r} is not a plan id "
                                              "(lower-case letters, digits and '-', e.g. thai-nguyen)")
                elif item not in ids:
                    ids.append(item)
            values[key] = tuple(ids)
        elif key in ("plans_dirs", "calendars"):
            values[key] = tuple(dict.fromkeys(local(item) for item in strings(key)))
        elif key == "db":
            value = doc[key]
            if not isinstance(value, str):
                wrong_type(key, value)
            elif not value.strip():
                problem(key, "bad-value", "'db' is empty; leave it out for the ledger in the user data folder")
            elif value.strip().lower().startswith(URL_SCHEMES):
                values[key] = value.strip()  # verbatim: the database client reads it
            elif re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", value.strip()):
                scheme = value.strip().split("://", 1)[0]
                problem(key, "bad-value", f"'db': {scheme}:// is not supported; give a file path or a "
                                          "postgresql:// URL")
            else:
                values[key] = str(local(value.strip()))
        elif key == "lang":
            value = doc[key]
            if not isinstance(value, str):
                wrong_type(key, value)
            elif value.strip() not in LANGS:
                problem(key, "bad-value", f"'lang' must be vi or en; got {value!r}")
            else:
                values[key] = value.strip()
        elif key == "unit":
            value = doc[key]
            if not isinstance(value, str):
                wrong_type(key, value)
            elif not value.strip():
                problem(key, "bad-value", "'unit' is empty; leave it out if you have no unit")
            else:
                values[key] = value.strip()
    if problems:
        problems.sort(key=lambda p: (p.line, p.col))
        raise PlanError(problems)
    lines = {key: where.get(key, (1, 1))[0] for key in doc}
    return Profile(path.absolute(), lines=lines, **values)
