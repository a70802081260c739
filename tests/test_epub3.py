"""The read-along EPUB 3: the story's text with Media Overlays timed to its MP3s, valid as
EPUBCheck sees it, the text escaped, kept when nothing changed."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from test_epub import epubcheck

from audiobook import build, epub3
from audiobook.cli import cli
from audiobook.engines.fake import FakeEngine
from audiobook.export import read_mp3
from audiobook.pipeline import BookOptions, prepare
from audiobook.render import speakable, spoken_text

XHTML = "{http://www.w3.org/1999/xhtml}"
SMIL = "{http://www.w3.org/ns/SMIL}"
HOSTILE = '</span><script>alert("x")</script> & <b>bold</b>'


def make(story: Path, out: Path, formats=("epub",), cache: Path | None = None) -> list[Path]:
    return build(story, None, out, BookOptions(cache=cache, formats=formats), FakeEngine())


def overlays(epub: Path) -> list[tuple[str, list[tuple[str, str, float, float]]]]:
    """Each content document's SMIL: (document, [(span id, audio name, begin, end)])."""
    with zipfile.ZipFile(epub) as z:
        smils = sorted((n for n in z.namelist() if n.endswith(".smil")),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        out = []
        for name in smils:
            root = ElementTree.fromstring(z.read(name))
            pars = []
            for par in root.iter(f"{SMIL}par"):
                text, audio = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
                doc, span = text.get("src").split("#")
                pars.append((span, audio.get("src"), float(audio.get("clipBegin")[:-1]),
                             float(audio.get("clipEnd")[:-1])))
            out.append((doc, pars))
        return out


def span_texts(epub: Path) -> list[str]:
    """The text of every span the overlays name, in the overlays' order."""
    texts = []
    with zipfile.ZipFile(epub) as z:
        for doc, pars in overlays(epub):
            root = ElementTree.fromstring(z.read(f"EPUB/{doc}"))
            spans = {s.get("id"): "".join(s.itertext()) for s in root.iter(f"{XHTML}span")}
            texts += [spans[span] for span, *_ in pars]
    return texts


def test_the_epub_is_valid_and_holds_the_mp3s(short_story, tmp_path):
    files = make(short_story, tmp_path)
    *mp3s, epub = files
    assert epub.suffix == ".epub" and epub.parent == mp3s[0].parent
    assert [f.suffix for f in mp3s] == [".mp3", ".mp3"]  # an EPUB implies the MP3s
    with zipfile.ZipFile(epub) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        assert [z.read(f"EPUB/audio/0{n}.mp3") for n in (1, 2)] == [
            m.read_bytes() for m in mp3s]
        opf = z.read("EPUB/package.opf").decode()
    assert "<dc:language>en</dc:language>" in opf
    assert 'properties="cover-image"' in opf and 'media-overlay="smil-1"' in opf
    assert '<meta property="media:active-class">-epub-media-overlay-active</meta>' in opf


@pytest.mark.skipif(epubcheck() is None, reason="EPUBCheck needs Java and the epubcheck package")
def test_epubcheck_finds_no_errors(tmp_path):
    story = tmp_path / "hostile.txt"
    story.write_text(f"Chapter 1: <i>Bold</i> & Co\n\n\"{HOSTILE}\" said Ada.\n\n"
                     "*I wonder,* thought Ada.\n\n* * *\n\nThe end.\n\n"
                     "Chapter 2: Two\n\nMore text here.\n", encoding="utf-8")
    (*_, epub) = make(story, tmp_path / "out")
    result = subprocess.run(["java", "-jar", epubcheck(), str(epub)], capture_output=True,
                            text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0 and " 0 errors" in report and "0 fatals" in report, report


def test_every_clip_lies_in_its_audio_in_order_without_overlap(short_story, tmp_path):
    *mp3s, epub = make(short_story, tmp_path)
    durations = {f"audio/0{n}.mp3": read_mp3(m)["duration"] for n, m in enumerate(mp3s, 1)}
    found = overlays(epub)
    assert [doc for doc, _ in found] == ["chapter-1.xhtml", "chapter-2.xhtml"]
    for _, pars in found:
        assert pars
        last = 0.0
        for _, audio, begin, end in pars:
            assert last <= begin < end <= durations[audio]
            last = end


def test_the_spans_read_the_spoken_text_in_order(short_story, tmp_path):
    *_, epub = make(short_story, tmp_path)
    production = prepare(short_story)
    expected = [spoken_text(s) for s in production.segmentation.segments if speakable(s)]
    assert span_texts(epub) == expected
    assert expected[0] == "Chapter 1: Rain" and expected[-1] == "she said."


def test_hostile_text_is_escaped_in_the_built_book(tmp_path):
    story = tmp_path / "hostile.txt"
    story.write_text(f'Chapter 1\n\n"{HOSTILE}" said Ada.\n', encoding="utf-8")
    *_, epub = make(story, tmp_path / "out")
    with zipfile.ZipFile(epub) as z:
        root = ElementTree.fromstring(z.read("EPUB/chapter-1.xhtml"))  # well-formed
    assert not list(root.iter(f"{XHTML}script")) and not list(root.iter(f"{XHTML}b"))
    assert any("&" in t for t in span_texts(epub))


def test_the_epub_functions_escape_whatever_the_text_is():
    line = epub3.Line(HOSTILE + "\x00\x07", "thought", "<Ada>", False, 0, 1, 1, 0.5, 1.5)
    heading = epub3.Line("Chapter 1 </h1>", "narration", None, True, -1, 1, 1, 0.1, 0.4)
    part = epub3.Part("<title>", ((1, "</a><script>"),),
                      (epub3.Track(Path("a.mp3"), 2.0, (heading, line)),))
    meta = epub3.Meta("T <&>", "A \"q\"", "en", "N </meta>", "0" * 64, "2026-01-01T00:00:00Z")
    files = epub3.contents([part], meta)
    for name, body in files.items():
        if name.endswith((".xhtml", ".opf", ".smil", ".xml")):
            root = ElementTree.fromstring(body.encode("utf-8"))
            assert not list(root.iter(f"{XHTML}script")), name
    doc = ElementTree.fromstring(files["EPUB/chapter-1.xhtml"].encode())
    spans = {s.get("id"): "".join(s.itertext()) for s in doc.iter(f"{XHTML}span")}
    assert spans == {"s1": "Chapter 1 </h1>", "s2": HOSTILE}
    assert [e.tag for e in doc.iter() if e.tag in (f"{XHTML}h1", f"{XHTML}em")] == [
        f"{XHTML}h1", f"{XHTML}em"]  # the title a heading, the thought in italics


def test_clips_are_clamped_to_the_file_and_kept_apart():
    lines = (epub3.Line("a", "narration", None, False, 0, 1, 1, 0.5, 1.2),
             epub3.Line("b", "narration", None, False, 0, 1, 1, 1.1, 2.6),
             epub3.Line("c", "narration", None, False, 0, 1, 1, 2.6, 2.6))
    part = epub3.Part("x", ((1, "x"),), (epub3.Track(Path("a.mp3"), 2.5, lines),))
    assert epub3.clips(part, {Path("a.mp3"): "audio/01.mp3"}) == [
        ("s1", "audio/01.mp3", 500, 1200), ("s2", "audio/01.mp3", 1200, 2500)]
    assert epub3.clock(3_723_456) == "1:02:03.456"


def test_a_rebuild_with_nothing_changed_keeps_the_epub(short_story, tmp_path):
    cache = tmp_path / "cache"
    files = make(short_story, tmp_path / "out", cache=cache)
    stamps = [p.stat().st_mtime_ns for p in files]
    again = make(short_story, tmp_path / "out", cache=cache)
    assert again == files and [p.stat().st_mtime_ns for p in again] == stamps


def test_asking_for_the_epub_later_keeps_the_mp3s(short_story, tmp_path):
    cache = tmp_path / "cache"
    mp3s = make(short_story, tmp_path / "out", formats=("mp3",), cache=cache)
    stamps = [p.stat().st_mtime_ns for p in mp3s]
    files = make(short_story, tmp_path / "out", formats=("mp3", "epub"), cache=cache)
    assert files[:-1] == mp3s and [p.stat().st_mtime_ns for p in mp3s] == stamps
    assert files[-1].suffix == ".epub" and len(overlays(files[-1])) == 2
    make(short_story, tmp_path / "out", formats=("mp3",), cache=cache)
    assert not files[-1].exists()  # no longer asked for: removed like any file not made


def test_the_cli_builds_the_epub(short_story, tmp_path, fake_cast):
    result = CliRunner().invoke(cli, ["build", str(short_story), "--voices", str(fake_cast),
                                      "--out", str(tmp_path / "out"), "--format", "mp3,epub"])
    assert result.exit_code == 0, result.output
    printed = [Path(line) for line in result.output.splitlines() if line.endswith(".epub")]
    assert len(printed) == 1 and printed[0].is_file()
    assert zipfile.is_zipfile(printed[0]) and overlays(printed[0])


def test_a_chapter_split_in_parts_reads_along_across_its_mp3s(tmp_path):
    story = tmp_path / "long.txt"
    lines = [f'"Line {n} of the long chapter goes on here," said Ada.' if n % 3 == 0
             else f"The narrator reads sentence {n} of the chapter slowly." for n in range(24)]
    story.write_text("Chapter 1: Long\n\n" + "\n\n".join(lines)
                     + "\n\nChapter 2: Short\n\nThe end came.\n", encoding="utf-8")
    *mp3s, epub = build(story, None, tmp_path / "out",
                        BookOptions(cache=None, formats=("epub",), max_minutes=1), FakeEngine())
    assert [m.name for m in mp3s] == ["01 - Chapter 1 Long (Part 1).mp3",
                                      "02 - Chapter 1 Long (Part 2).mp3",
                                      "03 - Chapter 2 Short.mp3"]
    durations = {f"audio/0{n}.mp3": read_mp3(m)["duration"] for n, m in enumerate(mp3s, 1)}
    found = overlays(epub)
    assert [doc for doc, _ in found] == ["chapter-1.xhtml", "chapter-2.xhtml"]
    first = [audio for _, audio, *_ in found[0][1]]
    assert sorted(set(first)) == ["audio/01.mp3", "audio/02.mp3"] and first == sorted(first)
    for _, pars in found:
        last = {}
        for _, audio, begin, end in pars:
            assert last.get(audio, 0.0) <= begin < end <= durations[audio]
            last[audio] = end
    production = prepare(story)
    assert span_texts(epub) == [spoken_text(s) for s in production.segmentation.segments
                                if speakable(s)]
    if epubcheck():
        result = subprocess.run(["java", "-jar", epubcheck(), str(epub)], capture_output=True,
                                text=True)
        assert result.returncode == 0 and " 0 errors" in result.stdout + result.stderr
