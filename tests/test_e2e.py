"""End to end with the real eSpeak NG engine (through pyttsx3) and the real MP3 encoder."""

from __future__ import annotations

import array
import re
import subprocess

import pytest
from conftest import EXAMPLE, EXAMPLE_CAST, FAREWELL, ffmpeg, needs_shared

from audiobook import build, open_cast, prepare
from audiobook.check import check_folder
from audiobook.pipeline import BookOptions
from audiobook.export import read_mp3
from audiobook.models import Voice

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def engine():
    from audiobook.engines import get_engine

    return get_engine("pyttsx3")


def decode(path) -> array.array:
    """The MP3 decoded by ffmpeg to 16-bit mono samples at 44.1 kHz."""
    raw = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", "44100", "-"], capture_output=True, check=True).stdout
    return array.array("h", raw)


def test_the_engine_speaks_and_voices_differ(engine):
    a, rate = engine.synthesize("The tide is turning.", Voice("en-us+f3", pitch=70))
    b, _ = engine.synthesize("The tide is turning.", Voice("en-gb+m7", pitch=30))
    assert rate == 22050
    assert 0.6 < len(a) / 2 / rate < 4
    assert a != b
    assert engine.check_voice("en-us+f3") is None
    assert "did you mean" in engine.check_voice("en-us+f9")


def test_the_example_builds_to_tagged_mp3s_that_decode(engine, tmp_path):
    files = build(EXAMPLE, EXAMPLE_CAST, tmp_path, BookOptions(author="Tester"), engine)
    text = EXAMPLE.read_text(encoding="utf-8")
    chapters = re.split(r"(?m)^(?=Chapter \d)", text)[1:]
    assert len(files) == len(chapters) == 2
    for n, (path, chapter_text) in enumerate(zip(files, chapters), 1):
        info = read_mp3(path)
        assert info["tags"]["TALB"] == "Harbour Lights"
        assert info["tags"]["TPE1"] == "Tester"
        assert info["tags"]["TRCK"] == f"{n}/2"
        assert info["tags"]["TCON"] == "Audiobook"
        assert info["tags"]["TIT2"] == chapter_text.splitlines()[0]
        assert (info["bitrate"], info["sample_rate"], info["channels"]) == (192000, 44100, 1)
        samples = decode(path)
        seconds = len(samples) / 44100
        assert abs(seconds - info["duration"]) < 0.2
        words = len(chapter_text.split())
        at_rate = words / 165 * 60  # the cast's speaking rates are 160-170 words a minute
        assert 0.7 * at_rate < seconds < 1.6 * at_rate, (words, seconds)
        assert max(abs(s) for s in samples[44100:88200]) > 1000  # speech, not silence
    # The real voices, levelled and mastered, meet ACX's numbers.
    assert [r.problems for r in check_folder(files[0].parent)] == [[], []]


@needs_shared
def test_farewell_gets_three_distinct_voices(engine):
    cast, _ = open_cast(EXAMPLE_CAST, engine)
    production = prepare(FAREWELL, cast)
    voices = production.voices
    trio = [voices[name].id for name in ("Naruto", "Sasuke", "Sakura")]
    assert len(set(trio)) == 3
    assert cast.narrator.id not in trio
    assert "+f" in voices["Sakura"].id and "+m" in voices["Naruto"].id


def test_the_real_engine_lists_gendered_variants_and_whispers(engine):
    variants = {v.id: v.gender for v in engine.voices() if v.variant}
    assert variants["f3"] == "female" and variants["m3"] == "male" and "whisper" in variants
    plain, _ = engine.synthesize("Quiet now.", Voice("en-us"))
    whisper, _ = engine.synthesize("Quiet now.", Voice("en-us+whisper"))
    assert plain != whisper


def test_an_epub_builds_with_its_own_title_author_language_and_cover(engine, tmp_path):
    """A French EPUB 3 with a cover: read in French (no cast file says otherwise), tagged
    from the package, chapters from its table of contents."""
    from bookmaker import Page, Toc, make_epub, png

    pages = [Page("titre.xhtml", '<section epub:type="titlepage"><h1>Le Quai</h1></section>'),
             Page("c1.xhtml", "<h2>La pluie</h2><p>Il pleuvait sur le quai depuis le matin. "
                  "« Tu es venu », dit Marie.</p>"),
             Page("c2.xhtml", "<h2>Le bac</h2><p>Le bac arriva enfin, tout illuminé.</p>")]
    book = make_epub(tmp_path / "quai.epub", pages, [Toc("La pluie", "c1.xhtml"),
                                                     Toc("Le bac", "c2.xhtml")],
                     title="Le Quai", creators=(("Jeanne Penn", "aut"),), language="fr",
                     cover=(png(200, 300), "image/png"))
    files = build(book, None, tmp_path / "out", BookOptions(), engine)
    assert [f.name for f in files] == ["01 - La pluie.mp3", "02 - Le bac.mp3"]
    for path in files:
        info = read_mp3(path)
        assert (info["tags"]["TALB"], info["tags"]["TPE1"], info["tags"]["TLAN"]) == (
            "Le Quai", "Jeanne Penn", "fra")
        assert info["cover"]
        samples = decode(path)
        assert abs(len(samples) / 44100 - info["duration"]) < 0.2
        assert max(abs(s) for s in samples) > 1000
    data = (files[0].parent / "book.json").read_text(encoding="utf-8")
    assert '"narrator_voice": {\n    "voice": "fr-fr"' in data
