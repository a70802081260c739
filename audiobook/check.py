"""Measure finished MP3s (and .m4b books) against ACX, the strictest common audiobook
submission standard.

Each file is decoded by ffmpeg, completely, and measured in 50 ms blocks, streamed, so a long
file needs little memory; one that ffmpeg does not read as an MP3 stream, or that has decode
errors anywhere, fails with the reason and is not measured. The numbers: RMS and sample peak
over the file, the noise floor (the quietest 0.4 s), the room tone at the head and the tail
(before the first and after the last block louder than -45 dBFS), and, from the MP3 itself,
bit rate and mode, sample rate, channels and duration. An .m4b (AAC in MP4) is held to the
same loudness, room tone, sample rate and channel numbers; the bit-rate rule is ACX's for MP3
and is not applied to it.
"""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # the standard library's, or the audioop-lts package on Python 3.13+

from .errors import ExportError
from .export import ffmpeg_exe, read_mp3

# What each kind of file must hold, as ffmpeg names it: (container, codec).
STREAMS = {".mp3": ("mp3", "mp3", "MP3"), ".m4b": ("mp4", "aac", "AAC")}

BLOCK_S = 0.05
FLOOR_WINDOW_BLOCKS = 8  # 0.4 s
SPEECH_DBFS = -45.0  # a block louder than this is no longer room tone
DEAD_DBFS = -90.0  # quieter than this is dead digital silence


@dataclass(frozen=True)
class Rules:
    """ACX's numbers; ``bitrate_kbps`` is what the build was asked for."""

    rms: tuple[float, float] = (-23.0, -18.0)
    peak_max: float = -3.0
    floor_max: float = -60.0
    head: tuple[float, float] = (0.5, 1.0)
    tail: tuple[float, float] = (1.0, 5.0)
    bitrate_kbps: int = 192
    sample_rate: int = 44100
    max_minutes: float = 120.0


@dataclass(frozen=True)
class Measurement:
    path: Path
    rms_dbfs: float
    peak_dbfs: float
    floor_dbfs: float
    head_s: float
    tail_s: float
    bitrate_kbps: int
    cbr: bool
    sample_rate: int
    channels: int
    duration_s: float
    format: str = "mp3"  # or "m4b"


def _db(value: float) -> float:
    return 20 * math.log10(value / 32768) if value > 0 else -math.inf


