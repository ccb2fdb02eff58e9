VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app webapp
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench fuzz

$(STAMP): pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(FLASK) init-db
	$(FLASK) bank import seeds/
	$(BIN)/gunicorn --config gunicorn.conf.py

test: $(STAMP)
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	for bench in tests/bench/bench_*.py; do $(BIN)/python $$bench $(BENCH_ARGS) || exit 1; done

# Property tests in their long mode: FUZZ_EXAMPLES examples per property (5 properties; 2000 each = 10,000).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} $(BIN)/pytest -q \
		--hypothesis-show-statistics tests/web/test_properties.py tests/engine/test_grading_properties.py
