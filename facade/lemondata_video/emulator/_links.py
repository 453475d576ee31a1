"""Signed result links: a file URL carrying its expiry and a signature, as a CDN's signed URLs do.

With `Emulator(link_ttl=N)` every `video_url` is valid for N emulated seconds from the answer
that gave it (`?expires=<unix seconds>&signature=<hex>`), and every task GET signs afresh, so a
client that fetches the task again gets a link that works. The file host answers an expired link,
and one whose signature does not match (edited, unsigned, or signed by another emulator), with a
plain-text 403, as S3 and CloudFront do. Without `link_ttl` links are plain and never expire.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlencode

from . import _errors as e

EXPIRES: Final = "expires"
SIGNATURE: Final = "signature"
SIGNATURE_HEX_CHARS: Final = 32
LINK_REFUSED_STATUS: Final = 403


def _secret() -> bytes:
    return secrets.token_bytes(16)


@dataclass(frozen=True)
class LinkSigner:
    """Signs file links for `ttl` emulated seconds (None: links are plain) and checks them."""

    ttl: float | None = None
    secret: bytes = field(default_factory=_secret, repr=False)

    def __post_init__(self) -> None:
        ttl = self.ttl
        number = isinstance(ttl, int | float) and not isinstance(ttl, bool)
        if ttl is not None and not (number and 0 < ttl < math.inf):
            msg = f"link_ttl must be a finite number of seconds > 0, not {ttl!r}"
            raise ValueError(msg)

    def sign(self, url: str, name: str, now: float) -> str:
        """`url` (of the file `name`) valid until `now + ttl`; `url` itself when links do not expire."""
        if self.ttl is None:
            return url
        expires = int(now + self.ttl)
        return f"{url}?{urlencode({EXPIRES: expires, SIGNATURE: self._mac(name, expires)})}"

    def refusal(self, name: str, query: Mapping[str, str], now: float) -> str | None:
        """None when the link to `name` may be served at `now`; else the host's message."""
        if self.ttl is None:
            return None
        expires = query.get(EXPIRES, "")
        given = query.get(SIGNATURE, "")
        if not expires.isdigit() or not hmac.compare_digest(given, self._mac(name, int(expires))):
            return e.MSG_LINK_SIGNATURE
        if now >= int(expires):
            return e.MSG_LINK_EXPIRED.format(expires=expires)
        return None

    def _mac(self, name: str, expires: int) -> str:
        digest = hmac.new(self.secret, f"{name}\n{expires}".encode(), hashlib.sha256).hexdigest()
        return digest[:SIGNATURE_HEX_CHARS]
