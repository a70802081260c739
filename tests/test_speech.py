"""What the engine is given: pronunciations (book-wide and per reader), the story's own
brackets, `spoken` in jsonl, `voices --say`, and `audiobook words`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from audiobook.cast import Cast, CastMember
from audiobook.castfile import load_cast
from audiobook.cli import cli
from audiobook.engines.fake import FakeEngine
from audiobook.errors import CastError
from audiobook.models import Kind, Segment, Voice
from audiobook.preview import say
from audiobook.speech import Pronunciations, Speech
from audiobook.words import story_words

TABLE = (("Sasuke", "Sahss-keh"), ("Konoha", "[[k'o:nohA]]"), ("US", "you ess"),
         ("Uchiha clan", "Oo-chee-hah clan"))


@pytest.mark.parametrize("text, said", [
    ("Sasuke left.", "Sahss-keh left."),
    ("SASUKE! sasuke?", "Sahss-keh! Sahss-keh?"),  # any case, unless the key is capitals
    ("Sasuke's sword and the Sasukes", "Sahss-keh's sword and the Sahss-kehs"),
    ("Sasuke’s", "Sahss-keh’s"),
    ("Sasukeno and xSasuke", "Sasukeno and xSasuke"),  # whole words only
    ("back to Konoha.", "back to [[k'o:nohA]]."),
    ("the US and us", "the you ess and us"),  # all capitals: only as written
    ("the Uchiha\nclan", "the Oo-chee-hah clan"),
])
def test_pronunciations_replace_whole_words(text, said):
    assert Pronunciations(TABLE)(text) == said


def test_the_readers_own_pronunciations_go_over_the_books_and_narration_keeps_the_books():
    cast = Cast(members=(CastMember("Naruto", Voice("en-us"),
                                    pronunciations=(("Sakura", "Sakura-chan"),
                                                    ("Sasuke", "Sasuke-teme"))),),
                pronunciations=(("Sasuke", "Sahss-keh"), ("Sakura", "Sah-koo-rah")))
    speech = Speech(cast)
    line = Segment(0, 21, Kind.DIALOGUE, "Naruto", '"Sasuke and Sakura!"', 1, 1, 0)
    told = Segment(0, 19, Kind.NARRATION, None, "Sasuke met Sakura.", 1, 1, 0)
    other = Segment(0, 21, Kind.DIALOGUE, "Ino", '"Sasuke and Sakura!"', 1, 1, 0)
    assert speech(line) == '"Sasuke-teme and Sakura-chan!"'
    assert speech(told) == "Sahss-keh met Sah-koo-rah."
    assert speech(other) == '"Sahss-keh and Sah-koo-rah!"'


def test_the_storys_own_double_brackets_never_reach_the_engine_as_phonemes():
    speech = Speech(Cast(pronunciations=(("Konoha", "[[k'o:nohA]]"),)))
    said = speech.text("He typed [[h@l'oU]] into Konoha's box.")
    assert "[[h@l'oU]]" not in said and "[ [h@l'oU] ]" in said
    assert "[[k'o:nohA]]'s" in said


CAST = """\
engine: fake
pronunciations:
  Mara: Mah-rah
  Bramwell: "[[br'amw@l]]"
characters:
  Tom:
    voice: en-gb+m4
    pronunciations:
      Mara: Marr
