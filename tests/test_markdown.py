"""GlpiTicketContext.to_markdown (over the models' Markdown views): the user guide's transcript, flag by flag."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import datetime
from typing import Any

import pytest

from glpi_python_client._context import GlpiTicketContext, TicketMarkdownOptions
from glpi_python_client._models import (
    GetFollowup,
    GetSolution,
    GetTicket,
    GetTicketTask,
    GetTimelineDocument,
    IdName,
)
from glpi_python_client.richtext import html_to_markdown

ALICE = {"role": "requester", "id": 1, "name": "alice", "firstname": "Alice", "realname": "Dupont"}
BOB = {"role": "assigned", "id": 2, "name": "bob", "firstname": "Bob", "realname": "Martin"}


def at(minute: int, hour: int = 9) -> str:
    return f"2026-01-02T{hour:02d}:{minute:02d}:00+00:00"


def guide_context() -> GlpiTicketContext:
    """The data behind the user guide's sample transcript (section 5)."""
    return GlpiTicketContext(
        ticket=GetTicket.model_validate(
            {
                "id": 123,
                "name": "Wi-Fi unreachable",
                "content": "&lt;p&gt;802.1X handshake fails on the 5 GHz radio.&lt;/p&gt;",
                "status": {"id": 1, "name": "New"},
                "user_editor": {"id": 2, "name": "bob"},
                "date_creation": at(0),
                "date_mod": at(20),
                "team": [ALICE, BOB],
            }
        ),
        followups=[
            GetFollowup.model_validate(
                {
                    "id": 45,
                    "content": "<p>Reproduced on the lab laptop.</p>",
                    "user": {"id": 2, "name": "bob"},
                    "date_creation": at(5),
                    "date_mod": at(5),
                }
            )
        ],
        tasks=[
            GetTicketTask.model_validate(
                {
                    "id": 12,
                    "content": "<p>On-site visit.</p>",
                    "user": {"id": 2, "name": "bob"},
                    "duration": 900,
                    "state": 1,
                    "date_creation": at(10),
                    "date_mod": at(10),
                    "user_tech": 0,
                }
            )
        ],
        solutions=[
            GetSolution.model_validate(
                {
                    "id": 7,
                    "content": "<p>Replaced the access point.</p>",
                    "user": {"id": 2, "name": "bob"},
                    "status": 3,
                    "date_creation": at(20),
                    "date_mod": at(20),
                    "approver": None,
                }
            )
        ],
        documents=[GetTimelineDocument.model_validate({"id": 3, "documents_id": 9, "date_creation": at(15)})],
        user_names={1: "Alice Dupont", 2: "Bob Martin"},
        document_names={9: "diagnostic.txt"},
    )


GUIDE_MARKDOWN = """\
# Ticket #123 — Wi-Fi unreachable
> Status: New | Requester: Alice Dupont | Last edited by: Bob Martin | Created at: 2026-01-02T09:00:00+00:00 | Updated at: 2026-01-02T09:20:00+00:00

## Description

802.1X handshake fails on the 5 GHz radio.

## Timeline

### Followup #45
> Created by: Bob Martin | Created at: 2026-01-02T09:05:00+00:00

Reproduced on the lab laptop.

### Task #12
> Created by: Bob Martin | Created at: 2026-01-02T09:10:00+00:00 | Duration: 900s | State: Todo

On-site visit.

### Solution #7
> Created by: Bob Martin | Created at: 2026-01-02T09:20:00+00:00 | Status: Approved

Replaced the access point.

## Documents
- diagnostic.txt
"""  # noqa: E501


def test_guide_sample_transcript() -> None:
    context = guide_context()
    assert context.to_markdown() == GUIDE_MARKDOWN
    assert context.to_markdown(TicketMarkdownOptions()) == GUIDE_MARKDOWN


