"""pyttsx3's eSpeak NG driver: the default, fully offline engine.

The only module that imports pyttsx3. It loads eSpeak NG from the system when it is there and
otherwise from the ``espeakng-loader`` wheel (library and data), and speaks through the ctypes
binding of pyttsx3's eSpeak driver (``pyttsx3.drivers._espeak``) with eSpeak in synchronous
mode, straight into memory. pyttsx3's own event loop is not used: it sleeps 10 ms per
utterance, round-trips every clip through a WAV file, prints on every save and has been seen
to skip a save without an error; a book has thousands of utterances.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import importlib.metadata
import os
import re

from ..errors import EngineError
from ..models import Voice
from .base import Engine, EngineVoice

_GENDERS = {1: "male", 2: "female"}
_AUDIO_OUTPUT_SYNCHRONOUS = 2
# What is used of pyttsx3's private binding, as in the versions tested (pyproject.toml).
_BINDING = ("Initialize", "Info", "ListVoices", "VOICE", "SetSynthCallback", "SetVoiceByName",
            "SetParameter", "Synth", "RATE", "PITCH", "VOLUME", "ENDPAUSE", "CHARS_UTF8",
            "PHONEMES", "dll")
TESTED = "2.98 and 2.99"


_LOADED: list = []


@functools.cache
def _load_espeak() -> str:
    """Make libespeak-ng loadable by pyttsx3; say where it came from."""
    # The system's, when it has one (asked of the linker's cache: a copy another library
    # loaded already, as kokoro-onnx's phonemizer does, answers to the name too).
    if ctypes.util.find_library("espeak-ng"):
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
    # Loaded under its soname, so pyttsx3's LoadLibrary('libespeak-ng.so.1') finds it; not
    # RTLD_GLOBAL, whose symbols would take the place of those of the private copy that
    # kokoro-onnx's phonemizer loads (which then finds no voices).
    _LOADED.append(ctypes.CDLL(espeakng_loader.get_library_path()))
    return "wheel"


def _version() -> str:
    try:
        return importlib.metadata.version("pyttsx3")
    except importlib.metadata.PackageNotFoundError:
        return "(version unknown)"


class Pyttsx3Engine(Engine):
    name = "pyttsx3"
    label = "eSpeak NG"
    # eSpeak NG is one engine per process: initialised once, with one callback and one voice
    # at a time, whichever instance last spoke.
    _initialized = False
    _owner: Pyttsx3Engine | None = None
    _current: tuple | None = None

    def __init__(self) -> None:
        self.source = _load_espeak()
        try:
            from pyttsx3.drivers import _espeak
        except Exception as exc:  # the driver raises RuntimeError at import without eSpeak
            raise EngineError(f"cannot load eSpeak NG through pyttsx3: {exc}") from None
        if missing := [name for name in _BINDING if not hasattr(_espeak, name)]:
            raise EngineError(f"pyttsx3 {_version()} has changed the eSpeak binding this engine "
                              f"uses (no {', '.join(missing)}); it works with pyttsx3 {TESTED}: "
                              "pip install 'pyttsx3>=2.98,<2.100'")
        self._espeak = _espeak
        if not Pyttsx3Engine._initialized:
            self.sample_rate = _espeak.Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0)
            if self.sample_rate <= 0:
                raise EngineError("eSpeak NG could not be initialised")
            Pyttsx3Engine._initialized, Pyttsx3Engine._rate = True, self.sample_rate
        self.sample_rate = Pyttsx3Engine._rate
        self._chunks: list[bytes] = []
        info = _espeak.Info(None)
        self.version = info.decode("ascii", "replace") if info else ""
        self._voices: list[EngineVoice] | None = None
        self._names: dict[str, str] = {}  # language -> eSpeak voice identifier

    def _collect(self, wav, numsamples, events) -> int:
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0

    def voices(self) -> list[EngineVoice]:
        if self._voices is None:
            out = []
            for v in self._espeak.ListVoices(None):
                ident = v.identifier.decode("utf-8", "replace")
                language = (v.languages[1:].decode("utf-8", "replace") if v.languages
                            else ident).lower()
                if language not in self._names:
                    self._names[language] = ident
                    out.append(EngineVoice(language, v.name.decode("utf-8", "replace"),
                                           _GENDERS.get(v.gender, "unknown")))
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

    def _set(self, voice: Voice) -> None:
        cls = Pyttsx3Engine
        if cls._owner is not self:
            self._espeak.SetSynthCallback(self._collect)
            cls._owner = self
        wanted = (voice.id, voice.rate, voice.pitch, voice.volume)
        if wanted == cls._current:
            return
        es = self._espeak
        if es.SetVoiceByName(self._espeak_name(voice.id).encode("utf-8")) != 0:
            raise EngineError(f"eSpeak NG cannot select voice '{voice.id}'")
        es.SetParameter(es.RATE, int(voice.rate), 0)
        es.SetParameter(es.PITCH, int(voice.pitch), 0)
        es.SetParameter(es.VOLUME, int(round(voice.volume * 100)), 0)
        cls._current = wanted

    def synthesize(self, text: str, voice: Voice) -> tuple[bytes, int]:
        self._set(voice)
        es = self._espeak
        for _attempt in range(2):
            self._chunks = []
            # [[...]] is eSpeak phonemes: only a cast file's pronunciation can give them (the
            # speech stage keeps the story's own brackets from reading as such)
            es.Synth(text.encode("utf-8"), flags=es.ENDPAUSE | es.CHARS_UTF8 | es.PHONEMES)
            pcm = b"".join(self._chunks)
            if pcm:
                return pcm, self.sample_rate
        raise EngineError(f"eSpeak NG produced no audio for: {text[:60]!r}")

    def phonemes(self, text: str, voice: Voice) -> str:
        """How eSpeak NG will say ``text`` with ``voice``, in its phoneme mnemonics (what a
        pronunciation may give between [[ and ]])."""
        self._set(voice)
        to_phonemes = self._espeak.dll.espeak_TextToPhonemes
        to_phonemes.restype = ctypes.c_char_p
        to_phonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        out = []
        for n, piece in enumerate(re.split(r"\[\[(.*?)\]\]", text)):
            if n % 2:  # phonemes given as such are said as given
                out.append(piece)
                continue
            buffer = ctypes.create_string_buffer(piece.encode("utf-8"))
            at = ctypes.c_char_p(ctypes.addressof(buffer))
            while at.value:  # a clause a call; eSpeak moves ``at`` on, to NULL at the end
                said = to_phonemes(ctypes.byref(at), 1, 0) or b""
                out.append(said.decode("utf-8", "replace"))
        return " ".join(p.strip() for p in out if p.strip())


_IPA: dict = {}


def ipa(phonemes: str, language: str) -> str:
    """eSpeak NG phonemes (``[[S@v'O:n]]``) in IPA, as eSpeak NG reads them in ``language``:
    how a pronunciation given for eSpeak NG is given to an engine that reads IPA."""
    engine = _IPA.get("engine") or _IPA.setdefault("engine", Pyttsx3Engine())
    engine._set(Voice(language))
    es = engine._espeak
    if not getattr(engine, "_phoneme_input", False):
        # eSpeak NG reads [[ ]] as phonemes in the mode the last Synth call set
        es.Synth(b" ", flags=es.CHARS_UTF8 | es.PHONEMES)
        Pyttsx3Engine._phoneme_input = True
    to_phonemes = es.dll.espeak_TextToPhonemes
    to_phonemes.restype = ctypes.c_char_p
    to_phonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
    text = phonemes if phonemes.startswith("[[") else f"[[{phonemes}]]"
    buffer = ctypes.create_string_buffer(text.encode("utf-8"))
    at = ctypes.c_char_p(ctypes.addressof(buffer))
    out = []
    while at.value:
        out.append((to_phonemes(ctypes.byref(at), 1, 0x02) or b"").decode("utf-8", "replace"))
    return " ".join(p.strip() for p in out if p.strip())
