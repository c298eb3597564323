# Ablation: MNF + CSC without the triplet term.
_base_ = ['./mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-15e_grid-command-8x32.py']

model = dict(heads=dict(mnf_csc=dict(loss_tri=None)))
