"""`lemonvideo api METHOD PATH`: any request to the API with the configured key, in the manner of `gh api`.

`-f key=value` adds a string field, `-F key=value` a typed one (true, false, null, numbers
and other JSON literals; anything else stays a string). Fields go in the query string of a
GET, DELETE or HEAD, and in the JSON body of the others; with `--input FILE` (`-` for stdin)
the body is that file's JSON and every field goes in the query string. The answer's JSON is
printed on stdout (indented; one line with `--json`). The request goes through
VideoClient.request: the key, base URL, retries and typed errors of every other command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Final

from ._common import client_for
from ._connect import connect
from ._exits import OK, USAGE, CLIError, InputError
from ._output import Output

QUERY_METHODS: Final = frozenset({"GET", "DELETE", "HEAD"})


def field(text: str, *, typed: bool) -> tuple[str, Any]:
    """`key=value` as a pair; with `typed`, a JSON literal value is decoded."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        msg = f"a field is key=value, not {text!r}"
        raise CLIError(msg, code=USAGE)
    if not typed:
        return key, value
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def read_input(name: str) -> Any:
    """The JSON document of `--input` (`-` reads stdin)."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read --input {name!r}: {getattr(exc, 'strerror', None) or exc}"
        raise CLIError(msg, code=USAGE) from exc
    try:
        return json.loads(text)
    except ValueError as exc:
        msg = f"--input {name!r} is not JSON: {exc}"
        raise InputError(msg) from exc


def request_parts(args: argparse.Namespace) -> tuple[str, str, dict[str, Any] | None, Any]:
    """Method, path, query parameters and JSON body of the request `args` describe."""
    method = args.method.upper()
    path = args.path if args.path.startswith("/") else f"/{args.path}"
    if "://" in args.path:
        msg = f"PATH is a path of the API such as /v1/models, not a URL: {args.path!r}"
        raise CLIError(msg, code=USAGE)
    fields = dict(field(text, typed=False) for text in args.raw_field or ())
    fields.update(field(text, typed=True) for text in args.typed_field or ())
    if args.input is not None:
        return method, path, fields or None, read_input(args.input)
    if method in QUERY_METHODS:
        return method, path, fields or None, None
    return method, path, None, fields or None


def run_api(args: argparse.Namespace, out: Output) -> int:
    """Run `lemonvideo api METHOD PATH [-f key=value ...] [-F key=value ...] [--input FILE]`."""
    method, path, params, body = request_parts(args)
    with connect(emulator=args.emulator, out=out) as conn, client_for(conn) as client:
        answer = client.request(method, path, params=params, json=body)
    text = "" if answer is None else json.dumps(answer, indent=2, ensure_ascii=False)
    out.result(answer, text)
    return OK


def add_api_options(parser: argparse.ArgumentParser) -> None:
    """The arguments of `api`."""
    parser.add_argument("method", metavar="METHOD", help="GET, POST, DELETE, ...")
    parser.add_argument("path", metavar="PATH", help="the API path, e.g. /v1/models")
    parser.add_argument(
        "-f", "--raw-field", action="append", metavar="KEY=VALUE", help="a string field (repeatable)"
    )
    parser.add_argument(
        "-F", "--field", dest="typed_field", action="append", metavar="KEY=VALUE",
        help="a typed field: true, false, null and numbers are decoded (repeatable)",
    )  # fmt: skip
    parser.add_argument("--input", metavar="FILE", help="the JSON body, from FILE (- for stdin)")
