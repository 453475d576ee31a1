"""Named numbers and defaults of the SDK, in one place."""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.1.0"  # keep equal to pyproject.toml's version (tests/test_packaging.py)

DEFAULT_BASE_URL: Final = "https://api.lemondata.cc"
API_KEY_ENV: Final = "LEMONDATA_API_KEY"
BASE_URL_ENV: Final = "LEMONDATA_BASE_URL"
# `info` or `debug`: the SDK's log records go to stderr without any logging code (`_config`).
LOG_ENV: Final = "LEMONDATA_LOG"

# Per-request timeouts, seconds.
DEFAULT_TIMEOUT: Final = 60.0
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
# The API client's connection pool. httpx keeps only 20 idle connections by default, so a
# client polling many tasks at once closes and reopens connections all the time (the scale
# benchmark measured ~150 us more CPU per request for it); keep every one it may open.
# AsyncVideoClient also lets no more requests than this be in flight at once.
MAX_CONNECTIONS: Final = 100

# Retries of GET and DELETE (and of a create that provably created nothing).
DEFAULT_MAX_RETRIES: Final = 4
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 30.0
# A Retry-After longer than this is not slept through by a single request retry.
MAX_RETRY_AFTER: Final = 120.0

# Waiting for a task: every polling knob is in _polling.py.

# The live model catalog: how long an answer of GET /v1/models?category=video is kept
# (0 turns live checks off), and how long a failed fetch is reported before asking again.
DEFAULT_CATALOG_TTL: Final = 600.0
CATALOG_FAILURE_TTL: Final = 30.0

# Inputs and downloads.
MAX_INLINE_IMAGE_BYTES: Final = 10 * 1024 * 1024
MAX_DOWNLOAD_BYTES: Final = 4 * 1024 * 1024 * 1024
DOWNLOAD_CHUNK_SIZE: Final = 256 * 1024
DOWNLOAD_MAX_RESUMES: Final = 5
# generate_many: how many requests are in flight at once by default.
DEFAULT_MANY_CONCURRENCY: Final = 8
