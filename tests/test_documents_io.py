"""Document content: v1 multipart upload (bytes, file object, path), v1 link, v2 download (whole and streamed)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from glpi_harness import Driven, cassette, run
from httpx._multipart import FileField, MultipartStream
from test_v1 import EXPIRED, FakeGlpi, session, v1_fail

from glpi_python_client import NotFoundError, PostTicket, V1Error

DIAGNOSTIC = "Diagnostic report\nprinter: E-204\naccentué: é à ü\n".encode()
PIXEL = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x02\x01\xe2!?\xd5\x00\x00\x00\x00IEND\xaeB`\x82"
)


# -- replays ----------------------------------------------------------------------------------


def test_upload_then_download_round_trip(mode: str) -> None:
    async def body(c: Driven) -> None:
        document_id = await c.upload_document(filename="diagnostic.txt", content=DIAGNOSTIC, mime_type="text/plain")
        assert document_id == 15
        assert await c.download_document_content(document_id) == DIAGNOSTIC
        with pytest.raises(NotFoundError):
            await c.download_document_content(999999)

    with cassette("document_download") as cass:
        run(mode, body)
    assert cass.play_count == 6  # token, initSession, upload, download, unknown download, killSession


def test_upload_from_path_and_stream_download_to_path(mode: str, tmp_path: Path) -> None:
    source = tmp_path / "pixel.png"
    source.write_bytes(PIXEL)
    target = tmp_path / "out" / "copy.png"
    target.parent.mkdir()

    async def body(c: Driven) -> None:
        document_id = await c.upload_document(filename="pixel.png", content=source)
        assert document_id == 16
        assert await c.download_document_to(document_id, str(target)) == len(PIXEL)

    with cassette("document_download_binary") as cass:
        run(mode, body)
    assert cass.all_played
    assert target.read_bytes() == PIXEL


def test_upload_linked_to_a_ticket_in_one_call(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="upload", content="linked at upload"))
        assert ticket_id == 95
        content = io.BytesIO(b"Diagnostic report (linked at upload)\n")
        document_id = await c.upload_document(
            filename="diagnostic.txt", content=content, mime_type="text/plain", ticket_id=ticket_id
        )
        assert document_id == 19
        assert not content.closed  # the caller's file object is left open

    with cassette("v1_document_upload_with_itemtype_items_id") as cass:
        run(mode, body)
    # token, ticket, initSession, upload, killSession: no separate link request was needed
    assert cass.play_count == 5


def test_link_an_uploaded_document_to_a_ticket(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="link", content="link"))
        document_id = await c.upload_document(filename="diagnostic.txt", content=b"Diagnostic report\n")
        assert (ticket_id, document_id) == (94, 18)
        link_id = await c.link_ticket_timeline_document(ticket_id, document_id)
        assert link_id == 7
        timeline = await c.list_ticket_timeline_documents(ticket_id)
        assert [(d.id, d.documents_id) for d in timeline] == [(7, 18)]

    with cassette("v1_document_item_link") as cass:
        run(mode, body)
    assert cass.play_count == 7  # all but the recorded v1 GET Ticket/T/Document_Item


# -- fake transport ---------------------------------------------------------------------------


def _upload_routes(*replies: httpx.Response) -> FakeGlpi:
    return FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("s1"), session("s2")],
            ("POST", "/apirest.php/Document"): list(replies),
        }
    )


def _parts(stream: Any) -> list[Any]:
    assert isinstance(stream, MultipartStream)
    return list(stream.fields)


def test_upload_manifest_and_file_part(mode: str) -> None:
    fake = _upload_routes(httpx.Response(201, json={"id": 88, "message": "ok"}))

    async def body(c: Driven) -> None:
        document_id = await c.upload_document(
            filename="notes.txt", content=b"hello", ticket_id=5, name="Notes", comment="from the test"
        )
        assert document_id == 88

    run(mode, body, transport=fake)
    (post,) = fake.sent("POST", "/apirest.php/Document")
    body = post.content
    assert post.headers["Session-Token"] == "s1"
    manifest = body.split(b'name="uploadManifest"\r\nContent-Type: application/json\r\n\r\n')[1].split(b"\r\n--")[0]
    assert json.loads(manifest) == {
        "input": {
            "name": "Notes",
            "_filename": ["notes.txt"],
            "comment": "from the test",
            "itemtype": "Ticket",
            "items_id": 5,
        }
    }
    assert b'name="filename[0]"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n' in body


def test_upload_of_a_path_is_streamed_from_the_file(mode: str, tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    chunk = bytes(range(256)) * 4096  # 1 MiB
    with big.open("wb") as out:
        for _ in range(4):
            out.write(chunk)
    fake = _upload_routes(httpx.Response(201, json={"id": 5}, headers={"Location": "http://x/api.php/v1/Document/5"}))

    async def body(c: Driven) -> None:
        assert await c.upload_document(filename="big.bin", content=str(big)) == 5

    run(mode, body, transport=fake)
    (stream,) = [s for s, r in zip(fake.streams, fake.requests, strict=True) if r.url.path.endswith("/Document")]
    (file_part,) = [f for f in _parts(stream) if isinstance(f, FileField) and f.name == "filename[0]"]
    # httpx got the open file (read 64 KiB at a time while sending), never the content as one bytes object
    assert isinstance(file_part.file, io.BufferedReader)
    assert file_part.file.name == str(big)
    assert file_part.file.closed  # the client closed the file it opened
    (post,) = fake.sent("POST", "/apirest.php/Document")
    assert int(post.headers["Content-Length"]) > 4 * len(chunk)  # length known from the file, no chunked body
    assert post.content.count(chunk) == 4


def test_upload_replayed_after_session_expiry_rewinds_the_file(mode: str) -> None:
    fake = _upload_routes(v1_fail(401, *EXPIRED), httpx.Response(201, json={"id": 3}))
    content = io.BytesIO(b"0123456789")

    async def body(c: Driven) -> None:
        assert await c.upload_document(filename="n.txt", content=content) == 3

    run(mode, body, transport=fake)
    first, second = fake.sent("POST", "/apirest.php/Document")
    assert (first.headers["Session-Token"], second.headers["Session-Token"]) == ("s1", "s2")
    assert b"\r\n\r\n0123456789\r\n" in second.content


class _Pipe(io.RawIOBase):
    """A read-once, non-seekable stream."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        data, self._data = self._data, b""
        return data


