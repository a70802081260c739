"""`audiobook check`: ACX's numbers measured on real MP3s, and each rule on its own."""

from __future__ import annotations

import array
import math
import random
import subprocess
import wave
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.check import Measurement, Rules, judge, measure
from audiobook.cli import cli
from audiobook.export import Encoding, encode_mp3, ffmpeg_exe

GOOD = Measurement(Path("a.mp3"), -20.0, -4.0, -68.0, 0.75, 2.5, 192, True, 44100, 1, 600.0)


@pytest.mark.parametrize("change, problem", [
    ({"rms_dbfs": -24.0}, "RMS -24.0 dBFS outside -23 to -18"),
    ({"rms_dbfs": -17.0}, "RMS -17.0 dBFS outside -23 to -18"),
    ({"peak_dbfs": -2.5}, "peak -2.5 dBFS above -3"),
    ({"floor_dbfs": -55.0}, "noise floor -55.0 dBFS above -60"),
    ({"floor_dbfs": -math.inf}, "dead digital silence instead of room tone"),
    ({"head_s": 0.3}, "head room tone 0.30 s outside 0.5-1 s"),
    ({"tail_s": 6.0}, "tail room tone 6.00 s outside 1-5 s"),
    ({"cbr": False}, "192 kbit/s VBR, not 192 CBR"),
    ({"bitrate_kbps": 128}, "128 kbit/s CBR, not 192 CBR"),
    ({"sample_rate": 48000}, "48000 Hz, not 44100"),
    ({"duration_s": 121 * 60.0}, "121 minutes, over 120"),
])
def test_each_acx_rule(change, problem):
    assert judge(GOOD) == []
    assert judge(replace(GOOD, **change)) == [problem]


def test_channels_must_match_the_rest_of_the_book():
    assert judge(replace(GOOD, channels=2), Rules(), channels=1) == [
        "2 channels where the others have 1"]


def tone_mp3(path: Path, seconds: float, amplitude: int, lead: float = 0.75,
             tail: float = 2.0, noise: int = 8) -> Path:
    rate = 22050
    quiet = [((i * 7919) % (2 * noise + 1)) - noise for i in range(int(rate * lead))]
    body = [int(amplitude * math.sin(2 * math.pi * 220 * i / rate))
            for i in range(int(rate * seconds))]
    end = [((i * 104729) % (2 * noise + 1)) - noise for i in range(int(rate * tail))]
    encode_mp3(array.array("h", quiet + body + end).tobytes(), rate, path, Encoding())
    return path


def test_measure_reads_levels_and_room_tone_off_the_decoded_file(tmp_path):
    m = measure(tone_mp3(tmp_path / "t.mp3", 3.0, 9000))
    assert abs(m.peak_dbfs - 20 * math.log10(9000 / 32768)) < 0.5
    assert -90 < m.floor_dbfs < -60  # the faint noise survives encoding: not dead silence
    assert abs(m.head_s - 0.75) <= 0.1 and abs(m.tail_s - 2.0) <= 0.1
    assert (m.bitrate_kbps, m.cbr, m.sample_rate, m.channels) == (192, True, 44100, 1)


def test_check_exits_1_and_says_why_when_a_file_fails(tmp_path):
    tone_mp3(tmp_path / "loud.mp3", 3.0, 32000)
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    row = result.output.splitlines()[1]
    assert row.startswith("loud.mp3") and "FAIL: " in row and "peak" in row
    assert result.output.splitlines()[-1] == "0 of 1 files meet the numbers"


def test_check_on_a_folder_without_mp3s_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path}: no MP3 or .m4b files here"


def test_check_reports_every_file_and_fails_the_damaged_and_the_false(tmp_path):
    good = tone_mp3(tmp_path / "a good.mp3", 10.0, 6000)
    damaged = bytearray(good.read_bytes())
    rand = random.Random(7)
    for i in range(len(damaged) * 2 // 5, len(damaged) * 3 // 5):
        damaged[i] = rand.randrange(256)
    (tmp_path / "b damaged.mp3").write_bytes(bytes(damaged))
    with wave.open(str(tmp_path / "C WAV.MP3"), "wb") as w:  # not an MP3, in capitals
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(array.array("h", [int(9000 * math.sin(i / 20))
                                         for i in range(44100 * 3)]).tobytes())
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=d=3", "-c:a", "mp2",
                    "-f", "mp2", str(tmp_path / "d layer 2.mp3")], check=True)  # MPEG, not MP3
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    rows = {line.split("  ")[0]: line for line in result.output.splitlines()[1:-1]}
    assert sorted(rows) == ["C WAV.MP3", "a good.mp3", "b damaged.mp3", "d layer 2.mp3"]
    assert rows["a good.mp3"].endswith("  pass")
    assert "FAIL: decode errors: " in rows["b damaged.mp3"]
    assert "FAIL: not an MP3 file" in rows["C WAV.MP3"]
    assert "FAIL: not an MP3 stream: its audio is mp2" in rows["d layer 2.mp3"]
    assert result.output.splitlines()[-1] == "1 of 4 files meet the numbers"


def tone_m4b(path: Path, mp3: Path) -> Path:
    """The tone of ``mp3`` as AAC in an .m4b, as a build makes one."""
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-c:a", "aac", "-aac_coder",
                    "fast", "-b:a", "64k", "-ar", "44100", "-ac", "1", "-f", "ipod", str(path)],
                   check=True)
    return path


def test_an_m4b_is_measured_by_the_same_numbers_but_the_mp3_bit_rate(tmp_path):
    book = tone_m4b(tmp_path / "book.m4b", tone_mp3(tmp_path / "t.mp3", 10.0, 6000))
    (tmp_path / "t.mp3").unlink()
    m = measure(book)
    assert m.format == "m4b" and (m.sample_rate, m.channels) == (44100, 1)
    assert abs(m.duration_s - 12.75) < 0.2 and judge(m) == []
    loud = tone_m4b(tmp_path / "loud.m4b", tone_mp3(tmp_path / "l.mp3", 3.0, 32000))
    (tmp_path / "l.mp3").unlink()
    assert any(p.startswith("peak") for p in judge(measure(loud)))
    (tmp_path / "fake.m4b").write_bytes(b"x" * 4000)  # not an MP4 at all
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    rows = {line.split("  ")[0]: line for line in result.output.splitlines()[1:-1]}
    assert rows["book.m4b"].endswith("  pass") and "AAC" in rows["book.m4b"]
    assert "FAIL: " in rows["loud.m4b"] and "dBFS above -3" in rows["loud.m4b"]
    assert "FAIL: not an MP4 file" in rows["fake.m4b"]
    assert result.exit_code == 1
