# Ablation on the command word clips: a fixed CSC temperature (t = 0.07 for
# every pair) instead of the adaptive one.
_base_ = ['./mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-15e_grid-command-word-8x32.py']

model = dict(
    heads=dict(mnf_csc=dict(loss_csc=dict(adaptive_temperature=False))))
