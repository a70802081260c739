"""Listening before building: auditions of the cast, one voice saying a line, one scene.

Everything here is quick and small: audio is mixed in memory and written as WAV or MP3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import ClipCache
from .engines import Engine
from .errors import InputError
from .export import Encoding, atomic, encode_mp3, safe_name, write_wav
from .master import master
from .models import Chapter, Kind, Pauses, Segment, Treatment, Voice
from .pipeline import CastReport, Production
from .render import Renderer, speakable
from .speech import Speech


def audition(production: Production, engine: Engine, out: str | Path) -> list[Path]:
    """A short sample of the narrator and of each character reading one of their own lines,
    as ``OUT/auditions/NN - NAME.wav``."""
    samples: dict[str, Segment] = {}
    for seg in production.segmentation.segments:
        who = "Narrator" if seg.kind is Kind.NARRATION else seg.speaker
        if who and speakable(seg) and not seg.heading and _better_sample(seg, samples.get(who)):
            samples[who] = seg
    order = ["Narrator"] + [n for n, *_ in CastReport(production, Path(), []).rows()]
    files = []
    for n, name in enumerate([n for n in order if n in samples], 1):
        seg = samples[name]
        voice, treatment = production.cast.rendition(seg, production.voices)
        files.append(_speak(seg, voice, treatment, engine,
                            Path(out) / "auditions" / f"{n:02d} - {safe_name(name)}.wav",
                            production.say))
    return files


def say(text: str, voice: Voice, engine: Engine, dest: str | Path,
        speech: Speech = Speech()) -> Path:
    """``text`` spoken by ``voice``, levelled like a book's clips, as a WAV file; made
    speech-ready, with the pronunciations of ``speech``'s cast."""
    segment = Segment(0, len(text), Kind.NARRATION, None, text, 1, 1, 0)
    return _speak(segment, voice, Treatment(), engine, Path(dest), speech)


def _better_sample(seg: Segment, best: Segment | None) -> bool:
    """Prefer dialogue of 6 to 30 words, then the longest."""
    def score(s: Segment) -> tuple[bool, bool, int]:
        words = len(s.text.split())
        return s.kind is Kind.DIALOGUE, 6 <= words <= 30, -abs(words - 18)
    return best is None or score(seg) > score(best)


def _speak(seg: Segment, voice: Voice, treatment: Treatment, engine: Engine, dest: Path,
           say: Callable[[Segment], str]) -> Path:
    """A segment spoken as the book speaks it (a sentence at a time, levelled), as WAV."""
    clips = Renderer(engine).clips([seg], lambda _: (voice, treatment), say=say)
    audio = master(Chapter(0, 0, 1, seg.text[:40]), clips, Pauses(head=200, tail=300))
    return write_wav(audio.pcm, audio.sample_rate, dest)


@dataclass(frozen=True)
class Scene:
    chapter: int
    scene: int
    title: str  # the chapter's
    segments: tuple[Segment, ...]

    @property
    def words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)

    def opening(self, words: int = 10) -> str:
        text = " ".join(s.text for s in self.segments if not s.heading)
        head = " ".join(text.split()[:words])
        return head + ("…" if len(text.split()) > words else "")


def scenes(production: Production) -> list[Scene]:
    """Every scene of the story, in order, with its segments."""
    titles = {c.number: c.title for c in production.document.chapters}
    grouped: dict[tuple[int, int], list[Segment]] = {}
    for seg in production.segmentation.segments:
        grouped.setdefault((seg.chapter, seg.scene), []).append(seg)
    return [Scene(ch, sc, titles.get(ch, ""), tuple(segs)) for (ch, sc), segs in grouped.items()]


def find_scene(production: Production, chapter: int | None = None, scene: int | None = None,
               text: str | None = None) -> Scene:
    """The scene asked for: by chapter (and scene, default the first), or the first scene
    whose text contains ``text`` (case and spacing aside). One clear InputError otherwise."""
    every = scenes(production)
    if text is not None:
        wanted = " ".join(text.split()).lower()
        for s in every:
            if wanted in " ".join(" ".join(seg.text for seg in s.segments).split()).lower():
                return s
        raise InputError(f"no scene contains {text!r}")
    chapters = sorted({s.chapter for s in every})
    if chapter not in chapters:
        raise InputError(f"no chapter {chapter}; the story has chapters 1 to {chapters[-1]}")
    in_chapter = [s for s in every if s.chapter == chapter]
    number = scene or 1
    found = next((s for s in in_chapter if s.scene == number), None)
    if found is None:
        raise InputError(f"chapter {chapter} has no scene {number}; it has scenes 1 to "
                         f"{in_chapter[-1].scene}")
    return found


def preview(production: Production, scene: Scene, engine: Engine, dest: str | Path,
            cache: ClipCache = ClipCache(None), encoding: Encoding = Encoding()) -> Path:
    """One scene, read by the full cast and mixed as in the book, as an MP3 at ``dest``."""
    cast = production.cast
    cache.check()
    renderer = Renderer(engine, cache, sentence_pause_ms=cast.pauses.sentence)
    segments = [s for s in scene.segments if speakable(s)]
    audio = master(Chapter(0, 0, scene.chapter, scene.title),
                   renderer.clips(segments, lambda s: cast.rendition(s, production.voices),
                                  say=production.say),
                   cast.pauses)
    dest = Path(dest)
    with atomic(dest) as partial:
        encode_mp3(audio.pcm, audio.sample_rate, partial, encoding)
    return dest
