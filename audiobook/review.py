"""The review page: the whole story as it will be read, in one HTML file to check by eye.

Every span is marked by kind (narration, dialogue, thought, letter, note) and coloured by its
reader (a colour per character, the narrator plain), with the rule that gave it its speaker
and how sure that is. A switch shows only the doubtful lines (low confidence, or no speaker);
clicking a line gives the ``lines:`` correction to paste into the cast file, with words chosen
here so that they name that one line. The page is self-contained: inline style and script
(allowed by hash in its Content-Security-Policy), nothing fetched, so it works from file://.
The story is hostile input: every piece of its text is escaped.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .export import atomic
from .lexicon import FIRST_PERSON
from .models import Character, Kind, Segment
from .pipeline import Production

FILE_NAME = "review.html"
_START = object()  # the reader before a chapter's first line: nobody yet
MIN_WORDS = 4  # a correction's match has at least this many words (or the whole line)
MAX_RUN = 12  # beyond this many words, a line that needs more to be unique gives all its words
SURE = ("high", "medium")
# Strong colours, far apart and none grey (the narrator) or alarm red (no speaker).
PALETTE = ("#1f6fb4", "#2a8a2a", "#8a4fbf", "#d0680a", "#0f8b8d", "#c2418f", "#8c5a3c",
           "#7d7d0c", "#2c3e9e", "#a0304f", "#3c9a6e", "#6a3d9a")
# Trimmed from the ends of a match: never a word character (an italic's _ is one), so the
# match still begins and ends where a word does.
_EDGE = "\"'“”‘’«»*()[]{},;:.!?…—–- "
_WORD = re.compile(r"\w")
_WORD_WORD = re.compile(r"\w\w")  # two word characters: a line's edge inside a word
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_PLAIN = re.compile(r"[^\W\d_][\w .'-]*(?<=[\w.])")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def write_review(production: Production, out: Path) -> Path:
    """Write ``OUT/review.html`` (atomically; a place that cannot be written names --out)."""
    dest = Path(out) / FILE_NAME
    with atomic(dest, "--out") as partial:
        partial.write_text(render(production), encoding="utf-8")
    return dest


def render(production: Production) -> str:
    """The review page of ``production``, as one self-contained HTML document."""
    doc, seg = production.document, production.segmentation
    colours = speaker_colours(production)
    matches = Matches(doc.text, [(c.number, c.start, c.end) for c in doc.chapters])
    style = CSS + "".join(_colour_rule(i, c) for i, c in enumerate(colours.values()))
    classes = {name: f"sp-{i}" for i, name in enumerate(colours)}
    lines = [s for s in seg.segments if not s.heading]
    doubtful = sum(_doubtful(s) for s in lines)
    body = "".join([
        f"<header><h1>{escape(doc.title)}</h1>",
        f"<p class=\"byline\">{escape(doc.author)}</p>" if doc.author else "",
        f"<p class=\"summary\">{len(lines)} lines, {doubtful} doubtful. Click a line for the "
        "correction to paste into the cast file.</p>",
        "<p class=\"switch\"><label><input type=\"checkbox\" id=\"doubtful-only\"> Show only "
        f"the doubtful lines ({doubtful}: low confidence or no speaker)</label> "
        f"<span id=\"shown\" data-visible=\"{len(lines)}\">{len(lines)} of {len(lines)} lines "
        "shown</span></p>", KEY, "</header>",
        _contents(production), _legend(production, classes),
        "<main id=\"story\">", _story(production, classes, matches), "</main>",
        _panel(production),
    ])
    language = escape(doc.meta.get("language") or "en")
    return (f"<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_policy(style)}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Review: {escape(doc.title)}</title><style>{style}</style></head>"
            f"<body>{body}<script>{SCRIPT}</script></body></html>\n")


def _policy(style: str) -> str:
    """Nothing may load; only this page's own style and script may run."""
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
    return (f"default-src 'none'; style-src {digest(style)}; script-src {digest(SCRIPT)}; "
            "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'")


