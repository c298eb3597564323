# The lip-reading student of GRID's command task trained alone.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny.py',
    '../_base_/datasets/grid_command.py', '../_base_/schedules/adam_15e.py',
    '../_base_/default_runtime.py'
]
