# Copyright (c) mmxkd contributors. All rights reserved.
"""The commands printed in the READMEs and docs/en name what exists.

Every ``shell`` block line that runs a tool of the repository is read as a
user would type it: the script, every config and Makefile target it names
exist, every config builds, and ``tools/train.py`` / ``tools/test.py``
lines parse with the tools' own parsers. Lines with placeholders (``CFG``,
``CKPT``, ``<...>``, ``path/to``) are checked only for what they name.
"""
import functools
import glob
import os.path as osp
import re
import shlex
from typing import Iterator, List, Tuple

import pytest
from mmengine.config import Config

from mmxkd.apis.cli import build_test_parser, build_train_parser

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DOCS = ['README.md'] + sorted(
    osp.relpath(p, ROOT) for pattern in ('docs/en/**/*.md',
                                         'configs/**/README.md',
                                         'tools/**/README.md')
    for p in glob.glob(osp.join(ROOT, pattern), recursive=True))
PLACEHOLDER = re.compile(r'\b(CFG|CKPT|N|PARTITION|JOB)\b|<[^>]*>|path/to|\$')


def shell_commands(doc: str) -> Iterator[Tuple[int, List[str]]]:
    """The commands of a markdown file's ``shell``/``bash`` blocks.

    Args:
        doc: The file, relative to the repository root.

    Yields:
        ``(line number, argv)``: continuation lines joined, comments and
        prompts dropped.
    """
    in_block, pending, start = False, '', 0
    with open(osp.join(ROOT, doc), encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            stripped = line.strip()
            if stripped.startswith('```'):
                in_block = (not in_block
                            and stripped[3:].strip() in ('shell', 'bash',
                                                         'sh'))
                continue
            if not in_block:
                continue
            text = stripped.split(' #', 1)[0].rstrip()
            if text.startswith('#') or not text:
                continue
            if not pending:
                start = number
            if text.endswith('\\'):
                pending += text[:-1] + ' '
                continue
            command, pending = pending + text, ''
            yield start, shlex.split(command)


def tool_lines() -> List[Tuple[str, int, List[str]]]:
    """Every command line of the docs that runs a tool or make target."""
    found = []
    for doc in DOCS:
        for number, argv in shell_commands(doc):
            while argv and '=' in argv[0] and not argv[0].startswith('-'):
                argv = argv[1:]  # VAR=value prefixes
            if len(argv) >= 2 and (argv[0] in ('python', 'bash')
                                   and argv[1].startswith('tools/')
                                   or argv[0] == 'make'):
                found.append((doc, number, argv))
    return found


LINES = tool_lines()


@functools.lru_cache(maxsize=None)
def build_config(config: str) -> Config:
    """The built config (each config once per session)."""
    return Config.fromfile(osp.join(ROOT, config))


def test_docs_have_commands() -> None:
    docs = {doc for doc, _, _ in LINES}
    assert 'README.md' in docs and 'docs/en/get_started.md' in docs
    assert any(argv[:2] == ['python', 'tools/train.py']
               for _, _, argv in LINES)


@pytest.mark.parametrize(
    'doc,number,argv', LINES, ids=[f'{d}:{n}' for d, n, _ in LINES])
def test_doc_command_names_what_exists(doc: str, number: int,
                                       argv: List[str]) -> None:
    where = f'{doc}:{number}: {" ".join(argv)}'
    if argv[0] == 'make':
        with open(osp.join(ROOT, 'Makefile')) as f:
            targets = {m.group(1) for m in re.finditer(
                r'^([\w-]+):', f.read(), re.M)}
        assert set(argv[1:]) <= targets, where
        return
    assert osp.isfile(osp.join(ROOT, argv[1])), where
    configs = [a for a in argv[2:]
               if a.startswith('configs/') and a.endswith('.py')]
    for config in configs:
        assert osp.isfile(osp.join(ROOT, config)), where
        build_config(config)
    if any(PLACEHOLDER.search(a) for a in argv[2:]):
        return
    parsers = {'tools/train.py': build_train_parser,
               'tools/test.py': build_test_parser}
    if argv[1] in parsers:
        parsers[argv[1]]().parse_args(argv[2:])
