"""GET /v1/models, /v1/models/{model} and the pricing routes, in the documented shapes."""

from __future__ import annotations

import httpx
import pytest
from lemondata_api.model_matrix import MODELS

from .conftest import assert_documented

DOCUMENTED_ITEM_KEYS = {"id", "object", "created", "owned_by", "lemondata", "x-emulator"}
DOCUMENTED_LEMONDATA_KEYS = {
    "category",
    "pricing_unit",
    "capability_flags",
    "supported_operations",
    "public_contract_summary",
    "agent_preferences",
}
HAILUO = ["hailuo-2.3-pro", "hailuo-2.3-standard", "hailuo-2.3-fast", "hailuo-2.3"]
PRICING = {
    "input_per_1m": None,
    "output_per_1m": None,
    "per_request": 0.2,
    "is_lock_price": False,
    "currency": "USD",
}


class TestModelList:
    """The list and its documented filters."""

    def test_list_is_the_matrix_in_the_documented_shape(self, api: httpx.Client) -> None:
        """Every matrix model, with only documented keys outside ``x-emulator``."""
        response = api.get("/v1/models", params={"category": "video"})
        assert_documented(response, "GET /v1/models")
        listed = response.json()
        assert listed["object"] == "list"
        assert [model["id"] for model in listed["data"]] == [entry["id"] for entry in MODELS]
        for item in listed["data"]:
            assert item.keys() == DOCUMENTED_ITEM_KEYS and item["object"] == "model"
            assert item["lemondata"].keys() == DOCUMENTED_LEMONDATA_KEYS

    def test_an_item_matches_the_spec_example(self, api: httpx.Client) -> None:
        """sora-2 as in the spec's list example, plus the emulator's own facts under ``x-emulator``."""
        sora = api.get("/v1/models").json()["data"][0]
        assert sora == {
            "id": "sora-2",
            "object": "model",
            "created": 1706000000,
            "owned_by": "openai",
            "lemondata": {
                "category": "video",
                "pricing_unit": "per_request",
                "capability_flags": {"text_to_video": True, "image_to_video": True},
                "supported_operations": ["text-to-video", "image-to-video"],
                "public_contract_summary": {
                    "public_operations": ["text-to-video", "image-to-video"],
                    "request_endpoint": "/v1/videos/generations",
                },
                "agent_preferences": {"recommended_for": ["video"]},
            },
            "x-emulator": {
                "provider": "OpenAI",
                "family": "Sora",
                "notes": "API default",
                "revisions": ["R1", "R3"],
                "cancellable": False,
                "audio_default": False,
                "default": True,
                "tags": ["video", "sora"],
                "required_inputs": {
                    "text-to-video": [["prompt"]],
                    "image-to-video": [["image_url", "image", "start_image"]],
                },
            },
        }

    def test_matrix_facts_are_under_the_extension_key(self, api: httpx.Client) -> None:
        """Seedance 2.0's limits and cancel flag, runway's fixed duration."""
        by_id = {item["id"]: item["x-emulator"] for item in api.get("/v1/models").json()["data"]}
        assert by_id["seedance-2.0"]["reference_limits"] == {
            "reference_images": 9,
            "video_urls": 3,
            "audio_urls": 3,
        }
        assert by_id["seedance-2.0"]["cancellable"] is True and by_id["seedance-2-0"]["cancellable"] is False
        assert by_id["runwayml-gen4-turbo-5"]["durations"] == [5]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"category": "image"}, []),
            ({"provider": "minimax"}, HAILUO),
            ({"provider": "MiniMax", "tag": "hailuo"}, HAILUO),
            ({"tag": "grok"}, ["grok-imagine-text-to-video", "grok-imagine-image-to-video",
                               "grok-imagine-upscale", "grok-video-3"]),
            ({"tag": "chat"}, []),
            ({"provider": "openai", "category": "video"}, ["sora-2", "sora-2-pro", "sora-2-pro-storyboard",
                                                            "sora-2-characters"]),
        ],
    )  # fmt: skip
    def test_category_provider_and_tag_filter(
        self, api: httpx.Client, params: dict[str, str], expected: list[str]
    ) -> None:
        """The documented query parameters; the filters combine."""
        response = api.get("/v1/models", params=params)
        assert_documented(response, "GET /v1/models")
        assert [model["id"] for model in response.json()["data"]] == expected

    def test_recommended_for_video_puts_the_default_first(self, api: httpx.Client) -> None:
        """No success-rate history in the emulator: the default model leads, matrix order follows."""
        recommended = api.get("/v1/models", params={"recommended_for": "video"}).json()["data"]
        assert recommended[0]["id"] == "sora-2" and len(recommended) == len(MODELS)


