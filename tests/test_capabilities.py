"""Request validation against the model matrix: what is rejected, with which words."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from lemondata_video._capabilities import build_request, get_model, infer_operation, list_models
from lemondata_video._exceptions import (
    CapabilityError,
    InvalidFieldError,
    RequestValidationError,
    UnknownModelError,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 24


def build(
    prompt: object = "a lemon", *, model: str = "sora-2", operation: str | None = None, **fields: Any
) -> dict[str, Any]:
    return build_request(prompt, model=model, operation=operation, fields=fields)


def rejects(exc_type: type[RequestValidationError], message: str, **kwargs: Any) -> RequestValidationError:
    with pytest.raises(exc_type, match=f"^{re.escape(message)}$") as info:
        build(**kwargs)
    assert isinstance(info.value, ValueError)
    return info.value


class TestMatrix:
    """The matrix read from the spec."""

    def test_all_37_models_are_listed(self) -> None:
        assert len(list_models()) == 37
        assert get_model("grok-video-3") is not None

    def test_filter_by_operation_and_provider(self) -> None:
        keyframe = {m.id for m in list_models(operation="start-end-to-video")}
        assert "viduq2-pro" in keyframe and "sora-2" not in keyframe
        assert {m.id for m in list_models(provider="minimax")} == {
            "hailuo-2.3",
            "hailuo-2.3-pro",
            "hailuo-2.3-fast",
        }

    def test_unknown_operation_filter_is_rejected(self) -> None:
        with pytest.raises(InvalidFieldError, match=r"^operation must be one of text-to-video, "):
            list_models(operation="teleport")

    def test_runway_durations_are_fixed(self) -> None:
        model = get_model("runwayml-gen4-turbo-10")
        assert model is not None and model.durations == (10,)


class TestInference:
    """The operation is inferred from the inputs as the service does."""

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({}, "text-to-video"),
            ({"image_url": "https://x.test/a.jpg"}, "image-to-video"),
            ({"image": "data:image/png;base64,AA=="}, "image-to-video"),
            ({"start_image": "https://x.test/a.jpg"}, "image-to-video"),
            (
                {"start_image": "https://x.test/a.jpg", "end_image": "https://x.test/b.jpg"},
                "start-end-to-video",
            ),
            ({"reference_images": ["https://x.test/a.jpg"]}, "reference-to-video"),
            ({"video_url": "https://x.test/a.mp4"}, "video-to-video"),
        ],
    )
    def test_inferred_operation(self, fields: dict[str, Any], expected: str) -> None:
        assert infer_operation(fields) == expected

    def test_inferred_operation_is_sent_explicitly(self) -> None:
        body = build(model="hailuo-2.3-fast", image_url="https://x.test/a.jpg")
        assert body == {
            "model": "hailuo-2.3-fast",
            "prompt": "a lemon",
            "operation": "image-to-video",
            "image_url": "https://x.test/a.jpg",
        }


class TestModelChecks:
    """Unknown models and capability mismatches."""

    def test_unknown_model_suggests_the_closest(self) -> None:
        err = rejects(
            UnknownModelError,
            "unknown model 'sora2'; did you mean 'sora-2'? Pass allow_unknown_model=True to send a model "
            "that is not in the matrix; client.models() lists the known ones.",
            model="sora2",
        )
        assert isinstance(err, UnknownModelError) and err.did_you_mean == "sora-2" and err.param == "model"

    def test_unknown_model_without_suggestion(self) -> None:
        rejects(
            UnknownModelError,
            "unknown model 'zzzz'. Pass allow_unknown_model=True to send a model that is not in the matrix; "
            "client.models() lists the known ones.",
            model="zzzz",
        )

    def test_unknown_model_is_sent_when_allowed(self) -> None:
        body = build_request(
            "a", model="sora-9", operation=None, fields={"fps": 24}, allow_unknown_model=True
        )
        assert body["model"] == "sora-9" and body["operation"] == "text-to-video"

    def test_allowed_unknown_model_still_gets_range_checks(self) -> None:
        with pytest.raises(InvalidFieldError, match=r"^fps must be an integer from 1 to 120, not 0$"):
            build_request("a", model="sora-9", operation=None, fields={"fps": 0}, allow_unknown_model=True)

    def test_capability_mismatch_names_what_the_model_can_do(self) -> None:
        err = rejects(
            CapabilityError,
            "model 'hailuo-2.3-fast' cannot do text-to-video (inferred from the inputs); "
            "it does image-to-video. Models that do text-to-video: sora-2, sora-2-pro, "
            "sora-2-characters, kling-v2.6-pro, kling-v2.6-std, kling-v2.5-turbo-std, "
            "kling-v2.1-master, kling-v2.1-pro, kling-video, kling-video-o1-pro, veo2, veo3.1, "
            "veo3.1-pro, veo3.1-4k, veo3.1-fast, veo3, seedance-2-0, seedance-1-5-pro, "
            "seedance-1-0-pro, seedance-1-0-lite-t2v, hailuo-2.3, hailuo-2.3-pro, wan-2.6, "
            "luma-video-api, viduq3-pro, viduq3-turbo, grok-video-3, higgsfield-turbo",
            model="hailuo-2.3-fast",
        )
        assert err.param == "operation"

    def test_explicit_operation_mismatch(self) -> None:
        rejects(
            CapabilityError,
            "model 'sora-2' cannot do image-to-video; it does text-to-video. Models that do image-to-video: "
            "kling-v2.1-master, kling-v2.1-pro, kling-video, kling-effects, veo3.1, veo3.1-pro, veo3.1-4k, "
            "veo3.1-fast, veo3, seedance-2-0, seedance-1-5-pro, seedance-1-0-pro, seedance-1-0-lite-i2v, "
            "hailuo-2.3, hailuo-2.3-pro, hailuo-2.3-fast, wan2.6-i2v, runwayml-gen4-turbo-5, "
            "runwayml-gen4-turbo-10, viduq3-pro, viduq3-turbo, viduq2-pro",
            operation="image-to-video",
            image_url="https://x.test/a.jpg",
        )

    def test_unknown_operation_value(self) -> None:
        rejects(
            InvalidFieldError,
            "operation must be one of text-to-video, image-to-video, reference-to-video, start-end-to-video, "
            "video-to-video, video-extension, audio-to-video, motion-control; not 'warp'",
            operation="warp",
        )

    def test_explicit_operation_needs_its_inputs(self) -> None:
        rejects(
            InvalidFieldError,
            "operation start-end-to-video needs end_image",
            model="viduq2-pro",
            operation="start-end-to-video",
            start_image="https://x.test/a.jpg",
        )

    def test_fixed_duration(self) -> None:
        rejects(
            InvalidFieldError,
            "model 'runwayml-gen4-turbo-5' makes 5 s videos only; duration 10 is not possible",
            model="runwayml-gen4-turbo-5",
            image_url="https://x.test/a.jpg",
            duration=10,
        )


class TestFieldChecks:
    """Ranges and shapes of single fields."""

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"fps": 121}, "fps must be an integer from 1 to 120, not 121"),
            ({"fps": 24.5}, "fps must be an integer from 1 to 120, not 24.5"),
            ({"fps": True}, "fps must be an integer from 1 to 120, not True"),
            ({"cfg_scale": 20.5}, "cfg_scale must be a number from 0 to 20, not 20.5"),
            ({"motion_strength": -0.1}, "motion_strength must be a number from 0 to 1, not -0.1"),
            ({"duration": 0}, "duration must be an integer of at least 1, not 0"),
            ({"seed": "7"}, "seed must be an integer, not '7'"),
            ({"aspect_ratio": 1.77}, "aspect_ratio must be a string, not 1.77"),
            ({"output_audio": "yes"}, "output_audio must be true or false, not 'yes'"),
            ({"reference_role": "hero"}, "reference_role must be one of asset, style, not 'hero'"),
            ({"aspectratio": "16:9"}, "unknown field 'aspectratio'; did you mean 'aspect_ratio'?"),
        ],
    )
    def test_bad_value(self, fields: dict[str, Any], message: str) -> None:
        rejects(InvalidFieldError, message, **fields)

    def test_empty_prompt(self) -> None:
        err = rejects(InvalidFieldError, "prompt must be a non-empty string, not '  '", prompt="  ")
        assert err.param == "prompt"

    def test_image_must_be_a_data_url(self) -> None:
        rejects(
            InvalidFieldError,
            "image must be a data URL (data:image/...;base64,...), not 'https://x.test/a.jpg'; "
            "pass a web address as image_url instead",
            model="hailuo-2.3",
            image="https://x.test/a.jpg",
        )

    def test_not_both_image_and_image_url(self) -> None:
        rejects(
            InvalidFieldError,
            "pass either image or image_url, not both",
            model="hailuo-2.3",
            image="data:image/png;base64,AA==",
            image_url="https://x.test/a.jpg",
        )

    def test_urls_must_be_http(self) -> None:
        rejects(
            InvalidFieldError,
            "image_url must be an http(s) URL with a host, not 'file:///etc/passwd'",
            model="hailuo-2.3",
            image_url="file:///etc/passwd",
        )

    def test_at_most_three_reference_images(self) -> None:
        refs = [f"https://x.test/{i}.jpg" for i in range(4)]
        rejects(
            InvalidFieldError,
            "reference_images takes at most 3 images, not 4",
            model="viduq2-pro",
            reference_images=refs,
        )

    def test_unknown_fields_pass_through(self) -> None:
        assert build(watermark=False)["watermark"] is False

    def test_output_audio_alias(self) -> None:
        body = build(model="veo3", outputAudio=False)
        assert body["output_audio"] is False and "outputAudio" not in body


class TestLocalImages:
    """A pathlib.Path given as an image is inlined as a data URL."""

    def test_png_path_becomes_data_url_in_image(self, tmp_path: Path) -> None:
        path = tmp_path / "frame.png"
        path.write_bytes(PNG)
        body = build(model="hailuo-2.3", image_url=path)
        assert "image_url" not in body
        assert body["image"] == "data:image/png;base64," + base64.b64encode(PNG).decode()

    def test_jpeg_start_and_end_frames(self, tmp_path: Path) -> None:
        (tmp_path / "a.jpg").write_bytes(JPEG)
        (tmp_path / "b.jpeg").write_bytes(JPEG)
        body = build(model="viduq2-pro", start_image=tmp_path / "a.jpg", end_image=tmp_path / "b.jpeg")
        assert body["operation"] == "start-end-to-video"
        assert body["start_image"].startswith("data:image/jpeg;base64,")

    def test_missing_file(self, tmp_path: Path) -> None:
        missing = tmp_path / "none.png"
        rejects(
            InvalidFieldError,
            f"image: cannot read {str(missing)!r} (No such file or directory)",
            model="hailuo-2.3",
            image=missing,
        )

    def test_not_an_image(self, tmp_path: Path) -> None:
        path = tmp_path / "fake.png"
        path.write_bytes(b"hello")
        rejects(
            InvalidFieldError,
            f"image: {str(path)!r} does not contain image/png data",
            model="hailuo-2.3",
            image=path,
        )

    def test_unsupported_extension(self, tmp_path: Path) -> None:
        path = tmp_path / "a.bmp"
        path.write_bytes(b"BM")
        rejects(
            InvalidFieldError,
            f"image: {str(path)!r} is not a supported image file (use one of .gif, .jpeg, .jpg, .png, .webp)",
            model="hailuo-2.3",
            image=path,
        )

    def test_too_large(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from lemondata_video import _inputs

        monkeypatch.setattr(_inputs, "MAX_INLINE_IMAGE_BYTES", 10)
        path = tmp_path / "big.png"
        path.write_bytes(PNG)
        rejects(
            InvalidFieldError,
            f"image: {str(path)!r} is {len(PNG)} bytes; inline images are limited to 10",
            model="hailuo-2.3",
            image=path,
        )
