"""One test (at least) per rule of the attribution sieve, on the rule itself."""

from __future__ import annotations

from dataclasses import replace

import pytest

from audiobook.attribution import Attributor, Utterance
from audiobook.models import Character

ADA = Character("Ada", ("Ada-chan", "Ada Byrne"), "female")
BRAM = Character("Bram", ("Bram-kun",), "male")
CAL = Character("Cal", (), "male")


def sieve(text: str, people=(ADA, BRAM, CAL)) -> Attributor:
    return Attributor(text, list(people))


def utter(text: str, quote: str, paragraph: int = 0, first: bool = True,
          continued: bool = False) -> Utterance:
    """The Utterance of ``quote`` inside ``text``, its paragraph being the line it is on."""
    start = text.index(quote)
    end = start + len(quote)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end) if "\n" in text[end:] else len(text)
    return Utterance(start, end, paragraph, text[line_start:start], text[end:line_end],
                     continued, first)


def converse(text: str) -> list[str | None]:
    """Each line of ``text`` in turn: narration is seen, a line opening with a quote is
    attributed; the speakers, in order."""
    a, speakers = sieve(text), []
    for n, line in enumerate(text.split("\n")):
        start = text.index(line)
        if line.startswith('"'):
            speakers.append(a.attribute(utter(text, line[:line.index('"', 1) + 1], n)))
        else:
            a.see(start, start + len(line))
    return speakers


@pytest.mark.parametrize("after, who", [
    (" Ada said.", "Ada"), (" asked Bram.", "Bram"), (" Ada sarcastically finished.", "Ada"),
    (" Bram blurted out.", "Bram"), (", Ada-chan whispered.", "Ada"),
    (" replied Ada Byrne.", "Ada"),
])
def test_tag_after_names_the_speaker(after, who):
    text = f'"Go home."{after}'
    assert sieve(text).tag_after(utter(text, '"Go home."')) == who


@pytest.mark.parametrize("before, who", [
    ("Ada said, ", "Ada"), ("Bram replied: ", "Bram"), ("Sighing, Bram replied, ", "Bram"),
    ("Bram turned to Ada and said, ", "Bram"),  # not Ada
])
def test_tag_before_names_the_speaker(before, who):
    text = f'{before}"Go home."'
    assert sieve(text).tag_before(utter(text, '"Go home."')) == who


def test_pronoun_tag_takes_the_latest_character_of_that_gender():
    text = 'Ada looked at Bram and Cal. Cal waved.\n"Hello." she said.\n"Hi." he said.'
    a = sieve(text)
    a.see(0, text.index("\n"))
    assert a.tag_after(utter(text, '"Hello."')) == "Ada"
    assert a.tag_after(utter(text, '"Hi."')) == "Cal"


def test_heard_gives_the_line_to_the_one_heard_not_the_listener():
    text = '"Dinner!" he heard Ada call.'
    assert sieve(text).heard(utter(text, '"Dinner!"')) == "Ada"
    assert sieve(text).attribute(utter(text, '"Dinner!"')) == "Ada"


def test_action_beat_after_and_before():
    after = '"Yes?" Bram turned around.'
    assert sieve(after).action_beat(utter(after, '"Yes?"')) == "Bram"
    before = 'Ada put down her cup. "Well?"'
    assert sieve(before).action_beat(utter(before, '"Well?"')) == "Ada"


def test_a_perception_beat_is_not_the_speaker():
    text = '"I am fine." Bram noticed the strain in her voice.'
    assert sieve(text).action_beat(utter(text, '"I am fine."')) is None


def test_continued_speech_keeps_its_speaker():
    text = '"It began in May," Ada said. "And then\n"it rained."'
    a = sieve(text)
    assert a.attribute(utter(text, '"It began in May,"')) == "Ada"
    assert a.continued(utter(text, '"it rained."', paragraph=1, continued=True)) == "Ada"


def test_same_paragraph_shares_the_speaker():
    text = '"One," Bram said. "Two."'
    a = sieve(text)
    a.attribute(utter(text, '"One,"'))
    assert a.same_paragraph(utter(text, '"Two."', first=False)) == "Bram"


