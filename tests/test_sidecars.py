"""Series, and the files library servers read beside the audio: Audiobookshelf's
metadata.json, desc.txt and reader.txt, and a calibre-style metadata.opf."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from click.testing import CliRunner

from audiobook import build
from audiobook.cli import cli
from audiobook.engines.fake import FakeEngine
from audiobook.export import read_mp3
from audiobook.models import BookInfo
from audiobook.pipeline import BookOptions
from audiobook.sidecars import chapters, opf

DC = "{http://purl.org/dc/elements/1.1/}"
OPF = "{http://www.idpf.org/2007/opf}"


def series_build(short_story, tmp_path, **more):
    options = BookOptions(cache=None, author="Ann Teller", series="Harbour Tales",
                          series_part="2", description="Rain & <wind>.", **more)
    return build(short_story, None, tmp_path / "out", options, FakeEngine())


def test_a_book_in_a_series_is_filed_and_tagged_as_one(short_story, tmp_path):
    files = series_build(short_story, tmp_path)
    folder = tmp_path / "out" / "Ann Teller" / "Harbour Tales" / "2 - Short"
    assert [f.parent for f in files] == [folder, folder]
    tags = read_mp3(files[0])["tags"]
    assert (tags["TXXX:series"], tags["TXXX:series-part"]) == ("Harbour Tales", "2")
    assert (tags["MVNM"], tags["MVIN"]) == ("Harbour Tales", "2")


def test_the_sidecars_are_there_and_parse(short_story, tmp_path):
    files = series_build(short_story, tmp_path)
    folder = files[0].parent
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Short" and meta["authors"] == ["Ann Teller"]
    assert meta["series"] == ["Harbour Tales #2"] and meta["narrators"]
    assert meta["description"] == "Rain & <wind>." and meta["genres"] == ["Audiobook"]
    lengths = [read_mp3(f)["duration"] for f in files]
    assert [c["title"] for c in meta["chapters"]] == ["Chapter 1: Rain", "Chapter 2: Sun"]
    assert abs(meta["chapters"][1]["start"] - lengths[0]) < 0.1
    assert abs(meta["chapters"][1]["end"] - sum(lengths)) < 0.2
    assert (folder / "desc.txt").read_text(encoding="utf-8") == "Rain & <wind>.\n"
    assert (folder / "reader.txt").read_text(encoding="utf-8").strip() == meta["narrators"][0]
    root = ET.parse(folder / "metadata.opf").getroot()
    creators = {c.get(f"{OPF}role"): c.text for c in root.iter(f"{DC}creator")}
    assert creators == {"aut": "Ann Teller", "nrt": meta["narrators"][0]}
    named = {m.get("name"): m.get("content") for m in root.iter(f"{OPF}meta")}
    assert named == {"calibre:series": "Harbour Tales", "calibre:series_index": "2"}
    assert root.find(f"{OPF}metadata/{DC}description").text == "Rain & <wind>."


def test_one_file_with_chapter_marks_gives_its_marks_as_chapters():
    marks = [("One", 0, 1500), ("Two", 1500, 4000)]
    assert chapters([(4.0, "Book", marks)]) == [
        {"id": 0, "start": 0.0, "end": 1.5, "title": "One"},
        {"id": 1, "start": 1.5, "end": 4.0, "title": "Two"}]


def test_the_opf_escapes_what_the_book_says():
    book = BookInfo(title='A "B" & <C>', author="D & E", series="F <G>", series_index="1.5")
    root = ET.fromstring(opf(book).encode("utf-8"))
    assert root.find(f"{OPF}metadata/{DC}title").text == 'A "B" & <C>'
    assert {m.get("content") for m in root.iter(f"{OPF}meta")} == {"F <G>", "1.5"}


def test_a_series_part_that_is_not_a_number_is_one_line(short_story, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(short_story), "--out", str(tmp_path),
                                      "--series", "X", "--series-part", "two"])
    assert result.exit_code == 2
    assert "'two' is not a place in a series; give a number such as 2 or 1.5" in result.output
    assert not list(tmp_path.rglob("*.mp3"))
