# The sound of the GRID command word clips (bin / lay / place / set) as
# log-mel spectrograms, 4-way; windows and pipelines as for the digit words.
_base_ = './grid_digit_word_audio.py'

ann_file_train = 'data/grid/words/command_train.txt'
ann_file_val = 'data/grid/words/command_val.txt'
ann_file_test = 'data/grid/words/command_test.txt'
num_classes = 4

train_dataloader = dict(
    dataset=dict(ann_file=ann_file_train, num_classes=num_classes))
val_dataloader = dict(
    dataset=dict(ann_file=ann_file_val, num_classes=num_classes))
test_dataloader = dict(
    dataset=dict(ann_file=ann_file_test, num_classes=num_classes))
