"""Mastering: pauses chosen by structure, levels, the limiter, room tone, parts."""

from __future__ import annotations

import array
import math

from audiobook.master import (LIMITER_ALLOWANCE_DB, Mixer, dbfs, level, limit, master,
                              pause_allowance, pause_between, room_tone)
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
    a = seg(paragraph=1)
    assert pause_between(a, seg(paragraph=1), p) == p.same_paragraph
    assert pause_between(a, seg(paragraph=2), p) == p.paragraph
    assert pause_between(a, seg(paragraph=2, kind=Kind.DIALOGUE, speaker="Ada"), p) \
        == p.speaker_change
    assert pause_between(a, seg(paragraph=2, scene=2), p) == p.scene
    assert pause_between(seg(heading=True), a, p) == p.after_title


def test_pause_allowance_makes_up_for_the_share_of_pauses():
    p = Pauses(head=500, tail=500, paragraph=1000)
    # 2 s of speech in 2 + 0.5 + 1 + 0.5 = 4 s: half the time is pauses, so 3 dB louder.
    allowance = pause_allowance([(seg(paragraph=0), 1.0), (seg(paragraph=1), 1.0)], p)
    assert abs(allowance - (10 * math.log10(2) + LIMITER_ALLOWANCE_DB)) < 1e-9


def test_master_length_is_clips_plus_pauses_and_cues_mark_each_clip():
    pauses = Pauses(same_paragraph=100, paragraph=200, head=50, tail=70)
    clips = [clip(seg(paragraph=0)), clip(seg(paragraph=0)), clip(seg(paragraph=1))]
    audio = master(Chapter(0, 10, 1, "One"), clips, pauses)
    gaps = [ms * 22050 // 1000 for ms in (50, 100, 200, 70)]
    assert audio.samples == 3 * 2205 + sum(gaps)
    starts = [c.start for c in audio.cues]
    assert starts == [gaps[0], gaps[0] + 2205 + gaps[1], gaps[0] + 2 * 2205 + gaps[1] + gaps[2]]
    assert all(c.end - c.start == 2205 for c in audio.cues)


def test_the_mixer_streams_the_same_audio_in_pieces():
    clips = [clip(seg(paragraph=n), amp=500 * (n + 1)) for n in range(4)]
    pieces: list[bytes] = []
    allowance = pause_allowance([(c.segment, 0.1) for c in clips], Pauses())
    mixer = Mixer(22050, pieces.append, Pauses(), Levels(), allowance)
    for c in clips:
        mixer.add(c)
    mixer.close()
    assert len(pieces) == 1 + 4 + 3 + 1  # head, clips, pauses, tail
    assert b"".join(pieces) == master(Chapter(0, 1, 1, "x"), clips).pcm


def test_level_brings_quiet_and_loud_clips_together():
    levels = Levels(rms_dbfs=-20, ceiling_dbfs=-1)
    target = -20
    quiet = level(clip(seg(), amp=300).pcm, 22050, levels)
    loud = level(clip(seg(), amp=20000).pcm, 22050, levels)
    assert abs(rms_db(quiet) - target) < 0.1 and abs(rms_db(loud) - target) < 0.1
    assert abs(rms_db(level(clip(seg(), amp=300).pcm, 22050, levels, -6)) - target + 6) < 0.1


def test_level_limits_a_spiky_clip_instead_of_leaving_it_quiet():
    # Speech-like: peaks 20 dB above the RMS, so at -20 dBFS they would pass the ceiling.
    spiky = array.array("h", ([300, -300] * 1100 + [3000, -3000] * 3) * 10).tobytes()
    out = level(spiky, 22050, Levels(rms_dbfs=-20, ceiling_dbfs=-4))
    assert peak(out) <= 32768 * 10 ** (-4 / 20) + 1
    assert rms_db(out) > -22  # a gain capped by the peak would leave it below -24 dBFS


def test_limit_holds_every_sample_under_the_ceiling():
    spiky = array.array("h", [200] * 22050 + ([200] * 300 + [30000, -31000]) * 20).tobytes()
    out = limit(spiky, 22050, 12.0, -3.0)
    assert peak(out) <= 32768 * 10 ** (-3 / 20) + 1
    assert len(out) == len(spiky)
    calm = array.array("h", out)[1000]  # long before the first spike: the full 12 dB of gain
    assert abs(calm - 200 * 10 ** (12 / 20)) < 2


def test_room_tone_lies_under_pauses_and_is_one_seamless_bed():
    audio = master(Chapter(0, 1, 1, "x"), [clip(seg())], Pauses(head=1000, tail=1000))
    head = audio.pcm[:22050 * 2]
    assert -70 < rms_db(head) < -66 and peak(head) < 60
    bed = room_tone(0, 30000, 22050, -68.0)
    assert room_tone(1000, 5000, 22050, -68.0) == bed[2000:12000]
    assert room_tone(0, 22050, 22050, -68.0) == bed[:44100]