def rich_context() -> GlpiTicketContext:
    """Every field a flag controls is present (two requesters, editors, technician, approver, solved date)."""
    context = guide_context()
    dan = {"id": 4, "name": "dan"}
    ticket = context.ticket.model_copy(
        update={
            "status": IdName(id=5, name="Solved"),
            "date_mod": datetime.fromisoformat(at(40)),
            "date_solve": datetime.fromisoformat(at(20)),
            "team": [
                *context.ticket.team,
                context.ticket.team[0].model_copy(update={"id": 3, "firstname": "Carol", "realname": "King"}),
            ],
        }
    )
    followup = context.followups[0].model_copy(
        update={"user_editor": IdName(**dan), "date_mod": datetime.fromisoformat(at(30))}
    )
    task = context.tasks[0].model_copy(
        update={
            "user_editor": IdName(**dan),
            "date_mod": datetime.fromisoformat(at(31)),
            "user_tech": IdName(id=5, name="erin"),
            "group_tech": IdName(id=7, name="Network"),
        }
    )
    solution = context.solutions[0].model_copy(
        update={
            "user_editor": IdName(**dan),
            "date_mod": datetime.fromisoformat(at(32)),
            "approver": IdName(id=1, name="alice"),
        }
    )
    return context.model_copy(
        update={
            "ticket": ticket,
            "followups": [followup],
            "tasks": [task],
            "solutions": [solution],
            "user_names": {**context.user_names, 4: "Dan Smith", 5: "Erin Tech"},
        }
    )


RICH_MARKDOWN = """\
# Ticket #123 — Wi-Fi unreachable
> Status: Solved | Requesters: Alice Dupont, Carol King | Last edited by: Bob Martin | Created at: 2026-01-02T09:00:00+00:00 | Updated at: 2026-01-02T09:40:00+00:00 | Solved at: 2026-01-02T09:20:00+00:00

## Description

802.1X handshake fails on the 5 GHz radio.

## Timeline

### Followup #45
> Created by: Bob Martin | Last edited by: Dan Smith | Created at: 2026-01-02T09:05:00+00:00 | Updated at: 2026-01-02T09:30:00+00:00

Reproduced on the lab laptop.

### Task #12
> Created by: Bob Martin | Last edited by: Dan Smith | Created at: 2026-01-02T09:10:00+00:00 | Updated at: 2026-01-02T09:31:00+00:00 | Duration: 900s | State: Todo | Technician: Erin Tech | Technician group: Network

On-site visit.

### Solution #7
> Created by: Bob Martin | Last edited by: Dan Smith | Created at: 2026-01-02T09:20:00+00:00 | Updated at: 2026-01-02T09:32:00+00:00 | Status: Approved | Approver: Alice Dupont

Replaced the access point.

## Documents
- diagnostic.txt
"""  # noqa: E501

T = r"2026-01-02T\d\d:\d\d:00\+00:00"

#: For each flag: the regex substitutions that turn the full transcript into the one with the flag off.
FLAG_EDITS: dict[str, list[tuple[str, str]]] = {
    "include_description": [(r"## Description\n\n802\.1X[^\n]*\n\n", "")],
    "include_followups": [(r"### Followup #45\n[^\n]*\n\nReproduced[^\n]*\n\n", "")],
    "include_tasks": [(r"### Task #12\n[^\n]*\n\nOn-site visit\.\n\n", "")],
    "include_solutions": [(r"\n\n### Solution #7\n[^\n]*\n\nReplaced the access point\.", "")],
    "include_documents": [(r"\n\n## Documents\n- diagnostic\.txt", "")],
    "show_status": [(r"Status: Solved \| ", "")],
    "show_requester": [(r"Requesters: Alice Dupont, Carol King \| ", "")],
    "show_editor": [(r"Last edited by: Bob Martin \| ", "")],
    "show_dates": [(rf" \| Created at: {T} \| Updated at: {T} \| Solved at: {T}", "")],
    "show_event_author": [(r"> Created by: Bob Martin \| ", "> ")],
    "show_event_editor": [(r"Last edited by: Dan Smith \| ", "")],
    "show_event_dates": [(rf" \| Created at: {T} \| Updated at: {T}(?=\n| \| Duration| \| Status)", "")],
    "show_event_state": [(r" \| State: Todo", "")],
    "show_event_status": [(r" \| Status: Approved", "")],
    "show_duration": [(r" \| Duration: 900s", "")],
    "show_technician": [(r" \| Technician: Erin Tech \| Technician group: Network", "")],
    "show_approver": [(r" \| Approver: Alice Dupont", "")],
}


