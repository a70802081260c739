"""Text -> Segments: narration, dialogue and thought, each with its speaker. Pure, no I/O.

A paragraph is cut into quotes (straight or curly double quotes), marked thoughts
(``*…*`` / ``_…_`` that read as a character's inner voice) and the narration between them.
An unclosed quote ends at its paragraph's end; when the next paragraph opens with a quote,
that is the same speech carried on. Speakers come from the sieve in ``attribution``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .attribution import OPENS_ONTO, Attributor, Utterance
from .characters import find_characters
from .corrections import Corrections, LineFix, locate
from .lexicon import FIRST_PERSON
from .models import Character, Document, Kind, Paragraph, Segment
from .quotes import find_quotes, find_thoughts, quote_style

_SPEAKABLE_RE = re.compile(r"\w")
_NOTE_RE = re.compile(r"^\W*(?:disclaimer|a/n|an|author'?s'? ?notes?|authors? notes?|note)\b"
                      r"\s*[:\-–—]",
                      re.I)
_SALUTATION_RE = re.compile(r"^(?:(?:my\s+)?dear(?:est)?|to)\s+[^\n.!?]{1,40},?$", re.I)
_CLOSING_RE = re.compile(r"^(?:love|yours|sincerely|regards|best|cheers|with love|your)\b", re.I)
_FIRST_SECOND_RE = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|me|my|mine|myself|"
                              r"you|your|yours|yourself|you're|you’re)\b", re.I)
_THIRD_RE = re.compile(r"\b(?:he|she|him|his|her|hers|himself|herself|they|them|their)\b", re.I)
_SIGNED_RE = re.compile(r"\S\s*[—–]\s*([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)\W{0,2}$")
_PAST_RE = re.compile(r"\b(?:was|were|had|did|didn['’]t|wasn['’]t|weren['’]t|hadn['’]t|could|"
                      r"would|[a-z]{2,}ed|stood|ran|sat|came|went|saw|took|made|got|knew|"
                      r"thought|felt|left|told|found|gave|said|heard|kept|held|brought|began|"
                      r"spoke|wrote|rose|fell|lay|led|met|paid|meant|sent|spent|stole|struck|"
                      r"threw|wore|won|woke|drove|ate|drank|slept|bought|caught|taught|fought|"
                      r"sought)\b", re.I)
_PRESENT_RE = re.compile(r"\b(?:is|are|am|isn['’]t|aren['’]t|does|doesn['’]t|don['’]t|can['’]t|"
                         r"won['’]t|has|have|haven['’]t|hasn['’]t)\b|\w['’](?:s|re|ll|m|ve)\b",
                         re.I)
_MESSAGE_RE = re.compile(r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) ?: +(?=\S)")
_LETTER_MAX = 60  # paragraphs a letter may run before its signature


@dataclass(frozen=True)
class Segmentation:
    segments: tuple[Segment, ...]
    characters: tuple[Character, ...]
    narrator: str | None = None  # the character who tells a first-person story, when named

    def line_counts(self) -> dict[str | None, tuple[int, int]]:
        """(dialogue, thought) segments per speaker; None for lines nobody could be given."""
        counts: dict[str | None, list[int]] = {c.name: [0, 0] for c in self.characters}
        for s in self.segments:
            if s.kind is not Kind.NARRATION:
                counts.setdefault(s.speaker, [0, 0])[s.kind is Kind.THOUGHT] += 1
        return {name: (d, t) for name, (d, t) in counts.items()}


def _pieces(text: str, p: Paragraph, style: str) -> tuple[list[tuple[int, int, Kind]], bool]:
    """A paragraph as ordered (start, end, kind) pieces covering its text, and if it ends open."""
    quotes, open_end = find_quotes(text, p.start, p.end, style)
    marked = [(a, b, Kind.DIALOGUE) for a, b in quotes]
    cursor = p.start
    for a, b in quotes + [(p.end, p.end)]:
        marked += [(x, y, Kind.THOUGHT) for x, y in find_thoughts(text, cursor, a)]
        cursor = b
    marked.sort()
    pieces, cursor = [], p.start
    for a, b, kind in marked:
        if a > cursor:
            pieces.append((cursor, a, Kind.NARRATION))
        pieces.append((a, b, kind))
        cursor = b
    if cursor < p.end:
        pieces.append((cursor, p.end, Kind.NARRATION))
    return _tidy(text, pieces), open_end


def _tidy(text: str, pieces: list[tuple[int, int, Kind]]) -> list[tuple[int, int, Kind]]:
    """Trim narration of spaces; fold punctuation that clings to a quote (the '.' of
    ``"So?".``) into it. Punctuation standing apart (a dash between two quotes) stays
    narration, with nothing to say."""
    out: list[tuple[int, int, Kind]] = []
    for a, b, kind in pieces:
        if kind is Kind.NARRATION:
            clinging = a < b and not text[a].isspace()
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a == b:
                continue
            if not _SPEAKABLE_RE.search(text[a:b]) and out and clinging:
                pa, _, pk = out[-1]
                out[-1] = (pa, b, pk)
                continue
        out.append((a, b, kind))
    return out


def _roles(text: str, layout) -> dict[int, tuple[str, str | None]]:
    """Whole paragraphs read other than as narration: notes, letters, unmarked inner thoughts.

    - a note (``Disclaimer:``, ``A/N:``, ``Author's Note:``) is narration, flagged;
    - a letter runs from a salutation (``Dear Ada,``) to a short signature paragraph, and is
      read in the voice of the one who signs it; so is a short note signed ``—Ida``;
    - a message laid out as ``Ada: running late`` is Ada's (the name itself is narration);
    - in a story told in the third person, an unquoted paragraph in the first or second
      person, or in the present tense where the story is told in the past, is a character's
      thought (its italics lost).
    """
    roles: dict[int, tuple[str, str | None]] = {}
    plain = [(i, p) for i, p, pieces, _ in layout
             if not p.heading and all(k is Kind.NARRATION for _, _, k in pieces)]
    for i, p in plain:
        if p.role == "note" or _NOTE_RE.match(text[p.start:p.end]):
            roles[i] = ("note", None)
    by_index = dict(plain)
    for run in _quotations(plain):
        if (writer := _signed(text, [by_index[i] for i in run])) and not roles.keys() & run:
            roles.update({k: ("letter", writer) for k in run})
    for i, p in plain:
        if i in roles or not _SALUTATION_RE.match(text[p.start:p.end].split("\n", 1)[0]):
            continue
        for j in range(i + 1, i + _LETTER_MAX):
            if j not in by_index or (p.role == "quote") != (by_index[j].role == "quote"):
                break  # a letter set apart as a quotation ends where the quotation does
            last = text[by_index[j].start:by_index[j].end].splitlines()[-1].strip()
            if _is_signature(last):
                if _CLOSING_RE.match(last) and len(last.split()) <= 3 and j + 1 in by_index \
                        and _is_signature(name := text[by_index[j + 1].start:by_index[j + 1].end]):
                    j, last = j + 1, name.strip()  # 'Yours,' then the name on its own
                roles.update({k: ("letter", last) for k in range(i, j + 1)})
                break
    for i, p in plain:
        words = text[p.start:p.end]
        if i not in roles and (m := _SIGNED_RE.search(words)) and len(words.split()) <= 40:
            roles[i] = ("letter", m.group(1))
        elif i not in roles and (m := _MESSAGE_RE.match(words)) and len(words.split()) <= 60 \
                and re.search(rf"(?<=[a-z,;:] ){re.escape(m.group(1))}\b", text):
            roles[i] = ("message", m.group(1))  # 'Ada: running late' (a text, a chat)
    rest = [text[p.start:p.end] for i, p in plain if i not in roles]
    first = sum(len(_FIRST_SECOND_RE.findall(t)) for t in rest)
    third = sum(len(_THIRD_RE.findall(t)) for t in rest)
    past = sum(len(_PAST_RE.findall(t)) for t in rest) > 2 * sum(
        len(_PRESENT_RE.findall(t)) for t in rest)
    # A story that sets its thoughts in italics leaves none unmarked: only where no thought
    # is marked have the italics been lost.
    marked = any(k is Kind.THOUGHT for _, _, pieces, _ in layout for _, _, k in pieces)
    if third > 2 * first and not marked:  # told in the third person
        for i, p in plain:
            words = text[p.start:p.end]
            ours, theirs = len(_FIRST_SECOND_RE.findall(words)), len(_THIRD_RE.findall(words))
            # Present tense where the story is told in the past is the inner voice too.
            now = past and _PRESENT_RE.search(words) and not _PAST_RE.search(words)
            if i not in roles and ((ours and 2 * ours >= theirs) or now):
                roles[i] = ("thought", None)
    return roles


def _quotations(plain: list[tuple[int, Paragraph]]) -> list[set[int]]:
    """Runs of consecutive paragraphs the markup sets apart as a quotation (<blockquote>)."""
    runs: list[set[int]] = []
    last = None
    for i, p in plain:
        if p.role != "quote":
            continue
        if last is not None and i == last + 1 and runs:
            runs[-1].add(i)
        else:
            runs.append({i})
        last = i
    return runs


def _signed(text: str, run: list[Paragraph]) -> str | None:
    """Who signs a quotation that ends with a signature, on a line of its own (``Yours, Ada``,
    ``—Ida``): a letter or note read in its writer's voice."""
    last = text[run[-1].start:run[-1].end]
    lines = last.splitlines()
    if (m := _SIGNED_RE.search(last)) and len(last.split()) <= 40:
        return m.group(1)
    signature = lines[-1].strip()
    if (len(run) > 1 or len(lines) > 1) and len(signature.split()) <= 4 and _is_signature(
            signature) and not _CLOSING_RE.fullmatch(signature.rstrip(",")):
        return signature
    return None


def _signer(signature: str) -> str:
    """The name in a signature line: ``Love, Ada Byrne`` -> ``Ada Byrne``."""
    return _CLOSING_RE.sub("", signature).strip(" ,—–-") or signature


def _is_signature(line: str) -> bool:
    """A short closing line: ``Love, Ada`` / ``Ada Byrne`` / ``Yours,``."""
    last = line.strip()
    words = last.split()
    if not words or len(words) > 6 or last[-1] in ".?;:":
        return False
    return bool(_CLOSING_RE.match(last)) or all(w[0].isupper() for w in words if w[0].isalpha())


def segment(doc: Document, known: dict[str, tuple[str, ...]] | None = None,
            corrections: Corrections = Corrections()) -> Segmentation:
    """Segment a read Document. ``known`` maps cast names to their aliases (from voices.yaml);
    ``corrections`` are the cast file's lines set by hand and names that are never a speaker."""
    text = doc.text
    layout, open_prev, style = [], False, quote_style(text)
    for index, p in enumerate(doc.paragraphs):
        if p.heading:
            layout.append((index, p, [(p.start, p.end, Kind.NARRATION)], False))
            open_prev = False
            continue
        pieces, open_end = _pieces(text, p, style)
        starts_quote = bool(pieces) and pieces[0][2] is Kind.DIALOGUE and pieces[0][0] == p.start
        layout.append((index, p, pieces, open_prev and starts_quote))
        open_prev = open_end
    layout, fixes = _place(text, layout, corrections.lines)
    given = {span: fix.speaker for span, (fix, _) in fixes.items() if fix.speaker}
    known = dict(known or {})
    known.update({name: () for name in given.values() if name not in known})
    roles = _roles(text, layout)

    utterances: dict[tuple[int, int], Utterance] = {}
    narration: list[tuple[int, int]] = []
    lead = ""  # the paragraph before, when it is only narration of the same scene
    for n, (index, p, pieces, continued) in enumerate(layout):
        if roles.get(index, (None,))[0] in ("letter", "thought", "message"):
            lead = ""
            continue  # spans with their own speaker; not for the sieve
        first = True
        for k, (a, b, kind) in enumerate(pieces):
            if kind is Kind.NARRATION:
                narration.append((a, b))
                continue
            before = text[pieces[k - 1][0]:a] if k and pieces[k - 1][2] is Kind.NARRATION else ""
            after = (text[b:pieces[k + 1][1]]
                     if k + 1 < len(pieces) and pieces[k + 1][2] is Kind.NARRATION else "")
            utterances[(a, b)] = Utterance(a, b, index, before, after, continued and first, first,
                                           kind is Kind.THOUGHT, (p.chapter, p.scene),
                                           lead if first else "")
            first = False
        plain = not p.heading and all(kind is Kind.NARRATION for _, _, kind in pieces)
        lead = text[p.start:p.end] if plain else ""
        if not plain and pieces and pieces[-1][2] is Kind.NARRATION and OPENS_ONTO.search(
                text, pieces[-1][0], pieces[-1][1]):
            lead = text[pieces[-1][0]:pieces[-1][1]]  # '"…" And then Ada said:' opens the next

    writers = [_signer(writer) for role, writer in roles.values() if writer]
    characters = _not_these(find_characters(text, narration, list(utterances.values()), known,
                                            writers), corrections.not_characters)
    attributor = Attributor(text, characters, given)
    segments = _fixed(_speak(text, layout, roles, utterances, attributor), fixes)
    # In a story told in the first person, "I" has the name the others call them. Known, it
    # is read again with that name for the narration's I: 'Hastings' in a line is then the
    # one who says I, not another man in the room a he could mean.
    narrator = attributor.narrator_name([(utterances[(s.start, s.end)], s.speaker)
                                         for s in segments if (s.start, s.end) in utterances])
    if narrator:
        attributor = Attributor(text, [
            Character(FIRST_PERSON, (c.name, *c.aliases), "unknown") if c.name == narrator
            else c for c in characters], given)
        segments = [replace(s, speaker=narrator) if s.speaker == FIRST_PERSON else s
                    for s in _fixed(_speak(text, layout, roles, utterances, attributor), fixes)]
    # Speakers known by a description alone ('said the keeper') are characters too.
    characters = list(characters) + [Character(name, (), sex) for name, sex
                                     in attributor.described_people.items()]
    return Segmentation(tuple(segments), tuple(characters), narrator)


def _place(text: str, layout: list, fixes: tuple[LineFix, ...]
           ) -> tuple[list, dict[tuple[int, int], tuple[LineFix, int]]]:
    """Find the line of each correction, and give it the kind the cast file says: a quote
    becomes narration or a thought, and a sentence of narration becomes a line of its own.
    Returns the new layout and each corrected line's correction, with where its words are."""
    placed: dict[tuple[int, int], tuple[LineFix, int]] = {}
    for fix in fixes:
        spans = [(a, b, p.chapter) for _, p, pieces, _ in layout for a, b, _ in pieces]
        (a, b), (at, end) = locate(text, spans, fix)
        n = next(n for n, (_, p, _, _) in enumerate(layout) if p.start <= a < p.end + 1)
        index, p, pieces, continued = layout[n]
        k = next(k for k, piece in enumerate(pieces) if piece[:2] == (a, b))
        kind = fix.kind or (Kind.DIALOGUE if pieces[k][2] is Kind.NARRATION and fix.speaker
                            else pieces[k][2])
        if kind is not pieces[k][2]:
            if pieces[k][2] is Kind.NARRATION:  # only the sentences that hold the words
                a, b = _sentences_around(text, a, b, at, end)
                pieces = pieces[:k] + [piece for piece in (
                    (pieces[k][0], a, Kind.NARRATION), (a, b, kind),
                    (b, pieces[k][1], Kind.NARRATION)) if text[piece[0]:piece[1]].strip()
                ] + pieces[k + 1:]
                pieces = [(x + len(text[x:y]) - len(text[x:y].lstrip()),
                           y - len(text[x:y]) + len(text[x:y].rstrip()), kd)
                          for x, y, kd in pieces]
                a, b = next((x, y) for x, y, kd in pieces if x <= at < y and kd is kind)
            else:
                pieces = pieces[:k] + [(a, b, kind)] + pieces[k + 1:]
            layout[n] = (index, p, pieces, continued)
        placed[(a, b)] = (fix, at)
    return layout, placed


_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s)")


