"""Contains all the data models used in inputs/outputs"""

from .error_body import ErrorBody
from .error_response import ErrorResponse
from .error_suggestion import ErrorSuggestion
from .image_result import ImageResult
from .model import Model
from .model_details import ModelDetails
from .model_details_capability_flags import ModelDetailsCapabilityFlags
from .model_list import ModelList
from .reference_role import ReferenceRole
from .video import Video
from .video_generation_created import VideoGenerationCreated
from .video_generation_request import VideoGenerationRequest
from .video_operation import VideoOperation
from .video_task import VideoTask
from .video_task_error_type_1 import VideoTaskErrorType1

__all__ = (
    "ErrorBody",
    "ErrorResponse",
    "ErrorSuggestion",
    "ImageResult",
    "Model",
    "ModelDetails",
    "ModelDetailsCapabilityFlags",
    "ModelList",
    "ReferenceRole",
    "Video",
    "VideoGenerationCreated",
    "VideoGenerationRequest",
    "VideoOperation",
    "VideoTask",
    "VideoTaskErrorType1",
)
