"""Play a sound file with whatever player the machine has, if any."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PLAYERS = (
    ("ffplay", ["-nodisp", "-autoexit", "-loglevel", "quiet"]),
    ("paplay", []),
    ("aplay", ["-q"]),
    ("afplay", []),
)


def find_player() -> list[str] | None:
    """The command line of the first player found on PATH (ffplay, paplay, aplay, afplay)."""
    for name, args in PLAYERS:
        if found := shutil.which(name):
            return [found, *args]
    return None


def play(path: Path) -> bool:
    """Play ``path``; False when there is no player or it failed."""
    player = find_player()
    if player is None:
        return False
    try:
        return subprocess.run([*player, str(path)], check=False,
                              stdin=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False
