"""Auth and create-request validation: the service's 401, 400 and 413 answers, with exact messages."""

from __future__ import annotations

import httpx
import pytest
from lemondata_video.emulator import Emulator

from .conftest import assert_documented, create, error_of, triple

GENERATIONS = "/v1/videos/generations"
CREATE = "POST /v1/videos/generations"


class TestAuth:
    """Bearer keys."""

    @pytest.mark.parametrize(
        ("header", "message"),
        [
            (None, "Missing API key; send 'Authorization: Bearer sk-...'."),
            ("Bearer", "Missing API key; send 'Authorization: Bearer sk-...'."),
            ("Basic abc", "Missing API key; send 'Authorization: Bearer sk-...'."),
            ("sk-bare", "Missing API key; send 'Authorization: Bearer sk-...'."),
            ("Bearer sk-wrong", "Invalid API key provided."),
        ],
    )
    def test_missing_or_bad_key_is_401_invalid_api_key(
        self, emu: Emulator, header: str | None, message: str
    ) -> None:
        """Every API route answers 401 ``invalid_api_key``/``invalid_api_key`` to a missing or unknown key."""
        headers = {"Authorization": header} if header else {}
        for method, path in [("POST", GENERATIONS), ("GET", "/v1/tasks/video_x"), ("GET", "/v1/models")]:
            response = httpx.request(method, emu.base_url + path, headers=headers, json={"prompt": "x"})
            assert triple(response) == (401, "invalid_api_key", "invalid_api_key")
            assert error_of(response) == {
                "message": message,
                "type": "invalid_api_key",
                "code": "invalid_api_key",
            }
            assert "X-RateLimit-Limit" in response.headers

    @pytest.mark.lemondata_emulator(api_keys=["sk-one", "sk-two"])
    def test_every_configured_key_is_accepted(self, emu: Emulator) -> None:
        """Several keys may be configured; the first is ``api_key``."""
        assert emu.api_key == "sk-one"
        for key in ("sk-one", "sk-two"):
            response = httpx.get(emu.base_url + "/v1/models", headers={"Authorization": f"Bearer {key}"})
            assert response.status_code == 200

    def test_default_key_looks_like_an_emulator_key(self, emu: Emulator) -> None:
        """Without keys the emulator makes one up."""
        assert emu.api_key.startswith("sk-emulator-")


OTHERS_T2V = "sora-2, sora-2-pro, sora-2-characters"
BAD_FIELDS = [
    ({}, "prompt", "Operation text-to-video needs 'prompt'."),
    ({"prompt": ""}, "prompt", "'prompt' must not be empty."),
    ({"prompt": "   "}, "prompt", "'prompt' must not be empty."),
    ({"prompt": 5}, "prompt", "'prompt' must be a string, got int."),
    ({"fps": 0}, "fps", "'fps' must be between 1 and 120, got 0."),
    ({"fps": 121}, "fps", "'fps' must be between 1 and 120, got 121."),
    ({"fps": "24"}, "fps", "'fps' must be an integer, got str."),
    ({"fps": 2.5}, "fps", "'fps' must be an integer, got float."),
    ({"cfg_scale": -0.1}, "cfg_scale", "'cfg_scale' must be between 0 and 30, got -0.1."),
    ({"cfg_scale": 30.5}, "cfg_scale", "'cfg_scale' must be between 0 and 30, got 30.5."),
    (
        {"motion_strength": 100.5},
        "motion_strength",
        "'motion_strength' must be between 0 and 100, got 100.5.",
    ),
    ({"motion_strength": True}, "motion_strength", "'motion_strength' must be a number, got bool."),
    ({"duration": 0}, "duration", "'duration' must be at least 1, got 0."),
    ({"extend_at": 2.5}, "extend_at", "'extend_at' must be an integer, got float."),
    ({"seed": None}, "seed", "'seed' must be an integer, got null."),
    ({"watermark": "no"}, "watermark", "'watermark' must be a boolean, got str."),
    ({"model": ""}, "model", "'model' must not be empty."),
    (
        {"operation": "dance"},
        "operation",
        "'operation' must be one of text-to-video, image-to-video, reference-to-video, start-end-to-video, "
        "video-to-video, video-extension, audio-to-video, motion-control, got 'dance'.",
    ),
    (
        {"reference_image_type": "hero"},
        "reference_image_type",
        "'reference_image_type' must be one of asset, style, got 'hero'.",
    ),
    ({"output_audio": "yes"}, "output_audio", "'output_audio' must be a boolean, got str."),
    ({"outputAudio": 1}, "output_audio", "'output_audio' must be a boolean, got int."),
    (
        {"image": "https://example.com/a.png", "model": "kling-video"},
        "image",
        "'image' must be a data URL (data:image/...;base64,...); use 'image_url' for links.",
    ),
    (
        {"image_url": "not a url", "model": "kling-video"},
        "image_url",
        "'image_url' must be an absolute URL, got 'not a url'.",
    ),
    (
        {"model": "viduq2-pro", "reference_images": ["https://e.com/1"] * 10},
        "reference_images",
        "'reference_images' takes at most 9 items, got 10.",
    ),
    (
        {"model": "viduq2-pro", "reference_images": "https://e.com/1"},
        "reference_images",
        "'reference_images' must be an array of strings, got str.",
    ),
    (
        {"model": "seedance-2.0", "video_urls": ["https://e.com/v.mp4"] * 4},
        "video_urls",
        "'video_urls' takes at most 3 items, got 4.",
    ),
    (
        {"model": "viduq2", "reference_images": ["https://e/1"], "referenceImages": ["https://e/1"]},
        "reference_images",
        "Pass either 'reference_images' or its alias 'referenceImages', not both.",
    ),
    (
        {"model": "viduq2-pro", "operation": "start-end-to-video", "start_image": "https://e/a"},
        "end_image",
        "Operation start-end-to-video needs 'end_image'.",
    ),
    (
        {"model": "runwayml-gen4-turbo-5", "image_url": "https://e.com/a.jpg", "duration": 10},
        "duration",
        "Model 'runwayml-gen4-turbo-5' makes clips of 5 seconds only, got 10.",
    ),
]


