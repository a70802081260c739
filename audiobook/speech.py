"""Segments -> what the engine is given: the words as a listener should hear them.

In order: the segment's text without markup (``render.spoken_text``); the story's own double
brackets taken apart, so that only a pronunciation can hand eSpeak NG phonemes; the text
made speech-ready for the book's language (``normalize``: money, times, dates, numerals,
abbreviations, links, symbols); and the cast file's pronunciations, book-wide and then the
reader's own. Only what is spoken changes: subtitles, ``book.json`` and the review page
keep the author's spelling.

A pronunciation's key is a whole word or phrase, matched in any case unless it is all
capitals (``US`` is not ``us``), possessives and plurals included (``Sasuke's``); its value
is a respelling spoken as written (``Sahss-keh``) or eSpeak NG phonemes (``[[s'A:sk@]]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .cast import Cast
from .models import Kind, Segment
from .normalize import normalize
from .render import spoken_text

_BRACKETS_RE = re.compile(r"\[\[|\]\]")
_SUFFIX = r"(?P<suffix>['’]s|['’]|s|es)?(?!\w)"


class Pronunciations:
    """Words replaced by how they are said."""

    def __init__(self, table: Iterable[tuple[str, str]]) -> None:
        table = dict(table)
        self.exact = {k: v for k, v in table.items() if k.isupper()}
        self.loose = {k.lower(): v for k, v in table.items() if not k.isupper()}
        self._exact = self._pattern(self.exact, 0)
        self._loose = self._pattern(self.loose, re.IGNORECASE)

    @staticmethod
    def _pattern(words: dict[str, str], flags: int) -> re.Pattern | None:
        if not words:
            return None
        longest_first = sorted(words, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in longest_first)
        return re.compile(rf"(?<![\w\[])(?P<word>{alternatives}){_SUFFIX}", flags)

    def __call__(self, text: str) -> str:
        if self._exact:
            text = self._exact.sub(lambda m: self._say(self.exact[m["word"]], m), text)
        if self._loose:
            text = self._loose.sub(
                lambda m: self._say(self.loose[" ".join(m["word"].lower().split())], m), text)
        return text

    @staticmethod
    def _say(said: str, m: re.Match) -> str:
        return said + (m["suffix"] or "")

    def __bool__(self) -> bool:
        return bool(self.exact or self.loose)


class Speech:
    """A segment -> the text its engine is given, for one cast and book language."""

    def __init__(self, cast: Cast = Cast(), language: str | None = None) -> None:
        self.language = language or "en"
        self.book = Pronunciations(cast.pronunciations)
        self.readers = {m.name: Pronunciations((*cast.pronunciations, *m.pronunciations))
                        for m in cast.members if m.pronunciations}
        self._said: dict[tuple[str, str | None], str] = {}

    def __call__(self, segment: Segment) -> str:
        reader = segment.speaker if segment.kind is not Kind.NARRATION else None
        key = (spoken_text(segment), reader)
        if (said := self._said.get(key)) is None:  # a build asks for each line more than once
            said = self._said[key] = self.text(*key)
        return said

    def text(self, text: str, reader: str | None = None) -> str:
        """``text`` as the engine is given it, read by ``reader`` (None: the narrator)."""
        text = _BRACKETS_RE.sub(lambda m: " ".join(m.group()), text)  # '[[' -> '[ ['
        text = normalize(text, self.language)
        return self.readers.get(reader, self.book)(text)