def measure(path: Path) -> Measurement:
    """The numbers of one MP3 or .m4b; an ExportError names what keeps it from being
    measured."""
    info = read_mp3(path) if path.suffix.lower() == ".mp3" else _read_m4b(path)
    rate = info["sample_rate"]
    block = max(1, int(rate * BLOCK_S)) * 2
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-v", "level+info", "-i",
           str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"]
    squares, peak, total, levels = 0.0, 0, 0, []
    # ffmpeg's log goes to a file, not a pipe: a file full of errors never blocks the decode
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log)
        except OSError as exc:
            raise ExportError(f"cannot run ffmpeg to decode: {exc}", path=path) from None
        pending = b""
        while chunk := proc.stdout.read(block * 200):
            pending += chunk
            whole = len(pending) - len(pending) % block
            for i in range(0, whole, block):
                piece = pending[i:i + block]
                rms = audioop.rms(piece, 2)
                squares += rms * rms * (len(piece) // 2)
                total += len(piece) // 2
                peak = max(peak, audioop.max(piece, 2))
                levels.append(rms)
            pending = pending[whole:]
        code = proc.wait()
        log.seek(0)
        _read_log(log.read().decode("utf-8", "replace"), path,
                  STREAMS.get(path.suffix.lower(), STREAMS[".mp3"]))
    if code != 0 or not total:
        raise ExportError("ffmpeg could not decode it", path=path)
    windows = [math.sqrt(sum(r * r for r in levels[i:i + FLOOR_WINDOW_BLOCKS])
                         / FLOOR_WINDOW_BLOCKS)
               for i in range(0, max(1, len(levels) - FLOOR_WINDOW_BLOCKS + 1))]
    loud = [i for i, r in enumerate(levels) if _db(r) > SPEECH_DBFS]
    head = (loud[0] if loud else len(levels)) * BLOCK_S
    tail = (len(levels) - 1 - loud[-1] if loud else len(levels)) * BLOCK_S
    return Measurement(path, _db(math.sqrt(squares / total)), _db(peak), _db(min(windows)),
                       round(head, 2), round(tail, 2), round(info["bitrate"] / 1000),
                       info["cbr"], rate, info["channels"], info["duration"],
                       "m4b" if path.suffix.lower() == ".m4b" else "mp3")


def _read_m4b(path: Path) -> dict:
    """Sample rate, channels, duration and bit rate of an .m4b, as read_mp3 gives them."""
    from mutagen import MutagenError
    from mutagen.mp4 import MP4
    try:
        info = MP4(path).info
    except MutagenError:
        raise ExportError("not an MP4 file", path=path) from None
    return {"sample_rate": info.sample_rate, "channels": info.channels,
            "duration": info.length, "bitrate": info.bitrate, "cbr": False}


def _read_log(text: str, path: Path, stream: tuple[str, str, str] = STREAMS[".mp3"]) -> None:
    """Refuse what ffmpeg's log shows is not the stream the file's name says (MP3, or AAC in
    MP4), or was not decoded cleanly."""
    want_container, want_codec, name = stream
    container = re.search(r"Input #0, ([\w,]+), from", text)
    codec = re.search(r"Stream #0:\d+.*?: Audio: (\w+)", text)
    if not (container and want_container in container.group(1).split(",")):
        kind = f"a {container.group(1).split(',')[0]} file" if container else "no audio file"
        raise ExportError(f"not an {name} stream: ffmpeg reads it as {kind}", path=path)
    if not (codec and codec.group(1) == want_codec):
        raise ExportError(f"not an {name} stream: its audio is "
                          f"{codec.group(1) if codec else 'none'}", path=path)
    errors = [line.split("] ")[-1].strip() for line in text.splitlines()
              if "[error]" in line or "[fatal]" in line]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ExportError(f"decode errors: {errors[0]}{more}", path=path)


def judge(m: Measurement, rules: Rules = Rules(), channels: int | None = None) -> list[str]:
    """What is wrong with a file, by the rules; empty when it passes. ``channels``: what
    every file of the book has (all mono or all stereo)."""
    wrong = []
    if not rules.rms[0] <= m.rms_dbfs <= rules.rms[1]:
        wrong.append(f"RMS {m.rms_dbfs:.1f} dBFS outside {rules.rms[0]:g} to {rules.rms[1]:g}")
    if m.peak_dbfs > rules.peak_max:
        wrong.append(f"peak {m.peak_dbfs:.1f} dBFS above {rules.peak_max:g}")
    if m.floor_dbfs > rules.floor_max:
        wrong.append(f"noise floor {m.floor_dbfs:.1f} dBFS above {rules.floor_max:g}")
    if m.floor_dbfs < DEAD_DBFS:
        wrong.append("dead digital silence instead of room tone")
    if not rules.head[0] <= m.head_s <= rules.head[1]:
        wrong.append(f"head room tone {m.head_s:.2f} s outside {rules.head[0]:g}-"
                     f"{rules.head[1]:g} s")
    if not rules.tail[0] <= m.tail_s <= rules.tail[1]:
        wrong.append(f"tail room tone {m.tail_s:.2f} s outside {rules.tail[0]:g}-"
                     f"{rules.tail[1]:g} s")
    if m.format == "mp3" and (not m.cbr or m.bitrate_kbps != rules.bitrate_kbps):
        wrong.append(f"{m.bitrate_kbps} kbit/s {'CBR' if m.cbr else 'VBR'}, not "
                     f"{rules.bitrate_kbps} CBR")
    if m.sample_rate != rules.sample_rate:
        wrong.append(f"{m.sample_rate} Hz, not {rules.sample_rate}")
    if channels is not None and m.channels != channels:
        wrong.append(f"{m.channels} channels where the others have {channels}")
    if m.duration_s > rules.max_minutes * 60:
        wrong.append(f"{m.duration_s / 60:.0f} minutes, over {rules.max_minutes:g}")
    return wrong


@dataclass(frozen=True)
class Result:
    """One file checked: its numbers (None when it could not be measured) and what is wrong."""

    path: Path
    measurement: Measurement | None
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def check_folder(folder: str | Path, rules: Rules = Rules()) -> list[Result]:
    """Every MP3 and .m4b under ``folder`` (in any case), measured and judged; a file that
    cannot be measured is a Result with the reason, and the others are still measured."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError("no such folder", path=folder)
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in STREAMS and p.is_file())
    if not files:
        raise ExportError("no MP3 or .m4b files here", path=folder)
    measured: dict[Path, Measurement | str] = {}
    for path in files:
        try:
            measured[path] = measure(path)
        except ExportError as exc:
            measured[path] = exc.message
    good = [m for m in measured.values() if isinstance(m, Measurement)]
    channels = max({m.channels for m in good}, default=None,
                   key=lambda c: sum(m.channels == c for m in good))
    return [Result(path, m, judge(m, rules, channels)) if isinstance(m, Measurement)
            else Result(path, None, [m]) for path, m in measured.items()]
