"""What the receiver accepts (Alertmanager's webhook v4, the generic alert form) and how alerts become incidents.

Pure data and functions: nothing here imports the web framework, so the mapping can be tested and reused alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Alert", "AlertMapping", "AlertmanagerAlert", "AlertmanagerPayload", "GenericAlert", "ItemRef", "TeamRef"]

Scale = Annotated[int, Field(ge=1, le=5)]

#: Alertmanager ``severity`` label -> GLPI urgency (1 very low .. 5 very high).
DEFAULT_URGENCIES: dict[str, int] = {
    "critical": 5,
    "page": 5,
    "error": 4,
    "high": 4,
    "major": 4,
    "warning": 3,
    "medium": 3,
    "minor": 2,
    "low": 2,
    "info": 2,
    "none": 1,
}


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert, whatever its source: the key, firing or resolved, and what the incident is made of."""

    key: str
    status: Literal["firing", "resolved"]
    title: str
    content: str
    urgency: int | None = None
    impact: int | None = None
    category: int | None = None
    entity: int | None = None
    items: tuple[tuple[str, int], ...] = ()
    #: ``(type, id, role)`` of the team members a new ticket gets: ``("Group", 3, "assigned")``.
    team: tuple[tuple[str, int, str], ...] = ()
    solution: str = ""


# -- Alertmanager webhook, version 4 ---------------------------------------------------------------
# https://prometheus.io/docs/alerting/latest/configuration/#webhook_config


class AlertmanagerAlert(BaseModel):
    """One entry of ``alerts`` in Alertmanager's webhook payload."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    status: Literal["firing", "resolved"]
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    starts_at: str = Field("", alias="startsAt")
    ends_at: str = Field("", alias="endsAt")
    generator_url: str = Field("", alias="generatorURL")
    fingerprint: str = Field(min_length=1)


class AlertmanagerPayload(BaseModel):
    """Alertmanager's webhook body (``version: "4"``): a group of alerts, each firing or resolved."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    version: Literal["4"]
    status: Literal["firing", "resolved"]
    receiver: str = ""
    group_key: str = Field("", alias="groupKey")
    truncated_alerts: int = Field(0, alias="truncatedAlerts")
    group_labels: dict[str, str] = Field(default_factory=dict, alias="groupLabels")
    common_labels: dict[str, str] = Field(default_factory=dict, alias="commonLabels")
    common_annotations: dict[str, str] = Field(default_factory=dict, alias="commonAnnotations")
    external_url: str = Field("", alias="externalURL")
    alerts: list[AlertmanagerAlert]


# -- the generic form, for Zabbix/Nagios scripts and anything else --------------------------------


class ItemRef(BaseModel):
    """An affected GLPI item: ``{"itemtype": "Computer", "id": 12}``."""

    model_config = ConfigDict(extra="forbid")

    itemtype: str = Field(min_length=1)
    id: int = Field(gt=0)


