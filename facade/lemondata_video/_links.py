"""A result link as the downloader sees it: checked, shown without its secrets, its refusals named.

Signed result URLs carry credentials in their query, so messages and logs show `shown(url)`,
never the URL itself.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import httpx

from ._exceptions import DownloadError

# Error statuses that usually mean "expired or removed" for a signed result URL.
GONE: Final = frozenset({401, 403, 404, 410})


def shown(url: str) -> str:
    """The URL without credentials, query or fragment: safe for messages and logs."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def check_url(url: str) -> None:
    """DownloadError unless `url` is an absolute http(s) URL."""
    try:
        scheme = urlsplit(url).scheme.lower()
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        msg = f"cannot download: not a valid URL ({type(exc).__name__})"
        raise DownloadError(msg) from exc
    if scheme not in ("http", "https"):
        msg = f"cannot download a {scheme or 'relative'!r} URL: only http and https URLs are supported"
        raise DownloadError(msg)


def status_text(status: int) -> str:
    """`HTTP 404 Not Found`, or `HTTP 520` for a status without a standard phrase."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"
