"""Casting: voices by importance, styles for thoughts and letters, the cast file kept as the
user left it, auditions and the voices command."""

from __future__ import annotations

import array
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FAREWELL, ROOT, needs_shared

from audiobook.cast import MINOR_LINES, Cast, CastMember, Style
from audiobook.cli import cli
from audiobook.engines.fake import FakeEngine
from audiobook.master import treat
from audiobook.models import Character, Kind, Segment, Treatment, Voice
from audiobook.pipeline import cast_story
from audiobook.preview import audition

TWO_POVS = ROOT / "tests" / "fixtures" / "gold" / "two-povs.txt"


def test_main_characters_get_distinct_voices_and_minor_ones_share_a_pool():
    people = [Character(n, gender="male") for n in ("Ari", "Ben", "Cy", "Dan", "Eb")]
    lines = {"Ari": (30, 2), "Ben": (20, 0), "Cy": (1, 0), "Dan": (1, 0), "Eb": (2, 0)}
    voices, _ = Cast().assign(people, lines)
    main = [voices["Ari"], voices["Ben"]]
    assert main[0].id != main[1].id and main[0].pitch != main[1].pitch
    assert main[0].rate != main[1].rate
    minor = {voices[n].id for n in ("Cy", "Dan", "Eb")}
    assert len(minor) <= 2 and not minor & {v.id for v in main}
    assert MINOR_LINES == 2


def test_casting_never_hands_out_the_narrators_voice_nor_a_taken_one():
    cast = Cast(narrator=Voice("en-us+m3"),
                members=(CastMember("Ann", Voice("en-gb+m7")),))
    voices, notes = cast.assign([Character("Bo", gender="male"), Character("Ann")],
                                {"Bo": (9, 0), "Ann": (3, 0)})
    assert voices["Bo"].id not in {"en-us+m3", "en-gb+m7"}
    assert voices["Ann"] == Voice("en-gb+m7")
    assert notes == [f"Bo is not in the cast; using {voices['Bo'].id} (male default)"]


def seg(kind, speaker="Ada", written=False):
    return Segment(0, 1, kind, speaker, "x", 1, 1, 0, written=written)


def test_thoughts_and_letters_are_read_in_the_speakers_voice_with_their_style():
    ada = Voice("en-us+f3", rate=200, pitch=60)
    cast = Cast(thoughts=Style(rate=0.9, pitch=-10, volume=0.5, effect="echo"),
                letters=Style(whisper=True, effect="narrow"))
    voices = {"Ada": ada, None: Voice("en-us")}
    assert cast.rendition(seg(Kind.DIALOGUE), voices) == (ada, Treatment())
    voice, treatment = cast.rendition(seg(Kind.THOUGHT), voices)
    assert (voice.id, voice.rate, voice.pitch) == ("en-us+f3", 180, 50)
    assert treatment == Treatment("echo", -6.02)
    voice, treatment = cast.rendition(seg(Kind.DIALOGUE, written=True), voices)
    assert voice.id == "en-us+whisper" and treatment.effect == "narrow"
    assert cast.rendition(seg(Kind.NARRATION, None), voices) == (cast.narrator, Treatment())


def test_a_character_can_have_an_inner_voice_of_their_own():
    cast = Cast(members=(CastMember("Ada", Voice("en-us+f3"), thoughts=Style(effect="none")),))
    _, treatment = cast.rendition(seg(Kind.THOUGHT), {"Ada": Voice("en-us+f3"), None: Voice("x")})
    assert treatment == Treatment("none", 0.0)


