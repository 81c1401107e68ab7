"""Both clients expose the same methods with the same signatures; configuration errors are clear."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
import typing
from collections.abc import AsyncIterator, Iterator

import pytest
from fake_glpi import FakeGlpi

import glpi_python_client
from glpi_python_client import AsyncGlpiClient, ConfigurationError, GlpiClient

SETTINGS = {"glpi_api_url": "https://glpi.example.com/api.php/v2", "client_id": "id", "client_secret": "secret"}


def _public(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def _same_signature(left: inspect.Signature, right: inspect.Signature) -> bool:
    """Same parameters, and the same result (a sync ``Iterator[X]`` pairs with an async ``AsyncIterator[X]``)."""
    if left.parameters != right.parameters:
        return False
    sync_result, async_result = left.return_annotation, right.return_annotation
    if isinstance(sync_result, str) and isinstance(async_result, str):  # postponed annotations (client bases)
        return sync_result == async_result or (
            sync_result.startswith("Iterator[") and async_result == f"Async{sync_result}"
        )
    if typing.get_origin(sync_result) is Iterator and typing.get_origin(async_result) is AsyncIterator:
        return typing.get_args(sync_result) == typing.get_args(async_result)
    return bool(sync_result == async_result)


def test_public_methods_and_signatures_are_identical() -> None:
    sync_client = GlpiClient(**SETTINGS, transport=FakeGlpi().transport())
    async_client = AsyncGlpiClient(**SETTINGS, transport=FakeGlpi().transport())
    names = _public(GlpiClient)
    assert names == _public(AsyncGlpiClient)
    assert len(names) >= 69
    for name in sorted(names):
        left, right = getattr(sync_client, name), getattr(async_client, name)
        if callable(left):
            assert _same_signature(inspect.signature(left), inspect.signature(right)), name
            assert (left.__doc__ or "") == (right.__doc__ or ""), name
    assert inspect.iscoroutinefunction(async_client.get_ticket)
    assert inspect.isasyncgenfunction(async_client.iter_search_tickets)
    assert inspect.isgeneratorfunction(sync_client.iter_search_tickets)
    sync_client.close()


def test_guide_methods_exist() -> None:
    expected = [
        "search_tickets",
        "get_ticket",
        "create_ticket",
        "update_ticket",
        "delete_ticket",
        "iter_search_tickets",
        "list_ticket_followups",
        "get_ticket_followup",
        "create_ticket_followup",
        "update_ticket_followup",
        "delete_ticket_followup",
        "list_ticket_tasks",
        "get_ticket_task",
        "create_ticket_task",
        "update_ticket_task",
        "delete_ticket_task",
        "list_ticket_solutions",
        "get_ticket_solution",
        "create_ticket_solution",
        "update_ticket_solution",
        "delete_ticket_solution",
        "list_ticket_timeline_documents",
        "get_ticket_timeline_document",
        "unlink_ticket_timeline_document",
        "add_ticket_team_member",
        "list_ticket_team_members",
        "remove_ticket_team_member",
        "search_users",
        "get_user",
        "create_user",
        "update_user",
        "delete_user",
        "iter_search_users",
        "search_locations",
        "get_location",
        "create_location",
        "update_location",
        "delete_location",
        "search_entities",
        "get_entity",
        "create_entity",
        "update_entity",
        "delete_entity",
        "iter_search_entities",
        "search_documents",
        "get_document",
        "create_document",
        "update_document",
        "delete_document",
        "from_env",
        "close",
        "api",
    ]
    missing = [name for name in expected if not hasattr(GlpiClient, name)]
    assert missing == []


def test_public_surface_is_exported() -> None:
    for name in glpi_python_client.__all__:
        assert hasattr(glpi_python_client, name), name


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"glpi_api_url": ""}, "glpi_api_url is required"),
        ({"glpi_api_url": "glpi.example.com"}, "must start with http"),
        ({"client_secret": None}, "client_secret is missing"),
        ({"client_id": None, "client_secret": None}, "credentials are missing"),
        ({"username": "u"}, "password is missing"),
        ({"auth_token_refresh": -1}, "auth_token_refresh"),
    ],
)
def test_invalid_configuration_names_what_is_missing(overrides: dict, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        GlpiClient(**{**SETTINGS, **overrides})


def test_username_password_pair_alone_is_accepted() -> None:
    client = GlpiClient(
        glpi_api_url="https://g/api.php/v2", username="u", password="p", transport=FakeGlpi().transport()
    )
    assert client.config.grant_type == "password"
    client.close()


def test_token_url_is_derived_from_the_api_url() -> None:
    for url in ("https://g/api.php/v2", "https://g/api.php/v2.2/", "https://g/api.php/v2.1"):
        client = GlpiClient(**{**SETTINGS, "glpi_api_url": url}, transport=FakeGlpi().transport())
        assert client.config.token_url == "https://g/api.php/token"
        client.close()


def test_from_env_reads_every_variable_with_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "GLPI_API_URL": "https://glpi.example.com/api.php/v2",
        "GLPI_CLIENT_ID": "cid",
        "GLPI_CLIENT_SECRET": "csecret",
        "GLPI_USERNAME": "api-user",
        "GLPI_PASSWORD": "api-pass",
        "GLPI_ENTITY": "3",
        "GLPI_PROFILE": "4",
        "GLPI_ENTITY_RECURSIVE": "true",
        "GLPI_LANGUAGE": "fr_FR",
        "GLPI_VERIFY_SSL": "false",
        "GLPI_V1_BASE_URL": "https://glpi.example.com/apirest.php",
        "GLPI_V1_USER_TOKEN": "ut",
        "GLPI_V1_APP_TOKEN": "at",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for cls in (GlpiClient, AsyncGlpiClient):
        client = cls.from_env(glpi_profile=9)
        cfg = client.config
        assert (cfg.client_id, cfg.username, cfg.glpi_entity, cfg.glpi_profile) == ("cid", "api-user", 3, 9)
        assert cfg.entity_recursive is True and cfg.verify_ssl is False and cfg.language == "fr_FR"
        assert (cfg.v1_base_url, cfg.v1_user_token, cfg.v1_app_token) == (
            "https://glpi.example.com/apirest.php",
            "ut",
            "at",
        )
        assert "csecret" not in repr(client) and "api-pass" not in repr(cfg)


def test_from_env_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLPI_API_URL", raising=False)
    with pytest.raises(ConfigurationError, match="GLPI_API_URL"):
        GlpiClient.from_env()
    monkeypatch.setenv("GLPI_API_URL", "https://g/api.php/v2")
    monkeypatch.setenv("GLPI_ENTITY", "three")
    with pytest.raises(ConfigurationError, match="GLPI_ENTITY must be an integer"):
        GlpiClient.from_env(client_id="a", client_secret="b")


#: What neither ``import glpi_python_client`` nor building a client may load (prefixes of module names).
_DEFERRED = (
    "pydantic",  # and so pydantic_core, annotated_types
    "glpi_api_v2",  # the generated SDK: per operation
    "glpi_python_client._models",
    "glpi_python_client._operations",  # the plans: per method, on its first call
    "glpi_python_client._generated.itemtype_models",
    "glpi_python_client._generated.resource_index",
    "glpi_python_client._generated.resource_accessors",
    "glpi_python_client._generated.resource_api",
    "glpi_python_client._generated.entry_points",
    "glpi_python_client._context",
    "glpi_python_client._enums",
    "glpi_python_client.itemtypes",
    "glpi_python_client.richtext",
    "glpi_python_client._html_reader",
    "glpi_python_client._markdown_writer",
    "markdown_it",
    "markdownify",
    "glpi_python_client.webhooks",
    "glpi_python_client.testing",
    "glpi_python_client.cli",
    "glpi_python_client.alerts",
    "typer",  # (not rich: httpx imports it for its own command line where it is installed)
)


#: What a first get_ticket does not load: the models and plans of other areas, the itemtype layer, the extras.
_FIRST_CALL_SKIPS = (
    "glpi_python_client._models.computer",
    "glpi_python_client._models.contract",
    "glpi_python_client._models.knowledgebase",
    "glpi_python_client._models.plugin_fields",
    "glpi_python_client._operations.catalog",
    "glpi_python_client._operations.incidents",
    "glpi_python_client._operations.reporting",
    "glpi_python_client._generated.itemtype_models",
    "glpi_python_client._generated.resource_index",
    "glpi_python_client._generated.entry_points",
    "glpi_python_client.testing",
    "glpi_python_client.cli",
    "glpi_python_client.webhooks",
)


def test_import_is_lazy() -> None:
    """``import glpi_python_client`` loads the package and its lazy-import helper alone; ``GlpiClient`` and
    building both clients add the clients and httpx, never the models, pydantic, the plans or the extras:
    those come with a first operation."""
    code = (
        "import sys, json\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.startswith(DEFERRED) or m == 'httpx')\n"
        "import glpi_python_client\n"
        "stages = {'import': [m for m in sys.modules if m.startswith('glpi_python_client.') or m == 'httpx']}\n"
        "from glpi_python_client import AsyncGlpiClient, GlpiClient, NotFoundError\n"
        "stages['names'] = loaded()\n"
        "settings = dict(glpi_api_url='https://glpi.example.com/api.php/v2', client_id='id', client_secret='s')\n"
        "GlpiClient(**settings).close()\n"
        "stages['sync client'] = loaded() + [m for m in sys.modules if m == 'asyncio']  # (for the async one)\n"
        "import asyncio; asyncio.run(AsyncGlpiClient(**settings).close())\n"
        "stages['clients'] = loaded()\n"
        "import httpx\n"
        "def glpi(request):\n"
        "    if request.url.path.endswith('/token'):\n"
        "        return httpx.Response(200, json={'access_token': 't', 'expires_in': 3600})\n"
        "    return httpx.Response(200, json={'id': 1, 'name': 'Printer', 'status': {'id': 1, 'name': 'New'}})\n"
        "with GlpiClient(**settings, transport=httpx.MockTransport(glpi)) as client:\n"
        "    assert client.get_ticket(1).name == 'Printer'\n"
        "stages['get_ticket'] = [m for m in loaded() if m.startswith(FIRST_CALL_SKIPS)]\n"
        "print(json.dumps(stages))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"DEFERRED = {_DEFERRED!r}\nFIRST_CALL_SKIPS = {_FIRST_CALL_SKIPS!r}\n" + code],
        capture_output=True,
        text=True,
        check=True,
    )
    stages = json.loads(out.stdout)
    assert stages == {
        "import": ["glpi_python_client._deferred"],
        "names": ["httpx"],
        "sync client": ["httpx"],
        "clients": ["httpx"],
        "get_ticket": [],  # it loads the models its plan module names, not every one
    }
    # every exported name still imports, and is the object its module defines
    assert [name for name in glpi_python_client.__all__ if getattr(glpi_python_client, name) is None] == []
    assert set(glpi_python_client.__all__) <= set(dir(glpi_python_client))


@pytest.mark.parametrize("package", ["glpi_python_client", "glpi_python_client._models"])
def test_lazy_exports_match_the_type_checking_imports(package: str) -> None:
    """``__all__``, the ``TYPE_CHECKING`` imports (what type checkers and the docs read) and the table
    ``__getattr__`` reads name the same things, from the same modules."""
    import ast

    module = importlib.import_module(package)
    tree = ast.parse(inspect.getsource(module))
    (guarded,) = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    typed = {
        alias.name: "." * node.level + (node.module or "")
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == module._LAZY.module_of
    assert sorted(typed) == sorted(module.__all__)
    for name, source in typed.items():
        assert getattr(module, name) is getattr(importlib.import_module(source, package), name)


def test_public_submodules_are_attributes_of_the_package() -> None:
    """After a plain ``import glpi_python_client``, ``glpi_python_client.rsql`` (and the other public submodules)
    resolve as they did when the package imported them eagerly: the same module objects, and in ``dir()``."""
    code = (
        "import sys, glpi_python_client as g\n"
        "names = ['itemtypes', 'richtext', 'rsql', 'testing', 'webhooks']\n"
        "assert all(f'glpi_python_client.{n}' not in sys.modules for n in names)\n"
        "assert all(getattr(g, n) is sys.modules[f'glpi_python_client.{n}'] for n in names)\n"
        "assert set(names) <= set(dir(g))\n"
        "assert g.rsql.eq('id', 3) == 'id==3' and g.itemtypes.SearchPage is g.SearchPage\n"
        "assert not hasattr(g, 'no_such_module')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
