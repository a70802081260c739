"""A read-along EPUB 3: the story's text, its MP3s, and Media Overlays (SMIL 3.0) that say
where in the audio every spoken segment is heard. Pure functions build the parts of the
package; ``write_epub`` zips them. All story text is escaped: it is data, never markup."""

from __future__ import annotations

import html
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

VERSION = 1  # bump when the package made here changes, so kept EPUBs are made again
ACTIVE_CLASS = "-epub-media-overlay-active"
XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Line:
    """A spoken segment (or a clip's part of a long one): its text, its place in the story,
    and where it is heard in its audio file, in seconds."""

    text: str
    kind: str  # narration, dialogue or thought
    speaker: str | None
    heading: bool
    paragraph: int
    scene: int
    chapter: int
    begin: float
    end: float

    def to_list(self) -> list:
        return [self.text, self.kind, self.speaker, self.heading, self.paragraph, self.scene,
                self.chapter, round(self.begin, 4), round(self.end, 4)]

    @classmethod
    def from_list(cls, data: list) -> Line:
        text, kind, speaker, heading, paragraph, scene, chapter, begin, end = data
        return cls(str(text), str(kind), speaker, bool(heading), int(paragraph), int(scene),
                   int(chapter), float(begin), float(end))


@dataclass(frozen=True)
class Track:
    """One MP3 of the book, with the lines heard in it."""

    path: Path
    seconds: float
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Part:
    """One content document of the EPUB (a file of the audiobook's, or its parts): its
    chapters as (number, title) and its audio."""

    title: str
    chapters: tuple[tuple[int, str], ...]
    tracks: tuple[Track, ...]


@dataclass(frozen=True)
class Meta:
    """What the package document says of the book."""

    title: str
    author: str
    language: str  # BCP 47, e.g. 'en'
    narrator: str
    digest: str  # gives the identifier
    modified: str  # CCYY-MM-DDThh:mm:ssZ


def text(value: str) -> str:
    """Story text made safe for XML: characters XML cannot hold dropped, markup escaped."""
    return html.escape(_INVALID_XML.sub("", value), quote=True)


def clock(ms: int) -> str:
    """A SMIL full clock value, h:mm:ss.fff."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def audio_names(parts: list[Part]) -> dict[Path, str]:
    """Each MP3's name inside the EPUB: audio/01.mp3 on, in the book's order."""
    paths = [t.path for p in parts for t in p.tracks]
    width = max(2, len(str(len(paths))))
    return {path: f"audio/{n:0{width}d}.mp3" for n, path in enumerate(paths, 1)}


def clips(part: Part, names: dict[Path, str]) -> list[tuple[str, str, int, int]]:
    """(span id, audio name, clipBegin ms, clipEnd ms) of a part's lines, in order; a clip
    never starts before the one before it ends, nor runs past its file's end."""
    out, n = [], 0
    for track in part.tracks:
        last, limit = 0, int(track.seconds * 1000)
        for line in track.lines:
            n += 1
            begin = max(last, round(line.begin * 1000))
            end = min(limit, round(line.end * 1000))
            if end > begin:
                out.append((f"s{n}", names[track.path], begin, end))
                last = end
    return out


def smil(index: int, part: Part, names: dict[Path, str]) -> str:
    """The Media Overlay of content document ``index``: a <par> per line heard."""
    doc = f"chapter-{index}.xhtml"
    pars = "".join(
        f'<par id="p{span}"><text src="{doc}#{span}"/><audio src="{name}" '
        f'clipBegin="{begin / 1000:.3f}s" clipEnd="{end / 1000:.3f}s"/></par>\n'
        for span, name, begin, end in clips(part, names))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="{OPS_NS}" version="3.0">\n'
            f'<body>\n<seq id="seq1" epub:textref="{doc}">\n{pars}</seq>\n</body>\n</smil>\n')