"""


def test_the_cast_file_gives_pronunciations_and_jsonl_says_what_is_spoken(tmp_path):
    (tmp_path / "voices.yaml").write_text(CAST, encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text('Mara sat by the fire.\n\n"Mara, come," Tom said.\n\nThe end.\n',
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["segment", str(story), "--voices",
                                      str(tmp_path / "voices.yaml"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["text"], r.get("spoken")) for r in rows] == [
        ("Mara sat by the fire.", "Mah-rah sat by the fire."),
        ('"Mara, come,"', '"Marr, come,"'),
        ("Tom said.", None), ("The end.", None)]


@pytest.mark.parametrize("source, message", [
    ("pronunciations: [Sasuke]\n", "voices.yaml:1: 'pronunciations' must map each word"),
    ("pronunciations:\n  Sasuke: \"\"\n", "voices.yaml:2: 'pronunciations.Sasuke' must say"),
    ("pronunciations:\n  Sasuke: \"Sah [[s]]\"\n",
     "voices.yaml:2: 'pronunciations.Sasuke' mixes phonemes and letters"),
    ("characters:\n  Tom:\n    pronunciations: yes\n",
     "voices.yaml:3: 'characters.Tom.pronunciations' must map each word"),
])
def test_a_bad_pronunciation_names_its_line(tmp_path, source, message):
    (tmp_path / "voices.yaml").write_text(source, encoding="utf-8")
    with pytest.raises(CastError) as info:
        load_cast(tmp_path / "voices.yaml")
    assert str(info.value).startswith(f"{tmp_path}/{message}")


def test_voices_say_is_given_the_pronunciations(tmp_path):
    engine = FakeEngine()
    speech = Speech(Cast(pronunciations=(("Mara", "Mah-rah"),)))
    say("Hello, Mara.", Voice("en-us"), engine, tmp_path / "a.wav", speech)
    assert [text for text, _ in engine.calls] == ["Hello, Mah-rah."]


def test_voices_say_reads_the_cast_file_named(tmp_path, monkeypatch):
    (tmp_path / "voices.yaml").write_text("pronunciations:\n  Mara: Mah-rah\n", encoding="utf-8")
    engine = FakeEngine()
    monkeypatch.setattr("audiobook.cli.get_engine", lambda name: engine)
    result = CliRunner().invoke(cli, ["voices", "--say", "Hello, Mara.", "--no-play", "--out",
                                      str(tmp_path), "--voices", str(tmp_path / "voices.yaml")])
    assert result.exit_code == 0, result.output
    assert [text for text, _ in engine.calls] == ["Hello, Mah-rah."]


def test_words_lists_names_and_unusual_words_not_common_ones(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("Aoife met Tsunade in Qarth. She said the OOC part was fine.\n\n"
                     '"Aoife!" Tsunade called. The sea was calm. Then Aoife smiled.\n',
                     encoding="utf-8")
    from audiobook.pipeline import prepare
    production = prepare(story)
    found = {w.word: (w.count, w.kind) for w in story_words(
        production.segmentation.segments, production.segmentation.characters)}
    assert found["Aoife"] == (3, "name") and found["Tsunade"] == (2, "name")
    assert found["Qarth"][1] == "name" and found["OOC"] == (1, "unusual")
    assert not {"She", "The", "Then", "sea", "calm", "fine"} & set(found)


def test_words_from_the_command_line_shows_eSpeak_phonemes(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text('"Come," said Tsunade. Tsunade smiled at Konoha.\n', encoding="utf-8")
    (tmp_path / "voices.yaml").write_text('pronunciations:\n  Konoha: "[[k\'o:nohA]]"\n',
                                          encoding="utf-8")
    result = CliRunner().invoke(cli, ["words", str(story), "--voices",
                                      str(tmp_path / "voices.yaml")])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()[1:]}
    assert rows["Tsunade"][1:3] == ["2", "name"] and "'" in rows["Tsunade"][-1]
    assert rows["Konoha"][3:] == ["[[k'o:nohA]]", "k'o:nohA"]


def test_a_build_speaks_the_pronunciation_and_its_subtitles_keep_the_spelling(tmp_path):
    from audiobook import build
    from audiobook.pipeline import BookOptions
    (tmp_path / "voices.yaml").write_text(CAST, encoding="utf-8")
    story = tmp_path / "s.txt"
    story.write_text("Chapter 1\n\nMara paid $3.50 for Bramwell's tea.\n", encoding="utf-8")
    engine = FakeEngine()
    files = build(story, tmp_path / "voices.yaml", tmp_path / "out",
                  BookOptions(cache=None), engine)
    assert "Mah-rah paid three dollars and fifty cents for [[br'amw@l]]'s tea." in [
        text for text, _ in engine.calls]
    subtitles = files[0].with_suffix(".vtt").read_text(encoding="utf-8")
    assert "Mara paid $3.50 for Bramwell's tea." in subtitles
    book = json.loads(next((tmp_path / "out").rglob("book.json")).read_text(encoding="utf-8"))
    assert "Mah-rah" not in json.dumps(book)
