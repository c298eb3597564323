# A study variant of the faithful preset, on where the teacher enters and
# how much CSC weighs:
# - CSC also pulls the student's v towards the filtered teacher a_hat of
#   same-word clips (csc_targets), so the teacher enters CSC as a
#   contrastive target, not only through the temperature and the
#   attention's query;
# - each CSC term weighs 0.1: with the faithful weight 1 the student's own
#   cross-entropy (loss_cls_v) stayed near ln 51 for 8 epochs while the
#   student alone's fell to 2.5 (tools/analysis/train_stats.py on the
#   study's runs, README.md).
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(
    heads=dict(
        mnf_csc=dict(
            loss_csc=dict(loss_weight=0.1),
            csc_targets=('calibrated', 'filtered_teacher'))))
