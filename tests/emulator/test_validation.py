"""Auth and create-request validation: the service's 401, 400 and 413 answers."""

from __future__ import annotations

import httpx
import pytest
from lemondata_video.emulator import Emulator

from .conftest import create, error_of

GENERATIONS = "/v1/videos/generations"


class TestAuth:
    """Bearer keys."""

    @pytest.mark.parametrize("header", [None, "Bearer", "Bearer sk-wrong", "Basic abc", "sk-bare"])
    def test_missing_or_bad_key_is_401_invalid_api_key(self, emu: Emulator, header: str | None) -> None:
        """Every API route answers 401 with the envelope when the key is missing or unknown."""
        headers = {"Authorization": header} if header else {}
        for method, path in [("POST", GENERATIONS), ("GET", "/v1/tasks/video_x"), ("GET", "/v1/models")]:
            response = httpx.request(method, emu.base_url + path, headers=headers, json={"prompt": "x"})
            assert response.status_code == 401
            error = error_of(response)
            assert (error["type"], error["code"]) == ("authentication_error", "invalid_api_key")
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


BAD_FIELDS = [
    ({}, "prompt", "missing_required_parameter"),
    ({"prompt": ""}, "prompt", "invalid_parameter"),
    ({"prompt": "   "}, "prompt", "invalid_parameter"),
    ({"prompt": 5}, "prompt", "invalid_type"),
    ({"fps": 0}, "fps", "invalid_parameter"),
    ({"fps": 121}, "fps", "invalid_parameter"),
    ({"fps": "24"}, "fps", "invalid_type"),
    ({"fps": 2.5}, "fps", "invalid_type"),
    ({"cfg_scale": -0.1}, "cfg_scale", "invalid_parameter"),
    ({"cfg_scale": 20.5}, "cfg_scale", "invalid_parameter"),
    ({"motion_strength": 1.01}, "motion_strength", "invalid_parameter"),
    ({"motion_strength": True}, "motion_strength", "invalid_type"),
    ({"duration": 0}, "duration", "invalid_parameter"),
    ({"seed": None}, "seed", "invalid_type"),
    ({"model": ""}, "model", "invalid_parameter"),
    ({"operation": "dance"}, "operation", "invalid_parameter"),
    ({"reference_role": "hero"}, "reference_role", "invalid_parameter"),
    ({"output_audio": "yes"}, "output_audio", "invalid_type"),
    ({"outputAudio": 1}, "outputAudio", "invalid_type"),
    ({"image": "https://example.com/a.png", "model": "kling-video"}, "image", "invalid_parameter"),
    ({"image_url": "not a url", "model": "kling-video"}, "image_url", "invalid_parameter"),
    (
        {
            "model": "viduq2-pro",
            "reference_images": ["https://e.com/1", "https://e.com/2", "https://e.com/3", "x:4"],
        },
        "reference_images",
        "invalid_parameter",
    ),
    ({"model": "viduq2-pro", "reference_images": "https://e.com/1"}, "reference_images", "invalid_type"),
]


