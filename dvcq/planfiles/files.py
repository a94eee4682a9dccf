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

PLAN_LIMIT = 2_000_000  # a real plan is ~10 kB; anything this big is not a plan


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


_KINDS = {"folder": "a directory", "fifo": "a FIFO (named pipe)", "device": "a device", "socket": "a socket",
          "other": "not a regular file"}


def read_capped(path: Path | str, limit: int = PLAN_LIMIT) -> bytes:
    """`read_regular` for a file of the plan kind: anything wrong is one located PlanError."""
    file = str(path)
    try:
        return read_regular(path, limit)
    except Unreadable as exc:
        if exc.too_large:
            raise PlanError.at(file, 1, 1, "too-large", f"file is larger than {limit:,} bytes") from None
        if exc.kind:
            raise PlanError.at(file, 1, 1, "unreadable", f"cannot read {_KINDS[exc.kind]}: give a regular file") from None
        raise PlanError.at(file, 1, 1, "unreadable", f"cannot read: {exc.reason}") from None


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


def _entry(folder: Path, name: str, data: bytes) -> Path:
    # the file name is only a checksum (zlib: hashlib's import alone costs a few ms of every
    # start-up); an entry counts only when it was made from these very bytes
    import zlib

    checksum = zlib.crc32(name.encode() + b"\0" + data)
    return folder / f"{checksum:08x}-{len(data)}.pickle"


def cached(folder: Path, name: str, data: bytes):
    """What was kept for the file `name` with exactly these bytes, or None (missing, stale, damaged)."""
    import pickle

    try:
        kept_name, kept_data, value = pickle.loads(_entry(folder, name, data).read_bytes())
    except Exception:  # noqa: BLE001 - missing or damaged: the caller makes it again
        return None
    return value if kept_name == name and kept_data == data else None


def keep(folder: Path, name: str, data: bytes, value, limit: int = 5000) -> None:
    """Keep `value` for the file `name` with these bytes: written atomically (a concurrent run reads
    the old entry or the new one); past `limit` entries the least recently written half goes. Only
    a cache: a read-only or full disk just means making it again next time."""
    import pickle

    entry = _entry(folder, name, data)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps((name, data, value)))
        os.replace(tmp, entry)
        entries = list(os.scandir(folder))
        if len(entries) > limit:
            entries.sort(key=lambda e: e.stat().st_mtime)
            for e in entries[: len(entries) // 2]:
                Path(e.path).unlink(missing_ok=True)
    except OSError:
        return
