"""A fake engine for tests: a tone whose length follows the words, pitch follows the voice."""

from __future__ import annotations

import math
import struct

from ..models import Voice
from .base import Engine, EngineVoice

LANGUAGES = ("en", "en-us", "en-gb", "en-029", "fr", "de")
VARIANTS = tuple(f"m{i}" for i in range(1, 8)) + tuple(f"f{i}" for i in range(1, 6)) + (
    "whisper", "klatt")


class FakeEngine(Engine):
    name = "fake"
    label = "Fake"
    sample_rate = 22050

    def __init__(self) -> None:
        self.calls: list[tuple[str, Voice]] = []

    def voices(self) -> list[EngineVoice]:
        out = [EngineVoice(lang, lang, "unknown") for lang in LANGUAGES]
        out += [EngineVoice(v, v, {"m": "male", "f": "female"}.get(v[0], "unknown"), True)
                for v in VARIANTS]
        return out

    def synthesize(self, text: str, voice: Voice) -> tuple[bytes, int]:
        """60 ms of tone per word at the voice's rate of 170 wpm, scaled by its rate."""
        self.calls.append((text, voice))
        words = max(1, len(text.split()))
        seconds = words * 60 / max(voice.rate, 1)
        n = int(seconds * self.sample_rate)
        freq = 120 + 4 * voice.pitch + 10 * (sum(map(ord, voice.id)) % 20)
        amp = int(8000 * min(voice.volume, 2.0))
        step = 2 * math.pi * freq / self.sample_rate
        pcm = struct.pack(f"<{n}h", *(int(amp * math.sin(i * step)) for i in range(n)))
        return pcm, self.sample_rate
