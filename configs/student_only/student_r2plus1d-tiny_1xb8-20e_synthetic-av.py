# The student of the synthetic MNF + CSC config trained alone (no teacher):
# a plain MMAction2 Recognizer3D on the same data and schedule.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny.py',
    '../_base_/datasets/synthetic_av.py', '../_base_/schedules/adam_20e.py',
    '../_base_/default_runtime.py'
]
