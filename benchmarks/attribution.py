"""Who speaks, measured: every annotated story in a folder segmented and scored.

    python benchmarks/attribution.py GOLD_DIR [--errors N] [--only NAME ...]

GOLD_DIR holds NAME.gold.json files (the format of ../shared/corpus/FORMAT.md) beside the
texts they name, such as the PDNC development set that ../shared/corpus/pdnc/make_dev_set.sh
builds in /tmp/pdnc-dev (never in the repository). Prints per story and as means: speaker
accuracy (all, and explicit / anaphoric / implicit where the gold has PDNC's quote types),
kind accuracy, dialogue F1 and words segmented a second (reading the file included).
``--errors N`` lists the first N wrong spans of each story.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from goldscore import score_text  # noqa: E402

from audiobook.readers import read_file  # noqa: E402
from audiobook.segment import segment  # noqa: E402

TYPES = ("explicit", "anaphoric", "implicit")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="wrong spans to list per story")
    parser.add_argument("--only", nargs="*", help="score only these stories")
    args = parser.parse_args(argv)
    golds = sorted(args.gold_dir.glob("*.gold.json"))
    if args.only:
        golds = [g for g in golds if g.name.split(".")[0] in args.only]
    if not golds:
        print(f"no *.gold.json in {args.gold_dir}", file=sys.stderr)
        return 2
    print(f"{'STORY':<30} {'SPEAKER':>7} {'EXPL':>6} {'ANAPH':>6} {'IMPL':>6} {'KIND':>6} "
          f"{'DLG F1':>6} {'WORDS/s':>8}")
    rows = []
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        start = time.perf_counter()
        doc = read_file(path.parent / gold["source"])
        segments = list(segment(doc).segments)
        seconds = time.perf_counter() - start
        errors: list = []
        s = score_text(doc.text, gold, segments, errors)
        s["words_per_s"] = len(doc.text.split()) / seconds
        rows.append(s)
        typed = [f"{s[f'speaker_accuracy_{t}']:>6.3f}" if f"speaker_accuracy_{t}" in s
                 else f"{'—':>6}" for t in TYPES]
        print(f"{path.name.split('.')[0][:30]:<30} {s['speaker_accuracy']:>7.3f} {' '.join(typed)} "
              f"{s['kind_accuracy']:>6.3f} {s['dialogue_f1']:>6.3f} {s['words_per_s']:>8.0f}")
        for at, want, got, kind, text in errors[:args.errors]:
            print(f"    @{at:>7} {kind or '':<9} gold={want!s:<16} pred={got!s:<16} "
                  f"{' '.join(text.split())[:60]}")

    def mean(key: str, form: str = ">6.3f") -> str:
        values = [r[key] for r in rows if key in r]
        return format(sum(values) / len(values), form) if values else f"{'—':>6}"

    print(f"{'MEAN (' + str(len(rows)) + ')':<30} {mean('speaker_accuracy'):>7} "
          f"{' '.join(mean(f'speaker_accuracy_{t}') for t in TYPES)} {mean('kind_accuracy')} "
          f"{mean('dialogue_f1')} {mean('words_per_s', '>8.0f')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
