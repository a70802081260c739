"""Books in markup through every command and the whole build: the reading text, offsets
into it, scenes, characters, cast, preview, and a build tagged with the book's own title,
author, language and cover."""

from __future__ import annotations

import io
import json

import pytest
from bookmaker import Page, Toc, make_epub, png
from click.testing import CliRunner
from mutagen.id3 import ID3
from PIL import Image

from audiobook import build
from audiobook.cli import cli
from audiobook.engines import get_engine
from audiobook.export import read_mp3
from audiobook.pipeline import BookOptions, prepare

CHAPTERS = [
    ("The Quay", '<p>Mara walked down to the quay in the rain. <em>He will not come.</em></p>'
                 '<p>"You came," Tom said.</p><p>"I said I would," Mara said.</p><hr/>'
                 "<p>They waited for the ferry until the lights came on.</p>"),
    ("The Crossing", '<p>The ferry rolled. "Hold on," Tom said.</p>'
                     '<p>"I am holding on," said Mara.</p>'),
]


def book(tmp_path, *, language: str = "en", cover=None, name: str = "quay.epub"):
    pages = [Page("title.xhtml", '<section epub:type="titlepage"><h1>The Quay</h1>'
                  "<p>Jo Penn</p></section>")]
    pages += [Page(f"c{n}.xhtml", f"<h2>{title}</h2>{body}")
              for n, (title, body) in enumerate(CHAPTERS, 1)]
    toc = [Toc(title, f"c{n}.xhtml") for n, (title, _) in enumerate(CHAPTERS, 1)]
    return make_epub(tmp_path / name, pages, toc, title="Rain at the Quay",
                     creators=(("Jo Penn", "aut"),), language=language, cover=cover,
                     extra_metadata="<dc:publisher>Harbour House</dc:publisher>"
                                    "<dc:date>1911</dc:date>")


def cover_of(mp3) -> bytes:
    return ID3(mp3).getall("APIC")[0].data


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_text_prints_the_reading_text_and_jsonl_offsets_index_it(tmp_path):
    path = book(tmp_path)
    text = run("text", path)
    assert text.exit_code == 0
    assert text.output.startswith("## The Quay\n\nMara walked down to the quay in the rain. "
                                  "*He will not come.*\n\n")
    assert "Jo Penn" not in text.output
    rows = [json.loads(line) for line in run("segment", path, "--format", "jsonl")
            .output.splitlines()]
    assert rows and all(text.output[r["start"]:r["end"]] == r["text"] for r in rows)
    assert [(r["text"], r["speaker"]) for r in rows if r["kind"] != "narration"][:3] == [
        ("*He will not come.*", "Mara"), ('"You came,"', "Tom"), ('"I said I would,"', "Mara")]


def test_scenes_lists_the_tables_chapters(tmp_path):
    result = run("scenes", book(tmp_path))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split(None, 1)[1] for line in lines if line.split()[1:2] != ["1"]
            and line.split()[1:2] != ["2"] and line.split()[0].isdigit()] == [
        "The Quay", "The Crossing"]
    assert sum(1 for line in lines if line.split()[:2] == ["1", "2"]) == 1  # the <hr/>


@pytest.mark.parametrize("command", ["characters", "cast"])
def test_characters_and_cast_read_books(tmp_path, command, monkeypatch, fake_cast):
    monkeypatch.chdir(tmp_path)
    args = [command, book(tmp_path)] + (["--voices", fake_cast] if command == "cast" else [])
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "Mara" in result.output and "Tom" in result.output


def test_preview_reads_a_scene_of_a_book(tmp_path, fake_cast):
    result = run("preview", book(tmp_path), "--chapter", "2", "--voices", fake_cast,
                 "--out", tmp_path / "out", "--no-play", "--no-cache")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "preview.mp3").stat().st_size > 1000


