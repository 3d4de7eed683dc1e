# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
N ?= 10000
# mypy cannot see through the editable install's path mapping: it reads the package through a
# link named as installed (build/typecheck/briefing -> the repository root).
TYPECHECK_LINK := build/typecheck/briefing

# Byte-code for the package's own modules, as pip writes it for an installed wheel: an editable
# install has none, and where PYTHONDONTWRITEBYTECODE is set every start would compile ~80 modules
# again. compileall skips what is up to date; a stale .pyc is never used (Python checks the mtime).
SOURCES := __init__.py __main__.py index tui

.PHONY: run test typecheck contracts bench devset bytecode clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q $(SOURCES) >/dev/null

run: bytecode
	$(BIN)/briefing

$(TYPECHECK_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../.. $@

typecheck: $(VENV)/.installed-test $(TYPECHECK_LINK)
	$(BIN)/mypy

contracts: $(VENV)/.installed-test
	$(BIN)/lint-imports

test: typecheck contracts
	$(BIN)/python -m pytest -q -n 2

bench: $(VENV)/.installed-test bytecode
	$(BIN)/python scripts/bench.py --n $(N)

# The quote development set (../shared/eval/news-quotes): its scorer's figures and cases.json.
DEVSET ?= ../shared/eval/news-quotes
devset: $(VENV)/.installed bytecode
	$(BIN)/python scripts/devset.py --set $(DEVSET)

clean:
	rm -rf $(VENV) build *.egg-info
