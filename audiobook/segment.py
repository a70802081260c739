"""Text -> Segments: narration, dialogue and thought, each with its speaker. Pure, no I/O.

A paragraph is cut into quotes (straight or curly double quotes), marked thoughts
(``*…*`` / ``_…_`` that read as a character's inner voice) and the narration between them.
An unclosed quote ends at its paragraph's end; when the next paragraph opens with a quote,
that is the same speech carried on. Speakers come from the sieve in ``attribution``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .attribution import THOUGHT_VERBS, Attributor, Utterance, find_characters
from .models import Character, Document, Kind, Paragraph, Segment

OPEN_QUOTES = '"“'
CLOSE_QUOTES = '"”'
_EMPHASIS_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"
                          r"|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_PERSONAL_RE = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|me|my|mine|myself|we|us|"
                          r"our|you|your|yourself)\b", re.I)
_THOUGHT_TAG_RE = re.compile(r"\b(?:" + "|".join(THOUGHT_VERBS) + r")\b")
_SPEAKABLE_RE = re.compile(r"\w")


@dataclass(frozen=True)
class Segmentation:
    segments: tuple[Segment, ...]
    characters: tuple[Character, ...]


def find_quotes(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool]:
    """Quote spans (marks included) in text[start:end], and whether the last one is unclosed."""
    spans, opened = [], None
    for i in range(start, end):
        ch = text[i]
        if opened is None:
            if ch in OPEN_QUOTES:
                opened = i
        elif ch in CLOSE_QUOTES:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, end))
    return spans, opened is not None


def find_thoughts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Emphasised runs that read as inner voice: first/second person, or tagged 'thought'."""
    out = []
    for m in _EMPHASIS_RE.finditer(text, start, end):
        inner = m.group(1) or m.group(2)
        tail = text[m.end():min(end, m.end() + 40)]
        if len(inner.split()) >= 2 and (_PERSONAL_RE.search(inner) or _THOUGHT_TAG_RE.search(tail)):
            out.append((m.start(), m.end()))
    return out


def _pieces(text: str, p: Paragraph) -> tuple[list[tuple[int, int, Kind]], bool]:
    """A paragraph as ordered (start, end, kind) pieces covering its text, and if it ends open."""
    quotes, open_end = find_quotes(text, p.start, p.end)
    marked = [(a, b, Kind.DIALOGUE) for a, b in quotes]
    cursor = p.start
    for a, b in quotes + [(p.end, p.end)]:
        marked += [(x, y, Kind.THOUGHT) for x, y in find_thoughts(text, cursor, a)]
        cursor = b
    marked.sort()
    pieces, cursor = [], p.start
    for a, b, kind in marked:
        if a > cursor:
            pieces.append((cursor, a, Kind.NARRATION))
        pieces.append((a, b, kind))
        cursor = b
    if cursor < p.end:
        pieces.append((cursor, p.end, Kind.NARRATION))
    return _tidy(text, pieces), open_end


def _tidy(text: str, pieces: list[tuple[int, int, Kind]]) -> list[tuple[int, int, Kind]]:
    """Trim narration of spaces; fold runs with nothing to say ('.', ', ') into a neighbour."""
    out: list[tuple[int, int, Kind]] = []
    for a, b, kind in pieces:
        if kind is Kind.NARRATION:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a == b:
                continue
            if not _SPEAKABLE_RE.search(text[a:b]) and out:
                pa, _, pk = out[-1]
                out[-1] = (pa, b, pk)
                continue
        out.append((a, b, kind))
    return out


def segment(doc: Document, known: dict[str, tuple[str, ...]] | None = None) -> Segmentation:
    """Segment a read Document. ``known`` maps cast names to their aliases (from voices.yaml)."""
    text = doc.text
    layout, open_prev = [], False
    for index, p in enumerate(doc.paragraphs):
        if p.heading:
            layout.append((index, p, [(p.start, p.end, Kind.NARRATION)], False))
            open_prev = False
            continue
        pieces, open_end = _pieces(text, p)
        starts_quote = bool(pieces) and pieces[0][2] is Kind.DIALOGUE and pieces[0][0] == p.start
        layout.append((index, p, pieces, open_prev and starts_quote))
        open_prev = open_end

    utterances: dict[tuple[int, int], Utterance] = {}
    narration: list[tuple[int, int]] = []
    for index, p, pieces, continued in layout:
        first = True
        for k, (a, b, kind) in enumerate(pieces):
            if kind is Kind.NARRATION:
                narration.append((a, b))
                continue
            before = text[pieces[k - 1][0]:a] if k and pieces[k - 1][2] is Kind.NARRATION else ""
            after = (text[b:pieces[k + 1][1]]
                     if k + 1 < len(pieces) and pieces[k + 1][2] is Kind.NARRATION else "")
            utterances[(a, b)] = Utterance(a, b, index, before, after, continued and first, first)
            first = False

    characters = find_characters(text, narration, list(utterances.values()), known)
    attributor = Attributor(text, characters)
    segments: list[Segment] = []
    for index, p, pieces, _ in layout:
        for a, b, kind in pieces:
            speaker = None
            if kind is Kind.NARRATION:
                attributor.see(a, b)
            else:
                speaker = attributor.attribute(utterances[(a, b)])
            segments.append(Segment(a, b, kind, speaker, text[a:b], p.chapter, p.scene, index,
                                    p.heading))
    return Segmentation(tuple(segments), tuple(characters))
