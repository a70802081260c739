"""The command line: each command parses its options, calls the library once, reports errors."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

import click

from . import pipeline, preview, readers, review
from .cache import ClipCache, default_cache_dir
from .cast import Cast
from .castfile import load_cast
from .check import Rules, check_folder
from .engines import get_engine
from .errors import AudiobookError, OutputError
from .export import Encoding, safe_name
from .models import Kind, Levels, Voice
from .player import play
from .render import speakable
from .speech import Speech
from .words import story_words

DEFAULT_CAST = "voices.yaml"
_DEBUG = {"on": bool(os.environ.get("AUDIOBOOK_DEBUG"))}  # --debug: tracebacks, not lines


def _debug(ctx, param, value: bool) -> None:
    _DEBUG["on"] = _DEBUG["on"] or value


def _run(call):
    """Call into the library; a user's error becomes one line and exit status 1."""
    try:
        return call()
    except AudiobookError as exc:
        if _DEBUG["on"]:
            raise
        raise click.ClickException(str(exc)) from None


def _prepare(story: Path, voices: Path | None) -> pipeline.Production:
    """The story read and segmented, knowing the cast file's names (no engine needed)."""
    cast = _run(lambda: load_cast(voices)) if voices else None
    production = _run(lambda: pipeline.prepare(story, cast))
    _say_notes(production.document.notes)
    return production


def _say_notes(notes) -> None:
    """What the reader skipped or could not use, on stderr (the output stays clean)."""
    for note in notes:
        click.echo(f"note: {note}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audiobook")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_debug,
              help="Show the traceback of any failure (or set AUDIOBOOK_DEBUG=1).")
def cli() -> None:
    """Turn a story or a book (plain text, Markdown, HTML, EPUB) into a multi-voice
    audiobook, offline.

    \b
    audiobook text BOOK               the text as it will be read
    audiobook segment STORY           who says what
    audiobook cast STORY              give every character a voice (voices.yaml)
    audiobook preview STORY --chapter 1   hear one scene with the full cast
    audiobook build STORY             one tagged MP3 per chapter, under output/
    audiobook check output            measure the files against ACX
    """


@cli.command("text")
@click.argument("book", type=click.Path(path_type=Path))
def text_command(book: Path) -> None:
    """Print BOOK's reading text: what will be read, in order, in Markdown form (# headings,
    *italics*, * * * between scenes). For an HTML or EPUB book, this is the text the offsets
    of `segment --format jsonl` index; for plain text and Markdown it is the file itself."""
    document = _run(lambda: readers.read_file(book))
    _say_notes(document.notes)
    click.echo(document.text, nl=False)


@cli.command()
@click.argument("story", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True, help="table: for reading; jsonl: one JSON object per segment "
              "with start/end offsets into the reading text (the file itself for plain text "
              "and Markdown; what `audiobook text` prints for HTML and EPUB).")
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help="Cast file whose character names and aliases the segmenter should know.")
def segment(story: Path, fmt: str, voices: Path | None) -> None:
    """Split STORY into narration, dialogue and thought, and name who speaks.

    jsonl gives each dialogue and thought span the rule that decided its speaker and a
    confidence (high, medium, low), and `spoken`, the text exactly as the engine is given it
    (numbers, dates and symbols in words, the cast file's pronunciations), where that is not
    the text."""
    production = _prepare(story, voices)
    segments = production.segmentation.segments
    if fmt == "jsonl":
        for seg in segments:
            row = seg.to_dict()
            if speakable(seg) and (said := production.say(seg)) != seg.text:
                row["spoken"] = said  # what the engine is given, where it is not the text
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    width = max(40, shutil.get_terminal_size((100, 20)).columns - 36)
    click.echo(f"{'CH':>3} {'SC':>3}  {'KIND':<9} {'SPEAKER':<14} TEXT")
    for seg in segments:
        text = " ".join(seg.text.split())
        if len(text) > width:
            text = text[: width - 1] + "…"
        who = seg.speaker or ("-" if seg.kind is Kind.NARRATION else "?")
        click.echo(f"{seg.chapter:>3} {seg.scene:>3}  {seg.kind.value:<9} {who:<14} {text}")


