# Copyright (c) mmxkd contributors. All rights reserved.
import pytest

import mmxkd  # noqa: F401


def test_mmaction_models_import_and_drn_explains_itself():
    import mmaction.models
    from mmaction.registry import MODELS

    assert MODELS.get('Recognizer3D') is not None
    assert MODELS.get('DRN') is None  # the missing localizer is not faked
    with pytest.raises(ImportError, match='2714'):
        mmaction.models.localizers.DRN()
