"""A representative set of itemtypes, end to end: recorded against a live GLPI, replayed, or simulated.

With ``GLPI_RECORD=1`` (``make record``) each test runs against the live GLPI named by the ``GLPI_*`` variables and
records ``cassettes/itemtypes_<name>.yaml``: it creates its own record, reads, searches, counts, iterates and updates
it, then purges it (also when an assertion fails). Without it, the test replays that cassette when it exists;
until one is recorded, the same body runs against the document-driven simulator, so the scenario is exercised
either way (never skipped).
"""

from __future__ import annotations

from typing import Any

import pytest
from glpi_harness import OWN, RECORDING, Driven, collect, run
from glpi_harness import settle as aw
from glpi_sim import GlpiSim

from glpi_python_client import NotFoundError, rsql

#: collection accessor (area, attribute) -> the body of the record the scenario creates
SCENARIOS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "computer": ("assets", "computers", {"serial": "REC-0001"}),
    "monitor": ("assets", "monitors", {"serial": "REC-0002"}),
    "software": ("assets", "softwares", {"comment": "recorded by the test suite"}),
    "problem": ("assistance", "problems", {"content": "Disk array degraded", "urgency": 3}),
    "change": ("assistance", "changes", {"content": "Replace the disk array", "urgency": 3}),
    "group": ("administration", "groups", {"comment": "recorded by the test suite"}),
    "contract": ("management", "contracts", {"comment": "recorded by the test suite"}),
    "project": ("project", "projects", {"content": "Recorded project", "code": "REC-P1"}),
    "manufacturer": ("dropdowns", "manufacturers", {"comment": "recorded by the test suite"}),
    "kb_article": ("knowledgebase", "articles", {"content": "<p>Restart the spooler.</p>"}),
}


def _scenario(mode: str, name: str) -> None:
    area, attribute, extra = SCENARIOS[name]
    title = f"glpi-python-client itemtypes {name}"

    async def body(c: Driven) -> None:
        res = getattr(getattr(c.client, area), attribute)
        item_id = await aw(res.create({"name": title, **extra}))
        try:
            item = await aw(res.get(item_id))
            assert (item.id, item.name) == (item_id, title)
            by_name = rsql.eq("name", title)
            page = await aw(res.search(by_name, limit=5))
            assert [i.id for i in page.items] == [item_id] and page.total == 1
            assert await aw(res.count(by_name)) == 1
            assert [i.id for i in await collect(res.iterate(by_name, page_size=1))] == [item_id]
            assert await aw(res.count()) >= 1
            updated = await aw(res.update(item_id, {"name": title + " (updated)"}))
            assert updated.name == title + " (updated)"
        finally:
            await aw(res.delete(item_id, force=True))
        with pytest.raises(NotFoundError):
            await aw(res.get(item_id))

    scenario = f"itemtypes_{name}"
    if RECORDING or (OWN / f"{scenario}.yaml").exists():
        run(mode, body, scenario=scenario)
    else:
        run(mode, body, transport=GlpiSim().transport())


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_representative_itemtype_lifecycle(mode: str, name: str) -> None:
    _scenario(mode, name)
