"""Speech-ready text: each rule alone, then normalize() on whole sentences."""

from __future__ import annotations

import pytest

from audiobook import normalize as nz
from audiobook.normalize import LANGUAGE_NEUTRAL, RULES, Locale, normalize

EN = Locale.from_language("en")
GB = Locale.from_language("en-GB")

# (rule, locale, text, expected): every rule alone, the cases it must change and must not.
RULE_CASES = [
    # emoji
    (nz.drop_emoji, EN, "Great 👍 see you 😀.", "Great see you."),
    (nz.drop_emoji, EN, "😀Hello there 😀!", "Hello there!"),
    (nz.drop_emoji, EN, "word😀word", "word word"),
    (nz.drop_emoji, EN, "“😀 Hi”", "“Hi”"),
    (nz.drop_emoji, EN, "Go 👨‍👩‍👧 now 🇫🇷", "Go now"),
    (nz.drop_emoji, EN, "she sent a 👍🏽 back", "she sent a 👍 back"),
    (nz.drop_emoji, EN, "his 🎂 was huge", "his 🎂 was huge"),
    (nz.drop_emoji, Locale.from_language("fr"), "un 👍 ici", "un ici"),
    # stray marks
    (nz.drop_stray_marks, EN, "a * b", "a b"),
    (nz.drop_stray_marks, EN, "a **bold** _word_", "a bold word"),
    (nz.drop_stray_marks, EN, "hello~ there", "hello there"),
    (nz.drop_stray_marks, EN, "snake_case stays", "snake_case stays"),
    (nz.drop_stray_marks, EN, "~5 of them", "~5 of them"),
    (nz.drop_stray_marks, EN, "* * *", "* * *"),
    # punctuation
    (nz.collapse_punctuation, EN, "Wow!!!", "Wow!"),
    (nz.collapse_punctuation, EN, "Really???", "Really?"),
    (nz.collapse_punctuation, EN, "What?!?!", "What?!"),
    (nz.collapse_punctuation, EN, "What!?!?", "What!?"),
    (nz.collapse_punctuation, EN, "Yes?! No!?", "Yes?! No!?"),
    (nz.collapse_punctuation, EN, "Hmm.... well...", "Hmm... well..."),
    (nz.collapse_punctuation, EN, "Wait… what?", "Wait… what?"),
    # URLs
    (nz.spell_urls, EN, "See https://www.example.com/page.", "See example dot com slash page."),
    (nz.spell_urls, EN, "at www.example.org/a/b.html?x=1#top",
     "at example dot org slash a slash b dot html"),
    (nz.spell_urls, EN, "(http://example.com:8080/)", "(example dot com)"),
    (nz.spell_urls, EN, "Buy it on Amazon.com, now.", "Buy it on Amazon dot com, now."),
    (nz.spell_urls, EN, "He left.Then she came.", "He left.Then she came."),
    # e-mail
    (nz.spell_emails, EN, "Write to ann@example.org.", "Write to ann at example dot org."),
    (nz.spell_emails, EN, "john.doe@mail.example.co.uk",
     "john dot doe at mail dot example dot co dot uk"),
    # symbols
    (nz.spell_symbols, EN, "Tom & Jerry", "Tom and Jerry"),
    (nz.spell_symbols, EN, "AT&T", "AT and T"),
    (nz.spell_symbols, EN, "50% off, 20 % more", "50 percent off, 20 percent more"),
    (nz.spell_symbols, EN, "#3 and No. 4", "number 3 and number 4"),
    (nz.spell_symbols, EN, "#hashtag and No. I won't", "#hashtag and No. I won't"),
    (nz.spell_symbols, EN, "~5 people, ~$5", "approximately 5 people, approximately $5"),
    (nz.spell_symbols, EN, "2+2 is 2 + 2, C++", "2 plus 2 is 2 plus 2, C++"),
    (nz.spell_symbols, EN, "2*3 and 2 × 3", "2 times 3 and 2 times 3"),
    (nz.spell_symbols, EN, "c. 1500", "circa 1500"),
    # ranges
    (nz.spell_ranges, EN, "pages 10–20", "pages 10 to 20"),
    (nz.spell_ranges, EN, "$5–$10", "$5 to $10"),
    (nz.spell_ranges, EN, "1914–18 and 1914–1918", "1914–18 and 1914–1918"),
    (nz.spell_ranges, EN, "555-1234", "555-1234"),
    # currency
    (nz.spell_currency, EN, "$3.50", "three dollars and fifty cents"),
    (nz.spell_currency, EN, "$1.", "one dollar."),
    (nz.spell_currency, EN, "£20", "twenty pounds"),
    (nz.spell_currency, EN, "€5", "five euros"),
    (nz.spell_currency, EN, "¥100", "one hundred yen"),
    (nz.spell_currency, EN, "$1,000,000", "one million dollars"),
    (nz.spell_currency, EN, "$2.5 million", "two point five million dollars"),
    (nz.spell_currency, EN, "$0.99 or $1.00", "ninety-nine cents or one dollar"),
    (nz.spell_currency, EN, "£3.01", "three pounds and one penny"),
    (nz.spell_currency, EN, "C$5", "five Canadian dollars"),
    (nz.spell_currency, EN, "$5k or $3bn, not $5kg", "five thousand dollars or three billion "
     "dollars, not $5kg"),
    (nz.spell_currency, GB, "£105", "one hundred and five pounds"),
    # dates
    (nz.spell_dates, EN, "On 3/4/2021 we met.", "On March fourth, twenty twenty-one we met."),
    (nz.spell_dates, GB, "On 3/4/2021 we met.",
     "On the third of April, twenty twenty-one we met."),
    (nz.spell_dates, Locale.from_language("en_US"), "12/25/1999", "December twenty-fifth, "
     "nineteen ninety-nine"),
    (nz.spell_dates, EN, "2021-03-04", "March fourth, twenty twenty-one"),
    (nz.spell_dates, GB, "2021-03-04", "the fourth of March, twenty twenty-one"),
    (nz.spell_dates, EN, "March 4, 2021", "March fourth, twenty twenty-one"),
    (nz.spell_dates, EN, "on 4 July 1776", "on the fourth of July, seventeen seventy-six"),
    (nz.spell_dates, EN, "the 4th of March", "the fourth of March"),
    (nz.spell_dates, EN, "Jan. 5", "January fifth"),
    (nz.spell_dates, EN, "13/13/2021 and 2/30/2021", "13/13/2021 and 2/30/2021"),
    (nz.spell_dates, EN, "May 5 people come?", "May 5 people come?"),
    (nz.spell_dates, EN, "at 10:30 May said", "at 10:30 May said"),
    # times
    (nz.spell_times, EN, "at 10:30 p.m. on Friday", "at ten thirty PM on Friday"),
    (nz.spell_times, EN, "at 9:05", "at nine oh five"),
    (nz.spell_times, EN, "at 12:00", "at twelve o'clock"),
    (nz.spell_times, EN, "at 7 a.m. The sun rose.", "at seven AM. The sun rose."),
    (nz.spell_times, EN, "at 7am, 7 PM and 7:00 p.m.", "at seven AM, seven PM and seven PM."),
    (nz.spell_times, EN, "at 14:30 and 14:00", "at fourteen thirty and fourteen hundred"),
    (nz.spell_times, EN, "Is it 12:00 a.m.?", "Is it twelve AM?"),
    (nz.spell_times, EN, "25:00, 10:30:15, 7 apples", "25:00, 10:30:15, 7 apples"),
    (nz.spell_times, EN, "10:30example", "10:30example"),
    # decades
    (nz.spell_decades, EN, "the 1990s", "the nineteen nineties"),
    (nz.spell_decades, EN, "the 1900s and 2010s", "the nineteen hundreds and twenty tens"),
    (nz.spell_decades, EN, "the '60s and ’70s", "the sixties and seventies"),
    # years
    (nz.spell_years, EN, "in 1984", "in nineteen eighty-four"),
    (nz.spell_years, EN, "In 2005, yes", "In two thousand five, yes"),
    (nz.spell_years, GB, "since 2005", "since two thousand and five"),
    (nz.spell_years, EN, "the summer of 1969", "the summer of nineteen sixty-nine"),
    (nz.spell_years, EN, "March 2021", "March twenty twenty-one"),
    (nz.spell_years, EN, "from 1914 to 1918", "from nineteen fourteen to nineteen eighteen"),
    (nz.spell_years, EN, "1914-18", "nineteen fourteen to nineteen eighteen"),
    (nz.spell_years, EN, "1999–03", "nineteen ninety-nine to two thousand three"),
    (nz.spell_years, EN, "1066 AD and 44 BC", "ten sixty-six AD and forty-four BC"),
    (nz.spell_years, EN, "AD 800", "AD eight hundred"),
    (nz.spell_years, EN, "1984 people, in 500 years", "1984 people, in 500 years"),
    (nz.spell_years, EN, "in 1984.5", "in 1984.5"),
    # ordinals
    (nz.spell_ordinals, EN, "1st, 22nd, 3rd", "first, twenty-second, third"),
    (nz.spell_ordinals, EN, "the 101st and 1,000th", "the one hundred first and one thousandth"),
    # numbers
    (nz.spell_numbers, EN, "1,234", "one thousand two hundred thirty-four"),
    (nz.spell_numbers, GB, "1,234", "one thousand two hundred and thirty-four"),
    (nz.spell_numbers, EN, "3.14 and 0.5", "three point one four and zero point five"),
    (nz.spell_numbers, EN, "team 7 (3) \"4\".", "team seven (three) \"four\"."),
    (nz.spell_numbers, EN, "MP3 4x4 -3 555-1234 1.2.3 3/4 007 5551234567",
     "MP3 4x4 -3 555-1234 1.2.3 3/4 007 5551234567"),
    # roman numerals in titles
    (nz.spell_roman_titles, EN, "Chapter IV", "Chapter four"),
    (nz.spell_roman_titles, EN, "Part II, Book III, Act V.", "Part two, Book three, Act five."),
    (nz.spell_roman_titles, EN, "World War II", "World War two"),
    (nz.spell_roman_titles, EN, "CHAPTER IV THE STORM", "CHAPTER four THE STORM"),
    (nz.spell_roman_titles, EN, "Chapter I: The Storm", "Chapter one: The Storm"),
    (nz.spell_roman_titles, EN, "Vol. III", "Volume three"),
    (nz.spell_roman_titles, EN, "For my part I think so.", "For my part I think so."),
    (nz.spell_roman_titles, EN, "Part I went", "Part I went"),
    (nz.spell_roman_titles, EN, "PART I DID IT", "PART I DID IT"),
    (nz.spell_roman_titles, EN, "Appendix C", "Appendix C"),
    # roman numerals in regnal names
    (nz.spell_regnal_numbers, EN, "Henry VIII", "Henry the Eighth"),
    (nz.spell_regnal_numbers, EN, "Louis XIV's court", "Louis the Fourteenth's court"),
    (nz.spell_regnal_numbers, EN, "Pope John Paul II.", "Pope John Paul the Second."),
    (nz.spell_regnal_numbers, EN, "King Aldric III", "King Aldric the Third"),
    (nz.spell_regnal_numbers, EN, "Elizabeth I of England", "Elizabeth the First of England"),
    (nz.spell_regnal_numbers, EN, "Henry I went home.", "Henry I went home."),
    (nz.spell_regnal_numbers, EN, "I went. I DID IT.", "I went. I DID IT."),
    (nz.spell_regnal_numbers, EN, "MIX, DIV, CIVIL, Vi, Mix", "MIX, DIV, CIVIL, Vi, Mix"),
    (nz.spell_regnal_numbers, EN, "Malcolm X spoke", "Malcolm X spoke"),
    (nz.spell_regnal_numbers, EN, "Henry V SMASHED it", "Henry V SMASHED it"),
    (nz.spell_regnal_numbers, EN, "Plan B, Rocky II", "Plan B, Rocky II"),
    # abbreviations
    (nz.spell_abbreviations, EN, "Dr. Smith", "Doctor Smith"),
    (nz.spell_abbreviations, EN, "on Baker Dr.", "on Baker Drive."),
    (nz.spell_abbreviations, EN, "Baker Dr. is closed", "Baker Drive is closed"),
    (nz.spell_abbreviations, EN, "on Baker Dr. Then he left.", "on Baker Drive. Then he left."),
    (nz.spell_abbreviations, EN, "Ask the Dr. He knows.", "Ask the Doctor. He knows."),
    (nz.spell_abbreviations, EN, "The Dr. is in.", "The Doctor is in."),
    (nz.spell_abbreviations, EN, "Dr Who", "Doctor Who"),
    (nz.spell_abbreviations, EN, "St. Paul walked down Main St. today",
     "Saint Paul walked down Main Street today"),
    (nz.spell_abbreviations, EN, "St Paul's, Baker St., London",
     "Saint Paul's, Baker Street, London"),
    (nz.spell_abbreviations, EN, "Mr. and Mrs. Smith", "Mr. and Mrs. Smith"),
    (nz.spell_abbreviations, EN, "Ms. Jones and Prof. Xavier", "Miz Jones and Professor Xavier"),
    (nz.spell_abbreviations, EN, "Capt. Hook, Gen. Lee, Lt. Dan, Sgt. Pepper",
     "Captain Hook, General Lee, Lieutenant Dan, Sergeant Pepper"),
    (nz.spell_abbreviations, EN, "Mt. Everest", "Mount Everest"),
    (nz.spell_abbreviations, EN, "Gen Z and Ave Maria", "Gen Z and Ave Maria"),
    (nz.spell_abbreviations, EN, "pets, e.g., cats, i.e. mine",
     "pets, for example, cats, that is mine"),
    (nz.spell_abbreviations, EN, "cats, dogs, etc. are pets", "cats, dogs, et cetera are pets"),
    (nz.spell_abbreviations, EN, "and so on, etc. Then", "and so on, et cetera. Then"),
    (nz.spell_abbreviations, EN, "cats vs. dogs, cats vs dogs",
     "cats versus dogs, cats versus dogs"),
]