def test_untagged_lines_alternate():
    text = '"Ready?" Ada asked.\n"Yes," Bram said.\n"Sure?"\n"Quite."'
    a = sieve(text)
    assert [a.attribute(utter(text, q, n)) for n, q in
            enumerate(['"Ready?"', '"Yes,"', '"Sure?"', '"Quite."'])] == ["Ada", "Bram", "Ada",
                                                                          "Bram"]


@pytest.mark.parametrize("quote, who", [
    ('"Look Bram, it is late."', {"Bram"}), ('"Thanks, Ada."', {"Ada"}),
    ('"Bram-kun!"', {"Bram"}), ('"Well, Cal, what now?"', {"Cal"}), ('"Ada went home."', set()),
])
def test_vocatives_name_who_is_addressed(quote, who):
    assert sieve(quote).addressed(utter(quote, quote)) == who


def test_the_addressee_is_not_the_speaker_of_an_untagged_line():
    text = '"Ready?" Ada asked.\n"Yes," Bram said.\n"Good, Ada."'
    a = sieve(text)
    a.attribute(utter(text, '"Ready?"', 0))
    a.attribute(utter(text, '"Yes,"', 1))
    # Alternation would say Ada; she is addressed, so Bram keeps the floor.
    assert a.attribute(utter(text, '"Good, Ada."', 2)) == "Bram"


def test_point_of_view_is_the_most_frequent_subject():
    text = "Cal ran. Ada watched Cal. Cal stopped and Cal sat down."
    assert sieve(text).point_of_view([(0, len(text))]) == "Cal"


def test_alternation_passes_the_turn_to_whoever_came_in_since():
    text = ('"Tea?" Ada asked.\n"Please," Cal said.\nBram came in and nodded to Ada.\n'
            '"Where is it?" Bram said.\n"On the shelf."')
    assert converse(text)[-1] == "Ada"  # not Cal, who spoke before Bram: Ada was seen since


def test_a_bare_vocative_outside_a_conversation_is_said_by_the_other_one_present():
    text = 'Bram came down the stairs and saw Ada.\n"Ada."'
    a = sieve(text)
    a.see(0, text.index("\n"))
    assert a.addressee_partner(utter(text, '"Ada."', 1)) == "Bram"


def test_narration_pronouns_keep_their_character_fresh():
    text = "Ada sat down. Bram waved. She smiled."
    a = sieve(text)
    a.see(0, len(text))
    assert a.latest_other("Bram", len(text)) == "Ada"
    assert a.last_seen["Ada"] == text.index("She")


def test_a_thought_takes_its_tag_or_else_the_point_of_view():
    text = "Bram sat.\n*I am late,* he thought.\n*Why now?*"
    a = sieve(text)
    a.see(0, 9)
    tagged = Utterance(10, 23, 1, "", " he thought.", thought=True)
    bare = Utterance(text.index("*Why"), len(text), 1, "", "", thought=True)
    assert a.attribute(tagged, pov="Ada") == "Bram"
    assert a.attribute(bare, pov="Ada") == "Ada"
    assert a.history == []  # thoughts are no turns in the conversation


def test_a_letter_signature_names_its_writer():
    a = sieve("")
    assert a.writer("Love, Ada Byrne") == "Ada"
    assert a.writer("Your friend always,") is None


def test_a_conversation_does_not_carry_over_a_scene_break():
    text = '"Ready?" Ada asked.\n"Yes," Bram said.\n"Hello?"'
    a = sieve(text)
    a.attribute(utter(text, '"Ready?"', 0))
    a.attribute(utter(text, '"Yes,"', 1))
    later = utter(text, '"Hello?"', 2)
    assert a.alternation(later) == "Ada"
    assert a.alternation(Utterance(later.start, later.end, 2, "", "", scene=(1, 2))) is None


def test_a_possessive_in_a_tag_is_not_the_speaker():
    text = '"Supper!" called Bram\'s mother.'
    assert sieve(text).tag_after(utter(text, '"Supper!"')) is None
    text = '"Supper!" called O\'Brien.'
    people = (ADA, BRAM, Character("O'Brien", (), "male"))
    assert sieve(text, people).tag_after(utter(text, '"Supper!"')) == "O'Brien"


def test_the_speakers_own_voice_in_a_beat_names_them():
    text = '"I never meant it." Bram\'s voice cracked.'
    assert sieve(text).action_beat(utter(text, '"I never meant it."')) == "Bram"


