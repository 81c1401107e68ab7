"""What code written for the peer glpi-python-client 0.6.5 sees here: its methods, fully typed, on both clients.

Not run: ``mypy --strict`` reads it (``make typecheck``); an ``assert_type`` fails when a named method's
signature or result type regresses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import assert_type

from glpi_python_client import (
    AsyncGlpiClient,
    FollowupDocuments,
    GetComputer,
    GetContractCost,
    GetContractItem,
    GetDocumentItem,
    GetKBArticle,
    GetKBArticleRevision,
    GetPluginFieldsValueRow,
    GetUser,
    GlpiClient,
    PostComputer,
    PostContractItem,
    PostKBArticle,
)


def sync_usage(client: GlpiClient) -> None:
    assert_type(client.search_computers("status==2", limit=50, start=0, sort="name"), list[GetComputer])
    assert_type(client.iter_search_computers(batch_size=50), Iterator[list[GetComputer]])
    assert_type(client.get_computer(1), GetComputer)
    assert_type(client.create_computer(PostComputer(name="pc")), int)
    assert_type(client.update_computer(1, {"serial": "SN"}), GetComputer)
    assert_type(client.delete_computer(1, force=True), None)
    assert_type(client.list_contract_costs(4, limit=50, start=0), list[GetContractCost])
    assert_type(client.link_computer_contract(1, PostContractItem(contract=4)), int)
    assert_type(client.get_computer_contract(1, 2), GetContractItem)
    assert_type(client.create_kb_article(PostKBArticle(name="VPN", categories=[1])), int)
    assert_type(client.iter_search_kb_articles(language="fr_FR"), Iterator[list[GetKBArticle]])
    assert_type(client.get_kb_article_revision(1, 2, language="fr_FR"), GetKBArticleRevision)
    assert_type(client.set_kb_article_categories(1, [2, 3]), None)
    assert_type(client.find_user_by_email("a@example.com"), GetUser | None)
    assert_type(client.list_item_documents("ITILFollowup", 5), list[GetDocumentItem])
    assert_type(client.list_ticket_followup_documents(3, include_private=True), list[FollowupDocuments])
    assert_type(client.stream_document_content(4, chunk_size=4096), Iterator[bytes])
    assert_type(client.list_item_plugin_field_rows("Ticket", 12, "infos"), list[GetPluginFieldsValueRow])
    assert_type(client.delete_ticket_followup(3, 9, force=True), None)


async def async_usage(client: AsyncGlpiClient) -> None:
    assert_type(await client.get_computer(1), GetComputer)
    assert_type(client.iter_search_computers(), AsyncIterator[list[GetComputer]])
    assert_type(client.stream_document_content(4), AsyncIterator[bytes])
    assert_type(await client.find_user_by_email("a@example.com", skip_entity=False), GetUser | None)
    async for chunk in client.stream_document_content(4):
        assert_type(chunk, bytes)
