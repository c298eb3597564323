# Quick start (README.md): `make demo` and `make test`.
PYTHON ?= python
# pytest-xdist workers for `make test`; a module's tests stay on one worker
# (its module fixtures are built once)
TEST_WORKERS ?= 2
export PYTHON

.PHONY: install install-tests demo test

install:
	bash tools/install.sh

install-tests:
	bash tools/install.sh --tests

demo: install
	$(PYTHON) tools/run_distillation.py

test: install-tests
	$(PYTHON) -m pytest tests -n $(TEST_WORKERS) --dist loadscope
