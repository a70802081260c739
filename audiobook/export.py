"""Chapter audio -> tagged MP3 files and their sidecars, each written atomically.

The only module that runs the MP3 encoder (ffmpeg with libmp3lame: the system's, or the one
the ``imageio-ffmpeg`` wheel ships) and the only one that imports mutagen. Tags are ID3v2.3,
which players and Windows read where they still miss v2.4.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import wave
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from mutagen.id3 import (APIC, CHAP, COMM, CTOC, ID3, MVIN, MVNM, TALB, TCOM, TCON, TDRC, TIT2,
                         TLAN, TPE1, TPE2, TPOS, TPUB, TRCK, TXXX, CTOCFlags, ID3NoHeaderError)
from mutagen.mp3 import MP3, BitrateMode, HeaderNotFoundError

from .cache import ClipCache
from .errors import ExportError, OutputError
from .models import BookInfo, Cue, Kind

_UNSAFE_RE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


@dataclass(frozen=True)
class Encoding:
    bitrate_kbps: int = 192  # constant bit rate
    sample_rate: int = 44100
    channels: int = 1
    quality: int = 7  # LAME's -q: 0 best and slowest, 9 fastest; 7 is twice as fast as 3
                      # and transparent for speech at 192 kbit/s


def ffmpeg_exe() -> str:
    """The ffmpeg to encode with: the system's, else the one shipped by imageio-ffmpeg."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        raise ExportError("no MP3 encoder: install ffmpeg, or the 'imageio-ffmpeg' package") \
            from None


def safe_name(name: str, limit: int = 120) -> str:
    """A file or folder name that every common filesystem accepts."""
    name = _UNSAFE_RE.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip().strip(".").strip()
    return name[:limit].rstrip() or "Untitled"


def book_dir(out: Path, book: BookInfo) -> Path:
    """``OUT/<author>/<title>/``; in a series, ``OUT/<author>/<series>/<N> - <title>/`` as
    Audiobookshelf and other library servers expect."""
    if book.series:
        name = f"{book.series_index} - {book.title}" if book.series_index else book.title
        return out / safe_name(book.author) / safe_name(book.series) / safe_name(name)
    return out / safe_name(book.author) / safe_name(book.title)


def track_path(folder: Path, number: int, total: int, title: str) -> Path:
    """``<book folder>/NN - <title>.mp3``, numbers zero-padded to the total."""
    width = max(2, len(str(total)))
    return folder / f"{number:0{width}d} - {safe_name(title)}.mp3"


@contextmanager
def atomic(dest: Path, option: str = "--out") -> Iterator[Path]:
    """A temporary path beside ``dest`` that becomes ``dest`` only if the block succeeds.
    A place that cannot be written (no permission, a full disk) is an OutputError naming it
    and ``option``, the choice that put it there."""
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        yield partial
        os.replace(partial, dest)
    except OSError as exc:
        raise (OutputError.of(exc, dest, option) or exc) from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def bandwidth(rate: int, encoding: Encoding) -> list[str]:
    """The encoder's low-pass at the mix's own Nyquist frequency when it is resampled up
    (eSpeak NG speaks at 22,050 Hz: nothing above 11 kHz to code), so no time or bits go
    on bands that are silent."""
    return ["-cutoff", str(rate // 2)] if rate < encoding.sample_rate else []


def _encoder_command(rate: int, dest: Path, encoding: Encoding) -> list[str]:
    return [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
            "-ar", str(encoding.sample_rate), "-ac", str(encoding.channels),
            *bandwidth(rate, encoding),
            "-codec:a", "libmp3lame", "-b:a", f"{encoding.bitrate_kbps}k",
            "-compression_level", str(encoding.quality),
            "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3", str(dest)]


# libmp3lame, as ffmpeg drives it, starts its output this many samples late: LAME's own
# encoder delay (576) and the decoder's (529). A stream without a LAME header (a fragment)
# decodes with them in front.
ENCODER_DELAY = 1105
FRAGMENT_SECONDS = 30  # a file is encoded in pieces of about this length, cut in pauses


def encode_fragment(pcm: bytes, rate: int, encoding: Encoding) -> bytes:
    """Bare MP3 frames of ``pcm`` (no tags, no LAME header): a piece of a file."""
    cmd = _encoder_command(rate, Path("pipe:1"), encoding)
    cmd[cmd.index("-write_xing") + 1] = "0"
    return run_encoder(cmd, pcm, "MP3")


def run_encoder(cmd: list[str], pcm: bytes, name: str) -> bytes:
    """What the encoder ``cmd`` writes to its standard output for ``pcm``; an ExportError
    naming the ``name`` encoder's last complaint when it fails or writes nothing."""
    try:
        proc = subprocess.run(cmd, input=pcm, capture_output=True, check=False)
    except OSError as exc:
        raise ExportError(f"cannot run the {name} encoder: {exc}") from None
    if proc.returncode != 0 or not proc.stdout:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"{name} encoding failed: {detail[-1] if detail else proc.returncode}")
    return proc.stdout


_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)


