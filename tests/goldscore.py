"""Score segments against a gold annotation, as ../shared/corpus/FORMAT.md defines it:
word-level kind accuracy, dialogue and thought F1, and speaker accuracy over gold spans."""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from pathlib import Path

from audiobook.models import Segment


def _labels(length: int, spans) -> tuple[list[str], list[str | None]]:
    kind, who = ["narration"] * length, [None] * length
    for start, end, k, speaker in spans:
        kind[start:end] = [k] * (end - start)
        who[start:end] = [speaker] * (end - start)
    return kind, who


def score(gold_path: Path, segments: list[Segment]) -> dict[str, float]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return score_text((gold_path.parent / gold["source"]).read_text(encoding="utf-8"), gold,
                      segments)


def moved(gold: dict, source: str, text: str) -> dict:
    """A gold annotation of ``source`` carried over to ``text``, which holds the same spans
    in the same order (the reading text of the same story in another format)."""
    spans, cursor = [], 0
    for span in gold["spans"]:
        words = source[span["start"]:span["end"]].split()
        found = re.compile(r"\s+".join(map(re.escape, words))).search(text, cursor)
        spans.append({**span, "start": found.start(), "end": found.end()})
        cursor = found.end()
    return {**gold, "spans": spans}


def score_text(text: str, gold: dict, segments: list[Segment], errors: list | None = None
               ) -> dict[str, float]:
    """The scores of ``segments`` of ``text`` against ``gold``, an annotation of ``text``:
    with PDNC's quote types, speaker accuracy for each; the wrong spans go to ``errors``."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    starts = [a for a, _ in words]
    gspans = [(s["start"], s["end"], s["kind"], s.get("speaker")) for s in gold["spans"]]
    gk, _ = _labels(len(text), gspans)
    pk, pw = _labels(len(text), [(s.start, s.end, s.kind.value, s.speaker) for s in segments])

    def majority(labels, a, b):
        return Counter(labels[a:b]).most_common(1)[0][0]

    wg = [majority(gk, a, b) for a, b in words]
    wp = [majority(pk, a, b) for a, b in words]
    out = {"kind_accuracy": sum(x == y for x, y in zip(wg, wp)) / len(words)}
    for k in ("dialogue", "thought"):
        tp = sum(x == k == y for x, y in zip(wg, wp))
        fp = sum(x != k == y for x, y in zip(wg, wp))
        fn = sum(y != k == x for x, y in zip(wg, wp))
        out[f"{k}_f1"] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    names = {n: {a.lower() for a in [n, *c.get("aliases", [])]}
             for n, c in gold.get("characters", {}).items()}
    right, by_type = 0, {}
    for span, (start, end, _, speaker) in zip(gold["spans"], gspans):
        first = bisect.bisect_left(starts, start)
        inside = [a for a, b in words[first:bisect.bisect_left(starts, end)] if b <= end]
        if not inside:  # a span inside one word
            inside = [a for a, b in words[max(0, first - 1):first + 1] if a < end and b > start]
        said = Counter((pw[a] or "").lower() for a in inside).most_common(1)
        ok = bool(said) and said[0][0] in names.get(speaker, {str(speaker).lower()})
        right += ok
        if span.get("quote_type"):
            tally = by_type.setdefault(span["quote_type"], [0, 0])
            tally[0], tally[1] = tally[0] + ok, tally[1] + 1
        if not ok and errors is not None:
            errors.append((start, speaker, said[0][0] if said else None, span.get("quote_type"),
                           text[start:end]))
    out["speaker_accuracy"] = right / max(1, len(gspans))
    for kind, (r, n) in sorted(by_type.items()):
        out[f"speaker_accuracy_{kind}"] = r / n
    return out
