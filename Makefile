PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck bench clean system-deps

# Debian packages the tests drive for real: Alertmanager (the alert sinks) and Chromium (the dashboard).
SYSTEM_PACKAGES := prometheus-alertmanager chromium

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.demo: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[demo,postgres]'
	touch $@

$(VENV)/.dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev,demo,postgres]'
	touch $@

demo: $(VENV)/.demo
	$(BIN)/cloudsift demo

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.dev
	$(BIN)/mypy

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null \
	  || { $$SUDO apt-get update -q >/dev/null && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null; } \
	  || echo "could not install$$missing: their tests are skipped outside CI and fail in CI"; \
	fi

test: lint typecheck system-deps
	$(BIN)/pytest

bench: $(VENV)/.dev
	$(BIN)/python bench/bench_search.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
