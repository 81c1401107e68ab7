"""Bad input gets a typed error naming the argument, before anything is sent; closed clients say so."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import threading
from typing import Any

import httpx
import pytest
from fake_glpi import FakeGlpi, ok
from glpi_harness import REPLAY_SETTINGS, Driven, make_client, run

from glpi_python_client import (
    AsyncGlpiClient,
    ClientClosedError,
    ConfigurationError,
    GetTicket,
    GlpiClient,
    GlpiError,
    InvalidArgumentError,
    PatchTicket,
    PostFollowup,
    PostTicket,
)


class Index:
    """An int-like value (as numpy's integers are): accepted as an id."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


@pytest.mark.parametrize(
    ("value", "shown"),
    [("abc", "'abc'"), (None, "None"), (-1, "-1"), (0, "0"), (1.5, "1.5, a float"), (True, "True, a bool")],
)
def test_bad_ids_are_refused_before_sending(mode: str, value: Any, shown: str) -> None:
    fake = FakeGlpi([])

    async def body(c: Driven) -> None:
        for call in (
            lambda: c.get_ticket(value),
            lambda: c.update_ticket(value, PatchTicket(name="x")),
            lambda: c.delete_ticket(value),
            lambda: c.get_user(value),
            lambda: c.list_ticket_followups(value),
            lambda: c.get_ticket_context(value),
            lambda: c.list_ticket_team_members(value),
        ):
            with pytest.raises(InvalidArgumentError) as info:
                await call()
            message = str(info.value)
            assert re.search(r"\b(ticket|user)_id must be an int id >= 1 \(got " + re.escape(shown) + r"\)", message)
            assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)
        with pytest.raises(InvalidArgumentError, match=r"followup_id must be an int id >= 1"):
            await c.get_ticket_followup(1, value)
        with pytest.raises(InvalidArgumentError, match=r"link_id must be an int id >= 1"):
            await c.unlink_ticket_timeline_document(1, value)
        with pytest.raises(InvalidArgumentError, match=r"team_member_id must be an int id >= 1"):
            await c.remove_ticket_team_member(1, team_member_id=value, type="User", role="assigned")

    run(mode, body, transport=fake.transport())
    assert fake.requests == []  # nothing sent, not even a token request


def test_digit_strings_are_refused_with_the_fix(mode: str) -> None:
    fake = FakeGlpi([])

    async def body(c: Driven) -> None:
        with pytest.raises(InvalidArgumentError) as info:
            await c.get_ticket("12")
        assert str(info.value) == "ticket_id must be an int id >= 1 (got '12'): convert it first, int('12')"

    run(mode, body, transport=fake.transport())
    assert fake.requests == []


def test_int_like_ids_and_the_root_entity_are_accepted(mode: str) -> None:
    fake = FakeGlpi(lambda request: ok({"id": 0, "name": "Root entity"}))

    async def body(c: Driven) -> None:
        assert (await c.get_entity(0)).id == 0
        assert (await c.get_ticket(Index(7))).id == 0
        with pytest.raises(InvalidArgumentError, match=r"entity_id must be an int id >= 0 \(got -1\)"):
            await c.get_entity(-1)

    run(mode, body, transport=fake.transport())
    assert [r.url.path for r in fake.api_requests()] == [
        "/api.php/v2/Administration/Entity/0",
        "/api.php/v2/Assistance/Ticket/7",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": -5}, "limit must be an int >= 1 (got -5)"),
        ({"limit": 0}, "limit must be an int >= 1 (got 0)"),
        ({"limit": "10"}, "limit must be an int >= 1 (got '10'): convert it first, int('10')"),
        ({"start": -1}, "start must be an int >= 0 (got -1)"),
        ({"sort": 5}, "sort must be a str or None (got 5)"),
        ({"rsql_filter": 1}, "rsql_filter must be a str or None (got 1)"),
    ],
)
def test_search_ranges_are_checked(mode: str, kwargs: dict[str, Any], message: str) -> None:
    fake = FakeGlpi([])

    async def body(c: Driven) -> None:
        with pytest.raises(InvalidArgumentError) as info:
            await c.search_tickets(**kwargs)
        assert str(info.value) == message

    run(mode, body, transport=fake.transport())
    assert fake.requests == []