def test_flags_match_the_guide() -> None:
    assert [f.name for f in dataclasses.fields(TicketMarkdownOptions)] == list(FLAG_EDITS)
    assert all(value is True for value in dataclasses.asdict(TicketMarkdownOptions()).values())
    with pytest.raises(TypeError):
        TicketMarkdownOptions(True)  # type: ignore[misc]  # keyword-only
    with pytest.raises(TypeError):
        TicketMarkdownOptions(show_stauts=False)  # type: ignore[call-arg]


def test_rich_transcript() -> None:
    assert rich_context().to_markdown() == RICH_MARKDOWN


@pytest.mark.parametrize("flag", list(FLAG_EDITS))
def test_each_flag_removes_only_its_text(flag: str) -> None:
    expected = RICH_MARKDOWN
    for pattern, replacement in FLAG_EDITS[flag]:
        expected, count = re.subn(pattern, replacement, expected)
        assert count >= 1, (flag, pattern)
    options = TicketMarkdownOptions(**{flag: False})
    assert rich_context().to_markdown(options) == expected
    assert expected != RICH_MARKDOWN


def test_guide_options_example_description_and_timeline_only() -> None:
    options = TicketMarkdownOptions(**{name: False for name in FLAG_EDITS if not name.startswith("include_")})
    options = dataclasses.replace(options, include_documents=False)
    assert rich_context().to_markdown(options) == (
        "# Ticket #123 — Wi-Fi unreachable\n\n"
        "## Description\n\n802.1X handshake fails on the 5 GHz radio.\n\n"
        "## Timeline\n\n"
        "### Followup #45\n\nReproduced on the lab laptop.\n\n"
        "### Task #12\n\nOn-site visit.\n\n"
        "### Solution #7\n\nReplaced the access point.\n"
    )


def test_empty_sections_are_omitted() -> None:
    ticket = GetTicket.model_validate(
        {
            "id": 124,
            "name": "Printer offline",
            "content": "<p>The third-floor printer cannot be reached.</p>",
            "status": {"id": 1, "name": "New"},
            "team": [],
        }
    )
    context = GlpiTicketContext(ticket=ticket)
    # Example 1 of the guide (no team, no editor; dates hidden to match the abridged text).
    assert context.to_markdown(TicketMarkdownOptions(show_dates=False)) == (
        "# Ticket #124 — Printer offline\n> Status: New\n\n"
        "## Description\n\nThe third-floor printer cannot be reached.\n"
    )
    bare = GlpiTicketContext(ticket=GetTicket(id=5))
    assert bare.to_markdown() == "# Ticket #5\n"
    # Timeline kinds all excluded: no "## Timeline" heading at all.
    only = TicketMarkdownOptions(include_followups=False, include_tasks=False, include_solutions=False)
    assert "## Timeline" not in guide_context().to_markdown(only)


def test_guide_examples_3_and_4_event_blocks() -> None:
    task = GetTicketTask.model_validate(
        {
            "id": 13,
            "content": "<p>On-site visit to swap the access point.</p>",
            "duration": 1800,
            "state": 1,
            "user": {"id": 2, "name": "bob"},
            "date_creation": at(0, 11),
        }
    )
    solution = GetSolution.model_validate(
        {
            "id": 8,
            "content": "<p>Replaced the access point firmware.</p>",
            "user": {"id": 2},
            "date_creation": at(5, 11),
        }
    )
    context = GlpiTicketContext(
        ticket=GetTicket.model_validate({"id": 123, "name": "Wi-Fi unreachable", "status": {"id": 5}}),
        tasks=[task],
        solutions=[solution],
    )
    quiet = TicketMarkdownOptions(show_event_author=False, show_event_dates=False, show_event_state=False)
    text = context.to_markdown(quiet)
    assert "### Task #13\n> Duration: 1800s\n\nOn-site visit to swap the access point.\n" in text
    assert "### Solution #8\n\nReplaced the access point firmware.\n" in text
    assert text.startswith("# Ticket #123 — Wi-Fi unreachable\n> Status: Solved\n\n## Timeline\n\n")


