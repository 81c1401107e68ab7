"""The generated low-level package covers the whole document and regenerates reproducibly."""

from __future__ import annotations

import gzip
import importlib
import json
import pkgutil
import subprocess
import sys

import glpi_api_v2
import pytest
from conftest import OLDER_OPENAPI_DOCS, OPENAPI_DOCS, ROOT
from openapi_repairs import HTTP_METHODS, operation_name

LOCK = json.loads((ROOT / "openapi" / "generated.lock").read_text())
REGENERATE = ROOT / "scripts" / "regenerate.py"


def _operations(doc: dict) -> list[tuple[str, str]]:
    return [(m, p) for p, item in doc["paths"].items() for m in item if m in HTTP_METHODS]


def test_every_generated_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(glpi_api_v2.__path__, "glpi_api_v2.")]
    for name in names:
        importlib.import_module(name)
    assert len(names) > 2000


def test_every_operation_of_the_pinned_document_has_a_function() -> None:
    doc = json.loads((OPENAPI_DOCS / "glpi-11.0.6-api-v2.2.json").read_text())
    operations = _operations(doc)
    assert len(operations) == LOCK["operations"]
    import glpi_api_v2.api

    found = pkgutil.walk_packages(glpi_api_v2.api.__path__, "glpi_api_v2.api.")
    modules = {m.name.rsplit(".", 1)[-1] for m in found if not m.ispkg}
    assert len(modules) == len(operations)
    for method, path in operations:
        assert operation_name(method, path) in modules, (method, path)


def test_a_generated_function_builds_the_live_request() -> None:
    from glpi_api_v2.api.assistance import get_assistance_ticket_by_id_timeline_followup as op

    kwargs = op.request_kwargs(42)
    assert kwargs["method"] == "get"
    assert kwargs["url"] == "/Assistance/Ticket/42/Timeline/Followup"
    assert callable(op.sync) and callable(op.asyncio) and callable(op.sync_detailed)


def test_every_generated_operation_has_a_public_request_builder() -> None:
    """The facade builds requests with ``request_kwargs`` (openapi/templates), never the private ``_get_kwargs``."""
    api = ROOT / "generated" / "glpi_api_v2" / "api"
    modules = [p for p in api.rglob("*.py") if p.name != "__init__.py"]
    assert len(modules) == LOCK["operations"]
    lacking = [p.name for p in modules if "\ndef request_kwargs(" not in p.read_text(encoding="utf-8")]
    assert lacking == []
    facade = [p for p in (ROOT / "glpi_python_client").rglob("*.py") if "_get_kwargs" in p.read_text(encoding="utf-8")]
    assert facade == []
    from glpi_api_v2.api.assistance import get_assistance_ticket as search

    kwargs = search.request_kwargs(filter_="name==x", limit=5)
    assert kwargs["url"] == "/Assistance/Ticket" and kwargs["params"]["filter"] == "name==x"
    assert kwargs["params"]["limit"] == 5


def test_lock_records_the_source() -> None:
    import hashlib

    raw = (OPENAPI_DOCS / "glpi-11.0.6-api-v2.2.json").read_bytes()
    assert LOCK["source_sha256"] == hashlib.sha256(raw).hexdigest()
    assert LOCK["glpi_api_version"] == "2.2.0"
    assert LOCK["generator_version"] == "0.29.1"


def test_models_are_imported_lazily() -> None:
    code = (
        "import sys, glpi_api_v2.models as m; "
        "assert 'glpi_api_v2.models.ticket' not in sys.modules; "
        "m.Ticket; assert 'glpi_api_v2.models.ticket' in sys.modules; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_generated_files_say_they_must_not_be_edited() -> None:
    init = (ROOT / "generated" / "glpi_api_v2" / "__init__.py").read_text()
    assert "DO NOT EDIT" in init.splitlines()[0]
    assert (ROOT / "generated" / "glpi_api_v2" / "py.typed").exists()


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_the_pipeline_generates_older_documents(tmp_path, version: str) -> None:
    # The older documents are kept gzipped (only these tests read them); regenerate takes the plain file.
    source = tmp_path / f"glpi-11.0.6-api-v{version}.json"
    source.write_bytes(gzip.decompress((OLDER_OPENAPI_DOCS / f"{source.name}.gz").read_bytes()))
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import regenerate as r; from pathlib import Path; "
        "raw, name = r.read_source(sys.argv[2]); "
        "r.generate(raw, name, Path(sys.argv[3]), Path(sys.argv[3]) / 'lock.json')"
    )
    subprocess.run([sys.executable, "-c", code, str(REGENERATE.parent), str(source), str(tmp_path)], check=True)
    lock = json.loads((tmp_path / "lock.json").read_text())
    assert lock["glpi_api_version"] == f"{version}.0"
    api = tmp_path / "glpi_api_v2" / "api"
    functions = [p for p in api.rglob("*.py") if p.name != "__init__.py"]
    assert len(functions) == lock["operations"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REGENERATE), *args], capture_output=True, text=True)


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    out = _run("--source", str(tmp_path / "nope.json"), "--output", str(tmp_path))
    assert out.returncode == 2 and "no such file" in out.stderr


def test_non_json_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "doc.json"
    bad.write_text("<html>not json</html>")
    out = _run("--source", str(bad), "--output", str(tmp_path))
    assert out.returncode == 2 and "not JSON" in out.stderr


def test_other_openapi_documents_are_refused(tmp_path) -> None:
    bad = tmp_path / "doc.json"
    bad.write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "Petstore", "version": "1"}, "paths": {}}))
    out = _run("--source", str(bad), "--output", str(tmp_path))
    assert out.returncode == 2 and "not a GLPI document" in out.stderr


def test_unreachable_url_is_a_clear_error(tmp_path) -> None:
    out = _run("--source", "http://127.0.0.1:9/api.php/v2", "--output", str(tmp_path))
    assert out.returncode == 2 and "cannot reach http://127.0.0.1:9/api.php/v2/doc.json" in out.stderr


def test_a_url_source_fetches_doc_json(tmp_path) -> None:
    """A GLPI API base URL is read through its doc.json (served here by a local HTTP server)."""
    import http.server
    import threading

    raw = (OPENAPI_DOCS / "glpi-11.0.6-api-v2.2.json").read_bytes()
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        sys.path.insert(0, str(REGENERATE.parent))
        import regenerate

        body, name = regenerate.read_source(f"http://127.0.0.1:{server.server_port}/api.php/v2.2")
    finally:
        server.shutdown()
        server.server_close()
    assert body == raw and seen == ["/api.php/v2.2/doc.json"] and name.endswith("/doc.json")
