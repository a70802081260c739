"""One error family: the library raises these, only the CLI turns them into messages."""

from __future__ import annotations

import errno


class AudiobookError(Exception):
    """Base of every error a user can cause; its message is one line fit to print."""

    def __init__(self, message: str, *, path: object = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class InputError(AudiobookError):
    """The story file is missing, unreadable, empty, binary or not UTF-8."""


class CastError(AudiobookError):
    """The cast file (voices.yaml) is malformed or names what the engine lacks."""


class EngineError(AudiobookError):
    """The speech engine is missing or failed to produce audio."""


class ExportError(AudiobookError):
    """The MP3 encoder is missing or failed."""


class OutputError(AudiobookError):
    """What is written cannot be written there: no permission, a file where a folder should
    be, a read-only or full disk."""

    # What a user can cause by where they write, and what each means to them.
    REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EFBIG: "the file is too large for this file system",
               errno.EROFS: "the file system is read-only",
               errno.EACCES: "no permission to write there",
               errno.EPERM: "no permission to write there",
               errno.ENOTDIR: "a file stands where a folder should be",
               errno.EISDIR: "a folder stands where the file should be",
               errno.EEXIST: "a file stands where a folder should be"}

    @classmethod
    def of(cls, exc: OSError, path: object, option: str = "--out") -> OutputError | None:
        """The error to show for ``exc``, raised writing ``path`` (which ``option`` chose;
        None: the file the error names); None when it is not one a user's choice of place
        can cause (a bug to report)."""
        reason = cls.REASONS.get(exc.errno)
        if reason is None:
            return None
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        return cls(f"cannot write here: {reason}; {'free some space or ' if full else ''}"
                   f"choose another {option}", path=exc.filename if path is None else path)
