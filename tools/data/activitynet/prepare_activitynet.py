# Copyright (c) mmxkd contributors. All rights reserved.
"""Cut ActivityNet v1.3 into trimmed segments (200 classes) with their sound.

The logic is :mod:`mmxkd.datasets.preparation.activitynet`;
``--help`` describes it.
"""
from mmxkd.datasets.preparation.activitynet import main

if __name__ == '__main__':
    main()
