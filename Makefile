# 残联综合服务平台 — `make demo` to try it, `make test` to check it, `make bench` to measure it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo serve test test-fast lint bench messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/canlian demo
	$(BIN)/canlian serve

serve: install
	$(BIN)/canlian serve

lint: install
	$(BIN)/ruff check .

test: install lint
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not browser"

bench: install
	$(BIN)/python bench/run.py

messages: install
	$(BIN)/canlian makemessages -l en --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore '*/tests/*' \
		--ignore 'bench/*' --ignore 'var/*'
	$(BIN)/canlian compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var .pytest_cache
