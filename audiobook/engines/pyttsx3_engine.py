"""pyttsx3 driving eSpeak NG: the default, fully offline engine.

The only module that imports pyttsx3. It loads eSpeak NG from the system when it is there and
otherwise from the ``espeakng-loader`` wheel (library and data), and works around the driver's
quirks: it prints on every save, names voices by file rather than language, raises on a
language it cannot select by name, and has been seen to skip a save without an error.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import tempfile
import wave
from pathlib import Path

from ..errors import EngineError
from ..models import Voice
from .base import Engine, EngineVoice

_GENDERS = {1: "male", 2: "female"}


def _load_espeak() -> str:
    """Make libespeak-ng loadable by pyttsx3; say where it came from."""
    try:
        ctypes.CDLL("libespeak-ng.so.1")
        return "system"
    except OSError:
        pass
    try:
        import espeakng_loader
    except ImportError:
        raise EngineError("eSpeak NG is not installed: install the 'espeakng-loader' package "
                          "or the system package espeak-ng") from None
    os.environ.setdefault("ESPEAK_DATA_PATH", espeakng_loader.get_data_path())
    # Loaded globally under its soname, so pyttsx3's LoadLibrary('libespeak-ng.so.1') finds it.
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    return "wheel"


class Pyttsx3Engine(Engine):
    name = "pyttsx3"
    label = "eSpeak NG"

    def __init__(self) -> None:
        self.source = _load_espeak()
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
        except Exception as exc:  # the driver raises RuntimeError at import without eSpeak
            raise EngineError(f"cannot load eSpeak NG through pyttsx3: {exc}") from None
        self._espeak = _espeak
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine = pyttsx3.init("espeak")
        self._voices: list[EngineVoice] | None = None
        self._names: dict[str, str] = {}  # language -> eSpeak voice identifier
        self._tmp = tempfile.TemporaryDirectory(prefix="audiobook-tts-")

    def voices(self) -> list[EngineVoice]:
        if self._voices is None:
            out = []
            for v in self._engine.getProperty("voices"):
                language = (v.languages[0] if v.languages else v.id).lower()
                if language not in self._names:
                    self._names[language] = v.id
                    out.append(EngineVoice(language, v.name, (v.gender or "unknown").lower()))
            spec = self._espeak.VOICE()
            spec.languages = b"variant"
            for v in self._espeak.ListVoices(spec):
                ident = v.identifier.decode("utf-8", "replace")
                out.append(EngineVoice(ident.split("/", 1)[-1], v.name.decode("utf-8", "replace"),
                                       _GENDERS.get(v.gender, "unknown"), variant=True))
            self._voices = out
        return self._voices

    def _espeak_name(self, voice_id: str) -> str:
        self.voices()
        language, _, variant = voice_id.partition("+")
        name = self._names.get(language.lower())
        if name is None:
            raise EngineError(f"unknown voice '{voice_id}'")
        return f"{name}+{variant}" if variant else name

    def synthesize(self, text: str, voice: Voice) -> tuple[bytes, int]:
        engine = self._engine
        try:
            engine.setProperty("voice", self._espeak_name(voice.id))
            engine.setProperty("rate", voice.rate)
            engine.setProperty("pitch", voice.pitch)
            engine.setProperty("volume", voice.volume)
        except (ValueError, KeyError) as exc:
            raise EngineError(f"voice '{voice.id}': {exc}") from None
        path = Path(self._tmp.name) / "clip.wav"
        for _attempt in range(3):  # the driver has been seen to skip a save silently
            path.unlink(missing_ok=True)
            with contextlib.redirect_stdout(io.StringIO()):
                engine.save_to_file(text, str(path))
                engine.runAndWait()
            if path.exists() and path.stat().st_size > 44:
                with wave.open(str(path), "rb") as w:
                    return w.readframes(w.getnframes()), w.getframerate()
        raise EngineError(f"eSpeak NG produced no audio for: {text[:60]!r}")

    def close(self) -> None:
        self._tmp.cleanup()
