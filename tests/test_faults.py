"""Builds that survive each other: one build at a time in a book's folder, a lock that dies
with its holder, nothing a dead build left behind (issue 11)."""

from __future__ import annotations

import importlib.metadata
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, ffmpeg, mp3_files

from audiobook.engines.fake import FakeEngine
from audiobook.errors import AudiobookError
from audiobook.lock import BusyError, drop_inherited, owning
from audiobook.export import read_mp3
from audiobook.pipeline import BookOptions, build

HOLD = ("import sys, time; from pathlib import Path; from audiobook.lock import owning\n"
        "with owning(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n")


def _holder(folder: Path) -> subprocess.Popen:
    """Another process that holds ``folder``, once it has said so."""
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT)
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_second_build_of_a_book_refuses_in_one_line_while_one_writes(short_story, tmp_path,
                                                                       fake_engine):
    out = tmp_path / "out"
    folder = build(short_story, out=out, engine=fake_engine)[0].parent
    before = sorted(p.name for p in folder.iterdir())
    calls = len(fake_engine.calls)
    with owning(folder), pytest.raises(BusyError) as err:
        build(short_story, out=out, engine=fake_engine)
    assert "another build" in str(err.value) and "\n" not in str(err.value)
    assert len(fake_engine.calls) == calls  # refused before any speech
    assert sorted(p.name for p in folder.iterdir()) == before  # and took nothing away


def test_the_lock_ends_with_its_holder_however_it_dies(tmp_path):
    folder = tmp_path / "book"
    child = _holder(folder)
    try:
        with pytest.raises(BusyError):
            with owning(folder):
                pass
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with owning(folder):  # a killed build never blocks the next
        pass


def _linger() -> None:
    drop_inherited()
    time.sleep(30)


def test_a_forked_worker_does_not_keep_its_builds_lock(tmp_path):
    folder = tmp_path / "book"
    with owning(folder):
        worker = multiprocessing.get_context("fork").Process(target=_linger, daemon=True)
        worker.start()
    try:
        child = _holder(folder)  # the build is gone; its worker lives on, and holds nothing
        child.kill()
        child.wait()
    finally:
        worker.kill()
        worker.join()


def test_a_dead_builds_part_files_are_removed_by_the_next(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    stale = [folder / ".0123456789abcdef-1.4242.mp3.part", folder / ".book.json.part"]
    for path in stale:
        path.write_bytes(b"half")
    (folder / "01 - Rain.mp3").write_bytes(b"kept")
    with owning(folder):
        assert not any(p.exists() for p in stale)
    assert (folder / "01 - Rain.mp3").exists()


def test_an_output_below_a_file_is_one_line_before_any_speech(short_story, tmp_path,
                                                               fake_engine):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(AudiobookError) as err:
        build(short_story, out=blocker / "out", engine=fake_engine)
    assert "\n" not in str(err.value) and "--out" in str(err.value)
    assert fake_engine.calls == []


def test_two_builds_at_once_make_one_clean_book(short_story, tmp_path):
    cast = tmp_path / "voices.yaml"
    cast.write_text("engine: fake\n", encoding="utf-8")
    story = tmp_path / "long.txt"
    story.write_text(short_story.read_text(encoding="utf-8") * 20, encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "audiobook", "build", str(story), "--voices", str(cast),
               "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env) for _ in range(2)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for code, err in results:
        errors = [line for line in err.splitlines() if line.startswith("Error")]
        assert "Traceback" not in err
        assert code == 0 or (code == 1 and len(errors) == 1
                             and "another build is writing" in errors[0]), err
    assert any(code == 0 for code, _ in results)
    files = mp3_files(out)
    assert files and not list(out.rglob("*.part"))
    for path in files:
        decoded = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "null", "-"],
                                 capture_output=True, text=True)
        assert decoded.returncode == 0 and decoded.stderr == "", decoded.stderr


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie no one has reaped yet is dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


@pytest.fixture
def long_build(tmp_path, fake_cast):
    """A build of a long book by worker processes, started and under way (its workers up)."""
    story = tmp_path / "long.txt"
    story.write_text((ROOT / "examples" / "harbour-lights.txt").read_text(encoding="utf-8") * 10,
                     encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "audiobook", "build", str(story), "--voices", str(fake_cast),
               "--out", str(out), "--jobs", "2", "--quiet"]

    def start() -> tuple[subprocess.Popen, list[int]]:
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 60
        while len(workers := [k for k in _children(run.pid) if "python" in
                              Path(f"/proc/{k}/cmdline").read_bytes().decode(errors="replace")]
                  ) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # speaking
        assert run.poll() is None and len(workers) == 2
        return run, workers

    return start, out, command


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_build_takes_its_workers_and_the_next_leaves_no_part(long_build, sig):
    start, out, command = long_build
    run, workers = start()
    run.send_signal(sig)
    code = run.wait(timeout=30)
    time.sleep(5)
    assert not [w for w in workers if _alive(w)]
    assert code == (143 if sig == signal.SIGTERM else -signal.SIGKILL)
    if sig == signal.SIGTERM:
        err = run.stderr.read().strip().splitlines()
        assert len(err) == 1 and "SIGTERM" in err[0] and "Traceback" not in err[0]
        assert not list(out.rglob("*.part")) and not mp3_files(out)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert again.returncode == 0, again.stderr
    assert mp3_files(out) and not list(out.rglob("*.part"))