def test_events_are_ordered_by_creation_date_across_kinds() -> None:
    def event(cls: Any, item_id: int, created: str | None) -> Any:
        return cls.model_validate({"id": item_id, "content": f"{cls.__name__} {item_id}", "date_creation": created})

    context = GlpiTicketContext(
        ticket=GetTicket(id=1, name="t"),
        followups=[event(GetFollowup, 2, at(0, 12)), event(GetFollowup, 1, at(0, 10)), event(GetFollowup, 9, None)],
        tasks=[event(GetTicketTask, 5, at(0, 10)), event(GetTicketTask, 4, "2026-01-02T09:30:00")],
        solutions=[event(GetSolution, 3, at(0, 11)), event(GetSolution, 1, at(0, 10))],
    )
    headings = re.findall(r"^### (.*)$", context.to_markdown(), flags=re.MULTILINE)
    assert headings == [
        "Task #4",  # naive date, read as UTC: 09:30
        "Followup #1",  # 10:00 ties: followup, then task, then solution
        "Task #5",
        "Solution #1",
        "Solution #3",  # 11:00
        "Followup #2",  # 12:00
        "Followup #9",  # undated: last
    ]


def test_names_fall_back_to_the_reference_then_the_id() -> None:
    followup = GetFollowup.model_validate({"id": 1, "user": {"id": 8, "name": "zoe"}, "user_editor": 9})
    context = GlpiTicketContext(ticket=GetTicket(id=1), followups=[followup])
    assert "> Created by: zoe | Last edited by: User #9\n" in context.to_markdown()
    documents = [GetTimelineDocument(id=3, documents_id=77)]
    assert (
        "## Documents\n- Document #77\n" in GlpiTicketContext(ticket=GetTicket(id=1), documents=documents).to_markdown()
    )


def test_unknown_enum_values_do_not_fail() -> None:
    task = GetTicketTask.model_validate({"id": 1, "state": 42})
    solution = GetSolution.model_validate({"id": 2, "status": 99})
    ticket = GetTicket.model_validate({"id": 1, "status": {"id": 77, "name": "Custom"}})
    text = GlpiTicketContext(ticket=ticket, tasks=[task], solutions=[solution]).to_markdown()
    assert "> Status: Custom\n" in text and "> State: 42\n" in text and "> Status: 99\n" in text


# -- html_to_markdown -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;", "Hello **world**"),
        ("<p>Hello <b>world</b></p>", "Hello **world**"),
        ("&amp;lt;p&amp;gt;double &amp;lt;i&amp;gt;encoded&amp;lt;/i&amp;gt;&amp;lt;/p&amp;gt;", "double *encoded*"),
        ("<p>1 &lt; 2 &amp; 3</p>", "1 \\< 2 & 3"),  # escaped: `<` can start an autolink
        ("<p>see &lt;b&gt; literally</p>", "see \\<b> literally"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<h2>Title</h2><p>a</p>\n\n\n\n<p>b</p>", "## Title\n\na\n\nb"),
        ("plain &amp; simple", "plain & simple"),
        ("  line one\n\n\n\nline two  ", "line one\n\nline two"),
        ("", ""),
        (None, ""),
    ],
)
def test_html_to_markdown(content: str | None, expected: str) -> None:
    assert html_to_markdown(content) == expected


def test_package_import_does_not_import_the_converters() -> None:
    code = (
        "import sys, glpi_python_client\n"
        "from glpi_python_client import GlpiClient, AsyncGlpiClient\n"
        "from glpi_python_client._context import GlpiTicketContext\n"
        "assert GlpiClient.get_ticket_context is not None\n"
        "print(sorted(m for m in ('markdown_it', 'html.parser', 'glpi_python_client.richtext') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
