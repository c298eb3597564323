#!/usr/bin/env bash
# The GPU figures at reference scale, from the repository root: clips/s of
# the R(2+1)D r10 student alone and with MNF + CSC (16x112x112 clips, batch
# 32, random batches), AMP on and off, peak GPU memory, and with --data-root
# the train loader's clips/s with --workers N.
# Usage: bash tools/analysis/benchmark_gpu.sh [--workers N] [--batch-size B]
#     [--iters N] [--amp on|off|both] [--data-root DIR] [--json PATH]
# (--help: all of them). Without CUDA it exits 1 with one line, running
# nothing. The logic is mmxkd.experiments.benchmark.gpu_main.
set -e
PYTHONPATH="$(dirname "$0")/../..":$PYTHONPATH \
exec python -c 'import sys
from mmxkd.experiments.benchmark import gpu_main
gpu_main(sys.argv[1:])' "$@"
