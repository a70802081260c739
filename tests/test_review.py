"""The review page: one self-contained HTML file with the story as it will be read, checked
by its structure (the standard library's parser) and, where chromium is installed, as a
browser renders it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from audiobook import pipeline
from audiobook.cli import cli
from audiobook.models import Kind, Segment
from audiobook.review import Matches, render, write_review, yaml_text

STORY = """\
Chapter 1: The Gate

The room was dark.

"Who is there?"

Nothing answered.

* * *

A/N: Thanks for reading & commenting. Art at https://example.com/art.png

"Is the gate locked?" asked Ada.

"It was an hour ago," Bram said.

"Keep the lamp lit," said Ada.

"That is _court_, I think," said Bram.

"Yes."

"Then who opened it?"

"Maybe the wind <img src=x onerror=alert(1)> did it."

Ada frowned. *I should have stayed home,* she thought.

"Look at this </script><script>alert('x')</script> mess," said Ada.

"Yes."

Chapter 2: The Letter

Dear Ada,

The gate is yours now. Keep it shut.

Bram

"Keep the lamp lit," said Bram.

"Yes," said Ada, and folded the letter.

"Yes."
"""
HOSTILE = ("<img src=x onerror=alert(1)>", "</script><script>alert('x')</script>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: list, parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children
                       if isinstance(c, str) or c.tag not in ("script", "style"))

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[Node]:
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def by_id(self, name: str) -> Node:
        found = [n for n in self.walk() if n.attrs.get("id") == name]
        assert len(found) == 1, name
        return found[0]


class Tree(HTMLParser):
    """The page as a tree of nodes, as html.parser reads it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", [], None)
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "gate.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.fixture
def production(story):
    return pipeline.prepare(story)


@pytest.fixture
def page(production) -> Node:
    return Tree(render(production)).root


def story_words(text: str) -> list[str]:
    """The words of a story, less its scene-break lines (structure, not read)."""
    return [w for line in text.splitlines() if line.strip() != "* * *" for w in line.split()]


def in_order(words: list[str], text: str) -> bool:
    """Every word of ``words`` in ``text``, in order (other text may come between)."""
    at = 0
    for w in words:
        at = text.find(w, at)
        if at < 0:
            return False
        at += len(w)
    return True


def lines_of(page: Node) -> list[Node]:
    return [n for n in page.by_id("story").find(cls="line") if "heading" not in n.classes]


def fix_of(node: Node) -> dict:
    return YAML(typ="safe").load(io.StringIO(node.attrs["data-fix"]))["lines"][0]


# --- structure --------------------------------------------------------------------------------


def test_the_page_fetches_nothing(production):
    html = render(production)
    page = Tree(html).root
    for node in page.walk():
        assert node.tag not in ("link", "img", "iframe", "object", "embed", "base", "source")
        for name, value in node.attrs.items():
            if name in ("src", "href", "action", "data", "poster", "srcset", "formaction"):
                assert (value or "").startswith("#"), (node.tag, name, value)
    css = "".join(n.text() + "".join(c for c in n.children if isinstance(c, str))
                  for n in page.find("style"))
    assert "@import" not in css and "url(" not in css
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"url\(\s*[\"']?\s*(?:https?:)?//", html, re.IGNORECASE)
    [policy] = page.find("meta", http_equiv="Content-Security-Policy")
    assert "default-src 'none'" in policy.attrs["content"]
    assert "connect-src 'none'" in policy.attrs["content"]
    # The one script and the one style, both inline; the story's URL is text, not a link.
    assert len(page.find("script")) == 1 and not page.find("script")[0].attrs
    assert "https://example.com/art.png" in page.by_id("story").text()


def test_the_story_is_there_in_order_with_headings(production, page):
    texts = [n.text() for n in page.by_id("story").find(cls="text")]
    assert texts == [s.text for s in production.segmentation.segments]
    assert in_order(story_words(STORY), page.by_id("story").text())
    headings = [h.text() for h in page.by_id("story").find("h2")]
    assert headings == ["Chapter 1: The Gate", "Chapter 2: The Letter"]
    assert len(page.find("hr", cls="scene")) == 1


