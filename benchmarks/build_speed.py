"""Benchmark: a whole build against the naive way, in one run.

The reference is the two-command way: the whole text through the ``espeak-ng`` command line
to WAV, then ``ffmpeg`` to MP3 at the build's bit rate and sample rate. Against it, timed
the same way (each as its own process, as a user runs it):

- a cold build (empty clip cache, empty output folder),
- a rebuild with nothing changed,
- a rebuild after changing one character's pitch (the character with the most lines),
- a rebuild after correcting one line in the cast file (``lines:``, a line of dialogue given
  to another character), which speaks again only the lines whose voice changed,

and a cold build of the MP3s and the m4b together (against the MP3-only cold build), and,
where Kokoro's model is in place, Kokoro's real-time factor on 300 words,
each printed as a ratio to the reference (the correction also as a ratio to the cold
build), with the peak memory of the build's processes (summed over the process and its
workers and encoders, sampled every 20 ms).

    python benchmarks/build_speed.py [STORY] [--novel WORDS] [--jobs N]

STORY defaults to ../shared/corpus/farewell.txt; ``--novel 150000`` builds the synthetic
novel of benchmarks/segment_speed.py instead (slow: hours of audio). Without an
``espeak-ng`` command line (the wheel ships only the library), the reference speaks the
whole text in one call through that library instead, and says so. It is a report, not a
test: it always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from audiobook.export import Encoding, ffmpeg_exe  # noqa: E402

TARGETS = {"cold build": 1.0, "unchanged rebuild": 0.1, "one character changed": 0.5}
CORRECTION_TARGET = 0.1  # of the cold build
BOTH_TARGET = 1.5  # an MP3 and m4b build, of the MP3-only cold build


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024
        except (OSError, AttributeError):
            pass
        todo += children.get(p, [])
    return total


def timed(cmd: list[str], **kw) -> tuple[float, int]:
    """Run ``cmd``; its wall time and the peak resident memory of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return seconds, peak[0]


def library_reference(story: Path, wav: Path) -> None:
    """The whole text in one call to the eSpeak NG library (no command line here)."""
    from audiobook.engines.pyttsx3_engine import Pyttsx3Engine
    from audiobook.models import Voice

    engine = Pyttsx3Engine()
    pcm, rate = engine.synthesize(story.read_text(encoding="utf-8"), Voice("en-gb"))
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