class TestValidation:
    """400 ``invalid_request_error`` with the offending ``param`` and ``validation_errors``, no code."""

    @pytest.mark.parametrize(("body", "param", "message"), BAD_FIELDS)
    def test_bad_field_is_400_with_param_and_validation_errors(
        self, api: httpx.Client, body: dict[str, object], param: str, message: str
    ) -> None:
        """Each bad field names itself in ``param`` and in ``validation_errors``, as documented."""
        payload = {"prompt": "a cat", **body} if "prompt" not in body and body else body
        response = api.post(GENERATIONS, json=payload)
        assert response.status_code == 400, response.text
        assert response.json() == {
            "error": {"message": message, "type": "invalid_request_error", "param": param},
            "validation_errors": [{"field": param, "message": message}],
        }
        assert_documented(response, CREATE)

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"{not json", "The request body is not valid JSON: Expecting property name enclosed in double "
             "quotes: line 1 column 2 (char 1)."),
            (b"", "The request body is not valid JSON: Expecting value: line 1 column 1 (char 0)."),
            (b"\xff\xfe", "The request body is not valid JSON: Expecting value: line 1 column 1 (char 0)."),
            (b"[1, 2]", "The request body must be a JSON object."),
            (b'"text"', "The request body must be a JSON object."),
            (b"null", "The request body must be a JSON object."),
        ],
    )  # fmt: skip
    def test_body_that_is_not_a_json_object_is_400(
        self, api: httpx.Client, content: bytes, message: str
    ) -> None:
        """Unparseable bodies and non-objects are rejected before any field is read (no field, no code)."""
        response = api.post(GENERATIONS, content=content, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
        assert response.json() == {"error": {"message": message, "type": "invalid_request_error"}}

    @pytest.mark.lemondata_emulator(max_body_bytes=1024)
    def test_body_over_the_limit_is_413(self, api: httpx.Client) -> None:
        """A data URL that makes the body too large gets 413 ``payload_too_large``."""
        response = api.post(GENERATIONS, json={"prompt": "x", "image": "data:image/png;base64," + "A" * 2000})
        assert response.json() == {
            "error": {
                "message": "Request body exceeds the size limit of 1024 bytes.",
                "type": "invalid_request_error",
                "code": "payload_too_large",
            }
        }
        assert_documented(response, CREATE)

    def test_unknown_model_is_model_not_found_with_did_you_mean(self, api: httpx.Client) -> None:
        """A misspelt model gets the closest id, a few suggestions and a hint."""
        response = api.post(GENERATIONS, json={"model": "sora2", "prompt": "x"})
        assert response.json() == {
            "error": {
                "message": "Model 'sora2' not found",
                "type": "invalid_request_error",
                "code": "model_not_found",
                "param": "model",
                "did_you_mean": "sora-2",
                "suggestions": [{"id": "sora-2"}, {"id": "sora-2-pro"}, {"id": "sora-2-characters"}],
                "hint": "Did you mean 'sora-2'? Use GET /v1/models to list all available models.",
            }
        }
        assert_documented(response, CREATE)

    def test_unknown_model_without_a_close_id_has_only_the_hint(self, api: httpx.Client) -> None:
        """No ``did_you_mean`` or ``suggestions`` when nothing is close (left out, not null)."""
        response = api.post(GENERATIONS, json={"model": "zzzzzzzz-qqqq", "prompt": "x"})
        assert error_of(response) == {
            "message": "Model 'zzzzzzzz-qqqq' not found",
            "type": "invalid_request_error",
            "code": "model_not_found",
            "param": "model",
            "hint": "Use GET /v1/models to list all available models.",
        }

    def test_explicit_operation_the_model_cannot_do_is_400_on_operation(self, api: httpx.Client) -> None:
        """hailuo-2.3-fast only does image-to-video; the message lists models that can."""
        body = {"model": "hailuo-2.3-fast", "prompt": "x", "operation": "text-to-video"}
        response = api.post(GENERATIONS, json=body)
        assert triple(response) == (400, "invalid_request_error", None)
        message = str(error_of(response)["message"])
        assert message.startswith(
            "Model 'hailuo-2.3-fast' cannot do text-to-video; it does image-to-video. "
            f"Models that do text-to-video: {OTHERS_T2V}, "
        )
        assert error_of(response)["param"] == "operation"

    @pytest.mark.parametrize(
        ("model", "extra", "operation"),
        [
            ("hailuo-2.3-fast", {}, "text-to-video"),
            ("sora-2", {"image_url": "https://e.com/a.jpg", "video_url": "https://e.com/a.mp4"},
             "motion-control"),
            ("sora-2", {"start_image": "https://e.com/a.jpg", "end_image": "https://e.com/b.jpg"},
             "start-end-to-video"),
            ("sora-2", {"reference_images": ["https://e.com/a.jpg"]}, "reference-to-video"),
            ("sora-2", {"video_url": "https://e.com/a.mp4"}, "video-to-video"),
            ("sora-2", {"task_id": "video_abc123"}, "video-extension"),
            ("kling-3.0-motion-control", {"image_url": "https://e.com/a.png"}, "image-to-video"),
        ],
    )  # fmt: skip
    def test_inferred_operation_the_model_cannot_do_is_400_on_operation(
        self, api: httpx.Client, model: str, extra: dict[str, object], operation: str
    ) -> None:
        """Without ``operation`` the inputs decide (the spec's rules) which operation the model must do."""
        response = api.post(GENERATIONS, json={"model": model, "prompt": "x", **extra})
        assert triple(response) == (400, "invalid_request_error", None)
        assert str(error_of(response)["message"]).startswith(f"Model '{model}' cannot do {operation};")

    @pytest.mark.parametrize(
        ("model", "extra"),
        [
            ("kling-video", {"image": "data:image/png;base64,AAAA"}),
            ("kling-video", {"image_url": "https://e.com/a.jpg"}),
            ("viduq2-pro", {"start_image": "https://e.com/a.jpg", "end_image": "https://e.com/b.jpg"}),
            ("viduq2-pro", {"reference_images": ["https://e.com/a.jpg", "data:image/png;base64,AA"]}),
            ("viduq2-pro", {"referenceImages": ["https://e.com/a.jpg"], "referenceImageType": "style"}),
            ("seedance-2-0", {"video_url": "https://e.com/a.mp4"}),
            (
                "seedance-2.0",
                {"reference_images": ["https://e.com/a.jpg"] * 9, "audio_urls": ["https://e.com/a"]},
            ),
            (
                "kling-3.0-motion-control",
                {"image_url": "https://e.com/a.png", "video_url": "https://e.com/b.mp4"},
            ),
            ("veo3.1", {"outputAudio": True, "seed": 2**53 + 1, "size": "1280x720"}),
        ],
    )
    def test_inputs_the_model_supports_create_a_task(
        self, api: httpx.Client, model: str, extra: dict[str, object]
    ) -> None:
        """Operation inference accepts each input kind on a model that does it, aliases included."""
        assert create(api, model=model, **extra)["model"] == model

    def test_fixed_duration_models_take_their_length(self, api: httpx.Client) -> None:
        """runwayml-gen4-turbo-5 makes 5 s clips (other lengths: see BAD_FIELDS)."""
        body = {"model": "runwayml-gen4-turbo-5", "prompt": "x", "image_url": "https://e.com/a.jpg"}
        assert api.post(GENERATIONS, json={**body, "duration": 5}).status_code == 200

    def test_default_model_is_sora_2(self, api: httpx.Client) -> None:
        """A request without ``model`` runs on the API default."""
        assert create(api)["model"] == "sora-2"