def test_page_size_force_and_enum_arguments_are_checked(mode: str) -> None:
    fake = FakeGlpi([])

    async def body(c: Driven) -> None:
        with pytest.raises(InvalidArgumentError, match=r"batch_size must be an int >= 1 \(got 0\)"):
            async for _ in c.iter_search_tickets(batch_size=0):
                pass
        with pytest.raises(InvalidArgumentError, match=r"force must be True or False \(got 'yes'\)"):
            await c.delete_ticket(1, force="yes")
        with pytest.raises(InvalidArgumentError) as info:
            await c.list_ticket_team_members(1, role="technician")
        assert str(info.value) == "role must be one of 'assigned', 'observer', 'requester' (got 'technician')"
        with pytest.raises(InvalidArgumentError, match=r"type must be one of 'Group', 'Supplier', 'User'"):
            await c.remove_ticket_team_member(1, team_member_id=2, type="user", role="assigned")
        with pytest.raises(InvalidArgumentError, match=r"expected a PostFollowup or a mapping, got str"):
            await c.create_ticket_followup(1, "hello")
        with pytest.raises(InvalidArgumentError, match=r"ticket_ids\[\] must be an int id >= 1 \(got 'x'\)"):
            await c.get_task_statistics([1, "x"])
        with pytest.raises(InvalidArgumentError, match=r"ticket_ids must be an iterable of int ids"):
            await c.get_task_statistics("12")

    run(mode, body, transport=fake.transport())
    assert fake.requests == []


# -- constructor settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"concurrency": 0}, "concurrency must be an int >= 1 (the most requests in flight at once; got 0)"),
        ({"concurrency": 2.5}, "concurrency must be an int >= 1 (the most requests in flight at once; got 2.5, a"),
        ({"max_retries": -1}, "max_retries must be an int >= 0 (0 disables retries; got -1)"),
        ({"max_connections": 0}, "max_connections must be an int >= 1 (the most connections open at once; got 0)"),
        ({"max_connections": "4"}, "max_connections must be an int >= 1 (the most connections open at once; got '4')"),
        ({"glpi_entity": "abc"}, "glpi_entity must be an int >= 0 (an entity id; 0 is the root entity; got 'abc')"),
        ({"glpi_entity": True}, "glpi_entity must be an int >= 0"),
        ({"glpi_profile": 0}, "glpi_profile must be an int >= 1 (a profile id; got 0)"),
        ({"timeout": 0}, "timeout must be a number of seconds > 0, an httpx.Timeout or None (got 0)"),
        ({"timeout": "30"}, "timeout must be a number of seconds > 0, an httpx.Timeout or None (got '30')"),
        ({"verify_ssl": "no"}, "verify_ssl must be True or False (got 'no')"),
        ({"entity_recursive": 1}, "entity_recursive must be True or False (got 1)"),
        ({"language": ""}, "language must be a locale such as 'en_GB' or 'fr_FR' (got '')"),
        ({"auth_token_refresh": "60"}, "auth_token_refresh must be a number of seconds >= 0 (got '60')"),
        ({"name_cache_ttl": -1}, "name_cache_ttl must be a number of seconds >= 0 (0 disables the name cache; got -1)"),
        ({"name_cache_ttl": "300"}, "name_cache_ttl must be a number of seconds >= 0 (0 disables the name cache; got"),
        ({"name_cache_ttl": float("inf")}, "name_cache_ttl must be a number of seconds >= 0"),
        ({"glpi_api_url": "https://"}, "glpi_api_url has no host name (got 'https://')"),
        ({"glpi_api_url": "https://g/api.php/v2?x=1"}, "glpi_api_url must not carry a query string"),
        ({"v1_base_url": "ftp://g/apirest.php"}, "v1_base_url must start with http:// or https://"),
        ({"client_secret": 12345}, "client_secret must be a str (got a value of type int)"),
    ],
)
def test_settings_are_validated_in_one_place(overrides: dict[str, Any], message: str) -> None:
    for cls in (GlpiClient, AsyncGlpiClient):
        with pytest.raises(ConfigurationError) as info:
            cls(**{**REPLAY_SETTINGS, **overrides})
        assert message in str(info.value)
        assert "12345" not in str(info.value)  # a secret's value is never shown, only its type


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigurationError) as info:
        GlpiClient(**{**REPLAY_SETTINGS, "concurrency": 0, "max_retries": -1, "glpi_entity": "abc"})
    message = str(info.value)
    assert message.startswith("invalid GLPI client configuration: ")
    assert all(name in message for name in ("concurrency", "max_retries", "glpi_entity"))