def test_the_contents_link_to_the_chapters(page):
    links = page.by_id("contents").find("a")
    assert [a.attrs["href"] for a in links] == ["#chapter-1", "#chapter-2"]
    assert [a.text() for a in links] == ["Chapter 1: The Gate", "Chapter 2: The Letter"]
    for a in links:
        page.by_id(a.attrs["href"][1:])


def test_spans_are_marked_by_kind_and_coloured_by_reader(production, page):
    lines = lines_of(page)
    kinds = [next(k.value for k in Kind if k.value in n.classes) for n in lines]
    segments = [s for s in production.segmentation.segments if not s.heading]
    assert kinds == [s.kind.value for s in segments]
    assert [("letter" in n.classes) for n in lines] == [s.written for s in segments]
    assert [("note" in n.classes) for n in lines] == [s.note for s in segments]
    assert any("letter" in n.classes for n in lines) and any("note" in n.classes for n in lines)
    colour = {}
    for n, s in zip(lines, segments):
        reader = next(c for c in n.classes if c.startswith("sp-") or c in ("narrator", "nobody"))
        if s.kind is Kind.NARRATION:
            assert reader == "narrator"
        elif s.speaker is None:
            assert reader == "nobody"
        else:
            assert colour.setdefault(s.speaker, reader) == reader  # one colour a speaker
    assert colour["Ada"] != colour["Bram"] and colour["Ada"].startswith("sp-")
    # The reader's name is shown where the voice changes to a character.
    changes = [n.find("b", cls="who")[0].text() for n in lines if "change" in n.classes]
    assert changes[:4] == ["?", "Ada", "Bram", "Ada"]


def test_every_spoken_span_says_its_rule_and_confidence(production, page):
    spoken = [n for n in lines_of(page) if n.attrs["data-kind"] != "narration"]
    assert len(spoken) == sum(s.kind is not Kind.NARRATION
                              for s in production.segmentation.segments)
    for n in spoken:
        rule, confidence = n.attrs["data-rule"], n.attrs["data-confidence"]
        assert rule and confidence in ("high", "medium", "low")
        [label] = n.find("small", cls="why")
        assert f"{rule} · {confidence}" in label.text()
    assert any(n.find(cls="why")[0].text() == "tag: asked Ada · high" for n in spoken)


def test_the_doubtful_switch_and_the_doubtful_lines(production, page):
    [switch] = page.find("input", id="doubtful-only")
    assert switch.attrs["type"] == "checkbox"
    assert "doubtful" in switch.parent.text()
    for n in lines_of(page):
        doubtful = n.attrs.get("data-confidence") == "low" or (
            n.attrs["data-kind"] != "narration" and not n.attrs["data-speaker"])
        assert ("doubtful" in n.classes) == doubtful and ("sure" in n.classes) != doubtful
    doubtful = [n for n in lines_of(page) if "doubtful" in n.classes]
    assert any(not n.attrs["data-speaker"] for n in doubtful)  # "Who is there?"
    assert any(n.attrs["data-confidence"] == "low" and n.attrs["data-speaker"] for n in doubtful)


def test_the_cast_legend(production, page):
    legend = page.by_id("cast")
    rows = [[td.text() for td in tr.find("td")] for tr in legend.find("tbody")[0].find("tr")]
    counts = production.segmentation.line_counts()
    by_name = {r[0]: r for r in rows}
    assert set(by_name) == {"Narrator (narration)", "Ada", "Bram", "(no speaker)"}
    for c in production.segmentation.characters:
        voice = production.voices[c.name]
        name, said, gender, spoken, thought, aliases = by_name[c.name]
        assert said == f"{voice.id} p{voice.pitch} r{voice.rate}" and gender == c.gender
        assert (int(spoken), int(thought)) == counts[c.name]
        assert aliases == ", ".join(c.aliases)
    assert by_name["Ada"][4] == "1"  # her thought


def found_at(text: str, match: str) -> list[int]:
    """Where ``match`` is found as a correction finds it: whole words, in any case, with
    straight and curly quotes alike, across line breaks."""
    same = {"'": "['‘’]", "‘": "['‘’]", "’": "['‘’]", '"': '["“”]', "“": '["“”]', "”": '["“”]'}
    words = ["".join(same.get(ch, re.escape(ch)) for ch in w) for w in match.split()]
    pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    return [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]


