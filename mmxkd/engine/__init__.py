# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.engine  # noqa: F401  (fills the parent registries)
