"""Clips -> chapter audio: pauses from the text's structure, even loudness, room tone.

Each clip is treated (echo, narrow band), brought to the book's loudness
with a look-ahead limiter holding its sample peak under the ceiling (``Levels``), and mixed
in as it comes, after a pause chosen by what separates it from the one before (``Pauses``),
with a faint room tone under everything, so no stretch is dead digital silence. The mix
streams out in pieces (to the encoder): a book is never held whole in memory.

The only module that imports pydub (and the audioop it is built on).
"""

from __future__ import annotations

import array
import functools
import math
import random
import warnings
from collections.abc import Callable, Iterable

with warnings.catch_warnings():  # pydub warns at import when no ffmpeg is on PATH; we never
    warnings.simplefilter("ignore", RuntimeWarning)  # let it run ffmpeg (export.py does that)
    warnings.simplefilter("ignore", DeprecationWarning)  # audioop, on Python 3.12
    import audioop  # the standard library's, or the audioop-lts package on Python 3.13+

    from pydub import AudioSegment

from .models import Chapter, ChapterAudio, Clip, Cue, Levels, Pauses, Segment, Treatment

ECHO_DELAY_MS, ECHO_GAIN_DB = 90, -9.0
NARROW_BAND_HZ = (350, 3200)
FULL_SCALE = 32768
BLOCK_MS = 5  # the limiter's gain steps
LOOKAHEAD_BLOCKS = 2
RELEASE_DB_PER_BLOCK = 0.5
LIMITER_ALLOWANCE_DB = 0.4  # what the limiter takes off a typical clip's loudness


def dbfs(value: float) -> float:
    return 20 * math.log10(value / FULL_SCALE) if value > 0 else -math.inf


def pause_between(a: Segment, b: Segment, pauses: Pauses) -> int:
    """The pause, in ms, between segment ``a`` and the next one ``b``."""
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
        return _band(pcm, rate, *NARROW_BAND_HZ)
    return audio.raw_data


def _low_pass(pcm: bytes, rate: int, cutoff: int) -> bytes:
    """A coarse low-pass: down to twice the cutoff and back (audioop's C resampler)."""
    low = max(200, 2 * cutoff)
    if low >= rate:
        return pcm
    down, _ = audioop.ratecv(pcm, 2, 1, rate, low, None)
    up, _ = audioop.ratecv(down, 2, 1, low, rate, None)
    n = len(pcm)
    return up[:n] + b"\x00" * (n - len(up)) if len(up) < n else up[:n]


def _band(pcm: bytes, rate: int, low_hz: int, high_hz: int) -> bytes:
    """Keep roughly ``low_hz`` to ``high_hz``: a telephone-like band, for letters."""
    top = _low_pass(pcm, rate, high_hz)
    rumble = _low_pass(top, rate, low_hz)
    return audioop.add(top, audioop.mul(rumble, 2, -1.0), 2)


def level(pcm: bytes, rate: int, levels: Levels, offset_db: float = 0.0) -> bytes:
    """A clip brought to the book's loudness plus ``offset_db`` (thoughts a little quieter,
    say; speech a little louder to make up for the pauses), its peaks held under the
    ceiling by the limiter."""
    rms = audioop.rms(pcm, 2) if pcm else 0
    if rms == 0:
        return pcm
    gain = levels.rms_dbfs + offset_db - dbfs(rms)
    return limit(pcm, rate, gain, levels.ceiling_dbfs)


def pause_allowance(durations: Iterable[tuple[Segment, float]], pauses: Pauses) -> float:
    """How much louder than the file's RMS target to make its speech, in dB, given each
    segment and how long it speaks (seconds): the pauses and room tone between lower the
    file's RMS by the share of the time they take. Plus what the limiter takes off."""
    speech = silent = 0.0
    prev = None
    for segment, seconds in durations:
        speech += seconds
        silent += (pause_between(prev, segment, pauses) if prev else pauses.head) / 1000
        prev = segment
    silent += pauses.tail / 1000
    share = speech / (speech + silent) if speech else 1.0
    return -10 * math.log10(share) + LIMITER_ALLOWANCE_DB


