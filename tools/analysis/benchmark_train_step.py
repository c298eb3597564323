# Copyright (c) mmxkd contributors. All rights reserved.
"""Time the train step (forward, backward, optimizer step) of several
configs interleaved round by round in one process, and their train
dataloaders; prints a markdown table (``--json PATH``: every figure).

The logic is :mod:`mmxkd.experiments.benchmark`. Example (no data needed
for the steps; ``--loader-batches 0`` skips the data path)::

    python tools/analysis/benchmark_train_step.py CFG_A CFG_B \\
        --synthetic-batch --rounds 30 --warmup 5 --json bench.json
"""
from mmxkd.experiments.benchmark import main

if __name__ == '__main__':
    main()