def test_last_of_all_the_nearest_character_not_spoken_to():
    text = 'Cal came in after Ada.\n"Well, Ada?"'
    a = sieve(text)
    a.see(0, text.index("\n"))
    assert a.nearest(utter(text, '"Well, Ada?"', 1)) == "Cal"


def test_a_pronoun_inside_a_word_is_no_tag():
    text = 'Ada looked up. The old man said, "Go home."'
    a = sieve(text)
    a.see(0, 14)
    assert a.tag_before(utter(text, '"Go home."')) is None


@pytest.mark.parametrize("text, who", [('"Go home." said the old man.', "the old man"),
                                       ('Ada sighed. The driver said, "Go home."', "the driver"),
                                       ('"Go home," said the policeman slowly.',
                                        "the policeman"),
                                       ('"Go home," nodded the porter.', "the porter")])
def test_a_described_speaker_no_one_of_the_conversation_fits_is_known_so(text, who):
    a = sieve(text)
    a.see(0, len(text))
    quote = utter(text, '"Go home."' if '"Go home."' in text else '"Go home,"')
    assert a.described(quote) == who
    assert a.attribute(quote) == who  # not Ada, who was seen last
    assert who in a.described_people


def test_a_described_speaker_of_a_sex_is_the_one_of_it_spoken_to_here():
    # no woman has spoken yet, and the turn is Bram's, but Ada has been spoken to: the girl
    assert converse('"Sit down, Ada," said Bram.\n"Yes, sit," said Cal.\n'
                    '"I will stand," said the girl.') == ["Bram", "Cal", "Ada"]


def test_a_described_speaker_of_a_sex_is_the_one_of_it_the_narration_just_named():
    # Bram and Cal talk; then the narration brings Ada in, and 'the girl' is she.
    assert converse('"Sit down," said Bram.\n"Yes, sit," said Cal.\nThe door opened. It '
                    'was Ada.\n"I will stand," said the girl.') == ["Bram", "Cal", "Ada"]


def test_a_relative_in_a_tag_is_left_to_the_conversation():
    text = '"Go home," his mother replied.'
    assert sieve(text).described(utter(text, '"Go home,"')) is None


def test_a_lead_in_paragraph_introduces_the_speaker():
    text = 'Bram waited. Then he cleared his throat, and Ada knew.\n"Right."'
    a = sieve(text)
    a.see(0, text.index("\n"))
    quote = utter(text, '"Right."', 1)
    lead = Utterance(quote.start, quote.end, 1, "", "", lead=text[:text.index("\n")])
    assert a.lead_in(lead) == "Bram"


@pytest.mark.parametrize("last", ["Bram was tired.", "Bram was about to go."])
def test_a_lead_in_is_someone_acting_not_a_state(last):
    text = f'{last}\n"Right."'
    a = sieve(text)
    a.see(0, text.index("\n"))
    quote = utter(text, '"Right."', 1)
    assert a.lead_in(replace(quote, lead=text[:text.index("\n")])) is None


def test_the_answer_goes_to_the_turn_before_a_split_line():
    # Bram asks; Ada answers in a line her tag splits in two; the one to answer her is Bram.
    text = '"Hello," said Cal.\n"Tea?" Bram asked.\n"No," said Ada, "not now."\n"Milk?"'
    a = sieve(text)
    a.attribute(utter(text, '"Hello,"', 0))
    a.attribute(utter(text, '"Tea?"', 1))
    a.attribute(utter(text, '"No,"', 2))
    a.attribute(utter(text, '"not now."', 2, first=False))
    assert a._answering("Ada") == "Bram"


HAYTER = Character("Charles Hayter", ("Charles",), "male")
MUSGROVE = Character("Charles Musgrove", ("Musgrove",), "male")
VANE = Character("Charles Vane", ("Vane",), "male")


