"""Tests for the plain-text and Markdown readers: decoding, chapters, scenes, paragraphs and
their offsets."""

from __future__ import annotations

import pytest

from audiobook.errors import InputError
from audiobook.readers import read_file
from audiobook.readers.markdown import parse as parse_markdown
from audiobook.readers.text import parse


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def slices(doc) -> list[str]:
    return [doc.text[p.start:p.end] for p in doc.paragraphs]


# -- decoding -------------------------------------------------------------------------------


def test_utf8_bom_is_kept_so_offsets_match_read_text(tmp_path):
    path = write(tmp_path, "s.txt", "\ufeffChapter 1\n\nAda waved.\n".encode("utf-8"))
    doc = read_file(path)
    expected = path.read_text(encoding="utf-8")
    assert doc.text == expected
    assert doc.text[0] == "\ufeff"
    assert [(p.start, p.end) for p in doc.paragraphs] == [(1, 10), (12, 22)]
    assert [expected[p.start:p.end] for p in doc.paragraphs] == ["Chapter 1", "Ada waved."]


def test_crlf_line_endings_are_normalised_like_read_text(tmp_path):
    path = write(tmp_path, "s.txt", b"Ada waved.\r\nShe left.\r\n\r\nRain fell.\r\n")
    doc = read_file(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert "\r" not in doc.text
    assert [(p.start, p.end) for p in doc.paragraphs] == [(0, 20), (22, 32)]
    assert slices(doc) == ["Ada waved.\nShe left.", "Rain fell."]


def test_lone_carriage_returns_are_normalised(tmp_path):
    path = write(tmp_path, "s.txt", b"One.\rTwo.\r\rThree.\r")
    doc = read_file(path)
    assert doc.text == "One.\nTwo.\n\nThree.\n"
    assert slices(doc) == ["One.\nTwo.", "Three."]


def test_latin1_bytes_raise_input_error_naming_utf8(tmp_path):
    path = write(tmp_path, "old.txt", "The caf\xe9 was shut.".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_file(path)
    message = str(info.value)
    assert "UTF-8" in message
    assert "0xe9" in message and "offset 7" in message
    assert message.startswith(f"{path}: ")


def test_png_bytes_raise_input_error_as_binary(tmp_path):
    path = write(tmp_path, "cover.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary file"):
        read_file(path)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\r\n\r\n", "\ufeff \n".encode("utf-8")],
                         ids=["empty", "spaces", "crlf-only", "bom-only"])
def test_empty_or_whitespace_file_raises_input_error(tmp_path, data):
    path = write(tmp_path, "blank.txt", data)
    with pytest.raises(InputError, match="empty") as info:
        read_file(path)
    assert str(info.value) == f"{path}: the file is empty"


def test_missing_file_raises_input_error(tmp_path):
    path = tmp_path / "nowhere.txt"
    with pytest.raises(InputError) as info:
        read_file(path)
    assert str(info.value) == f"{path}: no such file"


def test_directory_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_file(tmp_path)


# -- chapters -------------------------------------------------------------------------------


@pytest.mark.parametrize("heading", [
    "Chapter 3", "CHAPTER IV", "Chapter Three: The Road", "chapter twenty-one",
    "Ch. 2 - The Mill", "Chapter 7. Low Water", "Prologue", "Epilogue: Home",
])
def test_each_chapter_heading_form_starts_a_chapter(heading):
    text = f"Chapter 1\n\nThe boat left.\n\n{heading}\n\nThe gulls came.\n"
    doc = parse(text)
    start = text.index(heading, 5)
    assert [c.title for c in doc.chapters] == ["Chapter 1", heading]
    assert [(c.start, c.end, c.number) for c in doc.chapters] == [
        (0, start, 1), (start, len(text), 2)]
    assert [(p.chapter, p.heading) for p in doc.paragraphs] == [
        (1, True), (1, False), (2, True), (2, False)]


def test_sentence_beginning_with_chapter_is_not_a_heading():
    doc = parse("Chapter 3 was the hardest part.\n\nShe wrote on.\n", default_title="Notes")
    assert [c.title for c in doc.chapters] == ["Notes"]
    assert [p.heading for p in doc.paragraphs] == [False, False]


def test_no_headings_gives_one_chapter_titled_from_file_name(tmp_path):
    path = write(tmp_path, "the-long_walk home.txt", b"Ada waved.\n\nBo left.\n")
    doc = read_file(path)
    assert doc.title == "The Long Walk Home"
    assert [(c.start, c.end, c.number, c.title) for c in doc.chapters] == [
        (0, 21, 1, "The Long Walk Home")]
    assert [p.chapter for p in doc.paragraphs] == [1, 1]


def test_markdown_book_title_and_chapter_headings():
    text = "# Salt Roads\n\n## The Harbour\n\nA ship came.\n\n## The Hill ##\n\nA path rose.\n"
    doc = parse_markdown(text)
    assert doc.title == "Salt Roads"
    assert [(c.start, c.end, c.title) for c in doc.chapters] == [
        (0, 44, "The Harbour"), (44, len(text), "The Hill")]
    assert [(text[p.start:p.end], p.chapter, p.heading) for p in doc.paragraphs] == [
        ("# Salt Roads", 1, True), ("## The Harbour", 1, True), ("A ship came.", 1, False),
        ("## The Hill ##", 2, True), ("A path rose.", 2, False)]


def test_front_matter_gives_title_and_author_and_is_skipped():
    text = "---\ntitle: \"Salt: A Tale\"\nauthor: 'Jo Penn'\n---\n\nChapter 1\n\nIt rained.\n"
    doc = parse_markdown(text, default_title="Ignored")
    assert (doc.title, doc.author) == ("Salt: A Tale", "Jo Penn")
    assert slices(doc) == ["Chapter 1", "It rained."]
    assert doc.chapters[0].start == text.index("\nChapter 1")


def test_front_matter_title_names_a_headingless_chapter():
    doc = parse_markdown("---\ntitle: Low Tide\n---\nIt rained.\n")
    assert [(c.start, c.title) for c in doc.chapters] == [(24, "Low Tide")]
    assert doc.author is None


# -- scenes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["***", "* * *", "---", "~~~", "oOo", "-x-x-", "#", "  ***  "])
def test_each_scene_break_form_increments_the_scene(mark):
    text = f"One went.\n\n{mark}\n\nTwo came.\n"
    doc = parse(text)
    assert [(text[p.start:p.end], p.scene) for p in doc.paragraphs] == [
        ("One went.", 1), ("Two came.", 2)]


def test_scene_break_inside_a_block_without_blank_lines():
    doc = parse("Line one\nline two\n***\nline three\n")
    assert [(doc.text[p.start:p.end], p.scene) for p in doc.paragraphs] == [
        ("Line one\nline two", 1), ("line three", 2)]


def test_break_right_after_heading_and_repeated_breaks_add_no_empty_scene():
    doc = parse("Chapter 1\n\n***\n\nA.\n\n* * *\n\n~~~\n\nB.\n")
    assert [(doc.text[p.start:p.end], p.scene) for p in doc.paragraphs] == [
        ("Chapter 1", 1), ("A.", 1), ("B.", 2)]


def test_scene_number_restarts_in_each_chapter():
    doc = parse("Chapter 1\n\nA.\n\n***\n\nB.\n\nChapter 2\n\nC.\n")
    assert [(p.chapter, p.scene) for p in doc.paragraphs] == [
        (1, 1), (1, 1), (1, 2), (2, 1), (2, 1)]


# -- paragraphs -----------------------------------------------------------------------------


def test_every_paragraph_is_an_exact_trimmed_slice_of_the_text():
    text = ("\ufeffChapter 1\n\n  Mara ran.\n  She hid.  \n\n\n\"Wait,\" Tom said.\t\n\n"
            "* * *\n\nNight fell.")
    doc = parse(text)
    assert slices(doc) == ["Chapter 1", "Mara ran.\n  She hid.", "\"Wait,\" Tom said.",
                           "Night fell."]
    starts = [text.index(s) for s in ("Chapter", "Mara", '"Wait', "Night")]
    assert starts == [1, 14, 39, 66]
    assert [p.start for p in doc.paragraphs] == starts


def test_lines_without_any_blank_line_are_one_paragraph_each():
    text = "\n".join(f"Line {n:02} of the log." for n in range(30)) + "\n"
    doc = parse(text)
    assert len(doc.paragraphs) == 30
    assert slices(doc)[:2] == ["Line 00 of the log.", "Line 01 of the log."]
    assert [p.start for p in doc.paragraphs[:3]] == [0, 20, 40]


# -- known bugs -----------------------------------------------------------------------------


def test_short_text_without_blank_lines_ending_in_newline_is_one_paragraph_per_line():
    text = "\n".join(f"Line {n:02} of the log." for n in range(12)) + "\n"
    doc = parse(text)
    assert len(doc.paragraphs) == 12


def test_markdown_title_above_plain_chapter_lines_is_the_book_title():
    doc = parse_markdown("# The Salt Road\n\nChapter 1\n\nA.\n\nChapter 2\n\nB.\n",
                         default_title="x")
    assert doc.title == "The Salt Road"
    assert [c.title for c in doc.chapters] == ["Chapter 1", "Chapter 2"]


def test_markdown_book_title_loses_emphasis_marks():
    doc = parse_markdown("# The *Salt* Road\n\n## One\n\nA.\n\n## Two\n\nB.\n")
    assert doc.title == "The Salt Road"


def test_scene_numbers_never_go_back_within_a_chapter():
    doc = parse("A.\n\n***\n\nB.\n\nChapter 2\n\nC.\n")
    pairs = [(p.chapter, p.scene) for p in doc.paragraphs]
    assert pairs == sorted(pairs)


def test_a_fan_fiction_header_gives_title_and_author_and_is_not_read():
    doc = parse("Title: The Long Road\nAuthor: Jo March\nRating: T\nSummary: A walk.\n\n"
                "She walked.\n")
    assert (doc.title, doc.author, doc.meta["summary"]) == ("The Long Road", "Jo March",
                                                           "A walk.")
    assert [doc.text[p.start:p.end] for p in doc.paragraphs] == ["She walked."]


def test_a_sentence_that_starts_like_a_header_is_story_text():
    doc = parse("Title of the day was grey.\nIt rained.\n\nShe walked.\n", "Day")
    assert doc.title == "Day" and len(doc.paragraphs) == 2
