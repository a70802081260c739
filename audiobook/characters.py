"""Who is in the story: characters found in the text, the names they go by, their gender.

A character is a name that speaks (a speech tag), acts beside a quote, is heard, addressed or
the subject of narration, signs a letter, or is listed in the cast file. Forms of one name
are merged (``Sasuke``, ``Sasuke-kun``, ``Sasuke Uchiha``, ``Mr. Uchiha``, ``Toby``/``Tobias``);
gender comes from titles, honorifics and pronouns that refer back to the name, and only where
the text says nothing, from what the first name usually is.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter

from .attribution import Utterance
from .lexicon import (ADVERB, BETWEEN, CANDIDATE, FEMALE_NOUNS, HE, HONORIFICS, MALE_NOUNS,
                      NAME_TOKEN, PLACE_FIRST, PLACE_LAST, RANK_TITLES, STOPWORDS, TITLE, TITLES,
                      TITLES_FEMALE, TITLES_MALE, UPPER, VERB, base_name)
from .models import Character

_CANDIDATE_AFTER = [
    re.compile(rf"^[\s,.;:!?—–-]*{CANDIDATE}\s+{ADVERB}?{VERB}\b"),
    re.compile(rf"^[\s,]*{VERB}\s+{CANDIDATE}\b"),
]
_BEAT_RE = re.compile(rf"^[\s,.;:!?—–-]*{CANDIDATE}\s+{ADVERB}?[a-z]+")
# A paragraph opening with a name, its quote after: 'Mrs. Ashby, who had come in, laughed. "…"'
_BEAT_BEFORE_RE = re.compile(rf"^\s*{CANDIDATE}(?:,|\s+{ADVERB}?[a-z]+)")
_HEARD_RE = re.compile(rf"^[\s,.;:!?—–-]*(?:\w+\s+){{1,2}}?(?:heard|could hear)\s+{CANDIDATE}")
_VOCATIVE_RE = re.compile(rf"(?:^\W*|,\s*)(?P<name>(?:{TITLE}\.?\s+)?{NAME_TOKEN}"
                          rf"(?:\s+{NAME_TOKEN})?)(?=\s*[,!?]|\W*$)")
_SUBJECT_RE = re.compile(rf"(?:^|(?<=[.!?;] )|(?<=\band ))(?<!Mr\. )(?<!Mrs\. )(?<!Ms\. )(?<!Dr\. )"
                         rf"(?P<name>{NAME_TOKEN})\s+(?:was|had|could|would|"
                         r"did|sat|stood|ran|took|made|got|went|came|felt|knew|saw|held|kept|"
                         r"began|put|let|[a-z]+ed)\b")
_CANDIDATE_BEFORE = re.compile(rf"{CANDIDATE}{BETWEEN}{{0,2}}?\s+{VERB}[\s,:]*$")
_PRONOUN_RE = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.I)
_SUBJECT_PRONOUN_RE = re.compile(r"\b(?:he|his|himself|she|her|herself)\b")
_SUBORDINATE_RE = re.compile(r"\b(?:while|as|when|because|until|since|after|before|though|"
                             r"although|if|whereas|where|that|who|whom)\b")
_NEXT_PRONOUN_RE = re.compile(r"\s*(He|His|She|Her)\b")
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"”’']?(?=\s|$)")


def find_characters(text: str, narration: list[tuple[int, int]], quotes: list[Utterance],
                    known: dict[str, tuple[str, ...]] | None = None,
                    writers: list[str] | tuple[str, ...] = ()) -> list[Character]:
    """Characters who speak or act in the story, plus the ``known`` cast.

    ``narration`` lists the spans outside quotes, where mentions count for gender guesses;
    ``writers`` names who signed the letters and notes read out in the story.
    """
    mentions = _Mentions(text)
    counts = _candidates(text, narration, quotes, mentions)
    counts.update(writers)
    groups: dict[str, set[str]] = {}
    for name, aliases in (known or {}).items():
        groups[name] = {name, *aliases}
    for raw in sorted(counts, key=lambda n: (-counts[n], n)):
        words = raw.split()
        if words[0] in ("The", "the") and len(words) > 1:  # 'the Dodger' is a name of its own
            raw = "the " + " ".join(words[1:])
            if _a_name(raw, mentions) and raw.split()[1] not in STOPWORDS:
                groups.setdefault(_owner(groups, raw) or raw, {raw}).add(raw)
            continue
        if words[0] in STOPWORDS or (len(words) == 2 and words[0].endswith(("ing", "ly"))):
            words = words[1:]  # 'Then Ada said', 'Sighing Ada replied'
        if not words or words[0] in STOPWORDS:
            continue
        if len(set(words)) < len(words):
            continue  # 'Alfred — Alfred —' is a cry, not a name
        tags = counts[raw]
        raw = " ".join(words)
        if raw not in (known or {}) and not _a_name(raw, mentions, tags):
            continue
        base = base_name(raw)
        if len(words) > 1 and words[0] in TITLES:  # 'Mrs. Okafor': never just 'Okafor'
            canonical = _owner(groups, raw) or _surname_owner(groups, raw, mentions) or raw
            groups.setdefault(canonical, {canonical}).add(raw)
            continue
        canonical = (_owner(groups, raw) or _owner(groups, base)
                     or _nickname_owner(groups, base.split()[0], mentions))
        if canonical is None:
            first = base.split()[0]
            canonical = _owner(groups, first)
            if canonical and " " in base and any(
                    base_name(a).split()[0] == first and " " in base_name(a)
                    and base_name(a) != base for a in groups[canonical]):
                canonical = base  # Charles Hayter is not Charles Musgrove
            canonical = canonical or first
        groups.setdefault(canonical, {canonical}).update({raw, base})
    _discover_aliases(mentions, groups)
    _merge_titled(groups)
    _merge_same_titles(groups, mentions, known or {})
    _merge_title_forms(groups, mentions, known or {})
    _merge_bare(groups, mentions, known or {})
    _merge_surnames(groups, known or {})
    narr_text = [(a, text[a:b]) for a, b in narration]
    narr_starts = [a for a, _ in narration]
    out = []
    for name, aliases in groups.items():
        others = [a for n, al in groups.items() if n != name for a in al]
        others_re = (re.compile(r"\b(?:" + "|".join(map(re.escape, others)) + r")\b")
                     if others else None)
        if name not in (known or {}):
            name = _canonical(mentions, aliases, name)
        near = mentions.near(aliases)
        named = any(re.search(rf"\b{re.escape(a)}\b", near) for a in aliases)
        # Only the narration that mentions them can say their gender.
        chunks = sorted({bisect.bisect_right(narr_starts, at) - 1
                         for at in mentions.positions(aliases)} - {-1})
        gender = (_guess_gender(aliases, others_re, [narr_text[i] for i in chunks])
                  if named else "unknown")
        out.append(Character(name, tuple(sorted(aliases - {name})), gender))
    return out


def _dominant(counts: Counter[str], least: int = 1) -> str | None:
    """The most common of ``counts``, when it is counted ``least`` times at least and three
    times as often as the next."""
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= least and (len(ranked) == 1 or ranked[0][1] >= 3 * ranked[1][1]):
        return ranked[0][0]
    return None


# Words before a place, not a person: 'in London', 'went to Bath', 'arrived at Hartfield'.
_PLACE_BEFORE = frozenset("in into near through across beyond outside inside within throughout "
                          "towards toward via reach reached reaching leave left leaving "
                          "visit visited".split())
_MOTION_BEFORE = frozenset("went gone go going goes back come came coming return returned "
                           "returning drove drive driven walked ride rode arrived arrive "
                           "moved sailed travelled traveled journey way".split())


def _a_name(name: str, mentions: _Mentions, tags: int = 0) -> bool:
    """Whether a candidate names someone, as a careful reader tells: not a lone title
    (``Mr``, ``Mlle``), not a common word that merely opens sentences (``Presently``,
    ``Good``: it stands in lower case elsewhere and is never capitalised mid-sentence), not a
    place (``in London``, ``went to Bath``: mostly after words that lead to a place; but a
    place never speaks, so not one that ``tags`` speech tags give a line to twice), not a
    name that never stands without its title (``Sir Thomas``)."""
    words = name.split()
    if all(w.rstrip(".") in TITLES or w in TITLES for w in words):
        return False
    if len(words) > 1 and words[0] not in TITLES and (
            words[-1] in PLACE_LAST or words[0] in PLACE_FIRST):
        return False  # 'Donwell Abbey', 'Boulevard Montparnasse'
    seen = mentions.occurrences(name)
    if name.startswith("the "):
        seen += mentions.occurrences("T" + name[1:])
    if not seen:
        return True  # a name the cast file or a signature gives, not in the text as such
    mid = sum(1 for _, opens in seen if not opens)
    if len(words) == 1 and (lower := len(mentions.at.get(name.lower(), ()))) >= 2 and (
            lower >= 2 * mid):
        return False
    if len(words) == 1 and mid == 0 and len(seen) >= 3:
        return False  # a word that only ever opens sentences ('Presently he …')
    if len(words) == 1 and len(seen) >= 3 and 20 * mentions.untitled(name) < len(seen):
        return False  # only ever after a title: 'Thomas' is Sir Thomas, said over a line break
    if tags >= 2:
        return True  # '"…," said Veronica' twice: someone people talk to, not a place
    places = sum(1 for i, (prev, _) in enumerate(seen) if prev in _PLACE_BEFORE)
    motion = [prev for prev, _ in seen if prev in ("to", "at", "from")]
    places += sum(1 for _ in motion) if _went_to(name, mentions) else 0
    return not (places >= 2 and places >= 0.3 * len(seen))


def _went_to(name: str, mentions: _Mentions) -> bool:
    """Whether the text goes to (or comes from, arrives at) ``name`` as to a place."""
    for at in mentions.positions([name]):
        before = mentions.text[max(0, at - 30):at].lower().split()
        if len(before) >= 2 and before[-1] in ("to", "at", "from") and (
                before[-2] in _MOTION_BEFORE):
            return True
    return False


class _Mentions:
    """Where each word of the text stands, so that a name's forms are looked for around its
    mentions instead of through the whole book (a long novel has a hundred names)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}
        for m in re.finditer(r"\w+", text):
            self.at.setdefault(m.group(), []).append(m.start())

    def occurrences(self, phrase: str) -> list[tuple[str, bool]]:
        """Each time ``phrase`` stands in the text as words of their own: the word before it
        (lower case) and whether it opens a sentence (or a paragraph, or a quote)."""
        words = re.findall(r"\w+", phrase)
        found = []
        for at in self.at.get(words[0], ()) if words else ():
            end = at + len(phrase)
            if self.text.startswith(phrase, at) and not self.text[end:end + 1].isalnum():
                before = self.text[max(0, at - 40):at]
                prev = re.search(r"(\w+)\W*$", before)
                opens = not before.strip() or bool(re.search(r"(?:[.!?…:;]|^|\n)[\"'“”‘’(\s—–-]*$",
                                                             before))
                found.append((prev.group(1).lower() if prev else "", opens))
        return found

    def mid_sentence(self, word: str) -> bool:
        """Whether ``word`` stands capitalised inside a sentence somewhere (after a lower-case
        word, a comma, a semicolon or a colon, and one space)."""
        anchor = re.match(r"\w+", word)
        n = len(word)
        return any(self.text.startswith(word, at) and at >= 2 and self.text[at - 1] == " "
                   and re.match(r"[a-z,;:]", self.text[at - 2])
                   and not re.match(r"\w", self.text[at + n:at + n + 1])
                   for at in self.at.get(anchor.group(), ()) if anchor)

    def titled(self, word: str) -> set[str]:
        """The titled forms ``word`` takes in the text: {'Mr. Astley', 'Mrs Astley'}."""
        spelled = r"\s+".join(map(re.escape, word.split()))
        return {" ".join(f.split()) for f in re.findall(rf"\b{TITLE}\.?\s+{spelled}\b",
                                                         self.near([word]))}

    @staticmethod
    def title_of(form: str) -> str:
        """The title of a titled form, a foreign one read as the English it translates:
        'Monsieur Hastings' and 'Mr. Hastings' give one title, Mr."""
        title = form.split()[0].rstrip(".")
        return _SAME_TITLE.get(title, title)

    def untitled(self, word: str) -> int:
        """How often ``word`` stands without a title before it (Thomas, not Sir Thomas)."""
        return sum(1 for prev, _ in self.occurrences(word) if prev.title() not in TITLES)

    def surname(self, first: str) -> str | None:
        """The capitalised word that most often follows ``first`` (twice at least)."""
        after = Counter(m.group(1) for at in self.at.get(first, ()) if (m := re.match(
            rf"{re.escape(first)}[ \t\n]+([{UPPER}][a-z]+)\b", self.text[at:at + 60])))
        best = after.most_common(1)
        return best[0][0] if best and best[0][1] >= 2 and best[0][0] not in STOPWORDS else None

    def given(self, surname: str) -> str | None:
        """The one first name the text mostly puts before ``surname`` (twice at least, three
        times as often as any other): Maurice Oakley's; not a family's, Tom and Maria Bertram."""
        n = len(surname)
        before = Counter(m.group(1) for at in self.at.get(surname, ()) if (m := re.search(
            rf"\b([{UPPER}][a-z]+)[ \t]+$", self.text[max(0, at - 30):at]))
            and m.group(1) not in STOPWORDS | TITLES
            and not re.match(rf"[ \t]+[{UPPER}]", self.text[at + n:at + n + 2]))
        return _dominant(before, least=2)

    def positions(self, names) -> list[int]:
        """Where any of ``names`` may stand: the mentions of each one's first capitalised
        word (of its first word when none is)."""
        anchors = set()
        for name in names:
            words = re.findall(r"\w+", name)
            anchors.update(next(([w] for w in words if w[:1].isupper()), words[:1]))
        return sorted(at for word in anchors for at in self.at.get(word, ()))

    def near(self, names, before: int = 24, after: int = 120) -> str:
        """The stretches of text around every mention of ``names``, apart by a blank (so a
        pattern of a name and the words beside it finds there what it finds in the text)."""
        spans: list[list[int]] = []
        for at in self.positions(names):
            a, b = max(0, at - before), at + after
            if spans and a <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], b)
            else:
                spans.append([a, b])
        return "\n\x00\n".join(self.text[a:b] for a, b in spans)


