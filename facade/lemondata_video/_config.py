"""Client configuration: the API key, the base URL, and the pieces built from them.

The key is read from the argument or LEMONDATA_API_KEY and then only handed to
`BearerAuth`, which adds it to requests for the API's own origin and no other.
Everything that may be shown (reprs, logs, messages) gets `mask_key`.

The SDK logs to the `lemondata_video` logger: INFO for retries, 429 waits, failed polls,
catalog fetches and renewed download links, DEBUG for every poll, WARNING for a poll_url off
the API's origin (the task is then polled on the API: the fallback, shown at INFO too).
`LEMONDATA_LOG=info|debug` turns them on without code, as OPENAI_LOG does for openai-python:
`setup_logging`, called by every client's constructor, gives that logger one handler to
stderr with LOG_FORMAT and the level; another value warns (RuntimeWarning) and changes
nothing. Nothing happens on import.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import logging
import os
import sys
import warnings
from collections.abc import Generator, Mapping
from typing import Final, TextIO
from urllib.parse import urlsplit, urlunsplit

import httpx

from ._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT,
    LOG_ENV,
    VERSION,
)
from ._exceptions import LemonDataError, RequestValidationError

USER_AGENT: Final = f"lemondata-video/{VERSION}"
# The SDK's one logger (see the module docstring for what it says at which level).
logger: Final = logging.getLogger("lemondata_video")
LOG_LEVELS: Final = {"info": logging.INFO, "debug": logging.DEBUG}
# As openai-python's: [2026-12-03 14:12:26 - lemondata_video._retry:81 - INFO] GET /v1/... failed ...
LOG_FORMAT: Final = "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"
LOG_DATE_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
LOOPBACK_NAMES: Final = frozenset({"localhost"})
MASK_VISIBLE: Final = 4
MASK_MIN_LENGTH: Final = 12
PROXY_SCHEMES: Final = ("http", "https", "socks5", "socks5h")
REDACTED: Final = "***"


def resolve_api_key(api_key: str | None) -> str:
    """The key from the argument, else from LEMONDATA_API_KEY; LemonDataError when neither is set."""
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if not key or not key.strip():
        msg = f"no API key: pass api_key=... or set {API_KEY_ENV}"
        raise LemonDataError(msg)
    return key.strip()


def mask_key(key: str) -> str:
    """`sk-...abcd`: enough to tell keys apart, never enough to use one."""
    if len(key) < MASK_MIN_LENGTH:
        return "***"
    return f"{key[:3]}...{key[-MASK_VISIBLE:]}"


def resolve_base_url(base_url: str | None) -> httpx.URL:
    """The API's root URL without a trailing `/v1` or `/`; plain http only for loopback hosts.

    Raises RequestValidationError (a ValueError) for an unusable or insecure URL.
    """
    raw = base_url if base_url is not None else os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    text = raw.strip().rstrip("/")
    if text.endswith("/v1"):
        text = text[: -len("/v1")].rstrip("/")
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        msg = f"base_url {raw!r} is not a valid URL ({exc})"
        raise RequestValidationError(msg, param="base_url") from exc
    if url.scheme not in ("http", "https") or not url.host or url.query or url.fragment:
        msg = f"base_url must be an http(s) URL with a host and no query, not {raw!r}"
        raise RequestValidationError(msg, param="base_url")
    if url.scheme == "http" and not is_loopback(url.host):
        msg = (
            f"base_url {raw!r} uses plain http to a non-loopback host, which would send the API key "
            "unencrypted; use https (plain http is accepted only for localhost, 127.0.0.0/8 and ::1)"
        )
        raise RequestValidationError(msg, param="base_url")
    return url


def resolve_proxy(
    proxy: str | httpx.URL | httpx.Proxy | None, *, clients_given: bool = False
) -> httpx.Proxy | None:
    """The proxy of the clients the SDK makes, checked; RequestValidationError (a ValueError) naming the fix.

    `clients_given`: the caller gave an http_client or file_http_client, which a proxy cannot
    change. A password in the URL never shows in a message.
    """
    if proxy is not None and clients_given:
        msg = (
            "proxy= is for the httpx clients the SDK makes; a given http_client or file_http_client "
            "sends as it was made: give it the proxy (httpx.Client(proxy=...)), or drop it"
        )
        raise RequestValidationError(msg, param="proxy")
    if proxy is None or isinstance(proxy, httpx.Proxy):
        return proxy
    if not isinstance(proxy, str | httpx.URL):
        msg = f"proxy must be a URL such as 'http://proxy.internal:3128', not {type(proxy).__name__}"
        raise RequestValidationError(msg, param="proxy")
    try:
        url = httpx.URL(proxy)
    except httpx.InvalidURL as exc:
        msg = f"proxy is not a valid URL ({exc})"
        raise RequestValidationError(msg, param="proxy") from exc
    shown = _without_password(str(proxy))
    if url.scheme not in PROXY_SCHEMES or not url.host:
        msg = f"proxy must be an http://, https://, socks5:// or socks5h:// URL with a host, not {shown!r}"
        raise RequestValidationError(msg, param="proxy")
    if url.scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        msg = f"the SOCKS proxy {shown!r} needs the socksio package: pip install 'httpx[socks]'"
        raise RequestValidationError(msg, param="proxy")
    return httpx.Proxy(url)


def _without_password(url: str) -> str:
    """`url` as written, its password (if any) replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    netloc = f"{user.partition(':')[0]}:{REDACTED}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and effective port: two URLs with the same origin may share credentials."""
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host.lower(), url.port if url.port is not None else default)


class BearerAuth(httpx.Auth):
    """Adds `Authorization: Bearer <key>` to requests for the API's origin only."""

    def __init__(self, key: str, *, base_url: httpx.URL) -> None:
        self._header = f"Bearer {key}"
        self._origin = origin(base_url)

    def __repr__(self) -> str:
        return f"BearerAuth(origin={self._origin!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the key when the request goes to the API's own origin."""
        if origin(request.url) == self._origin:
            request.headers["Authorization"] = self._header
        yield request


def api_timeout(timeout: float) -> httpx.Timeout:
    """The per-request timeout, with a shorter connect phase."""
    return httpx.Timeout(timeout, connect=min(timeout, DEFAULT_CONNECT_TIMEOUT))


class StderrHandler(logging.StreamHandler[TextIO]):
    """The handler LEMONDATA_LOG installs: writes to whatever `sys.stderr` is when a record comes."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(logging.Formatter(LOG_FORMAT, LOG_DATE_FORMAT))

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """Ignored: the stream is always the current `sys.stderr`."""


def setup_logging(environ: Mapping[str, str] = os.environ) -> None:
    """Apply LEMONDATA_LOG (`info` or `debug`): one StderrHandler on the SDK's logger, and its level.

    Unset or empty changes nothing; any other value warns (RuntimeWarning) and changes nothing.
    Called by each client's constructor: cheap, and never a second handler.
    """
    value = environ.get(LOG_ENV, "").strip()
    if not value:
        return
    level = LOG_LEVELS.get(value.lower())
    if level is None:
        msg = f"{LOG_ENV}={value!r} is not one of {', '.join(LOG_LEVELS)}; the SDK's logging is left as it is"
        warnings.warn(msg, RuntimeWarning, stacklevel=3)
        return
    if not any(isinstance(handler, StderrHandler) for handler in logger.handlers):
        logger.addHandler(StderrHandler())
    logger.setLevel(level)
