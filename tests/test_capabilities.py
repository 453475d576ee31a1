"""Request validation against the model matrix: what is rejected, with which words, before any request."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from lemondata_api import model_matrix
from lemondata_video import _inputs
from lemondata_video._capabilities import (
    MODELS,
    ModelInfo,
    _check_field_name,
    build_request,
    infer_operation,
    list_models,
)
from lemondata_video._capabilities import (
    RESERVED_FIELDS as RESERVED,
)
from lemondata_video._exceptions import (
    CapabilityError,
    InvalidFieldError,
    RequestValidationError,
    UnknownModelError,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
GIF = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 8
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 14
URL = "https://x.test/a.jpg"
MOTION = "kling-3.0-motion-control"
DATA_URL = "data:image/png;base64,AA=="


def doing(operation: str) -> str:
    """The ids of the spec's models that do `operation`, in matrix order, as messages list them."""
    return ", ".join(m["id"] for m in model_matrix.MODELS if operation in m["operations"])


TEXT_TO_VIDEO_MODELS = doing("text-to-video")
UNKNOWN_MODEL_FIX = (
    "Pass allow_unknown_model=True to send a model that is not in the matrix; "
    "client.models() lists the known ones."
)


def build(
    prompt: object = "a lemon", *, model: str = "sora-2", operation: str | None = None, **fields: Any
) -> dict[str, Any]:
    return build_request(prompt, model=model, operation=operation, fields=fields)


def rejects(
    exc_type: type[RequestValidationError], message: str, *, param: str | None = None, **kwargs: Any
) -> RequestValidationError:
    """Assert build(**kwargs) raises exactly `exc_type` with exactly `message` (and `param` when given)."""
    with pytest.raises(RequestValidationError) as info:
        build(**kwargs)
    assert type(info.value) is exc_type
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)
    if param is not None:
        assert info.value.param == param
    return info.value


def data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


class TestMatrix:
    """The matrix read from the spec, and its lookups."""

    def test_all_60_models_are_listed_in_matrix_order(self) -> None:
        """Every model of the generated matrix is there once, in the spec's order."""
        ids = [m.id for m in list_models()]
        assert len(ids) == 60
        assert ids == [m["id"] for m in model_matrix.MODELS]

    def test_model_info_carries_the_matrix_entry(self) -> None:
        """ModelInfo holds the entry's facts and is frozen."""
        sora = MODELS.get("sora-2")
        assert sora == ModelInfo(
            id="sora-2",
            provider="OpenAI",
            family="Sora",
            operations=("text-to-video", "image-to-video"),
            capabilities=("T2V", "I2V"),
            durations=None,
            notes="API default",
            default=True,
            audio_default=False,
            cancellable=False,
            revisions=("R1", "R3"),
            reference_limits=None,
            kept=False,
        )
        with pytest.raises(AttributeError):
            sora.id = "x"  # type: ignore[misc]

    def test_get_model_of_an_unknown_id_is_none(self) -> None:
        """A model that is not in the matrix has no entry."""
        assert MODELS.get("sora2") is None

    def test_filter_by_operation(self) -> None:
        """Only models doing the operation are listed."""
        motion = {m.id for m in list_models(operation="motion-control")}
        assert motion == {"kling-3.0-motion-control"}
        upscale = {m.id for m in list_models(operation="video-to-video", provider="xai")}
        assert upscale == {"grok-imagine-upscale"}

    def test_filter_by_provider_ignores_case(self) -> None:
        """The provider matches whatever its case."""
        expected = {"hailuo-2.3", "hailuo-2.3-pro", "hailuo-2.3-standard", "hailuo-2.3-fast"}
        assert {m.id for m in list_models(provider="minimax")} == expected
        assert {m.id for m in list_models(provider="MINIMAX")} == expected

    def test_filters_combine(self) -> None:
        """Operation and provider filters both apply."""
        assert [m.id for m in list_models(operation="video-extension", provider="luma")] == [
            "luma-video-extend-api"
        ]

    def test_an_operation_no_model_does_lists_nothing(self) -> None:
        """A valid operation without models gives an empty list, not an error."""
        assert list_models(operation="audio-to-video") == []

    def test_unknown_operation_filter_is_rejected(self) -> None:
        """An operation value outside the spec's list is an InvalidFieldError naming the valid ones."""
        with pytest.raises(InvalidFieldError) as info:
            list_models(operation="teleport")
        assert str(info.value) == (
            "operation must be one of text-to-video, image-to-video, reference-to-video, "
            "start-end-to-video, video-to-video, video-extension, audio-to-video, motion-control; "
            "not 'teleport'"
        )
        assert info.value.param == "operation"

    def test_cancellable_exactly_as_documented(self) -> None:
        """Only the cancel page's three Seedance models can be cancelled."""
        cancellable = {m.id for m in list_models() if m.cancellable}
        assert cancellable == {"seedance-1.5-pro", "seedance-2.0", "seedance-2.0-fast"}

    def test_every_model_says_which_revision_lists_it(self) -> None:
        """R1 is the seed page, R3 the newest guide; every id names at least one."""
        assert all(m.revisions and set(m.revisions) <= {"R1", "R2", "R3"} for m in list_models())
        assert MODELS["seedance-2-0"].revisions == ("R1",)
        assert MODELS["seedance-2.0"].revisions == ("R3",)

    def test_runway_durations_are_fixed(self) -> None:
        """The Runway models state their only duration."""
        assert MODELS.get("runwayml-gen4-turbo-5").durations == (5,)  # type: ignore[union-attr]
        assert MODELS.get("runwayml-gen4-turbo-10").durations == (10,)  # type: ignore[union-attr]