def silence(ms: int, rate: int) -> bytes:
    return b"\x00\x00" * (ms * rate // 1000)


def limit(pcm: bytes, rate: int, gain_db: float, ceiling_dbfs: float) -> bytes:
    """Apply ``gain_db``, riding the gain down wherever a sample would pass the ceiling.

    The gain is set per 5 ms block: no more than the block's own peak allows, lowered ahead
    of a peak (look-ahead) and let back up gradually after it (release), so every sample
    ends at or under the ceiling without hard clipping. Stretches at full gain are scaled
    in one go.
    """
    gain = 10 ** (gain_db / 20)
    ceiling = FULL_SCALE * 10 ** (ceiling_dbfs / 20)
    if not pcm or audioop.max(pcm, 2) * gain <= ceiling:
        return audioop.mul(pcm, 2, gain)
    block = max(1, rate * BLOCK_MS // 1000) * 2
    blocks = (len(pcm) + block - 1) // block
    target = [gain] * blocks
    for b in range(blocks):
        peak = audioop.max(pcm[b * block:(b + 1) * block], 2)
        if peak * gain > ceiling:
            allowed = ceiling / peak
            for j in range(max(0, b - LOOKAHEAD_BLOCKS), min(blocks, b + LOOKAHEAD_BLOCKS + 1)):
                target[j] = min(target[j], allowed)
    release = 10 ** (RELEASE_DB_PER_BLOCK / 20)
    out, run_start, current = [], 0, gain
    for b in range(blocks):
        current = min(target[b], current * release)
        if current < gain:
            if run_start < b:  # the stretch at full gain before this block
                out.append(audioop.mul(pcm[run_start * block:b * block], 2, gain))
            out.append(audioop.mul(pcm[b * block:(b + 1) * block], 2, current))
            run_start = b + 1
        else:
            current = gain
    out.append(audioop.mul(pcm[run_start * block:], 2, gain))
    return b"".join(out)


@functools.lru_cache(maxsize=8)
def _room_loop(rate: int, level_dbfs: float) -> bytes:
    """Two seconds of faint, even noise (a quiet room) of the given RMS, always the same."""
    amplitude = max(1, round(FULL_SCALE * 10 ** (level_dbfs / 20) * math.sqrt(3)))
    rng = random.Random(1)
    loop = array.array("h", (rng.randint(-amplitude, amplitude) for _ in range(2 * rate)))
    return loop.tobytes()


def room_tone(start: int, samples: int, rate: int, level_dbfs: float) -> bytes:
    """Room tone for samples ``start`` to ``start + samples`` of a file: one seamless bed."""
    loop = _room_loop(rate, level_dbfs)
    period = len(loop) // 2
    offset = start % period
    reps = (offset + samples) // period + 1
    return (loop * reps)[offset * 2:(offset + samples) * 2]


class Mixer:
    """Mixes a chapter as it is spoken, handing finished audio to ``sink`` as it goes.

    Each clip is treated, levelled and limited; the pause before it comes from what separates
    it from the one before (``Pauses``); room tone lies under everything, so no stretch is dead
    silence. ``cues`` records where each clip lies, in samples from the start of the file.
    """

    def __init__(self, rate: int, sink: Callable[[bytes], object], pauses: Pauses = Pauses(),
                 levels: Levels = Levels(), allowance_db: float = 0.0) -> None:
        self.rate, self.sink, self.pauses, self.levels = rate, sink, pauses, levels
        self.allowance_db = allowance_db  # see pause_allowance
        self.position = 0
        self.cues: list[Cue] = []
        self._prev: Clip | None = None
        self._bed_origin = 0
        self._emit_silence(pauses.head)

    def restart_bed(self) -> None:
        """Lay the room tone from here on as if the file started here, so what follows does
        not depend on what came before (a fragment encoded, and cached, on its own)."""
        self._bed_origin = self.position

    def _emit(self, pcm: bytes) -> None:
        n = len(pcm) // 2
        bed = room_tone(self.position - self._bed_origin, n, self.rate, self.levels.room_dbfs)
        self.sink(audioop.add(pcm, bed, 2) if pcm.strip(b"\x00") else bed)
        self.position += n

    def _emit_silence(self, ms: int) -> None:
        if ms > 0:
            self._emit(silence(ms, self.rate))

    def _pause_before(self, clip: Clip) -> int:
        if self._prev is None:
            return 0
        if clip.continued:  # the next sentences of one long segment
            return self.pauses.sentence
        return pause_between(self._prev.segment, clip.segment, self.pauses)

    def samples_for(self, clip: Clip) -> int:
        """How long the file becomes with ``clip`` and the pause before it (treatment aside)."""
        return self.position + self._pause_before(clip) * self.rate // 1000 + len(clip.pcm) // 2

    def add(self, clip: Clip) -> None:
        if clip.sample_rate != self.rate:
            raise ValueError("clips of one file must share a sample rate")
        self._emit_silence(self._pause_before(clip))
        start = self.position
        self._emit(level(treat(clip.pcm, self.rate, clip.treatment), self.rate, self.levels,
                         clip.treatment.gain_db + self.allowance_db))
        self.cues.append(Cue(clip.segment, start, self.position))
        self._prev = clip

    def close(self) -> None:
        """The tail room tone."""
        self._emit_silence(self.pauses.tail)


def master(chapter: Chapter, clips: Iterable[Clip], pauses: Pauses = Pauses(),
           levels: Levels = Levels(), rate: int = 22050) -> ChapterAudio:
    """A chapter's clips mixed, in order, into finished audio in memory (for short things:
    previews, auditions; a book is mixed straight into its encoder)."""
    clips = list(clips)
    if clips:
        rate = clips[0].sample_rate
    allowance = pause_allowance([(c.segment, c.samples / c.sample_rate) for c in clips], pauses)
    parts: list[bytes] = []
    mixer = Mixer(rate, parts.append, pauses, levels, allowance)
    for clip in clips:
        mixer.add(clip)
    mixer.close()
    return ChapterAudio(chapter, b"".join(parts), mixer.rate, tuple(mixer.cues))
