"""Who is in the story: characters from the text, their aliases and genders."""

from __future__ import annotations

import re
import pytest

from test_sieve import utter

from audiobook.characters import find_characters



def test_characters_come_from_tags_with_their_aliases_and_gender():
    text = ('"Hi," said Mara Quinn. Mara smiled. She waved.\n\n'
            '"Morning, Mara-chan," Mr. Hollis said. Mr. Hollis sat down.\n\n'
            'Later Mrs. Quinn came in.')
    people = {c.name: c for c in find_characters(
        text, [(0, len(text))], [utter(text, '"Hi,"'), utter(text, '"Morning, Mara-chan,"')])}
    assert set(people) == {"Mara", "Mr. Hollis"}
    assert set(people["Mara"].aliases) == {"Mara Quinn", "Mara-chan", "Mrs. Quinn"}
    assert people["Mara"].gender == "female"
    assert people["Mr. Hollis"].gender == "male"


def test_places_and_weekdays_are_not_characters():
    text = 'On Monday they left Konoha. "Off we go," Ada said.'
    people = find_characters(text, [(0, 27)], [utter(text, '"Off we go,"')])
    assert [c.name for c in people] == ["Ada"]


def test_nickname_forms_join_one_character():
    text = '"Late again," said Tobias.\n\n"Sorry, Tobias," Ida said. "Toby, look."'
    quotes = [utter(text, '"Late again,"'), utter(text, '"Sorry, Tobias,"')]
    people = {c.name: c for c in find_characters(text, [], quotes)}
    assert "Toby" in people["Tobias"].aliases


def test_a_name_is_the_form_the_text_uses_most():
    text = '"Hi," said Eleanor Hardy.\n\nEleanor Hardy waved.'
    people = find_characters(text, [(0, len(text))], [utter(text, '"Hi,"')])
    assert [c.name for c in people] == ["Eleanor Hardy"]


def test_a_surname_shared_by_a_family_names_no_one_in_particular():
    text = ('"Come in," said Mrs. Wren. "Dinner is late," said Mr. Wren.\n\n'
            '"So am I," said Clara Wren. Clara sat down.\n\n'
            '"Fetch the lamp, Miss Hale," said Jonah Hale. Jonah waved.')
    quotes = [utter(text, q) for q in ('"Come in,"', '"Dinner is late,"', '"So am I,"',
                                       '"Fetch the lamp, Miss Hale,"')]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert {"Mrs. Wren", "Mr. Wren", "Clara"} <= set(people)
    assert not {"Mrs. Wren", "Mr. Wren"} & set(people["Clara"].aliases)
    # Jonah's surname is seen with one title only, but 'Miss' does not fit a man's name.
    assert "Miss Hale" not in people["Jonah"].aliases


def test_days_are_not_characters_and_the_captain_is_captain_hale():
    text = ('"Friday," Ada agreed. Ada smiled.\n\n"Good," said Captain Hale.\n\n'
            '"Quite so," observed the Captain.')
    quotes = [utter(text, q) for q in ('"Friday,"', '"Good,"', '"Quite so,"')]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Friday" not in people
    assert "the Captain" in people["Captain Hale"].aliases


def test_a_pronoun_after_a_sentence_naming_two_is_not_evidence():
    text = ('"Hi," said Hannah. Hannah watched Greg. He waved.\n\n"Yo," said Greg.')
    quotes = [utter(text, '"Hi,"'), utter(text, '"Yo,"')]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert people["Hannah"].gender == "female"  # the name's usual gender, not Greg's 'He'


def names_in(text: str) -> list[str]:
    """The characters of ``text``, every line a paragraph, every quote's tags read."""
    import re

    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    narration, cursor = [], 0
    for q in quotes:
        narration.append((cursor, q.start))
        cursor = q.end
    narration.append((cursor, len(text)))
    return sorted(c.name for c in find_characters(text, narration, quotes))


def test_a_lone_title_is_no_character():
    text = '"Sit down," said Mr.\n"Thank you," said Ada.'
    assert names_in(text) == ["Ada"]


def test_a_common_word_that_opens_sentences_is_no_character():
    text = ("Presently it rained. They waited presently for the bus, and presently it came.\n"
            '"Late," Presently said.\n"Too late," Ada said.')
    assert names_in(text) == ["Ada"]


