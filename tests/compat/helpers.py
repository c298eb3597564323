# Copyright (c) mmxkd contributors. All rights reserved.
"""Running Python in a fresh process, where ``import mmxkd`` applies the
compatibility fixes from scratch."""
import os
import subprocess
import sys
from typing import Dict, Optional

from ..conftest import ROOT


def run_python(code: str,
               env: Optional[Dict[str, str]] = None
               ) -> subprocess.CompletedProcess:
    """Run ``code`` with ``python -c`` from the repository root.

    The environment is this one without ``MMXKD_NO_COMPAT`` and ``RANK``
    (a test may have set them), plus ``env``. Fails with the output when
    the process does.
    """
    full_env = {
        key: value
        for key, value in os.environ.items()
        if key not in ('MMXKD_NO_COMPAT', 'RANK')
    }
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, '-c', code],
                          cwd=ROOT,
                          env=full_env,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc
