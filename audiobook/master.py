"""Clips -> chapter audio: pauses from the text's structure, even loudness, room tone.

Each clip is treated (echo, narrow band), brought to a
common loudness and joined, with pauses chosen by what separates it from the one before
(``Pauses``). The chapter is then mastered as a whole (``Levels``): gain to the target RMS,
a look-ahead limiter that holds the sample peak under the ceiling, and a faint room tone
under everything, so no stretch is dead digital silence. Raw sample data is joined once:
``+=`` on AudioSegments in a loop is quadratic.

The only module that imports pydub (and the audioop it is built on).
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Iterable
from dataclasses import replace

with warnings.catch_warnings():  # pydub warns at import when no ffmpeg is on PATH; we never
    warnings.simplefilter("ignore", RuntimeWarning)  # let it run ffmpeg (export.py does that)
    warnings.simplefilter("ignore", DeprecationWarning)  # audioop, on Python 3.12
    import audioop  # the standard library's, or the audioop-lts package on Python 3.13+

    from pydub import AudioSegment

from .models import Chapter, ChapterAudio, Clip, Cue, Levels, Pauses, Treatment

ECHO_DELAY_MS, ECHO_GAIN_DB = 90, -9.0
NARROW_BAND_HZ = (350, 3200)
FULL_SCALE = 32768
BLOCK_MS = 5  # the limiter's gain steps
LOOKAHEAD_BLOCKS = 2
RELEASE_DB_PER_BLOCK = 0.2


def dbfs(value: float) -> float:
    return 20 * math.log10(value / FULL_SCALE) if value > 0 else -math.inf


def pause_between(prev: Clip, clip: Clip, pauses: Pauses) -> int:
    a, b = prev.segment, clip.segment
    if a.heading:
        return pauses.after_title
    if a.scene != b.scene:
        return pauses.scene
    if a.paragraph == b.paragraph:
        return pauses.same_paragraph
    if (a.kind, a.speaker) != (b.kind, b.speaker):
        return pauses.speaker_change
    return pauses.paragraph


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


def level(pcm: bytes, rate: int, levels: Levels, offset_db: float = 0.0) -> bytes:
    """Gain to the clip loudness (plus ``offset_db``: thoughts a little quieter, say),
    limited so the clip's peak stays under the ceiling."""
    rms = audioop.rms(pcm, 2) if pcm else 0
    if rms == 0:
        return pcm
    gain = levels.clip_dbfs + offset_db - dbfs(rms)
    gain = min(gain, levels.ceiling_dbfs - dbfs(audioop.max(pcm, 2)))
    return audioop.mul(pcm, 2, 10 ** (gain / 20))