def _canonical(mentions: _Mentions, aliases: set[str], default: str) -> str:
    """The name a character goes by: the fullest form the text uses for them that holds the
    form it uses most ('Ralph Denham' over 'Denham', 'Mr. Denham'); a title only where there
    is no fuller name in use ('Mr. Willoughby' stays; 'Mrs. Seal', called Sally Seal four
    times in seventy, too)."""
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(aliases, key=len, reverse=True)))
                         + r")(?![\w-])")
    near = mentions.near(aliases)
    # A form after another name is part of that name: 'Cassandra Otway' is no 'Otway'.
    counts = Counter(m.group() for m in pattern.finditer(near) if not (
        (prev := re.search(r"\b([A-Z][\w'’-]*)\s+$", near[max(0, m.start() - 30):m.start()]))
        and prev.group(1) not in STOPWORDS | TITLES and mentions.mid_sentence(prev.group(1))))
    best = max(counts.values(), default=0)
    if best == 0:
        return default
    used = default if counts[default] == best else min(
        (a for a in counts if counts[a] == best), key=len)

    def fullness(alias: str) -> tuple[int, int]:
        words = base_name(alias).split()
        return len(words), -(alias != base_name(alias))  # more words; then untitled

    # A fuller form puts a given name before the form used (Ralph before Denham), or a
    # surname after it that the text uses often enough: 'Archer Madeira', said once in a
    # book of a thousand Archers, is a wine.
    # One known by a title ('Mrs. Seal') keeps it unless the given name is used too.
    least = max(2, counts[used] / 10) if used.split()[0] in TITLES else 2
    fuller = [a for a in counts if "-" not in a and not a.startswith("the ") and (
        (counts[a] >= least and base_name(a).endswith(" " + base_name(used)))
        or (counts[a] >= max(2, counts[used] / 10)
            and base_name(a).startswith(base_name(used) + " ")))]
    top = max(map(fullness, fuller), default=None)
    if top is None or top <= fullness(used):
        return used
    choices = [a for a in fuller if fullness(a) == top]
    return used if len(choices) > 1 else choices[0]


