"""The cast: who reads what, and how.

The narrator reads narration; each character reads their dialogue in their own voice, their
thoughts in that voice with the inner-voice treatment, and letters with the letter treatment.
Characters the cast file does not list are cast here: the ones with the most lines get the
voices most distinct from each other and from the narrator (another eSpeak NG variant, pitch
and rate set apart); characters with a line or two share a small pool. Reading and writing
``voices.yaml`` lives in ``castfile``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .corrections import Corrections
from .lexicon import FIRST_PERSON
from .models import Character, Kind, Pauses, Segment, Treatment, Voice

GENDERS = ("male", "female", "unknown")
RANGES = {"rate": (80, 450), "pitch": (0, 100), "volume": (0.0, 2.0)}
# Voices for characters the cast does not list, most distinct first: an eSpeak NG voice and
# the pitch and rate offsets from the defaults that set it apart from the others.
SLOTS = {
    "male": (("en-us+m3", 0, 0), ("en-gb+m7", 12, 12), ("en-us+m1", -12, -10),
             ("en-gb+m4", 6, 6), ("en-us+m6", -6, 15), ("en-gb+m2", 15, -5)),
    "female": (("en-us+f3", 10, 0), ("en-gb+f4", 20, -8), ("en-us+f2", 4, 12),
               ("en-gb+f1", 24, 4), ("en-us+f5", 0, -10)),
    "unknown": (("en-us+m2", 0, 0), ("en-gb+f2", 10, 5), ("en-us+m5", -8, -5),
                ("en-gb+f5", 6, 10)),
}
MINOR_LINES = 2  # characters with this many lines or fewer share voices from a pool
MINOR_POOL = 2  # how many of a gender's last voices the minor characters share


@dataclass(frozen=True)
class Style:
    """How a kind of line is read in its speaker's own voice (thoughts, letters)."""

    rate: float = 1.0  # times the voice's rate
    pitch: int = 0  # added to the voice's pitch
    volume: float = 1.0  # times the loudness every voice is brought to
    whisper: bool = False  # eSpeak NG's whisper variant instead of the voice's own
    effect: str = "none"  # none, echo or narrow

    def apply(self, voice: Voice) -> tuple[Voice, Treatment]:
        low_r, high_r = RANGES["rate"]
        voice = replace(voice, rate=min(high_r, max(low_r, round(voice.rate * self.rate))),
                        pitch=min(100, max(0, voice.pitch + self.pitch)))
        if self.whisper:
            voice = replace(voice, id=voice.id.partition("+")[0] + "+whisper")
        gain = 20 * math.log10(self.volume) if self.volume > 0 else -60.0
        return voice, Treatment(self.effect, round(gain, 2))


STYLE_DEFAULTS = {
    "thoughts": Style(rate=0.94, volume=0.8, effect="echo"),
    "letters": Style(rate=0.96, effect="narrow"),
}


@dataclass(frozen=True)
class CastMember:
    name: str
    voice: Voice
    aliases: tuple[str, ...] = ()
    gender: str = "unknown"
    thoughts: Style | None = None  # this character's inner voice, if not the book's
    pronunciations: tuple[tuple[str, str], ...] = ()  # (word, how it is said): over the book's


