"""EPUB 2 and EPUB 3: the book as its package document lays it out.

``META-INF/container.xml`` names the package document; its spine is the reading order (never
the manifest's), ``linear="no"`` items are not read. Chapters and their titles come from the
EPUB 3 navigation document's ``toc`` nav or the EPUB 2 NCX, entries pointing into the middle
of a file included; a book whose table of contents is missing or useless is cut at its
headings instead. Every entry that opens story text is a chapter (a part's entries nested
under it as much as the part's own); an entry whose stretch holds only headings (a part's
title page) opens the chapter after it rather than standing alone.

Not read: the cover, title and half-title pages, copyright and imprint pages, colophons,
tables of contents, indexes, note sections, and front matter the table of contents does not
list, unless it is a dedication, an epigraph, a foreword, a preface, an introduction or a
prologue. Pages are known by their ``epub:type`` (or role), the landmarks or guide, else by
the usual file, id and class names.

The zip is read member by member with a ceiling on what each may inflate to, and only names
inside the book are ever opened: a zip bomb is refused, a path out of the book is a missing
file, an encrypted (DRM) book is named as such.
"""

from __future__ import annotations

import base64
import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..errors import InputError
from ..models import Document
from . import html, markup
from .base import Block, assemble, clean, heading_chapters
from .text import title_from_stem

NAME = "EPUB"
PAGE_LIMIT = 32 << 20  # bytes a page (or the package) may inflate to
IMAGE_LIMIT = 32 << 20
TOTAL_LIMIT = 512 << 20  # all members read together
MAX_MEMBERS = 20_000

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
ENC = "http://www.w3.org/2001/04/xmlenc#"
PAGE_TYPES = ("application/xhtml+xml", "text/html", "application/xml", "text/xml")
# Font obfuscation (IDPF, Adobe) scrambles fonts only; anything else encrypting a page is DRM.
FONT_MANGLING = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")

WANTED_TYPES = frozenset(("dedication", "epigraph", "foreword", "preface", "introduction",
                          "prologue"))
_GUIDE_TYPES = {"title-page": "titlepage", "copyright-page": "copyright-page", "toc": "toc",
                "cover": "cover", "colophon": "colophon", "loi": "loi", "lot": "lot",
                "index": "index", "notes": "endnotes"}
_SKIP_FILE_RE = re.compile(
    r"^[\d_-]*(?:cover(?:page)?|title(?:[-_]?page)?|half-?title(?:page)?|copyright|"
    r"imprint|colophon|toc|contents|nav|navigation|uncopyright|licen[cs]e|endnotes|footnotes|"
    r"also-?by|backcover)(?:[-_.]?\d+)?$", re.I)
_SKIP_LABEL_RE = re.compile(
    r"^\W*(?:cover|title ?page|half ?title|copyright(?: page)?|imprint|colophon|"
    r"(?:table of )?contents|uncopyright|licen[cs]e|endnotes|footnotes)\W*$", re.I)
_WANTED_RE = re.compile(r"^\W*(dedication|epigraph|foreword|preface|introduction|prologue)\b",
                        re.I)


def sniff(head: bytes, path: Path) -> bool:
    """A zip whose first member is ``mimetype`` saying EPUB, or that has a container."""
    return head.startswith(b"PK\x03\x04") and (b"application/epub+zip" in head[:200]
                                                or b"META-INF/container.xml" in head)