@pytest.mark.parametrize("rule, locale, text, expected", RULE_CASES,
                         ids=[f"{case[0].__name__}:{case[2]}" for case in RULE_CASES])
def test_each_rule_alone(rule, locale, text, expected):
    assert rule(text, locale) == expected


# (text, language, expected): the whole of normalize(), rules working together.
NORMALIZE_CASES = [
    ("It cost $3.50, not $1.", "en", "It cost three dollars and fifty cents, not one dollar."),
    ("Meet at 10:30 p.m. on 3/4/2021.", "en",
     "Meet at ten thirty PM on March fourth, twenty twenty-one."),
    ("Meet on 3/4/2021.", "en-GB", "Meet on the third of April, twenty twenty-one."),
    ("In 1984 there were 1,234 of them, 3.14 each.", "en",
     "In nineteen eighty-four there were one thousand two hundred thirty-four of them, "
     "three point one four each."),
    ("On March 4th, 2021 she came 1st.", "en",
     "On March fourth, twenty twenty-one she came first."),
    ("Henry VIII read Chapter IV of Part II before World War II.", "en",
     "Henry the Eighth read Chapter four of Part two before World War two."),
    ("Dr. Smith lives on Baker Dr. and St. Paul's is on Main St.", "en",
     "Doctor Smith lives on Baker Drive and Saint Paul's is on Main Street."),
    ("Visit https://www.example.com/page or mail ann@example.org!!!", "en",
     "Visit example dot com slash page or mail ann at example dot org!"),
    ("Tom & Jerry: 50% off #3, ~5 left, 2+2 * fun", "en",
     "Tom and Jerry: fifty percent off number three, approximately five left, two plus two fun"),
    ("pages 10–20, from 1914–18, $5–$10", "en",
     "pages ten to twenty, from nineteen fourteen to nineteen eighteen, "
     "five dollars to ten dollars"),
    ("She sent a 👍 and laughed 😂. Great!!! 🎉", "en", "She sent a 👍 and laughed. Great!"),
    ("I went home. I DID IT! MIX the DIV, Vi.", "en", "I went home. I DID IT! MIX the DIV, Vi."),
    # Another language: only the language-neutral rules; eSpeak NG reads the rest itself.
    ("Il a payé 3,50 $ à 10:30, le 3/4/2021!!! Super 😀", "fr",
     "Il a payé 3,50 $ à 10:30, le 3/4/2021! Super"),
    ("Es kostet 1.234,50 € ~ heute???", "de", "Es kostet 1.234,50 € heute?"),
]


