from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audiobook.engines.fake import FakeEngine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "harbour-lights.txt"
EXAMPLE_CAST = ROOT / "voices.yaml"
MARKDOWN = ROOT / "tests" / "fixtures" / "markdown-story.md"
SHARED = ROOT.parent / "shared" / "corpus"
FAREWELL = SHARED / "farewell.txt"

needs_shared = pytest.mark.skipif(not FAREWELL.exists(), reason="../shared/corpus is not here")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test caches its clips in a folder of its own, never in the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def fake_cast(tmp_path: Path) -> Path:
    """The example's cast file, switched to the fake engine."""
    path = tmp_path / "voices.yaml"
    path.write_text(EXAMPLE_CAST.read_text(encoding="utf-8").replace("engine: pyttsx3",
                                                                     "engine: fake"))
    return path


@pytest.fixture
def short_story(tmp_path: Path) -> Path:
    path = tmp_path / "short.txt"
    path.write_text(
        "Chapter 1: Rain\n\n"
        '"Is it raining?" asked Ada.\n\n'
        '"Only a little," Bram said.\n\n'
        "* * *\n\n"
        "The rain stopped at noon.\n\n"
        "Chapter 2: Sun\n\n"
        'Ada laughed. "Told you so," she said.\n',
        encoding="utf-8",
    )
    return path


def mp3_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.mp3"))


def leftovers(folder: Path) -> list[Path]:
    """Any file at all under ``folder`` (nothing may be left after a failed build)."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def ffmpeg() -> str:
    from audiobook.export import ffmpeg_exe

    return ffmpeg_exe()


__all__ = ["EXAMPLE", "FAREWELL", "MARKDOWN", "ROOT", "mp3_files", "needs_shared", "shutil"]
