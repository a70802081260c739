"""(X)HTML pages -> Blocks. The only module that imports lxml.

Parsing is safe: no entity is resolved, no DTD loaded, nothing fetched, so a page can never
bring in a file from outside the book. XHTML is parsed as XML; a page that is not well-formed
is read as a browser reads it (lxml's HTML parser recovers what it can).

The walk keeps what a narrator reads: paragraphs and headings, ``<em>``/``<i>`` (and classes
a stylesheet sets in italics) as ``*…*``, ``<br/>`` as a line break, ``<hr/>`` and
ornament-only paragraphs as scene breaks, ``<blockquote>`` as a quotation. It leaves out what
no narrator reads: scripts and styles, images, navigation and tables of contents set in the
text, page-break markers, footnote and endnote bodies and their reference marks, and parts a
reader marked to skip. Elements are known by their EPUB 3 ``epub:type`` or ARIA ``role``,
else by the usual class and id names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..errors import InputError
from .base import SCENE_BREAK_RE, Block, chapter_line

OPS = "http://www.idpf.org/2007/ops"
ROLE = "data-audiobook-role"  # set by a reader: "skip", "note", "quote" (or "frame": none)

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details div dl dt figcaption footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup li main ol p pre section summary table tbody td tfoot th "
    "thead tr ul".split())
SKIP_TAGS = frozenset(
    "applet audio button canvas embed figure head iframe img input map math nav noscript object "
    "rp rt script select style svg template textarea title video".split())
ITALIC_TAGS = frozenset(("i", "em"))
# epub:type values (and ARIA doc- roles) of what is not read.
SKIP_TYPES = frozenset(
    "backlink bibliography copyright-page colophon cover endnote endnotes errata footnote "
    "footnotes halftitlepage imprint index landmarks loi lot lov noteref page-list pagebreak "
    "rearnote rearnotes titlepage toc toc-brief".split())
# The usual class and id names of the same, in books without semantics.
SKIP_NAME_RE = re.compile(
    r"^(?:page-?num(?:ber)?s?|pageno|page-?break|pg-?(?:header|footer|boilerplate|license)|"
    r"pgheader|pgfooter|pglicense|licen[cs]e|(?:foot|end)-?notes?|toc|table-?of-?contents|"
    r"title-?page|half-?title(?:-?page)?|copyright(?:-?page)?|imprint|colophon|caption|"
    r"fig(?:center|left|right)|illustration)$", re.I)
_BREAK_NAME_RE = re.compile(r"(?:scene|section|space|text|line)[-_]?break|^break$|transition|"
                            r"ornament|dinkus|separator", re.I)
_ORNAMENTS = set("*⁂❧☙✦✧✶✷✸✹✺✻✼✽❦♦♢◆◇○●•·※§~=#_-–—⸻⸺ \u00a0")
_MARK_RE = re.compile(r"^[\[(]?(?:\d{1,4}|[ivxlc]{1,6}|[a-z]|[*†‡§¶#]+)[\])]?$", re.I)
_NOTE_NAME_RE = re.compile(r"note|fn|ref", re.I)
_SPACE_RE = re.compile(r"[ \t\r\n\f\u00a0\u2007\u202f\u3000]+")
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u2060\ufeff]")
_WORD_RE = re.compile(r"\w")
_CONTENTS_RE = re.compile(r"^\W*(?:table of )?contents\W*$|^\W*list of illustrations\W*$", re.I)
OPEN, CLOSE, BREAK = "\x01", "\x02", "\x03"  # italics and <br/> while a block is built


def local(el) -> str:
    """An element's tag without namespace, lower case; "" for comments, PIs and entities."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def types(el) -> set[str]:
    """What an element says it is: its epub:type values and ARIA doc- role."""
    found = set((el.get(f"{{{OPS}}}type") or el.get("epub:type") or "").lower().split())
    found.update(r[4:] for r in (el.get("role") or "").lower().split() if r.startswith("doc-"))
    return found


def names(el) -> list[str]:
    """An element's class names and id."""
    return (el.get("class") or "").split() + ([el.get("id")] if el.get("id") else [])


def text_of(el) -> str:
    """All the text in an element, on one line."""
    return " ".join(_INVISIBLE_RE.sub("", "".join(el.itertext())).split())


# -- parsing --------------------------------------------------------------------------------

