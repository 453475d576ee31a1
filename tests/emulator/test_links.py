"""Signed result links: with `link_ttl` every video_url expires, each task GET signs afresh, and the
file host answers an expired or forged link with a plain-text 403, as a CDN does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from lemondata_video.emulator import Emulator

from .conftest import create

LINK_TTL = 30
ROOT = Path(__file__).resolve().parents[2]
EXPIRED = "Request has expired (the link was valid until {expires})."
FORGED = "The request signature does not match; use the link the task answer gives."


def completed_url(emu: Emulator, api: httpx.Client, path: str = "/v1/tasks/{id}") -> str:
    task_id = create(api, model="sora-2")["id"]
    emu.clock.advance(60)  # type: ignore[attr-defined]
    url: str = api.get(path.format(id=task_id)).json()["video_url"]
    return url


def expires_of(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["expires"][0])


@pytest.mark.lemondata_emulator(link_ttl=LINK_TTL, videos="sample")
class TestSignedLinks:
    """Links valid for `link_ttl` emulated seconds from the answer that gave them."""

    def test_a_link_is_signed_until_now_plus_the_ttl(self, emu: Emulator, api: httpx.Client) -> None:
        url = completed_url(emu, api)
        query = parse_qs(urlsplit(url).query)
        assert sorted(query) == ["expires", "signature"]
        assert expires_of(url) == int(emu.clock.now() + LINK_TTL)
        assert httpx.get(url).status_code == 200

    def test_an_expired_link_is_a_plain_text_403(self, emu: Emulator, api: httpx.Client) -> None:
        url = completed_url(emu, api)
        emu.clock.advance(LINK_TTL)  # type: ignore[attr-defined]
        answer = httpx.get(url)
        assert (answer.status_code, answer.text) == (403, EXPIRED.format(expires=expires_of(url)))
        assert answer.headers["content-type"].startswith("text/plain")
        assert sum(emu.stats.refused_links.values()) == 1

    def test_each_task_get_signs_afresh(self, emu: Emulator, api: httpx.Client) -> None:
        url = completed_url(emu, api)
        emu.clock.advance(LINK_TTL)  # type: ignore[attr-defined]
        fresh = api.get(f"/v1/tasks/{urlsplit(url).path.rsplit('/', 1)[1][:-4]}").json()["video_url"]
        assert expires_of(fresh) == expires_of(url) + LINK_TTL
        assert httpx.get(fresh).status_code == 200

    def test_the_legacy_route_signs_too(self, emu: Emulator, api: httpx.Client) -> None:
        url = completed_url(emu, api, "/v1/videos/generations/{id}")
        assert httpx.get(url).status_code == 200
        emu.clock.advance(LINK_TTL)  # type: ignore[attr-defined]
        assert httpx.get(url).status_code == 403

    @pytest.mark.parametrize(
        "edit",
        [
            lambda url: url.split("?")[0],
            lambda url: url.replace("expires=", "expires=9"),
            lambda url: url[:-1] + ("0" if url[-1] != "0" else "1"),
        ],
        ids=["unsigned", "expiry-moved", "signature-changed"],
    )
    def test_a_forged_link_is_refused(self, emu: Emulator, api: httpx.Client, edit: object) -> None:
        url = completed_url(emu, api)
        answer = httpx.get(edit(url))  # type: ignore[operator]
        assert (answer.status_code, answer.text) == (403, FORGED)

    def test_ranges_work_on_a_signed_link(self, emu: Emulator, api: httpx.Client) -> None:
        url = completed_url(emu, api)
        answer = httpx.get(url, headers={"Range": "bytes=10-19"})
        assert (answer.status_code, len(answer.content)) == (206, 10)

    def test_the_sample_needs_no_signature(self, emu: Emulator) -> None:
        assert httpx.get(f"{emu.file_host_url}/files/sample.mp4").status_code == 200


class TestOptions:
    """`link_ttl` on the Emulator and `--link-ttl` on both command lines."""

    def test_without_a_ttl_links_are_plain(self, emu: Emulator, api: httpx.Client) -> None:
        assert urlsplit(completed_url(emu, api)).query == ""

    @pytest.mark.parametrize("ttl", [0, -1, float("inf"), float("nan"), True, "60"])
    def test_a_ttl_that_is_not_a_positive_number_is_refused(self, ttl: object) -> None:
        with pytest.raises(ValueError) as raised:
            Emulator(link_ttl=ttl)  # type: ignore[arg-type]
        assert str(raised.value) == f"link_ttl must be a finite number of seconds > 0, not {ttl!r}"

    def test_the_module_refuses_a_zero_ttl(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "facade"), str(ROOT / "generated")])}
        done = subprocess.run(
            [sys.executable, "-m", "lemondata_video.emulator", "--link-ttl", "0"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 2
        assert done.stderr.splitlines()[-1] == (
            "python -m lemondata_video.emulator: error: "
            "--link-ttl must be a finite number of seconds > 0, not 0.0"
        )
