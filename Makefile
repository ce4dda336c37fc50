# The user's verbs. `make report` and `make test` work on a fresh clone: they create the
# environment (.venv, pinned by requirements.lock) and install Chromium when missing.
SHELL := /bin/bash
.DEFAULT_GOAL := report

VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
CORES ?= all
# Pinned with the lock file; only used to create the environment.
UV_VERSION := 0.13.9

.PHONY: report release env chromium validate preview test test-fast lint format diff bench same-outputs cluster-test clean lock help

help: ## List the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@echo "Setting up the environment in $(VENV) (pinned by requirements.lock) ..."
	@if ! command -v uv >/dev/null 2>&1; then python3 -m pip install --quiet "uv==$(UV_VERSION)"; fi
	uv venv --quiet --allow-existing --python "$$(command -v python3)" $(VENV)
	uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	uv pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

env: $(STAMP) ## Create or update the Python environment

chromium: ## Install Debian's chromium when missing (needed to export static figures)
	@bash workflow/scripts/ensure_chromium.sh

validate: $(STAMP) ## Check the partner files in data/raw/ and list every problem
	@$(BIN)/ktreport validate --html report/output/validation_report.html

preview: $(STAMP) chromium ## Live HTML preview on 127.0.0.1 that reloads on every edit: make preview [PORT=8765]
	@$(BIN)/ktreport preview --port $(or $(PORT),8765)

report: $(STAMP) chromium ## Build the report (HTML and PDF) from data/raw/ (PROFILE=slurm: on Slurm)
	@$(BIN)/ktreport build --cores $(CORES)$(if $(PROFILE), --profile $(PROFILE))

release: $(STAMP) chromium ## Build the release at a tag (clean tree, no open authors' note)
	@$(BIN)/ktreport build --release --cores $(CORES)

test: $(STAMP) chromium lint ## Run the whole test suite (lint, unit tests, end-to-end build)
	$(BIN)/pytest -q -m "not cluster"

test-fast: $(STAMP) ## Unit tests only (no end-to-end build)
	$(BIN)/pytest -q -m "not e2e and not cluster"

lint: $(STAMP) ## ruff, snakefmt, snakemake --lint and the import layers (lint-imports)
	$(BIN)/ruff check workflow tests
	$(BIN)/ruff format --check workflow tests
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint --quiet all
	$(BIN)/lint-imports --no-cache

format: $(STAMP) ## Format the code (ruff, snakefmt)
	$(BIN)/ruff check --fix workflow tests
	$(BIN)/ruff format workflow tests
	$(BIN)/snakefmt Snakefile workflow/rules

diff: $(STAMP) chromium ## Compare two versions: make diff BASE=v1.0 [NEW=HEAD]
	$(BIN)/ktreport diff $(BASE) $(NEW)

bench: $(STAMP) chromium ## Measure build times (JSON lines)
	$(PY) workflow/scripts/bench.py $(BENCH_ARGS)

same-outputs: $(STAMP) chromium ## Check two revisions build identical outputs: make same-outputs BASE=REV [NEW=REV]
	$(PY) workflow/scripts/same_outputs.py $(BASE) $(NEW)

# A cluster already running (make bench --slurm, your own) is used and left running.
cluster-test: $(STAMP) chromium ## Build the sample through a one-node Slurm cluster (root; installs slurm-wlm, munge)
	if bash workflow/cluster/slurm.sh status >/dev/null 2>&1; then running=1; else running=0; fi; \
	bash workflow/cluster/slurm.sh --install start || exit $$?; \
	KTREPORT_CLUSTER_TEST=1 $(BIN)/pytest -q -s -m cluster tests/cluster; status=$$?; \
	  [ $$running = 1 ] || bash workflow/cluster/slurm.sh stop; exit $$status

lock: ## Re-resolve requirements.lock from pyproject.toml
	uv pip compile --quiet pyproject.toml --extra dev -o requirements.lock --python-version 3.11

clean: ## Remove everything the build generated (never touches data/raw/)
	rm -rf report/output report/_build logs .snakemake
	find data/processed -mindepth 1 ! -name README.md -exec rm -rf {} +
