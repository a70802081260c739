"""The whole pipeline with the fake engine and the real encoder: files, names, tags, cleanup."""

from __future__ import annotations

import pytest
from conftest import leftovers, mp3_files

from audiobook import EngineError, build
from audiobook.export import read_mp3
from audiobook.engines.fake import FakeEngine


def test_build_writes_one_tagged_mp3_per_chapter(short_story, fake_engine, tmp_path):
    out = tmp_path / "out"
    files = build(short_story, out=out, title="Weather", author="A. Writer", engine=fake_engine)
    assert [p.relative_to(out).as_posix() for p in files] == [
        "A. Writer/Weather/01 - Chapter 1 Rain.mp3",
        "A. Writer/Weather/02 - Chapter 2 Sun.mp3",
    ]
    first = read_mp3(files[0])
    assert first["tags"] == {"TIT2": "Chapter 1: Rain", "TALB": "Weather", "TPE1": "A. Writer",
                             "TRCK": "1/2", "TCON": "Audiobook"}
    assert first["id3_version"] == (2, 3, 0)
    assert read_mp3(files[1])["tags"]["TRCK"] == "2/2"


def test_chapter_duration_is_its_speech_plus_its_pauses(short_story, fake_engine, tmp_path):
    files = build(short_story, out=tmp_path, engine=fake_engine)
    # Chapter 2 has three speakable segments: heading (4 words), "Ada laughed." (2),
    # "Told you so," (3), "she said." (2) -> FakeEngine speaks 60/170 s per word at rate 170.
    spoken = sum(len(text.split()) * 60 / voice.rate for text, voice in fake_engine.calls[-4:])
    duration = read_mp3(files[1])["duration"]
    assert spoken + 0.7 + 2.0 < duration < spoken + 0.7 + 2.0 + 1.2 + 0.25 * 2 + 0.2


def test_default_title_comes_from_the_file_name(short_story, fake_engine, tmp_path):
    files = build(short_story, out=tmp_path, engine=fake_engine)
    assert files[0].parent.name == "Short"
    assert files[0].parent.parent.name == "Unknown"


class Exploding(FakeEngine):
    def __init__(self, after: int):
        super().__init__()
        self.after = after

    def synthesize(self, text, voice):
        if len(self.calls) >= self.after:
            raise EngineError("engine gave up")
        return super().synthesize(text, voice)


@pytest.mark.parametrize("after", [0, 6])
def test_a_failed_build_leaves_no_partial_file(short_story, tmp_path, after):
    out = tmp_path / "out"
    with pytest.raises(EngineError):
        build(short_story, out=out, engine=Exploding(after))
    names = [p.name for p in leftovers(out)]
    assert not any(n.endswith(".part") for n in names)
    # Only chapters that were finished before the failure may remain, whole.
    assert len(mp3_files(out)) == (1 if after == 6 else 0)
    for path in mp3_files(out):
        assert read_mp3(path)["duration"] > 1


def test_interrupted_build_leaves_nothing_half_written(short_story, tmp_path):
    class Interrupt(FakeEngine):
        def synthesize(self, text, voice):
            raise KeyboardInterrupt

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build(short_story, out=out, engine=Interrupt())
    assert leftovers(out) == []
