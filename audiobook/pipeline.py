"""build(): the stages in order, text -> segments -> cast -> clips -> chapters -> tagged files.

This is what the CLI calls; everything here is usable from Python too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__, epub3, readers, sidecars
from .cache import ClipCache, default_cache_dir
from .cast import Cast
from .castfile import add_characters, check_writable, load_cast, open_cast
from .cover import draw_cover, load_cover, square_cover
from .engines import Engine
from .errors import ExportError, InputError, OutputError
from .export import (FRAGMENT_SECONDS, Assembler, Encoding, book_dir, book_json, playlist, read_mp3,
                     safe_name, tag_mp3, track_path, webvtt, write_bytes, write_text)
from .lock import BusyError, owning
from .m4b import AAC, NERO_LIMIT, mux, tag_m4b
from .master import Mixer, pause_allowance
from .models import (RATE_PER_SPEED, BookInfo, Chapter, Clip, Document, Kind, Levels, Segment,
                     Voice)
from .render import Renderer, sentences, speakable, spoken_text
from .segment import Segmentation, segment
from .speech import Speech

ALLOWANCE_STEP_DB = 0.25  # the loudness allowance for pauses is set in steps this fine
Progress = Callable[[int, str], None]  # (units just done, label of the current chapter)


@dataclass
class Production:
    """A story read, segmented and cast, ready to render."""

    document: Document
    cast: Cast
    segmentation: Segmentation
    voices: dict[str | None, Voice]
    notes: list[str] = field(default_factory=list)
    say: Speech = field(default_factory=Speech)  # a segment -> what the engine is given


def prepare(story: str | Path, cast: Cast | None = None, engine: Engine | None = None
            ) -> Production:
    """Read, segment and cast a story (no audio work). With the ``engine`` that will speak
    it, a book that names its language is read in it where the cast does not say."""
    cast = cast or Cast()
    document = readers.read_file(story)
    if engine is not None and document.meta.get("language"):
        cast = cast.speaking(engine.language_voice(document.meta["language"]))
    segmentation = segment(document, cast.known_aliases(), cast.corrections)
    voices, notes = cast.assign(segmentation.characters, segmentation.line_counts(),
                                segmentation.narrator)
    return Production(document, cast, segmentation, voices, list(document.notes) + notes,
                      Speech(cast, document.meta.get("language")))


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
    series: str | None = None  # the series the book is part of; default: the story's own
    series_part: str | None = None  # its place in the series ("2", "1.5"); default: the story's
    cover: Path | None = None  # an image; default: one drawn with the title and author
    single_file: bool = False  # one MP3 with chapter markers instead of one per chapter
    skip_notes: bool = False  # leave out disclaimers and author's notes
    max_minutes: int = 120  # longer chapters are split into parts
    encoding: Encoding = Encoding()
    formats: tuple[str, ...] = ("mp3",)  # what to make from the one render: mp3, m4b, epub
    m4b_encoding: Encoding = Encoding(bitrate_kbps=64)  # AAC-LC, mono, 44.1 kHz
    split_hours: float | None = None  # an .m4b longer than this is cut at chapters in parts
    levels: Levels = Levels()
    cache: Path | None = field(default_factory=default_cache_dir)  # None: no clip cache
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)  # worker processes


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
        description=options.description or meta.get("description") or meta.get("summary", ""),
        publisher=meta.get("publisher", ""), series=options.series or meta.get("series", ""),
        series_index=options.series_part or meta.get("series_index", ""))


def build(story: str | Path, voices: str | Path | None = None, out: str | Path = "output",
          options: BookOptions | None = None, engine: Engine | None = None,
          progress: Progress | None = None,
          on_ready: Callable[[Production, int], None] | None = None,
          on_note: Callable[[str], None] | None = None) -> list[Path]:
    """Build the audiobook of ``story`` under ``out``; return the MP3 files.

    Every input is checked before any audio work. Sentences come from the clip cache when
    they were spoken before; a file whose inputs have not changed since the last build is
    kept as it is. Speech is synthesized by ``options.jobs`` worker processes (in this
    process by ``engine`` when one is given) and mixed straight into encoders running beside.
    ``on_ready(production, units)`` is called once the work is known (units = characters
    to speak), ``progress(units, label)`` as it is done, ``on_note(line)`` for what the user
    should know of the build (damaged cache entries made again). New files appear under their
    final names only when the whole book is done; a failed or interrupted build leaves none.
    """
    options = options or BookOptions()
    given = engine is not None
    cast, engine = open_cast(voices, engine)
    production = prepare(story, cast, engine)
    book = book_info(production, options, engine)
    cover = _cover(production, options, book)
    plan = _plan(production, options, book, cover, engine)
    folder = book_dir(Path(out), book)
    existed = folder.exists()
    cache = ClipCache(options.cache)
    cache.check()
    renderer = Renderer(engine, cache, 1 if given else options.jobs, cast.pauses.sentence)
    try:
        with owning(folder):  # one build at a time here; what dead ones left is cleared
            if on_ready:
                on_ready(production, sum(_work(s) for item in plan for s in item.segments))
            job = _Job(folder, renderer, production, options, progress)
            try:
                made = job.run(plan, _BookFile.digest(plan, options), book, cover)
                files = _finish([o for o in made if o.kind == "mp3"], folder, book, cover)
                books = [o for o in made if o.kind == "m4b"]
                epubs = ([_read_along(job, files, book, cover)]
                         if "epub" in options.formats else [])
                write_bytes(folder / "cover.jpg", cover)
                if files:
                    write_text(folder / f"{safe_name(book.title)}.m3u",
                               playlist(book, [(o.path, o.seconds, o.title) for o in files]))
                write_text(folder / "book.json",
                           book_json(_book_data(production, book, files + books)))
                tracks = files or books
                for name, text in sidecars.files(book, [(o.seconds, o.title, o.marks)
                                                         for o in tracks]).items():
                    write_text(folder / name, text)
                _save_manifest(folder, files + books + epubs, job.previous)
            except BaseException:
                job.abort()
                raise
    except BaseException as exc:
        if not existed and not isinstance(exc, BusyError):
            _remove_empty(folder, stop=Path(out))
        if isinstance(exc, OSError) and (error := OutputError.of(exc, folder)):
            raise error from None  # the disk filled up, or the place changed under the build
        raise
    finally:
        renderer.close()
    chapters = max((len(o.marks) for o in books), default=0)  # a chpl atom is a file's
    if chapters > NERO_LIMIT and on_note:
        on_note(f"an .m4b has {chapters} chapters; players that read Nero chapters (VLC, most "
                f"Android players) show the first {NERO_LIMIT}, Apple's show them all")
    if renderer.cache.damaged and on_note:
        on_note(f"{renderer.cache.damaged} damaged cache entries were found, removed and made "
                "again")
    return [o.path for o in files + books + epubs]


def _cover(production: Production, options: BookOptions, book: BookInfo) -> bytes:
    """The user's cover, else the book's own, else one drawn with the title and author."""
    if options.cover:
        return load_cover(options.cover)
    if production.document.cover:
        try:
            return square_cover(production.document.cover)
        except InputError:
            production.notes.append("the book's cover image cannot be used (SVG, or not a "
                                    "JPEG or PNG); a drawn cover is used")
    return draw_cover(book.title, book.author)


@dataclass
class _Item:
    """One file to make: its title, its chapters with their segments, and the digest of
    everything that shapes it."""

    title: str
    chapters: list[tuple[Chapter, list[Segment]]]
    digest: str
    single: bool = False  # the whole book in one file, with chapter markers

    @property
    def segments(self) -> list[Segment]:
        return [s for _, segs in self.chapters for s in segs]


@dataclass
class _Output:
    """A file made (or kept): where it is, how long, its title, its chapter marks."""

    path: Path
    seconds: float
    title: str
    marks: list[tuple[str, int, int]]
    digest: str
    single: bool = False
    vtt: str | None = None  # the subtitles of a new file (a kept one has them already)
    kind: str = "mp3"  # or "m4b": the whole book in one file; or "epub": the read-along book
    lines: list[epub3.Line] | None = None  # an MP3's lines, where each is heard in it


def _plan(production: Production, options: BookOptions, book: BookInfo, cover: bytes,
          engine: Engine) -> list[_Item]:
    """What to make: a file per chapter (or one for the book), each with the digest of its
    inputs: the words and how each is read, the cast's pauses, levels, encoding, tags."""
    cast = production.cast
    common = [__version__, engine.name, getattr(engine, "version", ""), asdict(options.encoding),
              asdict(options.levels), asdict(cast.pauses), asdict(book),
              hashlib.sha256(cover).hexdigest(), options.max_minutes, options.single_file]
    chapters = _with_titles(production, options.skip_notes)

    def digest(parts) -> str:
        lines = [common]
        for chapter, segs in parts:
            lines.append([chapter.title])
            for s in segs:
                voice, treatment = cast.rendition(s, production.voices)
                lines.append([s.kind.value, s.speaker, s.scene, s.paragraph, s.heading,
                              production.say(s), asdict(voice), asdict(treatment)])
        return hashlib.sha256(json.dumps(lines, default=str).encode()).hexdigest()

    if options.single_file:
        return [_Item(book.title, chapters, digest(chapters), single=True)]
    return [_Item(chapter.title, [(chapter, segs)], digest([(chapter, segs)]))
            for chapter, segs in chapters]


