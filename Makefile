# Two commands matter: `make run` (demo end to end) and `make test` (what CI runs).
# Every entry point honours IAPT_RAW_DIR, IAPT_WAREHOUSE and IAPT_OUTPUT_DIR.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_BOOTSTRAP ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DBT := $(BIN)/dbt

export IAPT_RAW_DIR ?= data/raw
export IAPT_WAREHOUSE ?= warehouse.duckdb
export IAPT_OUTPUT_DIR ?= output
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

# Demo data set written by `make run` when IAPT_RAW_DIR is empty: 18 months across the
# PCT -> CCG change of April 2013, with quarterly KPI returns for 2011/12-2012/13.
DEMO_ARGS ?= --start 2012-10 --months 18 --referrals 60000 --providers 12 --seed 2026 \
             --refresh-rate 0.25 --fault-rate 0.002 --kpi-returns

# Small set built by `make test` (separate paths, so a user's warehouse is never touched).
TEST_DIR := target/test-run
TEST_ENV := IAPT_RAW_DIR=$(TEST_DIR)/raw IAPT_WAREHOUSE=$(TEST_DIR)/warehouse.duckdb \
            IAPT_OUTPUT_DIR=$(TEST_DIR)/output IAPT_DBT_THREADS=2
TEST_ARGS ?= --start 2012-10 --months 15 --referrals 4000 --providers 6 --seed 7 \
             --refresh-rate 0.3 --fault-rate 0.01 --kpi-returns

.PHONY: help venv lock run demo demo-data build dq publish test lint sqlfluff ruff \
        test-build pytest bench docs clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: requirements.lock
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --only-binary :all: -r requirements.lock
	touch $@

venv: $(VENV)/.installed  ## create .venv from the lock file

lock:  ## re-pin requirements.lock from requirements.in in a clean venv
	rm -rf target/lock-venv && $(PYTHON_BOOTSTRAP) -m venv target/lock-venv
	target/lock-venv/bin/pip install --quiet --only-binary :all: -r requirements.in
	{ echo '# Generated from requirements.in by `make lock` (pip freeze of a clean venv). Install with:'; \
	  echo '#   pip install --only-binary :all: -r requirements.lock'; \
	  target/lock-venv/bin/pip freeze; } > requirements.lock

# A synthetic demo is generated only into the default data/raw (make run) or when asked
# for (make demo): a mistyped or empty IAPT_RAW_DIR is an error, never a demo publication.
DEFAULT_RAW_DIR := $(CURDIR)/data/raw
demo-data: venv  ## generate a demo data set if the default data/raw is empty (else use IAPT_RAW_DIR)
	@if [ -n "$$(find "$$IAPT_RAW_DIR" -name '*.csv' -print -quit 2>/dev/null)" ]; then \
	  echo "Using raw data in $$IAPT_RAW_DIR"; \
	elif [ "$(abspath $(IAPT_RAW_DIR))" = "$(DEFAULT_RAW_DIR)" ] || [ -n "$(DEMO)" ]; then \
	  echo "IAPT_RAW_DIR ($$IAPT_RAW_DIR) is empty: generating a synthetic demo data set"; \
	  $(PY) scripts/generate_data.py --out "$$IAPT_RAW_DIR" $(DEMO_ARGS); \
	else \
	  echo "error: IAPT_RAW_DIR $(abspath $(IAPT_RAW_DIR)) $$( [ -d "$$IAPT_RAW_DIR" ] && echo 'holds no CSV file' || echo 'does not exist'): check the path (a demo data set is generated only into the default data/raw, or with make demo)" >&2; \
	  exit 1; \
	fi

demo: DEMO = 1
demo: demo-data build dq publish  ## like run, but generates the synthetic demo into IAPT_RAW_DIR when it is empty
	@$(PY) scripts/where.py

# Each first checks that no other process holds the warehouse (one line, not tracebacks).
build: venv  ## dbt seed + build (models, unit tests, data tests) on IAPT_RAW_DIR
	@$(PY) scripts/check_warehouse.py
	$(DBT) build $(DBT_ARGS)

dq: venv  ## run the Great Expectations suites against the built warehouse
	@$(PY) scripts/check_warehouse.py --read-only
	$(PY) scripts/run_data_quality.py

publish: venv  ## write a versioned publication (REASON="..." for v2+)
	@$(PY) scripts/check_warehouse.py --read-only
	$(PY) scripts/publish.py $(PUBLISH_FLAGS) $(if $(AS_AT),--as-at $(AS_AT)) $(if $(REASON),--reason "$(REASON)")

# A re-run of the demo must not fail because its month already has a release.
run demo: PUBLISH_FLAGS = --unless-published
run: demo-data build dq publish  ## demo end to end: data, warehouse, data quality, publication
	@$(PY) scripts/where.py

lint: sqlfluff ruff  ## SQL and Python style

sqlfluff: venv  ## compiles through dbt against the test warehouse path, never the user's
	mkdir -p $(TEST_DIR)
	$(TEST_ENV) $(BIN)/sqlfluff lint --processes 2 models tests/dbt

ruff: venv
	$(BIN)/ruff check scripts tests/python
	$(BIN)/ruff format --check scripts tests/python

test-build: venv  ## generate the small test set and dbt build it with every test
	rm -rf $(TEST_DIR) && mkdir -p $(TEST_DIR)
	$(PY) scripts/generate_data.py --out $(TEST_DIR)/raw $(TEST_ARGS)
	$(TEST_ENV) $(DBT) build --target-path target/test-run/dbt-target
	$(TEST_ENV) $(PY) scripts/run_data_quality.py --checkpoint

pytest: venv  ## Python tests (use the test build where they need a warehouse)
	$(TEST_ENV) $(BIN)/pytest -q

test: lint test-build pytest  ## what CI runs: lint, dbt build with all tests, pytest, DQ checkpoint

bench: venv  ## national-scale benchmark -> bench/results.json, bench/RESULTS.md
	$(PY) scripts/bench.py

docs: venv  ## dbt docs (static, offline) in target/
	$(DBT) docs generate

clean:  ## remove build outputs (not the venv or raw data)
	rm -rf target logs dbt_packages output warehouse.duckdb warehouse.duckdb.wal
