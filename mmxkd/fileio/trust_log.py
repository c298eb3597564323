# Copyright (c) mmxkd contributors. All rights reserved.
"""``<work_dir>/trust.json``: the per-epoch scores of every head's per-clip
trust, written by :class:`~mmxkd.engine.hooks.TrustScoreHook` and read by the
result tools."""
import json
from typing import List

TRUST_FILE = 'trust.json'


def load_trust_entries(path: str) -> List[dict]:
    """The per-epoch entries of a ``trust.json``; a file that is not one is
    a ValueError naming it."""
    with open(path) as f:
        try:
            entries = json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(f'{path} is not JSON: {err}') from err
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get('epoch'), int)
            for e in entries):
        raise ValueError(f'{path}: expected a list of per-epoch entries '
                         'with an integer "epoch"')
    return entries
