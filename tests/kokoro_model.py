"""A tiny fake Kokoro v1.0 model and voices file, so tests can run a Kokoro engine offline.

``write_model`` builds an ONNX graph with the interface kokoro-onnx 0.6.1 drives: inputs
``input_ids`` (int64, [1, N]), ``style`` (float32, [1, 256]) and ``speed`` (float32, [1]), and
one output ``waveform`` (float32, [M]) with M = floor(N * samples_per_token / speed) at
24 kHz. The waveform is a steady sine of amplitude 0.3 whose pitch follows the mean of the
style vector, so each voice sounds different. Its loudness never changes, so kokoro-onnx's
silence trimming (librosa's ``trim``: frames 60 dB below the loudest) keeps all of it.
There is no ``duration`` output, like the released v1.0 model, so no phoneme timings.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

SAMPLE_RATE = 24000
STYLE_DIM = 256
VOICE_ROWS = 510  # one style row per phoneme count, as in voices-v1.0.bin
AMPLITUDE = 0.3
BASE_HZ = 300.0  # pitch of a style vector whose mean is 0
HZ_PER_UNIT = 200.0  # pitch change per unit of style mean
DEFAULT_VOICES = ("af_heart", "af_bella", "am_adam", "bf_emma", "bm_george", "bm_lewis")


def pitch(style_mean: float) -> float:
    """The frequency in Hz the fake model sings at for a style vector with this mean."""
    return min(max(BASE_HZ + HZ_PER_UNIT * style_mean, 50.0), 2000.0)


def write_model(path: Path, samples_per_token: int = 600) -> Path:
    """Write the fake Kokoro ONNX model to ``path`` and return ``path``."""
    import onnx
    from onnx import TensorProto, helper

    def const(name: str, value: float | int | list[int], dtype: int) -> onnx.NodeProto:
        dims = [len(value)] if isinstance(value, list) else []
        vals = value if isinstance(value, list) else [value]
        return helper.make_node("Constant", [], [name],
                                value=helper.make_tensor(name, dtype, dims, vals))

    node = helper.make_node
    nodes = [
        const("one_i", 1, TensorProto.INT64),
        const("zero_f", 0.0, TensorProto.FLOAT),
        const("one_f", 1.0, TensorProto.FLOAT),
        const("spt", float(samples_per_token), TensorProto.FLOAT),
        const("base_hz", BASE_HZ, TensorProto.FLOAT),
        const("hz_per_unit", HZ_PER_UNIT, TensorProto.FLOAT),
        const("min_hz", 50.0, TensorProto.FLOAT),
        const("max_hz", 2000.0, TensorProto.FLOAT),
        const("rad_per_hz", 2.0 * math.pi / SAMPLE_RATE, TensorProto.FLOAT),
        const("amplitude", AMPLITUDE, TensorProto.FLOAT),
        # M = floor(N * samples_per_token / speed), N the token count (with the pads)
        node("Shape", ["input_ids"], ["ids_shape"]),
        node("Gather", ["ids_shape", "one_i"], ["n_int"], axis=0),
        node("Cast", ["n_int"], ["n"], to=TensorProto.FLOAT),
        node("ReduceMean", ["speed"], ["speed_scalar"], keepdims=0),
        node("Mul", ["n", "spt"], ["scaled"]),
        node("Div", ["scaled", "speed_scalar"], ["stretched"]),
        node("Floor", ["stretched"], ["num_samples"]),
        node("Range", ["zero_f", "num_samples", "one_f"], ["t"]),
        # pitch from the style vector's mean
        node("ReduceMean", ["style"], ["style_mean"], keepdims=0),
        node("Mul", ["style_mean", "hz_per_unit"], ["hz_offset"]),
        node("Add", ["base_hz", "hz_offset"], ["hz_raw"]),
        node("Clip", ["hz_raw", "min_hz", "max_hz"], ["hz"]),
        node("Mul", ["hz", "rad_per_hz"], ["step"]),
        node("Mul", ["t", "step"], ["phase"]),
        node("Sin", ["phase"], ["sine"]),
        node("Mul", ["sine", "amplitude"], ["waveform"]),
    ]
    graph = helper.make_graph(
        nodes,
        "fake_kokoro",
        inputs=[
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "num_tokens"]),
            helper.make_tensor_value_info("style", TensorProto.FLOAT, [1, STYLE_DIM]),
            helper.make_tensor_value_info("speed", TensorProto.FLOAT, [1]),
        ],
        outputs=[helper.make_tensor_value_info("waveform", TensorProto.FLOAT,
                                               ["num_samples"])],
    )
    model = helper.make_model(graph, producer_name="audiobook-tests",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # what opset 17 came with; onnxruntime accepts it
    onnx.checker.check_model(model)
    path = Path(path)
    onnx.save(model, str(path))
    return path


def write_voices(path: Path, names: tuple[str, ...] = DEFAULT_VOICES) -> Path:
    """Write a voices file (an .npz of name -> float32 (510, 1, 256)) to exactly ``path``.

    Voice ``i`` has a style mean of about ``i * 0.25 - 0.5``, so the fake model gives each
    voice its own pitch (200 Hz, 250 Hz, ...); the noise on top is seeded per voice.
    """
    voices = {}
    for index, name in enumerate(names):
        rng = np.random.default_rng(index)
        noise = rng.normal(0.0, 0.05, (VOICE_ROWS, 1, STYLE_DIM))
        voices[name] = (index * 0.25 - 0.5 + noise).astype(np.float32)
    path = Path(path)
    with path.open("wb") as file:  # a file object, so np.savez does not append ".npz"
        np.savez(file, **voices)
    return path


def write_corrupt_model(path: Path) -> Path:
    """Write bytes that are not an ONNX model to ``path`` and return ``path``."""
    path = Path(path)
    path.write_bytes(b"this is not an ONNX model\n" + bytes(range(256)) * 4)
    return path