def _candidates(text: str, narration: list[tuple[int, int]], quotes: list[Utterance],
                mentions: _Mentions) -> Counter[str]:
    """Names that speak or act, most evidence first.

    A name in a speech tag counts at once. Weaker evidence (an action beat after a quote,
    ``heard Lena call``, a name used in address, a sentence opening ``Lena watched``) counts
    for a name seen at least twice so, and capitalised mid-sentence somewhere (a proper noun,
    not a word that merely opens sentences).
    """
    tagged: Counter[str] = Counter()
    weak: Counter[str] = Counter()
    for u in quotes:
        found = [m.group("name") for p in _CANDIDATE_AFTER if (m := p.search(u.after))]
        if m := _CANDIDATE_BEFORE.search(u.before):
            found.append(m.group("name"))
        tagged.update(found)
        if not found and (m := _BEAT_RE.match(u.after) or _HEARD_RE.match(u.after)
                          or (u.first_in_paragraph and _BEAT_BEFORE_RE.match(u.before))):
            weak[m.group("name")] += 1
        inner = text[u.start:u.end]
        weak.update(m.group("name") for m in _VOCATIVE_RE.finditer(inner))
    for a, b in narration:
        weak.update(m.group("name") for m in _SUBJECT_RE.finditer(text, a, b))
    for name, n in weak.items():
        first = name.split()[0]
        titled = first in TITLES and " " in name  # a title marks a proper noun by itself
        if n >= 1 and name not in tagged and first not in STOPWORDS and (
                titled or mentions.mid_sentence(first)):
            tagged[name] = 0
    return tagged


