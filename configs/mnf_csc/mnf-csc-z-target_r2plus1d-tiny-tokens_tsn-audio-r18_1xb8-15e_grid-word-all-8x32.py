# ./mnf-csc-csc0.1_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-8x32.py
# (CSC weighs 0.1) with a second deviation: CSC's gradient reaches the
# student only through its pooled feature v (MNFCSCHead's
# csc_through_tokens=False). In the reference CSC also trains the student's
# tokens V through z = MNF(a, V), so the student can satisfy CSC by
# reshaping the very tokens the teacher-driven attention reads; here z is a
# target the teacher shaped and v is pulled towards it.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(
    heads=dict(
        mnf_csc=dict(loss_csc=dict(
            loss_weight=0.1), csc_through_tokens=False)))
