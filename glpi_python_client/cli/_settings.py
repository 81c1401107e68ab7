"""Where the command line's GLPI settings come from: a profile of the TOML config file, or the GLPI_* variables.

The file (``config.toml`` in the platform's config directory, or the path in ``GLPI_CLI_CONFIG``) holds one table
per profile, with the keyword names of :class:`~glpi_python_client.GlpiClient`::

    [default]
    glpi_api_url = "https://glpi.example.com/api.php/v2"
    client_id = "..."
    client_secret = "..."
    username = "api-user"
    password = "..."
    glpi_entity = 0

The settings are taken, without mixing sources, from: the profile named by ``--profile`` (or ``GLPI_CLI_PROFILE``);
else the ``GLPI_*`` variables when ``GLPI_API_URL`` is set (exactly like ``GlpiClient.from_env``); else the profile
``default``. The file is written with mode 0600, and reading one that others can read gives a warning.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._config import config_from_env
from .._errors import ConfigurationError

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_PROFILE",
    "KEYS",
    "PROFILE_ENV",
    "SECRET_KEYS",
    "Settings",
    "config_path",
    "permission_problem",
    "read_profiles",
    "resolve",
    "write_profile",
]

CONFIG_ENV = "GLPI_CLI_CONFIG"
PROFILE_ENV = "GLPI_CLI_PROFILE"
DEFAULT_PROFILE = "default"

#: Profile keys (the client's keyword arguments) and the TOML type each must have.
KEYS: dict[str, tuple[type, ...]] = {
    "glpi_api_url": (str,),
    "client_id": (str,),
    "client_secret": (str,),
    "username": (str,),
    "password": (str,),
    "glpi_entity": (int,),
    "glpi_profile": (int,),
    "entity_recursive": (bool,),
    "language": (str,),
    "verify_ssl": (bool,),
    "v1_base_url": (str,),
    "v1_user_token": (str,),
    "v1_app_token": (str,),
    "timeout": (int, float),
}
SECRET_KEYS = frozenset({"client_secret", "password", "v1_user_token", "v1_app_token"})


@dataclass(frozen=True)
class Settings:
    """The client keywords of one source, and where they came from (its repr shows no value)."""

    source: str
    kwargs: dict[str, Any] = field(repr=False)
    warnings: tuple[str, ...] = ()

    def secrets(self) -> list[str]:
        """The secret values, so that output and logs can be scrubbed of them."""
        return [str(self.kwargs[k]) for k in SECRET_KEYS if self.kwargs.get(k)]

    def shown(self) -> dict[str, str]:
        """Every setting as text for display, secrets replaced by ``<set>``."""
        return {
            key: "<set>" if key in SECRET_KEYS else str(value)
            for key, value in sorted(self.kwargs.items())
            if value is not None
        }


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``GLPI_CLI_CONFIG``, else ``config.toml`` in the platform's user config directory for ``glpi``."""
    env = os.environ if environ is None else environ
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("glpi", appauthor=False)) / "config.toml"


def permission_problem(path: Path) -> str | None:
    """A warning when the file can be read by its group or by others (it holds secrets), else None."""
    if os.name != "posix":
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return f"{path} can be read by other users (mode {mode:04o}): run chmod 600 {path}"
    return None


def _check_profile(name: str, table: Any, path: Path) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigurationError(f"{path}: {name!r} must be a table ([{name}]) of settings")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigurationError(
            f"{path}: profile {name!r} has unknown keys {', '.join(unknown)} (known: {', '.join(KEYS)})"
        )
    for key, value in table.items():
        types = KEYS[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            expected = " or ".join(t.__name__ for t in types)
            raise ConfigurationError(f"{path}: {name}.{key} must be a {expected} (got {value!r})")
    return dict(table)


def read_profiles(path: Path) -> dict[str, dict[str, Any]]:
    """The profiles of ``path`` ({} when it does not exist), checked key by key."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None
    return {name: _check_profile(name, table, path) for name, table in data.items()}


def resolve(profile: str | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings to use (see the module docstring); ConfigurationError says how to configure when none are."""
    env = os.environ if environ is None else environ
    path = config_path(env)
    name = profile or env.get(PROFILE_ENV) or None
    if name is None and env.get("GLPI_API_URL"):
        return Settings(source="the GLPI_* environment variables", kwargs=config_from_env(env))
    wanted = name or DEFAULT_PROFILE
    profiles = read_profiles(path)
    if wanted not in profiles:
        if name is None:
            raise ConfigurationError(
                "GLPI is not configured: run `glpi config init`, or set GLPI_API_URL and the other GLPI_* variables"
            )
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigurationError(
            f"no profile {wanted!r} in {path} (profiles: {known}): create it with `glpi config init --profile {wanted}`"
        )
    problem = permission_problem(path)
    return Settings(
        source=f"profile {wanted!r} of {path}", kwargs=profiles[wanted], warnings=(problem,) if problem else ()
    )


def write_profile(path: Path, name: str, values: Mapping[str, Any]) -> None:
    """Write (or replace) profile ``name`` in ``path``, keeping the other profiles; the file gets mode 0600."""
    import tomli_w

    profiles = read_profiles(path)
    profiles[name] = _check_profile(name, {k: v for k, v in values.items() if v is not None}, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = tomli_w.dumps(profiles)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if hasattr(os, "fchmod"):  # POSIX: an existing file keeps its mode through O_CREAT, so set it
            os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
