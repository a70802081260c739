"""The book as one .m4b: AAC-LC in MP4, as Apple Books, BookPlayer, Prologue, Smart AudioBook
Player and Audiobookshelf treat a book.

The mix is encoded by ffmpeg's native AAC encoder (``-aac_coder fast``) in fragments, in
parallel, as the MP3s are (``AAC`` is the Assembler's codec: bare ADTS frames, each fragment
decoding with the encoder's 1024 samples of priming in front, inside a pause); the fragments
are joined without re-encoding and put in MP4 by ffmpeg's ``ipod`` muxer with
``+faststart``, which writes the chapters both as a QuickTime chapter track (the only kind
Apple's players read) and as a Nero ``chpl`` atom (VLC and most Android players; 255 at most).
Tags are iTunes' atoms, through mutagen.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

from .errors import ExportError
from .export import Codec, Encoding, bandwidth, ffmpeg_exe, run_encoder
from .models import BookInfo

NERO_LIMIT = 255  # chapters a chpl atom holds
FREEFORM = "----:com.apple.iTunes:"


# AAC at speech bit rates overshoots the mix's peaks by up to about a decibel (seen: 0.3 to
# 1.1 dB over the -4 dBFS ceiling), so it is given this much headroom to stay under ACX's -3.
HEADROOM_DB = 1.0


def encode_aac(pcm: bytes, rate: int, encoding: Encoding) -> bytes:
    """Bare ADTS frames of ``pcm``, AAC-LC at ``encoding``'s bit rate and sample rate,
    HEADROOM_DB below the mix."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "s16le",
           "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-af", f"volume=-{HEADROOM_DB}dB",
           "-ar", str(encoding.sample_rate), "-ac", str(encoding.channels),
           *bandwidth(rate, encoding), "-c:a", "aac", "-aac_coder", "fast",
           "-b:a", f"{encoding.bitrate_kbps}k", "-f", "adts", "pipe:1"]
    return run_encoder(cmd, pcm, "AAC")


def adts_frames(data: bytes) -> int:
    """How many ADTS frames ``data`` holds (each decodes to 1024 samples)."""
    frames = pos = 0
    while pos + 7 <= len(data):
        if data[pos] != 0xFF or data[pos + 1] & 0xF6 != 0xF0:
            raise ExportError("the encoder wrote something that is not ADTS audio")
        length = ((data[pos + 3] & 0x03) << 11) | (data[pos + 4] << 3) | (data[pos + 5] >> 5)
        if length < 7:
            raise ExportError("the encoder wrote an ADTS frame of no length")
        frames += (data[pos + 6] & 0x03) + 1
        pos += length
    return frames


AAC = Codec("aac", lambda pcm, rate, encoding: encode_aac(pcm, rate, encoding),
            lambda data: adts_frames(data) * 1024, 1024)


def mux(aac: Path, chapters: list[tuple[str, int, int]], dest: Path) -> None:
    """Put the joined ADTS stream ``aac`` in MP4 at ``dest`` with ``chapters`` ((title, start
    ms, end ms)), without re-encoding, the index in front (``+faststart``)."""
    meta = dest.with_name(dest.name + ".chapters")
    lines = [";FFMETADATA1"]
    for title, start, end in chapters:
        clean = title.replace("\\", "\\\\")
        for ch in "=;#\n":
            clean = clean.replace(ch, "\\" + ch)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}",
                  f"title={clean}"]
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        proc = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(aac),
             "-i", str(meta), "-map", "0:a", "-map_chapters", "1",
             "-c", "copy", "-movflags", "+faststart", "-f", "ipod", str(dest)],
            capture_output=True, check=False)
    except OSError as exc:
        raise ExportError(f"cannot run ffmpeg to write the m4b: {exc}") from None
    finally:
        meta.unlink(missing_ok=True)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"writing the m4b failed: {detail[-1] if detail else proc.returncode}",
                          path=dest)


def tag_m4b(path: Path, book: BookInfo, cover: bytes | None = None, title: str | None = None,
            track: tuple[int, int] = (1, 1)) -> None:
    """iTunes' atoms: title and album, artist and album artist (the author), composer (the
    narrator, where Audiobookshelf looks for narrators), genre, year, description, comment,
    cover, media kind audiobook, ``track`` (n, N: a part of the book; 1/1), and the series
    (Audiobookshelf's freeform ``series`` and ``series-part``, Apple's movement name and
    number)."""
    tags = MP4(path)
    values = {"©nam": [title or book.title], "©alb": [book.title], "©ART": [book.author],
              "aART": [book.author], "©gen": [book.genre], "stik": [2], "trkn": [track]}
    if book.narrator:
        values["©wrt"] = [book.narrator]
    if book.year:
        values["©day"] = [book.year]
    if book.description:
        values.update({"desc": [book.description], "ldes": [book.description],
                       "©cmt": [book.description]})
    if cover:
        values["covr"] = [MP4Cover(cover, imageformat=MP4Cover.FORMAT_JPEG)]
    if book.series:
        values["©mvn"] = [book.series]
        values[FREEFORM + "series"] = [MP4FreeForm(book.series.encode("utf-8"))]
        if book.series_index:
            values[FREEFORM + "series-part"] = [MP4FreeForm(book.series_index.encode("utf-8"))]
            if book.series_index.isdigit():
                values["©mvi"] = [int(book.series_index)]
    tags.update(values)
    tags.save()


def read_m4b(path: Path) -> dict:
    """Duration, codec, sample rate, channels, tags and chapters of an .m4b, for checks and
    tests."""
    info = MP4(path)
    chapters = [(c.start, c.title) for c in (info.chapters or [])]
    return {"duration": info.info.length, "codec": info.info.codec,
            "sample_rate": info.info.sample_rate, "channels": info.info.channels,
            "bitrate": info.info.bitrate, "tags": dict(info.tags or {}), "chapters": chapters}
