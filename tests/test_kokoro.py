"""The Kokoro engine behind the engine interface, with a tiny Kokoro-shaped model the tests
build (tests/kokoro_model.py): it loads, speaks, caches, casts by gender from the voices'
names, and fails in one line on a missing or damaged model."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from audiobook import build
from audiobook.castfile import open_cast
from audiobook.cli import cli
from audiobook.engines import get_engine
from audiobook.engines.kokoro import RELEASE, locate, parse_voice
from audiobook.errors import EngineError
from audiobook.export import read_mp3
from audiobook.models import Character, Voice
from audiobook.pipeline import BookOptions

try:
    import kokoro_onnx  # noqa: F401
    import onnx  # noqa: F401
    EXTRA = None
except ImportError as exc:
    EXTRA = f"needs the kokoro extra and onnx ({exc.name} is not installed)"
needs_kokoro = pytest.mark.skipif(EXTRA is not None, reason=EXTRA or "")
pytestmark = pytest.mark.kokoro


@pytest.fixture
def model(tmp_path, monkeypatch) -> Path:
    """A tiny model and voices file where the engine looks by default."""
    from kokoro_model import write_model, write_voices

    folder = tmp_path / "data" / "audiobook" / "kokoro"
    folder.mkdir(parents=True)
    write_model(folder / "kokoro-v1.0.int8.onnx")
    write_voices(folder / "voices-v1.0.bin")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return folder


def cast_file(tmp_path: Path, body: str = "") -> Path:
    path = tmp_path / "voices.yaml"
    path.write_text("engine: kokoro\n" + body, encoding="utf-8")
    return path


def test_the_default_install_has_no_onnx_runtime():
    requires = importlib.metadata.requires("audiobook") or []
    plain = [r for r in requires if "extra ==" not in r]
    assert not [r for r in plain if re.match(r"(onnx|kokoro|numpy)", r)], plain
    assert any(r.startswith("kokoro-onnx") and 'extra == "kokoro"' in r for r in requires)


def test_a_missing_model_is_one_line_saying_what_to_get_and_where(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with pytest.raises(EngineError) as info:
        locate()
    message = str(info.value)
    expected = tmp_path / "data" / "audiobook" / "kokoro" / "kokoro-v1.0.int8.onnx"
    assert "\n" not in message and str(expected) in message
    assert f"{RELEASE}kokoro-v1.0.int8.onnx" in message


def test_a_build_with_no_model_stops_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "data" / "audiobook" / "kokoro"
    folder.mkdir(parents=True)
    (folder / "kokoro-v1.0.int8.onnx").write_bytes(b"x")  # the model, but no voices
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--voices", str(cast_file(
        tmp_path)), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "voices-v1.0.bin is missing" in lines[0]
    assert f"{RELEASE}voices-v1.0.bin" in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()


def test_a_cast_file_names_its_own_model_files(tmp_path):
    path = cast_file(tmp_path, "model: models/mine.onnx\nvoices: models/v.bin\n")
    with pytest.raises(EngineError, match=re.escape(str(tmp_path / "models" / "mine.onnx"))):
        open_cast(path)


@needs_kokoro
def test_a_damaged_model_is_one_line(tmp_path, model):
    from kokoro_model import write_corrupt_model

    write_corrupt_model(model / "kokoro-v1.0.int8.onnx")
    with pytest.raises(EngineError) as info:
        get_engine("kokoro")
    assert "cannot load Kokoro from" in str(info.value) and "\n" not in str(info.value)
    assert RELEASE in str(info.value)


@needs_kokoro
def test_the_engine_speaks_at_24_khz_as_long_as_the_text_and_as_fast_as_the_speed(model):
    engine = get_engine("kokoro")
    short, rate = engine.synthesize("Hello there.", Voice("af_heart"))
    long, _ = engine.synthesize("Hello there, it is a long and windy night.", Voice("af_heart"))
    fast, _ = engine.synthesize("Hello there.", Voice("af_heart", rate=340))
    assert rate == 24000 and 0 < len(short) < len(long)
    assert abs(len(fast) / len(short) - 0.5) < 0.05  # speed 2.0
    other, _ = engine.synthesize("Hello there.", Voice("bm_george"))
    blend, _ = engine.synthesize("Hello there.", Voice("af_heart:0.5+bm_george:0.5"))
    assert len({short, other, blend}) == 3
    assert "model" in engine.version and "voices" in engine.version


@needs_kokoro
def test_voices_carry_language_and_gender_from_their_names(model):
    engine = get_engine("kokoro")
    voices = {v.id: v for v in engine.voices()}
    assert voices["af_heart"].gender == "female" and voices["bm_george"].gender == "male"
    assert "British English" in voices["bm_george"].name
    assert engine.check_voice("af_bella:0.6+bm_lewis:0.4") is None
    assert engine.check_voice("af_hart") == "unknown Kokoro voice 'af_hart'; did you mean " \
                                            "'af_heart'?"
    assert "not a Kokoro voice" in engine.check_voice("en-us+f3")
    assert parse_voice("af_bella:3+bm_lewis:1") == [("af_bella", 0.75), ("bm_lewis", 0.25)]


@needs_kokoro
def test_pronunciations_in_espeak_phonemes_become_ipa(model):
    engine = get_engine("kokoro")
    said = engine.phonemes("Meet [[S@v'O:n]] today.", Voice("af_heart"))
    assert "ʃəvˈɔːn" in said and "[[" not in said and said.startswith("mˈiːt")


@needs_kokoro
def test_the_cast_is_drawn_by_gender_from_the_voice_names(tmp_path, model):
    path = cast_file(tmp_path, "characters:\n  Ada:\n    gender: female\n    speed: 1.1\n")
    cast, engine = open_cast(path)
    assert cast.narrator.id == "af_heart" and cast.member("Ada").voice.rate == 187
    voices, _ = cast.assign([Character("Tom", gender="male"), Character("Mia", gender="female"),
                             Character("Eve", gender="female")])
    assert voices["Tom"].id[1] == "m" and voices["Mia"].id[1] == "f"
    assert voices["Mia"].id != voices["Eve"].id
    assert cast.narrator.id not in {voices[n].id for n in ("Tom", "Mia", "Eve")}


@needs_kokoro
def test_the_example_builds_with_kokoro_as_with_espeak(tmp_path, model):
    from conftest import EXAMPLE_CAST

    cast = cast_file(tmp_path)
    result = CliRunner().invoke(cli, ["cast", str(EXAMPLE), "--voices", str(cast)])
    assert result.exit_code == 0, result.output
    text = cast.read_text(encoding="utf-8")
    assert "speed:" in text and "pitch:" not in text
    files = build(EXAMPLE, cast, tmp_path / "out",
                  BookOptions(cache=tmp_path / "cache", jobs=2))
    espeak = build(EXAMPLE, EXAMPLE_CAST, tmp_path / "espeak", BookOptions(cache=None))
    assert [f.name for f in files] == [f.name for f in espeak]
    for mine, theirs in zip(files, espeak):
        a, b = read_mp3(mine), read_mp3(theirs)
        assert a["tags"]["TIT2"] == b["tags"]["TIT2"] and a["duration"] > 1
        assert [c[0] for c in a["chapters"]] == [c[0] for c in b["chapters"]]
    assert sorted(p.name for p in files[0].parent.iterdir()) == sorted(
        p.name for p in espeak[0].parent.iterdir())  # subtitles, cover, playlist alike
    entries = sorted((tmp_path / "cache").rglob("*"))
    again = build(EXAMPLE, cast, tmp_path / "out2", BookOptions(cache=tmp_path / "cache"))
    assert [f.name for f in again] == [f.name for f in files]
    assert sorted((tmp_path / "cache").rglob("*")) == entries  # every sentence from the cache


@needs_kokoro
def test_the_cli_lists_kokoro_voices_by_gender_and_auditions_one(tmp_path, model):
    runner = CliRunner()
    result = runner.invoke(cli, ["voices", "--engine", "kokoro", "--gender", "male"])
    assert result.exit_code == 0, result.output
    rows = [line.split()[:3] for line in result.output.splitlines()[1:]]
    assert rows and {r[2] for r in rows} == {"male"}
    assert ["bm_george", "en-gb", "male"] in rows
    result = runner.invoke(cli, ["voices", "--engine", "kokoro", "--say", "Hello there.",
                                 "--voice", "af_bella:0.6+bm_lewis:0.4", "--out",
                                 str(tmp_path), "--no-play"])
    assert result.exit_code == 0, result.output
    assert Path(result.output.strip()).stat().st_size > 1000
    result = runner.invoke(cli, ["voices", "--engine", "kokoro", "--say", "Hi.", "--voice",
                                 "en-us+f3", "--no-play", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "not a Kokoro voice" in result.output
