"""Fault injection as a client sees it, the rate limit, and the counters that prove what happened."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from lemondata_video.emulator import Emulator, Faults

from .conftest import assert_documented, create, error_of, triple
from .test_lifecycle import clock_of, poll

GENERATIONS = "/v1/videos/generations"
BODY = {"prompt": "a cat"}
CONNECTION_ERRORS = (httpx.RemoteProtocolError, httpx.ReadError)


class TestErrorFaults:
    """Faults that answer with an error status."""

    @pytest.mark.lemondata_emulator(faults=Faults(server_error=1.0))
    def test_server_error_is_500_server_error(self, emu: Emulator, api: httpx.Client) -> None:
        """500 in the documented shape: type ``server_error``, no code."""
        response = api.get("/v1/models")
        assert_documented(response, "GET /v1/models")
        assert response.json() == {"error": {"message": "Internal server error.", "type": "server_error"}}
        assert emu.stats.faults["server_error"] == 1

    @pytest.mark.lemondata_emulator(faults=Faults(bad_gateway=1.0))
    def test_bad_gateway_is_502_html(self, api: httpx.Client) -> None:
        """A proxy's HTML page, not JSON."""
        response = api.get("/v1/models")
        assert response.status_code == 502
        assert response.headers["content-type"].startswith("text/html")
        assert "<html>" in response.text

    @pytest.mark.lemondata_emulator(faults=Faults(upstream_error=1.0))
    def test_upstream_error_is_502_with_upstream(self, api: httpx.Client) -> None:
        """The documented 502: type ``upstream_error``, retryable, with what the provider answered."""
        response = api.get("/v1/tasks/video_x")
        assert_documented(response, "GET /v1/tasks/{task_id}")
        assert response.json() == {
            "error": {
                "message": "The upstream provider returned an error.",
                "type": "upstream_error",
                "retryable": True,
                "upstream": {"status": 500, "message": "Internal error"},
            }
        }

    @pytest.mark.lemondata_emulator(faults=Faults(unavailable=1.0, retry_after=7))
    def test_unavailable_is_503_all_channels_failed_with_retry_after(self, api: httpx.Client) -> None:
        """Retry-After in the header and in the body; retryable."""
        response = api.get("/v1/models")
        assert_documented(response, "GET /v1/models")
        assert response.headers["retry-after"] == "7"
        assert response.json() == {
            "error": {
                "message": "All channels failed for this request; retry later.",
                "type": "server_error",
                "code": "all_channels_failed",
                "retryable": True,
                "retry_after": 7,
            }
        }

    @pytest.mark.lemondata_emulator(faults=Faults(no_channel=1.0))
    def test_no_channel_is_503_all_channels_failed_not_retryable(self, api: httpx.Client) -> None:
        """When no channel exists the 503 says ``retryable: false`` and sends no Retry-After."""
        response = api.post(GENERATIONS, json=BODY)
        assert_documented(response, "POST /v1/videos/generations")
        assert "retry-after" not in response.headers
        assert response.json() == {
            "error": {
                "message": "All channels failed: no channel is available for this model.",
                "type": "server_error",
                "code": "all_channels_failed",
                "retryable": False,
            }
        }

    @pytest.mark.lemondata_emulator(faults=Faults(timeout=1.0))
    def test_timeout_is_504_timeout_error(self, api: httpx.Client) -> None:
        """The documented 504: type ``timeout_error``, no code."""
        response = api.get("/v1/pricing")
        assert_documented(response, "GET /v1/pricing")
        assert response.json() == {"error": {"message": "Request timed out.", "type": "timeout_error"}}

    @pytest.mark.lemondata_emulator(faults=Faults(rate_limit_storm=1.0, storm_length=4, max_faults=4))
    def test_rate_limit_storm_is_n_consecutive_429s(self, emu: Emulator, api: httpx.Client) -> None:
        """Four 429s with Retry-After, then normal service."""
        statuses = [api.get("/v1/models") for _ in range(6)]
        assert [response.status_code for response in statuses] == [429, 429, 429, 429, 200, 200]
        assert statuses[0].headers["retry-after"] == "1"
        assert_documented(statuses[0], "GET /v1/models")
        assert error_of(statuses[0]) == {
            "message": "Rate limit exceeded. Please retry after 1 seconds.",
            "type": "rate_limit_exceeded",
            "code": "rate_limit_exceeded",
            "retryable": True,
            "retry_after": 1,
        }
        assert emu.stats.faults["rate_limit_storm"] == 4

    @pytest.mark.lemondata_emulator(faults=Faults(latency=1.0, latency_seconds=0.3))
    def test_latency_delays_the_answer(self, emu: Emulator, api: httpx.Client) -> None:
        """The request still succeeds, later."""
        started = time.monotonic()
        assert api.get("/v1/models").status_code == 200
        assert time.monotonic() - started >= 0.3
        assert emu.stats.faults["latency"] == 1