def test_every_correction_names_its_one_line(production, page):
    text = production.document.text
    chapters = {c.number: c for c in production.document.chapters}
    segments = [s for s in production.segmentation.segments if not s.heading]
    lines = lines_of(page)
    assert len(lines) == len(segments)
    for n, s in zip(lines, segments):
        fix = fix_of(n)
        assert fix["kind"] == s.kind.value
        assert fix.get("speaker") == (None if s.kind is Kind.NARRATION else s.speaker or "")
        match = fix["match"]
        assert len(match.split()) >= min(4, len(s.text.split()))
        starts = found_at(text, match)
        if "chapter" in fix:  # only when the words occur in another chapter too
            c = chapters[fix["chapter"]]
            assert fix["chapter"] == s.chapter
            assert any(not c.start <= at < c.end for at in starts)
            starts = [at for at in starts if c.start <= at < c.end]
        assert len(starts) == 1, (match, starts)
        assert s.start <= starts[0] < s.end, match  # the words begin in this line


def test_a_line_found_in_two_chapters_names_its_chapter(production, page):
    lamps = [fix_of(n) for n in lines_of(page) if "Keep the lamp lit" in n.text()]
    assert [(f["match"], f["chapter"]) for f in lamps] == [("Keep the lamp lit", 1),
                                                           ("Keep the lamp lit", 2)]
    cast_file = next(n for n in lines_of(page) if "narration" in n.classes).attrs["data-fix"]
    assert cast_file.startswith("lines:\n  - match: \"") and "    kind: narration" in cast_file
    assert "speaker:" not in cast_file  # narration has no speaker


def test_a_common_line_takes_the_words_after_it():
    doc = "Chapter 1\n\n\"Yes.\"\n\n\"No,\" said Ada.\n\n\"Yes.\"\n\n\"Maybe,\" said Bram.\n"
    matches = Matches(doc, [(1, 0, len(doc))])
    first = Segment(11, 17, Kind.DIALOGUE, "Ada", '"Yes."', 1, 1, 1)
    found = matches.choose(first)
    assert found.words.startswith("Yes") and found.beyond and found.chapter is None
    assert found_at(doc, found.words) == [first.start + 1]


def test_yaml_scalars():
    assert yaml_text("Ada") == "Ada" and yaml_text("Mr. O'Brien") == "Mr. O'Brien"
    assert yaml_text("No") == '"No"' and yaml_text("Ada: the first") == '"Ada: the first"'
    assert yaml_text("#1") == '"#1"' and yaml_text("Sasuke-kun") == "Sasuke-kun"


def test_hostile_text_stays_text(production):
    html = render(production)
    page = Tree(html).root
    assert len(page.find("script")) == 1 and not page.find("img")
    for node in page.walk():
        assert not any(name.startswith("on") for name in node.attrs), node.attrs
    body = page.by_id("story").text()
    for hostile in HOSTILE:
        assert hostile in body
        assert hostile not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_write_review_writes_one_file(production, tmp_path):
    out = tmp_path / "out"
    path = write_review(production, out)
    assert path == out / "review.html" and [p.name for p in out.iterdir()] == ["review.html"]
    assert path.read_text(encoding="utf-8") == render(production)


# --- the command ------------------------------------------------------------------------------


