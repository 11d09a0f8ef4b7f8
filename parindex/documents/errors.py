"""Why a document cannot be made, in words a person can act on."""

from parindex.jobs.errors import TransientError


class DocumentError(Exception):
    """The document cannot be generated (not ready, unknown, a broken template, no
    converter); the message is Vietnamese and names what to do."""


class ConversionTimeout(DocumentError, TransientError):
    """LibreOffice did not finish in time (a busy machine): the worker tries again later."""