class TestInference:
    """The operation is inferred from the inputs as the service does."""

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({}, "text-to-video"),
            ({"aspect_ratio": "16:9"}, "text-to-video"),
            ({"image_url": URL}, "image-to-video"),
            ({"image": DATA_URL}, "image-to-video"),
            ({"start_image": URL}, "image-to-video"),
            ({"start_image": URL, "end_image": URL}, "start-end-to-video"),
            ({"reference_images": [URL]}, "reference-to-video"),
            ({"video_url": "https://x.test/a.mp4"}, "video-to-video"),
        ],
    )
    def test_inferred_operation(self, fields: dict[str, Any], expected: str) -> None:
        """Each input combination maps to the service's operation."""
        assert infer_operation(fields) == expected

    def test_inferred_operation_is_sent_explicitly(self) -> None:
        """The body carries the inferred operation, so the service cannot guess differently."""
        assert build(model="hailuo-2.3-fast", image_url=URL)["operation"] == "image-to-video"

    def test_a_local_image_is_inferred_as_image_to_video(self, tmp_path: Path) -> None:
        """A Path given as image_url counts as an image input."""
        path = tmp_path / "a.png"
        path.write_bytes(PNG)
        assert build(model="hailuo-2.3-fast", image_url=path)["operation"] == "image-to-video"


