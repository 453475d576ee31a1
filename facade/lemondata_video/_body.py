"""The JSON body a request sends: checked before it goes out, and its fingerprint.

A fingerprint means one thing in this SDK: the first FINGERPRINT_HEX hex digits of the
SHA-256 of a create's canonical JSON (sorted keys, no spaces). TaskMayExistError carries the
one of the body that was sent; the batch journals the one of each job's create fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from ._exceptions import InvalidFieldError

FINGERPRINT_HEX: Final = 16
# What `json.dumps(value, allow_nan=False)` builds on each call, built once.
_STRICT_JSON: Final = json.JSONEncoder(allow_nan=False)


def check_json(body: Mapping[str, Any]) -> None:
    """InvalidFieldError, before anything is sent, for a field whose value JSON cannot carry."""
    try:
        _STRICT_JSON.encode(body)  # one pass over the whole body; field by field only to name the bad one
    except (TypeError, ValueError, RecursionError):
        pass
    else:
        return
    for name, value in body.items():
        try:
            _STRICT_JSON.encode(value)
        except (TypeError, ValueError, RecursionError) as exc:
            msg = f"{name} must be a JSON value (text, number, true/false, list or object), not {value!r:.60}"
            raise InvalidFieldError(msg, param=name) from exc


def fingerprint(body: Mapping[str, Any]) -> str:
    """The first hex digits of the SHA-256 of the body's canonical JSON."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    import hashlib  # noqa: PLC0415  (only a failed create needs it; 2 ms to import)

    return hashlib.sha256(canonical.encode()).hexdigest()[:FINGERPRINT_HEX]