@cli.command()
@click.argument("story", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help="Cast file whose character names and aliases the segmenter should know.")
def characters(story: Path, voices: Path | None) -> None:
    """List the characters of STORY: name, gender guess, lines spoken and thought, aliases."""
    segmentation = _prepare(story, voices).segmentation
    counts = segmentation.line_counts()
    people = sorted(segmentation.characters, key=lambda c: (-sum(counts[c.name]), c.name))
    click.echo(f"{'NAME':<20} {'GENDER':<8} {'SPOKEN':>6} {'THOUGHT':>7}  ALIASES")
    for c in people:
        spoken, thought = counts[c.name]
        click.echo(f"{c.name:<20} {c.gender:<8} {spoken:>6} {thought:>7}  {', '.join(c.aliases)}")
    if counts.get(None, (0, 0)) != (0, 0):
        spoken, thought = counts[None]
        click.echo(f"{'(unattributed)':<20} {'':<8} {spoken:>6} {thought:>7}")


@cli.command("words")
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help=f"Cast file. Default: ./{DEFAULT_CAST} when it exists, else built-in voices.")
def words_command(story: Path, voices: Path | None) -> None:
    """List the names and unusual words of STORY with their counts and how eSpeak NG will
    say them (its phonemes, after the cast file's pronunciations), to audit before a build.

    A word said wrong gets a line under `pronunciations:` in the cast file: a respelling
    (Sasuke: Sahss-keh) or these phonemes, changed, in double brackets ("[[s'A:sk@]]")."""
    if voices is None and Path(DEFAULT_CAST).is_file():
        voices = Path(DEFAULT_CAST)
    cast, engine = _run(lambda: pipeline.open_cast(voices))
    production = _run(lambda: pipeline.prepare(story, cast, engine))
    _say_notes(production.document.notes)
    found = story_words(production.segmentation.segments, production.segmentation.characters)
    said = dict(cast.pronunciations)
    narrator = production.cast.narrator
    click.echo(f"{'WORD':<20} {'COUNT':>5}  {'KIND':<8} {'GIVEN AS':<16} PHONEMES")
    for w in found:
        spoken = production.say.text(w.word)
        given = next((v for k, v in said.items() if k.lower() == w.word.lower()), "")
        phonemes = _run(lambda: engine.phonemes(spoken, narrator)) or "-"  # noqa: B023
        click.echo(f"{w.word:<20} {w.count:>5}  {w.kind:<8} {given:<16} {phonemes}")


@cli.command("review")
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help=f"Cast file. Default: ./{DEFAULT_CAST} when it exists, else built-in voices.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder review.html is written in.")
def review_command(story: Path, voices: Path | None, out: Path) -> None:
    """Write OUT/review.html: STORY as it will be read, each line marked by kind and
    coloured by its reader, with the rule and confidence behind every speaker, a switch to
    show only the doubtful lines, and a click on a line for its cast-file correction."""
    if voices is None and Path(DEFAULT_CAST).is_file():
        voices = Path(DEFAULT_CAST)
    production = _prepare(story, voices)
    click.echo(str(_run(lambda: review.write_review(production, out))))


@cli.command()
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help=f"Cast file. Default: ./{DEFAULT_CAST} when it exists, else built-in voices.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder the book is written under (OUT/author/title/).")
@click.option("--title", help="Book title. Default: the story's own, else its file name.")
@click.option("--author", help="Author. Default: the story's own, else 'Unknown'.")
@click.option("--narrator", help="Narrator (composer tag). Default: the narrator voice's name.")
@click.option("--description", help="Description tag. Default: the story's summary or the "
              "book's description, if any.")
@click.option("--year", help="Year tag. Default: the story's, else this year.")
@click.option("--series", help="The series the book belongs to (tags, sidecars, and the folder "
              "OUT/<author>/<series>/<N> - <title>/). Default: the book's own (an EPUB's).")
@click.option("--series-part", callback=lambda ctx, param, value: _series_part(value),
              help="The book's place in its series: 2, or 1.5.")
@click.option("--cover", type=click.Path(dir_okay=False, path_type=Path),
              help="Cover image (JPEG or PNG). Default: the book's own (an EPUB's), else one "
              "drawn with the title and author.")
