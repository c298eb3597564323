# SelectiveKDHead with the small-loss criterion: an unlabelled clip's trust is
# exp(-its KD loss), smoothed over the epochs; otherwise ./selective-kd_...
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./selective-kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_'
          'grid-word-all-25pct-8x32.py')

model = dict(heads=dict(selective_kd=dict(score='small_loss')))
