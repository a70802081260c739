"""Segments + cast + engine -> clips: each segment spoken by its voice.

A segment is spoken a sentence at a time, with the sentence pause of the cast file between,
so every pause in the book is one the user can set. What the engine is given is bounded
whatever the text: a sentence past ``MAX_UTTERANCE`` characters (a wall of text, a poem
without stops) is cut at its clauses, then between words, and a segment past ``CLIP_CHARS``
is spoken as several clips, so memory stays small and a long chapter can be cut in parts
anywhere. Every sentence's audio is kept in a
content-addressed cache (engine, voice, settings, text), so a rebuild speaks only what
changed; cache entries are written atomically. Work spreads over worker processes, one
engine each (eSpeak NG holds one engine per process), a bounded window ahead of the clip
being mixed, and comes back in order.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace

from .cache import ClipCache
from .engines import Engine, get_engine
from .lock import drop_inherited
from .models import Clip, Segment, Treatment, Voice

_MARKUP_RE = re.compile(r"^#{1,6}\s+|[*_`]+|<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
_SPEAKABLE_RE = re.compile(r"\w")
# A sentence ends at . ! ? or … (and any closing quotes) before a space and a capital or a
# quote; not after a title such as Mr. or a single initial.
_SENTENCE_END_RE = re.compile(r"(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Mt))(?<!\bMrs)(?<!\b[A-Z])"
                              r"(?:[.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
MAX_UTTERANCE = 400  # characters eSpeak NG is given at once (about 25 s of speech)
CLIP_CHARS = 600  # a longer segment is spoken as several clips (about 40 s each), so a part
# of the shortest length (--max-minutes 1) can end inside it
# Where a sentence too long to say at once is cut: after a clause's punctuation, else a space.
_CLAUSE_RE = re.compile(r"(?<=[,;:—–)])\s+|\s+(?=[—–(])")
WINDOW = 256  # utterances asked for ahead of the one being mixed
WINDOW_CHARS = 25_000  # and at most this much text (about 25 min of speech) in flight


def spoken_text(segment: Segment) -> str:
    """What the voice reads: the segment's text without markup, on one line. A heading that
    is only a chapter's number (``II``, ``12.``) is read as a narrator says it: Chapter 2."""
    text = _SPACE_RE.sub(" ", _MARKUP_RE.sub("", segment.text)).strip()
    if segment.heading and (m := _NUMERAL_RE.match(text)):
        return f"Chapter {_number(m.group(1))}"
    return text


_NUMERAL_RE = re.compile(r"^(\d{1,3}|(?=[IVXLC])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})"
                         r"(?:I[XV]|V?I{0,3}))\.?$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _number(numeral: str) -> int:
    if numeral.isdigit():
        return int(numeral)
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0]))


