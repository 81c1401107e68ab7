"""A GLPI in a box for your own tests: a stateful, in-memory GLPI 11 that both clients talk to.

``GlpiSimulator`` serves GLPI's High-Level API v2 as an httpx transport, with the behaviours a real
GLPI 11.0.6 showed (creates answer 200 ``{id, href}``; searches page with 206 + ``Content-Range`` and
evaluate RSQL, ``status==1`` refused with GLPI's 400 as GLPI does; timeline envelopes; the team;
OAuth password and client_credentials grants with refresh rotation and the 400 "Invalid OAuth token";
the v1 session, document upload, ``Item_Ticket`` links, and the Fields plugin once
``fields_container()`` adds a container). Tickets, users, entities, locations and
documents are modelled by hand; every other itemtype collection of the OpenAPI document is served from
the resource index. Seed it, inject faults, and assert on what your code sent::

    from glpi_python_client.testing import GlpiSimulator

    sim = GlpiSimulator()
    with sim.sync_client() as client:
        ticket_id = client.create_ticket({"name": "Printer on fire", "content": "Third floor"})
    assert sim.count("POST", r"/Assistance/Ticket$") == 1

With pytest, the fixtures ``glpi_sim``, ``glpi_client`` and ``async_glpi_client`` come with the package
(a pytest plugin, registered by installing it). Nothing here is imported by ``import glpi_python_client``.
"""

from ._faults import Fault, FaultKind
from ._simulator import ORIGIN, START, V1, V2, GlpiSimulator

__all__ = ["ORIGIN", "START", "V1", "V2", "Fault", "FaultKind", "GlpiSimulator"]