def test_a_place_is_no_character_though_a_tag_seems_to_name_it():
    text = ('They went to Hartfield in the morning. In Hartfield it rained; near Hartfield the '
            'road flooded.\n"Come in," Hartfield said.\n"Thank you," Ada said.')
    assert names_in(text) == ["Ada"]


def test_one_who_speaks_twice_is_no_place_though_people_go_to_her():
    text = ('They went to Veronica for advice. He came to Veronica later; she wrote back to '
            'Veronica at once.\n"Not again," said Veronica.\n"Never," said Ada.\n'
            '"Well," said Veronica.')
    assert names_in(text) == ["Ada", "Veronica"]


def test_the_and_a_capitalised_noun_is_a_name_with_its_article():
    text = ('"Off we go," said the Dodger.\n"Where to?" asked Ada.\n'
            '"Home," the Dodger answered. The Dodger grinned.')
    assert names_in(text) == ["Ada", "the Dodger"]


def test_the_title_is_the_one_character_who_bears_it():
    text = ('"Good day," said Professor de Worms.\n"Is it?" asked Ada.\n'
            '"Very," said the Professor.')
    people = {c.name: c.aliases for c in find_characters(
        text, [(0, 0)], [utter(text, '"Good day,"'), utter(text, '"Is it?"'),
                         utter(text, '"Very,"')])}
    assert "the Professor" in people["Professor de Worms"]


@pytest.mark.parametrize("his, hers", [("Captain", "Miss"), ("Count", "Countess"),
                                       ("Duke", "Duchess")])
def test_a_surname_after_a_title_says_nothing_of_gender_but_a_rank_does(his, hers):
    text = f'"Late," said {his} Hale.\n"Early," said {hers} Hale.'
    people = {c.name: c.gender for c in find_characters(
        text, [(0, 0)], [utter(text, '"Late,"'), utter(text, '"Early,"')])}
    assert people == {f"{his} Hale": "male", f"{hers} Hale": "female"}


def test_a_character_goes_by_the_fullest_name_the_text_gives():
    text = ('"Late," said Ralph.\n"Early," said Ada.\nRalph Denham laughed. Ralph Denham '
            'sat down. Ralph waited. Ralph sighed.')
    assert names_in(text) == ["Ada", "Ralph Denham"]




def test_a_first_name_takes_only_its_one_surname():
    text = ('"Late," said William.\nWilliam Rodney sat. William Rodney rose. William Rodney '
            'left. He quoted William Shakespeare.\n"Early," said Ada.')
    people = {c.name: set(c.aliases) for c in find_characters(
        text, [(0, len(text))], [utter(text, '"Late,"'), utter(text, '"Early,"')])}
    assert "William Rodney" in people["William Rodney"] | {"William Rodney"} and not any(
        "Shakespeare" in a for aliases in people.values() for a in aliases)


def test_nicknames_of_two_people_with_two_surnames_stay_two():
    text = ('"Late," said Bill.\n"Early," said Robert.\nBill Gorton smiled. Bill Gorton sat. '
            'Robert Cohn frowned. Robert Cohn stood.')
    assert names_in(text) == ["Bill Gorton", "Robert Cohn"]


def test_a_rare_nickname_joins_its_name():
    text = ('"Late," said Tobias.\n"Sorry, Tobias," Ida said.\n"Toby, look," said Ida.\n'
            "Tobias looked. Tobias sighed. Tobias sat.")
    assert names_in(text) == ["Ida", "Tobias"]


def test_a_word_that_only_opens_sentences_is_no_name():
    text = ('Presently it rained. Presently the bus came. Presently they left.\n'
            '"Late." Presently said Ada.\n"Yes," said Ada.')
    assert names_in(text) == ["Ada"]


def test_a_name_never_without_its_title_is_the_titled_one():
    # 'Thomas' only ever stands after 'Sir' (here over a line break): it is Sir Thomas, and
    # Tom, its nickname, is somebody else.
    text = ('"Late," said Sir\nThomas.\n"Sorry, Sir Thomas," said Tom.\nSir Thomas sat. '
            'Tom stood. Sir Thomas frowned. "Go," said Sir Thomas.')
    assert names_in(text) == ["Sir Thomas", "Tom"]