def _sentences_around(text: str, a: int, b: int, at: int, end: int) -> tuple[int, int]:
    """The sentences of ``text[a:b]`` that hold ``text[at:end]``."""
    start = max((m.end() for m in _SENTENCE_END_RE.finditer(text, a, at)), default=a)
    stop = next((m.end() for m in _SENTENCE_END_RE.finditer(text, max(end - 1, a), b)), b)
    return start, stop


def _not_these(characters: list[Character], names: tuple[str, ...]) -> list[Character]:
    """The characters but those the cast file says are never a speaker."""
    never = {n.lower() for n in names}
    return [c for c in characters
            if not never & {name.lower() for name in (c.name, *c.aliases)}]


def _fixed(segments: list[Segment], fixes: dict[tuple[int, int], tuple[LineFix, int]]
           ) -> list[Segment]:
    """The segments with the corrected lines as the cast file says: its speaker and kind,
    and 'cast file' as the rule (a letter's or a message's line too, whose reader is not the
    sieve's)."""
    if not fixes:
        return segments
    out = list(segments)
    starts = [s.start for s in segments]
    for fix, at in fixes.values():
        i = bisect.bisect_right(starts, at) - 1
        s = out[i]
        kind = fix.kind or (Kind.DIALOGUE if s.kind is Kind.NARRATION and fix.speaker
                            else s.kind)
        speaker = None if kind is Kind.NARRATION else fix.speaker or s.speaker
        out[i] = replace(s, kind=kind, speaker=speaker,
                         rule="" if kind is Kind.NARRATION else "cast file",
                         confidence="" if kind is Kind.NARRATION else "high")
    return out