class _Job:
    """Making the files of one build: speaking, mixing, encoding, and what to clean up."""

    def __init__(self, folder: Path, renderer: Renderer, production: Production,
                 options: BookOptions, progress: Progress | None) -> None:
        self.folder, self.renderer, self.production = folder, renderer, production
        self.options, self.progress = options, progress
        self.previous = _load_manifest(folder)
        self.staged: list[Path] = []
        self.cache = renderer.cache
        # Encoders (ffmpeg processes), one a core for each codec made, so that neither waits
        # on the other while speech goes on beside them.
        codecs = len({"mp3", "m4b"} & set(options.formats)) or 1
        self.pool = ThreadPoolExecutor(max(1, options.jobs) * codecs)
        self.slots = threading.Semaphore(2 * max(1, options.jobs) * codecs)  # fragments in flight
        self.assemblers: list[Assembler] = []

    def run(self, plan: list[_Item], book_digest: str | None = None,
            book: BookInfo | None = None, cover: bytes | None = None) -> list[_Output]:
        """Make what changed. The MP3s and the .m4b come from one render: a chapter is mixed
        once and fed to both; an MP3 that is kept is mixed again only for an .m4b that
        changed."""
        outputs: list[_Output] = []
        epub = "epub" in self.options.formats
        mp3 = "mp3" in self.options.formats or epub  # the read-along EPUB holds the MP3s
        self.groups: list[tuple[_Item, int]] = []  # each item with how many MP3s it has
        whole = [o for o in self.previous if o.kind == "m4b" and o.digest == book_digest]
        whole = whole if whole and all(o.path.exists() for o in whole) else []
        outputs += whole
        self.book = (_BookFile(self, book_digest) if book_digest and not whole else None)
        for item in plan:
            kept = ([o for o in self.previous if o.kind == "mp3" and o.digest == item.digest
                     and o.path.exists() and (o.lines is not None or not epub)] if mp3 else [])
            outputs += kept
            self.groups.append((item, len(kept)))
            if self.book is None and (kept or not mp3):  # nothing here to make again
                if self.progress:
                    self.progress(sum(map(_work, item.segments)), item.title)
                continue
            new = self._make(item, mp3=mp3 and not kept)
            self.groups[-1] = (item, len(kept) + len(new))
            outputs += new
        if self.book is not None:
            outputs += self.book.finish(book, cover)
        self.pool.shutdown()
        return outputs

    def _make(self, item: _Item, mp3: bool = True) -> list[_Output]:
        """Speak, mix and encode one item; where it runs over the length limit, in parts.
        The mix goes to its MP3s (unless ``mp3`` is false: kept, or not asked for) and to
        the book's .m4b, when one is being made."""
        cast, options = self.production.cast, self.options
        limit_s = None if item.single else options.max_minutes * 60
        made: list[tuple[_Output, Mixer, Assembler, list]] = []
        # The clips are mixed as they come, so the loudness that makes up for the pauses is
        # estimated from the words and speaking rates; in steps of ALLOWANCE_STEP_DB, so that
        # a line spoken by another voice does not change the gain of every clip (and with it
        # every encoded fragment of the file).
        timed = [(s, _expected_seconds(s, cast.rendition(s, self.production.voices)[0],
                                       cast.pauses.sentence)) for s in item.segments]
        allowance = ALLOWANCE_STEP_DB * round(pause_allowance(timed, cast.pauses)
                                              / ALLOWANCE_STEP_DB)
        expected = sum(seconds for _, seconds in timed)  # for an .m4b's parts

        book = self.book
        cut_at = [0]  # where the fragment being mixed starts, in samples of the file's mix

        def start(rate: int) -> None:
            if book is not None and not made:
                book.chapter(item.title, rate, expected)
            assembler = None
            if mp3:
                temp = (self.folder
                        / f".{item.digest[:16]}-{len(made) + 1}.{os.getpid()}.mp3.part")
                self.staged.append(temp)
                assembler = Assembler(rate, temp, options.encoding, self.pool, self.cache,
                                      self.slots)
                self.assemblers.append(assembler)
            sinks = [a.write for a in (assembler, book and book.assembler) if a is not None]
            cut_at[0] = 0
            made.append((_Output(assembler.dest if assembler else Path(), 0.0, item.title, [],
                                 item.digest, item.single),
                         Mixer(rate, lambda pcm: [write(pcm) for write in sinks], cast.pauses,
                               options.levels, allowance),
                         assembler, []))

        def end() -> None:
            output, mixer, assembler, heads = made[-1]
            mixer.close()
            if book is not None:
                book.assembler.cut()  # a file's end is a fragment's, with or without its MP3
            if assembler is None:
                return
            assembler.close()
            output.seconds = assembler.seconds
            output.marks = _marks(heads, assembler, item.title)
            output.vtt = webvtt(mixer.cues, assembler.seconds_at, spoken_text)
            output.lines = [_line(cue.segment, assembler.seconds_at(cue.start),
                                  assembler.seconds_at(cue.end)) for cue in mixer.cues]

        self.renderer.start()  # before the encoders' threads
        on_clip = ((lambda clip: self.progress(_work(clip.segment), item.title))
                   if self.progress else None)
        clips = self.renderer.clips(item.segments,
                                    lambda s: cast.rendition(s, self.production.voices), on_clip,
                                    self.production.say)
        text, done, heard = sum(map(_work, item.segments)), 0, 0.0  # heard: earlier parts
        for clip in clips:
            rate = clip.sample_rate
            if not made:
                start(rate)
            elif limit_s and _part_ends(made[-1][1].position / rate,
                                        made[-1][1].samples_for(clip) / rate
                                        + cast.pauses.tail / 1000,
                                        heard + made[-1][1].position / rate, done / text,
                                        limit_s):
                heard += made[-1][1].position / rate
                end()
                start(rate)
            done += _work(clip.segment)
            output, mixer, assembler, heads = made[-1]
            if _cut_before(clip, (mixer.position - cut_at[0]) / rate):
                # between two clips: the pause before this one opens the next fragment
                for a in (assembler, book and book.assembler):
                    if a is not None:
                        a.cut()
                mixer.restart_bed()
                cut_at[0] = mixer.position
            if clip.segment.heading and not clip.continued:
                heads.append((spoken_text(clip.segment), mixer.position))
            mixer.add(clip)
        if not made:
            start(22050)
        end()
        if not mp3:
            return []
        if len(made) > 1:
            for n, (output, *_) in enumerate(made, 1):
                output.title = f"{item.title} (Part {n})"
        return [output for output, *_ in made]

    def abort(self) -> None:
        for assembler in self.assemblers:
            assembler.abort()
        self.pool.shutdown(cancel_futures=True)
        for path in self.staged:
            path.unlink(missing_ok=True)


