"""voices.yaml <-> Cast: who reads what, validated before any audio work.

A cast file names the engine, the narrator's voice, a voice per character (with optional
aliases, rate, pitch and volume) and defaults for characters it does not list. Every problem
is reported as one line naming the file, the line and the key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import CastError
from .models import Character, Kind, Segment, Voice

RANGES = {"rate": (80, 450), "pitch": (0, 100), "volume": (0.0, 2.0)}
VOICE_KEYS = ("voice", "rate", "pitch", "volume")
SECTIONS = {
    None: ("engine", "narrator", "characters", "defaults"),
    "narrator": VOICE_KEYS,
    "character": VOICE_KEYS + ("aliases", "gender"),
    "defaults": ("rate", "pitch", "volume", "male", "female", "unknown"),
}
GENDERS = ("male", "female", "unknown")
# Voices for characters the cast does not list, most distinct first; pitch set apart too.
DEFAULT_POOLS = {
    "male": ("en-us+m3", "en-gb+m4", "en-us+m7", "en-gb+m2", "en-us+m5", "en-gb+m6"),
    "female": ("en-us+f3", "en-gb+f4", "en-us+f2", "en-gb+f1", "en-us+f5"),
    "unknown": ("en-us+m1", "en-gb+f2", "en-us+m6", "en-gb+f5"),
}
POOL_PITCH = (50, 38, 62, 44, 56, 32)


@dataclass(frozen=True)
class CastMember:
    name: str
    voice: Voice
    aliases: tuple[str, ...] = ()
    gender: str = "unknown"


@dataclass(frozen=True)
class Cast:
    """The narrator's voice, the listed characters, and pools for everyone else."""

    engine: str = "pyttsx3"
    narrator: Voice = Voice("en-gb", rate=165)
    members: tuple[CastMember, ...] = ()
    defaults: Voice = Voice("en-us")
    pools: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_POOLS))
    path: Path | None = None

    def known_aliases(self) -> dict[str, tuple[str, ...]]:
        """Names and aliases the segmenter should know, by canonical name."""
        return {m.name: m.aliases for m in self.members}

    def assign(self, characters: tuple[Character, ...] | list[Character]
               ) -> tuple[dict[str | None, Voice], list[str]]:
        """A voice for every speaker (None: an unattributed line), and notes on defaults used.

        Listed characters get their own voice; the rest get pool voices by gender, never the
        narrator's, each as far from voices already given as the pool allows.
        """
        voices: dict[str | None, Voice] = {m.name: m.voice for m in self.members}
        taken = {self.narrator.id, *(v.id for v in voices.values())}
        notes, used = [], {g: 0 for g in GENDERS}
        for c in characters:
            if c.name in voices:
                continue
            gender = c.gender if c.gender in GENDERS else "unknown"
            voices[c.name] = self._pool_voice(gender, used, taken)
            notes.append(f"{c.name} is not in the cast; using {voices[c.name].id} "
                         f"({gender} default)")
        voices[None] = self._pool_voice("unknown", used, taken)
        return voices, notes

    def _pool_voice(self, gender: str, used: dict[str, int], taken: set[str]) -> Voice:
        pool = list(self.pools.get(gender) or DEFAULT_POOLS[gender])
        fallback = [v for v in DEFAULT_POOLS[gender] + DEFAULT_POOLS["unknown"]
                    if v != self.narrator.id]
        choices = ([v for v in pool if v not in taken]
                   or [v for v in pool if v != self.narrator.id] or fallback)
        n = used[gender]
        used[gender] += 1
        voice_id = choices[n % len(choices)]
        taken.add(voice_id)
        return replace(self.defaults, id=voice_id, pitch=POOL_PITCH[n % len(POOL_PITCH)]
                       if self.defaults.pitch == 50 else self.defaults.pitch)

    def voice_for(self, segment: Segment, voices: dict[str | None, Voice]) -> Voice:
        if segment.kind is Kind.NARRATION:
            return self.narrator
        return voices.get(segment.speaker, voices[None])


