"""Reading a user's file, bounded by what is read, not by what `stat` says.

Plan, units, notices and profile files are user input. A symlink to /dev/zero reports size 0 and
never ends; a FIFO blocks forever on open. So: open without blocking, accept regular files only
(checked on the open descriptor, not the name), and read at most `limit` + 1 bytes.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import PlanError

PLAN_LIMIT = 2_000_000  # a real plan is ~10 kB; anything this big is not a plan


def read_capped(path: Path | str, limit: int = PLAN_LIMIT, what: str = "a plan file") -> bytes:
    """The file's bytes, or a located PlanError: unreadable, not a regular file, or too large."""
    name = str(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise PlanError.at(name, 1, 1, "unreadable", f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            raise PlanError.at(name, 1, 1, "unreadable", f"is {kind}, not a file")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise PlanError.at(name, 1, 1, "unreadable", f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise PlanError.at(name, 1, 1, "too-large", f"file is over {limit:,} bytes; {what} is at most {limit:,}")
    return b"".join(chunks)
