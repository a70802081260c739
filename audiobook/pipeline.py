"""build(): the stages in order, text -> segments -> cast -> clips -> chapters -> tagged files.

This is what the CLI calls; everything here is usable from Python too.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import reader
from .cast import Cast
from .castfile import add_characters, load_cast
from .engines import Engine, get_engine
from .cover import draw_cover, load_cover
from .export import (Encoding, book_dir, book_json, encode_mp3, export_audio, playlist, safe_name,
                     tag_mp3, track_path, webvtt, write_bytes, write_text, write_wav)
from .master import master, split
from .models import (BookInfo, Chapter, Clip, Cue, Document, Kind, Levels, Pauses,
                     Segment, Treatment, Voice)
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


ISO_639_2 = {"en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por",
             "nl": "nld", "ru": "rus", "ja": "jpn", "zh": "zho", "pl": "pol", "sv": "swe",
             "da": "dan", "fi": "fin", "no": "nor", "nb": "nob", "cs": "ces", "el": "ell",
             "tr": "tur", "ko": "kor", "ar": "ara", "hi": "hin", "uk": "ukr", "hu": "hun"}


@dataclass(frozen=True)
class BookOptions:
    """How a book is built, beyond the story and its cast."""

    title: str | None = None  # default: the story's own, else its file name
    author: str | None = None  # default: the story's own, else 'Unknown'
    narrator: str | None = None  # the composer tag; default: the narrator voice's name
    description: str | None = None  # default: the story's summary, if it has one
    year: str | None = None  # default: the story's, else this year
    cover: Path | None = None  # an image; default: one drawn with the title and author
    single_file: bool = False  # one MP3 with chapter markers instead of one per chapter
    skip_notes: bool = False  # leave out disclaimers and author's notes
    max_minutes: int = 120  # longer chapters are split into parts
    encoding: Encoding = Encoding()
    levels: Levels = Levels()


def book_info(production: Production, options: BookOptions = BookOptions(),
              engine: Engine | None = None) -> BookInfo:
    """The tags' view of the book: options first, then what the story says of itself."""
    doc, meta = production.document, production.document.meta
    narrator = production.cast.narrator.id
    year = options.year or (meta.get("year") or meta.get("date") or "")[:4]
    language = (meta.get("language") or narrator).split("-")[0].split("+")[0].lower()
    return BookInfo(
        title=options.title or doc.title,
        author=options.author or doc.author or "Unknown",
        narrator=options.narrator or (engine.describe(narrator) if engine else narrator),
        year=year if year.isdigit() else str(datetime.date.today().year),
        language=ISO_639_2.get(language, language if len(language) == 3 else "eng"),
        description=options.description or meta.get("description") or meta.get("summary", ""))


def build(story: str | Path, voices: str | Path | None = None, out: str | Path = "output",
          options: BookOptions = BookOptions(), engine: Engine | None = None,
          progress: Progress | None = None,
          on_ready: Callable[[Production, int], None] | None = None) -> list[Path]:
    """Build the audiobook of ``story`` under ``out``; return the MP3 files written.

    Every input is checked before any audio work. ``on_ready(production, units)`` is called
    once the work is known (units = segments to speak), ``progress`` after each one. Files
    appear under their final names only when the whole book is done; a failed or interrupted
    build leaves nothing behind.
    """
    cast, engine = open_cast(voices, engine)
    production = prepare(story, cast)
    book = book_info(production, options, engine)
    cover = load_cover(options.cover) if options.cover else draw_cover(book.title, book.author)
    chapters = _with_titles(production, options.skip_notes)
    if on_ready:
        on_ready(production, sum(len(segs) for _, segs in chapters))
    folder = book_dir(Path(out), book)
    existed = folder.exists()
    staged: list[Path] = []
    try:
        audios = _chapter_audio(production, chapters, engine, options, progress)
        if options.single_file:
            files = _single_file(audios, folder, book, options, cover, staged)
        else:
            files = _tracks(audios, folder, book, options, cover, staged)
        write_bytes(folder / "cover.jpg", cover)
        write_text(folder / f"{safe_name(book.title)}.m3u",
                   playlist(book, [(path, seconds, title) for path, seconds, title, _ in files]))
        write_text(folder / "book.json", book_json(_book_data(production, book, files)))
    except BaseException:
        for path in staged:
            path.unlink(missing_ok=True)
        if not existed:
            _remove_empty(folder, stop=Path(out))
        raise
    return [path for path, *_ in files]


# A file written: (path, seconds, title, its chapters as (title, start ms, end ms)).
Written = tuple[Path, float, str, list[tuple[str, int, int]]]


