"""Markdown: plain text with ``#`` headings (chapters, and a book title above them) and YAML
front matter (title, author, summary, …) that is not read aloud. Emphasis (``*…*``) stays in
the text: the segmenter reads it for thoughts.

The format is told by content: a file with front matter or a ``#`` heading line is Markdown
whatever its name, and a ``.md`` file is Markdown even without them.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..models import Document
from . import text
from .base import MAX_HEADING, SCENE_BREAK_RE, read_bytes

NAME = "Markdown"
SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(\S.*?)[ \t]*#*[ \t]*$")
_FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HEADING_LINE_RE = re.compile(rb"^[ \t]*#{1,6}[ \t]+\S", re.M)


def sniff(head: bytes, path: Path) -> bool:
    return (path.suffix.lower() in SUFFIXES or bool(_FRONT_MATTER_RE.match(
        head.decode("utf-8", "replace").replace("\r\n", "\n"))) or bool(
        _HEADING_LINE_RE.search(head)))


def read(path: Path) -> Document:
    return parse(text.decode(read_bytes(path), path), default_title=text.title_from_stem(path.stem))


def parse(source: str, default_title: str = "Untitled") -> Document:
    """Split decoded Markdown into chapters, scenes and paragraphs."""
    return text.parse(source, default_title, heading=heading, front_matter=front_matter)


def heading(line: str) -> tuple[int, str] | None:
    """(level, title) of a heading line: ``#`` to ``######`` are levels 1-6, and a plain
    'Chapter N' line is level 0 as in plain text."""
    if len(line) > MAX_HEADING or SCENE_BREAK_RE.match(line):
        return None
    m = HEADING_RE.match(line)
    if m:
        return len(m.group(1)), m.group(2).strip()
    return text.chapter_heading(line)


def front_matter(source: str) -> tuple[int, dict[str, str]]:
    """Where the story starts after YAML-style front matter, and its simple ``key: value``s."""
    m = _FRONT_MATTER_RE.match(source)
    if not m:
        return 0, {}
    meta = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return m.end(), meta
