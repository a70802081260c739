"""Segments + cast + engine -> clips: each segment spoken by its voice."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from .engines import Engine
from .models import Clip, Segment, Voice

_MARKUP_RE = re.compile(r"^#{1,6}\s+|[*_`]+|<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
_SPEAKABLE_RE = re.compile(r"\w")


def spoken_text(segment: Segment) -> str:
    """What the voice reads: the segment's text without markup, on one line."""
    return _SPACE_RE.sub(" ", _MARKUP_RE.sub("", segment.text)).strip()


def speakable(segment: Segment) -> bool:
    return bool(_SPEAKABLE_RE.search(segment.text))


def render(segments: Iterable[Segment], voice_for: Callable[[Segment], Voice], engine: Engine,
           on_clip: Callable[[Clip], None] | None = None) -> Iterator[Clip]:
    """Synthesize every speakable segment, in order."""
    for segment in segments:
        if not speakable(segment):
            continue
        pcm, rate = engine.synthesize(spoken_text(segment), voice_for(segment))
        clip = Clip(segment, pcm, rate)
        if on_clip:
            on_clip(clip)
        yield clip
