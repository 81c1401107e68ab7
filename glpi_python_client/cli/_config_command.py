"""``glpi config``: write a profile (``init``), show the settings in use (``show``), print the file's path."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

import typer

from .._errors import ConfigurationError
from ._session import CliState, UsageError
from ._settings import DEFAULT_PROFILE, config_path, read_profiles, write_profile

__all__ = ["app"]

app = typer.Typer(help="Profiles of the config file (TOML, mode 0600, in the platform's config directory).")


def _interactive() -> bool:
    """Prompts only on a terminal (never when stdin is a pipe or a file)."""
    return sys.stdin.isatty()


def _ask(
    label: str, given: str | None, *, secret: bool = False, env: str | None = None, default: str | None = None
) -> str:
    if given:
        return given
    if env and os.environ.get(env):
        return os.environ[env]
    if not _interactive():
        where = f" or set {env}" if env else ""
        raise UsageError(f"{label} is needed: stdin is not a terminal, so give it as an option{where}")
    value: str = typer.prompt(label, default=default, hide_input=secret, show_default=not secret)
    return value.strip()


@app.command()
def init(
    ctx: typer.Context,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Profile name [default: default].")] = None,
    url: Annotated[str | None, typer.Option(help="API URL, e.g. https://glpi.example.com/api.php/v2.")] = None,
    client_id: Annotated[str | None, typer.Option(help="OAuth client id (GLPI: Setup > OAuth clients).")] = None,
    username: Annotated[str | None, typer.Option(help="GLPI login for the password grant.")] = None,
    entity: Annotated[int | None, typer.Option(help="GLPI-Entity to work in (default: the user's).")] = None,
    glpi_profile: Annotated[int | None, typer.Option(help="GLPI-Profile id to use (default: the user's).")] = None,
    v1_url: Annotated[
        str | None, typer.Option(help="Legacy v1 URL (https://host/apirest.php), for uploads and the Fields plugin.")
    ] = None,
    verify_ssl: Annotated[bool, typer.Option(help="Check the server's TLS certificate.")] = True,
    force: Annotated[bool, typer.Option("--force", help="Replace the profile if it exists, without asking.")] = False,
) -> None:
    """Write a profile, asking for what is not given (secrets with a hidden prompt).

    The client secret, password and v1 user token are never options (they would land in the shell history):
    they are prompted for, or read from GLPI_CLIENT_SECRET, GLPI_PASSWORD and GLPI_V1_USER_TOKEN.
    The file is created with mode 0600.

    Examples:

      glpi config init

      glpi config init -p test --url http://glpi.test/api.php/v2 --client-id abc --username tech
    """
    state: CliState = ctx.obj
    name = profile or state.profile or DEFAULT_PROFILE
    path = config_path()
    if name in read_profiles(path) and not force:
        if not _interactive():
            raise UsageError(f"profile {name!r} exists in {path}: pass --force to replace it")
        if not typer.confirm(f"Profile {name!r} exists in {path}: replace it?", default=False):
            raise typer.Exit(1)
    values: dict[str, Any] = {
        "glpi_api_url": _ask("API URL (https://host/api.php/v2)", url, env="GLPI_API_URL"),
        "client_id": _ask("OAuth client id", client_id, env="GLPI_CLIENT_ID"),
        "client_secret": _ask("OAuth client secret", None, secret=True, env="GLPI_CLIENT_SECRET"),
        "username": _ask("Username", username, env="GLPI_USERNAME"),
        "password": _ask("Password", None, secret=True, env="GLPI_PASSWORD"),
        "glpi_entity": entity,
        "glpi_profile": glpi_profile,
    }
    if not verify_ssl:
        values["verify_ssl"] = False
    if v1_url:
        values["v1_base_url"] = v1_url
        values["v1_user_token"] = _ask("v1 user token (remote access key)", None, secret=True, env="GLPI_V1_USER_TOKEN")
    from .._config import ClientConfig

    try:  # refuse what the client would refuse, before writing anything
        ClientConfig(**{k: v for k, v in values.items() if v is not None})
    except ConfigurationError as exc:
        raise UsageError(str(exc)) from None
    write_profile(path, name, values)
    state.err().print(
        f"wrote profile {name!r} to {path} (mode 0600); check it with `glpi -p {name} doctor`", markup=False
    )


@app.command()
def show(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show where the settings come from and what they are (secrets only as <set>).

    Examples:

      glpi config show

      glpi -p test config show --json
    """
    state: CliState = ctx.obj
    settings = state.settings()
    if json_output:
        state.echo(json.dumps({"source": settings.source, "settings": settings.shown()}, indent=2) + "\n")
        return
    lines = [f"source: {settings.source}", *(f"{k} = {v}" for k, v in settings.shown().items())]
    state.echo("\n".join(lines) + "\n")


@app.command()
def path() -> None:
    """Print the config file's path (GLPI_CLI_CONFIG overrides it)."""
    typer.echo(str(config_path()))