@pytest.mark.parametrize("narration, who", [
    ("Charles Hayter rode off. Charles Musgrove came in.", "Charles Musgrove"),
    ("Charles Musgrove came in. Charles Hayter rode off.", "Charles Hayter"),
    # Vane is known by his surname: 'Charles' alone is not he, though named last.
    ("Charles Musgrove came in. Charles Vane, Vane the banker, Vane, rode off.",
     "Charles Musgrove"),
])
def test_a_first_name_two_people_share_is_the_one_named_last(narration, who):
    text = f'{narration}\n"Tea?" said Charles.'
    a = sieve(text, (HAYTER, MUSGROVE, VANE, ADA))
    a.see(0, text.index("\n"))
    assert a.attribute(utter(text, '"Tea?"', 1)) == who


def test_a_shared_first_name_is_the_one_in_the_scene():
    text = ('"Hello," said Charles Musgrove.\n"Hi," said Ada.\n'
            'Outside, Charles Hayter rode by.\n"Tea?" said Charles.')
    a = sieve(text, (HAYTER, MUSGROVE, ADA))
    a.attribute(utter(text, '"Hello,"', 0))
    a.attribute(utter(text, '"Hi,"', 1))
    a.see(text.index("Outside"), text.index('\n"Tea'))
    assert a.attribute(utter(text, '"Tea?"', 3)) == "Charles Musgrove"


def test_the_tag_that_splits_a_line_is_read_once_for_both_halves():
    # The second half does not name Cal: 'he' there is still Bram, the first half's he.
    text = 'Bram came in.\n"Cal," he said, "sit down."'
    a = sieve(text)
    a.see(0, text.index("\n"))
    assert a.attribute(replace(utter(text, '"Cal,"', 1), after=" he said, ")) == "Bram"
    second = replace(utter(text, '"sit down."', 1, first=False), before=" he said, ")
    assert a.attribute(second) == "Bram"


def test_the_experiencer_is_the_point_of_view():
    text = "Cal talked. Ada watched the door. Cal sang."  # without the rule: Cal, 4 to 2
    assert sieve(text).point_of_view([(0, len(text))]) == "Ada"


def test_someone_who_just_came_in_answers_before_one_merely_mentioned():
    text = ('"Tea?" Ada asked.\n"Yes," Cal said.\nCal thought of Bram, far away.\n'
            '"Sugar?"\nBram came through the door.\n"None for me."')
    *_, sugar, none = converse(text)
    assert sugar == "Ada"  # Bram is only thought of: Ada, who is here, asks
    assert none == "Bram"  # he has just come in


def test_a_tag_broken_by_a_line_wrap_still_names_the_speaker():
    people = (Character("Mr. Brownlow", ("Brownlow",), "male"), ADA)
    text = '"Sit down," said Mr.\nBrownlow, kindly.'
    u = Utterance(0, 12, 0, "", text[12:])
    assert sieve(text, people).tag_after(u) == "Mr. Brownlow"


def test_the_named_with_an_article_speaks_in_a_tag():
    people = (Character("the Dodger", (), "male"), ADA)
    text = '"Hullo," said the Dodger.'
    assert sieve(text, people).tag_after(utter(text, '"Hullo,"')) == "the Dodger"
    text = '"Hullo." The Dodger grinned.'
    assert sieve(text, people).action_beat(utter(text, '"Hullo."')) == "the Dodger"


def test_the_narrators_name_is_what_the_others_call_i():
    text = ('"Come here, Robin," Ada said.\n"What is it?" I asked.\n'
            '"Look, Robin." Ada pointed.\n"I see it," I said.\n"Robin, hush," said Ada.\n'
            '"Sorry," I said.')
    a, lines = sieve(text, (ADA, Character("Robin", (), "unknown"))), []
    for n, line in enumerate(text.split("\n")):
        u = utter(text, line[:line.index('"', 1) + 1], n)
        lines.append((u, a.attribute(u)))
    assert [s for _, s in lines] == ["Ada", "Narrator", "Ada", "Narrator", "Ada", "Narrator"]
    assert a.narrator_name(lines) == "Robin"


def test_untagged_turns_alternate_two_back_and_a_mere_mention_does_not_join():
    text = ('"Tea?" Ada asked.\n"Please," Bram said.\nShe thought of Cal, far away.\n'
            '"Milk?"\n"No milk."\n"Sugar?"')
    assert converse(text) == ["Ada", "Bram", "Ada", "Bram", "Ada"]


def test_the_one_a_line_speaks_to_answers_it():
    text = '"Tea?" Ada asked.\n"Please, Cal," Bram said.\n"Never."'
    assert converse(text) == ["Ada", "Bram", "Cal"]