def test_ctrl_c_stops_the_build_in_one_line_with_130(long_build):
    start, out, _ = long_build
    run, workers = start()
    os.killpg(run.pid, signal.SIGINT)  # what the terminal sends: the whole group
    code = run.wait(timeout=30)
    err = run.stderr.read().strip().splitlines()
    assert code == 130
    assert 1 <= len(err) <= 2 and not any("Traceback" in line for line in err), err
    assert not mp3_files(out) and not list(out.rglob("*.part"))


@pytest.mark.parametrize("cut", ["half", "odd"])
def test_a_damaged_cache_can_slow_a_build_but_never_shorten_it(short_story, tmp_path,
                                                               fake_engine, cut):
    from audiobook.export import read_mp3

    story = tmp_path / "story.txt"
    story.write_text(short_story.read_text(encoding="utf-8").replace(
        "The rain stopped at noon.", "The rain stopped at noon. The sun came out at one."),
        encoding="utf-8")
    clean = build(story, out=tmp_path / "clean", engine=fake_engine)
    length = sum(read_mp3(p)["duration"] for p in clean)
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert entries
    for path in entries:  # every entry cut to half its length, or to an odd length
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 2 if cut == "half" else len(data) // 2 | 1])
    notes: list[str] = []
    again = build(story, out=tmp_path / "again", engine=fake_engine, on_note=notes.append)
    assert abs(sum(read_mp3(p)["duration"] for p in again) - length) <= 0.01 * length
    for path in again:
        decoded = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "null", "-"],
                                 capture_output=True, text=True)
        assert decoded.returncode == 0 and decoded.stderr == "", decoded.stderr
    assert len(notes) == 1 and notes[0].startswith(f"{len(entries)} damaged cache entries")


def _cast_of(story: Path, cast: Path, fake_engine) -> list[str]:
    from audiobook.pipeline import cast_story

    report, _ = cast_story(story, cast, fake_engine)
    return report.added


def test_a_symlinked_cast_file_stays_a_link_and_its_target_gets_the_characters(
        short_story, tmp_path, fake_engine):
    shared = tmp_path / "series" / "voices.yaml"
    shared.parent.mkdir()
    shared.write_text("engine: fake\ncharacters: {}\n", encoding="utf-8")
    shared.chmod(0o640)
    link = tmp_path / "voices.yaml"
    link.symlink_to(shared)
    assert _cast_of(short_story, link, fake_engine)
    assert link.is_symlink() and link.resolve() == shared.resolve()
    assert "Ada" in shared.read_text(encoding="utf-8")
    assert shared.stat().st_mode & 0o777 == 0o640


def test_a_read_only_cast_file_stays_read_only(short_story, tmp_path, fake_engine):
    from audiobook.errors import CastError

    cast = tmp_path / "voices.yaml"
    cast.write_text("engine: fake\ncharacters: {}\n", encoding="utf-8")
    cast.chmod(0o444)
    if os.access(cast, os.W_OK):  # root may write it: it is updated and keeps its mode
        assert _cast_of(short_story, cast, fake_engine)
        assert "Ada" in cast.read_text(encoding="utf-8")
    else:  # anyone else is told in one line, and nothing is read or written
        with pytest.raises(CastError) as err:
            _cast_of(short_story, cast, fake_engine)
        assert "\n" not in str(err.value) and "read-only" in str(err.value)
    assert cast.stat().st_mode & 0o777 == 0o444


def test_a_cast_file_in_a_folder_it_may_not_write_is_one_line(short_story, tmp_path,
                                                              fake_engine):
    from audiobook.errors import CastError

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(CastError) as err:
        _cast_of(short_story, blocker / "voices.yaml", fake_engine)
    assert "\n" not in str(err.value) and "--voices" in str(err.value)


def test_a_story_that_never_ends_is_one_line_and_read_no_further(tmp_path):
    from audiobook.errors import InputError
    from audiobook.readers import read_file
    from audiobook.readers.base import MAX_FILE_BYTES

    started = time.monotonic()
    with pytest.raises(InputError) as err:
        read_file(Path("/dev/zero"))
    assert "\n" not in str(err.value) and f"over {MAX_FILE_BYTES >> 20} MiB" in str(err.value)
    assert time.monotonic() - started < 20


