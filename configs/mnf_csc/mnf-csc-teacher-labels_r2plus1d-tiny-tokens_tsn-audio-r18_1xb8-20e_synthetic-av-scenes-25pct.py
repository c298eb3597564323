# The recommended MNF + CSC of `make demo` (tools/run_distillation.py):
# ./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-20e_synthetic-av-scenes-25pct.py
# (the reference's MNF + CSC on the label-scarce scene clips, 25 % of the
# training clips labelled) with two deviations. CSC weighs 0.1, not 1: at 1
# CSC over batches of 8 clips drowns the student's own loss. The unlabelled
# 75 % take the argmax of the frozen audio teacher's classifier as their
# label in CSC's positives and in the MNF classifier (MNFCSCHead's
# unlabelled='teacher'), so the sound, which carries the class, labels the
# clips that video alone has no label for; the student's own loss_cls_v
# still uses the labelled 25 % only. The classifier is
# model.teacher.classifier.checkpoint, by default the last checkpoint of
# the teacher that `make demo` trains (seed 3), beside its features.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-20e_synthetic-av-scenes-25pct.py')

model = dict(
    heads=dict(
        mnf_csc=dict(loss_csc=dict(loss_weight=0.1), unlabelled='teacher')))