@pytest.mark.parametrize("tag, who", [("said the girl", "Ada"), ("the other replied", "Bram"),
                                      ("said the porter", "the porter")])
def test_a_description_in_a_tag_is_the_one_of_the_conversation_it_fits(tag, who):
    text = f'"Tea?" Ada asked.\n"Please," Bram said.\n"Milk?" Ada asked.\n"Yes," {tag}.'
    if tag == "said the girl":
        text = '"Tea?" Ada asked.\n"Please," Bram said.\n"Milk?" said the girl.'
    assert converse(text)[-1] == who


def test_a_later_tag_fixes_the_untagged_run_before_it():
    text = ('"Tea?" Ada asked.\n"Please," Bram said.\n"Milk?"\n"No."\n"Sugar?"\n"One."\n'
            '"Why not," said Ada.')
    a = sieve(text)
    for n, line in enumerate(text.split("\n")):
        a.attribute(utter(text, line[:line.index('"', 1) + 1], n))
    a.decisions[2:4] = [replace(d, speaker=s, rule="alternation") for d, s in
                        zip(a.decisions[2:4], ["Bram", "Ada"])]  # a count gone wrong early
    assert a.settle()[2:] == ["Ada", "Bram", "Ada", "Bram", "Ada"]


def test_a_described_title_is_the_one_who_bears_it():
    people = (Character("Count Mippipopolous", ("Count",), "male"), ADA, BRAM)
    # Bram, a man, is the one whose turn it is; the count is still the count.
    text = '"Tea?" Bram asked.\n"No," Ada said.\n"Wine," said the count.'
    a = sieve(text, people)
    a.attribute(utter(text, '"Tea?"', 0))
    a.attribute(utter(text, '"No,"', 1))
    assert a.attribute(utter(text, '"Wine,"', 2)) == "Count Mippipopolous"


@pytest.mark.parametrize("described, who", [("the good doctor", "Dr. Pell"),
                                            ("the doctor", "Dr. Pell"),
                                            ("the other doctor", "the other doctor")])
def test_the_one_who_bears_a_title_is_so_described_with_an_epithet(described, who):
    people = (Character("Dr. Pell", (), "male"), ADA, BRAM)
    text = f'"Tea?" Bram asked.\n"No," Ada said.\n"Wine," said {described}.'
    a = sieve(text, people)
    a.attribute(utter(text, '"Tea?"', 0))
    a.attribute(utter(text, '"No,"', 1))
    assert a.attribute(utter(text, '"Wine,"', 2)) == who


def test_a_description_the_narration_gives_someone_is_theirs():
    text = ('Bram, the doctor, came in. Later the doctor, Bram, sat down.\n'
            '"Tea?" Ada asked.\n"Please," Cal said.\n"Rest," said the doctor.')
    assert converse(text)[-1] == "Bram"


def test_a_pronoun_tag_is_not_the_one_the_line_speaks_to():
    text = '"Stay," Bram said.\n"No, Bram," he said.'
    people = (ADA, BRAM, CAL)
    a = sieve(text, people)
    a.see(0, 0)
    a.attribute(utter(text, '"Stay,"', 0))
    a.see(text.index("Cal") if "Cal" in text else 0, 0)
    a.last_seen["Cal"] = 0
    assert a.attribute(utter(text, '"No, Bram,"', 1)) == "Cal"


def test_a_name_in_apposition_is_not_spoken_to():
    text = '"His boy, Bram, shaved me."'
    assert sieve(text).addressed(utter(text, text)) == set()
    text = '"Well, Bram, I think so."'
    assert sieve(text).addressed(utter(text, text)) == {"Bram"}


@pytest.mark.parametrize("after", [" --replied Ada--quite sure of it.", " burst from Ada.",
                                   " was Ada's cold reply.", " was Ada's unhurried verdict.",
                                   " was all Ada's reply.",
                                   " said the persevering Ada.", " old Ada grumbled.",
                                   " said the still waiting Ada;--", " remarked sceptical Ada.",
                                   " cried the good-hearted Ada.",
                                   # a tag inverts, whatever its verb: 'persisted Ada'
                                   " corroborated Ada earnestly.", " persisted Ada.",
                                   " eagerly rejoined Ada."])