def _nickname_owner(groups: dict[str, set[str]], first: str, mentions: _Mentions
                    ) -> str | None:
    """The one group whose first name is ``first`` in another form (Toby, Tobias), when
    ``first`` is the rarer form by far: where both forms are much used (Tom and Sir Thomas,
    Jock and John), they are two people."""
    forms = _name_forms(first)
    owners = {(c, base_name(a).split()[0]) for c, aliases in groups.items() for a in aliases
              if base_name(a).split()[0].lower() in forms}
    if len({c for c, _ in owners}) != 1:
        return None
    used = mentions.untitled(first)
    other = max(mentions.untitled(form) for _, form in owners)
    surnames = {mentions.surname(first)} | {mentions.surname(form) for _, form in owners}
    if len(surnames - {None}) > 1:  # Robert Cohn is not Bill Gorton
        return None
    return next(iter(owners))[0] if 3 * used <= other else None


@functools.lru_cache(maxsize=4096)
def _name_forms(first: str) -> frozenset[str]:
    """Other forms of a first name from the ``nicknames`` dataset (Tom: Thomas, Tommy)."""
    namer = _nicknamer()
    name = first.lower()
    return frozenset(namer.nicknames_of(name) | namer.canonicals_of(name)) - {name}


@functools.lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer

    return NickNamer()


