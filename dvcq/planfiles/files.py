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
        raise DvcqError(f"--output: cannot use {path}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(link.st_mode):
        target = Path(os.path.realpath(path))
        if target.parent != Path(os.path.realpath(path.parent)):
            raise DvcqError(f"--output: {path} is a symbolic link out of its folder (to {target}); "
                            "dvcq does not write through it: give the real path")
        try:
            link = os.stat(path)
        except FileNotFoundError:  # a dangling link in its own folder: writing replaces the link
            return
    if not stat.S_ISREG(link.st_mode):
        raise DvcqError(f"--output: {path} is {_KINDS[_kind(link.st_mode)]}: give a file name")
    for each in inputs:
        try:
            if each and _same(os.stat(each), link):
                raise DvcqError(f"--output: {path} is an input of this run ({each}); "
                                "writing it would destroy it: give another file name")
        except OSError:
            continue
    if not force:
        raise DvcqError(f"--output: {path} exists; add --force to replace it")


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
        raise DvcqError(f"--output: cannot write in {target.parent}: {exc.strerror or exc}") from None
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
        raise DvcqError(f"--output: cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # the rename itself to disk
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


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
            raise DvcqError(f"{folder}: more than {WALK_LIMIT:,} files and folders under it; "
                            "name the folder that holds the plan files")
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
