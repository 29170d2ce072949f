"""Input errors with messages meant for the one-line report a user sees."""


class InputError(Exception):
    """The input cannot be read as a document; str(exc) is shown to the user."""


class CorruptPDFError(InputError):
    pass


class EncryptedPDFError(InputError):
    pass


class EmptyDocumentError(InputError):
    pass


class UnreadableFileError(InputError):
    pass
