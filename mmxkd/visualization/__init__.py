# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.visualization  # noqa: F401  (fills the parent registries)
