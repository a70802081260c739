"""The whole pipeline with the fake engine and the real encoder: files, tags, sidecars,
chapter markers, parts, and nothing left behind by a failed build."""

from __future__ import annotations

import array
import json
import re
import subprocess

import pytest
from conftest import ffmpeg, leftovers, mp3_files

from audiobook import EngineError, build
from audiobook.check import check_folder
from audiobook.engines.fake import FakeEngine
from audiobook.export import read_mp3
from audiobook.pipeline import BookOptions

WEATHER = BookOptions(title="Weather", author="A. Writer", description="Rain, then sun.",
                      year="2024", narrator="Nell Reader")


def test_build_writes_one_fully_tagged_mp3_per_chapter(short_story, fake_engine, tmp_path):
    out = tmp_path / "out"
    files = build(short_story, out=out, options=WEATHER, engine=fake_engine)
    assert [p.relative_to(out).as_posix() for p in files] == [
        "A. Writer/Weather/01 - Chapter 1 Rain.mp3",
        "A. Writer/Weather/02 - Chapter 2 Sun.mp3",
    ]
    first = read_mp3(files[0])
    assert first["tags"] == {"TIT2": "Chapter 1: Rain", "TALB": "Weather", "TPE1": "A. Writer",
                             "TPE2": "A. Writer", "TCOM": "Nell Reader", "TRCK": "1/2",
                             "TPOS": "1/1", "TCON": "Audiobook", "TDRC": "2024",
                             "TLAN": "eng"}
    assert first["id3_version"] == (2, 3, 0)
    assert first["description"] == "Rain, then sun." and first["cover"]
    assert (first["bitrate"], first["cbr"], first["sample_rate"], first["channels"]) == (
        192000, True, 44100, 1)
    assert read_mp3(files[1])["tags"]["TRCK"] == "2/2"


def test_sidecars_sit_beside_the_chapters(short_story, fake_engine, tmp_path):
    files = build(short_story, out=tmp_path, options=WEATHER, engine=fake_engine)
    folder = files[0].parent
    assert sorted(p.name for p in folder.iterdir()) == [
        ".audiobook-build.json", "01 - Chapter 1 Rain.mp3", "01 - Chapter 1 Rain.vtt",
        "02 - Chapter 2 Sun.mp3",
        "02 - Chapter 2 Sun.vtt", "Weather.m3u", "book.json", "cover.jpg", "desc.txt",
        "metadata.json", "metadata.opf", "reader.txt"]
    assert (folder / "cover.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    m3u = (folder / "Weather.m3u").read_text().splitlines()
    assert m3u[0] == "#EXTM3U" and m3u[3] == "01 - Chapter 1 Rain.mp3"
    book = json.loads((folder / "book.json").read_text())
    assert [f["file"] for f in book["files"]] == [p.name for p in files]
    assert {c["name"]: c["voice"] for c in book["characters"]}.keys() == {"Ada", "Bram"}
    vtt = (folder / "02 - Chapter 2 Sun.vtt").read_text()
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.775 --> ")  # head + the encoder delay
    assert "<v Narrator>Chapter 2: Sun" in vtt and "<v Ada>\"Told you so,\"" in vtt


def onsets(path, rate=44100) -> list[float]:
    """Seconds at which sound starts after at least 0.2 s of quiet, in the decoded MP3."""
    raw = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", str(rate), "-"], capture_output=True, check=True).stdout
    samples = array.array("h", raw)
    block = rate // 200  # 5 ms
    loud = [max(map(abs, samples[i:i + block])) > 1000 for i in range(0, len(samples), block)]
    return [i * 0.005 for i in range(40, len(loud)) if loud[i] and not any(loud[i - 40:i])]


def test_each_vtt_cue_starts_within_50_ms_of_its_clip(short_story, fake_engine, tmp_path):
    files = build(short_story, out=tmp_path, options=WEATHER, engine=fake_engine)
    for path in files:
        vtt = path.with_suffix(".vtt").read_text()
        starts = [int(h) * 3600 + int(m) * 60 + float(s) for h, m, s in
                  re.findall(r"^(\d\d):(\d\d):(\d\d\.\d{3}) -->", vtt, re.M)]
        heard = onsets(path)
        assert len(heard) == len(starts)
        assert max(abs(a - b) for a, b in zip(starts, heard)) < 0.05


def test_a_chapter_without_a_heading_opens_with_its_title(tmp_path, fake_engine):
    story = tmp_path / "quiet-morning.txt"
    story.write_text("The kettle sang. Nobody came.\n", encoding="utf-8")
    build(story, out=tmp_path / "out", engine=fake_engine)
    assert [text for text, _ in fake_engine.calls] == ["Quiet Morning", "The kettle sang.",
                                                        "Nobody came."]


def test_pauses_come_from_the_cast_file(short_story, tmp_path):
    timings = {}
    for gap in (300, 3000):
        cast = tmp_path / f"cast{gap}.yaml"
        cast.write_text(f"engine: fake\npauses:\n  scene: {gap}\n", encoding="utf-8")
        files = build(short_story, cast, tmp_path / str(gap), engine=FakeEngine())
        timings[gap] = read_mp3(files[0])["duration"]
    assert 2.6 < timings[3000] - timings[300] < 2.8


def test_single_file_has_a_chapter_marker_per_chapter(short_story, fake_engine, tmp_path):
    files = build(short_story, out=tmp_path,
                  options=BookOptions(title="Weather", single_file=True), engine=fake_engine)
    assert [p.name for p in files] == ["Weather.mp3"]
    info = read_mp3(files[0])
    titles = [t for _, _, t in info["chapters"]]
    assert titles == ["Chapter 1: Rain", "Chapter 2: Sun"]
    (s1, e1, _), (s2, e2, _) = info["chapters"]
    assert s1 == 0 and e1 == s2 and abs(e2 / 1000 - info["duration"]) < 0.1
    assert _ffmpeg_chapters(files[0]) == titles  # ffmpeg (and ffprobe) read them in order


def _ffmpeg_chapters(path) -> list[str]:
    """Chapter titles as ffmpeg itself reads them from the file."""
    out = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True,
                         text=True).stderr
    return re.findall(r"Chapter #0:\d+.*\n\s+Metadata:\n\s+title\s+: (.+)", out)


