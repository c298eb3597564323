# LabelAgreementKDHead with the WSLD weight (Zhou et al. 2021) on the
# labelled clips instead of a mask; every unlabelled clip is kept.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./label-agreement-kd_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-25pct-8x32.py')

model = dict(heads=dict(label_agreement_kd=dict(weighting='wsld')))
