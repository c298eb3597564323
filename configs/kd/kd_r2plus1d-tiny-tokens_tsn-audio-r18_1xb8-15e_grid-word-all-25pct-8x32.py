# Hinton KD on the label-scarce all-words testbed (25 % of the training
# clips labelled): the teacher's softened logits on every clip, labelled or
# not; the student's cross-entropy on the labelled 25 % only. Data and
# schedule of ../student_only/student_r2plus1d-tiny-tokens_1xb8-15e_
# grid-word-all-25pct-8x32.py.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_'
          'grid-word-all-8x32.py')

train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
