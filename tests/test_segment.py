"""Tests for audiobook.segment and audiobook.attribution: quotes, thoughts and speakers."""

from __future__ import annotations

import pytest

from audiobook.models import Kind
from audiobook.readers.base import SCENE_BREAK_RE
from audiobook.readers.markdown import parse
from audiobook.segment import segment

N, D, T = Kind.NARRATION, Kind.DIALOGUE, Kind.THOUGHT
# Sets up a woman (Mara) and a man (Tom) for pronoun tags.
INTRO = "Mara opened the door. She looked tired.\n\nTom stood up. He waved.\n\n"
PAIR = {"Mara": (), "Tom": ()}


def run(text, known=None):
    doc = parse(text)
    return doc, segment(doc, known).segments


def rows(segs, kinds=(N, D, T)):
    return [(s.text, s.kind, s.speaker) for s in segs if s.kind in kinds]


def spoken(segs):
    return [(s.text, s.speaker) for s in segs if s.kind is not N]


# -- the segments tile the text ---------------------------------------------------------------

VARIED = [
    "Chapter 1\n\n\"Hi.\" \"Bye.\"\n\nMara said, \"Go\"... and left.\n\n* * *\n\n"
    "— \"Wait,\" Tom said — \"stop!\"\n",
    "# Book\n\n## One\n\n*I should go,* she thought. _We are late_ he thought.\n\n"
    "\"Open quote\nacross lines\n\n\"More,\" Mara said.\n\n---\n\n“Curly,” said Tom. “Again.”\n",
    "\ufeffA plain line. With \"odd \"quotes\" here.\n\n...\n\n\"!\" she said.\n\n"
    "oOo\n\n#\n\n\"End.\"",
    "Mara said, \"one\" — \"two\" — \"three.\" Tom's \"hat\" was *very nice* indeed.\n\n"
    "\"*Stars*,\" she whispered.\n",
    "Ma\u00f1ana, \"caf\u00e9,\" Ren\u00e9e said.\n\n~~~\n\n-x-x-\n\n\"...\" . , ; \"a\"\n",
    "".join(f"\"Line {n},\" Tom said.\n" for n in range(12)),
]


@pytest.mark.parametrize("text", VARIED, ids=[f"text{i}" for i in range(len(VARIED))])
def test_segments_are_ordered_exact_slices_covering_all_visible_text(text):
    doc, segs = run(text)
    covered, previous_end = set(), 0
    for s in segs:
        assert s.text == doc.text[s.start:s.end]
        assert previous_end <= s.start < s.end
        previous_end = s.end
        covered.update(range(s.start, s.end))
    pos = 0
    for line in doc.text.split("\n"):
        if not SCENE_BREAK_RE.match(line):
            missed = [ch for i, ch in enumerate(line)
                      if not ch.isspace() and ch != "\ufeff" and pos + i not in covered]
            assert missed == [], line
        pos += len(line) + 1


# -- quotes and tags ------------------------------------------------------------------------


def test_straight_quote_with_name_then_verb_tag():
    _, segs = run('"The tide is turning," Mara said.')
    assert [(s.start, s.end, s.kind, s.speaker) for s in segs] == [
        (0, 22, D, "Mara"), (23, 33, N, None)]
    assert segs[1].text == "Mara said."


def test_curly_quotes_are_dialogue():
    _, segs = run("“Curly works too,” Mara said.")
    assert [(s.start, s.end, s.kind, s.speaker) for s in segs] == [
        (0, 18, D, "Mara"), (19, 29, N, None)]


def test_tag_after_with_verb_then_name():
    _, segs = run('"Where is the boat?" asked Mara.')
    assert rows(segs) == [('"Where is the boat?"', D, "Mara"), ("asked Mara.", N, None)]


def test_tag_before_the_quote():
    _, segs = run('Mara said, "We should row."')
    assert [(s.start, s.end, s.kind, s.speaker) for s in segs] == [
        (0, 10, N, None), (11, 27, D, "Mara")]


def test_tag_with_adverb_on_either_side():
    _, segs = run('"Go," Tom said softly.\n\n"Go," Mara softly said.\n\nTom said quietly, "Stay."')
    assert spoken(segs) == [('"Go,"', "Tom"), ('"Go,"', "Mara"), ('"Stay."', "Tom")]


def test_split_quote_gives_both_halves_one_speaker():
    _, segs = run('"If we hurry," Mara said, "we can still catch it."')
    assert rows(segs) == [('"If we hurry,"', D, "Mara"), ("Mara said,", N, None),
                          ('"we can still catch it."', D, "Mara")]


