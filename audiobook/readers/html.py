"""HTML: one page, a story or a whole book, chapters from its headings.

A work downloaded from a fan-fiction archive (Archive of Our Own and those laid out like it)
opens with a preface (title, author, rating, warnings, fandom, tags, summary) that is
metadata and not read, carries work, chapter and end notes that are the author's notes (read
as narration, left out by ``--skip-notes``), and ends with an afterword ("Posted originally on
...") that is not read. ``annotate`` marks those parts on any page, so an EPUB's pages get the
same reading.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..models import Document
from . import markup
from .base import assemble, clean, heading_chapters, read_bytes
from .markup import ROLE, local, text_of
from .text import HEADER_KEYS, title_from_stem

NAME = "HTML"
SUFFIXES = (".html", ".htm", ".xhtml", ".xht")

_START_RE = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                       rb"(?:<!doctype\s+html|<html|<head|<body|<meta|<title)", re.I | re.S)
_NOTES_LABEL_RE = re.compile(r"^\W*(?:work |chapter |end |chapter end )?(notes?|summary)\W*$",
                             re.I)
_JUMP_RE = re.compile(r"^\W*\(?see the end of the (?:work|chapter) for (?:more )?notes\W*$", re.I)
_BY_RE = re.compile(r"^(.+?)\s+by\s+(\S.{0,80})$")
_TAG_KEYS = {"rating": "rating", "archive warning": "warnings", "archive warnings": "warnings",
             "category": "category", "categories": "category", "fandom": "fandom",
             "fandoms": "fandom", "relationship": "relationships",
             "relationships": "relationships", "character": "characters",
             "characters": "characters", "additional tags": "tags", "language": "language",
             "series": "series", "stats": "stats", "collections": "collections"}


def sniff(head: bytes, path: Path) -> bool:
    """A page that opens like HTML, or an .html file with tags in it."""
    return bool(_START_RE.match(head)) or (
        path.suffix.lower() in SUFFIXES and bool(re.search(rb"<(?:p|div|br|body)\b", head, re.I)))


def read(path: Path) -> Document:
    data = read_bytes(path)
    xml = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") or b"/1999/xhtml" in data[:2048]
    page = markup.parse_page(data, xml=xml)
    root = page.root
    meta = annotate(root)
    meta = {**_head(root), **meta}
    sheets = "\n".join(text_of(el) for el in root.iter() if local(el) == "style")
    italic, upright = markup.italic_classes(sheets)
    refs = {href[1:]: at for href, at in markup.noteref_targets(root) if href.startswith("#")}
    blocks, _ = markup.read_blocks(root, italic, upright, markup.note_bodies(root, refs))
    starts, book_title = heading_chapters(blocks, meta.get("title") or "")
    # The title an archive gives, else the one heading above the chapters, else the page's.
    title = meta.pop("title", None) or book_title or meta.pop("page_title", None)
    if title and not meta.get("author") and (m := _BY_RE.match(title)):
        title, meta["author"] = m.group(1), m.group(2)  # 'Title by Author'
    title = title or title_from_stem(path.stem)
    if starts[0][1] == "":
        starts[0] = (0, title)
    meta.pop("page_title", None)
    notes = ("entities that point outside the page were ignored",) if page.outside_entities else ()
    return assemble(blocks, starts, title=title, author=meta.get("author"), meta=meta,
                    notes=notes)


def _head(root) -> dict[str, str]:
    """Title, author and description from the page's <head>."""
    meta: dict[str, str] = {}
    for el in root.iter():
        tag = local(el)
        if tag == "title" and text_of(el) and "page_title" not in meta:
            meta["page_title"] = text_of(el)
        elif tag == "meta" and el.get("content"):
            name = (el.get("name") or el.get("property") or "").lower()
            key = {"author": "author", "dc.creator": "author", "description": "description",
                   "dc.title": "title", "og:title": "title", "dc.language": "language",
                   "citation_author": "author"}.get(name)
            if key:
                meta.setdefault(key, " ".join(el.get("content").split()))
        elif tag == "html" and el.get("lang"):
            meta.setdefault("language", el.get("lang"))
        elif tag == "body":
            break
    return meta


