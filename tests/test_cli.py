"""The ``glpi`` command line: every command on success and on failure, against the GLPI simulator.

Runs go through typer's CliRunner with the simulator as the client's transport (``cli_harness``); outputs are parsed
back (JSON, JSON lines, CSV), exit codes checked (0 ok, 1 GLPI/network, 2 usage, 3 configuration/authentication).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tomllib
from pathlib import Path

import httpx
import pytest
from cli_harness import ENV, SECRETS, CliGlpi
from glpi_sim import reply

from glpi_python_client import PostFollowup, PostTeamMember, PostTicket, PostTicketTask
from glpi_python_client.cli import _config_command


@pytest.fixture
def glpi(tmp_path: Path) -> CliGlpi:
    return CliGlpi(tmp_path / "glpi" / "config.toml")


def seed(glpi: CliGlpi) -> list[int]:
    """Three tickets: a new one, an assigned one (to the configured user, with a followup and a task), a solved one."""
    with glpi.client() as client:
        ids = [
            client.create_ticket(PostTicket(name="Printer offline", content="<p>3rd <b>floor</b></p>", urgency=4)),
            client.create_ticket(PostTicket(name="VPN drops", content="every 10 minutes", priority=5)),
            client.create_ticket(PostTicket(name="New laptop", type=2)),
        ]
        client.add_ticket_team_member(ids[1], PostTeamMember(type="User", id=2, role="assigned"))
        client.create_ticket_followup(ids[1], PostFollowup(content="Looking at the concentrator"))
        client.create_ticket_task(ids[1], PostTicketTask(content="Replaced the cable", duration=1800, user_tech=2))
        client.update_ticket(ids[2], {"status": 5})
    return ids


def sent(glpi: CliGlpi) -> list[str]:
    return [f"{r.method} {r.url.path}" for r in glpi.sim.requests]


# -- the application --------------------------------------------------------------------------------------------


def test_help_lists_every_command(glpi: CliGlpi) -> None:
    run = glpi.run("--help")
    assert run.code == 0
    for command in ("doctor", "ticket", "report", "upload", "download", "api", "config", "--version", "--profile"):
        assert command in run.out
    tickets = glpi.run("ticket", "--help")
    for verb in ("show", "list", "create", "comment", "task", "solve", "assign", "close"):
        assert verb in tickets.out
    assert "Examples" in glpi.run("ticket", "list", "--help").out
    reports = glpi.run("report", "--help")
    for verb in ("tickets", "tasks", "activity"):
        assert verb in reports.out


def test_version(glpi: CliGlpi) -> None:
    run = glpi.run("--version")
    assert run.code == 0
    assert run.out.startswith("glpi ")


def test_usage_error_exits_2(glpi: CliGlpi) -> None:
    run = glpi.run("ticket", "show", "not-a-number")
    assert run.code == 2
    assert sent(glpi) == []


def test_missing_extra_prints_one_line_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    from glpi_python_client import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "typer" else real(name, *a))
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert 'pip install "glpi-python-client[cli]"' in err
    assert "typer" in err


def test_library_import_does_not_import_the_cli() -> None:
    """``import glpi_python_client`` loads nothing of the command line, nor its dependencies.

    rich is left out of the check: httpx itself imports its own command line (click, rich, pygments) on
    ``import httpx`` whenever click and rich are both installed (click comes with uvicorn, of the [alerts] extra).
    """
    import subprocess
    import sys

    code = (
        "import sys, glpi_python_client; print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'typer', 'platformdirs', 'tomli_w'} or m.startswith('glpi_python_client.cli')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- configuration ----------------------------------------------------------------------------------------------


def test_config_init_writes_a_0600_profile_with_hidden_prompts(glpi: CliGlpi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_config_command, "_interactive", lambda: True)
    answers = "\n".join([ENV["GLPI_API_URL"], ENV["GLPI_CLIENT_ID"], "s3cret-client", "tech", "s3cret-pass"]) + "\n"
    unset = {k: None for k in ENV}
    run = glpi.run("config", "init", "--profile", "lab", "--entity", "0", env=unset, input=answers)
    assert run.code == 0, run.err
    assert stat.S_IMODE(glpi.config.stat().st_mode) == 0o600
    profile = tomllib.loads(glpi.config.read_text())["lab"]
    assert profile == {
        "glpi_api_url": ENV["GLPI_API_URL"],
        "client_id": ENV["GLPI_CLIENT_ID"],
        "client_secret": "s3cret-client",
        "username": "tech",
        "password": "s3cret-pass",
        "glpi_entity": 0,
    }
    assert "s3cret" not in run.out + run.err  # hidden prompts echo nothing
    # a second profile keeps the first
    answers = "\n".join(["http://other/api.php/v2", "id2", "x-secret", "u2", "x-pass"]) + "\n"
    assert glpi.run("config", "init", "-p", "other", env=unset, input=answers).code == 0
    assert set(tomllib.loads(glpi.config.read_text())) == {"lab", "other"}
    # replacing one asks first
    refused = glpi.run("config", "init", "-p", "lab", env=unset, input="n\n")
    assert refused.code == 1
    assert tomllib.loads(glpi.config.read_text())["lab"]["username"] == "tech"
    assert glpi.run("config", "init", "-p", "lab", env=unset, input="y\n" + answers).code == 0
    assert tomllib.loads(glpi.config.read_text())["lab"]["username"] == "u2"
    assert stat.S_IMODE(glpi.config.stat().st_mode) == 0o600


def test_config_init_without_a_terminal_asks_for_options(glpi: CliGlpi) -> None:
    run = glpi.run("config", "init", env={k: None for k in ENV})
    assert run.code == 2
    assert run.err.strip().count("\n") == 0
    assert "stdin is not a terminal" in run.err
    assert not glpi.config.exists()


def test_config_init_from_options_and_variables(glpi: CliGlpi) -> None:
    run = glpi.run("config", "init", "--url", "ftp://nope", "--client-id", "a", "--username", "u")
    assert run.code == 2  # the client's own validation refuses the URL before anything is written
    assert "http:// or https://" in run.err
    assert not glpi.config.exists()
    run = glpi.run("config", "init", "--url", ENV["GLPI_API_URL"], "--client-id", "a", "--username", "u")
    assert run.code == 0
    assert tomllib.loads(glpi.config.read_text())["default"]["password"] == ENV["GLPI_PASSWORD"]
    again = glpi.run("config", "init", "--url", ENV["GLPI_API_URL"], "--client-id", "b", "--username", "u")
    assert again.code == 2  # no terminal to ask on: replacing needs --force
    assert "--force" in again.err
    forced = glpi.run("config", "init", "--url", ENV["GLPI_API_URL"], "--client-id", "b", "--username", "u", "--force")
    assert forced.code == 0
    assert tomllib.loads(glpi.config.read_text())["default"]["client_id"] == "b"


def write_config(glpi: CliGlpi, text: str, mode: int = 0o600) -> None:
    glpi.config.parent.mkdir(parents=True, exist_ok=True)
    glpi.config.write_text(text)
    os.chmod(glpi.config, mode)


PROFILE = f"""
[work]
glpi_api_url = "{ENV["GLPI_API_URL"]}"
client_id = "{ENV["GLPI_CLIENT_ID"]}"
client_secret = "{ENV["GLPI_CLIENT_SECRET"]}"
username = "{ENV["GLPI_USERNAME"]}"
password = "{ENV["GLPI_PASSWORD"]}"
"""


def test_profile_is_used_and_shown_without_secrets(glpi: CliGlpi) -> None:
    write_config(glpi, PROFILE)
    no_env = {k: None for k in ENV}
    run = glpi.run("--profile", "work", "config", "show", "--json", env=no_env)
    assert run.code == 0, run.err
    shown = run.json()
    assert shown["source"].startswith("profile 'work'")
    assert shown["settings"]["password"] == "<set>"
    assert shown["settings"]["username"] == "glpi"
    assert not any(secret in run.out + run.err for secret in SECRETS)
    seed(glpi)
    assert glpi.run("-p", "work", "ticket", "list", "--format", "json", env=no_env).code == 0
    assert glpi.run("ticket", "list", env={**no_env, "GLPI_CLI_PROFILE": "work"}).code == 0


def test_profile_readable_by_others_warns(glpi: CliGlpi) -> None:
    write_config(glpi, PROFILE, mode=0o644)
    run = glpi.run("-p", "work", "config", "show")
    assert run.code == 0
    assert "can be read by other users" in run.err
    assert "chmod 600" in run.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[work]\nurl = 'x'\n", "unknown keys url"),
        ("[work]\nglpi_entity = 'zero'\n", "work.glpi_entity must be a int"),
        ("[work\n", "not valid TOML"),
    ],
)
def test_bad_config_file_exits_3(glpi: CliGlpi, text: str, message: str) -> None:
    write_config(glpi, text)
    run = glpi.run("-p", "work", "ticket", "list")
    assert run.code == 3
    assert message in run.err
    assert "Traceback" not in run.err


def test_unknown_profile_and_no_settings_exit_3(glpi: CliGlpi) -> None:
    run = glpi.run("-p", "nope", "ticket", "list")
    assert run.code == 3
    assert "glpi config init --profile nope" in run.err
    run = glpi.run("ticket", "list", env={k: None for k in ENV})
    assert run.code == 3
    assert "glpi config init" in run.err
    assert run.err.count("\n") == 1
    assert sent(glpi) == []


# -- doctor -----------------------------------------------------------------------------------------------------


def test_doctor_all_green(glpi: CliGlpi) -> None:
    run = glpi.run("doctor", "--json")
    assert run.code == 0, run.out
    checks = {c["name"]: c for c in run.json()}
    assert [checks[n]["status"] for n in ("settings", "server", "OAuth grant", "api scope")] == ["ok"] * 4
    assert checks["API versions"]["detail"] == "2.0, 2.1, 2.2"
    assert "profile Super-Admin (4)" in checks["entity/profile"]["detail"]
    assert checks["TLS"]["status"] == "warn"  # http:// in the replay settings
    assert checks["v1 session"]["status"] == "skip"
    text = glpi.run("doctor")
    assert text.code == 0
    assert len(text.out.strip().splitlines()) == len(checks)


def test_doctor_v1_and_fields_plugin(glpi: CliGlpi) -> None:
    from cli_harness import V1_ENV

    run = glpi.run("doctor", "--json", env=V1_ENV)
    checks = {c["name"]: c for c in run.json()}
    assert checks["v1 session"]["status"] == "ok"
    assert checks["Fields plugin"]["status"] == "skip"  # the simulator has no Fields plugin
    bad = glpi.run("doctor", "--json", env={**V1_ENV, "GLPI_V1_USER_TOKEN": "wrong-token"})
    checks = {c["name"]: c for c in bad.json()}
    assert checks["v1 session"]["status"] == "fail"
    assert "v1_user_token" in checks["v1 session"]["fix"]
    assert bad.code == 1


def test_doctor_bad_password_exits_3_with_the_fix(glpi: CliGlpi) -> None:
    run = glpi.run("doctor", env={"GLPI_PASSWORD": "wrong-password"})
    assert run.code == 3
    line = next(line for line in run.out.splitlines() if "OAuth grant" in line)
    assert "✗" in line
    assert "invalid_grant" in line
    assert "fix:" in line
    assert "wrong-password" not in run.out + run.err


def test_doctor_missing_scope_and_unreachable_server(glpi: CliGlpi) -> None:
    def no_scope(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/session"):
            return reply(403, {"status": "ERROR_RIGHT_MISSING", "title": "You do not have the required scope(s)"})
        return None

    glpi.fault = no_scope
    checks = {c["name"]: c for c in glpi.run("doctor", "--json").json()}
    assert checks["api scope"]["status"] == "fail"
    assert "api` scope" in checks["api scope"]["fix"]

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    glpi.fault = down
    run = glpi.run("doctor")
    assert run.code == 1
    assert "server" in run.out
    assert "Connection refused" in run.out
    assert "fix: check glpi_api_url" in run.out
    assert "OAuth" not in run.out  # checks that need the server are not run

    def untrusted(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", request=request)

    glpi.fault = untrusted
    checks = glpi.run("doctor", "--json").json()
    assert [(c["name"], c["status"]) for c in checks] == [("settings", "ok"), ("TLS", "fail")]
    assert "install its CA" in checks[1]["fix"]


def test_doctor_without_settings_says_how_to_configure(glpi: CliGlpi) -> None:
    run = glpi.run("doctor", env={k: None for k in ENV})
    assert run.code == 3
    assert "✗ settings" in run.out
    assert "glpi config init" in run.out
    assert glpi.sim.requests == []


# -- ticket list / show -----------------------------------------------------------------------------------------


def test_ticket_list_formats_round_trip(glpi: CliGlpi) -> None:
    ids = seed(glpi)
    as_json = glpi.run("ticket", "list", "--format", "json")
    assert as_json.code == 0
    rows = as_json.json()
    assert [r["id"] for r in rows] == sorted(ids, reverse=True)
    assert rows[-1]["name"] == "Printer offline"
    lines = glpi.run("ticket", "list", "--format", "jsonl").out.splitlines()
    assert [json.loads(line) for line in lines] == rows
    table = list(csv.DictReader(io.StringIO(glpi.run("ticket", "list", "--format", "csv").out)))
    assert [int(r["id"]) for r in table] == [r["id"] for r in rows]
    vpn = next(r for r in table if r["name"] == "VPN drops")
    assert (vpn["status_id"], vpn["priority"], vpn["assigned"]) == ("2", "5", "glpi")
    human = glpi.run("ticket", "list")
    assert "Printer offline" in human.out
    assert "Very high" in human.out


def test_ticket_list_filters(glpi: CliGlpi) -> None:
    ids = seed(glpi)

    def listed(*args: str) -> list[int]:
        run = glpi.run("ticket", "list", "--format", "json", *args)
        assert run.code == 0, run.err
        return [r["id"] for r in run.json()]

    assert listed("--status", "solved") == [ids[2]]
    assert listed("--status", "new,assigned") == [ids[1], ids[0]]
    assert listed("--status", "open") == [ids[1], ids[0]]
    assert listed("--mine") == [ids[1]]
    assert listed("--limit", "2") == [ids[2], ids[1]]
    assert listed("--sort", "id:asc", "-n", "1") == [ids[0]]
    assert listed("--filter", 'name=like="*VPN*"') == [ids[1]]
    assert listed("--since", "2026-01-02", "--until", "2026-01-02") == sorted(ids, reverse=True)
    assert listed("--until", "2026-01-01") == []
    assert listed("--all") == sorted(ids, reverse=True)
    with glpi.client() as client:
        client.delete_ticket(ids[0])
    assert ids[0] not in listed()
    assert ids[0] in listed("--trashed")


def test_ticket_list_failures(glpi: CliGlpi) -> None:
    run = glpi.run("ticket", "list", "--filter", "nosuchfield==1")
    assert run.code == 1
    assert run.err.startswith("glpi: GLPI answered 400")
    assert run.err.count("\n") == 1
    assert "Traceback" not in run.err
    run = glpi.run("ticket", "list", "--status", "sleeping")
    assert run.code == 2
    assert "unknown status 'sleeping'" in run.err
    run = glpi.run("ticket", "list", "--since", "yesterday")
    assert run.code == 2
    assert "invalid start" in run.err


def test_ticket_show_transcript_and_json(glpi: CliGlpi) -> None:
    ids = seed(glpi)
    run = glpi.run("ticket", "show", str(ids[1]))
    assert run.code == 0
    assert run.out.startswith(f"# Ticket #{ids[1]} — VPN drops")
    assert "## Timeline" in run.out
    assert "Looking at the concentrator" in run.out
    assert "Replaced the cable" in run.out
    lean = glpi.run("ticket", "show", str(ids[1]), "--no-tasks", "--no-status", "--format", "md")
    assert "Replaced the cable" not in lean.out
    assert "Looking at the concentrator" in lean.out
    assert "Status:" not in lean.out
    data = glpi.run("ticket", "show", str(ids[1]), "--format", "json").json()
    assert data["ticket"]["id"] == ids[1]
    assert [f["content"] for f in data["followups"]] == ["Looking at the concentrator"]
    assert data["tasks"][0]["duration"] == 1800


def test_ticket_show_not_found_exits_1(glpi: CliGlpi) -> None:
    run = glpi.run("ticket", "show", "999")
    assert run.code == 1
    assert "GLPI answered 404" in run.err
    assert run.out == ""


# -- writes -----------------------------------------------------------------------------------------------------


def test_ticket_writes(glpi: CliGlpi) -> None:
    created = glpi.run("ticket", "create", "-t", "Scanner jam", "-m", "-", "--urgency", "5", "--type", "request",
                       input="paper stuck\n")  # fmt: skip
    assert created.code == 0, created.err
    ticket_id = int(created.out)
    record = glpi.sim.items["Ticket"][ticket_id]
    assert (record["name"], record["content"], record["urgency"], record["type"]) == (
        "Scanner jam",
        "<p>paper stuck</p>",  # the message is Markdown, rendered
        5,
        2,
    )

    followup = glpi.run("ticket", "comment", str(ticket_id), "-m", "On my **way**", "--private")
    assert followup.code == 0
    stored_followup = glpi.sim.items["Followup"][int(followup.out)]
    assert (stored_followup["is_private"], stored_followup["content"]) == (True, "<p>On my <strong>way</strong></p>")
    raw = glpi.run("ticket", "comment", str(ticket_id), "-m", "<p>kept <em>as is</em></p>", "--html")
    assert glpi.sim.items["Followup"][int(raw.out)]["content"] == "<p>kept <em>as is</em></p>"

    task = glpi.run("ticket", "task", str(ticket_id), "-m", "Cleared the rollers", "-d", "1h30m", "--tech", "glpi")
    assert task.code == 0, task.err
    stored = glpi.sim.items["Task"][int(task.out)]
    assert (stored["duration"], stored["user_tech"]["id"], stored["state"]) == (5400, 2, 2)

    assert glpi.run("ticket", "assign", str(ticket_id), "glpi").code == 0
    assert glpi.sim.team[ticket_id] == [("User", 2, "assigned")]

    solved = glpi.run("ticket", "solve", str(ticket_id), "-m", "Rollers replaced")
    assert solved.code == 0
    assert glpi.sim.items["Ticket"][ticket_id]["status"]["id"] == 5

    closed = glpi.run("ticket", "close", str(ticket_id))
    assert closed.code == 0
    assert glpi.sim.items["Ticket"][ticket_id]["status"]["id"] == 6


def test_ticket_write_failures(glpi: CliGlpi) -> None:
    run = glpi.run("ticket", "comment", "999", "-m", "hello")
    assert run.code == 1
    assert "GLPI answered 404" in run.err
    before = len(glpi.sim.requests)
    assert glpi.run("ticket", "create", "-t", "x", "--urgency", "9").code == 2
    assert glpi.run("ticket", "task", "1", "-m", "x", "-d", "soon").code == 2
    run = glpi.run("ticket", "assign", "1", "nobody")
    assert run.code == 2
    assert "no GLPI user has the username 'nobody'" in run.err
    assert glpi.run("ticket", "comment", "1").code == 2  # no content
    assert not any(r.method == "POST" for r in glpi.sim.requests[before:] if r.url.path != "/api.php/token")


@pytest.mark.parametrize(
    "args",
    [
        ("ticket", "create", "-t", "Dry", "-m", "nothing leaves"),
        ("ticket", "comment", "120", "-m", "nothing leaves"),
        ("ticket", "task", "120", "-m", "nothing leaves", "-d", "10m", "--tech", "7"),
        ("ticket", "solve", "120", "-m", "nothing leaves"),
        ("ticket", "assign", "120", "7", "--role", "observer"),
        ("ticket", "close", "120"),
        ("api", "PATCH", "/Assistance/Ticket/120", "-d", '{"urgency": 4}'),
        ("api", "GET", "/Assistance/Ticket", "-P", "limit=1"),
    ],
)
def test_dry_run_prints_the_request_and_sends_nothing(glpi: CliGlpi, args: tuple[str, ...]) -> None:
    run = glpi.run(*args, "--dry-run")
    assert run.code == 0, run.err
    assert glpi.sim.requests == []  # not even the token request
    first = run.out.splitlines()[0]
    method, url = first.split(" ", 1)
    assert method in {"POST", "PATCH", "GET"}
    assert url.startswith(ENV["GLPI_API_URL"] + "/Assistance/Ticket")
    assert "nothing was sent" in run.err
    assert "Authorization" not in run.out


def test_dry_run_body_is_the_json_that_would_be_sent(glpi: CliGlpi) -> None:
    run = glpi.run("ticket", "task", "120", "-m", "Swap the disk", "-d", "1.5h", "--tech", "7", "--dry-run")
    lines = run.out.splitlines()
    assert lines[0] == f"POST {ENV['GLPI_API_URL']}/Assistance/Ticket/120/Timeline/Task"
    assert "Content-Type: application/json" in lines
    body = json.loads("\n".join(lines[lines.index("Content-Type: application/json") + 1 :]))
    assert body == {
        "content": "<p>Swap the disk</p>",
        "is_private": False,
        "state": 2,
        "duration": 5400,
        "user_tech": 7,
    }


def test_dry_run_that_must_read_first_refuses(glpi: CliGlpi) -> None:
    run = glpi.run("ticket", "assign", "120", "alice", "--dry-run")
    assert run.code == 2
    assert "--dry-run sends nothing" in run.err
    assert glpi.sim.requests == []


# -- reports ----------------------------------------------------------------------------------------------------

JANUARY = ("--from", "2026-01-01", "--to", "2026-01-31")


def test_report_tickets(glpi: CliGlpi) -> None:
    seed(glpi)
    figures = glpi.run("report", "tickets", *JANUARY, "--format", "json")
    assert figures.code == 0, figures.err
    assert figures.json() == {
        "entities": {
            "0": {
                "total": 3,
                "by_status": {"1": 1, "2": 1, "5": 1},
                "by_priority": {"MEDIUM": 2, "VERY_HIGH": 1},
                "by_type": {"INCIDENT": 2, "REQUEST": 1},
            }
        }
    }
    mine = glpi.run("report", "tickets", *JANUARY, "--user", "glpi", "--entity", "0", "--format", "json").json()
    assert mine["entities"]["0"]["by_status"] == {"2": 1}  # only the ticket glpi is assigned to
    assert glpi.run("report", "tickets", "--from", "2025-01-01", "--to", "2025-01-31", "--format", "json").json() == {
        "entities": {}
    }
    human = glpi.run("report", "tickets", *JANUARY)
    assert human.code == 0
    assert "Root entity" in human.out
    assert "By status" in human.out
    assert "Processing (assigned)" in human.out
    assert "█" in human.out


def test_report_tasks_and_activity(glpi: CliGlpi) -> None:
    seed(glpi)
    tasks = glpi.run("report", "tasks", *JANUARY, "--format", "json").json()
    assert (tasks["total_duration"], tasks["task_count"], tasks["duration_by_user"]) == (1800, 1, {"2": 1800})
    human = glpi.run("report", "tasks", *JANUARY)
    assert "Hours per technician" in human.out
    assert "0.5 h" in human.out
    activity = glpi.run("report", "activity", *JANUARY, "--format", "json").json()
    glpi_user = activity["users"]["glpi"]
    assert (glpi_user["tickets_as_technician"], glpi_user["tickets_as_recipient"]) == (1, 0)
    assert glpi_user["task_durations"]["total_duration"] == 1800
    assert glpi.run("report", "activity", *JANUARY, "--user", "2", "--format", "json").json() == activity
    assert glpi.run("report", "activity", *JANUARY, "--entity", "0", "--format", "json").json() == activity
    elsewhere = glpi.run("report", "activity", *JANUARY, "--entity", "Nowhere", "--format", "json").json()
    assert elsewhere["users"]["glpi"]["tickets_as_technician"] == 0  # no entity by that name: nothing counts
    table = glpi.run("report", "activity", *JANUARY)
    assert "As technician" in table.out


def test_report_failures(glpi: CliGlpi) -> None:
    assert glpi.run("report", "tasks", "--from", "last week").code == 2
    run = glpi.run("report", "activity", "--user", "nobody")
    assert run.code == 2
    assert "no user matches" in run.err
    run = glpi.run("report", "tickets", "--user", "nobody")
    assert run.code == 2
    bad = glpi.run("report", "tickets", env={"GLPI_PASSWORD": "wrong-password"})
    assert bad.code == 3


def test_report_progress_goes_to_stderr_on_a_terminal(glpi: CliGlpi, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from glpi_python_client._operations import reporting
    from glpi_python_client.cli._session import CliState

    seed(glpi)
    monkeypatch.setattr(reporting, "PAGE_SIZE", 1)  # three pages of one ticket
    screen = io.StringIO()
    monkeypatch.setattr(CliState, "err", staticmethod(lambda: Console(file=screen, force_terminal=True, width=100)))
    run = glpi.run("report", "tasks", *JANUARY, "--format", "json")
    assert run.code == 0
    assert json.loads(run.out)["task_count"] == 1  # stdout holds only the data
    drawn = screen.getvalue()
    assert "tickets" in drawn
    assert "3/3" in drawn
    assert "task lists" in drawn


def test_fetch_counter_reads_content_range_and_task_lists() -> None:
    from glpi_python_client.cli._reports import FetchCounter

    counter = FetchCounter()
    base = "http://127.0.0.1:8088/api.php/v2/Assistance/Ticket"
    for first, last in ((0, 99), (100, 199), (200, 249)):
        page = httpx.Response(206, headers={"Content-Range": f"{first}-{last}/250"})
        counter.observe(httpx.Request("GET", base, params={"start": first}), page)
    assert (counter.tickets_done, counter.tickets_total) == (250, 250)
    counter.observe(httpx.Request("GET", base + "/7/Timeline/Task"), httpx.Response(200))
    counter.observe(httpx.Request("POST", base + "/7/Timeline/Task"), httpx.Response(200))
    counter.observe(httpx.Request("GET", base), httpx.Response(200, headers={"Content-Range": "0--1/0"}))
    assert counter.task_lists == 1
    assert counter.tickets_done == 250


# -- alerts -----------------------------------------------------------------------------------------------------


def test_alerts_serve_runs_the_receiver_on_the_settings(glpi: CliGlpi, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import uvicorn

    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    run = glpi.run("alerts", "serve", "--host", "0.0.0.0", "--port", "9999", env={"GLPI_ALERTS_TOKEN": "tok-123456"})
    assert run.code == 0, run.err
    assert (served["host"], served["port"], served["log_level"]) == ("0.0.0.0", 9999, "info")

    async def alerts() -> None:
        asgi = httpx.ASGITransport(app=served["app"])  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=asgi, base_url="http://receiver") as http:
            assert (await http.get("/healthz")).status_code == 200
            denied = await http.post("/alert", json={"key": "k", "status": "firing", "title": "t"})
            assert denied.status_code == 401
            fired = await http.post(
                "/alert",
                json={"key": "zabbix:1", "status": "firing", "title": "Disk full", "content": "/var 98%"},
                headers={"Authorization": "Bearer tok-123456"},
            )
            assert fired.status_code == 200, fired.text

    asyncio.run(alerts())
    assert [t["name"] for t in glpi.sim.items["Ticket"].values()] == ["Disk full"]  # through this run's settings


def test_alerts_serve_without_a_token_exits_3(glpi: CliGlpi, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: pytest.fail("must not listen"))
    run = glpi.run("alerts", "serve")
    assert run.code == 3
    assert "GLPI_ALERTS_TOKEN" in run.err
    assert run.err.count("\n") == 1


def test_alerts_serve_without_the_extra_says_how_to_install_it(glpi: CliGlpi, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    run = glpi.run("alerts", "serve", env={"GLPI_ALERTS_TOKEN": "tok-123456"})
    assert run.code == 3
    assert run.err == 'glpi: the alert receiver needs the [alerts] extra: pip install "glpi-python-client[alerts]"\n'


# -- documents --------------------------------------------------------------------------------------------------


def test_upload_and_download(glpi: CliGlpi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli_harness import V1_ENV

    ids = seed(glpi)
    report = tmp_path / "radius.log"
    report.write_bytes(b"link layer ok\nradius timeout 3s\n")
    up = glpi.run("upload", str(report), "--ticket", str(ids[1]), "--comment", "night run", env=V1_ENV)
    assert up.code == 0, up.err
    document_id = int(up.out)
    assert glpi.sim.files[document_id][0] == report.read_bytes()
    assert [d["documents_id"] for d in glpi.sim.items["Document_Item"].values()] == [document_id]
    (tmp_path / "downloads").mkdir()
    monkeypatch.chdir(tmp_path / "downloads")
    target = tmp_path / "copy.log"
    down = glpi.run("download", str(document_id), "-o", str(target))
    assert down.code == 0, down.err
    assert target.read_bytes() == report.read_bytes()
    assert glpi.run("download", str(document_id), "-o", str(target)).code == 2  # exists: needs --force
    assert glpi.run("download", str(document_id), "-o", "-").out == report.read_text()
    named = glpi.run("download", str(document_id))  # default: the document's file name, in the current directory
    assert named.code == 0, named.err
    assert (tmp_path / "downloads" / "radius.log").read_bytes() == report.read_bytes()


def test_upload_and_download_failures(glpi: CliGlpi, tmp_path: Path) -> None:
    from cli_harness import V1_ENV

    note = tmp_path / "note.txt"
    note.write_text("hello")
    run = glpi.run("upload", str(note), "--ticket", "1")
    assert run.code == 3  # no v1 settings
    assert "v1_base_url" in run.err
    assert glpi.run("upload", str(tmp_path / "missing.txt"), env=V1_ENV).code == 2
    bad = glpi.run("upload", str(note), "--ticket", "1", env={**V1_ENV, "GLPI_V1_USER_TOKEN": "wrong-token"})
    assert bad.code == 1
    assert "wrong-token" not in bad.out + bad.err
    assert glpi.run("download", "999", "-o", str(tmp_path / "x")).code == 1
    assert not (tmp_path / "x").exists()


def test_upload_dry_run_shows_the_manifest_and_sends_nothing(glpi: CliGlpi, tmp_path: Path) -> None:
    from cli_harness import V1_ENV

    note = tmp_path / "note.txt"
    note.write_text("hello")
    run = glpi.run("upload", str(note), "--ticket", "7", "--dry-run", env=V1_ENV)
    assert run.code == 0, run.err
    assert glpi.sim.requests == []
    assert run.out.startswith("POST http://127.0.0.1:8088/apirest.php/Document")
    assert "file 'note.txt' (5 bytes, text/plain)" in run.out
    manifest = next(line for line in run.out.splitlines() if "part uploadManifest" in line)
    assert json.loads(manifest.split(": ", 1)[1]) == {
        "input": {"name": "note.txt", "_filename": ["note.txt"], "itemtype": "Ticket", "items_id": 7}
    }
    assert "replayed-user-token" not in run.out


# -- api --------------------------------------------------------------------------------------------------------


def test_api_get_post_and_params(glpi: CliGlpi) -> None:
    ids = seed(glpi)
    run = glpi.run("api", "GET", "/Assistance/Ticket", "-P", "filter=status.id==5", "-P", "limit=10")
    assert run.code == 0
    assert [t["id"] for t in run.json()] == [ids[2]]
    created = glpi.run("api", "POST", "Assistance/Ticket", "-d", '{"name": "From the API", "urgency": 2}')
    assert created.code == 0
    new_id = created.json()["id"]
    assert glpi.sim.items["Ticket"][new_id]["name"] == "From the API"
    request = glpi.sim.requests[-1]
    assert request.headers["Content-Type"] == "application/json"


def test_api_data_from_file_and_stdin(glpi: CliGlpi, tmp_path: Path) -> None:
    seed(glpi)
    body = tmp_path / "body.json"
    body.write_text('{"name": "renamed"}')
    assert glpi.run("api", "PATCH", "/Assistance/Ticket/120", "-d", f"@{body}").json()["name"] == "renamed"
    assert glpi.run("api", "PATCH", "/Assistance/Ticket/120", "-d", "@-", input='{"name": "again"}').code == 0
    assert glpi.sim.items["Ticket"][120]["name"] == "again"


def test_api_failures(glpi: CliGlpi) -> None:
    run = glpi.run("api", "GET", "/Assistance/Ticket/999")
    assert run.code == 1
    assert run.json()["status"] == "ERROR_ITEM_NOT_FOUND"  # the body still goes to stdout
    assert "GLPI answered 404" in run.err
    assert glpi.run("api", "POST", "/Assistance/Ticket", "-d", "{not json").code == 2
    assert glpi.run("api", "GET", "/x", "-P", "novalue").code == 2
    assert glpi.run("api", "FETCH", "/x").code == 2
    bad = glpi.run("api", "GET", "/Assistance/Ticket", env={"GLPI_PASSWORD": "wrong-password"})
    assert bad.code == 3
    assert "invalid_grant" in bad.err


# -- secrets and errors -----------------------------------------------------------------------------------------


def test_no_secret_in_any_output_even_with_debug(glpi: CliGlpi) -> None:
    ids = seed(glpi)
    from cli_harness import V1_ENV

    outputs: list[str] = []
    for args in (
        ("doctor",),
        ("ticket", "list", "--format", "json"),
        ("ticket", "show", str(ids[1]), "--format", "json"),
        ("ticket", "comment", str(ids[0]), "-m", "hi"),
        ("ticket", "create", "-t", "dry", "--dry-run"),
        ("api", "GET", "/Assistance/Ticket", "-i"),
        ("api", "GET", "/Assistance/Ticket/999"),
        ("config", "show"),
    ):
        for debug in ((), ("--debug",)):
            run = glpi.run(*debug, *args, env=V1_ENV)
            outputs.append(run.out + run.err)
    bad = glpi.run("--debug", "ticket", "list", env={"GLPI_PASSWORD": "wrong-password-123"})
    outputs.append(bad.out + bad.err)
    everything = "\n".join(outputs)
    assert "DEBUG" in everything  # --debug did log
    assert "Traceback" in everything  # and showed the (scrubbed) traceback of the failures
    issued = [*glpi.sim.access, *glpi.sim.refresh, *glpi.sim.sessions]
    assert issued
    for secret in (*SECRETS, "wrong-password-123", *issued):
        assert secret not in everything, secret


def test_interrupt_stops_cleanly(glpi: CliGlpi) -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    glpi.fault = interrupt
    run = glpi.run("ticket", "list")
    assert run.code == 130
    assert run.err == "glpi: interrupted\n"


def test_shell_completion_offers_commands_and_options() -> None:
    from typer.testing import CliRunner

    from glpi_python_client.cli._app import app

    def complete(words: str) -> str:
        env = {"_GLPI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
        return CliRunner().invoke(app, [], env=env, prog_name="glpi").stdout

    assert complete("glpi tic").split() == ["ticket"]
    assert complete("glpi ticket li").split() == ["list"]
    assert "--format" in complete("glpi ticket list --for").split()