def test_pronoun_tags_resolve_by_gender():
    text = INTRO + '"You came back," he said.\n\n"I did," she said.'
    _, segs = run(text, PAIR)
    assert spoken(segs) == [('"You came back,"', "Tom"), ('"I did,"', "Mara")]


def test_pronoun_tag_resolves_to_most_recent_character_of_that_gender():
    text = ("Mara smiled. She waved.\n\nLena nodded. She was quiet.\n\n"
            "\"Ready?\" she asked.")
    _, segs = run(text, {"Mara": (), "Lena": ()})
    assert spoken(segs) == [('"Ready?"', "Lena")]


def test_split_quote_with_pronoun_tag():
    _, segs = run(INTRO + '"If we hurry," she said, "we can catch it."', PAIR)
    assert spoken(segs) == [('"If we hurry,"', "Mara"), ('"we can catch it."', "Mara")]


def test_speakers_found_in_tags_get_genders_from_narration():
    doc = parse(INTRO + '"Hi," Mara said.\n\n"Hello," Tom said.')
    found = segment(doc).characters
    assert sorted((c.name, c.gender) for c in found) == [("Mara", "female"), ("Tom", "male")]


def test_action_beat_before_quote_names_the_speaker():
    _, segs = run('"Where?" Tom said.\n\nMara pointed at the hill. "There."', PAIR)
    assert spoken(segs) == [('"Where?"', "Tom"), ('"There."', "Mara")]


def test_action_beat_after_quote_names_the_speaker():
    _, segs = run(INTRO + '"Hey." Tom waved at her.', PAIR)
    assert spoken(segs) == [('"Hey."', "Tom")]


def test_untagged_lines_alternate_between_the_last_two_speakers():
    _, segs = run('"Run," Mara said.\n\n"Why?" Tom asked.\n\n"Because."\n\n"Fine."')
    assert [s for _, s in spoken(segs)] == ["Mara", "Tom", "Mara", "Tom"]


def test_known_alias_maps_to_canonical_name():
    _, segs = run('"Hold fast," Captain Vell said.', {"Mara": ("Captain Vell",)})
    assert spoken(segs) == [('"Hold fast,"', "Mara")]


# -- unclosed and continued speech ----------------------------------------------------------


def test_unclosed_quote_stops_at_the_paragraph_end():
    doc, segs = run('"This never ends, Mara.\n\nTom laughed.')
    assert [(s.start, s.end, s.kind) for s in segs] == [(0, 23, D), (25, 37, N)]
    assert segs[0].end == doc.paragraphs[0].end
    assert segs[1].paragraph == 1


def test_speech_over_several_paragraphs_keeps_its_speaker():
    text = '"First part," Tom said. "Second\n\n"Third\n\n"Fourth."\n\nMara laughed.'
    _, segs = run(text)
    assert rows(segs, (D,)) == [('"First part,"', D, "Tom"), ('"Second', D, "Tom"),
                                ('"Third', D, "Tom"), ('"Fourth."', D, "Tom")]
    assert [s.paragraph for s in segs if s.kind is D] == [0, 0, 1, 2]


# -- headings, thoughts, positions ----------------------------------------------------------


def test_heading_is_narration_marked_heading():
    _, segs = run('Chapter 1: "Run"\n\nTom sat.')
    assert [(s.text, s.kind, s.speaker, s.heading) for s in segs] == [
        ('Chapter 1: "Run"', N, None, True), ("Tom sat.", N, None, False)]


def test_emphasised_first_person_with_thought_tag_is_a_thought():
    _, segs = run("*I should go,* she thought.")
    assert [(s.start, s.end, s.kind) for s in segs] == [(0, 14, T), (15, 27, N)]
    assert segs[0].text == "*I should go,*"


def test_thought_is_attributed_through_its_pronoun_tag():
    _, segs = run("Mara sat. She was tired.\n\n*I should go,* she thought.", PAIR)
    assert rows(segs, (T,)) == [("*I should go,*", T, "Mara")]


def test_plain_emphasis_stays_narration():
    _, segs = run("The sign said *closed for winter* in red.")
    assert rows(segs) == [("The sign said *closed for winter* in red.", N, None)]


def test_segments_carry_chapter_scene_and_paragraph():
    _, segs = run('Chapter 1\n\n"Go," Mara said.\n\n***\n\n"Stay," Tom said.\n\n'
                  "Chapter 2\n\nIt rained.")
    assert [(s.chapter, s.scene, s.paragraph) for s in segs] == [
        (1, 1, 0), (1, 1, 1), (1, 1, 1), (1, 2, 2), (1, 2, 2), (2, 1, 3), (2, 1, 4)]