class TestModelDetail:
    """GET /v1/models/{model}."""

    def test_detail_adds_public_contract_and_scene_preferences(self, api: httpx.Client) -> None:
        """hailuo-2.3-fast as in the spec's detail example (emulated preferences: no samples)."""
        response = api.get("/v1/models/hailuo-2.3-fast")
        assert_documented(response, "GET /v1/models/{model}")
        details = response.json()["lemondata"]
        assert details["supported_operations"] == ["image-to-video"]
        assert details["capability_flags"] == {"image_to_video": True}
        assert details["public_contract"] == {"operations": {"image-to-video": {"required": ["image_url"]}}}
        assert details["agent_preferences"] == {
            "recommended_for": [],
            "video": {
                "preferred_rank": [entry["id"] for entry in MODELS if not entry["default"]].index(
                    "hailuo-2.3-fast"
                )
                + 2,
                "sample_count_24h": 0,
                "status": "insufficient_samples",
                "updated_at": "2024-01-23T08:53:20.000Z",
            },
        }

    def test_motion_control_requires_image_and_video(self, api: httpx.Client) -> None:
        """The contract comes from the spec's rules."""
        contract = api.get("/v1/models/kling-3.0-motion-control").json()["lemondata"]["public_contract"]
        assert contract == {"operations": {"motion-control": {"required": ["image_url", "video_url"]}}}

    @pytest.mark.parametrize("path", ["/v1/models/{model}", "/v1/models/{model}/pricing"])
    def test_unknown_model_is_404_model_not_found_without_param(self, api: httpx.Client, path: str) -> None:
        """The spec's NotFound example: message, type and code only."""
        response = api.get(path.format(model="sora-3"))
        assert_documented(response, f"GET {path}")
        assert (response.status_code, response.json()) == (
            404,
            {
                "error": {
                    "message": "Model 'sora-3' not found",
                    "type": "invalid_request_error",
                    "code": "model_not_found",
                }
            },
        )


class TestPricing:
    """GET /v1/pricing and /v1/models/{model}/pricing, emulated prices."""

    def test_model_pricing_has_the_example_shape(self, api: httpx.Client) -> None:
        """The spec's example for sora-2, with the emulator's flat price."""
        response = api.get("/v1/models/sora-2/pricing")
        assert_documented(response, "GET /v1/models/{model}/pricing")
        assert response.json() == {"model": "sora-2", "provider": "openai", "pricing": PRICING}

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"model": "sora-2"}, ["sora-2"]),
            ({"model": "nope"}, []),
            ({"provider": "google", "tag": "veo"}, [e["id"] for e in MODELS if e["family"] == "Veo"]),
            ({"tag": "runway"}, ["runwayml-gen4-turbo-5", "runwayml-gen4-turbo-10"]),
            ({}, [e["id"] for e in MODELS]),
        ],
    )
    def test_pricing_list_filters(
        self, api: httpx.Client, params: dict[str, str], expected: list[str]
    ) -> None:
        """``model``, ``provider`` and ``tag`` filter the list."""
        response = api.get("/v1/pricing", params=params)
        assert_documented(response, "GET /v1/pricing")
        body = response.json()
        assert (body["object"], body["currency"], body["updated_at"]) == (
            "pricing",
            "USD",
            "2024-01-23T08:53:20.000Z",
        )
        assert [entry["model"] for entry in body["data"]] == expected
        assert all(entry["pricing"] == PRICING for entry in body["data"])