@click.option("--single-file", is_flag=True,
              help="One MP3 of the whole book, with chapter markers, instead of one per chapter.")
@click.option("--skip-notes", is_flag=True,
              help="Leave out disclaimers and author's notes (A/N:, Author's Note:).")
@click.option("--format", "formats", multiple=True, callback=lambda c, p, v: _formats(v),
              help="What to make, from one render: mp3 (one file a chapter, the default), m4b "
              "(the book in one file, with chapters), epub (a read-along EPUB 3 holding the "
              "MP3s, which are written too), or several: --format mp3,m4b.")
@click.option("--split-hours", type=click.FloatRange(0.1, 1000), default=None,
              help="An m4b longer than this many hours is made in parts, each ending at a "
              "chapter's end (players handle books of about 12 hours best).")
@click.option("--bitrate", type=click.IntRange(32, 320), default=None,
              help="Bit rate in kbit/s. Default: 192 for MP3 (constant), 64 for m4b (AAC).")
@click.option("--rms", "rms_dbfs", type=click.FloatRange(-40, -6), default=-20.0,
              show_default=True, help="Target loudness, RMS in dBFS (ACX: -23 to -18).")
@click.option("--ceiling", "ceiling_dbfs", type=click.FloatRange(-20, -0.1), default=-4.0,
              show_default=True, help="Peak ceiling in dBFS (ACX: -3 at most).")
@click.option("--max-minutes", type=click.IntRange(1, 24 * 60), default=120, show_default=True,
              help="Longer chapters are split into parts.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where spoken sentences and encoded audio are kept for the next build. "
                   "Default: $XDG_CACHE_HOME/audiobook (~/.cache/audiobook).")
@click.option("--no-cache", is_flag=True, help="Speak everything afresh and keep nothing.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes for speech. Default: one per core.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no notes; only errors.")
def build(story: Path, voices: Path | None, out: Path, title: str | None, author: str | None,
          narrator: str | None, description: str | None, year: str | None,
          series: str | None, series_part: str | None, cover: Path | None, single_file: bool,
          skip_notes: bool, formats: tuple[str, ...], split_hours: float | None,
          bitrate: int | None,
          rms_dbfs: float, ceiling_dbfs: float, max_minutes: int, cache_dir: Path | None,
          no_cache: bool, jobs: int | None, quiet: bool) -> None:
    """Build STORY into tagged MP3s under OUT/<author>/<title>/: one per chapter (or one for
    the book with --single-file), with cover.jpg, WebVTT subtitles, an .m3u playlist and
    book.json beside them, and what library servers read: Audiobookshelf's metadata.json,
    desc.txt and reader.txt, and a calibre-style metadata.opf."""
    if voices is None and Path(DEFAULT_CAST).is_file():
        voices = Path(DEFAULT_CAST)
    settings = {"jobs": jobs} if jobs else {}
    if no_cache or cache_dir:
        settings["cache"] = None if no_cache else cache_dir
    options = pipeline.BookOptions(
        title=title, author=author, narrator=narrator, description=description, year=year,
        series=series, series_part=series_part, cover=cover, single_file=single_file,
        skip_notes=skip_notes, max_minutes=max_minutes,
        encoding=Encoding(bitrate_kbps=bitrate or 192), formats=formats,
        m4b_encoding=Encoding(bitrate_kbps=bitrate or 64), split_hours=split_hours,
        levels=Levels(rms_dbfs=rms_dbfs, ceiling_dbfs=ceiling_dbfs), **settings)
    bar = None

    def on_ready(production, units):
        nonlocal bar
        if quiet:
            return
        for note in production.notes:
            click.echo(f"note: {note}", err=True)
        bar = click.progressbar(length=units, label="Building", show_eta=True,
                                item_show_func=lambda t: t and f"({t})",
                                file=sys.stderr)
        bar.__enter__()

    def progress(units, label):
        if bar is not None:
            bar.update(units, label)

    try:
        files = _run(lambda: pipeline.build(
            story, voices, out, options, progress=progress, on_ready=on_ready,
            on_note=lambda line: click.echo(f"note: {line}", err=True)))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if not quiet:
        for path in files:
            click.echo(str(path))


@cli.command("cast")
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(DEFAULT_CAST), show_default=True,
              help="Cast file to read and add to (created when missing).")
