"""The command line: each command parses its options, calls the library once, reports errors."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from . import pipeline
from .castfile import load_cast
from .engines import get_engine
from .errors import AudiobookError
from .export import safe_name
from .models import Kind, Voice
from .player import play

DEFAULT_CAST = "voices.yaml"


def _run(call):
    """Call into the library; a user's error becomes one line and exit status 1."""
    try:
        return call()
    except AudiobookError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audiobook")
def cli() -> None:
    """Turn a story (plain text or Markdown) into a multi-voice audiobook, offline.

    Start with `audiobook segment STORY` to see who says what, then
    `audiobook build STORY` to write one tagged MP3 per chapter.
    """


@cli.command()
@click.argument("story", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True, help="table: for reading; jsonl: one JSON object per segment "
              "with start/end offsets into the decoded text.")
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help="Cast file whose character names and aliases the segmenter should know.")
def segment(story: Path, fmt: str, voices: Path | None) -> None:
    """Split STORY into narration, dialogue and thought, and name who speaks."""
    cast = _run(lambda: load_cast(voices)) if voices else None
    production = _run(lambda: pipeline.prepare(story, cast))
    segments = production.segmentation.segments
    if fmt == "jsonl":
        for seg in segments:
            click.echo(json.dumps(seg.to_dict(), ensure_ascii=False))
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
    cast = _run(lambda: load_cast(voices)) if voices else None
    segmentation = _run(lambda: pipeline.prepare(story, cast)).segmentation
    counts = segmentation.line_counts()
    people = sorted(segmentation.characters, key=lambda c: (-sum(counts[c.name]), c.name))
    click.echo(f"{'NAME':<20} {'GENDER':<8} {'SPOKEN':>6} {'THOUGHT':>7}  ALIASES")
    for c in people:
        spoken, thought = counts[c.name]
        click.echo(f"{c.name:<20} {c.gender:<8} {spoken:>6} {thought:>7}  {', '.join(c.aliases)}")
    if counts.get(None, (0, 0)) != (0, 0):
        spoken, thought = counts[None]
        click.echo(f"{'(unattributed)':<20} {'':<8} {spoken:>6} {thought:>7}")


@cli.command()
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(path_type=Path), default=None,
              help=f"Cast file. Default: ./{DEFAULT_CAST} when it exists, else built-in voices.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder the book is written under (OUT/author/title/).")
@click.option("--title", help="Book title. Default: the story's own, else its file name.")
@click.option("--author", help="Author. Default: the story's own, else 'Unknown'.")
@click.option("--skip-notes", is_flag=True,
              help="Leave out disclaimers and author's notes (A/N:, Author's Note:).")
def build(story: Path, voices: Path | None, out: Path, title: str | None,
          author: str | None, skip_notes: bool) -> None:
    """Build STORY into one tagged MP3 per chapter under OUT/<author>/<title>/."""
    if voices is None and Path(DEFAULT_CAST).is_file():
        voices = Path(DEFAULT_CAST)
    bar = None

    def on_ready(production, units):
        nonlocal bar
        for note in production.notes:
            click.echo(f"note: {note}", err=True)
        bar = click.progressbar(length=units, label="Synthesizing", item_show_func=lambda t: t,
                                file=sys.stderr)
        bar.__enter__()

    def progress(units, label):
        bar.update(units, label)

    try:
        files = _run(lambda: pipeline.build(story, voices, out, title, author,
                                            progress=progress, on_ready=on_ready,
                                            skip_notes=skip_notes))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
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
        for path in _run(lambda: pipeline.audition(report.production, engine, out)):
            click.echo(str(path))


def _voice_text(voice) -> str:
    return f"{voice.id} p{voice.pitch} r{voice.rate}"


@cli.command()
@click.option("--lang", help="Only languages starting with this (en, en-gb, fr).")
@click.option("--gender", type=click.Choice(["male", "female"]),
              help="Only variants of this gender.")
@click.option("--say", "text", help="Audition: speak TEXT with --voice.")
@click.option("--voice", "voice_id", default="en-us", show_default=True,
              help="The voice to audition: language[+variant], e.g. en-us+f3.")
@click.option("--rate", type=click.IntRange(80, 450), default=170, show_default=True,
              help="Words per minute, for --say.")
@click.option("--pitch", type=click.IntRange(0, 100), default=50, show_default=True,
              help="0-100, for --say.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Where --say writes its sample.")
@click.option("--no-play", is_flag=True, help="With --say: write the file, do not play it.")
@click.option("--engine", "engine_name", default="pyttsx3", show_default=True,
              help="The speech engine.")
def voices(lang: str | None, gender: str | None, text: str | None, voice_id: str, rate: int,
           pitch: int, out: Path, no_play: bool, engine_name: str) -> None:
    """List the engine's voices and variants, or audition one with --say."""
    engine = _run(lambda: get_engine(engine_name))
    if text is not None:
        if problem := engine.check_voice(voice_id):
            raise click.ClickException(problem)
        dest = out / f"audition - {safe_name(voice_id)}.wav"
        path = _run(lambda: pipeline.say(text, Voice(voice_id, rate, pitch), engine, dest))
        click.echo(str(path))
        if not no_play and not play(path):
            click.echo("no audio player found (ffplay, paplay, aplay, afplay); the file is "
                       "written", err=True)
        return
    listed = engine.voices()
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
