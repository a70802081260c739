"""Kokoro-82M through kokoro-onnx (ONNX Runtime on the CPU): natural voices, an optional extra.

The only module that imports kokoro-onnx, onnxruntime and numpy (``pip install
'audiobook[kokoro]'``). Nothing is downloaded: the model and its voices are files the user puts
in ``$XDG_DATA_HOME/audiobook/kokoro/`` (or names in the cast file), and an engine that cannot
load them says which file is missing and where to get it, before a build starts.

Voices are Kokoro's names, which say their language and gender (``af_heart``: American
English, female; ``bm_george``: British English, male), or a blend of them
(``af_bella:0.6+af_sky:0.4``, their style vectors mixed by weight). A voice's ``rate`` is
Kokoro's speed times ``RATE_PER_SPEED`` (a cast file gives ``speed: 1.1``), so the styles that
slow thoughts slow Kokoro too. Text becomes phonemes through eSpeak NG (kokoro-onnx's own
phonemizer, on the eSpeak NG the espeakng-loader wheel ships); a pronunciation given as eSpeak
NG phonemes in ``[[ ]]`` is turned into IPA by eSpeak NG itself, so it is said the same by
both engines.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
from pathlib import Path

from ..errors import EngineError
from ..models import RATE_PER_SPEED, Voice
from .base import Engine, EngineVoice

RELEASE = "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/"
MODEL_FILES = ("kokoro-v1.0.int8.onnx", "kokoro-v1.0.onnx")  # the quantised one first
VOICES_FILE = "voices-v1.0.bin"
SAMPLE_RATE = 24000
SPEEDS = (0.5, 2.0)  # what Kokoro accepts
# The first letter of a voice's name is its language (the eSpeak NG voice that phonemizes
# it), the second its gender.
LANGUAGES = {"a": ("en-us", "American English"), "b": ("en-gb", "British English"),
             "e": ("es", "Spanish"), "f": ("fr-fr", "French"), "h": ("hi", "Hindi"),
             "i": ("it", "Italian"), "j": ("ja", "Japanese"),
             "p": ("pt-br", "Brazilian Portuguese"), "z": ("cmn", "Mandarin Chinese")}
GENDERS = {"f": "female", "m": "male"}
# Kokoro's best-rated voices (its VOICES.md), cast first; the others follow by name.
PREFERRED = ("af_heart", "af_bella", "bf_emma", "am_michael", "bm_george", "am_fenrir",
             "af_nicole", "bm_fable", "bf_isabella", "am_puck", "af_aoede", "bm_lewis",
             "af_kore", "bf_alice", "af_sarah", "bm_daniel")
_BLEND_RE = re.compile(r"^([a-z]{2}_[a-z0-9]+)(?::(\d*\.?\d+))?$")


def data_dir() -> Path:
    """Where the model and voices are looked for unless the cast file says."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "audiobook" / "kokoro"


def locate(model: str | Path | None = None, voices: str | Path | None = None
           ) -> tuple[Path, Path]:
    """The model and voices files to load, or an EngineError naming the first one missing,
    where to download it and where to put it."""
    folder = data_dir()
    if model is None:
        model = next((folder / n for n in MODEL_FILES if (folder / n).is_file()),
                     folder / MODEL_FILES[0])
    model, voices = Path(model).expanduser(), Path(voices or folder / VOICES_FILE).expanduser()
    for path, name in ((model, MODEL_FILES[0]), (voices, VOICES_FILE)):
        if not path.is_file():
            raise EngineError(f"Kokoro's {'model' if path is model else 'voices'} file "
                              f"{path} is missing: download {RELEASE}{name} and save it as "
                              f"{path} (or name the file in the cast file's "
                              f"'{'model' if path is model else 'voices'}:')")
    return model, voices


def parse_voice(voice_id: str) -> list[tuple[str, float]]:
    """``af_bella:0.6+af_sky:0.4`` -> [(name, weight)], weights summing to 1; a ValueError
    saying what is wrong with a malformed id."""
    parts = []
    for piece in voice_id.split("+"):
        m = _BLEND_RE.match(piece.strip())
        if not m:
            raise ValueError(f"'{piece.strip()}' is not a Kokoro voice (a name such as "
                             "af_heart, or a blend such as af_bella:0.6+af_sky:0.4)")
        parts.append((m.group(1), float(m.group(2) or 1.0)))
    total = sum(w for _, w in parts)
    if total <= 0:
        raise ValueError(f"the weights of '{voice_id}' add up to nothing")
    return [(name, w / total) for name, w in parts]


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


