"""Speech engines behind one interface; ``get_engine(name)`` makes one."""

from __future__ import annotations

from ..errors import EngineError
from .base import Engine, EngineVoice

ENGINES = {
    "pyttsx3": "audiobook.engines.pyttsx3_engine:Pyttsx3Engine",
    "kokoro": "audiobook.engines.kokoro:KokoroEngine",
    "fake": "audiobook.engines.fake:FakeEngine",
}


# What a cast file may set for an engine, at its top level.
SETTINGS = {"kokoro": ("model", "voices")}


def get_engine(name: str, **settings) -> Engine:
    """Make the engine registered under ``name``, with its ``settings`` (Kokoro's model and
    voices files, say)."""
    if name not in ENGINES:
        raise EngineError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")
    module, _, cls = ENGINES[name].partition(":")
    import importlib

    engine = getattr(importlib.import_module(module), cls)(**settings)
    engine.settings = settings
    return engine


__all__ = ["ENGINES", "SETTINGS", "Engine", "EngineVoice", "get_engine"]
