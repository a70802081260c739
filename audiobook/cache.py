"""The cache: what was made once is not made again.

Content-addressed: a key is the hash of everything that shapes the thing kept (for a clip the
engine, voice, settings and text; for an encoded fragment its audio and encoding), so a
changed input is simply a new key. Entries are written to a temporary name and renamed, so a
killed build never leaves a bad one; and each carries its length and a digest of its
content, checked when it is read, so one cut short or damaged since (a full disk, a copy
gone wrong, a hostile hand) is a miss: it is removed, made again and counted, and can slow
a build but never shorten or break a book.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import struct
from dataclasses import asdict
from pathlib import Path

from .errors import OutputError
from .models import Voice

_CLIP_MAGIC = b"ABC1"
_ENTRY = struct.Struct("<4sQ32s")  # magic, length and SHA-256 of the content that follows
_ENTRY_MAGIC = b"ABE1"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/audiobook``, by default ``~/.cache/audiobook``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "audiobook"


class ClipCache:
    """Engine output and encoded audio, by content. ``root=None`` keeps nothing."""

    def __init__(self, root: str | Path | None) -> None:
        self.root = Path(root) if root is not None else None
        self.damaged = 0  # entries found cut short or altered (or of an older format)

    def check(self) -> None:
        """Make the cache's folder, or say in one line why it cannot be used (before any work
        that would fill it)."""
        if self.root is None:
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not os.access(self.root, os.W_OK):
                raise PermissionError(errno.EACCES, "not writable", str(self.root))
        except OSError as exc:
            raise (OutputError.of(exc, self.root, "--cache DIR (or give --no-cache)")
                   or exc) from None

    @staticmethod
    def key(engine: str, voice: Voice, text: str) -> str:
        data = json.dumps([engine, asdict(voice), text], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def _path(self, key: str, kind: str) -> Path:
        return self.root / kind / key[:2] / key

    def load(self, key: str, kind: str) -> bytes | None:
        if self.root is None:
            return None
        path = self._path(key, kind)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = data[:_ENTRY.size]
        if len(head) == _ENTRY.size:
            magic, length, digest = _ENTRY.unpack(head)
            body = data[_ENTRY.size:]
            if magic == _ENTRY_MAGIC and length == len(body) and (
                    hashlib.sha256(body).digest() == digest):
                return body
        self.damaged += 1
        path.unlink(missing_ok=True)
        return None

    def save(self, key: str, kind: str, data: bytes) -> None:
        if self.root is None:
            return
        path = self._path(key, kind)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(_ENTRY.pack(_ENTRY_MAGIC, len(data),
                                            hashlib.sha256(data).digest()) + data)
            os.replace(partial, path)
        except OSError:
            with contextlib.suppress(OSError):  # a full disk costs a cache entry, not the build
                partial.unlink(missing_ok=True)

    def get(self, key: str) -> tuple[bytes, int] | None:
        """A clip: 16-bit mono PCM and its sample rate."""
        data = self.load(key, "clips")
        if data is None or data[:4] != _CLIP_MAGIC or len(data) < 8:
            return None
        return data[8:], struct.unpack("<I", data[4:8])[0]

    def put(self, key: str, pcm: bytes, rate: int) -> None:
        self.save(key, "clips", _CLIP_MAGIC + struct.pack("<I", rate) + pcm)
