"""What of an answer may be shown: the API key and bearer tokens removed from text and JSON.

Error messages, excerpts of bodies and the stored error body all pass through here before
they reach a caller, a log or a terminal.
"""

from __future__ import annotations

import re
from typing import Any, Final

import httpx

EXCERPT_CHARS: Final = 200
_BEARER: Final = re.compile(r"Bearer\s+\S+", re.IGNORECASE)


def redact_json(value: dict[str, Any], secret: str) -> dict[str, Any]:
    """A copy of decoded JSON with `redact` applied to every string in it, keys included.

    Iterative, so a deeply nested body cannot exhaust the stack.
    """
    root: dict[str, Any] = {"": value}
    pending: list[tuple[dict[Any, Any] | list[Any], Any]] = [(root, "")]
    while pending:
        container, key = pending.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = redact(item, secret)
        elif isinstance(item, dict):
            copy = {redact(k, secret) if isinstance(k, str) else k: v for k, v in item.items()}
            container[key] = copy
            pending.extend((copy, k) for k in copy)
        elif isinstance(item, list):
            items = list(item)
            container[key] = items
            pending.extend((items, index) for index in range(len(items)))
    return dict(root[""])


def excerpt(response: httpx.Response, secret: str) -> str:
    """A short, single-line, redacted piece of the body, safe to show.

    Redacted before it is cut, so a key or token across the cut leaves no piece of itself.
    """
    text = redact(" ".join(response.text.split()), secret)
    if not text:
        return "(empty)"
    short = text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS else "")
    return repr(short)


def redact(text: str, secret: str) -> str:
    """Remove the API key and any bearer token from text that may be shown."""
    if secret:
        text = text.replace(secret, "***")
    return _BEARER.sub("Bearer ***", text)
