"""Mastering: pauses chosen by structure, levels, the limiter, room tone, parts."""

from __future__ import annotations

import array
import math

from audiobook.master import (dbfs, finish, level, limit, master, pause_between, room_tone,
                              split)
from audiobook.models import Chapter, Clip, Kind, Levels, Pauses, Segment


def seg(paragraph=0, scene=1, kind=Kind.NARRATION, speaker=None, heading=False):
    return Segment(0, 1, kind, speaker, "x", 1, scene, paragraph, heading)


def clip(segment, samples=2205, amp=1000, rate=22050):
    pcm = array.array("h", [amp if i % 2 else -amp for i in range(samples)]).tobytes()
    return Clip(segment, pcm, rate)


def rms_db(pcm: bytes) -> float:
    s = array.array("h", pcm)
    return dbfs(math.sqrt(sum(x * x for x in s) / len(s)))


def peak(pcm: bytes) -> int:
    return max(abs(x) for x in array.array("h", pcm))


def test_pauses_follow_structure():
    p = Pauses()
    a = clip(seg(paragraph=1))
    assert pause_between(a, clip(seg(paragraph=1)), p) == p.same_paragraph
    assert pause_between(a, clip(seg(paragraph=2)), p) == p.paragraph
    assert pause_between(a, clip(seg(paragraph=2, kind=Kind.DIALOGUE, speaker="Ada")), p) \
        == p.speaker_change
    assert pause_between(a, clip(seg(paragraph=2, scene=2)), p) == p.scene
    assert pause_between(clip(seg(heading=True)), a, p) == p.after_title


def test_master_length_is_clips_plus_pauses_and_cues_mark_each_clip():
    pauses = Pauses(same_paragraph=100, paragraph=200, head=50, tail=70)
    clips = [clip(seg(paragraph=0)), clip(seg(paragraph=0)), clip(seg(paragraph=1))]
    audio = master(Chapter(0, 10, 1, "One"), clips, pauses)
    gaps = [ms * 22050 // 1000 for ms in (50, 100, 200, 70)]
    assert audio.samples == 3 * 2205 + sum(gaps)
    starts = [c.start for c in audio.cues]
    assert starts == [gaps[0], gaps[0] + 2205 + gaps[1], gaps[0] + 2 * 2205 + gaps[1] + gaps[2]]
    assert all(c.end - c.start == 2205 for c in audio.cues)


def test_level_brings_quiet_and_loud_clips_together():
    levels = Levels(clip_dbfs=-20, ceiling_dbfs=-1)
    quiet = level(clip(seg(), amp=300).pcm, 22050, levels)
    loud = level(clip(seg(), amp=20000).pcm, 22050, levels)
    assert abs(rms_db(quiet) - rms_db(loud)) < 0.1
    assert abs(rms_db(quiet) + 20) < 0.1
    assert abs(rms_db(level(clip(seg(), amp=300).pcm, 22050, levels, -6)) + 26) < 0.1


def test_limit_holds_every_sample_under_the_ceiling():
    spiky = array.array("h", [200] * 22050 + ([200] * 300 + [30000, -31000]) * 20).tobytes()
    out = limit(spiky, 22050, 12.0, -3.0)
    assert peak(out) <= 32768 * 10 ** (-3 / 20) + 1
    assert len(out) == len(spiky)
    calm = array.array("h", out)[1000]  # long before the first spike: the full 12 dB of gain
    assert abs(calm - 200 * 10 ** (12 / 20)) < 2


def test_finish_meets_the_loudness_targets_with_room_tone_not_silence():
    speech = array.array("h", [int(9000 * math.sin(i / 7) * (1 + (i // 900) % 3))
                               for i in range(22050 * 3)]).tobytes()
    pcm = b"\x00\x00" * 22050 + speech + b"\x00\x00" * 22050
    levels = Levels(rms_dbfs=-20, ceiling_dbfs=-4, room_dbfs=-68)
    out = finish(pcm, 22050, levels)
    assert abs(rms_db(out) + 20) < 0.5
    assert peak(out) <= 32768 * 10 ** (-4 / 20) + 30
    quiet = out[:22050 * 2]
    assert -70 < rms_db(quiet) < -66


def test_room_tone_is_faint_and_the_same_each_time():
    tone = room_tone(22050, -68.0)
    assert -69 < rms_db(tone) < -67
    assert tone == room_tone(22050, -68.0)


def test_split_cuts_between_clips_and_pads_each_part_with_room_tone():
    pauses = Pauses(head=100, tail=200, paragraph=50)
    clips = [clip(seg(paragraph=n), samples=22050) for n in range(5)]  # 1 s each
    audio = master(Chapter(0, 1, 1, "Long"), clips, pauses)
    parts = split(audio, 2500, pauses)
    assert [p.chapter.title for p in parts] == ["Long (Part 1)", "Long (Part 2)",
                                                "Long (Part 3)"]
    assert [len(p.cues) for p in parts] == [2, 2, 1]
    assert all(p.samples <= 2.5 * 22050 for p in parts)
    assert parts[1].cues[0].start == 100 * 22050 // 1000  # after its own head room tone
    assert split(audio, 60_000, pauses) == [audio]
