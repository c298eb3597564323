# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.models  # noqa: F401  (fills the parent registry)

from .connectors import *  # noqa: F401,F403
from .distillers import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .layers import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .teachers import *  # noqa: F401,F403