class TeamRef(BaseModel):
    """A team member of a new ticket: ``{"type": "Group", "id": 3, "role": "assigned"}``."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["User", "Group", "Supplier"] = "User"
    id: int = Field(gt=0)
    role: Literal["requester", "assigned", "observer"]


class GenericAlert(BaseModel):
    """``POST /alert``: one alert as JSON.

    ``{"key": "zabbix:1234", "status": "firing", "title": "...", "content": "...", "urgency": 4,
    "items": [{"itemtype": "Computer", "id": 12}], "team": [{"type": "Group", "id": 3, "role": "assigned"}]}``;
    resolve with ``{"key": ..., "status": "resolved", "solution": "..."}``. ``title`` is required when firing.
    Unknown fields are refused (a typo would be lost).
    """

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1)
    status: Literal["firing", "resolved"] = "firing"
    title: str | None = None
    content: str = ""
    urgency: Scale | None = None
    impact: Scale | None = None
    category: int | None = None
    entity: int | None = None
    items: list[ItemRef] = Field(default_factory=list)
    team: list[TeamRef] = Field(default_factory=list)
    solution: str | None = None

    @model_validator(mode="after")
    def _title_when_firing(self) -> GenericAlert:
        if self.status == "firing" and not (self.title and self.title.strip()):
            raise ValueError("a firing alert needs a title")
        return self

    def to_alert(self) -> Alert:
        return Alert(
            key=self.key,
            status=self.status,
            title=self.title or "",
            content=self.content,
            urgency=self.urgency,
            impact=self.impact,
            category=self.category,
            entity=self.entity,
            items=tuple((i.itemtype, i.id) for i in self.items),
            team=tuple((m.type, m.id, m.role) for m in self.team),
            solution=self.solution or f"Resolved by the monitoring (alert {self.key}).",
        )


class _Blank(dict[str, Any]):
    """Missing template fields render as empty strings."""

    def __missing__(self, key: str) -> Any:
        return ""


def _default_title(alert: AlertmanagerAlert) -> str:
    labels, notes = alert.labels, alert.annotations
    title = labels.get("alertname") or "Alert"
    if labels.get("instance"):
        title += f" on {labels['instance']}"
    if notes.get("summary"):
        title += f": {notes['summary']}"
    return title


def _default_content(alert: AlertmanagerAlert) -> str:
    notes = alert.annotations
    lines = [text for text in (notes.get("summary"), notes.get("description")) if text]
    lines.append(f"Firing since {alert.starts_at}" if alert.starts_at else "Firing")
    lines.append("Labels: " + ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items())))
    if alert.generator_url:
        lines.append(f"Source: {alert.generator_url}")
    return "\n".join(lines)


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


@dataclass(frozen=True)
class AlertMapping:
    """How Alertmanager alerts become incidents.

    ``title``/``content``: a ``str.format`` template over ``labels``, ``annotations``, ``status``,
    ``starts_at``, ``fingerprint`` (``"{labels[alertname]} on {labels[instance]}"``; a missing field renders
    empty) or a function of the :class:`AlertmanagerAlert`; None keeps the defaults (alertname, instance and
    summary; the annotations, labels and source link). The urgency comes from the ``urgency_label`` label
    through ``urgencies`` (default: ``severity``, critical 5 .. info 2), else ``default_urgency``. Labels named
    in ``item_labels`` (label -> itemtype) whose value is an id link that item; ``entity_label``,
    ``category_label`` and ``impact_label`` give numeric values, ``group_label`` the id of the group assigned.
    The incident key is ``key_prefix`` + the alert's ``fingerprint``.
    """

    title: str | Callable[[AlertmanagerAlert], str] | None = None
    content: str | Callable[[AlertmanagerAlert], str] | None = None
    urgency_label: str = "severity"
    urgencies: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_URGENCIES))
    default_urgency: int | None = 3
    impact_label: str | None = "glpi_impact"
    entity_label: str | None = "glpi_entity"
    category_label: str | None = "glpi_category"
    item_labels: Mapping[str, str] = field(default_factory=lambda: {"glpi_computer": "Computer"})
    group_label: str | None = "glpi_group"
    key_prefix: str = "alertmanager:"

    def _render(self, template: str | Callable[[AlertmanagerAlert], str], alert: AlertmanagerAlert) -> str:
        if callable(template):
            return str(template(alert))
        fields = {
            "labels": _Blank(alert.labels),
            "annotations": _Blank(alert.annotations),
            "status": alert.status,
            "starts_at": alert.starts_at,
            "ends_at": alert.ends_at,
            "fingerprint": alert.fingerprint,
            "generator_url": alert.generator_url,
        }
        return template.format_map(_Blank(fields))

    def to_alert(self, alert: AlertmanagerAlert) -> Alert:
        labels = alert.labels
        severity = labels.get(self.urgency_label, "").lower()
        urgency = self.urgencies.get(severity, self.default_urgency) if severity else self.default_urgency
        impact = _int(labels.get(self.impact_label)) if self.impact_label else None
        group = _int(labels.get(self.group_label)) if self.group_label else None
        items = tuple(
            (itemtype, item_id)
            for label, itemtype in self.item_labels.items()
            if (item_id := _int(labels.get(label))) is not None and item_id > 0
        )
        title = self._render(self.title, alert) if self.title is not None else _default_title(alert)
        content = self._render(self.content, alert) if self.content is not None else _default_content(alert)
        ended = f" at {alert.ends_at}" if alert.ends_at and not alert.ends_at.startswith("0001") else ""
        summary = alert.annotations.get("summary")
        return Alert(
            key=self.key_prefix + alert.fingerprint,
            status=alert.status,
            title=title.strip() or "Alert",
            content=content,
            urgency=urgency if urgency is None or 1 <= urgency <= 5 else None,
            impact=impact if impact is None or 1 <= impact <= 5 else None,
            category=_int(labels.get(self.category_label)) if self.category_label else None,
            entity=_int(labels.get(self.entity_label)) if self.entity_label else None,
            items=items,
            team=(("Group", group, "assigned"),) if group else (),
            solution=f"Resolved in Alertmanager{ended}." + (f" {summary}" if summary else ""),
        )