def test_valid_settings_are_kept() -> None:
    client = GlpiClient(
        **REPLAY_SETTINGS,
        glpi_entity=Index(0),
        glpi_profile=4,
        timeout=httpx.Timeout(5.0),
        concurrency=2,
        max_retries=0,
        transport=FakeGlpi().transport(),
    )
    cfg = client.config
    assert (cfg.glpi_entity, cfg.glpi_profile, cfg.concurrency, cfg.max_retries) == (0, 4, 2, 0)
    assert type(cfg.glpi_entity) is int and cfg.timeout == httpx.Timeout(5.0)
    client.close()


@pytest.mark.parametrize("cls", [GlpiClient, AsyncGlpiClient])
def test_unknown_keyword_names_the_public_class(cls: type) -> None:
    with pytest.raises(ConfigurationError) as info:
        cls(**REPLAY_SETTINGS, verify=False)
    assert str(info.value) == (
        f"{cls.__name__}() got an unexpected keyword argument 'verify' (did you mean 'verify_ssl'?)"
    )
    with pytest.raises(ConfigurationError) as info:
        cls(**REPLAY_SETTINGS, concurency=2)
    assert "(did you mean 'concurrency'?)" in str(info.value)
    with pytest.raises(ConfigurationError) as info:
        cls("https://glpi.example.com/api.php/v2")
    assert str(info.value).startswith(f"{cls.__name__}() takes keyword arguments only")
    with pytest.raises(ConfigurationError) as info:
        cls(client_id="a", client_secret="b")
    assert str(info.value) == f"{cls.__name__}(): missing a required argument: 'glpi_api_url'"
    assert "_ClientCore" not in repr(info.value)


def test_executor_is_checked() -> None:
    with pytest.raises(ConfigurationError, match=r"executor must be a concurrent\.futures\.Executor or None"):
        AsyncGlpiClient(**REPLAY_SETTINGS, executor=4)


# -- closed clients -------------------------------------------------------------------------------


def test_calls_after_close_raise_client_closed(mode: str) -> None:
    fake = FakeGlpi([ok({"id": 1})])

    async def body(c: Driven) -> None:
        assert (await c.get_ticket(1)).id == 1
        closing = c.client.close()
        if c.is_async:
            await closing
        for call in (lambda: c.get_ticket(1), lambda: c.create_ticket_followup(1, PostFollowup(content="x"))):
            with pytest.raises(ClientClosedError) as info:
                await call()
            assert str(info.value).startswith(f"this {type(c.client).__name__} is closed: create a new client")
            assert isinstance(info.value, GlpiError)
        with pytest.raises(ClientClosedError):
            async for _ in c.iter_search_tickets():
                pass

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 1


def test_close_twice_is_harmless(mode: str) -> None:
    client = make_client(mode, transport=FakeGlpi().transport())

    async def main() -> None:
        for _ in range(2):
            closing = client.close()
            if closing is not None:
                await closing

    import asyncio

    asyncio.run(main())


# -- one thread pool per sync client ----------------------------------------------------------------


def _pool_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("glpi-client")]


def test_sync_client_keeps_one_bounded_pool_and_closes_it() -> None:
    before = set(_pool_threads())
    fake = FakeGlpi(
        lambda request: ok([] if request.url.path.endswith(("Followup", "Task", "Solution", "Document")) else {"id": 5})
    )
    client = GlpiClient(**REPLAY_SETTINGS, concurrency=3, transport=fake.transport())
    client.get_ticket_context(5)
    pool = client._runtime._pool
    assert pool is not None and pool._max_workers == 3
    client.get_ticket_context(5)
    client.get_task_statistics([1, 2, 3, 4, 5, 6])
    assert client._runtime._pool is pool  # the same pool for every concurrent batch
    mine = set(_pool_threads()) - before
    assert 1 <= len(mine) <= 3
    client.close()
    assert client._runtime._pool is None and not any(t.is_alive() for t in mine)


