"""Score segments against a gold annotation, as ../shared/corpus/FORMAT.md defines it:
word-level kind accuracy, dialogue and thought F1, and speaker accuracy over gold spans."""

from __future__ import annotations

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


def score_text(text: str, gold: dict, segments: list[Segment]) -> dict[str, float]:
    """The scores of ``segments`` of ``text`` against ``gold``, an annotation of ``text``."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
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
    right = 0
    for start, end, _, speaker in gspans:
        inside = ([a for a, b in words if a >= start and b <= end]
                  or [a for a, b in words if a < end and b > start])
        said = Counter((pw[a] or "").lower() for a in inside).most_common(1)
        right += bool(said) and said[0][0] in names.get(speaker, {str(speaker).lower()})
    out["speaker_accuracy"] = right / max(1, len(gspans))
    return out
