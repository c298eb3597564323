# Copyright (c) mmxkd contributors. All rights reserved.
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every module of mmxkd (and MMAction2's) so that all types are
    registered.

    Args:
        init_default_scope (bool): Whether to make ``mmxkd`` the default
            scope. Defaults to True.
    """
    import mmxkd.datasets  # noqa: F401
    import mmxkd.engine  # noqa: F401
    import mmxkd.evaluation  # noqa: F401
    import mmxkd.models  # noqa: F401
    import mmxkd.visualization  # noqa: F401

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance('mmxkd', scope_name='mmxkd')
    elif current.scope_name != 'mmxkd':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "mmxkd"; a new default scope "mmxkd" is created.')
        name = f'mmxkd-{datetime.datetime.now()}'
        DefaultScope.get_instance(name, scope_name='mmxkd')
