"""The HTML reader: one page, chapters from its headings; a fan-fiction archive's download
with its preface, notes and afterword; italics as thoughts; encodings."""

from __future__ import annotations

import json

import pytest
from bookmaker import archive_html
from conftest import ROOT
from goldscore import moved, score, score_text

from audiobook.models import Kind
from audiobook.readers import read_file
from audiobook.segment import segment

BOOKS = ROOT / "tests" / "fixtures" / "books"
STORY = BOOKS / "ferry-lights.md"


def page(tmp_path, body: str, head: str = "<title>The Quay</title>", name: str = "p.html",
         encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(f"<!DOCTYPE html>\n<html><head>{head}</head><body>{body}</body></html>"
                     .encode(encoding))
    return path


@pytest.fixture
def download(tmp_path):
    path = tmp_path / "ferry-lights.html"
    path.write_text(archive_html(STORY.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_chapters_come_from_headings_under_the_book_title(tmp_path):
    doc = read_file(page(tmp_path, "<h1>Salt Roads</h1><h2>The Harbour</h2><p>A ship came.</p>"
                                   "<h2>The Hill</h2><p>A path rose.</p>"))
    assert doc.title == "Salt Roads"
    assert [(c.title, doc.text[c.start:c.end]) for c in doc.chapters] == [
        ("The Harbour", "# Salt Roads\n\n## The Harbour\n\nA ship came.\n\n"),
        ("The Hill", "## The Hill\n\nA path rose.\n")]


def test_title_and_author_come_from_the_page(tmp_path):
    doc = read_file(page(tmp_path, "<p>Rain.</p>",
                         head='<title>The Quay</title><meta name="author" content="Jo Penn">'))
    assert (doc.title, doc.author) == ("The Quay", "Jo Penn")
    doc = read_file(page(tmp_path, "<p>Rain.</p>", head="<title>The Quay by Jo Penn</title>"))
    assert (doc.title, doc.author) == ("The Quay", "Jo Penn")


def test_paragraph_chapter_lines_and_ornament_scene_breaks(tmp_path):
    doc = read_file(page(tmp_path, "<p><b>Chapter 1</b></p><p>Ada ran.</p><p>* * *</p>"
                                   '<p class="center">⁂</p><p>Bo hid.</p><hr/><p>Cy sat.</p>'
                                   "<p><b>Chapter 2</b></p><p>Rain.</p>"))
    assert [c.title for c in doc.chapters] == ["Chapter 1", "Chapter 2"]
    assert [(doc.text[p.start:p.end], p.scene) for p in doc.paragraphs] == [
        ("Chapter 1", 1), ("Ada ran.", 1), ("Bo hid.", 2), ("Cy sat.", 3), ("Chapter 2", 1),
        ("Rain.", 1)]


def test_offsets_index_the_reading_text(tmp_path):
    doc = read_file(page(tmp_path, '<h2>One</h2><p>"Wait," said <em>Ada</em>. <i>He knows.</i>'
                                   "</p><p>Bo&nbsp;left &amp; the door&#8212;shut.</p>"))
    for s in segment(doc).segments:
        assert doc.text[s.start:s.end] == s.text
    assert "Bo left & the door—shut." in doc.text


@pytest.mark.parametrize("encoding,meta", [("cp1252", '<meta charset="windows-1252">'),
                                           ("utf-16", ""), ("latin-1", "")])
def test_encodings_are_told_from_the_page(tmp_path, encoding, meta):
    doc = read_file(page(tmp_path, "<p>The café was shut.</p>", head=meta, encoding=encoding))
    assert "The café was shut." in doc.text


def test_the_archive_preface_is_metadata_and_not_read(download):
    doc = read_file(download)
    assert (doc.title, doc.author) == ("Ferry Lights", "saltmarsh_writer")
    assert doc.meta["rating"] == "Teen And Up Audiences"
    assert doc.meta["fandom"] == "Northern Crossing"
    assert doc.meta["description"] == "The last ferry of the season brings someone home."
    for unread in ("Posted originally", "Rating", "Teen And Up", "Summary", "brings someone home",
                   "See the end of the work", "drop by the Archive", "Preface", "Afterword"):
        assert unread not in doc.text
    assert [c.title for c in doc.chapters] == ["Chapter 1: The Last Crossing",
                                               "Chapter 2: The Light on the Headland"]


def test_the_archive_notes_are_authors_notes(download):
    doc = read_file(download)
    notes = [s for s in segment(doc).segments if s.note]
    assert [s.text[:24] for s in notes] == ["Notes", "Set after the season thr", "End Notes",
                                            "Thank you so much for re"]
    assert all(s.kind is Kind.NARRATION for s in notes)


def download_scores(path) -> dict[str, float]:
    """The download scored against the Markdown's gold, carried over to its reading text."""
    doc = read_file(path)
    gold = moved(json.loads((BOOKS / "ferry-lights.md.gold.json").read_text(encoding="utf-8")),
                 STORY.read_text(encoding="utf-8"), doc.text)
    return score_text(doc.text, gold, list(segment(doc).segments))


def test_italic_thoughts_in_a_download_beat_the_plain_text(download):
    """The acceptance: thought F1 at least .95, speaker accuracy no lower than plain text."""
    html = download_scores(download)
    plain = score(BOOKS / "ferry-lights.txt.gold.json",
                  list(segment(read_file(BOOKS / "ferry-lights.txt")).segments))
    assert html["thought_f1"] >= 0.95
    assert html["speaker_accuracy"] >= plain["speaker_accuracy"]
    assert html["kind_accuracy"] > plain["kind_accuracy"]


def test_the_markdown_story_scores_as_its_download(download):
    html = download_scores(download)
    markdown = score(BOOKS / "ferry-lights.md.gold.json",
                     list(segment(read_file(STORY)).segments))
    assert html["thought_f1"] == markdown["thought_f1"]
    assert html["speaker_accuracy"] == markdown["speaker_accuracy"]


def test_italic_titles_names_and_stressed_words_stay_narration(tmp_path):
    doc = read_file(page(tmp_path, "<p>She read <i>The Salt Road Almanac</i> on the <em>Gull</em>"
                                   " and had <em>never</em> liked it. <em>Saudade</em>, said "
                                   "her grandmother.</p><p>Mara looked up. <em>Coward.</em></p>"))
    thoughts = [s.text for s in segment(doc).segments if s.kind is Kind.THOUGHT]
    assert thoughts == ["*Coward.*"]


def test_a_page_that_is_not_well_formed_is_read_as_browsers_do(tmp_path):
    path = tmp_path / "broken.html"
    path.write_bytes(b"<html><body><p>Ada ran.<p>She hid under <i>the table.<div>\"Who is "
                     b"there?\" Bram asked.</body>")
    assert read_file(path).text == ('Ada ran.\n\nShe hid under *the table.*\n\n'
                                    '"Who is there?" Bram asked.\n')


def test_a_library_page_without_its_boilerplate_or_contents(tmp_path):
    """A public-domain library's HTML edition: a licence header and footer, the book's own
    contents table, chapters under headings."""
    path = page(tmp_path, '<section class="pg-boilerplate pgheader" id="pg-header"><h2>The '
                "Library eBook of The Salt Road</h2><p>This ebook is for the use of anyone.</p>"
                "</section><h1>THE SALT ROAD</h1><h2>CONTENTS</h2><table>"
                + "".join(f'<tr><td><a href="#c{n}">CHAPTER {n}</a></td><td>{n * 4}</td></tr>'
                          for n in (1, 2, 3)) + "</table>"
                + "".join(f'<h2 id="c{n}">CHAPTER {n}</h2><p>Page {n} of the story.</p>'
                          for n in (1, 2, 3))
                + '<section class="pgheader" id="pg-footer"><h2>THE FULL LICENSE</h2><p>Terms.'
                  "</p></section>")
    doc = read_file(path)
    assert doc.text == ("# THE SALT ROAD\n\n## CHAPTER 1\n\nPage 1 of the story.\n\n## CHAPTER 2"
                        "\n\nPage 2 of the story.\n\n## CHAPTER 3\n\nPage 3 of the story.\n")
    assert [c.title for c in doc.chapters] == ["CHAPTER 1", "CHAPTER 2", "CHAPTER 3"]
