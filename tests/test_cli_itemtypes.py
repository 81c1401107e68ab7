"""``glpi ITEMTYPE list|get|count`` and ``glpi itemtypes``: every collection of the resource index, on the simulator."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from cli_harness import CliGlpi

from glpi_python_client._generated.resource_index import RESOURCES


@pytest.fixture
def glpi(tmp_path: Path) -> CliGlpi:
    server = CliGlpi(tmp_path / "config.toml")
    with server.client() as client:
        computers = client.resource("Computer")
        computers.create({"name": "pc-01", "serial": "S-001", "comment": "3rd floor"})
        computers.create({"name": "pc-02", "serial": "S-002"})
        computers.create({"name": "srv-01", "serial": "S-100"})
    return server


def test_list_formats_round_trip(glpi: CliGlpi) -> None:
    rows = glpi.run("Computer", "list", "--format", "json").json()
    assert [r["name"] for r in rows] == ["pc-01", "pc-02", "srv-01"]
    assert rows[0]["comment"] == "3rd floor"
    table = list(
        csv.DictReader(io.StringIO(glpi.run("Computer", "list", "--format", "csv", "-F", "id", "-F", "serial").out))
    )
    assert table == [{"id": str(r["id"]), "serial": r["serial"]} for r in rows]
    human = glpi.run("computer", "list")  # any case, like client.resource()
    assert human.code == 0
    assert "S-002" in human.out
    assert glpi.run("/Assets/Computer", "list", "--format", "json").json() == rows


def test_list_filter_sort_limit_all(glpi: CliGlpi) -> None:
    def names(*args: str) -> list[str]:
        run = glpi.run("Computer", "list", "--format", "json", *args)
        assert run.code == 0, run.err
        return [r["name"] for r in run.json()]

    assert names("-f", 'name=like="pc-*"') == ["pc-01", "pc-02"]
    assert names("--sort", "name:desc", "-n", "2") == ["srv-01", "pc-02"]
    assert names("--all") == ["pc-01", "pc-02", "srv-01"]
    partial = glpi.run("Computer", "list", "-n", "1")
    assert "1 of 3 shown" in partial.err


def test_get_and_count(glpi: CliGlpi) -> None:
    item = glpi.run("Computer", "get", "2", "--format", "json").json()
    assert (item["id"], item["name"]) == (2, "pc-02")
    table = glpi.run("Computer", "get", "2")
    assert "pc-02" in table.out
    assert "serial" in table.out
    assert glpi.run("Computer", "count").out == "3\n"
    assert glpi.run("Computer", "count", "-f", "serial==S-100").out == "1\n"


def test_failures(glpi: CliGlpi) -> None:
    missing = glpi.run("Computer", "get", "999")
    assert missing.code == 1
    assert "GLPI answered 404" in missing.err
    unknown = glpi.run("Computr", "list")
    assert unknown.code == 2
    assert "did you mean 'Computer'" in unknown.err
    bad = glpi.run("Computer", "list", "-f", "nosuch==1")
    assert bad.code == 1
    assert "GLPI answered 400" in bad.err


def test_every_itemtype_of_the_index_is_a_command(glpi: CliGlpi) -> None:
    listed = glpi.run("itemtypes", "--format", "json").json()
    assert sorted(r["itemtype"] for r in listed) == sorted(r["itemtype"] for r in RESOURCES)
    for spec in RESOURCES:
        run = glpi.run(spec["itemtype"], "count")
        assert run.code == 0, (spec["itemtype"], run.err)
        assert int(run.out) >= 0
    assert glpi.run("Computer", "count").out == "3\n"
    help_text = glpi.run("--help").out
    assert "itemtypes" in help_text
    assert "Computer list|get|count" in help_text
