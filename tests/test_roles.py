"""Whole paragraphs read other than as narration: notes, letters, lost-italics thoughts;
and the listener tag ("he heard Ada call")."""

from __future__ import annotations

from audiobook.models import Kind
from audiobook.readers.markdown import parse
from audiobook.segment import segment

STORY = (
    "Author's Note: I wrote this on a train. I hope you like it.\n\n"
    '"Where is the map?" Ada asked. Bram watched her search the drawer.\n\n'
    '"In the car," Bram said. Bram shrugged and went out to the yard.\n\n'
    "Why does she never look in the car first? I should have brought it in myself.\n\n"
    '"Found it!" he heard Ada call from the house.\n\n'
    "Bram went back inside. Ada handed him an envelope she had found with the map.\n\n"
    "Dear Bram,\n\n"
    "Do not forget the spare key. I left it under the blue pot for you.\n\n"
    "Ada Byrne\n\n"
    "He folded the note and smiled at her.\n"
)


def spans():
    doc = parse(STORY)
    return [(s.kind, s.speaker, s.text.split("\n")[0][:20], s.note)
            for s in segment(doc).segments]


def test_an_authors_note_is_narration_and_marked_as_a_note():
    first = spans()[0]
    assert first == (Kind.NARRATION, None, "Author's Note: I wro", True)


def test_a_first_person_paragraph_in_a_third_person_story_is_the_pov_characters_thought():
    thoughts = [s for s in spans() if s[0] is Kind.THOUGHT]
    assert thoughts == [(Kind.THOUGHT, "Bram", "Why does she never l", False)]


def test_a_letter_is_read_in_its_signers_voice_from_salutation_to_signature():
    letter = [s[1:3] for s in spans() if s[0] is Kind.DIALOGUE and s[2][0] != '"']
    assert letter == [("Ada", "Dear Bram,"), ("Ada", "Do not forget the sp"), ("Ada", "Ada Byrne")]


def test_a_tag_naming_the_listener_gives_the_line_to_the_one_heard():
    found = [s for s in spans() if s[2].startswith('"Found it!"')]
    assert found[0][1] == "Ada"


def test_a_first_person_story_has_no_unmarked_thoughts():
    doc = parse("I walked home. My feet hurt.\n\nI wondered where you were.\n\n"
                '"Hello," Ada said.\n')
    assert all(s.kind is not Kind.THOUGHT for s in segment(doc).segments)


def test_a_signed_note_is_read_by_its_writer():
    doc = parse('"Back soon," Ida said.\n\nGone to the shop. Back by six. —Ida\n\nHe read it.\n')
    note = [s for s in segment(doc).segments if s.text.startswith("Gone")]
    assert [(s.kind, s.speaker) for s in note] == [(Kind.DIALOGUE, "Ida")]


def test_present_tense_in_a_past_tense_story_is_an_unmarked_thought():
    doc = parse('"Stay," Ada said. Bram looked at the door and sighed.\n\n'
                "Ada had waited all evening. She turned and walked to the window.\n\n"
                "He is never going to leave now.\n\n"
                "Ada walked to the window. She waited and watched the rain.\n")
    thoughts = [(s.text, s.speaker) for s in segment(doc).segments if s.kind is Kind.THOUGHT]
    assert thoughts == [("He is never going to leave now.", "Ada")]


def test_a_text_message_is_its_senders_and_the_name_is_narration():
    doc = parse('"Late," said Ada. Ada looked at her phone and then at Bram.\n\n'
                "Ada:  running late, sorry\n\nRule One: never run.\n")
    rows = [(s.kind, s.speaker, s.text) for s in segment(doc).segments[2:]]
    assert rows == [(Kind.NARRATION, None, "Ada:"), (Kind.DIALOGUE, "Ada", "running late, sorry"),
                    (Kind.NARRATION, None, "Rule One: never run.")]


def test_in_a_first_person_story_i_said_is_the_narrator():
    doc = parse("I stepped off the bus and saw Mara by the gate. Mara was waiting.\n\n"
                '"You\'re late," she said.\n\n"The bus was late," I said.\n\n'
                '"It always is."\n\n"Then I\'ll walk next time."\n')
    spoken = [s.speaker for s in segment(doc).segments if s.kind is Kind.DIALOGUE]
    assert spoken == ["Mara", "Narrator", "Mara", "Narrator"]


def test_a_period_novel_chapter_reads_right():
    """Hard-wrapped lines, 'CHAPTER I.', 'replied she' after the speaker was only addressed,
    and a titled name opening a paragraph with an aside before its quote."""
    doc = parse(
        "CHAPTER I.\n\nThe morning was grey when Mr. Ashby came down to breakfast, and his\n"
        "daughter was already at the table with a letter in her hand.\n\n"
        '"You are up early, Kitty," said Mr. Ashby, taking his seat. "Is\nthere news?"\n\n'
        '"Only from my aunt," replied she. "The roads are\nimpassable."\n\n'
        '"Then we shall have a quiet week," said he, with evident relief.\n\n'
        'Mrs. Ashby, who had entered unobserved, laughed at this. "A quiet\nweek! My dear, '
        'you have forgotten the Bramleys."\n\n"I had hoped to," said Mr. Ashby.\n\n'
        "CHAPTER II.\n\nKitty walked out alone after breakfast.\n")
    spoken = [s.speaker for s in segment(doc).segments if s.kind is Kind.DIALOGUE]
    assert spoken == ["Mr. Ashby", "Mr. Ashby", "Kitty", "Kitty", "Mr. Ashby", "Mrs. Ashby",
                      "Mr. Ashby"]
    assert [c.title for c in doc.chapters] == ["CHAPTER I.", "CHAPTER II."]


def test_a_story_that_marks_its_thoughts_in_italics_leaves_none_unmarked():
    story = ("Ada looked at the map. *Why is it always me?* She folded it and her brother "
             "watched her. He said nothing to her.\n\n"
             "The road ran on. You could see the sea from every bend of it, if you looked.\n\n"
             "Ada drove on and she did not look at him. His hands were in his lap. She knew "
             "he was sulking, and she let him.\n")
    kinds = [(s.kind, s.text[:12]) for s in segment(parse(story)).segments]
    assert (Kind.THOUGHT, "*Why is it a") in kinds
    assert (Kind.NARRATION, "The road ran") in kinds  # its 'you' is no lost-italics thought
    lost = story.replace("*", "")
    assert (Kind.THOUGHT, "The road ran") in [(s.kind, s.text[:12])
                                             for s in segment(parse(lost)).segments]


def test_an_irregular_past_keeps_a_paragraph_in_the_storys_tense():
    story = ("Ada walked to the harbour and waited for the boat. She was cold. The gulls "
             "wheeled and cried, the lamps came on, and the ferry turned in the bay.\n\n"
             "She stood at the window. The street is empty at this hour.\n\n"
             "Bram is late again. He never listens.\n")
    kinds = [(s.kind, s.text[:12]) for s in segment(parse(story)).segments]
    assert (Kind.NARRATION, "She stood at") in kinds
    assert (Kind.THOUGHT, "Bram is late") in kinds
