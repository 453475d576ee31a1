"""The generated models tolerate what the service adds without notice."""

from __future__ import annotations

import attrs
from lemondata_api import model_matrix
from lemondata_api.models import ErrorResponse, ReferenceImageType, Video, VideoGenerationRequest, VideoTask


class TestForwardCompatibility:
    """Payloads the spec does not describe exactly still parse."""

    def test_unknown_status_extra_nested_field_and_null_video_parse(self) -> None:
        payload = {
            "id": "video_1",
            "status": "queued",
            "progress": None,
            "video": None,
            "videos": [{"url": "https://files.example/a.mp4", "codec": {"name": "h264"}}],
            "provider_meta": {"region": "eu", "attempts": [1, 2]},
        }
        task = VideoTask.from_dict(payload)
        assert task.status == "queued"
        assert task.video is None
        assert isinstance(task.videos, list)
        assert isinstance(task.videos[0], Video)
        assert task.videos[0].additional_properties == {"codec": {"name": "h264"}}
        assert task.additional_properties["provider_meta"] == {"region": "eu", "attempts": [1, 2]}

    def test_error_string_or_object_or_null_parses(self) -> None:
        for error in ("boom", {"message": "boom", "code": "x"}, None):
            task = VideoTask.from_dict({"status": "failed", "error": error})
            assert task.status == "failed"
        assert VideoTask.from_dict({"status": "failed", "error": "boom"}).error == "boom"


class TestErrorEnvelope:
    """A 4xx body parses into the shared error model."""

    def test_model_not_found_envelope_parses(self) -> None:
        body = {
            "error": {
                "message": "Model 'sora2' not found.",
                "type": "invalid_request_error",
                "code": "model_not_found",
                "param": "model",
                "did_you_mean": "sora-2",
                "suggestions": [{"id": "sora-2"}],
                "request_trace": "abc",
            }
        }
        parsed = ErrorResponse.from_dict(body)
        assert parsed.error.code == "model_not_found"
        assert parsed.error.param == "model"
        assert parsed.error.did_you_mean == "sora-2"
        assert isinstance(parsed.error.suggestions, list)
        assert parsed.error.suggestions[0].id == "sora-2"
        assert parsed.error.additional_properties == {"request_trace": "abc"}

    def test_null_param_and_code_parse(self) -> None:
        body = {"error": {"message": "bad key", "type": "invalid_api_key", "code": None, "param": None}}
        parsed = ErrorResponse.from_dict(body)
        assert parsed.error.param is None
        assert parsed.error.code is None

    def test_a_body_with_only_a_message_parses(self) -> None:
        """The documented 404 has no param; others lack code or type too: only message is required."""
        parsed = ErrorResponse.from_dict({"error": {"message": "Task not found or no longer available."}})
        assert parsed.error.message == "Task not found or no longer available."
        assert parsed.error.param is attrs.NOTHING or not parsed.error.param


class TestModelMatrixMatchesTheModels:
    """model_matrix's copies of the request schema agree with the generated models the façade sends."""

    def test_request_fields_are_the_request_model_fields(self) -> None:
        fields = {f.name for f in attrs.fields(VideoGenerationRequest)} - {"additional_properties"}
        assert set(model_matrix.REQUEST_FIELDS) == fields

    def test_reference_image_types_are_the_enum_values(self) -> None:
        values = tuple(kind.value for kind in ReferenceImageType)
        assert values == model_matrix.ENUM_FIELDS["reference_image_type"] == ("asset", "style")
