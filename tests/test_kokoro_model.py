"""The fake Kokoro model in kokoro_model.py behaves like Kokoro v1.0 under kokoro-onnx."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

kokoro_onnx = pytest.importorskip("kokoro_onnx", reason="kokoro-onnx is not installed")
pytest.importorskip("onnx", reason="onnx is not installed (needed to build the fake model)")

from kokoro_model import DEFAULT_VOICES, write_corrupt_model, write_model, write_voices  # noqa: E402


@pytest.fixture
def kokoro(tmp_path: Path) -> kokoro_onnx.Kokoro:
    model = write_model(tmp_path / "kokoro-v1.0.onnx")
    voices = write_voices(tmp_path / "voices-v1.0.bin")
    return kokoro_onnx.Kokoro(str(model), str(voices))


def test_files_are_written_where_asked(tmp_path: Path) -> None:
    voices = write_voices(tmp_path / "voices-v1.0.bin")
    assert voices == tmp_path / "voices-v1.0.bin" and voices.exists()
    assert not (tmp_path / "voices-v1.0.bin.npz").exists()
    with np.load(voices) as archive:
        assert sorted(archive.files) == sorted(DEFAULT_VOICES)
        assert archive["af_heart"].shape == (510, 1, 256)
        assert archive["af_heart"].dtype == np.float32


def test_interface_matches_kokoro_v1(kokoro: kokoro_onnx.Kokoro) -> None:
    inputs = {i.name: (i.type, i.shape) for i in kokoro.sess.get_inputs()}
    assert inputs == {
        "input_ids": ("tensor(int64)", [1, "num_tokens"]),
        "style": ("tensor(float)", [1, 256]),
        "speed": ("tensor(float)", [1]),
    }
    assert [(o.name, o.type) for o in kokoro.sess.get_outputs()] == [
        ("waveform", "tensor(float)")
    ]
    assert not kokoro.has_timings


def test_create_gives_float32_audio_at_24khz(kokoro: kokoro_onnx.Kokoro) -> None:
    audio, rate = kokoro.create("Hello there.", voice="af_heart")
    assert rate == 24000
    assert audio.dtype == np.float32
    assert len(audio) > 0
    assert 0.2 < np.abs(audio).max() <= 0.31


def test_longer_text_gives_longer_audio(kokoro: kokoro_onnx.Kokoro) -> None:
    short, _ = kokoro.create("Hello there.", voice="af_heart")
    long, _ = kokoro.create("Hello there. " * 4, voice="af_heart")
    assert 3.0 < len(long) / len(short) < 5.0


def test_faster_speech_is_shorter(kokoro: kokoro_onnx.Kokoro) -> None:
    normal, _ = kokoro.create("Hello there.", voice="af_heart", speed=1.0)
    fast, _ = kokoro.create("Hello there.", voice="af_heart", speed=2.0)
    assert len(fast) == pytest.approx(len(normal) / 2, rel=0.05)


def test_voices_sound_different(kokoro: kokoro_onnx.Kokoro) -> None:
    heart, _ = kokoro.create("Hello there.", voice="af_heart")
    adam, _ = kokoro.create("Hello there.", voice="am_adam")
    assert len(heart) == len(adam)
    assert not np.allclose(heart, adam, atol=0.01)


def test_get_voices_lists_the_names(kokoro: kokoro_onnx.Kokoro) -> None:
    assert sorted(kokoro.get_voices()) == sorted(DEFAULT_VOICES)


def test_corrupt_model_raises(tmp_path: Path) -> None:
    model = write_corrupt_model(tmp_path / "kokoro-v1.0.onnx")
    voices = write_voices(tmp_path / "voices-v1.0.bin")
    # onnxruntime 1.32 raises onnxruntime.capi.onnxruntime_pybind11_state.InvalidProtobuf
    # ("[ONNXRuntimeError] : 7 : INVALID_PROTOBUF ..."), a direct subclass of Exception,
    # not of RuntimeError or ValueError
    with pytest.raises(Exception, match="INVALID_PROTOBUF"):
        kokoro_onnx.Kokoro(str(model), str(voices))
