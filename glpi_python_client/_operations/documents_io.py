"""Document file content: upload (legacy v1 multipart), link to a ticket (v1), download (v2, whole or streamed)."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, TypeVar

from .._arguments import check_id, check_int
from .._errors import InvalidArgumentError
from .._models import PostTimelineDocument
from .._pages import Chunks
from .._plan import Call, Plan, Send
from ._common import endpoint, send
from .v1 import v1_created_id, v1_request, v1_url

if TYPE_CHECKING:
    from .._state import Context

__all__ = [
    "download_document_content",
    "download_document_to",
    "link_ticket_timeline_document",
    "stream_document_content",
    "upload_document",
]

T = TypeVar("T")
_DOWNLOAD = "management.get_management_document_by_id_download"


def _closing(fileobj: IO[bytes], plan: Plan[T]) -> Plan[T]:
    """Run ``plan``, then close ``fileobj`` (on the executor when async), whatever happens."""
    try:
        result = yield from plan
    except GeneratorExit:  # the runner abandoned the plan: no more steps can be yielded
        fileobj.close()
        raise
    except Exception:
        yield Call(fileobj.close)
        raise
    yield Call(fileobj.close)
    return result


def upload_document(
    ctx: Context,
    *,
    filename: str,
    content: bytes | str | os.PathLike[str] | BinaryIO,
    mime_type: str | None = None,
    ticket_id: int | None = None,
    name: str | None = None,
    comment: str | None = None,
    document_name: str | None = None,
    entity_id: int | None = None,
) -> Plan[int]:
    """Upload a file as a new GLPI document and return its id.

    The v2 API cannot upload, so this uses GLPI's legacy v1 API: the client needs ``v1_base_url`` and
    ``v1_user_token``. The file is streamed (multipart ``uploadManifest``), never read whole into memory,
    and the upload is never retried automatically.

    Args:
        filename: The name GLPI stores (and guesses the MIME type from).
        content: The file's bytes, a binary file object (streamed from its start), or a PATH. A ``str`` is
            always read as a path, never as the content: pass ``text.encode()`` to upload text.
        mime_type: The MIME type; default: a guess from ``filename``.
        ticket_id: Link the new document to this ticket's timeline in the same request.
        name: The document's name; default: ``filename`` (``document_name`` is the same option).
        comment: The document's comment.
        document_name: Another spelling of ``name`` (the peer glpi-python-client's).
        entity_id: The entity the document belongs to; default: the active entity.

    Returns:
        The new document's id.

    Raises:
        ConfigurationError: The v1 settings are missing (before any file is opened).
        V1Error: GLPI's v1 API refused the upload.
        APIError: The request failed; ``may_have_been_applied`` says whether the document may exist.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Wi-Fi unreachable", content="5 GHz radio"))
        >>> client.upload_document(filename="diagnostic.txt", content=b"radius timeout 3s", ticket_id=ticket_id)
        15
    """
    v1_url(ctx, "Document")  # a missing v1 configuration fails before any file is opened
    if name is not None and document_name is not None and name != document_name:
        raise InvalidArgumentError("name and document_name are the same option: give one of them")
    manifest_input: dict[str, Any] = {"name": name or document_name or filename, "_filename": [filename]}
    if entity_id is not None:
        manifest_input["entities_id"] = entity_id
    if comment is not None:
        manifest_input["comment"] = comment
    if ticket_id is not None:
        manifest_input["itemtype"] = "Ticket"
        manifest_input["items_id"] = check_id(ticket_id, "ticket_id")
    manifest = json.dumps({"input": manifest_input})

    def request(body: Any) -> Plan[Any]:
        files = [
            ("uploadManifest", (None, manifest, "application/json")),
            ("filename[0]", (filename, body, mime_type)),
        ]
        return v1_request(ctx, "POST", "Document", files=files)

    if isinstance(content, bytes | bytearray | memoryview):
        response = yield from request(bytes(content))
    elif isinstance(content, str | os.PathLike):
        path = Path(content)
        fileobj: IO[bytes] = yield Call(lambda: path.open("rb"))
        response = yield from _closing(fileobj, request(fileobj))
    elif hasattr(content, "read"):
        response = yield from request(content)
    else:
        raise InvalidArgumentError(
            f"content must be bytes, a path or a binary file object, not {type(content).__name__}"
        )
    return v1_created_id(response)


def link_ticket_timeline_document(
    ctx: Context, ticket_id: int, document_link: int | PostTimelineDocument | Mapping[str, Any]
) -> Plan[int]:
    """Link an existing document to a ticket's timeline and return the link (Document_Item) id.

    It uses GLPI's legacy v1 API: the client needs ``v1_base_url`` and ``v1_user_token`` (the v2
    ``POST .../Timeline/Document`` is refused with 403 by GLPI 11). v1 places the link by date, so a
    ``timeline_position`` is not sent.

    Args:
        ticket_id: The ticket's id.
        document_link: The document's id, or a ``PostTimelineDocument`` (or mapping) naming it in ``documents_id``.

    Returns:
        The id of the new link.

    Raises:
        ConfigurationError: The v1 settings are missing.
        V1Error: GLPI's v1 API refused the link.
    """
    ticket_id = check_id(ticket_id, "ticket_id")
    document_id = _linked_document_id(document_link)
    body = {"input": {"documents_id": document_id, "itemtype": "Ticket", "items_id": ticket_id}}
    response = yield from v1_request(ctx, "POST", "Document_Item", json=body)
    return v1_created_id(response)


def _linked_document_id(document_link: int | PostTimelineDocument | Mapping[str, Any]) -> int:
    if isinstance(document_link, PostTimelineDocument | Mapping):
        link = (
            document_link
            if isinstance(document_link, PostTimelineDocument)
            else PostTimelineDocument.model_validate(dict(document_link))
        )
        if link.documents_id is None:
            raise InvalidArgumentError("document_link names no document: set documents_id (GLPI links documents by id)")
        return check_id(link.documents_id, "documents_id")
    return check_id(document_link, "document_link")


def _download_step(document_id: int, stream_to: Callable[[bytes], object] | None = None) -> Send:
    document_id = check_id(document_id, "document_id")
    step = send(endpoint(_DOWNLOAD).request_kwargs(document_id))
    return dataclasses.replace(step, headers={**(step.headers or {}), "Accept": "*/*"}, stream_to=stream_to)


def stream_document_content(ctx: Context, document_id: int, *, chunk_size: int = 65536) -> Chunks:
    """Yield a document's file content in chunks of at most ``chunk_size`` bytes, as it arrives.

    The response is held open while you iterate (``for chunk in ...`` / ``async for``), so nothing larger
    than a chunk is kept in memory. ``GET /Management/Document/{id}/Download``.

    Args:
        document_id: The document's id.
        chunk_size: The largest chunk yielded, in bytes.

    Yields:
        The file's bytes, chunk by chunk.

    Raises:
        NotFoundError: No document has this id, or the account cannot see it.
    """
    document_id = check_id(document_id, "document_id")
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    return Chunks(_download_step(document_id), chunk_size)


def download_document_content(ctx: Context, document_id: int) -> Plan[bytes]:
    """The raw bytes of a document's file, read into memory.

    For large files, ``download_document_to`` or ``stream_document_content`` keep memory flat.

    Args:
        document_id: The document's id.

    Returns:
        The file's content.

    Raises:
        NotFoundError: No document has this id, or the account cannot see it.

    Example:
        >>> document_id = client.upload_document(filename="notes.txt", content=b"hello")
        >>> client.download_document_content(document_id)
        b'hello'
    """
    response = yield _download_step(document_id)
    content: bytes = response.content
    return content


class _CountingWriter:
    __slots__ = ("count", "write")

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self.write = write
        self.count = 0

    def __call__(self, chunk: bytes) -> None:
        self.write(chunk)
        self.count += len(chunk)


def download_document_to(ctx: Context, document_id: int, destination: str | os.PathLike[str] | BinaryIO) -> Plan[int]:
    """Stream a document's file into ``destination`` and return the number of bytes written.

    Chunks are written as they arrive, so memory use does not grow with the file's size.

    Args:
        document_id: The document's id.
        destination: A path (created or truncated, closed afterwards, removed again if the download fails)
            or a binary file object open for writing (left open).

    Returns:
        The number of bytes written.

    Raises:
        NotFoundError: No document has this id, or the account cannot see it.
    """
    if not isinstance(destination, str | os.PathLike):
        writer = _CountingWriter(destination.write)
        yield _download_step(document_id, writer)
        return writer.count
    path = Path(destination)
    fileobj: IO[bytes] = yield Call(lambda: path.open("wb"))
    writer = _CountingWriter(fileobj.write)
    try:
        yield from _closing(fileobj, _stream(_download_step(document_id, writer)))
    except Exception:
        yield Call(lambda: path.unlink(missing_ok=True))
        raise
    return writer.count


def _stream(step: Send) -> Plan[None]:
    yield step