def overlay_ms(part: Part, names: dict[Path, str]) -> int:
    """How long a part's Media Overlay plays, in ms: the sum of its clips."""
    return sum(end - begin for _, _, begin, end in clips(part, names))


def _span(n: int, line: Line, speakers: dict[str | None, int]) -> str:
    classes = line.kind + (f" speaker-{speakers[line.speaker]}" if line.speaker else "")
    body = text(line.text)
    if line.kind == "thought":
        body = f"<em>{body}</em>"
    return f'<span id="s{n}" class="{classes}">{body}</span>'


def _blocks(lines: list[Line], speakers: dict[str | None, int]) -> list[tuple[Line, str]]:
    """The lines as blocks: a run of lines of one paragraph (and chapter) becomes one, as
    (its first line, its spans)."""
    blocks: list[tuple[Line, list[str]]] = []
    for n, line in enumerate(lines, 1):
        first = blocks[-1][0] if blocks else None
        if (first is None or (first.chapter, first.paragraph, first.heading)
                != (line.chapter, line.paragraph, line.heading)):
            blocks.append((line, []))
        blocks[-1][1].append(_span(n, line, speakers))
    return [(first, " ".join(spans)) for first, spans in blocks]


def _body(part: Part, speakers: dict[str | None, int]) -> str:
    """The part's chapters as sections: the title heading h1, others h2, paragraphs p, a
    rule between scenes."""
    lines = [line for track in part.tracks for line in track.lines]
    out, chapter, scene, headed = [], None, None, False
    for first, spans in _blocks(lines, speakers):
        if first.chapter != chapter:
            if chapter is not None:
                out.append("</section>")
            out.append(f'<section id="ch-{first.chapter}">')
            chapter, scene, headed = first.chapter, first.scene, False
        if first.heading:
            out.append(f"<h{2 if headed else 1}>{spans}</h{2 if headed else 1}>")
            headed = True
            continue
        if first.scene != scene and scene is not None and out[-1] != "<hr/>":
            out.append("<hr/>")
        scene = first.scene
        out.append(f"<p>{spans}</p>")
    return "\n".join(out + (["</section>"] if chapter is not None else []))


def _document(title: str, language: str, body: str) -> str:
    lang = text(language)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{XHTML_NS}" xmlns:epub="{OPS_NS}" lang="{lang}" xml:lang="{lang}">\n'
            f'<head>\n<meta charset="UTF-8"/>\n<title>{text(title)}</title>\n'
            '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


def chapter_xhtml(part: Part, language: str, speakers: dict[str | None, int]) -> str:
    """A content document: the part's text, every line a span with the id its overlay
    names (s1, s2, ...), thoughts in italics."""
    return _document(part.title, language, _body(part, speakers) or "<p></p>")


def nav_xhtml(parts: list[Part], meta: Meta) -> str:
    """The navigation document: every chapter, linked to its section."""
    items = "".join(f'<li><a href="chapter-{n}.xhtml#ch-{number}">{text(title) or "—"}</a>'
                    "</li>\n" for n, part in enumerate(parts, 1)
                    for number, title in part.chapters)
    return _document(meta.title, meta.language,
                     f'<nav epub:type="toc" id="toc">\n<h1>{text(meta.title)}</h1>\n'
                     f"<ol>\n{items}</ol>\n</nav>")


CSS = (f".{ACTIVE_CLASS} {{ background-color: #ffe680; }}\n"
       ".thought { font-style: italic; }\n"
       "h1, h2 { text-align: center; }\n"
       "hr { width: 30%; margin: 1.5em auto; }\n")

CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             '<rootfiles>\n<rootfile full-path="EPUB/package.opf" '
             'media-type="application/oebps-package+xml"/>\n</rootfiles>\n</container>\n')


def identifier(digest: str) -> str:
    return f"urn:uuid:{uuid.UUID(hex=digest[:32], version=4)}"