def test_nested_gathers_on_a_small_pool_finish_in_order() -> None:
    from glpi_python_client._plan import Gather, SyncRuntime, run_sync

    def leaf(n: int) -> Any:
        yield Gather([])
        return n

    def branch(n: int) -> Any:
        values = yield Gather([leaf(n * 10 + i) for i in range(4)], limit=4)
        return values

    runtime = SyncRuntime(max_threads=2)

    def root() -> Any:
        values = yield Gather([branch(n) for n in range(5)], limit=8)
        return values

    assert run_sync(root(), runtime) == [[n * 10 + i for i in range(4)] for n in range(5)]
    runtime.close()


# -- types that match GLPI ------------------------------------------------------------------------


def test_read_models_always_have_an_int_id_and_a_ticket_its_status(mode: str) -> None:
    from glpi_python_client import APIResponseValidationError, IdName

    fake = FakeGlpi([ok({"id": 4}), ok({"name": "no id"}), ok([{"id": 1, "status": None}, {"id": 2, "status": 3}])])

    async def body(c: Driven) -> None:
        ticket = await c.get_ticket(4)
        assert type(ticket.id) is int and ticket.status == IdName()  # GLPI always sends both
        with pytest.raises(APIResponseValidationError) as info:
            await c.get_ticket(5)
        assert str(info.value) == (
            "GLPI's answer to GET http://127.0.0.1:8088/api.php/v2/Assistance/Ticket/5 is not a valid GetTicket:"
            " id: Field required"
        )
        tickets = await c.search_tickets()
        assert [(t.id, t.status.id) for t in tickets] == [(1, None), (2, 3)]

    run(mode, body, transport=fake.transport())


def test_every_readme_example_is_type_checked() -> None:
    """`make typecheck` runs mypy --strict on scripts/readme_examples.py's rendering of every README block."""
    import readme_examples

    readme = readme_examples.README.read_text(encoding="utf-8")
    rendered = readme_examples.render(readme)
    count = readme.count("```python\n")
    assert count >= 5 and len(readme_examples.examples(readme)) == count
    assert rendered.count("def readme_example_") == count
    assert "def readme_example_1() -> None:\n    from glpi_python_client import GlpiClient" in rendered
    assert re.search(r"def readme_example_\d+\(client: GlpiClient\) -> None", rendered)  # a fragment declares its names
    compile(rendered, "readme_examples.py", "exec")


# -- write models catch typos -----------------------------------------------------------------------


def test_write_models_refuse_unknown_keywords_and_name_them() -> None:
    from pydantic import BaseModel, ValidationError

    import glpi_python_client

    with pytest.raises(ValidationError) as info:
        PostTicket(nme="x")  # type: ignore[call-arg]
    assert "PostTicket has no field 'nme' (did you mean 'name'?)" in str(info.value)
    assert "extra_payload={'nme': ...}" in str(info.value)
    writes = [
        getattr(glpi_python_client, name)
        for name in glpi_python_client.__all__
        if name.startswith(("Post", "Patch")) and isinstance(getattr(glpi_python_client, name), type)
    ]
    assert len(writes) >= 30
    for cls in writes:
        assert issubclass(cls, BaseModel)
        if cls.__name__ == "PostPluginFieldsValueRow":  # its columns are the container's fields: dynamic
            assert cls.model_validate({"items_id": 1, "myfield": "x"}).extra_payload == {"myfield": "x"}
            continue
        with pytest.raises(ValidationError, match=rf"{cls.__name__} has no field 'definitely_not_a_field'"):
            cls.model_validate({"definitely_not_a_field": 1})
    assert GetTicket.model_validate({"id": 1, "brand_new": 1}).extra_payload == {"brand_new": 1}  # reads keep it