def test_a_huge_cast_file_is_one_line_at_once(tmp_path):
    from audiobook.castfile import MAX_CAST_BYTES, load_cast
    from audiobook.errors import CastError

    cast = tmp_path / "voices.yaml"
    with cast.open("w", encoding="utf-8") as out:
        out.write("engine: fake\ncharacters:\n")
        n = 0
        while out.tell() <= MAX_CAST_BYTES:
            out.write(f"  Name{n}: en-us\n" * 1000)
            n += 1000
    started = time.monotonic()
    with pytest.raises(CastError) as err:
        load_cast(cast)
    assert "\n" not in str(err.value) and "MiB" in str(err.value)
    assert time.monotonic() - started < 20


# -- text without sentence breaks ------------------------------------------------------------

def _wall(words: int, comma_every: int | None = 13) -> str:
    """A paragraph of ``words`` words and no full stop (commas every few words, or none)."""
    pool = "the river ran on under a grey sky and the old dog barked at the reeds".split()
    out = [pool[(n * 7) % len(pool)] for n in range(words)]
    if comma_every:
        out = [w + "," if n % comma_every == comma_every - 1 else w for n, w in enumerate(out)]
    return " ".join(out)


@pytest.mark.parametrize("comma_every", [13, None])
def test_a_sentence_too_long_to_say_at_once_is_cut_at_clauses_then_words(comma_every):
    from audiobook.render import MAX_UTTERANCE, utterances

    text = _wall(2000, comma_every)
    pieces = utterances(text)
    assert len(pieces) > 1 and all(len(p) <= MAX_UTTERANCE for p in pieces)
    assert " ".join(pieces).split() == text.split()  # nothing lost, nothing added
    if comma_every:  # cut where a reader breathes: after a clause
        assert all(p.endswith(",") for p in pieces[:-1])
    assert utterances("A short one. And another.") == ["A short one.", "And another."]


def test_a_word_longer_than_an_utterance_is_cut_at_the_limit():
    from audiobook.render import MAX_UTTERANCE, utterances

    pieces = utterances("a" * (3 * MAX_UTTERANCE + 5))
    assert [len(p) for p in pieces] == [MAX_UTTERANCE] * 3 + [5]


def test_a_wall_of_text_is_spoken_in_bounded_utterances_and_clips(fake_engine):
    from audiobook.models import Kind, Segment, Treatment, Voice
    from audiobook.render import CLIP_CHARS, MAX_UTTERANCE, Renderer

    text = _wall(3000)
    segment = Segment(0, len(text), Kind.NARRATION, None, text, 1, 1, 0)
    voice = Voice("en-us")
    clips = list(Renderer(fake_engine).clips([segment], lambda s: (voice, Treatment())))
    assert max(len(t) for t, _ in fake_engine.calls) <= MAX_UTTERANCE
    assert len(clips) > 1 and all(len(c.segment.text) <= CLIP_CHARS for c in clips)
    assert [c.continued for c in clips] == [False] + [True] * (len(clips) - 1)
    assert " ".join(c.segment.text for c in clips).split() == text.split()


def test_a_chapter_without_a_full_stop_is_split_into_parts_of_like_length(tmp_path,
                                                                          fake_engine):
    story = tmp_path / "walk.txt"
    story.write_text("# The Walk\n\n" + _wall(1400) + "\n", encoding="utf-8")
    files = build(story, out=tmp_path / "out", options=BookOptions(max_minutes=2),
                  engine=fake_engine)
    lengths = [read_mp3(p)["duration"] for p in files]
    assert len(files) >= 3 and max(lengths) <= 120, lengths
    # Parts end between clips, so they can differ by a clip, not more (not 5 s, then the rest).
    from audiobook.models import Voice
    from audiobook.render import CLIP_CHARS
    pcm, rate = FakeEngine().synthesize(_wall(1400)[:CLIP_CHARS], Voice("en-us"))
    clip_s = len(pcm) / 2 / rate
    assert max(lengths) - min(lengths) <= clip_s + 1, (lengths, clip_s)


def test_a_long_line_builds_with_the_real_engine_in_parts_of_like_length(tmp_path):
    story = tmp_path / "walk.txt"
    story.write_text("# The Walk\n\n" + _wall(3000, None) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "audiobook", "build", str(story), "--out",
                          str(out), "--max-minutes", "5", "--quiet"], capture_output=True,
                         text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         timeout=600)
    assert run.returncode == 0, run.stderr
    files = mp3_files(out)
    lengths = [read_mp3(p)["duration"] for p in files]
    assert len(files) >= 3 and max(lengths) <= 300, lengths
    assert max(lengths) <= 1.25 * min(lengths), lengths
    for path in files:
        decoded = subprocess.run([ffmpeg(), "-v", "error", "-i", str(path), "-f", "null", "-"],
                                 capture_output=True, text=True)
        assert decoded.returncode == 0 and decoded.stderr == "", decoded.stderr


