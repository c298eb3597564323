# Ablation: the MNF without CSC. The MNF still trains (its classifier, gate
# sparsity and triplet terms) but, as those send nothing into the student,
# the student learns from its labels alone: a check that the gains come
# through CSC.
_base_ = ['./mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-15e_grid-command-8x32.py']

model = dict(heads=dict(mnf_csc=dict(loss_csc=None)))