@pytest.mark.parametrize("text, language, expected", NORMALIZE_CASES)
def test_normalize(text, language, expected):
    assert normalize(text, language) == expected


PROSE = """\
"I don't know," said Margaret, turning from the window. "It's late—later than you'd think."

Tom shrugged. 'Well, I'm not going back there,' he said, 'not for all the tea in China.' He
picked up his coat… and stopped. Mr. and Mrs. Hale were at the door; Miss Hale wasn't.

“Are you coming?” she asked. “We’ll miss the train if we don’t hurry—and I won’t wait.”
I went. I always do. Isn't it odd? Yes?! Perhaps... perhaps not.
"""


def test_ordinary_prose_comes_back_byte_identical():
    assert normalize(PROSE) == PROSE
    assert normalize(PROSE, "en-GB") == PROSE
    assert normalize(PROSE, "fr") == PROSE


ALL_TEXTS = [case[2] for case in RULE_CASES] + [case[0] for case in NORMALIZE_CASES] + [PROSE]


@pytest.mark.parametrize("language", ["en", "en-GB", "fr"])
def test_normalize_is_idempotent(language):
    for text in ALL_TEXTS:
        once = normalize(text, language)
        assert normalize(once, language) == once, text


def test_the_rules_are_listed_in_order_and_the_neutral_ones_are_rules():
    assert len(set(RULES)) == len(RULES)
    assert LANGUAGE_NEUTRAL <= set(RULES)
    assert RULES.index(nz.spell_years) < RULES.index(nz.spell_numbers)
    assert RULES.index(nz.spell_roman_titles) < RULES.index(nz.spell_regnal_numbers)
    # the abbreviations' words ("Miz", "Saint") are names the roman rules see on a second pass
    assert RULES.index(nz.spell_abbreviations) < RULES.index(nz.spell_regnal_numbers)


@pytest.mark.parametrize("language, english, day_first, british", [
    ("en", True, False, False),
    ("en-US", True, False, False),
    ("EN_us", True, False, False),
    ("en-GB", True, True, True),
    ("en-AU", True, True, True),
    ("fr", False, False, False),
    ("fr-CA", False, False, False),
])
def test_locale_from_language(language, english, day_first, british):
    assert Locale.from_language(language) == Locale(english, day_first, british)


def test_a_long_text_keeps_every_word_that_is_not_a_rewritten_token():
    text = (PROSE + "He paid $3.50 at 9:05 a.m. and left for Baker Dr. with Henry VIII.\n") * 50
    out = normalize(text)
    assert out.count("Margaret") == 50 and out.count("Henry the Eighth") == 50
    assert out.count("three dollars and fifty cents at nine oh five AM") == 50
