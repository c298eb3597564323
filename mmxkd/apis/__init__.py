# Copyright (c) mmxkd contributors. All rights reserved.
"""The entry logic of the tools that build MMEngine runners and models:
the arguments of ``tools/train.py`` and ``tools/test.py`` (:mod:`.cli`),
the checkpoint checks before training and testing (:mod:`.checkpoint_check`)
and the teacher feature extraction (:mod:`.teacher_features`). Each is
imported by its module path. Experiment tooling (runs of configs x seeds,
tables, plots, the benchmark) is :mod:`mmxkd.experiments`.
"""
