# The audio recognizer (tsn_audio_r18.py) as the student inside
# CrossModalDistiller (the reverse direction: a video teacher), alone until a
# leaf adds a teacher and heads.
_base_ = './tsn_audio_r18.py'

model = dict(
    _delete_=True,
    type='CrossModalDistiller',
    student={{_base_.model}})