def _surname_owner(groups: dict[str, set[str]], titled: str, mentions: _Mentions
                   ) -> str | None:
    """The one character a title form (``Mrs. Okafor``) names: the only one whose full name
    ends in that surname, if the title fits them (see ``_title_forms``)."""
    surname = titled.split()[-1]
    owners = {(c, a) for c, aliases in groups.items() for a in aliases
              if " " in a and a.split()[-1] == surname and a.split()[0] not in TITLES}
    if len(owners) != 1:
        return None
    canonical, full = owners.pop()
    return canonical if titled in _title_forms(mentions, full) else None


_MALE_TITLES = frozenset("Mr Sir Lord Uncle".split())
_FEMALE_TITLES = frozenset("Mrs Ms Miss Lady Aunt".split())


def _title_forms(mentions: _Mentions, full: str) -> set[str]:
    """The title forms of a full name's surname that name this one person (``Miss Hale`` for
    Maren Hale). A surname seen with more than one title (Mr. and Mrs. Bennet, Mrs. and Miss
    Bennet) is a family's and names no one in particular; nor does a title of the other sex
    than the first name usually is."""
    surname = full.split()[-1]
    forms = mentions.titled(surname)
    titles = {mentions.title_of(f) for f in forms}
    if len(titles) != 1:
        return set()
    sex = _title_sex(titles.pop())
    usual = _name_gender({full.split()[0]})
    return forms if sex is None or usual in ("unknown", sex) else set()


def _discover_aliases(mentions: _Mentions, groups: dict[str, set[str]]) -> None:
    """Add the forms each character's name takes in the text: ``Sasuke-kun``, ``Sasuke
    Uchiha`` (a first name and a capitalised word after it) and ``Mr. Uchiha``."""
    taken = {a for aliases in groups.values() for a in aliases}
    bases = {base_name(a) for a in taken}
    # A name that stands alone and never first in one ('Oakley') may be the surname of the
    # first name the text mostly puts before it.
    firsts_used = {a.split()[0] for a in taken if " " in a}
    surname_of = {c: mentions.given(c) for c, aliases in groups.items()
                  if aliases == {c} and " " not in c and c not in firsts_used}
    for canonical, aliases in groups.items():
        firsts = {a for a in aliases if " " not in a and "-" not in a}
        if not firsts:
            continue
        names = "|".join(map(re.escape, sorted(firsts, key=len, reverse=True)))
        near = mentions.near(firsts)
        found = set(re.findall(rf"\b(?:{names})-(?:{'|'.join(HONORIFICS)})\b", near))
        # Tom's other forms (Thomas), where they stand on their own: not Sir Thomas's.
        forms = {f.capitalize() for first in firsts for f in _name_forms(first)}
        forms = {f for f in forms if mentions.untitled(f) and f not in bases}
        if forms:
            found.update(re.findall(r"\b(?:" + "|".join(map(re.escape, sorted(forms))) + r")\b",
                                    mentions.near(forms)))
        # 'Sasuke Uchiha': a first name and the one surname the text gives it (William
        # Rodney, not William Shakespeare as well).
        surnames = Counter(m.group(0) for m in re.finditer(
            rf"\b(?:{names})[ \t]+([{UPPER}][a-z]+)\b(?![ \t]+[{UPPER}])", near)
            if m.group(1) not in STOPWORDS and (
                m.group(1) not in taken or surname_of.get(m.group(1)) in firsts))
        if surname := _dominant(surnames):
            found.add(surname)
        for full in [a for a in aliases | found if " " in a and a.split()[0] not in TITLES]:
            found.update(_title_forms(mentions, full))
        aliases.update(found - taken)
    taken = {a for aliases in groups.values() for a in aliases}
    for aliases in groups.values():
        aliases.update((_given_forms(mentions, aliases) | _rank_forms(mentions, aliases)) - taken)
    _rank_aliases(mentions.text, groups)


