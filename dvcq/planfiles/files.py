"""Reading a user's file (plan, units, notices, profile, cache), bounded by what is read, not by `stat`.

Plan, units, notices and profile files are user input. A symlink to /dev/zero reports size 0 and
never ends; a FIFO blocks forever on open. So: open without blocking, accept regular files only
(checked on the open descriptor, not the name), and read at most `limit` + 1 bytes.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from dvcq.core.errors import PlanError
from dvcq.core.messages import Said  # a problem said in the run's language where it is printed

PLAN_LIMIT = 2_000_000  # a real plan is ~10 kB; anything this big is not a plan
UNITS_LIMIT = 32_000_000  # a units file of a whole country's bodies, with room to spare


class Unreadable(Exception):
    """Why a file could not be read: `kind` is "folder", "fifo", "device", "socket" or "other" for
    what is not a regular file, `too_large` for one over the limit, else `reason` is the OS's."""

    def __init__(self, reason: str = "", kind: str | None = None, too_large: bool = False):
        super().__init__(reason or kind or "too large")
        self.reason, self.kind, self.too_large = reason, kind, too_large


def _kind(mode: int) -> str:
    return ("folder" if stat.S_ISDIR(mode) else "fifo" if stat.S_ISFIFO(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode)
            else "other")


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or `Unreadable`.

    User input: only regular files are read (a FIFO would block forever, /dev/zero never ends, a
    directory has no bytes), and the size is enforced while reading, not trusted from stat (a file
    can grow between stat and read; /proc files report 0).
    """
    try:
        # stat first, so that a FIFO or device is never even opened (opening some has effects) ...
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(kind=_kind(mode))
        # ... and fstat what was opened, in case the path was swapped in between; O_NONBLOCK keeps
        # that open from waiting for a FIFO's writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if os.path.isdir(path):  # Windows refuses to open a folder with PermissionError
            raise Unreadable(kind="folder") from None
        raise Unreadable(str(exc.strerror or exc)) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(kind=_kind(status.st_mode))
        if status.st_size > limit:  # a regular file's size is known: no need to read it to refuse it
            raise Unreadable(too_large=True)
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 16, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Unreadable(too_large=True)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(str(exc.strerror or exc)) from None
    finally:
        os.close(fd)


def read_capped(path: Path | str, limit: int = PLAN_LIMIT) -> bytes:
    """`read_regular` for a file of the plan kind: anything wrong is one located PlanError."""
    file = str(path)
    try:
        return read_regular(path, limit)
    except Unreadable as exc:
        if exc.too_large:
            raise PlanError.at(file, 1, 1, "too-large", Said("file.too_large", most=limit)) from None
        if exc.kind:
            raise PlanError.at(file, 1, 1, "unreadable", Said("file.not_regular", kind=Said(f"file.kind.{exc.kind}"))) from None
        raise PlanError.at(file, 1, 1, "unreadable", Said("file.unreadable", why=exc.reason)) from None


# -- the user's folders, and a cache of things made from a file's bytes ---------------------------
def cache_dir(part: str) -> Path | None:
    """A folder of dvcq's in the user cache; None when DVCQ_NO_CACHE is set (nothing kept)."""
    if os.environ.get("DVCQ_NO_CACHE"):
        return None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dvcq", appauthor=False)) / part


def default_ledger_path() -> Path:
    """The per-user ledger, where nothing names another."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("dvcq", appauthor=False)) / "ledger.sqlite3"


def _checksum(data: bytes) -> str:
    # zlib, not hashlib (whose import alone costs a few ms of every start-up): two checksums and the
    # length tell a file's bytes apart well enough for a cache, which keeps only this, never the bytes
    import zlib

    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}-{len(data)}"


def _entry(folder: Path, name: str, data: bytes) -> Path:
    import zlib

    checksum = zlib.crc32(name.encode() + b"\0" + data)
    return folder / f"{checksum:08x}-{len(data)}.json"


# What a cache may hold: JSON of these dataclasses (by name, rebuilt field by field), tuples, lists,
# dicts, dates and paths. Nothing in a cache file can name a function to run (a pickle can).
def _allowed(extra=()) -> dict:
    import dataclasses

    from dvcq.core import model

    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
               and c.__module__ == model.__name__]
    return {c.__name__: c for c in classes + list(extra)}


def to_jsonable(value):
    """`value` as plain JSON data (see _allowed); TypeError for anything else."""
    import dataclasses
    import datetime as dt

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"t": [to_jsonable(v) for v in value]}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {"d": [[to_jsonable(k), to_jsonable(v)] for k, v in value.items()]}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"date": value.isoformat()}
    if isinstance(value, Path):
        return {"path": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"dc": type(value).__name__,
                "f": {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}}
    raise TypeError(f"not kept in a cache: {type(value).__name__}")


def from_jsonable(data, allowed: dict):
    """The value `to_jsonable` made; ValueError for anything it cannot have made."""
    import datetime as dt

    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [from_jsonable(v, allowed) for v in data]
    if isinstance(data, dict) and len(data) in (1, 2):
        if "t" in data:
            return tuple(from_jsonable(v, allowed) for v in data["t"])
        if "d" in data:
            return {from_jsonable(k, allowed): from_jsonable(v, allowed) for k, v in data["d"]}
        if "date" in data:
            return dt.date.fromisoformat(data["date"])
        if "path" in data:
            return Path(data["path"])
        if "dc" in data and data["dc"] in allowed and isinstance(data.get("f"), dict):
            return allowed[data["dc"]](**{k: from_jsonable(v, allowed) for k, v in data["f"].items()})
    raise ValueError("not a cache value")


def _open_own(path: Path) -> bytes | None:
    """A cache file's bytes when it is a regular file of this user's that no one else may write
    (a planted or shared one is not used), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 50_000_000:
            return None
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def cached(folder: Path, name: str, data: bytes, classes=()):
    """What was kept for the file `name` with exactly these bytes, or None (missing, stale, damaged,
    not this user's, or holding anything but the data a cache may hold: the model's dataclasses and
    `classes`)."""
    import json

    raw = _open_own(_entry(folder, name, data))
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
        if entry.get("name") != name or entry.get("sum") != _checksum(data):
            return None
        return from_jsonable(entry["value"], _allowed(classes))
    except Exception:  # noqa: BLE001 - damaged or not ours: the caller makes it again
        return None


