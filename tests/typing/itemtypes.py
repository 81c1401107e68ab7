"""Checked by ``make typecheck`` (mypy --strict), never run: what a user's script sees of the itemtype resources."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import assert_type

from glpi_python_client import AsyncGlpiClient, GlpiClient, SearchPage
from glpi_python_client.itemtypes import Computer, ComputerWrite, Location, Problem


def sync_script(client: GlpiClient) -> None:
    assert_type(client.assets.computers.get(1), Computer)
    assert_type(client.resource("Computer").get(1), Computer)
    assert_type(client.resource("/Assets/Computer").get(1), Computer)
    assert_type(client.assistance.problems.get(1), Problem)
    assert_type(client.dropdowns.locations.search("name==Paris"), SearchPage[Location])
    assert_type(client.assets.computers.iterate(), Iterator[Computer])
    assert_type(client.assets.computers.count(), int)
    assert_type(client.assets.computers.create(ComputerWrite(name="pc")), int)
    assert_type(client.assets.computers.update(1, {"name": "pc"}), Computer)
    assert_type(client.assets.computers.delete(1, force=True), None)


async def async_script(client: AsyncGlpiClient) -> None:
    assert_type(await client.assets.computers.get(1), Computer)
    assert_type(await client.resource("Computer").get(1), Computer)
    assert_type(client.assets.computers.iterate(), AsyncIterator[Computer])
    assert_type(await client.assets.computers.count("state==1"), int)