def _given_forms(mentions: _Mentions, aliases: set[str]) -> set[str]:
    """The full name of one known by a title ('Mr. Talbot': Horace Talbot), where the
    text puts one first name before the surname, a name of the title's sex, and gives the surname
    that one title only (Mr. and Mrs. Bennet: 'Elizabeth Bennet' is neither); not for a
    wife's title (Mrs. Wren may be Clara Wren's mother)."""
    if any(" " in a and a.split()[0] not in TITLES for a in aliases):
        return set()  # a full name of their own already
    titled = {a for a in aliases if len(a.split()) == 2 and a.split()[0] in TITLES}
    surnames = {a.split()[1] for a in titled}
    if len(surnames) != 1:
        return set()
    surname = surnames.pop()
    titles = {mentions.title_of(f) for f in mentions.titled(surname)}
    if len(titles) != 1 or (title := titles.pop()) in _MARRIED:
        return set()
    sex, given = _title_sex(title), mentions.given(surname)
    if sex is None or given is None or _name_gender({given}) != sex:
        return set()
    return {f"{given} {surname}"}


def _rank_forms(mentions: _Mentions, aliases: set[str]) -> set[str]:
    """The rank of one known as Mr.: Mr. Losberne is Doctor Losberne where the text gives that
    surname no other title than the one rank (a Mrs. or a Miss beside them makes it a
    family's). Only a Mr. takes a rank that way, never a rank the Mr.: Captain Wentworth's
    brother is Mr. Wentworth."""
    surnames = {a.split()[1] for a in aliases
                if len(a.split()) == 2 and mentions.title_of(a) == "Mr"}
    if len(surnames) != 1:
        return set()
    forms = mentions.titled(surname := surnames.pop())
    ranks = {f for f in forms if mentions.title_of(f) != "Mr"}
    titles = {mentions.title_of(f) for f in ranks}
    if len(titles) != 1 or not titles <= _RANKS:
        return set()
    return {f for f in ranks if f.split()[-1] == surname}


def _merge_surnames(groups: dict[str, set[str]], known: dict) -> None:
    """'Denham' alone is Ralph Denham when he is the one the text calls by that full name
    (Mrs. Denham, titled, is someone else)."""
    for surname in [c for c in groups if " " not in c and c not in known]:
        full = {a for c, aliases in groups.items() if c != surname for a in aliases
                if len(a.split()) >= 2 and a.split()[-1] == surname and not a.startswith("the ")}
        named = {a for a in full if a.split()[0] not in TITLES}
        if len(named) != 1:
            continue  # no one, or a family: Anne, Elizabeth and Sir Walter Elliot
        men = any(a.split()[0] in TITLES_MALE for a in full)
        if men and _name_gender(named) == "female":
            continue  # a bare 'Elliot' beside a Mr. Elliot is a man's, not Anne Elliot's
        owners = [c for c, aliases in groups.items() if c != surname and aliases & named]
        if len(owners) == 1:
            # Not 'Lefferts Rushworth', a surname before another, nor its 'Mrs. Rushworth':
            # that is someone else, who keeps them.
            aliases = groups.pop(surname)
            other = {a for a in aliases if len(a.split()) >= 2 and a.split()[0] == surname}
            other |= {a for a in aliases if a.split()[0] in TITLES
                      and a.split()[-1] in {o.split()[-1] for o in other}}
            groups[owners[0]] |= aliases - other
            if other:
                groups[max(other, key=len)] = other


_SAME_TITLE = {**dict.fromkeys("Monsieur M Signor Señor Herr".split(), "Mr"),
               **dict.fromkeys("Madame Mme Signora Señora Frau".split(), "Mrs"),
               **dict.fromkeys("Mademoiselle Mlle Signorina Señorita Fräulein".split(), "Miss")}
# A man's rank or calling, that a Mr. may also go by.
_RANKS = frozenset(RANK_TITLES).difference(TITLES_FEMALE) | {"Dr", "Prof", "Rev", "Reverend"}
_MARRIED = frozenset("Mrs Mme Madame Frau Señora Signora Lady".split())  # a wife's titles


def _title_sex(title: str) -> str | None:
    title = title.rstrip(".")
    return "male" if title in _MALE_TITLES else "female" if title in _FEMALE_TITLES else None


