"""A ticket's timeline: followups, tasks, solutions and linked documents.

GLPI lists timeline items as ``{"type", "item"}`` envelopes; they are unwrapped here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from pydantic import BaseModel

from .._arguments import check_flag, check_id
from .._models import (
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
)
from .._plan import Plan
from ._common import Payload, created_id, endpoint, parse_envelopes, parse_item, send
from .crud import write_body

if TYPE_CHECKING:
    from .._state import Context

G = TypeVar("G", bound=BaseModel)
Body = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Kind(Generic[G]):
    """One timeline item type: its path segment and read model."""

    segment: str
    model: type[G]
    #: The public name of the item's id argument (``followup_id``...).
    id_argument: str

    def ids(self, ticket_id: Any, *item_id: Any) -> tuple[int, ...]:
        """The ticket id and, when given, the item id, checked (lists and creates take the ticket's alone)."""
        return (check_id(ticket_id, "ticket_id"), *(check_id(i, self.id_argument) for i in item_id))

    def op(self, verb: str, *, item: bool) -> Any:
        suffix = "_by_subitem_id" if item else ""
        return endpoint(f"assistance.{verb}_assistance_ticket_by_id_timeline_{self.segment}{suffix}")


FOLLOWUP = Kind("followup", GetFollowup, "followup_id")
TASK = Kind("task", GetTicketTask, "task_id")
SOLUTION = Kind("solution", GetSolution, "solution_id")
DOCUMENT = Kind("document", GetTimelineDocument, "link_id")


def list_items(kind: Kind[G], ticket_id: int) -> Plan[list[G]]:
    (ticket_id,) = kind.ids(ticket_id)
    response: httpx.Response = yield send(kind.op("get", item=False).request_kwargs(ticket_id))
    return parse_envelopes(kind.model, response)


def get_item(kind: Kind[G], ticket_id: int, item_id: int) -> Plan[G]:
    ticket_id, item_id = kind.ids(ticket_id, item_id)
    response: httpx.Response = yield send(kind.op("get", item=True).request_kwargs(ticket_id, item_id))
    return parse_item(kind.model, response)


def create_item(kind: Kind[Any], ticket_id: int, body: dict[str, Any]) -> Plan[int]:
    (ticket_id,) = kind.ids(ticket_id)
    response: httpx.Response = yield send(kind.op("post", item=False).request_kwargs(ticket_id, body=Payload(body)))
    return created_id(response)


def update_item(kind: Kind[G], ticket_id: int, item_id: int, body: dict[str, Any]) -> Plan[G]:
    ticket_id, item_id = kind.ids(ticket_id, item_id)
    kwargs = kind.op("patch", item=True).request_kwargs(ticket_id, item_id, body=Payload(body))
    response: httpx.Response = yield send(kwargs)
    return parse_item(kind.model, response)


def delete_item(kind: Kind[Any], ticket_id: int, item_id: int, *, force: bool | None = None) -> Plan[None]:
    ticket_id, item_id = kind.ids(ticket_id, item_id)
    forced = force is not None and check_flag(force, "force")
    yield send(kind.op("delete", item=True).request_kwargs(ticket_id, item_id, force=True if forced else None))


# -- followups ------------------------------------------------------------------------------------


def list_ticket_followups(ctx: Context, ticket_id: int) -> Plan[list[GetFollowup]]:
    """The ticket's followups.

    GLPI lists timeline items as ``{"type", "item"}`` envelopes; they are unwrapped here.

    Args:
        ticket_id: The ticket's id.

    Returns:
        The followups, as ``GetFollowup``, in GLPI's order.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Wi-Fi unreachable", content="5 GHz radio"))
        >>> followup_id = client.create_ticket_followup(ticket_id, PostFollowup(content="Capturing radius logs."))
        >>> [followup.content for followup in client.list_ticket_followups(ticket_id)]
        ['Capturing radius logs.']
    """
    return list_items(FOLLOWUP, ticket_id)


def get_ticket_followup(ctx: Context, ticket_id: int, followup_id: int) -> Plan[GetFollowup]:
    """One followup of the ticket.

    Args:
        ticket_id: The ticket's id.
        followup_id: The followup's id.

    Returns:
        The followup, as ``GetFollowup``.

    Raises:
        NotFoundError: The ticket has no followup with this id, or the account cannot see it.
    """
    return get_item(FOLLOWUP, ticket_id, followup_id)


def create_ticket_followup(ctx: Context, ticket_id: int, followup: PostFollowup | Body) -> Plan[int]:
    """Add a followup to the ticket and return its id.

    Args:
        ticket_id: The ticket's id.
        followup: A ``PostFollowup``, or a mapping validated as one.

    Returns:
        The new followup's id.

    Raises:
        InvalidArgumentError: ``followup`` sets no field, or does not validate.
        APIError: The request failed. A create is never retried: GLPI 11 can answer 404 after creating a
            timeline item (glpi-project/glpi#24506), so ``may_have_been_applied`` is True then: list the
            ticket's followups before adding it again.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Wi-Fi unreachable", content="5 GHz radio"))
        >>> client.create_ticket_followup(ticket_id, PostFollowup(content="Capturing radius logs."))
        45
    """
    return create_item(FOLLOWUP, ticket_id, write_body(followup, PostFollowup))


def update_ticket_followup(
    ctx: Context, ticket_id: int, followup_id: int, followup: PatchFollowup | Body
) -> Plan[GetFollowup]:
    """Update the fields set on ``followup`` and return the updated followup.

    Args:
        ticket_id: The ticket's id.
        followup_id: The followup's id.
        followup: A ``PatchFollowup``, or a mapping validated as one (only the fields you set are sent).

    Returns:
        The followup after the update, as ``GetFollowup``.

    Raises:
        NotFoundError: The ticket has no followup with this id.
    """
    return update_item(FOLLOWUP, ticket_id, followup_id, write_body(followup, PatchFollowup))


def delete_ticket_followup(ctx: Context, ticket_id: int, followup_id: int, *, force: bool | None = None) -> Plan[None]:
    """Delete a followup of the ticket.

    Args:
        ticket_id: The ticket's id.
        followup_id: The followup's id.
        force: Passed on as ``?force=true`` (purge rather than trash, where GLPI distinguishes them).

    Raises:
        NotFoundError: The ticket has no followup with this id.
    """
    return delete_item(FOLLOWUP, ticket_id, followup_id, force=force)


# -- tasks ----------------------------------------------------------------------------------------


def list_ticket_tasks(ctx: Context, ticket_id: int) -> Plan[list[GetTicketTask]]:
    """The ticket's tasks (``duration`` in seconds).

    GLPI lists timeline items as ``{"type", "item"}`` envelopes; they are unwrapped here.

    Args:
        ticket_id: The ticket's id.

    Returns:
        The tasks, as ``GetTicketTask``, in GLPI's order.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
    """
    return list_items(TASK, ticket_id)


def get_ticket_task(ctx: Context, ticket_id: int, task_id: int) -> Plan[GetTicketTask]:
    """One task of the ticket.

    Args:
        ticket_id: The ticket's id.
        task_id: The task's id.

    Returns:
        The task, as ``GetTicketTask``.

    Raises:
        NotFoundError: The ticket has no task with this id, or the account cannot see it.
    """
    return get_item(TASK, ticket_id, task_id)


def create_ticket_task(ctx: Context, ticket_id: int, task: PostTicketTask | Body) -> Plan[int]:
    """Add a task to the ticket and return its id.

    The ticket's ``actiontime`` grows by the task's ``duration`` (seconds).

    Args:
        ticket_id: The ticket's id.
        task: A ``PostTicketTask``, or a mapping validated as one.

    Returns:
        The new task's id.

    Raises:
        InvalidArgumentError: ``task`` sets no field, or does not validate.
        APIError: The request failed. A create is never retried: GLPI 11 can answer 404 after creating a
            timeline item (glpi-project/glpi#24506), so ``may_have_been_applied`` is True then: list the
            ticket's tasks before adding it again.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Wi-Fi unreachable", content="5 GHz radio"))
        >>> task_id = client.create_ticket_task(ticket_id, PostTicketTask(content="Swap the AP", duration=1800))
        >>> client.get_ticket(ticket_id).actiontime
        1800
    """
    return create_item(TASK, ticket_id, write_body(task, PostTicketTask))


def update_ticket_task(ctx: Context, ticket_id: int, task_id: int, task: PatchTicketTask | Body) -> Plan[GetTicketTask]:
    """Update the fields set on ``task`` and return the updated task.

    Args:
        ticket_id: The ticket's id.
        task_id: The task's id.
        task: A ``PatchTicketTask``, or a mapping validated as one (only the fields you set are sent).

    Returns:
        The task after the update, as ``GetTicketTask``.

    Raises:
        NotFoundError: The ticket has no task with this id.
    """
    return update_item(TASK, ticket_id, task_id, write_body(task, PatchTicketTask))


def delete_ticket_task(ctx: Context, ticket_id: int, task_id: int, *, force: bool | None = None) -> Plan[None]:
    """Delete a task of the ticket.

    Args:
        ticket_id: The ticket's id.
        task_id: The task's id.
        force: Passed on as ``?force=true`` (purge rather than trash, where GLPI distinguishes them).

    Raises:
        NotFoundError: The ticket has no task with this id.
    """
    return delete_item(TASK, ticket_id, task_id, force=force)


# -- solutions ------------------------------------------------------------------------------------


def list_ticket_solutions(ctx: Context, ticket_id: int) -> Plan[list[GetSolution]]:
    """The ticket's solutions.

    GLPI lists timeline items as ``{"type", "item"}`` envelopes; they are unwrapped here.

    Args:
        ticket_id: The ticket's id.

    Returns:
        The solutions, as ``GetSolution``, in GLPI's order.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
    """
    return list_items(SOLUTION, ticket_id)


def get_ticket_solution(ctx: Context, ticket_id: int, solution_id: int) -> Plan[GetSolution]:
    """One solution of the ticket.

    Args:
        ticket_id: The ticket's id.
        solution_id: The solution's id.

    Returns:
        The solution, as ``GetSolution``.

    Raises:
        NotFoundError: The ticket has no solution with this id, or the account cannot see it.
    """
    return get_item(SOLUTION, ticket_id, solution_id)


def create_ticket_solution(ctx: Context, ticket_id: int, solution: PostSolution | Body) -> Plan[int]:
    """Add a solution to the ticket and return its id.

    GLPI moves the ticket to Solved (status 5): posting a solution is how the v2 API solves a ticket.

    Args:
        ticket_id: The ticket's id.
        solution: A ``PostSolution``, or a mapping validated as one.

    Returns:
        The new solution's id.

    Raises:
        InvalidArgumentError: ``solution`` sets no field, or does not validate.
        APIError: The request failed. A create is never retried: GLPI 11 can answer 404 after creating a
            timeline item (glpi-project/glpi#24506), so ``may_have_been_applied`` is True then: list the
            ticket's solutions before adding it again.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Wi-Fi unreachable", content="5 GHz radio"))
        >>> solution_id = client.create_ticket_solution(ticket_id, PostSolution(content="Replaced the firmware."))
        >>> client.get_ticket(ticket_id).status.name
        'Solved'
    """
    return create_item(SOLUTION, ticket_id, write_body(solution, PostSolution))


def update_ticket_solution(
    ctx: Context, ticket_id: int, solution_id: int, solution: PatchSolution | Body
) -> Plan[GetSolution]:
    """Update the fields set on ``solution`` and return the updated solution.

    Args:
        ticket_id: The ticket's id.
        solution_id: The solution's id.
        solution: A ``PatchSolution``, or a mapping validated as one (only the fields you set are sent).

    Returns:
        The solution after the update, as ``GetSolution``.

    Raises:
        NotFoundError: The ticket has no solution with this id.
    """
    return update_item(SOLUTION, ticket_id, solution_id, write_body(solution, PatchSolution))


def delete_ticket_solution(ctx: Context, ticket_id: int, solution_id: int, *, force: bool | None = None) -> Plan[None]:
    """Delete a solution of the ticket (GLPI leaves the ticket Solved).

    Args:
        ticket_id: The ticket's id.
        solution_id: The solution's id.
        force: Passed on as ``?force=true`` (purge rather than trash, where GLPI distinguishes them).

    Raises:
        NotFoundError: The ticket has no solution with this id.
    """
    return delete_item(SOLUTION, ticket_id, solution_id, force=force)


# -- documents ------------------------------------------------------------------------------------


def list_ticket_timeline_documents(ctx: Context, ticket_id: int) -> Plan[list[GetTimelineDocument]]:
    """The documents linked to the ticket's timeline.

    Each entry is a link (Document_Item): ``id`` is the link's id, ``documents_id`` the document's.

    Args:
        ticket_id: The ticket's id.

    Returns:
        The links, as ``GetTimelineDocument``.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
    """
    return list_items(DOCUMENT, ticket_id)


def get_ticket_timeline_document(ctx: Context, ticket_id: int, document_link_id: int) -> Plan[GetTimelineDocument]:
    """One document link of the ticket.

    Args:
        ticket_id: The ticket's id.
        document_link_id: The document link's id.

    Returns:
        The document link, as ``GetTimelineDocument``.

    Raises:
        NotFoundError: The ticket has no document link with this id, or the account cannot see it.
    """
    return get_item(DOCUMENT, ticket_id, document_link_id)


def update_ticket_timeline_document(
    ctx: Context, ticket_id: int, document_link_id: int, document_link: PatchTimelineDocument | Body
) -> Plan[GetTimelineDocument]:
    """Update a document link (its ``timeline_position``) and return the updated document link.

    Args:
        ticket_id: The ticket's id.
        document_link_id: The document link's id.
        document_link: A ``PatchTimelineDocument``, or a mapping validated as one (only the fields you set are sent).

    Returns:
        The document link after the update, as ``GetTimelineDocument``.

    Raises:
        NotFoundError: The ticket has no document link with this id.
    """
    return update_item(DOCUMENT, ticket_id, document_link_id, write_body(document_link, PatchTimelineDocument))


def unlink_ticket_timeline_document(
    ctx: Context, ticket_id: int, document_link_id: int, *, force: bool | None = None
) -> Plan[None]:
    """Remove a document link from the ticket (the document itself stays).

    Args:
        ticket_id: The ticket's id.
        document_link_id: The document link's id.
        force: Passed on as ``?force=true`` (purge rather than trash, where GLPI distinguishes them).

    Raises:
        NotFoundError: The ticket has no document link with this id.
    """
    return delete_item(DOCUMENT, ticket_id, document_link_id, force=force)
