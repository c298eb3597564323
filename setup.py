# Copyright (c) mmxkd contributors. All rights reserved.
import os.path as osp

from setuptools import find_packages, setup


def read_requirements(name: str) -> list:
    path = osp.join(osp.dirname(__file__), 'requirements', name)
    with open(path) as f:
        return [
            line.strip() for line in f
            if line.strip() and not line.startswith(('#', '-'))
        ]


def get_version() -> str:
    scope: dict = {}
    with open(osp.join(osp.dirname(__file__), 'mmxkd', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='mmxkd',
    version=get_version(),
    description='Robust cross-modal knowledge distillation for videos, '
    'an OpenMMLab (MMAction2) extension',
    long_description=open('README.md').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(
        exclude=('configs', 'configs.*', 'tools', 'tools.*', 'tests',
                 'tests.*')),
    python_requires='>=3.9',
    # torch / torchvision are not listed: tools/install.sh installs a
    # matching pair; `import mmxkd` checks it.
    install_requires=read_requirements('runtime.txt'),
    extras_require=dict(tests=read_requirements('tests.txt')),
    license='Apache License 2.0',
    zip_safe=False)
