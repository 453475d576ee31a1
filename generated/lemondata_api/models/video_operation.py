from enum import StrEnum


class VideoOperation(StrEnum):
    AUDIO_TO_VIDEO = "audio-to-video"
    IMAGE_TO_VIDEO = "image-to-video"
    MOTION_CONTROL = "motion-control"
    REFERENCE_TO_VIDEO = "reference-to-video"
    START_END_TO_VIDEO = "start-end-to-video"
    TEXT_TO_VIDEO = "text-to-video"
    VIDEO_EXTENSION = "video-extension"
    VIDEO_TO_VIDEO = "video-to-video"

    def __str__(self) -> str:
        return str(self.value)
