"""voices.yaml <-> Cast: read and validate a cast file, and add characters to it.

Every problem in a file is reported, one line each, as ``FILE:LINE: what is wrong`` with a
suggestion where there is one. Writing goes through ruamel.yaml's round trip, so the user's
comments, key order and hand-set values stay exactly as they were.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import stat
from dataclasses import fields, replace
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .cast import GENDERS, RANGES, STYLE_DEFAULTS, Cast, CastMember, Style
from .corrections import Corrections, LineFix
from .engines import SETTINGS, Engine, get_engine
from .errors import CastError
from .models import EFFECTS, RATE_PER_SPEED, Kind, Pauses, Voice

VOICE_KEYS = ("voice", "rate", "speed", "pitch", "volume")
SPEEDS = (0.5, 2.0)  # ``speed``: the engine's own speed times this (Kokoro's setting)
STYLE_RANGES = {"rate": (0.5, 2.0), "pitch": (-50, 50), "volume": (0.1, 2.0)}
SECTIONS = {
    None: ("engine", "model", "voices", "narrator", "characters", "defaults", "thoughts",
           "letters", "pauses", "lines", "not_characters", "pronunciations"),
    "line": ("match", "speaker", "kind", "chapter"),
    "pauses": tuple(field.name for field in fields(Pauses)),
    "narrator": VOICE_KEYS,
    "character": VOICE_KEYS + ("aliases", "gender", "thoughts", "pronunciations"),
    "defaults": ("rate", "speed", "pitch", "volume", "male", "female", "unknown"),
    "style": ("rate", "pitch", "volume", "whisper", "effect"),
}
HEADER = """\
# The cast of an audiobook: who reads what. Voices are eSpeak NG voices, a language with an
# optional variant (en-us, en-gb+m7, en-us+f3); `audiobook voices` lists them.
# rate: words a minute (80-450); pitch: 0-100 (50 is the voice's own); volume: 0-2.
# `audiobook cast STORY` adds the characters it finds and never changes what you set.
"""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # a value the user quoted stays quoted
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml


MAX_CAST_BYTES = 4 << 20  # a cast of thousands is a few hundred KB; past this, refused


def _read(path: Path):
    try:
        with path.open("rb") as stream:  # never more than the limit, whatever it is
            raw = stream.read(MAX_CAST_BYTES + 1)
        if len(raw) > MAX_CAST_BYTES:
            raise CastError(f"is over {MAX_CAST_BYTES >> 20} MiB; a cast file is a few hundred "
                            "KB at most: is this the right file?", path=path)
        source = io.StringIO(raw.decode("utf-8"), newline=None).read()  # as read_text does
    except FileNotFoundError:
        raise CastError("no such cast file", path=path) from None
    except IsADirectoryError:
        raise CastError("is a folder; give the cast file in it, e.g. --voices "
                        f"{path / 'voices.yaml'}", path=path) from None
    except OSError as exc:
        raise CastError(f"cannot read the cast file: {exc.strerror}", path=path) from None
    except UnicodeDecodeError as exc:
        raise CastError(f"is not UTF-8 text (byte {exc.start}): save it as UTF-8",
                        path=path) from None
    try:
        return _yaml().load(source)
    except DuplicateKeyError as exc:
        key = re.search(r'duplicate key "([^"]*)"', str(exc.problem))
        first = exc.context_mark.line + 1 if exc.context_mark else None
        raise CastError(f"'{key.group(1) if key else '?'}' is listed twice (first on line "
                        f"{first}); merge the two entries", path=path,
                        line=exc.problem_mark.line + 1) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CastError(f"not valid YAML: {exc.problem}", path=path,
                        line=mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise CastError(f"not valid YAML: {exc}", path=path) from None


def load_cast(path: str | Path | None, check_voice=None, engine: Engine | None = None) -> Cast:
    """Read and validate a cast file; ``None`` gives the built-in defaults.

    ``check_voice`` returns None for a voice id the engine has, or what is wrong with it
    (``Engine.check_voice``); without it voices go unchecked. With ``engine``, the voices the
    file leaves unset are that engine's own. Every problem found is reported together, one
    line each.
    """
    if path is None:
        return _parse(None, None, check_voice, engine)
    path = Path(path)
    return _parse(path, _read(path), check_voice, engine)


def open_cast(path: str | Path | None, engine: Engine | None = None) -> tuple[Cast, Engine]:
    """Read a cast file once, make the engine it names with its settings (unless ``engine``
    is given: then that one), and check every voice against that engine. An engine that
    cannot load stops here, before any work."""
    if path is None:
        engine = engine or get_engine(Cast().engine)
        return _parse(None, None, engine.check_voice, engine), engine
    path = Path(path)
    data = _read(path)
    if engine is None:
        top = data if isinstance(data, dict) else {}
        name = top.get("engine", Cast().engine)
        name = name if isinstance(name, str) else Cast().engine
        settings = {}
        for key in SETTINGS.get(name, ()):
            if key in top:
                if not isinstance(top[key], str) or not top[key].strip():
                    raise CastError(f"'{key}' must be the path of {name}'s {key} file",
                                    path=path, line=top.lc.key(key)[0] + 1)
                settings[key] = str(path.parent / Path(top[key].strip()).expanduser())
        if stray := [k for k in ("model", "voices") if k in top and k not in settings]:
            raise CastError(f"'{stray[0]}' is a setting of the kokoro engine; this cast file's "
                            f"engine is {name}", path=path, line=top.lc.key(stray[0])[0] + 1)
        engine = get_engine(name, **settings)
    return _parse(path, data, engine.check_voice, engine), engine


def _parse(path: Path | None, data, check_voice, engine: Engine | None = None) -> Cast:
    """The Cast ``data`` gives; with ``engine``, voices it leaves unset are that engine's."""
    parser = _Parser(path, check_voice, engine)
    if path is None:
        return parser.base()
    cast = parser.cast(data)
    if parser.problems:
        raise CastError("\n".join(message for _, message in sorted(parser.problems)))
    return cast


