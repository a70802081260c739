"""Plain text: decode it, then find its chapters (``Chapter 3`` lines), scenes, paragraphs and
a fan-fiction header.

Offsets in the returned Document index the decoded text exactly as Python's
``Path.read_text(encoding="utf-8")`` gives it (universal newlines, a BOM kept as U+FEFF),
so that ``text[start:end]`` of every span is what a scorer reading the same file sees.
Markdown (``markdown.py``) is this parser with its headings and front matter added.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..models import Chapter, Document, Paragraph
from .base import CHAPTER_RE, MAX_HEADING, SCENE_BREAK_RE, chapter_level, read_bytes

NAME = "plain text"

_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"ID3", b"RIFF",
                 b"\x1f\x8b", b"\x7fELF", b"OggS", b"fLaC")

def decode(data: bytes, path: object = None) -> str:
    """Bytes of a story file -> text with universal newlines, or one clear InputError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its BOM ('Unicode')
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError("not valid UTF-16 text", path=path) from None
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise InputError("this is a binary file, not a text story", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8",
            path=path,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip(" \t\n\ufeff"):
        raise InputError("the file is empty", path=path)
    return text


def sniff(head: bytes, path: Path) -> bool:
    """Anything that is not another format is read as plain text (or refused by ``decode``)."""
    return True


def read(path: Path) -> Document:
    return parse(decode(read_bytes(path), path), default_title=title_from_stem(path.stem))


def title_from_stem(stem: str) -> str:
    """A title made from a file name: ``the-long_walk`` -> ``The Long Walk``."""
    words = re.split(r"[-_\s]+", stem.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"


# What a fan-fiction header names (``Rating: T``), here and in an HTML download's table.
HEADER_KEYS = ("title", "author", "by", "summary", "rating", "pairing", "pairings", "genre",
                "genres", "words", "word count", "fandom", "fandoms", "characters", "status",
                "published", "updated", "language", "description", "warning", "warnings",
                "category", "categories", "chapters", "series", "year", "date")
_HEADER_LINE_RE = re.compile(r"^[ \t]*(" + "|".join(HEADER_KEYS) + r")[ \t]*:[ \t]*(\S.*?)[ \t]*$",
                             re.I | re.M)


def _story_header(text: str, start: int) -> tuple[int, dict[str, str]]:
    """A fan-fiction style header (``Title: …`` / ``Author: …`` lines) opening the story:
    where the story starts after it, and what it says."""
    m = re.compile(r"\A[ \t\n\ufeff]*((?:[^\n]+\n?)+)").match(text, start)
    if not m:
        return start, {}
    lines = m.group(1).rstrip("\n").split("\n")
    found = [_HEADER_LINE_RE.match(line) for line in lines]
    keys = {f.group(1).lower() for f in found if f}
    if not all(found) or len(found) < 2 or not keys & {"title", "author", "by"}:
        return start, {}
    meta = {f.group(1).lower(): f.group(2) for f in found}
    if "by" in meta:
        meta.setdefault("author", meta.pop("by"))
    return m.end(), meta


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each line from ``start`` on, without its newline."""
    out, pos = [], start
    for line in text[start:].split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\ufeff":
        a += 1
    while b > a and text[b - 1] in " \t":
        b -= 1
    return a, b


Heading = Callable[[str], "tuple[int, str] | None"]  # a line -> (level, title), or None


def _blocks(text: str, lines: list[tuple[int, int]], heading: Heading) -> list[tuple[int, int]]:
    """Paragraph candidates: runs of non-blank lines, or each line where blank lines are rare."""
    stripped = [_strip(text, a, b) for a, b in lines]
    filled = [i for i, (a, b) in enumerate(stripped) if a < b]
    nonblank = [stripped[i] for i in filled]
    # Blank lines that separate text; those before the first line or after the last do not.
    blank_count = (filled[-1] - filled[0] + 1 - len(filled)) if filled else 0
    if len(nonblank) > 10 and blank_count < len(nonblank) * 0.05:
        return nonblank  # one paragraph per line: a text exported without blank lines
    blocks, cur = [], None
    for a, b in lines:
        a, b = _strip(text, a, b)
        line = text[a:b]
        # A 'Chapter N' line (level 0) counts only where a paragraph would start; a marked-up
        # heading (Markdown's, level 1-6) and a scene break anywhere.
        alone = a < b and (SCENE_BREAK_RE.match(line)
                           or ((h := heading(line)) is not None and (h[0] > 0 or cur is None)))
        if a == b or alone:
            if cur:
                blocks.append(cur)
            cur = None
            if alone:
                blocks.append((a, b))
        elif cur is None:
            cur = (a, b)
        else:
            cur = (cur[0], b)
    if cur:
        blocks.append(cur)
    return blocks


def chapter_heading(line: str) -> tuple[int, str] | None:
    """(0, title) when the line is a chapter heading: 'Chapter 3', 'CHAPTER IV', 'Prologue'."""
    if len(line) <= MAX_HEADING and CHAPTER_RE.match(line):
        return 0, line.strip()
    return None


def parse(text: str, default_title: str = "Untitled", heading: Heading = chapter_heading,
          front_matter: Callable[[str], tuple[int, dict[str, str]]] | None = None) -> Document:
    """Split decoded text into chapters, scenes and paragraphs. ``heading`` tells a heading
    line; ``front_matter`` where the story starts after what it says of itself."""
    body_start, meta = front_matter(text) if front_matter else (0, {})
    body_start, header = _story_header(text, body_start)
    meta = {**header, **meta}
    blocks = _blocks(text, _lines(text, body_start), heading)
    headings = [(i, h[0], h[1]) for i, (a, b) in enumerate(blocks)
                if (h := heading(text[a:b])) is not None]
    level = chapter_level(headings)
    book_title = None
    if headings and headings[0][0] == 0 and headings[0][1] not in (level, 0):
        book_title = clean_title(headings[0][2])
    starts = {i: title for i, lvl, title in headings if lvl == level}
    heading_blocks = {i for i, _, _ in headings}

    chapters: list[Chapter] = []
    paragraphs: list[Paragraph] = []
    chapter, scene, scene_has_text = 0, 1, False
    chapter_starts: list[tuple[int, str]] = []
    for i, (a, b) in enumerate(blocks):
        line = text[a:b]
        if i in starts:
            chapter += 1
            if chapter > 1:
                scene, scene_has_text = 1, False
            # Text before the first heading (a book title, a disclaimer) opens chapter 1.
            chapter_starts.append((body_start if chapter == 1 else a, starts[i]))
        if i not in heading_blocks and SCENE_BREAK_RE.match(line):
            if scene_has_text:
                scene, scene_has_text = scene + 1, False
            continue
        paragraphs.append(Paragraph(a, b, max(chapter, 1), scene, i in heading_blocks))
        scene_has_text = scene_has_text or i not in heading_blocks
    if not chapter_starts:
        chapter_starts = [(body_start, book_title or meta.get("title") or default_title)]
    for n, (start, title) in enumerate(chapter_starts, 1):
        end = chapter_starts[n][0] if n < len(chapter_starts) else len(text)
        chapters.append(Chapter(start, end, n, clean_title(title)))
    return Document(
        text=text,
        title=meta.get("title") or book_title or default_title,
        author=meta.get("author"),
        meta=meta,
        chapters=tuple(chapters),
        paragraphs=tuple(paragraphs),
    )


def clean_title(title: str) -> str:
    """A title without Markdown emphasis marks."""
    return re.sub(r"[*_`]+", "", title).strip() or "Untitled"
