# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.evaluation  # noqa: F401  (fills the parent registries)
