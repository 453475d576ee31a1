from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reference_role import ReferenceRole
from ..models.video_operation import VideoOperation
from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoGenerationRequest")


@_attrs_define
class VideoGenerationRequest:
    """A video generation request. Which fields a model honours depends on the model."""

    prompt: str
    """ Text description of the video to generate. """
    model: str | Unset = "sora-2"
    """ Video model id; see `x-lemondata-models` for the matrix. """
    operation: VideoOperation | Unset = UNSET
    """ What the task does. The server infers it from the inputs when absent,
    but an explicit value is recommended.
     """
    image_url: str | Unset = UNSET
    """ Publicly accessible URL of the starting image for image-to-video; the most widely supported way to pass an
    image. """
    image: str | Unset = UNSET
    """ Inline image as a data URL (`data:image/jpeg;base64,...`), for models that accept it. """
    duration: int | Unset = UNSET
    """ Video duration in seconds (model-dependent). """
    aspect_ratio: str | Unset = UNSET
    """ Aspect ratio, for example `16:9`, `9:16`, `1:1`. """
    resolution: str | Unset = UNSET
    """ Video resolution, for example `1080p`, `720p`. """
    fps: int | Unset = UNSET
    """ Frames per second. """
    negative_prompt: str | Unset = UNSET
    """ What to avoid in the video. """
    seed: int | Unset = UNSET
    """ Random seed for reproducible generation. """
    cfg_scale: float | Unset = UNSET
    """ Classifier-free guidance scale. """
    motion_strength: float | Unset = UNSET
    """ Motion intensity. """
    start_image: str | Unset = UNSET
    """ URL of the first frame (start-end-to-video). """
    end_image: str | Unset = UNSET
    """ URL of the last frame (start-end-to-video). """
    reference_images: list[str] | Unset = UNSET
    """ Up to three image URLs (https or data:) for reference-to-video. """
    reference_role: ReferenceRole | Unset = UNSET
    """ How the reference images are used. """
    video_url: str | Unset = UNSET
    """ Source video for video-to-video and video-extension. """
    output_audio: bool | Unset = UNSET
    """ Whether the video has an audio track. The camelCase alias `outputAudio` is also accepted. The Veo 3 family
    defaults to audio on. """
    user: str | Unset = UNSET
    """ A unique identifier for the end user. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        operation: str | Unset = UNSET
        if not isinstance(self.operation, Unset):
            operation = self.operation.value

        image_url = self.image_url

        image = self.image

        duration = self.duration

        aspect_ratio = self.aspect_ratio

        resolution = self.resolution

        fps = self.fps

        negative_prompt = self.negative_prompt

        seed = self.seed

        cfg_scale = self.cfg_scale

        motion_strength = self.motion_strength

        start_image = self.start_image

        end_image = self.end_image

        reference_images: list[str] | Unset = UNSET
        if not isinstance(self.reference_images, Unset):
            reference_images = self.reference_images

        reference_role: str | Unset = UNSET
        if not isinstance(self.reference_role, Unset):
            reference_role = self.reference_role.value

        video_url = self.video_url

        output_audio = self.output_audio

        user = self.user

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if operation is not UNSET:
            field_dict["operation"] = operation
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if image is not UNSET:
            field_dict["image"] = image
        if duration is not UNSET:
            field_dict["duration"] = duration
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if fps is not UNSET:
            field_dict["fps"] = fps
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if seed is not UNSET:
            field_dict["seed"] = seed
        if cfg_scale is not UNSET:
            field_dict["cfg_scale"] = cfg_scale
        if motion_strength is not UNSET:
            field_dict["motion_strength"] = motion_strength
        if start_image is not UNSET:
            field_dict["start_image"] = start_image
        if end_image is not UNSET:
            field_dict["end_image"] = end_image
        if reference_images is not UNSET:
            field_dict["reference_images"] = reference_images
        if reference_role is not UNSET:
            field_dict["reference_role"] = reference_role
        if video_url is not UNSET:
            field_dict["video_url"] = video_url
        if output_audio is not UNSET:
            field_dict["output_audio"] = output_audio
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        _operation = d.pop("operation", UNSET)
        operation: VideoOperation | Unset
        if isinstance(_operation, Unset):
            operation = UNSET
        else:
            operation = VideoOperation(_operation)

        image_url = d.pop("image_url", UNSET)

        image = d.pop("image", UNSET)

        duration = d.pop("duration", UNSET)

        aspect_ratio = d.pop("aspect_ratio", UNSET)

        resolution = d.pop("resolution", UNSET)

        fps = d.pop("fps", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        seed = d.pop("seed", UNSET)

        cfg_scale = d.pop("cfg_scale", UNSET)

        motion_strength = d.pop("motion_strength", UNSET)

        start_image = d.pop("start_image", UNSET)

        end_image = d.pop("end_image", UNSET)

        reference_images = cast(list[str], d.pop("reference_images", UNSET))

        _reference_role = d.pop("reference_role", UNSET)
        reference_role: ReferenceRole | Unset
        if isinstance(_reference_role, Unset):
            reference_role = UNSET
        else:
            reference_role = ReferenceRole(_reference_role)

        video_url = d.pop("video_url", UNSET)

        output_audio = d.pop("output_audio", UNSET)

        user = d.pop("user", UNSET)

        video_generation_request = cls(
            prompt=prompt,
            model=model,
            operation=operation,
            image_url=image_url,
            image=image,
            duration=duration,
            aspect_ratio=aspect_ratio,
            resolution=resolution,
            fps=fps,
            negative_prompt=negative_prompt,
            seed=seed,
            cfg_scale=cfg_scale,
            motion_strength=motion_strength,
            start_image=start_image,
            end_image=end_image,
            reference_images=reference_images,
            reference_role=reference_role,
            video_url=video_url,
            output_audio=output_audio,
            user=user,
        )

        video_generation_request.additional_properties = d
        return video_generation_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
