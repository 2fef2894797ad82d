# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= storyline.db
DEMO := examples/ru-dprk-2023

.PHONY: demo test test-faults lint bench train screenshots system-deps clean-demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[all]"
	@touch $@

# Real parts for the tests, from Debian's packages: Chromium for the page tests (never a browser
# build of its own) and a PostgreSQL server for the store tests.
SYSTEM_PACKAGES := chromium postgresql
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing:$$missing (sudo apt-get install$$missing); their tests will be skipped"; fi; fi

demo: $(STAMP)
	$(BIN)/storyline build $(DEMO) --db $(DB)
	$(BIN)/storyline export --db $(DB) --format json -o dossier.json
	$(BIN)/storyline brief --db $(DB) -o brief.md
	@echo
	@echo "Dossier: dossier.json   Briefing: brief.md   Store: $(DB)"
	@echo "Open the pages: $(BIN)/storyline serve --db $(DB)   (then http://127.0.0.1:8000)"

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q

# The fault suite (docs/robustness.md): builds killed with -9 during ingest and NLP, a full tmpfs (as
# root) during ingest and NLP, a second build during a build; each resumed export compared byte for byte
# with an unbroken build's. The quick store faults (damaged store, page-limit full disk) are in `make test`.
test-faults: $(STAMP)
	$(BIN)/pytest -q -m faults

# The README's screenshots, from the current demo in a real headless Chromium (the system's chromium).
screenshots: $(STAMP) system-deps
	$(BIN)/python -m storyline.web.screenshots --corpus $(DEMO) --out docs/screenshots

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Refit the shipped models (src/storyline/resolve/models/*.json) on the development sets beside the
# checkout: the event scorer on ECB+, the thread model on dev/threads built into a throwaway store.
DEV := ../shared/dev
train: $(STAMP)
	$(BIN)/python -m storyline.resolve.models.train_events --corpus $(DEV)/ecbplus
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(BIN)/storyline build $(DEV)/threads/docs --db "$$tmp/threads.db" --quiet && \
	  $(BIN)/python -m storyline.resolve.models.train_threads --db "$$tmp/threads.db" --gold $(DEV)/threads/gold.json

clean-demo:
	rm -f $(DB) $(DB)-wal $(DB)-shm dossier.json brief.md
