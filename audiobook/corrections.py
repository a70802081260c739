"""Corrections from the cast file: lines whose reader or kind a person has set.

A correction names a line by a few of its words (``match``), not by position, so it stays
with its line when the text around it is edited or the segmenter changes. The words are
found whole, in any case, across line breaks, with straight and curly quotes alike; a
``chapter`` narrows a match the story has more than once. A match names the line it starts
in, and may run on past its end (the review page lengthens the words of a line too common
to name alone, ``"Yes."``, with those after it). A match must find exactly one line, or the
build stops with one line naming the cast file's line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CastError
from .models import Kind

_SAME = {"'": "['‘’]", "‘": "['‘’]", "’": "['‘’]", '"': '["“”]', "“": '["“”]', "”": '["“”]',
         "—": "(?:—|--)", "…": r"(?:…|\.\.\.)"}


@dataclass(frozen=True)
class LineFix:
    """``match`` (words of the line) is read by ``speaker`` as ``kind``; None keeps what the
    segmenter found. ``line`` is where the cast file says so."""

    match: str
    speaker: str | None = None
    kind: Kind | None = None
    chapter: int | None = None
    line: int = 0
    path: Path | None = None

    def pattern(self) -> re.Pattern:
        words = [re.sub(r"\\?(['‘’\"“”—…])", lambda m: _SAME[m.group(1)], re.escape(w))
                 for w in self.match.split()]
        return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)

    def error(self, message: str) -> CastError:
        return CastError(f"{self.match!r} {message}", path=self.path, line=self.line or None)


@dataclass(frozen=True)
class Corrections:
    """What the cast file's ``lines:`` and ``not_characters:`` say."""

    lines: tuple[LineFix, ...] = ()
    not_characters: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.lines or self.not_characters)


def locate(text: str, spans: list[tuple[int, int, int]], fix: LineFix
           ) -> tuple[tuple[int, int], tuple[int, int]]:
    """The one span of ``spans`` (start, end, chapter; in order) where ``fix`` matches, and
    where in it the words are; a CastError naming the cast file's line when it matches no
    span, or more than one."""
    starts = [a for a, _, _ in spans]
    found: dict[tuple[int, int], tuple[int, tuple[int, int]]] = {}
    for m in fix.pattern().finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i < 0 or m.start() >= spans[i][1]:
            continue  # between spans: a scene break, a blank line
        a, b, chapter = spans[i]
        if fix.chapter is None or chapter == fix.chapter:
            found.setdefault((a, b), (chapter, m.span()))
    if len(found) == 1:
        span, (_, words) = next(iter(found.items()))
        return span, words
    where = f" in chapter {fix.chapter}" if fix.chapter is not None else ""
    if not found:
        raise fix.error(f"matches no line{where}; copy a few words of the line exactly")
    if fix.chapter is not None:
        raise fix.error(f"matches {len(found)} lines{where}; add words")
    chapters = ", ".join(str(c) for c, _ in found.values())
    raise fix.error(f"matches {len(found)} lines (chapters {chapters}); add words or a chapter")

