"""Speech engines behind one interface; ``get_engine(name)`` makes one."""

from __future__ import annotations

from ..errors import EngineError
from .base import Engine, EngineVoice

ENGINES = {
    "pyttsx3": "audiobook.engines.pyttsx3_engine:Pyttsx3Engine",
    "fake": "audiobook.engines.fake:FakeEngine",
}


def get_engine(name: str) -> Engine:
    """Make the engine registered under ``name``."""
    if name not in ENGINES:
        raise EngineError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")
    module, _, cls = ENGINES[name].partition(":")
    import importlib

    return getattr(importlib.import_module(module), cls)()


__all__ = ["ENGINES", "Engine", "EngineVoice", "get_engine"]
