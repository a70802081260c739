"""The command line as a new user meets it: output formats, help, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, FAREWELL, MARKDOWN, leftovers, needs_shared

from audiobook.cli import cli


def run(*args: str, cwd: Path | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def jsonl(path: Path) -> tuple[str, list[dict]]:
    result = run("segment", path, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8"), [json.loads(line) for line in
                                              result.output.splitlines()]


@pytest.mark.parametrize("story", [EXAMPLE, MARKDOWN, pytest.param(FAREWELL, marks=needs_shared)])
def test_jsonl_offsets_slice_the_input_exactly(story):
    text, rows = jsonl(story)
    assert rows, "no segments"
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"]
        assert row["kind"] in ("narration", "dialogue", "thought")
        if row["kind"] == "narration":
            assert row["speaker"] is None
        assert row["chapter"] >= 1 and row["scene"] >= 1
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts)
    assert all(a["end"] <= b["start"] for a, b in zip(rows, rows[1:]))


def test_jsonl_of_markdown_has_chapters_scenes_and_a_thought():
    _, rows = jsonl(MARKDOWN)
    assert {r["chapter"] for r in rows} == {1, 2}
    assert {r["scene"] for r in rows if r["chapter"] == 1} == {1, 2}
    thoughts = [r for r in rows if r["kind"] == "thought"]
    assert [(t["text"], t["speaker"]) for t in thoughts] == [("*I should have stayed,*", "Nora")]


def test_table_is_readable():
    result = run("segment", EXAMPLE)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["CH", "SC", "KIND", "SPEAKER", "TEXT"]
    assert any(line.split()[2:4] == ["dialogue", "Eli"] for line in lines[1:])


@pytest.mark.parametrize("command", [[], ["segment"], ["build"], ["characters"], ["cast"],
                                     ["voices"], ["text"], ["scenes"], ["preview"], ["check"],
                                     ["review"], ["words"]])
def test_every_command_explains_itself(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 5


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


CAST_OK = "engine: fake\nnarrator:\n  voice: en-gb\ncharacters:\n  Ada:\n    voice: en-us+f3\n"


@pytest.mark.parametrize("name, data, cast, message", [
    ("missing.txt", None, None, "missing.txt: no such file"),
    ("empty.txt", b"  \n\n", None, "empty.txt: the file is empty"),
    ("breaks.md", b"# Title\n\n* * *\n\n---\n", None,
     "breaks.md: there is no story in it to read (only headings, scene breaks or front matter)"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None,
     "picture.txt: this is a binary file, not a text story"),
    ("latin.txt", "Café au lait, said Ada.".encode("latin-1"), None,
     "latin.txt: not UTF-8 text (byte 0xe9 at offset 3); re-save the file as UTF-8"),
    ("ok.txt", b'"Hi," said Ada.',
     CAST_OK.replace("voice: en-us+f3", "voice: en-us+f3\n    pich: 5"),
     "voices.yaml:7: unknown key 'pich' under 'characters.Ada'; did you mean 'pitch'?"),
    ("ok.txt", b'"Hi," said Ada.', CAST_OK.replace("en-us+f3", "en-us+q3"),
     "voices.yaml:6: unknown voice 'en-us+q3'"),
    ("ok.txt", b'"Hi," said Ada.', CAST_OK + "    rate: 900\n",
     "voices.yaml:7: 'characters.Ada.rate' is 900; it must be a number from 80 to 450"),
])
def test_bad_input_gets_one_clear_line_and_no_mp3(tmp_path, name, data, cast, message):
    story = tmp_path / name if data is None else write(tmp_path, name, data)
    args = ["build", story, "--out", tmp_path / "out"]
    if cast is not None:
        args += ["--voices", write(tmp_path, "voices.yaml", cast)]
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert "Traceback" not in result.output
    assert leftovers(tmp_path / "out") == []


def test_a_missing_cast_file_is_named(tmp_path):
    story = write(tmp_path, "ok.txt", '"Hi," said Ada.')
    result = CliRunner().invoke(cli, ["build", str(story), "--voices", str(tmp_path / "no.yaml")])
    assert result.exit_code == 1
    assert "no.yaml: no such cast file" in result.output


def test_build_with_the_fake_engine_prints_the_files(tmp_path, fake_cast):
    story = write(tmp_path, "tale.txt", 'Chapter 1\n\n"Hi," said Ada.\n\nChapter 2\n\nThe end.\n')
    result = CliRunner().invoke(cli, ["build", str(story), "--voices", str(fake_cast), "--out",
                                      str(tmp_path / "out"), "--author", "Me"])
    assert result.exit_code == 0, result.output
    printed = [line for line in result.output.splitlines() if line.endswith(".mp3")]
    assert [Path(p).name for p in printed] == ["01 - Chapter 1.mp3", "02 - Chapter 2.mp3"]
    assert all(Path(p).is_file() for p in printed)
    assert "note: Ada is not in the cast" in result.output


def test_characters_lists_names_genders_and_line_counts():
    result = run("characters", EXAMPLE)
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()[1:]}
    assert rows["Maren"][1:4] == ["female", "22", "0"]
    assert rows["Tomas"][1:4] == ["male", "21", "0"]
    assert rows["Eli"][1:4] == ["male", "18", "0"]
    assert "Miss Hale" in result.output


def test_skip_notes_leaves_the_authors_note_out(tmp_path, fake_cast):
    from audiobook.engines.fake import FakeEngine
    from audiobook.pipeline import BookOptions, build

    story = write(tmp_path, "tale.txt", "A/N: I hope you enjoy this.\n\nAda walked home.\n")
    engines = {flag: FakeEngine() for flag in (False, True)}
    for flag, engine in engines.items():
        build(story, fake_cast, tmp_path / str(flag), BookOptions(skip_notes=flag, cache=None),
              engine)
    assert [t for t, _ in engines[False].calls] == ["Tale", "A/N: I hope you enjoy this.",
                                                   "Ada walked home."]
    assert [t for t, _ in engines[True].calls] == ["Tale", "Ada walked home."]
