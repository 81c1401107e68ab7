"""``glpi upload`` and ``glpi download``: document files (uploads go through GLPI's v1 API, as the facade does)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ._session import CliState, UsageError

__all__ = ["download", "upload"]


def upload(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Files to upload.", show_default=False)],
    ticket: Annotated[int | None, typer.Option("--ticket", "-t", help="Link each document to this ticket.")] = None,
    name: Annotated[str | None, typer.Option(help="Document name (default: the file name).")] = None,
    comment: Annotated[str | None, typer.Option(help="Document comment.")] = None,
    mime: Annotated[str | None, typer.Option(help="MIME type (default: guessed from the name).")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the request that would be sent; send nothing.")
    ] = False,
) -> None:
    """Upload files as GLPI documents (streamed, never read whole) and print each document's id.

    Needs the v1 settings (v1_base_url, v1_user_token): GLPI's v2 API cannot upload.

    Examples:

      glpi upload screenshot.png --ticket 4521

      glpi upload logs/*.txt -t 4521 --comment "from the night run" --dry-run
    """
    state: CliState = ctx.obj
    for path in files:
        if not path.is_file():
            raise UsageError(f"{path} is not a readable file")
    if name and len(files) > 1:
        raise UsageError("--name applies to a single file")
    with state.client(dry_run=dry_run) as client:
        for path in files:
            document_id = client.upload_document(
                filename=path.name, content=path, mime_type=mime, ticket_id=ticket, name=name, comment=comment
            )
            if not dry_run:
                state.echo(f"{document_id}\n")
                where = f", linked to ticket {ticket}" if ticket is not None else ""
                state.err().print(f"uploaded {path} as document {document_id}{where}", markup=False, highlight=False)


def download(
    ctx: typer.Context,
    document_id: Annotated[int, typer.Argument(help="The document id.", show_default=False)],
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Where to write it (- for stdout) [default: its file name].")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Download a document's file (streamed to disk, chunk by chunk).

    Examples:

      glpi download 12

      glpi download 12 -o - | file -
    """
    state: CliState = ctx.obj
    with state.client() as client:
        if output == "-":
            client.download_document_to(document_id, sys.stdout.buffer)
            sys.stdout.flush()
            return
        if output is None:
            document = client.get_document(document_id)
            output = Path(document.filename or document.name or f"document-{document_id}").name
        target = Path(output)
        if target.exists() and not force:
            raise UsageError(f"{target} exists: pass --force to overwrite it, or -o another path")
        size = client.download_document_to(document_id, target)
    state.err().print(f"saved document {document_id} to {target} ({size} bytes)", markup=False, highlight=False)
