"""Tests of the RSQL filter helpers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from glpi_python_client import rsql
from glpi_python_client._enums import GlpiTicketStatus
from glpi_python_client.rsql import (
    OBJECT_PROPERTIES,
    all_of,
    any_of,
    date_window,
    empty,
    eq,
    ge,
    gt,
    ilike,
    in_,
    is_null,
    le,
    like,
    lt,
    map_object_properties,
    ne,
    not_empty,
    not_null,
    out,
    quote,
)

OPENAPI = Path(__file__).resolve().parents[1] / "openapi" / "glpi-11.0.6-api-v2.2.json"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc", "abc"),
        ("refrec_0015b4", "refrec_0015b4"),
        ("a.b:c-d", "a.b:c-d"),
        ("2026-01-01", "2026-01-01"),
        ("exact value", '"exact value"'),
        ("", '""'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("a;b", '"a;b"'),
        ("a,b", '"a,b"'),
        ("(x)", '"(x)"'),
        ("prefix*", '"prefix*"'),
        ("é", '"é"'),
        (5, "5"),
        (-1, "-1"),
        (True, "true"),
        (False, "false"),
        (GlpiTicketStatus.SOLVED, "5"),
        (date(2026, 1, 2), "2026-01-02"),
        (datetime(2026, 1, 2, 3, 4, 5), '"2026-01-02 03:04:05"'),
    ],
)
def test_quote(value: rsql.Value, expected: str) -> None:
    assert quote(value) == expected


def test_quote_rejects_none() -> None:
    with pytest.raises(ValueError, match="is_null"):
        quote(None)


def test_comparison_helpers() -> None:
    assert eq("name", "exact value") == 'name=="exact value"'
    assert eq("status.id", GlpiTicketStatus.NEW) == "status.id==1"
    assert ne("id", 3) == "id!=3"
    assert lt("id", 3) == "id=lt=3"
    assert le("id", 3) == "id=le=3"
    assert gt("id", 3) == "id=gt=3"
    assert ge("id", 3) == "id=ge=3"
    assert like("name", "prefix*") == 'name=like="prefix*"'
    assert ilike("name", "abc") == "name=ilike=abc"
    assert eq("is_deleted", False) == "is_deleted==false"


def test_list_helpers() -> None:
    assert in_("status.id", [1, GlpiTicketStatus.ASSIGNED]) == "status.id=in=(1,2)"
    assert out("name", ["a b", "c"]) == 'name=out=("a b",c)'
    with pytest.raises(ValueError):
        in_("id", [])


def test_null_helpers() -> None:
    assert is_null("date_solve") == "date_solve=isnull=true"
    assert not_null("date_solve") == "date_solve=notnull=true"
    assert empty("name") == "name=empty=true"
    assert not_empty("name") == "name=notempty=true"
    assert {"=isnull=", "=notnull=", "=empty=", "=notempty="} <= rsql.OPERATORS


def test_empty_field_rejected() -> None:
    with pytest.raises(ValueError):
        eq("", 1)


def test_any_of() -> None:
    assert any_of() == ""
    assert any_of("", "") == ""
    assert any_of("a==1") == "a==1"
    assert any_of("a==1", "", "b==2", "c==3") == "(a==1,b==2,c==3)"


def test_all_of() -> None:
    assert all_of() == ""
    assert all_of("a==1", "", "b==2") == "a==1;b==2"
    assert all_of("a==1") == "a==1"
    # A top-level OR is parenthesised so that ';' does not bind to its last term.
    assert all_of("a==1,b==2", "c==3") == "(a==1,b==2);c==3"
    # Commas inside a group, a list or quotes are not top-level.
    assert all_of("(a==1,b==2)", "id=in=(1,2)", 'name=="x,y"') == '(a==1,b==2);id=in=(1,2);name=="x,y"'


def test_all_of_any_of_compose() -> None:
    flt = all_of(any_of(eq("status.id", 1), eq("status.id", 2)), like("name", "VPN*"))
    assert flt == '(status.id==1,status.id==2);name=like="VPN*"'


def test_date_window_dates() -> None:
    assert date_window("date_creation", date(2026, 1, 1), date(2026, 1, 31)) == (
        "date_creation=ge=2026-01-01 00:00:00;date_creation=le=2026-01-31 23:59:59"
    )


def test_date_window_strings() -> None:
    assert date_window("date", "2026-01-01", "2026-01-31") == "date=ge=2026-01-01 00:00:00;date=le=2026-01-31 23:59:59"
    assert date_window("date", "2026-01-01T08:30:00", "2026-01-01 17:00:05") == (
        "date=ge=2026-01-01 08:30:00;date=le=2026-01-01 17:00:05"
    )


def test_date_window_datetimes_kept() -> None:
    start = datetime(2026, 3, 4, 5, 6, 7, 890)
    end = datetime(2026, 3, 5, 0, 0, 0)
    assert date_window("date_mod", start, end) == "date_mod=ge=2026-03-04 05:06:07;date_mod=le=2026-03-05 00:00:00"


def test_date_window_aware_datetime_keeps_wall_clock() -> None:
    start = datetime(2026, 3, 4, 10, 0, 0, tzinfo=timezone(timedelta(hours=2)))
    assert date_window("date", start, None) == "date=ge=2026-03-04 10:00:00"
    assert date_window("date", datetime(2026, 3, 4, tzinfo=UTC), None) == "date=ge=2026-03-04 00:00:00"


def test_date_window_open_bounds() -> None:
    assert date_window("date", None, "2026-01-31") == "date=le=2026-01-31 23:59:59"
    assert date_window("date", "2026-01-01", None) == "date=ge=2026-01-01 00:00:00"
    assert date_window("date") == ""


@pytest.mark.parametrize("bad", ["notadate", "01/01/2000", "2026-13-01", "2026-01-01 25:00:00", ""])
def test_date_window_bad_string(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid start"):
        date_window("date", bad, None)


def test_date_window_reversed() -> None:
    with pytest.raises(ValueError, match="after its end"):
        date_window("date", "2026-02-01", "2026-01-01")


def test_date_window_combines() -> None:
    flt = all_of(eq("status.id", 5), date_window("date_solve", "2026-01-01", "2026-01-31"))
    assert flt == "status.id==5;date_solve=ge=2026-01-01 00:00:00;date_solve=le=2026-01-31 23:59:59"


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("status==1", "status.id==1"),
        ("status!=6", "status.id!=6"),
        ("entity=in=(0,1)", "entity.id=in=(0,1)"),
        ("status.id==1", "status.id==1"),
        ("status.name==New", "status.name==New"),
        ('name=="status==1"', 'name=="status==1"'),
        ("name=='status==1'", "name=='status==1'"),
        ('name=="a \\"x\\";status==2"', 'name=="a \\"x\\";status==2"'),
        ("priority==6;urgency=ge=3", "priority==6;urgency=ge=3"),
        ("(status==1,status==2);entity==0", "(status.id==1,status.id==2);entity.id==0"),
        ("((status==1));location=isnull=true", "((status.id==1));location.id=isnull=true"),
        ("id=in=(status,entity),category=out=(1,2)", "id=in=(status,entity),category.id=out=(1,2)"),
        ("date_creation=ge=2026-01-01 00:00:00;status=le=4", "date_creation=ge=2026-01-01 00:00:00;status.id=le=4"),
        ('status=in=("1,status==2",3)', 'status.id=in=("1,status==2",3)'),
        ("name==status", "name==status"),
        ("statusx==1", "statusx==1"),
        ("", ""),
    ],
)
def test_map_object_properties_ticket(flt: str, expected: str) -> None:
    assert map_object_properties(flt, "Ticket") == expected


def test_map_object_properties_other_resources() -> None:
    assert map_object_properties("parent==0", "Entity") == "parent.id==0"
    assert map_object_properties("default_entity==0;location==3", "User") == "default_entity.id==0;location.id==3"
    assert map_object_properties("status==1", "User") == "status==1"
    assert map_object_properties("status==1", "NoSuchResource") == "status==1"


def test_map_object_properties_is_idempotent() -> None:
    once = map_object_properties("(status==1,entity=in=(0,1));category==2", "Ticket")
    assert map_object_properties(once, "Ticket") == once


def test_object_properties_match_openapi_document() -> None:
    schemas = json.loads(OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"]
    for resource, expected in OBJECT_PROPERTIES.items():
        properties = schemas[resource]["properties"]
        derived = frozenset(
            name
            for name, spec in properties.items()
            if spec.get("type") == "object" and "id" in spec.get("properties", {})
        )
        assert expected == derived, resource
    assert {"Ticket", "User", "Entity", "Location", "Document"} <= set(OBJECT_PROPERTIES)
    assert "status" in OBJECT_PROPERTIES["Ticket"]
