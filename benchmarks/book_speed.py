"""How fast books in markup are read and segmented (the EPUB/HTML issue's target: a whole
100,000-word EPUB segmented in under 10 s).

    python benchmarks/book_speed.py BOOK.epub [PAGE.html ...]

For each book, in one run: the reference (what any reader must do at the least: inflate every
page of the zip and parse it with lxml), then ``read_file`` (reading text, chapters, what is
not read) and ``segment`` (quotes, thoughts, speakers), with words, seconds, words a second,
the ratio to the reference and the peak memory of a fresh process doing it all. Books are
not part of the repository: give the paths of your own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHILD = r"""
import json, resource, sys, time
from audiobook.readers import read_file
from audiobook.segment import segment
t0 = time.perf_counter()
doc = read_file(sys.argv[1])
t1 = time.perf_counter()
segments = segment(doc).segments
t2 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "segment": t2 - t1, "words": len(doc.text.split()),
                  "chapters": len(doc.chapters), "segments": len(segments),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def reference(path: Path) -> float:
    """Seconds to inflate and parse every page (an HTML page: to parse it)."""
    from lxml import etree

    start = time.perf_counter()
    parser = etree.HTMLParser()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith((".xhtml", ".html", ".htm")):
                    etree.fromstring(archive.read(name), parser)
    else:
        etree.fromstring(path.read_bytes(), parser)
    return time.perf_counter() - start


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip())
        return 2
    print(f"{'BOOK':<28} {'WORDS':>8} {'CH':>4} {'REF s':>7} {'READ s':>7} {'SEG s':>7} "
          f"{'WORDS/s':>9} {'x REF':>7} {'PEAK MiB':>9}")
    for name in paths:
        path = Path(name)
        ref = reference(path)
        out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                             text=True, cwd=Path(__file__).resolve().parent.parent)
        if out.returncode:
            print(f"{path.name[:28]:<28} failed: {out.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(out.stdout)
        total = r["read"] + r["segment"]
        print(f"{path.name[:28]:<28} {r['words']:>8} {r['chapters']:>4} {ref:>7.2f} "
              f"{r['read']:>7.2f} {r['segment']:>7.2f} {r['words'] / total:>9.0f} "
              f"{total / ref:>7.1f} {r['peak_mib']:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