class TestBody:
    """The JSON body returned holds what the user gave, plus model, prompt and operation."""

    def test_body_holds_only_given_fields(self) -> None:
        """Nothing is added beyond model, prompt and operation; values are unchanged."""
        body = build(model="veo3", duration=8, aspect_ratio="16:9", seed=7, output_audio=True)
        assert body == {
            "model": "veo3",
            "prompt": "a lemon",
            "operation": "text-to-video",
            "duration": 8,
            "aspect_ratio": "16:9",
            "seed": 7,
            "output_audio": True,
        }

    def test_explicit_operation_is_kept(self) -> None:
        """A given, supported operation is sent as it is."""
        body = build(model="seedance-2-0", operation="video-extension", video_url="https://x.test/v.mp4")
        assert body["operation"] == "video-extension"

    def test_unknown_fields_pass_through(self) -> None:
        """A field the spec does not know is sent unchanged (the service adds fields)."""
        assert build(watermark=False, camera={"pan": 1})["camera"] == {"pan": 1}

    def test_the_callers_mapping_is_not_changed(self, tmp_path: Path) -> None:
        """Inlining and renaming work on a copy of the fields."""
        path = tmp_path / "a.png"
        path.write_bytes(PNG)
        fields: dict[str, Any] = {"image_url": path, "outputAudio": True}
        build_request("a", model="veo3", operation=None, fields=fields)
        assert fields == {"image_url": path, "outputAudio": True}

    def test_output_audio_alias_is_normalised(self) -> None:
        """outputAudio is sent as output_audio."""
        body = build(model="veo3", outputAudio=False)
        assert body["output_audio"] is False and "outputAudio" not in body

    def test_output_audio_and_its_alias_together_are_rejected(self) -> None:
        """Two spellings of one field cannot both be given."""
        rejects(
            InvalidFieldError,
            "pass either output_audio or its alias outputAudio, not both",
            param="output_audio",
            output_audio=True,
            outputAudio=False,
        )

    @pytest.mark.parametrize("name", ["model", "prompt", "operation"])
    def test_arguments_are_not_fields(self, name: str) -> None:
        """model, prompt and operation in the fields would override the checked values."""
        with pytest.raises(InvalidFieldError) as info:
            build_request("a", model="sora-2", operation=None, fields={name: "x"})
        assert (
            str(info.value) == f"{name} is an argument of its own, not a field; pass {name}=... to create()"
        )
        assert info.value.param == name


class TestModelChecks:
    """Unknown models, capability mismatches, missing inputs and fixed durations."""

    @pytest.mark.parametrize(
        ("model", "suggestion"), [("sora2", "sora-2"), ("hailuo-23-fast", "hailuo-2.3-fast")]
    )
    def test_unknown_model_suggests_the_closest(self, model: str, suggestion: str) -> None:
        """A near miss is answered with the closest matrix id."""
        err = rejects(
            UnknownModelError,
            f"unknown model {model!r}; did you mean {suggestion!r}? {UNKNOWN_MODEL_FIX}",
            param="model",
            model=model,
        )
        assert isinstance(err, UnknownModelError)
        assert err.did_you_mean == suggestion and err.model == model

    def test_unknown_model_without_suggestion(self) -> None:
        """Nothing close: no suggestion, only the way out."""
        err = rejects(UnknownModelError, f"unknown model 'zzzz'. {UNKNOWN_MODEL_FIX}", model="zzzz")
        assert isinstance(err, UnknownModelError) and err.did_you_mean is None

    @pytest.mark.parametrize("model", ["", 42, None])
    def test_model_must_be_a_non_empty_string(self, model: object) -> None:
        """A model that is not a string is an InvalidFieldError."""
        rejects(
            InvalidFieldError, f"model must be a non-empty string, not {model!r}", param="model", model=model
        )

    def test_unknown_model_is_sent_when_allowed(self) -> None:
        """allow_unknown_model sends the id with no capability or duration check."""
        body = build_request(
            "a",
            model="sora-9",
            operation="motion-control",
            fields={"duration": 7, "image_url": URL, "video_url": URL},
            allow_unknown_model=True,
        )
        assert body == {
            "model": "sora-9",
            "prompt": "a",
            "operation": "motion-control",
            "duration": 7,
            "image_url": URL,
            "video_url": URL,
        }

    def test_allowed_unknown_model_still_gets_range_checks(self) -> None:
        """Field ranges hold for every model."""
        with pytest.raises(InvalidFieldError) as info:
            build_request("a", model="sora-9", operation=None, fields={"fps": 0}, allow_unknown_model=True)
        assert str(info.value) == "fps must be an integer from 1 to 120, not 0"

    def test_allowing_unknown_models_does_not_unlock_known_ones(self) -> None:
        """A model in the matrix is still held to its operations."""
        with pytest.raises(CapabilityError):
            build_request(
                "a",
                model="sora-2",
                operation="video-to-video",
                fields={"video_url": URL},
                allow_unknown_model=True,
            )

    def test_inferred_capability_mismatch_says_it_was_inferred(self) -> None:
        """The message names what the model does, who does the rest, and that the operation was inferred."""
        rejects(
            CapabilityError,
            "model 'hailuo-2.3-fast' cannot do text-to-video (inferred from the inputs); "
            f"it does image-to-video. Models that do text-to-video: {TEXT_TO_VIDEO_MODELS}",
            param="operation",
            model="hailuo-2.3-fast",
        )

    def test_explicit_operation_mismatch(self) -> None:
        """A given operation the model cannot do is a CapabilityError without the inference note."""
        rejects(
            CapabilityError,
            "model 'sora-2' cannot do motion-control; it does text-to-video, image-to-video. "
            "Models that do motion-control: kling-3.0-motion-control",
            param="operation",
            operation="motion-control",
            image_url=URL,
            video_url=URL,
        )

    def test_a_capability_mismatch_comes_before_missing_inputs(self) -> None:
        """A model that cannot do the operation at all is told first, whatever inputs are missing."""
        rejects(
            CapabilityError,
            "model 'sora-2' cannot do video-to-video; it does text-to-video, image-to-video. "
            f"Models that do video-to-video: {doing('video-to-video')}",
            param="operation",
            operation="video-to-video",
        )

    def test_operation_no_model_does(self) -> None:
        """An operation without any model in the matrix says so."""
        rejects(
            CapabilityError,
            "model 'sora-2' cannot do audio-to-video; it does text-to-video, image-to-video. "
            "No model of the matrix does audio-to-video",
            operation="audio-to-video",
        )

    def test_unknown_operation_value(self) -> None:
        """An operation outside the spec's list names the valid ones."""
        rejects(
            InvalidFieldError,
            "operation must be one of text-to-video, image-to-video, reference-to-video, start-end-to-video, "
            "video-to-video, video-extension, audio-to-video, motion-control; not 'warp'",
            param="operation",
            operation="warp",
        )

    @pytest.mark.parametrize(
        ("model", "operation", "fields", "needs", "param"),
        [
            ("hailuo-2.3", "image-to-video", {}, "image_url or image or start_image", "image_url"),
            ("viduq2-pro", "start-end-to-video", {"start_image": URL}, "end_image", "end_image"),
            ("viduq2-pro", "start-end-to-video", {"end_image": URL}, "start_image", "start_image"),
            (
                "viduq2-pro",
                "reference-to-video",
                {},
                "reference_images or video_urls or audio_urls",
                "reference_images",
            ),
            ("seedance-2-0", "video-to-video", {}, "video_url", "video_url"),
            ("seedance-2-0", "video-extension", {}, "video_url or task_id", "video_url"),
            (
                "kling-3.0-motion-control",
                "motion-control",
                {"video_url": URL},
                "image_url or image",
                "image_url",
            ),
            ("kling-3.0-motion-control", "motion-control", {"image_url": URL}, "video_url", "video_url"),
        ],
    )
    def test_explicit_operation_needs_its_inputs(
        self, model: str, operation: str, fields: dict[str, Any], needs: str, param: str
    ) -> None:
        """A given operation whose inputs are missing says which to pass."""
        rejects(
            InvalidFieldError,
            f"operation {operation} needs {needs}; pass it, or leave operation out "
            "to have it inferred from the inputs",
            param=param,
            model=model,
            operation=operation,
            **fields,
        )

    @pytest.mark.parametrize(
        ("model", "duration"), [("runwayml-gen4-turbo-5", 10), ("runwayml-gen4-turbo-10", 5)]
    )
    def test_fixed_duration_is_enforced(self, model: str, duration: int) -> None:
        """A Runway model makes one length only."""
        fixed = 15 - duration
        rejects(
            InvalidFieldError,
            f"model {model!r} makes {fixed} s videos only; duration {duration} is not possible",
            param="duration",
            model=model,
            image_url=URL,
            duration=duration,
        )

    def test_fixed_duration_accepted(self) -> None:
        """The model's own duration passes."""
        assert build(model="runwayml-gen4-turbo-10", image_url=URL, duration=10)["duration"] == 10