def _metadata(parts: list[Part], meta: Meta, names: dict[Path, str]) -> str:
    durations = [overlay_ms(part, names) for part in parts]
    lines = [f'<dc:identifier id="uid">{identifier(meta.digest)}</dc:identifier>',
             f"<dc:title>{text(meta.title)}</dc:title>",
             f"<dc:creator>{text(meta.author)}</dc:creator>",
             f"<dc:language>{text(meta.language)}</dc:language>",
             f'<meta property="dcterms:modified">{meta.modified}</meta>']
    lines += [f'<meta property="media:duration" refines="#smil-{n}">{clock(ms)}</meta>'
              for n, ms in enumerate(durations, 1) if ms]
    lines.append(f'<meta property="media:duration">{clock(sum(durations))}</meta>')
    if meta.narrator:
        lines.append(f'<meta property="media:narrator">{text(meta.narrator)}</meta>')
    lines.append(f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>')
    return "\n".join(lines)


def _manifest(parts: list[Part], names: dict[Path, str]) -> str:
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
             'properties="nav"/>',
             '<item id="css" href="style.css" media-type="text/css"/>',
             '<item id="cover" href="images/cover.jpg" media-type="image/jpeg" '
             'properties="cover-image"/>']
    for n, part in enumerate(parts, 1):
        overlay = f' media-overlay="smil-{n}"' if overlay_ms(part, names) else ""
        items.append(f'<item id="chapter-{n}" href="chapter-{n}.xhtml" '
                     f'media-type="application/xhtml+xml"{overlay}/>')
        if overlay:
            items.append(f'<item id="smil-{n}" href="chapter-{n}.smil" '
                         'media-type="application/smil+xml"/>')
    items += [f'<item id="audio-{n}" href="{name}" media-type="audio/mpeg"/>'
              for n, name in enumerate(names.values(), 1)]
    return "\n".join(items)


def package_opf(parts: list[Part], meta: Meta) -> str:
    """The package document (EPUB 3.3): metadata with the overlays' durations, the manifest,
    the spine."""
    names = audio_names(parts)
    spine = "\n".join(f'<itemref idref="chapter-{n}"/>' for n in range(1, len(parts) + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            f'unique-identifier="uid" xml:lang="{text(meta.language)}">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"{_metadata(parts, meta, names)}\n</metadata>\n"
            f"<manifest>\n{_manifest(parts, names)}\n</manifest>\n"
            f"<spine>\n{spine}\n</spine>\n</package>\n")


def contents(parts: list[Part], meta: Meta) -> dict[str, str]:
    """Every text file of the package, by its name in the zip (the audio and cover aside)."""
    names = audio_names(parts)
    speakers = {s: n for n, s in enumerate(dict.fromkeys(
        line.speaker for p in parts for t in p.tracks for line in t.lines if line.speaker), 1)}
    files = {"META-INF/container.xml": CONTAINER, "EPUB/package.opf": package_opf(parts, meta),
             "EPUB/nav.xhtml": nav_xhtml(parts, meta), "EPUB/style.css": CSS}
    for n, part in enumerate(parts, 1):
        files[f"EPUB/chapter-{n}.xhtml"] = chapter_xhtml(part, meta.language, speakers)
        if overlay_ms(part, names):
            files[f"EPUB/chapter-{n}.smil"] = smil(n, part, names)
    return files


def write_epub(dest: Path, parts: list[Part], meta: Meta, cover: bytes) -> None:
    """Zip the package to ``dest``: ``mimetype`` first and stored, the MP3s stored as they are
    (they do not compress), the rest deflated."""
    with zipfile.ZipFile(dest, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        for name, body in contents(parts, meta).items():
            z.writestr(name, body.encode("utf-8"), zipfile.ZIP_DEFLATED)
        z.writestr("EPUB/images/cover.jpg", cover, zipfile.ZIP_STORED)
        for path, name in audio_names(parts).items():
            z.write(path, f"EPUB/{name}", zipfile.ZIP_STORED)
