"""Small EPUB 2 and EPUB 3 books for the tests, made from text written here.

``make_epub`` writes a real EPUB (the ``mimetype`` member first and stored, a container, a
package document, an EPUB 3 navigation document and/or an EPUB 2 NCX) from pages given as
XHTML bodies, so each test states exactly the structure it is about.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

XHTML = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
         'xml:lang="en">\n<head><title>{title}</title>{head}</head>\n'
         '<body{attrs}>\n{body}\n</body>\n</html>\n')


@dataclass
class Page:
    href: str  # relative to the package document, e.g. "text/ch1.xhtml"
    body: str  # the XHTML inside <body>
    id: str = ""
    linear: bool = True
    body_attrs: str = ""  # e.g. ' epub:type="frontmatter"'
    head: str = ""
    raw: bytes | None = None  # the whole file as is (malformed pages, hostile ones)

    def __post_init__(self) -> None:
        self.id = self.id or self.href.rsplit("/", 1)[-1].replace(".", "-")

    def data(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return XHTML.format(title=escape(self.id), head=self.head, attrs=self.body_attrs,
                            body=self.body).encode("utf-8")


@dataclass
class Toc:
    title: str
    href: str  # relative to the package document, "text/ch1.xhtml#part2"
    children: list[Toc] = field(default_factory=list)


def make_epub(path: Path, pages: list[Page], toc: list[Toc] | None = None, *, version: int = 3,
              title: str = "The Salt Road", creators=(("Jo Penn", "aut"),),
              language: str = "en", manifest_order: list[str] | None = None,
              cover: tuple[bytes, str] | None = None, cover_style: str | None = None,
              extra_metadata: str = "", extra_files: dict[str, bytes] | None = None,
              extra_manifest: str = "", landmarks: str = "", guide: str = "",
              nav: bool | None = None, ncx: bool | None = None, spine: list[str] | None = None,
              mimetype: bool = True) -> Path:
    """Write an EPUB ``version`` (2 or 3) to ``path`` and return it.

    ``spine``: page ids in reading order (default: the pages' order); ``manifest_order``: the
    order the manifest lists them in (default: the spine's). ``cover``: (image bytes, media
    type), declared the EPUB 3 way (``properties="cover-image"``), the EPUB 2 way
    (``<meta name="cover">``), or both (``cover_style``: "3", "2" or "both").
    """
    nav = version == 3 if nav is None else nav
    ncx = version == 2 if ncx is None else ncx
    toc = toc or []
    by_id = {p.id: p for p in pages}
    spine = spine or [p.id for p in pages]
    listed = manifest_order or spine + [p.id for p in pages if p.id not in spine]
    items = [f'<item id="{p.id}" href="{p.href}" media-type="application/xhtml+xml"/>'
             for p in (by_id[i] for i in listed)]
    files: dict[str, bytes] = {f"OEBPS/{p.href}": p.data() for p in pages}
    if nav:
        items.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
                     'properties="nav"/>')
        files["OEBPS/nav.xhtml"] = _nav(toc, landmarks).encode()
    if ncx:
        items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        files["OEBPS/toc.ncx"] = _ncx(toc, title).encode()
    cover_meta = ""
    if cover:
        style = cover_style or str(version)
        props = ' properties="cover-image"' if style in ("3", "both") else ""
        ext = "png" if cover[1] == "image/png" else cover[1].rsplit("/", 1)[-1].replace("+xml", "")
        items.append(f'<item id="cover-img" href="images/cover.{ext}" media-type="{cover[1]}"'
                     f'{props}/>')
        files[f"OEBPS/images/cover.{ext}"] = cover[0]
        if style in ("2", "both"):
            cover_meta = '<meta name="cover" content="cover-img"/>'
    nonlinear = ' linear="no"'
    refs = "".join(f'<itemref idref="{i}"{"" if by_id[i].linear else nonlinear}/>'
                   for i in spine)
    toc_attr = ' toc="ncx"' if ncx else ""
    people = "".join(_creator(n, name, role, version) for n, (name, role) in enumerate(creators))
    modified = ('<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>'
                if version == 3 else "")
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:identifier id="uid">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>
<dc:title>{escape(title)}</dc:title>{people}
<dc:language>{language}</dc:language>{modified}{cover_meta}{extra_metadata}
</metadata>
<manifest>{"".join(items)}{extra_manifest}</manifest>
<spine{toc_attr}>{refs}</spine>
{f"<guide>{guide}</guide>" if guide else ""}
</package>
"""
    files["OEBPS/content.opf"] = opf.encode()
    files["META-INF/container.xml"] = (
        b'<?xml version="1.0"?>\n<container version="1.0" '
        b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        b'<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        b'</rootfiles></container>')
    files.update(extra_files or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip",
                             compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _creator(n: int, name: str, role: str | None, version: int) -> str:
    if role is None:
        return f"<dc:creator>{escape(name)}</dc:creator>"
    if version == 2:
        return f'<dc:creator opf:role="{role}">{escape(name)}</dc:creator>'
    return (f'<dc:creator id="c{n}">{escape(name)}</dc:creator><meta refines="#c{n}" '
            f'property="role" scheme="marc:relators">{role}</meta>')


def _nav(toc: list[Toc], landmarks: str) -> str:
    def ol(entries: list[Toc]) -> str:
        return "<ol>" + "".join(
            f'<li><a href="{e.href}">{escape(e.title)}</a>{ol(e.children) if e.children else ""}'
            "</li>" for e in entries) + "</ol>"

    marks = (f'<nav epub:type="landmarks"><ol>{landmarks}</ol></nav>' if landmarks else "")
    return XHTML.format(title="Contents", head="", attrs="",
                        body=f'<nav epub:type="toc" id="toc"><h1>Contents</h1>{ol(toc)}</nav>'
                             f"{marks}")


def _ncx(toc: list[Toc], title: str) -> str:
    count = iter(range(1, 10_000))

    def points(entries: list[Toc]) -> str:
        out = []
        for e in entries:
            n = next(count)
            out.append(f'<navPoint id="np{n}" playOrder="{n}"><navLabel><text>{escape(e.title)}'
                       f'</text></navLabel><content src="{e.href}"/>{points(e.children)}'
                       "</navPoint>")
        return "".join(out)

    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head>'
            '<meta name="dtb:uid" content="urn:uuid:00000000-0000-4000-8000-000000000000"/>'
            "</head>"
            f"<docTitle><text>{escape(title)}</text></docTitle><navMap>{points(toc)}</navMap>"
            "</ncx>")


def png(width: int = 60, height: int = 90, colour=(40, 90, 120)) -> bytes:
    """A small PNG, for covers."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def archive_html(story: str, *, author: str = "saltmarsh_writer",
                 fandom: str = "Northern Crossing",
                 summary: str = "The last ferry of the season brings someone home.") -> str:
    """A fan-fiction archive's HTML download (laid out as Archive of Our Own lays one out) of
    a story in Markdown: ``# title``, ``## chapter`` headings, ``*italics*``, ``* * *`` scene
    breaks, and ``A/N:`` paragraphs before the first and after the last chapter, which become
    the work's notes and end notes."""
    blocks = [b.strip() for b in story.strip().split("\n\n")]
    title = blocks.pop(0).lstrip("# ").strip()
    notes = [b for b in blocks[:2] if b.startswith("A/N:")]
    end_notes = [b for b in blocks[-2:] if b.startswith("A/N:")]
    body = [b for b in blocks if b not in notes and b not in end_notes]

    def inline(text: str) -> str:
        text = escape(text, {'"': "&quot;"})
        return re.sub(r"\*([^*\n]+)\*", r"<em>\1</em>", text).replace("\n", "<br/>\n")

    def para(text: str) -> str:
        return f"<p>{inline(text.removeprefix('A/N:').strip())}</p>"

    chapters, current = [], None
    for b in body:
        if b.startswith("## "):
            current = [b[3:].strip(), []]
            chapters.append(current)
        elif b == "* * *":
            current[1].append('<p style="text-align: center;">* * *</p>')
        else:
            current[1].append(para(b))
    parts = [f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
<title>{escape(title)} - {escape(author)} - {escape(fandom)}</title>
<style type="text/css">.toc-heading {{ display: none; }}</style>
</head>
<body>
<div id="preface">
<h2 class="toc-heading">Preface</h2>
<p class="message"><b>{escape(title)}</b><br />Posted originally on the
<a href="https://archive.example/">Archive</a> at
<a href="https://archive.example/works/1">https://archive.example/works/1</a>.</p>
<div class="meta">
<dl class="tags">
<dt>Rating:</dt><dd><a class="tag" href="#">Teen And Up Audiences</a></dd>
<dt>Archive Warning:</dt><dd><a class="tag" href="#">No Archive Warnings Apply</a></dd>
<dt>Fandom:</dt><dd><a class="tag" href="#">{escape(fandom)}</a></dd>
<dt>Language:</dt><dd>English</dd>
<dt>Stats:</dt><dd>Published: 2026-11-30 Words: 2,480 Chapters: {len(chapters)}/{len(chapters)}</dd>
</dl>
<h1>{escape(title)}</h1>
<div class="byline">by <a rel="author" href="https://archive.example/users/x">{escape(author)}</a></div>
<p>Summary</p>
<blockquote class="userstuff"><p>{escape(summary)}</p></blockquote>
<p>Notes</p>
<blockquote class="userstuff">{"".join(para(n) for n in notes)}</blockquote>
<div class="endnote-link">See the end of the work for <a href="#endnotes">more notes</a></div>
</div>
</div>
<div id="chapters" class="userstuff">"""]
    for name, paragraphs in chapters:
        parts.append(f'<div class="meta group"><h2 class="heading">{escape(name)}</h2></div>'
                     f'<div class="userstuff">{"".join(paragraphs)}</div>')
    parts.append(f"""</div>
<div id="afterword">
<h2 class="toc-heading">Afterword</h2>
<div class="meta"><div id="endnotes"><p>End Notes</p>
<blockquote class="userstuff">{"".join(para(n) for n in end_notes)}</blockquote></div></div>
<p class="message">Please <a href="https://archive.example/works/1/comments/new">drop by
the Archive and comment</a> to let the creator know if you enjoyed their work!</p>
</div>
</body>
</html>
""")
    return "\n".join(parts)


def one_page(path: Path, body: str, **kwargs) -> Path:
    """An EPUB of one page (``a.xhtml``), its table of contents one entry."""
    return make_epub(path, [Page("a.xhtml", body)], [Toc("One", "a.xhtml")], **kwargs)
