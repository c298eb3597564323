# Quick start (README.md): `make demo` and `make test`.
PYTHON ?= python
export PYTHON

.PHONY: install install-tests demo test test-fast

install:
	bash tools/install.sh

install-tests:
	bash tools/install.sh --tests

demo: install
	$(PYTHON) tools/run_distillation.py

test: install-tests
	$(PYTHON) -m pytest tests

# the unit tier: no subprocess, no end-to-end run (`make test` runs all)
test-fast: install-tests
	$(PYTHON) -m pytest -m "not integration" tests
