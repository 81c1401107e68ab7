"""Client settings: validation (all of it, in one place), environment variables, derived URLs.

Every constructor setting is checked here, before anything is sent, and every problem found is reported
at once in one :class:`ConfigurationError` naming the setting and the value given.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, ParamSpec

import httpx

from ._arguments import as_int, shown
from ._constants import (
    DEFAULT_CONCURRENCY,
    DEFAULT_LANGUAGE,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOKEN_REFRESH_MARGIN,
    NAME_CACHE_TTL,
)
from ._errors import ConfigurationError

__all__ = ["ClientConfig", "checked_settings", "config_from_env"]

P = ParamSpec("P")

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
    #: Seconds (or an ``httpx.Timeout``) for each request; None waits forever.
    timeout: float | httpx.Timeout | None = field(default_factory=lambda: DEFAULT_TIMEOUT)
    #: Retries of an idempotent request (0 disables them).
    max_retries: int = DEFAULT_MAX_RETRIES
    #: The most requests one operation runs at the same time (and the sync client's thread count).
    concurrency: int = DEFAULT_CONCURRENCY
    #: The most connections the client opens to GLPI at once, however many calls run concurrently (more wait).
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    #: Seconds a user or document name looked up for a ticket context stays in the client's name cache
    #: (0 disables the cache: every context looks its names up again).
    name_cache_ttl: float = NAME_CACHE_TTL
    #: The time zone GLPI runs in (an IANA name such as ``"Europe/Paris"`` is turned into a ``tzinfo``).
    #: GLPI sends and reads timestamps without an offset, in that zone; None when not told.
    server_timezone: tzinfo | None = None

    def __post_init__(self) -> None:
        problems = self._typed_problems()
        url = self.glpi_api_url.strip() if isinstance(self.glpi_api_url, str) else ""
        if not url:
            if not isinstance(self.glpi_api_url, str) and self.glpi_api_url is not None:
                problems.append(f"glpi_api_url must be a str (got {_shown(self.glpi_api_url)})")
            else:
                problems.append("glpi_api_url is required (e.g. https://glpi.example.com/api.php/v2)")
        else:
            problems.extend(_url_problems("glpi_api_url", url))
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
        if isinstance(self.v1_base_url, str) and self.v1_base_url.strip():
            problems.extend(_url_problems("v1_base_url", self.v1_base_url.strip()))
        if problems:
            raise ConfigurationError("invalid GLPI client configuration: " + "; ".join(problems))
        if self.v1_base_url:
            object.__setattr__(self, "v1_base_url", self.v1_base_url.strip().rstrip("/"))

    def _typed_problems(self) -> list[str]:
        """Each setting of the wrong type or outside its range, and normalise the valid ones."""
        problems: list[str] = []
        for name in (
            "client_id",
            "client_secret",
            "username",
            "password",
            "v1_base_url",
            "v1_user_token",
            "v1_app_token",
        ):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                problems.append(f"{name} must be a str (got {_shown(value, secret=name in _SECRETS)})")
                object.__setattr__(self, name, None)
        self._int_setting(problems, "glpi_entity", minimum=0, hint="an entity id; 0 is the root entity")
        self._int_setting(problems, "glpi_profile", minimum=1, hint="a profile id")
        self._int_setting(problems, "max_retries", minimum=0, hint="0 disables retries")
        self._int_setting(problems, "concurrency", minimum=1, hint="the most requests in flight at once")
        self._int_setting(problems, "max_connections", minimum=1, hint="the most connections open at once")
        for name in ("entity_recursive", "verify_ssl"):
            value = getattr(self, name)
            if not isinstance(value, bool) and not (value is None and name == "entity_recursive"):
                problems.append(f"{name} must be True or False (got {_shown(value)})")
        if not isinstance(self.language, str) or not re.fullmatch(
            r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*", self.language
        ):
            problems.append(f"language must be a locale such as 'en_GB' or 'fr_FR' (got {_shown(self.language)})")
        problems.extend(self._timezone_problems())
        refresh = self.auth_token_refresh
        if isinstance(refresh, bool) or not isinstance(refresh, int | float) or not refresh >= 0:
            problems.append(f"auth_token_refresh must be a number of seconds >= 0 (got {_shown(refresh)})")
        ttl = self.name_cache_ttl
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not 0 <= ttl < float("inf"):
            problems.append(
                f"name_cache_ttl must be a number of seconds >= 0 (0 disables the name cache; got {_shown(ttl)})"
            )
        timeout = self.timeout
        if not (timeout is None or isinstance(timeout, httpx.Timeout)) and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0
        ):
            problems.append(
                f"timeout must be a number of seconds > 0, an httpx.Timeout or None (got {_shown(timeout)})"
            )
        return problems

    def _timezone_problems(self) -> list[str]:
        zone: Any = self.server_timezone
        if zone is None or isinstance(zone, tzinfo):
            return []
        if isinstance(zone, str) and zone.strip():
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                object.__setattr__(self, "server_timezone", ZoneInfo(zone.strip()))
                return []
            except (ZoneInfoNotFoundError, ValueError):
                pass
        object.__setattr__(self, "server_timezone", None)
        return [
            "server_timezone must be an IANA time zone name such as 'Europe/Paris', a datetime.tzinfo or None"
            f" (got {_shown(zone)})"
        ]

    def _int_setting(self, problems: list[str], name: str, *, minimum: int, hint: str) -> None:
        value = getattr(self, name)
        if value is None and name in ("glpi_entity", "glpi_profile"):
            return
        number = as_int(value)
        if number is None or number < minimum:
            problems.append(f"{name} must be an int >= {minimum} ({hint}; got {_shown(value)})")
        else:
            object.__setattr__(self, name, number)

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


_SECRETS = frozenset({"client_secret", "password", "v1_user_token", "v1_app_token"})


def _shown(value: Any, *, secret: bool = False) -> str:
    """How a rejected value appears in a message: its repr (short), or only its type for a secret."""
    return f"a value of type {type(value).__name__}" if secret else shown(value)


def _url_problems(name: str, url: str) -> list[str]:
    if not url.startswith(("http://", "https://")):
        return [f"{name} must start with http:// or https:// (got {url!r})"]
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        return [f"{name} is not a valid URL ({exc}; got {url!r})"]
    if not parsed.host:
        return [f"{name} has no host name (got {url!r})"]
    if parsed.query or parsed.fragment:
        return [f"{name} must not carry a query string or fragment (got {url!r})"]
    return []


def checked_settings(init: Callable[P, None]) -> Callable[P, None]:
    """Wrap a client ``__init__`` so a wrong call names the public class, never an internal base.

    ``GlpiClient(verify=False)`` raises ``ConfigurationError: GlpiClient() got an unexpected keyword
    argument 'verify' (did you mean 'verify_ssl'?)`` instead of Python's message about a private
    ``__init__``. The signature seen by ``help()``, IDEs and mypy is unchanged.
    """
    signature = inspect.signature(init)
    accepted = [name for name in signature.parameters if name != "self"]
    open_ended = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())

    @functools.wraps(init)
    def checked(*args: P.args, **kwargs: P.kwargs) -> None:
        owner = type(args[0]).__name__ if args else "client"
        if len(args) > 1:
            raise ConfigurationError(
                f"{owner}() takes keyword arguments only, e.g. {owner}(glpi_api_url=...); got"
                f" {len(args) - 1} positional argument(s)"
            ) from None
        if not open_ended:
            unknown = [name for name in kwargs if name not in accepted]
            if unknown:
                raise ConfigurationError(
                    "; ".join(
                        f"{owner}() got an unexpected keyword argument {name!r}{_suggest(name, accepted)}"
                        for name in unknown
                    )
                ) from None
            try:
                signature.bind(*args, **kwargs)
            except TypeError as exc:
                raise ConfigurationError(f"{owner}(): {exc}") from None
        init(*args, **kwargs)

    return checked


def _suggest(name: str, accepted: list[str]) -> str:
    import difflib  # only when a message needs a suggestion: kept off the import path

    aliases = {
        "verify": "verify_ssl",
        "url": "glpi_api_url",
        "base_url": "glpi_api_url",
        "entity": "glpi_entity",
        "profile": "glpi_profile",
        "retries": "max_retries",
        "user": "username",
        "app_token": "v1_app_token",
        "user_token": "v1_user_token",
    }
    match = aliases.get(name) or next(iter(difflib.get_close_matches(name, accepted, n=1)), None)
    return f" (did you mean {match!r}?)" if match in accepted else ""


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


def _env_float(name: str, raw: str) -> float:
    try:
        return float(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name} must be a number (got {raw!r})") from None


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
    "auth_token_refresh": ("GLPI_AUTH_TOKEN_REFRESH", _env_float),
    "server_timezone": ("GLPI_SERVER_TIMEZONE", str),
}


def config_from_env(
    environ: Mapping[str, str] | None = None, *, prefix: str = "GLPI_", **overrides: Any
) -> dict[str, Any]:
    """Constructor keywords read from the ``GLPI_*`` variables (``prefix`` replaces ``GLPI_``); ``overrides`` win."""
    env = os.environ if environ is None else environ
    kwargs: dict[str, Any] = {}
    for key, (default_name, convert) in _ENV.items():
        name = prefix + default_name.removeprefix("GLPI_")
        raw = env.get(name)
        if raw is None or (raw == "" and convert is str):
            continue
        kwargs[key] = convert(raw) if convert is str else convert(name, raw)
    kwargs.update(overrides)
    if not kwargs.get("glpi_api_url"):
        raise ConfigurationError(f"{prefix}API_URL is not set (nor glpi_api_url given)")
    return kwargs
