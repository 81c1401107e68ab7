# glpi_python_client developer tasks. `make install` first; every target uses .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SOURCE ?= openapi/glpi-11.0.6-api-v2.2.json

.PHONY: install regenerate methods check-generated test lint typecheck record bench demo package docs

$(PY):
	$(PYTHON) -m venv $(VENV)

install: $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,docs]"

regenerate:  ## SOURCE=http://glpi/api.php/v2 or a path to doc.json
	$(PY) scripts/regenerate.py --source $(SOURCE)
	$(PY) scripts/entry_points.py
	$(PY) scripts/generate_methods.py

methods:  ## only the clients' methods, from the declarations in glpi_python_client/_api*.py (fast)
	$(PY) scripts/entry_points.py
	$(PY) scripts/generate_methods.py

check-generated:
	$(PY) scripts/entry_points.py --check
	$(PY) scripts/generate_methods.py --check
	$(PY) scripts/regenerate.py --check --source $(SOURCE)

test:
	$(PY) -m pytest -q

lint:
	$(PY) -m ruff check glpi_python_client scripts tests
	$(PY) -m ruff format --check glpi_python_client scripts tests

typecheck:  ## mypy --strict on the facade, tests/typing and the README's examples
	$(PY) scripts/readme_examples.py
	$(PY) -m mypy

record:  ## re-record cassettes/ against the live GLPI named by the GLPI_* variables
	@test -n "$$GLPI_API_URL" || (echo 'set GLPI_API_URL and the other GLPI_* variables first' && exit 2)
	GLPI_RECORD=1 $(PY) -m pytest -q tests

docs:  ## build the documentation site into site/ (mkdocs, warnings are errors; works offline)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet

package:  ## build wheel + sdist, install the wheel in a clean venv and use it from there
	$(PY) scripts/check_package.py

bench:  ## the side-by-side table vs raw httpx and the peer 0.6.5 (installed in .bench-venv; W7 installs this checkout, base deps only, in .bench-venv-ours), then extras
	test -x .bench-venv/bin/python || (python3 -m venv .bench-venv && .bench-venv/bin/pip install -q glpi-python-client==0.6.5)
	$(PY) scripts/bench.py

demo:
	$(PY) scripts/demo.py

.PHONY: soak
soak:  ## thousands of operations on both clients through a fault-injecting proxy; prints the table of invariants
	$(PY) scripts/soak.py
