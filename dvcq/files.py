"""Reading a user's file (plan, units, notices, profile, cache), bounded by what is read, not by `stat`.

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


def read_capped(path: Path | str, limit: int = PLAN_LIMIT) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is one PlanError naming the file.

    User input: only regular files are read (a FIFO would block forever, /dev/zero never ends, a
    directory has no bytes), and the size is enforced while reading, not trusted from stat (a file
    can grow between stat and read; /proc files report 0).
    """
    file = str(path)

    def refuse(mode: int) -> PlanError:
        what = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "not a regular file")
        return PlanError.at(file, 1, 1, "unreadable", f"cannot read {what}: give a regular file")

    try:
        # stat first, so that a FIFO or device is never even opened (opening some has effects) ...
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(mode)
        # ... and fstat what was opened, in case the path was swapped in between; O_NONBLOCK keeps
        # that open from waiting for a FIFO's writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise PlanError.at(file, 1, 1, "unreadable", f"cannot read: {exc.strerror or exc}") from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise refuse(status.st_mode)
        if status.st_size > limit:  # a regular file's size is known: no need to read it to refuse it
            raise PlanError.at(file, 1, 1, "too-large", f"file is larger than {limit:,} bytes")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 16, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise PlanError.at(file, 1, 1, "too-large", f"file is larger than {limit:,} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise PlanError.at(file, 1, 1, "unreadable", f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
