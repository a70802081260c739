"""Formats told by content; formats we cannot read named with how to convert them; hostile
books refused in one line, or read safely, with nothing from outside the book."""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile

import pytest
from bookmaker import Page, Toc, make_epub, one_page

from audiobook.errors import InputError
from audiobook.readers import read_file

SECRET = "root:x:0:0"  # what /etc/passwd opens with


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- told by content ------------------------------------------------------------------------


def test_an_epub_named_txt_is_read_as_an_epub(tmp_path):
    path = one_page(tmp_path / "story.txt", "<p>Mara ran.</p>")
    assert read_file(path).text == "Mara ran.\n"


def test_an_epub_without_its_mimetype_member_is_still_an_epub(tmp_path):
    path = one_page(tmp_path / "b.zip", "<p>Mara ran.</p>", mimetype=False)
    assert read_file(path).text == "Mara ran.\n"


def test_html_named_txt_is_read_as_html(tmp_path):
    path = write(tmp_path, "s.txt", b"<!DOCTYPE html><html><body><p>Mara <i>ran</i>.</p>"
                                    b"</body></html>")
    assert read_file(path).text == "Mara *ran*.\n"


def test_a_story_with_inline_tags_is_still_plain_text(tmp_path):
    path = write(tmp_path, "s.txt", b"Mara said <i>nothing</i> at all.\n")
    assert read_file(path).text == "Mara said <i>nothing</i> at all.\n"


def test_markdown_is_told_by_its_headings_whatever_the_name(tmp_path):
    path = write(tmp_path, "s.txt", b"# The Quay\n\n## One\n\nMara ran.\n\n## Two\n\nBo hid.\n")
    assert [c.title for c in read_file(path).chapters] == ["One", "Two"]


def test_utf16_text_with_its_bom_is_read(tmp_path):
    path = write(tmp_path, "s.txt", "Chapter 1\n\nMara ran to the café.\n".encode("utf-16"))
    assert "café" in read_file(path).text


@pytest.mark.parametrize("data,what", [
    (b"\0" * 60 + b"BOOKMOBI" + b"\0" * 64, "a Kindle book (MOBI/AZW/AZW3)"),
    (b"%PDF-1.7\n", "a PDF"),
    (b"{\\rtf1\\ansi Hello}", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "a Word 97-2003 document (DOC)"),
])
def test_books_we_cannot_read_say_what_they_are_and_how_to_convert(tmp_path, data, what):
    path = write(tmp_path, "My Book.azw3", data)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert str(info.value) == (f"{path}: this is {what}, which audiobook cannot read; convert "
                               f'it with calibre: ebook-convert "My Book.azw3" "My Book.epub"')


def test_a_word_document_says_so(tmp_path):
    path = tmp_path / "story.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputError, match=r"a Word document \(DOCX\).*ebook-convert story.docx"):
        read_file(path)


