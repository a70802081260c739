"""audiobook: turn a story into a multi-voice audiobook, offline.

The stages, one module each: readers (file -> Document, a module per format), segment with
quotes, characters and attribution (Document -> Segments), cast (voices.yaml -> Cast), render
(Segments -> Clips), master (Clips -> chapter audio), export (chapter audio -> tagged MP3),
pipeline (all of them).
"""

__version__ = "0.1.0"  # before the imports: the build digests it

from .cast import Cast
from .castfile import load_cast
from .engines import Engine, get_engine
from .errors import AudiobookError, CastError, EngineError, ExportError, InputError
from .models import Chapter, Character, Document, Kind, Segment, Voice
from .pipeline import build, open_cast, prepare
from .readers import read_file
from .segment import segment

__all__ = [
    "AudiobookError", "Cast", "CastError", "Chapter", "Character", "Document", "Engine",
    "EngineError", "ExportError", "InputError", "Kind", "Segment", "Voice", "build",
    "get_engine", "load_cast", "open_cast", "prepare", "read_file", "segment",
]