class _BookFile:
    """The whole book as one .m4b (or, past --split-hours, a few, each ending at a chapter's
    end), fed the mix of every chapter as it is made (chapters over --max-minutes do not
    split it), its chapters marked where each begins."""

    def __init__(self, job: _Job, digest: str) -> None:
        self.job, self.digest = job, digest
        hours = job.options.split_hours
        self.limit_s = hours * 3600 if hours else None
        self.parts: list[tuple[Assembler, list[tuple[str, int]]]] = []  # (chapter, sample)

    @staticmethod
    def digest(plan: list[_Item], options: BookOptions) -> str | None:
        """What shapes the .m4b (every file's inputs, its encoding and parts), if one is asked
        for."""
        if "m4b" not in options.formats:
            return None
        return hashlib.sha256(json.dumps(["m4b", asdict(options.m4b_encoding),
                                          options.split_hours,
                                          [item.digest for item in plan]]).encode()).hexdigest()

    @property
    def assembler(self) -> Assembler | None:
        return self.parts[-1][0] if self.parts else None

    def chapter(self, title: str, rate: int, expected_s: float = 0.0) -> None:
        """A chapter begins: in a new part when this one would run past the limit with it."""
        current = self.assembler
        if current is None or (self.limit_s and self.parts[-1][1] and
                               current.position / rate + expected_s > self.limit_s):
            if current is not None:
                current.cut()
            temp = (self.job.folder
                    / f".{self.digest[:16]}-{len(self.parts) + 1}.{os.getpid()}.aac.part")
            self.job.staged.append(temp)
            current = Assembler(rate, temp, self.job.options.m4b_encoding, self.job.pool,
                                self.job.cache, self.job.slots, AAC)
            self.job.assemblers.append(current)
            self.parts.append((current, []))
        self.parts[-1][1].append((title, current.position))

    def finish(self, book: BookInfo, cover: bytes | None) -> list[_Output]:
        """Join each part's fragments, put them in MP4 with its chapters, tag it, and put it
        in place."""
        folder, total = self.job.folder, len(self.parts)
        if not self.parts:
            raise ExportError("the book has nothing to speak, so no .m4b",
                              path=folder / f"{safe_name(book.title)}.m4b")
        out = []
        for n, (assembler, starts) in enumerate(self.parts, 1):
            title = book.title if total == 1 else f"{book.title} (Part {n})"
            dest = folder / f"{safe_name(title)}.m4b"
            assembler.close()
            seconds = assembler.seconds
            at = [round(assembler.seconds_at(pos) * 1000) if k else 0  # the first at 0
                  for k, (_, pos) in enumerate(starts)]
            marks = [(name, start, end) for (name, _), start, end
                     in zip(starts, at, at[1:] + [round(seconds * 1000)])]
            partial = folder / f".{self.digest[:16]}-{n}.{os.getpid()}.m4b.part"
            self.job.staged.append(partial)
            mux(assembler.dest, marks, partial)
            tag_m4b(partial, book, cover, title, (n, total))
            os.replace(partial, dest)
            assembler.dest.unlink(missing_ok=True)
            out.append(_Output(dest, seconds, title, marks, self.digest, True, kind="m4b"))
        return out


