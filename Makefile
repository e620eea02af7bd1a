# The README's two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON := .venv/bin/python
STAMP := .venv/.setup-stamp

.PHONY: setup demo test test-unit test-integration test-e2e test-php test-postgresql lint bench clean

$(STAMP): pyproject.toml scripts/setup.sh
	./scripts/setup.sh
	@touch $(STAMP)

setup: $(STAMP)

demo: setup  ## Start a real local WordPress, connect Handoff to it, show what it sees.
	$(PYTHON) -m handoff demo

test: setup lint  ## Every test: unit, integration, e2e on SQLite, again on PostgreSQL; PHPUnit.
	$(PYTHON) -m pytest tests/unit tests/integration tests/e2e
	HANDOFF_TEST_DATABASE=postgresql $(PYTHON) -m pytest tests/unit tests/integration tests/e2e
	./tests/php/run.sh

test-unit: setup
	$(PYTHON) -m pytest tests/unit

test-integration: setup
	$(PYTHON) -m pytest tests/integration

test-e2e: setup
	$(PYTHON) -m pytest tests/e2e

test-php: setup
	./tests/php/run.sh

test-postgresql: setup  ## The pytest suite again, every store on a private PostgreSQL server.
	HANDOFF_TEST_DATABASE=postgresql $(PYTHON) -m pytest tests/unit tests/integration tests/e2e

lint: setup  ## ruff for Python; php -l and phpcs for the plugin.
	$(PYTHON) -m ruff check backend tests
	find wp-plugin tests/php backend/handoff/sandbox/php -name '*.php' -print0 | xargs -0 -n1 php -l >/dev/null
	phpcs -q --standard=phpcs.xml.dist

bench: setup  ## Benchmarks against the sandbox; results go to docs/benchmarks.md by hand.
	$(PYTHON) -m tests.bench.run

clean:
	-$(PYTHON) -m handoff sandbox stop
	rm -rf var .venv