def mp3_frames(data: bytes) -> int:
    """How many MPEG-1 Layer III frames ``data`` holds (each decodes to 1152 samples)."""
    frames = pos = 0
    while pos + 4 <= len(data):
        header = int.from_bytes(data[pos:pos + 4], "big")
        bitrate, rate = (header >> 12) & 0xF, (header >> 10) & 0x3
        if header >> 21 != 0x7FF or not 0 < bitrate < 15 or rate == 3:
            raise ExportError("the encoder wrote something that is not MPEG audio")
        pos += 144 * _BITRATES[bitrate] * 1000 // _RATES[rate] + ((header >> 9) & 1)
        frames += 1
    return frames


@dataclass(frozen=True)
class Codec:
    """How an Assembler's fragments are encoded, and how long they decode: ``samples`` of
    encoded data, with ``delay`` of them (the encoder's) in front of each fragment."""

    kind: str  # also the cache's name for its fragments
    encode: Callable[[bytes, int, Encoding], bytes]
    samples: Callable[[bytes], int]
    delay: int


MP3_CODEC = Codec("mp3", lambda pcm, rate, encoding: encode_fragment(pcm, rate, encoding),
                  lambda data: mp3_frames(data) * 1152, ENCODER_DELAY)


class Assembler:
    """Encodes a file a fragment at a time, each as soon as it is mixed, on a shared pool of
    encoders, and appends their frames (MP3, or another ``codec``'s) to the file in order as
    they come back.

    Fragments are cut in pauses; each decodes with the encoder's delay in front, a few
    hundredths of a second of quiet inside a pause, which ``seconds_at`` accounts for. An
    encoded fragment is cached by its audio, so a rebuild encodes only the fragments whose
    audio changed.
    """

    def __init__(self, rate: int, dest: Path, encoding: Encoding, pool, cache: ClipCache,
                 slots: threading.Semaphore | None = None, codec: Codec = MP3_CODEC) -> None:
        self.rate, self.dest, self.encoding, self.codec = rate, dest, encoding, codec
        self.pool, self.cache = pool, cache
        # Fragments waiting for an encoder are held in memory: ``slots`` bounds how many, so
        # mixing waits for the encoders instead of piling up hours of audio.
        self.slots = slots
        self._chunks: list[bytes] = []
        self._start = 0  # where the fragment being mixed starts, in samples of the mix
        self._position = 0
        self._pending: list[tuple[int, object]] = []  # (start in the mix, bytes or a Future)
        self._timeline: list[tuple[int, int]] = []  # (start in the mix, start decoded)
        self._out = None
        self.decoded = 0  # samples the file decodes to so far, at the encoding's rate

    def write(self, pcm: bytes) -> None:
        self._chunks.append(pcm)
        self._position += len(pcm) // 2

    @property
    def position(self) -> int:
        """Samples of the mix written so far."""
        return self._position

    def cut(self) -> None:
        """End the fragment here (between two clips) and send it to be encoded."""
        if self._chunks:
            pcm = b"".join(self._chunks)
            key = hashlib.sha256(repr((self.rate, asdict(self.encoding))).encode()
                                 + pcm).hexdigest()
            cached = self.cache.load(key, self.codec.kind)
            if cached is None:
                if self.slots is not None:
                    self.slots.acquire()
                cached = self.pool.submit(self._encode, key, pcm)
            self._pending.append((self._start, cached))
            self._chunks, self._start = [], self._position
        self._drain(wait=False)

    def _encode(self, key: str, pcm: bytes) -> bytes:
        try:
            data = self.codec.encode(pcm, self.rate, self.encoding)
        finally:
            if self.slots is not None:
                self.slots.release()
        self.cache.save(key, self.codec.kind, data)
        return data

    def _drain(self, wait: bool) -> None:
        """Append the fragments that are ready, in order, to the file."""
        while self._pending:
            start, part = self._pending[0]
            if not isinstance(part, bytes):
                if not wait and not part.done():
                    return
                part = part.result()
            if self._out is None:
                self.dest.parent.mkdir(parents=True, exist_ok=True)
                self._out = self.dest.open("wb")
            self._timeline.append((start, self.decoded))
            self.decoded += self.codec.samples(part)
            self._out.write(part)
            self._pending.pop(0)

    def close(self) -> None:
        """Wait for every fragment and finish the file (frames only; tag it afterwards)."""
        self.cut()
        self._drain(wait=True)
        if self._out is None:
            self.dest.write_bytes(b"")
        else:
            self._out.close()

    def seconds_at(self, position: int) -> float:
        """Where a sample of the mix is heard in the file, in seconds."""
        start, decoded = next((s, d) for s, d in reversed(self._timeline) if s <= position)
        out_rate = self.encoding.sample_rate
        return (decoded + self.codec.delay + (position - start) * out_rate / self.rate) / out_rate

    @property
    def seconds(self) -> float:
        return self.decoded / self.encoding.sample_rate

    def abort(self) -> None:
        for _, part in self._pending:
            if not isinstance(part, bytes):
                part.cancel()
        if self._out is not None:
            self._out.close()