def test_more_tags_after_a_quote(after):
    text = f'"Go home."{after}'
    assert sieve(text).tag_after(utter(text, '"Go home."')) == "Ada"


@pytest.mark.parametrize("after", [" said to Ada.", " was what Ada heard him say.",
                                   " whereupon Ada bowed."])
def test_words_before_a_name_that_are_no_epithet(after):
    text = f'"Go home."{after}'
    attributor = sieve(text)
    line = utter(text, '"Go home."')
    assert attributor.tag_after(line) is None
    assert attributor.action_beat(line) is None


@pytest.mark.parametrize("before", ["Ada continued in the same vein: ",
                                    "Bram looked away, and Ada said in a loud voice ",
                                    "Ada's answer was, "])
def test_more_tags_before_a_quote(before):
    text = f'{before}"Go home."'
    assert sieve(text).tag_before(utter(text, '"Go home."')) == "Ada"


@pytest.mark.parametrize("before", [
    "Ada, who, on hearing the news from Bram, said, ",
    "Seeing that he was elsewhere, Ada bent towards Bram and said: ",
    "Ada broke the silence by saying: ",
    "While he talked to Bram, however, Ada found an opportunity of saying, ",
    "Bram came in, and Ada, at a convenient moment, added in a whisper, ",
    "Bram sat still till Ada roused herself to say: ",
    "Bram gave up, and Ada would only reply, "])
def test_an_opened_tag_is_the_subject_of_its_clause(before):
    text = f'{before}"Go home."'
    assert sieve(text).tag_before(utter(text, '"Go home."')) == "Ada"


@pytest.mark.parametrize("before", ["Ada struck the table when the croupier cried out, ",
                                    "Ada looked at Bram, who was about to speak, ",
                                    "Ada turned the handle of the door, ",
                                    "Ada could hear his voice saying, "])
def test_what_opens_no_tag_of_a_named_speaker(before):
    text = f'{before}"Go home."'
    assert sieve(text).tag_before(utter(text, '"Go home."')) is None


def test_the_he_of_an_opened_tag_is_not_the_one_his_sentence_names():
    text = 'Cal sat down. Bram came in. He turned to Bram and said, "Go home."'
    attributor = sieve(text)
    attributor.see(0, text.index('"'))
    assert attributor.tag_before(utter(text, '"Go home."')) == "Cal"


def test_a_title_before_a_particle_names_someone():
    from audiobook.characters import find_characters

    text = '"Ah," said Mrs. van der Luyden.\n"Oh," said Ada.'
    people = [c.name for c in find_characters(text, [(0, 0)], [utter(text, '"Ah,"'),
                                                                  utter(text, '"Oh,"')])]
    assert sorted(people) == ["Ada", "Mrs. van der Luyden"]


def test_nobody_calls_themselves_by_name():
    # Bram has come in, but the untagged line speaks of Bram: it is Ada's turn again.
    text = '"Tea?" Ada asked.\n"Please," Cal said.\nBram came in.\n"Bram never drinks tea."'
    assert converse(text)[-1] == "Ada"


@pytest.mark.parametrize("line, who", [('"Ada, it\'s me, Bram."', "Bram"),
                                       ('"My name is Cal."', "Cal"),
                                       ('"I\'m Cal\'s sister."', None)])
def test_a_speaker_who_says_who_they_are(line, who):
    text = f'"Who is it?" Ada asked.\n{line}'
    a = sieve(text)
    assert a.introduced(utter(text, line, 1)) == who
    if who:
        assert who not in a.mentioned(utter(text, line, 1))


def test_a_pronoun_tag_is_the_one_of_its_gender_in_the_conversation():
    # Bram was named last, but the only man in the conversation is Cal.
    text = ('"Tea?" Ada asked.\n"Please," Cal said.\nBram was late again.\n"Sugar?" Ada asked.\n'
            '"No," he said.')
    assert converse(text)[-1] == "Cal"


