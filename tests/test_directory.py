"""Users, entities, locations and document metadata through both clients, replaying the real server."""

from __future__ import annotations

import pytest
from glpi_harness import Driven, run

from glpi_python_client import (
    GetEntity,
    GetUser,
    InternalServerError,
    NotFoundError,
    PatchDocument,
    PatchEntity,
    PatchLocation,
    PatchUser,
    PostDocument,
    PostEntity,
    PostLocation,
    PostUser,
)

USERNAME = "refrec_0015b4"


def test_user_crud(mode: str) -> None:
    async def body(c: Driven) -> None:
        user_id = await c.create_user(
            PostUser(username=USERNAME, password="pw-1", password2="pw-1", realname="Doe", firstname="Jane")
        )
        user = await c.get_user(user_id)
        assert isinstance(user, GetUser) and (user.username, user.realname, user.firstname) == (USERNAME, "Doe", "Jane")
        assert [u.id for u in await c.search_users(f"username=={USERNAME}")] == [user_id]
        c_user = c.client
        from glpi_api_v2.api.administration import get_administration_user_username_by_username as by_name

        if c.is_async:
            raw = await by_name.asyncio_detailed(USERNAME, client=c_user.api)
        else:
            raw = by_name.sync_detailed(USERNAME, client=c_user.api)
        assert raw.status_code == 200 and b'"id":' in raw.content  # the escape hatch shares auth and session
        patched = await c.update_user(user_id, PatchUser(realname="Smith", phone="+33 1 23 45 67 89"))
        assert patched.realname == "Smith"
        await c.delete_user(user_id)
        assert (await c.get_user(user_id)).is_deleted is True
        await c.delete_user(user_id, force=True)
        with pytest.raises(NotFoundError):
            await c.get_user(user_id)

    run(mode, body, scenario="users_crud")


def test_password_mismatch_is_reported_with_glpi_message(mode: str) -> None:
    async def body(c: Driven) -> None:
        with pytest.raises(InternalServerError) as info:
            await c.create_user(PostUser(username="x", password="a", password2="b"))
        assert "the two passwords do not match" in str(info.value)
        assert info.value.may_have_been_applied and "not retried" in str(info.value)
        assert "Bearer" not in str(info.value) and "replayed-password" not in str(info.value)

    run(mode, body, scenario="users_create_password_mismatch")


def test_entity_crud(mode: str) -> None:
    async def body(c: Driven) -> None:
        entities = await c.search_entities(limit=2)
        assert 0 in [e.id for e in entities] and all(isinstance(e, GetEntity) for e in entities)
        root = await c.get_entity(0)
        assert (root.name, root.completename) == ("Root entity", "Root entity")
        child_id = await c.create_entity(PostEntity(name="refrec child 0015b4", parent=0, comment="created"))
        child = await c.get_entity(child_id)
        assert child.completename == "Root entity > refrec child 0015b4" and child.parent.id == 0
        renamed = await c.update_entity(child_id, PatchEntity(name="refrec child 0015b4 renamed", comment="patched"))
        assert renamed.name == "refrec child 0015b4 renamed"
        await c.delete_entity(child_id)
        with pytest.raises(NotFoundError):
            await c.get_entity(child_id)

    run(mode, body, scenario="entities_crud")


def test_location_crud(mode: str) -> None:
    async def body(c: Driven) -> None:
        assert len(await c.search_locations(limit=5)) <= 5
        parent = await c.create_location(PostLocation(name="HQ 0015b4", building="B1", room="101"))
        child = await c.create_location(PostLocation(name="Floor 2", parent=parent))
        got = await c.get_location(child)
        assert got.name == "Floor 2" and got.completename == "HQ 0015b4 > Floor 2"
        assert [loc.id for loc in await c.search_locations('name=="HQ 0015b4"')] == [parent]
        assert (await c.update_location(parent, PatchLocation(room="102"))).room == "102"
        await c.delete_location(child)
        with pytest.raises(NotFoundError):
            await c.get_location(child)
        await c.delete_location(parent, force=True)
        with pytest.raises(NotFoundError):
            await c.get_location(parent)

    run(mode, body, scenario="locations_crud")


def test_document_metadata_crud(mode: str) -> None:
    async def body(c: Driven) -> None:
        assert len(await c.search_documents(limit=2)) <= 2
        doc_id = await c.create_document(PostDocument(name="refrec metadata 0015b4", comment="no file attached"))
        doc = await c.get_document(doc_id)
        assert doc.name == "refrec metadata 0015b4" and doc.filename is None
        assert (await c.update_document(doc_id, PatchDocument(comment="patched"))).comment == "patched"
        await c.delete_document(doc_id)
        assert (await c.get_document(doc_id)).is_deleted is True
        await c.delete_document(doc_id, force=True)
        with pytest.raises(NotFoundError):
            await c.get_document(doc_id)

    run(mode, body, scenario="documents_crud_metadata")


def test_get_user_by_username_quotes_the_login_and_refuses_bad_input(mode: str) -> None:
    from glpi_python_client import InvalidArgumentError
    from glpi_python_client.testing import GlpiSimulator

    sim = GlpiSimulator()
    user_id = sim.seed("/Administration/User", {"username": "jane doe+ops", "password": "pw", "password2": "pw"})

    async def body(c: Driven) -> None:
        assert (await c.get_user_by_username("jane doe+ops")).id == user_id
        for bad in ("", "  ", 5, None, ".", ".."):  # a dot segment would be resolved away: another route
            with pytest.raises(InvalidArgumentError, match="username"):
                await c.get_user_by_username(bad)
        with pytest.raises(NotFoundError):
            await c.get_user_by_username("nobody")

    run(mode, body, transport=sim.transport())
    sent = [r.url.raw_path for r in sim.requests if b"/username/" in r.url.raw_path]
    assert sent == [b"/api.php/v2/Administration/User/username/jane%20doe%2Bops",
                    b"/api.php/v2/Administration/User/username/nobody"]  # fmt: skip
