"""The peer glpi-python-client 0.6.5's names for our errors, so its ``except`` clauses keep catching.

Each name is the class of ours that is raised for the same failure (not a copy): ``except GlpiNotFoundError``
catches our :class:`NotFoundError`. Two peer names have no single counterpart and are not provided:
``GlpiAuthError`` (here a 401 is :class:`UnauthorizedError`, a 403 :class:`PermissionDeniedError`, a refused
grant :class:`AuthenticationError`) and ``GlpiValidationError`` (here bad arguments raise
:class:`InvalidArgumentError`, bad settings :class:`ConfigurationError`).
"""

from __future__ import annotations

from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RichTextError,
)

__all__ = [
    "GlpiContentError",
    "GlpiNotFoundError",
    "GlpiProtocolError",
    "GlpiServerError",
    "GlpiStatusError",
    "GlpiTimeoutError",
    "GlpiTransportError",
]

#: The request never got an answer (connection refused, reset, DNS...).
GlpiTransportError = APIConnectionError
#: The request timed out.
GlpiTimeoutError = APITimeoutError
#: GLPI answered an error status.
GlpiStatusError = APIStatusError
#: GLPI answered 404.
GlpiNotFoundError = NotFoundError
#: GLPI answered 5xx.
GlpiServerError = InternalServerError
#: GLPI's answer is not what its API promises (not JSON, no id...).
GlpiProtocolError = APIResponseValidationError
#: A rich-text body could not be converted.
GlpiContentError = RichTextError