@click.option("--audition", is_flag=True,
              help="Also write a short sample of each cast member reading one of their lines.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Where --audition writes auditions/NN - NAME.wav.")
def cast_command(story: Path, voices: Path, audition: bool, out: Path) -> None:
    """Give every character of STORY a voice and add them to the cast file.

    Characters with the most lines get the most distinct voices; what the file already says
    (voices set by hand, comments, order) is never changed.
    """
    report, engine = _run(lambda: pipeline.cast_story(story, voices))
    narrator = report.production.cast.narrator
    click.echo(f"{'NAME':<18} {'GENDER':<7} {'SPOKEN':>6} {'THOUGHT':>7}  {'VOICE':<22} ALIASES")
    click.echo(f"{'(narrator)':<18} {'':<7} {'':>6} {'':>7}  {_voice_text(narrator):<22}")
    for name, gender, spoken, thought, voice, aliases in report.rows():
        click.echo(f"{name:<18} {gender:<7} {spoken:>6} {thought:>7}  {_voice_text(voice):<22} "
                   f"{', '.join(aliases)}")
    if report.added:
        click.echo(f"added to {voices}: {', '.join(report.added)}")
    else:
        click.echo(f"{voices}: nothing to add")
    if audition:
        for path in _run(lambda: preview.audition(report.production, engine, out)):
            click.echo(str(path))


FORMATS = ("mp3", "m4b", "epub")


def _formats(values: tuple[str, ...]) -> tuple[str, ...]:
    """--format, repeated or as a comma list, checked: mp3 when none is given."""
    chosen = [f.strip().lower() for v in values for f in v.split(",") if f.strip()]
    for f in chosen:
        if f not in FORMATS:
            raise click.BadParameter(f"{f!r} is not a format made here; choose from "
                                     f"{', '.join(FORMATS)}")
    return tuple(dict.fromkeys(chosen)) or ("mp3",)


def _mode(m) -> str:
    """How a file's bit rate is spent: CBR or VBR for an MP3; AAC for an .m4b."""
    return " AAC" if m.format == "m4b" else " CBR" if m.cbr else " VBR"


def _series_part(value: str | None) -> str | None:
    """--series-part as a number (2, 1.5), or one line saying what it must be."""
    if value is None:
        return None
    try:
        if float(value) < 0 or not value.replace(".", "", 1).isdigit():
            raise ValueError
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a place in a series; give a number such "
                                 "as 2 or 1.5") from None
    return value


def _voice_text(voice) -> str:
    return f"{voice.id} p{voice.pitch} r{voice.rate}"


@cli.command()
@click.option("--lang", help="Only languages starting with this (en, en-gb, fr).")
@click.option("--gender", type=click.Choice(["male", "female"]),
              help="Only variants (Kokoro: voices) of this gender.")
@click.option("--say", "text", help="Audition: speak TEXT with --voice.")
@click.option("--voice", "voice_id", default=None,
              help="The voice to audition: language[+variant], e.g. en-us+f3 (the default en-us); "
              "for Kokoro a name or a blend, e.g. af_heart, af_bella:0.6+af_sky:0.4.")
@click.option("--rate", type=click.IntRange(80, 450), default=170, show_default=True,
              help="Words per minute, for --say.")
@click.option("--pitch", type=click.IntRange(0, 100), default=50, show_default=True,
              help="0-100, for --say.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Where --say writes its sample.")
@click.option("--no-play", is_flag=True, help="With --say: write the file, do not play it.")
@click.option("--engine", "engine_name", default="pyttsx3", show_default=True,
              help="The speech engine: pyttsx3 (eSpeak NG) or kokoro (the optional extra, its "
              "model in $XDG_DATA_HOME/audiobook/kokoro).")
@click.option("--voices", "cast_path", type=click.Path(path_type=Path), default=None,
              help=f"With --say: the cast file whose pronunciations apply. Default: "
              f"./{DEFAULT_CAST} when it exists.")
