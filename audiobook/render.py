"""Segments + cast + engine -> clips: each segment spoken by its voice.

A segment of several sentences is spoken a sentence at a time, with the sentence pause of
the cast file between them, so every pause in the book is one the user can set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from .engines import Engine
from .models import Clip, Segment, Treatment, Voice

_MARKUP_RE = re.compile(r"^#{1,6}\s+|[*_`]+|<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
_SPEAKABLE_RE = re.compile(r"\w")
# A sentence ends at . ! ? or … (and any closing quotes) before a space and a capital or a
# quote; not after a title such as Mr. or a single initial.
_SENTENCE_END_RE = re.compile(r"(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Mt))(?<!\bMrs)(?<!\b[A-Z])"
                              r"(?:[.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def spoken_text(segment: Segment) -> str:
    """What the voice reads: the segment's text without markup, on one line."""
    return _SPACE_RE.sub(" ", _MARKUP_RE.sub("", segment.text)).strip()


def speakable(segment: Segment) -> bool:
    return bool(_SPEAKABLE_RE.search(segment.text))


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (each keeps its punctuation)."""
    out, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if _SPEAKABLE_RE.search(s)]


def render(segments: Iterable[Segment],
           rendition: Callable[[Segment], tuple[Voice, Treatment]], engine: Engine,
           sentence_pause_ms: int = 350, on_clip: Callable[[Clip], None] | None = None
           ) -> Iterator[Clip]:
    """Synthesize every speakable segment, in order, each in the voice ``rendition`` gives
    it; the clip carries the treatment (effect, gain) that mastering applies."""
    for segment in segments:
        if not speakable(segment):
            continue
        voice, treatment = rendition(segment)
        pieces, rate = [], None
        for sentence in sentences(spoken_text(segment)):
            pcm, rate = engine.synthesize(sentence, voice)
            if pieces:
                pieces.append(b"\x00\x00" * (sentence_pause_ms * rate // 1000))
            pieces.append(_trim(pcm))
        if rate is None:
            continue
        clip = Clip(segment, b"".join(pieces), rate, treatment)
        if on_clip:
            on_clip(clip)
        yield clip


def _trim(pcm: bytes, floor: int = 64) -> bytes:
    """The engine's silence off a sentence's ends, so the pause between is the one set."""
    samples = memoryview(pcm).cast("h")
    start, end = 0, len(samples)
    while start < end and abs(samples[start]) < floor:
        start += 1
    while end > start and abs(samples[end - 1]) < floor:
        end -= 1
    return pcm[start * 2:end * 2]
