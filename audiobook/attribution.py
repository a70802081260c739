"""Who says each line: a sieve of speaker rules over a story's quotes, in order.

The sieve applies the most reliable evidence first (a tag naming the speaker or the one heard),
then weaker evidence (a pronoun tag, a speech carried over paragraphs, the paragraph's other
quotes, an action beat), and last the shape of the conversation (turns alternate; a name
addressed is not the speaker). Each rule is a small method from an Utterance and what the
sieve has seen so far to a speaker or None.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import (ADVERB, BETWEEN, FEMALE_NOUNS, FIRST_PERSON, HE, HONORIFICS, MALE_NOUNS,
                      PERCEPTION_VERBS, RANK_TITLES, SPEAKING, SPEECH_VERBS, THOUGHT_VERBS,
                      TITLES, VERB, base_name, trie)
from .models import Character


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
    scene: tuple[int, int] = (1, 1)  # (chapter, scene): a conversation does not cross them
    lead: str = ""  # the paragraph before, if it is only narration (for the first quote)


NOBODY = ""  # a rule's answer for a speaker the story does not name

# How each rule is shown to a person checking the book, and how far it can be trusted: an
# explicit tag is high, reading around the line (a beat, the same paragraph) medium, and
# counting turns or taking the nearest name low.
EXPLAINED = {
    "cast_file": ("cast file", "high"), "heard": ("tag", "high"),
    "tag_after": ("tag", "high"), "tag_before": ("tag", "high"),
    "described": ("tag", "high"), "introduced": ("names themself", "high"),
    "continued": ("the same speech goes on", "high"),
    "same_paragraph": ("same paragraph", "high"), "action_beat": ("action beside it", "medium"),
    "unanswered": ("turn-taking", "low"), "lead_in": ("lead-in", "low"),
    "alternation": ("turn-taking", "low"), "addressee_partner": ("the one spoken to answers",
                                                                 "low"),
    "nearest": ("nearest name", "low"), "settled": ("turn-taking", "low"),
    "point_of_view": ("point of view", "medium"),
}
_TAG_WORDS_RE = re.compile(r"[^.,;:!?—–\n\"“”]*\w[^.,;:!?—–\n\"“”]*")
def _tag_words(words: list[str], speaker: str) -> str:
    """The tag's words up to its verb and its speaker ('Tom said', 'asked the keeper'), not
    the rest of the sentence they open."""
    names = {w.lower() for w in speaker.split()}
    verb = next((i for i, w in enumerate(words) if w.lower() in _VERBS), None)
    name = next((i for i, w in enumerate(words) if w.lower().strip("'’s") in names), None)
    ends = [i for i in (verb, name) if i is not None and i < 6]
    return " ".join(words[:max(ends) + 1] if ends else words[:4])


_VERBS = frozenset(SPEECH_VERBS) | THOUGHT_VERBS
# ', Joe,' after 'his boy' names the boy, it does not speak to Joe.
_APPOSITION_RE = re.compile(r"\b(?i:his|her|my|our|their|your|the|a|an)\s+[a-z]+\s*$")

@dataclass(frozen=True)
class Decision:
    """What the sieve made of a line: its speaker, the rule that said so, whether that rule
    read a pronoun tag (he/she, resolved by recency alone), and whom the line addresses."""

    utterance: Utterance
    speaker: str | None
    rule: str | None
    pronoun: str | bool
    addressed: frozenset[str]
# Verbs of seeing, knowing and feeling: their subject is the one whose view the story takes.
_EXPERIENCER_RE = re.compile(r"\s+(?:[a-z]+ly\s+)?(?:watched|saw|noticed|knew|realized|"
                             r"realised|felt|thought|wondered|remembered|heard|wished|hoped|"
                             r"feared|suspected|understood|sensed)\b")
# A described speaker: 'the old man', 'a voice' (an article, up to two more words). 'His
# mother' is left to the other rules: a relative is mostly a character of the story.
_DESCRIBED = (r"(?:the|a|an|one\s+of\s+the)\s+(?:[a-z-]+\s+){0,2}[a-z]+(?:-[a-z]+)*"
              r"(?<!\bwith)(?<!\bof)(?<!\bin)(?<!\bat)(?<!\bwho)(?<!\band)(?<!\bthe)(?<!ly)"
              r"(?=\s*[,.;:!?—–-]|\s*$|\s+(?:with|of|in|at|who|whose|and|as|from|[a-z]+ly)\b)"
              r"|(?:the|a|an)\s+[a-z]+(?:-[a-z]+)*")
# Words before a name that make it the speaker's own: 'I am Ada', 'this is me, Brenda'.
_SELF_RE = re.compile(r"\b(?:I\s+am|I['’]m|my\s+name\s+is|call\s+me|(?:it|this)\s+is\s+me,?|"
                      r"it['’]s\s+me,?|(?:it|this)\s+is\s+I,?)\s*[_*]*\s*$", re.I)
# An epithet before a name in a tag: 'the persevering Edmund', 'old Horace Talbot', 'the
# still waiting Harriet', 'skeptical Anne'; its words are no preposition, determiner,
# conjunction or auxiliary ('said to Anne' is not Anne's line; nor is '"…" was what Anne
# heard him say'), in lower case even where a rule ignores case ('When Mr.
# Weston joined' is no epithet).
_EPITHET_WORD = (r"(?!(?:to|at|of|in|on|for|with|by|from|into|upon|about|after|before|and|or|"
                 r"but|nor|as|than|that|this|his|her|their|my|your|our|its|a|an|the|was|were|"
                 r"is|are|be|been|had|has|have|did|do|does|would|could|should|will|shall|may|"
                 r"might|must|can|what|which|who|whom|whose|when|where|while|whereupon|why|how|"
                 r"if|then|there|here|now|so|yet|not|never|only|just|even|also|too|till|until|since|"
                 r"though|although|because|once)\b)"
                 r"[a-z][a-z-]*\s+")
_EPITHET = rf"(?-i:[Tt]he\s+(?:{_EPITHET_WORD}){{1,3}}|(?:{_EPITHET_WORD}){{1,2}})?"
# The verb of a tag that stands before its subject, right after the line: a speech verb, or
# any past tense, since only a tag inverts so ('"…," corroborated Flora', 'nodded the doctor').
_INVERTED = rf"(?:{VERB}|[a-z]{{2,}}ed)"
# The speech verbs that follow a speaker's name as nouns do: 'Miss Bates's saying'.
_GERUND = (r"(?:saying|asking|replying|answering|exclaiming|crying|observing|remarking|adding|"
           r"calling|whispering|inquiring|enquiring|beginning|continuing|interrupting)")
# Where a sentence ends: not after 'Mrs.' or 'Dr.'.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)"
                             r"(?<!\bMx\.)(?<!\bM\.)\s+")
# The verb of a tag left open for the line: a past tense ('and said,', 'exclaimed:'), not a
# noun ('the handle of the door,', 'in a low tone,'); a plain form after a modal or 'to'
# ('could only reply:', 'roused himself to say:'), but not 'was about to speak,' (which says
# no words); 'saying' after a comma or as the object of 'by', 'of'... ('broke the silence by
# saying:'), not a voice's; nothing heard from another ('heard him say').
_OPENED = (rf"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bhis\s)(?<!\bher\s)(?<!\bto\s)"
           rf"(?<!\btheir\s)(?<!\bmy\s)(?<!\bthis\s)(?<!\bhim\s)(?<!\bthem\s)"
           rf"\b(?=[a-z]+ed\b|said\b|says?\b|cried\b|began\b|told\b|spoke\b|sang\b|went\b|"
           rf"broke\b|put\b|cut\b|struck\b|burst\b){VERB}"
           rf"|\b(?:to|could|would|might|must|did|will|shall)\s+(?:only\s+|then\s+)?"
           rf"(?!speak|talk){VERB}"
           rf"|(?:,\s*|\b(?:by|of|and|in|after|before|without|then)\s+){ADVERB}?saying")
# Narration that ends open onto the line (',', ':', a dash): the last speech verb (any form)
# of its last clause opens the line: 'John began with--', 'Poirot damped my ardour by
# remarking:', 'Pooh sang this song:', 'Ada, speaking louder, said, in a low, clear tone,'.
# Not a noun ('the answer'), a passive ('was greeted with,'), one heard ('heard her saying'),
# nor a silence ('said nothing,', 'about to speak,').
OPENS_ONTO = re.compile(r"(?:[:,—–]|--|-)\s*$")
_CLAUSE_BREAK = re.compile(r"[.!?;]\s|--|[—–]")
_PASSIVE = re.compile(rf"\b(?:was|were|been|being|is|are|be)\s+{ADVERB}?$")


@functools.cache
def _open_verb() -> re.Pattern:
    """The pattern of such a verb, compiled on first use (not at every start-up)."""
    return re.compile(
        r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bhis\s)(?<!\bher\s)(?<!\btheir\s)"
        r"(?<!\bmy\s)(?<!\bthis\s)(?<!\bhim\s)(?<!\bthem\s)"
        rf"\b(?!(?:speak|talk)\b)(?:{VERB}|{trie(SPEAKING)})\b(?!\s+nothing)")


# The words that open a clause, so that a name after them may be its subject.
_CLAUSE_OPENER = (r"\b(?:and|but|when|while|till|until|as|then|so|whereupon|before|after|"
                  r"because|if|though|although|once|where|that|now)\s+$")
# An aside between a speaker and the verb: 'Julia, appearing at the door, exclaimed'.
_ASIDE = r"(?:,[^,;.!?\"“”]{1,80},)"
# What a speaker's line is called: 'was Sir Walter's cold reply', 'Mary's declaration was'.
_SPEECH_NOUN = (r"(?:[a-z]+\s+){0,3}?(?:reply|answer|remark|rejoinder|inquiry|enquiry|question|"
                r"response|retort|comment|observation|exclamation|cry|language|declaration|"
                r"words|reproach|reasoning|supplement|addition|greeting|advice|answer)\b")
# What of the speaker's own can carry a line: '"…" Bram's voice cracked.'
_OWN_VOICE = r"(?:voice|tone|words|reply|answer|lips|mouth|whisper|laugh)\b"


# An answer without words: 'said nothing', 'made no reply', 'Silence.'.
_WORDLESS = re.compile(
    r"\b(?:said|answered|replied|returned) nothing\b|\bmade no (?:answer|reply|response|"
    r"rejoinder)\b|\bfound no (?:answer|reply|words)\b|\b(?:did|could) not (?:answer|reply)\b"
    r"|\b(?:was|were|remained|kept) silent\b|\bno (?:answer|reply|response)\b|^silence\b", re.I)
# Verbs that tell a state, not an act ('She was silent.', 'He had never liked her.').
_STATES = frozenset("was were is are had has did could would should might must seemed "
                    "thought knew".split())
# A title as 'the doctor' says it.
_SPELLED_OUT = {"dr": "doctor", "prof": "professor", "rev": "reverend"}
# What ends a sentence, looking back from a mention (a bare newline is only a hard wrap).
_SENTENCE_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n\n")


class Attributor:
    """Runs the sieve over a story's utterances in order, remembering who was said and seen."""

    TAG_RULES = 4
    # Rules that guess from the conversation, not from the line's own narration: their
    # answer is never someone the line names.
    GUESSES = frozenset(("unanswered", "lead_in", "alternation", "addressee_partner", "nearest"))
    CONVERSATION_GAP = 4  # paragraphs of narration a conversation's turns may stand apart

    def __init__(self, text: str, characters: list[Character],
                 given: dict[tuple[int, int], str] | None = None):
        self.text = text
        self.given = given or {}  # lines whose speaker the cast file sets, by (start, end)
        self.characters = characters
        self.gender = {c.name: c.gender for c in characters}
        alias_map = {}
        for c in characters:
            for alias in (c.name, *c.aliases):
                alias_map.setdefault(alias, c.name)
        self.alias_map = alias_map
        self.namesakes = self._namesakes(text, alias_map)
        self.titled: dict[str, set[str]] = {}  # 'count' -> who is called Count Something
        for alias, name in alias_map.items():
            words = alias.split()
            if len(words) > 1 and words[0][:1].isupper():
                title = words[0].rstrip(".").lower()
                self.titled.setdefault(_SPELLED_OUT.get(title, title), set()).add(name)
        self.name_re = self._name_pattern(alias_map)
        if self.name_re is not None:
            # I as a subject ('I said', 'I'd'), not a numeral ('CHAPTER I.', 'Part I').
            self._mention_re = re.compile(rf"{self.name_re.pattern}|\b(?P<pronoun>[Hh]e|[Ss]he)\b"
                                          r"|\b(?P<i>I)\b(?=['’]|\s+[a-z])")
        # Who can stand as the subject of a tag: a character, he or she, or the narrator's I.
        # Not a possessive: in '"…" said Harry's mother' the speaker is not Harry.
        # An epithet before the name is not the name: 'said the persevering Edmund', 'old
        # Horace Talbot'.
        names = f"{_EPITHET}{self.name_re.pattern}|" if self.name_re else ""
        self.subject = rf"\b(?P<subj>{names}[Hh]e|[Ss]he|I)\b(?!['’]s\b)"
        # Whose words a possessive names: 'was Sir Walter's reply'.
        self.owner = rf"\b(?P<subj>{self.name_re.pattern if self.name_re else '(?!)'})"
        self.last_seen: dict[str, int] = {}  # last mention: by name, pronoun, speech
        self.last_named: dict[str, int] = {}  # the same, but pronouns do not count
        self.present: dict[tuple[int, int], set[str]] = {}  # who spoke or was spoken to, by scene
        self.last_subject: dict[str, int] = {}  # last named as a sentence's subject
        self.subject_at: dict[str, int] = {}  # the same, or meant by its he or she
        self.last_narrated: dict[str, int] = {}  # last named in the narration
        self.last_turn = -1  # where the last line was
        self.decisions: list[Decision] = []  # every line the sieve decided, in order
        self.reasons: dict[tuple[int, int], str | None] = {}  # by line: the rule that decided
        self.reasons_pronoun: dict[tuple[int, int], bool] = {}  # and if it read a he or she
        self.described_people: dict[str, str] = {}  # 'the keeper': speakers known so, by sex
        self.pronoun: str | bool = False  # the pronoun of the tag the last rule read, if any
        self.current: Utterance | None = None  # the line the sieve is deciding
        self._addressed: dict[tuple[int, int], frozenset[str]] = {}  # by line, once read
        self._mentioned: dict[tuple[int, int], frozenset[str]] = {}
        self._known_as: dict[str, str] | None = None  # 'doctor' -> Mr. Losberne
        # (paragraph, speaker, scene) of each quote so far
        self.history: list[tuple[int, str | None, tuple[int, int]]] = []
        # The first TAG_RULES rules read explicit tags, which outrank a vocative in the quote.
        self.rules = [self.cast_file, self.heard, self.tag_after, self.tag_before, self.described,
                      self.introduced, self.continued, self.same_paragraph,
                      self.action_beat, self.unanswered, self.lead_in, self.alternation,
                      self.addressee_partner, self.nearest]
        self.thought_rules = [self.cast_file, self.tag_after, self.tag_before, self.action_beat]

    @staticmethod
    def _namesakes(text: str, alias_map: dict[str, str]) -> dict[str, set[str]]:
        """The first names that two people's full names share (Charles Hayter, Charles
        Musgrove), each with those it may mean alone: the ones known by first name and
        surname, not by the surname alone (John Beaver, called Beaver, is not 'John')."""
        bearers: dict[str, set[str]] = {}
        for alias, name in alias_map.items():
            words = alias.split()
            if len(words) == 2 and words[0] not in TITLES and words[0] in alias_map and (
                    name.split()[0] == words[0]):
                bearers.setdefault(words[0], set()).add(name)
        out = {}
        for first, names in bearers.items():
            if len(names) > 1:
                known = {who for who in names if text.count(who) >= sum(
                    1 for m in re.finditer(rf"(?:\b([A-Z][\w.]*)\s+)?\b{re.escape(who.split()[-1])}"
                                           r"\b", text) if not m.group(1))}
                if len(known) > 1:
                    out[first] = known
        return out

    @staticmethod
    def _name_pattern(alias_map: dict[str, str]) -> re.Pattern | None:
        if not alias_map:
            return None
        # Any space of a name may be a line break ('said Mr.\nBrownlow'); 'the Dodger' may
        # open a sentence.
        names = "|".join(("[Tt]" + a[1:] if a.startswith("the\\s+") else a)
                         for a in (re.escape(a).replace(r"\ ", r"\s+")
                                   for a in sorted(alias_map, key=len, reverse=True)))
        return re.compile(rf"\b(?P<name>{names})(?:-(?:{'|'.join(HONORIFICS)}))?\b")

    def writer(self, signature: str) -> str | None:
        """Who signed ``Love, Ada Byrne``: the character named last in the signature."""
        for m in reversed(list(re.finditer(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*", signature))):
            for name in (m.group(), m.group().split()[0]):
                if found := self.canonical(name):
                    return found
        return None

    def canonical(self, name: str) -> str | None:
        name = " ".join(name.split())
        if name.startswith("The "):
            name = "the" + name[3:]
        if name in self.namesakes:  # the one in the scene, else the one named last
            here = self.present.get(self.current.scene, ()) if self.current else ()
            return max(self.namesakes[name], key=lambda who: (
                who in here, self.last_named.get(who, -1), who == self.alias_map[name]))
        return self.alias_map.get(name) or self.alias_map.get(base_name(name))

    # -- bookkeeping -------------------------------------------------------------------------
    def see(self, start: int, end: int) -> None:
        """Record the characters narration text[start:end] names, or refers to as he or she,
        as recently seen: a pronoun refreshes the latest character of its gender."""
        if self.name_re is None:
            return
        for m in self._mention_re.finditer(self.text, start, end):
            if m.group("i"):
                self.last_seen[FIRST_PERSON] = m.start()
            elif m.group("name"):
                name = self.canonical(m.group("name"))
                self.last_seen[name] = self.last_named[name] = m.start()
                self.last_narrated[name] = m.start()
                if self._opens(m.start(), start):
                    self.last_subject[name] = self.subject_at[name] = m.start()
            elif who := self.resolve_pronoun(m.group("pronoun"), m.start()):
                self.last_seen[who] = m.start()
                if self._opens(m.start(), start):
                    self.subject_at[who] = m.start()  # 'She had expected…': still her

    def _opens(self, at: int, start: int) -> bool:
        """Whether the mention at ``at`` opens a sentence of the narration begun at ``start``
        ('Jock stopped…', 'But Jock stopped…', 'Then, Jock…')."""
        return at == start or bool(re.search(
            r"(?:[.!?][\"”’']?\s+|^)(?:(?:But|And|Then|So|Now|Yet|Still),?\s+)?$",
            self.text[max(start, at - 12):at]))

    def resolve_pronoun(self, pronoun: str, before: int, among: dict[str, int] | None = None
                        ) -> str | None:
        """The latest character of the pronoun's gender seen (of ``among``) before ``before``."""
        gender = "male" if pronoun.lower() in HE else "female"
        seen = [(pos, name) for name, pos in (self.last_seen if among is None else among).items()
                if self.gender.get(name) == gender and pos < before]
        return max(seen)[1] if seen else None

    def point_of_view(self, spans: list[tuple[int, int]]) -> str | None:
        """The character a stretch of narration follows: the one most often its subject, and
        above all the one who watches, knows and feels (``Hannah watched``, ``Hannah knew``)."""
        if self.name_re is None:
            return None
        subjects: Counter[str] = Counter()
        for a, b in spans:
            for m in self.name_re.finditer(self.text, a, b):
                before = self.text[max(a, m.start() - 3):m.start()]
                weight = 2 if m.start() == a or re.search(r"[.!?]\s+$", before) else 1
                if _EXPERIENCER_RE.match(self.text, m.end(), b):
                    weight += 4
                subjects[self.canonical(m.group("name"))] += weight
        return subjects.most_common(1)[0][0] if subjects else None

    # -- the sieve ---------------------------------------------------------------------------
    def addressed(self, u: Utterance) -> frozenset[str]:
        """Characters the quote speaks to: ``"Look Sasuke, …"``, ``"…, Ada."``, ``"Tom!"``.
        Several rules ask of one line; it is read once."""
        if self.name_re is None:
            return frozenset()
        if (u.start, u.end) not in self._addressed:
            self._addressed[(u.start, u.end)] = frozenset(self._find_addressed(u))
        return self._addressed[(u.start, u.end)]

    def _find_addressed(self, u: Utterance) -> set[str]:
        inner = self.text[u.start:u.end].strip("\"“”'‘’ ")
        name = self.name_re.pattern
        found = set()
        for pattern in (rf"^\W*{name}\s*[,!?.…—–]", rf",\s*{name}\W*$",
                        rf"\b(?i:look|thanks|thank you|hey|hi|hello|oh|listen|please|sorry|bye|"
                        rf"goodbye|yes|no|well|dear|come on|good morning|good night)\b,?\s+{name}"
                        rf"(?![ \t]*[a-z])", rf",\s*{name}\s*,"):
            found.update(self.canonical(m.group("name")) for m in re.finditer(pattern, inner)
                         if not _APPOSITION_RE.search(inner, 0, m.start()))
        return found - {None}

    def mentioned(self, u: Utterance) -> frozenset[str]:
        """Characters the quote speaks *of*: nobody calls themselves by name (``"Then we'll go
        to Brenda's"`` is not Brenda's line), except to say who they are (``"I'm Ada."``)."""
        if self.name_re is None:
            return frozenset()
        key = (u.start, u.end)
        if key not in self._mentioned:
            inner = self.text[u.start:u.end]
            self._mentioned[key] = frozenset(
                self.canonical(m.group("name")) for m in self.name_re.finditer(inner)
                if not _SELF_RE.search(inner, 0, m.start())) - self.addressed(u) - {None}
        return self._mentioned[key]

    def introduced(self, u: Utterance) -> str | None:
        """``"It's me, Brenda."`` / ``"My name is Ada Byrne"``: the speaker says who they are."""
        if self.name_re is None:
            return None
        inner = self.text[u.start:u.end]
        for m in self.name_re.finditer(inner):
            if _SELF_RE.search(inner, 0, m.start()) and not inner.startswith(("'", "’", "s "),
                                                                             m.end()):
                return self.canonical(m.group("name"))
        return None

    def explain(self, u: Utterance, speaker: str | None) -> tuple[str, str]:
        """Why ``u`` went to ``speaker``, as shown to a person (``tag: said Sakura``), and how
        sure that is: high, medium or low."""
        rule = self.reasons.get((u.start, u.end))
        if speaker is None:
            return "no rule found", "low"
        if rule is None or rule not in EXPLAINED:
            return "settled", "low"
        label, confidence = EXPLAINED[rule]
        if rule in ("tag_after", "heard", "described", "tag_before"):
            side = u.before[::-1] if rule == "tag_before" else u.after
            m = _TAG_WORDS_RE.search(side)
            words = (m.group()[::-1] if rule == "tag_before" else m.group()).split() if m else []
            label = f"tag: {_tag_words(words, speaker)}" if words else label
            if self.reasons_pronoun.get((u.start, u.end)):
                confidence = "medium"  # a he or she, resolved by who was last in view
        return label, confidence

    def attribute(self, u: Utterance, pov: str | None = None) -> str | None:
        """The first rule's answer; below the explicit tags, never someone the quote addresses.

        A thought takes only a tag or a beat (``she thought``, ``He shifted``), else it is the
        point-of-view character's (``pov``); it is no turn in the conversation.
        """
        if u.thought:
            self.pronoun = False
            for rule in self.thought_rules:
                if speaker := rule(u):
                    self._reason(u, rule.__name__)
                    return speaker
            self._reason(u, "point_of_view")
            return pov
        addressed = self.addressed(u)
        others = addressed | self.mentioned(u)
        speaker, by = None, None
        self.pronoun, self.current = False, u
        for rank, rule in enumerate(self.rules):
            speaker = rule(u)
            if speaker == NOBODY:  # a tag names someone who is no character: leave it unknown
                speaker, by = None, rule.__name__
                break
            if speaker and (rank < self.TAG_RULES or speaker not in (
                    others if rule.__name__ in self.GUESSES else addressed)):
                by = rule.__name__
                break
            speaker = None
        self.decisions.append(Decision(u, speaker, by, self.pronoun, addressed))
        self._reason(u, by)
        self.history.append((u.paragraph, speaker, u.scene))
        if speaker:
            self.last_seen[speaker] = self.last_named[speaker] = u.start
        for name in addressed - {speaker}:  # whoever is spoken to is here, likely to answer
            self.last_seen[name] = self.last_named[name] = u.end
        self.present.setdefault(u.scene, set()).update(addressed | ({speaker} - {None}))
        self.last_turn = u.start
        return speaker

    def _reason(self, u: Utterance, rule: str | None) -> None:
        self.reasons[(u.start, u.end)] = rule
        self.reasons_pronoun[(u.start, u.end)] = bool(self.pronoun)

    def narrator_name(self, lines: list[tuple[Utterance, str | None]]) -> str | None:
        """Who "I" is, in a story told in the first person: the name the others call most
        (``"Come, Hastings"``), above all in the lines beside the narrator's own, and that no
        tag ever gives a line to (the narrator's tags say I). None unless one name leads."""
        if sum(1 for _, s in lines if s == FIRST_PERSON) < 3:
            return None
        votes: Counter[str] = Counter()
        for i, (u, speaker) in enumerate(lines):
            votes.update(self.addressed(u) - {speaker})
            if speaker != FIRST_PERSON:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(lines) and lines[j][1] not in (FIRST_PERSON, None) and (
                        lines[j][0].scene == u.scene
                        and abs(lines[j][0].paragraph - u.paragraph) <= self.CONVERSATION_GAP):
                    for name in self.addressed(lines[j][0]) - {lines[j][1]}:
                        votes[name] += 2  # said to the narrator, as they answer
        tagged = Counter(d.speaker for d in self.decisions
                         if d.rule in ("tag_after", "tag_before") and not d.pronoun)
        ranked = [(name, n) for name, n in votes.most_common() if tagged[name] * 5 <= n][:2]
        if not ranked or ranked[0][1] < 3 or (len(ranked) > 1
                                              and 2 * ranked[0][1] < 3 * ranked[1][1]):
            return None
        return ranked[0][0]

    def _subject(self, m: re.Match, pos: int, besides: set[str] = frozenset()) -> str | None:
        """The speaker a tag's subject names: a character, a pronoun resolved by gender and
        recency (never one of ``besides``), or, for I, the story's first-person narrator."""
        phrase = m.groupdict().get("name") or m.group("subj")
        if phrase == "I":
            return FIRST_PERSON
        if phrase.lower() in ("he", "she"):
            self.pronoun = phrase.lower()
            # Not the one the line speaks to: '"No, Maurice," he said' is not Maurice.
            spoken_to = (self.addressed(self.current) if self.current else set()) | besides
            return (self._just_narrated(phrase, spoken_to) or self._participant(phrase, spoken_to)
                    or self._salient(phrase, pos, spoken_to))
        return self.canonical(phrase)

    def _just_narrated(self, pronoun: str, besides) -> str | None:
        """The one of the pronoun's gender its paragraph has just made a sentence's subject,
        before the line the tag follows: 'Nanny sniffed. "…," she said.'"""
        u = self.current
        if u is None or not u.before:
            return None
        opened = u.start - len(u.before)
        return self.resolve_pronoun(pronoun, u.start, {
            who: at for who, at in self.last_subject.items()
            if opened <= at < u.start and who not in besides})

    def _salient(self, pronoun: str, pos: int, besides) -> str | None:
        """Whom a he or she means: the one of its gender seen last, but the subject of that
        sentence over one it only mentions ('Jock stopped to talk to Beaver. "Well," he
        said': Jock; 'She had expected Mrs. Rachel.' with she Marilla: Marilla)."""
        latest = self.resolve_pronoun(pronoun, pos, {
            name: at for name, at in self.last_seen.items() if name not in besides})
        if latest is None:
            return None
        at = self.last_seen[latest]
        sentence = max(self.text.rfind(stop, 0, at) for stop in _SENTENCE_ENDS) + 1
        return self.resolve_pronoun(pronoun, at, {
            name: where for name, where in self.subject_at.items()
            if sentence <= where < at and name not in besides}) or latest

    def _participant(self, pronoun: str, spoken_to: frozenset[str] | set[str]) -> str | None:
        """The only one of the pronoun's gender in the conversation going on (who spoke or
        was spoken to in its last lines); not when the narration has named someone of that
        gender since the last line."""
        gender = "male" if pronoun.lower() in HE else "female"
        u = self.current
        if u is None or any(pos > self.last_turn and self.gender.get(name) == gender
                            for name, pos in self.last_narrated.items()):
            return None
        people: list[str] = []
        at = u
        for d in reversed(self.decisions[-4:]):
            if d.utterance.scene != u.scene or (
                    at.paragraph - d.utterance.paragraph > self.CONVERSATION_GAP):
                break
            people += [p for p in (d.speaker, *d.addressed)
                       if p and self.gender.get(p) == gender and p not in spoken_to]
            at = d.utterance
        return people[0] if len(set(people)) == 1 else None

    def cast_file(self, u: Utterance) -> str | None:
        """A line the cast file gives a speaker (its ``lines:``): theirs, whatever the text
        says, and a firm turn the conversation around it is counted from."""
        return self.given.get((u.start, u.end))

    def heard(self, u: Utterance) -> str | None:
        """``"…" he heard Sakura scream``: the tag names the listener; the speaker is heard."""
        if self.name_re is None:
            return None
        m = re.match(rf"^[\s,.;:!?—–-]*(?:\w+\s+){{1,2}}?(?:heard|hears|could hear)\s+"
                     rf"(?:{self.name_re.pattern})\b", u.after)
        return self.canonical(m.group("name")) if m else None

    def tag_after(self, u: Utterance) -> str | None:
        """``"…" Naruto asked`` / ``"…" asked Naruto`` / ``"…" he said``."""
        subject, owner = self.subject, self.owner
        for pattern in (rf"^[\s,.;:!?—–-]*{subject}{_ASIDE}?\s+{ADVERB}?{VERB}\b",
                        rf"^[\s,—–-]*{ADVERB}?{_INVERTED}\s+{subject}\b",
                        rf"^[\s,.;:!?—–-]*(?:was|came|were)\s+(?:(?:all|only)\s+)?{owner}"
                        rf"(?:['’]s|\ss)\s",
                        rf"^[\s,.;:!?—–-]*(?:burst|came|broke)\s+from\s+{subject}\b"):
            if m := re.search(pattern, u.after):
                return self._subject(m, u.start)
        return None

    def tag_before(self, u: Utterance) -> str | None:
        """``Sasuke replied, "…"`` / ``, she said, "…"`` (the second half of a split quote)."""
        last = self.decisions[-1] if self.decisions else None
        if (last and not u.first_in_paragraph and last.rule == "tag_after"
                and last.utterance.paragraph == u.paragraph
                and last.utterance.after.strip() == u.before.strip()
                and re.search(r",\s*$", u.before) and not re.search(r"[.!?;:]", u.before)):
            # The tag that split the line, read once: '"Mr. Syme," he said, "this…"' is not
            # Syme's second half because it does not say his name.
            self.pronoun = last.pronoun
            return last.speaker
        subject = self.subject
        end = (r"(?:\s+(?:to|at|of|in|with|on|for)\s+[^,.;:!?\"“”]{1,40}?)?"
               r"(?:\s+(?:very|quite|rather|almost|so))?(?:\s+[a-z]+ly)?"
               r"[\s,:—–-]*$")
        before = u.before
        if not before and u.first_in_paragraph and u.lead and (
                OPENS_ONTO.search(u.lead)
                or not re.search(r"[.!?…\"”’')\]]\s*$", u.lead)):
            # 'Katharine raised her head and said:' closing the paragraph before opens this.
            before = _SENTENCE_BREAK.split(u.lead.strip())[-1]
        for pattern in (
                # 'roused by Miss Bates's saying,' / 'Mrs. Grant's saying, as she stepped out,'
                rf"{self.owner}(?:['’]s|\ss)\s+{ADVERB}?{_GERUND}\b[^.!?\"“”]{{0,80}}$",
                rf"{subject}(?:{_ASIDE}|{BETWEEN}{{0,2}}?)\s+(?:{ADVERB})?{VERB}{end}",
                # 'Charles clenched his fist and cried,' / 'heard the Admiral say to Mary--'
                rf"(?:^|[.!?;]\s+|\bheard\s+){subject}{_ASIDE}?\s+(?:[a-z]+,?\s+){{0,8}}?"
                rf"(?:and|then)\s+(?:{ADVERB})?{VERB}{end}",
                rf"\bheard\s+{subject}\s+{VERB}{end}",
                rf"{self.owner}(?:['’]s|\ss)\s+{_SPEECH_NOUN}\s+(?:was|came)[\s,:—–-]*$",
                rf"\b(?:thus|then|so)\s+{VERB}\s+{subject}[\s,:—–-]*$"):
            if m := re.search(pattern, before):
                return self._subject(m, u.start)
        if m := re.search(rf"(?:{_OPENED}){end}", before):
            return self._opener(before, m.start(), u.start)
        # Not the tag of a split line ('"…," he began, looking round, "…"'), but a new sentence.
        if (u.first_in_paragraph or _SENTENCE_BREAK.search(before)) and (
                end_at := OPENS_ONTO.search(before)):
            body = before[:end_at.start()]
            clause = max((b.end() for b in _CLAUSE_BREAK.finditer(body)), default=0)
            verbs = [*_open_verb().finditer(body, clause)]
            if verbs and not re.search(r"\bhear[ds]?\b", body[clause:]) and (
                    verbs[-1].group().endswith("ing")
                    or not _PASSIVE.search(body, clause, verbs[-1].start())):
                return self._opener(before, verbs[-1].start(), u.start)
        return None

    def _opener(self, before: str, verb: int, pos: int) -> str | None:
        """Who speaks the verb that ends ``clause`` and opens a line ('Mr. Allen, who, on
        hearing the news, said,' / 'Cecil bent towards Lucy and said:' / 'Denham broke the
        silence by saying:'): the last one of its sentence who stands as a subject: after its
        start, a comma or a conjunction, and before a verb or an aside; or before ', who'.
        Not after a preposition or a verb ('towards Lucy'), nor after 'and' without a verb
        of their own ('looked at Ada and Bram, saying'). The verb stands at ``verb``."""
        sentence = _SENTENCE_BREAK.split(before[:verb])[-1]
        found = None
        for m in re.finditer(rf"{self.subject}|\b(?P<described>{_DESCRIBED})", sentence):
            head, tail = sentence[:m.start()], sentence[m.end():] + before[verb:]
            if re.match(r",?\s+who\b", tail):
                found = m
            elif re.search(r"(?:^|[,;:—–(]|--)\s*$", head):
                if re.match(r"\s*,|\s+[a-z]", tail):
                    found = m
            elif re.search(_CLAUSE_OPENER, head, re.I) and re.match(r"\s*,[^,]*,|\s+[a-z]", tail):
                found = m
        if found is None or found.group("described"):
            return None  # '…when the croupier cried out,': someone the story does not name
        # 'He turned to Hallward and said,': he is not the one his sentence names after him.
        besides = {self.canonical(n.group("name")) for n in self.name_re.finditer(
            sentence, found.end())} if self.name_re else set()
        return self._subject(found, pos, besides)

    def described(self, u: Utterance) -> str | None:
        """``"…" said the old man`` / ``The girl said, "…"``: a speech tag whose subject is a
        description, not a name. 'The other' is the one whose turn it is; a description that
        says a sex, the one of that sex in the conversation (the one whose turn it is, else
        the last of that sex to speak here); any other (the porter) is no one the story names."""
        m = (re.match(rf"^[\s,.;:!?—–-]*(?:(?P<a>{_DESCRIBED})\s+{ADVERB}?{VERB}|{_INVERTED}\s+"
                      rf"(?P<b>{_DESCRIBED}))\b", u.after)
             or re.search(rf"(?:^|[.!?]\s+)(?P<c>{_DESCRIBED})\s+{ADVERB}?{VERB}[\s,:]*$",
                          u.before, re.I))
        if not m:
            return None
        phrase = next(v for v in m.groupdict().values() if v).lower().split()
        head = phrase[-1]
        turn = self.alternation(u)
        if head == "other" or phrase[0] in ("a", "an", "one"):
            return turn or NOBODY  # 'the other', 'a voice': someone of the conversation
        # 'The count' is Count Mippipopolous, the story's one count, and so is 'the old count'
        # (not 'the other count'); 'the doctor' is whom the narration calls so ('Mr.
        # Losberne, the doctor,').
        bearers = self.titled.get(head, set())
        the_one = len(phrase) == 2 or (phrase[0] == "the" and "other" not in phrase)
        if len(bearers) == 1 and the_one and head.capitalize() in RANK_TITLES:
            return next(iter(bearers))
        if known := self.known_as().get(head):
            return known
        sex = "male" if head in MALE_NOUNS else "female" if head in FEMALE_NOUNS else None
        if sex is not None:
            if turn and self.gender.get(turn) == sex:
                return turn
            # else the one of that sex the narration since the last line has named
            named = [who for who, at in self.last_narrated.items() if self.last_turn < at < u.start]
            if one := self._only(sex, named):
                return one
            spoke = [who for _, who, scene in reversed(self.history)
                     if scene == u.scene and who and self.gender.get(who) == sex]
            if spoke:
                return spoke[0]
            # else the one of that sex the scene has spoken to
            if one := self._only(sex, self.present.get(u.scene, ())):
                return one
        if len(bearers) == 1 and len(phrase) == 2:
            return next(iter(bearers))  # 'the lady' after the rest: the one Lady of the story
        # Else someone the story knows by this description alone: 'the keeper', 'the cook'.
        name = " ".join(["the"] + phrase[1:])
        if name not in self.alias_map:
            self.described_people[name] = sex or "unknown"
        return self.canonical(name) or name

    def _only(self, sex: str, people) -> str | None:
        """The one of ``people`` of that sex, if there is only one."""
        fits = {who for who in people if self.gender.get(who) == sex}
        return fits.pop() if len(fits) == 1 else None

    def known_as(self) -> dict[str, str]:
        """Who the narration calls by a description, in apposition: 'Mr. Losberne, the
        doctor,' / 'the painter, Basil Hallward,'. A noun said so of one character (twice at
        least, and three times as often as of anyone else) names them; read once."""
        if self._known_as is None:
            said: dict[str, Counter[str]] = {}
            if self.name_re is not None:
                names = self.name_re.pattern
                for m in re.finditer(
                        rf"{names},\s+(?:the|a|an)\s+(?:[a-z-]+\s+){{0,2}}?(?P<noun>[a-z-]+)"
                        rf"(?=\s*[,.;:]|\s+(?:of|who|whom|with)\b)"
                        rf"|\b[Tt]he\s+(?:[a-z-]+\s+){{0,2}}?(?P<noun2>[a-z-]+),\s+"
                        # the same names again, under another group's name
                        rf"(?P<name2>{names.replace('?P<name>', '?:', 1)})(?=\s*[,.;:])",
                        self.text):
                    noun = m.group("noun") or m.group("noun2")
                    who = self.canonical(m.group("name") or m.group("name2"))
                    if who:
                        said.setdefault(noun, Counter())[who] += 1
            self._known_as = {}
            for noun, count in said.items():
                (who, n), *rest = count.most_common(2) + [(None, 0)]
                if n >= 2 and n >= 3 * rest[0][1]:
                    self._known_as[noun] = who
        return self._known_as

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
        m = re.match(rf"^[\s,.;:!?—–-]*{self.subject}\s+{ADVERB}?(?P<verb>[a-z]+)", u.after)
        if m and m.group("verb") not in PERCEPTION_VERBS:
            return self._subject(m, u.start)
        if self.name_re is not None and (m := re.match(
                rf"^[\s,.;:!?—–-]*(?:{self.name_re.pattern})['’]s\s+{_OWN_VOICE}", u.after)):
            return self.canonical(m.group("name"))  # '"…" Bram's voice cracked'
        if self.name_re is None:
            return None
        m = re.search(rf"(?:^|[.!?]\s+)(?:{self.name_re.pattern})(?:,|\s+[a-z]+)"
                      rf"[^.!?\"“”]*[.!?]?\s*$", u.before)
        if m and u.first_in_paragraph:
            return self.canonical(m.group("name"))
        return None

    def unanswered(self, u: Utterance) -> str | None:
        """A paragraph that ends telling of one who gives no answer ('Rosa said nothing.',
        'Lucy made no reply.', 'Silence.') gives the next line to the one who spoke last,
        when the silent one is plainly someone else: another name, the other sex's pronoun,
        or the narrator's I; and the silence ends the sentence ('…, till he had gone' is no
        silence at the line)."""
        if not u.lead or not self.history or not u.first_in_paragraph:
            return None
        paragraph, last, scene = self.history[-1]
        sentence = _SENTENCE_BREAK.split(u.lead.strip())[-1]
        silence = _WORDLESS.search(sentence)
        if (last is None or scene != u.scene or u.paragraph - paragraph > 2 or not silence
                or re.search(r"[,;:]|\b(?:but|till|until|and)\b", sentence[silence.end():])):
            return None
        if re.match(r"(?:there was )?(?:silence|no (?:answer|reply|response))\b", sentence, re.I):
            return last  # nobody answered at all
        m = re.match(rf"(?:(?:then|and|but|so|still|at last),?\s+)?{self.subject}", sentence,
                     re.I)
        if not m:
            return None
        subject = m.group("subj")
        if m.groupdict().get("name"):
            silent = self.canonical(m.group("name"))
            return last if silent and silent != last else None
        if subject == "I":
            return last if last != FIRST_PERSON else None
        sex = "male" if subject.lower() == "he" else "female"
        other = self.gender.get(last) not in (sex, None, "unknown")
        return last if other else None

    def lead_in(self, u: Utterance) -> str | None:
        """A paragraph of narration whose last sentence has someone act introduces the next
        line's speaker: 'Greg waited. Then he cleared his throat.' / '"Right. …"'. Not one
        in a state ('Greg was tired.', 'He had never liked her.'), nor one who perceives."""
        if not u.lead:
            return None
        last = _SENTENCE_BREAK.split(u.lead.strip())[-1]
        m = re.match(rf"^(?:(?:then|and|so|now|at last|finally),?\s+)?{self.subject}\s+"
                     rf"{ADVERB}?(?P<verb>[a-z]+)", last, re.I)
        if not m or m.group("verb").lower() in PERCEPTION_VERBS | _STATES:
            return None
        return self._subject(m, u.start)

    def alternation(self, u: Utterance) -> str | None:
        """Untagged lines in a conversation take turns: the reply comes from the other one
        present (seen or heard most recently besides the last speaker), unless the line
        speaks to that one; then the last speaker goes on."""
        if not self.history:
            return None
        paragraph, last, scene = self.history[-1]
        if last is None or u.paragraph - paragraph > self.CONVERSATION_GAP or scene != u.scene:
            return None
        others = self.addressed(u) | self.mentioned(u)
        for other in (self._answering(last), self.latest_other(last, u.start, u.scene),
                      self._spoke_before(last, u)):
            if other and other not in others:
                return other
        return last if last not in others else None

    def _spoke_before(self, last: str, u: Utterance) -> str | None:
        """The one who spoke before ``last`` in this conversation."""
        for paragraph, who, scene in reversed(self.history):
            if scene != u.scene or u.paragraph - paragraph > 3 * self.CONVERSATION_GAP:
                return None
            if who and who != last:
                return who
        return None

    def _answering(self, last: str) -> str | None:
        """Who answers ``last``'s line: the one it spoke to, else, in an exchange of two, the
        one who spoke before it (A, B, A, B); not when the narration has just brought someone
        else in as the subject of a sentence."""
        previous = self.decisions[-1]
        arrived = any(self.last_turn < pos for other, pos in self.last_subject.items()
                      if other != last)
        if len(previous.addressed - {last}) == 1:
            return next(iter(previous.addressed - {last}))
        # The turn before: the lines of the paragraph before the last line's own.
        turn = next((k for k in range(len(self.history) - 2, -1, -1)
                     if self.history[k][0] != previous.utterance.paragraph), None)
        if arrived or turn is None:
            return None
        paragraph, before, scene = self.history[turn]
        since = self.decisions[turn].utterance.end
        present = self.present.get(scene, set())
        joined = any(pos > since for other, pos in self.last_named.items()
                     if other not in (last, before) and other in present)  # back in it
        if before and before != last and not joined and scene == previous.utterance.scene and (
                previous.utterance.paragraph - paragraph <= self.CONVERSATION_GAP):
            return before
        return None

    def addressee_partner(self, u: Utterance) -> str | None:
        """Outside a conversation, ``"Clara."`` is said to Clara by the other one present."""
        addressed = self.addressed(u)
        if len(addressed) == 1:
            return self.latest_other(next(iter(addressed)), u.start, u.scene)
        return None

    def nearest(self, u: Utterance) -> str | None:
        """Last of all, as a narrator would guess: the character seen most recently (not one
        the line speaks to)."""
        others = self.addressed(u) | self.mentioned(u)
        seen = [(pos, name) for name, pos in self.last_seen.items()
                if pos < u.start and name not in others]
        return max(seen)[1] if seen else None

    # -- the conversation, seen whole ---------------------------------------------------------
    # Rules the sieve cannot apply line by line: a conversation's turns alternate between its
    # two speakers, counted from the tagged lines on both sides of an untagged run.
    FIRM = frozenset(("cast_file", "heard", "tag_after", "tag_before", "described", "continued",
                      "same_paragraph", "action_beat"))

    def settle(self) -> list[str | None]:
        """The speakers of every decided line, each conversation's turns settled: in a run of
        untagged turns between two firmly attributed ones, the turns alternate between the
        two, counted from the nearer of them (so a later tag fixes the run before it); a
        pronoun tag goes to the pair's one speaker of that gender."""
        speakers = [d.speaker for d in self.decisions]
        for turns in self._conversations():
            firm: dict[int, str] = {}
            for t, lines in enumerate(turns):
                said = next((self.decisions[i].speaker for i in lines
                             if self._firm(self.decisions[i]) and self.decisions[i].speaker), None)
                if said:
                    firm[t] = said
            if len(set(firm.values())) != 2:
                continue  # a two-person exchange alternates; three or more need not
            for t, lines in enumerate(turns):
                if t in firm:
                    continue
                guess = self._by_turns(t, firm)
                if not guess:
                    continue
                for i in lines:
                    d = self.decisions[i]
                    if d.pronoun and self.gender.get(guess) != self.gender.get(d.speaker):
                        continue  # 'she said' of a man: the count is wrong here
                    if guess not in d.addressed | self.mentioned(d.utterance):
                        speakers[i] = guess
        return speakers

    def _firm(self, d: Decision) -> bool:
        return d.rule in self.FIRM and not d.pronoun

    def _conversations(self) -> list[list[list[int]]]:
        """The conversations: runs of turns (a turn: the lines of one paragraph) in one scene
        with no more than CONVERSATION_GAP paragraphs between them."""
        out: list[list[list[int]]] = []
        last = None
        for i, d in enumerate(self.decisions):
            u = d.utterance
            if last is not None and last.paragraph == u.paragraph:
                out[-1][-1].append(i)
            elif (last is not None and last.scene == u.scene
                  and u.paragraph - last.paragraph <= self.CONVERSATION_GAP):
                out[-1].append([i])
            else:
                out.append([[i]])
            last = u
        return out

    @staticmethod
    def _by_turns(t: int, firm: dict[int, str]) -> str | None:
        """Turn ``t``'s speaker when it stands between firm turns of two people: theirs
        alternate, counted from the nearer one."""
        before = max((k for k in firm if k < t), default=None)
        after = min((k for k in firm if k > t), default=None)
        if before is None or after is None or firm[before] == firm[after]:
            return None
        pair = {firm[before], firm[after]}

        def count(k: int) -> str:
            return firm[k] if (t - k) % 2 == 0 else next(iter(pair - {firm[k]}))

        return count(before) if t - before <= after - t else count(after)

    def latest_other(self, name: str, before: int, scene: tuple[int, int] | None = None
                     ) -> str | None:
        """The character other than ``name`` named, heard or spoken to most recently before
        ``before`` (a he or she in narration does not count: it says who acts, not who is in
        the conversation), preferring those who have spoken or been spoken to in ``scene``:
        someone merely mentioned is not in the room."""
        seen = [(pos, other) for other, pos in self.last_named.items()
                if other != name and pos < before]
        # Someone the narration has made the subject of a sentence since the last line has
        # come in ('Owen came down the gangway.'), and is likelier than anyone else.
        arrived = [(pos, other) for other, pos in self.last_subject.items()
                   if other != name and self.last_turn < pos < before]
        present = [(pos, other) for pos, other in seen if other in self.present.get(scene, ())]
        return max(arrived or present or seen)[1] if seen or arrived else None