def genders(text: str) -> dict[str, str]:
    quotes = [utter(text, q) for q in re.findall(r'"[^"]*"', text)]
    return {c.name: c.gender for c in find_characters(text, [(0, len(text))], quotes)}


def test_a_title_or_a_sure_first_name_outweighs_someone_elses_her():
    # 'her' after 'Henry took' is the other one's: Henry stays a man, Mr. Weston too.
    text = ('"Late," said Henry.\n"Early," said Mr. Weston.\n"Yes," said the Grandmother.\n'
            'Henry took her hand. Henry kissed her cheek. Henry smiled; he was glad. '
            'Mr. Weston gave her a look. Mr. Weston offered her tea.')
    assert genders(text) == {"Henry": "male", "Mr. Weston": "male", "the Grandmother": "female"}


def test_pronouns_say_the_gender_of_a_name_the_dictionary_does_not_know():
    text = '"Late," said Zorblat.\nZorblat sat. She smiled. Zorblat rose. She left.'
    assert genders(text) == {"Zorblat": "female"}


def test_a_name_of_three_words_or_joined_by_hyphens_is_one_name():
    text = ('"Tea?" asked Nell Ashby Crane.\n\n"Please," said Winnie-the-Wren.\n\n'
            '"Sugar?" said Kit Hale-Morrow.')
    quotes = [utter(text, q) for q in ('"Tea?"', '"Please,"', '"Sugar?"')]
    names = {c.name for c in find_characters(text, [], quotes)}
    assert names == {"Nell Ashby Crane", "Winnie-the-Wren", "Kit Hale-Morrow"}


def test_a_named_place_or_an_exclamation_is_no_character():
    text = ('"Lovely," said Ada, walking past Thornley Abbey. "Oh, God, look!"\n\n'
            '"Heavens," cried Bram. "Welcome," Thornley Abbey seemed to say.\n\n'
            'She prayed to God. "Come in," Boulevard Royale said.')
    quotes = [utter(text, q) for q in ('"Lovely,"', '"Oh, God, look!"', '"Heavens,"',
                                       '"Welcome,"', '"Come in,"')]
    names = {c.name for c in find_characters(text, [(0, len(text))], quotes)}
    assert names == {"Ada", "Bram"}


def test_a_titled_name_is_the_one_of_that_sex_the_text_calls_by_the_full_name():
    text = ('"Tea?" asked Nora Vance.\n\n"Yes, Miss Vance," said Mr. Vance, her father.\n\n'
            '"Milk?" said Miss Vance.\n\n"Please," said Mr. Tom Ledger.\n\n'
            '"Sugar?" said Tom Ledger.\n\n"None," said Mr. Ledger.')
    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    nora = next(c for c in people.values() if "Nora Vance" in (c.name, *c.aliases))
    assert "Miss Vance" in (nora.name, *nora.aliases)  # the one woman called Vance
    assert "Mr. Vance" in people  # her father: no man is called by the full name
    assert "Mr. Tom Ledger" in people["Tom Ledger"].aliases
    # 'Mr. Tom Ledger' is said: the bare 'Mr. Ledger' is another, the elder.
    assert "Mr. Ledger" in people


def test_one_known_by_a_title_keeps_it_though_a_given_name_is_said_once_or_twice():
    from audiobook.characters import _canonical, _Mentions

    text = "Mrs. Seale came. " * 30 + "She was Dora Seale once. Dora Seale laughed."
    assert _canonical(_Mentions(text), {"Mrs. Seale", "Dora Seale"}, "Dora Seale") == "Mrs. Seale"
    text = "Mrs. Seale came. " * 30 + "Dora Seale laughed. " * 5
    assert _canonical(_Mentions(text), {"Mrs. Seale", "Dora Seale"}, "Dora Seale") == "Dora Seale"


def test_a_bare_name_given_one_title_only_is_the_titled_one():
    text = ('"Tea?" asked Mr. Astor.\n\n"Coffee," Astor said.\n\n"Milk?" asked Mr. Astor.\n\n'
            '"Please," said Mrs. Wren.\n\n"No," said Mr. Wren.\n\n"Yes," said Wren.')
    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Astor" in people["Mr. Astor"].aliases
    assert "Wren" in people  # Mr. and Mrs. Wren: the bare Wren may be either