def _merge_title_forms(groups: dict[str, set[str]], mentions: _Mentions, known: dict
                       ) -> None:
    """A titled name is the one person of that sex the text calls by the full name: 'Mr. John
    Knightley' is John Knightley, 'Miss Woodhouse' Emma Woodhouse though a Mr. Woodhouse is
    her father. Not where the title goes with the full name too ('Mr. John Knightley' says
    the bare 'Mr. Knightley' is another, his elder brother), nor with two titles of one sex
    (Mrs. and Miss Bennet), nor when two of that sex bear the surname, nor for a wife's title
    (Mrs. Wren may be Clara Wren's mother); never one the cast file names."""
    fulls = {}  # untitled full name -> its group, and the sex its first name says
    for c, aliases in groups.items():
        for a in aliases:
            words = a.split()
            if len(words) >= 2 and words[0] not in TITLES and not a.startswith("the "):
                fulls[a] = (c, _name_gender({words[0]}))
    for titled in [c for c in groups if len(c.split()) >= 2 and c.split()[0] in TITLES]:
        title, rest = titled.split()[0], titled.split()[1:]
        sex = _title_sex(title)
        if titled not in groups or titled in known:
            continue
        # The full name under any title: 'Mr. John Knightley', 'Master Charley Bates'.
        if (full := " ".join(rest)) in fulls and (sex is None or fulls[full][1] in (
                sex, "unknown")):
            owner = fulls[full][0]  # 'Mr. John Knightley' -> John Knightley
        else:
            if sex is None or len(rest) != 1 or title.rstrip(".") in _MARRIED:
                continue  # Mrs. Wren is as likely Clara Wren's mother as Clara
            same = {(c, f) for f, (c, g) in fulls.items() if f.split()[-1] == rest[0] and g == sex}
            if len({c for c, _ in same}) != 1:
                continue
            owner, full = same.pop()
            titles = {t for f in mentions.titled(rest[0])
                      if _title_sex(t := mentions.title_of(f)) == sex}
            if len(titles) != 1 or mentions.titled(full):
                continue
        if owner != titled:
            groups[owner] |= groups.pop(titled)


def _merge_same_titles(groups: dict[str, set[str]], mentions: _Mentions, known: dict
                       ) -> None:
    """'Monsieur Astor' is Mr. Astor: one name under titles that mean the same is one person,
    known by the form the text uses more."""
    same: dict[tuple[str, str], list[str]] = {}
    for c in groups:
        words = c.split()
        if len(words) == 2 and words[0] in TITLES and c not in known:
            same.setdefault((mentions.title_of(c), words[1]), []).append(c)
    for forms in same.values():
        if len(forms) > 1:
            forms.sort(key=lambda c: -len(mentions.positions([c])))
            for other in forms[1:]:
                groups[forms[0]] |= groups.pop(other)


def _merge_bare(groups: dict[str, set[str]], mentions: _Mentions, known: dict) -> None:
    """'Astley' alone is Mr. Astley, 'Blanche' Mlle. Blanche, when the text gives that word
    one title only (Mr. and Mrs. Bennet are two, and the bare 'Bennet' names neither).

    A woman is not called by her surname alone: a bare 'Braddocks' beside Mrs. Braddocks is
    her husband, and 'Gregory' beside Comrade and Miss Gregory is the comrade ('Blanche',
    Mlle. Blanche, is her first name)."""
    for bare in [c for c in groups if " " not in c and c[:1].isupper() and c not in known]:
        woman = _name_gender({bare}) == "female"

        def hers(form: str) -> bool:  # a form the bare word may stand for
            return woman or _title_sex(mentions.title_of(form)) != "female"

        titled = [c for c in groups if len(c.split()) == 2 and c.split()[0] in TITLES
                  and c.split()[1] == bare and hers(c)]
        if len(titled) != 1 or groups[bare] != {bare} or any(
                len(a.split()) >= 2 and bare in a.split()[1:] and hers(a)
                for c, aliases in groups.items() if c != titled[0] for a in aliases):
            continue  # 'Emerson' beside George Emerson may be either Emerson
        if {mentions.title_of(f) for f in mentions.titled(bare) if hers(f)} == {
                mentions.title_of(titled[0])}:
            groups[titled[0]] |= groups.pop(bare)


def _merge_titled(groups: dict[str, set[str]]) -> None:
    """'the Professor' is Professor de Worms when he is the one Professor of the story."""
    for described in [c for c in groups if c.startswith("the ") and len(c.split()) == 2]:
        title = described.split()[1]
        bearers = [c for c, aliases in groups.items() if c != described and any(
            a.split()[0].rstrip(".") == title and " " in a for a in aliases)]
        if len(bearers) == 1 and title in TITLES | set(RANK_TITLES):
            groups[bearers[0]] |= groups.pop(described)