@dataclass(frozen=True)
class Cast:
    """The narrator's voice, the listed characters, and how everyone else is cast."""

    engine: str = "pyttsx3"
    narrator: Voice = Voice("en-gb", rate=165)
    members: tuple[CastMember, ...] = ()
    defaults: Voice = Voice("en-us")
    pools: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # voice ids by gender
    thoughts: Style = STYLE_DEFAULTS["thoughts"]
    letters: Style = STYLE_DEFAULTS["letters"]
    pauses: Pauses = Pauses()
    path: Path | None = None
    narrator_set: bool = False  # the cast file chose the narrator's voice
    language: str | None = None  # the book's language voice, when default voices speak it
    corrections: Corrections = Corrections()  # lines set by hand, names never a speaker
    pronunciations: tuple[tuple[str, str], ...] = ()  # (word, how it is said)

    def speaking(self, language: str | None) -> Cast:
        """This cast reading a book in the engine language ``language`` (``fr-fr``): a
        narrator the cast file did not choose reads in it, and so do voices cast by default
        (``en-us+f3`` -> ``fr-fr+f3``), for a book not in English."""
        if not language:
            return self
        narrator = self.narrator if self.narrator_set else replace(self.narrator, id=language)
        english = language.split("-")[0] == "en"
        return replace(self, narrator=narrator, language=None if english else language)

    def known_aliases(self) -> dict[str, tuple[str, ...]]:
        """Names and aliases the segmenter should know, by canonical name."""
        return {m.name: m.aliases for m in self.members}

    def member(self, name: str | None) -> CastMember | None:
        return next((m for m in self.members if m.name == name), None)

    def assign(self, characters: list[Character] | tuple[Character, ...],
               lines: Mapping[str | None, tuple[int, int]] | None = None,
               narrator: str | None = None) -> tuple[dict[str | None, Voice], list[str]]:
        """A voice for every character (and None, for lines nobody could be given), and a
        note for each one the cast does not list.

        Listed characters keep their voice. The others are cast by how many lines they have
        (``lines``: dialogue and thought counts): the most get the first, most distinct
        voices of their gender, never one already taken nor the narrator's; those with
        ``MINOR_LINES`` or fewer share the last voices of the pool. The ``narrator`` of a
        story told in the first person (a character's name) has the narrator's voice.
        """
        lines = lines or {}
        voices: dict[str | None, Voice] = {m.name: m.voice for m in self.members}
        if narrator:  # the one who tells a first-person story reads their lines too
            voices.setdefault(narrator, self.narrator)
        taken = {self.narrator.id, *(v.id for v in voices.values())}
        unlisted = [c for c in characters if c.name not in voices]
        unlisted.sort(key=lambda c: -sum(lines.get(c.name, (0, 0))))
        notes = []
        for c in unlisted:
            gender = c.gender if c.gender in GENDERS else "unknown"
            minor = bool(lines) and sum(lines.get(c.name, (0, 0))) <= MINOR_LINES
            voices[c.name] = self._cast_one(gender, taken, minor)
            notes.append(f"{c.name} is not in the cast; using {voices[c.name].id} "
                         f"({gender} default)")
        voices[None] = self._cast_one("unknown", taken, minor=False)
        voices.setdefault(FIRST_PERSON, self.narrator)  # "…," I said: the narrator speaks
        return voices, notes

    def slots(self, gender: str) -> list[tuple[str, int, int]]:
        """The voices to cast a gender from, most distinct first, never the narrator's."""
        ids = self.pools.get(gender)
        base = SLOTS[gender]
        slots = ([(v, base[i % len(base)][1], base[i % len(base)][2]) for i, v in enumerate(ids)]
                 if ids else list(base))
        if self.language and not ids:
            slots = [(f"{self.language}+{v.partition('+')[2]}", dp, dr) for v, dp, dr in slots]
        fresh = [s for s in slots if s[0] != self.narrator.id]
        return fresh or [s for s in SLOTS[gender] + SLOTS["unknown"] if s[0] != self.narrator.id]

    def _cast_one(self, gender: str, taken: set[str], minor: bool) -> Voice:
        slots = self.slots(gender)
        if minor:
            pool = slots[-MINOR_POOL:]
            slot = next((s for s in pool if s[0] not in taken), pool[0])
        else:
            slot = next((s for s in slots if s[0] not in taken), None)
            if slot is None:  # more characters than voices: reuse, with pitch set apart
                n = sum(1 for t in taken if t in {s[0] for s in slots})
                v, dp, dr = slots[n % len(slots)]
                slot = (v, dp + (8 if (n // len(slots)) % 2 else -8), dr)
        taken.add(slot[0])
        voice_id, dpitch, drate = slot
        low, high = RANGES["rate"]
        return replace(self.defaults, id=voice_id,
                       pitch=min(100, max(0, self.defaults.pitch + dpitch)),
                       rate=min(high, max(low, self.defaults.rate + drate)))

    def rendition(self, segment: Segment, voices: Mapping[str | None, Voice]
                  ) -> tuple[Voice, Treatment]:
        """The voice a segment is read in, and the treatment its clip gets."""
        if segment.kind is Kind.NARRATION:
            return self.narrator, Treatment()
        voice = voices.get(segment.speaker) or voices[None]
        if segment.kind is Kind.THOUGHT:
            member = self.member(segment.speaker)
            return (member.thoughts if member and member.thoughts else self.thoughts).apply(voice)
        if segment.written:
            return self.letters.apply(voice)
        return voice, Treatment()