def load_cast(path: str | Path | None, engine_voices=None) -> Cast:
    """Read and validate a cast file; ``None`` gives the built-in defaults.

    ``engine_voices`` is a callable that returns None for a voice id the engine has, or a
    message saying what is wrong (``Engine.check_voice``); without it voices go unchecked.
    """
    if path is None:
        return Cast()
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CastError("no such cast file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CastError(f"cannot read the cast file: {exc}", path=path) from None
    try:
        data = YAML(typ="rt").load(source)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CastError(f"not valid YAML: {exc.problem}", path=path,
                        line=mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise CastError(f"not valid YAML: {exc}", path=path) from None
    return _Parser(path, engine_voices).cast(data)


class _Parser:
    def __init__(self, path: Path, check_voice) -> None:
        self.path = path
        self.check_voice = check_voice

    def fail(self, message: str, node=None, key=None) -> CastError:
        line = None
        try:
            if node is not None and key is not None:
                line = node.lc.key(key)[0] + 1
            elif node is not None:
                line = node.lc.line + 1
        except (AttributeError, KeyError, TypeError):
            pass
        return CastError(message, path=self.path, line=line)

    def mapping(self, node, where: str, section: str | None, parent=None, key=None) -> dict:
        if node is None:
            return {}
        if not isinstance(node, dict):
            raise self.fail(f"'{where or 'the file'}' must be a mapping of keys to values",
                            parent, key)
        allowed = SECTIONS[section]
        for k in node:
            if k not in allowed:
                close = difflib.get_close_matches(str(k), allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    f" (expected one of: {', '.join(allowed)})"
                place = f" under '{where}'" if where else ""
                raise self.fail(f"unknown key '{k}'{place}{hint}", node, k)
        return node

    def cast(self, data) -> Cast:
        top = self.mapping(data, "", None)
        engine = top.get("engine", "pyttsx3")
        if not isinstance(engine, str):
            raise self.fail("'engine' must be a name such as pyttsx3", top, "engine")
        defaults_node = self.mapping(top.get("defaults"), "defaults", "defaults", top, "defaults")
        defaults = self.voice(defaults_node, "defaults", Voice("en-us"))
        pools = dict(DEFAULT_POOLS)
        for gender in GENDERS:
            if gender in defaults_node:
                pools[gender] = self.voice_list(defaults_node, gender)
        narrator = self.voice(self.mapping(top.get("narrator"), "narrator", "narrator", top,
                                           "narrator"), "narrator", Voice("en-gb", rate=165))
        members = self.members(top, defaults)
        return Cast(engine, narrator, members, defaults, pools, self.path)

    def members(self, top, defaults: Voice) -> tuple[CastMember, ...]:
        chars = top.get("characters")
        if chars is None:
            return ()
        if not isinstance(chars, dict):
            raise self.fail("'characters' must map each character's name to its voice",
                            top, "characters")
        members, owners = [], {}
        for name, node in chars.items():
            where = f"characters.{name}"
            if isinstance(node, str):  # shorthand: `Naruto: en-us+m3`
                node_map, voice = {}, self.check(replace(defaults, id=node), chars, name)
            else:
                node_map = self.mapping(node, where, "character", chars, name)
                voice = self.voice(node_map, where, defaults)
            aliases = self.aliases(node_map, where)
            gender = node_map.get("gender", "unknown")
            if gender not in GENDERS:
                raise self.fail(f"'{where}.gender' must be one of {', '.join(GENDERS)}",
                                node_map, "gender")
            for alias in (str(name), *aliases):
                if alias.lower() in owners and owners[alias.lower()] != str(name):
                    raise self.fail(f"alias '{alias}' is claimed by both "
                                    f"'{owners[alias.lower()]}' and '{name}'", chars, name)
                owners[alias.lower()] = str(name)
            members.append(CastMember(str(name), voice, aliases, gender))
        return tuple(members)

    def aliases(self, node, where: str) -> tuple[str, ...]:
        value = node.get("aliases", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            raise self.fail(f"'{where}.aliases' must be a list of names", node, "aliases")
        return tuple(value)

    def voice_list(self, node, key: str) -> tuple[str, ...]:
        value = node[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(f"'defaults.{key}' must be a list of voices", node, key)
        for v in value:
            self.check(Voice(v), node, key)
        return tuple(value)

    def voice(self, node, where: str, base: Voice) -> Voice:
        values = {}
        for key, (low, high) in RANGES.items():
            if key not in node:
                continue
            value = node[key]
            kind = int if key != "volume" else (int, float)
            if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
                raise self.fail(f"'{where}.{key}' is {value!r}; it must be a number from {low} "
                                f"to {high}", node, key)
            values[key] = value
        if "voice" in node:
            if not isinstance(node["voice"], str) or not node["voice"].strip():
                raise self.fail(f"'{where}.voice' must be a voice name such as en-us+f3",
                                node, "voice")
            values["id"] = node["voice"].strip()
        voice = replace(base, **values)
        return self.check(voice, node, "voice") if "voice" in node else voice

    def check(self, voice: Voice, node, key) -> Voice:
        if self.check_voice is not None:
            problem = self.check_voice(voice.id)
            if problem:
                raise self.fail(problem, node, key)
        return voice
