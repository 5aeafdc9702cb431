# Two commands matter: `make run` (demo end to end) and `make test` (what CI runs).
# Every entry point honours IAPT_RAW_DIR, IAPT_WAREHOUSE and IAPT_OUTPUT_DIR.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_BOOTSTRAP ?= python3
# The engine (docs/spark.md): duckdb (default) or spark. With spark, build|dq|publish|run
# use .venv-spark, scan the raw folder before dbt build, and have no DuckDB lock to check.
export IAPT_ENGINE ?= duckdb
ifeq ($(IAPT_ENGINE),spark)
VENV := .venv-spark
else ifeq ($(IAPT_ENGINE),duckdb)
VENV := .venv
else
$(error IAPT_ENGINE=$(IAPT_ENGINE): use duckdb or spark)
endif
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

.PHONY: help venv lock venv-spark lock-spark java run demo demo-data build dq publish test \
        lint sqlfluff ruff test-build pytest test-spark bench docs clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

.venv/.installed: requirements.lock
	$(PYTHON_BOOTSTRAP) -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check --only-binary :all: -r requirements.lock
	touch $@

# pyspark is on PyPI only as source (a pure-Python sdist with the Spark jars in it).
.venv-spark/.installed: requirements-spark.lock
	$(PYTHON_BOOTSTRAP) -m venv .venv-spark
	.venv-spark/bin/pip install --quiet --disable-pip-version-check --only-binary :all: \
	  --no-binary pyspark -r requirements-spark.lock
	touch $@

venv: $(VENV)/.installed  ## create the engine's venv (.venv, or .venv-spark) from its lock file

venv-spark: .venv-spark/.installed  ## create .venv-spark (dbt-spark, pyspark) from requirements-spark.lock

lock:  ## re-pin requirements.lock from requirements.in in a clean venv
	rm -rf target/lock-venv && $(PYTHON_BOOTSTRAP) -m venv target/lock-venv
	target/lock-venv/bin/pip install --quiet --only-binary :all: -r requirements.in
	{ echo '# Generated from requirements.in by `make lock` (pip freeze of a clean venv). Install with:'; \
	  echo '#   pip install --only-binary :all: -r requirements.lock'; \
	  target/lock-venv/bin/pip freeze; } > requirements.lock

lock-spark:  ## re-pin requirements-spark.lock from requirements-spark.in in a clean venv
	rm -rf target/lock-venv-spark && $(PYTHON_BOOTSTRAP) -m venv target/lock-venv-spark
	target/lock-venv-spark/bin/pip install --quiet --only-binary :all: --no-binary pyspark \
	  -r requirements-spark.in
	{ echo '# Generated from requirements-spark.in by `make lock-spark` (pip freeze of a clean venv). Install with:'; \
	  echo '#   pip install --only-binary :all: --no-binary pyspark -r requirements-spark.lock'; \
	  target/lock-venv-spark/bin/pip freeze; } > requirements-spark.lock

java:  ## a Java runtime for Spark, if none is on PATH (Debian's openjdk-17-jre-headless)
	@if ! command -v java >/dev/null; then \
	  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; \
	fi
	@java -version 2>&1 | head -1

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
ifeq ($(IAPT_ENGINE),spark)
	$(PY) scripts/scan_raw.py
endif
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
	$(BIN)/ruff check scripts tests/python models
	$(BIN)/ruff format --check scripts tests/python models

test-build: venv  ## generate the small test set and dbt build it with every test
	rm -rf $(TEST_DIR) && mkdir -p $(TEST_DIR)
	$(PY) scripts/generate_data.py --out $(TEST_DIR)/raw $(TEST_ARGS)
	$(TEST_ENV) $(DBT) build --target-path target/test-run/dbt-target
	$(TEST_ENV) $(PY) scripts/run_data_quality.py --checkpoint

pytest: venv  ## Python tests (use the test build where they need a warehouse)
	$(TEST_ENV) $(BIN)/pytest -q

test: lint test-build pytest  ## what CI runs: lint, dbt build with all tests, pytest, DQ checkpoint

# Both engines on one small set, full then incremental, compared table by table
# (scripts/test_spark.py, docs/spark.md); needs `make venv-spark` and Java.
test-spark: .venv/.installed .venv-spark/.installed  ## build on DuckDB and Spark (full, incremental), compare every table; DQ, publication on both
	.venv-spark/bin/python scripts/test_spark.py

bench: venv  ## national-scale benchmark -> bench/results.json, bench/RESULTS.md
	$(PY) scripts/bench.py

# One self-contained page (--static): target/static_index.html opens from file://.
# The catalog is read from IAPT_WAREHOUSE (build it first for column types and comments).
docs: venv  ## dbt docs as one offline page: target/static_index.html
	$(DBT) docs generate --static

clean:  ## remove build outputs (not the venv or raw data)
	rm -rf target logs dbt_packages output warehouse.duckdb warehouse.duckdb.wal
