# The token-keeping tiny R(2+1)D student (r2plus1d_tiny_tokens.py) inside
# CrossModalDistiller with no teacher yet, as distiller_r2plus1d_tiny.py.
_base_ = './r2plus1d_tiny_tokens.py'

model = dict(
    _delete_=True,
    type='CrossModalDistiller',
    student={{_base_.model}})
