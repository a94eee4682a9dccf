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
plan checker's (`file:line:col: error: ... [code]`); `effective` layers flags over environment
over profile over defaults and says where each value came from; `describe` prints that for
`dvcq config`.

Start-up budget: importing this module imports neither tomllib nor platformdirs; they are
imported by the functions that need them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from dvcq.planfiles.files import shown_key
from dvcq.core.errors import DvcqError, PlanError, Problem
from dvcq.core.messages import Said  # a problem said in the run's language where it is printed

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
            raise DvcqError(msg="profile.missing", how=how, path=path)
        return path
    for path in (Path(cwd, FILE_NAME), user_profile_path()):
        if path.exists():
            return path
    return None


# -- reading it ------------------------------------------------------------------------------------


def _read_bounded(path: Path) -> bytes:
    """The file's bytes, at most LIMIT of them; a regular file only, whatever stat says its size is."""
    from dvcq.planfiles.files import Unreadable, read_regular

    try:
        return read_regular(path, LIMIT)
    except Unreadable as exc:
        if exc.too_large:
            raise DvcqError(msg="profile.too_large", path=path, kb=LIMIT // 1024) from None
        if exc.kind == "folder":
            raise DvcqError(msg="profile.folder", path=path) from None
        if exc.kind:
            raise DvcqError(msg="profile.not_regular", path=path, kind=Said(f"profile.file.{exc.kind}")) from None
        raise DvcqError(msg="profile.unreadable", path=path, why=exc.reason) from None


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
    return PlanError.at(file, line or 1, col or 1, "toml-syntax", Said("profile.toml", why=message))  # tomllib's words inside


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
        return Said("profile.kind.bool")
    if isinstance(value, str):
        return Said("profile.kind.string", value=value)
    if isinstance(value, int):
        return Said("profile.kind.whole")
    if isinstance(value, float):
        return Said("profile.kind.number")
    if isinstance(value, dict):
        return Said("profile.kind.table")
    if isinstance(value, list):
        return Said("profile.kind.list")
    name = type(value).__name__  # dates and times
    return Said(f"profile.kind.{name}") if name in ("date", "datetime", "time") else f"a {name}"


# what each key holds: the messages profile.expect.<key> (core/messages)


def load_profile(path: Path | None) -> Profile:
    """Read and check a profile; `Profile(path=None)` for None. Raises `PlanError` (every problem,
    the first as its one-line message) for bad content, `DvcqError` for a file that cannot be read."""
    if path is None:
        return Profile(None)
    path = Path(path).expanduser()
    data = _read_bounded(path)
    # a checked profile is kept by its path and bytes: reading TOML costs more start-up time (the
    # tomllib import) than all of `dvcq deadlines`' own work, every run, for the same answer
    from dvcq import __version__
    from dvcq.planfiles.files import cache_dir, cached, keep

    folder, name = cache_dir(f"profiles-{__version__}"), str(path.absolute())
    found = cached(folder, name, data, (Profile,)) if folder else None
    if isinstance(found, Profile):
        return found
    profile = _parse(path, data)
    if folder and not _has_password(profile.db):  # a cache holds no secret: such a profile is read each time
        keep(folder, name, data, profile)
    return profile


def _has_password(db: str | None) -> bool:
    if not db or "://" not in db:
        return False
    from urllib.parse import urlsplit

    try:
        return urlsplit(db).password is not None or "password=" in db.lower()
    except ValueError:
        return True


def _parse(path: Path, data: bytes) -> Profile:
    file = str(path)
    try:
        text = data.decode("utf-8-sig")  # Notepad's BOM is harmless
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanError.at(file, line, col, "encoding",
                           Said("profile.encoding", byte=data[exc.start])) from None
    text = text.replace("\r\n", "\n")
    tomllib = _toml()
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(file, exc, text) from None
    except RecursionError:  # `a = [[[[...` 5,000 deep: tomllib recurses once a level
        raise PlanError.at(file, 1, 1, "toml-syntax", Said("profile.too_deep")) from None

    where = _key_lines(text, tomllib)
    base = path.absolute().parent
    problems: list[Problem] = []

    def problem(key: str, code: str, message: str) -> None:
        line, col = where.get(key, (1, 1))
        said = (message.msg_id, message.values) if hasattr(message, "msg_id") else (None, None)  # by id: any language
        problems.append(Problem(file, line, col, "error", code, str(message), *said))

    def wrong_type(key: str, value: object) -> None:
        problem(key, "wrong-type", Said("profile.wrong_type", key=key, expect=Said(f"profile.expect.{key}"), kind=_kind(value)))

    def strings(key: str) -> list[str]:
        value = doc[key]
        if not isinstance(value, list):
            wrong_type(key, value)
            return []
        good = []
        for n, item in enumerate(value, 1):
            if not isinstance(item, str):
                problem(key, "wrong-type", Said("profile.item_type", key=key, n=n, kind=_kind(item)))
            elif not item.strip():
                problem(key, "bad-value", Said("profile.item_empty", key=key, n=n))
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
            hint = Said("profile.did_you_mean", key=close[0]) if close else Said("profile.the_keys", keys=", ".join(KEYS))
            problem(key, "unknown-key", Said("profile.unknown_key", key=shown_key(key), hint=hint))
        elif key == "plans":
            ids = []
            for n, item in enumerate(strings(key), 1):
                if not PLAN_ID.fullmatch(item):
                    problem(key, "bad-value", Said("profile.plan_id", n=n, item=item))
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
                problem(key, "bad-value", Said("profile.db_empty"))
            elif value.strip().lower().startswith(URL_SCHEMES):
                values[key] = value.strip()  # verbatim: the database client reads it
            elif re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", value.strip()):
                scheme = value.strip().split("://", 1)[0]
                problem(key, "bad-value", Said("profile.db_scheme", scheme=scheme))
            else:
                values[key] = str(local(value.strip()))
        elif key == "lang":
            value = doc[key]
            if not isinstance(value, str):
                wrong_type(key, value)
            elif value.strip() not in LANGS:
                problem(key, "bad-value", Said("profile.lang", value=value))
            else:
                values[key] = value.strip()
        elif key == "unit":
            value = doc[key]
            if not isinstance(value, str):
                wrong_type(key, value)
            elif not value.strip():
                problem(key, "bad-value", Said("profile.unit_empty"))
            else:
                values[key] = value.strip()
    if problems:
        problems.sort(key=lambda p: (p.line, p.col))
        raise PlanError(problems)
    lines = {key: where.get(key, (1, 1))[0] for key in doc}
    return Profile(path.absolute(), lines=lines, **values)


# -- the settings of a run -------------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    name: str
    value: object
    source: str  # "--db", "DVCQ_DB", "profile /abs/dvcq.toml:4", "default"; added lists join with " + "


FLAGS = {"plans": "--plan", "plans_dirs": "--plans-dir", "db": "--db", "calendars": "--calendar",
         "lang": "--lang", "unit": "--unit"}
ENV = {"plans": None, "plans_dirs": "DVCQ_PLANS", "db": "DVCQ_DB", "calendars": "DVCQ_CALENDAR",
       "lang": "DVCQ_LANG", "unit": "DVCQ_UNIT"}


def default_db() -> str:
    """The ledger in the user data folder: the same file as ledger.default_path()."""
    from dvcq.planfiles.files import default_ledger_path

    return str(default_ledger_path())


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, (list, tuple)) and not value)


