"""Fast rebuilds: the clip cache, kept files, parallel workers, resuming, previews."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, mp3_files

import audiobook.export as export
from audiobook import build
from audiobook.cache import ClipCache
from audiobook.cli import cli
from audiobook.engines.fake import FakeEngine
from audiobook.models import Voice
from audiobook.pipeline import BookOptions, prepare
from audiobook.preview import find_scene, preview, scenes

CAST = "engine: fake\ncharacters:\n  Ada:\n    voice: en-us+f3\n    pitch: {ada}\n" \
       "  Bram:\n    voice: en-gb+m4\n"


@pytest.fixture
def encodes(monkeypatch) -> list[int]:
    """Counts the fragments sent to the MP3 encoder."""
    count: list[int] = []
    real = export.encode_fragment

    def counting(pcm, rate, encoding):
        count.append(len(pcm))
        return real(pcm, rate, encoding)

    monkeypatch.setattr(export, "encode_fragment", counting)
    return count


def cast_file(tmp_path: Path, ada_pitch: int = 60) -> Path:
    path = tmp_path / "voices.yaml"
    path.write_text(CAST.format(ada=ada_pitch), encoding="utf-8")
    return path


def options(tmp_path: Path, **more) -> BookOptions:
    return BookOptions(cache=tmp_path / "cache", **more)


def test_a_rebuild_with_nothing_changed_speaks_and_encodes_nothing(short_story, tmp_path,
                                                                     encodes):
    voices, out = cast_file(tmp_path), tmp_path / "out"
    first = build(short_story, voices, out, options(tmp_path), FakeEngine())
    stamps = [p.stat().st_mtime_ns for p in first]
    assert encodes
    encodes.clear()
    engine = FakeEngine()
    again = build(short_story, voices, out, options(tmp_path), engine)
    assert again == first and engine.calls == [] and encodes == []
    assert [p.stat().st_mtime_ns for p in again] == stamps


def test_a_new_voice_for_one_character_speaks_only_their_lines(short_story, tmp_path):
    out = tmp_path / "out"
    build(short_story, cast_file(tmp_path, 60), out, options(tmp_path), FakeEngine())
    engine = FakeEngine()
    build(short_story, cast_file(tmp_path, 70), out, options(tmp_path), engine)
    assert sorted(text for text, _ in engine.calls) == ['"Is it raining?"', '"Told you so,"']
    assert {voice.pitch for _, voice in engine.calls} == {70}


def test_the_cache_is_shared_across_books_and_a_bad_entry_is_a_miss(tmp_path):
    cache = ClipCache(tmp_path)
    key = ClipCache.key("fake:1", Voice("en-us"), "Hello.")
    assert cache.get(key) is None
    cache.put(key, b"\x01\x00\x02\x00", 22050)
    assert cache.get(key) == (b"\x01\x00\x02\x00", 22050)
    (tmp_path / "clips" / key[:2] / key).write_bytes(b"junk")  # a torn write
    assert cache.get(key) is None
    assert not list(tmp_path.rglob("*.part"))
    assert ClipCache(None).get(key) is None


def test_an_interrupted_build_resumes_from_the_cache(short_story, tmp_path):
    class Interrupt(FakeEngine):
        def synthesize(self, text, voice):
            if len(self.calls) == 4:
                raise KeyboardInterrupt
            return super().synthesize(text, voice)

    out, voices = tmp_path / "out", cast_file(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        build(short_story, voices, out, options(tmp_path), Interrupt())
    assert mp3_files(out) == []
    engine = FakeEngine()
    files = build(short_story, voices, out, options(tmp_path), engine)
    everything = FakeEngine()
    build(short_story, voices, tmp_path / "fresh", options(tmp_path / "x"), everything)
    assert len(engine.calls) == len(everything.calls) - 4
    assert len(files) == 2


def test_worker_processes_make_the_same_book_as_one_process(short_story, tmp_path):
    voices = cast_file(tmp_path)
    alone = build(short_story, voices, tmp_path / "a", options(tmp_path / "c1", jobs=1))
    pool = build(short_story, voices, tmp_path / "b", options(tmp_path / "c2", jobs=2))
    assert [p.read_bytes() for p in alone] == [p.read_bytes() for p in pool]


def test_a_file_no_longer_made_is_removed(tmp_path):
    story = tmp_path / "tale.txt"
    story.write_text("Chapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n", encoding="utf-8")
    out = tmp_path / "out"
    build(story, None, out, options(tmp_path), FakeEngine())
    story.write_text("Chapter 1\n\nOne.\n", encoding="utf-8")
    files = build(story, None, out, options(tmp_path), FakeEngine())
    assert [p.name for p in mp3_files(out)] == [p.name for p in files] == ["01 - Chapter 1.mp3"]
    assert not list(out.rglob("*.vtt"))[1:]


def test_scenes_are_listed_and_found(short_story):
    production = prepare(short_story)
    assert [(s.chapter, s.scene, s.words) for s in scenes(production)] == [
        (1, 1, 13), (1, 2, 5), (2, 1, 10)]  # headings are read too
    assert find_scene(production, text="stopped at NOON").scene == 2
    assert find_scene(production, 2).chapter == 2
    with pytest.raises(Exception, match="chapter 1 has no scene 3; it has scenes 1 to 2"):
        find_scene(production, 1, 3)


def test_preview_speaks_only_its_scene(short_story, tmp_path):
    production = prepare(short_story)
    engine = FakeEngine()
    path = preview(production, find_scene(production, 1, 2), engine, tmp_path / "preview.mp3")
    assert [text for text, _ in engine.calls] == ["The rain stopped at noon."]
    assert export.read_mp3(path)["duration"] > 1


def test_preview_and_scenes_from_the_command_line(tmp_path):
    result = CliRunner().invoke(cli, ["scenes", str(EXAMPLE)])
    assert result.exit_code == 0
    assert result.output.splitlines()[2].split()[:3] == ["1", "1", "215"]
    cast = tmp_path / "v.yaml"
    cast.write_text("engine: fake\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["preview", str(EXAMPLE), "--chapter", "1", "--scene", "2",
                                      "--voices", str(cast), "--out", str(tmp_path),
                                      "--no-play"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"{tmp_path / 'preview.mp3'}")
    assert (tmp_path / "preview.mp3").stat().st_size > 1000


def test_quiet_builds_print_nothing(short_story, tmp_path):
    cast = cast_file(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(short_story), "--voices", str(cast), "--out",
                                      str(tmp_path / "out"), "--quiet", "--cache",
                                      str(tmp_path / "cache")])
    assert result.exit_code == 0 and result.output == ""
    assert len(mp3_files(tmp_path / "out")) == 2


def test_a_corrected_line_speaks_that_line_and_encodes_only_the_fragments_around_it(tmp_path,
                                                                                    encodes):
    story = tmp_path / "talk.txt"
    lines = [f'"This is line {n} of our long talk by the sea," {who} said.'
             for n, who in zip(("one two three four five six seven eight nine ten".split()
                                * 6)[:60], ["Ada", "Bram"] * 30)]
    colours = "red green blue amber violet grey".split()
    lines = [line.replace("line", f"line {colours[n // 10]}") for n, line in enumerate(lines)]
    story.write_text("Chapter 1\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    voices, out = tmp_path / "voices.yaml", tmp_path / "out"
    voices.write_text("engine: fake\ncharacters:\n  Ada:\n    voice: en-us+f3\n    rate: 190\n"
                      "  Bram:\n    voice: en-gb+m4\n    rate: 140\n", encoding="utf-8")
    build(story, voices, out, options(tmp_path), FakeEngine())
    fragments = len(encodes)
    assert fragments >= 6
    encodes.clear()
    voices.write_text(voices.read_text() + 'lines:\n  - match: "line amber ten of"\n'
                      "    speaker: Ada\n", encoding="utf-8")
    engine = FakeEngine()
    build(story, voices, out, options(tmp_path), engine)
    assert [text for text, _ in engine.calls] == [
        '"This is line amber ten of our long talk by the sea,"']
    assert len(encodes) <= 2  # before: every fragment after the line, or all of them