def _line(segment: Segment, begin: float, end: float) -> epub3.Line:
    """A clip's line for the read-along EPUB: its text as shown, its place, its times."""
    return epub3.Line(spoken_text(segment), segment.kind.value, segment.speaker,
                      segment.heading, segment.paragraph, segment.scene, segment.chapter,
                      begin, end)


BCP_47 = {three: two for two, three in ISO_639_2.items()}


def _read_along(job: _Job, files: list[_Output], book: BookInfo, cover: bytes) -> _Output:
    """The read-along EPUB 3 of the MP3s just made or kept (``files``, in the book's order),
    kept as it is when nothing that shapes it changed."""
    digest = hashlib.sha256(json.dumps(["epub", epub3.VERSION, [
        item.digest for item, _ in job.groups]]).encode()).hexdigest()
    dest = job.folder / f"{safe_name(book.title)}.epub"
    seconds = sum(o.seconds for o in files)
    if any(o.kind == "epub" and o.digest == digest and o.path == dest and o.path.exists()
           for o in job.previous):
        return _Output(dest, seconds, book.title, [], digest, True, kind="epub")
    parts, rest = [], list(files)
    for item, count in job.groups:
        mine, rest = rest[:count], rest[count:]
        parts.append(epub3.Part(item.title, tuple((c.number, c.title) for c, _ in item.chapters),
                                tuple(epub3.Track(o.path, o.seconds, tuple(o.lines or ()))
                                      for o in mine)))
    modified = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = epub3.Meta(book.title, book.author, BCP_47.get(book.language, book.language),
                      book.narrator, digest, modified)
    partial = job.folder / f".{digest[:16]}.{os.getpid()}.epub.part"
    job.staged.append(partial)
    epub3.write_epub(partial, parts, meta, cover)
    os.replace(partial, dest)
    return _Output(dest, seconds, book.title, [], digest, True, kind="epub")