def _listed(value: object) -> tuple:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _db(value: object) -> str:
    text = str(value).strip()
    return text if text.lower().startswith(URL_SCHEMES) else str(Path(text).expanduser())


def effective(flags: Mapping[str, object], env: Mapping[str, str], profile: Profile) -> dict[str, Setting]:
    """Every setting of the run and where it came from: flag > environment > profile > default.

    `flags` is keyed by setting name (plans, plans_dirs, db, calendars, lang, unit); a flag given
    as None or [] was not given, as is an empty environment variable.
    """
    unknown = set(flags) - set(KEYS)
    if unknown:
        raise ValueError(f"effective(): unknown flag setting(s) {', '.join(sorted(unknown))}; known: {', '.join(KEYS)}")

    def from_profile(name: str) -> tuple[bool, object, str]:
        value = getattr(profile, name)
        given = profile.path is not None and (name in profile.lines or _given(value))
        line = profile.lines.get(name)
        return given, value, f"profile {profile.path}" + (f":{line}" if line else "")

    def env_value(name: str) -> str | None:
        var = ENV[name]
        return env[var].strip() if var and env.get(var, "").strip() else None

    def lang(value: object, source: str) -> str:
        if value not in LANGS:
            raise DvcqError(msg="profile.lang_source", source=source, value=value, known=", ".join(LANGS))
        return str(value)

    out: dict[str, Setting] = {}

    # Single values: the highest layer that gives one replaces the rest (so does `plans`, a list:
    # `--plan x` means x, not x plus the profile's plans).
    for name in ("plans", "db", "lang", "unit"):
        flag, from_env = flags.get(name), env_value(name)
        in_profile, profile_value, profile_source = from_profile(name)
        if _given(flag):
            value, source = flag, FLAGS[name]
        elif from_env is not None:
            value, source = from_env, ENV[name]
        elif in_profile:  # already checked, and its paths absolute
            value, source = profile_value, profile_source
        else:
            value, source = {"plans": (), "db": None, "lang": "vi", "unit": None}[name], "default"
            if name == "db":
                value = default_db()
        if name == "plans":
            value = tuple(dict.fromkeys(str(v) for v in _listed(value)))
        elif name == "db" and source in (FLAGS[name], ENV[name]):
            value = _db(value)
        elif name == "lang":
            value = lang(value, source)
        elif name == "unit" and value is not None:
            value = str(value)
        out[name] = Setting(name, value, source)

    # Folders of plans and notices files ADD up instead: the shipped plans and days off are always
    # there, and each layer brings more of them: environment, then profile, then flags, in that
    # order, each path once. (A profile's plans_dirs plus `--plans-dir x` for one run is the point;
    # losing the profile's folders because of a flag would be a surprise.)
    for name in ("plans_dirs", "calendars"):
        from_env = env_value(name)
        in_profile, profile_value, profile_source = from_profile(name)
        layers = [
            (ENV[name], [Path(p.strip()).expanduser() for p in (from_env or "").split(os.pathsep) if p.strip()]),
            (profile_source, list(profile_value) if in_profile else []),
            (FLAGS[name], [Path(p) for p in _listed(flags[name])] if _given(flags.get(name)) else []),
        ]
        paths: dict[str, Path] = {}
        sources = []
        for source, items in layers:
            for item in items:
                paths.setdefault(os.path.normcase(os.path.abspath(item)), item)
            if items:
                sources.append(source)
        out[name] = Setting(name, tuple(paths.values()), " + ".join(sources) or "default")

    return {name: out[name] for name in KEYS}


