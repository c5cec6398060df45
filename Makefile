# One venv per checkout, created on first use; every target installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast nightly lint bench clean browser duckdb tag-figures borderline-model

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/steppewatch --data data/demo demo

nightly: $(STAMP)
	$(BIN)/steppewatch nightly

# Debian's chromium renders the HTML report in the browser tests.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium not installed: browser tests will be skipped"

# The whole suite (docs/TESTING.md), on TEST_WORKERS xdist workers (one per core). Each test
# file runs on one worker (loadfile), so a module's fixtures (a demo, a crawl) are built
# once. (loadgroup groups nothing with pytest 9: xdist 3.8 renames a test's `_nodeid`,
# which pytest 9 no longer reads.)
# The slowest files go first (tests/conftest.py: SLOWEST_FILES); the 15 slowest steps are
# printed at the end, to compare with docs/TESTING.md. The suite starts a hundred Python
# processes (demos, crawls, workers): they keep the project's compiled modules (__pycache__)
# even where PYTHONDONTWRITEBYTECODE is set, instead of compiling them again each time.
TEST_WORKERS ?= 2
TEST_ENV := PYTHONDONTWRITEBYTECODE=
test: $(STAMP) browser
	$(TEST_ENV) $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=15

# tests/unit only: no crawl, no Prefect, no demo, no subprocess of the command.
test-fast: $(STAMP)
	$(TEST_ENV) $(BIN)/pytest -q -n $(TEST_WORKERS) tests/unit

# The stock DuckDB CLI on a warehouse, read-only, with the offline fts extension loaded.
# DATA=data for the real warehouse. Ranked search is `steppewatch search` (docs/QUERIES.md).
DATA ?= data/demo
duckdb: $(STAMP)
	@$(BIN)/duckdb -readonly -cmd "SET extension_directory = '$$($(BIN)/python -c \
		'from warehouse.connection import extension_directory; print(extension_directory())')'; \
		LOAD fts;" $(DATA)/steppewatch.duckdb

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data/demo

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Retrain config/borderline_model.json on the tuning set, plus monitors' corrections if given
# (CORRECTIONS=corrections.jsonl, from `steppewatch feedback export`).
borderline-model: $(STAMP)  # scikit-learn comes with the dev extra (also the train extra)
	$(BIN)/python -m flows.tagging.train_borderline --tuning tests/data/real_tune.jsonl \
		$(if $(CORRECTIONS),--tuning $(CORRECTIONS)) $(if $(FRESH),--fresh-thresholds) \
		--topics config/topics.toml

tag-figures: $(STAMP)  # held-out tagging figures and labellers' agreement into the docs
	$(BIN)/python -m flows.tagging.evaluate tests/data/real_holdout.jsonl --write README.md docs/TOPICS.md
	$(BIN)/python -m flows.tagging.agreement tests/data/real_holdout_labels.jsonl --write docs/TOPICS.md
	$(BIN)/python -m flows.tagging.agreement tests/data/real_tune_audit.jsonl --write docs/TOPICS.md \
		--block tune-audit
