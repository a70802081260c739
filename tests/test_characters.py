"""Who is in the story: characters from the text, their aliases and genders."""

from __future__ import annotations

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