def speaker_colours(production: Production) -> dict[str, str]:
    """A colour for every character who has a line, the same for a name from run to run
    (its palette place comes from the name; a clash takes the next free place)."""
    counts = production.segmentation.line_counts()
    names = [n for n, lines in counts.items() if n and sum(lines) and n != FIRST_PERSON]
    names.sort(key=lambda n: (-sum(counts[n]), n))
    free, colours = list(PALETTE), {}
    for n, name in enumerate(names):
        if not free:
            colours[name] = f"hsl({(n * 137) % 360} 60% 38%)"
            continue
        start = zlib.crc32(name.encode()) % len(PALETTE)
        place = next(c for c in PALETTE[start:] + PALETTE[:start] if c in free)
        free.remove(place)
        colours[name] = place
    return colours


def _colour_rule(index: int, colour: str) -> str:
    tint = f"{colour}1f" if colour.startswith("#") else colour.replace(")", " / 0.12)")
    return f".sp-{index}{{--c:{colour};--t:{tint}}}"


def _reader_class(name: str | None, classes: dict[str, str]) -> str:
    """The class that colours ``name``'s lines: their own, ``nobody`` for lines without a
    speaker, ``narrator`` (plain) for the narrator and a first-person narrator's "I said"."""
    if name is None:
        return "nobody"
    return classes.get(name, "narrator")


def _doubtful(s: Segment) -> bool:
    return s.kind is not Kind.NARRATION and (s.speaker is None or s.confidence not in SURE)


def _why(s: Segment) -> str:
    """The small label after a line: what it is, by which rule, how sure."""
    parts = []
    if s.note:
        parts.append("note")
    if s.written:
        parts.append("letter")
    elif s.kind is Kind.THOUGHT:
        parts.append("thought")
    if s.kind is not Kind.NARRATION:
        if s.speaker is None:
            parts.append("no speaker")
        parts += [p for p in (s.rule, s.confidence) if p]
    return " · ".join(parts)


# --- the page's parts ------------------------------------------------------------------------


def _contents(production: Production) -> str:
    lines: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for s in production.segmentation.segments:
        if not s.heading:
            lines[s.chapter][0] += 1
            lines[s.chapter][1] += _doubtful(s)
    rows = []
    for c in production.document.chapters:
        total, doubt = lines[c.number]
        rows.append(f"<li><a href=\"#chapter-{c.number}\">{escape(c.title)}</a> "
                    f"<small>{total} lines{f', {doubt} doubtful' if doubt else ''}"
                    "</small></li>")
    return f"<nav id=\"contents\"><h2>Contents</h2><ol>{''.join(rows)}</ol></nav>"