def test_a_foreign_title_is_the_same_title():
    # 'Monsieur Astor' is Mr. Astor in French: still one title, and Astor is he.
    text = ('"Tea?" asked Mr. Astor.\n\n"Coffee," Astor said.\n\n"Milk?" asked Mr. Astor.\n\n'
            '"Sit, Monsieur Astor," said Ada.')
    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Astor" in people["Mr. Astor"].aliases


def test_the_cast_files_names_are_never_merged_away():
    text = '"Tea?" asked Nora Vance.\n\n"Milk?" said Miss Vance.'
    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    known = {"Miss Vance": (), "Nora Vance": ()}
    names = {c.name for c in find_characters(text, [(0, len(text))], quotes, known)}
    assert {"Miss Vance", "Nora Vance"} <= names


def test_a_form_inside_another_name_is_not_a_use_of_it():
    from audiobook.characters import _canonical, _Mentions

    # 'Otway' in 'Cassandra Otway' is another Otway's name: Lady Otway is called so most.
    text = ("Lady Otway came. " * 5 + "Then Cassandra Otway, and Henry Otway, and Cassandra "
            "Otway, and Henry Otway, and Cassandra Otway. Otway laughed. ")
    assert _canonical(_Mentions(text), {"Otway", "Lady Otway"}, "Otway") == "Lady Otway"


def test_a_surname_before_another_name_is_someone_else():
    # 'Lefferts' alone is Lawrence Lefferts; 'Mrs. Lefferts Rushworth' is another woman,
    # and her 'Mrs. Rushworth' is no name of his.
    text = ('"Late," said Lawrence Lefferts.\n"Early," said Lefferts.\nLefferts sat down. '
            'Lefferts Rushworth waved. Mrs. Lefferts Rushworth smiled. Lawrence Lefferts '
            'laughed.\n"Whereas Ada never waits," said Ada.')
    people = {c.name: set(c.aliases) for c in find_characters(
        text, [(0, len(text))], [utter(text, q) for q in re.findall(r'"[^"]*"', text)])}
    assert "Lefferts" in people["Lawrence Lefferts"]
    assert not {a for a in people["Lawrence Lefferts"] if "Rushworth" in a}
    assert not any("Whereas" in a for aliases in people.values() for a in aliases | {*people})


def test_a_name_standing_alone_is_the_surname_of_the_one_first_name_put_before_it():
    # 'Quill' is said alone as well: still Osric's surname, as Osric Quill says twice over.
    text = ('"Late," said Osric.\n"Early," said Quill.\nOsric Quill sat down. Later Osric '
            'Quill laughed, and Mr. Quill left.\n"Tea," said Ada.')
    people = {c.name: set(c.aliases) for c in find_characters(
        text, [(0, len(text))], [utter(text, q) for q in re.findall(r'"[^"]*"', text)])}
    osric = next(n for n in people if "Osric" in n)
    assert "Osric Quill" in {osric} | people[osric]
    assert "Quill" in {osric} | people[osric]


def test_a_familys_surname_is_no_one_first_names():
    # Tom Quill and Maria Quill: the bare 'Quill' is either, and goes to neither.
    text = ('"Late," said Tom.\n"Early," said Maria.\n"Now," said Quill.\nTom Quill sat '
            'down. Maria Quill laughed. Tom Quill left. Maria Quill stayed.')
    people = {c.name: set(c.aliases) for c in find_characters(
        text, [(0, len(text))], [utter(text, q) for q in re.findall(r'"[^"]*"', text)])}
    assert "Quill" in people
    assert not any("Quill" in a for n, aliases in people.items() if n != "Quill"
                   for a in aliases | {n})


def test_a_lady_of_a_surname_is_a_wife_not_the_daughter_called_by_it():
    # Lady Vance may be Nora Vance's mother, as Mrs. Vance may: the title merges no one.
    text = ('"Tea?" asked Nora Vance.\n\n"Milk?" said Lady Vance.\n\n"Yes," said Nora.\n\n'
            '"No," said Lady Vance. Nora Vance sat.')
    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    nora = next(c for c in people.values() if "Nora Vance" in (c.name, *c.aliases))
    assert "Lady Vance" in people
    assert "Lady Vance" not in nora.aliases


