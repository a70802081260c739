"""Listening before building: auditions of the cast, one voice saying a line, one scene.

Everything here is quick and small: audio is mixed in memory and written as WAV or MP3.
"""

from __future__ import annotations

from pathlib import Path

from .engines import Engine
from .export import safe_name, write_wav
from .master import master
from .models import Chapter, Clip, Kind, Pauses, Segment, Treatment, Voice
from .pipeline import CastReport, Production
from .render import speakable, spoken_text


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
        files.append(_speak(spoken_text(seg), voice, engine,
                            Path(out) / "auditions" / f"{n:02d} - {safe_name(name)}.wav", seg,
                            treatment))
    return files


def say(text: str, voice: Voice, engine: Engine, dest: str | Path) -> Path:
    """``text`` spoken by ``voice``, levelled like a book's clips, as a WAV file."""
    return _speak(text, voice, engine, Path(dest))


def _better_sample(seg: Segment, best: Segment | None) -> bool:
    """Prefer dialogue of 6 to 30 words, then the longest."""
    def score(s: Segment) -> tuple[bool, bool, int]:
        words = len(s.text.split())
        return s.kind is Kind.DIALOGUE, 6 <= words <= 30, -abs(words - 18)
    return best is None or score(seg) > score(best)


def _speak(text: str, voice: Voice, engine: Engine, dest: Path, seg: Segment | None = None,
           treatment: Treatment = Treatment()) -> Path:
    seg = seg or Segment(0, len(text), Kind.NARRATION, None, text, 1, 1, 0)
    pcm, rate = engine.synthesize(text, voice)
    clip = Clip(seg, pcm, rate, treatment)
    audio = master(Chapter(0, 0, 1, text[:40]), [clip], Pauses(head=200, tail=300))
    return write_wav(audio.pcm, audio.sample_rate, dest)
