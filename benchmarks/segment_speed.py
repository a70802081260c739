"""Benchmark: how fast the segmenter handles a novel-length text.

Target (from the issue): segmenting a 150,000-word novel takes under 10 seconds on one core.
The script writes an original synthetic novel (fixed seed, stdlib ``random``), then times, in
the same process, a reference pass (read + tokenise with ``re.findall``), ``reader.read_file``
and ``segment.segment``, and prints words per second and the ratio to the reference.

    python benchmarks/segment_speed.py [--words N] [--repeat R] [--file PATH] [--seed S]

It is a report, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere
from audiobook.readers import read_file  # noqa: E402
from audiobook.segment import segment  # noqa: E402

TARGET_SECONDS, TARGET_WORDS = 10.0, 150_000

# ---- the synthetic novel ------------------------------------------------------------------
# (full name, gender, names used in the text). Aliases exercise the character grouping.
CAST = [("Ada Byrne", "f", ["Ada", "Ada Byrne"]), ("Bram Holt", "m", ["Bram"]),
        ("Mrs. Hale", "f", ["Mrs. Hale"]), ("Thomas Reed", "m", ["Tom", "Thomas Reed", "Thomas"]),
        ("Isla Quenby", "f", ["Isla"]), ("Orrin Vale", "m", ["Orrin", "Captain Vale"]),
        ("Nell", "f", ["Nell"]), ("Felix Marlowe", "m", ["Felix"]), ("Wren", "f", ["Wren"]),
        ("Mr. Pike", "m", ["Mr. Pike"]), ("Lottie Dunn", "f", ["Lottie"]),
        ("Jonah", "m", ["Jonah"])]
W = {k: v.split("|") for k, v in {
    "place": "the mill|the ferry landing|the orchard|the chapel yard|the salt flats|the granary"
             "|the old quarry|the lamp room|the market square|the signal hill|the boathouse",
    "thing": "the ledger|a brass key|the lantern|a folded map|the tide tables|a tin of matches"
             "|the broken compass|a bundle of letters|the winch handle|a coil of rope",
    "time": "before dawn|by noon|after supper|at the turn of the tide|before the frost"
            "|by the end of the week|tonight|when the bell rings",
    "adj": "grey|damp|restless|quiet|bitter|golden|narrow|crooked|pale|heavy|sour|bright",
    "noun": "wind|rain|fog|light|silence|smoke|cold|river|road|hedge|sky|tide",
    "move": "crossed the yard|leaned against the door|set down the basket"
            "|rubbed cold hands together"
            "|glanced at the window|pulled on a coat|turned the lamp down|sat on the bottom step"
            "|folded both arms|stared at the floorboards|picked at a splinter|tapped the table",
    "verb": "said|asked|replied|muttered|whispered|called|answered|admitted|insisted|warned",
    "pverb": "mend|find|carry|hide|sell|open|count|burn|follow|return",
    "done": "mended|found|carried|hidden|sold|opened|counted|burned|followed|returned",
    "feel": "tired|certain|afraid|hopeful|uneasy|stubborn|sorry|glad",
    "title": "The Long Frost|Salt and Iron|A Lamp in the Fog|The Quarry Road|Letters Home"
             "|The Ferryman's Debt|High Water|The Locked Granary|Embers|The Signal Hill",
}.items()}


class Novel:
    """Builds chapters of paragraphs from templates; every call draws fresh random words."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def pick(self, key: str) -> str:
        return self.r.choice(W[key])

    def who(self) -> tuple[str, str]:
        _, gender, names = self.r.choice(CAST)
        return self.r.choice(names), gender

    def fill(self, template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self.pick(m.group(1)), template)

    def narration(self) -> str:
        out = []
        for _ in range(self.r.randint(2, 5)):
            name, g = self.who()
            out.append(self.fill(self.r.choice([
                "The {noun} over {place} was {adj} and {adj}.",
                f"{name} {{move}}, and {'he' if g == 'm' else 'she'} thought about {{thing}}.",
                "Somewhere past {place} a dog barked, and the {noun} answered it.",
                f"It was {{adj}} work, and {name} had not expected to be finished {{time}}.",
                "Nobody had touched {thing} since the {noun} came down over {place}.",
                f"{name} {{move}} while the {{noun}} pressed at the glass.",
                "By the time the {noun} lifted, {place} looked {adj} and strange.",
            ])))
        return " ".join(out)

    # Spoken sentences; "|" marks where a split quote may break (``"Leave it," she said, "…"``).
    LINES = ["We have to {pverb} {thing}|{time}.", "I never said|I would {pverb} it.",
             "Did you see {place} this morning?", "You look {feel}.", "I'm {feel}, that's all.",
             "Leave {thing}|where it is.", "Who told you about {place}?", "Listen to me.",
             "The {noun} will turn {adj}|{time}.", "I can {pverb} {thing}|if you let me.",
             "Don't go near {place}|{time}.", "Why would anyone {pverb} {thing}?",
             "Honestly,|I thought you knew about {thing}.", "Go home before the {noun} gets worse!"]

    def line(self, split: bool = False) -> str:
        """One spoken sentence or two, first or second person; ``split`` keeps one '|'."""
        first = self.fill(self.r.choice([t for t in self.LINES if "|" in t] if split
                                        else self.LINES))
        more = [self.fill(self.r.choice(self.LINES)) for _ in range(self.r.randint(0, 1))]
        return " ".join([first if split else first.replace("|", " ")]
                        + [m.replace("|", " ") for m in more])

    def dialogue(self) -> list[str]:
        """A conversation between two people, mixing every kind of tag."""
        r = self.r
        (a, ga, names_a), (b, gb, names_b) = [(r.choice(n), g, n) for _, g, n in r.sample(CAST, 2)]
        o, c = "“”" if r.random() < 0.3 else '""'  # curly or straight quotes, per conversation

        def tagged(line: str) -> str:  # a quote followed by its tag: final '.' becomes ','
            return o + (line[:-1] + "," if line.endswith(".") else line) + c
        out = [f"{tagged(self.line())} {a} {self.pick('verb')}.",
               f"{b} {self.pick('verb')}, {o}{self.line()}{c}"]
        for turn in range(r.randint(1, 6)):
            name, g, names = (a, ga, names_a) if turn % 2 == 0 else (b, gb, names_b)
            line, kind = self.line(), r.randrange(7)
            if kind == 0:    # pronoun tag
                out.append(f"{tagged(line)} {'he' if g == 'm' else 'she'} {self.pick('verb')}.")
            elif kind == 1:  # split quote
                head, tail = self.line(split=True).split("|")
                out.append(f"{o}{head.rstrip(',')},{c} {name} said, {o}{tail}{c}")
            elif kind == 2:  # action beat
                out.append(f"{name} {self.pick('move')}. {o}{line}{c}")
            elif kind == 3:  # thought in italics, then the line
                out.append(f"*I should have {self.pick('done')} it {self.pick('time')},* "
                           f"{name} thought. {o}{line}{c}")
            elif kind == 4:  # tag after, the name first or the verb first
                out.append(f"{tagged(line)} {self.pick('verb')} {r.choice(names)}.")
            else:            # untagged: alternation carries the speaker
                out.append(f"{o}{line}{c}")
        return out

    def speech(self) -> list[str]:
        """A speech over several paragraphs: each opens a quote, only the last closes it."""
        name, _ = self.who()
        parts = [" ".join(self.line() for _ in range(3)) for _ in range(self.r.randint(2, 4))]
        out = [f'{name} took a breath. "{parts[0]}']
        out += [f'"{p}' for p in parts[1:-1]] + [f'"{parts[-1]}"']
        return out

    def letter(self) -> list[str]:
        (to, _), (sig, _) = self.who(), self.who()
        body = [" ".join(self.fill(self.r.choice([
            "I am writing from {place}, where the {noun} has not let up.",
            "You would not know {place} now; it is {adj} and {adj}.",
            "I have kept {thing} safe, as I promised you I would.",
            "Tell nobody that I mean to come back {time}.",
        ])) for _ in range(self.r.randint(2, 4))) for _ in range(self.r.randint(1, 3))]
        return ["The letter was short, and the ink had run.", f"Dear {to},", *body,
                f"Yours, {sig}"]

    def chapter(self, n: int, words: int) -> str:
        paras = [f"Chapter {n}: {self.pick('title')}"]
        count = 0
        while count < words:
            roll = self.r.random()
            block = ([self.narration()] if roll < 0.40 else self.dialogue() if roll < 0.85
                     else ["* * *"] if roll < 0.90 else self.speech() if roll < 0.96
                     else self.letter())
            paras += block
            count += sum(len(p.split()) for p in block)
        return "\n\n".join(paras)

    def book(self, words: int) -> str:
        chapters = max(1, round(words * 40 / TARGET_WORDS))
        per, text = words // chapters, []
        for n in range(1, chapters + 1):
            text.append(self.chapter(n, per))
        return "\n\n".join(text) + "\n"