class TestValidation:
    """400 ``invalid_request_error`` with the offending ``param``."""

    @pytest.mark.parametrize(("body", "param", "code"), BAD_FIELDS)
    def test_bad_field_is_400_with_param(
        self, api: httpx.Client, body: dict[str, object], param: str, code: str
    ) -> None:
        """Each bad field names itself in ``param``."""
        payload = {"prompt": "a cat", **body} if "prompt" not in body and body else body
        response = api.post(GENERATIONS, json=payload)
        assert response.status_code == 400, response.text
        error = error_of(response)
        assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, code)

    @pytest.mark.parametrize("content", [b"{not json", b"", b"[1, 2]", b'"text"', b"null", b"\xff\xfe"])
    def test_body_that_is_not_a_json_object_is_400_invalid_json(
        self, api: httpx.Client, content: bytes
    ) -> None:
        """Unparseable bodies and non-objects are rejected before any field is read."""
        response = api.post(GENERATIONS, content=content, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
        assert error_of(response)["code"] == "invalid_json"

    @pytest.mark.lemondata_emulator(max_body_bytes=1024)
    def test_body_over_the_limit_is_413(self, api: httpx.Client) -> None:
        """A data URL that makes the body too large gets 413 ``payload_too_large``."""
        response = api.post(GENERATIONS, json={"prompt": "x", "image": "data:image/png;base64," + "A" * 2000})
        assert response.status_code == 413
        assert error_of(response)["code"] == "payload_too_large"

    def test_unknown_model_is_model_not_found_with_did_you_mean(self, api: httpx.Client) -> None:
        """A misspelt model gets the closest id and a few suggestions."""
        response = api.post(GENERATIONS, json={"model": "sora2", "prompt": "x"})
        assert response.status_code == 400
        error = error_of(response)
        assert (error["code"], error["param"], error["did_you_mean"]) == (
            "model_not_found",
            "model",
            "sora-2",
        )
        assert {"id": "sora-2"} in error["suggestions"]  # type: ignore[operator]

    def test_explicit_operation_the_model_cannot_do_is_unsupported_operation(self, api: httpx.Client) -> None:
        """hailuo-2.3-fast only does image-to-video; the message lists models that can."""
        response = api.post(
            GENERATIONS, json={"model": "hailuo-2.3-fast", "prompt": "x", "operation": "text-to-video"}
        )
        assert response.status_code == 400
        error = error_of(response)
        assert (error["code"], error["param"]) == ("unsupported_operation", "operation")
        assert "sora-2" in str(error["message"])

    @pytest.mark.parametrize(
        ("model", "extra"),
        [
            ("hailuo-2.3-fast", {}),
            ("sora-2", {"image_url": "https://e.com/a.jpg"}),
            ("sora-2", {"start_image": "https://e.com/a.jpg", "end_image": "https://e.com/b.jpg"}),
            ("sora-2", {"reference_images": ["https://e.com/a.jpg"]}),
            ("sora-2", {"video_url": "https://e.com/a.mp4"}),
        ],
    )
    def test_inferred_operation_the_model_cannot_do_is_unsupported_operation(
        self, api: httpx.Client, model: str, extra: dict[str, object]
    ) -> None:
        """Without ``operation`` the inputs decide which operation the model must support."""
        response = api.post(GENERATIONS, json={"model": model, "prompt": "x", **extra})
        assert response.status_code == 400
        assert error_of(response)["code"] == "unsupported_operation"

    @pytest.mark.parametrize(
        ("model", "extra"),
        [
            ("kling-video", {"image": "data:image/png;base64,AAAA"}),
            ("kling-video", {"image_url": "https://e.com/a.jpg"}),
            ("viduq2-pro", {"start_image": "https://e.com/a.jpg", "end_image": "https://e.com/b.jpg"}),
            ("viduq2-pro", {"reference_images": ["https://e.com/a.jpg", "data:image/png;base64,AA"]}),
            ("seedance-2-0", {"video_url": "https://e.com/a.mp4"}),
            ("veo3.1", {"outputAudio": True}),
        ],
    )
    def test_inputs_the_model_supports_create_a_task(
        self, api: httpx.Client, model: str, extra: dict[str, object]
    ) -> None:
        """Operation inference accepts each input kind on a model that does it."""
        assert create(api, model=model, **extra)["model"] == model

    def test_operation_without_its_input_is_rejected(self, api: httpx.Client) -> None:
        """start-end-to-video needs both frames."""
        body = {
            "model": "viduq2-pro",
            "prompt": "x",
            "operation": "start-end-to-video",
            "start_image": "https://e/a",
        }
        response = api.post(GENERATIONS, json=body)
        assert response.status_code == 400
        assert error_of(response)["param"] == "end_image"

    def test_fixed_duration_models_refuse_other_lengths(self, api: httpx.Client) -> None:
        """runwayml-gen4-turbo-5 makes 5 s clips only."""
        body = {"model": "runwayml-gen4-turbo-5", "prompt": "x", "image_url": "https://e.com/a.jpg"}
        assert api.post(GENERATIONS, json={**body, "duration": 5}).status_code == 200
        response = api.post(GENERATIONS, json={**body, "duration": 10})
        assert response.status_code == 400
        assert (error_of(response)["param"], error_of(response)["code"]) == (
            "duration",
            "unsupported_duration",
        )

    def test_default_model_is_sora_2(self, api: httpx.Client) -> None:
        """A request without ``model`` runs on the API default."""
        assert create(api)["model"] == "sora-2"