def voices(lang: str | None, gender: str | None, text: str | None, voice_id: str, rate: int,
           pitch: int, out: Path, no_play: bool, engine_name: str,
           cast_path: Path | None) -> None:
    """List the engine's voices and variants, or audition one with --say (read as a book
    reads it: numbers in words, the cast file's pronunciations)."""
    engine = _run(lambda: get_engine(engine_name))
    voice_id = voice_id or engine.default_voice
    if text is not None:
        if problem := engine.check_voice(voice_id):
            raise click.ClickException(problem)
        if cast_path is None and Path(DEFAULT_CAST).is_file():
            cast_path = Path(DEFAULT_CAST)
        speech = Speech(_run(lambda: load_cast(cast_path)) if cast_path else Cast())
        dest = out / f"audition - {safe_name(voice_id)}.wav"
        path = _run(lambda: preview.say(text, Voice(voice_id, rate, pitch), engine, dest,
                                        speech))
        click.echo(str(path))
        if not no_play and not play(path):
            click.echo("no audio player found (ffplay, paplay, aplay, afplay); the file is "
                       "written", err=True)
        return
    listed = engine.voices()
    if not any(v.variant for v in listed):  # whole voices (Kokoro's), each of a gender
        click.echo(f"{'VOICE':<14} {'LANGUAGE':<9} {'GENDER':<8} NAME")
        for v in listed:
            if (not lang or (v.language or v.id).startswith(lang)) and (
                    not gender or v.gender == gender):
                click.echo(f"{v.id:<14} {v.language or v.id:<9} {v.gender:<8} {v.name}")
        return
    languages = [v for v in listed if not v.variant and (not lang or v.id.startswith(lang))]
    variants = [v for v in listed if v.variant and (not gender or v.gender == gender)]
    if not gender:
        click.echo(f"{'LANGUAGE':<20} NAME")
        for v in sorted(languages, key=lambda v: v.id):
            click.echo(f"{v.id:<20} {v.name}")
        click.echo()
    click.echo(f"{'VARIANT':<20} {'GENDER':<8} NAME    (use as LANGUAGE+VARIANT, e.g. en-us+f3)")
    for v in sorted(variants, key=lambda v: (v.gender, v.id.lower())):
        click.echo(f"{v.id:<20} {v.gender:<8} {v.name}")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--bitrate", type=click.IntRange(32, 320), default=192, show_default=True,
              help="The constant bit rate the files should have, in kbit/s.")
def check(folder: Path, bitrate: int) -> None:
    """Measure every MP3 and .m4b under FOLDER against ACX's audiobook numbers; exit 1 if any
    fails (an .m4b is held to all but the MP3 bit-rate rule).

    Every file is reported: one that is not an MP3 stream, or has decode errors anywhere
    (each file is decoded completely), fails with the reason, and the rest are still measured.

    RMS -23 to -18 dBFS, sample peak at most -3 dBFS, noise floor at most -60 dBFS but not
    dead silence, 0.5-1 s of room tone at the head and 1-5 s at the tail, constant bit rate,
    44.1 kHz, the same channels in every file, at most 120 minutes each.
    """
    results = _run(lambda: check_folder(folder, Rules(bitrate_kbps=bitrate)))
    click.echo(f"{'FILE':<34} {'RMS':>6} {'PEAK':>6} {'FLOOR':>6} {'HEAD':>5} {'TAIL':>5} "
               f"{'KBPS':>8} {'HZ':>6} {'CH':>2} {'TIME':>7}  RESULT")
    for result in results:
        name = result.path.relative_to(folder).as_posix()
        name = name if len(name) <= 34 else "…" + name[-33:]
        verdict = "pass" if result.passed else "FAIL: " + "; ".join(result.problems)
        if (m := result.measurement) is None:
            click.echo(f"{name:<34} {'-':>6} {'-':>6} {'-':>6} {'-':>5} {'-':>5} {'-':>8} "
                       f"{'-':>6} {'-':>2} {'-':>7}  {verdict}")
            continue
        minutes, seconds = divmod(round(m.duration_s), 60)
        click.echo(f"{name:<34} {m.rms_dbfs:>6.1f} {m.peak_dbfs:>6.1f} {m.floor_dbfs:>6.1f} "
                   f"{m.head_s:>5.2f} {m.tail_s:>5.2f} "
                   f"{str(m.bitrate_kbps) + _mode(m):>8} "
                   f"{m.sample_rate:>6} {m.channels:>2} {minutes:>4}:{seconds:02d}  {verdict}")
    failed = sum(1 for r in results if not r.passed)
    click.echo(f"{len(results) - failed} of {len(results)} files meet the numbers")
    if failed:
        sys.exit(1)


