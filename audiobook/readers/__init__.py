"""Story files -> Documents: one module per format behind one small interface (``base``).

The format is told by content first, by name only where content cannot tell: an EPUB (a zip
with an EPUB container), an HTML page, Markdown, plain text. Formats we cannot read (Kindle
books, PDF, Word documents) are named in one line that says how to convert them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import InputError
from ..models import Document
from . import epub, html, markdown, text
from .base import HEAD_BYTES

FORMATS = (epub, html, markdown, text)  # tried in this order; plain text takes the rest

_CONVERT = "convert it with calibre: ebook-convert {name} {target}"
# (what the file opens with, at which offset) -> what it is
_OTHERS = (
    ((b"BOOKMOBI", 60), "a Kindle book (MOBI/AZW/AZW3)"),
    ((b"TEXtREAd", 60), "a Mobipocket/PalmDOC book"),
    ((b"%PDF", 0), "a PDF"),
    ((b"{\\rtf", 0), "an RTF document"),
    ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0), "a Word 97-2003 document (DOC)"),
    ((b"AT&TFORM", 0), "a DjVu document"),
)
_ZIPPED = (("word/document.xml", "a Word document (DOCX)"),
           ("content.xml", "an OpenDocument text (ODT)"),
           ("iTunesMetadata.plist", "an Apple Books package"))


def read_file(path: str | Path) -> Document:
    """Read the story or book at ``path``, whatever its format, or raise one InputError."""
    path = Path(path)
    head = _head(path)
    _refuse_others(head, path)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: sniff what it says
        head = head[:len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
    fmt = next(f for f in FORMATS if f.sniff(head, path))
    if fmt is text and head.startswith(b"PK\x03\x04"):
        fmt = epub if epub.is_epub_zip(path) else _refuse_zip(path)
    document = fmt.read(path)
    body = document.text
    if not any(re.search(r"\w", body[p.start:p.end]) for p in document.paragraphs
               if not p.heading):
        raise InputError("there is no story in it to read (only headings, scene breaks or "
                         "front matter)", path=path)
    return document


def _head(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError("is a directory, not a story file", path=path)
        with path.open("rb") as stream:
            return stream.read(HEAD_BYTES)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None


def _refuse_others(head: bytes, path: Path) -> None:
    for (magic, offset), what in _OTHERS:
        if head[offset:offset + len(magic)] == magic:
            raise InputError(f"this is {what}, which audiobook cannot read; "
                             + _convert(path), path=path)


def _refuse_zip(path: Path):
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        raise InputError("a damaged zip archive (not a book audiobook can read)",
                         path=path) from None
    for member, what in _ZIPPED:
        if member in names:
            raise InputError(f"this is {what}, which audiobook cannot read; "
                             + _convert(path), path=path)
    raise InputError("a zip archive, but not an EPUB (it has no META-INF/container.xml)",
                     path=path)


def _convert(path: Path) -> str:
    return _CONVERT.format(name=_quoted(path.name), target=_quoted(path.stem + ".epub"))


def _quoted(name: str) -> str:
    return f'"{name}"' if re.search(r"[^\w.+-]", name) else name


__all__ = ["FORMATS", "read_file"]