def test_build_tags_the_books_title_author_language_and_cover(tmp_path, fake_engine):
    cover = png(300, 450, (10, 120, 200))
    files = build(book(tmp_path, cover=(cover, "image/png"), language="en-US"),
                  out=tmp_path / "out", engine=fake_engine)
    assert [f.name for f in files] == ["01 - The Quay.mp3", "02 - The Crossing.mp3"]
    tags = read_mp3(files[0])
    assert {k: tags["tags"][k] for k in ("TIT2", "TALB", "TPE1", "TLAN", "TDRC", "TPUB")} == {
        "TIT2": "The Quay", "TALB": "Rain at the Quay", "TPE1": "Jo Penn", "TLAN": "eng",
        "TDRC": "1911", "TPUB": "Harbour House"}
    with Image.open(io.BytesIO(cover_of(files[0]))) as image:  # the book's cover, squared
        assert image.size == (300, 300)
        assert image.convert("RGB").getpixel((150, 150)) == pytest.approx((10, 120, 200),
                                                                           abs=4)
    data = json.loads((files[0].parent / "book.json").read_text(encoding="utf-8"))
    assert {k: data[k] for k in ("title", "author", "language", "publisher", "cover")} == {
        "title": "Rain at the Quay", "author": "Jo Penn", "language": "eng",
        "publisher": "Harbour House", "cover": "cover.jpg"}


def test_an_svg_cover_falls_back_to_a_drawn_one_and_says_so(tmp_path, fake_engine):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    seen = []
    build(book(tmp_path, cover=(svg, "image/svg+xml")), out=tmp_path / "out",
          engine=fake_engine, on_ready=lambda production, units: seen.extend(production.notes))
    assert "the book's cover image cannot be used (SVG, or not a JPEG or PNG); a drawn cover " \
           "is used" in seen


def test_given_cover_wins_over_the_books(tmp_path, fake_engine):
    mine = tmp_path / "mine.png"
    mine.write_bytes(png(100, 100, (250, 0, 0)))
    files = build(book(tmp_path, cover=(png(), "image/png")), out=tmp_path / "out",
                  engine=fake_engine, options=BookOptions(cover=mine))
    with Image.open(io.BytesIO(cover_of(files[0]))) as image:
        assert image.convert("RGB").getpixel((50, 50))[0] > 240


@pytest.mark.parametrize("language,narrator,voice", [
    ("fr", "fr-fr", "fr-fr+"), ("pt-BR", "pt-br", "pt-br+"), ("en-US", "en-us", "en-"),
    ("en", "en-gb", "en-")])
def test_the_books_language_chooses_the_narrators(tmp_path, language, narrator, voice):
    engine = get_engine("pyttsx3")
    production = prepare(book(tmp_path, language=language), engine=engine)
    assert production.cast.narrator.id == narrator
    assert production.voices["Mara"].id.startswith(voice)


def test_a_cast_files_narrator_is_kept_whatever_the_language(tmp_path):
    from audiobook.castfile import open_cast

    cast_file = tmp_path / "voices.yaml"
    cast_file.write_text("narrator:\n  voice: en-gb\n")
    cast, engine = open_cast(cast_file)
    assert prepare(book(tmp_path, language="fr"), cast, engine).cast.narrator.id == "en-gb"


def test_html_pages_build_too(tmp_path, fake_engine):
    page = tmp_path / "quay.html"
    page.write_text("<html><head><title>The Quay</title><meta name=author content='Jo Penn'>"
                    "</head><body><h2>One</h2><p>\"Wait,\" Tom said.</p><h2>Two</h2>"
                    "<p>It rained.</p></body></html>")
    files = build(page, out=tmp_path / "out", engine=fake_engine)
    assert [f.relative_to(tmp_path / "out").as_posix() for f in files] == [
        "Jo Penn/The Quay/01 - One.mp3", "Jo Penn/The Quay/02 - Two.mp3"]


@pytest.mark.parametrize("heading,spoken", [("## I", "Chapter 1"), ("### XIV", "Chapter 14"),
                                            ("## 12.", "Chapter 12"), ("## Book I", "Book I"),
                                            ("## Chapter IV", "Chapter IV")])
def test_a_heading_that_is_only_a_number_is_read_as_a_chapter(heading, spoken):
    from audiobook.models import Kind, Segment
    from audiobook.render import spoken_text

    assert spoken_text(Segment(0, len(heading), Kind.NARRATION, None, heading, 1, 1, 0,
                               heading=True)) == spoken
    assert spoken_text(Segment(0, 1, Kind.NARRATION, None, "I", 1, 1, 0)) == "I"