class TestConnectionFaults:
    """Faults where the client gets no (complete) answer."""

    @pytest.mark.lemondata_emulator(faults=Faults(drop_before=1.0, routes=[GENERATIONS.join(["POST ", ""])]))
    def test_drop_before_closes_the_connection_without_a_response(
        self, emu: Emulator, api: httpx.Client
    ) -> None:
        """httpx sees a closed connection (not a 500), and no task was created."""
        with pytest.raises(CONNECTION_ERRORS):
            api.post(GENERATIONS, json=BODY)
        assert emu.stats.tasks_created == 0
        assert emu.stats.faults["drop_before"] == 1
        assert api.get("/v1/models").status_code == 200  # other routes are untouched

    @pytest.mark.lemondata_emulator(faults=Faults(drop_after_create=1.0, max_faults=1))
    def test_drop_after_create_leaves_a_task_the_client_never_heard_of(
        self, emu: Emulator, api: httpx.Client
    ) -> None:
        """The task exists although the client got no answer; a retry creates a second, paid task."""
        with pytest.raises(CONNECTION_ERRORS):
            api.post(GENERATIONS, json=BODY)
        assert emu.stats.tasks_created == 1
        create(api)
        assert emu.stats.tasks_created == 2
        assert emu.stats.requests["POST /v1/videos/generations"] == 2

    @pytest.mark.lemondata_emulator(faults=Faults(malformed_json=1.0))
    def test_malformed_json_is_a_200_that_does_not_parse(self, api: httpx.Client) -> None:
        """Status and content type say JSON; the body is cut short."""
        response = api.get("/v1/models")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        with pytest.raises(json.JSONDecodeError):
            response.json()

    @pytest.mark.lemondata_emulator(faults=Faults(truncated_download=1.0, max_faults=1))
    def test_truncated_download_sends_fewer_bytes_than_content_length(self, emu: Emulator) -> None:
        """The client reads part of the body and then a closed connection; the next try is whole."""
        url = f"{emu.file_host_url}/files/sample.mp4"
        with httpx.stream("GET", url) as response:
            assert int(response.headers["content-length"]) > 0
            with pytest.raises(httpx.RemoteProtocolError):
                response.read()
        assert emu.stats.downloads["sample.mp4"] == 0
        assert 0 < emu.stats.bytes_served["sample.mp4"] < int(response.headers["content-length"])
        assert httpx.get(url).status_code == 200
        assert emu.stats.downloads["sample.mp4"] == 1


