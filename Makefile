# parindex: developer and CI entry points.  `make test` is what CI runs.
#
#   make setup   virtualenv, pinned dependencies, var/, database migrations
#   make demo    setup + demo data (prints the demo accounts)
#   make run     setup + demo, then the task worker (`parindex worker`: a lease renewed every
#                few seconds, so a job whose worker died runs again or fails, docs/deployment.md),
#                a deadline clock (enforce_deadlines every minute) and the web server on
#                127.0.0.1:$PORT (8000)
#   make lint       ruff + mypy
#   make test       setup + lint + migration/deploy checks + every test (browser and slow ones
#                   too): what CI runs
#   make test-fast  setup + ruff + the tests without the browser and slow ones (the demo
#                   build, the demo's reset, the 11,000-commune group, the permission
#                   matrix's persona × page cases): the edit loop
#   make fmt        reformat and auto-fix
#
# Both test targets run pytest on $(PYTEST_WORKERS) parallel workers (pytest-xdist, `make test
# PYTEST_WORKERS=0` for one process). The demo package (tests/demo) and the browser tests each
# stay on one worker (xdist_group, --dist loadgroup). Each worker has its own test database
# (pytest-django adds the worker's suffix) and media folder (conftest.py). With REDIS_URL set
# there are no workers: Redis is one cache for all of them, and every test empties it.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := setup

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tried in order; `python3` honours .python-version through pyenv. `make PYTHON=/path/to/python3.12`
# puts another interpreter first.
PYTHON_CANDIDATES := $(PYTHON) python3 python3.12 python3.13
# Fixed, test-only key for `check --deploy` (production reads SECRET_KEY / SECRET_KEY_FILE).
TEST_SECRET_KEY := ci-NQGgtYpBoaqGF5UOCa08SJj40GypPpBw9zbn8SRPuitGP7NQVRMpfGJvU

PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(REDIS_URL),,-n $(PYTEST_WORKERS) --dist loadgroup)

# pytest $(1) on the workers; its exit status 5 (no test collected) is a failure, said so.
define run_pytest
	@status=0; $(BIN)/pytest $(PYTEST_PARALLEL) $(1) || status=$$?; \
	if [ "$$status" -eq 5 ]; then echo "make $@: pytest collected no tests; that is a failure." >&2; fi; \
	exit "$$status"
endef

.PHONY: setup demo run lint test test-fast fmt system-packages

# Debian packages for the documents (PDF through LibreOffice, Times New Roman's metrics in
# Tinos and Liberation Serif, poppler for the document tests) and the browser tests.
# `sudo make system-packages` installs them; .ci/run installs the same list.
DEBIAN_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-croscore \
	fonts-liberation2 poppler-utils libmagic1 chromium chromium-driver

setup: $(STAMP)
	mkdir -p var
	$(BIN)/parindex migrate --noinput
	@command -v soffice >/dev/null 2>&1 || echo "Note: LibreOffice is not installed, so documents are made in Word and Excel only (no PDF): 'sudo make system-packages'." >&2

system-packages:
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEBIAN_PACKAGES)

demo: setup
	$(BIN)/parindex demo

run: setup demo
	@port="$${PORT:-8000}"; \
	echo; \
	echo "==> parindex: http://127.0.0.1:$$port/  (quản trị: http://127.0.0.1:$$port/quan-tri/)"; \
	echo "    Demo accounts: see the output of 'parindex demo' above. Ctrl-C stops everything."; \
	echo; \
	$(BIN)/parindex worker --queue-name '*' --no-reload & worker=$$!; \
	( while sleep 60; do $(BIN)/parindex enforce_deadlines >/dev/null || true; done ) & clock=$$!; \
	trap 'kill $$worker $$clock 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/parindex runserver "127.0.0.1:$$port" --noreload

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy parindex

test: setup lint
	$(BIN)/parindex makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=$(TEST_SECRET_KEY) ALLOWED_HOSTS=example.org \
		$(BIN)/parindex check --deploy --fail-level WARNING
	$(call run_pytest)

test-fast: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(call run_pytest,-m "not browser and not slow")

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Helpers -------------------------------------------------------------------------------------

# The virtualenv, made with the first Python >= 3.12 found.
$(BIN)/python:
	@python=""; \
	for candidate in $(PYTHON_CANDIDATES); do \
		if command -v "$$candidate" >/dev/null 2>&1 \
			&& "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
			python="$$candidate"; break; \
		fi; \
	done; \
	if [ -z "$$python" ]; then \
		echo "parindex needs Python 3.12 or newer, and none was found (tried: $(PYTHON_CANDIDATES))." >&2; \
		echo "Install Python 3.12 (for example 'pyenv install 3.12', or your system's python3.12 package) and run 'make setup' again." >&2; \
		exit 1; \
	fi; \
	echo "Creating $(VENV) with $$python ($$("$$python" --version 2>&1))"; \
	"$$python" -m venv $(VENV)

# Dependencies, re-installed only when a requirements file is newer than the stamp.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --disable-pip-version-check -e . --no-deps
	touch $@