def correct_one_line(py: list[str], story: Path, cast: Path) -> str:
    """Give the first line of dialogue of a few words to another character, in the cast
    file's ``lines:``, as a person correcting the segmenter would; says what it did."""
    out = subprocess.run([*py, "segment", str(story), "--voices", str(cast), "--format",
                          "jsonl"], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    speakers = sorted({r["speaker"] for r in rows if r["speaker"]})
    text = story.read_text(encoding="utf-8")
    for r in rows:
        words = re.findall(r"[\w']+", r["text"])
        match = " ".join(words[:5])
        if (r["kind"] == "dialogue" and len(words) >= 5 and len(speakers) > 1
                and len(re.findall(r"(?<!\w)" + r"\W+".join(map(re.escape, words[:5]))
                                   + r"(?!\w)", text, re.I)) == 1):
            other = next(s for s in speakers if s != r["speaker"])
            with cast.open("a", encoding="utf-8") as f:
                f.write(f'lines:\n  - match: "{match}"\n    speaker: {other}\n')
            return f"corrected: '{match}' from {r['speaker']} to {other}"
    return "no line to correct"


def kokoro_rtf(py: list[str], story: Path, work: Path, jobs: int) -> str:
    """Kokoro's real-time factor (build seconds per second of audio) on the story's first
    300 words, when its model is where the engine looks; else why it is skipped."""
    from audiobook.engines.kokoro import locate
    from audiobook.errors import EngineError

    try:
        locate()
        import kokoro_onnx  # noqa: F401
    except (EngineError, ImportError) as exc:
        return f"kokoro:     skipped ({exc})"
    excerpt, cast = work / "kokoro.txt", work / "kokoro.yaml"
    excerpt.write_text(" ".join(story.read_text(encoding="utf-8").split(" ")[:300]),
                       encoding="utf-8")
    cast.write_text("engine: kokoro\n", encoding="utf-8")
    seconds, peak = timed([*py, "build", str(excerpt), "--voices", str(cast), "--out",
                           str(work / "out-kokoro"), "--cache", str(work / "cache-kokoro"),
                           "--jobs", str(jobs), "--quiet"], cwd=ROOT)
    from audiobook.export import read_mp3

    audio = sum(read_mp3(p)["duration"] for p in (work / "out-kokoro").rglob("*.mp3"))
    return (f"kokoro:     {seconds:.2f} s for {audio:.1f} s of audio (300 words): real-time "
            f"factor {seconds / audio:.2f}, peak memory {peak / 2**20:.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("story", nargs="?", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "farewell.txt")
    parser.add_argument("--novel", type=int, metavar="WORDS",
                        help="build a synthetic novel of this many words instead")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-"))
    story = args.story
    if args.novel:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from segment_speed import Novel

        story = work / "novel.txt"
        story.write_text(Novel(1234).book(args.novel), encoding="utf-8")
    words = len(story.read_text(encoding="utf-8").split())
    py = [sys.executable, "-m", "audiobook"]
    enc = Encoding()
    cast, out, cache = work / "voices.yaml", work / "out", work / "cache"
    try:
        # The reference: text -> WAV -> MP3 at the build's bit rate and sample rate.
        wav, mp3 = work / "reference.wav", work / "reference.mp3"
        espeak = shutil.which("espeak-ng")
        if espeak:
            t_speak, _ = timed([espeak, "-w", str(wav), "-f", str(story)])
            how = "espeak-ng command line"
        else:
            start = time.perf_counter()
            library_reference(story, wav)
            t_speak = time.perf_counter() - start
            how = "eSpeak NG library, one call (no espeak-ng command line here)"
        t_enc, _ = timed([ffmpeg_exe(), "-v", "error", "-y", "-i", str(wav), "-ar",
                              str(enc.sample_rate), "-ac", "1", "-b:a", f"{enc.bitrate_kbps}k",
                              str(mp3)])
        reference = t_speak + t_enc

        subprocess.run([*py, "cast", str(story), "--voices", str(cast)], check=True,
                       capture_output=True, cwd=ROOT)
        build = [*py, "build", str(story), "--voices", str(cast), "--out", str(out),
                 "--cache", str(cache), "--jobs", str(args.jobs), "--quiet"]
        runs = {"cold build": timed(build, cwd=ROOT),
                "unchanged rebuild": timed(build, cwd=ROOT)}
        text = cast.read_text(encoding="utf-8")
        first = re.search(r"^  (\S[^:\n]*):\n((?:    .*\n)*)", text.split("characters:", 1)[1],
                          re.M)
        name = first.group(1)
        block = first.group(0)
        changed = re.sub(r"pitch: (\d+)", lambda m: f"pitch: {(int(m.group(1)) + 20) % 100}",
                         block, count=1)
        cast.write_text(text.replace(block, changed, 1), encoding="utf-8")
        runs["one character changed"] = timed(build, cwd=ROOT)
        fixed = correct_one_line(py, story, cast)
        corrected = timed(build, cwd=ROOT)
        both = timed([*build[:build.index("--out") + 1], str(work / "out-both"), "--cache",
                      str(work / "cache-both"), *build[build.index("--jobs"):],
                      "--format", "mp3,m4b"], cwd=ROOT)

        print(f"story:      {story.name}, {words:,} words")
        print(f"machine:    {os.cpu_count()} cores, --jobs {args.jobs}")
        print(f"reference:  {reference:6.2f} s  ({how}: {t_speak:.2f} s to WAV, "
              f"ffmpeg {t_enc:.2f} s to MP3 at {enc.bitrate_kbps} kbit/s, "
              f"{enc.sample_rate} Hz)")
        verdicts = []
        for label, (seconds, peak) in runs.items():
            ratio = seconds / reference
            ok = ratio <= TARGETS[label]
            verdicts.append(ok)
            print(f"{label:<22} {seconds:6.2f} s  {ratio:5.2f}x reference  "
                  f"(target <= {TARGETS[label]}x: {'PASS' if ok else 'FAIL'})  "
                  f"peak memory {peak / 2**20:6.0f} MiB")
        ratio = corrected[0] / runs["cold build"][0]
        print(f"{'one line corrected':<22} {corrected[0]:6.2f} s  {ratio:5.2f}x the cold build "
              f"(target <= {CORRECTION_TARGET}x: "
              f"{'PASS' if ratio <= CORRECTION_TARGET else 'FAIL'})  "
              f"peak memory {corrected[1] / 2**20:6.0f} MiB; {fixed}")
        ratio = both[0] / runs["cold build"][0]
        print(f"{'cold, mp3 + m4b':<22} {both[0]:6.2f} s  {ratio:5.2f}x the MP3 cold build "
              f"(target <= {BOTH_TARGET}x: {'PASS' if ratio <= BOTH_TARGET else 'FAIL'})  "
              f"peak memory {both[1] / 2**20:6.0f} MiB")
        mp3s = sorted(out.rglob("*.mp3"))
        print(f"output:     {len(mp3s)} file(s), "
              f"{sum(p.stat().st_size for p in mp3s) / 2**20:.1f} MiB; "
              f"changed character: {name}")
        print(f"peak memory target: < 1024 MiB -> "
              f"{'PASS' if max(p for _, p in runs.values()) < 2**30 else 'FAIL'}")
        print(kokoro_rtf(py, story, work, args.jobs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