def test_a_typo_in_a_write_is_refused_and_extra_payload_is_sent(mode: str) -> None:
    fake = FakeGlpi([ok({"id": 9, "href": "/Assistance/Ticket/9"})])

    async def body(c: Driven) -> None:
        with pytest.raises(InvalidArgumentError) as info:
            await c.create_ticket({"nme": "Printer", "content": "3rd floor"})
        assert str(info.value).startswith("invalid PostTicket: PostTicket has no field 'nme' (did you mean 'name'?)")
        with pytest.raises(InvalidArgumentError, match=r"PatchTicket has no field 'urgncy' \(did you mean 'urgency'"):
            await c.update_ticket(1, {"urgncy": 4})
        with pytest.raises(InvalidArgumentError, match=r"invalid PostFollowup: PostFollowup has no field 'contnt'"):
            await c.create_ticket_followup(1, {"contnt": "x"})
        assert await c.create_ticket(PostTicket(name="Printer", extra_payload={"_users_id_requester": 2})) == 9
        with pytest.raises(ValueError, match="PatchTicket has no field"):
            PatchTicket(nme="x")  # type: ignore[call-arg]

    run(mode, body, transport=fake.transport())
    (post,) = fake.api_requests()
    assert json.loads(post.content) == {"name": "Printer", "_users_id_requester": 2}


def _id_parameters(method: Any) -> list[inspect.Parameter]:
    return [
        p
        for p in inspect.signature(method).parameters.values()
        if p.name.endswith("_id") and p.annotation in (int, int | None, "int", "int | None")
    ]


def _placeholder(parameter: inspect.Parameter) -> Any:
    text = str(parameter.annotation)
    if "Post" in text or "Patch" in text or "Mapping" in text:
        return {"extra_payload": {"x": 1}}
    return 1 if "int" in text else "x"


def test_every_public_id_argument_is_checked_before_sending(mode: str) -> None:
    """Every ``*_id: int`` parameter of every public method, on both clients (the generated methods check them)."""
    fake = FakeGlpi(lambda request: ok({"id": 1}))
    client = make_client(mode, transport=fake.transport())
    checked: list[str] = []

    async def call(method: Any, kwargs: dict[str, Any]) -> None:
        result = method(**kwargs)
        if inspect.isawaitable(result):
            await result
        elif inspect.isasyncgen(result):
            await result.__anext__()
        elif inspect.isgenerator(result):
            next(result)

    async def main() -> None:
        for name in sorted(n for n in dir(client) if not n.startswith("_")):
            method = getattr(client, name)
            if not inspect.ismethod(method):
                continue
            parameters = inspect.signature(method).parameters.values()
            for target in _id_parameters(method):
                kwargs = {
                    p.name: "abc" if p.name == target.name else _placeholder(p)
                    for p in parameters
                    if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                    and (p.name == target.name or p.default is p.empty)
                }
                with pytest.raises(
                    InvalidArgumentError, match=rf"^{target.name} must be an int id >= [01] \(got 'abc'\)"
                ):
                    await call(method, kwargs)
                checked.append(f"{name}({target.name})")

    asyncio.run(main())
    assert fake.requests == []
    assert len(checked) >= 100 and "get_ticket(ticket_id)" in checked and "get_user_activity(user_id)" in checked


def test_every_exported_error_shows_its_public_path() -> None:
    """Tracebacks name ``glpi_python_client.X``, never a private module, for every error the package exports."""
    import pickle

    import glpi_python_client as pkg

    exported = [getattr(pkg, name) for name in pkg.__all__]  # (the package imports them on first use)
    errors = [v for v in exported if isinstance(v, type) and issubclass(v, pkg.GlpiError)]
    assert {"IncidentKeyError", "UnknownResourceError", "WriteValidationError"} <= {e.__name__ for e in errors}
    for error in errors:
        assert error.__module__ == "glpi_python_client", error
    assert type(pickle.loads(pickle.dumps(pkg.IncidentKeyError("bad key")))) is pkg.IncidentKeyError
    invalid = pickle.loads(pickle.dumps(pkg.WriteValidationError("Computer", [("id", "not a writable property")])))
    assert (type(invalid), invalid.itemtype, invalid.errors) == (
        pkg.WriteValidationError,
        "Computer",
        [("id", "not a writable property")],
    )
    assert str(invalid) == "invalid Computer body: 'id': not a writable property"
