# The student alone on GRID's command task at 8x32x32: the first row of the
# comparison, and the base every method of it extends (same student, data,
# schedule). CrossModalDistiller without a teacher is the plain recognizer
# that also reports its pooled feature, for retrieval.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny.py',
    '../_base_/datasets/grid_command_8x32.py',
    '../_base_/schedules/adam_15e.py', '../_base_/default_runtime.py'
]

test_cfg = dict(type='RetrievalTestLoop')
