"""What `make record` writes never holds a secret."""

from __future__ import annotations

from glpi_harness import _scrub_request, _scrub_response
from vcr.request import Request


def test_request_secrets_are_redacted_keeping_the_scheme() -> None:
    body = b"grant_type=password&client_id=cid&client_secret=s3cret&username=glpi&password=pa55&scope=api"
    request = Request(
        "POST",
        "http://glpi/api.php/token",
        body,
        {"Authorization": "Bearer eyJ.secret.jwt", "Session-Token": "sess-1", "App-Token": "app-1"},
    )
    scrubbed = _scrub_request(request)
    assert scrubbed.headers["Authorization"] == "Bearer REDACTED"
    assert scrubbed.headers["Session-Token"] == "REDACTED" and scrubbed.headers["App-Token"] == "REDACTED"
    text = scrubbed.body.decode()
    assert "s3cret" not in text and "pa55" not in text and "client_id=cid" in text and "username=glpi" in text


def test_json_bodies_and_responses_are_redacted() -> None:
    request = Request(
        "POST", "http://glpi/api.php/v2/Administration/User", b'{"password": "x1", "password2": "x1"}', {}
    )
    assert b"x1" not in _scrub_request(request).body
    response = {
        "body": {
            "string": b'{"access_token":"AAA","refresh_token":"RRR","session_token":"SSS","session":{"valid_id":"VVV"}}'
        }
    }
    text = _scrub_response(response)["body"]["string"].decode()
    for secret in ("AAA", "RRR", "SSS", "VVV"):
        assert secret not in text
