"""Segments + cast + engine -> clips: each segment spoken by its voice."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from .engines import Engine
from .models import Clip, Segment, Treatment, Voice

_MARKUP_RE = re.compile(r"^#{1,6}\s+|[*_`]+|<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
_SPEAKABLE_RE = re.compile(r"\w")


def spoken_text(segment: Segment) -> str:
    """What the voice reads: the segment's text without markup, on one line."""
    return _SPACE_RE.sub(" ", _MARKUP_RE.sub("", segment.text)).strip()


def speakable(segment: Segment) -> bool:
    return bool(_SPEAKABLE_RE.search(segment.text))


def render(segments: Iterable[Segment],
           rendition: Callable[[Segment], tuple[Voice, Treatment]], engine: Engine,
           on_clip: Callable[[Clip], None] | None = None) -> Iterator[Clip]:
    """Synthesize every speakable segment, in order, each in the voice ``rendition`` gives
    it; the clip carries the treatment (effect, gain) that mastering applies."""
    for segment in segments:
        if not speakable(segment):
            continue
        voice, treatment = rendition(segment)
        pcm, rate = engine.synthesize(spoken_text(segment), voice)
        clip = Clip(segment, pcm, rate, treatment)
        if on_clip:
            on_clip(clip)
        yield clip
