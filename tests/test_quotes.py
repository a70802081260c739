"""Quoting conventions: which marks are quotes, and which emphasis is a thought."""

from __future__ import annotations

import pytest

from audiobook.quotes import find_quotes, find_thoughts, quote_style


def quotes(text: str, style: str = "double") -> list[str]:
    spans, _ = find_quotes(text, 0, len(text), style)
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize("text, expected", [
    ("'Don't touch the Smiths' dog,' said Jess.", ["'Don't touch the Smiths' dog,'"]),
    ("‘We danced to rock ’n’ roll in ’59,’ she said.", ["‘We danced to rock ’n’ roll in ’59,’"]),
    ("'Bring 'em in by six o'clock.'", ["'Bring 'em in by six o'clock.'"]),
    ("Jess' book fell. 'Whose is it?' he asked.", ["'Whose is it?'"]),
    ("'I only wanted—' 'I know.'", ["'I only wanted—'", "'I know.'"]),
    ("‘He said “never” to me,’ she said.", ["‘He said “never” to me,’"]),
])
def test_single_quotes_are_told_from_apostrophes(text, expected):
    assert quotes(text, "single") == expected


def test_double_quotes_straight_and_curly_and_split():
    text = '"I think," she said, “we should go.”'
    assert quotes(text) == ['"I think,"', "“we should go.”"]


def test_an_unclosed_quote_ends_at_the_paragraph_end():
    text = '"I never finished'
    spans, open_end = find_quotes(text, 0, len(text))
    assert spans == [(0, len(text))] and open_end


def test_quote_style_follows_the_story():
    british = "'Hello,' said Ann. 'Tea?' 'Please.' 'Milk?' 'No.' 'Sugar?' 'Two.' It's late."
    assert quote_style(british) == "single"
    assert quote_style('"Hello," said Ann. It\'s late, isn\'t it? \'Tis.') == "double"


@pytest.mark.parametrize("text, expected", [
    ("*I can't stay here,* she thought.", ["*I can't stay here,*"]),
    ("_Why did I come back_ he wondered.", ["_Why did I come back_"]),
    ("<i>You fool, you fool.</i>", ["<i>You fool, you fool.</i>"]),
    ("He read *The Evening Post* on the *Endeavour*.", []),
    ('"I *never* said that."', []),
    # A sentence standing on its own, a clause before a thought tag.
    ("Mara stopped. *He knew.* She went on.", ["*He knew.*"]),
    ("She sat down. *Coward.*", ["*Coward.*"]),
    ("*Oh,* Maren thought.", ["*Oh,*"]),
    # Not a sentence of its own: a name at the end of one, a word before a verb.
    ("They called her the *Gull.* It rained.", []),
    ("*I* thought so too.", []),
    # A one-word thought with its tag; a thought split around its tag; verbs of knowing.
    ("*Idiot* she thought.", ["*Idiot*"]),
    ("*I can't,* she thought, *not again.*", ["*I can't,*", "*not again.*"]),
    ("*so that was it* she realised.", ["*so that was it*"]),
    # A long italic passage in the story's own person and tense is a memory, not a thought.
    (f"*{'She ran and ran through the long wet grass of the field. ' * 3}*", []),
])
def test_emphasis_is_a_thought_only_in_the_inner_voice(text, expected):
    assert [text[a:b] for a, b in find_thoughts(text, 0, len(text))] == expected