# -- places that cannot be written, and the one error boundary --------------------------------

def _cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _one_line_error(run: subprocess.CompletedProcess) -> str:
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error")]
    assert run.returncode == 1 and len(errors) == 1 and "Traceback" not in run.stderr, run.stderr
    return errors[0]


@pytest.fixture
def mounted(tmp_path):
    """A tmpfs of its own (root only), mounted with the options given, unmounted after."""
    if os.geteuid() != 0 or sys.platform != "linux":
        pytest.skip("mounting a small file system needs root on Linux")
    mounts = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mount{len(mounts)}"
        point.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                          capture_output=True).returncode != 0:
            pytest.skip("this machine cannot mount a tmpfs (a container without the right)")
        mounts.append(point)
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_disk_that_fills_during_the_build_is_one_line_and_nothing_is_left(tmp_path,
                                                                            fake_cast, mounted):
    disk = mounted("size=2m")
    story = tmp_path / "long.txt"
    story.write_text((ROOT / "examples" / "harbour-lights.txt").read_text(encoding="utf-8") * 3,
                     encoding="utf-8")
    run = _cli("build", str(story), "--voices", str(fake_cast), "--out", str(disk), "--quiet",
               cwd=tmp_path)
    line = _one_line_error(run)
    assert "disk is full" in line and str(disk) in line
    assert list(disk.iterdir()) == []


def test_an_output_on_a_read_only_disk_is_one_line_before_any_speech(short_story, tmp_path,
                                                                     fake_engine, mounted):
    from audiobook.errors import OutputError

    disk = mounted("ro,size=1m")
    with pytest.raises(OutputError) as err:
        build(short_story, out=disk / "out", engine=fake_engine)
    assert "read-only" in str(err.value) and "--out" in str(err.value)
    assert fake_engine.calls == []
    run = _cli("voices", "--say", "Hello there.", "--voice", "en-us", "--no-play", "--out",
               str(disk), cwd=tmp_path)
    assert "read-only" in _one_line_error(run)


def test_a_cache_folder_that_cannot_be_one_is_one_line_before_any_speech(short_story, tmp_path,
                                                                        fake_engine, fake_cast):
    from audiobook.errors import OutputError

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError) as err:
        build(short_story, out=tmp_path / "out", engine=fake_engine,
              options=BookOptions(cache=blocker / "audiobook"))
    assert "--cache" in str(err.value) and "--no-cache" in str(err.value)
    assert fake_engine.calls == [] and not (tmp_path / "out").exists()
    for command in (["build", str(short_story)], ["preview", str(short_story), "--chapter", "1",
                                                   "--no-play"]):
        run = _cli(*command, "--voices", str(fake_cast), "--out", str(tmp_path / "out"),
                   cwd=tmp_path, env={"XDG_CACHE_HOME": str(blocker)})
        assert "--cache" in _one_line_error(run)


def test_a_bug_is_one_line_that_points_to_debug_and_debug_shows_it(short_story, monkeypatch,
                                                                   capsys):
    from audiobook import cli, pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "prepare", broken)
    monkeypatch.setattr(sys, "argv", ["audiobook", "segment", str(short_story)])
    monkeypatch.setitem(cli._DEBUG, "on", False)
    with pytest.raises(SystemExit) as stop:
        cli.main()
    err = capsys.readouterr().err
    assert stop.value.code == 1 and "Traceback" not in err and len(err.splitlines()) == 1
    assert "bug" in err and "ZeroDivisionError" in err and "--debug" in err
    monkeypatch.setattr(sys, "argv", ["audiobook", "--debug", "segment", str(short_story)])
    with pytest.raises(ZeroDivisionError):
        cli.main()


def test_a_changed_pyttsx3_binding_is_one_line_naming_the_version(monkeypatch):
    pytest.importorskip("pyttsx3")
    from audiobook.engines.pyttsx3_engine import Pyttsx3Engine, _load_espeak
    from audiobook.errors import EngineError

    _load_espeak()  # the binding loads the library when it is imported
    from pyttsx3.drivers import _espeak

    monkeypatch.delattr(_espeak, "SetSynthCallback")
    with pytest.raises(EngineError) as err:
        Pyttsx3Engine()
    message = str(err.value)
    assert "\n" not in message and "SetSynthCallback" in message
    assert importlib.metadata.version("pyttsx3") in message and "pyttsx3>=2.98" in message
