# Copyright (c) mmxkd contributors. All rights reserved.
"""Prepare UCF51, the UCF101 classes with sound, for MMAction2 / mmxkd.

The logic is :mod:`mmxkd.datasets.preparation.ucf51`; ``--help`` describes it.
"""
from mmxkd.datasets.preparation.ucf51 import main

if __name__ == '__main__':
    main()
