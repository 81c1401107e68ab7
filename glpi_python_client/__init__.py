"""glpi_python_client: the Python SDK for GLPI 11's High-Level REST API (v2).

``GlpiClient`` and ``AsyncGlpiClient`` expose the same methods; models, enums and errors are
re-exported here. The generated low-level SDK is the separate ``glpi_api_v2`` package (reach it
through ``client.api``).

Every name is imported the first time it is asked for (PEP 562 ``__getattr__``), so ``import
glpi_python_client`` loads almost nothing, ``GlpiClient`` loads the clients without the models or
pydantic, and the models come with the first operation that returns them. ``from glpi_python_client
import X``, ``dir()``, ``help()`` and type checkers (which read the ``TYPE_CHECKING`` imports) see
every name as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._deferred import LazyExports

if TYPE_CHECKING:
    from ._clients import AsyncGlpiClient, GlpiClient
    from ._context import GlpiTicketContext, TicketMarkdownOptions
    from ._enums import (
        GlpiContractRenewalType,
        GlpiEnum,
        GlpiGlobalValidation,
        GlpiPriority,
        GlpiSolutionStatus,
        GlpiTaskState,
        GlpiTicketStatus,
        GlpiTicketType,
        GlpiTimelinePosition,
        GlpiUserAuthType,
    )
    from ._errors import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientClosedError,
        ConfigurationError,
        ConflictError,
        GlpiError,
        IncidentKeyError,
        InternalServerError,
        InvalidArgumentError,
        NotAGlpiApiError,
        NotATeamMemberError,
        NotFoundError,
        PermissionDeniedError,
        PluginFieldsError,
        RateLimitError,
        RichTextError,
        UnauthorizedError,
        UnknownResourceError,
        V1Error,
        WriteValidationError,
    )
    from ._models import (
        DeleteComputer,
        DeleteContract,
        DeleteContractCost,
        DeleteContractItem,
        DeleteContractType,
        DeleteDocument,
        DeleteEntity,
        DeleteFollowup,
        DeleteKBArticle,
        DeleteKBArticleComment,
        DeleteKBCategory,
        DeleteLocation,
        DeleteSolution,
        DeleteTeamMember,
        DeleteTicket,
        DeleteTicketTask,
        DeleteTimelineDocument,
        DeleteUser,
        FollowupDocuments,
        GetComputer,
        GetContract,
        GetContractCost,
        GetContractItem,
        GetContractType,
        GetDocument,
        GetDocumentItem,
        GetEntity,
        GetFollowup,
        GetKBArticle,
        GetKBArticleComment,
        GetKBArticleRevision,
        GetKBCategory,
        GetLocation,
        GetPluginFieldsContainer,
        GetPluginFieldsField,
        GetPluginFieldsValueRow,
        GetSolution,
        GetTeamMember,
        GetTicket,
        GetTicketTask,
        GetTimelineDocument,
        GetUser,
        GlpiModel,
        GlpiPluginFieldsContainer,
        GlpiPluginFieldsField,
        IdName,
        KBArticleRevisionRef,
        KBArticleTranslationRef,
        PatchComputer,
        PatchContract,
        PatchContractCost,
        PatchContractItem,
        PatchContractType,
        PatchDocument,
        PatchEntity,
        PatchFollowup,
        PatchKBArticle,
        PatchKBArticleComment,
        PatchKBCategory,
        PatchLocation,
        PatchSolution,
        PatchTeamMember,
        PatchTicket,
        PatchTicketTask,
        PatchTimelineDocument,
        PatchUser,
        PostComputer,
        PostContract,
        PostContractCost,
        PostContractItem,
        PostContractType,
        PostDocument,
        PostEntity,
        PostFollowup,
        PostKBArticle,
        PostKBArticleComment,
        PostKBCategory,
        PostLocation,
        PostPluginFieldsValueRow,
        PostSolution,
        PostTeamMember,
        PostTicket,
        PostTicketTask,
        PostTimelineDocument,
        PostUser,
    )
    from ._models.refs import IdNameCompletenameRef, IdNameRef, IdRef
    from ._operations.crud import SearchPage
    from ._operations.incidents import IncidentResult
    from ._peer_names import (
        GlpiContentError,
        GlpiNotFoundError,
        GlpiProtocolError,
        GlpiServerError,
        GlpiStatusError,
        GlpiTimeoutError,
        GlpiTransportError,
    )

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncGlpiClient",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "DeleteComputer",
    "DeleteContract",
    "DeleteContractCost",
    "DeleteContractItem",
    "DeleteContractType",
    "DeleteDocument",
    "DeleteEntity",
    "DeleteFollowup",
    "DeleteKBArticle",
    "DeleteKBArticleComment",
    "DeleteKBCategory",
    "DeleteLocation",
    "DeleteSolution",
    "DeleteTeamMember",
    "DeleteTicket",
    "DeleteTicketTask",
    "DeleteTimelineDocument",
    "DeleteUser",
    "FollowupDocuments",
    "GetComputer",
    "GetContract",
    "GetContractCost",
    "GetContractItem",
    "GetContractType",
    "GetDocument",
    "GetDocumentItem",
    "GetEntity",
    "GetFollowup",
    "GetKBArticle",
    "GetKBArticleComment",
    "GetKBArticleRevision",
    "GetKBCategory",
    "GetLocation",
    "GetPluginFieldsContainer",
    "GetPluginFieldsField",
    "GetPluginFieldsValueRow",
    "GetSolution",
    "GetTeamMember",
    "GetTicket",
    "GetTicketTask",
    "GetTimelineDocument",
    "GetUser",
    "GlpiClient",
    "GlpiContentError",
    "GlpiContractRenewalType",
    "GlpiEnum",
    "GlpiError",
    "GlpiGlobalValidation",
    "GlpiModel",
    "GlpiNotFoundError",
    "GlpiPluginFieldsContainer",
    "GlpiPluginFieldsField",
    "GlpiPriority",
    "GlpiProtocolError",
    "GlpiServerError",
    "GlpiSolutionStatus",
    "GlpiStatusError",
    "GlpiTaskState",
    "GlpiTicketContext",
    "GlpiTicketStatus",
    "GlpiTicketType",
    "GlpiTimelinePosition",
    "GlpiTimeoutError",
    "GlpiTransportError",
    "GlpiUserAuthType",
    "IdName",
    "IdNameCompletenameRef",
    "IdNameRef",
    "IdRef",
    "IncidentKeyError",
    "IncidentResult",
    "InternalServerError",
    "InvalidArgumentError",
    "KBArticleRevisionRef",
    "KBArticleTranslationRef",
    "NotAGlpiApiError",
    "NotATeamMemberError",
    "NotFoundError",
    "PatchComputer",
    "PatchContract",
    "PatchContractCost",
    "PatchContractItem",
    "PatchContractType",
    "PatchDocument",
    "PatchEntity",
    "PatchFollowup",
    "PatchKBArticle",
    "PatchKBArticleComment",
    "PatchKBCategory",
    "PatchLocation",
    "PatchSolution",
    "PatchTeamMember",
    "PatchTicket",
    "PatchTicketTask",
    "PatchTimelineDocument",
    "PatchUser",
    "PermissionDeniedError",
    "PluginFieldsError",
    "PostComputer",
    "PostContract",
    "PostContractCost",
    "PostContractItem",
    "PostContractType",
    "PostDocument",
    "PostEntity",
    "PostFollowup",
    "PostKBArticle",
    "PostKBArticleComment",
    "PostKBCategory",
    "PostLocation",
    "PostPluginFieldsValueRow",
    "PostSolution",
    "PostTeamMember",
    "PostTicket",
    "PostTicketTask",
    "PostTimelineDocument",
    "PostUser",
    "RateLimitError",
    "RichTextError",
    "SearchPage",
    "TicketMarkdownOptions",
    "UnauthorizedError",
    "UnknownResourceError",
    "V1Error",
    "WriteValidationError",
]

#: Where each exported name is defined (relative module -> space-separated names), read by :func:`__getattr__`.
#: The same table as the ``TYPE_CHECKING`` imports above (a test checks that they agree).
_EXPORTS: dict[str, str] = {
    "._clients": "AsyncGlpiClient GlpiClient",
    "._context": "GlpiTicketContext TicketMarkdownOptions",
    "._enums": (
        "GlpiContractRenewalType GlpiEnum GlpiGlobalValidation GlpiPriority GlpiSolutionStatus GlpiTaskState "
        "GlpiTicketStatus GlpiTicketType GlpiTimelinePosition GlpiUserAuthType"
    ),
    "._errors": (
        "APIConnectionError APIError APIResponseValidationError APIStatusError APITimeoutError AuthenticationError "
        "BadRequestError ClientClosedError ConfigurationError ConflictError GlpiError IncidentKeyError "
        "InternalServerError InvalidArgumentError NotAGlpiApiError NotATeamMemberError NotFoundError "
        "PermissionDeniedError PluginFieldsError RateLimitError RichTextError UnauthorizedError UnknownResourceError "
        "V1Error WriteValidationError"
    ),
    "._models": (
        "DeleteComputer DeleteContract DeleteContractCost DeleteContractItem DeleteContractType DeleteDocument "
        "DeleteEntity DeleteFollowup DeleteKBArticle DeleteKBArticleComment DeleteKBCategory DeleteLocation "
        "DeleteSolution DeleteTeamMember DeleteTicket DeleteTicketTask DeleteTimelineDocument DeleteUser "
        "FollowupDocuments GetComputer GetContract GetContractCost GetContractItem GetContractType GetDocument "
        "GetDocumentItem GetEntity GetFollowup GetKBArticle GetKBArticleComment GetKBArticleRevision GetKBCategory "
        "GetLocation GetPluginFieldsContainer GetPluginFieldsField GetPluginFieldsValueRow GetSolution GetTeamMember "
        "GetTicket GetTicketTask GetTimelineDocument GetUser GlpiModel GlpiPluginFieldsContainer "
        "GlpiPluginFieldsField IdName KBArticleRevisionRef KBArticleTranslationRef PatchComputer PatchContract "
        "PatchContractCost PatchContractItem PatchContractType PatchDocument PatchEntity PatchFollowup PatchKBArticle "
        "PatchKBArticleComment PatchKBCategory PatchLocation PatchSolution PatchTeamMember PatchTicket "
        "PatchTicketTask PatchTimelineDocument PatchUser PostComputer PostContract PostContractCost PostContractItem "
        "PostContractType PostDocument PostEntity PostFollowup PostKBArticle PostKBArticleComment PostKBCategory "
        "PostLocation PostPluginFieldsValueRow PostSolution PostTeamMember PostTicket PostTicketTask "
        "PostTimelineDocument PostUser"
    ),
    "._models.refs": "IdNameCompletenameRef IdNameRef IdRef",
    "._operations.crud": "SearchPage",
    "._operations.incidents": "IncidentResult",
    "._peer_names": (
        "GlpiContentError GlpiNotFoundError GlpiProtocolError GlpiServerError GlpiStatusError GlpiTimeoutError "
        "GlpiTransportError"
    ),
}
_LAZY = LazyExports(__name__, globals(), _EXPORTS)
#: The public submodules, attributes of the package once imported (``glpi_python_client.rsql.eq`` after a plain
#: ``import glpi_python_client``, as when the package imported them eagerly); the CLI and alerts need extras.
_SUBMODULES = frozenset({"itemtypes", "richtext", "rsql", "testing", "webhooks"})


def __getattr__(name: str) -> Any:
    """Import an exported name (or public submodule) on first use and keep it: later lookups are plain reads."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    return _LAZY.get(name)


def __dir__() -> list[str]:
    return sorted({*_LAZY.dir(), *_SUBMODULES})
