"""The book as one .m4b, from the same render as the MP3s: AAC in MP4, chapters as a
QuickTime chapter track and a Nero chpl atom, iTunes tags, kept when nothing changed."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, EXAMPLE_CAST

import audiobook.export as export
from audiobook import build
from audiobook.check import judge, measure
from audiobook.cli import cli
from audiobook.engines.fake import FakeEngine
from audiobook.export import ffmpeg_exe, read_mp3
from audiobook.m4b import adts_frames, encode_aac, read_m4b
from audiobook.pipeline import BookOptions


def atoms(data: bytes, start: int = 0, end: int | None = None, path: str = "") -> list[str]:
    """Every atom's path in an MP4 (``moov/udta/chpl``), walking the containers."""
    found, end = [], len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        if size < 8:
            break
        name = path + kind.decode("latin-1")
        found.append(name)
        if kind in (b"moov", b"trak", b"udta", b"mdia", b"minf", b"stbl", b"tref"):
            found += atoms(data, start + 8, start + size, name + "/")
        start += size
    return found


def decode_errors(path: Path) -> str:
    return subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"],
                          capture_output=True, text=True).stderr


def test_aac_fragments_count_their_frames():
    data = encode_aac(b"\x00\x01" * 22050, 22050, export.Encoding(bitrate_kbps=64))
    assert adts_frames(data) == 45  # 44,100 samples: 43.07 frames, rounded up, and priming


def test_both_encoders_code_only_the_band_the_mix_holds(monkeypatch):
    commands = []
    monkeypatch.setattr(export, "run_encoder", lambda cmd, pcm, name: commands.append(cmd))
    monkeypatch.setattr("audiobook.m4b.run_encoder", export.run_encoder)
    encoding = export.Encoding()
    for rate in (22050, 44100):
        export.encode_fragment(b"\x00\x01" * 100, rate, encoding)
        encode_aac(b"\x00\x01" * 100, rate, encoding)
    cutoffs = [cmd[cmd.index("-cutoff") + 1] if "-cutoff" in cmd else None for cmd in commands]
    assert cutoffs == ["11025", "11025", None, None]  # upsampled: its Nyquist; else default


def test_one_build_makes_the_mp3s_and_the_m4b_alike(tmp_path):
    files = build(EXAMPLE, EXAMPLE_CAST, tmp_path, BookOptions(cache=None,
                                                               formats=("mp3", "m4b")))
    mp3s, (book,) = files[:-1], files[-1:]
    assert book.suffix == ".m4b" and [f.suffix for f in mp3s] == [".mp3", ".mp3"]
    info = read_m4b(book)
    lengths = [read_mp3(f)["duration"] for f in mp3s]
    assert info["codec"].startswith("mp4a.40.2") and info["channels"] == 1  # AAC-LC, mono
    assert abs(info["duration"] - sum(lengths)) <= 0.005 * sum(lengths)
    titles = [read_mp3(f)["tags"]["TIT2"] for f in mp3s]
    assert [t for _, t in info["chapters"]] == titles
    assert [round(abs(a - b), 3) <= 0.05 for (a, _), b in zip(
        info["chapters"], [0.0, lengths[0]])] == [True, True]
    tags = info["tags"]
    for key in ("©nam", "©ART", "©wrt", "covr", "stik", "aART", "©alb", "©gen"):
        assert key in tags, key
    assert tags["stik"] == [2] and tags["©nam"] == ["Harbour Lights"]
    layout = atoms(book.read_bytes())
    assert "moov/udta/chpl" in layout  # Nero chapters
    assert any(a.endswith("tref/chap") for a in layout)  # a QuickTime chapter track
    assert layout.index("moov") < layout.index("mdat")  # +faststart
    assert decode_errors(book) == ""
    assert judge(measure(book)) == []  # the same loudness and room tone as the MP3s