def parse_xml(data: bytes, where: object) -> etree._Element:
    """A package document, container or NCX: well-formed XML, or one clear InputError."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML ({exc.msg})", path=where) from None
    if root is None:
        raise InputError("empty XML document", path=where)
    return root


@dataclass
class Page:
    """A parsed page and what parsing it noticed."""

    root: etree._Element
    outside_entities: bool = False  # it declared entities pointing outside the book (ignored)


def parse_page(data: bytes, xml: bool = True) -> Page:
    """An (X)HTML page: as XML when it is well-formed, else as a browser would read it."""
    if xml:
        parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                                 huge_tree=False, remove_pis=True)
        try:
            root = etree.fromstring(data, parser)
            if root is not None:
                dtd = root.getroottree().docinfo.internalDTD
                outside = dtd is not None and any(
                    getattr(e, "system_url", None) for e in dtd.iterentities())
                return Page(root, outside)
        except etree.XMLSyntaxError:
            pass
    # The HTML parser knows no DTD: an internal subset would be read as text. Drop it, and
    # the references to what it declares (never resolved, whatever they point at).
    outside = False
    subset = _SUBSET_RE.search(data, 0, 65536)
    if subset:
        declared = re.findall(rb"<!ENTITY\s+(?:%\s*)?([\w.:-]+)", subset.group())
        outside = bool(re.search(rb"\b(?:SYSTEM|PUBLIC)\b", subset.group()))
        data = data[:subset.start()] + b"<!DOCTYPE html>" + data[subset.end():]
        for name in declared:
            data = data.replace(b"&" + name + b";", b"")
    parser = etree.HTMLParser(no_network=True, remove_pis=True, default_doctype=False,
                              encoding=_html_encoding(data))
    root = etree.fromstring(data, parser)
    if root is None:
        root = etree.fromstring(b"<html><body></body></html>", parser)
    return Page(root, outside)


_SUBSET_RE = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.I | re.S)


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)""")


