# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export DAGSTER_HOME := $(CURDIR)

.PHONY: setup run test bench ui clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(VENV)/bin/python --quiet
	@touch $@

setup: $(VENV)/.synced

run: setup
	$(VENV)/bin/matac run --config data_samples/settings.yaml --extract data_samples/clean/2026-09 --extract data_samples/clean/2026-10

test: setup
	$(VENV)/bin/python -m pytest -q

bench: setup
	$(VENV)/bin/matac bench
	$(VENV)/bin/matac bench --incremental

ui: setup
	$(VENV)/bin/matac ui

clean:
	rm -rf output .dagster_home
