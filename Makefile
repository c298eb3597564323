# Quick start (README.md): `make demo` and `make test`.
PYTHON ?= python
export PYTHON

.PHONY: install install-tests demo test

install:
	bash tools/install.sh

install-tests:
	bash tools/install.sh --tests

demo: install
	$(PYTHON) tools/run_distillation.py

test: install-tests
	$(PYTHON) -m pytest tests
