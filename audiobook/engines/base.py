"""The engine interface: list voices, and synthesize text with a voice to PCM.

Adding an engine means adding a module here and a line in ``ENGINES``; no other stage changes.
An eSpeak NG voice id is ``language[+variant]`` (``en-us``, ``en-us+f3``, ``en-gb+m7``); a
Kokoro one a name (``af_heart``) or a blend of names (``af_bella:0.6+af_sky:0.4``).
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from dataclasses import dataclass

from ..models import Voice


@dataclass(frozen=True)
class EngineVoice:
    id: str  # what a cast file names: a language, or a variant after '+'
    name: str
    gender: str  # "male", "female" or "unknown"
    variant: bool = False  # True for a variant (``f3``), applied on top of a language
    language: str = ""  # the language a whole voice speaks (``en-gb``), where not its id


class Engine(ABC):
    """A speech engine. Implementations translate their library's quirks and errors."""

    name: str = "engine"
    label: str = "speech engine"  # what the voices are, for people (the narrator tag)
    settings: dict = {}  # what it was made with (get_engine), for its worker processes
    threaded: bool = False  # runs threads of its own: a worker takes ``threads=`` its share
    pitched: bool = True  # a voice's pitch is heard
    worker_bytes: int = 0  # memory a worker process holding the engine needs, if much
    # The cast's voices for an engine with no voices of its own chosen there.
    narrator_voice: str = "en-gb"
    default_voice: str = "en-us"

    @abstractmethod
    def voices(self) -> list[EngineVoice]:
        """Languages and variants this engine can speak with."""

    @abstractmethod
    def synthesize(self, text: str, voice: Voice) -> tuple[bytes, int]:
        """16-bit signed little-endian mono PCM of ``text`` spoken by ``voice``, and its rate."""

    def describe(self, voice_id: str) -> str:
        """A voice's name for people: ``eSpeak NG English (America), f3``."""
        names = {(v.variant, v.id.lower()): v.name for v in self.voices()}
        language, _, variant = voice_id.partition("+")
        name = names.get((False, language.lower()), language)
        if variant:
            name += f", {names.get((True, variant.lower()), variant)}"
        return f"{self.label} {name}"

    def language_voice(self, tag: str) -> str | None:
        """The language voice for a book in the BCP 47 language ``tag`` (``fr``, ``en-US``,
        ``pt-BR``): the one named so, else the language's own (``fr`` -> ``fr-fr``); None when
        the engine has neither, or only regional voices of it to choose among."""
        languages = {v.id.lower() for v in self.voices() if not v.variant}
        tag = tag.strip().lower().replace("_", "-")
        base = tag.split("-")[0]
        return next((c for c in (tag, base, f"{base}-{base}") if c in languages), None)

    def slots(self, gender: str) -> tuple[str, ...] | None:
        """The voices to cast characters of ``gender`` from, most distinct first; None for the
        cast's own (eSpeak NG's variants, ``cast.SLOTS``)."""
        return None

    def phonemes(self, text: str, voice: Voice) -> str | None:
        """How the engine will say ``text``, in its own phoneme notation; None when it cannot
        tell."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the engine holds."""

    def check_voice(self, voice_id: str) -> str | None:
        """None when ``voice_id`` is one this engine has, else what is wrong with it."""
        languages = {v.id for v in self.voices() if not v.variant}
        variants = {v.id for v in self.voices() if v.variant}
        language, _, variant = voice_id.partition("+")
        if language.lower() not in languages:
            return _unknown("voice", voice_id, language.lower(), languages, variant)
        if variant and variant not in variants:
            return _unknown("voice", voice_id, variant, variants, language, after=True)
        return None


def _unknown(what: str, full: str, part: str, choices: set[str], other: str,
             after: bool = False) -> str:
    close = difflib.get_close_matches(part, sorted(choices), n=1, cutoff=0.5)
    message = f"unknown {what} '{full}'"
    if close:
        guess = f"{other}+{close[0]}" if after else (f"{close[0]}+{other}" if other else close[0])
        message += f"; did you mean '{guess}'?"
    return message