def _html_encoding(data: bytes) -> str:
    """The page's encoding: its BOM, its declaration, else UTF-8 when it decodes as such,
    else Windows-1252 (what browsers assume)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    m = _XML_DECL_RE.match(data) or _CHARSET_RE.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        try:
            "".encode(name)
            return "cp1252" if name in ("iso-8859-1", "latin-1", "us-ascii") else name
        except LookupError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


# -- what is read ---------------------------------------------------------------------------

def italic_classes(css: str) -> tuple[set[str], set[str]]:
    """Class names a stylesheet sets in italics, and those it sets upright (calibre's books
    carry their italics as ``<span class="calibre7">``)."""
    italic, upright = set(), set()
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        m = re.search(r"font-style\s*:\s*(\w+)", body, re.I)
        if not m:
            continue
        into = italic if m.group(1).lower() in ("italic", "oblique") else upright
        for selector in selectors.split(","):
            found = re.fullmatch(r"\s*[a-z0-9]*\.([\w-]+)\s*", selector, re.I)
            if found:
                into.add(found.group(1))
    return italic, upright - italic


def noteref_targets(root) -> list[tuple[str, int]]:
    """The href of every footnote/endnote reference mark on a page (``#fn1``,
    ``notes.xhtml#n3``) and where the mark stands (its place among the page's elements): what
    a mark points at further on is a note body, not read in the flow."""
    return [(el.get("href"), n) for n, el in enumerate(root.iter())
            if local(el) == "a" and _is_noteref(el)]


def _is_noteref(a) -> bool:
    href = a.get("href") or ""
    if "#" not in href or href.startswith(("http:", "https:", "mailto:")):
        return False
    if "noteref" in types(a):
        return True
    mark = text_of(a)
    if not _MARK_RE.match(mark):
        return False
    if re.fullmatch(r"[\[(]?[*†‡§¶]+[\])]?", mark):
        return True  # a linked asterisk or dagger is a note's mark, whatever its markup
    parent = a.getparent()
    in_sup = (parent is not None and local(parent) == "sup") or any(
        local(c) == "sup" for c in a)
    return in_sup or any(_NOTE_NAME_RE.search(n) for n in names(a))


def skipped(el) -> bool:
    """Whether an element (and all in it) is left out of the reading."""
    tag = local(el)
    if tag in SKIP_TAGS or el.get(ROLE) == "skip" or el.get("hidden") is not None:
        return True
    if types(el) & SKIP_TYPES or (tag == "a" and _is_noteref(el)):
        return True
    if el.get(ROLE) is None and any(SKIP_NAME_RE.match(n) for n in names(el)):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("aria-hidden") == "true"


def note_bodies(root, refs: dict[str, int]) -> set:
    """The elements holding the notes that reference marks point at: ``refs`` maps each
    target id to the place of its mark on this page (-1: on an earlier page). Only a target
    after its mark is a note (a note's link back to its mark points before it). Where the id
    is on an inline anchor, the note's own block (``<aside>``, ``<li>``, ``<div>``, ``<p>``)."""
    found = set()
    for n, el in enumerate(root.iter()):
        if el.get("id") not in refs or refs[el.get("id")] >= n or not local(el):
            continue
        holder = el
        while local(holder) not in _NOTE_HOLDERS and holder.getparent() is not None:
            holder = holder.getparent()
        # Never more than a note: an id inline in a long passage stands for itself alone.
        found.add(holder if local(holder) in _NOTE_HOLDERS and len(text_of(holder)) < 3000
                  else el)
    return found


_NOTE_HOLDERS = frozenset("aside li dd dt div p td blockquote".split())


def read_blocks(root, italic: set[str] = frozenset(), upright: set[str] = frozenset(),
                notes: set = frozenset()) -> tuple[list[Block], dict[str, int]]:
    """A page's blocks, and the block each anchor (id) of the page falls in or before
    (an anchor after the last block: ``len(blocks)``)."""
    walker = _Walker(italic, upright, notes)
    body = next((el for el in root.iter() if local(el) == "body"), root)
    walker.walk(body, _Context())
    walker.flush()
    blocks = _drop_contents(walker.blocks)
    anchors: dict[str, int] = {}
    for i, block in enumerate(blocks):
        for name in block.ids:
            anchors.setdefault(name, i)
    for name in walker.ids:
        anchors.setdefault(name, len(blocks))
    return [b for b in blocks if b.kind != "mark"], anchors


_LISTS = frozenset(("table", "ul", "ol", "dl"))


def _contents(el) -> bool:
    """A table or list that is a table of contents: three or more links into the book, which
    carry most of its words (page numbers and 'Page' columns aside)."""
    links = [a for a in el.iter() if local(a) == "a" and a.get("href")
             and not re.match(r"^[a-z]+:", a.get("href"), re.I)]
    if len(links) < 3:
        return False
    linked = sum(len(re.findall(r"[^\W\d_]", text_of(a))) for a in links)
    return linked >= 0.6 * len(re.findall(r"[^\W\d_]", text_of(el)))


@dataclass
class _Context:
    heading: int = 0  # inside <hN>: N (a paragraph in a chapter's <header>: its level + 1)
    role: str | None = None
    italic: bool = False
    pre: bool = False
    link: bool = False  # inside a link to another place in the book


class _Walker:
    def __init__(self, italic, upright, notes) -> None:
        self.italic, self.upright, self.notes = set(italic), set(upright), notes
        self.blocks: list[Block] = []
        self.parts: list[tuple[str, bool]] = []  # (text, in a link) of the block being built
        self.ids: list[str] = []  # anchors waiting for the next block
        self.context = _Context()  # of the last text seen

    def walk(self, el, ctx: _Context) -> None:
        tag = local(el)
        block = tag in BLOCK_TAGS or tag == "hr"
        if block:
            self.flush()
        if el.get("id"):
            self.ids.append(el.get("id"))
        if tag == "br":
            self.parts.append((BREAK, ctx.link))
            return
        if tag == "hr":
            self.add(Block("", kind="break"))
            return
        inner = self._inner(el, tag, ctx)
        if inner.italic and not ctx.italic:
            self.parts.append((OPEN, ctx.link))
        if tag == "q":
            self.parts.append(("“", inner.link))
        if el.text:
            self._text(el.text, inner)
        for child in el:
            if not local(child):
                pass  # a comment, or an entity left unresolved
            elif local(child) in _LISTS and _contents(child):
                self.flush()
                self.add(Block("", kind="nav"))  # a contents table: not read, nor its heading
            elif not skipped(child) and child not in self.notes:
                self.walk(child, inner)
            elif local(child) not in BLOCK_TAGS:  # a page number's or note mark's anchors
                self.ids += [x.get("id") for x in child.iter() if x.get("id")]
            if child.tail:
                self._text(child.tail, inner)
        if tag == "q":
            self.parts.append(("”", inner.link))
        if inner.italic and not ctx.italic:
            self.parts.append((CLOSE, ctx.link))
        if block:
            self.flush(el)

    def _inner(self, el, tag: str, ctx: _Context) -> _Context:
        classes = set((el.get("class") or "").split())
        style = (el.get("style") or "").replace(" ", "").lower()
        italic = ctx.italic
        if tag in ITALIC_TAGS or classes & self.italic or "font-style:italic" in style:
            italic = True
        elif classes & self.upright or "font-style:normal" in style:
            italic = False
        heading = ctx.heading
        if tag in _HEADINGS:
            heading = int(tag[1])
        elif tag in ("header", "hgroup") and not heading:
            levels = [int(local(h)[1]) for h in el.iter() if local(h) in _HEADINGS]
            heading = min(levels) + 1 if levels else 0
        role = (el.get(ROLE) if el.get(ROLE) in ("note", "quote") else None) or (
            "quote" if tag == "blockquote" else None) or ctx.role
        href = el.get("href") or ""
        link = ctx.link or (tag == "a" and bool(href) and not re.match(r"^[a-z]+:", href, re.I))
        return _Context(heading, role, italic, ctx.pre or tag == "pre", link)

    def _text(self, text: str, ctx: _Context) -> None:
        self.context = ctx
        text = _INVISIBLE_RE.sub("", text)
        if ctx.pre:
            text = text.replace("\n", BREAK)
        self.parts.append((text, ctx.link))

    def add(self, block: Block) -> None:
        block.ids, self.ids = self.ids + block.ids, []
        self.blocks.append(block)

    def flush(self, el=None) -> None:
        """End the block being built: one or more paragraphs (a blank line made of two
        <br/>s parts them), a heading, or a scene break."""
        parts, self.parts = self.parts, []
        raw = "".join(t for t, _ in parts)
        if not raw.strip(" \t\n\r\f\u00a0" + BREAK + OPEN + CLOSE):
            if el is not None and any(_BREAK_NAME_RE.search(n) for n in names(el)):
                self.add(Block("", kind="break"))  # an empty <div class="scene-break">
            return
        ctx = self.context
        linked = sum(len(_WORD_RE.findall(t)) for t, link in parts if link)
        words = len(_WORD_RE.findall(raw))
        for text in _paragraphs(raw, ctx.heading > 0):
            if (not _WORD_RE.search(text) and set(text) <= _ORNAMENTS) or (
                    SCENE_BREAK_RE.match(text) and not ctx.heading):
                self.add(Block("", kind="break"))
            elif not ctx.heading and linked >= 0.8 * words > 0:
                self.add(Block(text, kind="nav"))  # a table of contents in the text
            elif ctx.heading:
                self.add(Block(text, "heading", min(ctx.heading, 6), ctx.role))
            elif chapter_line(text):
                self.add(Block(text, "heading", 7, ctx.role))
            else:
                self.add(Block(text, "p", 0, ctx.role))


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def _paragraphs(raw: str, heading: bool) -> list[str]:
    """A block's raw text as finished paragraphs: spaces collapsed, italics as ``*…*`` (never
    across a line break, never around bare spaces or punctuation), split at blank lines."""
    text = _SPACE_RE.sub(" ", raw)
    if heading:
        text = text.replace(BREAK, " ")
    # Spaces go outside the marks; runs that touch or only a space apart are one run.
    for _ in range(3):
        text = (text.replace(OPEN + " ", " " + OPEN).replace(" " + CLOSE, CLOSE + " ")
                .replace(BREAK + " ", BREAK).replace(" " + BREAK, BREAK))
    text = text.replace(CLOSE + OPEN, "").replace(CLOSE + " " + OPEN, " ")
    out, line, italic = [], [], False
    for ch in text + BREAK:
        if ch == BREAK:
            out.append(("".join(line) + (CLOSE if italic else "")).strip())
            line = [OPEN] if italic else []
        else:
            italic = {OPEN: True, CLOSE: False}.get(ch, italic)
            line.append(ch)
    paragraphs, current = [], []
    for line in out + [""]:
        line = re.sub(f"{OPEN}([^{OPEN}{CLOSE}]*){CLOSE}",
                      lambda m: f"*{m.group(1)}*" if _WORD_RE.search(m.group(1)) else m.group(1),
                      line).replace(OPEN, "").replace(CLOSE, "").strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraphs


def _drop_contents(blocks: list[Block]) -> list[Block]:
    """A table of contents set in the text (paragraphs that are all links into the book) is
    not read, nor the 'Contents' heading above it; anchors in them pass to what follows."""
    kept: list[Block] = []
    carry: list[str] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "nav" or (block.kind == "heading" and _CONTENTS_RE.match(block.text)
                                   and nxt is not None and nxt.kind == "nav"):
            carry += block.ids
            continue
        if carry:
            block.ids = carry + block.ids
            carry = []
        kept.append(block)
    if carry:
        kept.append(Block("", kind="mark", ids=carry))
    return kept
