"""Create fields from the command line or a jobs line; local image paths become `Path`s the client inlines."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from lemondata_api.model_matrix import DEFAULT_MODEL, OPERATIONS

from .._capabilities import build_request

URL_PREFIXES: Final = ("http://", "https://")
# Options copied as they are into create fields: (option destination, API field).
PLAIN_FIELDS: Final = (
    ("duration", "duration"), ("aspect_ratio", "aspect_ratio"), ("resolution", "resolution"),
    ("fps", "fps"), ("seed", "seed"), ("negative_prompt", "negative_prompt"),
    ("cfg_scale", "cfg_scale"), ("motion_strength", "motion_strength"), ("audio", "output_audio"),
    ("video_url", "video_url"),
)  # fmt: skip


def add_create_options(parser: argparse.ArgumentParser) -> None:
    """The create options of `generate`."""
    group = parser.add_argument_group("request")
    group.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"model id (default {DEFAULT_MODEL}; see `models`)"
    )
    group.add_argument(
        "--operation",
        choices=OPERATIONS,
        metavar="OPERATION",
        help=f"one of {', '.join(OPERATIONS)} (default: inferred from the inputs)",
    )
    group.add_argument("--image", metavar="PATH|URL", help="input image for image-to-video")
    group.add_argument("--start-image", metavar="PATH|URL", help="first frame (start-end-to-video)")
    group.add_argument("--end-image", metavar="PATH|URL", help="last frame (start-end-to-video)")
    group.add_argument("--video-url", metavar="URL", help="source video (video-to-video, video-extension)")
    group.add_argument(
        "--reference-image", action="append", metavar="PATH|URL", help="reference image (repeatable, up to 3)"
    )
    group.add_argument("--duration", type=int, metavar="SECONDS", help="video length in seconds")
    group.add_argument("--aspect-ratio", metavar="W:H", help="for example 16:9 or 9:16")
    group.add_argument("--resolution", help="for example 720p or 1080p")
    group.add_argument("--fps", type=int, help="frames per second (1-120)")
    group.add_argument("--seed", type=int, help="random seed, for repeatable results")
    group.add_argument("--negative-prompt", metavar="TEXT", help="what to avoid")
    group.add_argument("--cfg-scale", type=float, metavar="0-20", help="prompt adherence")
    group.add_argument("--motion-strength", type=float, metavar="0-1", help="amount of motion")
    group.add_argument(
        "--audio",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ask for (or against) an audio track",
    )
    group.add_argument(
        "--allow-unknown-model",
        action="store_true",
        help="send a model id that is not in the capability matrix",
    )


def image_value(value: str, *, base: Path | None = None) -> str | Path:
    """A URL or data URL unchanged; anything else a local file, which the client checks and inlines."""
    if value.startswith((*URL_PREFIXES, "data:")):
        return value
    path = Path(value).expanduser()
    return base / path if base is not None and not path.is_absolute() else path


def _main_image(value: str, *, base: Path | None) -> dict[str, str | Path]:
    resolved = image_value(value, base=base)
    is_url = isinstance(resolved, str) and resolved.startswith(URL_PREFIXES)
    return {"image_url": resolved} if is_url else {"image": resolved}


def fields_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The create keyword arguments of `generate` (model and operation included)."""
    fields: dict[str, Any] = {"model": args.model}
    if args.operation:
        fields["operation"] = args.operation
    if args.allow_unknown_model:
        fields["allow_unknown_model"] = True
    for dest, api in PLAIN_FIELDS:
        value = getattr(args, dest)
        if value is not None:
            fields[api] = value
    if args.image:
        fields.update(_main_image(args.image, base=None))
    for dest in ("start_image", "end_image"):
        if getattr(args, dest):
            fields[dest] = image_value(getattr(args, dest))
    if args.reference_image:
        fields["reference_images"] = [image_value(v) for v in args.reference_image]
    return fields


def check_request(prompt: str, fields: Mapping[str, Any]) -> None:
    """Raise RequestValidationError if the client would refuse this create (nothing is sent)."""
    rest = dict(fields)
    model = rest.pop("model", DEFAULT_MODEL)
    operation = rest.pop("operation", None)
    allow = bool(rest.pop("allow_unknown_model", False))
    build_request(prompt, model=model, operation=operation, fields=rest, allow_unknown_model=allow)


def fields_from_job(job: Mapping[str, Any], *, base: Path) -> dict[str, Any]:
    """A job's create fields, local image paths taken relative to the jobs file."""
    fields = {key: value for key, value in job.items() if key != "prompt"}
    image = fields.pop("image", None)
    if isinstance(image, str):
        fields.update(_main_image(image, base=base))
    for key in ("start_image", "end_image"):
        if isinstance(fields.get(key), str):
            fields[key] = image_value(fields[key], base=base)
    refs = fields.get("reference_images")
    if isinstance(refs, list):
        fields["reference_images"] = [image_value(v, base=base) if isinstance(v, str) else v for v in refs]
    return fields
