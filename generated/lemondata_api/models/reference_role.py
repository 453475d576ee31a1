from enum import StrEnum


class ReferenceRole(StrEnum):
    ASSET = "asset"
    STYLE = "style"

    def __str__(self) -> str:
        return str(self.value)