@pytest.mark.parametrize("lead, who", [
    ("Ada set down her cup, looked at them all and said:", "Ada"),
    ("Bram turned to the window and remarked--", "Bram"),
    ("Ada set down her cup. Bram was silent.", None),  # no tag opens the line
    ("It rained. One evening Mrs. Byrne, taking up a book, exclaimed,", "Ada"),
    ("Bram, after a pause, replied almost pertly", "Bram"),
    ("The matter was settled by Ada's saying, as she stood up,", "Ada"),
    # the speech verb of the last clause, in any form, a few words before the open end
    ("After a long silence between them, Bram began with--", "Bram"),
    ("Ada cut the argument short by remarking:", "Ada"),
    ("Cal paced the room, and Bram, speaking louder, said, in a low, steady voice,", "Bram"),
    ("When the tea came, Bram stood up and was saying,", "Bram"),
    ("Bram had asked--Cal had asked--and Ada ended the list with,", None),  # no verb there
    ("Ada was warmly greeted with,", None),  # the one greeted does not speak
    ("Ada said nothing, but, turning to the window,", None),
    ("As Ada spoke, Bram rose and answered, smiling,", "Bram"),  # the last verb's subject
])
def test_a_paragraph_ending_in_a_tag_opens_the_next_line(lead, who):
    text = f'{lead}\n\n"Go home."'
    u = replace(utter(text, '"Go home."', 1), lead=lead)
    people = (Character("Ada", ("Mrs. Byrne",), "female"), BRAM, CAL)
    assert sieve(text, people).tag_before(u) == who


def test_a_new_sentence_after_a_line_that_ends_open_opens_the_next_line():
    def second(text: str, quote: str) -> Utterance:
        u = utter(text, quote, first=False)
        return replace(u, before=u.before[u.before.index('"', 1) + 1:])  # after the first line

    text = '"Stay," said Cal. But Bram had already run into the street, shouting, "Wait!"'
    assert sieve(text).tag_before(second(text, '"Wait!"')) == "Bram"


DORA = Character("Dora", (), "female")


@pytest.mark.parametrize("narration, who", [
    ("Cal stopped to talk to Bram.", "Cal"),  # the subject, not the one he talks to
    ("Cal stopped to talk\nto Bram.", "Cal"),  # a hard wrap does not end the sentence
    ("Ada sat down. She had expected Dora.", "Ada"),  # her she is still the subject
    ("Ada sat down. Dora had expected her.", "Dora"),
])
def test_a_pronoun_tag_prefers_the_subject_of_the_sentence_last_naming_its_gender(
        narration, who):
    text = f'{narration}\n"Well," {"she" if who in ("Ada", "Dora") else "he"} said.'
    a = sieve(text, (ADA, BRAM, CAL, DORA))
    a.see(0, len(narration))
    assert a.tag_after(utter(text, '"Well,"')) == who


@pytest.mark.parametrize("narration", [
    "Dora had her own view. Feeling wise, she decided that Ada was tired.",
    "But Dora had her own view. Feeling wise, she decided that Ada was tired.",
])
def test_a_pronoun_tag_is_the_one_its_paragraph_made_the_subject(narration):
    # Ada, the woman of the conversation, is named last; the paragraph is about Dora.
    text = f'"Tea?" Ada asked.\n\n{narration} "A dull world," she said.'
    a = sieve(text, (ADA, BRAM, CAL, DORA))
    a.attribute(utter(text, '"Tea?"', 0))
    a.see(text.index(narration), text.index('"A dull'))
    assert a.attribute(utter(text, '"A dull world,"', 2)) == "Dora"


@pytest.mark.parametrize("silence, who", [
    ("Ada said nothing.", "Bram"), ("She made no reply.", "Bram"), ("Silence.", "Bram"),
    ("Ada said nothing, till Bram had gone.", None),  # the silence is over by the line
    ("He was silent.", None),  # the one who spoke kept silent: the turn passes
    ("The girl was silent.", None),  # who, the rule cannot tell
])
def test_a_silence_gives_the_next_line_back_to_the_one_who_spoke(silence, who):
    text = f'"Coming?" Bram asked.\n"No," Ada said.\n"Why not?"\n{silence}\n"Well?"'
    a = sieve(text)
    lines = text.split("\n")
    for n, quote in enumerate(['"Coming?"', '"No,"', '"Why not?"']):
        a.attribute(utter(text, quote, n))
    a.see(text.index(silence), text.index(silence) + len(silence))
    well = replace(utter(text, '"Well?"', 4), lead=lines[3])
    assert a.unanswered(well) == who