def _with_titles(production: Production, skip_notes: bool
                 ) -> list[tuple[Chapter, list[Segment]]]:
    """Each chapter with the segments to speak, opening with its title read by the narrator
    (a title the text gives is its heading; otherwise one is added)."""
    out = []
    for chapter in production.document.chapters:
        segs = [s for s in production.segmentation.segments if s.chapter == chapter.number
                and speakable(s) and not (skip_notes and s.note)]
        if not segs or not segs[0].heading:
            segs.insert(0, Segment(chapter.start, chapter.start, Kind.NARRATION, None,
                                   chapter.title, chapter.number, 1, -1, heading=True))
        out.append((chapter, segs))
    return out


def _chapter_audio(production: Production, chapters, engine: Engine, options: BookOptions,
                   progress: Progress | None):
    """Each chapter rendered and mastered, split into parts where it is too long."""
    cast = production.cast
    for chapter, segs in chapters:
        clips = render(segs, lambda s: cast.rendition(s, production.voices), engine,
                       cast.pauses.sentence,
                       on_clip=(lambda c, t=chapter.title: progress(1, t)) if progress else None)
        audio = master(chapter, clips, cast.pauses, options.levels)
        yield from split(audio, options.max_minutes * 60_000, cast.pauses, options.levels)


def _tracks(audios, folder: Path, book: BookInfo, options: BookOptions, cover: bytes,
            staged: list[Path]) -> list[Written]:
    """One MP3 per chapter (or part), each with its WebVTT cues; staged until all are done."""
    done = []
    for n, audio in enumerate(audios, 1):
        temp = folder / f".track-{n:04d}.mp3.part"
        staged.append(temp)
        folder.mkdir(parents=True, exist_ok=True)
        encode_mp3(audio.pcm, audio.sample_rate, temp, options.encoding)
        done.append((temp, audio.samples / audio.sample_rate, audio.chapter.title, audio))
    files = []
    for n, (temp, seconds, title, audio) in enumerate(done, 1):
        dest = track_path(folder.parent.parent, book, n, len(done), title)
        tag_mp3(temp, book, title, n, len(done), cover)
        write_text(dest.with_suffix(".vtt"), webvtt(audio.cues, audio.sample_rate, spoken_text))
        os.replace(temp, dest)
        files.append((dest, seconds, title, [(title, 0, round(seconds * 1000))]))
    return files


def _single_file(audios, folder: Path, book: BookInfo, options: BookOptions, cover: bytes,
                 staged: list[Path]) -> list[Written]:
    """The whole book as one MP3 with a chapter marker (CHAP) per chapter and a table of
    contents (CTOC), timed from sample counts; the audio is gathered on disk, not in memory."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = folder / ".book.pcm.part"
    staged.append(raw)
    marks, cues, position, rate = [], [], 0, 22050
    with raw.open("wb") as sink:
        for audio in audios:
            rate = audio.sample_rate
            start_ms = position * 1000 // rate
            sink.write(audio.pcm)
            cues += [Cue(c.segment, c.start + position, c.end + position) for c in audio.cues]
            position += audio.samples
            marks.append((audio.chapter.title, start_ms, position * 1000 // rate))
    dest = folder / f"{safe_name(book.title)}.mp3"
    export_audio(raw, rate, dest, book, book.title, 1, 1, options.encoding, cover, marks)
    write_text(dest.with_suffix(".vtt"), webvtt(cues, rate, spoken_text))
    raw.unlink()
    return [(dest, position / rate, book.title, marks)]


def _book_data(production: Production, book: BookInfo, files: list[Written]) -> dict:
    counts = production.segmentation.line_counts()
    voice = production.voices

    def described(v: Voice) -> dict:
        return {"voice": v.id, "rate": v.rate, "pitch": v.pitch, "volume": v.volume}

    return {
        "title": book.title, "author": book.author, "narrator": book.narrator,
        "year": book.year, "language": book.language, "description": book.description,
        "narrator_voice": described(production.cast.narrator),
        "files": [{"file": path.name, "title": title, "seconds": round(seconds, 3),
                   "chapters": [{"title": t, "start_ms": s, "end_ms": e} for t, s, e in marks]}
                  for path, seconds, title, marks in files],
        "characters": [{"name": c.name, "gender": c.gender, "aliases": list(c.aliases),
                        "lines": {"spoken": counts.get(c.name, (0, 0))[0],
                                  "thought": counts.get(c.name, (0, 0))[1]},
                        **described(voice[c.name])}
                       for c in production.segmentation.characters],
    }


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