def _rank_aliases(text: str, groups: dict[str, set[str]]) -> None:
    """'the Captain' for the one character called Captain Something, if the text says it."""
    for rank in RANK_TITLES:
        bearers = [c for c, aliases in groups.items()
                   if any(a.split()[0].rstrip(".") == rank and " " in a for a in aliases)]
        if len(bearers) == 1 and re.search(rf"\bthe {rank}\b", text):
            groups[bearers[0]].add(f"the {rank}")


def _owner(groups: dict[str, set[str]], name: str) -> str | None:
    for canonical, aliases in groups.items():
        if name in aliases:
            return canonical
    return None


def _guess_gender(aliases: set[str], others: re.Pattern | None,
                  narration: list[tuple[int, str]]) -> str:
    """Titles and honorifics, else the pronouns that refer back to the name as a subject,
    else what the first name usually is. A first name the dictionary is sure of yields only
    to pronouns that say otherwise more than three times as often: 'her' after 'Henry took'
    is as often someone else's as 'his' is his.

    After a sentence opening with the name (``Sakura nodded.``), a next sentence opening with
    a pronoun (``She smiled.``) refers to it, unless the first sentence named someone else too;
    so does the first he/she/his/her later in the same sentence, unless another character is
    named first (``Sakura offered him …``).
    """
    titled: Counter[str] = Counter()
    for alias in aliases:
        first, last = alias.split()[0], alias.rsplit("-", 1)[-1].lower()
        noun = alias.split()[-1].lower() if first == "the" else ""  # 'the Grandmother'
        if first in TITLES_MALE or last == "kun" or noun in MALE_NOUNS:
            titled["male"] += 1
        elif first in TITLES_FEMALE or last == "chan" or noun in FEMALE_NOUNS:
            titled["female"] += 1
    if len(titled) == 1:  # Mr. Weston is a man, whoever 'her' is in his sentences
        return next(iter(titled))
    votes: Counter[str] = Counter()
    names = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    subject = re.compile(rf"(?:^|(?<=[.!?;])\s+)(?:{names})\s+(?:[a-z]+ly\s+)?[a-z]+")
    for _, chunk in narration:
        for m in subject.finditer(chunk):
            stop = _SENTENCE_END_RE.search(chunk, m.end())
            end = stop.end() if stop else len(chunk)
            # The name's own clause ends at another name or a subordinate clause.
            other = others.search(chunk, m.end(), end) if others else None
            end_clause = other.start() if other else end
            if sub := _SUBORDINATE_RE.search(chunk, m.end(), end_clause):
                end_clause = sub.start()
            p = _SUBJECT_PRONOUN_RE.search(chunk, m.end(), end_clause)
            if p:
                votes[_gender_of(p.group())] += 1
            # The next sentence's he or she is the name's only if no one else was named
            # ('Hannah watched Greg. He …' is Greg).
            if stop and not other and (p := _NEXT_PRONOUN_RE.match(chunk, stop.end())):
                votes[_gender_of(p.group(1))] += 2
    usual = _name_gender(aliases, sure=True)
    if votes["male"] == votes["female"] or (
            usual != "unknown" and 3 * votes[usual] >= votes[_OTHER_SEX[usual]]):
        return usual if usual != "unknown" else _name_gender(aliases)
    return votes.most_common(1)[0][0]


_OTHER_SEX = {"male": "female", "female": "male"}


def _name_gender(aliases: set[str], sure: bool = False) -> str:
    """What the first name usually is, from gender-guesser's dictionary of ~40,000 first
    names (``sure``: only a name that is always the one or the other, and no other form of
    it says otherwise: Matthew is not Mattie)."""
    found = set()
    for alias in sorted(aliases, key=len):
        if alias.split()[0] in TITLES or alias.startswith("the "):
            continue  # after a title stands a surname ('Captain Hale'), not a first name
        word = base_name(alias).split()[0]
        guess = _name_detector().get_gender(word)
        if guess in ("male",) + (() if sure else ("mostly_male",)):
            found.add("male")
        elif guess in ("female",) + (() if sure else ("mostly_female",)):
            found.add("female")
        if found and not sure:
            break
    return found.pop() if len(found) == 1 else "unknown"


@functools.lru_cache(maxsize=1)
def _name_detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def _gender_of(pronoun: str) -> str:
    return "male" if pronoun.lower() in HE else "female"