class TestFieldChecks:
    """Ranges, types and shapes of single fields."""

    @pytest.mark.parametrize(
        "name",
        sorted((set(model_matrix.REQUEST_FIELDS) | set(model_matrix.FIELD_ALIASES)) - RESERVED),
    )
    def test_no_documented_field_or_alias_is_taken_for_a_typo(self, name: str) -> None:
        """reference_image_type, video_urls, audio_url(s), task_id, ... and the camelCase aliases pass."""
        _check_field_name(name)

    @pytest.mark.parametrize(
        ("typo", "field"),
        [
            ("reference_image_typ", "reference_image_type"),
            ("video_url_s", "video_urls"),
            ("extend_time", "extend_times"),
        ],
    )
    def test_a_near_miss_of_a_new_field_is_still_a_typo(self, typo: str, field: str) -> None:
        rejects(
            InvalidFieldError, f"unknown field {typo!r}; did you mean {field!r}?", param=typo, **{typo: "x"}
        )

    @pytest.mark.parametrize(
        ("fields", "message", "param"),
        [
            ({"fps": 121}, "fps must be an integer from 1 to 120, not 121", "fps"),
            ({"fps": 0}, "fps must be an integer from 1 to 120, not 0", "fps"),
            ({"fps": 24.5}, "fps must be an integer from 1 to 120, not 24.5", "fps"),
            ({"fps": True}, "fps must be an integer from 1 to 120, not True", "fps"),
            ({"cfg_scale": 30.5}, "cfg_scale must be a number from 0 to 30, not 30.5", "cfg_scale"),
            ({"cfg_scale": "7"}, "cfg_scale must be a number from 0 to 30, not '7'", "cfg_scale"),
            (
                {"motion_strength": -0.1},
                "motion_strength must be a number from 0 to 100, not -0.1",
                "motion_strength",
            ),
            (
                {"motion_strength": False},
                "motion_strength must be a number from 0 to 100, not False",
                "motion_strength",
            ),
            ({"extend_at": 2.5}, "extend_at must be an integer, not 2.5", "extend_at"),
            ({"watermark": "no"}, "watermark must be true or false, not 'no'", "watermark"),
            ({"extend_times": 2}, "extend_times must be a string, not 2", "extend_times"),
            ({"size": 720}, "size must be a string, not 720", "size"),
            ({"duration": 0}, "duration must be an integer of at least 1, not 0", "duration"),
            ({"duration": 5.0}, "duration must be an integer of at least 1, not 5.0", "duration"),
            ({"seed": "7"}, "seed must be an integer, not '7'", "seed"),
            ({"seed": True}, "seed must be an integer, not True", "seed"),
            ({"aspect_ratio": 1.77}, "aspect_ratio must be a string, not 1.77", "aspect_ratio"),
            ({"user": 5}, "user must be a string, not 5", "user"),
            ({"output_audio": "yes"}, "output_audio must be true or false, not 'yes'", "output_audio"),
            (
                {"reference_image_type": "hero"},
                "reference_image_type must be one of asset, style, not 'hero'",
                "reference_image_type",
            ),
            (
                {"referenceImageType": "hero"},
                "reference_image_type must be one of asset, style, not 'hero'",
                "reference_image_type",
            ),
            (
                {"video_urls": ["ftp://x.test/a.mp4"]},
                "video_urls must be an http(s) URL with a host, not 'ftp://x.test/a.mp4'",
                "video_urls",
            ),
            ({"audio_urls": []}, "audio_urls must be a non-empty list of http(s) URLs, not []", "audio_urls"),
            (
                {"audio_url": "beat.mp3"},
                "audio_url must be an http(s) URL with a host, not 'beat.mp3'",
                "audio_url",
            ),
            (
                {"aspectratio": "16:9"},
                "unknown field 'aspectratio'; did you mean 'aspect_ratio'?",
                "aspectratio",
            ),
            (
                {"negative_promt": "blur"},
                "unknown field 'negative_promt'; did you mean 'negative_prompt'?",
                "negative_promt",
            ),
            ({"imageurl": URL}, "unknown field 'imageurl'; did you mean 'image_url'?", "imageurl"),
        ],
    )
    def test_bad_value(self, fields: dict[str, Any], message: str, param: str) -> None:
        """Each bad value is an InvalidFieldError naming the field, the rule and the value."""
        rejects(InvalidFieldError, message, param=param, **fields)

    @pytest.mark.parametrize(
        "fields", [{"fps": 1}, {"fps": 120}, {"cfg_scale": 0}, {"cfg_scale": 20.0}, {"motion_strength": 1}]
    )
    def test_bounds_are_inclusive(self, fields: dict[str, Any]) -> None:
        """The ends of each range are accepted."""
        assert build(**fields).items() >= fields.items()

    def test_text_to_video_needs_a_prompt(self) -> None:
        """Without a prompt and other inputs the request is text-to-video, which needs one."""
        rejects(
            InvalidFieldError,
            "operation text-to-video (inferred from the inputs) needs prompt; pass it",
            param="prompt",
            prompt=None,
        )

    def test_a_prompt_is_optional_where_the_operation_does_not_need_one(self) -> None:
        """An upscale (video-to-video) may be sent without a prompt; the body then has none."""
        body = build(None, model="topaz-video-upscale", video_url=URL)
        assert body == {"model": "topaz-video-upscale", "operation": "video-to-video", "video_url": URL}

    @pytest.mark.parametrize("prompt", ["", "  \n", 5])
    def test_prompt_must_be_non_empty_text(self, prompt: object) -> None:
        """An empty, blank or non-string prompt is rejected before anything else."""
        rejects(
            InvalidFieldError,
            f"prompt must be a non-empty string, not {prompt!r}",
            param="prompt",
            prompt=prompt,
            model="no-such-model",
        )

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (URL, "'https://x.test/a.jpg'; pass a web address as image_url instead"),
            ("data:text/plain;base64,AA==", "'data:text/plain;base64,AA=='"),
            ("data:image/png;base64,", "'data:image/png;base64,'"),
            ("data:image/png,AA==", "'data:image/png,AA=='"),
        ],
    )
    def test_image_must_be_a_base64_image_data_url(self, value: str, shown: str) -> None:
        """`image` takes inline image data only; a web address is pointed to image_url."""
        rejects(
            InvalidFieldError,
            f"image must be a data URL (data:image/...;base64,...), not {shown}",
            param="image",
            model="hailuo-2.3",
            image=value,
        )

    def test_long_values_are_shortened_in_messages(self) -> None:
        """A megabyte-long value is cut in the message."""
        value = "data:text/plain;base64," + "A" * 10_000
        err = rejects(
            InvalidFieldError,
            f"image must be a data URL (data:image/...;base64,...), not {repr(value)[:57]}...",
            model="hailuo-2.3",
            image=value,
        )
        assert len(str(err)) < 200

    def test_not_both_image_and_image_url(self) -> None:
        """One main image only."""
        rejects(
            InvalidFieldError,
            "pass either image or image_url, not both",
            param="image",
            model="hailuo-2.3",
            image=DATA_URL,
            image_url=URL,
        )

    @pytest.mark.parametrize("field", ["image_url", "start_image", "end_image", "video_url"])
    @pytest.mark.parametrize("value", ["file:///etc/passwd", "https://", "x.test/a.jpg", 7])
    def test_urls_must_be_http_with_a_host(self, field: str, value: object) -> None:
        """Every URL field takes http(s) addresses with a host only."""
        rejects(
            InvalidFieldError,
            f"{field} must be an http(s) URL with a host, not {value!r}",
            param=field,
            model="seedance-2-0",
            **{field: value},
        )

    def test_frames_may_be_data_urls(self) -> None:
        """start_image and end_image accept inline images."""
        body = build(model="viduq2-pro", start_image=DATA_URL, end_image=URL)
        assert body["start_image"] == DATA_URL and body["operation"] == "start-end-to-video"

    def test_bad_frame_data_url(self) -> None:
        """A frame given inline must still be an image data URL."""
        rejects(
            InvalidFieldError,
            "end_image must be a data URL (data:image/...;base64,...), not 'data:,hi'",
            param="end_image",
            model="viduq2-pro",
            start_image=URL,
            end_image="data:,hi",
        )

    def test_reference_images_accept_urls_and_data_urls(self) -> None:
        """Up to three references, each a web address or inline image; a tuple is sent as a list."""
        body = build(model="viduq2-pro", reference_images=(URL, DATA_URL, URL), reference_image_type="style")
        assert body["reference_images"] == [URL, DATA_URL, URL]
        assert body["operation"] == "reference-to-video"

    def test_at_most_nine_reference_images(self) -> None:
        """A tenth reference is refused with the widest documented limit stated."""
        rejects(
            InvalidFieldError,
            "reference_images takes at most 9 images, not 10",
            param="reference_images",
            model="seedance-2.0",
            reference_images=[URL] * 10,
        )

    def test_per_model_reference_limits(self) -> None:
        """Seedance 2.0 takes 9 images, 3 videos and 3 audios; a fourth video is refused."""
        body = build(
            model="seedance-2.0", reference_images=[URL] * 9, video_urls=[URL] * 3, audio_urls=[URL] * 3
        )
        assert body["operation"] == "reference-to-video"
        rejects(
            InvalidFieldError,
            "model 'seedance-2.0' takes at most 3 video_urls, not 4",
            param="video_urls",
            model="seedance-2.0",
            video_urls=[URL] * 4,
        )

    @pytest.mark.parametrize("refs", [[], URL, None])
    def test_reference_images_must_be_a_non_empty_list(self, refs: object) -> None:
        """A bare string or an empty list is not a list of images."""
        rejects(
            InvalidFieldError,
            f"reference_images must be a non-empty list of image URLs, not {refs!r}",
            param="reference_images",
            model="viduq2-pro",
            reference_images=refs,
        )

    def test_each_reference_image_is_checked(self) -> None:
        """A reference that is neither http(s) nor a data URL is named."""
        rejects(
            InvalidFieldError,
            "reference_images must be an http(s) URL with a host, not 'ftp://x.test/a.jpg'",
            param="reference_images",
            model="viduq2-pro",
            reference_images=[URL, "ftp://x.test/a.jpg"],
        )