def test_an_m4b_alone_kept_when_nothing_changed_and_made_again_when_a_voice_did(
        short_story, tmp_path, monkeypatch):
    import audiobook.m4b as m4b

    encodes = []

    def counting(pcm, rate, encoding, _real=m4b.encode_aac):
        encodes.append(len(pcm))
        return _real(pcm, rate, encoding)

    monkeypatch.setattr(m4b, "encode_aac", counting)
    cast = tmp_path / "voices.yaml"
    cast.write_text("engine: fake\ncharacters:\n  Ada:\n    voice: en-us+f3\n", encoding="utf-8")
    options = BookOptions(cache=tmp_path / "cache", formats=("m4b",))
    (book,) = build(short_story, cast, tmp_path / "out", options, FakeEngine())
    assert not list((tmp_path / "out").rglob("*.mp3")) and encodes
    stamp, encodes[:] = book.stat().st_mtime_ns, []
    engine = FakeEngine()
    assert build(short_story, cast, tmp_path / "out", options, engine) == [book]
    assert book.stat().st_mtime_ns == stamp and engine.calls == [] and encodes == []
    cast.write_text("engine: fake\ncharacters:\n  Ada:\n    voice: en-us+f3\n    pitch: 70\n",
                    encoding="utf-8")
    engine = FakeEngine()
    build(short_story, cast, tmp_path / "out", options, engine)
    assert sorted(t for t, _ in engine.calls) == ['"Is it raining?"', '"Told you so,"']
    assert book.stat().st_mtime_ns != stamp and decode_errors(book) == ""
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(".part")]


def test_asking_for_the_m4b_later_keeps_the_mp3s_and_mixes_it_from_the_cache(
        short_story, tmp_path):
    options = BookOptions(cache=tmp_path / "cache")
    mp3s = build(short_story, None, tmp_path / "out", options, FakeEngine())
    stamps = [p.stat().st_mtime_ns for p in mp3s]
    engine = FakeEngine()
    files = build(short_story, None, tmp_path / "out",
                  BookOptions(cache=tmp_path / "cache", formats=("mp3", "m4b")), engine)
    assert files[:-1] == mp3s and [p.stat().st_mtime_ns for p in mp3s] == stamps
    assert engine.calls == [] and files[-1].suffix == ".m4b"
    assert [t for _, t in read_m4b(files[-1])["chapters"]] == ["Chapter 1: Rain",
                                                               "Chapter 2: Sun"]


def test_the_series_is_in_the_m4b_tags(short_story, tmp_path):
    options = BookOptions(cache=None, formats=("m4b",), series="Harbour Tales",
                          series_part="2")
    (book,) = build(short_story, None, tmp_path, options, FakeEngine())
    tags = read_m4b(book)["tags"]
    assert bytes(tags["----:com.apple.iTunes:series"][0]) == b"Harbour Tales"
    assert bytes(tags["----:com.apple.iTunes:series-part"][0]) == b"2"
    assert tags["©mvn"] == ["Harbour Tales"] and tags["©mvi"] == [2]


@pytest.mark.parametrize("given, message", [
    ("flac", "'flac' is not a format made here; choose from mp3, m4b, epub"),
    ("mp3,wav", "'wav' is not a format made here; choose from mp3, m4b, epub")])
def test_a_format_not_made_is_one_line(short_story, tmp_path, given, message):
    result = CliRunner().invoke(cli, ["build", str(short_story), "--out", str(tmp_path),
                                      "--format", given])
    assert result.exit_code == 2 and message in result.output
    assert not list(tmp_path.rglob("*.m*"))


def test_a_long_book_is_made_in_parts_past_split_hours_each_ending_at_a_chapter(tmp_path):
    story = tmp_path / "long.txt"
    words = " ".join(["The tide came in over the stones and went out again."] * 6)
    story.write_text("".join(f"Chapter {n}\n\n{words}\n\n" for n in range(1, 6)),
                     encoding="utf-8")
    options = BookOptions(cache=tmp_path / "cache", formats=("m4b",), split_hours=0.02)
    parts = build(story, None, tmp_path / "out", options, FakeEngine())
    assert len(parts) >= 2 and all(p.suffix == ".m4b" for p in parts)
    assert [p.name for p in parts] == [f"Long (Part {n}).m4b" for n in range(1, len(parts) + 1)]
    infos = [read_m4b(p) for p in parts]
    assert [t for info in infos for _, t in info["chapters"]] == [
        f"Chapter {n}" for n in range(1, 6)]  # every chapter once, in order, none cut
    assert all(info["duration"] <= 0.02 * 3600 * 1.1 for info in infos[:-1])
    assert [info["tags"]["trkn"] for info in infos] == [
        [(n, len(parts))] for n in range(1, len(parts) + 1)]
    assert all(decode_errors(p) == "" for p in parts)
    stamps = [p.stat().st_mtime_ns for p in parts]
    assert build(story, None, tmp_path / "out", options, FakeEngine()) == parts
    assert [p.stat().st_mtime_ns for p in parts] == stamps