def test_upload_of_a_consumed_stream_is_not_replayed(mode: str) -> None:
    fake = _upload_routes(v1_fail(401, *EXPIRED), httpx.Response(201, json={"id": 3}))

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await c.upload_document(filename="n.txt", content=_Pipe(b"once"))
        assert info.value.error_code == "ERROR_SESSION_TOKEN_INVALID"
        assert "not seekable" in str(info.value)

    run(mode, body, transport=fake)
    assert len(fake.sent("POST", "/apirest.php/Document")) == 1


def test_upload_is_never_retried_on_server_errors(mode: str) -> None:
    fake = _upload_routes(httpx.Response(503, text="busy"), httpx.Response(201, json={"id": 3}))

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await c.upload_document(filename="n.txt", content=b"x")
        assert info.value.status_code == 503

    run(mode, body, transport=fake, max_retries=3)
    assert len(fake.sent("POST", "/apirest.php/Document")) == 1


def test_str_content_is_a_path(mode: str, tmp_path: Path) -> None:
    fake = _upload_routes(httpx.Response(201, json={"id": 3}))

    async def body(c: Driven) -> None:
        with pytest.raises(FileNotFoundError):
            await c.upload_document(filename="n.txt", content=str(tmp_path / "no-such-file"))

    run(mode, body, transport=fake)
    assert not fake.sent("POST", "/apirest.php/Document")


def test_streamed_download_into_a_file_object(mode: str) -> None:
    payload = b"x" * 300_000
    fake = FakeGlpi({("GET", "/api.php/v2/Management/Document/4/Download"): [httpx.Response(200, content=payload)]})
    sink = io.BytesIO()

    async def body(c: Driven) -> None:
        assert await c.download_document_to(4, sink) == len(payload)

    run(mode, body, transport=fake)
    assert sink.getvalue() == payload and not sink.closed
    (get,) = fake.sent("GET", "/api.php/v2/Management/Document/4/Download")
    assert get.headers["Authorization"] == "Bearer at"


def test_failed_download_to_a_path_leaves_no_file(mode: str, tmp_path: Path) -> None:
    fake = FakeGlpi(
        {
            ("GET", "/api.php/v2/Management/Document/4/Download"): [
                httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found", "detail": None})
            ]
        }
    )
    target = tmp_path / "missing.bin"

    async def body(c: Driven) -> None:
        with pytest.raises(NotFoundError):
            await c.download_document_to(4, target)

    run(mode, body, transport=fake)
    assert not target.exists()