def tone(ms=200, rate=22050):
    return array.array("h", [8000 if (i // 20) % 2 else -8000
                             for i in range(rate * ms // 1000)]).tobytes()


def test_echo_lengthens_a_clip_and_narrow_takes_the_low_end_away():
    pcm = tone()
    echoed = treat(pcm, 22050, Treatment("echo"))
    assert len(echoed) - len(pcm) == 22050 * 90 // 1000 * 2
    low = array.array("h", [8000 if (i // 200) % 2 else -8000 for i in range(4410)]).tobytes()
    narrowed = array.array("h", treat(low, 22050, Treatment("narrow")))
    rms = (sum(s * s for s in narrowed[1000:]) / len(narrowed[1000:])) ** 0.5
    assert rms < 8000 * 0.6  # a 55 Hz square wave (RMS 8000), mostly below the band
    assert treat(pcm, 22050, Treatment()) == pcm


# -- the cast command and the cast file ---------------------------------------------------------

def test_cast_adds_characters_once_and_a_second_run_changes_nothing(tmp_path):
    path = tmp_path / "NEW.yaml"
    report, _ = cast_story(TWO_POVS, path, FakeEngine())
    assert report.added == ["Lena", "Marco"]
    first = path.read_bytes()
    report, _ = cast_story(TWO_POVS, path, FakeEngine())
    assert report.added == [] and path.read_bytes() == first


def test_cast_keeps_comments_order_and_hand_set_voices(tmp_path):
    path = tmp_path / "voices.yaml"
    path.write_text("# my cast\nengine: fake\nnarrator:\n  voice: en-gb  # calm\n"
                    "characters:\n  Lena:\n    voice: en-gb+f1   # hand-set\n", encoding="utf-8")
    report, _ = cast_story(TWO_POVS, path, FakeEngine())
    text = path.read_text(encoding="utf-8")
    assert report.added == ["Marco"]
    assert text.startswith("# my cast\nengine: fake\nnarrator:\n  voice: en-gb  # calm\n"
                           "characters:\n  Lena:\n    voice: en-gb+f1   # hand-set\n  Marco:\n")
    assert "    gender: male\n" in text


@needs_shared
def test_farewell_cast_gives_the_trio_three_fitting_voices(tmp_path):
    path = tmp_path / "NEW.yaml"
    report, _ = cast_story(FAREWELL, path, FakeEngine())
    voices = {name: voice for name, _, _, _, voice, _ in report.rows()}
    ids = [voices[n].id for n in ("Naruto", "Sasuke", "Sakura")]
    assert len(set(ids)) == 3 and report.production.cast.narrator.id not in ids
    assert "+f" in voices["Sakura"].id
    assert "+m" in voices["Naruto"].id and "+m" in voices["Sasuke"].id
    before = path.read_bytes()
    cast_story(FAREWELL, path, FakeEngine())
    assert path.read_bytes() == before


def test_auditions_are_one_line_each_in_their_own_voice(tmp_path):
    report, engine = cast_story(TWO_POVS, tmp_path / "v.yaml", FakeEngine())
    files = audition(report.production, engine, tmp_path / "out")
    assert [f.name for f in files] == ["01 - Narrator.wav", "02 - Lena.wav", "03 - Marco.wav"]
    spoken = {voice.id for _, voice in engine.calls}
    assert len(spoken) == 3
    with wave.open(str(files[1])) as w:
        assert w.getnframes() > 0.5 * w.getframerate()


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cast_command_prints_the_cast_and_what_it_added(tmp_path):
    path = tmp_path / "voices.yaml"
    path.write_text("engine: fake\n", encoding="utf-8")
    result = run("cast", TWO_POVS, "--voices", path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:5] == ["NAME", "GENDER", "SPOKEN", "THOUGHT", "VOICE"]
    assert lines[1].startswith("(narrator)")
    assert lines[-1] == f"added to {path}: Lena, Marco"
    assert run("cast", TWO_POVS, "--voices", path).output.splitlines()[-1] == \
        f"{path}: nothing to add"


@pytest.mark.parametrize("bad, message", [
    ("narrator:\n  voice: en-gb\n  rte: 150\n", "voices.yaml:4: unknown key 'rte' under "
     "'narrator'; did you mean 'rate'?"),
    ("narrator:\n  voice: en-gb\n  rate: 20\n", "voices.yaml:4: 'narrator.rate' is 20; it must "
     "be a number from 80 to 450"),
])
@pytest.mark.parametrize("command", ["cast", "build"])
def test_a_bad_cast_file_is_one_line_from_cast_and_build(tmp_path, bad, message, command):
    path = tmp_path / "voices.yaml"
    path.write_text("engine: fake\n" + bad, encoding="utf-8")
    result = run(command, TWO_POVS, "--voices", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {tmp_path / message}"]


def test_voices_lists_languages_and_variants_filtered():
    result = run("voices", "--engine", "fake", "--lang", "en-g")
    assert result.exit_code == 0
    rows = [line.split()[0] for line in result.output.splitlines() if line.strip()]
    assert "en-gb" in rows and "en-us" not in rows and "fr" not in rows and "m3" in rows
    female = run("voices", "--engine", "fake", "--gender", "female").output.split()
    assert "f3" in female and "m3" not in female and "en-gb" not in female


def test_voices_say_writes_the_audition(tmp_path):
    result = run("voices", "--engine", "fake", "--say", "Hello there", "--voice", "en-us+f3",
                 "--no-play", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert Path(result.output.strip()) == tmp_path / "audition - en-us+f3.wav"
    bad = run("voices", "--engine", "fake", "--say", "Hi", "--voice", "en-us+f9")
    assert bad.exit_code == 1 and "did you mean" in bad.output


def test_a_first_person_narrator_with_a_name_reads_in_the_narrators_voice(tmp_path):
    from audiobook.pipeline import prepare

    story = tmp_path / "robin.txt"
    story.write_text('"Come here, Robin," Ada said.\n\n"What is it?" I asked.\n\n'
                     '"Look, Robin." Ada pointed.\n\n"I see it," I said.\n\n'
                     '"Robin, hush," said Ada.\n\n"Sorry," I said.\n', encoding="utf-8")
    production = prepare(story)
    assert production.segmentation.narrator == "Robin"
    mine = [s.speaker for s in production.segmentation.segments if s.text == '"Sorry,"']
    assert mine == ["Robin"]
    assert production.voices["Robin"] == production.cast.narrator
    assert production.voices["Ada"] != production.cast.narrator
