"""Tests for audiobook.cast: voices.yaml parsing, validation messages and voice assignment."""

from __future__ import annotations

import re

import pytest

from audiobook.cast import Cast, CastMember
from audiobook.castfile import load_cast
from audiobook.engines.fake import FakeEngine
from audiobook.errors import CastError
from audiobook.models import Character, Voice

VALID = """\
engine: fake
narrator:
  voice: en-gb
  rate: 150
characters:
  Mara:
    voice: en-us+f3
    aliases: [Captain Vell, the captain]
    rate: 180
    pitch: 65
    volume: 0.8
    gender: female
  Tom: en-gb+m4
defaults:
  rate: 175
"""


def load(tmp_path, source: str, check=True):
    path = tmp_path / "voices.yaml"
    path.write_text(source, encoding="utf-8")
    return load_cast(path, FakeEngine().check_voice if check else None)


def error(tmp_path, source: str) -> str:
    with pytest.raises(CastError) as info:
        load(tmp_path, source)
    return str(info.value)


# -- a valid file ---------------------------------------------------------------------------


def test_valid_file_loads_engine_and_narrator(tmp_path):
    cast = load(tmp_path, VALID)
    assert cast.engine == "fake"
    assert cast.narrator == Voice("en-gb", rate=150, pitch=50, volume=1.0)
    assert cast.path == tmp_path / "voices.yaml"


def test_valid_file_loads_character_voice_aliases_and_gender(tmp_path):
    mara = load(tmp_path, VALID).members[0]
    assert mara.name == "Mara"
    assert mara.voice == Voice("en-us+f3", rate=180, pitch=65, volume=0.8)
    assert mara.aliases == ("Captain Vell", "the captain")
    assert mara.gender == "female"


def test_shorthand_character_takes_the_defaults(tmp_path):
    cast = load(tmp_path, VALID)
    assert cast.members[1] == CastMember("Tom", Voice("en-gb+m4", rate=175), (), "unknown")
    assert cast.defaults == Voice("en-us", rate=175)
    assert cast.known_aliases() == {"Mara": ("Captain Vell", "the captain"), "Tom": ()}


def test_no_cast_file_gives_builtin_defaults():
    cast = load_cast(None)
    assert cast.narrator == Voice("en-gb", rate=165)
    assert cast.members == ()


# -- validation messages --------------------------------------------------------------------


def test_misspelt_character_key_names_line_and_suggests(tmp_path):
    source = "narrator:\n  voice: en-gb\ncharacters:\n  Mara:\n    voice: en-us+f3\n    pich: 60\n"
    message = error(tmp_path, source)
    assert "voices.yaml:6: " in message
    assert "unknown key 'pich' under 'characters.Mara'" in message
    assert "did you mean 'pitch'?" in message


def test_misspelt_top_level_key_names_line_and_suggests(tmp_path):
    message = error(tmp_path, "# my cast\n\nnarator:\n  voice: en-gb\n")
    assert "voices.yaml:3: unknown key 'narator'; did you mean 'narrator'?" in message


def test_unrelated_key_lists_the_allowed_keys(tmp_path):
    message = error(tmp_path, "narrator:\n  voice: en-gb\n  colour: red\n")
    assert "voices.yaml:3: unknown key 'colour' under 'narrator'" in message
    assert "(expected one of: voice, rate, speed, pitch, volume)" in message


def test_rate_out_of_range_names_line_and_range(tmp_path):
    message = error(tmp_path, "characters:\n  Mara:\n    voice: en-us+f3\n    rate: 900\n")
    assert "voices.yaml:4: 'characters.Mara.rate' is 900; it must be a number from 80 to 450" \
        in message


@pytest.mark.parametrize("line, shown", [("volume: 2.5", "2.5"), ("rate: true", "True"),
                                         ("rate: '170'", "'170'"), ("pitch: -1", "-1")])
def test_bad_narrator_number_is_rejected_on_its_line(tmp_path, line, shown):
    message = error(tmp_path, f"narrator:\n  voice: en-gb\n  {line}\n")
    key = line.split(":")[0]
    assert f"voices.yaml:3: 'narrator.{key}' is {shown}; it must be a number" in message


def test_unknown_voice_is_reported_with_a_suggestion(tmp_path):
    message = error(tmp_path, "narrator:\n  voice: en-gb\ncharacters:\n  Mara:\n"
                              "    voice: en-us+f9\n")
    assert "voices.yaml:5: unknown voice 'en-us+f9'; did you mean 'en-us+f5'?" in message


