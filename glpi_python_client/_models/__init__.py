"""Pydantic models of the GLPI HL API v2 resources (Get/Post/Patch/Delete per resource).

Each name is imported from its module on first use (PEP 562), so an operation loads the models it names
(``from .._models import GetTicket`` brings ``ticket`` and what it builds on), not all of them; type
checkers read the ``TYPE_CHECKING`` imports, which name the same things as ``_EXPORTS`` (a test checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._deferred import LazyExports

if TYPE_CHECKING:
    from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdName, IdNameRef, Ref
    from .computer import DeleteComputer, GetComputer, PatchComputer, PostComputer
    from .contract import (
        DeleteContract,
        DeleteContractCost,
        DeleteContractItem,
        DeleteContractType,
        GetContract,
        GetContractCost,
        GetContractItem,
        GetContractType,
        PatchContract,
        PatchContractCost,
        PatchContractItem,
        PatchContractType,
        PostContract,
        PostContractCost,
        PostContractItem,
        PostContractType,
    )
    from .document import DeleteDocument, FollowupDocuments, GetDocument, GetDocumentItem, PatchDocument, PostDocument
    from .entity import DeleteEntity, GetEntity, PatchEntity, PostEntity
    from .knowledgebase import (
        DeleteKBArticle,
        DeleteKBArticleComment,
        DeleteKBCategory,
        GetKBArticle,
        GetKBArticleComment,
        GetKBArticleRevision,
        GetKBCategory,
        KBArticleRevisionRef,
        KBArticleTranslationRef,
        PatchKBArticle,
        PatchKBArticleComment,
        PatchKBCategory,
        PostKBArticle,
        PostKBArticleComment,
        PostKBCategory,
    )
    from .location import DeleteLocation, GetLocation, PatchLocation, PostLocation
    from .plugin_fields import (
        GetPluginFieldsContainer,
        GetPluginFieldsField,
        GetPluginFieldsValueRow,
        GlpiPluginFieldsContainer,
        GlpiPluginFieldsField,
        PostPluginFieldsValueRow,
    )
    from .team import TEAM_MEMBER_ROLES, DeleteTeamMember, GetTeamMember, PatchTeamMember, PostTeamMember
    from .ticket import DeleteTicket, GetTicket, PatchTicket, PostTicket
    from .timeline import (
        DeleteFollowup,
        DeleteSolution,
        DeleteTicketTask,
        DeleteTimelineDocument,
        GetFollowup,
        GetSolution,
        GetTicketTask,
        GetTimelineDocument,
        PatchFollowup,
        PatchSolution,
        PatchTicketTask,
        PatchTimelineDocument,
        PostFollowup,
        PostSolution,
        PostTicketTask,
        PostTimelineDocument,
    )
    from .user import DeleteUser, GetUser, PatchUser, PostUser, UserEmail

__all__ = [
    "TEAM_MEMBER_ROLES",
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
    "DeleteModel",
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
    "GlpiDateTime",
    "GlpiModel",
    "GlpiPluginFieldsContainer",
    "GlpiPluginFieldsField",
    "IdName",
    "IdNameRef",
    "KBArticleRevisionRef",
    "KBArticleTranslationRef",
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
    "Ref",
    "UserEmail",
]

#: Where each name is defined (module -> space-separated names), read by :func:`__getattr__`.
_EXPORTS: dict[str, str] = {
    "._base": "DeleteModel GlpiDateTime GlpiModel IdName IdNameRef Ref",
    ".computer": "DeleteComputer GetComputer PatchComputer PostComputer",
    ".contract": (
        "DeleteContract DeleteContractCost DeleteContractItem DeleteContractType GetContract GetContractCost "
        "GetContractItem GetContractType PatchContract PatchContractCost PatchContractItem PatchContractType "
        "PostContract PostContractCost PostContractItem PostContractType"
    ),
    ".document": "DeleteDocument FollowupDocuments GetDocument GetDocumentItem PatchDocument PostDocument",
    ".entity": "DeleteEntity GetEntity PatchEntity PostEntity",
    ".knowledgebase": (
        "DeleteKBArticle DeleteKBArticleComment DeleteKBCategory GetKBArticle GetKBArticleComment "
        "GetKBArticleRevision GetKBCategory KBArticleRevisionRef KBArticleTranslationRef PatchKBArticle "
        "PatchKBArticleComment PatchKBCategory PostKBArticle PostKBArticleComment PostKBCategory"
    ),
    ".location": "DeleteLocation GetLocation PatchLocation PostLocation",
    ".plugin_fields": (
        "GetPluginFieldsContainer GetPluginFieldsField GetPluginFieldsValueRow GlpiPluginFieldsContainer "
        "GlpiPluginFieldsField PostPluginFieldsValueRow"
    ),
    ".team": "TEAM_MEMBER_ROLES DeleteTeamMember GetTeamMember PatchTeamMember PostTeamMember",
    ".ticket": "DeleteTicket GetTicket PatchTicket PostTicket",
    ".timeline": (
        "DeleteFollowup DeleteSolution DeleteTicketTask DeleteTimelineDocument GetFollowup GetSolution GetTicketTask "
        "GetTimelineDocument PatchFollowup PatchSolution PatchTicketTask PatchTimelineDocument PostFollowup "
        "PostSolution PostTicketTask PostTimelineDocument"
    ),
    ".user": "DeleteUser GetUser PatchUser PostUser UserEmail",
}
_LAZY = LazyExports(__name__, globals(), _EXPORTS)


def __getattr__(name: str) -> Any:
    return _LAZY.get(name)


def __dir__() -> list[str]:
    return _LAZY.dir()
