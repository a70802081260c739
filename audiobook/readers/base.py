"""The interface every reader implements, and what the markup readers share.

A format is a module of this package with:

    NAME: str                          the format's name, for people
    sniff(head: bytes, path) -> bool   whether a file opening with ``head`` is this format
    read(path) -> Document             the book, or one clear InputError

``readers.read_file`` tries the formats in turn. Plain text and Markdown keep the file's own
text as the Document's text; markup formats (HTML, EPUB) turn their pages into Blocks, and
``assemble`` lays the blocks out as the reading text (Markdown form) with its chapters, scenes
and paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..models import Chapter, Document, Paragraph

MAX_FILE_BYTES = 64 << 20  # a story file larger than this (no novel is) is refused
HEAD_BYTES = 64 << 10  # what sniffing looks at

# What every format shares: the lines that open a chapter or part a scene.
_NUMBER_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]?"
                r"(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six"
                r"|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
                r"|eighteen|nineteen|hundred)")
CHAPTER_RE = re.compile(
    rf"^(?i:chapter|ch\.)\s+(?i:\d+|[ivxlcdm]+|{_NUMBER_WORD})\b\.?"
    r"(?:\s*[:.\-–—]\s*\S.*|\s+[A-Z\"“'].*)?$"
    r"|^(?i:prologue|epilogue|interlude|afterword|foreword)\b(?:\s*[:.\-–—]\s*\S.*)?$"
)
SCENE_BREAK_RE = re.compile(
    r"^[ \t]*(?:(?:[*~=#•·_-][ \t]*){3,}|#|[oO0]+[O0]+[oO0]*|-?(?:[xX]-)+[xX]?-?)[ \t]*$"
)
MAX_HEADING = 100  # characters; a longer line is never a heading


def chapter_level(headings: list[tuple[int, int, str]]) -> int | None:
    """Which heading level starts chapters: the shallowest, unless it is only the book title."""
    levels = sorted({lvl for _, lvl, _ in headings})
    if not levels:
        return None
    top = levels[0]
    tops = [h for h in headings if h[1] == top]
    if len(tops) == 1 and len(levels) > 1 and headings[0] is tops[0]:
        return levels[1]
    return top


@dataclass
class Block:
    """One paragraph, heading or scene break of a page, its text in Markdown form
    (``*italics*``; a line break inside a paragraph is ``\\n``)."""

    text: str
    kind: str = "p"  # "p", "heading" or "break"
    level: int = 0  # a heading's: 1-6 from <h1>-<h6>, 7 for a 'Chapter N' paragraph
    role: str | None = None  # "note" (an author's note) or "quote" (a block quotation)
    ids: list[str] = field(default_factory=list)  # anchors in it (what a ToC points at)

    @property
    def body(self) -> bool:
        """Story text (not a heading, not a break)."""
        return self.kind == "p"


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, or one clear InputError (missing, a folder, unreadable, too large)."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError("is a directory, not a story file", path=path)
        with path.open("rb") as stream:  # no more than the limit, whatever the size says
            data = b"" if size > limit else stream.read(limit + 1)
        if size > limit or len(data) > limit:  # a pipe or a device ('/dev/zero') runs on
            raise InputError(f"is {max(size, len(data)) / (1 << 20):.0f} MiB or more; story "
                             f"files over {limit >> 20} MiB are refused", path=path)
        return data
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None


def clean(title: str) -> str:
    """A title on one line, without emphasis marks."""
    return " ".join(re.sub(r"[*_`]+", "", title).split())


def chapter_line(text: str) -> bool:
    """A paragraph that says only 'Chapter 3' / 'CHAPTER IV. The Road' / 'Prologue'."""
    return len(text) <= MAX_HEADING and "\n" not in text and bool(CHAPTER_RE.match(clean(text)))


def heading_chapters(blocks: list[Block], default_title: str
                     ) -> tuple[list[tuple[int, str]], str | None]:
    """Chapters from headings, for a book with no usable table of contents: (block index,
    title) of each, and the book's title when one heading stands above the chapters."""
    headings = [(i, b.level, b.text) for i, b in enumerate(blocks) if b.kind == "heading"]
    level = chapter_level(headings)
    book_title = None
    if headings and level is not None and headings[0][1] < level:
        book_title = clean(headings[0][2])
    starts = [(i, clean(title)) for i, lvl, title in headings if lvl == level]
    if not starts:
        return [(0, book_title or default_title)], book_title
    return [(0, starts[0][1])] + starts[1:], book_title  # what comes before opens chapter 1


def assemble(blocks: list[Block], starts: list[tuple[int, str]], *, title: str,
             author: str | None = None, meta: dict[str, str] | None = None,
             cover: bytes | None = None, notes: tuple[str, ...] = ()) -> Document:
    """The Document of a book in blocks: the reading text (paragraphs apart by a blank line,
    ``# headings``, ``* * *`` between scenes) and where its chapters, scenes and paragraphs
    lie. ``starts``: (block index, title) of each chapter, ascending, the first at 0."""
    begins = dict(starts)
    pieces: list[str] = []
    paragraphs: list[Paragraph] = []
    chapter_spans: list[tuple[int, str]] = []
    pos, chapter, scene, scene_has_text = 0, 0, 1, False
    for i, block in enumerate(blocks):
        if i in begins or chapter == 0:
            chapter += 1
            scene, scene_has_text = 1, False
            chapter_spans.append((pos, begins.get(i, title)))
        if block.kind == "break":
            piece = "* * *"
            if scene_has_text:
                scene, scene_has_text = scene + 1, False
        elif block.kind == "heading" and block.level <= 6:
            piece = "#" * block.level + " " + " ".join(block.text.split())
        else:
            piece = block.text
        if block.kind != "break":
            paragraphs.append(Paragraph(pos, pos + len(piece), chapter, scene,
                                        block.kind == "heading", block.role))
            scene_has_text = scene_has_text or block.body
        pieces.append(piece)
        pos += len(piece) + 2
    text = "\n\n".join(pieces) + "\n"
    chapters = tuple(Chapter(start, chapter_spans[n][0] if n < len(chapter_spans) else len(text),
                             n, clean(name) or "Untitled")
                     for n, (start, name) in enumerate(chapter_spans, 1))
    return Document(text=text, title=title, author=author, chapters=chapters,
                    paragraphs=tuple(paragraphs), meta=dict(meta or {}), cover=cover,
                    notes=tuple(notes))
