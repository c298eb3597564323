# A study variant of the faithful preset: CSC also pulls the student's v
# towards the filtered teacher a_hat of same-word clips (csc_targets), so the
# teacher enters CSC as a contrastive target, not only through the
# temperature and the attention's query.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(
    heads=dict(
        mnf_csc=dict(csc_targets=('calibrated', 'filtered_teacher'))))
