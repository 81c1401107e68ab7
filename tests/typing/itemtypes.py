"""Checked by ``make typecheck`` (mypy --strict), never run: what a user's script sees of the itemtype resources."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import assert_type

from glpi_python_client import AsyncGlpiClient, GlpiClient, SearchPage
from glpi_python_client.itemtypes import (
    BatteryItem,
    Computer,
    ComputerWrite,
    Location,
    Note,
    NoteWrite,
    Problem,
    ProblemTask,
    SoftwareInstallation,
)


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
    # sub-collections are typed by name
    assert_type(client.assets.computers.sub("SoftwareInstallation", 1).get(2), SoftwareInstallation)
    assert_type(client.assets.computers.sub("Component/Battery", 1).search(), SearchPage[BatteryItem])
    assert_type(client.resource("Problem").sub("Timeline/Task", 3).get(4), ProblemTask)
    assert_type(client.assistance.problems.sub("Note", 3).create(NoteWrite(content="seen")), int)


async def async_script(client: AsyncGlpiClient) -> None:
    assert_type(await client.assets.computers.get(1), Computer)
    assert_type(await client.resource("Computer").get(1), Computer)
    assert_type(client.assets.computers.iterate(), AsyncIterator[Computer])
    assert_type(await client.assets.computers.count("state==1"), int)
    assert_type(await client.assets.computers.sub("Note", 1).get(2), Note)
    assert_type(client.assistance.problems.sub("Timeline/Task", 3).iterate(), AsyncIterator[ProblemTask])