class _Parser:
    def __init__(self, path: Path | None, check_voice, engine: Engine | None = None) -> None:
        self.path = path
        self.check_voice = check_voice
        self.engine = engine
        self.problems: list[tuple[int, str]] = []  # (line, message), reported in line order

    def problem(self, message: str, node=None, key=None) -> None:
        line = None
        try:
            line = (node.lc.key(key)[0] if key is not None else node.lc.line) + 1
        except (AttributeError, KeyError, TypeError):
            pass
        self.problems.append((line or 0, str(CastError(message, path=self.path, line=line))))

    def mapping(self, node, where: str, section: str | None, parent=None, key=None) -> dict:
        """``node`` as a mapping with only the keys ``section`` allows (others reported)."""
        if node is None:
            return {}
        if not isinstance(node, dict):
            self.problem(f"'{where or 'the file'}' must be a mapping of keys to values",
                         parent, key)
            return {}
        allowed = SECTIONS[section]
        for k in node:
            if k not in allowed:
                close = difflib.get_close_matches(str(k), allowed, n=1)
                hint = (f"; did you mean '{close[0]}'?" if close
                        else f" (expected one of: {', '.join(allowed)})")
                place = f" under '{where}'" if where else ""
                self.problem(f"unknown key '{k}'{place}{hint}", node, k)
        return {k: v for k, v in node.items() if k in allowed}

    def base(self) -> Cast:
        """The cast of no cast file: the engine's own voices for the narrator and for
        characters, where it has its own (Kokoro's; eSpeak NG's are the Cast's defaults)."""
        engine = self.engine
        if engine is None or engine.slots("unknown") is None:
            return Cast(engine.name if engine else Cast().engine, path=self.path)
        ids = {v.id for v in engine.voices()}
        narrator = engine.narrator_voice if engine.narrator_voice in ids else next(iter(ids))
        return Cast(engine.name, Voice(narrator), defaults=Voice(engine.default_voice),
                    pools={g: engine.slots(g) for g in GENDERS}, path=self.path)

    def cast(self, data) -> Cast:
        top = self.mapping(data, "", None)
        base = self.base()
        if not isinstance(data, dict):
            return base
        engine = top.get("engine", "pyttsx3")
        if not isinstance(engine, str):
            self.problem("'engine' must be a name such as pyttsx3", data, "engine")
            engine = "pyttsx3"
        node = data.get("defaults")
        defaults_node = self.mapping(node, "defaults", "defaults", data, "defaults")
        defaults = self.voice(defaults_node, node, "defaults", base.defaults)
        pools = {**base.pools,
                 **{g: self.voice_list(node, g) for g in GENDERS if g in defaults_node}}
        node = data.get("narrator")
        narrator = self.voice(self.mapping(node, "narrator", "narrator", data, "narrator"),
                              node, "narrator", base.narrator)
        styles = {name: self.style(data.get(name), name, STYLE_DEFAULTS[name], data, name)
                  for name in STYLE_DEFAULTS}
        members = self.members(data, defaults, styles["thoughts"])
        chosen = isinstance(node, str) or (isinstance(node, dict) and "voice" in node)
        return Cast(engine, narrator, members, defaults, pools, styles["thoughts"],
                    styles["letters"], self.pauses(data), self.path, narrator_set=chosen,
                    corrections=Corrections(self.lines(data), self.names(data)),
                    pronunciations=self.pronunciations(data.get("pronunciations"),
                                                       "pronunciations", data, "pronunciations"))

    def pronunciations(self, node, where: str, parent, key) -> tuple[tuple[str, str], ...]:
        """(word, how to say it): a respelling, or eSpeak NG phonemes in [[ ]]."""
        if node is None:
            return ()
        if not isinstance(node, dict):
            self.problem(f"'{where}' must map each word to how it is said (Sasuke: Sahss-keh)",
                         parent, key)
            return ()
        out = {}
        for word, said in node.items():
            if not isinstance(said, (str, int, float)) or isinstance(said, bool) or not str(
                    said).strip():
                self.problem(f"'{where}.{word}' must say how the word is read: a respelling "
                             "(Sahss-keh) or eSpeak NG phonemes in double brackets", node, word)
                continue
            said = str(said).strip()
            if ("[[" in said or "]]" in said) and not re.fullmatch(r"\[\[[^\[\]]+\]\]", said):
                self.problem(f"'{where}.{word}' mixes phonemes and letters; give the whole "
                             "word as [[phonemes]] or as letters", node, word)
                continue
            if not str(word).strip() or not re.search(r"\w", str(word)):
                self.problem(f"'{where}' has a key {word!r} that is not a word", node, word)
                continue
            out[str(word).strip()] = said
        return tuple(out.items())

    def lines(self, top) -> tuple[LineFix, ...]:
        """``lines:``, the lines whose reader or kind is set by hand."""
        node = top.get("lines")
        if node is None:
            return ()
        if not isinstance(node, list):
            self.problem("'lines' must be a list of lines, each with a 'match' (words of the "
                         "line) and a 'speaker' or 'kind'", top, "lines")
            return ()
        fixes = []
        for n, item in enumerate(node):
            where = f"lines[{n + 1}]"
            entry = self.mapping(item, where, "line", node, n)
            at = node.lc.item(n)[0] + 1 if hasattr(node, "lc") else 0
            match = entry.get("match")
            if not isinstance(match, str) or not match.split():
                self.problem(f"'{where}' needs 'match': a few words of the line, in quotes",
                             item if isinstance(item, dict) else node, "match"
                             if isinstance(item, dict) and "match" in item else None)
                continue
            kind = entry.get("kind")
            if kind is not None and kind not in [k.value for k in Kind]:
                self.problem(f"'{where}.kind' is {kind!r}; it must be narration, dialogue or "
                             "thought", item, "kind")
                continue
            speaker = entry.get("speaker")
            if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
                self.problem(f"'{where}.speaker' must be a name", item, "speaker")
                continue
            if kind == "narration" and speaker:
                self.problem(f"'{where}' gives narration a speaker; leave out 'speaker' (the "
                             "narrator reads narration) or make it dialogue", item, "speaker")
                continue
            if kind is None and not speaker:
                self.problem(f"'{where}' needs a 'speaker' or a 'kind'", item, "match")
                continue
            chapter = entry.get("chapter")
            if chapter is not None and (isinstance(chapter, bool) or not isinstance(chapter, int)
                                        or chapter < 1):
                self.problem(f"'{where}.chapter' is {chapter!r}; it must be a chapter number "
                             "(1 is the first)", item, "chapter")
                continue
            fixes.append(LineFix(" ".join(match.split()), speaker.strip() if speaker else None,
                                 Kind(kind) if kind else None, chapter, at, self.path))
        return tuple(fixes)

    def names(self, top) -> tuple[str, ...]:
        """``not_characters:``, names that are never a speaker."""
        value = top.get("not_characters", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem("'not_characters' must be a list of names", top, "not_characters")
            return ()
        return tuple(v.strip() for v in value if v.strip())

    def pauses(self, top) -> Pauses:
        node = top.get("pauses")
        entry = self.mapping(node, "pauses", "pauses", top, "pauses")
        values = {k: v for k in entry
                  if (v := self.number(entry, node, "pauses", k, 0, 10_000, int)) is not None}
        return replace(Pauses(), **values)

    def members(self, top, defaults: Voice, thoughts: Style) -> tuple[CastMember, ...]:
        chars = top.get("characters")
        if chars is None:
            return ()
        if not isinstance(chars, dict):
            self.problem("'characters' must map each character's name to its voice",
                         top, "characters")
            return ()
        members, owners = [], {}
        for name, node in chars.items():
            where = f"characters.{name}"
            if isinstance(node, str):  # shorthand: `Naruto: en-us+m3`
                entry, voice = {}, replace(defaults, id=node)
                self.check(voice, chars, name)
            else:
                entry = self.mapping(node, where, "character", chars, name)
                voice = self.voice(entry, node, where, defaults)
            aliases = self.aliases(entry, node, where)
            gender = entry.get("gender", "unknown")
            if gender not in GENDERS:
                self.problem(f"'{where}.gender' is {gender!r}; it must be one of "
                             f"{', '.join(GENDERS)}", node, "gender")
                gender = "unknown"
            for alias in (str(name), *aliases):
                owner = owners.setdefault(alias.lower(), str(name))
                if owner != str(name):
                    self.problem(f"alias '{alias}' is claimed by both '{owner}' and '{name}'",
                                 chars, name)
            style = (self.style(entry["thoughts"], f"{where}.thoughts", thoughts, node,
                                "thoughts") if "thoughts" in entry else None)
            said = (self.pronunciations(entry["pronunciations"], f"{where}.pronunciations",
                                        node, "pronunciations")
                    if "pronunciations" in entry else ())
            members.append(CastMember(str(name), voice, aliases, gender, style, said))
        return tuple(members)

    def aliases(self, entry, node, where: str) -> tuple[str, ...]:
        value = entry.get("aliases", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            self.problem(f"'{where}.aliases' must be a list of names", node, "aliases")
            return ()
        return tuple(value)

    def voice_list(self, node, key: str) -> tuple[str, ...]:
        value = node[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.problem(f"'defaults.{key}' must be a list of voices", node, key)
            return ()
        return tuple(v for v in value if self.check(Voice(v), node, key))

    def number(self, entry, node, where: str, key: str, low, high, kind=(int, float)):
        value = entry[key]
        if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
            self.problem(f"'{where}.{key}' is {value!r}; it must be a number from {low} to "
                         f"{high}", node, key)
            return None
        return value

    def voice(self, entry, node, where: str, base: Voice) -> Voice:
        values = {}
        for key, (low, high) in RANGES.items():
            if key in entry:
                value = self.number(entry, node, where, key, low, high,
                                    int if key != "volume" else (int, float))
                if value is not None:
                    values[key] = value
        if "speed" in entry:
            if "rate" in entry:
                self.problem(f"'{where}' gives both 'rate' and 'speed'; give one", node, "speed")
            elif (speed := self.number(entry, node, where, "speed", *SPEEDS)) is not None:
                values["rate"] = round(speed * RATE_PER_SPEED)
        if "voice" in entry:
            if not isinstance(entry["voice"], str) or not entry["voice"].strip():
                self.problem(f"'{where}.voice' must be a voice name such as en-us+f3",
                             node, "voice")
            elif self.check(Voice(entry["voice"].strip()), node, "voice"):
                values["id"] = entry["voice"].strip()
        return replace(base, **values)

    def style(self, node, where: str, base: Style, parent, key) -> Style:
        entry = self.mapping(node, where, "style", parent, key)
        values = {}
        for k, (low, high) in STYLE_RANGES.items():
            if k in entry:
                value = self.number(entry, node, where, k, low, high,
                                    int if k == "pitch" else (int, float))
                if value is not None:
                    values[k] = value
        if "whisper" in entry:
            if isinstance(entry["whisper"], bool):
                values["whisper"] = entry["whisper"]
            else:
                self.problem(f"'{where}.whisper' must be true or false", node, "whisper")
        if "effect" in entry:
            if entry["effect"] in EFFECTS:
                values["effect"] = entry["effect"]
            else:
                close = difflib.get_close_matches(str(entry["effect"]), EFFECTS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.problem(f"'{where}.effect' is {entry['effect']!r}; it must be one of "
                             f"{', '.join(EFFECTS)}{hint}", node, "effect")
        return replace(base, **values)

    def check(self, voice: Voice, node, key) -> bool:
        problem = self.check_voice(voice.id) if self.check_voice else None
        if problem:
            self.problem(problem, node, key)
        return not problem


def add_characters(path: str | Path, entries: dict[str, dict]) -> list[str]:
    """Add characters the cast file does not list yet, keeping everything else as it is.

    ``entries`` maps a canonical name to its settings (voice, pitch, rate, gender, aliases).
    A name already under ``characters:`` (or claimed as an alias there) is left alone. The file
    is created, with a short header, when missing, and only rewritten when something is added.
    Returns the names added.
    """
    path = Path(path)
    check_writable(path)
    data = _read(path) if path.exists() else None
    if data is None:
        data = _yaml().load(HEADER + "narrator:\n  voice: en-gb\n  rate: 165\ncharacters: {}\n")
    if not isinstance(data, dict):
        raise CastError("'the file' must be a mapping of keys to values", path=path)
    chars = data.get("characters")
    if chars is None:
        chars = data["characters"] = CommentedMap()
    if not isinstance(chars, dict):
        raise CastError("'characters' must map each character's name to its voice", path=path)
    listed = {str(n).lower() for n in chars}
    for node in chars.values():
        if isinstance(node, dict):
            aliases = node.get("aliases", [])
            listed |= {str(a).lower() for a in ([aliases] if isinstance(aliases, str)
                                                  else aliases or [])}
    added = []
    for name, settings in entries.items():
        if name.lower() in listed:
            continue
        node = CommentedMap()
        for key, value in settings.items():
            node[key] = list(value) if isinstance(value, tuple) else value
        chars[name] = node
        added.append(name)
    if added or not path.exists():
        if hasattr(chars, "fa"):
            chars.fa.set_block_style()
        out = io.StringIO()
        _yaml().dump(data, out)
        _write_atomically(path, out.getvalue())
    return added


def check_writable(path: str | Path) -> None:
    """A cast file that cannot be written (or made) is one line, before any work is done."""
    target = Path(path).resolve()
    folder = target.parent
    if target.exists() and (not target.is_file() or not os.access(target, os.W_OK)):
        raise CastError("cannot write the cast file (it is read-only or no file); make it "
                        "writable or name another with --voices", path=path)
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise CastError(f"cannot write the cast file: its folder {folder} is not writable; "
                        "name another with --voices", path=path)


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file's text whole or not at all, as the same file: through a symlink its
    target is written (the link stays a link), and its mode and owner are kept."""
    target = path.resolve()
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        partial.write_text(text, encoding="utf-8")
        if target.exists():
            st = target.stat()
            os.chmod(partial, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                try:
                    os.chown(partial, st.st_uid, st.st_gid)
                except PermissionError:
                    pass  # not ours to give away: the file keeps our ownership
        os.replace(partial, target)
    except OSError as exc:
        raise CastError(f"cannot write the cast file: {exc.strerror.lower()}",
                        path=path) from None
    finally:
        partial.unlink(missing_ok=True)
