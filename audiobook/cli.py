"""The command line: each command parses its options, calls the library once, reports errors."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from . import pipeline
from .castfile import load_cast
from .errors import AudiobookError
from .models import Kind

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