def is_epub_zip(path: Path) -> bool:
    """A zip that holds an EPUB container (the slower, sure test)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "META-INF/container.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read(path: Path) -> Document:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError("a damaged EPUB (its zip directory cannot be read)", path=path) from None
    with archive:
        return _Book(archive, path).document()


@dataclass
class _Item:
    id: str
    href: str  # the member's name in the zip
    media_type: str
    properties: frozenset[str]


@dataclass
class _Entry:
    """A table of contents entry, nested ones flattened in order."""

    title: str
    href: str
    fragment: str


@dataclass
class _Page:
    item: _Item
    blocks: list[Block]
    anchors: dict[str, int]
    kind: str  # "read", "skip" or "wanted" (front matter a listener wants)
    label: str = ""  # what the table of contents calls it


class _Book:
    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive, self.path = archive, path
        self.infos = archive.infolist()
        if len(self.infos) > MAX_MEMBERS:
            raise InputError(f"an EPUB of {len(self.infos)} files; more than {MAX_MEMBERS} "
                             "is refused", path=path)
        self.names = {i.filename: i for i in self.infos}
        self.folded = {i.filename.lower(): i for i in self.infos}
        self.budget = TOTAL_LIMIT
        self.missing: list[str] = []
        self.notes: list[str] = []

    # -- the zip ------------------------------------------------------------------------

    def member(self, name: str, limit: int = PAGE_LIMIT) -> bytes | None:
        """A member's bytes (None when the book lacks it), inflated under ``limit``."""
        info = self.names.get(name) or self.folded.get(name.lower())
        if info is None:
            return None
        limit = min(limit, self.budget)
        if info.file_size > limit:
            raise self._bomb(name, limit)
        try:
            with self.archive.open(info) as stream:
                data = stream.read(limit + 1)
        except RuntimeError:  # a password-protected member
            raise InputError("this EPUB's files are encrypted (password or DRM); audiobook "
                             "reads DRM-free books only", path=self.path) from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InputError(f"a damaged EPUB: {name} cannot be inflated ({exc})",
                             path=self.path) from None
        if len(data) > limit:
            raise self._bomb(name, limit)
        self.budget -= len(data)
        return data

    def _bomb(self, name: str, limit: int) -> InputError:
        return InputError(f"{name} inflates to more than {limit >> 20} MiB; refused (a zip "
                          "bomb, or not a book)", path=self.path)

    def xml(self, name: str, what: str):
        data = self.member(name)
        if data is None:
            raise InputError(f"not a complete EPUB: its {what} ({name}) is missing",
                             path=self.path)
        return markup.parse_xml(data, f"{self.path}: {name}")

    # -- the package ----------------------------------------------------------------------

    def document(self) -> Document:
        if "META-INF/container.xml" not in self.names:
            raise InputError("a zip archive, but not an EPUB (it has no "
                             "META-INF/container.xml)", path=self.path)
        container = self.xml("META-INF/container.xml", "container")
        rootfile = next((r for r in container.iter(f"{{{CONTAINER}}}rootfile")
                         if "oebps-package" in (r.get("media-type") or "oebps-package")), None)
        if rootfile is None or not rootfile.get("full-path"):
            raise InputError("not a complete EPUB: its container names no package document",
                             path=self.path)
        self.opf_name = unquote(rootfile.get("full-path"))
        package = self.xml(self.opf_name, "package document")
        self.manifest = self._manifest(package)
        self._refuse_drm()
        meta = _metadata(package)
        spine = package.find(f"{{{OPF}}}spine")
        order = [] if spine is None else [
            (ref.get("idref"), (ref.get("linear") or "yes").lower() != "no")
            for ref in spine.iter(f"{{{OPF}}}itemref")]
        marked = self._landmarks(package)
        entries = self._toc(package, spine)
        labels: dict[str, str] = {}  # a page's name in the table of contents, where it has one
        for e in entries:
            labels[e.href] = e.title if labels.get(e.href, e.title) == e.title else ""
        pages = self._pages(order, marked, labels)
        if self.missing:
            shown = ", ".join(self.missing[:3]) + (", …" if len(self.missing) > 3 else "")
            self.notes.append(f"{len(self.missing)} file(s) the book lists are not in it "
                              f"({shown}); skipped")
        title = meta.pop("title", None) or title_from_stem(self.path.stem)
        blocks, starts = _chapters(pages, entries, title)
        if not any(b.body for b in blocks):
            raise InputError("there is no story in it to read (only front matter, notes or "
                             "pages it could not read)", path=self.path)
        cover = self._cover(package, meta)
        return assemble(blocks, starts, title=title, author=meta.get("author"), meta=meta,
                        cover=cover, notes=tuple(self.notes))

    def _href(self, base: str, href: str) -> tuple[str, str]:
        """(member name, fragment) of an href relative to the member ``base``."""
        path, _, fragment = href.partition("#")
        if not path:
            return base, unquote(fragment)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(path)))
        return ("" if joined.startswith("../") else joined.lstrip("/")), unquote(fragment)

    def _manifest(self, package) -> dict[str, _Item]:
        items = {}
        for el in package.iter(f"{{{OPF}}}item"):
            if el.get("id") and el.get("href"):
                items[el.get("id")] = _Item(el.get("id"), self._href(self.opf_name, el.get(
                    "href"))[0], (el.get("media-type") or "").lower(),
                    frozenset((el.get("properties") or "").split()))
        return items

    def _refuse_drm(self) -> None:
        if "META-INF/encryption.xml" not in self.names:
            return
        try:
            root = markup.parse_xml(self.member("META-INF/encryption.xml") or b"", self.path)
        except InputError:
            return
        pages = {i.href for i in self.manifest.values() if i.media_type in PAGE_TYPES}
        for data in root.iter(f"{{{ENC}}}EncryptedData"):
            method = data.find(f"{{{ENC}}}EncryptionMethod")
            algorithm = method.get("Algorithm") if method is not None else ""
            ref = data.find(f".//{{{ENC}}}CipherReference")
            uri = unquote(ref.get("URI") or "") if ref is not None else ""
            if uri in pages or (algorithm not in FONT_MANGLING and not _is_font(uri)):
                raise InputError("this EPUB is DRM-protected (its text is encrypted); "
                                 "audiobook reads DRM-free books only", path=self.path)

    def _landmarks(self, package) -> dict[str, set[str]]:
        """What the landmarks nav (EPUB 3) or the guide (EPUB 2) says each file is."""
        marked: dict[str, set[str]] = {}
        for ref in package.iter(f"{{{OPF}}}reference"):
            kind = _GUIDE_TYPES.get((ref.get("type") or "").lower())
            if kind and ref.get("href") and "#" not in ref.get("href"):
                marked.setdefault(self._href(self.opf_name, ref.get("href"))[0], set()).add(kind)
        nav = self.nav
        if nav is not None:
            root, name = nav
            for el in root.iter():
                if markup.local(el) == "nav" and "landmarks" in markup.types(el):
                    for a in el.iter():
                        if markup.local(a) == "a" and "#" not in (a.get("href") or "#"):
                            marked.setdefault(self._href(name, a.get("href"))[0], set()).update(
                                markup.types(a))
        return marked

    @functools.cached_property
    def nav(self):
        """The EPUB 3 navigation document's root and name, or None (an EPUB 2)."""
        item = next((i for i in self.manifest.values() if "nav" in i.properties), None)
        data = self.member(item.href) if item else None
        return None if data is None else (markup.parse_page(data).root, item.href)

    # -- the table of contents ------------------------------------------------------------

    def _toc(self, package, spine) -> list[_Entry]:
        entries: list[_Entry] = []
        nav = self.nav
        if nav is not None:
            root, name = nav
            navs = [el for el in root.iter() if markup.local(el) == "nav"]
            toc = next((n for n in navs if "toc" in markup.types(n)), None)
            if toc is not None:
                top = next((c for c in toc.iter() if markup.local(c) == "ol"), None)
                if top is not None:
                    self._nav_entries(top, name, entries)
        if not entries and spine is not None and spine.get("toc") in self.manifest:
            ncx_name = self.manifest[spine.get("toc")].href
            data = self.member(ncx_name)
            if data is not None:
                try:
                    root = markup.parse_xml(data, f"{self.path}: {ncx_name}")
                except InputError:
                    self.notes.append("the NCX table of contents is not well-formed; "
                                      "chapters come from headings")
                else:
                    nav_map = root.find(f"{{{NCX}}}navMap")
                    if nav_map is not None:
                        self._ncx_entries(nav_map, ncx_name, entries)
        return entries

    def _nav_entries(self, ol, base: str, out: list[_Entry]) -> None:
        for li in ol:
            if markup.local(li) != "li":
                continue
            label = next((c for c in li if markup.local(c) in ("a", "span")), None)
            if label is not None and label.get("href"):
                name, fragment = self._href(base, label.get("href"))
                out.append(_Entry(markup.text_of(label), name, fragment))
            for sub in li:
                if markup.local(sub) == "ol":
                    self._nav_entries(sub, base, out)

    def _ncx_entries(self, parent, base: str, out: list[_Entry]) -> None:
        for point in parent.iterchildren(f"{{{NCX}}}navPoint"):
            text = point.find(f"{{{NCX}}}navLabel/{{{NCX}}}text")
            content = point.find(f"{{{NCX}}}content")
            if content is not None and content.get("src"):
                name, fragment = self._href(base, content.get("src"))
                out.append(_Entry(" ".join("".join(text.itertext()).split())
                                  if text is not None else "", name, fragment))
            self._ncx_entries(point, base, out)

    # -- the pages --------------------------------------------------------------------------

    def _pages(self, order, marked: dict[str, set[str]], labels: dict[str, str]) -> list[_Page]:
        items = []
        for idref, linear in order:
            item = self.manifest.get(idref)
            if item is None or not linear or item.media_type not in PAGE_TYPES:
                continue
            data = self.member(item.href)
            if data is None:
                self.missing.append(item.href)
                continue
            items.append((item, markup.parse_page(data)))
        if any(page.outside_entities for _, page in items):
            self.notes.append("entities that point outside the book were ignored")
        css = self._stylesheets()
        italic, upright = markup.italic_classes(css)
        marks = [(n, self._href(item.href, href), at) for n, (item, page) in enumerate(items)
                 for href, at in markup.noteref_targets(page.root)]
        pages = []
        for n, (item, page) in enumerate(items):
            label = labels.get(item.href, "")
            kind = _kind(page.root, item.href, marked.get(item.href, set()), label)
            if kind == "skip":
                pages.append(_Page(item, [], {}, kind, label))
                continue
            # A note is what a mark on this page, or on an earlier one, points at.
            refs = {fragment: at if m == n else -1 for m, (name, fragment), at in marks
                    if name == item.href and fragment and m <= n}
            html.annotate(page.root)
            blocks, anchors = markup.read_blocks(page.root, italic, upright,
                                                 markup.note_bodies(page.root, refs))
            pages.append(_Page(item, blocks, anchors, kind, label))
        return pages

    def _stylesheets(self) -> str:
        sheets = []
        for item in self.manifest.values():
            if item.media_type == "text/css":
                data = self.member(item.href, 4 << 20)
                if data:
                    sheets.append(data.decode("utf-8", "replace"))
        return "\n".join(sheets)

    def _cover(self, package, meta: dict[str, str]) -> bytes | None:
        items = list(self.manifest.values())
        item = next((i for i in items if "cover-image" in i.properties), None)
        if item is None:
            ref = next((m.get("content") for m in package.iter(f"{{{OPF}}}meta")
                        if (m.get("name") or "").lower() == "cover"), None)
            item = self.manifest.get(ref or "") or next(
                (i for i in items if ref and i.href.endswith(ref)), None)
        if item is None:
            item = next((i for i in items if i.media_type.startswith("image/")
                         and "cover" in (i.id + i.href).lower()), None)
        if item is None:
            return None
        data = self.member(item.href, IMAGE_LIMIT)
        if data is None:
            self.notes.append(f"the cover image ({item.href}) is not in the book")
        elif item.media_type == "image/svg+xml":
            return self._picture_in(data, item.href) or data
        return data

    def _picture_in(self, svg: bytes, name: str) -> bytes | None:
        """The raster picture an SVG cover is drawn over (Standard Ebooks embed it as a data
        URI; others link a file of the book), or None for a cover that is vector only."""
        try:
            root = markup.parse_xml(svg, name)
        except InputError:
            return None
        image = next((el for el in root.iter() if markup.local(el) == "image"), None)
        href = "" if image is None else (
            image.get("{http://www.w3.org/1999/xlink}href") or image.get("href") or "")
        if href.startswith("data:"):
            head, _, payload = href.partition(",")
            try:
                return base64.b64decode(payload) if head.endswith(";base64") else None
            except ValueError:
                return None
        return self.member(self._href(name, href)[0], IMAGE_LIMIT) if href else None


