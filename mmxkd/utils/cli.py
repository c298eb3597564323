# Copyright (c) mmxkd contributors. All rights reserved.
"""What command-line tools share (the dataset tools of ``tools/data``):
input errors, short listings in messages and checks of options."""
import argparse
from typing import List, Sequence, Tuple

MAX_SHOWN = 10  # items shown in one message


class InputError(Exception):
    """A problem with the input data, reported to the user without trace."""


def shown(items: Sequence[str]) -> str:
    """The first few items on one line: ``a, b, ...``."""
    return ', '.join(items[:MAX_SHOWN]) + (', ...'
                                           if len(items) > MAX_SHOWN else '')


def listing(items: Sequence[str]) -> str:
    """The first few items, one per indented line, and how many more."""
    lines: List[str] = list(items[:MAX_SHOWN])
    if len(items) > MAX_SHOWN:
        lines.append(f'... and {len(items) - MAX_SHOWN} more')
    return '\n  '.join(lines)


def tool_parser(doc: str,
                *positionals: Tuple[str, str]) -> argparse.ArgumentParser:
    """The parser of a tool: its help shows ``doc`` as written, then the
    positional arguments, given as ``(name, help)`` and shown as ``NAME``."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, help in positionals:
        parser.add_argument(name, metavar=name.upper(), help=help)
    return parser


def add_workers_argument(parser: argparse.ArgumentParser,
                         help: str) -> None:
    """Add ``--workers N`` (default 1), the processes of a tool."""
    parser.add_argument(
        '--workers', type=int, default=1, metavar='N', help=help)


def require_positive(parser: argparse.ArgumentParser,
                     args: argparse.Namespace, *names: str) -> None:
    """Stop with a usage error unless each option ``names`` (``min_frames``
    for ``--min-frames``) is at least 1."""
    for name in names:
        if getattr(args, name) < 1:
            parser.error(f'--{name.replace("_", "-")} must be >= 1')