def test_unknown_language_in_shorthand_is_reported_with_a_suggestion(tmp_path):
    message = error(tmp_path, "characters:\n  Tom: en-xx+m3\n")
    assert "voices.yaml:2: unknown voice 'en-xx+m3'; did you mean 'en-us+m3'?" in message


def test_unknown_voice_passes_when_no_checker_is_given(tmp_path):
    cast = load(tmp_path, "narrator:\n  voice: zz-top\n", check=False)
    assert cast.narrator.id == "zz-top"


def test_alias_claimed_by_two_characters_is_rejected(tmp_path):
    source = ("characters:\n  Mara:\n    voice: en-us+f3\n    aliases: [Cap]\n"
              "  Tom:\n    voice: en-us+m3\n    aliases: [cap]\n")
    message = error(tmp_path, source)
    assert re.search(r"voices\.yaml:[57]: alias 'cap' is claimed by both 'Mara' and 'Tom'",
                     message), message


def test_alias_equal_to_another_characters_name_is_rejected(tmp_path):
    source = "characters:\n  Mara: en-us+f3\n  Tom:\n    voice: en-us+m3\n    aliases: [Mara]\n"
    assert "alias 'Mara' is claimed by both 'Mara' and 'Tom'" in error(tmp_path, source)


def test_bad_gender_is_rejected_on_its_line(tmp_path):
    message = error(tmp_path, "characters:\n  Mara:\n    voice: en-us+f3\n    gender: woman\n")
    assert ("voices.yaml:4: 'characters.Mara.gender' is 'woman'; it must be one of male, "
            "female, unknown") \
        in message


def test_bad_yaml_indentation_gives_a_line(tmp_path):
    message = error(tmp_path, "characters:\n  Mara:\n    voice: en-us+f3\n   rate: 100\n")
    assert "voices.yaml:4: not valid YAML" in message


def test_tab_indentation_gives_a_line(tmp_path):
    message = error(tmp_path, "# cast\n\nnarrator:\n\tvoice: en-gb\n")
    assert "voices.yaml:4: not valid YAML" in message


def test_top_level_list_is_rejected(tmp_path):
    assert "'the file' must be a mapping" in error(tmp_path, "- Mara\n- Tom\n")


def test_missing_cast_file_is_a_cast_error(tmp_path):
    with pytest.raises(CastError) as info:
        load_cast(tmp_path / "voices.yaml")
    assert str(info.value) == f"{tmp_path / 'voices.yaml'}: no such cast file"


# -- assigning voices -----------------------------------------------------------------------

STRANGERS = [Character("Ada", gender="female"), Character("Bea", gender="female"),
             Character("Cal", gender="male"), Character("Dov", gender="male"),
             Character("Eli")]


def test_unlisted_characters_get_distinct_voices_not_the_narrators():
    cast = Cast()
    voices, _ = cast.assign(STRANGERS)
    ids = [voices[c.name].id for c in STRANGERS] + [voices[None].id]
    assert len(set(ids)) == len(ids)
    assert cast.narrator.id not in ids


def test_pool_voices_follow_gender():
    voices, _ = Cast().assign(STRANGERS)
    assert [voices[n].id.split("+")[1][0] for n in ("Ada", "Bea", "Cal", "Dov")] == [
        "f", "f", "m", "m"]
    assert voices["Ada"].id == "en-us+f3"
    assert voices["Cal"].id == "en-us+m3"


def test_listed_characters_keep_their_voice_and_unlisted_avoid_it(tmp_path):
    cast = load(tmp_path, VALID)
    voices, notes = cast.assign([Character("Mara", gender="female"),
                                 Character("Ada", gender="female")])
    assert voices["Mara"] == Voice("en-us+f3", rate=180, pitch=65, volume=0.8)
    assert voices["Ada"].id not in {"en-us+f3", "en-gb+m4", "en-gb"}
    assert voices["Ada"].id.split("+")[1].startswith("f")
    assert notes == [f"Ada is not in the cast; using {voices['Ada'].id} (female default)"]


def test_pool_voices_use_the_defaults_rate():
    cast = Cast(defaults=Voice("en-us", rate=200))
    voices, _ = cast.assign([Character("Cal", gender="male")])
    assert voices["Cal"].rate == 200


def test_character_never_gets_the_narrators_voice_from_a_one_voice_pool(tmp_path):
    cast = load(tmp_path, "narrator:\n  voice: en-us+m3\ndefaults:\n  male: [en-us+m3]\n")
    voices, _ = cast.assign([Character("Cal", gender="male")])
    assert voices["Cal"].id != "en-us+m3"


