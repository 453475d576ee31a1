from enum import StrEnum


class ReferenceImageType(StrEnum):
    ASSET = "asset"
    STYLE = "style"

    def __str__(self) -> str:
        return str(self.value)
