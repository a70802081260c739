"""One build at a time in a book's folder.

A build holds the kernel's advisory lock on the folder itself (``flock`` on its directory),
so the lock goes with the process however it ends: a crash, a kill, the OOM killer. A second
build of the same book into the same folder refuses with one line instead of writing the
same files at once. Whoever holds the lock is the only build there, so any temporary
``.part`` file it finds was left by a build that died, and is removed.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import AudiobookError, OutputError

try:
    import fcntl
except ImportError:  # not on this system: builds are not kept apart
    fcntl = None

_HELD: list[int] = []  # this process's locks, as file descriptors


class BusyError(AudiobookError):
    """Another build is writing the same book into the same folder."""


@contextmanager
def owning(folder: Path) -> Iterator[None]:
    """Hold ``folder`` (made if need be) for one build; ``BusyError`` if another holds it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(errno.EACCES, "not writable", str(folder))
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:  # a file where a folder should be, no permission...
        raise (OutputError.of(exc, folder) or exc) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BusyError("another build is writing this book now; wait for it to end, or "
                        "build into another --out", path=folder) from None
    _HELD.append(fd)
    try:
        for stale in folder.glob(".*.part"):
            stale.unlink(missing_ok=True)
        yield
    finally:
        _HELD.remove(fd)
        os.close(fd)


def drop_inherited() -> None:
    """In a forked worker: close its copies of the parent's locks, which would otherwise
    hold them for as long as the worker lives (a lock ends when its last copy is closed)."""
    while _HELD:
        os.close(_HELD.pop())
