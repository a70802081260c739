"""The files a library server reads beside the audio: Audiobookshelf's ``metadata.json``,
``desc.txt`` and ``reader.txt``, and a calibre-style ``metadata.opf`` (Audiobookshelf,
Plex's audiobook agents and calibre all read it), so a book is shelved with the right title,
authors, narrators, series and chapters.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from .models import BookInfo

Track = tuple[float, str, list[tuple[str, int, int]]]  # (seconds, title, [(title, ms, ms)])


def chapters(tracks: list[Track]) -> list[dict]:
    """The book's chapters on one timeline: a file's own marks (one file with chapters), or
    one chapter a file, each starting where the files before it end."""
    out, at = [], 0.0
    for seconds, title, marks in tracks:
        if marks:
            out += [{"start": at + start / 1000, "end": at + end / 1000, "title": name}
                    for name, start, end in marks]
        else:
            out.append({"start": at, "end": at + seconds, "title": title})
        at += seconds
    return [{"id": n, "start": round(c["start"], 3), "end": round(c["end"], 3),
             "title": c["title"]} for n, c in enumerate(out)]


def series_name(book: BookInfo) -> str:
    """``Harbour Tales #2``, as Audiobookshelf writes a series and the book's place in it."""
    return f"{book.series} #{book.series_index}" if book.series_index else book.series


def audiobookshelf(book: BookInfo, tracks: list[Track]) -> dict:
    """Audiobookshelf's own ``metadata.json``, as it writes one when it keeps metadata with
    the item."""
    return {
        "tags": [], "chapters": chapters(tracks), "title": book.title, "subtitle": None,
        "authors": [book.author], "narrators": [book.narrator] if book.narrator else [],
        "series": [series_name(book)] if book.series else [], "genres": [book.genre],
        "publishedYear": book.year or None, "publishedDate": None,
        "publisher": book.publisher or None, "description": book.description or None,
        "isbn": None, "asin": None, "language": book.language, "explicit": False,
        "abridged": False,
    }


def opf(book: BookInfo) -> str:
    """A calibre-style OPF: ``dc:creator`` with ``opf:role`` ``aut`` and ``nrt``, and
    ``calibre:series`` and its index."""
    meta = [f"    <dc:title>{escape(book.title)}</dc:title>",
            f'    <dc:creator opf:role="aut">{escape(book.author)}</dc:creator>']
    if book.narrator:
        meta.append(f'    <dc:creator opf:role="nrt">{escape(book.narrator)}</dc:creator>')
    meta += [f"    <dc:language>{escape(book.language)}</dc:language>",
             f"    <dc:subject>{escape(book.genre)}</dc:subject>"]
    if book.year:
        meta.append(f"    <dc:date>{escape(book.year)}</dc:date>")
    if book.publisher:
        meta.append(f"    <dc:publisher>{escape(book.publisher)}</dc:publisher>")
    if book.description:
        meta.append(f"    <dc:description>{escape(book.description)}</dc:description>")
    if book.series:
        meta.append(f'    <meta name="calibre:series" content={quoteattr(book.series)}/>')
        if book.series_index:
            meta.append('    <meta name="calibre:series_index" '
                        f"content={quoteattr(book.series_index)}/>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="2.0">\n'
            '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:opf="http://www.idpf.org/2007/opf">\n'
            + "\n".join(meta) + "\n  </metadata>\n</package>\n")


def files(book: BookInfo, tracks: list[Track]) -> dict[str, str]:
    """Every sidecar, by file name, as text."""
    return {"metadata.json": json.dumps(audiobookshelf(book, tracks), indent=2,
                                        ensure_ascii=False) + "\n",
            "desc.txt": book.description + "\n" if book.description else "",
            "reader.txt": book.narrator + "\n" if book.narrator else "",
            "metadata.opf": opf(book)}
