#!/usr/bin/env bash
# Install mmxkd and its stack into the current Python environment.
#   bash tools/install.sh           runtime
#   bash tools/install.sh --tests   runtime + test requirements
# PYTHON=/path/to/python selects the interpreter (default: python).
#
# torch and torchvision must come from one index so that their builds match.
# If a matched pair is already installed it is kept. Otherwise the pair in
# requirements/torch.txt is installed from the package index; a pip
# configuration with local find-links (e.g. a CPU-only torch wheel that pairs
# with no torchvision) is bypassed for that one step.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
WITH_TESTS=0
for arg in "$@"; do
    case "$arg" in
        --tests) WITH_TESTS=1 ;;
        *) echo "tools/install.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

pip_install() { "$PYTHON" -m pip install --disable-pip-version-check "$@"; }

torch_pair_ok() {
    "$PYTHON" - <<'PY' 2>/dev/null
import torch, torchvision
assert hasattr(torch.ops.torchvision, 'nms'), 'torchvision ops missing'
PY
}

if torch_pair_ok; then
    echo "[mmxkd] keeping the installed torch/torchvision pair"
else
    echo "[mmxkd] installing torch + torchvision (requirements/torch.txt)"
    if "$PYTHON" -m pip config list 2>/dev/null | grep -q "find-links"; then
        echo "[mmxkd] pip config has find-links: ignoring it for torch"
        env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null \
            "$PYTHON" -m pip install --disable-pip-version-check \
            -r requirements/torch.txt
    else
        pip_install -r requirements/torch.txt
    fi
    if ! torch_pair_ok; then
        echo "[mmxkd] ERROR: torch and torchvision do not match after" \
             "installation:" >&2
        "$PYTHON" -c "import torch, torchvision; torch.ops.torchvision.nms" >&2 || true
        echo "[mmxkd] install a matched pair from one index, e.g." \
             "pip install -r requirements/torch.txt" >&2
        exit 1
    fi
fi

echo "[mmxkd] installing the OpenMMLab stack and mmxkd"
pip_install -r requirements/runtime.txt
pip_install --no-build-isolation -e .
if [ "$WITH_TESTS" = 1 ]; then
    pip_install -r requirements/tests.txt
fi
"$PYTHON" -c "import mmxkd; print('[mmxkd] mmxkd', mmxkd.__version__, 'is ready')"
