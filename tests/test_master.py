"""Stitching: pauses chosen by structure, levels, and exact lengths."""

from __future__ import annotations

import array

from audiobook.master import Levels, Pauses, level, master, pause_between
from audiobook.models import Chapter, Clip, Kind, Segment


def seg(paragraph=0, scene=1, kind=Kind.NARRATION, speaker=None, heading=False):
    return Segment(0, 1, kind, speaker, "x", 1, scene, paragraph, heading)


def clip(segment, samples=2205, amp=1000, rate=22050):
    pcm = array.array("h", [amp if i % 2 else -amp for i in range(samples)]).tobytes()
    return Clip(segment, pcm, rate)


def test_pauses_follow_structure():
    p = Pauses()
    a = clip(seg(paragraph=1))
    assert pause_between(a, clip(seg(paragraph=1)), p) == p.same_paragraph
    assert pause_between(a, clip(seg(paragraph=2)), p) == p.paragraph
    assert pause_between(a, clip(seg(paragraph=2, kind=Kind.DIALOGUE, speaker="Ada")), p) \
        == p.speaker_change
    assert pause_between(a, clip(seg(paragraph=2, scene=2)), p) == p.scene
    assert pause_between(clip(seg(heading=True)), a, p) == p.after_heading


def test_master_length_is_clips_plus_pauses_exactly():
    pauses = Pauses(same_paragraph=100, paragraph=200, head=50, tail=70)
    clips = [clip(seg(paragraph=0)), clip(seg(paragraph=0)), clip(seg(paragraph=1))]
    audio = master(Chapter(0, 10, 1, "One"), clips, pauses)
    expected = 3 * 2205 + sum(ms * 22050 // 1000 for ms in (50, 100, 200, 70))
    assert len(audio.pcm) // 2 == expected
    assert audio.sample_rate == 22050


def test_level_brings_quiet_and_loud_clips_together():
    quiet = level(clip(seg(), amp=300).pcm, 22050, Levels(target_dbfs=-20, peak_dbfs=-1))
    loud = level(clip(seg(), amp=20000).pcm, 22050, Levels(target_dbfs=-20, peak_dbfs=-1))
    peak_q = max(abs(s) for s in array.array("h", quiet))
    peak_l = max(abs(s) for s in array.array("h", loud))
    assert abs(peak_q - peak_l) <= 2  # a square wave: RMS == peak, so both land on -20 dBFS
    assert abs(peak_q - 32768 * 10 ** (-20 / 20)) < 40


def test_level_never_lets_the_peak_pass_the_ceiling():
    spiky = array.array("h", [0] * 2000 + [30000] + [0] * 2000).tobytes()
    out = array.array("h", level(spiky, 22050, Levels(target_dbfs=-10, peak_dbfs=-3)))
    assert max(abs(s) for s in out) <= int(32768 * 10 ** (-3 / 20)) + 1