def annotate(root) -> dict[str, str]:
    """Mark a fan-fiction archive's parts on a page (``data-audiobook-role``): the preface and
    afterword are metadata, not read, but for the author's notes in them; notes anywhere
    (work, chapter, end notes) are notes. What the preface says is returned: title, author,
    summary (as the description) and the tags (rating, fandom, …)."""
    meta: dict[str, str] = {}
    framed = [el for el in root.iter() if el.get("id") in ("preface", "afterword")
              and any(_ARCHIVE_CLASSES & set((x.get("class") or "").split()) for x in el.iter())]
    for frame in framed:
        meta.update(_preface(frame))
        for el in frame.iter():
            el.set(ROLE, "skip")
    for label in list(root.iter()):
        if local(label) not in ("p", "h2", "h3", "h4", "b", "strong", "dt", "div"):
            continue
        text = text_of(label)
        if _JUMP_RE.match(text):
            label.set(ROLE, "skip")
            continue
        m = _NOTES_LABEL_RE.match(text) if len(text) < 30 else None
        body = _next_element(label) if m else None
        if body is None or local(body) not in ("blockquote", "div"):
            continue
        inside_frame = any(a in framed for a in label.iterancestors())
        if m.group(1).lower() == "summary" and inside_frame:
            meta.setdefault("description", text_of(body))
            continue
        for el in (label, body):  # a note: read as one, where it stood
            for x in el.iter():
                x.set(ROLE, "note")
            el.set(ROLE, "note")
        for a in label.iterancestors():  # lift the skip off the frames that hold it
            if a.get(ROLE) == "skip":
                a.set(ROLE, "frame")
    for el in root.iter():
        classes = set((el.get("class") or "").split())
        if local(el) in ("p", "div") and classes & {"message", "endnote-link"} or (
                framed and "byline" in classes):
            el.set(ROLE, "skip")
        elif local(el) in ("table", "dl") and el.get(ROLE) != "skip":
            meta.update(_header_table(el))
    return meta


def _header_table(el) -> dict[str, str]:
    """A table (or definition list) of ``Label: value`` rows naming what a fan-fiction header
    names (rating, genre, status, words, …): metadata, marked not to be read."""
    rows = []
    for row in el.iter():
        cells = [c for c in row if local(c) in ("td", "th")] if local(row) == "tr" else []
        if local(row) == "dt":
            cells = [row, _next_element(row)]
        if len(cells) >= 2 and cells[1] is not None:
            label = text_of(cells[0]).rstrip(":").strip().lower()
            rows.append((label, text_of(cells[1])))
    known = [(k, v) for k, v in rows if k in HEADER_KEYS]
    if len(rows) < 3 or len(known) < max(2, len(rows) // 2):
        return {}
    el.set(ROLE, "skip")
    meta = {_TAG_KEYS.get(k, k): v for k, v in known}
    if "summary" in meta:
        meta.setdefault("description", meta["summary"])
    return meta


# What an archive's preface and afterword are made of (a book's own preface has none).
_ARCHIVE_CLASSES = frozenset(("tags", "message", "byline", "endnote-link"))


def _next_element(el):
    nxt = el.getnext()
    while nxt is not None and not local(nxt):
        nxt = nxt.getnext()
    return nxt


def _preface(frame) -> dict[str, str]:
    """What an archive's preface says: title (its heading), author (rel=author links), tags."""
    meta: dict[str, str] = {}
    heading = next((el for el in frame.iter() if local(el) == "h1"), None)
    if heading is not None and text_of(heading):
        meta["title"] = text_of(heading)
    authors = [text_of(a) for a in frame.iter() if local(a) == "a" and a.get("rel") == "author"]
    if authors:
        meta["author"] = ", ".join(dict.fromkeys(authors))
    for dt in frame.iter():
        if local(dt) != "dt":
            continue
        key = _TAG_KEYS.get(text_of(dt).rstrip(":").strip().lower())
        dd = _next_element(dt)
        if key and dd is not None and local(dd) == "dd":
            meta[key] = text_of(dd)
    if "series" in meta:
        m = re.search(r"Part (\d+) of (.+)", meta["series"])
        if m:
            meta["series"], meta["series_index"] = clean(m.group(2)), m.group(1)
    return meta