def _legend(production: Production, classes: dict[str, str]) -> str:
    seg, cast = production.segmentation, production.cast
    counts = seg.line_counts()
    narrated = sum(s.kind is Kind.NARRATION and not s.heading for s in seg.segments)
    rows = [_legend_row("narrator", "Narrator (narration)", cast.narrator, "", narrated, "", ())]
    people = list(seg.characters)
    people += [Character(n) for n in counts if n and n not in {c.name for c in people}]
    people.sort(key=lambda c: (-sum(counts.get(c.name, (0, 0))), c.name))
    for c in people:
        spoken, thought = counts.get(c.name, (0, 0))
        member = cast.member(c.name)
        aliases = tuple(dict.fromkeys(c.aliases + (member.aliases if member else ())))
        name = c.name + (" (the narrator)" if c.name == seg.narrator else "")
        rows.append(_legend_row(_reader_class(c.name, classes), name,
                                production.voices.get(c.name), c.gender, spoken, thought,
                                aliases))
    if counts.get(None, (0, 0)) != (0, 0):
        spoken, thought = counts[None]
        rows.append(_legend_row("nobody", "(no speaker)", production.voices.get(None), "",
                                spoken, thought, ()))
    return ("<section id=\"cast\"><h2>Cast</h2><table><thead><tr><th>Reader</th><th>Voice</th>"
            "<th>Gender</th><th>Spoken</th><th>Thought</th><th>Aliases</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def _legend_row(reader: str, name: str, voice, gender: str, spoken, thought, aliases) -> str:
    said = f"{voice.id} p{voice.pitch} r{voice.rate}" if voice else "-"
    return (f"<tr class=\"{reader}\"><td><span class=\"swatch\"></span>{escape(name)}</td>"
            f"<td>{escape(said)}</td><td>{escape(gender)}</td><td>{spoken}</td>"
            f"<td>{thought}</td><td>{escape(', '.join(aliases))}</td></tr>")


def _story(production: Production, classes: dict[str, str], matches: Matches) -> str:
    """The chapters in order: headings as headings, paragraphs of lines, scene breaks."""
    doc, segments = production.document, production.segmentation.segments
    by_chapter: dict[int, list[Segment]] = defaultdict(list)
    for s in segments:
        by_chapter[s.chapter].append(s)
    titles = {c.number: c.title for c in doc.chapters}
    out = []
    for number in sorted(set(titles) | set(by_chapter)):
        mine = by_chapter.get(number, [])
        out.append(f"<section class=\"chapter\" id=\"chapter-{number}\">")
        if not (mine and mine[0].heading):
            title = titles.get(number, f"Chapter {number}")
            out.append(f"<h2 class=\"title\">{escape(title)}</h2>")
        out += _paragraphs(doc.text, mine, classes, matches)
        out.append("</section>")
    return "".join(out)


def _paragraphs(text: str, segments: list[Segment], classes: dict[str, str],
                matches: Matches) -> list[str]:
    out: list[str] = []
    groups: list[list[Segment]] = []
    for s in segments:
        if groups and groups[-1][0].paragraph == s.paragraph:
            groups[-1].append(s)
        else:
            groups.append([s])
    scene, last_reader = None, _START
    for group in groups:
        first = group[0]
        if scene is not None and first.scene != scene:
            out.append(f"<hr class=\"scene\" title=\"scene {first.scene}\">")
        scene = first.scene
        parts = []
        for i, s in enumerate(group):
            if i:
                gap = text[group[i - 1].end:s.start]
                parts.append(" " if gap.isspace() else escape(gap))
            reader = s.speaker if s.kind is not Kind.NARRATION else last_reader
            parts.append(_line(s, classes, matches, change=reader != last_reader))
            last_reader = reader
        inner = "".join(parts)
        if first.heading:
            out.append(f"<h2 class=\"heading\">{inner}</h2>")
        else:
            state = "doubtful" if any(_doubtful(s) for s in group) else "sure"
            out.append(f"<p class=\"para {state}\">{inner}</p>")
    return out


def _line(s: Segment, classes: dict[str, str], matches: Matches, change: bool) -> str:
    """One line: its reader's name (shown where the voice changes), its text, its label."""
    spoken = s.kind is not Kind.NARRATION
    marks = ["line", s.kind.value, _reader_class(s.speaker, classes) if spoken else "narrator"]
    marks += ["letter"] if s.written else []
    marks += ["note"] if s.note else []
    marks.append("heading" if s.heading else "doubtful" if _doubtful(s) else "sure")
    marks += ["change"] if change and spoken else []
    attrs = {"class": " ".join(marks), "data-kind": s.kind.value}
    if s.kind is not Kind.NARRATION:
        attrs.update({"data-speaker": s.speaker or "", "data-rule": s.rule,
                      "data-confidence": s.confidence})
    if not s.heading and (found := matches.choose(s)):
        attrs["data-fix"] = correction(s, found)
    who = why = ""
    if s.kind is not Kind.NARRATION:
        who = f"<b class=\"who\">{escape(s.speaker or '?')}</b>"
    if label := _why(s):
        why = f"<small class=\"why\">{escape(label)}</small>"
    opened = " ".join(f"{k}=\"{escape(v)}\"" for k, v in attrs.items())
    return f"<span {opened}>{who}<span class=\"text\">{escape(s.text)}</span>{why}</span>"


def _panel(production: Production) -> str:
    names = sorted(c.name for c in production.segmentation.characters)
    people = "".join(f"<option value=\"{escape(yaml_text(n))}\">{escape(n)}</option>"
                     for n in names)
    kinds = "".join(f"<option>{k.value}</option>" for k in Kind)
    return ("<aside id=\"fix\" hidden><h2>Correction for the cast file</h2>"
            "<p id=\"fix-now\"></p><p><label>Speaker <select id=\"fix-speaker\">"
            f"<option value='\"\"'>(choose)</option>{people}</select></label> "
            f"<label>Kind <select id=\"fix-kind\">{kinds}</select></label></p>"
            "<textarea id=\"fix-text\" rows=\"7\" cols=\"72\" spellcheck=\"false\"></textarea>"
            "<p><button type=\"button\" id=\"fix-copy\">Copy</button> "
            "<button type=\"button\" id=\"fix-close\">Close</button> "
            "<span id=\"fix-status\" role=\"status\"></span></p>"
            "<p class=\"hint\">Paste it into voices.yaml (under its <code>lines:</code> when it "
            "has one), then run the command again.</p></aside>")


# --- corrections -----------------------------------------------------------------------------


def yaml_text(value: str) -> str:
    """``value`` as a YAML scalar: plain when that is safe, else double-quoted."""
    if _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Match:
    """The words a correction finds its line by."""

    words: str
    chapter: int | None = None  # to name too: the words occur in another chapter as well
    unique: bool = True  # False: nothing names this one line (the cast file needs more)
    beyond: bool = False  # the words run on past the line (its own occur elsewhere too)


def correction(s: Segment, match: Match) -> str:
    """The cast file's ``lines:`` entry that sets this line's reader and kind as they are
    now: to be edited to what they should be."""
    who = yaml_text(s.speaker) if s.speaker else '""  # who says it?'
    note = ("   # the line's words and the words after it" if match.beyond else
            "   # the line occurs more than once here: add words" if not match.unique else "")
    out = [f"lines:\n  - match: {json.dumps(match.words, ensure_ascii=False)}{note}\n",
           f"    speaker: {who}\n" if s.kind is not Kind.NARRATION else "",
           f"    kind: {s.kind.value}      # narration, dialogue or thought\n"]
    if match.chapter is not None:
        out.append(f"    chapter: {match.chapter}          # the words occur in another "
                   "chapter too\n")
    return "".join(out)


def _fold(word: str) -> str:
    """A word as a correction's match compares it: in any case, quotes and dashes alike."""
    return word.translate(_FOLD).replace("--", "—").replace("...", "…").lower()


class Matches:
    """Where runs of words occur in the story, to choose for each line the fewest words
    (``MIN_WORDS`` or more) that occur once: a correction's match finds them whole, in any
    case, with straight and curly quotes alike and across line breaks. Counting here is
    looser (any substring, every occurrence), so words counted once here are one line there.
    """

    def __init__(self, text: str, chapters: list[tuple[int, int, int]]) -> None:
        self.text = text
        self.tokens: list[str] = []
        self.bounds: dict[int, tuple[int, int]] = {}  # chapter -> its first and end token
        cursor = 0
        for number, start, end in chapters:
            self.tokens += map(_fold, text[cursor:start].split())
            first = len(self.tokens)
            self.tokens += map(_fold, text[start:end].split())
            self.bounds[number] = (first, len(self.tokens))
            cursor = max(cursor, end)
        self.tokens += map(_fold, text[cursor:].split())
        # Where each token, and each pair of tokens ("a b"), begins: the rarest of a run's
        # inner words or pairs gives the few places the run can be.
        self.where: dict[str, list[int]] = defaultdict(list)
        for i, token in enumerate(self.tokens):
            self.where[token].append(i)
        for i, pair in enumerate(map(" ".join, zip(self.tokens, self.tokens[1:]))):
            self.where[pair].append(i)
        self._joined: dict[tuple[int, int], str] = {}

    def choose(self, s: Segment) -> Match | None:
        """The fewest words that name ``s``: a run of its own, unique in the story, else in
        its chapter; else its words and those after it; None for a line without words.
        (The chapter is named only when the words occur in another chapter too.)"""
        words = self._words(s)
        whole = " ".join(words).strip(_EDGE)
        if not whole:
            return None
        story = (0, len(self.tokens))
        chapter = self.bounds.get(s.chapter, story)
        raw = " ".join(words)  # its punctuation may tell it from another ("Yes." "Yes,")
        for scope, number in ((story, None), (chapter, s.chapter)):
            if self.count(whole, scope) == 1:
                return Match(self._shortest(words, scope), number)
            if self._edges_apart(s) and self.count(raw, scope) == 1:
                return Match(raw, number)
        for scope, number in ((story, None), (chapter, s.chapter)):
            if run := self._beyond(s, scope):
                return Match(run, number, beyond=True)
        return Match(whole, s.chapter, unique=False)

    def _shortest(self, words: list[str], scope: tuple[int, int]) -> str:
        least = min(MIN_WORDS, len(words))
        for size in range(least, min(MAX_RUN, len(words)) + 1):
            for i in range(len(words) - size + 1):
                run = " ".join(words[i:i + size]).strip(_EDGE)
                if len(run.split()) >= least and self.count(run, scope) == 1:
                    return run
        return " ".join(words).strip(_EDGE)

    def _beyond(self, s: Segment, scope: tuple[int, int]) -> str | None:
        """The line's words and the fewest words after it that occur once in ``scope`` (a
        correction's match names the line it begins in)."""
        inside = self._starts_inside(s)
        tokens = self.text[s.start:s.end + 400].split()[inside:]
        own = len(s.text.split()) - inside
        for size in range(own + 1, min(len(tokens) - 1, own + MAX_RUN) + 1):
            run = " ".join(tokens[:size]).strip(_EDGE)
            if self.count(run, scope) == 1:
                return run
        return None

    def _edges_apart(self, s: Segment) -> bool:
        """The line's first and last characters stand apart from any word beside them, as a
        match that begins or ends with punctuation (a quote) needs."""
        text = self.text
        start = s.start == 0 or self._starts_inside(s) or not _WORD.match(text[s.start - 1])
        end = (s.end >= len(text) or _WORD_WORD.fullmatch(text[s.end - 1:s.end + 1])
               or not _WORD.match(text[s.end]))
        return bool(start and end)

    def _starts_inside(self, s: Segment) -> bool:
        return s.start > 0 and bool(_WORD_WORD.fullmatch(self.text[s.start - 1:s.start + 1]))

    def _words(self, s: Segment) -> list[str]:
        """The line's words, less one it shares with the text beside it (a line that begins
        or ends inside a word), which a match could not find whole."""
        words = s.text.split()[self._starts_inside(s):]
        if words and _WORD_WORD.fullmatch(self.text[s.end - 1:s.end + 1]):
            words = words[:-1]
        return words

    def count(self, run: str, scope: tuple[int, int]) -> int:
        """How often ``run`` occurs within the tokens ``scope`` (0, 1, or 2 for more)."""
        words = [_fold(w) for w in run.split()]
        lo, hi = scope
        k = len(words)
        if k < 3:
            return self._count_text(" ".join(words), scope)
        keys = [(words[m], m) for m in range(1, k - 1)]
        keys += [(f"{words[m]} {words[m + 1]}", m) for m in range(1, k - 2)]
        key, inner = min(keys, key=lambda km: len(self.where.get(km[0], ())))
        hits = self.where.get(key, [])
        found = 0
        for p in hits[bisect.bisect_left(hits, lo + inner):
                      bisect.bisect_right(hits, hi - k + inner)]:
            j = p - inner
            if (self.tokens[j].endswith(words[0]) and self.tokens[j + k - 1].startswith(words[-1])
                    and self.tokens[j + 1:j + k - 1] == words[1:-1]):
                found += 1
                if found > 1:
                    break
        return found

    def _count_text(self, needle: str, scope: tuple[int, int]) -> int:
        if scope not in self._joined:
            self._joined[scope] = " ".join(self.tokens[scope[0]:scope[1]])
        hay, found, at = self._joined[scope], 0, -1
        while found < 2 and (at := hay.find(needle, at + 1)) >= 0:
            found += 1
        return found


# --- the page's style, key and script --------------------------------------------------------

KEY = ("<p class=\"key\">Key: <span class=\"line narration narrator\">narration</span> "
       "<span class=\"line dialogue sp-k\">dialogue</span> "
       "<span class=\"line thought sp-k\">thought</span> "
       "<span class=\"line letter sp-k\">letter</span> "
       "<span class=\"line narration note\">note</span> "
       "<span class=\"line dialogue nobody\">no speaker</span> "
       "<span class=\"line dialogue sp-k doubtful\">doubtful</span></p>")

CSS = """
:root{--c:#444;--t:transparent;color-scheme:light}
body{font:17px/1.6 Georgia,"Times New Roman",serif;margin:0 auto;max-width:46em;
padding:1em 1.2em 12em;color:#1b1b1b;background:#fff}
h1{margin:.2em 0 0}h2{font-size:1.3em}.byline{margin:0;color:#555}
header,nav,#cast,#fix{font:15px/1.45 system-ui,sans-serif}
.switch{background:#fff7d6;border:1px solid #e5cf7a;padding:.4em .6em;border-radius:4px}
#shown{color:#555;margin-left:1em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.15em .5em;
border-bottom:1px solid #ddd}th:nth-child(n+4),td:nth-child(n+4){text-align:right}
th:last-child,td:last-child{text-align:left}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:2px;
background:var(--c);vertical-align:baseline}
.narrator .swatch{background:#ccc}
.nobody .swatch{background:#b00020}
.sp-k{--c:#1f6fb4;--t:#1f6fb41f}
.line.dialogue,.line.thought,.line.letter{background:var(--t);
box-shadow:inset 0 -2px 0 var(--c);border-radius:2px;cursor:pointer}
.line.narration{cursor:pointer}.line.heading{cursor:auto}
.line.thought .text{font-style:italic}.line.thought{box-shadow:inset 0 -2px 0 -1px var(--c)}
.line.letter .text{font-family:"Courier New",monospace;font-size:.92em;white-space:pre-line}
.line.note{color:#555;background:#eee;border-radius:2px}
.line.nobody{--c:#b00020;--t:#b000201a;outline:2px dashed #b00020}
.line.doubtful .why{color:#b00020;font-weight:600}
.line.doubtful{outline:2px dashed #b00020;outline-offset:1px}
.who{display:none;font:600 .72em system-ui,sans-serif;color:var(--c);
text-transform:uppercase;letter-spacing:.03em;margin-right:.3em}
.line.change>.who,body.doubtful-only .who{display:inline}
.why{font:.68em system-ui,sans-serif;color:#666;margin-left:.35em}
.line:hover{filter:brightness(.93)}.line.picked{outline:3px solid #222}
hr.scene{border:0;text-align:center;margin:1.2em 0}hr.scene::after{content:"* * *";color:#888}
.key .line{padding:0 .3em;margin-right:.3em}
#fix{position:fixed;left:0;right:0;bottom:0;background:#fafafa;border-top:2px solid #333;
padding:.5em 1.2em;box-shadow:0 -2px 8px #0003;max-height:55vh;overflow:auto}
#fix h2{margin:.2em 0;font-size:1em}#fix textarea{width:100%;max-width:46em;
font:13px/1.4 ui-monospace,monospace}#fix .hint{color:#555;font-size:.9em}
#fix-status{color:#2a6a2a}
@media screen{body.doubtful-only .line.sure,body.doubtful-only p.para.sure,
body.doubtful-only hr.scene{display:none}}
@media print{body{max-width:none;padding:0;font-size:11pt}
.switch,#fix,.summary{display:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
section.chapter+section.chapter{break-before:page}p.para{break-inside:avoid}
.line:hover{filter:none}.line.picked{outline:none}a{color:inherit;text-decoration:none}}
"""

SCRIPT = """
(function () {
  "use strict";
  var body = document.body, box = document.getElementById("doubtful-only");
  var shown = document.getElementById("shown"), panel = document.getElementById("fix");
  var text = document.getElementById("fix-text"), status = document.getElementById("fix-status");
  var speaker = document.getElementById("fix-speaker"), kind = document.getElementById("fix-kind");
  var picked = null;
  function asked() {
    return /(^|[?#&])doubtful(=1|=true)?($|&)/.test(location.search + "&" +
      location.hash.replace(/^#/, "&"));
  }
  function count() {
    var lines = document.querySelectorAll("#story .line:not(.heading)"), n = 0;
    for (var i = 0; i < lines.length; i++) { if (lines[i].getClientRects().length) n++; }
    shown.textContent = n + " of " + lines.length + " lines shown";
    shown.setAttribute("data-visible", String(n));
  }
  function only(on, remember) {
    body.classList.toggle("doubtful-only", on);
    box.checked = on;
    if (remember) {
      try {
        history.replaceState(null, "", on ? "#doubtful" : location.pathname + location.search);
      } catch (e) { /* some browsers refuse it for file://; the switch still works */ }
    }
    count();
  }
  function yaml() {
    var fix = picked.getAttribute("data-fix"), who = speaker.value, what = kind.value;
    fix = fix.replace(/^    kind: \\S+/m, "    kind: " + what);
    fix = fix.replace(/^    speaker: .*\\n/m, "");
    if (what !== "narration") {
      fix = fix.replace(/^(  - match: .*\\n)/m, "$1    speaker: " + who + "\\n");
    }
    return fix;
  }
  function copy() {
    status.textContent = "";
    text.focus();
    text.select();
    function fallback() {
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      status.textContent = done ? "Copied." : "Selected: press Ctrl+C (Cmd+C) to copy.";
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.value).then(function () {
        status.textContent = "Copied to the clipboard.";
      }, fallback);
    } else { fallback(); }
  }
  function refresh() { text.value = yaml(); copy(); }
  function pick(line) {
    if (picked) picked.classList.remove("picked");
    picked = line;
    line.classList.add("picked");
    var who = line.getAttribute("data-speaker") || "", what = line.getAttribute("data-kind");
    var why = line.querySelector(".why");
    document.getElementById("fix-now").textContent = "Now: " + what +
      (what === "narration" ? "" : ", read by " + (who || "nobody")) +
      (why ? " (" + why.textContent + ")" : "") + ".";
    var quoted = '""';
    for (var i = 0; i < speaker.options.length; i++) {
      if (speaker.options[i].textContent === who) quoted = speaker.options[i].value;
    }
    speaker.value = quoted;
    kind.value = what;
    panel.hidden = false;
    refresh();
  }
  document.getElementById("story").addEventListener("click", function (event) {
    var line = event.target.closest(".line[data-fix]");
    if (line) pick(line);
  });
  speaker.addEventListener("change", refresh);
  kind.addEventListener("change", refresh);
  document.getElementById("fix-copy").addEventListener("click", copy);
  document.getElementById("fix-close").addEventListener("click", function () {
    panel.hidden = true;
    if (picked) picked.classList.remove("picked");
  });
  box.addEventListener("change", function () { only(box.checked, true); });
  window.addEventListener("hashchange", function () { only(asked(), false); });
  only(asked(), false);
})();
"""
