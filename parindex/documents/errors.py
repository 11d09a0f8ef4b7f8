"""Why a document cannot be made, in words a person can act on."""


class DocumentError(Exception):
    """The document cannot be generated (not ready, unknown, a broken template, no
    converter); the message is Vietnamese and names what to do."""
