"""Words that tell who speaks: speech verbs, titles, honorifics, pronouns, name patterns.

Shared by ``characters`` (who is in the story) and ``attribution`` (who says each line).
"""

from __future__ import annotations

import re
from importlib import resources

def _speech_verbs() -> list[str]:
    """Verbs of utterance from WordNet (speech_verbs.txt, made by scripts/speech_verbs.py)."""
    text = resources.files(__package__).joinpath("speech_verbs.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


HAND_TAGS = (
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
NARRATIVE_TAGS = ("resumed resumes ventured ventures pursued pursues flashed flashes laughed "
                  "pronounced pronounces "
                  "laughs gasped gasps smiled smiles snorted snorts sniffed sniffs panted pants "
                  "sobbed sobs wailed wails").split() + [
    "burst out", "bursts out", "went on", "goes on", "broke in", "breaks in", "cut in",
    "cuts in", "chimed in", "put in", "struck in"]
# Verbs after a name that say what the subject perceived, not what they said.
PERCEPTION_VERBS = frozenset(
    "heard hears noticed notices saw sees watched watches felt feels realized realised "
    "listened looked".split()
)
SPEECH_VERBS = sorted((set(_speech_verbs()) | set(HAND_TAGS) | set(NARRATIVE_TAGS))
                      - PERCEPTION_VERBS)
THOUGHT_VERBS = frozenset("thought thinks think wondered wonders mused reasoned".split())
TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Mx Mx. Miss Dr Dr. Doctor Professor Prof Prof. "
                    "Sir Lady Lord Captain Aunt Uncle Cousin Comrade Citizen Master Mistress Dame "
                    "Reverend Rev Rev. Monsieur Madame Mademoiselle M. Mme Mme. Mlle Mlle. Signor "
                    "Signora Signorina Señor Señora Herr Frau Fräulein Count Countess Comte "
                    "Comtesse Baron Baroness Duke Duchess Marquis Marquess Prince Princess".split())
HONORIFICS = ("kun", "chan", "san", "sama", "sensei", "senpai", "sempai", "dono", "nii", "nee")
TITLES_MALE = ("Mr", "Mr.", "Sir", "Lord", "King", "Prince", "Father", "Uncle", "Brother",
               # military ranks: men's, as good as always, in the novels people read aloud
               "Captain", "Colonel", "Major", "General", "Admiral", "Lieutenant", "Sergeant",
               "Master", "Monsieur", "M.", "Signor", "Señor", "Herr",
               # the nobility's
               "Count", "Comte", "Baron", "Duke", "Marquis", "Marquess", "Earl", "Viscount")
TITLES_FEMALE = ("Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Lady", "Queen", "Princess", "Mother",
                 "Aunt", "Sister", "Madam", "Mistress", "Dame", "Madame", "Mademoiselle", "Mme",
                 "Mme.", "Mlle", "Mlle.", "Signora", "Signorina", "Señora", "Frau", "Fräulein",
                 "Countess", "Comtesse", "Baroness", "Duchess", "Marchioness", "Viscountess")
STOPWORDS = frozenset(
    "I He She It They We You The A An And But Or So Then Now When While If As At In On Of To "
    "For With From By His Her Their Its My Your Our This That These Those There Here What Who "
    "Why How Where Yes No Oh Ah Well Just Still Even After Before Once Again Everyone Someone "
    "Nobody Everybody Somebody Anyone Something Nothing Everything One Sighing Instead Perhaps "
    "Maybe Meanwhile Finally Suddenly Later Soon Dear Hey Okay OK Please Thanks Thank "
    # exclamations: 'Good God!', 'Heavens, no!' address no one
    "Good God Heaven Heavens Christ Jesus Gad Goodness Gracious Lordy "
    # conjunctions and adverbs that open a sentence: 'Whereas Philip…' names no Whereas
    "Whereas Although Though Because Since Unless Until Whether However Therefore Moreover "
    "Besides Indeed Yet Nor Otherwise Nevertheless "
    # days and months (those that are not also first names)
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March July "
    "September October November December Christmas Easter".split()
)
# What the last word of a place's name is: 'Donwell Abbey', 'Chelsea Embankment'; or its first
# ('Boulevard Montparnasse', 'Mount Ida'). Not the words that are also surnames (Wood, Hill,
# Lane, Park, Church, Heath...): 'Lois Lane' is a woman.
PLACE_LAST = frozenset("Abbey Castle Street Square Road Avenue Embankment Gardens Terrace "
                       "Crescent Bridge Hotel Station Cathedral Chapel College Museum Palace "
                       "River Mountains Valley Island Islands Harbour Harbor Forest Cottage "
                       "Rectory Vicarage Parsonage Priory Club Theatre Theater Hospital School "
                       "Academy University Office Company Railway".split())
PLACE_FIRST = frozenset("Boulevard Rue Via Piazza Place Mount Lake Port Fort Cape".split())

def trie(words) -> str:
    """A regex matching any of ``words`` (whole), built as a trie so that two thousand of
    them cost what a few do; a space in a word matches any run of spaces."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + build(sub)
                    for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + ("?" if ends else "")

    return "(?:" + build(root) + ")"


VERB = trie(SPEECH_VERBS)


def _present_participle(past: str) -> str:
    """'remarked' -> 'remarking', 'observed' -> 'observing', 'cried' -> 'crying',
    'agreed' -> 'agreeing', 'stopped' -> 'stopping' (the regular verbs' -ing form)."""
    if past.endswith("ied"):
        return past[:-3] + "ying"
    return past[:-1 if past.endswith("eed") else -2] + "ing"


# A speech verb's -ing form: 'by remarking', 'the opportunity of whispering'.
SPEAKING = frozenset({_present_participle(v) for v in SPEECH_VERBS
                      if v.endswith("ed") and " " not in v}
                     | {v for v in SPEECH_VERBS if v.endswith("ing")}
                     | set("saying telling speaking singing beginning going".split()))
ADVERB = r"(?:[a-z]+ly\s+)"
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
# A hyphen joins the parts of one name (Grant-Menzies, Winnie-the-Pooh) or adds an honorific.
NAME_TOKEN = (rf"[{UPPER}][^\W\d_]*(?:['’](?!s\b)[^\W\d_]+)?"
              rf"(?:-(?:[a-z]+-)?[{UPPER}][^\W\d_]*)*"
              r"(?:-(?:" + "|".join(HONORIFICS) + r"))?")
TITLE = (r"(?:Mr|Mrs|Ms|Mx|Miss|Dr|Doctor|Professor|Prof|Sir|Lady|Lord|Captain|Colonel|Major|"
         r"General|Lieutenant|Sergeant|Inspector|Detective|Father|Sister|Aunt|Uncle|Cousin|"
         r"Comrade|Citizen|Master|Mistress|Dame|Reverend|Rev|Monsieur|Madame|Mademoiselle|Mme|"
         r"Mlle|M|Signor|Signora|Signorina|Señor|Señora|Herr|Frau|Fräulein|Countess|Count|"
         r"Comtesse|Comte|Baroness|Baron|Duke|Duchess|Marquis|Marquess|Princess|Prince)")
# Titles that, as 'the Captain', name the one character who bears them.
RANK_TITLES = ("Captain", "Colonel", "Major", "General", "Lieutenant", "Sergeant", "Inspector",
               "Detective", "Doctor", "Professor", "Count", "Countess", "Baron", "Baroness",
               "Duke", "Duchess", "Marquis", "Marquess", "Prince", "Princess", "Earl", "Judge",
               "Superintendent", "Admiral", "Comte", "Comtesse")
# 'the Dodger', 'the Artful Dodger', 'the Professor': the article is part of such a name.
THE_NAME = rf"[Tt]he\s+(?:{NAME_TOKEN}\s+)?(?!I\b){NAME_TOKEN}"
# The small words inside a name: Professor de Worms, Mr. van der Luyden.
PARTICLE = r"(?:de|van|von|der|den|du|da|di|del|della|des|la|le|ter|ten|bin|ibn)"
CANDIDATE = (rf"(?P<name>{THE_NAME}|(?:{TITLE}\.?\s+(?:{PARTICLE}\s+){{0,2}})?(?!I\b){NAME_TOKEN}"
             rf"(?:\s+(?:{PARTICLE}\s+){{0,2}}(?!I\b){NAME_TOKEN}){{0,2}})")
# Up to two words may stand between a name and its verb (``Naruto confused uttered``), but not
# a word that starts a new phrase: in ``Tom turned to Mara and said`` Mara is not the subject;
# nor an object's ('Ada heard him reply', 'Ada turned the handle': no verb follows a 'the').
BETWEEN = (r"(?:\s+(?!(?:and|or|but|to|at|with|for|from|of|by|on|in|toward|towards|the|a|an|"
           r"his|her|their|my|your|its|him|them|me|us)\b)[a-z]+)")
HE = frozenset("he him his himself".split())
# Nouns that say a described speaker's sex ('said the old man', 'his mother replied').
MALE_NOUNS = frozenset("man gentleman boy lad fellow youth husband father brother son uncle "
                       "nephew grandfather grandson stepfather widower bridegroom king prince "
                       "emperor lord duke earl baron baronet count marquis marquess viscount "
                       "monk priest master".split())
FEMALE_NOUNS = frozenset("woman lady girl lass wife mother sister daughter aunt niece "
                         "grandmother granddaughter stepmother bride queen princess empress "
                         "duchess countess baroness marchioness viscountess maid housemaid widow "
                         "hostess mistress dame governess landlady heiress actress".split())
SHE = frozenset("she her hers herself".split())


def base_name(name: str) -> str:
    """``Sasuke-kun`` -> ``Sasuke``; ``Mr. Hale`` -> ``Hale``; other names unchanged."""
    name = re.sub(r"-(?:" + "|".join(HONORIFICS) + r")$", "", name.strip(), flags=re.I)
    parts = name.split()
    if len(parts) > 1 and parts[0] in TITLES | set(TITLES_MALE + TITLES_FEMALE):
        parts = parts[1:]
    return " ".join(parts)



FIRST_PERSON = "Narrator"  # who says "…," I said: the narrator of a story told in the first person
