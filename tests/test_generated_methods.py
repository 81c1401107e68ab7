"""The clients' public methods are real functions, generated from the declarations, and never stale."""

from __future__ import annotations

import inspect
import pydoc
import typing
from collections.abc import AsyncIterator, Iterator

import generate_methods
import pytest
from fake_glpi import API, FakeGlpi, ok

from glpi_python_client import AsyncGlpiClient, GetTicket, GlpiClient
from glpi_python_client._api import GlpiAPI
from glpi_python_client._operation import declarations, operation, paginated, streamed
from glpi_python_client._operations import resources

SETTINGS = {"glpi_api_url": "https://glpi.example.com/api.php/v2", "client_id": "id", "client_secret": "secret"}


def test_committed_methods_match_the_declarations() -> None:
    """Fails when a declaration or plan changed without `make regenerate` (or `make methods`)."""
    committed = generate_methods.OUTPUT.read_text(encoding="utf-8")
    assert committed == generate_methods.generated_source(), "run `make methods` and commit the result"


def test_every_declaration_is_a_plain_method_of_both_clients() -> None:
    declared = list(declarations(GlpiAPI))
    assert len(declared) >= 60
    for _, name, decl in declared:
        sync_method, async_method = vars(GlpiClient.__mro__[1])[name], vars(AsyncGlpiClient.__mro__[1])[name]
        assert inspect.isfunction(sync_method) and inspect.isfunction(async_method), name
        assert inspect.getdoc(sync_method) == inspect.cleandoc(decl.target.__doc__ or ""), name
        if isinstance(decl, paginated | streamed):
            assert inspect.isgeneratorfunction(sync_method) and inspect.isasyncgenfunction(async_method), name
        else:
            assert not inspect.isgeneratorfunction(sync_method), name
            assert inspect.iscoroutinefunction(async_method), name


def _hints(function: typing.Any) -> dict[str, typing.Any]:
    """The annotations evaluated as a tool reading hints at run time does: ``typing.get_type_hints``, nothing else.

    The models' are quoted and name them through their module (``'_models.GetTicket'``), imported when asked.
    """
    return typing.get_type_hints(function)


@pytest.mark.parametrize("cls", [GlpiClient, AsyncGlpiClient])
def test_every_public_method_has_hints_that_resolve(cls: type[GlpiClient] | type[AsyncGlpiClient]) -> None:
    methods = [getattr(cls, n) for n in dir(cls) if not n.startswith("_") and inspect.isfunction(getattr(cls, n))]
    assert len(methods) > 120
    for method in methods:
        hints = _hints(method)
        assert not any(isinstance(v, str | typing.ForwardRef) for v in hints.values()), method.__name__


@pytest.mark.parametrize("cls", [GlpiClient, AsyncGlpiClient])
def test_signatures_read_on_class_and_instance(cls: type[GlpiClient] | type[AsyncGlpiClient]) -> None:
    on_class = inspect.signature(cls.get_ticket)
    assert list(on_class.parameters) == ["self", "ticket_id"]
    assert on_class.parameters["ticket_id"].annotation is int
    assert on_class.return_annotation == "_models.GetTicket"  # what the caller gets, not Plan[GetTicket]
    client = cls(**SETTINGS, transport=FakeGlpi().transport())
    on_instance = inspect.signature(client.get_ticket)
    assert list(on_instance.parameters) == ["ticket_id"] and on_instance.return_annotation == "_models.GetTicket"
    pages = inspect.signature(client.iter_search_tickets)
    assert pages.parameters["batch_size"].kind is inspect.Parameter.KEYWORD_ONLY
    expected = Iterator if cls is GlpiClient else AsyncIterator
    assert pages.return_annotation == f"{expected.__name__}[list[_models.GetTicket]]"
    assert typing.get_origin(_hints(client.iter_search_tickets)["return"]) is expected
    assert typing.get_args(_hints(client.iter_search_tickets)["return"]) == (list[GetTicket],)
    assert _hints(cls.update_ticket)["return"] is GetTicket


def test_every_quoted_annotation_names_an_exported_type() -> None:
    """The quoted annotations resolve (a model renamed or not exported would leave help() naming nothing)."""
    for cls in (GlpiClient, AsyncGlpiClient):
        for name, method in vars(cls.__mro__[1]).items():
            if inspect.isfunction(method):
                assert _hints(method), name


def test_help_reads_like_a_reference() -> None:
    text = pydoc.render_doc(GlpiClient, renderer=pydoc.plaintext)
    assert "operation object" not in text and "paginated object" not in text
    assert "get_ticket(self, ticket_id: int) -> '_models.GetTicket'" in text
    assert "Fetch one ticket" in text
    assert "iter_search_tickets(self, rsql_filter: str | None = None, *, batch_size: int = 100" in text


def test_a_new_declaration_becomes_a_working_method_of_both_clients() -> None:
    """What a helper adding a method relies on: declare it, regenerate, and both clients have it."""

    class ExtraAPI:
        """An area added later."""

        fetch_ticket_again = operation(resources.get_ticket)
        pages_of_users = paginated(resources.iter_search_users)

    class Root(GlpiAPI, ExtraAPI):
        pass

    source = generate_methods.tidy(generate_methods.render(generate_methods.collect(Root)))
    assert '    def fetch_ticket_again(self, ticket_id: int) -> "_models.GetTicket":\n' in source
    assert '    async def fetch_ticket_again(self, ticket_id: int) -> "_models.GetTicket":\n' in source
    namespace: dict[str, typing.Any] = {}
    exec(compile(source, "client_methods.py", "exec"), namespace)
    fake = FakeGlpi([ok({"id": 7, "name": "printer"})])
    client = namespace["GlpiClientMethods"](**{**SETTINGS, "glpi_api_url": API}, transport=fake.transport())
    assert client.fetch_ticket_again(7).name == "printer"
    assert inspect.isasyncgenfunction(namespace["AsyncGlpiClientMethods"].pages_of_users)
    client.close()


def test_declarations_the_generator_cannot_use_are_refused() -> None:
    class First:
        get_ticket = operation(resources.get_ticket)

    class Second:
        get_ticket = operation(resources.get_user)

    class Twice(First, Second):
        pass

    with pytest.raises(generate_methods.GeneratorError, match="declared by both First and Second"):
        generate_methods.collect(Twice)

    from glpi_python_client._operations import _common

    with pytest.raises(generate_methods.GeneratorError, match=r"annotated `-> Plan\[...\]`"):
        generate_methods.describe(First, "json_body", "operation", _common.json_body)
