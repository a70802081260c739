"""Chapter audio -> tagged MP3 files, written atomically.

The only module that runs the MP3 encoder (ffmpeg with libmp3lame: the system's, or the one
the ``imageio-ffmpeg`` wheel ships) and the only one that imports mutagen.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import ID3, TALB, TCON, TIT2, TPE1, TPE2, TRCK, ID3NoHeaderError
from mutagen.mp3 import MP3, HeaderNotFoundError

from .errors import ExportError
from .models import BookInfo, ChapterAudio

_UNSAFE_RE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


@dataclass(frozen=True)
class Encoding:
    bitrate_kbps: int = 192
    sample_rate: int = 44100
    channels: int = 1


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


def chapter_path(out: Path, book: BookInfo, number: int, total: int, title: str) -> Path:
    width = max(2, len(str(total)))
    return (out / safe_name(book.author) / safe_name(book.title)
            / f"{number:0{width}d} - {safe_name(title)}.mp3")


def encode_mp3(pcm: bytes, rate: int, dest: Path, encoding: Encoding = Encoding()) -> None:
    """Encode 16-bit mono PCM to ``dest`` (resampled by ffmpeg to the target rate)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
           "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
           "-ar", str(encoding.sample_rate), "-ac", str(encoding.channels),
           "-codec:a", "libmp3lame", "-b:a", f"{encoding.bitrate_kbps}k",
           "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3", str(dest)]
    try:
        proc = subprocess.run(cmd, input=pcm, capture_output=True, check=False)
    except OSError as exc:
        raise ExportError(f"cannot run the MP3 encoder: {exc}") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"MP3 encoding failed: {detail[-1] if detail else proc.returncode}",
                          path=dest)


def tag_mp3(path: Path, book: BookInfo, title: str, track: int, total: int) -> None:
    """Write ID3v2.3 tags: title, album, artist, album artist, track n/N, genre."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TALB(encoding=3, text=book.title))
    tags.add(TPE1(encoding=3, text=book.author))
    tags.add(TPE2(encoding=3, text=book.author))
    tags.add(TRCK(encoding=3, text=f"{track}/{total}"))
    tags.add(TCON(encoding=3, text=book.genre))
    tags.save(path, v2_version=3)


def export_chapter(audio: ChapterAudio, dest: Path, book: BookInfo, total: int,
                   encoding: Encoding = Encoding()) -> Path:
    """Encode and tag one chapter; the file appears under its final name only when complete."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.part")
    try:
        encode_mp3(audio.pcm, audio.sample_rate, partial, encoding)
        tag_mp3(partial, book, audio.chapter.title, audio.chapter.number, total)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest


def write_wav(pcm: bytes, rate: int, dest: Path) -> Path:
    """16-bit mono PCM to a WAV file, written atomically (for auditions and previews)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.part")
    try:
        with wave.open(str(partial), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest


def read_mp3(path: Path) -> dict:
    """Duration, bitrate and tags of an MP3, for checks and tests."""
    try:
        info = MP3(path)
    except HeaderNotFoundError:
        raise ExportError("not an MP3 file", path=path) from None
    tags = info.tags or {}
    text = {key: str(tags[key].text[0]) for key in ("TIT2", "TALB", "TPE1", "TRCK", "TCON")
            if key in tags}
    return {"duration": info.info.length, "bitrate": info.info.bitrate,
            "sample_rate": info.info.sample_rate, "channels": info.info.channels,
            "id3_version": getattr(tags, "version", None), "tags": text}
