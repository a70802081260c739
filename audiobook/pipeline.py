"""build(): the stages in order, text -> segments -> cast -> clips -> chapters -> tagged files.

This is what the CLI calls; everything here is usable from Python too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import reader
from .cast import Cast
from .castfile import load_cast
from .engines import Engine, get_engine
from .export import Encoding, chapter_path, export_chapter
from .master import Levels, Pauses, master
from .models import BookInfo, Document, Voice
from .render import render, speakable
from .segment import Segmentation, segment

Progress = Callable[[int, str], None]  # (units just done, label of the current chapter)


@dataclass
class Production:
    """A story read, segmented and cast, ready to render."""

    document: Document
    cast: Cast
    segmentation: Segmentation
    voices: dict[str | None, Voice]
    notes: list[str] = field(default_factory=list)


def open_cast(voices: str | Path | None, engine: Engine | None = None) -> tuple[Cast, Engine]:
    """Load the cast file and the engine it names, and check every voice against that engine."""
    if engine is None:
        engine = get_engine(load_cast(voices).engine)
    return load_cast(voices, engine.check_voice), engine


def prepare(story: str | Path, cast: Cast | None = None) -> Production:
    """Read, segment and cast a story (no audio work)."""
    cast = cast or Cast()
    document = reader.read_file(story)
    segmentation = segment(document, cast.known_aliases())
    voices, notes = cast.assign(segmentation.characters, segmentation.line_counts())
    return Production(document, cast, segmentation, voices, notes)


def book_info(document: Document, title: str | None = None, author: str | None = None
              ) -> BookInfo:
    return BookInfo(title=title or document.title, author=author or document.author or "Unknown")


def build(story: str | Path, voices: str | Path | None = None, out: str | Path = "output",
          title: str | None = None, author: str | None = None, engine: Engine | None = None,
          progress: Progress | None = None, on_ready: Callable[[Production, int], None] | None
          = None, pauses: Pauses = Pauses(), levels: Levels = Levels(),
          encoding: Encoding = Encoding(), skip_notes: bool = False) -> list[Path]:
    """Build the audiobook of ``story`` into ``out``; return the chapter files written.

    Every input is checked before any audio work. ``on_ready(production, units)`` is called
    once the work is known (units = segments to speak), ``progress`` after each one.
    ``skip_notes`` leaves out disclaimers and author's notes.
    """
    cast, engine = open_cast(voices, engine)
    production = prepare(story, cast)
    book = book_info(production.document, title, author)
    spoken = [s for s in production.segmentation.segments
              if speakable(s) and not (skip_notes and s.note)]
    if on_ready:
        on_ready(production, len(spoken))
    chapters = production.document.chapters
    written: list[Path] = []
    book_dir = chapter_path(Path(out), book, 1, len(chapters), "x").parent
    existed = book_dir.exists()
    try:
        for chapter in chapters:
            segs = [s for s in spoken if s.chapter == chapter.number]
            clips = render(segs, lambda s: cast.rendition(s, production.voices), engine,
                           on_clip=(lambda c, t=chapter.title: progress(1, t)) if progress
                           else None)
            audio = master(chapter, clips, pauses, levels)
            dest = chapter_path(Path(out), book, chapter.number, len(chapters), chapter.title)
            written.append(export_chapter(audio, dest, book, len(chapters), encoding))
    except BaseException:
        if not existed:
            _remove_empty(book_dir, stop=Path(out))
        raise
    return written


def _remove_empty(folder: Path, stop: Path) -> None:
    """Remove ``folder`` and its parents up to ``stop`` while they are empty."""
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