def _cut_before(clip: Clip, fragment_s: float) -> bool:
    """Whether the fragment being mixed ends before ``clip``: where by the content, not by
    length alone. Past half of FRAGMENT_SECONDS, before a clip whose text hashes to one in
    four (about FRAGMENT_SECONDS on average); at twice it, before any clip. So a line whose
    audio changes moves the cuts near it only, and the fragments after it are the same
    audio as before, encoded already."""
    if fragment_s >= 2 * FRAGMENT_SECONDS:
        return True
    return (fragment_s >= FRAGMENT_SECONDS / 2 and not clip.continued
            and zlib.crc32(clip.segment.text.encode("utf-8")) % 4 == 0)


def _work(segment: Segment) -> int:
    """How much there is to speak in a segment (or a clip's part of one): its characters."""
    return len(spoken_text(segment)) if speakable(segment) else 0


def _part_ends(length_s: float, with_clip_s: float, heard_s: float, fraction: float,
               limit_s: float) -> bool:
    """Whether a part ``length_s`` long ends before the next clip: when the clip would take
    it past the limit (``with_clip_s``), or when it is nearer its share of what is left of
    the chapter without the clip than with it, and half a share is still to come. The
    chapter's length is estimated from what is heard so far (``heard_s``, ``fraction`` of
    its text), so the parts come out alike, a clip apart at most."""
    if with_clip_s > limit_s:
        return True
    if fraction <= 0:
        return False
    total = heard_s / fraction
    left = total - heard_s + length_s  # this part and the ones after it
    share = left / math.ceil(left / limit_s)
    closer = length_s + with_clip_s >= 2 * share  # nearer its share without the clip
    return closer and total - heard_s >= share / 2


