# Quick start (README.md): `make demo` and `make test`.
PYTHON ?= python
export PYTHON
# the suite runs in TEST_WORKERS processes (pytest-xdist), one thread each:
# torch's default threads per process oversubscribe the cores
TEST_WORKERS ?= 2
PYTEST = OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(PYTHON) -m pytest \
	-n $(TEST_WORKERS) --dist worksteal

.PHONY: install install-tests demo test test-fast

install:
	bash tools/install.sh

install-tests:
	bash tools/install.sh --tests

demo: install
	$(PYTHON) tools/run_distillation.py

test: install-tests
	$(PYTEST) tests

# the unit tier: no subprocess, no end-to-end run (`make test` runs all)
test-fast: install-tests
	$(PYTEST) -m "not integration" tests