def keep(folder: Path, name: str, data: bytes, value, limit: int = 5000) -> None:
    """Keep `value` for the file `name` with these bytes, as JSON in a file only this user can read
    (0600, in a 0700 folder): written atomically (a concurrent run reads the old entry or the new
    one); past `limit` entries the least recently written half goes; pickles an older dvcq left are
    removed. Only a cache: a read-only or full disk, or a value it cannot hold, means making it again."""
    import json

    entry = _entry(folder, name, data)
    try:
        text = json.dumps({"name": name, "sum": _checksum(data), "value": to_jsonable(value)},
                          ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, entry)
        entries = list(os.scandir(folder))
        for e in entries:
            if e.name.endswith(".pickle"):
                Path(e.path).unlink(missing_ok=True)
        if len(entries) > limit:
            entries.sort(key=lambda e: e.stat().st_mtime)
            for e in entries[: len(entries) // 2]:
                Path(e.path).unlink(missing_ok=True)
    except OSError:
        return


# -- --output: the one safe writer ------------------------------------------------------------------
def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def refuse_output(path: Path | str, inputs=(), force: bool = False) -> None:
    """Refuse, as one DvcqError, an --output that would destroy something: a file this run reads
    (`inputs`: plans, the ledger, the document; compared by device and inode, so another name or a
    link to it is caught too), a directory, FIFO, device or socket, a symlink that leads out of its
    folder, or an existing file without `force`."""
    from dvcq.core.errors import DvcqError

    path = Path(path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DvcqError(msg="output.cannot_use", path=path, why=exc.strerror or str(exc)) from None
    if stat.S_ISLNK(link.st_mode):
        target = Path(os.path.realpath(path))
        if target.parent != Path(os.path.realpath(path.parent)):
            raise DvcqError(msg="output.symlink", path=path, target=target)
        try:
            link = os.stat(path)
        except FileNotFoundError:  # a dangling link in its own folder: writing replaces the link
            return
    if not stat.S_ISREG(link.st_mode):
        raise DvcqError(msg="output.not_a_file", path=path, kind=Said(f"file.kind.{_kind(link.st_mode)}"))
    for each in inputs:
        try:
            if each and _same(os.stat(each), link):
                raise DvcqError(msg="output.is_input", path=path, each=each)
        except OSError:
            continue
    if not force:
        raise DvcqError(msg="output.exists", path=path)


def write_output(path: Path | str, data: bytes, inputs=(), force: bool = False) -> None:
    """Write `data` to `path` for --output: checked by `refuse_output`, then written to a temporary
    file in the same folder, flushed to disk and renamed over `path` (a killed run leaves the old
    file whole, never 0 bytes). A symlink within its folder is replaced at its target."""
    import tempfile

    from dvcq.core.errors import DvcqError

    path = Path(path)
    refuse_output(path, inputs, force)
    target = Path(os.path.realpath(path)) if path.is_symlink() and path.exists() else path
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise DvcqError(msg="output.cannot_write_in", folder=target.parent, why=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:  # a new file: what the user's umask gives a new file, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DvcqError(msg="output.cannot_write", path=path, why=exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    import contextlib

    with contextlib.suppress(OSError):  # the rename itself to disk, where the folder can be synced
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


WALK_LIMIT = 100_000  # entries looked at under one folder: a plans tree has hundreds


def yaml_files_under(folder: Path) -> list[Path]:
    """The .yaml/.yml regular files under `folder` (not in a `units` subfolder: units files are
    checked through the plans that name them), sorted; symlinked folders are not followed, unreadable
    ones (/proc) skipped, and past WALK_LIMIT entries (`dvcq check /`) it is one DvcqError."""
    from dvcq.core.errors import DvcqError

    found: list[Path] = []
    seen = 0
    for top, dirs, names in os.walk(folder, onerror=lambda exc: None, followlinks=False):
        seen += len(dirs) + len(names)
        if seen > WALK_LIMIT:
            raise DvcqError(msg="files.walk_limit", folder=folder, most=WALK_LIMIT)
        dirs.sort()
        rel = Path(top).relative_to(folder).parts
        if "units" in rel:
            continue
        for name in names:
            if name.endswith((".yaml", ".yml")):
                path = Path(top) / name
                try:
                    if stat.S_ISREG(os.stat(path).st_mode):
                        found.append(path)
                except OSError:
                    continue
    return sorted(found)


def shown_key(key, limit: int = 40) -> str:
    """A key dvcq does not know, as an error message may quote it: in quotes when it looks like a key
    (`units`, `days_off`, `plan_dirs`), else only what it is not: a units file or --calendar that is
    a link to a secret file (/etc/shadow) must not print that file's lines, one per 'unknown key',
    into a public CI log."""
    import re

    text = str(key)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,39}", text):
        return repr(text)
    return Said("file.hidden_key", count=len(text))  # said in the run's language where it is printed
