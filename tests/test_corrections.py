"""The cast file's `lines:` and `not_characters:`: lines set by hand, kept across runs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from audiobook.castfile import load_cast
from audiobook.cli import cli
from audiobook.corrections import LineFix, locate
from audiobook.errors import CastError
from audiobook.models import Kind
from audiobook.pipeline import prepare

STORY = """\
Chapter 1

Mara came in from the rain. Tom looked up from the fire.

"You haven't paid for your lunch," Mara said.

"I will," Tom said.

"When?"

"Soon."

"Today."

Her freaking tears again. Mara turned to the window.

Chapter 2

"Stopping by was a mistake," said the voice.

Kishimoto wrote on the door. "Closed," said Kishimoto.

Mara read the sign: it was shut. Her freaking luck.
"""


def lines(tmp_path, cast: str, story: str = STORY):
    (tmp_path / "s.txt").write_text(story, encoding="utf-8")
    (tmp_path / "voices.yaml").write_text(cast, encoding="utf-8")
    production = prepare(tmp_path / "s.txt", load_cast(tmp_path / "voices.yaml"))
    return production, [(s.text, s.kind, s.speaker, s.rule)
                        for s in production.segmentation.segments if s.kind is not Kind.NARRATION]


def test_a_corrected_line_has_its_speaker_and_the_untagged_reply_goes_to_the_other(tmp_path):
    _, before = lines(tmp_path, "engine: fake\n")
    assert [(t, who) for t, _, who, _ in before[2:5]] == [
        ('"When?"', "Mara"), ('"Soon."', "Tom"), ('"Today."', "Mara")]
    _, after = lines(tmp_path, 'lines:\n  - match: "When"\n    speaker: Tom\n')
    assert after[2:5] == [('"When?"', Kind.DIALOGUE, "Tom", "cast file"),
                          ('"Soon."', Kind.DIALOGUE, "Mara", "turn-taking"),
                          ('"Today."', Kind.DIALOGUE, "Tom", "turn-taking")]


def test_a_sentence_of_narration_becomes_a_thought_and_only_that_sentence(tmp_path):
    _, spoken = lines(tmp_path, 'lines:\n  - match: "her FREAKING tears"\n    kind: thought\n'
                                '    speaker: Mara\n')
    assert ("Her freaking tears again.", Kind.THOUGHT, "Mara", "cast file") in spoken
    assert not any("turned to the window" in t for t, *_ in spoken)


def test_a_quote_can_be_made_narration(tmp_path):
    production, spoken = lines(tmp_path, 'lines:\n  - match: "Today"\n    kind: narration\n')
    assert not any(t == '"Today."' for t, *_ in spoken)
    assert any(s.text == '"Today."' and s.kind is Kind.NARRATION and s.speaker is None
               for s in production.segmentation.segments)


def test_a_chapter_narrows_a_match_and_a_new_speaker_is_a_character_and_cast(tmp_path):
    production, spoken = lines(tmp_path, 'engine: fake\nlines:\n  - match: "Her freaking"\n'
                                         '    chapter: 2\n    kind: thought\n'
                                         '    speaker: Sasuke\n')
    assert ("Her freaking luck.", Kind.THOUGHT, "Sasuke", "cast file") in spoken
    assert "Sasuke" in [c.name for c in production.segmentation.characters]
    assert "Sasuke" in production.voices
    assert production.segmentation.line_counts()["Sasuke"] == (0, 1)


def test_not_characters_are_never_a_speaker_nor_cast(tmp_path):
    production, _ = lines(tmp_path, "engine: fake\n")
    assert "Kishimoto" in [c.name for c in production.segmentation.characters]
    production, _ = lines(tmp_path, "engine: fake\nnot_characters: [Kishimoto]\n")
    assert "Kishimoto" not in [c.name for c in production.segmentation.characters]
    assert "Kishimoto" not in production.voices


@pytest.mark.parametrize("cast, message", [
    ('lines:\n  - match: "never in it"\n    speaker: Tom\n',
     "voices.yaml:2: 'never in it' matches no line; copy a few words of the line exactly"),
    ('engine: fake\nlines:\n  - match: "Her freaking"\n    speaker: Tom\n',
     "voices.yaml:3: 'Her freaking' matches 2 lines (chapters 1, 2); add words or a chapter"),
    ('lines:\n  - match: "said"\n    chapter: 1\n    speaker: Tom\n',
     "voices.yaml:2: 'said' matches 2 lines in chapter 1; add words"),
])
def test_a_match_that_finds_no_line_or_several_stops_with_one_line(tmp_path, cast, message):
    (tmp_path / "s.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "voices.yaml").write_text(cast, encoding="utf-8")
    given = [str(tmp_path / "s.txt"), "--voices", str(tmp_path / "voices.yaml")]
    for args in (["segment", *given], ["build", *given, "--out", str(tmp_path / "out")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [f"Error: {tmp_path}/{message}"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cast, message", [
    ("lines: Tom\n", "voices.yaml:1: 'lines' must be a list of lines"),
    ("lines:\n  - speaker: Tom\n", "voices.yaml:2: 'lines[1]' needs 'match'"),
    ('lines:\n  - match: "x"\n    kind: prose\n',
     "voices.yaml:3: 'lines[1].kind' is 'prose'; it must be narration, dialogue or thought"),
    ('lines:\n  - match: "x"\n    kind: narration\n    speaker: Tom\n',
     "voices.yaml:4: 'lines[1]' gives narration a speaker"),
    ('lines:\n  - match: "x"\n', "voices.yaml:2: 'lines[1]' needs a 'speaker' or a 'kind'"),
    ('lines:\n  - match: "x"\n    speaker: Tom\n    chapter: 0\n',
     "voices.yaml:4: 'lines[1].chapter' is 0; it must be a chapter number"),
    ('lines:\n  - match: "x"\n    speaker: Tom\n    knd: thought\n',
     "voices.yaml:4: unknown key 'knd' under 'lines[1]'; did you mean 'kind'?"),
    ("not_characters: {a: 1}\n", "voices.yaml:1: 'not_characters' must be a list of names"),
])
def test_a_malformed_correction_names_its_line(tmp_path, cast, message):
    (tmp_path / "voices.yaml").write_text(cast, encoding="utf-8")
    with pytest.raises(CastError) as info:
        load_cast(tmp_path / "voices.yaml")
    assert str(info.value).startswith(f"{tmp_path}/{message}")


@pytest.mark.parametrize("words", [
    "you haven't paid", "You haven’t paid", "haven't paid\n   for", '"You haven\'t'])
def test_words_match_in_any_case_across_breaks_and_with_either_quotes(words):
    text = "Chapter 1\n\n“You haven’t paid for\nyour lunch,” Mara said.\n"
    start = text.index("“")
    spans = [(0, 9, 1), (start, text.index(" Mara"), 1), (text.index("Mara"), len(text) - 1, 1)]
    assert locate(text, spans, LineFix(" ".join(words.split())))[0] == spans[1][:2]


def test_only_whole_words_match(tmp_path):
    with pytest.raises(CastError, match="matches no line"):
        locate("Lunches were late.", [(0, 18, 1)], LineFix("lunch"))


def test_cast_keeps_the_corrections_when_it_adds_characters(tmp_path):
    (tmp_path / "s.txt").write_text(STORY, encoding="utf-8")
    source = ('engine: fake\n# my fixes\nlines:\n  - match: "When"   # his line\n'
              '    speaker: Tom\nnot_characters: [Kishimoto]\n')
    (tmp_path / "voices.yaml").write_text(source, encoding="utf-8")
    result = CliRunner().invoke(cli, ["cast", str(tmp_path / "s.txt"), "--voices",
                                      str(tmp_path / "voices.yaml")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "voices.yaml").read_text()
    assert text.startswith(source)
    assert "Mara:" in text and "Kishimoto:" not in text



def test_every_correction_the_review_page_offers_finds_its_own_line(tmp_path):
    from audiobook.review import Matches, correction
    story = ('Chapter 1\n\n"Yes." Mara turned away.\n\n"Yes." Tom sat down.\n\n'
             '"No," said Tom. "Yes."\n\nChapter 2\n\n"Yes." Mara smiled at the sea.\n')
    production, _ = lines(tmp_path, "engine: fake\n", story)
    doc = production.document
    matches = Matches(doc.text, [(c.number, c.start, c.end) for c in doc.chapters])
    spoken = [s for s in production.segmentation.segments if s.kind is not Kind.NARRATION]
    assert len(spoken) == 5
    for line in spoken:
        offered = correction(line, matches.choose(line)).replace('""  # who says it?', "Ann")
        after, _ = lines(tmp_path, "engine: fake\n" + offered, story)
        fixed = [s for s in after.segmentation.segments if s.rule == "cast file"]
        assert [(s.start, s.end) for s in fixed] == [(line.start, line.end)], offered
