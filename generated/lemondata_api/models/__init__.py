"""Contains all the data models used in inputs/outputs"""

from .error_alternative import ErrorAlternative
from .error_body import ErrorBody
from .error_response import ErrorResponse
from .error_suggestion import ErrorSuggestion
from .image_result import ImageResult
from .model import Model
from .model_details import ModelDetails
from .model_details_agent_preferences_type_0 import ModelDetailsAgentPreferencesType0
from .model_details_capability_flags_type_0 import ModelDetailsCapabilityFlagsType0
from .model_details_pricing_provenance_type_0 import ModelDetailsPricingProvenanceType0
from .model_details_public_contract_type_0 import ModelDetailsPublicContractType0
from .model_list import ModelList
from .model_pricing import ModelPricing
from .pricing import Pricing
from .pricing_entry import PricingEntry
from .pricing_list import PricingList
from .public_contract_summary import PublicContractSummary
from .reference_image_type import ReferenceImageType
from .task_error import TaskError
from .validation_error import ValidationError
from .video import Video
from .video_generation_created import VideoGenerationCreated
from .video_generation_request import VideoGenerationRequest
from .video_operation import VideoOperation
from .video_task import VideoTask

__all__ = (
    "ErrorAlternative",
    "ErrorBody",
    "ErrorResponse",
    "ErrorSuggestion",
    "ImageResult",
    "Model",
    "ModelDetails",
    "ModelDetailsAgentPreferencesType0",
    "ModelDetailsCapabilityFlagsType0",
    "ModelDetailsPricingProvenanceType0",
    "ModelDetailsPublicContractType0",
    "ModelList",
    "ModelPricing",
    "Pricing",
    "PricingEntry",
    "PricingList",
    "PublicContractSummary",
    "ReferenceImageType",
    "TaskError",
    "ValidationError",
    "Video",
    "VideoGenerationCreated",
    "VideoGenerationRequest",
    "VideoOperation",
    "VideoTask",
)