@cli.command("scenes")
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help="Cast file whose character names and aliases the segmenter should know.")
def scenes_command(story: Path, voices: Path | None) -> None:
    """List the chapters and scenes of STORY, numbered for `audiobook preview`."""
    production = _prepare(story, voices)
    click.echo(f"{'CH':>3} {'SC':>3} {'WORDS':>6}  OPENING")
    chapter = None
    for s in preview.scenes(production):
        if s.chapter != chapter:
            click.echo(f"{s.chapter:>3}  {s.title}")
            chapter = s.chapter
        click.echo(f"{s.chapter:>3} {s.scene:>3} {s.words:>6}  {s.opening()}")


@cli.command("preview")
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--chapter", type=click.IntRange(1), help="The chapter to hear.")
@click.option("--scene", type=click.IntRange(1), help="The scene of that chapter (default 1).")
@click.option("--find", "text", help="Hear the first scene containing TEXT instead.")
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help=f"Cast file. Default: ./{DEFAULT_CAST} when it exists.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Where preview.mp3 is written.")
@click.option("--no-play", is_flag=True, help="Only write preview.mp3; do not play it.")
@click.option("--no-cache", is_flag=True, help="Speak everything afresh and keep nothing.")
def preview_command(story: Path, chapter: int | None, scene: int | None, text: str | None,
                    voices: Path | None, out: Path, no_play: bool, no_cache: bool) -> None:
    """Hear one scene of STORY read by the full cast, in seconds: --chapter N [--scene M],
    or --find TEXT. Writes OUT/preview.mp3 and plays it where a player exists."""
    if (chapter is None) == (text is None):
        raise click.UsageError("give --chapter N (and maybe --scene M), or --find TEXT")
    if voices is None and Path(DEFAULT_CAST).is_file():
        voices = Path(DEFAULT_CAST)
    cast, engine = _run(lambda: pipeline.open_cast(voices))
    production = _run(lambda: pipeline.prepare(story, cast, engine))
    found = _run(lambda: preview.find_scene(production, chapter, scene, text))
    cache = ClipCache(None if no_cache else default_cache_dir())
    path = _run(lambda: preview.preview(production, found, engine, out / "preview.mp3", cache))
    click.echo(f"chapter {found.chapter}, scene {found.scene} ({found.words} words): {path}")
    if not no_play and not play(path):
        click.echo("no audio player found (ffplay, paplay, aplay, afplay); the file is "
                   "written", err=True)


class _Signalled(BaseException):
    """SIGTERM or SIGHUP arrived (a ``timeout``, a closed terminal): unwind like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame) -> None:
    raise _Signalled(signum)


def main() -> None:
    """The ``audiobook`` command. A stop (Ctrl-C, SIGTERM, a closed terminal) unwinds the
    work, so what was half-written is removed, says so in one line and exits with 128 + the
    signal's number (130 for Ctrl-C, 143 for SIGTERM)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    try:
        code = cli.main(prog_name="audiobook", standalone_mode=False)
    except click.exceptions.Abort as exc:
        if not isinstance(exc.__context__, KeyboardInterrupt):
            click.echo("Aborted!", err=True)
            sys.exit(1)
        click.echo("audiobook: interrupted; nothing half-written was kept", err=True)
        sys.exit(128 + signal.SIGINT)
    except _Signalled as exc:
        click.echo(f"audiobook: stopped by {signal.Signals(exc.signum).name}; nothing "
                   "half-written was kept", err=True)
        sys.exit(128 + exc.signum)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # the one boundary: what a user caused is one line, a bug too
        if _DEBUG["on"]:
            raise
        click.echo(f"Error: {_explain(exc)}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _explain(exc: Exception) -> str:
    if isinstance(exc, AudiobookError):
        return str(exc)
    if isinstance(exc, OSError) and (error := OutputError.of(exc, exc.filename)):
        return str(error)
    return (f"this is a bug in audiobook ({type(exc).__name__}: {exc}); run the command again "
            "with --debug to see where, and report it")