# -- validation added with casting -------------------------------------------------------------

def test_a_character_listed_twice_names_both_lines(tmp_path):
    message = error(tmp_path, "characters:\n  Mara:\n    voice: en-us+f3\n  Mara:\n"
                              "    voice: en-gb+f1\n")
    assert message.endswith("voices.yaml:4: 'Mara' is listed twice (first on line 2); "
                            "merge the two entries")


def test_every_problem_is_reported_one_line_each(tmp_path):
    message = error(tmp_path, "narrator:\n  voice: en-gb\n  rte: 150\ncharacters:\n  Mara:\n"
                              "    voice: en-us+f9\n    pitch: 300\n")
    lines = message.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("voices.yaml:3: unknown key 'rte' under 'narrator'; did you mean "
                             "'rate'?")
    assert lines[1].endswith("voices.yaml:6: unknown voice 'en-us+f9'; did you mean 'en-us+f5'?")
    assert lines[2].endswith("voices.yaml:7: 'characters.Mara.pitch' is 300; it must be a "
                             "number from 0 to 100")


@pytest.mark.parametrize("source, expected", [
    ("thoughts:\n  effect: ecko\n", "voices.yaml:2: 'thoughts.effect' is 'ecko'; it must be "
     "one of none, echo, narrow; did you mean 'echo'?"),
    ("letters:\n  rate: 3\n", "voices.yaml:2: 'letters.rate' is 3; it must be a number from "
     "0.5 to 2.0"),
    ("thoughts:\n  whisper: maybe\n", "voices.yaml:2: 'thoughts.whisper' must be true or false"),
    ("characters:\n  Mara:\n    voice: en-us+f3\n    thoughts:\n      volumes: 0.5\n",
     "voices.yaml:5: unknown key 'volumes' under 'characters.Mara.thoughts'; did you mean "
     "'volume'?"),
])
def test_style_problems_name_their_line(tmp_path, source, expected):
    assert error(tmp_path, source).endswith(expected)


def test_styles_load_for_the_book_and_per_character(tmp_path):
    cast = load(tmp_path, "thoughts:\n  rate: 0.8\n  whisper: true\nletters:\n  effect: none\n"
                          "characters:\n  Mara:\n    voice: en-us+f3\n    thoughts:\n"
                          "      effect: narrow\n")
    assert (cast.thoughts.rate, cast.thoughts.whisper, cast.thoughts.effect) == (0.8, True, "echo")
    assert cast.letters.effect == "none"
    assert cast.members[0].thoughts.effect == "narrow" and cast.members[0].thoughts.rate == 0.8


@pytest.mark.parametrize("source, expected", [
    ("engine: [a, b]\n", "voices.yaml:1: 'engine' must be a name such as pyttsx3"),
    ("characters: [Mara, Tom]\n", "voices.yaml:1: 'characters' must map each character's name "
     "to its voice"),
    ("characters:\n  Mara:\n    voice: en-us+f3\n    aliases: {a: b}\n",
     "voices.yaml:4: 'characters.Mara.aliases' must be a list of names"),
    ("defaults:\n  male: 7\n", "voices.yaml:2: 'defaults.male' must be a list of voices"),
    ("narrator:\n  voice: 12\n", "voices.yaml:2: 'narrator.voice' must be a voice name such as "
     "en-us+f3"),
    ("narrator: en-gb\n", "voices.yaml:1: 'narrator' must be a mapping of keys to values"),
])
def test_every_shape_problem_has_its_message(tmp_path, source, expected):
    assert error(tmp_path, source).endswith(expected)


def test_a_cast_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "voices.yaml"
    path.write_bytes("narrator:\n  voice: en-gb # café\n".encode("latin-1"))
    with pytest.raises(CastError) as info:
        load_cast(path)
    assert str(info.value).startswith(f"{path}: is not UTF-8 text")


def test_a_folder_given_as_the_cast_file_is_named_with_the_file_to_give(tmp_path):
    with pytest.raises(CastError) as info:
        load_cast(tmp_path)
    assert str(info.value) == (f"{tmp_path}: is a folder; give the cast file in it, e.g. "
                               f"--voices {tmp_path / 'voices.yaml'}")


def test_an_unknown_engine_is_named():
    from audiobook.engines import get_engine
    from audiobook.errors import EngineError

    with pytest.raises(EngineError) as info:
        get_engine("festival")
    assert str(info.value) == "unknown engine 'festival' (known: pyttsx3, kokoro, fake)"
