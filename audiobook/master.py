"""Clips -> chapter audio: pauses from the text's structure and even loudness.

The only module that imports pydub. Clips are levelled one by one and their raw sample data
joined once: ``+=`` on AudioSegments in a loop is quadratic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import warnings

with warnings.catch_warnings():  # pydub warns at import when no ffmpeg is on PATH; we never
    warnings.simplefilter("ignore", RuntimeWarning)  # let it run ffmpeg (export.py does that)
    from pydub import AudioSegment

from .models import Chapter, ChapterAudio, Clip, Treatment


ECHO_DELAY_MS, ECHO_GAIN_DB = 90, -9.0
NARROW_BAND_HZ = (350, 3200)


@dataclass(frozen=True)
class Pauses:
    """Silence in milliseconds between clips, chosen by what separates them."""

    same_paragraph: int = 250
    paragraph: int = 600
    speaker_change: int = 800
    scene: int = 1600
    after_heading: int = 1200
    head: int = 700
    tail: int = 2000


@dataclass(frozen=True)
class Levels:
    """Every clip is brought to ``target_dbfs`` RMS, but its peak never above ``peak_dbfs``."""

    target_dbfs: float = -20.0
    peak_dbfs: float = -3.0


def pause_between(prev: Clip, clip: Clip, pauses: Pauses) -> int:
    a, b = prev.segment, clip.segment
    if a.heading:
        return pauses.after_heading
    if a.scene != b.scene:
        return pauses.scene
    if a.paragraph == b.paragraph:
        return pauses.same_paragraph
    if (a.kind, a.speaker) != (b.kind, b.speaker):
        return pauses.speaker_change
    return pauses.paragraph


def level(pcm: bytes, rate: int, levels: Levels, offset_db: float = 0.0) -> bytes:
    """Gain to the target loudness (plus ``offset_db``: thoughts a little quieter, say),
    limited so the peak stays under the ceiling."""
    audio = AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
    if audio.rms == 0:
        return pcm
    gain = levels.target_dbfs + offset_db - audio.dBFS
    gain = min(gain, levels.peak_dbfs - audio.max_dBFS)
    return audio.apply_gain(gain).raw_data


def treat(pcm: bytes, rate: int, treatment: Treatment) -> bytes:
    """Apply a clip's effect: a soft echo (inner voice) or a narrower band (a letter)."""
    if treatment.effect == "none":
        return pcm
    audio = AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
    if treatment.effect == "echo":
        tail = AudioSegment.silent(duration=ECHO_DELAY_MS, frame_rate=rate)
        audio = (audio + tail).overlay(audio.apply_gain(ECHO_GAIN_DB), position=ECHO_DELAY_MS)
    elif treatment.effect == "narrow":
        audio = audio.high_pass_filter(NARROW_BAND_HZ[0]).low_pass_filter(NARROW_BAND_HZ[1])
    return audio.raw_data


def silence(ms: int, rate: int) -> bytes:
    return b"\x00\x00" * (ms * rate // 1000)


def master(chapter: Chapter, clips: Iterable[Clip], pauses: Pauses = Pauses(),
           levels: Levels = Levels()) -> ChapterAudio:
    """Stitch a chapter's clips, in order, into one stretch of audio."""
    parts: list[bytes] = []
    prev: Clip | None = None
    rate = None
    for clip in clips:
        if rate is None:
            rate = clip.sample_rate
            parts.append(silence(pauses.head, rate))
        elif clip.sample_rate != rate:
            raise ValueError("clips of one chapter must share a sample rate")
        if prev is not None:
            parts.append(silence(pause_between(prev, clip, pauses), rate))
        parts.append(level(treat(clip.pcm, rate, clip.treatment), rate, levels,
                           clip.treatment.gain_db))
        prev = clip
    rate = rate or 22050
    parts.append(silence(pauses.tail, rate))
    return ChapterAudio(chapter, b"".join(parts), rate)
