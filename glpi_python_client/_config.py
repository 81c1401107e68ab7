"""Client settings: validation, environment variables, derived URLs."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._constants import DEFAULT_LANGUAGE, DEFAULT_TOKEN_REFRESH_MARGIN
from ._errors import ConfigurationError

__all__ = ["ClientConfig", "config_from_env"]

_API_VERSION = re.compile(r"/v\d+(?:\.\d+)*/?$")


@dataclass(frozen=True, kw_only=True)
class ClientConfig:
    """Every setting of a client; secrets never appear in its repr."""

    glpi_api_url: str
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    glpi_entity: int | None = None
    glpi_profile: int | None = None
    entity_recursive: bool | None = None
    language: str = DEFAULT_LANGUAGE
    verify_ssl: bool = True
    auth_token_refresh: float = DEFAULT_TOKEN_REFRESH_MARGIN
    v1_base_url: str | None = None
    v1_user_token: str | None = field(default=None, repr=False)
    v1_app_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        problems: list[str] = []
        url = (self.glpi_api_url or "").strip()
        if not url:
            problems.append("glpi_api_url is required (e.g. https://glpi.example.com/api.php/v2)")
        elif not url.startswith(("http://", "https://")):
            problems.append(f"glpi_api_url must start with http:// or https:// (got {url!r})")
        object.__setattr__(self, "glpi_api_url", url.rstrip("/"))
        if bool(self.client_id) != bool(self.client_secret):
            missing = "client_secret" if self.client_id else "client_id"
            problems.append(f"{missing} is missing: client_id and client_secret go together")
        if bool(self.username) != bool(self.password):
            missing = "password" if self.username else "username"
            problems.append(f"{missing} is missing: username and password go together")
        if not self.client_id and not self.username:
            problems.append(
                "credentials are missing: give client_id/client_secret, username/password, or both"
                " (GLPI's OAuth password grant uses both pairs)"
            )
        if self.auth_token_refresh < 0:
            problems.append("auth_token_refresh must be >= 0 seconds")
        if self.v1_base_url and not self.v1_base_url.startswith(("http://", "https://")):
            problems.append(f"v1_base_url must start with http:// or https:// (got {self.v1_base_url!r})")
        if problems:
            raise ConfigurationError("invalid GLPI client configuration: " + "; ".join(problems))
        if self.v1_base_url:
            object.__setattr__(self, "v1_base_url", self.v1_base_url.rstrip("/"))

    @property
    def token_url(self) -> str:
        """``https://host/api.php/v2`` -> ``https://host/api.php/token``."""
        return _API_VERSION.sub("", self.glpi_api_url) + "/token"

    @property
    def grant_type(self) -> str:
        return "password" if self.username else "client_credentials"

    def scope_headers(self) -> dict[str, str]:
        headers = {"Accept-Language": self.language}
        if self.glpi_entity is not None:
            headers["GLPI-Entity"] = str(self.glpi_entity)
        if self.glpi_profile is not None:
            headers["GLPI-Profile"] = str(self.glpi_profile)
        if self.entity_recursive is not None:
            headers["GLPI-Entity-Recursive"] = "true" if self.entity_recursive else "false"
        return headers

    def missing_v1(self) -> list[str]:
        return [name for name in ("v1_base_url", "v1_user_token") if not getattr(self, name)]


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _env_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false (got {raw!r})")


def _env_int(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer (got {raw!r})") from None


_ENV: dict[str, tuple[str, Any]] = {
    "glpi_api_url": ("GLPI_API_URL", str),
    "client_id": ("GLPI_CLIENT_ID", str),
    "client_secret": ("GLPI_CLIENT_SECRET", str),
    "username": ("GLPI_USERNAME", str),
    "password": ("GLPI_PASSWORD", str),
    "glpi_entity": ("GLPI_ENTITY", _env_int),
    "glpi_profile": ("GLPI_PROFILE", _env_int),
    "entity_recursive": ("GLPI_ENTITY_RECURSIVE", _env_bool),
    "language": ("GLPI_LANGUAGE", str),
    "verify_ssl": ("GLPI_VERIFY_SSL", _env_bool),
    "v1_base_url": ("GLPI_V1_BASE_URL", str),
    "v1_user_token": ("GLPI_V1_USER_TOKEN", str),
    "v1_app_token": ("GLPI_V1_APP_TOKEN", str),
}


def config_from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """Constructor keywords read from the ``GLPI_*`` variables; ``overrides`` win."""
    env = os.environ if environ is None else environ
    kwargs: dict[str, Any] = {}
    for key, (name, convert) in _ENV.items():
        raw = env.get(name)
        if raw is None or (raw == "" and convert is str):
            continue
        kwargs[key] = convert(raw) if convert is str else convert(name, raw)
    kwargs.update(overrides)
    if not kwargs.get("glpi_api_url"):
        raise ConfigurationError("GLPI_API_URL is not set (nor glpi_api_url given)")
    return kwargs