# -- known bugs -----------------------------------------------------------------------------


def test_name_with_accented_letter_in_tag_is_the_speaker():
    _, segs = run('"The bridge is out," Zoë said.')
    assert spoken(segs) == [('"The bridge is out,"', "Zoë")]


def test_tag_before_with_object_name_keeps_the_subject_as_speaker():
    _, segs = run(INTRO + 'Tom turned to Mara and said, "Run."', PAIR)
    assert spoken(segs) == [('"Run."', "Tom")]


def test_a_dash_between_two_quotes_stays_narration():
    doc, segs = run('"Cold, Lucy?" \u2014 "Only a little," replied she.')
    assert [(s.text, s.kind) for s in segs[:3]] == [
        ('"Cold, Lucy?"', D), ("\u2014", N), ('"Only a little,"', D)]


def test_a_named_first_person_narrator_is_never_the_he_of_the_narration():
    # The others call the narrator Jack; once that is known, 'Jack' in a line is the one who
    # says I, and the he who answers Mara is Tom, not Jack.
    text = ('"Jack, you are late," Tom said.\n\n"The train," I said.\n\n'
            '"Jack, the train is always late," Mara said.\n\n"Not today," I said.\n\n'
            '"Come in, Jack," Tom said.\n\n"Thank you," I said.\n\n'
            '"Tea, Jack?" Mara asked.\n\n"Yes," he said.\n')
    _, segs = run(text)
    assert [who for _, who in spoken(segs)] == ["Tom", "Jack", "Mara", "Jack", "Tom", "Jack",
                                                "Mara", "Tom"]


def test_narration_after_a_quote_that_ends_open_introduces_the_next_paragraphs_line():
    # Turn-taking alone would give the last line to Mara; the open end keeps it Tom's.
    text = (INTRO + '"Where is the key?" asked Mara.\n\n"In the door," said Tom, and then he '
            'added, after a pause:\n\n"Or in your coat."\n\n"Thanks."\n')
    doc, segs = run(text, PAIR)
    assert spoken(segs)[-2:] == [('"Or in your coat."', "Tom"), ('"Thanks."', "Mara")]


# -- why each line has its speaker -------------------------------------------------------------

def why(segs):
    return [(s.text, s.speaker, s.rule, s.confidence) for s in segs if s.kind is not N]


def test_each_line_says_the_rule_that_decided_it_and_how_sure_that_is():
    _, segs = run('"Is the boat in?" asked Mara.\n\n"Not yet," Tom said. "The wind is wrong."\n\n'
                  '"Then we wait."\n\nMara laughed. "You worry too much."\n')
    assert why(segs) == [
        ('"Is the boat in?"', "Mara", "tag: asked Mara", "high"),
        ('"Not yet,"', "Tom", "tag: Tom said", "high"),
        ('"The wind is wrong."', "Tom", "same paragraph", "high"),
        ('"Then we wait."', "Mara", "turn-taking", "low"),
        ('"You worry too much."', "Mara", "action beside it", "medium")]


def test_a_tag_before_the_quote_and_a_pronoun_tag_are_explained():
    _, segs = run(INTRO + 'Tom said, "Come in."\n\n"Thank you," she said.\n', PAIR)
    assert why(segs) == [('"Come in."', "Tom", "tag: Tom said", "high"),
                         ('"Thank you,"', "Mara", "tag: she said", "medium")]


def test_narration_carries_no_rule_and_jsonl_has_rule_for_every_spoken_span():
    _, segs = run('"Go," said Ada. She left.\n\nA quiet house.\n')
    assert {(s.rule, s.confidence) for s in segs if s.kind is N} == {("", "")}
    rows = [s.to_dict() for s in segs]
    assert all("rule" not in r for r in rows if r["kind"] == "narration")
    assert all(r["rule"] and r["confidence"] in ("high", "medium", "low")
               for r in rows if r["kind"] != "narration")


def test_a_thought_and_a_letter_say_why_they_have_their_reader():
    _, segs = run("Mara sat. She was tired.\n\n*I should go,* she thought.\n\n"
                  "Dear Tom,\n\nThe boat is in.\n\nMara\n", PAIR)
    assert why(segs) == [("*I should go,*", "Mara", "tag: she thought", "medium"),
                         ("Dear Tom,", "Mara", "signed: Mara", "high"),
                         ("The boat is in.", "Mara", "signed: Mara", "high"),
                         ("Mara", "Mara", "signed: Mara", "high")]
