# Copyright (c) mmxkd contributors. All rights reserved.
"""Write an irrelevant version (noise, or a mixture with another class's
clip) of the sound of every clip of a list, as log-mel spectrograms.

The logic is :mod:`mmxkd.datasets.preparation.irrelevant_sound`; ``--help``
describes it.
"""
from mmxkd.datasets.preparation.irrelevant_sound import main

if __name__ == '__main__':
    main()
