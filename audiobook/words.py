"""The words of a story worth hearing before a build: its names and its unusual words.

Names are the characters (and each word of their names and aliases) and the words the story
writes with a capital where no sentence begins. Unusual words are those an English reader's
rules are likely to get wrong: letters outside ASCII (``Aoife``, ``Zoë``), or spellings
English rarely uses (``Tsunade``, ``Qarth``, ``Khaleesi``: a q without u, kh, zh, tsu,
double vowels such as aa or ii, a word ending in an i or u after a consonant), and
acronyms (``OOC``), which eSpeak NG spells out or reads as a word. Each comes
with its count, the pronunciation the cast file gives it, and what the engine is given.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import STOPWORDS, TITLES
from .models import Kind

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?…:;]\s*[\"“”'‘’(\[]*|[\"“]|\n)\s*$")
_UNUSUAL_RE = re.compile(r"q(?!u)|kh|zh|tsu|aa|ii|uu|[^aeiouy\W]i$|[^aeiouy\W]u$|^[^aeiou\W]{4}",
                         re.IGNORECASE)
_POSSESSIVE_RE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Word:
    word: str
    count: int
    kind: str  # "name" or "unusual"


def story_words(segments, characters) -> list[Word]:
    """The names and unusual words of the story's segments, most frequent first."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    capitalised: Counter[str] = Counter()
    for s in segments:
        if s.kind is Kind.NARRATION and s.heading:
            continue
        for m in _WORD_RE.finditer(s.text):
            word = _POSSESSIVE_RE.sub("", m.group())
            if len(word) < 2:
                continue
            key = word.lower()
            counts[key] += 1
            forms.setdefault(key, Counter())[word] += 1
            if word[0].isupper() and not _SENTENCE_START_RE.search(s.text[:m.start()]):
                capitalised[key] += 1
    names = {w.lower() for c in characters for n in (c.name, *c.aliases)
             for w in _WORD_RE.findall(n)}
    common = {w.lower() for w in STOPWORDS} | {t.lower().rstrip(".") for t in TITLES}
    out = []
    for key, count in counts.items():
        if key in common or key == "i" or re.match(r"i['’]", key):  # I, I'm, I'd
            continue
        written = forms[key].most_common(1)[0][0]
        # a name: a character's, or a word never written without its capital, and found
        # with it where no sentence begins
        always = all(form[0].isupper() for form in forms[key])
        if re.fullmatch(r"[A-Z]{2,}", written):
            kind = "unusual"  # an acronym: eSpeak NG spells it out, or tries to say it
        elif key in names or (always and capitalised[key]):
            kind = "name"
        elif not key.isascii() or _UNUSUAL_RE.search(key):
            kind = "unusual"
        else:
            continue
        out.append(Word(written, count, kind))
    return sorted(out, key=lambda w: (-w.count, w.word.lower()))

