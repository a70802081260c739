"""The immutable values that flow between the stages.

text -> Document (chapters, scenes, paragraphs) -> Segments -> Cast -> Clips -> chapter audio.
Offsets are Python str indices into the decoded text, end exclusive; durations are in samples
or milliseconds, and every name says which.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Kind(str, enum.Enum):
    NARRATION = "narration"
    DIALOGUE = "dialogue"
    THOUGHT = "thought"


@dataclass(frozen=True)
class Span:
    """A stretch of the decoded text: ``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True)
class Paragraph(Span):
    """One paragraph; ``heading`` when it is a chapter title line. ``role`` is what the
    book's markup says it is, where it says: ``note`` (an author's note), ``quote`` (set
    apart as a block quotation: a letter, a note, an epigraph)."""

    chapter: int  # 1-based
    scene: int  # 1-based within the chapter
    heading: bool = False
    role: str | None = None


@dataclass(frozen=True)
class Chapter(Span):
    number: int  # 1-based
    title: str


@dataclass(frozen=True)
class Document:
    """A read story: its text, where its chapters and paragraphs lie, and what it says of itself.

    ``text`` is the reading text: a plain-text or Markdown file as decoded, or what a book in
    markup (HTML, EPUB) reads as, in Markdown form (``# headings``, ``*italics*``, paragraphs
    apart by a blank line, ``* * *`` between scenes).
    """

    text: str
    title: str
    author: str | None
    chapters: tuple[Chapter, ...]
    paragraphs: tuple[Paragraph, ...]
    # What the story says of itself: front matter, a story header, a book's package metadata
    # (title, author, language, description, date, publisher, series, series_index).
    meta: dict[str, str] = field(default_factory=dict)
    cover: bytes | None = None  # the book's own cover image, as stored in it
    notes: tuple[str, ...] = ()  # what the reader skipped or could not use, for the user


@dataclass(frozen=True)
class Segment(Span):
    """A run of text read by one voice: narration, or a character's dialogue or thought."""

    kind: Kind
    speaker: str | None
    text: str
    chapter: int
    scene: int
    paragraph: int  # index into Document.paragraphs
    heading: bool = False
    note: bool = False  # a disclaimer or author's note: narration that ``--skip-notes`` drops
    written: bool = False  # a letter, note or message read out in its writer's voice
    rule: str = ""  # why a line has its speaker ('tag: said Ada', 'turn-taking')
    confidence: str = ""  # how sure that is: high, medium or low

    def to_dict(self) -> dict:
        out = {
            "start": self.start,
            "end": self.end,
            "kind": self.kind.value,
            "speaker": self.speaker,
            "text": self.text,
            "chapter": self.chapter,
            "scene": self.scene,
        }
        if self.kind is not Kind.NARRATION:
            out.update(rule=self.rule, confidence=self.confidence)
        return out


@dataclass(frozen=True)
class Character:
    name: str
    aliases: tuple[str, ...] = ()
    gender: str = "unknown"  # "male", "female" or "unknown"


RATE_PER_SPEED = 170  # a rate of 170 words a minute is an engine's own speed (Kokoro's 1.0)


@dataclass(frozen=True)
class Voice:
    """How one speaker sounds: an engine voice id (``en-us+f3``) and its settings."""

    id: str
    rate: int = 170  # words per minute
    pitch: int = 50  # 0..100
    volume: float = 1.0  # 0..2


EFFECTS = ("none", "echo", "narrow")


@dataclass(frozen=True)
class Treatment:
    """What is done to a clip after synthesis: an effect, and a gain relative to the level
    every voice is brought to (thoughts a little quieter, say)."""

    effect: str = "none"  # one of EFFECTS
    gain_db: float = 0.0


@dataclass(frozen=True)
class Clip:
    """Synthesized audio of one segment, or of a part of a long one (``segment`` then holds
    that part's text): 16-bit signed mono PCM."""

    segment: Segment
    pcm: bytes
    sample_rate: int
    treatment: Treatment = Treatment()
    continued: bool = False  # the segment's text goes on from the clip before

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2


@dataclass(frozen=True)
class Cue:
    """Where a segment's clip lies in its chapter's audio, in samples."""

    segment: Segment
    start: int
    end: int


@dataclass(frozen=True)
class ChapterAudio:
    """A chapter's finished audio, ready to encode, with where each segment's clip lies."""

    chapter: Chapter
    pcm: bytes
    sample_rate: int
    cues: tuple[Cue, ...] = ()

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2


@dataclass(frozen=True)
class Pauses:
    """Silence in milliseconds, chosen by what separates two clips; room tone at the ends."""

    sentence: int = 350  # between the sentences of one segment
    same_paragraph: int = 250  # between a quote and its tag
    paragraph: int = 650
    speaker_change: int = 800
    scene: int = 1800
    after_title: int = 1300  # after the chapter title the narrator reads
    head: int = 750  # room tone before the title (ACX: 0.5-1 s)
    tail: int = 2500  # room tone at the end (ACX: 1-5 s)


@dataclass(frozen=True)
class Levels:
    """Loudness: every clip to about ``rms_dbfs`` RMS with its sample peak held under
    ``ceiling_dbfs`` by a limiter, and room tone at ``room_dbfs`` (ACX: RMS -23 to -18, peak
    at most -3, noise floor at most -60 but not dead silence)."""

    rms_dbfs: float = -20.0
    ceiling_dbfs: float = -4.0  # below ACX's -3 dBFS: resampling and MP3 add a little
    room_dbfs: float = -68.0


@dataclass(frozen=True)
class BookInfo:
    """What the tags say of the book."""

    title: str
    author: str = "Unknown"
    narrator: str = ""
    year: str = ""
    language: str = "eng"  # ISO 639-2, as ID3's TLAN wants
    description: str = ""
    genre: str = "Audiobook"
    publisher: str = ""
    series: str = ""
    series_index: str = ""  # the book's place in its series: "2", "1.5"