def test_the_review_command_writes_review_html(story, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "rv"
    result = CliRunner().invoke(cli, ["review", str(story), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / "review.html")
    assert sorted(p.name for p in out.iterdir()) == ["review.html"]
    assert "Chapter 2: The Letter" in (out / "review.html").read_text(encoding="utf-8")


def test_a_bad_story_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["review", str(tmp_path / "missing.txt"), "--out", "rv"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "missing.txt" in lines[0]
    assert not (tmp_path / "rv").exists()


def test_review_explains_itself():
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0 and "review.html" in result.output and "--out" in result.output


# --- in a real browser ------------------------------------------------------------------------

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium), so the "
    "page is not rendered by a browser; its structure is still tested")


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless chromium (its own profile, no network needed) and return its stdout."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-dev-shm-usage", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def written(production, tmp_path) -> Path:
    return write_review(production, tmp_path / "out")


@needs_chromium
def test_a_browser_renders_the_story_in_order(production, written, tmp_path):
    page = Tree(chromium(tmp_path, "--dump-dom", written.as_uri())).root
    assert in_order(story_words(STORY), page.by_id("story").text())
    assert [n.text() for n in page.by_id("story").find(cls="text")] == [
        s.text for s in production.segmentation.segments]
    shown = page.by_id("shown")
    total = len(lines_of(page))
    assert shown.attrs["data-visible"] == str(total)  # the script ran and counted
    assert "doubtful-only" not in page.find("body")[0].classes
    assert not page.find("img") and len(page.find("script")) == 1


@needs_chromium
def test_the_doubtful_switch_hides_the_confident_lines(written, tmp_path):
    plain = Tree(chromium(tmp_path, "--dump-dom", written.as_uri())).root
    doubtful = Tree(chromium(tmp_path, "--dump-dom", written.as_uri() + "#doubtful")).root
    assert "doubtful-only" in doubtful.find("body")[0].classes
    total = len(lines_of(plain))
    wanted = sum("doubtful" in n.classes for n in lines_of(plain))
    assert 0 < wanted < total
    assert int(plain.by_id("shown").attrs["data-visible"]) == total
    assert int(doubtful.by_id("shown").attrs["data-visible"]) == wanted
    query = Tree(chromium(tmp_path, "--dump-dom", written.as_uri() + "?doubtful")).root
    assert int(query.by_id("shown").attrs["data-visible"]) == wanted


@needs_chromium
def test_clicking_a_line_shows_its_correction(written, tmp_path):
    """The page driven by a script of the test's (the page's own policy would refuse it, so
    this copy goes without): a click on a doubtful line, then the kind changed."""
    html = written.read_text(encoding="utf-8")
    html = re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", html)
    driver = """<script>
var line = document.querySelector("#story .line.doubtful[data-speaker='Ada']");
line.click();
var panel = document.getElementById("fix"), text = document.getElementById("fix-text");
document.body.setAttribute("data-shown", panel.hidden ? "no" : "yes");
document.body.setAttribute("data-first", text.value);
var kind = document.getElementById("fix-kind");
kind.value = "narration";
kind.dispatchEvent(new Event("change"));
document.body.setAttribute("data-second", text.value);
var who = document.getElementById("fix-speaker");
kind.value = "thought"; kind.dispatchEvent(new Event("change"));
who.value = "Bram"; who.dispatchEvent(new Event("change"));
document.body.setAttribute("data-third", text.value);
</script></body>"""
    driven = tmp_path / "driven.html"
    driven.write_text(html.replace("</body>", driver), encoding="utf-8")
    body = Tree(chromium(tmp_path, "--dump-dom", driven.as_uri())).root.find("body")[0]
    assert body.attrs["data-shown"] == "yes"
    load = YAML(typ="safe").load
    first = load(io.StringIO(body.attrs["data-first"]))["lines"][0]
    assert first["speaker"] == "Ada" and first["kind"] == "dialogue" and first["match"]
    second = load(io.StringIO(body.attrs["data-second"]))["lines"][0]
    assert second["kind"] == "narration" and "speaker" not in second
    third = load(io.StringIO(body.attrs["data-third"]))["lines"][0]
    assert (third["kind"], third["speaker"], third["match"]) == ("thought", "Bram",
                                                                first["match"])


@needs_chromium
def test_a_screenshot_shows_the_coloured_page(written, tmp_path):
    from PIL import Image

    shot = tmp_path / "review.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", written.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    with Image.open(shot) as image:
        assert image.size == (1000, 1400)
        data = image.convert("RGB").tobytes()
        pixels = list(zip(data[0::3], data[1::3], data[2::3]))
        coloured = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60)
        dark = sum(1 for r, g, b in pixels if r + g + b < 200)
    assert coloured > 500 and dark > 5_000  # the readers' colours, and text