def silence(ms: int, rate: int) -> bytes:
    return b"\x00\x00" * (ms * rate // 1000)


def limit(pcm: bytes, rate: int, gain_db: float, ceiling_dbfs: float) -> bytes:
    """Apply ``gain_db``, riding the gain down wherever a sample would pass the ceiling.

    The gain is set per 5 ms block: no more than the block's own peak allows, lowered ahead
    of a peak (look-ahead) and let back up slowly after it (release), so every sample ends
    at or under the ceiling without hard clipping.
    """
    block = max(1, rate * BLOCK_MS // 1000) * 2
    ceiling = FULL_SCALE * 10 ** (ceiling_dbfs / 20)
    gain = 10 ** (gain_db / 20)
    need = [min(gain, ceiling / peak) if (peak := audioop.max(pcm[i:i + block], 2)) else gain
            for i in range(0, len(pcm), block)]
    ahead = [min(need[max(0, b - LOOKAHEAD_BLOCKS):b + LOOKAHEAD_BLOCKS + 1])
             for b in range(len(need))]
    release = 10 ** (RELEASE_DB_PER_BLOCK / 20)
    out, current = [], gain
    for b, target in enumerate(ahead):
        current = min(target, current * release)
        out.append(audioop.mul(pcm[b * block:(b + 1) * block], 2, current))
    return b"".join(out)


def room_tone(samples: int, level_dbfs: float, seed: int = 1) -> bytes:
    """Faint, even noise (a quiet room) of the given RMS, the same every time."""
    amplitude = max(1, round(FULL_SCALE * 10 ** (level_dbfs / 20) * math.sqrt(3)))
    rng = random.Random(seed)
    period = min(samples, 2 * 22050) or 1
    loop = memoryview(bytearray(period * 2)).cast("h")
    for i in range(period):
        loop[i] = rng.randint(-amplitude, amplitude)
    loop_bytes = loop.tobytes()
    whole, rest = divmod(samples, period)
    return loop_bytes * whole + loop_bytes[:rest * 2]


def finish(pcm: bytes, rate: int, levels: Levels) -> bytes:
    """Master a whole chapter: target RMS, peaks under the ceiling, room tone under all."""
    out = pcm
    rms = audioop.rms(pcm, 2) if pcm else 0
    if rms:
        gain = levels.rms_dbfs - dbfs(rms)
        for _ in range(3):  # the limiter takes a little loudness; give it back
            out = limit(pcm, rate, gain, levels.ceiling_dbfs)
            short = levels.rms_dbfs - dbfs(audioop.rms(out, 2))
            if short < 0.3:
                break
            gain += short
    return audioop.add(out, room_tone(len(out) // 2, levels.room_dbfs), 2)


def master(chapter: Chapter, clips: Iterable[Clip], pauses: Pauses = Pauses(),
           levels: Levels = Levels()) -> ChapterAudio:
    """Stitch a chapter's clips, in order, into finished audio, noting where each lies."""
    parts: list[bytes] = []
    cues: list[Cue] = []
    prev: Clip | None = None
    rate = None
    position = 0  # in samples

    def add(data: bytes) -> None:
        nonlocal position
        parts.append(data)
        position += len(data) // 2

    for clip in clips:
        if rate is None:
            rate = clip.sample_rate
            add(silence(pauses.head, rate))
        elif clip.sample_rate != rate:
            raise ValueError("clips of one chapter must share a sample rate")
        if prev is not None:
            add(silence(pause_between(prev, clip, pauses), rate))
        start = position
        add(level(treat(clip.pcm, rate, clip.treatment), rate, levels,
                  clip.treatment.gain_db))
        cues.append(Cue(clip.segment, start, position))
        prev = clip
    rate = rate or 22050
    add(silence(pauses.tail, rate))
    return ChapterAudio(chapter, finish(b"".join(parts), rate, levels), rate, tuple(cues))


def split(audio: ChapterAudio, max_ms: int, pauses: Pauses = Pauses(),
          levels: Levels = Levels()) -> list[ChapterAudio]:
    """A chapter longer than ``max_ms`` as parts that are not, cut between clips; each part
    gets the head and tail room tone a file needs. Titles become 'Title (Part N)'."""
    rate = audio.sample_rate
    limit_samples = max_ms * rate // 1000
    if audio.samples <= limit_samples or not audio.cues:
        return [audio]
    head, tail = pauses.head * rate // 1000, pauses.tail * rate // 1000
    spans: list[tuple[int, int, list[Cue]]] = []  # (first sample, last sample, cues)
    start, cues = 0, []
    for cue in audio.cues:
        if cues and cue.end - start + head + tail > limit_samples:
            spans.append((start, cues[-1].end, cues))
            start, cues = cue.start, []
        cues.append(cue)
    spans.append((start, audio.samples, cues))
    parts = []
    for n, (first, last, cues) in enumerate(spans, 1):
        lead = room_tone(head, levels.room_dbfs, seed=n) if n > 1 else b""
        trail = room_tone(tail, levels.room_dbfs, seed=n) if n < len(spans) else b""
        shift = len(lead) // 2 - first
        chapter = replace(audio.chapter, title=f"{audio.chapter.title} (Part {n})")
        parts.append(ChapterAudio(chapter, lead + audio.pcm[first * 2:last * 2] + trail, rate,
                                  tuple(Cue(c.segment, c.start + shift, c.end + shift)
                                        for c in cues)))
    return parts
