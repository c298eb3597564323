# The sound of every GRID word clip, all six slots (51-way,
# grid_word_all_8x32.py), as log-mel spectrograms; windows and pipelines as
# for the digit words.
_base_ = './grid_digit_word_audio.py'

ann_file_train = 'data/grid/words/all_train.txt'
ann_file_val = 'data/grid/words/all_val.txt'
ann_file_test = 'data/grid/words/all_test.txt'
num_classes = 51

train_dataloader = dict(
    dataset=dict(ann_file=ann_file_train, num_classes=num_classes))
val_dataloader = dict(
    dataset=dict(ann_file=ann_file_val, num_classes=num_classes))
test_dataloader = dict(
    dataset=dict(ann_file=ann_file_test, num_classes=num_classes))
