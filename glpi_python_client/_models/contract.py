"""Contract models: contracts (``/Management/Contract``), their types, cost lines and item links.

GLPI 11.0.6's v2.2 document declares only the contract collection and a short Contract schema; the
other fields here (``number``, ``date_begin``, ``duration``...) and the ContractType / ContractCost /
Contract_Item models follow the peer ``glpi-python-client`` 0.6.5 and newer GLPI versions. Reads keep
whatever the server sends; writes send only what you set.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref
from .peer_fields import ServerStamps

__all__ = [
    "DeleteContract",
    "DeleteContractCost",
    "DeleteContractItem",
    "DeleteContractType",
    "GetContract",
    "GetContractCost",
    "GetContractItem",
    "GetContractType",
    "PatchContract",
    "PatchContractCost",
    "PatchContractItem",
    "PatchContractType",
    "PostContract",
    "PostContractCost",
    "PostContractItem",
    "PostContractType",
]


class _ContractFields(GlpiModel):
    name: str | None = None
    comment: str | None = None
    number: str | None = None
    accounting_number: str | None = None
    date_begin: date | None = None
    #: In months, like the notice, renewal and invoice periods.
    duration: int | None = None
    notice_period: int | None = None
    renewal_period: int | None = None
    invoice_period: int | None = None
    week_begin_hour: str | None = None
    week_end_hour: str | None = None
    saturday_begin_hour: str | None = None
    saturday_end_hour: str | None = None
    sunday_begin_hour: str | None = None
    sunday_end_hour: str | None = None
    use_saturday: bool | None = None
    use_sunday: bool | None = None
    max_links_allowed: int | None = None
    alert: int | None = None
    renewal_type: int | None = None
    is_template: bool | None = None
    template_name: str | None = None


class GetContract(_ContractFields):
    """A contract as returned by the server."""

    id: int | None = None
    is_deleted: bool | None = None
    status: IdNameRef = None
    entity: IdNameRef = None
    type: IdNameRef = None
    location: IdNameRef = None
    #: The contract's cost lines (``{id, name}``), where the server lists them.
    costs: list[IdNameRef] = Field(default_factory=list)
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _ContractWrite(_ContractFields, ServerStamps):
    is_deleted: bool | None = None
    status: Ref | None = None
    entity: Ref | None = None
    type: Ref | None = None
    location: Ref | None = None


class PostContract(_ContractWrite):
    """Body of a contract create. Only the fields you set are sent."""


class PatchContract(_ContractWrite):
    """Body of a contract update. Only the fields you set are sent."""


class DeleteContract(DeleteModel):
    """Contract delete options (``force=True`` purges instead of trashing)."""


# -- contract types (a dropdown) ------------------------------------------------------------------


class _ContractTypeFields(GlpiModel):
    name: str | None = None
    comment: str | None = None


class GetContractType(_ContractTypeFields):
    """A contract type (``/Dropdowns/ContractType``)."""

    id: int | None = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class PostContractType(_ContractTypeFields, ServerStamps):
    """Body of a contract type create."""


class PatchContractType(_ContractTypeFields, ServerStamps):
    """Body of a contract type update (only the fields you set are sent)."""


class DeleteContractType(DeleteModel):
    """Contract type delete options."""


# -- contract cost lines (``/Management/Contract/{id}/Cost``) --------------------------------------


class _ContractCostFields(GlpiModel):
    name: str | None = None
    comment: str | None = None
    date_begin: GlpiDateTime = None
    date_end: GlpiDateTime = None
    cost: float | None = None
    is_recursive: bool | None = None


class GetContractCost(_ContractCostFields):
    """One cost line of a contract."""

    id: int | None = None
    contract: IdNameRef = None
    budget: IdNameRef = None
    entity: IdNameRef = None


class _ContractCostWrite(_ContractCostFields):
    contract: Ref | None = None
    budget: Ref | None = None
    entity: Ref | None = None


class PostContractCost(_ContractCostWrite):
    """Body of a cost line create (the contract comes from the URL)."""


class PatchContractCost(_ContractCostWrite):
    """Body of a cost line update (only the fields you set are sent)."""


class DeleteContractCost(DeleteModel):
    """Cost line delete options."""


# -- contract <-> item links (``/Assets/Computer/{id}/Contract``) ----------------------------------


class GetContractItem(GlpiModel):
    """A link between a contract and an asset (a Contract_Item row)."""

    id: int | None = None
    contract: IdNameRef = None
    itemtype: str | None = None
    items_id: int | None = None


class _ContractItemWrite(GlpiModel):
    contract: Ref | None = None
    #: Set by the client from the asset it links (a typo here would link the wrong kind of item).
    itemtype: str | None = None
    items_id: int | None = None


class PostContractItem(_ContractItemWrite):
    """Body of a contract link create: name the ``contract``; ``itemtype``/``items_id`` come from the asset."""


class PatchContractItem(_ContractItemWrite):
    """Body of a contract link update."""


class DeleteContractItem(DeleteModel):
    """Contract link delete options."""
