"""Write audiobook/speech_verbs.txt: the verbs of utterance a speech tag may use, from WordNet.

    python scripts/speech_verbs.py WORDNET_DICT_DIR > audiobook/speech_verbs.txt

WORDNET_DICT_DIR holds Princeton WordNet 3.0's data.verb and verb.exc (Debian's wordnet-base
package puts them in /usr/share/wordnet). The verbs are every verb.communication synset
under the senses of saying, uttering, speaking, asking, answering, telling, calling out and
the like (their hyponyms, followed down), with their inflections: says, said, saying is not
needed (tags are finite). Phrasal verbs keep their particle ('broke in', 'went on').
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

COMMUNICATION = "32"  # WordNet's lexicographer file verb.communication
# The senses whose hyponyms are ways of saying something aloud: (lemma, words its gloss has).
SEEDS = [("say", "express in words"), ("state", "express in words"), ("utter", "utter"),
         ("ask", "seek an answer"), ("ask", "address a question"), ("inquire", "inquire about"),
         ("talk", "express in speech"), ("speak", "express in speech"),
         ("ask", "request information"), ("answer", "reply"), ("reply", "reply"),
         ("tell", "express in words"), ("shout", "loud voice"), ("cry", "loud"),
         ("whisper", "whisper"), ("murmur", "low"), ("exclaim", "utter aloud"),
         ("remark", "remark"), ("add", "statement"), ("continue", "talking"),
         ("interrupt", "interrupt"), ("laugh", "laughter"), ("mutter", "low"),
         ("sing", "musical")]
# Hyponyms that are ways of writing or of acting, not of speaking aloud.
NOT_SPOKEN = re.compile(r"\b(?:writing|written|in writing|letter|telephone|gesture|sign)\b")


def synsets(path: Path) -> dict[str, tuple[str, list[str], list[str], str]]:
    """offset -> (lexicographer file, lemmas, hyponym offsets, gloss)."""
    out = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        head, _, gloss = line.partition(" | ")
        f = head.split()
        n = int(f[3], 16)
        lemmas = [f[4 + 2 * i].lower() for i in range(n)]
        rest = f[4 + 2 * n:]
        pointers = int(rest[0])
        hyponyms = [rest[1 + 4 * i + 1] for i in range(pointers) if rest[1 + 4 * i] == "~"]
        out[f[0]] = (f[1], lemmas, hyponyms, gloss)
    return out


def inflect(verb: str, irregular: dict[str, list[str]]) -> set[str]:
    """A verb's finite forms: 'say' -> say, says, said."""
    words = verb.split("_")
    head, tail = words[0], " ".join(words[1:])
    forms = {head, _third(head)} | set(irregular.get(head, [])) | (
        set() if head in irregular else {_past(head)})
    return {f"{f} {tail}".strip() for f in forms}


def _third(v: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh|o)$", v):
        return v + "es"
    if re.search(r"[^aeiou]y$", v):
        return v[:-1] + "ies"
    return v + "s"


def _past(v: str) -> str:
    if v.endswith("e"):
        return v + "d"
    if re.search(r"[^aeiou]y$", v):
        return v[:-1] + "ied"
    if re.search(r"^[^aeiou]*[aeiou][^aeiouwxy]$", v):  # one syllable: stop -> stopped
        return v + v[-1] + "ed"
    return v + "ed"


def main(folder: str) -> int:
    data = synsets(Path(folder) / "data.verb")
    irregular: dict[str, list[str]] = {}
    for line in (Path(folder) / "verb.exc").read_text(encoding="latin-1").splitlines():
        inflected, base = line.split()[:2]
        irregular.setdefault(base, []).append(inflected)
    queue = [off for off, (lex, lemmas, _, gloss) in data.items() if lex == COMMUNICATION
             and any(seed in lemmas and words in gloss for seed, words in SEEDS)]
    seen: set[str] = set()
    while queue:
        off = queue.pop()
        if off in seen or data[off][0] != COMMUNICATION or NOT_SPOKEN.search(data[off][3]):
            continue
        seen.add(off)
        queue += data[off][2]
    verbs = sorted({form for off in seen for lemma in data[off][1] if "'" not in lemma
                    for form in inflect(lemma, irregular) if form.isascii()})
    print("# Verbs of utterance for speech tags, from Princeton WordNet 3.0 (verb.communication,")
    print("# the hyponyms of saying, asking, answering, calling out...), with their finite forms.")
    print("# Made by scripts/speech_verbs.py. WordNet 3.0 Copyright 2006 by Princeton University.")
    print("# Use under the WordNet licence: https://wordnet.princeton.edu/license-and-commercial-use")
    for verb in verbs:
        print(verb)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
