# Copyright (c) mmxkd contributors. All rights reserved.
"""Prepare the GRID audio-visual corpus for MMAction2 / mmxkd.

The logic is :mod:`mmxkd.datasets.preparation.grid`; ``--help`` describes it.
"""
from mmxkd.datasets.preparation.grid import main

if __name__ == '__main__':
    main()