class TestFaultRules:
    """How faults are configured."""

    def test_set_faults_changes_and_clears_rules_at_runtime(self, emu: Emulator, api: httpx.Client) -> None:
        """Per-route rules apply to their route only; no argument turns faults off."""
        emu.set_faults(Faults(server_error=1.0, routes=["GET /v1/models"]))
        assert api.get("/v1/models").status_code == 500
        assert api.get("/v1/models/sora-2").status_code == 200
        emu.set_faults()
        assert api.get("/v1/models").status_code == 200

    def test_first_matching_rule_wins(self, emu: Emulator, api: httpx.Client) -> None:
        """A route-specific rule placed first overrides a general one."""
        emu.set_faults(Faults(routes=["GET /v1/models"]), Faults(server_error=1.0))
        assert api.get("/v1/models").status_code == 200
        assert api.get("/v1/models/sora-2").status_code == 500

    def test_seeded_probabilities_are_reproducible(self, emu: Emulator, api: httpx.Client) -> None:
        """The same seed injects the same faults in the same places."""
        runs = []
        for _ in range(2):
            emu.set_faults(Faults(server_error=0.3, seed=42))
            runs.append([api.get("/v1/models").status_code for _ in range(30)])
        assert runs[0] == runs[1]
        assert 0 < runs[0].count(500) < 30

    @pytest.mark.parametrize(
        "kwargs", [{"server_error": 0.6, "bad_gateway": 0.6}, {"latency": 2.0}, {"routes": ["GET /nowhere"]}]
    )
    def test_invalid_rules_are_refused(self, kwargs: dict[str, object]) -> None:
        """Probabilities that cannot be, and routes that do not exist."""
        with pytest.raises(ValueError, match=r"probabilit|route"):
            Faults(**kwargs)  # type: ignore[arg-type]


class TestRateLimit:
    """Requests per minute per key, on the emulator clock."""

    @pytest.mark.lemondata_emulator(rate_limit=3)
    def test_over_the_limit_is_429_with_retry_after_until_the_window_resets(
        self, emu: Emulator, api: httpx.Client
    ) -> None:
        """X-RateLimit-* count down; the 429 says when to come back; the next minute is fresh."""
        clock = clock_of(emu)
        clock.advance(60 - clock.now() % 60 + 20)  # 20 s into a window
        responses = [api.get("/v1/models") for _ in range(4)]
        assert [r.status_code for r in responses] == [200, 200, 200, 429]
        assert [r.headers["x-ratelimit-remaining"] for r in responses] == ["2", "1", "0", "0"]
        assert {r.headers["x-ratelimit-limit"] for r in responses} == {"3"}
        reset = int(responses[0].headers["x-ratelimit-reset"])
        assert reset == int(clock.now()) + 40
        assert responses[3].headers["retry-after"] == "40"
        assert triple(responses[3]) == (429, "rate_limit_exceeded", "rate_limit_exceeded")
        assert error_of(responses[3])["message"] == "Rate limit exceeded. Please retry after 40 seconds."
        assert (error_of(responses[3])["retryable"], error_of(responses[3])["retry_after"]) == (True, 40)
        clock.advance(40)
        assert api.get("/v1/models").status_code == 200

    @pytest.mark.lemondata_emulator(rate_limit=2, api_keys=["sk-a", "sk-b"])
    def test_each_key_has_its_own_budget(self, emu: Emulator) -> None:
        """Polling and creating share one budget per key, not across keys."""
        for key in ("sk-a", "sk-b"):
            headers = {"Authorization": f"Bearer {key}"}
            codes = [
                httpx.get(f"{emu.base_url}/v1/tasks/video_x", headers=headers).status_code for _ in range(3)
            ]
            assert codes == [404, 404, 429]


class TestStats:
    """Counters per route, tasks and faults."""

    def test_requests_are_counted_per_route_template(self, emu: Emulator, api: httpx.Client) -> None:
        """Method plus path template, whatever the id."""
        task_id = str(create(api)["task_id"])
        poll(api, task_id)
        poll(api, task_id)
        api.get("/v1/tasks/video_other")
        assert emu.stats.tasks_created == 1
        assert emu.stats.requests["GET /v1/tasks/{task_id}"] == 3
        assert emu.stats.requests["POST /v1/videos/generations"] == 1
        emu.stats.reset()
        assert emu.stats.tasks_created == 0 and not emu.stats.requests
