"""Who speaks: characters, their aliases and genders, and a sieve of speaker rules.

The sieve applies the most reliable evidence first (a speech tag naming the speaker), then
weaker evidence (a pronoun tag, an action beat, the paragraph's other quotes, a speech carried
over paragraphs), and last the shape of the conversation (untagged lines alternate). Each rule
is a small function from an Utterance and the state so far to a speaker or None.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from .models import Character

SPEECH_VERBS = (
    "said say says saying asked asks answered answers replied replies responded whispered "
    "whispers muttered mutters murmured murmurs mumbled shouted shouts yelled yells screamed "
    "screams cried cries called calls exclaimed demanded demands questioned uttered explained "
    "added continued began begun finished snapped growled hissed sighed laughed chuckled "
    "giggled grumbled groaned moaned sobbed stammered stuttered blurted gasped breathed "
    "declared announced insisted admitted agreed argued warned urged pleaded begged offered "
    "suggested repeated retorted interrupted interjected countered conceded promised "
    "protested complained observed remarked noted commented inquired enquired wondered "
    "teased joked scoffed sneered snarled barked roared bellowed boomed shrieked squealed "
    "called told tells greeted ordered commanded recited read chimed piped drawled purred "
    "sang thought mused reasoned"
).split()
THOUGHT_VERBS = frozenset("thought thinks think wondered wonders mused reasoned".split())
# Verbs after a name that say what the subject perceived, not what they said.
PERCEPTION_VERBS = frozenset(
    "heard hears noticed notices saw sees watched watches felt feels realized realised "
    "listened looked".split()
)
_TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Mx Mx. Miss Dr Dr. Doctor Professor Prof Prof. "
                    "Sir Lady Lord Captain Aunt Uncle".split())
HONORIFICS = ("kun", "chan", "san", "sama", "sensei", "senpai", "sempai", "dono", "nii", "nee")
TITLES_MALE = ("Mr", "Mr.", "Sir", "Lord", "King", "Prince", "Father", "Uncle", "Brother")
TITLES_FEMALE = ("Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Lady", "Queen", "Princess", "Mother",
                 "Aunt", "Sister", "Madam")
STOPWORDS = frozenset(
    "I He She It They We You The A An And But Or So Then Now When While If As At In On Of To "
    "For With From By His Her Their Its My Your Our This That These Those There Here What Who "
    "Why How Where Yes No Oh Ah Well Just Still Even After Before Once Again Everyone Someone "
    "Nobody Everybody Somebody Anyone Something Nothing Everything One Sighing Instead Perhaps "
    "Maybe Meanwhile Finally Suddenly Later Soon Dear Hey Okay OK Please Thanks Thank".split()
)

_VERB = "(?:" + "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True)) + ")"
_ADVERB = r"(?:[a-z]+ly\s+)"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_NAME_TOKEN = (rf"[{_UPPER}][^\W\d_]*(?:['’][^\W\d_]+)?"
               r"(?:-(?:" + "|".join(HONORIFICS) + r"))?")
_TITLE = r"(?:Mr|Mrs|Ms|Mx|Miss|Dr|Doctor|Professor|Prof|Sir|Lady|Lord|Captain|Aunt|Uncle)"
_CANDIDATE = rf"(?P<name>(?:{_TITLE}\.?\s+)?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN})?)"
_CANDIDATE_AFTER = [
    re.compile(rf"^[\s,.;:!?—–-]*{_CANDIDATE}\s+{_ADVERB}?{_VERB}\b"),
    re.compile(rf"^[\s,]*{_VERB}\s+{_CANDIDATE}\b"),
]
# Up to two words may stand between a name and its verb (``Naruto confused uttered``), but not
# a word that starts a new phrase: in ``Tom turned to Mara and said`` Mara is not the subject.
_BETWEEN = r"(?:\s+(?!(?:and|or|but|to|at|with|for|from|of|by|on|in|toward|towards)\b)[a-z]+)"
_BEAT_RE = re.compile(rf"^[\s,.;:!?—–-]*{_CANDIDATE}\s+{_ADVERB}?[a-z]+")
_HEARD_RE = re.compile(rf"^[\s,.;:!?—–-]*(?:\w+\s+){{1,2}}?(?:heard|could hear)\s+{_CANDIDATE}")
_VOCATIVE_RE = re.compile(rf"(?:^\W*|,\s*)(?P<name>{_NAME_TOKEN})(?=\s*[,!?]|\W*$)")
_SUBJECT_RE = re.compile(rf"(?:^|(?<=[.!?;] )|(?<=\band ))(?<!Mr\. )(?<!Mrs\. )(?<!Ms\. )(?<!Dr\. )"
                         rf"(?P<name>{_NAME_TOKEN})\s+(?:was|had|could|would|"
                         r"did|sat|stood|ran|took|made|got|went|came|felt|knew|saw|held|kept|"
                         r"began|put|let|[a-z]+ed)\b")
_CANDIDATE_BEFORE = re.compile(rf"{_CANDIDATE}{_BETWEEN}{{0,2}}?\s+{_VERB}[\s,:]*$")
_HE = frozenset("he him his himself".split())
_SHE = frozenset("she her hers herself".split())
_PRONOUN_RE = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.I)
_SUBJECT_PRONOUN_RE = re.compile(r"\b(?:he|his|himself|she|her|herself)\b")
_SUBORDINATE_RE = re.compile(r"\b(?:while|as|when|because|until|since|after|before|though|"
                             r"although|if|whereas|where|that|who|whom)\b")
_NEXT_PRONOUN_RE = re.compile(r"\s*(He|His|She|Her)\b")
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"”’']?(?=\s|$)")


@dataclass(frozen=True)
class Utterance:
    """A quote (or marked thought) and the narration around it in its paragraph."""

    start: int
    end: int
    paragraph: int
    before: str  # narration from the previous quote (or paragraph start) to this quote
    after: str  # narration from this quote to the next quote (or paragraph end)
    continued: bool = False  # carries on a speech left open at the previous paragraph's end
    first_in_paragraph: bool = True
    thought: bool = False  # a marked thought (``*…*``), not a quote


def base_name(name: str) -> str:
    """``Sasuke-kun`` -> ``Sasuke``; ``Mr. Hale`` -> ``Hale``; other names unchanged."""
    name = re.sub(r"-(?:" + "|".join(HONORIFICS) + r")$", "", name.strip(), flags=re.I)
    parts = name.split()
    if len(parts) > 1 and parts[0] in _TITLES | set(TITLES_MALE + TITLES_FEMALE):
        parts = parts[1:]
    return " ".join(parts)


def find_characters(text: str, narration: list[tuple[int, int]], quotes: list[Utterance],
                    known: dict[str, tuple[str, ...]] | None = None,
                    writers: list[str] | tuple[str, ...] = ()) -> list[Character]:
    """Characters who speak or act in the story, plus the ``known`` cast.

    ``narration`` lists the spans outside quotes, where mentions count for gender guesses;
    ``writers`` names who signed the letters and notes read out in the story.
    """
    counts = _candidates(text, narration, quotes)
    counts.update(writers)
    groups: dict[str, set[str]] = {}
    for name, aliases in (known or {}).items():
        groups[name] = {name, *aliases}
    for raw in sorted(counts, key=lambda n: (-counts[n], n)):
        words = raw.split()
        if words[0] in STOPWORDS or (len(words) == 2 and words[0].endswith(("ing", "ly"))):
            words = words[1:]  # 'Then Ada said', 'Sighing Ada replied'
        if not words or words[0] in STOPWORDS:
            continue
        raw = " ".join(words)
        base = base_name(raw)
        canonical = (_owner(groups, raw) or _owner(groups, base)
                     or _nickname_owner(groups, base.split()[0]))
        if canonical is None and base != raw.split("-")[0] and " " in raw:
            canonical = _surname_owner(groups, base) or raw  # 'Mrs. Okafor'
        if canonical is None:
            first = base.split()[0]
            canonical = _owner(groups, first) or first
        groups.setdefault(canonical, {canonical}).update({raw, base})
    _discover_aliases(text, groups)
    narr_text = [(a, text[a:b]) for a, b in narration]
    out = []
    for name, aliases in groups.items():
        others = [a for n, al in groups.items() if n != name for a in al]
        others_re = re.compile(r"\b(?:" + "|".join(map(re.escape, others)) + r")\b") if others else None
        if name not in (known or {}):
            name = _most_used(text, aliases, name)
        out.append(Character(name, tuple(sorted(aliases - {name})),
                             _guess_gender(aliases, others_re, narr_text)))
    return out


def _most_used(text: str, aliases: set[str], default: str) -> str:
    """The form of a name the text uses most (each mention read as its longest form)."""
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(aliases, key=len, reverse=True)))
                         + r")(?![\w-])")
    counts = Counter(pattern.findall(text))
    best = max(counts.values(), default=0)
    if best == 0 or counts[default] == best:
        return default
    return min((a for a in counts if counts[a] == best), key=len)


def _candidates(text: str, narration: list[tuple[int, int]], quotes: list[Utterance]
                ) -> Counter[str]:
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
        if not found and (m := _BEAT_RE.match(u.after) or _HEARD_RE.match(u.after)):
            weak[m.group("name")] += 1
        inner = text[u.start:u.end]
        weak.update(m.group("name") for m in _VOCATIVE_RE.finditer(inner))
    for a, b in narration:
        weak.update(m.group("name") for m in _SUBJECT_RE.finditer(text, a, b))
    for name, n in weak.items():
        first = name.split()[0]
        if n >= 1 and name not in tagged and first not in STOPWORDS and re.search(
                rf"(?<=[a-z,;:] ){re.escape(first)}\b", text):
            tagged[name] = 0
    return tagged


def _nickname_owner(groups: dict[str, set[str]], first: str) -> str | None:
    """The one group whose first name is ``first`` in another form (Toby, Tobias)."""
    forms = _name_forms(first)
    owners = {c for c, aliases in groups.items() for a in aliases
              if base_name(a).split()[0].lower() in forms}
    return owners.pop() if len(owners) == 1 else None


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


def _surname_owner(groups: dict[str, set[str]], surname: str) -> str | None:
    """The one group with a full name ending in ``surname`` (for ``Mrs. Okafor``)."""
    owners = {c for c, aliases in groups.items() for a in aliases
              if " " in a and a.split()[-1] == surname}
    return owners.pop() if len(owners) == 1 else None


def _discover_aliases(text: str, groups: dict[str, set[str]]) -> None:
    """Add the forms each character's name takes in the text: ``Sasuke-kun``, ``Sasuke
    Uchiha`` (a first name and a capitalised word after it) and ``Mr. Uchiha``."""
    taken = {a for aliases in groups.values() for a in aliases}
    for canonical, aliases in groups.items():
        firsts = {a for a in aliases if " " not in a and "-" not in a}
        if not firsts:
            continue
        names = "|".join(map(re.escape, sorted(firsts, key=len, reverse=True)))
        found = set(re.findall(rf"\b(?:{names})-(?:{'|'.join(HONORIFICS)})\b", text))
        forms = {f.capitalize() for first in firsts for f in _name_forms(first)}
        if forms:
            found.update(re.findall(r"\b(?:" + "|".join(map(re.escape, sorted(forms))) + r")\b",
                                    text))
        for m in re.finditer(rf"\b(?:{names})[ \t]+([{_UPPER}][a-z]+)\b(?![ \t]+[{_UPPER}])",
                             text):
            if m.group(1) not in STOPWORDS and m.group(1) not in taken:
                found.add(m.group(0))
        for full in [a for a in aliases | found if " " in a and a.split()[0] not in _TITLES]:
            surname = full.split()[-1]
            found.update(re.findall(rf"\b{_TITLE}\.?\s+{re.escape(surname)}\b", text))
        aliases.update(found - taken)


def _owner(groups: dict[str, set[str]], name: str) -> str | None:
    for canonical, aliases in groups.items():
        if name in aliases:
            return canonical
    return None


def _guess_gender(aliases: set[str], others: re.Pattern | None,
                  narration: list[tuple[int, str]]) -> str:
    """Titles and honorifics, else the pronouns that refer back to the name as a subject.

    After a sentence opening with the name (``Sakura nodded.``), a next sentence opening with
    a pronoun (``She smiled.``) refers to it; so does the first he/she/his/her later in the
    same sentence, unless another character is named first (``Sakura offered him …``).
    """
    votes: Counter[str] = Counter()
    for alias in aliases:
        first, last = alias.split()[0], alias.rsplit("-", 1)[-1].lower()
        if first in TITLES_MALE or last == "kun":
            votes["male"] += 1
        elif first in TITLES_FEMALE or last == "chan":
            votes["female"] += 1
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
            if stop and (p := _NEXT_PRONOUN_RE.match(chunk, stop.end())):
                votes[_gender_of(p.group(1))] += 2
    if votes["male"] == votes["female"]:
        return _name_gender(aliases)
    return votes.most_common(1)[0][0]


def _name_gender(aliases: set[str]) -> str:
    """What the first name usually is, from gender-guesser's dictionary of ~40,000 first
    names: used only where the text itself gives no answer."""
    for alias in sorted(aliases, key=len):
        word = base_name(alias).split()[0]
        guess = _name_detector().get_gender(word)
        if guess in ("male", "mostly_male"):
            return "male"
        if guess in ("female", "mostly_female"):
            return "female"
    return "unknown"


@functools.lru_cache(maxsize=1)
def _name_detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def _gender_of(pronoun: str) -> str:
    return "male" if pronoun.lower() in _HE else "female"


class Attributor:
    """Runs the sieve over a story's utterances in order, remembering who was said and seen."""

    TAG_RULES = 3
    CONVERSATION_GAP = 4  # paragraphs of narration a conversation's turns may stand apart

    def __init__(self, text: str, characters: list[Character]):
        self.text = text
        self.characters = characters
        self.gender = {c.name: c.gender for c in characters}
        alias_map = {}
        for c in characters:
            for alias in (c.name, *c.aliases):
                alias_map.setdefault(alias, c.name)
        self.alias_map = alias_map
        self.name_re = self._name_pattern(alias_map)
        if self.name_re is not None:
            self._mention_re = re.compile(rf"{self.name_re.pattern}|\b(?P<pronoun>[Hh]e|[Ss]he)\b")
        self.last_seen: dict[str, int] = {}
        self.history: list[tuple[int, str | None]] = []  # (paragraph, speaker) of each quote
        # The first TAG_RULES rules read explicit tags, which outrank a vocative in the quote.
        self.rules = [self.heard, self.tag_after, self.tag_before, self.continued, self.same_paragraph,
                      self.action_beat, self.alternation, self.addressee_partner]
        self.thought_rules = [self.tag_after, self.tag_before, self.action_beat]

    @staticmethod
    def _name_pattern(alias_map: dict[str, str]) -> re.Pattern | None:
        if not alias_map:
            return None
        names = "|".join(re.escape(a) for a in sorted(alias_map, key=len, reverse=True))
        return re.compile(rf"\b(?P<name>{names})(?:-(?:{'|'.join(HONORIFICS)}))?\b")

    def writer(self, signature: str) -> str | None:
        """Who signed ``Love, Ada Byrne``: the character named last in the signature."""
        for m in reversed(list(re.finditer(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*", signature))):
            for name in (m.group(), m.group().split()[0]):
                if found := self.canonical(name):
                    return found
        return None

    def canonical(self, name: str) -> str | None:
        return self.alias_map.get(name) or self.alias_map.get(base_name(name))

    # -- bookkeeping -------------------------------------------------------------------------
    def see(self, start: int, end: int) -> None:
        """Record the characters narration text[start:end] names, or refers to as he or she,
        as recently seen: a pronoun refreshes the latest character of its gender."""
        if self.name_re is None:
            return
        for m in self._mention_re.finditer(self.text, start, end):
            if m.group("name"):
                self.last_seen[self.alias_map[m.group("name")]] = m.start()
            elif who := self.resolve_pronoun(m.group("pronoun"), m.start()):
                self.last_seen[who] = m.start()

    def resolve_pronoun(self, pronoun: str, before: int) -> str | None:
        gender = "male" if pronoun.lower() in _HE else "female"
        seen = [(pos, name) for name, pos in self.last_seen.items()
                if self.gender.get(name) == gender and pos < before]
        return max(seen)[1] if seen else None

    def point_of_view(self, spans: list[tuple[int, int]]) -> str | None:
        """The character a stretch of narration follows: the one most often its subject."""
        if self.name_re is None:
            return None
        subjects: Counter[str] = Counter()
        for a, b in spans:
            for m in self.name_re.finditer(self.text, a, b):
                before = self.text[max(a, m.start() - 3):m.start()]
                weight = 2 if m.start() == a or re.search(r"[.!?]\s+$", before) else 1
                subjects[self.alias_map[m.group("name")]] += weight
        return subjects.most_common(1)[0][0] if subjects else None

    # -- the sieve ---------------------------------------------------------------------------
    def addressed(self, u: Utterance) -> set[str]:
        """Characters the quote speaks to: ``"Look Sasuke, …"``, ``"…, Ada."``, ``"Tom!"``."""
        if self.name_re is None:
            return set()
        inner = self.text[u.start:u.end].strip("\"“”'‘’ ")
        name = self.name_re.pattern
        found = set()
        for pattern in (rf"^\W*{name}\s*[,!?.…—–]", rf",\s*{name}\W*$",
                        rf"\b(?i:look|thanks|thank you|hey|hi|hello|oh|listen|please|sorry|bye|"
                        rf"goodbye|yes|no|well|dear|come on|good morning|good night)\b,?\s+{name}"
                        rf"(?![ \t]*[a-z])", rf",\s*{name}\s*,"):
            found.update(self.canonical(m.group("name")) for m in re.finditer(pattern, inner))
        return found - {None}

    def attribute(self, u: Utterance, pov: str | None = None) -> str | None:
        """The first rule's answer; below the explicit tags, never someone the quote addresses.

        A thought takes only a tag or a beat (``she thought``, ``He shifted``), else it is the
        point-of-view character's (``pov``); it is no turn in the conversation.
        """
        if u.thought:
            return next((s for rule in self.thought_rules if (s := rule(u))), None) or pov
        addressed = self.addressed(u)
        speaker = None
        for rank, rule in enumerate(self.rules):
            speaker = rule(u)
            if speaker and (rank < self.TAG_RULES or speaker not in addressed):
                break
            speaker = None
        self.history.append((u.paragraph, speaker))
        if speaker:
            self.last_seen[speaker] = u.start
        return speaker

    def _subject(self, phrase: str, pos: int) -> str | None:
        """A name, or a pronoun resolved by gender and recency, standing as a subject."""
        if phrase.lower() in ("he", "she"):
            return self.resolve_pronoun(phrase, pos)
        return self.canonical(phrase)

    def heard(self, u: Utterance) -> str | None:
        """``"…" he heard Sakura scream``: the tag names the listener; the speaker is heard."""
        if self.name_re is None:
            return None
        m = re.match(rf"^[\s,.;:!?—–-]*(?:\w+\s+){{1,2}}?(?:heard|hears|could hear)\s+"
                     rf"(?:{self.name_re.pattern})\b", u.after)
        return self.canonical(m.group("name")) if m else None

    def tag_after(self, u: Utterance) -> str | None:
        """``"…" Naruto asked`` / ``"…" asked Naruto`` / ``"…" he said``."""
        if self.name_re is None:
            return None
        subject = rf"(?P<subj>{self.name_re.pattern}|[Hh]e|[Ss]he)"
        for pattern in (rf"^[\s,.;:!?—–-]*{subject}\s+{_ADVERB}?{_VERB}\b",
                        rf"^[\s,]*{_VERB}\s+{subject}\b"):
            if m := re.search(pattern, u.after):
                return self._subject(m.group("name") or m.group("subj"), u.start)
        return None

    def tag_before(self, u: Utterance) -> str | None:
        """``Sasuke replied, "…"`` / ``, she said, "…"`` (the second half of a split quote)."""
        if self.name_re is None:
            return None
        subject = rf"(?P<subj>{self.name_re.pattern}|[Hh]e|[Ss]he)"
        m = re.search(rf"{subject}{_BETWEEN}{{0,2}}?\s+{_VERB}(?:\s+[a-z]+ly)?[\s,:]*$",
                      u.before)
        if m:
            return self._subject(m.group("name") or m.group("subj"), u.start)
        return None

    def continued(self, u: Utterance) -> str | None:
        """A speech carried over from the previous paragraph keeps its speaker."""
        if u.continued and self.history:
            return self.history[-1][1]
        return None

    def same_paragraph(self, u: Utterance) -> str | None:
        """A paragraph's quotes belong to one speaker: the first one attributed."""
        if not u.first_in_paragraph and self.history and self.history[-1][0] == u.paragraph:
            return self.history[-1][1]
        return None

    def action_beat(self, u: Utterance) -> str | None:
        """``"Yea?" Naruto turned around`` / ``"…" she placed it``: the subject of the next action.

        Verbs of perception are left out: ``"…" Sasuke noticed a strain`` is about the listener.
        """
        if self.name_re is None:
            return None
        subject = rf"(?P<subj>{self.name_re.pattern}|[Hh]e|[Ss]he)"
        m = re.match(rf"^[\s,.;:!?—–-]*{subject}\s+{_ADVERB}?(?P<verb>[a-z]+)", u.after)
        if m and m.group("verb") not in PERCEPTION_VERBS:
            return self._subject(m.group("name") or m.group("subj"), u.start)
        m = re.search(rf"(?:^|[.!?]\s+)(?:{self.name_re.pattern})\s+[a-z]+[^.!?\"“”]*[.!?]?\s*$",
                      u.before)
        if m and u.first_in_paragraph:
            return self.canonical(m.group("name"))
        return None

    def alternation(self, u: Utterance) -> str | None:
        """Untagged lines in a conversation take turns: the reply comes from the other one
        present (seen or heard most recently besides the last speaker), unless the line
        speaks to that one; then the last speaker goes on."""
        if not self.history:
            return None
        paragraph, last = self.history[-1]
        if last is None or u.paragraph - paragraph > self.CONVERSATION_GAP:
            return None
        addressed = self.addressed(u)
        other = self.latest_other(last, u.start)
        if other and other not in addressed:
            return other
        return last if last not in addressed else None

    def addressee_partner(self, u: Utterance) -> str | None:
        """Outside a conversation, ``"Clara."`` is said to Clara by the other one present."""
        addressed = self.addressed(u)
        if len(addressed) == 1:
            return self.latest_other(next(iter(addressed)), u.start)
        return None

    def latest_other(self, name: str, before: int) -> str | None:
        """The character other than ``name`` seen most recently before ``before``."""
        seen = [(pos, other) for other, pos in self.last_seen.items()
                if other != name and pos < before]
        return max(seen)[1] if seen else None
