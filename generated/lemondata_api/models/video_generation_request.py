from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reference_image_type import ReferenceImageType
from ..models.video_operation import VideoOperation
from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoGenerationRequest")


@_attrs_define
class VideoGenerationRequest:
    """A video generation request. Which fields a model honours depends on the
    model; the service adds fields over time, so more properties may be
    sent. The camelCase aliases in `x-lemondata-aliases` are accepted too.

    """

    model: str | Unset = "sora-2"
    """ Video model id; see `x-lemondata-models` and `GET /v1/models?category=video`. """
    prompt: str | Unset = UNSET
    """ Text description of the video to generate. Required for most public video models (for text-to-video always).
    """
    operation: VideoOperation | Unset = UNSET
    """ What the task does. The service infers it from the inputs when absent
    (see `x-lemondata-request-rules`), but an explicit value is
    recommended. audio-to-video and video-extension are accepted by the
    contract for model-specific flows.
     """
    image_url: str | Unset = UNSET
    """ Publicly accessible URL of the starting image (image-to-video) or the subject image (motion-control); the
    most widely supported way to pass an image. """
    image: str | Unset = UNSET
    """ Inline image as a data URL (`data:image/jpeg;base64,...`), for compatible models. """
    start_image: str | Unset = UNSET
    """ The first frame (start-end-to-video), as a URL or a compatible image input such as a data URL. """
    end_image: str | Unset = UNSET
    """ The last frame (start-end-to-video), as a URL or a compatible image input such as a data URL. """
    reference_images: list[str] | Unset = UNSET
    """ Reference images (https or `data:` URLs) for reference-to-video. The
    count is model-dependent: up to 3 on most models, up to 9 on
    Seedance 2.0 (see `reference_limits` in `x-lemondata-models`). The
    camelCase alias `referenceImages` is accepted.
     """
    reference_image_type: ReferenceImageType | Unset = UNSET
    """ How the reference images are used, for models that distinguish asset and style references. """
    video_url: str | Unset = UNSET
    """ Source video for video-to-video and video-extension, or the motion reference for motion-control. """
    video_urls: list[str] | Unset = UNSET
    """ Reference videos for multimodal reference flows (up to 3 on Seedance 2.0). """
    audio_url: str | Unset = UNSET
    """ An audio input (audio-to-video, or a soundtrack for models that take one). """
    audio_urls: list[str] | Unset = UNSET
    """ Reference audio for multimodal reference flows (up to 3 on Seedance 2.0). """
    task_id: str | Unset = UNSET
    """ An earlier task, for continuation, extension or derivative flows. """
    extend_at: int | Unset = UNSET
    """ Where to extend the earlier video, in seconds (video-extension). """
    extend_times: str | Unset = UNSET
    """ How many times to extend (video-extension; a string on the service's pages). """
    duration: int | Unset = UNSET
    """ Video duration in seconds (model-dependent). """
    aspect_ratio: str | Unset = UNSET
    """ Aspect ratio, for example `16:9`, `9:16`, `1:1`. """
    resolution: str | Unset = UNSET
    """ Video resolution, for example `720p`, `1080p`, `4k`. """
    size: str | Unset = UNSET
    """ Output size for models that take one instead of `resolution`, for example `1280x720`. """
    fps: int | Unset = UNSET
    """ Frames per second. """
    negative_prompt: str | Unset = UNSET
    """ What to avoid in the video. """
    seed: int | Unset = UNSET
    """ Random seed for reproducible generation (64-bit). """
    cfg_scale: float | Unset = UNSET
    """ Classifier-free guidance scale (0–20 on the pages; the service's own openapi.json allows 0–30). """
    motion_strength: float | Unset = UNSET
    """ Motion intensity (0–1 on the pages; the service's own openapi.json allows 0–100). """
    output_audio: bool | Unset = UNSET
    """ Whether the video has an audio track. The camelCase alias `outputAudio` is also accepted. The Veo 3 family
    defaults to audio on. """
    watermark: bool | Unset = UNSET
    """ Whether the provider adds its watermark, for models that offer the choice. """
    effect_type: str | Unset = UNSET
    """ The named effect, for effect models. """
    user: str | Unset = UNSET
    """ A unique identifier for the end user. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        prompt = self.prompt

        operation: str | Unset = UNSET
        if not isinstance(self.operation, Unset):
            operation = self.operation.value

        image_url = self.image_url

        image = self.image

        start_image = self.start_image

        end_image = self.end_image

        reference_images: list[str] | Unset = UNSET
        if not isinstance(self.reference_images, Unset):
            reference_images = self.reference_images

        reference_image_type: str | Unset = UNSET
        if not isinstance(self.reference_image_type, Unset):
            reference_image_type = self.reference_image_type.value

        video_url = self.video_url

        video_urls: list[str] | Unset = UNSET
        if not isinstance(self.video_urls, Unset):
            video_urls = self.video_urls

        audio_url = self.audio_url

        audio_urls: list[str] | Unset = UNSET
        if not isinstance(self.audio_urls, Unset):
            audio_urls = self.audio_urls

        task_id = self.task_id

        extend_at = self.extend_at

        extend_times = self.extend_times

        duration = self.duration

        aspect_ratio = self.aspect_ratio

        resolution = self.resolution

        size = self.size

        fps = self.fps

        negative_prompt = self.negative_prompt

        seed = self.seed

        cfg_scale = self.cfg_scale

        motion_strength = self.motion_strength

        output_audio = self.output_audio

        watermark = self.watermark

        effect_type = self.effect_type

        user = self.user

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if operation is not UNSET:
            field_dict["operation"] = operation
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if image is not UNSET:
            field_dict["image"] = image
        if start_image is not UNSET:
            field_dict["start_image"] = start_image
        if end_image is not UNSET:
            field_dict["end_image"] = end_image
        if reference_images is not UNSET:
            field_dict["reference_images"] = reference_images
        if reference_image_type is not UNSET:
            field_dict["reference_image_type"] = reference_image_type
        if video_url is not UNSET:
            field_dict["video_url"] = video_url
        if video_urls is not UNSET:
            field_dict["video_urls"] = video_urls
        if audio_url is not UNSET:
            field_dict["audio_url"] = audio_url
        if audio_urls is not UNSET:
            field_dict["audio_urls"] = audio_urls
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if extend_at is not UNSET:
            field_dict["extend_at"] = extend_at
        if extend_times is not UNSET:
            field_dict["extend_times"] = extend_times
        if duration is not UNSET:
            field_dict["duration"] = duration
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if size is not UNSET:
            field_dict["size"] = size
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
        if output_audio is not UNSET:
            field_dict["output_audio"] = output_audio
        if watermark is not UNSET:
            field_dict["watermark"] = watermark
        if effect_type is not UNSET:
            field_dict["effect_type"] = effect_type
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model", UNSET)

        prompt = d.pop("prompt", UNSET)

        _operation = d.pop("operation", UNSET)
        operation: VideoOperation | Unset
        if isinstance(_operation, Unset):
            operation = UNSET
        else:
            operation = VideoOperation(_operation)

        image_url = d.pop("image_url", UNSET)

        image = d.pop("image", UNSET)

        start_image = d.pop("start_image", UNSET)

        end_image = d.pop("end_image", UNSET)

        reference_images = cast(list[str], d.pop("reference_images", UNSET))

        _reference_image_type = d.pop("reference_image_type", UNSET)
        reference_image_type: ReferenceImageType | Unset
        if isinstance(_reference_image_type, Unset):
            reference_image_type = UNSET
        else:
            reference_image_type = ReferenceImageType(_reference_image_type)

        video_url = d.pop("video_url", UNSET)

        video_urls = cast(list[str], d.pop("video_urls", UNSET))

        audio_url = d.pop("audio_url", UNSET)

        audio_urls = cast(list[str], d.pop("audio_urls", UNSET))

        task_id = d.pop("task_id", UNSET)

        extend_at = d.pop("extend_at", UNSET)

        extend_times = d.pop("extend_times", UNSET)

        duration = d.pop("duration", UNSET)

        aspect_ratio = d.pop("aspect_ratio", UNSET)

        resolution = d.pop("resolution", UNSET)

        size = d.pop("size", UNSET)

        fps = d.pop("fps", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        seed = d.pop("seed", UNSET)

        cfg_scale = d.pop("cfg_scale", UNSET)

        motion_strength = d.pop("motion_strength", UNSET)

        output_audio = d.pop("output_audio", UNSET)

        watermark = d.pop("watermark", UNSET)

        effect_type = d.pop("effect_type", UNSET)

        user = d.pop("user", UNSET)

        video_generation_request = cls(
            model=model,
            prompt=prompt,
            operation=operation,
            image_url=image_url,
            image=image,
            start_image=start_image,
            end_image=end_image,
            reference_images=reference_images,
            reference_image_type=reference_image_type,
            video_url=video_url,
            video_urls=video_urls,
            audio_url=audio_url,
            audio_urls=audio_urls,
            task_id=task_id,
            extend_at=extend_at,
            extend_times=extend_times,
            duration=duration,
            aspect_ratio=aspect_ratio,
            resolution=resolution,
            size=size,
            fps=fps,
            negative_prompt=negative_prompt,
            seed=seed,
            cfg_scale=cfg_scale,
            motion_strength=motion_strength,
            output_audio=output_audio,
            watermark=watermark,
            effect_type=effect_type,
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