def _is_font(uri: str) -> bool:
    return uri.lower().endswith((".otf", ".ttf", ".woff", ".woff2"))


def _kind(root, href: str, marked: set[str], label: str) -> str:
    """Whether a page is read, skipped, or front matter a listener wants."""
    body = next((el for el in root.iter() if markup.local(el) == "body"), root)
    sections = [c for c in body if markup.local(c) in ("section", "div", "article")]
    said = set(markup.types(body)) | marked
    if sections and all(markup.types(s) & markup.SKIP_TYPES for s in sections) and all(
            markup.text_of(c) == "" for c in body if c not in sections):
        said |= set.union(*(markup.types(s) for s in sections))
    elif len(sections) == 1:
        said |= markup.types(sections[0])
    stem = posixpath.splitext(posixpath.basename(href))[0]
    named = [stem] + markup.names(body) + [n for s in sections[:1] for n in markup.names(s)]
    if said & WANTED_TYPES or any(_WANTED_RE.match(n) for n in named):
        return "wanted"
    if said & markup.SKIP_TYPES or _SKIP_LABEL_RE.match(label) or any(
            _SKIP_FILE_RE.match(n) for n in named):
        return "skip"
    return "read"


def _chapters(pages: list[_Page], entries: list[_Entry], book_title: str
              ) -> tuple[list[Block], list[tuple[int, str]]]:
    """The blocks to read and where each chapter starts: (block index, title)."""
    read = [p for p in pages if p.kind != "skip"]
    offsets, blocks = {}, []
    for page in read:
        offsets[page.item.href] = len(blocks)
        blocks += page.blocks
    anchors = {page.item.href: page.anchors for page in read}
    found: dict[int, str] = {}
    for e in entries:
        if e.href not in offsets:
            continue  # a page not read (a title page, the notes) or not in the spine
        at = anchors[e.href].get(e.fragment) if e.fragment else 0
        if at is not None and offsets[e.href] + at < len(blocks):
            found[offsets[e.href] + at] = clean(e.title)  # the later (deeper) one at one place
    starts = sorted(found.items())
    if not starts or (len(starts) == 1 and len(heading_chapters(blocks, book_title)[0]) > 2):
        return _drop_trailing(blocks), heading_chapters(blocks, book_title)[0]
    keep = [False] * starts[0][0] + [True] * (len(blocks) - starts[0][0])
    chapters: list[tuple[int, str]] = []
    # Before the first entry: front matter a listener wants, each its own chapter; the rest
    # (a title page without semantics, a book's own contents) is not read.
    for page in read:
        at, end = offsets[page.item.href], min(starts[0][0], offsets[page.item.href]
                                               + len(page.blocks))
        if page.kind == "wanted" and any(b.body for b in blocks[at:end]):
            heading = next((b.text for b in blocks[at:end] if b.kind == "heading"), None)
            chapters.append((at, clean(heading or page.label or _kind_name(page))))
            keep[at:end] = [True] * (end - at)
    # An entry that names what is not read ('Contents'), or the book itself over a few lines
    # (a title page), is not read either.
    story = [any(b.body and b.role != "note" for b in blocks[i:end])
             for (i, _), end in zip(starts, [s for s, _ in starts[1:]] + [len(blocks)])]
    for n, (i, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        words = sum(len(b.text.split()) for b in blocks[i:end] if b.body)
        if _SKIP_LABEL_RE.match(title) or (
                len(_key(title)) > 3 and _key(book_title).startswith(_key(title))
                and words < 150 and any(story[n + 1:])):
            keep[i:end] = [False] * (end - i)
        else:
            chapters.append((i, title))
    # An entry whose stretch holds only headings (a part's title page) or the author's notes
    # opens the next one.
    chapters.sort()
    merged: list[tuple[int, str, bool]] = []
    for n, (i, title) in enumerate(chapters):
        end = chapters[n + 1][0] if n + 1 < len(chapters) else len(blocks)
        at = merged.pop()[0] if merged and merged[-1][2] else i
        merged.append((at, title, not any(b.body and b.role != "note" and keep[k]
                                           for k, b in enumerate(blocks[i:end], i))))
    if len(merged) > 1 and merged[-1][2]:
        merged.pop()  # the end notes after the last chapter close it
    index = [0] * (len(blocks) + 1)  # old block index -> new
    for k, kept in enumerate(keep):
        index[k + 1] = index[k] + kept
    blocks = [b for b, kept in zip(blocks, keep) if kept]
    starts = list(dict(((index[i], t) for i, t, _ in merged)).items())
    _mark_titles(blocks, starts)
    blocks = _drop_trailing(blocks)
    return blocks, [(i, t) for i, t in starts if i < len(blocks)]


def _key(text: str) -> str:
    """Text compared without case, spaces or punctuation: 'D R A C U L A' is 'Dracula'."""
    return re.sub(r"\W+", "", clean(text)).lower()


def _kind_name(page: _Page) -> str:
    m = _WANTED_RE.match(posixpath.basename(page.item.href))
    return m.group(1).title() if m else "Front Matter"


def _mark_titles(blocks: list[Block], starts: list[tuple[int, str]]) -> None:
    """A chapter's opening paragraph that says its title is its heading (read once)."""
    for i, title in starts:
        for block in blocks[i:i + 3]:
            if block.body and _key(block.text) == _key(title):
                block.kind, block.level = "heading", 7
            if block.body:
                break


def _drop_trailing(blocks: list[Block]) -> list[Block]:
    """Headings with no story after them at the book's end (a 'Notes' page emptied) go."""
    end = len(blocks)
    while end and not blocks[end - 1].body:
        end -= 1
    return blocks[:end]


def _metadata(package) -> dict[str, str]:
    """Title, author(s) (role ``aut`` first), language, description, date and year, publisher,
    series and its index, from the package's metadata."""
    md = package.find(f"{{{OPF}}}metadata")
    if md is None:
        return {}
    refines: dict[str, dict[str, str]] = {}
    for m in md.iter(f"{{{OPF}}}meta"):
        if m.get("refines") and m.get("property"):
            refines.setdefault(m.get("refines").lstrip("#"), {})[m.get("property")] = (
                (m.text or "").strip())

    def values(tag: str) -> list:
        return [el for el in md.iter(f"{{{DC}}}{tag}") if (el.text or "").strip()]

    meta: dict[str, str] = {}
    titles = values("title")
    main = [t for t in titles if refines.get(t.get("id") or "", {}).get("title-type") == "main"]
    if titles:
        meta["title"] = " ".join((main or titles)[0].text.split())
    creators = values("creator")

    def role(el) -> str:
        return (el.get(f"{{{OPF}}}role") or refines.get(el.get("id") or "", {}).get("role")
                or "").lower()

    authors = [c for c in creators if role(c) == "aut"] or [c for c in creators if not role(c)]
    if authors or creators:
        meta["author"] = ", ".join(dict.fromkeys(" ".join(c.text.split())
                                                 for c in authors or creators[:1]))
    for tag in ("language", "publisher"):
        if values(tag):
            meta[tag] = values(tag)[0].text.strip()
    if values("description"):
        meta["description"] = _plain(values("description")[0].text)
    dates = values("date")
    published = [d for d in dates if (d.get(f"{{{OPF}}}event") or "publication") == "publication"]
    if published or dates:
        meta["date"] = (published or dates)[0].text.strip()
        year = re.match(r"\d{4}", meta["date"])
        if year:
            meta["year"] = year.group()
    for m in md.iter(f"{{{OPF}}}meta"):
        name = (m.get("name") or "").lower()
        if name == "calibre:series" and m.get("content"):
            meta.setdefault("series", m.get("content").strip())
        elif name == "calibre:series_index" and m.get("content"):
            meta.setdefault("series_index", _index(m.get("content")))
        elif m.get("property") == "belongs-to-collection" and (m.text or "").strip():
            about = refines.get(m.get("id") or "", {})
            if about.get("collection-type", "series") == "series":
                meta.setdefault("series", m.text.strip())
                if about.get("group-position"):
                    meta.setdefault("series_index", _index(about["group-position"]))
    return meta


def _index(value: str) -> str:
    """'2.0' -> '2', '1.5' stays."""
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value


def _plain(text: str) -> str:
    """A description without its HTML (calibre stores it marked up)."""
    import html as entities

    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", text)).split())