def test_one_known_by_a_title_goes_by_the_full_name_the_text_gives_him():
    text = ('"Late," said Mr. Talbot.\n"Early," said Ada.\nHorace Talbot sat down. Later '
            'Horace Talbot laughed.\n"Now," said Mr. Talbot.')
    quotes = [utter(text, q) for q in re.findall(r'"[^"]*"', text)]
    names = {c.name for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Horace Talbot" in names and "Mr. Talbot" not in names
    # With a Mrs. Talbot the surname is a family's, and Horace may be either's son.
    text += ' Mrs. Talbot came in.'
    names = {c.name for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Mr. Talbot" in names and "Horace Talbot" not in names
    # Nor is a first name a given name: 'Sir Walter' and William Walter Elliot.
    text = ('"Late," said Sir Walter.\n"Early," said Ada.\nWilliam Walter Elliot sat down. '
            'William Walter Elliot laughed.')
    quotes = [utter(text, q) for q in re.findall(r'"[^"]*"', text)]
    names = {c.name for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Sir Walter" in names


def test_a_bare_surname_beside_a_womans_title_is_not_hers():
    # 'Quill' alone beside Mrs. Quill is her husband; 'Blanche' beside Mlle. Blanche is she.
    text = ('"Tea?" asked Mrs. Quill.\n\n"Coffee," Quill said.\n\n"Milk?" asked Mrs. Quill.\n\n'
            '"Sit," said Mlle. Blanche.\n\n"No," said Blanche.\n\n"Yes," said Mlle. Blanche.')
    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Quill" in people and "Quill" not in people["Mrs. Quill"].aliases
    assert "Blanche" in people["Mlle. Blanche"].aliases


def test_a_full_name_under_a_title_of_no_sex_is_that_person():
    text = ('"Late," said Tobin Rusk.\n"Early," said Ada.\n"Now," said Master Tobin Rusk.\n'
            '"Then," said Tobin.')
    quotes = [utter(text, q) for q in re.findall(r'"[^"]*"', text)]
    groups = [{c.name, *c.aliases} for c in find_characters(text, [(0, len(text))], quotes)]
    assert any({"Master Tobin Rusk", "Tobin Rusk"} <= group for group in groups)


def test_a_mister_goes_by_the_one_rank_the_text_gives_his_surname():
    text = ('"Rest," said Mr. Pell.\n"Yes," said Ada.\nThey sent for Doctor Pell.\n'
            '"Sleep," said Mr. Pell.')
    quotes = [utter(text, q) for q in re.findall(r'"[^"]*"', text)]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Doctor Pell" in people["Mr. Pell"].aliases
    # Beside a Mrs. Pell, the doctor may be either of them, or their son.
    text += ' Mrs. Pell came in.'
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    assert "Doctor Pell" not in people["Mr. Pell"].aliases


def test_a_comrade_is_a_title_and_a_bare_surname_is_not_the_womans():
    # Comrade Vell and his sister Miss Vell are two; 'Vell' alone is the comrade.
    text = ('"Sit," said Comrade Vell.\n"Stand," said Ada.\n"Go," Vell said. Vell laughed.\n'
            '"No," said Miss Vell.\n"Yes," said Comrade Vell.')
    quotes = [utter(text, q) for q in re.findall(r'"[^"]*"', text)]
    people = {c.name: c for c in find_characters(text, [(0, len(text))], quotes)}
    comrade = next(c for c in people.values() if "Comrade Vell" in (c.name, *c.aliases))
    assert "Vell" in (comrade.name, *comrade.aliases)
    assert "Miss Vell" not in comrade.aliases


def test_a_name_cried_twice_is_no_name_of_its_own():
    text = ('"Ada Byrne is late," said Bram. Ada Byrne came in. Bram Cole sat down.\n'
            '"Bram  Bram," cried Ada. "Bram  Bram!" Ada wept.')
    quotes = [utter(text, m.group()) for m in re.finditer(r'"[^"]*"', text)]
    names = {a for c in find_characters(text, [(0, len(text))], quotes)
             for a in (c.name, *c.aliases)}
    assert "Bram Bram" not in names and "Bram" in names