class TestLocalImages:
    """A pathlib.Path given as an image is read and inlined as a data URL."""

    def test_png_path_as_image_url_becomes_image(self, tmp_path: Path) -> None:
        """A local file given as image_url is sent inline as `image`, bytes intact."""
        path = tmp_path / "frame.png"
        path.write_bytes(PNG)
        body = build(model="hailuo-2.3", image_url=path)
        assert "image_url" not in body
        mime, _, payload = body["image"].partition(";base64,")
        assert mime == "data:image/png" and base64.b64decode(payload) == PNG

    @pytest.mark.parametrize(
        ("name", "data", "mime"),
        [
            ("a.jpg", JPEG, "image/jpeg"),
            ("a.JPEG", JPEG, "image/jpeg"),
            ("a.gif", GIF, "image/gif"),
            ("a.webp", WEBP, "image/webp"),
        ],
    )
    def test_supported_types_round_trip(self, tmp_path: Path, name: str, data: bytes, mime: str) -> None:
        """JPEG, GIF and WebP files get their own MIME type."""
        path = tmp_path / name
        path.write_bytes(data)
        assert build(model="hailuo-2.3", image=path)["image"] == data_url(mime, data)

    def test_start_and_end_frames(self, tmp_path: Path) -> None:
        """Both frames may be local files."""
        (tmp_path / "a.jpg").write_bytes(JPEG)
        (tmp_path / "b.png").write_bytes(PNG)
        body = build(model="viduq2-pro", start_image=tmp_path / "a.jpg", end_image=tmp_path / "b.png")
        assert body["operation"] == "start-end-to-video"
        assert body["start_image"] == data_url("image/jpeg", JPEG)
        assert body["end_image"] == data_url("image/png", PNG)

    def test_reference_images_mix_files_and_urls(self, tmp_path: Path) -> None:
        """Local references are inlined in place; URLs stay as given."""
        (tmp_path / "r.png").write_bytes(PNG)
        body = build(model="viduq2-pro", reference_images=[URL, tmp_path / "r.png"])
        assert body["reference_images"] == [URL, data_url("image/png", PNG)]

    def test_path_as_image_url_with_image_is_rejected(self, tmp_path: Path) -> None:
        """Moving a local image_url to `image` must not overwrite a given image."""
        (tmp_path / "a.png").write_bytes(PNG)
        rejects(
            InvalidFieldError,
            "pass either image or image_url, not both",
            param="image",
            model="hailuo-2.3",
            image=DATA_URL,
            image_url=tmp_path / "a.png",
        )

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist is named with the reason."""
        missing = tmp_path / "none.png"
        rejects(
            InvalidFieldError,
            f"image: cannot read {str(missing)!r} (No such file or directory)",
            param="image",
            model="hailuo-2.3",
            image=missing,
        )

    def test_directory(self, tmp_path: Path) -> None:
        """A directory cannot be read as an image."""
        folder = tmp_path / "d.png"
        folder.mkdir()
        rejects(
            InvalidFieldError,
            f"start_image: cannot read {str(folder)!r} (Is a directory)",
            param="start_image",
            model="hailuo-2.3",
            start_image=folder,
        )

    @pytest.mark.parametrize(
        ("name", "data", "mime"),
        [
            ("fake.png", b"hello", "image/png"),
            ("fake.jpg", PNG, "image/jpeg"),
            ("riff.webp", b"RIFF\x00\x00\x00\x00WAVE", "image/webp"),
        ],
    )
    def test_content_must_match_the_extension(
        self, tmp_path: Path, name: str, data: bytes, mime: str
    ) -> None:
        """The magic bytes are checked, so a renamed file is refused."""
        path = tmp_path / name
        path.write_bytes(data)
        rejects(
            InvalidFieldError,
            f"image: {str(path)!r} does not contain {mime} data",
            param="image",
            model="hailuo-2.3",
            image=path,
        )

    def test_unsupported_extension(self, tmp_path: Path) -> None:
        """Only PNG, JPEG, GIF and WebP files are inlined."""
        path = tmp_path / "a.bmp"
        path.write_bytes(b"BM")
        rejects(
            InvalidFieldError,
            f"reference_images: {str(path)!r} is not a supported image file "
            "(use one of .gif, .jpeg, .jpg, .png, .webp)",
            param="reference_images",
            model="viduq2-pro",
            reference_images=[path],
        )

    def test_too_large(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file over the inline limit is refused with the limit stated."""
        monkeypatch.setattr(_inputs, "MAX_INLINE_IMAGE_BYTES", len(PNG) - 1)
        path = tmp_path / "big.png"
        path.write_bytes(PNG)
        rejects(
            InvalidFieldError,
            f"image: {str(path)!r} is larger than the {len(PNG) - 1} bytes allowed inline",
            param="image",
            model="hailuo-2.3",
            image=path,
        )

    def test_file_at_the_limit_is_accepted(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The limit itself is allowed."""
        monkeypatch.setattr(_inputs, "MAX_INLINE_IMAGE_BYTES", len(PNG))
        path = tmp_path / "exact.png"
        path.write_bytes(PNG)
        assert build(model="hailuo-2.3", image=path)["image"] == data_url("image/png", PNG)

    def test_files_are_not_read_for_an_unknown_model(self, tmp_path: Path) -> None:
        """The model is checked first, so a wrong id costs no file read."""
        rejects(
            UnknownModelError,
            f"unknown model 'sora2'; did you mean 'sora-2'? {UNKNOWN_MODEL_FIX}",
            model="sora2",
            image=tmp_path / "missing.png",
        )
