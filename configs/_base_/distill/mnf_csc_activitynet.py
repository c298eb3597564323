# MNF + CSC with the reference's ActivityNet temperature, t = 0.2 (0.07 on
# UCF51).
_base_ = './mnf_csc.py'

distill_heads = dict(mnf_csc=dict(loss_csc=dict(threshold=0.2)))
