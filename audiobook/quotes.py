"""Where the quotes are: double or single (British) quotation marks, told from apostrophes,
and emphasised runs (``*…*``, ``_…_``, ``<i>…</i>``) that read as a character's thought.

Pure functions over ``text[start:end]`` of one paragraph; offsets are absolute.
"""

from __future__ import annotations

import re

DOUBLE_OPEN, DOUBLE_CLOSE = '"“', '"”'
# A single quote opens at the start of a word and closes at the end of one. Elisions that
# start a word ('em, 'n', 'tis, '59) and plural possessives (the Smiths' dog) look alike.
_SINGLE_OPEN_RE = re.compile(r"(?<![\w'’‘])['‘](?=[^\W_]|[\"“…—–-])")
_SINGLE_CLOSE_RE = re.compile(r"(?<=[^\s'’‘])['’](?![^\W_])")
_ELISION_RE = re.compile(r"['‘](?:em|n['’]|tis|twas|cause|cos|til|bout|round|un|s|d|\d)(?![^\W_])",
                         re.I)
_PUNCT_BEFORE = ".,!?…—–-;:"
_POSSESSIVE_RE = re.compile(r"s['’]\s+[a-z]")

_EMPHASIS_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"
                          r"|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"
                          r"|<(?:i|em)>([^<]+?)</(?:i|em)>", re.I)
_PERSONAL_RE = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|me|my|mine|myself|we|us|"
                          r"our|you|your|yourself)\b", re.I)
# Present tense in an emphasised run (*He looks tired.*) reads as inner voice in a story told
# in the past; a title (*The Times*) has no verb.
_PRESENT_RE = re.compile(r"\b(?:is|are|am|isn['’]t|aren['’]t|does|doesn['’]t|don['’]t|can['’]t|"
                         r"won['’]t|has|have|looks|seems|knows|wants|needs)\b|\w['’](?:s|re|ll)\b",
                         re.I)
_THOUGHT_VERBS = (r"(?:thought|thinks|wondered|wonders|mused|muses|reasoned|realised|realized|"
                  r"realises|realizes|decided|decides|knew|knows|supposed|reflected|"
                  r"told (?:him|her|them)self)")
_THOUGHT_TAG_RE = re.compile(rf"^\W{{0,3}}\s*(?:\w+\s+){{0,3}}?{_THOUGHT_VERBS}\b")
# After a one-word run, the tag names its thinker ('*Idiot* she thought'), so that a stressed
# word the sentence goes on from ('_I_ thought so') is no thought.
_NAMED_TAG_RE = re.compile(rf"^\W{{0,3}}\s*(?:\w+\s+){{1,3}}?{_THOUGHT_VERBS}\b")


def quote_style(text: str) -> str:
    """'double' unless the story quotes its dialogue with single marks (British style)."""
    doubles = sum(text.count(c) for c in '"“”')
    singles = sum(1 for m in _SINGLE_OPEN_RE.finditer(text)
                  if not _ELISION_RE.match(text, m.start()))
    return "single" if singles > max(4, doubles) else "double"


def find_quotes(text: str, start: int, end: int, style: str = "double"
                ) -> tuple[list[tuple[int, int]], bool]:
    """Quote spans (marks included) in text[start:end], and whether the last one is unclosed.

    An unclosed quote runs to the paragraph's end, never further.
    """
    if style == "single":
        return _single_quotes(text, start, end)
    spans, opened = [], None
    for i in range(start, end):
        ch = text[i]
        if opened is None:
            if ch in DOUBLE_OPEN:
                opened = i
        elif ch in DOUBLE_CLOSE:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, end))
    return spans, opened is not None


def _single_quotes(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool]:
    openers = [m.start() for m in _SINGLE_OPEN_RE.finditer(text, start, end)
               if not _ELISION_RE.match(text, m.start())]
    closers = [m.start() for m in _SINGLE_CLOSE_RE.finditer(text, start, end)]
    spans, pos = [], start
    for o in openers:
        if o < pos:
            continue
        nxt = next((x for x in openers if x > o), end)
        mine = [c for c in closers if o < c < nxt] or [c for c in closers if c > o]
        if not mine:
            spans.append((o, end))
            return spans, True
        close = (next((c for c in mine if text[c - 1] in _PUNCT_BEFORE), None)
                 or next((c for c in mine if not _POSSESSIVE_RE.match(text, c - 1)), mine[0]))
        spans.append((o, close + 1))
        pos = close + 1
    return spans, False


def find_thoughts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Emphasised runs that read as inner voice: tagged 'thought', in the first or second
    person or the present tense, or a sentence standing on its own (*He knew.*, *Coward.*).

    A title, a name, a foreign word or a stressed word (*The Times*, the *Larkspur*, *never*)
    is none of these, and stays narration.
    """
    out: list[tuple[int, int]] = []
    for m in _EMPHASIS_RE.finditer(text, start, end):
        inner = m.group(1) or m.group(2) or m.group(3)
        tail = text[m.end():min(end, m.end() + 40)]
        clause = len(inner.split()) >= 2 or inner.rstrip()[-1:] in ",.!?…—–"
        # The second half of a thought split around its tag: '*I can't,* she thought, *not
        # again.*'
        resumed = bool(out) and out[-1][1] == _after_tag(text, out[-1][1], m.start())
        if (_THOUGHT_TAG_RE.match(tail) if clause else _NAMED_TAG_RE.match(tail)) or resumed or (
                len(inner.split()) >= 2 and (_PERSONAL_RE.search(inner)
                                             or _PRESENT_RE.search(inner))) or _sentence(
                text, start, m.start(), inner):
            out.append((m.start(), m.end()))
    return out


def _after_tag(text: str, previous_end: int, at: int) -> int | None:
    """``previous_end`` when only a thought tag stands between it and ``at``."""
    between = text[previous_end:at]
    m = _THOUGHT_TAG_RE.match(between)
    return previous_end if m and not between[m.end():].strip(" ,;:—–-") else None


def _sentence(text: str, start: int, at: int, inner: str) -> bool:
    """An emphasised run that is one or more sentences of its own: it begins where a sentence
    begins, with a capital, and ends with the sentence's own stop; short, as thoughts are (a
    long italic passage in the story's own person and tense is a dream or a memory)."""
    before = text[start:at].rstrip()
    begins = not before or before[-1] in ".!?…\"”’)—–:"
    return (begins and inner[:1].isupper() and inner.rstrip("\"”’'*_)").endswith(
        (".", "!", "?", "…")) and len(inner.split()) <= _SENTENCE_WORDS)


_SENTENCE_WORDS = 30
