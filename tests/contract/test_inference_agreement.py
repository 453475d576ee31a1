"""Every combination of the input fields: the façade and the emulator infer the same operation and require
the same inputs.

The 11 input fields give 2^11 = 2048 combinations, each with valid values and a prompt, tried
with no operation and with each of the 8 explicit ones. A decision is the operation accepted,
the operation with the inputs it still needs, or "model cannot do it". The façade's
(`_capabilities.build_request`) is read with an unknown model allowed, so no capability check
gets in the way, and with a matrix model doing the operation; the emulator's
(`emulator._validation.validate_create`, called directly) with that same matrix model. No
model of the matrix does every operation, and none does audio-to-video, so the emulator's
model is chosen per operation and answers "cannot" for audio-to-video, naming the operation
it inferred; the façade with the same matrix model must then say the same. The decisions are
read from the exceptions' `param` and messages, which name the operation and every
alternative input.

The façade refuses `image` together with `image_url` before it infers anything (its own check;
the docs only advise against mixing inline and remote inputs) while the emulator takes them:
those combinations are checked separately for that refusal.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, Final

import pytest
from lemondata_api import model_matrix
from lemondata_video._capabilities import build_request
from lemondata_video._exceptions import CapabilityError, InvalidFieldError, RequestValidationError
from lemondata_video.emulator import _errors
from lemondata_video.emulator._validation import validate_create

PROMPT: Final = "A lemon rolls across a marble table"
UNKNOWN_MODEL: Final = "not-in-the-matrix-video-model"
VALID: Final[dict[str, Any]] = {
    "image_url": "https://example.com/subject.png",
    "image": "data:image/png;base64,iVBORw0KGgo=",
    "start_image": "https://example.com/day.jpg",
    "end_image": "https://example.com/night.jpg",
    "reference_images": ["https://example.com/character.png"],
    "video_url": "https://example.com/source.mp4",
    "video_urls": ["https://example.com/camera-move.mp4"],
    "audio_url": "https://example.com/beat.mp3",
    "audio_urls": ["https://example.com/beat.mp3"],
    "task_id": "video_abc123",
    "extend_at": 5,
}
OPERATIONS: Final[tuple[str | None, ...]] = (None, *model_matrix.OPERATIONS)
# The first matrix model doing each operation; None where no model does it.
MODEL_FOR: Final[dict[str, str | None]] = {
    op: next((m["id"] for m in model_matrix.MODELS if op in m["operations"]), None)
    for op in model_matrix.OPERATIONS
}
MIXED_IMAGE_MESSAGE: Final = "pass either image or image_url, not both"
EMULATOR_MIXED_MESSAGE: Final = _errors.MSG_EXCLUSIVE.format(fields="image', 'image_url")

Decision = tuple[str, ...]


def _pattern(template: str, **groups: str) -> re.Pattern[str]:
    """A regex of a message template: a field named in `groups` becomes a group matching that regex
    (a repeat of it must match the same text); any other field matches anything."""
    out, seen = "", set()
    for i, part in enumerate(re.split(r"\{(\w+)(?:![rs])?\}", template)):
        if i % 2 == 0:
            out += re.escape(part)
        elif part in seen:
            out += f"(?P={part})"
        elif part in groups:
            out += f"(?P<{part}>{groups[part]})"
            seen.add(part)
        else:
            out += ".*?"
    return re.compile(out + "$")


FACADE_NEEDS: Final = re.compile(
    r"operation (?P<op>[a-z-]+)(?: \(inferred from the inputs\))? "
    r"needs (?P<names>[a-z_]+(?: or [a-z_]+)*); pass it"
)
FACADE_CANNOT: Final = re.compile(
    r"model '[^']+' cannot do (?P<op>[a-z-]+)(?: \(inferred from the inputs\))?; "
)
EMULATOR_NEEDS: Final = _pattern(_errors.MSG_MISSING_INPUT, operation="[a-z-]+", param=".+")
EMULATOR_CANNOT: Final = _pattern(_errors.MSG_UNSUPPORTED_OPERATION, operation="[a-z-]+")


def combinations() -> Iterator[dict[str, Any]]:
    names = list(VALID)
    for flags in itertools.product((False, True), repeat=len(names)):
        yield {name: VALID[name] for name, on in zip(names, flags, strict=True) if on}


def facade(fields: dict[str, Any], operation: str | None, model: str | None) -> Decision:
    """The façade's decision; `model` None means an unknown model, allowed."""
    try:
        body = build_request(
            PROMPT,
            model=model or UNKNOWN_MODEL,
            operation=operation,
            fields=fields,
            allow_unknown_model=model is None,
        )
    except CapabilityError as exc:
        found = FACADE_CANNOT.match(str(exc))
        assert found and exc.param == "operation", (str(exc), exc.param)
        return ("cannot", found["op"])
    except RequestValidationError as exc:
        needs = FACADE_NEEDS.match(str(exc))
        if needs and type(exc) is InvalidFieldError:
            names = tuple(needs["names"].split(" or "))
            assert exc.param == names[0], (str(exc), exc.param)
            return ("needs", needs["op"], *names)
        return ("refused", str(exc.param), str(exc))
    return ("ok", body["operation"])


