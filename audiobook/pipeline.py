"""build(): the stages in order, text -> segments -> cast -> clips -> chapters -> tagged files.

This is what the CLI calls; everything here is usable from Python too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import reader
from .cast import Cast
from .castfile import add_characters, load_cast
from .engines import Engine, get_engine
from .export import Encoding, chapter_path, export_chapter, safe_name, write_wav
from .master import Levels, Pauses, master
from .models import BookInfo, Chapter, Clip, Document, Kind, Segment, Treatment, Voice
from .render import render, speakable, spoken_text
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


@dataclass
class CastReport:
    """What ``cast_story`` found and what it added to the cast file."""

    production: Production
    path: Path
    added: list[str]

    def rows(self) -> list[tuple[str, str, int, int, Voice, tuple[str, ...]]]:
        """(name, gender, spoken, thought, voice, aliases), most lines first."""
        counts = self.production.segmentation.line_counts()
        cast = self.production.cast
        out = []
        for c in self.production.segmentation.characters:
            spoken, thought = counts.get(c.name, (0, 0))
            member = cast.member(c.name)
            gender = member.gender if member and member.gender != "unknown" else c.gender
            aliases = tuple(dict.fromkeys((*(member.aliases if member else ()), *c.aliases)))
            out.append((c.name, gender, spoken, thought, self.production.voices[c.name], aliases))
        return sorted(out, key=lambda r: (-(r[2] + r[3]), r[0]))


def cast_story(story: str | Path, voices: str | Path = "voices.yaml",
               engine: Engine | None = None) -> tuple[CastReport, Engine]:
    """Cast ``story`` and add every character with a line who is not yet in the cast file
    ``voices`` (created when missing) with the voice they were given. What the file already
    says is never changed; a file that lists everyone is not rewritten."""
    path = Path(voices)
    cast, engine = open_cast(path if path.exists() else None, engine)
    production = prepare(story, cast)
    entries = {}
    for name, gender, spoken, thought, voice, aliases in CastReport(production, path, []).rows():
        if spoken + thought == 0 or cast.member(name):
            continue
        entry = {"voice": voice.id, "pitch": voice.pitch, "rate": voice.rate}
        if gender != "unknown":
            entry["gender"] = gender
        if aliases:
            entry["aliases"] = aliases
        entries[name] = entry
    added = add_characters(path, entries)
    if added:  # read back what was written, so the report shows the file as it now is
        production = prepare(story, load_cast(path, engine.check_voice))
    return CastReport(production, path, added), engine


def audition(production: Production, engine: Engine, out: str | Path) -> list[Path]:
    """A short sample of the narrator and of each character reading one of their own lines,
    as ``OUT/auditions/NN - NAME.wav``."""
    samples: dict[str, Segment] = {}
    for seg in production.segmentation.segments:
        who = "Narrator" if seg.kind is Kind.NARRATION else seg.speaker
        if who and speakable(seg) and not seg.heading and _better_sample(seg, samples.get(who)):
            samples[who] = seg
    order = ["Narrator"] + [n for n, *_ in CastReport(production, Path(), []).rows()]
    files = []
    for n, name in enumerate([n for n in order if n in samples], 1):
        seg = samples[name]
        voice, treatment = production.cast.rendition(seg, production.voices)
        files.append(_speak(spoken_text(seg), voice, engine,
                            Path(out) / "auditions" / f"{n:02d} - {safe_name(name)}.wav", seg,
                            treatment))
    return files


def say(text: str, voice: Voice, engine: Engine, dest: str | Path) -> Path:
    """``text`` spoken by ``voice``, levelled like a book's clips, as a WAV file."""
    return _speak(text, voice, engine, Path(dest))


def _better_sample(seg: Segment, best: Segment | None) -> bool:
    """Prefer dialogue of 6 to 30 words, then the longest."""
    def score(s: Segment) -> tuple[bool, bool, int]:
        words = len(s.text.split())
        return s.kind is Kind.DIALOGUE, 6 <= words <= 30, -abs(words - 18)
    return best is None or score(seg) > score(best)


def _speak(text: str, voice: Voice, engine: Engine, dest: Path, seg: Segment | None = None,
           treatment: Treatment = Treatment()) -> Path:
    seg = seg or Segment(0, len(text), Kind.NARRATION, None, text, 1, 1, 0)
    pcm, rate = engine.synthesize(text, voice)
    clip = Clip(seg, pcm, rate, treatment)
    audio = master(Chapter(0, 0, 1, text[:40]), [clip], Pauses(head=200, tail=300))
    return write_wav(audio.pcm, audio.sample_rate, dest)