def _expected_seconds(segment: Segment, voice: Voice, sentence_pause_ms: int) -> float:
    """About how long a segment speaks: its words at the voice's rate, and its pauses."""
    text = spoken_text(segment)
    return (len(text.split()) * 60 / voice.rate
            + (len(sentences(text)) - 1) * sentence_pause_ms / 1000)


def _marks(heads: list[tuple[str, int]], assembler: Assembler, title: str
           ) -> list[tuple[str, int, int]]:
    """(title, start ms, end ms) of each chapter in a file, from where its title is heard."""
    total = round(assembler.seconds * 1000)
    if not heads:
        return [(title, 0, total)]
    starts = [0] + [round(assembler.seconds_at(start) * 1000) for _, start in heads[1:]]
    ends = starts[1:] + [total]
    return [(name, start, end) for (name, _), start, end in zip(heads, starts, ends)]


def _finish(outputs: list[_Output], folder: Path, book: BookInfo, cover: bytes
            ) -> list[_Output]:
    """Give every file its final name and tags (track n/N): new ones are tagged and moved in,
    kept ones re-tagged and renamed only if their place in the book changed."""
    total = len(outputs)
    final = []
    for n, output in enumerate(outputs, 1):
        dest = (folder / f"{safe_name(book.title)}.mp3" if output.single
                else track_path(folder, n, total, output.title))
        new = output.vtt is not None
        if new or read_mp3(output.path)["tags"].get("TRCK") != f"{n}/{total}":
            tag_mp3(output.path, book, output.title, n, total, cover,
                    output.marks if output.single else ())
        if output.path != dest:
            if not new:
                os.replace(output.path.with_suffix(".vtt"), dest.with_suffix(".vtt"))
            os.replace(output.path, dest)
        if new:
            write_text(dest.with_suffix(".vtt"), output.vtt)
        final.append(_Output(dest, output.seconds, output.title, output.marks, output.digest,
                             output.single, lines=output.lines))
    return final


