from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_details_agent_preferences_type_0 import (
        ModelDetailsAgentPreferencesType0,
    )
    from ..models.model_details_capability_flags_type_0 import (
        ModelDetailsCapabilityFlagsType0,
    )
    from ..models.model_details_pricing_provenance_type_0 import (
        ModelDetailsPricingProvenanceType0,
    )
    from ..models.model_details_public_contract_type_0 import (
        ModelDetailsPublicContractType0,
    )
    from ..models.public_contract_summary import PublicContractSummary


T = TypeVar("T", bound="ModelDetails")


@_attrs_define
class ModelDetails:
    """LemonData's public metadata of a model; the detail route adds `public_contract` and scene-level `agent_preferences`."""

    category: None | str | Unset = UNSET
    """ For example `video` or `chat`. """
    pricing_unit: None | str | Unset = UNSET
    """ `per_token`, `per_image`, `per_second`, `per_request`, or null. """
    capability_flags: ModelDetailsCapabilityFlagsType0 | None | Unset = UNSET
    """ Named capability switches. """
    supported_operations: list[str] | None | Unset = UNSET
    """ The operations the model accepts (open strings; see `VideoOperation`). """
    pricing_provenance: ModelDetailsPricingProvenanceType0 | None | Unset = UNSET
    """ Where the prices come from. """
    public_contract_summary: None | PublicContractSummary | Unset = UNSET
    """ The public operations and the endpoint to send them to. """
    public_contract: ModelDetailsPublicContractType0 | None | Unset = UNSET
    """ The full per-model public contract (detail route). """
    agent_preferences: ModelDetailsAgentPreferencesType0 | None | Unset = UNSET
    """ Recommendation data; on the detail route one object per scene (`preferred_rank`, `success_rate_24h`,
    `sample_count_24h`, `status`, `updated_at`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_details_agent_preferences_type_0 import (
            ModelDetailsAgentPreferencesType0,  # noqa: PLC0415
        )
        from ..models.model_details_capability_flags_type_0 import (
            ModelDetailsCapabilityFlagsType0,  # noqa: PLC0415
        )
        from ..models.model_details_pricing_provenance_type_0 import (
            ModelDetailsPricingProvenanceType0,  # noqa: PLC0415
        )
        from ..models.model_details_public_contract_type_0 import (
            ModelDetailsPublicContractType0,  # noqa: PLC0415
        )
        from ..models.public_contract_summary import PublicContractSummary  # noqa: PLC0415

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        pricing_unit: None | str | Unset
        if isinstance(self.pricing_unit, Unset):
            pricing_unit = UNSET
        else:
            pricing_unit = self.pricing_unit

        capability_flags: dict[str, Any] | None | Unset
        if isinstance(self.capability_flags, Unset):
            capability_flags = UNSET
        elif isinstance(self.capability_flags, ModelDetailsCapabilityFlagsType0):
            capability_flags = self.capability_flags.to_dict()
        else:
            capability_flags = self.capability_flags

        supported_operations: list[str] | None | Unset
        if isinstance(self.supported_operations, Unset):
            supported_operations = UNSET
        elif isinstance(self.supported_operations, list):
            supported_operations = self.supported_operations

        else:
            supported_operations = self.supported_operations

        pricing_provenance: dict[str, Any] | None | Unset
        if isinstance(self.pricing_provenance, Unset):
            pricing_provenance = UNSET
        elif isinstance(self.pricing_provenance, ModelDetailsPricingProvenanceType0):
            pricing_provenance = self.pricing_provenance.to_dict()
        else:
            pricing_provenance = self.pricing_provenance

        public_contract_summary: dict[str, Any] | None | Unset
        if isinstance(self.public_contract_summary, Unset):
            public_contract_summary = UNSET
        elif isinstance(self.public_contract_summary, PublicContractSummary):
            public_contract_summary = self.public_contract_summary.to_dict()
        else:
            public_contract_summary = self.public_contract_summary

        public_contract: dict[str, Any] | None | Unset
        if isinstance(self.public_contract, Unset):
            public_contract = UNSET
        elif isinstance(self.public_contract, ModelDetailsPublicContractType0):
            public_contract = self.public_contract.to_dict()
        else:
            public_contract = self.public_contract

        agent_preferences: dict[str, Any] | None | Unset
        if isinstance(self.agent_preferences, Unset):
            agent_preferences = UNSET
        elif isinstance(self.agent_preferences, ModelDetailsAgentPreferencesType0):
            agent_preferences = self.agent_preferences.to_dict()
        else:
            agent_preferences = self.agent_preferences

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if category is not UNSET:
            field_dict["category"] = category
        if pricing_unit is not UNSET:
            field_dict["pricing_unit"] = pricing_unit
        if capability_flags is not UNSET:
            field_dict["capability_flags"] = capability_flags
        if supported_operations is not UNSET:
            field_dict["supported_operations"] = supported_operations
        if pricing_provenance is not UNSET:
            field_dict["pricing_provenance"] = pricing_provenance
        if public_contract_summary is not UNSET:
            field_dict["public_contract_summary"] = public_contract_summary
        if public_contract is not UNSET:
            field_dict["public_contract"] = public_contract
        if agent_preferences is not UNSET:
            field_dict["agent_preferences"] = agent_preferences

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_details_agent_preferences_type_0 import (
            ModelDetailsAgentPreferencesType0,  # noqa: PLC0415
        )
        from ..models.model_details_capability_flags_type_0 import (
            ModelDetailsCapabilityFlagsType0,  # noqa: PLC0415
        )
        from ..models.model_details_pricing_provenance_type_0 import (
            ModelDetailsPricingProvenanceType0,  # noqa: PLC0415
        )
        from ..models.model_details_public_contract_type_0 import (
            ModelDetailsPublicContractType0,  # noqa: PLC0415
        )
        from ..models.public_contract_summary import PublicContractSummary  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_pricing_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pricing_unit = _parse_pricing_unit(d.pop("pricing_unit", UNSET))

        def _parse_capability_flags(
            data: object,
        ) -> ModelDetailsCapabilityFlagsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                capability_flags_type_0 = ModelDetailsCapabilityFlagsType0.from_dict(
                    data
                )

                return capability_flags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsCapabilityFlagsType0 | None | Unset, data)

        capability_flags = _parse_capability_flags(d.pop("capability_flags", UNSET))

        def _parse_supported_operations(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                supported_operations_type_0 = cast(list[str], data)

                return supported_operations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        supported_operations = _parse_supported_operations(
            d.pop("supported_operations", UNSET)
        )

        def _parse_pricing_provenance(
            data: object,
        ) -> ModelDetailsPricingProvenanceType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pricing_provenance_type_0 = (
                    ModelDetailsPricingProvenanceType0.from_dict(data)
                )

                return pricing_provenance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsPricingProvenanceType0 | None | Unset, data)

        pricing_provenance = _parse_pricing_provenance(
            d.pop("pricing_provenance", UNSET)
        )

        def _parse_public_contract_summary(
            data: object,
        ) -> None | PublicContractSummary | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                public_contract_summary_type_0 = PublicContractSummary.from_dict(data)

                return public_contract_summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PublicContractSummary | Unset, data)

        public_contract_summary = _parse_public_contract_summary(
            d.pop("public_contract_summary", UNSET)
        )

        def _parse_public_contract(
            data: object,
        ) -> ModelDetailsPublicContractType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                public_contract_type_0 = ModelDetailsPublicContractType0.from_dict(data)

                return public_contract_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsPublicContractType0 | None | Unset, data)

        public_contract = _parse_public_contract(d.pop("public_contract", UNSET))

        def _parse_agent_preferences(
            data: object,
        ) -> ModelDetailsAgentPreferencesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agent_preferences_type_0 = ModelDetailsAgentPreferencesType0.from_dict(
                    data
                )

                return agent_preferences_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsAgentPreferencesType0 | None | Unset, data)

        agent_preferences = _parse_agent_preferences(d.pop("agent_preferences", UNSET))

        model_details = cls(
            category=category,
            pricing_unit=pricing_unit,
            capability_flags=capability_flags,
            supported_operations=supported_operations,
            pricing_provenance=pricing_provenance,
            public_contract_summary=public_contract_summary,
            public_contract=public_contract,
            agent_preferences=agent_preferences,
        )

        model_details.additional_properties = d
        return model_details

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