def test_a_zip_that_is_not_an_epub(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(InputError) as info:
        read_file(path)
    assert str(info.value) == (f"{path}: a zip archive, but not an EPUB (it has no "
                               "META-INF/container.xml)")


def test_a_damaged_zip(tmp_path):
    good = one_page(tmp_path / "g.epub", "<p>Mara ran.</p>")
    path = write(tmp_path, "bad.epub", good.read_bytes()[:300])
    with pytest.raises(InputError, match="damaged"):
        read_file(path)


# -- DRM ----------------------------------------------------------------------------------


def encryption(uri: str, algorithm: str) -> dict[str, bytes]:
    return {"META-INF/encryption.xml": (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        f'<enc:EncryptionMethod Algorithm="{algorithm}"/><enc:CipherData>'
        f'<enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>'
        "</encryption>").encode()}


def test_a_drm_protected_epub_is_named_as_such(tmp_path):
    path = one_page(tmp_path / "drm.epub", "<p>Mara ran.</p>", extra_files=encryption(
                         "OEBPS/a.xhtml", "http://www.w3.org/2001/04/xmlenc#aes128-cbc"))
    with pytest.raises(InputError) as info:
        read_file(path)
    assert str(info.value) == (f"{path}: this EPUB is DRM-protected (its text is encrypted); "
                               "audiobook reads DRM-free books only")


def test_obfuscated_fonts_are_not_drm(tmp_path):
    path = one_page(tmp_path / "fonts.epub", "<p>Mara ran.</p>", extra_files=encryption(
                         "OEBPS/fonts/a.otf", "http://www.idpf.org/2008/embedding"))
    assert read_file(path).text == "Mara ran.\n"


# -- hostile books --------------------------------------------------------------------------


XXE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html [\n'
       b'<!ENTITY e SYSTEM "file:///etc/passwd">\n<!ENTITY lol "lol">\n'
       b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
       b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>'
       b"<p>Before &e; after &lol2;.</p><p>Mara ran.</p></body></html>")


@pytest.mark.parametrize("broken", [False, True], ids=["well-formed", "malformed"])
def test_an_external_entity_is_never_resolved(tmp_path, broken):
    data = XXE.replace(b"</p><p>Mara", b"<p>Mara") if broken else XXE
    path = make_epub(tmp_path / "xxe.epub", [Page("a.xhtml", "", raw=data)],
                     [Toc("One", "a.xhtml")])
    doc = read_file(path)
    assert SECRET not in doc.text and "&e;" not in doc.text and "lol" not in doc.text
    assert "Mara ran." in doc.text
    assert doc.notes == ("entities that point outside the book were ignored",)


def test_an_external_entity_in_an_html_page(tmp_path):
    path = write(tmp_path, "x.html", b'<!DOCTYPE html [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                                     b"<html><body><p>Before &e; after<p>Mara ran.</body></html>")
    doc = read_file(path)
    assert SECRET not in doc.text and "&e;" not in doc.text and "]>" not in doc.text
    assert doc.text == "Before after\n\nMara ran.\n"


def bomb(path, declared_small: bool, size: int = 256 << 20):
    """An EPUB whose one page inflates to ``size`` bytes of spaces; with ``declared_small``,
    its headers claim the page is 100 bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        z.writestr("META-INF/container.xml", b'<container xmlns="urn:oasis:names:tc:'
                   b'opendocument:xmlns:container"><rootfiles><rootfile full-path="p.opf" '
                   b'media-type="application/oebps-package+xml"/></rootfiles></container>')
        z.writestr("p.opf", b'<package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
                   b'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>B'
                   b'</dc:title></metadata><manifest><item id="c" href="c.xhtml" '
                   b'media-type="application/xhtml+xml"/></manifest><spine><itemref '
                   b'idref="c"/></spine></package>')
        with z.open("c.xhtml", "w", force_zip64=True) as page:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                page.write(chunk)
    if declared_small:  # rewrite the sizes in the local header and the central directory
        data = bytearray(path.read_bytes())
        info = zipfile.ZipFile(path).getinfo("c.xhtml")
        data[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
        central = data.rfind(b"PK\x01\x02")
        data[central + 24:central + 28] = (100).to_bytes(4, "little")
        path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("declared_small", [False, True], ids=["declared", "lying-header"])
def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path, declared_small):
    path = bomb(tmp_path / "bomb.epub", declared_small)
    code = ("import resource, sys\nfrom audiobook.readers import read_file\n"
            "try:\n    read_file(sys.argv[1])\nexcept Exception as exc:\n    print(exc)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert len(out) == 2 and (("inflates to more than 32 MiB; refused" in out[0])
                              or "damaged EPUB" in out[0])
    assert int(out[1]) < 1536 * 1024  # KiB: well under 1.5 GB, whatever the page claims
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0


def test_a_listed_file_missing_from_the_book_is_skipped_and_said_once(tmp_path):
    pages = [Page("a.xhtml", "<p>Mara ran.</p>"), Page("ghost.xhtml", "<p>x</p>"),
             Page("ghost2.xhtml", "<p>y</p>"), Page("c.xhtml", "<p>Bo hid.</p>")]
    path = make_epub(tmp_path / "m.epub", pages, [Toc("A", "a.xhtml"), Toc("C", "c.xhtml")])
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist() if "ghost" not in n}
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    doc = read_file(path)
    assert doc.text == "Mara ran.\n\nBo hid.\n"
    assert doc.notes == ("2 file(s) the book lists are not in it (OEBPS/ghost.xhtml, "
                         "OEBPS/ghost2.xhtml); skipped",)


def test_an_href_out_of_the_book_is_a_missing_file_never_read(tmp_path):
    outside = tmp_path / "outside.xhtml"
    outside.write_text("<html><body><p>SECRET OUTSIDE</p></body></html>")
    pages = [Page("a.xhtml", "<p>Mara ran.</p>")]
    path = make_epub(tmp_path / "o.epub", pages, [Toc("A", "a.xhtml")], extra_manifest=(
        '<item id="out" href="../../outside.xhtml" media-type="application/xhtml+xml"/>'))
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    files["OEBPS/content.opf"] = files["OEBPS/content.opf"].replace(
        b'<itemref idref="a-xhtml"/>', b'<itemref idref="a-xhtml"/><itemref idref="out"/>')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    doc = read_file(path)
    assert "SECRET" not in doc.text and doc.text == "Mara ran.\n"


def test_a_package_that_is_not_xml_is_one_clear_error(tmp_path):
    path = one_page(tmp_path / "p.epub", "<p>Mara ran.</p>",
                    extra_files={"OEBPS/content.opf": b"<package><"})
    with pytest.raises(InputError, match=r"content.opf: not well-formed XML"):
        read_file(path)


def test_a_story_file_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    from audiobook.readers import base

    path = write(tmp_path, "big.txt", b"Mara ran.\n" * 1000)
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 5000)
    monkeypatch.setattr(base.read_bytes, "__defaults__", (5000,))
    with pytest.raises(InputError, match="story files over 0 MiB are refused"):
        read_file(path)
