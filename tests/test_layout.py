# Copyright (c) mmxkd contributors. All rights reserved.
"""The layout of the package, read from the source (nothing is imported):
the runtime library (everything under ``mmxkd/`` except
``mmxkd/experiments/``) imports neither the experiment tooling nor
``tools/``, and no file of the package is over the size a reader takes in
at once."""
import ast
import os
import os.path as osp

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PACKAGE = osp.join(ROOT, 'mmxkd')
TOOLING = ('mmxkd.experiments', 'tools')
MAX_LINES = 450


def package_files() -> list:
    """Every ``.py`` file under ``mmxkd/``, relative to the repository."""
    found = []
    for folder, _, names in os.walk(PACKAGE):
        found += [osp.relpath(osp.join(folder, name), ROOT)
                  for name in names if name.endswith('.py')]
    return sorted(found)


def imported_modules(path: str) -> list:
    """The absolute names of the modules a source file imports (relative
    imports resolved against its package)."""
    package_parts = osp.dirname(path).split(os.sep)
    with open(osp.join(ROOT, path)) as f:
        tree = ast.parse(f.read(), path)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[:len(package_parts) - node.level + 1]
                module = '.'.join(base + ([node.module] if node.module
                                          else []))
            else:
                module = node.module or ''
            names.append(module)
            names += [f'{module}.{alias.name}' for alias in node.names]
    return names


def is_tooling(module: str) -> bool:
    """Whether a module name is the experiment tooling or under tools/."""
    return any(module == name or module.startswith(name + '.')
               for name in TOOLING)


RUNTIME = [
    path for path in package_files()
    if not path.startswith(osp.join('mmxkd', 'experiments') + os.sep)
]


def test_the_runtime_library_is_found():
    assert osp.join('mmxkd', 'models', '__init__.py') in RUNTIME
    assert not any('experiments' in path for path in RUNTIME)


@pytest.mark.parametrize('path', RUNTIME)
def test_runtime_library_imports_no_tooling(path):
    tooling = sorted({m for m in imported_modules(path) if is_tooling(m)})
    assert not tooling, f'{path} imports the tooling: {tooling}'


def test_relative_imports_are_resolved():
    modules = imported_modules(
        osp.join('mmxkd', 'experiments', 'benchmark', 'runner.py'))
    assert 'mmxkd.experiments.benchmark.cases' in modules


@pytest.mark.parametrize('path', package_files())
def test_no_file_of_the_package_is_over_the_limit(path):
    with open(osp.join(ROOT, path)) as f:
        lines = sum(1 for _ in f)
    assert lines <= MAX_LINES, f'{path} has {lines} lines (at most ' \
        f'{MAX_LINES}): split it by concern'
