"""A new endpoint is a spec edit: regenerate, and the clients, the emulator and `lemonvideo api` reach it.

The test copies openapi/openapi.yaml, adds `GET /v1/credits` with a 200 example, regenerates
into a temporary folder (`scripts/generate --spec --target`) and, in a fresh interpreter that
imports that package instead of generated/, calls the operation against the emulator through
`client.call`, `client.request` (VideoClient and AsyncVideoClient) and `lemonvideo api`, each
first answered 429 by fault injection and retried. Nothing but the spec is written by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CREDITS = {"object": "credits", "balance": "12.50", "currency": "USD"}
OPERATION = {
    "operationId": "getCredits",
    "summary": "Read the account's credit balance",
    "description": "The balance left on the account of the key.",
    "tags": ["account"],
    "responses": {
        "200": {
            "description": "The balance.",
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Credits"},
                    "example": CREDITS,
                }
            },
        }
    },
}
SCHEMA = {
    "type": "object",
    "required": ["object", "balance"],
    "properties": {
        "object": {"type": "string"},
        "balance": {"type": "string"},
        "currency": {"type": "string"},
    },
}
# Runs with the regenerated package first on the path: the emulator and both clients as shipped.
PROGRAM = textwrap.dedent(
    """
    import asyncio, json, os, subprocess, sys
    from lemondata_api.api.account import get_credits
    from lemondata_video import AsyncVideoClient, VideoClient
    from lemondata_video.emulator import Emulator, Faults

    def storm(emu):
        emu.set_faults(Faults(rate_limit_storm=1.0, storm_length=1, max_faults=1, routes=["GET /v1/credits"]))

    def counted(emu, value):
        seen = {"value": value, "requests": emu.stats.requests["GET /v1/credits"],
                "faults": emu.stats.faults["rate_limit_storm"]}
        emu.stats.reset()
        return seen

    async def async_calls(emu):
        async with AsyncVideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
            storm(emu)
            model = await client.call(get_credits)
            call = counted(emu, [type(model).__name__, model.balance])
            storm(emu)
            return call, counted(emu, await client.request("GET", "/v1/credits"))

    with Emulator() as emu:
        out = {}
        with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
            storm(emu)
            model = client.call(get_credits)
            out["sync_call"] = counted(emu, [type(model).__name__, model.balance])
            storm(emu)
            out["sync_request"] = counted(emu, client.request("GET", "/v1/credits"))
        out["async_call"], out["async_request"] = asyncio.run(async_calls(emu))
        storm(emu)
        env = {**os.environ, "LEMONDATA_API_KEY": emu.api_key, "LEMONDATA_BASE_URL": emu.base_url}
        cli = subprocess.run([sys.executable, "-m", "lemondata_video.cli", "api", "GET", "/v1/credits"],
                             env=env, capture_output=True, text=True, timeout=60)
        out["cli"] = counted(emu, {"code": cli.returncode, "stdout": cli.stdout, "stderr": cli.stderr})
        import httpx
        out["without_key"] = httpx.get(emu.base_url + "/v1/credits").status_code
    print(json.dumps(out))
    """
)


def _spec_with_credits(tmp: Path) -> Path:
    spec = yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text(encoding="utf-8"))
    assert "/v1/credits" not in spec["paths"]
    spec["paths"]["/v1/credits"] = {"get": OPERATION}
    spec["components"]["schemas"]["Credits"] = SCHEMA
    spec["tags"].append({"name": "account", "description": "The account of the key."})
    path = tmp / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _regenerate(spec: Path, target: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate"), "--spec", str(spec), "--target", str(target)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (target / "api" / "account" / "get_credits.py").is_file()


def _run_program(package_root: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEMONDATA_")}
    env["PYTHONPATH"] = os.pathsep.join([str(package_root), str(ROOT / "facade")])
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_an_operation_added_to_the_spec_is_reachable_everywhere_after_regeneration(tmp_path: Path) -> None:
    package_root = tmp_path / "pkg"
    _regenerate(_spec_with_credits(tmp_path), package_root / "lemondata_api")
    out = _run_program(package_root)
    for name in ("sync_call", "async_call"):
        assert out[name] == {"value": ["Credits", "12.50"], "requests": 2, "faults": 1}, name
    for name in ("sync_request", "async_request"):
        assert out[name] == {"value": CREDITS, "requests": 2, "faults": 1}, name
    cli = out["cli"]
    assert (cli["requests"], cli["faults"]) == (2, 1)
    assert cli["value"]["code"] == 0, cli["value"]["stderr"]
    assert json.loads(cli["value"]["stdout"]) == CREDITS
    assert out["without_key"] == 401


def test_no_hand_written_code_knows_the_new_endpoint() -> None:
    """The façade, the CLI and the emulator mention no operation by the name the test adds."""
    sources = [p for p in (ROOT / "facade").rglob("*.py")]
    assert sources
    assert [p for p in sources if "credits" in p.read_text(encoding="utf-8").lower()] == []