MANIFEST = ".audiobook-build.json"


def _load_manifest(folder: Path) -> list[_Output]:
    """What the last build made here: each file with the digest of its inputs."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return [_Output(folder / f["file"], f["seconds"], f["title"],
                        [tuple(m) for m in f["marks"]], f["digest"], f["single"],
                        kind=f.get("kind", "mp3"),
                        lines=([epub3.Line.from_list(x) for x in f["lines"]]
                               if f.get("lines") is not None else None))
                for f in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _save_manifest(folder: Path, files: list[_Output], previous: list[_Output]) -> None:
    """Record what this build made, and remove what an earlier one made that is gone now."""
    keep = {o.path for o in files}
    for old in previous:
        if old.path not in keep:
            old.path.unlink(missing_ok=True)
            old.path.with_suffix(".vtt").unlink(missing_ok=True)
    write_text(folder / MANIFEST, json.dumps({"files": [
        {"file": o.path.name, "seconds": o.seconds, "title": o.title, "marks": o.marks,
         "digest": o.digest, "single": o.single, "kind": o.kind,
         **({"lines": [x.to_list() for x in o.lines]} if o.lines is not None else {})}
        for o in files]},
        indent=1) + "\n")


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


def _book_data(production: Production, book: BookInfo, files: list[_Output]) -> dict:
    counts = production.segmentation.line_counts()
    voice = production.voices

    def described(v: Voice) -> dict:
        return {"voice": v.id, "rate": v.rate, "pitch": v.pitch, "volume": v.volume}

    return {
        "title": book.title, "author": book.author, "narrator": book.narrator,
        "year": book.year, "language": book.language, "description": book.description,
        "publisher": book.publisher, "series": book.series, "series_index": book.series_index,
        "cover": "cover.jpg",
        "narrator_voice": described(production.cast.narrator),
        "files": [{"file": o.path.name, "title": o.title, "seconds": round(o.seconds, 3),
                   "chapters": [{"title": t, "start_ms": s, "end_ms": e} for t, s, e in o.marks]}
                  for o in files],
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
    check_writable(path)  # before the story is read
    cast, engine = open_cast(path if path.exists() else None, engine)
    production = prepare(story, cast, engine)
    entries = {}
    for name, gender, spoken, thought, voice, aliases in CastReport(production, path, []).rows():
        if spoken + thought == 0 or cast.member(name):
            continue
        entry = ({"voice": voice.id, "pitch": voice.pitch, "rate": voice.rate} if engine.pitched
                 else {"voice": voice.id, "speed": round(voice.rate / RATE_PER_SPEED, 2)})
        if gender != "unknown":
            entry["gender"] = gender
        if aliases:
            entry["aliases"] = aliases
        entries[name] = entry
    added = add_characters(path, entries)
    if added:  # read back what was written, so the report shows the file as it now is
        production = prepare(story, load_cast(path, engine.check_voice, engine), engine)
    return CastReport(production, path, added), engine