class KokoroEngine(Engine):
    name = "kokoro"
    label = "Kokoro"
    sample_rate = SAMPLE_RATE
    threaded = True  # ONNX Runtime runs its own threads: give each worker its share
    pitched = False  # Kokoro has no pitch setting; a voice's pitch is ignored
    narrator_voice = "af_heart"  # the best-rated voice reads the most
    default_voice = "af_bella"

    def __init__(self, model: str | Path | None = None, voices: str | Path | None = None,
                 threads: int | None = None) -> None:
        self.model_path, self.voices_path = locate(model, voices)
        try:
            import numpy
            import onnxruntime
            from kokoro_onnx import Kokoro
        except ImportError as exc:
            raise EngineError(f"the Kokoro engine needs the optional extra ({exc.name} is not "
                              "installed): pip install 'audiobook[kokoro]'") from None
        self._np = numpy
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        try:
            session = onnxruntime.InferenceSession(str(self.model_path), options,
                                                   providers=["CPUExecutionProvider"])
            self._kokoro = Kokoro.from_session(session, str(self.voices_path))
            self._styles = {name: self._kokoro.voices[name] for name in self._kokoro.voices}
        except Exception as exc:  # onnxruntime and numpy raise their own kinds
            detail = str(exc).strip().splitlines()
            raise EngineError(f"cannot load Kokoro from {self.model_path} and "
                              f"{self.voices_path}: {detail[0] if detail else type(exc).__name__}"
                              f"; download them again from {RELEASE}") from None
        self.version = (f"kokoro-onnx {importlib.metadata.version('kokoro-onnx')}, model "
                        f"{_digest(self.model_path)}, voices {_digest(self.voices_path)}")
        # seen: about 790 MB resident for the 88 MB int8 model (sherpa-onnx #2374)
        self.worker_bytes = 4 * self.model_path.stat().st_size + (400 << 20)

    def voices(self) -> list[EngineVoice]:
        out = []
        rank = {name: n for n, name in enumerate(PREFERRED)}
        for name in sorted(self._styles, key=lambda n: (rank.get(n, len(rank)), n)):
            code, language = LANGUAGES.get(name[:1], ("", "unknown language"))
            gender = GENDERS.get(name[1:2], "unknown")
            out.append(EngineVoice(name, f"{name.partition('_')[2].title()} ({language}, "
                                         f"{gender})", gender, language=code))
        return out

    def describe(self, voice_id: str) -> str:
        names = {v.id: v.name for v in self.voices()}
        return f"{self.label} " + " + ".join(
            f"{names.get(n, n)}{'' if w == 1 else f' {w:.0%}'}" for n, w in parse_voice(voice_id))

    def check_voice(self, voice_id: str) -> str | None:
        try:
            parts = parse_voice(voice_id)
        except ValueError as exc:
            return str(exc)
        for name, _ in parts:
            if name not in self._styles:
                import difflib

                close = difflib.get_close_matches(name, sorted(self._styles), n=1, cutoff=0.5)
                return (f"unknown Kokoro voice '{name}'"
                        + (f"; did you mean '{close[0]}'?" if close else
                           "; `audiobook voices --engine kokoro` lists them"))
        return None

    def language_voice(self, tag: str) -> str | None:
        tag = tag.strip().lower().replace("_", "-")
        for letter, (language, _) in LANGUAGES.items():
            if language == tag or language.split("-")[0] == tag.split("-")[0]:
                return next((v.id for v in self.voices() if v.id.startswith(letter)), None)
        return None

    def slots(self, gender: str) -> tuple[str, ...]:
        """The voices to cast characters of ``gender`` from, the best first."""
        return tuple(v.id for v in self.voices() if gender == "unknown" or v.gender == gender)

    def _style(self, parts: list[tuple[str, float]]):
        return sum(self._styles[name] * weight for name, weight in parts)

    def phonemes(self, text: str, voice: Voice) -> str:
        """What Kokoro is given for ``text``: IPA, from eSpeak NG; ``[[...]]`` pieces (eSpeak
        NG phonemes) turned into IPA by eSpeak NG."""
        language = LANGUAGES.get(parse_voice(voice.id)[0][0][:1], ("en-us", ""))[0]
        out = []
        for n, piece in enumerate(re.split(r"(\[\[.*?\]\])", text)):
            if not piece.strip():
                continue
            if n % 2:
                from .pyttsx3_engine import ipa

                out.append(ipa(piece, language))
            else:
                out.append(self._kokoro.tokenizer.phonemize(piece, language))
        return " ".join(p.strip() for p in out if p.strip())

    def synthesize(self, text: str, voice: Voice) -> tuple[bytes, int]:
        np = self._np
        try:
            parts = parse_voice(voice.id)
            speed = min(SPEEDS[1], max(SPEEDS[0], voice.rate / RATE_PER_SPEED))
            phonemes = self.phonemes(text, voice)
            if not phonemes:
                raise ValueError("no phonemes")
            audio, rate = self._kokoro.create(phonemes, self._style(parts), speed=speed,
                                              is_phonemes=True)
        except (KeyError, ValueError, RuntimeError) as exc:
            raise EngineError(f"Kokoro cannot say {text[:60]!r} with '{voice.id}': "
                              f"{exc}") from None
        audio = np.clip(np.asarray(audio, dtype=np.float32) * voice.volume, -1.0, 1.0)
        pcm = (audio * 32767).astype("<i2").tobytes()
        if not pcm:
            raise EngineError(f"Kokoro produced no audio for: {text[:60]!r}")
        return pcm, rate
