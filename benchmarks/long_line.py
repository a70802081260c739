"""Benchmark: a story with no sentence breaks builds in bounded memory, in parts of like
length (issue 11's target: 20,000 words without a full stop, peak under 700 MiB, and
``--max-minutes 30`` giving parts of comparable length).

    python benchmarks/long_line.py [--words 20000] [--max-minutes 30] [--jobs N]

In one run, each a cold build (empty cache) through the command line, as a user runs it:

- the reference: the same words in ordinary sentences (a full stop every 13 words),
- the wall: the same words as one paragraph with commas and no full stop,
- the line: the same words with no punctuation at all,

each with its wall time, the peak memory of the build's processes (summed over the build,
its workers and encoders, sampled every 20 ms), the ratio of both to the reference, and the
length of every part. The text is generated here. It is a report, not a test: it exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from build_speed import timed  # noqa: E402

from audiobook.export import read_mp3  # noqa: E402

POOL = ("the river ran on under a grey sky and the old man walked along its bank with his "
        "dog who barked at every bird that rose from the reeds while the wind carried the "
        "smell of rain over the fields").split()
TARGET_MIB = 700


def text(words: int, mark: str | None) -> str:
    """``words`` words; ``mark`` ('.' or ',') after every 13th, or none."""
    out = [POOL[(n * 7 + n // 31) % len(POOL)] for n in range(words)]
    if mark:
        out = [w + mark if n % 13 == 12 else w for n, w in enumerate(out)]
    body = " ".join(out)
    if mark == ".":  # sentences open with a capital
        body = ". ".join(s[:1].upper() + s[1:] for s in body.split(". "))
    return f"# A Walk\n\n{body}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20000)
    parser.add_argument("--max-minutes", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-long-"))
    runs = {"reference (sentences)": ".", "wall (commas, no stop)": ",",
            "line (no punctuation)": None}
    try:
        print(f"{args.words:,} words, --max-minutes {args.max_minutes}, --jobs {args.jobs}, "
              f"{os.cpu_count()} cores")
        figures = {}
        for n, (label, mark) in enumerate(runs.items()):
            story, out = work / f"story{n}.txt", work / f"out{n}"
            story.write_text(text(args.words, mark), encoding="utf-8")
            seconds, peak = timed([sys.executable, "-m", "audiobook", "build", str(story),
                                   "--out", str(out), "--no-cache", "--quiet", "--jobs",
                                   str(args.jobs), "--max-minutes", str(args.max_minutes)],
                                  cwd=ROOT)
            parts = [read_mp3(p)["duration"] / 60 for p in sorted(out.rglob("*.mp3"))]
            figures[label] = seconds, peak
            ref_s, ref_peak = figures["reference (sentences)"]
            print(f"{label:<24} {seconds:6.1f} s ({seconds / ref_s:4.2f}x)  peak "
                  f"{peak / 2**20:5.0f} MiB ({peak / ref_peak:4.2f}x, target < {TARGET_MIB}: "
                  f"{'PASS' if peak < TARGET_MIB * 2**20 else 'FAIL'})  parts (min): "
                  f"{', '.join(f'{m:.1f}' for m in parts)}  longest/shortest "
                  f"{max(parts) / min(parts):.2f}")
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