def emulator(fields: dict[str, Any], operation: str | None, model: str) -> Decision:
    """The emulator's decision for the same inputs on a matrix model."""
    body = {"model": model, "prompt": PROMPT, **fields}
    if operation is not None:
        body["operation"] = operation
    try:
        accepted = validate_create(body)
    except _errors.ApiError as exc:
        assert exc.status == 400, (exc.status, exc.message)
        needs = EMULATOR_NEEDS.match(exc.message)
        if needs:
            names = tuple(needs["param"].split("' or '"))
            assert exc.param == names[0], (exc.message, exc.param)
            return ("needs", needs["operation"], *names)
        cannot = EMULATOR_CANNOT.match(exc.message)
        if cannot:
            assert exc.param == "operation", (exc.message, exc.param)
            return ("cannot", cannot["operation"])
        return ("refused", str(exc.param), exc.message)
    return ("ok", accepted.operation)


def test_every_combination_agrees() -> None:
    """2048 combinations x (no operation + 8 explicit): the same decision in the façade and the emulator."""
    disagreements: list[str] = []
    outcomes: Counter[Decision] = Counter()
    tried = 0
    for fields in combinations():
        if "image" in fields and "image_url" in fields:
            continue
        for operation in OPERATIONS:
            tried += 1
            free = facade(fields, operation, None)
            op = free[1]
            model = MODEL_FOR.get(op)
            expected = free if model is not None else ("cannot", op)
            on_model = facade(fields, operation, model or model_matrix.DEFAULT_MODEL)
            emulated = emulator(fields, operation, model or model_matrix.DEFAULT_MODEL)
            outcomes[free[:2]] += 1
            if not (on_model == emulated == expected) or free[0] == "refused":
                where = f"{sorted(fields)} operation={operation} model={model}"
                disagreements.append(f"{where}: façade {free} / {on_model}, emulator {emulated}")
    assert disagreements[:20] == [], f"{len(disagreements)} disagreements"
    assert tried == (2**11 - 2**9) * 9
    # Not vacuous: every operation is inferred, accepted and refused for a missing input somewhere.
    assert {op for kind, op in outcomes if kind == "ok"} == set(model_matrix.OPERATIONS)
    assert {op for kind, op in outcomes if kind == "needs"} == set(model_matrix.OPERATIONS) - {
        "text-to-video"
    }


def test_inference_alone_picks_every_operation() -> None:
    """With no operation given, the inferred ones are all eight, in both components."""
    inferred: set[str] = set()
    for fields in combinations():
        if not ("image" in fields and "image_url" in fields):
            decision = facade(fields, None, None)
            assert decision[0] == "ok", (fields, decision)
            inferred.add(decision[1])
    assert inferred == set(model_matrix.OPERATIONS)


def test_image_with_image_url_is_refused_by_both_before_inferring() -> None:
    """The 512 combinations with both: the spec's `exclusive` rule, in the façade and the emulator alike."""
    refused = 0
    for fields in combinations():
        if "image" in fields and "image_url" in fields:
            for operation in OPERATIONS:
                assert facade(fields, operation, None) == ("refused", "image", MIXED_IMAGE_MESSAGE)
                model = MODEL_FOR.get(operation or "image-to-video") or model_matrix.DEFAULT_MODEL
                assert emulator(fields, operation, model) == ("refused", "image", EMULATOR_MIXED_MESSAGE)
                refused += 1
    assert refused == 2**9 * 9


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (
            lambda: facade({"video_url": VALID["video_url"]}, "motion-control", None),
            ("needs", "motion-control", "image_url", "image"),
        ),
        (
            lambda: emulator({"video_url": VALID["video_url"]}, "motion-control", "kling-3.0-motion-control"),
            ("needs", "motion-control", "image_url", "image"),
        ),
        (lambda: facade({"audio_url": VALID["audio_url"]}, None, "sora-2"), ("cannot", "audio-to-video")),
        (lambda: emulator({"audio_url": VALID["audio_url"]}, None, "sora-2"), ("cannot", "audio-to-video")),
        (
            lambda: emulator({"task_id": "video_abc123"}, None, "kling-video-extend"),
            ("ok", "video-extension"),
        ),
    ],
    ids=["facade-needs", "emulator-needs", "facade-cannot", "emulator-cannot", "emulator-ok"],
)
def test_decisions_are_read_from_the_answers(check: Callable[[], Decision], expected: Decision) -> None:
    """The message parsing the agreement test relies on reads each kind of answer right."""
    assert check() == expected
