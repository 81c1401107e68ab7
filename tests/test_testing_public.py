"""The public simulator and its pytest fixtures, used the way a user's own tests would use them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from glpi_python_client import (
    APIResponseValidationError,
    APITimeoutError,
    AsyncGlpiClient,
    GlpiClient,
    InternalServerError,
    PostFollowup,
    PostTicket,
)
from glpi_python_client.testing import Fault, GlpiSimulator


def test_my_sync(glpi_client: GlpiClient, glpi_sim: GlpiSimulator) -> None:
    """The README's example: the fixtures give a client on a fresh simulator, whose state tests can read."""
    ticket_id = glpi_client.create_ticket(PostTicket(name="Printer on fire", content="Third floor"))
    glpi_client.create_ticket_followup(ticket_id, PostFollowup(content="On my way."))
    assert glpi_client.get_ticket(ticket_id).name == "Printer on fire"
    assert glpi_sim.created == [
        ("/api.php/v2/Assistance/Ticket", ticket_id),
        (f"/api.php/v2/Assistance/Ticket/{ticket_id}/Timeline/Followup", glpi_sim.created[1][1]),
    ]
    assert glpi_sim.count("POST", r"/Assistance/Ticket$") == 1


def test_async_fixture(async_glpi_client: AsyncGlpiClient, glpi_sim: GlpiSimulator) -> None:
    async def scenario() -> str:
        ticket_id = await async_glpi_client.create_ticket(PostTicket(name="Async", content="x"))
        return (await async_glpi_client.get_ticket(ticket_id)).name

    assert asyncio.run(scenario()) == "Async"
    assert glpi_sim.count("POST", "/Assistance/Ticket") == 1


def test_seeded_records_are_served_and_not_counted(glpi_client: GlpiClient, glpi_sim: GlpiSimulator) -> None:
    ticket_id = glpi_sim.seed("/Assistance/Ticket", {"name": "Seeded", "content": "<p>hello</p>", "urgency": 4})
    glpi_sim.seed(f"/Assistance/Ticket/{ticket_id}/Timeline/Task", {"content": "lab", "duration": 1800})
    computer_id = glpi_sim.seed("Computer", {"name": "pc-042"})
    assert glpi_sim.requests == [] and glpi_sim.created == []
    ticket = glpi_client.get_ticket(ticket_id)
    assert (ticket.name, ticket.urgency, ticket.actiontime) == ("Seeded", 4, 1800)
    assert glpi_client.resource("Computer").get(computer_id).name == "pc-042"
    with pytest.raises(ValueError, match="no GLPI collection"):
        glpi_sim.seed("Computre", {"name": "x"})


def test_a_503_is_retried_on_reads(glpi_sim: GlpiSimulator) -> None:
    ticket_id = glpi_sim.seed("/Assistance/Ticket", {"name": "x", "content": "y"})
    fault = glpi_sim.inject(status=503, times=2, method="GET", path=r"/Ticket/\d+$", retry_after=0)
    with glpi_sim.sync_client(max_retries=3) as client:
        assert client.get_ticket(ticket_id).id == ticket_id
    assert fault.hits == 2
    assert glpi_sim.count("GET", rf"/Ticket/{ticket_id}$") == 3


def test_a_503_on_a_create_is_not_retried(glpi_sim: GlpiSimulator) -> None:
    glpi_sim.inject(status=503, method="POST", path="/Assistance/Ticket$")
    with glpi_sim.sync_client(max_retries=3) as client, pytest.raises(InternalServerError) as caught:
        client.create_ticket(PostTicket(name="x", content="y"))
    assert caught.value.may_have_been_applied
    assert glpi_sim.count("POST", "/Assistance/Ticket$") == 1 and glpi_sim.created == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_timeout_after_applying_says_it_may_have_been_applied(mode: str) -> None:
    sim = GlpiSimulator()
    sim.inject("timeout_after_apply", method="POST", path="/Assistance/Ticket$")

    async def scenario() -> None:
        if mode == "sync":
            with sim.sync_client() as client:
                client.create_ticket(PostTicket(name="x", content="y"))
        else:
            async with sim.async_client() as aclient:
                await aclient.create_ticket(PostTicket(name="x", content="y"))

    with pytest.raises(APITimeoutError) as caught:
        asyncio.run(scenario())
    assert caught.value.may_have_been_applied
    assert [path for path, _ in sim.created] == ["/api.php/v2/Assistance/Ticket"]  # the server did create it