def _speak(text: str, layout: list, roles: dict, utterances: dict[tuple[int, int], Utterance],
           attributor: Attributor) -> list[Segment]:
    """The segments of the laid-out paragraphs, each line given its speaker by the sieve in
    reading order, then each conversation's turns settled."""
    scenes: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for index, p, pieces, _ in layout:
        if index not in roles and not p.heading:
            scenes.setdefault((p.chapter, p.scene), []).extend(
                (a, b) for a, b, k in pieces if k is Kind.NARRATION)
    pov = {key: attributor.point_of_view(spans) for key, spans in scenes.items()}
    segments: list[Segment] = []
    for index, p, pieces, _ in layout:
        role, writer = roles.get(index, (None, None))
        if role in ("letter", "thought"):
            speaker = (attributor.writer(writer) if writer else pov.get((p.chapter, p.scene)))
            kind = Kind.DIALOGUE if role == "letter" else Kind.THOUGHT
            why = (("signed: " + writer, "high") if writer else ("point of view", "medium")
                   ) if speaker else ("no rule found", "low")
            segments.append(Segment(p.start, p.end, kind, speaker, text[p.start:p.end],
                                    p.chapter, p.scene, index, written=role == "letter",
                                    rule=why[0], confidence=why[1]))
            continue
        if role == "message":
            body = _MESSAGE_RE.match(text, p.start).end()
            pieces = [(p.start, text.index(":", p.start) + 1, Kind.NARRATION),
                      (body, p.end, Kind.DIALOGUE)]
            segments += [Segment(a, b, kind, None if kind is Kind.NARRATION
                                 else attributor.writer(writer), text[a:b], p.chapter, p.scene,
                                 index, written=kind is Kind.DIALOGUE,
                                 rule="" if kind is Kind.NARRATION else f"message: {writer}:",
                                 confidence="" if kind is Kind.NARRATION else "high")
                         for a, b, kind in pieces]
            continue
        for a, b, kind in pieces:
            speaker = None
            if kind is Kind.NARRATION:
                if role != "note" and not p.heading:  # an author's note's I is nobody
                    attributor.see(a, b)
            else:
                speaker = attributor.attribute(utterances[(a, b)], pov.get((p.chapter, p.scene)))
            segments.append(Segment(a, b, kind, speaker, text[a:b], p.chapter, p.scene, index,
                                    p.heading, role == "note"))
    # The conversations seen whole: their turns settled from the tags on both sides.
    settled = dict(zip(((d.utterance.start, d.utterance.end) for d in attributor.decisions),
                       attributor.settle()))
    out = []
    for s in segments:
        if (u := utterances.get((s.start, s.end))) is not None and s.kind is not Kind.NARRATION:
            speaker = settled.get((s.start, s.end), s.speaker)
            rule, confidence = (attributor.explain(u, speaker) if speaker == s.speaker
                                else ("turn-taking", "low"))
            s = replace(s, speaker=speaker, rule=rule, confidence=confidence)
        out.append(s)
    return out