def test_a_long_chapter_is_split_into_parts(tmp_path, fake_engine):
    story = tmp_path / "long.txt"
    story.write_text("\n\n".join(f"Line {n} of the long walk went on and on and on."
                                 for n in range(40)), encoding="utf-8")
    files = build(story, out=tmp_path / "out", options=BookOptions(max_minutes=1),
                  engine=fake_engine)
    assert len(files) >= 3
    assert all(read_mp3(p)["duration"] <= 60 for p in files)
    assert [read_mp3(p)["tags"]["TRCK"] for p in files] == [
        f"{n}/{len(files)}" for n in range(1, len(files) + 1)]
    assert files[1].name == "02 - Long (Part 2).mp3"
    assert all(r.passed for r in check_folder(files[0].parent))


def test_a_fake_build_meets_the_acx_numbers(short_story, fake_engine, tmp_path):
    build(short_story, out=tmp_path, engine=fake_engine)
    results = check_folder(tmp_path)
    assert [r.problems for r in results] == [[], []]


class Exploding(FakeEngine):
    def __init__(self, after: int):
        super().__init__()
        self.after = after

    def synthesize(self, text, voice):
        if len(self.calls) >= self.after:
            raise EngineError("engine gave up")
        return super().synthesize(text, voice)


@pytest.mark.parametrize("after", [0, 8])
def test_a_failed_build_leaves_nothing_behind(short_story, tmp_path, after):
    out = tmp_path / "out"
    with pytest.raises(EngineError):
        build(short_story, out=out, engine=Exploding(after))
    assert leftovers(out) == []


def test_interrupted_build_leaves_nothing_half_written(short_story, tmp_path):
    class Interrupt(FakeEngine):
        def synthesize(self, text, voice):
            raise KeyboardInterrupt

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build(short_story, out=out, engine=Interrupt())
    assert leftovers(out) == []


def test_a_missing_cover_is_named_before_any_audio(short_story, fake_engine, tmp_path):
    from audiobook.errors import InputError

    with pytest.raises(InputError, match="no such cover image"):
        build(short_story, out=tmp_path, options=BookOptions(cover=tmp_path / "nope.jpg"),
              engine=fake_engine)
    assert fake_engine.calls == [] and mp3_files(tmp_path) == []