def test_a_truncated_body_is_a_typed_error(glpi_sim: GlpiSimulator) -> None:
    ticket_id = glpi_sim.seed("/Assistance/Ticket", {"name": "x", "content": "y"})
    glpi_sim.inject("truncated", method="GET", path=r"/Ticket/\d+$", times=5)
    with glpi_sim.sync_client(max_retries=0) as client, pytest.raises(APIResponseValidationError):
        client.get_ticket(ticket_id)


def test_fault_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault(kind="boom")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="times"):
        GlpiSimulator().inject(times=0)


def test_the_readme_example_runs_as_a_users_test(tmp_path: Path) -> None:
    """The README's pytest example, in a user's project (no conftest of ours): the installed plugin serves it."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme[readme.index("### Testing your integration") :]
    example = section[section.index("```python\n") + len("```python\n") : section.index("```\n\n")]
    assert "def test_my_sync(glpi_client: GlpiClient, glpi_sim: GlpiSimulator) -> None:" in example
    (tmp_path / "test_user.py").write_text(example)
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed" in out.stdout


def test_importing_the_package_does_not_import_the_simulator() -> None:
    code = "import sys, glpi_python_client; print('glpi_python_client.testing' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_oauth_like_glpi_refresh_rotation_revocation_and_client_credentials() -> None:
    """The token endpoint behaves as recorded: rotation revokes the old access token; client_credentials has no user."""
    import httpx

    sim = GlpiSimulator()
    with httpx.Client(transport=sim.transport(), base_url="http://127.0.0.1:8088") as http:
        grant = {**sim.client, **sim.credentials, "grant_type": "password", "scope": "api"}
        first = http.post("/api.php/token", data=grant).json()
        assert (
            http.get(
                "/api.php/v2/Assistance/Ticket", headers={"Authorization": f"Bearer {first['access_token']}"}
            ).status_code
            == 200
        )
        refresh = {**sim.client, "grant_type": "refresh_token", "refresh_token": first["refresh_token"], "scope": "api"}
        second = http.post("/api.php/token", data=refresh).json()
        old = http.get("/api.php/v2/Assistance/Ticket", headers={"Authorization": f"Bearer {first['access_token']}"})
        assert (old.status_code, old.json()["title"]) == (400, "Invalid OAuth token")
        assert (
            http.post("/api.php/token", data=refresh).json()["error"] == "invalid_grant"
        )  # a refresh token works once
        assert (
            http.get(
                "/api.php/v2/Assistance/Ticket", headers={"Authorization": f"Bearer {second['access_token']}"}
            ).status_code
            == 200
        )
        machine = http.post(
            "/api.php/token", data={**sim.client, "grant_type": "client_credentials", "scope": "api"}
        ).json()
        assert "refresh_token" not in machine
        assert (
            http.get(
                "/api.php/v2/Assistance/Ticket", headers={"Authorization": f"Bearer {machine['access_token']}"}
            ).status_code
            == 401
        )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_revoked_tokens_make_both_clients_re_authenticate_once(mode: str) -> None:
    sim = GlpiSimulator()
    ticket_id = sim.seed("/Assistance/Ticket", {"name": "x", "content": "y"})

    async def scenario() -> tuple[str | None, str | None]:
        if mode == "sync":
            with sim.sync_client() as client:
                before = client.get_ticket(ticket_id).name
                sim.revoke_tokens()
                return before, client.get_ticket(ticket_id).name
        async with sim.async_client() as aclient:
            before = (await aclient.get_ticket(ticket_id)).name
            sim.revoke_tokens()
            return before, (await aclient.get_ticket(ticket_id)).name

    assert asyncio.run(scenario()) == ("x", "x")
    assert sim.count("POST", "/api.php/token") == 2