def speakable(segment: Segment) -> bool:
    return bool(_SPEAKABLE_RE.search(segment.text))


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (each keeps its punctuation)."""
    out, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if _SPEAKABLE_RE.search(s)]


def utterances(text: str, limit: int = MAX_UTTERANCE) -> list[str]:
    """``text`` as the engine is given it: its sentences, each cut to at most ``limit``
    characters at its clauses, else between words (a word longer than that, at the limit)."""
    return [piece for sentence in sentences(text) for piece in _bounded(sentence, limit)]


def _bounded(sentence: str, limit: int) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    for clause in _CLAUSE_RE.split(sentence):
        for word in clause.split(" ") if len(clause) > limit else [clause]:
            while len(word) > limit:  # no space to cut at
                out.append(word[:limit])
                word = word[limit:]
            if out and len(out[-1]) + 1 + len(word) <= limit:
                out[-1] += " " + word
            else:
                out.append(word)
    return [piece for piece in out if _SPEAKABLE_RE.search(piece)]


def _clips_of(parts: list, limit: int = CLIP_CHARS) -> list[list]:
    """A segment's (key, text, voice) utterances grouped into clips of at most ``limit``
    characters (one utterance at least)."""
    clips, size = [[]], 0
    for part in parts:
        if clips[-1] and size + len(part[1]) > limit:
            clips.append([])
            size = 0
        clips[-1].append(part)
        size += len(part[1]) + 1
    return clips


def trim(pcm: bytes, floor: int = 64) -> bytes:
    """The engine's silence off a sentence's ends, so the pause between is the one set."""
    samples = memoryview(pcm).cast("h")
    start, end = 0, len(samples)
    while start < end and abs(samples[start]) < floor:
        start += 1
    while end > start and abs(samples[end - 1]) < floor:
        end -= 1
    return pcm[start * 2:end * 2]


# -- worker processes -----------------------------------------------------------------------

_WORKER: dict = {}


def _worker_start(engine_name: str, settings: dict, cache_root: str | None, parent: int
                  ) -> None:
    drop_inherited()  # the build's lock ends with the build, not with its last worker
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle, once
    _WORKER["engine"] = get_engine(engine_name, **settings)
    _WORKER["cache"] = ClipCache(cache_root)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the build that forked it dies, however it dies
    (Linux's PR_SET_PDEATHSIG); elsewhere the build's own shutdown stops its workers."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the call: nobody would tell us
        os._exit(1)


def _worker_speak(key: str, text: str, voice: Voice) -> tuple[bytes, int]:
    return _speak(_WORKER["engine"], _WORKER["cache"], key, text, voice)


def _speak(engine: Engine, cache: ClipCache, key: str, text: str, voice: Voice
           ) -> tuple[bytes, int]:
    pcm, rate = engine.synthesize(text, voice)
    pcm = trim(pcm)
    cache.put(key, pcm, rate)
    return pcm, rate


def workers(jobs: int, worker_bytes: int) -> int:
    """``jobs`` worker processes, or as many as the memory available holds when each needs
    ``worker_bytes`` (a Kokoro model each), at least one."""
    if jobs <= 1 or worker_bytes <= 0:
        return jobs
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            free = next(int(line.split()[1]) * 1024 for line in f
                        if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return jobs
    return max(1, min(jobs, free // worker_bytes))


class Renderer:
    """Speaks segments into clips, in order, from the cache or the engine.

    With ``jobs`` above 1, worker processes each make their own engine of the same name and
    settings (``get_engine(engine.name, **engine.settings)``), no more of them than memory
    holds (``Engine.worker_bytes``), an engine with threads of its own given its share of the
    cores; otherwise ``engine`` speaks in this process.
    """

    def __init__(self, engine: Engine, cache: ClipCache = ClipCache(None), jobs: int = 1,
                 sentence_pause_ms: int = 350) -> None:
        self.engine = engine
        self.cache = cache
        self.jobs = workers(jobs, engine.worker_bytes)
        self.sentence_pause_ms = sentence_pause_ms
        self.spoken = 0  # sentences synthesized
        self.reused = 0  # sentences found in the cache
        self._pool: ProcessPoolExecutor | None = None
        self._identity = f"{engine.name}:{getattr(engine, 'version', '')}"

    def _submit(self, key: str, text: str, voice: Voice) -> Future | tuple[bytes, int]:
        if (hit := self.cache.get(key)) is not None:
            self.reused += 1
            return hit
        self.spoken += 1
        if self.jobs <= 1:
            return _speak(self.engine, self.cache, key, text, voice)
        self.start()
        return self._pool.submit(_worker_speak, key, text, voice)

    def start(self) -> None:
        """Start the worker processes now, while this process has no other threads (they are
        forked; a fork beside running threads can inherit a lock no one will release)."""
        if self.jobs > 1 and self._pool is None:
            root = str(self.cache.root) if self.cache.root else None
            settings = dict(self.engine.settings)
            if self.engine.threaded:  # the cores shared out, not each worker taking them all
                settings["threads"] = max(1, (os.cpu_count() or 1) // self.jobs)
            self._pool = ProcessPoolExecutor(self.jobs, initializer=_worker_start,
                                             initargs=(self.engine.name, settings, root,
                                                       os.getpid()))
            self._pool.submit(int).result()  # with fork, every worker starts on the first job

    def clips(self, segments: Iterable[Segment],
              rendition: Callable[[Segment], tuple[Voice, Treatment]],
              on_clip: Callable[[Clip], None] | None = None,
              say: Callable[[Segment], str] = spoken_text) -> Iterator[Clip]:
        """Every speakable segment as clips, in order: one, or for a segment past
        ``CLIP_CHARS``, several, each holding part of its text (``Clip.continued`` after the
        first). ``say`` gives the text the engine is given (``speech.Speech``)."""
        engine_id = self._identity
        plan = []  # (segment, treatment, [[(key, text, voice)] per clip])
        for segment in segments:
            if speakable(segment):
                voice, treatment = rendition(segment)
                plan.append((segment, treatment,
                             _clips_of([(ClipCache.key(engine_id, voice, s), s, voice)
                                        for s in utterances(say(segment))])))
        jobs = deque(job for _, _, clips in plan for parts in clips for job in parts)
        pending: deque = deque()
        in_flight = 0  # characters

        def fill() -> None:
            nonlocal in_flight
            while jobs and len(pending) < WINDOW and in_flight < WINDOW_CHARS:
                job = jobs.popleft()
                pending.append((len(job[1]), self._submit(*job)))
                in_flight += len(job[1])

        for segment, treatment, clips in plan:
            for n, parts in enumerate(clips):
                pieces, rate = [], None
                for _ in parts:
                    fill()
                    size, result = pending.popleft()
                    in_flight -= size
                    pcm, rate = result.result() if isinstance(result, Future) else result
                    if pieces:
                        pieces.append(b"\x00\x00" * (self.sentence_pause_ms * rate // 1000))
                    pieces.append(pcm)
                if rate is None:
                    continue
                piece = segment if len(clips) == 1 else replace(
                    segment, text=" ".join(text for _, text, _ in parts))
                clip = Clip(piece, b"".join(pieces), rate, treatment, continued=n > 0)
                if on_clip:
                    on_clip(clip)
                yield clip

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