# -- dvcq config -----------------------------------------------------------------------------------
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


def _show_value(name: str, value: object, lang: str) -> str:
    if value is None or value == ():
        from dvcq.core.messages import catalog, say

        return say(lang, f"config.unset.{name}" if f"config.unset.{name}" in catalog(lang) else "config.unset")
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    if name == "db":
        return _PASSWORD.sub(r"\1***@", str(value))  # a URL's password stays off the screen
    return str(value)


def _show_source(source: str, lang: str) -> str:
    parts = []
    for part in source.split(" + "):
        head, _, rest = part.partition(" ")
        if head in ("profile", "default"):
            from dvcq.core.messages import say

            part = " ".join(filter(None, (say(lang, f"config.source.{head}"), rest)))
        parts.append(part)
    return " + ".join(parts)


def describe(settings: dict[str, Setting], lang: str) -> list[str]:
    """One line per setting for `dvcq config`: `db = /home/x/ledger.sqlite3   (profile /home/x/dvcq.toml:3)`."""
    lang = lang if lang in LANGS else "vi"
    order = [n for n in KEYS if n in settings] + [n for n in settings if n not in KEYS]
    return [f"{n} = {_show_value(n, settings[n].value, lang)}   ({_show_source(settings[n].source, lang)})"
            for n in order]
