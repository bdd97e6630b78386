# Two commands do everything: `make run` and `make test`. The rest are for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= $(or $(CUSTOMER_ACTIVITY_DATA),data)
PORT ?= 8501

.PHONY: run test lint format seed data install e2e clean bench bench-quick load cluster messages

run: data ## serve the app on http://localhost:8501
	$(BIN)/python -m dashboard serve --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: data ## the whole test suite
	$(BIN)/python -m pytest

# the interface's catalogues (dashboard/language.py), compiled as part of the install
CATALOGUES := $(wildcard dashboard/locale/*/LC_MESSAGES/messages.po)
# the functions that mark a string for the catalogues, beside gettext's own
KEYWORDS := -k N_ -k count:2,3

install: $(VENV)/.installed $(CATALOGUES:.po=.mo)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel --quiet compile --input-file $< --output-file $@

messages: install ## extract the interface's strings and merge them into every catalogue
	$(BIN)/pybabel --quiet extract --mapping-file babel.cfg $(KEYWORDS) --sort-by-file --width 100 \
		--project "Customer Activity" --copyright-holder "Customer Activity" \
		--output-file dashboard/locale/messages.pot .
	$(BIN)/pybabel --quiet update --input-file dashboard/locale/messages.pot \
		--output-dir dashboard/locale --domain messages --no-fuzzy-matching --ignore-obsolete \
		--width 100

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

data: install ## build the demo dataset if there is none
	$(BIN)/python -m dashboard seed --out $(DATA) --if-missing

seed: install ## rebuild the demo dataset (SCALE=100 for about a million usage rows)
	$(BIN)/python -m dashboard seed --out $(DATA) --scale $(or $(SCALE),1) --progress

bench: install ## the benchmark at 1M and 10M usage rows, 44 customers: benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

bench-quick: install ## the benchmark at 100k usage rows, with its checks
	$(BIN)/python -m benchmarks --quick --check $(BENCH_ARGS)

load: install ## 25 concurrent sessions for 60 s against a real server: benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS)

cluster: data ## PostgreSQL, an S3 API, REPLICAS replicas (2) and HAProxy on http://localhost:8501
	$(BIN)/python -m dashboard cluster --replicas $(or $(REPLICAS),2) --port $(PORT)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
