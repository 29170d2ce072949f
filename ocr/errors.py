"""The OCR stage's errors: the shared hierarchy (`schema.errors`) and the input kinds it reports.

Messages are meant for the one-line report a user sees.
"""

from schema.errors import (
    CchcError,
    EngineCrash,
    EngineError,
    EngineTimeout,
    InputError,
    LimitError,
    SetupError,
)

__all__ = [
    "CchcError",
    "CorruptPDFError",
    "EmptyDocumentError",
    "EncryptedPDFError",
    "EngineCrash",
    "EngineError",
    "EngineTimeout",
    "InputError",
    "LimitError",
    "SetupError",
    "UnreadableFileError",
]


class CorruptPDFError(InputError):
    pass


class EncryptedPDFError(InputError):
    pass


class EmptyDocumentError(InputError):
    pass


class UnreadableFileError(InputError):
    pass
