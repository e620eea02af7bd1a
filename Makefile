# The README's two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON := .venv/bin/python
STAMP := .venv/.setup-stamp

.PHONY: setup demo test test-leg-a test-leg-b test-php-legs test-unit test-integration test-e2e \
	test-php test-postgresql lint languages bench clean

$(STAMP): pyproject.toml scripts/setup.sh
	./scripts/setup.sh
	@touch $(STAMP)

setup: $(STAMP)

demo: setup  ## Start a real local WordPress, connect Handoff to it, show what it sees.
	$(PYTHON) -m handoff demo

# Every test, in legs (docs/development.md): pytest on WordPress 6.8 + SQLite + PHP's server,
# pytest on WordPress 6.1 + PostgreSQL + Apache, and PHPUnit on each of those two sites.
# `make -k test` runs every leg even when one fails.
test: setup lint test-leg-a test-leg-b test-php-legs

test-leg-a: setup  ## unit, integration, e2e on WordPress 6.8, the store on SQLite, PHP's server
	HANDOFF_TEST_WORDPRESS=6.8 $(PYTHON) -m pytest tests/unit tests/integration tests/e2e

test-leg-b: setup  ## the same on WordPress 6.1 behind Apache + PHP-FPM, the store on PostgreSQL
	HANDOFF_TEST_DATABASE=postgresql HANDOFF_TEST_WORDPRESS=6.1 HANDOFF_TEST_SERVER=apache \
		$(PYTHON) -m pytest tests/unit tests/integration tests/e2e

test-php-legs: setup  ## PHPUnit on WordPress 6.8 (PHP's server), then 6.1 behind Apache
	HANDOFF_TEST_WORDPRESS=6.8 ./tests/php/run.sh
	HANDOFF_TEST_WORDPRESS=6.1 HANDOFF_TEST_SERVER=apache ./tests/php/run.sh

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

lint: setup  ## ruff for Python; php -l and phpcs for the plugin; its .pot, .po and .mo up to date.
	$(PYTHON) -m ruff check backend tests
	find wp-plugin tests/php backend/handoff/sandbox/php -name '*.php' -print0 | xargs -0 -n1 php -l >/dev/null
	phpcs -q --standard=phpcs.xml.dist
	./scripts/plugin-languages.sh check

languages: setup  ## The plugin's .pot from its code, the .po files merged, each compiled to .mo (gettext).
	./scripts/plugin-languages.sh build

bench: setup  ## Benchmarks against the sandbox; results go to docs/benchmarks.md by hand.
	$(PYTHON) -m tests.bench.run

clean:
	-$(PYTHON) -m handoff sandbox stop
	rm -rf var .venv
