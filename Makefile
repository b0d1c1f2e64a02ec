# Two commands for a newcomer: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv when it is missing or older than requirements.txt.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# pip takes the local CPU wheel of torch from here when the machine has one (a plain torch pin pulls CUDA).
WHEELS ?= /opt/wheels
PIP_LINKS := $(if $(wildcard $(WHEELS)),--find-links $(WHEELS),)

.PHONY: run test lint format bench image clean

$(BIN)/.installed: requirements.txt requirements-app.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q $(PIP_LINKS) -r requirements.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/python -m dashboard.serve --server.address 127.0.0.1 --server.port 8501

# Independent test files run in parallel (pytest-xdist, one file per worker at a time so a module's server and
# browser start once); tests marked `serial` judge timings or load the whole machine, so they run alone afterwards.
TEST_WORKERS ?= 3
SERIAL_TESTS := $(shell grep -rl --include="test_*.py" "mark.serial" tests)

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not serial" -n $(TEST_WORKERS) --dist worksteal
	$(BIN)/python -m pytest -m serial $(SERIAL_TESTS)

lint: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(BIN)/.installed
	$(BIN)/python bench/app_speed.py

# The container image (see Dockerfile). On these machines run ../shared/tools/container-base.sh first.
image:
	docker build --network host -t eager-lab .

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