def encode_mp3(pcm: bytes, rate: int, dest: Path, encoding: Encoding = Encoding()) -> None:
    """Encode 16-bit mono PCM to a constant-bit-rate MP3 file, resampled by ffmpeg."""
    try:
        proc = subprocess.run(_encoder_command(rate, dest, encoding), input=pcm,
                              capture_output=True, check=False)
    except OSError as exc:
        raise ExportError(f"cannot run the MP3 encoder: {exc}") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"MP3 encoding failed: {detail[-1] if detail else proc.returncode}",
                          path=dest)


def tag_mp3(path: Path, book: BookInfo, title: str, track: int, total: int,
            cover: bytes | None = None, chapters: list[tuple[str, int, int]] = ()) -> None:
    """Write ID3v2.3 tags: title, album, artist and album artist, composer (the narrator),
    track n/N, disc 1/1, genre, year, language, description, the cover, and ``chapters``
    ((title, start ms, end ms)) as CHAP frames under a CTOC table of contents."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        tags = ID3()
    for frame in (TIT2(encoding=1, text=title), TALB(encoding=1, text=book.title),
                  TPE1(encoding=1, text=book.author), TPE2(encoding=1, text=book.author),
                  TRCK(encoding=1, text=f"{track}/{total}"), TPOS(encoding=1, text="1/1"),
                  TCON(encoding=1, text=book.genre)):
        tags.add(frame)
    if book.narrator:
        tags.add(TCOM(encoding=1, text=book.narrator))
    if book.year:
        tags.add(TDRC(encoding=1, text=book.year))
    if book.language:
        tags.add(TLAN(encoding=1, text=book.language))
    if book.description:
        tags.add(COMM(encoding=1, lang="eng", desc="", text=book.description))
    if book.publisher:
        tags.add(TPUB(encoding=1, text=book.publisher))
    if book.series:  # as Audiobookshelf reads them, and iTunes' movement name and number
        tags.add(TXXX(encoding=1, desc="series", text=book.series))
        tags.add(MVNM(encoding=1, text=book.series))
        if book.series_index:
            tags.add(TXXX(encoding=1, desc="series-part", text=book.series_index))
            tags.add(MVIN(encoding=1, text=book.series_index))
    if cover:
        tags.add(APIC(encoding=1, mime="image/jpeg", type=3, desc="Cover", data=cover))
    if chapters:
        ids = [f"ch{n}" for n in range(len(chapters))]
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                      child_element_ids=ids, sub_frames=[TIT2(encoding=1, text=book.title)]))
        for element_id, (name, start, end) in zip(ids, chapters):
            tags.add(CHAP(element_id=element_id, start_time=start, end_time=end,
                          start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
                          sub_frames=[TIT2(encoding=1, text=name)]))
    tags.save(path, v2_version=3)
    if chapters:
        _chapters_in_book_order(path)


def _chapters_in_book_order(path: Path) -> None:
    """Put the CHAP frames of an ID3v2.3 tag in the order of their start times.

    mutagen writes frames smallest first; ffprobe and some players list chapters in the order
    of the frames, not of their times. Frames only swap places, so the tag keeps its size.
    """
    with path.open("r+b") as f:
        head = f.read(10)
        if head[:3] != b"ID3" or head[3] != 3 or head[5] & 0xC0:  # v2.3, no unsync/ext. header
            return
        size = int.from_bytes(bytes(b & 0x7F for b in head[6:10]), "big")
        body = f.read(size)
        frames, pos = [], 0
        while pos + 10 <= len(body) and body[pos:pos + 4] != b"\0\0\0\0":
            length = 10 + int.from_bytes(body[pos + 4:pos + 8], "big")
            frames.append(body[pos:pos + length])
            pos += length
        slots = [i for i, frame in enumerate(frames) if frame[:4] == b"CHAP"]

        def start_time(frame: bytes) -> int:
            at = frame.index(b"\0", 10) + 1  # after the element id
            return int.from_bytes(frame[at:at + 4], "big")

        ordered = sorted((frames[i] for i in slots), key=start_time)
        for i, frame in zip(slots, ordered):
            frames[i] = frame
        f.seek(10)
        f.write(b"".join(frames))


def write_bytes(dest: Path, data: bytes) -> Path:
    with atomic(dest) as partial:
        partial.write_bytes(data)
    return dest


def write_text(dest: Path, text: str) -> Path:
    return write_bytes(dest, text.encode("utf-8"))


def write_wav(pcm: bytes, rate: int, dest: Path) -> Path:
    """16-bit mono PCM to a WAV file, written atomically (for auditions and previews)."""
    with atomic(dest) as partial:
        with partial.open("wb") as f, wave.open(f, "wb") as w:  # a file wave never half-opens
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
    return dest


def webvtt(cues: Iterable[Cue], seconds_at, spoken) -> str:
    """A WebVTT subtitle file: one cue per segment, timed to its clip (``seconds_at`` maps a
    sample of the mix to where it is heard), with its speaker as the voice tag;
    ``spoken(segment)`` gives the text shown."""
    lines = ["WEBVTT", ""]
    for n, cue in enumerate(cues, 1):
        seg = cue.segment
        who = "Narrator" if seg.kind is Kind.NARRATION else (seg.speaker or "Unknown")
        text = spoken(seg).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [str(n), f"{_vtt_time(seconds_at(cue.start))} --> "
                          f"{_vtt_time(seconds_at(cue.end))}", f"<v {who}>{text}", ""]
    return "\n".join(lines)


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def playlist(book: BookInfo, files: list[tuple[Path, float, str]]) -> str:
    """An extended M3U playlist of (file, seconds, title), with paths relative to it."""
    lines = ["#EXTM3U", f"#PLAYLIST:{book.title}"]
    for path, seconds, title in files:
        lines += [f"#EXTINF:{round(seconds)},{book.author} - {title}", path.name]
    return "\n".join(lines) + "\n"


def book_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read_mp3(path: Path) -> dict:
    """Duration, bit rate (and whether constant), sample rate, channels, tags and chapters of
    an MP3, for checks and tests."""
    try:
        info = MP3(path)
    except HeaderNotFoundError:
        raise ExportError("not an MP3 file", path=path) from None
    except OSError as exc:
        raise ExportError(f"cannot read: {exc}", path=path) from None
    tags = info.tags or {}
    keys = ("TIT2", "TALB", "TPE1", "TPE2", "TCOM", "TRCK", "TPOS", "TCON", "TDRC", "TYER",
            "TLAN", "TPUB")
    text = {key: str(tags[key].text[0]) for key in keys + ("MVNM", "MVIN") if key in tags}
    text.update({f"TXXX:{f.desc}": str(f.text[0]) for f in tags.getall("TXXX")} if tags else {})
    comments = [str(f.text[0]) for f in tags.getall("COMM")] if tags else []
    chapters = sorted((f.start_time, f.end_time, str(f.sub_frames["TIT2"].text[0]))
                      for f in tags.getall("CHAP")) if tags else []
    return {"duration": info.info.length, "bitrate": info.info.bitrate,
            "cbr": info.info.bitrate_mode in (BitrateMode.CBR, BitrateMode.UNKNOWN),
            "bitrate_mode": str(info.info.bitrate_mode).rsplit(".", 1)[-1],
            "sample_rate": info.info.sample_rate, "channels": info.info.channels,
            "id3_version": getattr(tags, "version", None), "tags": text,
            "description": comments[0] if comments else "",
            "cover": bool(tags.getall("APIC")) if tags else False, "chapters": chapters}
