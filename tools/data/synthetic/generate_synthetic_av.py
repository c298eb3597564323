# Copyright (c) mmxkd contributors. All rights reserved.
"""Generate a small audio-visual dataset for CPU runs and tests (no download).

The logic is :mod:`mmxkd.datasets.preparation.synthetic`;
``--help`` describes it.
"""
from mmxkd.datasets.preparation.synthetic import main

if __name__ == '__main__':
    main()
