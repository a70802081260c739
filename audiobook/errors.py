"""One error family: the library raises these, only the CLI turns them into messages."""

from __future__ import annotations


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