# ---- timing -------------------------------------------------------------------------------
def best_of(fn, repeat: int):
    """(fastest seconds, last result) over ``repeat`` runs."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def reference(path: Path) -> tuple[int, int]:
    """The floor: read the file and look at every word and quote mark once."""
    text = path.read_text(encoding="utf-8")
    return len(re.findall(r"\S+", text)), text.count('"')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=TARGET_WORDS, help="size of the generated novel")
    ap.add_argument("--repeat", type=int, default=3, help="runs of read+segment; best is kept")
    ap.add_argument("--file", type=Path, help="benchmark this text file instead")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()

    tmp = None
    if args.file:
        path = args.file
    else:
        fd, tmp = tempfile.mkstemp(suffix=".txt", prefix="segment-bench-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(Novel(args.seed).book(args.words))
        path = Path(tmp)
    try:
        ref_s, (words, _) = best_of(lambda: reference(path), 10)
        read_s, doc = best_of(lambda: read_file(path), args.repeat)
        seg_s, seg = best_of(lambda: segment(doc), args.repeat)
        tracemalloc.start()
        segment(doc)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        if tmp:
            os.unlink(tmp)

    kinds = Counter(s.kind.value for s in seg.segments)
    lines = Counter(s.speaker for s in seg.segments if s.kind.value != "narration" and s.speaker)
    gender = {c.name: c.gender for c in seg.characters}
    unattributed = sum(1 for s in seg.segments if s.kind.value != "narration" and not s.speaker)
    total = read_s + seg_s
    limit = TARGET_SECONDS * words / TARGET_WORDS  # the target scaled to the words measured
    nominal = words if args.file else args.words  # the size asked for, as the target names it

    print(f"input:       {path if args.file else f'synthetic novel (seed {args.seed})'}")
    print(f"words:       {words:,}  ({len(doc.text):,} chars, {len(doc.chapters)} chapters, "
          f"{len(doc.paragraphs):,} paragraphs)")
    print(f"characters:  {len(seg.characters)}; most lines: " + ", ".join(
        f"{n} ({gender.get(n, '?')}, {c})" for n, c in lines.most_common(6)))
    print("segments:    " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items()))
          + f"  (total {len(seg.segments):,}; {unattributed:,} quotes without a speaker)")
    print(f"reference:   {ref_s * 1000:8.1f} ms  (read + re.findall, best of 10)")
    print(f"read_file:   {read_s:8.3f} s   ({words / read_s:,.0f} words/s)")
    print(f"segment:     {seg_s:8.3f} s   ({words / seg_s:,.0f} words/s)  best of {args.repeat}")
    print(f"total:       {total:8.3f} s   ({words / total:,.0f} words/s)")
    print(f"ratio:       segment = {seg_s / ref_s:,.0f} x reference, "
          f"read = {read_s / ref_s:,.1f} x reference")
    print(f"peak memory: {peak / 2**20:.1f} MiB during segment (tracemalloc)")
    verdict = "PASS" if total < limit else "FAIL"
    print(f"target: < {TARGET_SECONDS * nominal / TARGET_WORDS:.3g} s for {nominal:,} words -> "
          f"{verdict}  (read + segment {total:.2f} s for {words:,}; scaled limit {limit:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
